"""一公开 in the GUI: what is due on the 概览 page, and the administrator's working-day calendar.

Other capabilities' pages may use the names in PUBLIC; the rest of this package is its own.
"""

from __future__ import annotations

from app.domain.accounts import Actor, Role
from app.ui.common.public import lazy_exports
from app.ui.context import AppContext

PUBLIC = {'DuePanel': 'due_panel'}

__getattr__ = lazy_exports(__name__, PUBLIC)


def acting_account(context: AppContext) -> Actor:
    """The account the services check. Until logging in (issue #15) puts an Actor in the
    context, the person at the PC acts as the office's clerk and administrator."""
    if isinstance(context.actor, Actor):
        return context.actor
    return Actor(context.actor, context.actor, frozenset({Role.ADMIN, Role.CLERK}))
