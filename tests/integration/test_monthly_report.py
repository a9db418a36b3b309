"""月报表 for one department and month, every computed cell checked against counts made here."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest
from sqlalchemy import select

from app.db.models import CheckItem, Publication, Task
from app.domain.inspection import InspectionStatus, ItemOutcome, Outcome
from app.domain.publication import PublicationKind
from app.services.draw.inputs import task_draw_spec
from app.services.errors import UserError
from app.services.inspection import entry, records
from app.services.publication import publications
from app.services.reports import monthly
from app.services.system import audit
from tests.actors import CLERK, REVIEWER
from tests.integration.inspection_county import draw_task, task_named

SCJ = "青禾县市场监督管理局"
PLATFORM = "国家企业信用信息公示系统（海南）"


@pytest.fixture
def month_with_work(demo_county, tmp_path):
    """One 市场监管 task drawn this month, one result approved and published today."""
    db = demo_county(CLERK, subjects=400)
    task_id = task_named(db, "食品销售经营者")
    draw_task(db, task_id, tmp_path / "包")
    first = records.list_inspections(db, task_id)[0]
    detail = records.get_inspection(db, first.id)
    today = date.today()
    entry.save_result(db, CLERK, first.id, Outcome(
        inspected_on=today, methods=("实地检查",), items=tuple(ItemOutcome(i.check_item_id) for i in detail.items)))
    entry.submit(db, CLERK, [first.id])
    entry.approve(db, REVIEWER, [first.id])
    publications.sync(db)
    with db.session() as session:
        ids = list(session.scalars(select(Publication.id).where(Publication.kind == PublicationKind.RESULT)))
    publications.mark_published(db, CLERK, ids, today, PLATFORM)
    return db, task_id, today


def _expected(db, task_id):
    spec = task_draw_spec(db, task_id)
    drawn = [r for r in records.list_inspections(db, task_id) if r.status != InspectionStatus.REPLACED]
    with db.session() as session:
        task = session.get(Task, task_id)
        items = [(i.category or i.name, i.id) for i in session.scalars(select(CheckItem).where(
            CheckItem.id.in_([i.id for i in task.items])))]
        number, name = task.number, task.name
    return {"eligible": len(spec.subjects), "drawn": len(drawn), "major": len({c for c, _ in items}),
            "minor": len(items), "number": number, "name": name}


def test_the_month_is_counted_from_the_data(month_with_work):
    db, task_id, today = month_with_work
    want = _expected(db, task_id)
    report = monthly.monthly_report(db, SCJ, today.year, today.month)
    assert [(t.name, t.number, t.eligible, t.drawn) for t in report.tasks] == [
        (want["name"], want["number"], want["eligible"], want["drawn"])]
    assert (report.major_items, report.minor_items) == (want["major"], want["minor"])
    assert report.results_published == 1 and report.published_where == (PLATFORM,)
    other = monthly.monthly_report(db, "青禾县卫生健康委员会", today.year, today.month)
    assert other.tasks == () and other.results_published == 0


def test_the_workbook_matches_the_attachment_row_for_row(month_with_work, tmp_path):
    db, task_id, today = month_with_work
    want = _expected(db, task_id)
    out = monthly.write_monthly_workbook(db, SCJ, today.year, [today.month], tmp_path / "月报表.xlsx",
                                         county=True, filled_on=today)
    ws = openpyxl.load_workbook(out).worksheets[0]
    assert ws.title == f"{today.year}年{today.month}月"
    text = {cell.coordinate: str(cell.value) for row in ws.iter_rows() for cell in row if cell.value is not None}
    labels = [text.get(f"B{r}", text.get(f"A{r}", "")) for r in range(4, 16)]
    assert labels[:5] == ["一、本部门本月“双随机、一公开”监管工作安排部署情况", "本月召开会议部署随机抽查工作情况",
                          "本月印发双随机工作文件情况", "本月组织随机抽查业务培训情况",
                          "二、本部门本月“双随机、一公开”监管工作开展情况"]
    assert labels[5:] == ["本月按年度随机抽查工作计划县本级开展随机抽查情况", "本月组织随机抽查的文件",
                          "随机抽查对象范围、数量、抽查比例", "随机抽查的检查事项", "随机抽查结果公示情况",
                          "全县本系统本月开展随机抽查情况", text["B15"]]
    assert not any("全市" in v or "市本级" in v for v in text.values())
    assert all(any(text.get(f"{c}{r}") for c in "ABC") for r in range(1, 17)), "no blank rows"
    assert text["C10"] == f"《{want['name']}》（{want['number']}）"
    ratio = f"{want['drawn'] / want['eligible']:.1%}"
    assert f"可抽取 {want['eligible']} 户，抽取 {want['drawn']} 户，比例 {ratio}" in text["C11"]
    assert text["C12"] == f"共 {want['major']} 大项、{want['minor']} 小项"
    assert text["C13"] == f"公示检查结果 1 条，公示于：{PLATFORM}"
    assert text["B15"] == f"开展随机抽查的单位 1 个（{SCJ}），抽查检查对象 {want['drawn']} 户，公示抽查结果 1 条"
    with db.session() as session:
        head = audit.head(session)
    assert text["A17"] == f"审计日志：{head}"  # the log's head when the report was made, to check it later


def test_last_months_wording_is_offered_and_kept_apart(demo_county):
    db = demo_county(CLERK, subjects=50)
    monthly.save_narrative(db, CLERK, SCJ, 2026, 10, meetings="10月8日召开双随机工作部署会", trainings="")
    november = monthly.monthly_report(db, SCJ, 2026, 11).narrative
    assert november.meetings == "10月8日召开双随机工作部署会" and november.carried_over
    monthly.save_narrative(db, CLERK, SCJ, 2026, 11, meetings="11月无会议")
    assert monthly.monthly_report(db, SCJ, 2026, 10).narrative.meetings == "10月8日召开双随机工作部署会"
    assert not monthly.monthly_report(db, SCJ, 2026, 11).narrative.carried_over


def test_refusals_are_in_chinese(demo_county):
    db = demo_county(CLERK, subjects=50)
    with pytest.raises(UserError, match="没有名为"):
        monthly.monthly_report(db, "不存在的局", 2026, 11)
    with pytest.raises(UserError, match="年月不对"):
        monthly.monthly_report(db, SCJ, 2026, 13)
    with pytest.raises(UserError, match="权限"):
        monthly.save_narrative(db, REVIEWER, SCJ, 2026, 11, meetings="x")
