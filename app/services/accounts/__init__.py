"""Accounts and roles: who may do what, checked in the services.

``require`` and ``require_other_person`` are what every data-changing service calls;
the accounts themselves (first administrator, login, lockout, passwords) are in
``users``; password hashing in ``passwords``.
"""

from __future__ import annotations

from app.domain.accounts import Actor, Role
from app.services.system import audit
from app.services.errors import UserError


class NotPermitted(UserError):
    """The acting account lacks the role this action needs."""


def require(actor: Actor, *roles: Role) -> Role:
    """Refuse, in Chinese, unless ``actor`` holds one of ``roles``; return the role used (for the audit log)."""
    for role in roles:
        if role in actor.roles:
            audit.granted(actor, role)
            return role
    wanted = "或".join(role.value for role in roles)
    raise NotPermitted(f"“{actor.name}”没有{wanted}权限，不能进行此操作。")


def require_other_person(actor: Actor, earlier_username: str, what: str) -> None:
    """Four-eyes: the person who entered or submitted something may not approve it."""
    if actor.username == earlier_username:
        raise NotPermitted(f"{what}须由另一人审核：录入或提交的人不能自己审核通过。")
