"""Fast structural checks of the frozen build's files: build.spec, the installer script, the .desktop entry.

build.spec is executed with stand-ins for PyInstaller's build classes that only record what they are
given, so this runs in milliseconds and needs no PyInstaller run. The real proof, the bundle's own
self-test, is ``python installer/build_bundle.py`` (run by CI).
"""

from __future__ import annotations

import configparser
import re
import sys
import types
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


class _Recorder:
    made: list["_Recorder"] = []

    def __init__(self, *args, **kwargs):
        self.args, self.kwargs = args, kwargs
        self.scripts, self.pure, self.binaries, self.datas = [], [], [], list(kwargs.get("datas", []))
        _Recorder.made.append(self)


class Analysis(_Recorder): ...
class PYZ(_Recorder): ...
class EXE(_Recorder): ...
class COLLECT(_Recorder): ...


@pytest.fixture(scope="module")
def spec(tmp_path_factory):
    """The namespace build.spec leaves behind, PyInstaller's helpers replaced by recorders."""
    hooks = types.ModuleType("PyInstaller.utils.hooks")
    hooks.collect_data_files = lambda package, **kwargs: [(f"<{package} data>", package)]
    hooks.collect_submodules = lambda package, **kwargs: [package]
    saved = {name: sys.modules.get(name) for name in ("PyInstaller", "PyInstaller.utils", "PyInstaller.utils.hooks")}
    sys.modules.update({"PyInstaller": types.ModuleType("PyInstaller"),
                        "PyInstaller.utils": types.ModuleType("PyInstaller.utils"),
                        "PyInstaller.utils.hooks": hooks})
    _Recorder.made = []
    namespace = {"SPECPATH": str(ROOT), "__file__": str(ROOT / "build.spec"),
                 "Analysis": Analysis, "PYZ": PYZ, "EXE": EXE, "COLLECT": COLLECT}
    try:
        exec(compile((ROOT / "build.spec").read_text(encoding="utf-8"), "build.spec", "exec"), namespace)
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module
    return namespace


def _only(kind):
    return [made for made in _Recorder.made if type(made) is kind]


def test_one_folder_with_a_windowed_and_a_console_executable(spec):
    exes = {exe.kwargs["name"]: exe.kwargs for exe in _only(EXE)}
    assert exes["shuangsuiji"]["console"] is False
    assert exes["shuangsuiji-debug"]["console"] is True
    assert all(kwargs["exclude_binaries"] for kwargs in exes.values()), "one-folder: binaries go to COLLECT"
    (collect,) = _only(COLLECT)
    assert {exe.kwargs["name"] for exe in collect.args if isinstance(exe, EXE)} == set(exes)
    assert collect.kwargs["name"] == "shuangsuiji"
    (analysis,) = _only(Analysis)
    assert Path(analysis.args[0][0]) == ROOT / "app" / "__main__.py"


def test_unused_qt_modules_and_big_packages_are_excluded(spec):
    (analysis,) = _only(Analysis)
    excludes = set(analysis.kwargs["excludes"])
    for name in ("PySide6.QtWebEngineCore", "PySide6.QtQml", "PySide6.QtQuick", "PySide6.Qt3DCore",
                 "PySide6.QtMultimedia", "PySide6.QtTest", "tkinter", "matplotlib", "numpy", "IPython",
                 "pytest", "hypothesis"):
        assert name in excludes
    for needed in ("PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets", "PySide6.QtPrintSupport"):
        assert needed not in excludes


def test_migrations_resources_and_forms_are_bundled_as_data(spec):
    (analysis,) = _only(Analysis)
    bundled = {(Path(source).resolve(), Path(folder).as_posix()) for source, folder in analysis.kwargs["datas"]
               if not source.startswith("<")}
    migrations = ROOT / "app" / "db" / "migrations"
    for source in [migrations / "env.py", migrations / "script.py.mako", *migrations.glob("versions/*.py")]:
        folder = source.parent.relative_to(ROOT).as_posix()
        assert (source.resolve(), folder) in bundled, f"{source} is not bundled at {folder}"
    for top in ("resources", "forms"):
        for source in (ROOT / top).rglob("*"):
            if source.is_file() and "__pycache__" not in source.parts and not source.name.startswith("."):
                assert (source.resolve(), source.parent.relative_to(ROOT).as_posix()) in bundled
    collected = {source for source, _ in analysis.kwargs["datas"] if source.startswith("<")}
    assert {"<docx data>", "<docxtpl data>", "<chinese_calendar data>"} <= collected


def test_bundle_paths_match_where_the_program_looks():
    """The spec puts the migrations at app/db/migrations: that must stay where migrate.py looks."""
    from app.db import migrate

    assert migrate.MIGRATIONS_DIR.resolve() == (ROOT / "app" / "db" / "migrations").resolve()


def test_self_test_modules_are_hidden_imports(spec):
    (analysis,) = _only(Analysis)
    hidden = set(analysis.kwargs["hiddenimports"])
    for name in ("docxtpl", "docx", "openpyxl", "python_calamine", "qrcode", "chinese_calendar", "psycopg",
                 "psycopg_binary.pq"):
        assert name in hidden


def test_inno_setup_script_takes_the_version_from_the_build():
    raw = (ROOT / "installer" / "windows-installer.iss").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM, for Chinese text in Inno Setup 6.0-6.2"
    text = raw.decode("utf-8-sig")
    assert "#ifndef AppVersion" in text and "#error" in text
    assert re.search(r"^AppVersion=\{#AppVersion\}$", text, re.M)
    assert re.search(r'#define AppGuid "\{\{[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}\}"', text)
    assert re.search(r"^AppId=\{#AppGuid\}$", text, re.M)
    sections = dict(re.findall(r"^\[(\w+)\]\n(.*?)(?=^\[\w+\]$|\Z)", text, re.M | re.S))
    assert 'Type: filesandordirs; Name: "{app}\\_internal"' in sections["InstallDelete"]
    assert "postinstall" in sections["Run"]
    assert '#define AppName "双随机工作台"' in text
    assert "{autodesktop}\\{#AppName}" in text and "{group}\\{#AppName}" in text


def test_linux_desktop_entry():
    entry = configparser.ConfigParser(interpolation=None, strict=True)
    entry.optionxform = str
    entry.read(ROOT / "installer" / "shuangsuiji.desktop", encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Type"] == "Application"
    assert desktop["Name"] == "双随机工作台"
    assert desktop["Categories"] == "Office;"
    assert desktop["Exec"].split()[0].endswith("/shuangsuiji")
    assert desktop["Terminal"] == "false"


def test_build_script_waits_for_the_real_main_window_class():
    """installer/build_bundle.py times start-up by the first paint of the class it names."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_bundle", ROOT / "installer" / "build_bundle.py")
    build_bundle = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build_bundle)
    source = (ROOT / "app" / "ui" / "main_window.py").read_text(encoding="utf-8")
    assert re.search(rf"^class {build_bundle.MAIN_WINDOW_CLASS}\(", source, re.M)
    line = "  12.345|qt.widgets.painting|Drawing QRegion(0,0 1200x760) of MainWindow(0x32f46f90) at QPoint(0,0)"
    assert build_bundle.PAINT_LINE.match(line).group("t") == "12.345"
