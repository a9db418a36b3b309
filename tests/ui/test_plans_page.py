"""A clerk on the sample county goes from no plan to a published plan with a joint task."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from app.services.planning import tasks as task_service
from app.services.planning import plans as plan_service
from app.services.directory import subjects as subject_service
from app.services.directory.subject_query import SubjectFilter
from app.services.draw.inputs import task_draw_spec
from app.services.planning.population import population
from app.ui.planning.plan_dates_dialog import PlanDatesDialog
from app.ui.planning.plan_dialog import PlanDialog
from app.ui.context import AppContext
from app.ui.planning.task_dialog import TaskDialog
from tests.ui.typing import type_text
from tests.actors import CLERK, REVIEWER

SCJ, WJ, YJ = "青禾县市场监督管理局", "青禾县卫生健康委员会", "青禾县应急管理局"


@pytest.fixture
def demo_context(sqlite_demo_county) -> AppContext:
    """The sample county without its ready-made plan: this clerk plans the year from scratch."""
    db = sqlite_demo_county(CLERK, subjects=300, today=date(2026, 11, 23), with_plan=False)
    return AppContext(db=db, actor=CLERK, demo=True)


def _dept_id(dialog: TaskDialog, name: str) -> int:
    return next(d.id for d in dialog.departments if d.name == name)


def _fill_joint_task(qtbot, dialog: TaskDialog) -> None:
    """What the clerk does in the task dialog for a joint 餐饮 task in 河口镇."""
    save = dialog.save_button
    assert not save.isEnabled()  # no name, no items yet
    type_text(dialog.name, "河口镇餐饮服务单位部门联合抽查")
    dialog.initiator.setCurrentIndex(dialog.initiator.findText(SCJ))
    dialog.participants[_dept_id(dialog, WJ)].setChecked(True)
    dialog.participants[_dept_id(dialog, YJ)].setChecked(True)
    assert dialog.team_size.value() == 3  # raised to one per department
    assert "共 3 个部门" in dialog.joint_hint.text()
    assert "禾市监抽查〔" in dialog.number.text()

    dialog.tabs.setCurrentIndex(1)
    picker = dialog.items
    type_text(picker.search, "餐饮")
    food = [i for i in picker.items if i.id in picker.visible_ids()]
    assert food and all("餐饮" in f"{i.name}{i.category}{i.compiler}" for i in food)
    picker.set_checked(food[0].id)
    picker.search.clear()
    picker.source.setCurrentIndex(picker.source.findText("省卫健委"))
    health = picker.visible_ids()
    picker.set_checked(health[0])
    assert "已选 2 项，来自 2 个编制单位" in picker.summary.text()

    dialog.tabs.setCurrentIndex(2)
    bar = dialog.filter_bar
    bar.region.setCurrentIndex(bar.region.findData("河口镇"))
    bar.industry.setCurrentIndex(bar.industry.findData("住宿和餐饮业"))
    qtbot.waitUntil(lambda: dialog.population is not None and dialog._population_key[0].regions == ("河口镇",)
                    and dialog._population_key[0].industries == ("住宿和餐饮业",), timeout=5000)
    expected = population(dialog.context.db, SubjectFilter(regions=("河口镇",), industries=("住宿和餐饮业",)), "", 2026)
    assert f"可抽取 {expected.eligible:,} 户" in dialog.population_label.text()

    dialog.ratio.clear()
    type_text(dialog.ratio, "百分之五")
    assert not save.isEnabled() and "不是比例或数量" in dialog.messages.text()
    dialog.ratio.clear()
    type_text(dialog.ratio, "20%")
    dialog.stratify.setCurrentIndex(dialog.stratify.findData("risk_class"))
    qtbot.waitUntil(lambda: dialog.population is not None and dialog.strata.rowCount() > 0, timeout=5000)
    keys = [dialog.strata.item(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(dialog.strata.rowCount())]
    order = ["A（低风险）", "B（一般风险）", "C（较高风险）", "D（高风险）"]
    assert keys == [k for k in order if k in dialog.population.strata]
    row = keys.index("C（较高风险）")
    dialog.strata.item(row, 2).setText("全部")
    assert dialog.strata.item(row, 3).text() == f"{dialog.population.strata['C（较高风险）']:,}"
    assert "预计共抽取" in dialog.total_label.text()
    assert save.isEnabled(), dialog.messages.text()
    dialog.save()


def test_from_an_empty_plan_to_a_published_plan_with_a_joint_task(qtbot, main_window, monkeypatch):
    page = main_window.open_page("计划与任务")
    year = page.current_year()
    assert page.plans == [] and "还没有抽查计划" in page.hint.text()
    assert not page.new_task_button.isEnabled()

    def new_plan(dialog):
        assert "部门联合" in dialog.name.text()  # a name is offered
        dialog.name.clear()
        type_text(dialog.name, f"青禾县{year}年度部门联合随机抽查工作计划")
        dialog.save()
        return 1

    monkeypatch.setattr(PlanDialog, "exec", new_plan)
    page.new_plan_button.click()
    [plan] = page.plans
    assert (plan.name, plan.status_text, plan.department) == (f"青禾县{year}年度部门联合随机抽查工作计划", "草拟", "部门联合")
    assert page.new_task_button.isEnabled() and page.submit_button.isEnabled()

    def new_task(dialog):
        assert dialog.year == year
        if year != 2026:  # the sample county's figures are for 2026; keep the dates in the plan's year
            dialog.starts_on.setDate(dialog.starts_on.date().addYears(year - dialog.starts_on.date().year()))
        _fill_joint_task(qtbot, dialog)
        return 1

    monkeypatch.setattr(TaskDialog, "exec", new_task)
    page.new_task_button.click()
    [task] = page.tasks
    assert task.number == f"禾市监抽查〔{year}〕1号"
    assert task.participants == tuple(sorted((WJ, YJ))) and task.item_count == 2
    assert task.draw_status == "未抽取" and "C（较高风险） 全部" in task.quota_text
    assert "河口镇" in task.scope_text and "住宿和餐饮业" in task.scope_text
    model = page.task_model
    shown = [model.data(model.index(0, c)) for c in range(model.columnCount())]
    assert shown[:5] == [task.number, "河口镇餐饮服务单位部门联合抽查", "未抽取", SCJ, "、".join(sorted((WJ, YJ)))]

    page.submit_button.click()
    assert page.plans[0].status_text == "待审批" and not page.new_task_button.isEnabled()
    monkeypatch.setattr(PlanDatesDialog, "exec", lambda self: 1)
    monkeypatch.setattr(PlanDatesDialog, "chosen", lambda self: (date(year, 1, 20), None))
    main_window.context.actor = REVIEWER  # approved by another person (four-eyes)
    page.approve_button.click()
    main_window.context.actor = CLERK
    assert page.plans[0].status_text == "已批准，待公示" and page.plans[0].filed_on is None
    assert page.filing_button.isEnabled()
    monkeypatch.setattr(PlanDatesDialog, "chosen", lambda self: (date(year, 1, 22), None))
    page.filing_button.click()
    assert page.plans[0].filed_on == date(year, 1, 22) and not page.filing_button.isEnabled()
    monkeypatch.setattr(PlanDatesDialog, "chosen", lambda self: (date(year, 1, 25), None))
    page.publish_button.click()
    assert page.plans[0].status == "已公示" and page.adjust_button.isEnabled()
    assert "可以开始抽取" in page.hint.text()
    spec = task_draw_spec(main_window.context.db, task.id)
    assert spec.ready and spec.departments == tuple(sorted((SCJ, WJ, YJ))) and spec.quotas["C（较高风险）"] == {"ratio": [1, 1]}

    page.tabs.setCurrentIndex(1)
    view = page.coverage
    qtbot.waitUntil(lambda: view.result is not None and view.result.year == year, timeout=10000)
    assert "未全覆盖" in view.items_summary.text() and "已覆盖 2 个" in view.items_summary.text()
    departments = [view.departments.item(r, 0).text() for r in range(view.departments.rowCount())]
    assert departments == sorted((SCJ, WJ, YJ))


def test_task_dialog_checks_as_the_clerk_types(qtbot, demo_context):
    plan_id = plan_service.save_plan(demo_context.db, CLERK, plan_service.PlanDetail(None, 2026, "计划"))
    dialog = TaskDialog(demo_context, plan_id, 2026)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.population is not None, timeout=5000)
    assert dialog.population.in_scope == 300
    assert "请填写任务名称" in dialog.messages.text() and "✖" in dialog.tabs.tabText(0)
    type_text(dialog.name, "全县个体工商户抽查")
    dialog.items.set_checked(dialog.items.items[0].id)
    assert dialog.save_button.isEnabled() and "✖" not in dialog.tabs.tabText(1)
    dialog.by_count.setChecked(True)
    dialog.count.setValue(400)
    assert "少于要抽取的 400 户" in dialog.messages.text() and dialog.save_button.isEnabled()  # a warning only
    dialog.starts_on.setDate(dialog.starts_on.date().addYears(-1))
    assert "计划年度" in dialog.messages.text() and not dialog.save_button.isEnabled()
    dialog.starts_on.setDate(dialog.starts_on.date().addYears(1))
    dialog.teams_first.setChecked(True)
    assert "检查组数" in dialog.messages.text() and not dialog.save_button.isEnabled()
    dialog.team_count.setValue(3)
    dialog.count.setValue(12)
    dialog.save()
    [row] = task_service.list_tasks(demo_context.db, plan_id)
    assert (row.number, row.quota_text, row.item_count) == ("禾市监抽查〔2026〕1号", "12 户", 1)
    assert task_service.get_task(demo_context.db, row.id).team_count == 3

    # a 专用名录 with two regions is kept whole, though the filter bar shows one value per field
    two_towns = SubjectFilter(regions=("河口镇", "柳林镇"), industries=("住宿和餐饮业",))
    subject_service.save_filter(demo_context.db, CLERK, dialog.initiator.currentData(), "两镇餐饮", two_towns)
    third = TaskDialog(demo_context, plan_id, 2026, row.id)
    qtbot.addWidget(third)
    third.saved_filters.setCurrentIndex(third.saved_filters.findText("青禾县市场监督管理局：两镇餐饮"))
    third._use_saved_filter(third.saved_filters.currentIndex())
    expected = population(demo_context.db, two_towns, "", 2026)
    qtbot.waitUntil(lambda: third.population is not None and third._population_key[0] == two_towns, timeout=5000)
    assert third.population == expected and "河口镇、柳林镇" in third.population_label.text()
    third.save()
    assert task_service.get_task(demo_context.db, row.id).scope == two_towns

    again = TaskDialog(demo_context, plan_id, 2026, row.id, read_only=True)
    qtbot.addWidget(again)
    assert again.windowTitle() == "查看抽查任务" and not again.save_button.isEnabled()
    assert again.number.text() == "禾市监抽查〔2026〕1号"
    assert again.buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "取消"
