"""执法检查人员名录库: who can be drawn on the inspection dates, and why not."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.directory import inspectors as inspector_service
from app.services.system import settings as settings_service
from app.ui.context import AppContext
from app.services.directory.exports import export_inspectors
from app.tabular import INSPECTOR
from app.ui.directory.import_dialog import ImportDialog
from app.ui.directory.inspector_dialog import InspectorDialog, StatusPeriodDialog
from app.ui.tasks import BackgroundOp
from app.ui.common.lazy_table import Column, LazyTableModel
from app.ui.common.base_page import Page

COLUMNS = [
    Column("姓名", lambda r: r.name, "name"),
    Column("部门", lambda r: r.department, "department"),
    Column("科室", lambda r: r.office, "office"),
    Column("人员类别", lambda r: r.category, "category"),
    Column("执法证号", lambda r: r.certificate_no, "certificate_no"),
    Column("有效期至", lambda r: f"{r.certificate_expires_on:%Y-%m-%d}" if r.certificate_expires_on else "",
           "certificate_expires_on"),
    Column("组长", lambda r: "可任组长" if r.can_lead else "", "can_lead"),
    Column("状态", lambda r: r.status, "status"),
    Column("能否抽取", lambda r: "可抽取" if r.eligible else "不可抽取：" + "；".join(r.reasons), "eligible",
           lambda r: None if r.eligible else "#b00020"),
]


class InspectorsPage(Page):
    title = "执法检查人员名录库"

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(context, parent)
        self.rows: list[inspector_service.InspectorRow] = []
        self.on_date = QDateEdit(QDate.currentDate())
        self.on_date.setCalendarPopup(True)
        self.on_date.setDisplayFormat("yyyy-MM-dd")
        self.search = QLineEdit()
        self.search.setPlaceholderText("按姓名查找")
        self.search.setClearButtonEnabled(True)
        self.department = QComboBox()
        self.only_eligible = QCheckBox("只看可抽取的")
        for signal in (self.on_date.dateChanged, self.search.textChanged, self.department.currentIndexChanged,
                       self.only_eligible.toggled):
            signal.connect(self.reload)

        self.model = LazyTableModel(COLUMNS, self._fetch, page_size=100_000)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        self.summary = QLabel()

        filters = QHBoxLayout()
        filters.addWidget(QLabel("检查日期："))
        filters.addWidget(self.on_date)
        filters.addWidget(self.search, 1)
        filters.addWidget(QLabel("部门："))
        filters.addWidget(self.department)
        filters.addWidget(self.only_eligible)
        buttons = QHBoxLayout()
        for text, slot in (("导入…", self.import_file), ("导出…", self.export_file),
                           ("新增", self.add_inspector), ("编辑", self.edit_selected),
                           ("登记请假/借调/调离…", self.record_status)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)

    def _fetch(self, sort: str, descending: bool, offset: int, limit: int):
        key = sort or "name"
        def value(row):
            v = getattr(row, key)
            return (v is None, "" if v is None else v)

        ordered = sorted(self.rows, key=value, reverse=descending)
        return ordered[offset:offset + limit]

    def refresh(self) -> None:
        chosen = self.department.currentData()
        self.department.blockSignals(True)
        self.department.clear()
        self.department.addItem("全部", None)
        for dept in settings_service.list_departments(self.context.db):
            self.department.addItem(dept.name, dept.id)
        self.department.setCurrentIndex(max(self.department.findData(chosen), 0))
        self.department.blockSignals(False)
        self.reload()

    def reload(self) -> None:
        chosen = self.on_date.date()
        day = date(chosen.year(), chosen.month(), chosen.day())
        self.rows = inspector_service.list_inspectors(
            self.context.db, on=day, text=self.search.text(), department_id=self.department.currentData(),
            only_eligible=self.only_eligible.isChecked(),
        )
        self.model.reload()
        self.table.resizeColumnsToContents()
        eligible = sum(1 for r in self.rows if r.eligible)
        self.summary.setText(f"共 {len(self.rows)} 人，{day:%Y-%m-%d} 可抽取 {eligible} 人，"
                             f"不可抽取 {len(self.rows) - eligible} 人（原因见最后一列）。")

    def _selected(self) -> inspector_service.InspectorRow | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def import_file(self) -> None:
        ImportDialog(self.context, INSPECTOR, self).exec()
        self.refresh()

    def export_file(self) -> None:
        out, _ = QFileDialog.getSaveFileName(self, "导出执法检查人员", "执法检查人员名录.xlsx", "Excel (*.xlsx)")
        if not out:
            return
        db = self.context.db
        BackgroundOp(self, lambda _p: export_inspectors(db, out),
                     lambda n: QMessageBox.information(self, "导出", f"已导出 {n} 人到 {out}")).run_in_background()

    def add_inspector(self) -> None:
        if InspectorDialog(self.context, None, self).exec():
            self.reload()

    def edit_selected(self) -> None:
        row = self._selected()
        if row is None:
            QMessageBox.information(self, "编辑", "请先在列表中选中一名人员。")
            return
        if InspectorDialog(self.context, row.id, self).exec():
            self.reload()

    def record_status(self) -> None:
        row = self._selected()
        if row is None:
            QMessageBox.information(self, "登记状态", "请先在列表中选中一名人员。")
            return
        if StatusPeriodDialog(self.context, row.id, row.name, self).exec():
            self.reload()
