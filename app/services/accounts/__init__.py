"""Accounts and roles: who may do what, checked in the services."""

from __future__ import annotations

from app.domain.accounts import Actor, Role
from app.services.errors import UserError


class NotPermitted(UserError):
    """The acting account lacks the role this action needs."""


def require(actor: Actor, *roles: Role) -> None:
    """Refuse, in Chinese, unless ``actor`` holds one of ``roles``."""
    if not actor.has(*roles):
        wanted = "或".join(role.value for role in roles)
        raise NotPermitted(f"“{actor.name}”没有{wanted}权限，不能进行此操作。")


def require_other_person(actor: Actor, earlier_username: str, what: str) -> None:
    """Four-eyes: the person who entered or submitted something may not approve it."""
    if actor.username == earlier_username:
        raise NotPermitted(f"{what}须由另一人审核：录入或提交的人不能自己审核通过。")
