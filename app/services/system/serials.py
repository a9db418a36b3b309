"""Numbers that must never repeat or skip (task numbers, 告知书 and 抽取过程记录 numbers): the next
serials of (kind, department, year), taken inside the caller's transaction.

The counter row is updated first, which holds its lock (PostgreSQL) or the database's write lock
(SQLite) until the transaction commits, so two PCs never get the same number; a batch that fails
rolls the counter back with everything else, so no number is skipped. The first serial of a year
is inserted in a savepoint and, if another PC inserted it first, the update is simply retried.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.db.models import SerialCounter
from app.services.errors import UserError


def _bump(session: Session, kind: str, department_id: int, year: int, by: int) -> int | None:
    statement = (update(SerialCounter)
                 .where(SerialCounter.kind == kind, SerialCounter.department_id == department_id,
                        SerialCounter.year == year)
                 .values(last_serial=SerialCounter.last_serial + by)
                 .returning(SerialCounter.last_serial)
                 .execution_options(synchronize_session=False))
    return session.execute(statement).scalar()


def lock_counter(session: Session, kind: str, department_id: int, year: int) -> int:
    """Lock the counter (creating it at 0 for a new year) and return its last serial.

    Call it first in the transaction: on SQLite the first write takes the database's write lock,
    so what the transaction reads afterwards cannot be changed by another PC before it commits.
    """
    for _ in range(3):
        last = _bump(session, kind, department_id, year, 0)
        if last is not None:
            return last
        try:
            with session.begin_nested():
                session.add(SerialCounter(kind=kind, department_id=department_id, year=year, last_serial=0))
            return 0
        except IntegrityError:
            continue
    raise UserError("取文号时与其他电脑冲突，请再试一次。")


def take_serials(session: Session, kind: str, department_id: int, year: int, count: int) -> range:
    """The next ``count`` serials, consecutive; the counter must be locked already (lock_counter)."""
    last = _bump(session, kind, department_id, year, count)
    if last is None:
        raise UserError("文号计数器不存在，请再试一次。")
    return range(last - count + 1, last + 1)


def next_serial(session: Session, kind: str, department_id: int, year: int) -> int:
    """Lock the counter and take its next serial (one number)."""
    lock_counter(session, kind, department_id, year)
    return take_serials(session, kind, department_id, year, 1)[0]


def format_number(pattern: str, short_name: str, year: int, serial: int) -> str:
    """"{简称}抽查〔{年}〕{序号}号" → "禾市监抽查〔2026〕3号"."""
    if "{序号}" not in pattern:
        raise UserError("编号格式中必须含有“{序号}”，否则编号会重复。请在“设置”中修改编号格式。")
    return pattern.replace("{简称}", short_name).replace("{年}", str(year)).replace("{序号}", str(serial))
