"""The draw's result in the office's own tables: teams, their members, and one inspection per drawn subject."""

from __future__ import annotations

from sqlalchemy import select

from app.db.models import Certificate, Draw, Inspection, Subject, Task, Team, TeamMember
from app.domain.inspection import InspectionStatus
from app.services.inspection import records as inspection_records


def _ids(session, codes: set[str], certificates: set[str]) -> tuple[dict, dict]:
    subjects = dict(session.execute(select(Subject.credit_code, Subject.id).where(Subject.credit_code.in_(codes))).all())
    subjects.update(session.execute(
        select(Subject.registration_no, Subject.id).where(Subject.registration_no.in_(codes))).all())
    people = dict(session.execute(
        select(Certificate.number, Certificate.inspector_id).where(Certificate.number.in_(certificates))).all())
    return subjects, people


def write_results(session, row: Draw, task: Task, final: dict, reason: str = "") -> None:
    """Make teams and inspections match the engine's result (after matching or a replacement).

    Teams are rebuilt from the result; a subject no longer drawn keeps its inspection row,
    marked 已替换 with the reason, so the history shows what happened.
    """
    codes = {s["id"] for s in final["subjects"]}
    certs = {m["id"] for t in final["teams"] for m in t["members"]}
    existing = session.scalars(select(Inspection).where(Inspection.draw_id == row.id)).all()
    held = {i.subject_id: i for i in existing}
    subject_ids, inspector_ids = _ids(session, codes | _codes_of(session, held), certs)
    for inspection in existing:
        inspection.team_id = None
    for team in session.scalars(select(Team).where(Team.draw_id == row.id)):
        session.delete(team)
    session.flush()
    teams = {}
    for number, team in enumerate(final["teams"], start=1):
        teams[team["label"]] = Team(draw_id=row.id, number=number, leader_id=inspector_ids[team["leader"]],
                                    members=[TeamMember(inspector_id=inspector_ids[m["id"]]) for m in team["members"]])
        session.add(teams[team["label"]])
    session.flush()
    drawn = {subject_ids[s["id"]]: s for s in final["subjects"]}
    regions = dict(session.execute(select(Subject.id, Subject.region).where(Subject.id.in_(set(drawn) - set(held)))).all())
    rank = max((i.draw_rank for i in existing), default=0)
    for subject_id, subject in drawn.items():
        team = teams.get(subject["team"])
        inspection = held.get(subject_id)
        if inspection is None:
            rank += 1
            inspection = Inspection(task_id=task.id, draw_id=row.id, subject_id=subject_id, draw_rank=rank,
                                    region=regions.get(subject_id) or "")
            session.add(inspection)
        inspection.team_id = team.id if team else None
    for subject_id, inspection in held.items():
        if subject_id not in drawn and inspection.status != InspectionStatus.REPLACED:
            inspection.status, inspection.replaced_reason = InspectionStatus.REPLACED, reason
    inspection_records.sync_draw(session, row.id, task)


def _codes_of(session, held: dict) -> set[str]:
    if not held:
        return set()
    rows = session.execute(select(Subject.credit_code, Subject.registration_no).where(Subject.id.in_(held)))
    return {credit or regno for credit, regno in rows}
