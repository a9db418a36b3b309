"""Who is acting: an account's roles (PRODUCT.md §2 J), as the services check them."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    ADMIN = "管理员"        # accounts, settings, templates
    CLERK = "经办人"        # directories, plans, draws, results, documents
    REVIEWER = "审核人"     # approves plans and results
    SUPERVISOR = "监督员"   # 纪检: reads everything, confirms draws and replacements
    READER = "只读"


@dataclass(frozen=True)
class Actor:
    """A logged-in account (or the program itself, for set-up work nobody logs in for)."""

    username: str
    name: str
    roles: frozenset[Role] = field(default_factory=frozenset)
    pc: str = ""

    def has(self, *roles: Role) -> bool:
        return any(role in self.roles for role in roles)

    @property
    def roles_text(self) -> str:
        """The roles in their fixed order, e.g. 管理员、经办人."""
        return "、".join(role.value for role in Role if role in self.roles)

    def __str__(self) -> str:
        return self.name
