"""本机作为局域网服务器: make, start, stop and inspect this PC's own PostgreSQL server.

A server folder holds ``data/`` (the cluster), ``server.json`` (address, port, role, the
generated passwords, where the programs were; readable by its owner only) and the server's log
``data/log/``. The cluster listens on loopback and the chosen LAN address, admits the office
subnet for the program's role only (pg_hba.conf), has no Unix socket (nothing to create in
/var/run, the same on Windows and Linux) and logs through its own collector, so it behaves the
same whether started here, by systemd or as a Windows service.
"""

from __future__ import annotations

import json
import os
import socket
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from app import config
from app.domain.lan_server import (
    DEFAULT_DATABASE,
    DEFAULT_PORT,
    DEFAULT_ROLE,
    ConnectionDetails,
    DetailsError,
    generate_password,
    hba_lines,
    listen_address,
    office_subnet,
)
from app.services.errors import UserError
from app.services.progress import NO_PROGRESS, Progress
from app.services.server.programs import (
    ServerPrograms,
    find_programs,
    hand_over,
    make_runnable,
    run_program,
    service_account,
)

STATE_FILE = "server.json"
SETTINGS_KEY = "own_server"  # local.json: the folder of this PC's own server
SUPERUSER = "postgres"


@dataclass(frozen=True)
class ServerConfig:
    folder: str
    listen: str
    port: int
    subnet: str | None
    database: str
    role: str
    password: str
    superuser_password: str
    bindir: str
    source: str
    version: str

    @property
    def data(self) -> Path:
        return Path(self.folder) / "data"

    def details(self) -> ConnectionDetails:
        """What the other PCs type in."""
        return ConnectionDetails(self.listen, self.port, self.database, self.role, self.password)

    def local_url(self) -> str:
        """This PC's own way in (loopback)."""
        return config.postgres_url("127.0.0.1", self.port, self.database, self.role, self.password)

    def programs(self) -> ServerPrograms:
        recorded = ServerPrograms(Path(self.bindir), self.source)
        return recorded if recorded.path("pg_ctl").is_file() else find_programs()


@dataclass(frozen=True)
class ServerStatus:
    folder: Path
    running: bool
    accepting: bool
    pid: int | None
    config: ServerConfig

    def describe(self) -> str:
        state = "运行中，可以连接" if self.accepting else ("已启动，尚未就绪" if self.running else "未运行")
        also = "" if self.config.listen == "127.0.0.1" else "（另有本机 127.0.0.1）"
        return (f"服务器：{state}\n数据文件夹：{self.folder}\n监听：{self.config.listen}:{self.config.port}{also}\n"
                f"允许的网段：{self.config.subnet or '仅本机'}\n"
                f"程序：{self.config.version}（{self.config.bindir}）")


def default_folder() -> Path:
    return config.data_dir() / "pgserver"


def remembered_folder() -> Path:
    saved = config.read_local_settings().get(SETTINGS_KEY)
    return Path(saved) if saved else default_folder()


def load_config(folder: Path | None = None) -> ServerConfig:
    folder = Path(folder) if folder else remembered_folder()
    path = folder / STATE_FILE
    if not path.is_file():
        raise UserError(f"{folder} 中没有本程序建立的服务器。请先在“系统设置 → 本机作为局域网服务器”"
                        "中建立（命令行：server init）。")
    return ServerConfig(**json.loads(path.read_text(encoding="utf-8")))


def _write_config(cfg: ServerConfig) -> None:
    path = Path(cfg.folder) / STATE_FILE
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(cfg), ensure_ascii=False, indent=2), encoding="utf-8")
    if os.name != "nt":
        tmp.chmod(0o600)
    tmp.replace(path)


def _check_bindable(address: str, port: int) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((address, port))
        except OSError as exc:
            if port and exc.errno in (98, 10048):  # EADDRINUSE / WSAEADDRINUSE
                raise UserError(f"端口 {port} 已被占用（也许本机已有数据库服务器）。"
                                f"请换一个端口，如 {port + 1}。") from exc
            raise UserError(f"本机没有地址 {address}：请从本机的局域网地址中选择。") from exc


def _conf_lines(cfg: ServerConfig) -> list[str]:
    listen = "127.0.0.1" if cfg.listen == "127.0.0.1" else f"127.0.0.1,{cfg.listen}"
    return [
        "",
        "# 双随机工作台（本机作为局域网服务器）",
        f"listen_addresses = '{listen}'",
        f"port = {cfg.port}",
        "unix_socket_directories = ''",
        "max_connections = 100",
        "password_encryption = 'scram-sha-256'",
        "logging_collector = on",
        "log_directory = 'log'",
        "log_filename = 'postgresql-%a.log'",
        "log_truncate_on_rotation = on",
        "log_rotation_age = 1d",
        "timezone = 'Asia/Shanghai'",
    ]


def init_server(listen: str, folder: Path | None = None, port: int = DEFAULT_PORT, subnet: str | None = None,
                progress: Progress = NO_PROGRESS, programs: ServerPrograms | None = None) -> ServerConfig:
    """Make the cluster, start it, create the program's role and database with the newest schema."""
    import ipaddress

    try:
        address = listen_address(listen)
        network = ipaddress.IPv4Network(subnet, strict=False) if subnet else office_subnet(address)
    except DetailsError as exc:
        raise UserError(str(exc)) from exc
    except ValueError as exc:
        raise UserError(f"网段“{subnet}”无法识别（应形如 192.168.1.0/24）。") from exc
    if network is not None and address not in network:
        raise UserError(f"服务器地址 {address} 不在网段 {network} 中。")
    folder = Path(folder) if folder else default_folder()
    if (folder / STATE_FILE).exists() or (folder / "data" / "PG_VERSION").exists():
        raise UserError(f"{folder} 中已经有一个服务器。要重新建立，请换一个空文件夹。")
    if folder.exists() and any(folder.iterdir()):
        raise UserError(f"文件夹 {folder} 不是空的：请选一个空文件夹或新文件夹。")
    _check_bindable(str(address), port)
    programs = programs or find_programs()
    existed = folder.exists()
    try:
        cfg = _make(address, network, folder, port, programs, progress)
    except BaseException:  # cancelled or failed: leave no half-made server behind
        _discard(folder, existed)
        raise
    config.write_local_settings({SETTINGS_KEY: cfg.folder})
    return cfg


def _make(address, network, folder: Path, port: int, programs: ServerPrograms, progress: Progress) -> ServerConfig:
    progress.step(1, 6, "正在建立数据库文件…")
    folder.mkdir(parents=True, exist_ok=True)
    account = service_account()
    make_runnable(programs, account)
    cfg = ServerConfig(
        folder=str(folder.resolve()), listen=str(address), port=port, subnet=str(network) if network else None,
        database=DEFAULT_DATABASE, role=DEFAULT_ROLE, password=generate_password(),
        superuser_password=generate_password(), bindir=str(programs.bindir), source=programs.source,
        version=programs.version(),
    )
    hand_over(folder, account)
    with tempfile.TemporaryDirectory(prefix="ssj-pw-") as temp:
        pwfile = Path(temp) / "pw"
        pwfile.write_text(cfg.superuser_password + "\n", encoding="utf-8")
        hand_over(Path(temp), account)
        hand_over(pwfile, account)
        run_program(programs, "initdb", "-D", cfg.data, "-U", SUPERUSER, "-A", "scram-sha-256",
                    f"--pwfile={pwfile}", "-E", "UTF8", "--locale=C", account=account, timeout=300)
    with (cfg.data / "postgresql.conf").open("a", encoding="utf-8") as conf:
        conf.write("\n".join(_conf_lines(cfg)) + "\n")
    (cfg.data / "pg_hba.conf").write_text("\n".join(hba_lines(network, cfg.database, cfg.role)) + "\n",
                                          encoding="utf-8")
    _write_config(cfg)
    progress.step(2, 6, "正在启动服务器…")
    start_server(folder)
    progress.step(3, 6, "正在建立数据库和用户…")
    _create_role_and_database(cfg)
    progress.step(4, 6, "正在建立数据表…")
    from app.db.migrate import upgrade
    from app.db.session import Database

    database = Database(cfg.local_url())
    try:
        upgrade(database.engine)
    finally:
        database.dispose()
    return cfg


def _discard(folder: Path, existed: bool) -> None:
    import shutil

    data = folder / "data"
    if (data / "postmaster.pid").exists() and (folder / STATE_FILE).exists():
        try:
            _pg_ctl(load_config(folder), "stop", "-m", "immediate", "-w", timeout=60)
        except (RuntimeError, UserError):
            pass
    if existed:
        for child in folder.iterdir():
            shutil.rmtree(child, ignore_errors=True) if child.is_dir() else child.unlink(missing_ok=True)
    else:
        shutil.rmtree(folder, ignore_errors=True)


def superuser_conninfo(cfg: ServerConfig, database: str = "postgres") -> str:
    from psycopg.conninfo import make_conninfo

    return make_conninfo(host="127.0.0.1", port=cfg.port, user=SUPERUSER, password=cfg.superuser_password,
                         dbname=database, connect_timeout=10)


def _create_role_and_database(cfg: ServerConfig) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(superuser_conninfo(cfg), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
            sql.Identifier(cfg.role), sql.Literal(cfg.password)))
        conn.execute(sql.SQL("CREATE DATABASE {} OWNER {} ENCODING 'UTF8' TEMPLATE template0").format(
            sql.Identifier(cfg.database), sql.Identifier(cfg.role)))


def _pg_ctl(cfg: ServerConfig, *args: object, timeout: float = 120) -> None:
    programs = cfg.programs()
    account = service_account()
    make_runnable(programs, account)
    run_program(programs, "pg_ctl", "-D", cfg.data, *args, account=account, timeout=timeout)


def _postmaster_pid(cfg: ServerConfig) -> int | None:
    try:
        first = (cfg.data / "postmaster.pid").read_text(encoding="utf-8").splitlines()[0]
        return int(first)
    except (OSError, ValueError, IndexError):
        return None


def _accepting(cfg: ServerConfig) -> bool:
    import psycopg

    try:
        psycopg.connect(superuser_conninfo(cfg), connect_timeout=3).close()
        return True
    except psycopg.OperationalError:
        return False


def server_status(folder: Path | None = None) -> ServerStatus:
    cfg = load_config(folder)
    try:
        _pg_ctl(cfg, "status", timeout=30)
        running = True
    except RuntimeError:
        running = False
    accepting = running and _accepting(cfg)
    return ServerStatus(Path(cfg.folder), running, accepting, _postmaster_pid(cfg) if running else None, cfg)


def start_server(folder: Path | None = None, wait_seconds: float = 60) -> ServerStatus:
    cfg = load_config(folder)
    status = server_status(folder)
    if status.accepting:
        return status
    if not status.running:
        startup_log = Path(cfg.folder) / "startup.log"
        try:
            _pg_ctl(cfg, "start", "-w", "-t", int(wait_seconds), "-l", startup_log, timeout=wait_seconds + 30)
        except RuntimeError as exc:
            tail = startup_log.read_text(encoding="utf-8", errors="replace")[-1500:] if startup_log.exists() else ""
            raise UserError(f"服务器没能启动。\n{tail or exc}") from exc
    deadline = time.monotonic() + wait_seconds
    while not _accepting(cfg):
        if time.monotonic() > deadline:
            raise UserError(f"服务器已启动，但 {wait_seconds:.0f} 秒内不接受连接。请查看 {cfg.data / 'log'} 中的日志。")
        time.sleep(0.2)
    return server_status(folder)


def stop_server(folder: Path | None = None) -> ServerStatus:
    cfg = load_config(folder)
    if server_status(folder).running:
        try:
            _pg_ctl(cfg, "stop", "-m", "fast", "-w", "-t", "60", timeout=90)
        except RuntimeError as exc:
            raise UserError(f"服务器没能停止：{exc}") from exc
    return server_status(folder)
