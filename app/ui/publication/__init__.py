"""一公开 in the GUI: what is due on the 概览 page, and the administrator's working-day calendar.

Other capabilities' pages may use the names in PUBLIC; the rest of this package is its own.
"""

from app.ui.common.public import lazy_exports

PUBLIC = {'DuePanel': 'due_panel'}

__getattr__ = lazy_exports(__name__, PUBLIC)

