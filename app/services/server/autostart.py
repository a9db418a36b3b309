"""How this PC's own server starts: with the program, or with the computer (a Windows service through
``pg_ctl register``, a systemd unit on Linux), and the firewall rule the other PCs need.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from app import config
from app.services.errors import UserError
from app.services.server.cluster import ServerConfig, load_config, remembered_folder, start_server
from app.services.server.programs import run_program, service_account

MODE_KEY = "own_server_start"  # local.json
WITH_PROGRAM = "program"
WITH_COMPUTER = "computer"
MODES = {WITH_PROGRAM: "随本程序启动", WITH_COMPUTER: "随电脑开机启动"}
SERVICE_NAME = "ShuangSuiJiDB"
UNIT_NAME = "shuangsuiji-pgserver.service"


def start_mode() -> str | None:
    return config.read_local_settings().get(MODE_KEY)


def start_with_program_if_chosen() -> None:
    """Called as the program starts: bring the own server up when the admin chose 随本程序启动."""
    if start_mode() == WITH_PROGRAM and (remembered_folder() / "server.json").is_file():
        start_server()


def systemd_unit(cfg: ServerConfig, account: str | None = None) -> str:
    """The unit text. As a user unit it runs as the desktop user; as root it is a system unit that
    runs the server as the service account (initdb and postgres refuse root)."""
    postgres = Path(cfg.bindir) / "postgres"
    user_line = f"User={account}\nGroup={account}\n" if account else ""
    wanted = "multi-user.target" if account else "default.target"
    return (
        "[Unit]\n"
        "Description=双随机工作台局域网数据库服务器 (PostgreSQL)\n"
        "After=network-online.target\n"
        "Wants=network-online.target\n\n"
        "[Service]\n"
        "Type=simple\n"
        f"{user_line}"
        f'ExecStart="{postgres}" -D "{cfg.data}"\n'
        "ExecReload=/bin/kill -HUP $MAINPID\n"
        "KillMode=mixed\n"
        "KillSignal=SIGINT\n"
        "TimeoutSec=120\n"
        "Restart=on-failure\n\n"
        "[Install]\n"
        f"WantedBy={wanted}\n"
    )


def systemd_unit_dir(account: str | None) -> Path:
    if account:
        return Path("/etc/systemd/system")
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "systemd" / "user"


def windows_register_command(cfg: ServerConfig) -> list[str]:
    return [str(Path(cfg.bindir) / "pg_ctl.exe"), "register", "-N", SERVICE_NAME, "-D", str(cfg.data),
            "-S", "auto", "-w"]


def register_with_computer(folder: Path | None = None, unit_dir: Path | None = None, enable: bool = True) -> str:
    """Make the server start with the computer; returns what was done (Chinese, for the admin).

    ``enable=False`` only writes the unit (tests must not touch the machine's systemd)."""
    cfg = load_config(folder)
    if sys.platform == "win32":
        try:
            run_program(cfg.programs(), "pg_ctl", *windows_register_command(cfg)[1:], timeout=60)
        except RuntimeError as exc:
            raise UserError("没能注册 Windows 服务：需要以管理员身份运行本程序（右键 → 以管理员身份运行）。\n"
                            f"{exc}") from exc
        config.write_local_settings({MODE_KEY: WITH_COMPUTER})
        return f"已注册为 Windows 服务“{SERVICE_NAME}”，开机自动启动（可在“服务”中查看）。"
    account = service_account()
    directory = unit_dir or systemd_unit_dir(account)
    directory.mkdir(parents=True, exist_ok=True)
    unit = directory / UNIT_NAME
    unit.write_text(systemd_unit(cfg, account), encoding="utf-8")
    done = f"已写入 systemd 单元 {unit}。"
    if enable:
        scope = [] if account else ["--user"]
        for args in (["daemon-reload"], ["enable", UNIT_NAME]):
            result = subprocess.run(["systemctl", *scope, *args], capture_output=True, text=True)
            if result.returncode != 0:
                raise UserError(f"{done}但 systemctl {' '.join(args)} 失败：{result.stderr.strip()}")
        done += "已设为开机启动。"
        if not account:
            done += "（用户单元在该用户登录后启动；要在无人登录时也启动，请运行 loginctl enable-linger。）"
    config.write_local_settings({MODE_KEY: WITH_COMPUTER})
    return done


def choose_start_with_program() -> str:
    load_config()
    config.write_local_settings({MODE_KEY: WITH_PROGRAM})
    return "本程序每次启动时会先启动服务器。其他电脑使用时，本机须开着本程序。"


def firewall_note(cfg: ServerConfig) -> str:
    """The inbound rule the other PCs need (Windows Defender firewall blocks the port by default)."""
    if cfg.subnet is None:
        return (f"服务器只在本机（{cfg.listen}）上监听，其他电脑连不上，也无需防火墙规则。"
                "要供其他电脑使用，请用本机的局域网地址重新建立。")
    remote = cfg.subnet
    return (
        f"其他电脑要连接本机，需在防火墙中放行 TCP 端口 {cfg.port}（只对办公室网段 {remote}）。\n"
        "Windows：以管理员身份打开“命令提示符”，运行：\n"
        f'netsh advfirewall firewall add rule name="双随机工作台数据库" dir=in action=allow protocol=TCP '
        f"localport={cfg.port} remoteip={remote}\n"
        f"Linux（如启用了防火墙）：firewall-cmd --permanent --add-rich-rule='rule family=ipv4 source address={remote} "
        f"port port={cfg.port} protocol=tcp accept' && firewall-cmd --reload"
    )
