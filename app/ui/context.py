"""What every page and dialog needs: the database handle and who is working."""

from __future__ import annotations

from dataclasses import dataclass

from app.config import describe_url
from app.db.session import Database
from app.domain.accounts import Actor


@dataclass
class AppContext:
    db: Database
    actor: Actor  # the logged-in account: every service call acts as it
    demo: bool = False

    @property
    def database_description(self) -> str:
        text = describe_url(self.db.url)
        return f"{text}（示例县）" if self.demo else text
