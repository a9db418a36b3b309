"""告知书与送达: issue a task's notices, print them, record 送达, 作废, the register, evidence, the QR check."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.notices import DEFAULT_UNDELIVERED_DAYS, NOTICE
from app.services.inspection.records import tasks_with_inspections
from app.services.notices import archive, check, delivery, issue
from app.services.notices import register as register_book
from app.services.notices.register import RegisterRow
from app.services.rulebooks.templates import preview_dir, print_preview
from app.ui.context import AppContext
from app.ui.common.print_preview import show_preview
from app.ui.inspection import add_evidence, choose_evidence_files
from app.ui.notices.dialogs import DeliveryDialog, VoidDialog
from app.ui.common.base_page import Page
from app.ui.tasks import BackgroundOp, run_or_explain

COLUMNS = ("文号", "文书种类", "检查对象", "任务编号", "出具日期", "送达情况", "状态")


def _button(text: str, name: str, slot) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.clicked.connect(slot)
    return button


class NoticesPage(Page):
    title = "告知书与送达"
    icon_name = "notices"

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(context, parent)
        self.rows: list[RegisterRow] = []
        self.task = QComboBox()
        self.task.setObjectName("noticeTask")
        self.task.setMinimumWidth(320)
        self.task.currentIndexChanged.connect(lambda _: self.reload())
        top = QHBoxLayout()
        top.addWidget(QLabel("抽查任务"))
        top.addWidget(self.task, 1)
        top.addWidget(_button("出具告知书", "issueNotices", self.issue_task))
        top.addWidget(_button("打印告知书…", "printNotices", self.print_task))
        top.addWidget(_button("打印送达回证…", "printReceipts", self.print_receipts))
        top.addWidget(_button("导出一次一档…", "exportArchive", self.export_archive))

        self.search = QLineEdit()
        self.search.setObjectName("registerSearch")
        self.search.setPlaceholderText("查找文号、检查对象、信用代码或任务")
        self.search.textChanged.connect(lambda _: self.reload())
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(date.today().year)
        self.year.setSuffix(" 年")
        self.year.valueChanged.connect(lambda _: self.reload())
        self.only_task = QCheckBox("只看本任务")
        self.only_task.setChecked(True)
        self.only_task.toggled.connect(lambda _: self.reload())
        self.overdue = QCheckBox("只看未送达超过")
        self.overdue.setObjectName("onlyOverdue")
        self.overdue.toggled.connect(lambda _: self.reload())
        self.days = QSpinBox()
        self.days.setRange(1, 365)
        self.days.setValue(DEFAULT_UNDELIVERED_DAYS)
        self.days.setSuffix(" 天")
        self.days.valueChanged.connect(lambda _: self.reload())
        filters = QHBoxLayout()
        filters.addWidget(self.search, 1)
        filters.addWidget(self.year)
        filters.addWidget(self.only_task)
        filters.addWidget(self.overdue)
        filters.addWidget(self.days)
        filters.addWidget(_button("导出登记簿…", "exportRegister", self.export_register))

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("registerTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((190, 100, 230, 170, 90, 180)):
            self.table.setColumnWidth(column, width)

        actions = QHBoxLayout()
        actions.addWidget(_button("登记送达…", "recordDelivery", self.record_delivery))
        actions.addWidget(_button("作废…", "voidNotice", self.void_selected))
        actions.addWidget(_button("添加证据材料…", "attachEvidence", self.attach_evidence))
        self.summary = QLabel()
        self.summary.setObjectName("registerSummary")
        actions.addWidget(self.summary, 1)

        self.code = QLineEdit()
        self.code.setObjectName("qrCheck")
        self.code.setPlaceholderText("扫描告知书上的二维码，或输入文号，按回车核验")
        self.code.returnPressed.connect(self.check_code)
        self.verdict = QLabel()
        self.verdict.setObjectName("qrVerdict")
        self.verdict.setWordWrap(True)
        checking = QHBoxLayout()
        checking.addWidget(QLabel("核验"))
        checking.addWidget(self.code, 1)
        checking.addWidget(_button("核验", "checkCode", self.check_code))

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        layout.addLayout(checking)
        layout.addWidget(self.verdict)

    # ---- loading ---------------------------------------------------------------------------------
    def refresh(self) -> None:
        current = self.task.currentData()
        self.task.blockSignals(True)
        self.task.clear()
        for choice in tasks_with_inspections(self.context.db):
            self.task.addItem(str(choice), choice.id)
        index = self.task.findData(current)
        self.task.setCurrentIndex(max(index, 0))
        self.task.blockSignals(False)
        self.reload()

    def task_id(self) -> int | None:
        return self.task.currentData()

    def reload(self) -> None:
        task_id = self.task_id() if self.only_task.isChecked() else None
        rows = register_book.register_rows(self.context.db, self.year.value(), self.search.text(), task_id)
        if self.overdue.isChecked():
            late = {u.number for u in delivery.undelivered(self.context.db, self.days.value())}
            rows = [r for r in rows if r.number in late]
        self.rows = rows
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            values = (row.number, row.kind, row.subject, row.task_number, f"{row.issued_at:%Y-%m-%d}",
                      row.delivery or ("—" if row.kind != NOTICE else "未送达"), row.status)
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if row.voided:
                    item.setForeground(Qt.GlobalColor.darkRed)
                self.table.setItem(r, c, item)
        notices = [r for r in rows if r.kind == NOTICE]
        self.summary.setText(f"共 {len(rows)} 条；告知书 {len(notices)} 份，其中已作废 "
                             f"{sum(r.voided for r in notices)} 份、未送达 "
                             f"{sum(not r.delivery and not r.voided for r in notices)} 份")

    def selected(self) -> RegisterRow | None:
        rows = {index.row() for index in self.table.selectionModel().selectedRows()}
        if len(rows) != 1:
            QMessageBox.information(self, "请选择", "请先在登记簿中选中一份告知书。")
            return None
        row = self.rows[rows.pop()]
        if row.kind != NOTICE:
            QMessageBox.information(self, "请选择", "请选中一份检查结果告知书（抽取过程记录不在此处送达或作废）。")
            return None
        return row

    # ---- actions ---------------------------------------------------------------------------------
    def issue_task(self) -> None:
        task_id = self.task_id()
        if task_id is None:
            QMessageBox.information(self, "出具告知书", "还没有可出具告知书的抽查任务。")
            return
        actor = self.context.actor

        def done(issued) -> None:
            self.reload()
            QMessageBox.information(self, "出具告知书", f"已出具 {len(issued)} 份告知书："
                                    f"{issued[0].number} 至 {issued[-1].number}。\n可点“打印告知书…”预览并打印。")

        BackgroundOp(self, lambda progress: issue.issue_notices(self.context.db, actor, task_id, progress=progress),
                     done).with_progress("正在出具告知书…").run_in_background()

    def _preview(self, make, title: str) -> None:
        def work(progress):
            document = make(preview_dir(), progress)
            return document, print_preview(document, progress=progress)

        BackgroundOp(self, work, lambda result: show_preview(self, result[0], result[1], title)) \
            .with_progress("正在生成打印预览…").run_in_background()

    def print_task(self) -> None:
        task_id = self.task_id()
        if task_id is not None:
            def make(folder, progress):
                out = folder / "检查结果告知书.docx"
                issue.print_notices(self.context.db, task_id, out, progress=progress)
                return out
            self._preview(make, "检查结果告知书")

    def print_receipts(self) -> None:
        numbers = [self.rows[i.row()].number for i in self.table.selectionModel().selectedRows()
                   if self.rows[i.row()].kind == NOTICE and not self.rows[i.row()].voided]
        if not numbers:
            QMessageBox.information(self, "打印送达回证", "请先选中要直接送达的告知书（可多选）。")
            return

        def make(folder, progress):
            out = folder / "送达回证.docx"
            delivery.print_receipts(self.context.db, numbers, out, progress=progress)
            return out
        self._preview(make, "送达回证")

    def record_delivery(self) -> None:
        row = self.selected()
        if row is None:
            return
        dialog = DeliveryDialog(row.number, row.subject, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        ok, _ = run_or_explain(self, lambda: delivery.record_delivery(self.context.db, self.context.actor, row.number,
                                                                      dialog.value()))
        if ok:
            self.reload()

    def void_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        if row.voided:
            QMessageBox.information(self, "作废", f"“{row.number}”已作废。")
            return
        dialog = VoidDialog(row.number, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        ok, _ = run_or_explain(self, lambda: issue.void_notice(self.context.db, self.context.actor, row.number,
                                                               dialog.value()))
        if ok:
            self.reload()

    def attach_evidence(self) -> BackgroundOp | None:
        row = self.selected()
        if row is None or row.inspection_id is None:
            return None
        paths = choose_evidence_files(self, row.subject)
        if not paths:
            return None
        return add_evidence(self, self.context, row.inspection_id, paths, lambda added: QMessageBox.information(
            self, "证据材料", f"已为“{row.subject}”添加 {len(added)} 个文件，导出一次一档时一并归档；"
                          "在“检查与结果”中选中该检查对象可查看、打开或另存。"))

    def export_register(self) -> None:
        year = self.year.value()
        out, _ = QFileDialog.getSaveFileName(self, "导出发文登记簿", f"{year}年发文登记簿.xlsx", "Excel 工作簿 (*.xlsx)")
        if out:
            ok, count = run_or_explain(self, lambda: register_book.export_register(self.context.db, year, out,
                                                                                   self.search.text()))
            if ok:
                QMessageBox.information(self, "导出登记簿", f"已导出 {count} 条：{out}")

    def export_archive(self) -> None:
        task_id = self.task_id()
        if task_id is None:
            return
        folder = QFileDialog.getExistingDirectory(self, "选择保存一次一档的位置（如U盘）")
        if folder:
            BackgroundOp(self, lambda progress: archive.export_archive(self.context.db, task_id, folder, progress),
                         lambda result: QMessageBox.information(
                             self, "一次一档", f"已导出 {result.inspections} 户的档案（{result.files} 个文件）：\n"
                                               f"{result.folder}\n压缩包：{result.zip}")) \
                .with_progress("正在导出一次一档…").run_in_background()

    def check_code(self) -> None:
        text = self.code.text().strip()
        if not text:
            return
        result = check.check_text(self.context.db, text)
        colour = "#1a7f37" if result.matches and not result.voided else "#b42318"
        self.verdict.setText(f'<span style="color:{colour}">{result.message}</span>')
