"""检查与结果: a drawn task's inspections, their results entry and evidence, review, forms and the sheet."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.inspection import InspectionStatus
from app.services.rulebooks import templates
from app.services.inspection import categories, entry, forms, records, sheet
from app.services.inspection.sheet_import import ResultsImportResult, import_sheet
from app.ui.context import AppContext
from app.ui.common.print_preview import PrintPreviewDialog, open_in_system
from app.ui.inspection.entry_panel import EntryPanel
from app.ui.inspection.evidence_panel import EvidencePanel
from app.ui.common.base_page import Page
from app.ui.tasks import BackgroundOp, run_or_explain, show_error

COLUMNS = ("序号", "检查对象", "状态", "检查日期", "检查结果", "检查组", "信用代码/注册号")
ALL = "全部状态"


class ResultsPage(Page):
    title = "检查与结果"

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(context, parent)
        self.rows: list[records.InspectionRow] = []
        self.preview_dialog: PrintPreviewDialog | None = None
        self.last_import: ResultsImportResult | None = None
        self.today = date.today()
        heading = QLabel("检查与结果")
        heading.setObjectName("sectionTitle")
        self.task_combo = QComboBox()
        self.task_combo.setMinimumWidth(320)
        self.task_combo.currentIndexChanged.connect(lambda _i: self.load_task())
        self.scan = QLineEdit()
        self.scan.setPlaceholderText("扫描或输入检查表二维码、信用代码，回车跳转")
        self.scan.setClearButtonEnabled(True)
        self.scan.returnPressed.connect(self.jump_to_scanned)
        self.print_button = QPushButton("打印检查表")
        menu = QMenu(self.print_button)
        menu.addAction("整个任务的检查表…", lambda: self.print_forms(selected_only=False))
        menu.addAction("所选检查对象的检查表…", lambda: self.print_forms(selected_only=True))
        self.print_button.setMenu(menu)
        self.export_button = QPushButton("导出结果表…")
        self.export_button.clicked.connect(self.choose_export)
        self.import_button = QPushButton("导入结果表…")
        self.import_button.clicked.connect(self.choose_import)
        bar = QHBoxLayout()
        bar.addWidget(heading)
        bar.addWidget(self.task_combo, 1)
        bar.addWidget(self.print_button)
        bar.addWidget(self.export_button)
        bar.addWidget(self.import_button)

        self.status_filter = QComboBox()
        self.status_filter.addItems([ALL, *(s.value for s in InspectionStatus)])
        self.status_filter.currentIndexChanged.connect(lambda _i: self.reload())
        self.search = QLineEdit()
        self.search.setPlaceholderText("按名称或代码筛选")
        self.search.textChanged.connect(lambda _t: self.reload())
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((36, 170, 62, 84, 110, 50)):
            self.table.setColumnWidth(column, width)
        self.table.itemSelectionChanged.connect(self.show_current)
        self.counts = QLabel("")
        self.submit_button = QPushButton("提交审核")
        self.submit_button.clicked.connect(self.submit_selected)
        self.approve_button = QPushButton("审核通过")
        self.approve_button.clicked.connect(self.approve_selected)
        self.return_button = QPushButton("退回…")
        self.return_button.clicked.connect(self.return_selected)
        filters = QHBoxLayout()
        filters.addWidget(QLabel("扫码"))
        filters.addWidget(self.scan, 2)
        filters.addWidget(self.status_filter)
        filters.addWidget(self.search, 1)
        actions = QHBoxLayout()
        actions.addWidget(self.counts, 1)
        actions.addWidget(self.submit_button)
        actions.addWidget(self.approve_button)
        actions.addWidget(self.return_button)
        listing = QWidget()
        listing_layout = QVBoxLayout(listing)
        listing_layout.setContentsMargins(0, 0, 0, 0)
        listing_layout.addLayout(filters)
        listing_layout.addWidget(self.table, 1)
        listing_layout.addLayout(actions)
        self.evidence = EvidencePanel(context)  # beside the entry panel, and usable when the result is locked
        left = QSplitter(Qt.Orientation.Vertical)
        left.setChildrenCollapsible(False)
        left.addWidget(listing)
        left.addWidget(self.evidence)
        left.setStretchFactor(0, 1)
        left.setSizes([440, 200])

        self.panel = EntryPanel()
        self.panel.save_button.clicked.connect(lambda: self.save(go_next=False))
        self.panel.save_next_button.clicked.connect(lambda: self.save(go_next=True))
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        scroller = QScrollArea()  # the panel scrolls rather than squeezes on a 1366×768 screen
        scroller.setWidget(self.panel)
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QScrollArea.Shape.NoFrame)
        splitter.addWidget(scroller)
        splitter.setSizes([520, 640])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)
        for keys, action in ((QKeySequence.StandardKey.Save, lambda: self.save(go_next=False)),
                             ("Ctrl+Return", lambda: self.save(go_next=True)),
                             ("Ctrl+Enter", lambda: self.save(go_next=True)),
                             ("Ctrl+L", self.scan.setFocus)):
            QShortcut(QKeySequence(keys), self, action, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)

    # --- loading ------------------------------------------------------------------------------
    def refresh(self) -> None:
        current = self.task_id
        tasks = records.tasks_with_inspections(self.context.db)
        self.task_combo.blockSignals(True)
        self.task_combo.clear()
        for task in tasks:
            self.task_combo.addItem(f"{task.year}年 {task}（{task.inspections} 户）", task.id)
        index = self.task_combo.findData(current)
        self.task_combo.setCurrentIndex(max(index, 0))
        self.task_combo.blockSignals(False)
        self.panel.set_categories(categories.result_categories(self.context.db))
        self.load_task()

    @property
    def task_id(self) -> int | None:
        return self.task_combo.currentData()

    def load_task(self) -> None:
        enabled = self.task_id is not None
        for widget in (self.print_button, self.export_button, self.import_button, self.scan):
            widget.setEnabled(enabled)
        if not enabled:
            self.counts.setText("还没有抽取完成的任务：先在“抽取”中完成抽取，这里就会列出检查对象。")
        self.reload()

    def reload(self, keep: int | None = None) -> None:
        keep = keep if keep is not None else self.current_id()
        status = self.status_filter.currentText()
        self.rows = [] if self.task_id is None else records.list_inspections(
            self.context.db, self.task_id, "" if status == ALL else status, self.search.text())
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            day = f"{row.inspected_on:%Y-%m-%d}" if row.inspected_on else ""
            for c, text in enumerate((str(row.draw_rank), row.subject_name, row.status, day, row.result, row.team,
                                      row.subject_code)):
                item = QTableWidgetItem(text)
                if row.status == InspectionStatus.RETURNED:
                    item.setForeground(Qt.GlobalColor.red)
                self.table.setItem(r, c, item)
        self.table.blockSignals(False)
        if self.task_id is not None:
            done = sum(1 for r in self.rows if r.status != InspectionStatus.PENDING)
            self.counts.setText(f"共 {len(self.rows)} 户，已录入 {done} 户")
        ids = [r.id for r in self.rows]
        if self.rows:
            index = ids.index(keep) if keep in ids else 0
            self.select_row(index)
            shown = self.panel.detail  # the same row kept selects nothing new: show a status changed under it
            if shown is None or shown.row.id != self.rows[index].id or shown.row.status != self.rows[index].status:
                self.show_current()
        else:
            self.panel.setEnabled(False)
            self.evidence.show_files(None)

    def select_row(self, row: int) -> None:
        """Make ``row`` the only selected one (selectRow would toggle it while Ctrl is held: Ctrl+S)."""
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.table.selectionModel().setCurrentIndex(self.table.model().index(row, 0), flags)

    def current_id(self) -> int | None:
        row = self.table.currentRow()
        return self.rows[row].id if 0 <= row < len(self.rows) else None

    def selected_ids(self) -> list[int]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.rows[r].id for r in rows if r < len(self.rows)]

    def show_current(self) -> None:
        inspection_id = self.current_id()
        if inspection_id is None:
            return
        detail = records.get_inspection(self.context.db, inspection_id)
        self.panel.load(detail, self.today)
        self.evidence.show_files(inspection_id, detail.row.subject_name, detail.row.status)

    # --- entry --------------------------------------------------------------------------------
    def jump_to_scanned(self) -> None:
        """A USB scanner types the QR text and Enter: open that inspection, ready for its date."""
        ok, row = run_or_explain(self, lambda: records.find_inspection(self.context.db, self.scan.text(), self.task_id))
        self.scan.clear()
        if not ok:
            return
        if row.id not in [r.id for r in self.rows]:
            self.status_filter.setCurrentIndex(0)
            self.search.clear()
        self.reload(keep=row.id)
        self.panel.inspected_on.setFocus()
        self.panel.inspected_on.selectAll()

    def save(self, go_next: bool) -> None:
        inspection_id = self.current_id()
        if inspection_id is None or not self.panel.isEnabled():
            return
        ok, _ = run_or_explain(self, lambda: entry.save_result(self.context.db, self.context.actor, inspection_id,
                                                               self.panel.outcome()))
        if not ok:
            return
        following = None
        if go_next:
            ids = [r.id for r in self.rows]
            later = [r for r in self.rows[ids.index(inspection_id) + 1:]
                     if r.status in (InspectionStatus.PENDING, InspectionStatus.RETURNED)]
            following = later[0].id if later else None
        self.reload(keep=following or inspection_id)
        if go_next and following:
            self.panel.inspected_on.setFocus()
            self.panel.inspected_on.selectAll()

    # --- review -------------------------------------------------------------------------------
    def _batch(self, action, done: str) -> None:
        ids = self.selected_ids()
        ok, count = run_or_explain(self, lambda: action(ids))
        if ok:
            self.reload()
            self.counts.setText(f"{self.counts.text()}；{done} {count} 户")

    def submit_selected(self) -> None:
        self._batch(lambda ids: entry.submit(self.context.db, self.context.actor, ids), "已提交审核")

    def approve_selected(self) -> None:
        self._batch(lambda ids: entry.approve(self.context.db, self.context.actor, ids), "已审核通过")

    def return_selected(self) -> None:
        reason, ok = QInputDialog.getText(self, "退回", "退回原因（告诉录入人要改什么）：")
        if ok:
            self._batch(lambda ids: entry.return_results(self.context.db, self.context.actor, ids, reason), "已退回")

    # --- documents and the sheet -------------------------------------------------------------
    def print_forms(self, selected_only: bool) -> BackgroundOp | None:
        """Render the combined 检查表 in the background, then preview it (or open it in WPS/Word)."""
        task_id, chosen = self.task_id, self.selected_ids() if selected_only else None
        if task_id is None:
            return None
        out = templates.preview_dir() / "随机抽查检查表.docx"

        def work(progress):
            count = forms.print_check_tables(self.context.db, task_id, out, chosen, progress)
            return count, templates.print_preview(out, progress=progress)

        def done(result) -> None:
            count, preview = result
            if preview is None or not preview.pages:
                QMessageBox.information(self, "检查表", f"已生成 {count} 份检查表，将用 WPS 或 Word 打开以预览和打印。")
                open_in_system(self, out if preview is None else preview.pdf)
                return
            self.preview_dialog = PrintPreviewDialog(preview, f"随机抽查检查表（{count} 份）", self)
            self.preview_dialog.open()

        return BackgroundOp(self, work, done).with_progress("正在生成检查表…").run_in_background()

    def choose_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "导出结果表", str(Path.home() / "检查结果表.xlsx"), "Excel 文件 (*.xlsx)")
        if path:
            self.export_sheet(Path(path))

    def export_sheet(self, path: Path) -> BackgroundOp:
        task_id = self.task_id
        return BackgroundOp(self, lambda progress: sheet.export_sheet(self.context.db, task_id, path, progress),
                            lambda count: QMessageBox.information(self, "导出结果表",
                                                                  f"已导出 {count} 户的结果表：\n{path}")
                            ).with_progress("正在导出结果表…").run_in_background()

    def choose_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "导入结果表", str(Path.home()), "Excel 文件 (*.xlsx)")
        if path:
            self.import_results(Path(path))

    def import_results(self, path: Path) -> BackgroundOp:
        def done(result: ResultsImportResult) -> None:
            self.last_import = result
            self.reload()
            lines = [result.summary()]
            lines += [f"第 {i.row} 行「{i.column}」：{i.message}" for i in result.errors[:15]]
            if len(result.errors) > 15:
                lines.append(f"…… 另有 {len(result.errors) - 15} 处错误。")
            box = QMessageBox.information if result.committed else QMessageBox.warning
            box(self, "导入结果表", "\n".join(lines))

        return BackgroundOp(self, lambda progress: import_sheet(self.context.db, self.context.actor, path, progress),
                            done).failure(lambda exc, details: show_error(self, exc, details)) \
            .with_progress("正在导入结果表…").run_in_background()
