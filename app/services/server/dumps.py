"""The own server's backups: ``pg_dump`` with the server's own programs, and a checked restore.

A backup is one custom-format dump (``pg_dump -Fc``). The check restores it into a scratch
database on the same server and compares every table's row count with what the dump was
taken from; a restore first passes that check, then swaps the scratch database in and keeps
the old one under another name, so a bad file never replaces good data. The backup
scheduler (backup issue) calls ``backup_own_server`` and ``restore_own_server``.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from app.services.errors import UserError
from app.services.server.cluster import ServerConfig, load_config, superuser_conninfo
from app.services.server.programs import ServerPrograms, run_program

SUFFIX = ".pgdump"


@dataclass(frozen=True)
class DumpResult:
    path: Path
    counts: dict[str, int]
    seconds: float


def _libpq(url: str) -> tuple[list[str], dict[str, str]]:
    """pg_dump/pg_restore connection options and PGPASSWORD (kept out of the command line)."""
    parsed = make_url(url)
    args = ["-h", parsed.host or "127.0.0.1", "-p", str(parsed.port or 5432), "-U", parsed.username or "postgres",
            "-d", parsed.database or "postgres"]
    return args, ({"PGPASSWORD": parsed.password} if parsed.password else {})


def _psycopg(url: str) -> str:
    parsed = make_url(url)
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


def table_counts(url: str) -> dict[str, int]:
    """Rows per table of the public schema (what a restore must give back)."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(_psycopg(url)) as conn:
        tables = [row[0] for row in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")]
        return {name: conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(name))).fetchone()[0]
                for name in tables}


def dump_database(programs: ServerPrograms, url: str, out: Path) -> DumpResult:
    """pg_dump the database at ``url`` into ``out``; a JSON file of its row counts goes beside it."""
    started = time.perf_counter()
    counts = table_counts(url)
    args, env = _libpq(url)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".part")
    try:
        run_program(programs, "pg_dump", "-Fc", "--no-owner", "--no-privileges", "-f", partial, *args, env=env,
                    timeout=3600)
    except RuntimeError as exc:
        partial.unlink(missing_ok=True)
        raise UserError(f"备份没有完成：{exc}") from exc
    partial.replace(out)
    out.with_name(out.name + ".json").write_text(json.dumps({"counts": counts}, ensure_ascii=False, indent=1),
                                                 encoding="utf-8")
    return DumpResult(out, counts, time.perf_counter() - started)


def restore_database(programs: ServerPrograms, dump: Path, url: str) -> dict[str, int]:
    """pg_restore ``dump`` into the (empty) database at ``url``; returns its row counts afterwards."""
    args, env = _libpq(url)
    try:
        run_program(programs, "pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", *args, dump, env=env,
                    timeout=3600)
    except RuntimeError as exc:
        raise UserError(f"备份文件 {dump.name} 无法恢复：{exc}") from exc
    return table_counts(url)


def expected_counts(dump: Path) -> dict[str, int] | None:
    side = dump.with_name(dump.name + ".json")
    try:
        return json.loads(side.read_text(encoding="utf-8"))["counts"]
    except (OSError, ValueError, KeyError):
        return None


def _admin(cfg: ServerConfig):
    import psycopg

    return psycopg.connect(superuser_conninfo(cfg), autocommit=True)


def backup_own_server(out_dir: Path, folder: Path | None = None) -> DumpResult:
    """One backup of this PC's own server into ``out_dir`` (named by the time it was taken)."""
    cfg = load_config(folder)
    name = f"shuangsuiji-{datetime.now():%Y%m%d-%H%M%S}{SUFFIX}"
    return dump_database(cfg.programs(), cfg.local_url(), Path(out_dir) / name)


def _scratch_url(cfg: ServerConfig, name: str) -> str:
    return make_url(cfg.local_url()).set(database=name).render_as_string(hide_password=False)


def check_dump(dump: Path, folder: Path | None = None, keep_as: str | None = None) -> dict[str, int]:
    """Restore ``dump`` into a scratch database and compare row counts with those recorded at backup.

    The scratch database is dropped afterwards, or kept under ``keep_as`` for a restore."""
    from psycopg import sql

    cfg = load_config(folder)
    scratch = keep_as or f"{cfg.database}_check_{datetime.now():%Y%m%d%H%M%S}"
    with _admin(cfg) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {} OWNER {} TEMPLATE template0").format(
            sql.Identifier(scratch), sql.Identifier(cfg.role)))
    try:
        counts = restore_database(cfg.programs(), Path(dump), _scratch_url(cfg, scratch))
        wanted = expected_counts(Path(dump))
        if wanted is not None and wanted != counts:
            differ = [t for t in sorted(set(wanted) | set(counts)) if wanted.get(t) != counts.get(t)]
            raise UserError(f"备份文件 {Path(dump).name} 恢复后的行数与备份时不符（{'、'.join(differ[:5])}）。")
    except BaseException:
        keep_as = None
        raise
    finally:
        if keep_as is None:
            with _admin(cfg) as conn:
                conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(scratch)))
    return counts


def restore_own_server(dump: Path, folder: Path | None = None) -> str:
    """Checked restore: the dump becomes the database; the old one is kept as ``<name>_before_<time>``.

    Returns the kept database's name. Every PC must reconnect afterwards (their sessions are ended)."""
    from psycopg import sql

    cfg = load_config(folder)
    stamp = f"{datetime.now():%Y%m%d%H%M%S}"
    incoming, kept = f"{cfg.database}_restore_{stamp}", f"{cfg.database}_before_{stamp}"
    check_dump(dump, folder, keep_as=incoming)
    with _admin(cfg) as conn:
        conn.execute(sql.SQL("ALTER DATABASE {} WITH ALLOW_CONNECTIONS false").format(sql.Identifier(cfg.database)))
        conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> "
                     "pg_backend_pid()", (cfg.database,))
        conn.execute(sql.SQL("ALTER DATABASE {} RENAME TO {}").format(sql.Identifier(cfg.database),
                                                                     sql.Identifier(kept)))
        conn.execute(sql.SQL("ALTER DATABASE {} RENAME TO {}").format(sql.Identifier(incoming),
                                                                     sql.Identifier(cfg.database)))
        conn.execute(sql.SQL("ALTER DATABASE {} WITH ALLOW_CONNECTIONS true").format(sql.Identifier(kept)))
    return kept


def own_server_for(url: str) -> ServerConfig | None:
    """This PC's own server when ``url`` points at it (so the program backs it up), else None: a
    server someone else runs stays theirs to back up."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return None
    try:
        cfg = load_config()
    except UserError:
        return None
    hosts = {"127.0.0.1", "localhost", "::1", cfg.listen}
    if (parsed.host or "localhost") in hosts and (parsed.port or 5432) == cfg.port and parsed.database == cfg.database:
        return cfg
    return None
