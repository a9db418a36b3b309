"""报表: the 月报表 and statistics pages, and what is owed to the county 双随机办.

Other capabilities' pages may use the names in PUBLIC; the rest of this package is its own.
"""

from app.ui.common.public import lazy_exports

PUBLIC = {'ReportsDuePanel': 'due_panel'}

__getattr__ = lazy_exports(__name__, PUBLIC)
