"""Which kinds must be published and within how many working days: office settings,
defaulting to the seeds (plan and list 10, results 20 — some places 10 — penalties 7)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.db.models import Setting
from app.db.session import Database
from app.domain.publication import DEFAULT_WORKING_DAYS, PublicationKind
from app.services.system import settings
MAX_DAYS = 60


@dataclass(frozen=True)
class PublicationRules:
    working_days: dict[PublicationKind, int]
    required: frozenset[PublicationKind]

    def days(self, kind: str) -> int:
        return self.working_days[PublicationKind(kind)]


def _rules(days: object, kinds: object) -> PublicationRules:
    stored = days if isinstance(days, dict) else {}
    merged = {k: int(stored.get(k.value, DEFAULT_WORKING_DAYS[k])) for k in PublicationKind}
    wanted = frozenset(PublicationKind(k) for k in (kinds or []) if k in PublicationKind._value2member_map_)
    return PublicationRules(merged, wanted)


def load_rules(session: Session) -> PublicationRules:
    days = session.get(Setting, settings.PUBLICATION_WORKING_DAYS)
    kinds = session.get(Setting, settings.PUBLICATION_KINDS)
    return _rules(days.value if days else settings.DEFAULTS[settings.PUBLICATION_WORKING_DAYS],
                  kinds.value if kinds else settings.DEFAULTS[settings.PUBLICATION_KINDS])


def rules(db: Database) -> PublicationRules:
    with db.session() as session:
        return load_rules(session)
