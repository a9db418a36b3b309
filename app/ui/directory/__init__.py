"""一单两库: the check-item list, the subject and inspector directories, their imports.

Other capabilities' pages may use the names in PUBLIC; the rest of this package is its own.
"""

from app.ui.common.public import lazy_exports

PUBLIC = {'ImportDialog': 'import_dialog', 'SubjectFilterBar': 'subject_filter_bar'}

__getattr__ = lazy_exports(__name__, PUBLIC)
