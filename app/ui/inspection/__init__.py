"""检查与结果: the results page, its entry panel, the review actions and the evidence files.

Other capabilities' pages may use the names in PUBLIC (the 告知书 page adds evidence with them);
the rest of this package is its own.
"""

from app.ui.common.public import lazy_exports

PUBLIC = {'add_evidence': 'evidence_panel', 'choose_evidence_files': 'evidence_panel'}

__getattr__ = lazy_exports(__name__, PUBLIC)
