"""Build the one-folder bundle with PyInstaller and prove it works.

    python installer/build_bundle.py            # build dist/shuangsuiji/, then self-test it
    python installer/build_bundle.py --check    # only self-test an existing dist/shuangsuiji/
    python installer/build_bundle.py --clean    # throw away PyInstaller's cache first
    python installer/build_bundle.py --installer  # also compile the Windows installer (needs Inno Setup's iscc)
    python installer/build_bundle.py --check --db postgresql+psycopg://user@host/db  # self-test on PostgreSQL too
    python installer/build_bundle.py --server-component  # also the optional 局域网服务器组件, tested

Steps: PyInstaller runs build.spec into dist/ (work files in build/); then the bundle's
console executable runs ``--version`` and ``self-test`` with QT_QPA_PLATFORM=offscreen
and SHUANGSUIJI_DATA_DIR pointing at a fresh temporary folder, so nothing touches the
user's real data. A missing hidden import or data file makes the self-test, and so this
script, fail (exit status 1).

Then the windowed executable is started twice (offscreen, on an empty data folder, then again)
and the time to the first paint of its main window is taken from Qt's own logging; the
program is then closed. A bundle whose GUI cannot start fails here.

Printed at the end (and written as JSON with --json FILE): bundle size in MB, build time,
``--version`` time (a bare start of the frozen interpreter), self-test wall time and the
start-up time to a visible main window.

Only the standard library is used here, so any Python can run it; PyInstaller is run
with the same interpreter (``sys.executable -m PyInstaller``), i.e. the project's venv.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "build.spec"
DIST = ROOT / "dist"
WORK = ROOT / "build"
BUNDLE_NAME = "shuangsuiji"
IS_WINDOWS = sys.platform == "win32"
EXE_SUFFIX = ".exe" if IS_WINDOWS else ""
ISS = ROOT / "installer" / "windows-installer.iss"


def app_version() -> str:
    text = (ROOT / "app" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__\s*=\s*["\']([^"\']+)["\']', text, re.M)
    if not match:
        raise SystemExit("app/__init__.py has no __version__")
    return match.group(1)


def bundle_dir() -> Path:
    return DIST / BUNDLE_NAME


def console_exe() -> Path:
    return bundle_dir() / f"{BUNDLE_NAME}-debug{EXE_SUFFIX}"


def windowed_exe() -> Path:
    return bundle_dir() / f"{BUNDLE_NAME}{EXE_SUFFIX}"


def folder_size(path: Path) -> int:
    total = 0
    for item in path.rglob("*"):
        if item.is_file() and not item.is_symlink():
            total += item.stat().st_size
    return total


def log(message: str) -> None:
    print(f"[build_bundle] {message}", flush=True)


def build(clean: bool) -> float:
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
               "--distpath", str(DIST), "--workpath", str(WORK)]
    if clean:
        command.append("--clean")
    command.append(str(SPEC))
    log("running: " + " ".join(command))
    started = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"PyInstaller failed (exit {result.returncode})")
    for exe in (windowed_exe(), console_exe()):
        if not exe.is_file():
            raise SystemExit(f"PyInstaller did not produce {exe}")
    return seconds


def bundle_env(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["SHUANGSUIJI_DATA_DIR"] = str(data_dir)
    env["PYTHONIOENCODING"] = "utf-8"
    # The bundle must not lean on the developer's environment.
    for name in ("PYTHONPATH", "PYTHONHOME", "SHUANGSUIJI_DB", "VIRTUAL_ENV"):
        env.pop(name, None)
    return env


def run_timed(args: list[str], env: dict[str, str], timeout: float) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    result = subprocess.run(args, env=env, capture_output=True, timeout=timeout, cwd=tempfile.gettempdir())
    return time.perf_counter() - started, result


def show(result: subprocess.CompletedProcess) -> None:
    for stream in (result.stdout, result.stderr):
        text = stream.decode("utf-8", "replace").strip()
        if text:
            print(text, flush=True)


# Files the program opens by path at run time: if one is missing the bundle is broken even where the
# self-test happens not to reach it. Globs relative to the bundle's internal folder (sys._MEIPASS).
EXPECTED_FILES = [
    "app/db/migrations/env.py",
    "app/db/migrations/script.py.mako",
    "app/db/migrations/versions/*.py",
    "resources/*",
    "docx/templates/default.docx",
    "psycopg_binary/pq*",
    "PySide6/Qt/plugins/platforms/*offscreen*",
    "PySide6/Qt/translations/qtbase_zh_CN.qm",  # loaded by app/ui/app.py: Qt's own dialogs in Chinese
]


def internal_dir() -> Path:
    """sys._MEIPASS of the bundle: _internal/ since PyInstaller 6, the folder itself before."""
    candidate = bundle_dir() / "_internal"
    return candidate if candidate.is_dir() else bundle_dir()


def check_files() -> None:
    base = internal_dir()
    missing = [pattern for pattern in EXPECTED_FILES if not any(base.glob(pattern))]
    if missing:
        raise SystemExit("the bundle lacks: " + ", ".join(missing))
    sources = {p.name for p in (ROOT / "app" / "db" / "migrations" / "versions").glob("*.py")}
    bundled = {p.name for p in (base / "app" / "db" / "migrations" / "versions").glob("*.py")}
    if sources - bundled:
        raise SystemExit("the bundle lacks migrations: " + ", ".join(sorted(sources - bundled)))
    log(f"bundle holds the expected data files ({len(bundled)} migration file(s))")


LARGE_DIRECTORY_ROWS = 50_000  # about 2.8 MB: above tabular/subject_rows.py LARGE_FILE_BYTES


def write_large_directory(path: Path) -> Path:
    """An xlsx of LARGE_DIRECTORY_ROWS subjects with valid credit codes (over 2 MB)."""
    from openpyxl import Workbook

    sys.path.insert(0, str(ROOT))
    from app.domain.credit_code import compute_check_char

    book = Workbook(write_only=True)
    sheet = book.create_sheet("名录")
    sheet.append(["统一社会信用代码", "企业名称", "法定代表人", "联系电话", "住所", "所属乡镇", "行业", "登记机关",
                  "成立日期"])
    for i in range(LARGE_DIRECTORY_ROWS):
        body = f"91419901{i:09d}"
        sheet.append([body + compute_check_char(body), f"自检第{i}号商贸有限公司", f"张{i % 1000}", f"138{i:08d}",
                      f"自检县人民路{i}号（第{i % 97}栋）", "城关镇", "批发和零售业", "自检县市场监督管理局",
                      f"20{i % 25:02d}-0{i % 9 + 1}-1{i % 9}"])
    book.save(path)
    return path


def check_bundle(db_url: str | None = None) -> dict[str, float]:
    exe = console_exe()
    if not exe.is_file():
        raise SystemExit(f"no bundle at {bundle_dir()}: build it first")
    check_files()
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="shuangsuiji-selftest-") as temp:
        env = bundle_env(Path(temp))

        seconds, result = run_timed([str(exe), "--version"], env, timeout=120)
        show(result)
        if result.returncode != 0:
            raise SystemExit(f"`{exe.name} --version` failed (exit {result.returncode})")
        figures["version_seconds"] = seconds

        # First self-test on an empty data folder: creates the database and runs every migration.
        seconds, result = run_timed([str(exe), "self-test"], env, timeout=300)
        show(result)
        if result.returncode != 0:
            raise SystemExit(f"the bundle's self-test FAILED (exit {result.returncode})")
        figures["self_test_seconds"] = seconds

        # Second run on the now-existing database: the cost of an ordinary start.
        seconds, result = run_timed([str(exe), "self-test"], env, timeout=300)
        show(result)
        if result.returncode != 0:
            raise SystemExit(f"the bundle's second self-test FAILED (exit {result.returncode})")
        figures["self_test_again_seconds"] = seconds

        # A directory file large enough to be read in a second process: proves the frozen
        # executable starts that process (multiprocessing.freeze_support) and stores every row.
        directory = write_large_directory(Path(temp) / "名录.xlsx")
        # Imports act as an account: a database of its own, whose `demo create` makes the demo
        # accounts without a login; the import then acts as their 经办人.
        import_db = ["--db", f"sqlite:///{(Path(temp) / 'import.sqlite3').as_posix()}"]
        result = subprocess.run([str(exe), *import_db, "demo", "create", "--subjects", "1"], env=env,
                                capture_output=True, timeout=300, cwd=tempfile.gettempdir())
        show(result)
        if result.returncode != 0:
            raise SystemExit(f"the bundle's demo county FAILED (exit {result.returncode})")
        clerk = {**env, "SHUANGSUIJI_USER": "clerk", "SHUANGSUIJI_PASSWORD": "demo1234"}
        seconds, result = run_timed([str(exe), *import_db, "subjects", "import", str(directory), "--json"], clerk,
                                    timeout=300)
        show(result)
        imported = json.loads(result.stdout or "{}").get("imported") if result.returncode == 0 else None
        if imported != LARGE_DIRECTORY_ROWS:
            raise SystemExit(f"the bundle's large import FAILED (exit {result.returncode}, imported {imported})")
        figures["large_import_seconds"] = seconds

        if db_url:  # e.g. a PostgreSQL server: proves the bundled driver and libpq work
            seconds, result = run_timed([str(exe), "--db", db_url, "self-test"], env, timeout=300)
            show(result)
            if result.returncode != 0:
                raise SystemExit(f"the bundle's self-test on --db FAILED (exit {result.returncode})")
            figures["self_test_db_seconds"] = seconds
    return figures


# Start-up to a visible main window, measured from outside with Qt's own logging: with the
# qt.widgets.painting category on, Qt logs "Drawing ... of MainWindow(...)" when it first paints
# the window (on the offscreen platform too); %{time boot} stamps it on CLOCK_MONOTONIC, the clock of
# Python's time.monotonic(), so it can be compared with the moment the process was launched.
MAIN_WINDOW_CLASS = "MainWindow"
PAINT_LINE = re.compile(r"^\s*(?P<t>\d+\.\d+)\|qt\.widgets\.painting\|Drawing Q\w+\([^)]*\) of "
                        + MAIN_WINDOW_CLASS + r"\(")


def gui_startup_seconds(data_dir: Path, timeout: float = 300) -> float:
    """Seconds from launching the windowed executable to the first paint of its main window."""
    exe = windowed_exe() if not IS_WINDOWS else console_exe()  # a windowed .exe has no stderr on Windows
    env = bundle_env(data_dir)
    env["QT_LOGGING_RULES"] = "qt.widgets.painting=true"
    env["QT_MESSAGE_PATTERN"] = "%{time boot}|%{category}|%{message}"
    found: list[float] = []
    tail: list[str] = []
    launched = time.monotonic()
    # --demo: the sample county logs in as its 经办人, so the main window opens without the login dialog
    process = subprocess.Popen([str(exe), "--demo"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               cwd=tempfile.gettempdir())

    def read() -> None:
        assert process.stderr is not None
        for raw in process.stderr:
            line = raw.decode("utf-8", "replace")
            match = PAINT_LINE.match(line)
            if match and not found:
                found.append(float(match.group("t")))
                return
            if "|qt.widgets.painting|" not in line:
                tail.append(line.rstrip())
                del tail[:-20]

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout)
    exited = process.poll()
    if exited is None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if not found:
        detail = "\n".join(tail)
        state = f"exited with status {exited}" if exited is not None else f"was still running after {timeout:.0f} s"
        raise SystemExit(f"the bundle's main window did not appear: Qt logged no first paint of "
                         f"{MAIN_WINDOW_CLASS} (category qt.widgets.painting) and the program {state}. "
                         f"Its last messages:\n{detail}\n(--no-gui skips this check.)")
    return found[0] - launched


def measure_gui() -> dict[str, float]:
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="shuangsuiji-gui-") as temp:
        # First start on an empty data folder (creates and migrates the database), then an ordinary one.
        figures["gui_first_start_seconds"] = gui_startup_seconds(Path(temp))
        figures["gui_start_seconds"] = gui_startup_seconds(Path(temp))
    return figures


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def check_server_component() -> dict[str, float]:
    """Make the 局域网服务器组件 beside the bundle and prove the frozen program runs a server with it:
    the self-test checks its programs, then ``server init`` on 127.0.0.1, ``status`` and ``stop``."""
    sys.path.insert(0, str(ROOT / "installer"))
    from server_component import make_component

    component = DIST / "shuangsuiji-pgserver"
    size = make_component(component)
    log(f"server component: {component} ({size / 1_000_000:.1f} MB)")
    figures = {"server_component_mb": size / 1_000_000}
    exe = str(console_exe())
    # A folder the server's account can reach when this runs as root (mkdtemp's own folder is opened
    # to it by the program; pytest's folders are not involved here).
    with tempfile.TemporaryDirectory(prefix="shuangsuiji-server-") as temp:
        env = bundle_env(Path(temp) / "程序数据")
        env["SHUANGSUIJI_PG"] = "component"
        folder = Path(temp) / "服务器"
        seconds, result = run_timed([exe, "self-test"], env, timeout=300)
        show(result)
        if result.returncode != 0 or b"PostgreSQL" not in result.stdout:
            raise SystemExit("the bundle's self-test did not check the server component")
        seconds, result = run_timed([exe, "server", "init", "--listen", "127.0.0.1", "--data", str(folder),
                                     "--port", str(free_port())], env, timeout=600)
        show(result)
        if result.returncode != 0:
            raise SystemExit(f"`server init` with the component FAILED (exit {result.returncode})")
        figures["server_setup_seconds"] = seconds
        try:
            _, result = run_timed([exe, "server", "status", "--data", str(folder)], env, timeout=120)
            show(result)
            if result.returncode != 0:
                raise SystemExit("the component's server does not accept connections")
        finally:
            _, result = run_timed([exe, "server", "stop", "--data", str(folder)], env, timeout=120)
            show(result)
    return figures


def compile_installer(version: str) -> Path:
    iscc = shutil.which("iscc") or shutil.which("ISCC")
    if not iscc:
        default = Path(os.environ.get("ProgramFiles(x86)", r"C:\Program Files (x86)")) / "Inno Setup 6" / "ISCC.exe"
        iscc = str(default) if default.is_file() else None
    if not iscc:
        raise SystemExit("Inno Setup's iscc was not found: install Inno Setup 6 or leave out --installer")
    command = [iscc, f"/DAppVersion={version}", f"/DBundleDir={bundle_dir()}", f"/O{DIST}"]
    if (DIST / "shuangsuiji-pgserver").is_dir():
        command.append(f"/DServerDir={DIST / 'shuangsuiji-pgserver'}")
    command.append(str(ISS))
    log("running: " + " ".join(command))
    subprocess.run(command, check=True, cwd=ROOT)
    return DIST / f"shuangsuiji-{version}-setup.exe"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build and self-test the PyInstaller bundle.")
    parser.add_argument("--check", action="store_true", help="skip the build; self-test the existing bundle")
    parser.add_argument("--clean", action="store_true", help="clear PyInstaller's cache before building")
    parser.add_argument("--installer", action="store_true", help="then compile installer/windows-installer.iss")
    parser.add_argument("--db", metavar="URL", help="also self-test against this database (e.g. PostgreSQL)")
    parser.add_argument("--no-gui", action="store_true", help="skip starting the windowed program")
    parser.add_argument("--server-component", action="store_true",
                        help="also make the optional server component (dist/shuangsuiji-pgserver) and test it")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args(argv)

    version = app_version()
    figures: dict[str, float | str] = {"version": version}
    if not args.check:
        figures["build_seconds"] = build(args.clean)
    figures.update(check_bundle(args.db))
    if not args.no_gui:
        figures.update(measure_gui())
    figures["bundle_mb"] = folder_size(bundle_dir()) / 1_000_000
    if args.server_component:
        figures.update(check_server_component())
    if args.installer:
        figures["installer"] = str(compile_installer(version))

    print()
    print(f"bundle:            {bundle_dir()}  (version {version})")
    print(f"bundle size:       {figures['bundle_mb']:.1f} MB")
    if "build_seconds" in figures:
        print(f"build time:        {figures['build_seconds']:.1f} s")
    print(f"--version:         {figures['version_seconds']:.2f} s")
    print(f"self-test (fresh): {figures['self_test_seconds']:.2f} s")
    print(f"self-test (again): {figures['self_test_again_seconds']:.2f} s")
    if "self_test_db_seconds" in figures:
        print(f"self-test (--db):  {figures['self_test_db_seconds']:.2f} s")
    if "gui_start_seconds" in figures:
        print(f"main window shown: {figures['gui_first_start_seconds']:.2f} s (empty data folder), "
              f"{figures['gui_start_seconds']:.2f} s (again)")
    if "server_component_mb" in figures:
        print(f"server component:  {figures['server_component_mb']:.1f} MB (dist/shuangsuiji-pgserver, optional); "
              f"server init took {figures['server_setup_seconds']:.1f} s")
    print("bundle self-test: PASSED", flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
