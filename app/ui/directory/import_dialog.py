"""导入名录: choose a file, check which column is which, preview, import, read the report.

One dialog for both directories (库1 检查对象 and 库2 执法检查人员): the column mapping is
guessed from the file's headers and can be changed field by field before anything is written.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.directory.exports import write_import_report
from app.services.directory.imports import (
    DirectoryImportResult,
    import_inspectors,
    import_subjects,
    preview_directory,
    save_mapping,
    workbook_sheets,
)
from app.services.errors import UserError
from app.tabular import ERROR, INSPECTOR, SUBJECT, ColumnMapping, directory_fields
from app.ui.context import AppContext
from app.ui.tasks import BackgroundOp, show_error
from app.ui.common.screen_fit import fit_to_screen

TITLES = {SUBJECT: "导入检查对象名录", INSPECTOR: "导入执法检查人员名录"}
FILE_FILTER = "表格文件 (*.xlsx *.xls *.xlsm *.csv);;所有文件 (*)"
NOT_IMPORTED = "（不导入）"


class ImportDialog(QDialog):
    def __init__(self, context: AppContext, kind: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.context, self.kind = context, kind
        self.path: Path | None = None
        self.headers: list[str] = []
        self.result: DirectoryImportResult | None = None
        self.setWindowTitle(TITLES[kind])
        fit_to_screen(self, 1000, 720)

        self.file_line = QLineEdit()
        self.file_line.setReadOnly(True)
        self.file_line.setPlaceholderText("请选择其他系统导出的 xlsx、xls 或 csv 文件")
        choose = QPushButton("选择文件…")
        choose.clicked.connect(self.choose_file)
        self.sheet_combo = QComboBox()
        self.sheet_combo.setToolTip("数据不在第一张工作表时（例如前面是说明页），在这里选择数据所在的工作表")
        self.sheet_combo.setMinimumContentsLength(8)
        self.sheet_combo.setEnabled(False)
        self.sheet_combo.activated.connect(self.choose_sheet)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_line, 1)
        file_row.addWidget(choose)
        file_row.addWidget(QLabel("工作表："))
        file_row.addWidget(self.sheet_combo)

        self.mapping_box = QGroupBox("列对应（已按表头自动识别，可逐项修改）")
        self.mapping_grid = QGridLayout(self.mapping_box)
        self.combos: dict[str, QComboBox] = {}
        for index, spec in enumerate(directory_fields(kind)):
            combo = QComboBox()
            combo.addItem(NOT_IMPORTED)
            combo.currentIndexChanged.connect(self.refresh_preview)
            self.combos[spec.name] = combo
            label = QLabel(spec.label + ("＊" if spec.required else "") + "：")
            self.mapping_grid.addWidget(label, index // 3, (index % 3) * 2)
            self.mapping_grid.addWidget(combo, index // 3, (index % 3) * 2 + 1)
        self.mapping_box.setEnabled(False)

        self.preview = QTableWidget()
        self.preview_note = QLabel("")
        self.valid_only = QCheckBox("有错误时只导入正确的行（默认：只要有一处错误，整个文件都不导入）")
        self.import_button = QPushButton("导入")
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.start_import)
        self.save_mapping_button = QPushButton("保存列对应…")
        self.save_mapping_button.setEnabled(False)
        self.save_mapping_button.clicked.connect(self.save_mapping)
        self.report_button = QPushButton("保存校验报告…")
        self.report_button.setEnabled(False)
        self.report_button.clicked.connect(self.save_report)
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        self.result_label = QLabel("")
        self.result_label.setWordWrap(True)

        buttons = QHBoxLayout()
        buttons.addWidget(self.save_mapping_button)
        buttons.addWidget(self.report_button)
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(file_row)
        layout.addWidget(self.mapping_box)
        layout.addWidget(QLabel("预览（前 50 行，红色为错误，橙色为警告）："))
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.preview_note)
        layout.addWidget(self.valid_only)
        layout.addWidget(self.result_label)
        layout.addLayout(buttons)

    # --- choosing and previewing -----------------------------------------------------
    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择要导入的文件", "", FILE_FILTER)
        if path:
            self.load_file(Path(path))

    def load_file(self, path: Path, sheet: str | None = None) -> None:
        try:
            sheets = workbook_sheets(path)
        except UserError as exc:
            show_error(self, exc)
            return
        self.sheet_combo.clear()
        self.sheet_combo.addItems(sheets)
        self.sheet_combo.setEnabled(len(sheets) > 1)
        self.file_line.setText(str(path))
        try:
            parsed = preview_directory(path, self.kind, sheet=sheet)
        except UserError as exc:  # e.g. a note sheet first: the clerk can pick the data's sheet
            self.path = None
            self._show_failure(str(exc) + ("\n请在右上角的“工作表”中选择数据所在的工作表。" if len(sheets) > 1 else ""))
            return
        self.path = path
        self.sheet_combo.setCurrentText(parsed.sheet_name)
        self.headers = [h for h in parsed.headers if h]
        for name, combo in self.combos.items():
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(NOT_IMPORTED)
            combo.addItems(self.headers)
            combo.setCurrentText(parsed.mapping.columns.get(name, NOT_IMPORTED))
            combo.blockSignals(False)
        self.mapping_box.setEnabled(True)
        self.save_mapping_button.setEnabled(True)
        self.result = None
        self.result_label.setText("")
        self.report_button.setEnabled(False)
        self._show_preview(parsed)

    def choose_sheet(self) -> None:
        path = Path(self.file_line.text()) if self.file_line.text() else None
        if path is not None:
            self.load_file(path, self.sheet_combo.currentText())

    def sheet(self) -> str | None:
        return self.sheet_combo.currentText() or None

    def _show_failure(self, message: str) -> None:
        self.preview.clear()
        self.preview.setRowCount(0)
        self.preview_note.setText(f"<span style='color:#b00020'>{message}</span>")
        self.preview_note.setWordWrap(True)
        self.mapping_box.setEnabled(False)
        self.import_button.setEnabled(False)

    def mapping(self) -> ColumnMapping:
        return ColumnMapping(self.kind, {name: combo.currentText() for name, combo in self.combos.items()
                                         if combo.currentText() != NOT_IMPORTED})

    def refresh_preview(self) -> None:
        if self.path is None:
            return
        try:
            parsed = preview_directory(self.path, self.kind, self.mapping(), sheet=self.sheet())
        except UserError as exc:
            self._show_failure(str(exc))
            self.mapping_box.setEnabled(True)
            return
        self._show_preview(parsed)

    def _show_preview(self, parsed) -> None:
        fields = [spec for spec in directory_fields(self.kind) if spec.name in parsed.mapping.columns]
        self.preview.clear()
        self.preview.setColumnCount(len(fields) + 1)
        self.preview.setHorizontalHeaderLabels(["行号", *(spec.label for spec in fields)])
        self.preview.setRowCount(len(parsed.rows))
        by_row: dict[int, list] = {}
        for issue in parsed.issues:
            by_row.setdefault(issue.row, []).append(issue)
        for index, row in enumerate(parsed.rows):
            self.preview.setItem(index, 0, QTableWidgetItem(str(row.row)))
            for column, spec in enumerate(fields, start=1):
                value = row.values.get(spec.name)
                shown = "、".join(value) if isinstance(value, list) else ("" if value is None else str(value))
                item = QTableWidgetItem(shown)
                problems = [i for i in by_row.get(row.row, []) if i.column == parsed.mapping.columns[spec.name]]
                if problems:
                    item.setForeground(QColor("#b00020" if any(p.severity == ERROR for p in problems) else "#a15c00"))
                    item.setToolTip("\n".join(p.message for p in problems))
                self.preview.setItem(index, column, item)
        self.preview.resizeColumnsToContents()
        errors = sum(1 for i in parsed.issues if i.severity == ERROR)
        more = "（仅预览前 50 行，导入时会检查全部行）" if parsed.truncated else ""
        self.preview_note.setText(f"表头在第 {parsed.header_row} 行；预览中发现错误 {errors} 处、"
                                  f"警告 {len(parsed.issues) - errors} 处{more}。")
        self.import_button.setEnabled(True)

    # --- importing ---------------------------------------------------------------------
    def start_import(self) -> None:
        if self.path is None:
            return
        importer = import_subjects if self.kind == SUBJECT else import_inspectors
        db, actor, path, mapping, valid_only, sheet = (self.context.db, self.context.actor, self.path, self.mapping(),
                                                       self.valid_only.isChecked(), self.sheet())
        self.import_button.setEnabled(False)
        BackgroundOp(self, lambda progress: importer(db, actor, path, mapping, valid_only, progress, sheet=sheet),
                     self._imported).failure(self._failed).with_progress("正在校验并导入…").run_in_background()

    def _failed(self, exc: BaseException, details: str) -> None:
        self.import_button.setEnabled(True)
        show_error(self, exc, details)

    def _imported(self, result: DirectoryImportResult) -> None:
        self.result = result
        self.import_button.setEnabled(True)
        self.report_button.setEnabled(bool(result.issues))
        colour = "#1b5e20" if result.committed else "#b00020"
        self.result_label.setText(f"<b style='color:{colour}'>{result.summary()}</b>")

    def save_report(self) -> None:
        if self.result is None or self.path is None:
            return
        out, _ = QFileDialog.getSaveFileName(self, "保存校验报告", f"{self.path.stem}-校验报告.xlsx", "Excel (*.xlsx)")
        if out:
            try:
                write_import_report(out, self.path, self.result)
            except UserError as exc:
                show_error(self, exc)

    def save_mapping(self) -> None:
        out, _ = QFileDialog.getSaveFileName(self, "保存列对应", "列对应.json", "列对应设置 (*.json)")
        if out:
            save_mapping(self.mapping(), out)
            QMessageBox.information(self, "已保存", "下次导入同一系统导出的文件时，命令行可用 --mapping 使用它。")
