"""Plain inputs of a draw, as the service layer hands them over (no ORM objects)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Optional, Sequence, Tuple

from .protocol import PER_SUBJECT, TEAMS_FIRST

__all__ = [
    "Attempt", "DrawInputs", "DrawParameters", "Exclusion", "Inspector", "InspectorConflict", "Quota", "Subject",
    "SubjectConflict", "SubjectTable", "PER_SUBJECT", "TEAMS_FIRST",
]


@dataclass(frozen=True)
class Subject:
    """An eligible subject: stable real-world id (统一社会信用代码 or 注册号), name, stratum, weight ≥ 1."""

    id: str
    name: str
    stratum: str = "全部"
    weight: int = 1


@dataclass(frozen=True)
class SubjectTable:
    """The eligible subjects as columns: what a query hands over, and what the draw works on.

    A county's 500,000 subjects cost a draw far less as four lists than as 500,000 objects.
    weights None means every weight is 1.
    """

    ids: Sequence[str]
    names: Sequence[str]
    strata: Sequence[str]
    weights: Optional[Sequence[int]] = None

    def __post_init__(self):
        sizes = {len(self.ids), len(self.names), len(self.strata)}
        if self.weights is not None:
            sizes.add(len(self.weights))
        if len(sizes) != 1:
            raise ValueError("SubjectTable columns must have the same length")

    @classmethod
    def of(cls, subjects: Sequence[Subject]) -> "SubjectTable":
        return cls([s.id for s in subjects], [s.name for s in subjects], [s.stratum for s in subjects],
                   [s.weight for s in subjects])

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, k: int) -> Subject:
        return Subject(self.ids[k], self.names[k], self.strata[k], 1 if self.weights is None else self.weights[k])

    def __iter__(self):
        return map(self.__getitem__, range(len(self)))


@dataclass(frozen=True)
class Exclusion:
    """A subject kept out of the draw, with the reason shown to witnesses (已注销、年度抽查次数已满 …)."""

    id: str
    reason: str
    name: str = ""


@dataclass(frozen=True)
class Inspector:
    """An inspector (id = 执法证号); unavailable is the reason (请假、执法证过期、调离) or "" when available.

    load_cap is the most subjects the inspector may take in this draw (None: no cap of its own).
    """

    id: str
    name: str
    department: str
    leader: bool = False
    unavailable: str = ""
    load_cap: Optional[int] = None


@dataclass(frozen=True)
class SubjectConflict:
    """回避: this inspector must never be matched with this subject."""

    inspector: str
    subject: str


@dataclass(frozen=True)
class InspectorConflict:
    """回避: these two inspectors must never be in the same team."""

    first: str
    second: str


@dataclass(frozen=True)
class Quota:
    """How many to draw from a stratum: a count, or a ratio p/q rounded up, (N·p + q − 1) // q."""

    count: Optional[int] = None
    ratio: Optional[Tuple[int, int]] = None

    @classmethod
    def of(cls, count: int) -> "Quota":
        return cls(count=count)

    @classmethod
    def share(cls, numerator: int, denominator: int) -> "Quota":
        return cls(ratio=(numerator, denominator))

    def to_json(self) -> dict:
        if (self.count is None) == (self.ratio is None):
            raise ValueError("Quota needs exactly one of count and ratio")
        return {"count": self.count} if self.count is not None else {"ratio": list(self.ratio)}


@dataclass(frozen=True)
class DrawParameters:
    """Rules of one draw, committed in params.json before any seed exists.

    mode is PER_SUBJECT (a team per drawn subject) or TEAMS_FIRST (draw `teams` teams, then
    assign subjects).  departments, when given, makes a joint task: members come only from these
    departments and every team has at least one from each.  alternates is how many 候补 per
    stratum the record lists (replacements may go further down the same order).
    """

    quotas: Mapping[str, Quota]
    team_size: int = 2
    mode: str = PER_SUBJECT
    teams: int = 0
    departments: Tuple[str, ...] = ()
    alternates: int = 5
    task: str = ""


@dataclass(frozen=True)
class Attempt:
    """An earlier attempt at the task's draw, abandoned before its witnesses' digits were locked.

    Times are local, to the second (YYYY-MM-DDTHH:MM:SS); stage is "prepared" (or "witnessed" for
    an attempt abandoned under ssj-draw-v2, which still allowed that); commitment is its secret's
    commitment C, hex.  Every new attempt commits to the list of the earlier ones (attempts.tsv).
    """

    started: str
    holder: str
    stage: str
    commitment: str
    abandoned: str
    abandoned_by: str
    reason: str


@dataclass(frozen=True)
class DrawInputs:
    """subjects: a SubjectTable, or a sequence of Subject (turned into a table)."""

    subjects: SubjectTable
    parameters: DrawParameters
    inspectors: Sequence[Inspector] = ()
    exclusions: Sequence[Exclusion] = ()
    conflicts: Sequence[object] = field(default=())  # SubjectConflict | InspectorConflict
    attempts: Sequence[Attempt] = ()

    def __post_init__(self):
        if not isinstance(self.subjects, SubjectTable):
            object.__setattr__(self, "subjects", SubjectTable.of(self.subjects))
