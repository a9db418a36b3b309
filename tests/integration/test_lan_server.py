"""本机作为局域网服务器, end to end with the command line, as an office would do it.

PC 1 makes a server with ``server init`` on 127.0.0.1; PC 2 (another process with its own data
folder) connects with the details PC 1 printed and loads the county; both PCs draw the same task
(exactly one draw happens); the database is backed up with pg_dump from the server's own
programs and restored into a fresh server with the same row counts.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from app.config import postgres_url
from app.domain.lan_server import parse_details
from app.services.server import cluster, dumps
from tests.actors import CLERK

pytestmark = pytest.mark.usefixtures("cli_as_demo_clerk")


ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _pc(data_dir: Path):
    """A 'PC': the program run as its own process, with its own data folder."""
    data_dir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "SHUANGSUIJI_DATA_DIR": str(data_dir), "PYTHONIOENCODING": "utf-8"}
    env.pop("SHUANGSUIJI_DB", None)

    def start(*args: str) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-m", "app", *args], cwd=ROOT, env=env, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def run(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
        process = start(*args)
        out, err = process.communicate(timeout=timeout)
        return subprocess.CompletedProcess(process.args, process.returncode, out, err)

    run.start = start
    return run


@pytest.fixture
def place():
    """A folder for server folders, stopped and removed at the end whatever happened.

    Not pytest's tmp_path: run as root, the server runs as another account that must reach its
    folder, and any concurrent pytest run resets /tmp/pytest-of-root to 0700."""
    base = Path(tempfile.mkdtemp(prefix="ssj-lan-"))
    yield base
    for state in base.glob(f"*/{cluster.STATE_FILE}"):
        try:
            cluster.stop_server(state.parent)
        except Exception:  # noqa: BLE001 - cleaning up after a failed test must not hide its error
            pass
    shutil.rmtree(base, ignore_errors=True)


def test_server_made_on_one_pc_serves_another_one_draw_per_task_and_restores_from_pg_dump(tmp_path, place):
    pc1, pc2 = _pc(tmp_path / "pc1"), _pc(tmp_path / "pc2")
    folder = place / "服务器"

    started = time.perf_counter()
    made = pc1("server", "init", "--listen", "127.0.0.1", "--data", str(folder), "--port", str(_free_port()))
    setup_seconds = time.perf_counter() - started
    assert made.returncode == 0, made.stderr
    print(f"\nserver init: {setup_seconds:.1f} s")
    assert "无需防火墙规则" in made.stdout  # on 127.0.0.1; the rule for a LAN address: tests/unit/server

    shown = pc1("server", "connection-info", "--data", str(folder), "--qr", str(tmp_path / "qr.png"))
    assert shown.returncode == 0, shown.stderr
    assert (tmp_path / "qr.png").read_bytes().startswith(b"\x89PNG")
    if shutil.which("zbarimg"):  # what a scanner reads is the printed address
        scanned = subprocess.run(["zbarimg", "-q", "--raw", str(tmp_path / "qr.png")], capture_output=True,
                                 text=True)
        assert scanned.stdout.strip() == shown.stdout.splitlines()[-2].split("：", 1)[1]
    details = parse_details(made.stdout.split("其他电脑在“连接到局域网服务器”中填写：", 1)[1].split("\n\n")[0])
    assert parse_details(shown.stdout.splitlines()[-2].split("：", 1)[1]) == details
    url = postgres_url(details.host, details.port, details.database, details.user, details.password)

    loaded = pc2("--db", url, "demo", "create", "--subjects", "300")
    assert loaded.returncode == 0, loaded.stderr
    listed = pc2("--db", url, "tasks", "list", "--json")
    task = json.loads(listed.stdout)["tasks"][0]["id"]

    witnesses = ["--witness", "0123456789", "--witness", "00987654321"]
    draws = [pc.start("--db", url, "draw", "run", "--task", str(task), *witnesses,
                      "--out", str(tmp_path / f"验证包{n}"), "--json") for n, pc in enumerate((pc1, pc2))]
    outputs = [d.communicate(timeout=300) for d in draws]
    results = [(d.returncode, *output) for d, output in zip(draws, outputs)]
    drawn = [out for code, out, _ in results if code == 0]
    refused = [err for code, _, err in results if code == 2]
    assert len(drawn) == 1 and len(refused) == 1, results
    assert "正由" in refused[0] or "已经抽取" in refused[0]
    assert json.loads(drawn[0])["task"] == task

    status = pc1("server", "status", "--data", str(folder))
    assert status.returncode == 0 and "运行中" in status.stdout

    cfg = cluster.load_config(folder)
    backup = dumps.backup_own_server(tmp_path / "备份", folder)
    assert backup.counts["draws"] == 1 and backup.counts["subjects"] == 300

    fresh = place / "新服务器"
    other = cluster.init_server("127.0.0.1", fresh, port=_free_port(), programs=cfg.programs())
    with dumps._admin(other) as conn:
        conn.execute(f'CREATE DATABASE restored OWNER "{other.role}" TEMPLATE template0')
    restored_url = postgres_url("127.0.0.1", other.port, "restored", other.role, other.password)
    assert dumps.restore_database(cfg.programs(), backup.path, restored_url) == backup.counts

    stopped = pc1("server", "stop", "--data", str(folder))
    assert stopped.returncode == 0 and "未运行" in stopped.stdout
    gone = pc2("--db", url, "tasks", "list")
    assert gone.returncode == 2 and "无法打开" in gone.stderr


def test_checked_restore_swaps_the_dump_in_and_keeps_the_old_database(tmp_path, place):
    folder = place / "服务器"
    cfg = cluster.init_server("127.0.0.1", folder, port=_free_port())
    from app.db.session import Database
    from app.services.demo import county as demo
    db = Database(cfg.local_url())
    demo.create_demo(db, CLERK, subjects=120)
    before = dumps.backup_own_server(tmp_path / "备份", folder)
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log ORDER BY id DESC LIMIT 1)")
    db.dispose()
    assert dumps.table_counts(cfg.local_url()) != before.counts

    kept = dumps.restore_own_server(before.path, folder)
    assert dumps.table_counts(cfg.local_url()) == before.counts
    kept_url = cfg.local_url().rsplit("/", 1)[0] + f"/{kept}"
    assert dumps.table_counts(kept_url)["audit_log"] == before.counts["audit_log"] - 1


def test_a_damaged_backup_is_refused_and_the_database_stays(tmp_path, place):
    folder = place / "服务器"
    cfg = cluster.init_server("127.0.0.1", folder, port=_free_port())
    good = dumps.backup_own_server(tmp_path / "备份", folder)
    damaged = good.path.with_name("damaged" + dumps.SUFFIX)
    damaged.write_bytes(good.path.read_bytes()[: len(good.path.read_bytes()) // 2])
    from app.services.errors import UserError

    with pytest.raises(UserError, match="无法恢复"):
        dumps.restore_own_server(damaged, folder)
    assert dumps.table_counts(cfg.local_url()) == good.counts


def test_cancelling_the_setup_leaves_no_server_and_no_folder(place):
    from app.services.errors import Cancelled
    from app.services.progress import Progress

    progress = Progress(lambda done, total, label: progress.cancel() if done == 3 else None)
    with pytest.raises(Cancelled):
        cluster.init_server("127.0.0.1", place / "服务器", port=_free_port(), progress=progress)
    assert not (place / "服务器").exists()


def test_a_server_chosen_to_start_with_the_program_is_started_by_it(place):
    from app.services.server import autostart

    folder = place / "服务器"
    cluster.init_server("127.0.0.1", folder, port=_free_port())
    assert "本程序每次启动时" in autostart.choose_start_with_program()
    assert not cluster.stop_server(folder).running
    autostart.start_with_program_if_chosen()  # what the program does as it starts
    assert cluster.server_status(folder).accepting
