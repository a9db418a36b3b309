"""The layers point one way: domain ← db ← services ← ui / cli (docs/architecture.md).

Read from the source with ``ast``, so a forbidden import is caught even in a function body
and without importing Qt.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[2] / "app"


def _module_name(path: Path) -> str:
    parts = path.relative_to(APP.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


MODULES = {_module_name(p): _imports(p) for p in APP.rglob("*.py") if "migrations" not in p.parts}


def _violations(prefix: str, forbidden) -> list[str]:
    return sorted(f"{module} imports {name}" for module, names in MODULES.items()
                  if module == prefix or module.startswith(prefix + ".")
                  for name in names if forbidden(name))


def _is(name: str, *packages: str) -> bool:
    return any(name == p or name.startswith(p + ".") for p in packages)


def test_the_source_was_read():
    assert "app.domain.draw.protocol" in MODULES and "app.ui.main_window" in MODULES


def test_domain_imports_neither_qt_nor_sqlalchemy_nor_outer_layers():
    assert _violations("app.domain", lambda n: _is(n, "PySide6", "sqlalchemy", "app.db", "app.services",
                                                   "app.ui", "app.cli")) == []


@pytest.mark.parametrize("layer", ["app.services", "app.documents", "app.tabular", "app.db", "app.domain"])
def test_below_the_ui_nothing_imports_qt_or_the_ui(layer):
    assert _violations(layer, lambda n: _is(n, "PySide6", "app.ui", "app.cli")) == []


def test_ui_reaches_data_only_through_services():
    assert _violations("app.ui", lambda n: _is(n, "app.db.models", "app.cli")) == []


def test_a_capability_page_uses_another_capability_only_through_its_public_names():
    capabilities = {p.name for p in (APP / "ui").iterdir() if p.is_dir() and p.name not in ("common", "__pycache__")}
    problems = []
    for cap in capabilities:
        for other in capabilities - {cap}:
            problems += _violations(f"app.ui.{cap}", lambda n, o=other: n.startswith(f"app.ui.{o}.")
                                    and not _is_public_name(o, n))
    assert problems == []


def _is_public_name(capability: str, name: str) -> bool:
    """``from app.ui.directory import ImportDialog`` is public; ``app.ui.directory.import_dialog`` is not."""
    init = APP / "ui" / capability / "__init__.py"
    public = ast.literal_eval(next(
        node.value for node in ast.parse(init.read_text(encoding="utf-8")).body
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "PUBLIC"
    )) if "PUBLIC" in init.read_text(encoding="utf-8") else {}
    return name.rpartition(".")[2] in public and name.rpartition(".")[0] == f"app.ui.{capability}"


def test_services_are_the_only_code_that_opens_sessions():
    opens = sorted(m for m, names in MODULES.items()
                   if not _is(m, "app.services", "app.db") and any(_is(n, "sqlalchemy.orm") for n in names))
    assert opens == []
