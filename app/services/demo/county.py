"""The sample county (青禾县): departments, subjects, inspectors — realistic and repeatable.

Everything is drawn from a seeded ``random.Random``, so the same call builds the
same county; dates are relative to ``today`` so leave and expired certificates
are always current.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, select

from app.db.models import (
    CheckItem, Certificate, Conflict, Department, Inspector, Setting, StatusPeriod, Subject, Tag,
)
from app.db.session import Database
from app.domain.accounts import Actor, Role
from app.domain.credit_code import ALPHABET, compute_check_char
from app.paths import resources_dir
from app.services.system import audit
from app.services.demo import word_lists as data
from app.services.accounts import require
from app.services.errors import UserError
from app.services.progress import NO_PROGRESS, Progress
from app.services.system.settings import COUNTY_NAME, OFFICE_NAME

RISK_WEIGHTS = (("A", 40), ("B", 45), ("C", 12), ("D", 3))
TAGS_BY_INDUSTRY = {
    "住宿和餐饮业": "食品经营",
    "制造业": "工业产品生产",
    "卫生和社会工作": "医疗卫生",
    "农、林、牧、渔业": "农业生产",
}
CHUNK = 1000


NOT_EMPTY = "数据库中已有数据，示例县只能在空数据库中生成。请用 --demo 或新的 --db 地址。"


def is_empty(db: Database) -> bool:
    """No departments, subjects, inspectors, tags or check items yet."""
    with db.session() as session:
        return not any(session.scalar(select(func.count()).select_from(model))
                       for model in (Department, Subject, Inspector, Tag, CheckItem))


def bundled_lists() -> list[Path]:
    """The provincial check-item lists shipped with the program (Hainan's published lists)."""
    return sorted((resources_dir() / "lists").glob("*.xls*"))


def _person(rng: random.Random) -> str:
    return rng.choice(data.SURNAMES) + rng.choice(data.GIVEN)


def _credit_code(rng: random.Random, category: str) -> str:
    organisation = "".join(rng.choice(ALPHABET[:10]) for _ in range(8)) + rng.choice(ALPHABET)
    body = "9" + category + data.AREA_CODE + organisation
    return body + compute_check_char(body)


def _subject(rng: random.Random, serial: int, today: date, tags: dict[str, Tag]) -> Subject:
    industry, suffixes, _ = rng.choices(data.INDUSTRIES, weights=[w for *_, w in data.INDUSTRIES])[0]
    suffix = rng.choice(suffixes)
    region = rng.choice(data.REGIONS)
    person = _person(rng)
    if "有限公司" in suffix:
        subject_type, category = "有限责任公司", "1"
        name = f"{data.COUNTY}{''.join(rng.sample(data.TRADE_NAMES, 2))}{suffix}"
    elif "合作社" in suffix:
        subject_type, category = "农民专业合作社", "3"
        name = f"{data.COUNTY}{region}{rng.choice(data.TRADE_NAMES)}{suffix}"
    elif suffix.endswith("厂"):
        subject_type, category = "个人独资企业", "1"
        name = f"{data.COUNTY}{rng.choice(data.TRADE_NAMES)}{suffix}"
    else:
        subject_type, category = "个体工商户", "2"
        name = f"{data.COUNTY}{region}{person}{suffix}"
    credit_code, registration_no = _credit_code(rng, category), None
    if subject_type == "个体工商户" and rng.random() < 0.1:  # registered before the reform
        credit_code, registration_no = None, f"{data.AREA_CODE}6{serial:08d}"
    status = rng.choices(("存续", "注销", "吊销"), weights=(95, 3, 2))[0]
    subject = Subject(
        credit_code=credit_code,
        registration_no=registration_no,
        name=name,
        subject_type=subject_type,
        legal_representative=person,
        phone=f"1{rng.choice('3578')}{rng.randrange(10**9):09d}",
        address=f"{data.COUNTY}{region}{rng.choice(data.TRADE_NAMES)}路{rng.randint(1, 300)}号",
        region=region,
        industry=industry,
        registration_status=status,
        established_on=today - timedelta(days=rng.randint(30, 30 * 365)),
        registration_authority="青禾县市场监督管理局",
        risk_class=rng.choices([r for r, _ in RISK_WEIGHTS], weights=[w for _, w in RISK_WEIGHTS])[0],
        abnormal_operation=rng.random() < 0.04,
        serious_violation=rng.random() < 0.005,
        key_supervision=rng.random() < 0.05,
    )
    if industry in TAGS_BY_INDUSTRY:
        subject.tags.append(tags[TAGS_BY_INDUSTRY[industry]])
    if rng.random() < 0.03:
        subject.tags.append(tags["特种设备使用单位"])
    return subject


def _inspectors(rng: random.Random, departments: dict[str, Department], today: date) -> list[Inspector]:
    counts = {"青禾县市场监督管理局": 24, "青禾县卫生健康委员会": 10, "青禾县生态环境分局": 8,
              "青禾县应急管理局": 8, "青禾县教育和体育局": 4}
    people: list[Inspector] = []
    serial = 0
    for dept_name, count in counts.items():
        for _ in range(count):
            serial += 1
            person = Inspector(
                name=_person(rng),
                gender=rng.choice("男女"),
                department_id=departments[dept_name].id,
                office=rng.choice(data.OFFICES[dept_name]),
                position=rng.choices(("科员", "副股长", "股长", "副所长", "所长"), weights=(10, 3, 3, 1, 1))[0],
                category=rng.choices(("行政执法类公务员", "具有执法资格的事业编"), weights=(4, 1))[0],
                qualifications=rng.sample(data.QUALIFICATIONS[dept_name], k=min(2, len(data.QUALIFICATIONS[dept_name]))),
                specialities=[rng.choice(data.QUALIFICATIONS[dept_name])],
                can_lead=rng.random() < 0.35,
                phone=f"13{rng.randrange(10**9):09d}",
            )
            person.certificates.append(Certificate(
                number=f"4199{serial:06d}", kind="行政执法证", issuer="青禾县人民政府",
                expires_on=today + timedelta(days=rng.randint(120, 5 * 365)),
            ))
            people.append(person)
    for field in data.EXPERT_FIELDS:
        people.append(Inspector(
            name=_person(rng), gender=rng.choice("男女"), department_id=None, category="专家",
            office="县检验检测中心", position="工程师", specialities=[field], qualifications=[field],
            phone=f"13{rng.randrange(10**9):09d}",
        ))
    regular = [p for p in people if not p.is_expert]
    for person in regular[3:6]:  # 执法证已过期
        person.certificates[0].expires_on = today - timedelta(days=rng.randint(5, 200))
    for person in regular[10:14]:  # 请假
        person.status_periods.append(StatusPeriod(
            status="请假", starts_on=today - timedelta(days=3), ends_on=today + timedelta(days=12), note="病假"))
    regular[20].status_periods.append(StatusPeriod(status="借调", starts_on=today - timedelta(days=60),
                                                   note="借调至县委巡察办"))
    regular[30].status_periods.append(StatusPeriod(status="调离", starts_on=today - timedelta(days=100),
                                                   note="调往市局"))
    for person in regular[:4]:
        person.can_lead = True
    return people


def create_demo(
    db: Database, actor: Actor, subjects: int = 3000, seed: int = 20261123,
    today: date | None = None, progress: Progress = NO_PROGRESS, with_plan: bool = True,
    with_publications: bool = False,
    with_results: bool = False,
) -> None:
    """Build 青禾县 in an empty database (refuses to touch one that has data).

    ``with_plan`` adds this year's approved plan with three tasks ready to draw; without it
    the county has its lists and directories only, for trying out planning from scratch.
    ``with_publications`` adds three drawn tasks whose 公示 stand in every state (on time,
    late, due soon, overdue, upcoming) for the 概览 page.
    ``with_results`` adds last months' finished work to that plan: two tasks drawn and inspected.
    """
    require(actor, Role.ADMIN, Role.CLERK)
    if subjects < 1:
        raise UserError("示例检查对象数量至少为 1。")
    if not is_empty(db):
        raise UserError(NOT_EMPTY)
    today = today or date.today()
    rng = random.Random(seed)
    with db.session() as session:
        session.merge(Setting(key=OFFICE_NAME, value="青禾县市场监督管理局"))
        session.merge(Setting(key=COUNTY_NAME, value=data.COUNTY))
        departments = {}
        for name, short, is_office in data.DEPARTMENTS:
            departments[name] = Department(name=name, short_name=short, is_office=is_office)
            session.add(departments[name])
        session.flush()
        tags = {name: Tag(name=name) for name in (*TAGS_BY_INDUSTRY.values(), "特种设备使用单位")}
        session.add_all(tags.values())
        for start in range(0, subjects, CHUNK):
            progress.step(start, subjects, f"正在生成检查对象 {start:,}/{subjects:,}")
            session.add_all(_subject(rng, i, today, tags) for i in range(start, min(start + CHUNK, subjects)))
            session.flush()
        people = _inspectors(rng, departments, today)
        session.add_all(people)
        session.flush()
        _declare_conflicts(session, rng, people)
        audit.record(session, actor, "生成示例县", "demo", "", {"检查对象": subjects, "执法人员": len(people)})
        from app.services.directory.check_items import import_check_items_in  # imported here: is_empty runs at start-up

        for path in bundled_lists():
            progress.step(subjects, subjects, f"正在导入事项清单《{path.stem}》")
            import_check_items_in(session, actor, path, reason="示例县：导入省级发布的事项清单")
        if with_plan:
            from app.services.demo.plan import create_demo_plan

            create_demo_plan(session, today)
    if with_plan and with_publications:
        from app.services.demo.publications import create_demo_publications

        progress.step(subjects, subjects, "正在生成公示示例（抽取、检查结果）")
        create_demo_publications(db, actor, today)
    if with_plan and with_results:
        from app.services.demo.results import create_finished_work

        progress.step(subjects, subjects, "正在生成已完成的抽查任务及检查结果")
        create_finished_work(db, today)
    progress.step(subjects, subjects, "示例县已生成")


def _declare_conflicts(session, rng: random.Random, people: list[Inspector]) -> None:
    subject_ids = session.scalars(select(Subject.id).order_by(Subject.id).limit(200)).all()
    for person, subject_id in zip(people[:3], rng.sample(subject_ids, k=min(3, len(subject_ids)))):
        session.add(Conflict(inspector_id=person.id, subject_id=subject_id, reason="近亲属在该单位任职"))
    session.add(Conflict(inspector_id=people[5].id, region=data.REGIONS[3], reason="本人户籍所在地，主动申请回避"))
    session.add(Conflict(inspector_id=people[6].id, other_inspector_id=people[7].id, reason="夫妻关系"))
