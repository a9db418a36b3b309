"""一细则: the department's rulebook, the per-item guides, the document templates.

What other capabilities' pages may use is named here (loaded on first use); the rest of
this package is its own.
"""

from importlib import import_module

PUBLIC = {'RulebookPage': 'rulebook_page', 'RulebookEditor': 'rulebook_editor'}


def __getattr__(name: str):
    if name in PUBLIC:
        return getattr(import_module(f"{__name__}.{PUBLIC[name]}"), name)
    raise AttributeError(name)
