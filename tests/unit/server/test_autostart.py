"""Starting with the computer: the systemd unit and the Windows service command (not enabled here)."""

from __future__ import annotations

from app.services.server.autostart import (
    SERVICE_NAME,
    UNIT_NAME,
    firewall_note,
    register_with_computer,
    systemd_unit,
    windows_register_command,
)
from app.services.server.cluster import STATE_FILE, ServerConfig, _write_config
from app.services.server.programs import service_account


def _config(folder) -> ServerConfig:
    return ServerConfig(folder=str(folder), listen="192.168.1.10", port=5433, subnet="192.168.1.0/24",
                        database="shuangsuiji", role="shuangsuiji", password="x" * 20, superuser_password="y" * 20,
                        bindir="/opt/程序 目录/bin", source="component", version="PostgreSQL 18.6")


def test_the_systemd_unit_runs_the_servers_own_postgres_on_its_data_folder(tmp_path):
    cfg = _config(tmp_path / "服务器")
    user_unit = systemd_unit(cfg)
    assert f'ExecStart="/opt/程序 目录/bin/postgres" -D "{cfg.data}"' in user_unit
    assert "User=" not in user_unit and "WantedBy=default.target" in user_unit
    root_unit = systemd_unit(cfg, "postgres")
    assert "User=postgres" in root_unit and "WantedBy=multi-user.target" in root_unit


def test_registering_on_linux_writes_the_unit_without_enabling_it(tmp_path):
    folder = tmp_path / "服务器"
    folder.mkdir()
    _write_config(_config(folder))
    assert (folder / STATE_FILE).is_file()
    done = register_with_computer(folder, unit_dir=tmp_path / "units", enable=False)
    written = (tmp_path / "units" / UNIT_NAME).read_text(encoding="utf-8")
    assert written == systemd_unit(_config(folder), service_account())  # as root: runs as the service account
    assert "已写入 systemd 单元" in done and "开机启动" not in done


def test_the_windows_service_is_registered_by_pg_ctl_to_start_automatically(tmp_path):
    command = windows_register_command(_config(tmp_path))
    assert command[0].endswith("pg_ctl.exe")
    assert command[1:] == ["register", "-N", SERVICE_NAME, "-D", str(tmp_path / "data"), "-S", "auto", "-w"]


def test_the_firewall_note_opens_the_port_to_the_office_subnet_only(tmp_path):
    note = firewall_note(_config(tmp_path))
    assert "localport=5433 remoteip=192.168.1.0/24" in note and "netsh advfirewall" in note


def test_only_the_own_server_is_the_programs_to_back_up(tmp_path, monkeypatch):
    from app import config
    from app.services.server import cluster
    from app.services.server.dumps import own_server_for

    folder = tmp_path / "服务器"
    folder.mkdir()
    _write_config(_config(folder))
    config.write_local_settings({cluster.SETTINGS_KEY: str(folder)})
    assert own_server_for("postgresql+psycopg://shuangsuiji:x@127.0.0.1:5433/shuangsuiji") is not None
    assert own_server_for("postgresql+psycopg://shuangsuiji:x@192.168.1.10:5433/shuangsuiji") is not None
    assert own_server_for("postgresql+psycopg://shuangsuiji:x@192.168.1.99:5433/shuangsuiji") is None
    assert own_server_for("postgresql+psycopg://shuangsuiji:x@127.0.0.1:5432/shuangsuiji") is None
    assert own_server_for(f"sqlite:///{tmp_path / 'a.sqlite3'}") is None
