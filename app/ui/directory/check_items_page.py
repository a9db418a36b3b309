"""随机抽查事项清单: the published list, its 动态调整 history, import, export, 停用/启用."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.services.directory import check_items as item_service
from app.ui.context import AppContext
from app.ui.common.lazy_table import Column, LazyTableModel
from app.ui.common.base_page import Page
from app.ui.tasks import BackgroundOp, show_error

COLUMNS = [
    Column("清单", lambda r: r.list_name, "list_name"),
    Column("编制单位/发起部门", lambda r: r.compiler or r.lead_departments, "compiler"),
    Column("序号", lambda r: r.seq, None),
    Column("抽查类别", lambda r: r.category, "category"),
    Column("抽查事项", lambda r: r.name, "name"),
    Column("检查对象", lambda r: r.target, "target"),
    Column("事项类别", lambda r: r.item_class, "item_class"),
    Column("检查方式", lambda r: "、".join(r.methods), None),
    Column("状态", lambda r: "启用" if r.enabled else "停用", "enabled", lambda r: None if r.enabled else "#b00020"),
]


class CheckItemsPage(Page):
    title = "随机抽查事项清单"

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(context, parent)
        self.rows: list[item_service.ItemRow] = []
        self.search = QLineEdit()
        self.search.setPlaceholderText("按事项、类别、编制单位或发起部门查找")
        self.search.setClearButtonEnabled(True)
        self.list_choice = QComboBox()
        self.enabled_only = QCheckBox("只看启用的")
        self.search.textChanged.connect(self.reload)
        self.list_choice.currentIndexChanged.connect(self.reload)
        self.enabled_only.toggled.connect(self.reload)

        self.model = LazyTableModel(COLUMNS, self._fetch, page_size=100_000)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().currentRowChanged.connect(lambda current, _p: self._show_detail(current.row()))
        self.detail = QTextBrowser()
        self.summary = QLabel()

        filters = QHBoxLayout()
        filters.addWidget(self.search, 1)
        filters.addWidget(QLabel("清单："))
        filters.addWidget(self.list_choice)
        filters.addWidget(self.enabled_only)
        buttons = QHBoxLayout()
        for text, slot in (("导入清单…", self.import_list), ("导出…", self.export_list),
                           ("停用…", lambda: self.toggle(False)), ("启用…", lambda: self.toggle(True))):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(buttons)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.summary)

    def _fetch(self, sort: str, descending: bool, offset: int, limit: int):
        if not sort:
            return self.rows[offset:offset + limit]
        return sorted(self.rows, key=lambda r: getattr(r, sort), reverse=descending)[offset:offset + limit]

    def refresh(self) -> None:
        chosen = self.list_choice.currentData()
        self.list_choice.blockSignals(True)
        self.list_choice.clear()
        self.list_choice.addItem("全部", None)
        for name in item_service.list_names(self.context.db):
            self.list_choice.addItem(name, name)
        self.list_choice.setCurrentIndex(max(self.list_choice.findData(chosen), 0))
        self.list_choice.blockSignals(False)
        self.reload()

    def reload(self) -> None:
        self.rows = item_service.list_items(self.context.db, self.search.text(), self.list_choice.currentData(),
                                            self.enabled_only.isChecked())
        self.model.reload()
        for column, width in ((0, 150), (1, 130), (2, 50), (3, 200), (4, 320)):
            self.table.setColumnWidth(column, width)
        enabled = sum(1 for r in self.rows if r.enabled)
        self.summary.setText(f"共 {len(self.rows)} 项，其中启用 {enabled} 项、停用 {len(self.rows) - enabled} 项。")
        self.detail.setHtml("选中一个事项，这里显示它的检查依据和调整记录。" if self.rows else
                            "还没有事项。点“导入清单…”导入省级发布的随机抽查事项清单（xlsx 或 xls）。")

    def _selected(self) -> item_service.ItemRow | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _show_detail(self, row: int) -> None:
        if row < 0:
            return
        item = self.model.row_at(row)
        history = item_service.item_history(self.context.db, item.id)
        lines = [f"<b>{item.name}</b>（{item.category}）", f"检查对象：{item.target}",
                 f"检查主体：{item.inspecting_body or '—'}",
                 "检查依据：" + (item.legal_basis.replace(chr(10), "<br>") or "—"), "<b>调整记录</b>"]
        for change in history:
            fields = "；".join(f"{k}：{v[0]} → {v[1]}" for k, v in change.changes.items()) if change.changes else ""
            lines.append(f"{change.changed_at:%Y-%m-%d} {change.action}（{change.reason}）{fields}")
        self.detail.setHtml("<br>".join(lines))

    def import_list(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择事项清单", "", "Excel (*.xlsx *.xls);;所有文件 (*)")
        if not path:
            return
        reason, ok = QInputDialog.getText(self, "导入事项清单", "调整原因（记入每项的调整记录，可留空）：")
        if not ok:
            return
        db, actor = self.context.db, self.context.actor
        BackgroundOp(self, lambda p: item_service.import_check_items(db, actor, path, reason, p), self._imported) \
            .with_progress("正在导入事项清单…").run_in_background()

    def _imported(self, result: item_service.ItemImportResult) -> None:
        QMessageBox.information(self, "导入完成", result.summary())
        self.refresh()

    def export_list(self) -> None:
        names = item_service.list_names(self.context.db)
        if not names:
            QMessageBox.information(self, "导出", "还没有事项可以导出。")
            return
        name = self.list_choice.currentData() or names[0]
        out, _ = QFileDialog.getSaveFileName(self, "导出事项清单", f"{name}.xlsx", "Excel (*.xlsx)")
        if out:
            db = self.context.db
            BackgroundOp(self, lambda _p: item_service.export_items(db, out, name),
                         lambda n: QMessageBox.information(self, "导出", f"已按原格式导出 {n} 项到 {out}")).run_in_background()

    def toggle(self, enabled: bool) -> None:
        item = self._selected()
        if item is None:
            QMessageBox.information(self, "调整", "请先在列表中选中一个事项。")
            return
        verb = "启用" if enabled else "停用"
        reason, ok = QInputDialog.getText(self, f"{verb}事项", f"{verb}“{item.name}”的原因（必填）：")
        if not ok:
            return
        try:
            item_service.set_enabled(self.context.db, self.context.actor, item.id, enabled, reason)
        except Exception as exc:  # noqa: BLE001 — shown to the clerk
            show_error(self, exc)
            return
        self.reload()
