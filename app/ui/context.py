"""What every page and dialog needs: the database handle and who is working."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.config import describe_url
from app.db.session import Database
from app.domain.accounts import Actor, Role


@dataclass
class AppContext:
    db: Database
    actor: str
    demo: bool = False
    #: the Actor the services check; until login lands (issue #15) it is built from ``actor``
    #: holding 经办人 and 审核人 — the four-eyes check still compares usernames.
    account: Actor | None = field(default=None)

    def __post_init__(self) -> None:
        if self.account is None:
            name = self.actor.split("@", 1)[0] or self.actor
            self.account = Actor(self.actor, name, frozenset({Role.CLERK, Role.REVIEWER}),
                                 self.actor.split("@", 1)[1] if "@" in self.actor else "")

    @property
    def database_description(self) -> str:
        text = describe_url(self.db.url)
        return f"{text}（示例县）" if self.demo else text
