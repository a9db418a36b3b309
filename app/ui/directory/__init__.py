"""一单两库: the check-item list, the subject and inspector directories, their imports.

What other capabilities' pages may use is named here (loaded on first use); the rest of
this package is its own.
"""

from importlib import import_module

PUBLIC = {'ImportDialog': 'import_dialog', 'SubjectFilterBar': 'subject_filter_bar'}


def __getattr__(name: str):
    if name in PUBLIC:
        return getattr(import_module(f"{__name__}.{PUBLIC[name]}"), name)
    raise AttributeError(name)
