"""The PostgreSQL password is kept out of the settings file, in a file only the user can read."""

import json
import os
import stat

import pytest
from sqlalchemy.engine import make_url

from app import config

URL = config.postgres_url("192.0.2.5", 5433, "ssj", "clerk", "p@ss:w\\rd")


def test_saving_a_server_keeps_the_password_out_of_the_settings_file():
    config.write_local_settings({"database_url": URL})
    settings_text = (config.data_dir() / config.LOCAL_SETTINGS_FILE).read_text(encoding="utf-8")
    assert "p@ss" not in settings_text
    saved = make_url(json.loads(settings_text)["database_url"])
    assert saved.password is None and saved.query["passfile"] == str(config.password_file())
    assert (saved.username, saved.host, saved.port, saved.database) == ("clerk", "192.0.2.5", 5433, "ssj")
    line = config.password_file().read_text(encoding="utf-8").strip()
    assert line == "192.0.2.5:5433:ssj:clerk:p@ss\\:w\\\\rd"  # .pgpass escapes ':' and '\'
    assert config.resolve_database_url(None).url == str(saved.render_as_string(hide_password=False))


@pytest.mark.skipif(os.name == "nt", reason="Windows keeps it in the user's profile folder instead")
def test_the_password_file_is_readable_by_the_user_only():
    config.write_local_settings({"database_url": URL})
    assert stat.S_IMODE(config.password_file().stat().st_mode) == 0o600


def test_a_new_password_for_the_same_server_replaces_the_old_line_and_keeps_others():
    config.write_local_settings({"database_url": URL})
    config.write_local_settings({"database_url": "postgresql://other:pw2@server/db"})
    config.write_local_settings({"database_url": config.postgres_url("192.0.2.5", 5433, "ssj", "clerk", "new-secret")})
    lines = config.password_file().read_text(encoding="utf-8").splitlines()
    assert lines == ["server:5432:db:other:pw2", "192.0.2.5:5433:ssj:clerk:new-secret"]


def test_a_plain_text_password_left_by_an_older_version_is_moved_out_on_reading():
    path = config.data_dir() / config.LOCAL_SETTINGS_FILE
    path.write_text(json.dumps({"database_url": URL}), encoding="utf-8")
    choice = config.resolve_database_url(None)
    assert make_url(choice.url).password is None and "p@ss" not in path.read_text(encoding="utf-8")
    assert "p@ss" in config.password_file().read_text(encoding="utf-8")


def test_sqlite_and_password_less_urls_are_kept_as_they_are():
    config.write_local_settings({"database_url": "sqlite:///saved.sqlite3"})
    assert config.read_local_settings()["database_url"] == "sqlite:///saved.sqlite3"
    assert not config.password_file().exists()


def test_the_settings_dialog_says_where_the_password_is():
    text = config.password_storage_text()
    assert str(config.password_file()) in text and "不写入设置文件" in text
