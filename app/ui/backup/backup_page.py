"""备份与恢复: the backups of this PC's database, 立即备份, a checked restore, moving the data."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.backup import sqlite_backup
from app.services.backup.archive import export_data
from app.services.backup.archive_import import import_data
from app.services.backup.facts import TABLE_LABELS, counts_text
from app.services.backup.restore import check_backup, restore_backup
from app.services.backup.write_lock import sqlite_file
from app.ui.context import AppContext
from app.ui.common.base_page import Page
from app.ui.tasks import BackgroundOp, run_or_explain

COLUMNS = ["备份时间", "类型", "电脑", "检查对象（户）", "审计日志（条）", "大小", "文件"]


class BackupPage(Page):
    title = "备份与恢复"

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(context, parent)
        self.backups: list[sqlite_backup.BackupInfo] = []
        heading = QLabel("备份与恢复")
        heading.setObjectName("pageTitle")
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        self.embedded = sqlite_file(context.db) is not None
        if self.embedded:
            layout.addWidget(self._backups_group(), 1)
        else:
            note = QLabel(sqlite_backup.POSTGRES_NOTE)
            note.setWordWrap(True)
            note.setObjectName("postgresNote")
            layout.addWidget(note)
        layout.addWidget(self._moving_group())
        if not self.embedded:
            layout.addStretch(1)

    def _backups_group(self) -> QGroupBox:
        group = QGroupBox("本机数据库的备份")
        self.folder_label = QLabel("")
        self.folder_label.setWordWrap(True)
        choose = QPushButton("更改备份文件夹…")
        choose.clicked.connect(self.choose_folder)
        default = QPushButton("改回默认")
        default.clicked.connect(self.default_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_label, 1)
        folder_row.addWidget(choose)
        folder_row.addWidget(default)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        for column, width in enumerate((140, 70, 120, 110, 110, 80)):
            self.table.setColumnWidth(column, width)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)

        self.backup_button = QPushButton("立即备份")
        self.backup_button.setObjectName("primary")
        self.backup_button.clicked.connect(self.back_up_now)
        self.check_button = QPushButton("检查所选备份")
        self.check_button.clicked.connect(self.check_selected)
        self.restore_button = QPushButton("恢复所选备份…")
        self.restore_button.clicked.connect(self.restore_selected)
        other = QPushButton("从其他位置恢复…")
        other.clicked.connect(self.restore_other)
        buttons = QHBoxLayout()
        for button in (self.backup_button, self.check_button, self.restore_button, other):
            buttons.addWidget(button)
        buttons.addStretch(1)
        hint = QLabel(f"每天第一次打开程序时、每次升级数据库结构前和每次恢复前都会自动备份；保留最近 "
                      f"{sqlite_backup.KEEP_DAILY} 天每天一份、最近 {sqlite_backup.KEEP_MONTHLY} 个月每月一份。"
                      "备份时其他窗口可照常工作。恢复前会先检查备份（校验和、完整性、结构版本、审计日志链），"
                      "不合格的备份不会被使用。")
        hint.setWordWrap(True)
        hint.setObjectName("hint")

        box = QVBoxLayout(group)
        box.addLayout(folder_row)
        box.addWidget(self.table, 1)
        box.addLayout(buttons)
        box.addWidget(hint)
        return group

    def _moving_group(self) -> QGroupBox:
        group = QGroupBox("迁移数据（换电脑、改用共享数据库服务器）")
        export = QPushButton("导出全部数据…")
        export.clicked.connect(self.export_all)
        load = QPushButton("导入到空数据库…")
        load.clicked.connect(self.import_into)
        hint = QLabel("导出的文件（.zip）含全部表、设置、审计日志和本机改过的文书模板，格式公开（见 docs/data-format.md）；"
                      "可导入另一台电脑的新数据库或 PostgreSQL 服务器上的空库，导入后自动核对行数、校验和与审计日志链。")
        hint.setWordWrap(True)
        hint.setObjectName("hint")
        row = QHBoxLayout()
        row.addWidget(export)
        row.addWidget(load)
        row.addStretch(1)
        box = QVBoxLayout(group)
        box.addLayout(row)
        box.addWidget(hint)
        return group

    def refresh(self) -> None:
        if not self.embedded:
            return
        folder = sqlite_backup.backup_folder()
        self.folder_label.setText(f"备份文件夹：{folder}")
        database = sqlite_file(self.context.db).name
        self.backups = sqlite_backup.list_backups(folder, database)
        self.table.setRowCount(len(self.backups))
        for row, info in enumerate(self.backups):
            values = (f"{info.created_at:%Y-%m-%d %H:%M}", info.kind, info.pc, f"{info.subjects:,}",
                      f"{info.facts.audit_entries:,}", f"{info.size / 1e6:.1f} MB", info.path.name)
            for column, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setToolTip(counts_text(info.facts.counts))
                self.table.setItem(row, column, item)
        if self.backups:
            self.table.selectRow(0)
        self.check_button.setEnabled(bool(self.backups))
        self.restore_button.setEnabled(bool(self.backups))

    def selected(self) -> sqlite_backup.BackupInfo | None:
        row = self.table.currentRow()
        return self.backups[row] if 0 <= row < len(self.backups) else None

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "选择备份文件夹（可选U盘或共享文件夹）",
                                                  str(sqlite_backup.backup_folder()))
        if folder and run_or_explain(self, lambda: sqlite_backup.choose_backup_folder(folder))[0]:
            self.refresh()

    def default_folder(self) -> None:
        sqlite_backup.choose_backup_folder(None)
        self.refresh()

    def back_up_now(self) -> None:
        db = self.context.db
        BackgroundOp(self, lambda progress: sqlite_backup.create_backup(db, progress=progress), self._backed_up) \
            .with_progress("正在备份…").run_in_background()

    def _backed_up(self, info: sqlite_backup.BackupInfo) -> None:
        self.refresh()
        QMessageBox.information(self, "备份完成", f"已备份到 {info.path}\n（{info.size / 1e6:.1f} MB，"
                                                  f"检查对象 {info.subjects:,} 户）")

    def check_selected(self) -> None:
        info = self.selected()
        if info is None:
            return
        db = self.context.db
        BackgroundOp(self, lambda progress: check_backup(db, info.path, progress),
                     lambda checked: QMessageBox.information(
                         self, "备份完好", f"{checked.created_at:%Y-%m-%d %H:%M} 的{checked.kind}备份通过检查："
                                          "校验和、完整性检查、结构版本、审计日志链均无问题。")) \
            .with_progress("正在检查备份…").run_in_background()

    def restore_selected(self) -> None:
        info = self.selected()
        if info is not None:
            self.restore(info.path)

    def restore_other(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择备份文件", str(sqlite_backup.backup_folder()),
                                              "备份文件 (*.zip)")
        if path:
            self.restore(Path(path))

    def restore(self, path: Path) -> None:
        ok, info = run_or_explain(self, lambda: sqlite_backup.read_backup_info(path))
        if not ok:
            return
        question = (f"恢复 {info.created_at:%Y-%m-%d %H:%M} 的{info.kind}备份（{info.pc or '未知电脑'}）？\n\n"
                    f"备份中的数据：{counts_text(info.facts.counts)}\n\n"
                    "恢复会用这份备份替换当前的全部数据；替换前先检查备份，并自动备份当前数据（恢复前），"
                    "需要时可再恢复回来。请先关闭其他电脑、其他窗口上使用本数据库的程序。")
        if QMessageBox.question(self, "确认恢复", question) != QMessageBox.StandardButton.Yes:
            return
        db, actor = self.context.db, self.context.actor
        BackgroundOp(self, lambda progress: restore_backup(db, actor, path, progress), self._restored) \
            .with_progress("正在检查备份…").run_in_background()

    def _restored(self, report) -> None:
        self.refresh()
        rows = "\n".join(f"{TABLE_LABELS.get(name, name)}：{count:,}"
                         for name, count in report.backup.facts.counts.items() if count)
        box = QMessageBox(QMessageBox.Icon.Information, "恢复完成", report.summary(), parent=self)
        box.setInformativeText("恢复的数据（各表行数）见下方详细信息。")
        box.setDetailedText(rows)
        box.exec()

    def export_all(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "导出全部数据", "全部数据.zip", "数据文件 (*.zip)")
        if not path:
            return
        db = self.context.db
        BackgroundOp(self, lambda progress: export_data(db, path, progress),
                     lambda report: QMessageBox.information(
                         self, "导出完成", f"已导出到 {report.path}\n{counts_text(report.counts)}")) \
            .with_progress("正在导出…").run_in_background()

    def import_into(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择导出的数据文件", "", "数据文件 (*.zip)")
        if not path:
            return
        url, ok = QInputDialog.getText(
            self, "导入到空数据库", "目标数据库地址（必须是空库）：\n如 postgresql://用户:密码@服务器/库名，"
                                   "或 sqlite:///D:/新文件夹/workbench.sqlite3", QLineEdit.EchoMode.Normal)
        if not ok or not url.strip():
            return
        BackgroundOp(self, lambda progress: import_data(url.strip(), path, progress),
                     lambda report: QMessageBox.information(
                         self, "导入完成", f"已导入 {report.target}。\n各表行数、校验和与审计日志链均与导出时一致。"
                                          f"\n{counts_text(report.counts)}\n\n要改用这个数据库，请在“文件 → 设置”中选择它。")) \
            .with_progress("正在导入…").run_in_background()
