"""检查对象名录库: browse 库1 at any size, filter, edit, tag, save 专用名录, see history."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.system import settings as settings_service
from app.services.directory import subjects as subject_service
from app.services.directory.subject_query import SubjectFilter, count_subjects, facets, fetch_subjects
from app.ui.context import AppContext
from app.services.directory.exports import export_subjects
from app.tabular import SUBJECT
from app.ui.directory.import_dialog import ImportDialog
from app.ui.directory.subject_dialog import SubjectDialog
from app.ui.common.lazy_table import Column, LazyTableModel
from app.ui.common.base_page import Page
from app.ui.tasks import BackgroundOp, show_error
from app.ui.directory.subject_filter_bar import SubjectFilterBar

COLUMNS = [
    Column("统一社会信用代码/注册号", lambda r: r.code, "code"),
    Column("名称", lambda r: r.name, "name"),
    Column("主体类型", lambda r: r.subject_type, "subject_type"),
    Column("所属区域", lambda r: r.region, "region"),
    Column("行业", lambda r: r.industry, "industry"),
    Column("风险", lambda r: r.risk_class, "risk_class",
           lambda r: "#b00020" if r.risk_class == "D" else ("#a15c00" if r.risk_class == "C" else None)),
    Column("登记状态", lambda r: r.registration_status, "registration_status"),
    Column("成立日期", lambda r: f"{r.established_on:%Y-%m-%d}" if r.established_on else "", "established_on"),
    Column("标记", lambda r: "、".join(r.flags), None, lambda r: "#b00020" if r.flags else None),
]


class SubjectsPage(Page):
    title = "检查对象名录库"

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(context, parent)
        self.filter = SubjectFilter()
        self.filter_bar = SubjectFilterBar()
        self.filter_bar.changed.connect(self.apply_filter)
        self.saved = QComboBox()
        self.saved.setMinimumWidth(220)
        self.saved.activated.connect(self._choose_saved)

        self.model = LazyTableModel(COLUMNS, self._fetch)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, 190)
        self.table.setColumnWidth(1, 300)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.table.selectionModel().currentRowChanged.connect(lambda current, _prev: self._show_history(current.row()))

        self.count_label = QLabel("")
        self.history = QLabel("选中一户检查对象，这里显示它的抽查记录。")
        self.history.setWordWrap(True)
        self.history.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.history.setMinimumWidth(240)

        buttons = QHBoxLayout()
        self.add_button = QPushButton("新增")
        self.edit_button = QPushButton("编辑")
        self.tag_button = QPushButton("批量打标签…")
        self.untag_button = QPushButton("批量去标签…")
        self.save_filter_button = QPushButton("存为专用名录…")
        self.import_button = QPushButton("导入…")
        self.export_button = QPushButton("导出…")
        self.import_button.clicked.connect(self.import_file)
        self.export_button.clicked.connect(self.export_file)
        self.add_button.clicked.connect(self.add_subject)
        self.edit_button.clicked.connect(self.edit_selected)
        self.tag_button.clicked.connect(lambda: self.bulk_tag(True))
        self.untag_button.clicked.connect(lambda: self.bulk_tag(False))
        self.save_filter_button.clicked.connect(self.save_as_special_list)
        for button in (self.import_button, self.export_button, self.add_button, self.edit_button,
                       self.tag_button, self.untag_button, self.save_filter_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(QLabel("专用名录："))
        buttons.addWidget(self.saved)

        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(self.history)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)

        layout = QVBoxLayout(self)
        layout.addWidget(self.filter_bar)
        layout.addLayout(buttons)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.count_label)

    # --- data ----------------------------------------------------------------------
    def _fetch(self, sort: str, descending: bool, offset: int, limit: int):
        return fetch_subjects(self.context.db, self.filter, sort or "name", descending, offset, limit)

    def refresh(self) -> None:
        self.filter_bar.set_facets(facets(self.context.db))
        self._reload_saved()
        self.apply_filter(self.filter_bar.current())

    def apply_filter(self, flt: SubjectFilter) -> None:
        self.filter = flt
        self.model.reload()
        self.count_label.setText("正在统计…")
        db = self.context.db
        BackgroundOp(self, lambda _p: (flt, count_subjects(db, flt)), self._show_count).run_in_background()

    def _show_count(self, result) -> None:
        flt, total = result
        if flt == self.filter:  # an older count arriving late is ignored
            self.count_label.setText(f"共 {total:,} 户　　{flt.describe()}")

    def _reload_saved(self) -> None:
        self.saved.clear()
        self.saved.addItem("（通用名录：全部）", None)
        names = {d.id: d.name for d in settings_service.list_departments(self.context.db)}
        for row in subject_service.list_saved_filters(self.context.db):
            self.saved.addItem(f"{names.get(row.department_id, '')}：{row.name}", row.filter)

    def _choose_saved(self, index: int) -> None:
        self.filter_bar.apply(self.saved.itemData(index) or SubjectFilter())

    def _selected_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()).id if index.isValid() else None

    def _show_history(self, row: int) -> None:
        if row < 0:
            return
        subject = self.model.row_at(row)
        history = subject_service.inspection_history(self.context.db, subject.id)
        lines = [f"<b>{subject.name}</b>", f"本年度已抽查 {history.this_year} 次",
                 f"最近结果：{history.last_result or '（无）'}"]
        for item in history.rows[:10]:
            when = f"{item.inspected_on:%Y-%m-%d}" if item.inspected_on else "未检查"
            lines.append(f"{item.year}年 {item.task_name}（{when}）{item.result or item.status}")
        self.history.setText("<br>".join(lines))

    # --- actions -------------------------------------------------------------------
    def import_file(self) -> None:
        ImportDialog(self.context, SUBJECT, self).exec()
        self.refresh()

    def export_file(self) -> None:
        out, _ = QFileDialog.getSaveFileName(self, "导出检查对象", "检查对象名录.xlsx", "Excel (*.xlsx)")
        if not out:
            return
        db, flt = self.context.db, self.filter
        BackgroundOp(self, lambda _p: export_subjects(db, out, flt),
                     lambda n: QMessageBox.information(self, "导出", f"已导出 {n:,} 户（当前筛选条件）到 {out}")) \
            .with_progress("正在导出…").run_in_background()

    def add_subject(self) -> None:
        if SubjectDialog(self.context, None, self).exec():
            self.refresh()

    def edit_selected(self) -> None:
        subject_id = self._selected_id()
        if subject_id is None:
            QMessageBox.information(self, "编辑", "请先在列表中选中一户检查对象。")
            return
        if SubjectDialog(self.context, subject_id, self).exec():
            self.model.reload()

    def bulk_tag(self, add: bool) -> None:
        verb = "打上" if add else "去掉"
        tag, ok = QInputDialog.getText(self, "批量标签", f"给当前筛选出的全部检查对象{verb}标签：")
        if not ok or not tag.strip():
            return
        db, actor, flt = self.context.db, self.context.actor, self.filter
        BackgroundOp(self, lambda _p: subject_service.tag_subjects(db, actor, flt, tag, add),
                     lambda n: self._after_tagging(n, tag, verb)).with_progress("正在更新标签…").run_in_background()

    def _after_tagging(self, changed: int, tag: str, verb: str) -> None:
        QMessageBox.information(self, "批量标签", f"已为 {changed:,} 户{verb}标签“{tag}”。")
        self.refresh()

    def save_as_special_list(self) -> None:
        departments = settings_service.list_departments(self.context.db)
        if not departments:
            QMessageBox.information(self, "专用名录", "请先在系统设置中添加部门。")
            return
        choice, ok = QInputDialog.getItem(self, "存为专用名录", "所属部门：", [d.name for d in departments], 0, False)
        if not ok:
            return
        name, ok = QInputDialog.getText(self, "存为专用名录", f"名录名称（条件：{self.filter.describe()}）：")
        if not ok:
            return
        department = next(d for d in departments if d.name == choice)
        try:
            subject_service.save_filter(self.context.db, self.context.actor, department.id, name, self.filter)
        except Exception as exc:  # noqa: BLE001 — shown to the clerk
            show_error(self, exc)
            return
        self._reload_saved()
