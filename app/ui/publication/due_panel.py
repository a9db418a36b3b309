"""公示 at a glance: what is overdue (red), due within 3 working days (amber) and upcoming,
per department, each line with 生成公示表 and 标记已公示."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHeaderView,
    QLabel,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.publication import PublicationKind, PublicationState, time_left_text
from app.services.publication import publications, tables
from app.ui.common.deadline_cells import cell_button, state_item
from app.ui.context import AppContext
from app.ui.publication.mark_dialog import MarkPublishedDialog
from app.ui.tasks import BackgroundOp

HEADERS = ["状态", "部门", "种类", "公示事项", "期限", "", ""]
EXPORT_KINDS = {PublicationKind.DRAWN_LIST.value: tables.LIST, PublicationKind.RESULT.value: tables.RESULTS}


class DuePanel(QWidget):
    """Loads in the background (``loaded`` when shown); ``changed`` is emitted after an item is marked published."""

    changed = Signal()
    loaded = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.today: date | None = None  # None: the real today (tests and screenshots fix a day)
        self.items: list[publications.DueItem] = []
        self.summary = QLabel("正在计算公示期限…")
        self.summary.setObjectName("dueSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 200), (1, 160), (2, 72), (4, 120), (5, 100), (6, 80)):
            self.table.setColumnWidth(column, width)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        heading = QLabel("公示期限（工作日）")
        heading.setObjectName("sectionTitle")
        layout.addWidget(heading)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)

    def refresh(self) -> None:
        db, today = self.context.db, self.today
        BackgroundOp(self, lambda _progress: publications.items(db, today), self._show).run_in_background()

    def rows(self, state: PublicationState) -> list[publications.DueItem]:
        """The items shown in one colour: the red list, the amber list, the rest."""
        return [item for item in self.items if item.state is state]

    def _show(self, items: list[publications.DueItem]) -> None:
        order = {PublicationState.OVERDUE: 0, PublicationState.DUE_SOON: 1, PublicationState.UPCOMING: 2}
        self.items = sorted(items, key=lambda i: (order[i.state], i.due_on, i.department))
        self._summarise()
        self.table.setRowCount(len(self.items))
        for row, item in enumerate(self.items):
            due = f"{item.due_on:%Y-%m-%d}" + ("（未确认）" if item.warning else "")
            cells = [f"{item.state.value}·{time_left_text(item.state, item.working_days_left)}", item.department, item.kind, item.title, due]
            for column, text in enumerate(cells):
                cell = state_item(text, item.state)
                tip = f"自 {item.counted_from:%Y-%m-%d} 起 {item.working_days} 个工作日"
                cell.setToolTip(tip + (f"\n{item.warning}：期限按双休日计算" if item.warning else ""))
                self.table.setItem(row, column, cell)
            self.table.setCellWidget(row, 5, cell_button("生成公示表…", lambda i=item: self.export(i),
                                                         enabled=item.kind in EXPORT_KINDS))
            self.table.setCellWidget(row, 6, cell_button("已公示…", lambda i=item: self.mark(i)))
        self.table.resizeRowsToContents()
        self.loaded.emit()

    def _summarise(self) -> None:
        counts: dict[str, Counter] = {}
        for item in self.items:
            counts.setdefault(item.department, Counter())[item.state] += 1
        if not counts:
            self.summary.setText("没有待公示的事项：计划、抽取名单、检查结果都已按期公示。")
            return
        parts = []
        for department, counter in sorted(counts.items()):
            parts.append(
                f"<b>{department}</b>：<span style='color:#a61b1b'>已逾期 {counter[PublicationState.OVERDUE]}</span>"
                f" · <span style='color:#7a5200'>即将到期 {counter[PublicationState.DUE_SOON]}</span>"
                f" · 待公示 {counter[PublicationState.UPCOMING]}")
        self.summary.setText("<br>".join(parts))

    def export(self, item: publications.DueItem) -> None:
        kind = EXPORT_KINDS[item.kind]
        name = f"{kind}公示表-{item.title.split('“')[0] or item.task_id}.xlsx"
        path, _ = QFileDialog.getSaveFileName(self, "生成公示表", str(Path.home() / name),
                                              "导入格式 (*.xlsx);;网站公示文稿 (*.docx)")
        if not path:
            return
        db = self.context.db
        op = (lambda _p: tables.export_website(db, item.task_id, kind, path)) if path.lower().endswith(".docx") \
            else (lambda _p: tables.export_table(db, item.task_id, kind, path))
        BackgroundOp(self, op, lambda _r: self.window().statusBar().showMessage(f"已生成 {path}", 8000)) \
            .run_in_background()

    def mark(self, item: publications.DueItem) -> None:
        dialog = MarkPublishedDialog(f"{item.department} {item.kind}：{item.title}", item.due_on, self.today, self)
        if not dialog.exec():
            return
        on, where = dialog.chosen()
        db, actor, today = self.context.db, self.context.actor, self.today
        BackgroundOp(self, lambda _p: publications.mark_published(db, actor, item.ids, on, where, today),
                     lambda _r: (self.refresh(), self.changed.emit())).run_in_background()
