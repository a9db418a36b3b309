"""A capability's public UI names, loaded on first use.

A capability package lists in ``PUBLIC`` the dialogs and widgets other capabilities' pages
may use (name → module); ``__getattr__ = lazy_exports(__name__, PUBLIC)`` imports one only
when it is asked for, so opening one page does not load every package it could reach.
"""

from __future__ import annotations

from importlib import import_module


def lazy_exports(package: str, public: dict[str, str]):
    def __getattr__(name: str):  # noqa: N807 — the module-level __getattr__ of PEP 562
        if name in public:
            return getattr(import_module(f"{package}.{public[name]}"), name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return __getattr__
