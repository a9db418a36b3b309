"""Who a task can draw: its 检查对象范围, the subjects kept out and why, strata and quotas.

The draw reads a task through ``app.services.draw.inputs.task_draw_spec``, which takes its
subjects, exclusions and quotas from the queries here.

Kept out of the draw, each with its reason shown to the witnesses:
- subjects whose 登记状态 is 注销, 吊销, 迁出 or 撤销;
- subjects with no 统一社会信用代码 and no 注册号 (they have no stable id to commit to);
- 年度抽查次数已满: a low-risk subject (信用风险分类 in the capped classes, default A) already
  drawn N times in the plan's year (N: the setting ``low_risk_yearly_cap``, default 2),
  unless it is a 重点检查对象 (重点监管对象, 经营异常名录, 严重违法失信: no cap).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, case, func, literal, not_, select, true

from app.db.models import Subject, SubjectYearDraws
from app.db.session import Database
from app.domain import quota as quotas
from app.domain.risk import YearlyCap
from app.services.errors import UserError
from app.services.planning.tasks import (
    NO_REGION, NO_RISK, RISK_ORDER, RISK_STRATA, STRATIFY, TaskDetail, risk_stratum,
)
from app.services.directory.subject_query import SubjectFilter, subject_ids_query
from app.services.system.settings import read_yearly_cap

CLOSED_STATUSES = ("注销", "吊销", "迁出", "撤销")  # 登记状态 that can no longer be inspected
ALL_STRATUM = "全部"


# ------------------------------------------------------------------ population
def stratum_expression(stratify_by: str):
    if stratify_by == "region":
        return func.coalesce(func.nullif(Subject.region, ""), NO_REGION)
    if stratify_by == "risk_class":
        return case(*((Subject.risk_class == code, risk_stratum(code)) for code in RISK_ORDER), else_=NO_RISK)
    return literal(ALL_STRATUM)


def times_drawn_query(year: int):
    """subject_id, times: how often each subject was drawn in plans of ``year`` (replacements not counted),
    as the database's tally keeps it (app/db/models/tallies.py)."""
    return (select(SubjectYearDraws.subject_id, SubjectYearDraws.times.label("times"))
            .where(SubjectYearDraws.year == year, SubjectYearDraws.times > 0))


def key_subject_condition():
    """重点检查对象: 重点监管对象, 经营异常名录 or 严重违法失信 (抽查频次不设上限)."""
    return Subject.key_supervision | Subject.abnormal_operation | Subject.serious_violation


def eligibility_conditions(scope: SubjectFilter, year: int, cap: YearlyCap):
    where = subject_ids_query(scope).whereclause
    in_scope = true() if where is None else where
    closed = Subject.registration_status.in_(CLOSED_STATUSES)
    no_code = and_(Subject.credit_code.is_(None), Subject.registration_no.is_(None))
    drawn = times_drawn_query(year).subquery()
    at_cap = and_(Subject.risk_class.in_(cap.risk_classes), not_(key_subject_condition()),
                  Subject.id.in_(select(drawn.c.subject_id).where(drawn.c.times >= cap.times)))
    return in_scope, closed, no_code, at_cap


@dataclass(frozen=True)
class Population:
    """A scope's subjects for one year: how many are in scope, how many can be drawn, per stratum."""

    in_scope: int
    closed: int  # 已注销、吊销、迁出、撤销
    no_code: int  # 无代码
    capped: int  # 年度抽查次数已满
    strata: dict[str, int]  # stratum → eligible subjects (ordered for display)

    @property
    def eligible(self) -> int:
        return sum(self.strata.values())

    def describe(self) -> str:
        text = f"范围内 {self.in_scope:,} 户，可抽取 {self.eligible:,} 户"
        kept = [f"{label} {n:,} 户" for label, n in (("已注销、吊销或迁出", self.closed), ("年度抽查次数已满", self.capped),
                                                     ("无代码", self.no_code)) if n]
        return text + (f"（不含{'、'.join(kept)}）" if kept else "")


def order_strata(stratify_by: str, keys) -> list[str]:
    if stratify_by == "risk_class":
        order = RISK_STRATA + (NO_RISK,)
        return sorted(keys, key=lambda k: order.index(k) if k in order else len(order))
    return sorted(keys, key=lambda k: (k == NO_REGION, k))


def population(db: Database, scope: SubjectFilter, stratify_by: str, year: int) -> Population:
    """Counted by the database (quick at 500,000 subjects); safe to call from a background thread."""
    if stratify_by not in STRATIFY:
        raise UserError("分层方式只能是不分层、按所属区域或按信用风险分类。")
    with db.session() as session:
        in_scope, closed, no_code, at_cap = eligibility_conditions(scope, year, read_yearly_cap(session))
        stratum = stratum_expression(stratify_by).label("stratum")
        dropped_closed = closed
        dropped_code = and_(not_(closed), no_code)
        dropped_cap = and_(not_(closed), not_(no_code), at_cap)
        stmt = (select(stratum, func.count(),
                       func.sum(case((dropped_closed, 1), else_=0)),
                       func.sum(case((dropped_code, 1), else_=0)),
                       func.sum(case((dropped_cap, 1), else_=0)))
                .select_from(Subject).where(in_scope).group_by(stratum))
        total = n_closed = n_code = n_cap = 0
        strata = {}
        for key, count, c_closed, c_code, c_cap in session.execute(stmt):
            c_closed, c_code, c_cap = int(c_closed or 0), int(c_code or 0), int(c_cap or 0)
            total, n_closed, n_code, n_cap = total + count, n_closed + c_closed, n_code + c_code, n_cap + c_cap
            strata[key] = count - c_closed - c_code - c_cap
    ordered = {k: strata[k] for k in order_strata(stratify_by, strata)}
    return Population(total, n_closed, n_code, n_cap, ordered)


def stratum_quotas_for(detail: TaskDetail, strata: dict[str, int]) -> dict[str, dict]:
    """The quota of every stratum that has subjects, and of every stratum given one of its own."""
    keys = list(strata) + [k for k in detail.stratum_quotas if k not in strata]
    result = {}
    for key in keys:
        quota = detail.stratum_quotas.get(key) or detail.quota
        if quota is not None:
            result[key] = quota
    return result


@dataclass(frozen=True)
class QuotaPlan:
    """Per stratum: eligible subjects, the quota and the number it asks for."""

    rows: list[tuple[str, int, dict, int]]  # (stratum, eligible, quota, wanted)
    problems: list[str]

    @property
    def total(self) -> int:
        return sum(min(wanted, size) for _, size, _, wanted in self.rows)


def plan_quotas(detail: TaskDetail, strata: dict[str, int]) -> QuotaPlan:
    """What a task would draw from each stratum of a population (pure)."""
    rows, problems = [], []
    for key, quota in stratum_quotas_for(detail, strata).items():
        size = strata.get(key, 0)
        wanted = quotas.planned_count(quota, size)
        rows.append((key, size, quota, wanted))
        label = key if detail.stratify_by else "检查对象"
        if wanted > size:
            problems.append(f"{label}只有 {size} 户可抽取，少于要抽取的 {wanted} 户；请改小数量或改为“全部”。")
    if strata and not any(wanted for *_, wanted in rows):
        problems.append("按当前比例或数量，一户也抽不到，请调整。")
    if not any(strata.values()):
        problems.append("检查对象范围内没有可抽取的对象，请调整范围。")
    return QuotaPlan(rows, problems)
