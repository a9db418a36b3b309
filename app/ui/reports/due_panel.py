"""报表报送 on the 概览 page: the 月报表 and 落实情况 owed to the county 双随机办, coloured as the
公示 list, each with 登记已报送."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.publication import PublicationState
from app.services.reports import deadlines
from app.ui.common.deadline_cells import cell_button, state_item
from app.ui.common.dialogs import date_edit, ok_cancel, picked
from app.ui.context import AppContext
from app.ui.tasks import BackgroundOp

HEADERS = ["状态", "报表", "报送期限", "尚未登记报送的部门", ""]


class FiledDialog(QDialog):
    """Which departments sent the report, and on what day."""

    def __init__(self, due: deadlines.ReportDue, today: date, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("登记已报送")
        text = QLabel(f"{due.period.label}（{due.period.due_on.month}月{due.period.due_on.day}日前报县双随机办）")
        text.setWordWrap(True)
        self.boxes = []
        for department_id, name in due.departments:
            box = QCheckBox(name)
            box.setChecked(len(due.departments) == 1)
            box.department_id = department_id
            self.boxes.append(box)
        self.filed_on = date_edit(today)
        form = QFormLayout()
        form.addRow("报送日期", self.filed_on)
        buttons = ok_cancel(self, "登记已报送")
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(QLabel("已报送的部门："))
        for box in self.boxes:
            layout.addWidget(box)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def chosen(self) -> tuple[list[int], date]:
        return [box.department_id for box in self.boxes if box.isChecked()], picked(self.filed_on)


class ReportsDuePanel(QWidget):
    """Loads in the background (``loaded`` when shown)."""

    loaded = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.today: date | None = None  # None: the real today (tests and screenshots fix a day)
        self.items: list[deadlines.ReportDue] = []
        heading = QLabel("报表报送期限（报县双随机办）")
        heading.setObjectName("sectionTitle")
        self.summary = QLabel("正在计算报表期限…")
        self.summary.setObjectName("reportsDueSummary")
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 150), (1, 200), (2, 100), (4, 110)):
            self.table.setColumnWidth(column, width)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addWidget(self.summary, 1)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)

    def refresh(self) -> None:
        db, today = self.context.db, self.today
        BackgroundOp(self, lambda _progress: deadlines.reports_due(db, today), self._show).run_in_background()

    def _show(self, items: list[deadlines.ReportDue]) -> None:
        self.items = items
        overdue = sum(1 for i in items if i.state is PublicationState.OVERDUE)
        self.summary.setText(f"已逾期 {overdue} 份，近一个月内到期 {len(items) - overdue} 份。" if items
                             else "近一个月内没有要报送的报表。")
        self.summary.setAlignment(Qt.AlignmentFlag.AlignVCenter)
        self.table.setRowCount(len(items))
        for row, item in enumerate(items):
            names = "、".join(name for _, name in item.departments)
            cells = [item.state_text, item.period.label, f"{item.period.due_on:%Y-%m-%d}", names]
            for column, text in enumerate(cells):
                self.table.setItem(row, column, state_item(text, item.state))
            self.table.setCellWidget(row, 4, cell_button("登记已报送…", lambda i=item: self.mark(i)))
        self.table.resizeRowsToContents()
        self.loaded.emit()

    def mark(self, item: deadlines.ReportDue) -> None:
        today = self.today or date.today()
        dialog = FiledDialog(item, today, self)
        if not dialog.exec():
            return
        department_ids, on = dialog.chosen()
        db, actor, p = self.context.db, self.context.actor, item.period
        BackgroundOp(self, lambda _progress: deadlines.mark_filed(db, actor, p.kind, p.year, p.period,
                                                                  department_ids, on, today),
                     lambda _r: self.refresh()).run_in_background()
