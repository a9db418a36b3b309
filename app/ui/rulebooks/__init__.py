"""一细则: the department's rulebook, the per-item guides, the document templates.

Other capabilities' pages may use the names in PUBLIC; the rest of this package is its own.
"""

from app.ui.common.public import lazy_exports

PUBLIC = {'RulebookPage': 'rulebook_page', 'RulebookEditor': 'rulebook_editor'}

__getattr__ = lazy_exports(__name__, PUBLIC)
