"""计划与任务: the year's 年度抽查计划 with their status flow, each plan's 抽查任务, and 覆盖情况."""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.domain.statuses import PlanStatus, TaskDrawStatus
from app.services.planning import tasks as task_service
from app.services.planning import plans as plan_service
from app.ui.context import AppContext
from app.ui.planning.plan_dates_dialog import PlanDatesDialog
from app.ui.planning.plan_dialog import PlanDialog
from app.ui.planning.task_dialog import TaskDialog
from app.ui.common.lazy_table import Column, LazyTableModel
from app.ui.common.base_page import Page
from app.ui.tasks import show_error
from app.ui.planning.coverage_view import CoverageView


def _day(value: date | None) -> str:
    return f"{value:%Y-%m-%d}" if value else ""


STATUS_COLOURS = {PlanStatus.DRAFT: "#555555", PlanStatus.REVIEW: "#a15c00", PlanStatus.PUBLISHED: "#1b6e20",
                  PlanStatus.ADJUSTED: "#b00020"}
PLAN_COLUMNS = [
    Column("年度", lambda r: str(r.year)),
    Column("计划名称", lambda r: r.name),
    Column("编制部门", lambda r: r.department),
    Column("状态", lambda r: r.status_text, None, lambda r: STATUS_COLOURS.get(r.status)),
    Column("任务数", lambda r: str(r.task_count)),
    Column("批准日期", lambda r: _day(r.approved_on)),
    Column("备案日期", lambda r: _day(r.filed_on)),
    Column("公示日期", lambda r: _day(r.published_on)),
]
TASK_COLUMNS = [
    Column("编号", lambda r: r.number),
    Column("名称", lambda r: r.name + ("（突击检查）" if r.surprise else "")),
    Column("状态", lambda r: r.draw_status, None, lambda r: "#1b6e20" if r.draw_status == TaskDrawStatus.DRAWN else None),
    Column("发起部门", lambda r: r.initiating_department),
    Column("参与部门", lambda r: "、".join(r.participants) or "—"),
    Column("事项数", lambda r: str(r.item_count)),
    Column("检查对象范围", lambda r: r.scope_text),
    Column("数量/比例", lambda r: r.quota_text),
    Column("检查时间", lambda r: r.period_text),
]
HINTS = {
    "草拟": "草拟中：添加、修改任务后点“提交审批”。",
    "待审批": "待审批：批准后点“审批通过”并填写批准日期（已备案的同时填写备案日期）；需要修改请点“退回修改”。",
    "已批准，待公示": "已批准：点“公示”并填写公示日期（突击检查任务不公示）。公示后方可抽取。",
    "已公示": "已公示：可以开始抽取。需要增减或修改任务，请点“调整”并写明原因，调整后须重新公示。",
    "已调整，待重新公示": "已调整：修改好任务后点“公示”重新公示；重新公示前，除突击检查外不能抽取。",
}


def _table(model: LazyTableModel) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.horizontalHeader().setStretchLastSection(True)
    return table


class PlansPage(Page):
    title = "计划与任务"

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(context, parent)
        self.plans: list[plan_service.PlanRow] = []
        self.tasks: list[task_service.TaskRow] = []
        self.year = QComboBox()
        self.year.setMinimumWidth(110)
        self.year.currentIndexChanged.connect(self._year_changed)

        self.plan_model = LazyTableModel(PLAN_COLUMNS, lambda _s, _d, o, n: self.plans[o:o + n], page_size=10_000)
        self.plan_table = _table(self.plan_model)
        self.plan_table.selectionModel().currentRowChanged.connect(lambda *_: self._plan_chosen())
        self.plan_table.doubleClicked.connect(lambda _i: self.edit_plan())
        self.task_model = LazyTableModel(TASK_COLUMNS, lambda _s, _d, o, n: self.tasks[o:o + n], page_size=10_000)
        self.task_table = _table(self.task_model)
        self.task_table.doubleClicked.connect(lambda _i: self.edit_task())
        self.task_table.selectionModel().currentRowChanged.connect(lambda *_: self._task_chosen())
        self.task_detail = QTextBrowser()
        self.task_detail.setMinimumWidth(260)

        def button(text: str, slot) -> QPushButton:
            b = QPushButton(text)
            b.clicked.connect(slot)
            return b

        self.new_plan_button = button("新建计划", self.new_plan)
        self.edit_plan_button = button("编辑", self.edit_plan)
        self.delete_plan_button = button("删除", self.delete_plan)
        self.submit_button = button("提交审批", self.submit)
        self.return_button = button("退回修改", self.send_back)
        self.approve_button = button("审批通过", self.approve)
        self.publish_button = button("公示", self.publish)
        self.adjust_button = button("调整", self.adjust)
        self.filing_button = button("登记备案", self.record_filing)
        self.new_task_button = button("新增任务", self.new_task)
        self.edit_task_button = button("编辑任务", self.edit_task)
        self.delete_task_button = button("删除任务", self.delete_task)

        plan_bar = QHBoxLayout()
        plan_bar.addWidget(QLabel("年度："))
        plan_bar.addWidget(self.year)
        plan_bar.addSpacing(12)
        for b in (self.new_plan_button, self.edit_plan_button, self.delete_plan_button):
            plan_bar.addWidget(b)
        plan_bar.addSpacing(24)
        for b in (self.submit_button, self.return_button, self.approve_button, self.publish_button,
                  self.adjust_button, self.filing_button):
            plan_bar.addWidget(b)
        plan_bar.addStretch(1)
        self.hint = QLabel("")
        self.hint.setWordWrap(True)
        self.tasks_heading = QLabel("抽查任务")
        self.tasks_heading.setObjectName("sectionTitle")
        task_bar = QHBoxLayout()
        task_bar.addWidget(self.tasks_heading)
        task_bar.addStretch(1)
        for b in (self.new_task_button, self.edit_task_button, self.delete_task_button):
            task_bar.addWidget(b)

        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addLayout(plan_bar)
        upper_layout.addWidget(self.plan_table, 1)
        upper_layout.addWidget(self.hint)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addLayout(task_bar)
        task_split = QSplitter()
        task_split.addWidget(self.task_table)
        task_split.addWidget(self.task_detail)
        task_split.setStretchFactor(0, 3)
        task_split.setStretchFactor(1, 1)
        lower_layout.addWidget(task_split, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(upper)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([200, 520])

        plans_tab = QWidget()
        QVBoxLayout(plans_tab).addWidget(splitter)
        self.coverage = CoverageView(context)
        self.tabs = QTabWidget()
        self.tabs.addTab(plans_tab, "年度计划与任务")
        self.tabs.addTab(self.coverage, "覆盖情况")
        self.tabs.currentChanged.connect(lambda _i: self._show_coverage_if_open())
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)

    # --- loading ----------------------------------------------------------------------
    def current_year(self) -> int:
        return self.year.currentData() or date.today().year

    def refresh(self) -> None:
        chosen = self.year.currentData() or date.today().year
        years = sorted({*plan_service.plan_years(self.context.db), date.today().year, date.today().year + 1,
                        chosen}, reverse=True)
        self.year.blockSignals(True)
        self.year.clear()
        for year in years:
            self.year.addItem(f"{year}年", year)
        self.year.setCurrentIndex(self.year.findData(chosen))
        self.year.blockSignals(False)
        self.reload()

    def _year_changed(self) -> None:
        self.reload()

    def reload(self, select_plan: int | None = None, select_task: int | None = None) -> None:
        chosen = select_plan if select_plan is not None else (self.selected_plan().id if self.selected_plan() else None)
        self.plans = plan_service.list_plans(self.context.db, self.current_year())
        self.plan_model.reload()
        for column, width in ((0, 50), (1, 330), (2, 170), (3, 130), (4, 55), (5, 90), (6, 90)):
            self.plan_table.setColumnWidth(column, width)
        ids = [p.id for p in self.plans]
        row = ids.index(chosen) if chosen in ids else (0 if ids else -1)
        if row >= 0:
            self.plan_table.selectRow(row)
        self._plan_chosen(select_task)
        self._show_coverage_if_open()

    def _show_coverage_if_open(self) -> None:
        if self.tabs.currentWidget() is self.coverage:
            self.coverage.show_year(self.current_year())

    def selected_plan(self) -> plan_service.PlanRow | None:
        index = self.plan_table.currentIndex()
        return self.plan_model.row_at(index.row()) if index.isValid() and index.row() < len(self.plans) else None

    def selected_task(self) -> task_service.TaskRow | None:
        index = self.task_table.currentIndex()
        return self.task_model.row_at(index.row()) if index.isValid() and index.row() < len(self.tasks) else None

    def _plan_chosen(self, select_task: int | None = None) -> None:
        plan = self.selected_plan()
        self.tasks = task_service.list_tasks(self.context.db, plan.id) if plan else []
        self.task_model.reload()
        for column, width in ((0, 175), (1, 190), (2, 60), (3, 140), (4, 140), (5, 50), (6, 140), (7, 140)):
            self.task_table.setColumnWidth(column, width)
        if select_task is not None and select_task in [t.id for t in self.tasks]:
            self.task_table.selectRow([t.id for t in self.tasks].index(select_task))
        elif self.tasks:
            self.task_table.selectRow(0)
        self._task_chosen()
        if plan:
            self.tasks_heading.setText(f"《{plan.name}》的抽查任务（{len(self.tasks)} 项）")
            self.hint.setText(HINTS.get(plan.status_text, ""))
        else:
            self.tasks_heading.setText("抽查任务")
            self.hint.setText(f"{self.current_year()}年度还没有抽查计划。点“新建计划”开始编制。")
        self._sync_buttons()

    def _task_chosen(self) -> None:
        task = self.selected_task()
        if task is None:
            self.task_detail.setHtml("选中一项任务，这里显示它的全部内容。" if self.tasks else "")
        else:
            rows = task_service.describe_task(self.context.db, task.id)
            self.task_detail.setHtml("".join(
                f"<p style='margin:0 0 6px 0'><b>{label}：</b>{escape(text).replace(chr(10), '<br>')}</p>"
                for label, text in rows))
        self._sync_buttons()

    def _sync_buttons(self) -> None:
        plan = self.selected_plan()
        task = self.selected_task()
        status = plan.status if plan else ""
        editable = bool(plan and plan.editable)
        self.edit_plan_button.setEnabled(editable)
        self.delete_plan_button.setEnabled(status == PlanStatus.DRAFT)
        self.submit_button.setEnabled(status == PlanStatus.DRAFT)
        self.return_button.setEnabled(status == PlanStatus.REVIEW)
        self.approve_button.setEnabled(bool(plan) and status == PlanStatus.REVIEW and not plan.approved_on)
        self.publish_button.setEnabled(bool(plan) and (status == PlanStatus.ADJUSTED or (
            status == PlanStatus.REVIEW and plan.approved_on is not None)))
        self.adjust_button.setEnabled(status == PlanStatus.PUBLISHED)
        self.filing_button.setEnabled(bool(plan) and plan.approved_on is not None and plan.filed_on is None)
        self.new_task_button.setEnabled(editable)
        task_editable = editable and task is not None and task.draw_status == TaskDrawStatus.NOT_DRAWN
        self.edit_task_button.setEnabled(task is not None)
        self.edit_task_button.setText("编辑任务" if task is None or task_editable else "查看任务")
        self.delete_task_button.setEnabled(task_editable)

    # --- plan actions -----------------------------------------------------------------
    def _run(self, action, *args) -> bool:
        try:
            action(self.context.db, self.context.actor, *args)
        except Exception as exc:  # noqa: BLE001 — shown to the clerk
            show_error(self, exc)
            return False
        return True

    def new_plan(self) -> None:
        dialog = PlanDialog(self.context, self.current_year(), None, self)
        if dialog.exec():
            year = dialog.current().year
            if self.year.findData(year) < 0:
                self.year.addItem(f"{year}年", year)
            self.year.blockSignals(True)
            self.year.setCurrentIndex(self.year.findData(year))
            self.year.blockSignals(False)
            self.reload(select_plan=dialog.saved_id)

    def edit_plan(self) -> None:
        plan = self.selected_plan()
        if plan is None or not plan.editable:
            return
        dialog = PlanDialog(self.context, plan.year, plan, self)
        if dialog.exec():
            self.refresh()

    def delete_plan(self) -> None:
        plan = self.selected_plan()
        if plan is None:
            return
        answer = QMessageBox.question(self, "删除计划", f"删除草拟的计划《{plan.name}》及其 {plan.task_count} 项任务？"
                                      "已取得的任务编号不会再使用。")
        if answer == QMessageBox.StandardButton.Yes and self._run(plan_service.delete_plan, plan.id):
            self.reload()

    def submit(self) -> None:
        plan = self.selected_plan()
        if plan and self._run(plan_service.submit_plan, plan.id):
            self.reload(plan.id)

    def send_back(self) -> None:
        plan = self.selected_plan()
        if plan is None:
            return
        reason, ok = QInputDialog.getText(self, "退回修改", f"退回《{plan.name}》修改的原因（必填）：")
        if ok and self._run(plan_service.return_plan, plan.id, reason):
            self.reload(plan.id)

    def approve(self) -> None:
        plan = self.selected_plan()
        if plan is None:
            return
        dialog = PlanDatesDialog("审批通过", f"《{plan.name}》经审批通过。请填写批准日期；已向县“双随机”办"
                                 "（或监管平台）备案的，一并填写备案日期。", "批准日期：", with_filing=True, parent=self)
        if dialog.exec():
            approved_on, filed_on = dialog.chosen()
            if self._run(plan_service.approve_plan, plan.id, approved_on, filed_on):
                self.reload(plan.id)

    def publish(self) -> None:
        plan = self.selected_plan()
        if plan is None:
            return
        again = plan.status == PlanStatus.ADJUSTED
        dialog = PlanDatesDialog("重新公示" if again else "公示", f"《{plan.name}》{'调整后重新' if again else ''}"
                                 "向社会公示（突击检查任务在检查前不公示）。请填写公示日期。", "公示日期：", parent=self)
        if dialog.exec():
            published_on, _ = dialog.chosen()
            if self._run(plan_service.publish_plan, plan.id, published_on):
                self.reload(plan.id)

    def record_filing(self) -> None:
        plan = self.selected_plan()
        if plan is None:
            return
        dialog = PlanDatesDialog("登记备案", f"《{plan.name}》已向县“双随机”办（或监管平台）备案。请填写备案日期。",
                                 "备案日期：", parent=self)
        if dialog.exec():
            filed_on, _ = dialog.chosen()
            if self._run(plan_service.record_filing, plan.id, filed_on):
                self.reload(plan.id)

    def adjust(self) -> None:
        plan = self.selected_plan()
        if plan is None:
            return
        reason, ok = QInputDialog.getText(self, "调整计划", f"调整已公示的《{plan.name}》的原因（必填，记入计划备注）：")
        if ok and self._run(plan_service.adjust_plan, plan.id, reason):
            self.reload(plan.id)

    # --- task actions -----------------------------------------------------------------
    def new_task(self) -> None:
        plan = self.selected_plan()
        if plan is None:
            return
        dialog = TaskDialog(self.context, plan.id, plan.year, None, self, department_id=plan.department_id)
        if dialog.exec():
            self.reload(plan.id, dialog.saved_id)

    def edit_task(self) -> None:
        plan, task = self.selected_plan(), self.selected_task()
        if plan is None or task is None:
            return
        read_only = not (plan.editable and task.draw_status == TaskDrawStatus.NOT_DRAWN)
        dialog = TaskDialog(self.context, plan.id, plan.year, task.id, self, read_only=read_only)
        if dialog.exec():
            self.reload(plan.id, task.id)

    def delete_task(self) -> None:
        task = self.selected_task()
        if task is None:
            return
        answer = QMessageBox.question(self, "删除任务", f"删除任务“{task.number} {task.name}”？该编号不会再使用。")
        if answer == QMessageBox.StandardButton.Yes and self._run(task_service.delete_task, task.id):
            self.reload()
