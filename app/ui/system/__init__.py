"""The program itself: the start page, settings, the set-up wizard, about.

What other capabilities' pages may use is named here (loaded on first use); the rest of
this package is its own.
"""

from importlib import import_module

PUBLIC = {'SetupWizard': 'setup_wizard'}


def __getattr__(name: str):
    if name in PUBLIC:
        return getattr(import_module(f"{__name__}.{PUBLIC[name]}"), name)
    raise AttributeError(name)
