"""The program itself: the start page, settings, the set-up wizard, about.

Other capabilities' pages may use the names in PUBLIC; the rest of this package is its own.
"""

from app.ui.common.public import lazy_exports

PUBLIC = {'SetupWizard': 'setup_wizard'}

__getattr__ = lazy_exports(__name__, PUBLIC)
