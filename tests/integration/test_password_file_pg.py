"""A saved server URL names its password file, and libpq connects with it (a real PostgreSQL server)."""

from sqlalchemy import text
from sqlalchemy.engine import make_url

from app import config
from app.db.session import Database


def test_the_saved_url_connects_through_the_password_file(pg_server):
    url = make_url(pg_server.url("postgres")).set(password="s3cret:with\\escapes")
    config.write_local_settings({"database_url": url.render_as_string(hide_password=False)})
    choice = config.resolve_database_url(None)
    assert choice.source == "本机设置" and make_url(choice.url).password is None
    db = Database(choice.url)
    try:
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT 1")).scalar() == 1
    finally:
        db.dispose()
