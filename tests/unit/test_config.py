"""Which database the program opens, and how it names it to the clerk."""

from app import config


def test_command_line_beats_environment_beats_local_settings(monkeypatch):
    config.write_local_settings({"database_url": "sqlite:///saved.sqlite3"})
    monkeypatch.setenv(config.DB_ENV_VAR, "postgresql://u@server/env")
    assert config.resolve_database_url("sqlite:///cli.sqlite3").source == "命令行"
    assert config.resolve_database_url(None).url == "postgresql://u@server/env"
    monkeypatch.delenv(config.DB_ENV_VAR)
    assert config.resolve_database_url(None) == config.DatabaseChoice("sqlite:///saved.sqlite3", "本机设置")
    config.write_local_settings({"database_url": None})
    default = config.resolve_database_url(None)
    assert default.source == "默认" and default.url.endswith("workbench.sqlite3")


def test_description_never_shows_the_password():
    text = config.describe_url("postgresql+psycopg://clerk:s3cret@192.0.2.5:5433/ssj")
    assert "s3cret" not in text
    assert text == "共享数据库（PostgreSQL）：clerk@192.0.2.5:5433/ssj"


def test_postgres_url_escapes_special_characters():
    url = config.postgres_url("db.local", 5432, "双随机", "clerk", "p@ss:word/1")
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    assert (parsed.password, parsed.database, parsed.host) == ("p@ss:word/1", "双随机", "db.local")
