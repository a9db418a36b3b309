"""证据材料 of the selected inspection: list, add (in the background), open or save a copy, remove.

Who may remove a file, and when, is decided by the service (``evidence.remove_file``); the panel
only asks it beforehand to grey out 删除 and say why in its tooltip.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.inspection import MAX_EVIDENCE_BYTES, MB, evidence_adding_problem, size_text
from app.services.inspection import evidence
from app.services.inspection.evidence import EvidenceFile
from app.ui.common.print_preview import open_in_system
from app.ui.context import AppContext
from app.ui.tasks import BackgroundOp, run_or_explain

COLUMNS = ("文件名", "大小", "添加人", "添加时间")
ADD_TIP = (f"添加现场照片、扫描件等，可一次选多个；每个文件不超过 {MAX_EVIDENCE_BYTES // MB} MB。"
           "文件保存在数据库中，连接同一服务器的每台电脑都能看到，导出一次一档时一并归档。")
FILE_FILTER = "照片和扫描件 (*.jpg *.jpeg *.png *.bmp *.tif *.tiff *.heic *.pdf *.ofd);;所有文件 (*)"


def choose_evidence_files(parent: QWidget | None, subject: str) -> list[str]:
    """The file dialog (in Chinese, several files at once) for a subject's evidence."""
    paths, _ = QFileDialog.getOpenFileNames(
        parent, f"为“{subject}”添加证据材料（可多选，每个文件不超过 {MAX_EVIDENCE_BYTES // MB} MB）", "", FILE_FILTER)
    return paths


def add_evidence(parent: QWidget, context: AppContext, inspection_id: int, paths: list[str],
                 done) -> BackgroundOp:
    """Store the files off the GUI thread (20 MB into a PostgreSQL server on the LAN takes a while)."""
    db, actor = context.db, context.actor
    return BackgroundOp(parent, lambda progress: evidence.add_files(db, actor, inspection_id, paths,
                                                                    progress=progress), done) \
        .with_progress("正在添加证据材料…").run_in_background()


class EvidencePanel(QGroupBox):
    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__("证据材料（照片、扫描件）", parent)
        self.context = context
        self.inspection_id: int | None = None
        self.subject = ""
        self.status = ""
        self.files: list[EvidenceFile] = []
        self.last_op: BackgroundOp | None = None
        self.add_button = QPushButton("添加…")
        self.add_button.setObjectName("addEvidence")
        self.add_button.clicked.connect(self.choose_and_add)
        self.open_button = QPushButton("打开")
        self.open_button.setObjectName("openEvidence")
        self.open_button.setToolTip("用系统中的看图或 PDF 程序打开一份副本（也可双击文件）")
        self.open_button.clicked.connect(self.open_selected)
        self.save_button = QPushButton("另存为…")
        self.save_button.setObjectName("saveEvidence")
        self.save_button.clicked.connect(self.save_selected)
        self.remove_button = QPushButton("删除…")
        self.remove_button.setObjectName("removeEvidence")
        self.remove_button.clicked.connect(self.remove_selected)
        self.message = QLabel("")
        self.message.setObjectName("evidenceMessage")
        self.message.setWordWrap(True)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("evidenceTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, width in ((1, 70), (2, 70), (3, 120)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.table.setColumnWidth(column, width)
        self.table.setMinimumHeight(24 * 3 + header.sizeHint().height() + 4)
        self.table.itemSelectionChanged.connect(self.update_buttons)
        self.table.itemDoubleClicked.connect(lambda _item: self.open_selected())

        buttons = QHBoxLayout()
        for button in (self.add_button, self.open_button, self.save_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 6)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        self.show_files(None)

    # --- showing -------------------------------------------------------------------------------
    def show_files(self, inspection_id: int | None, subject: str = "", status: str = "", note: str = "") -> None:
        """List an inspection's evidence (None: nothing selected)."""
        self.inspection_id, self.subject, self.status = inspection_id, subject, status
        self.files = [] if inspection_id is None else evidence.list_files(self.context.db, inspection_id)
        self.table.setRowCount(len(self.files))
        for r, file in enumerate(self.files):
            values = (file.file_name, file.size_text, file.added_by_name, f"{file.added_at:%Y-%m-%d %H:%M}")
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if c == 0:
                    item.setToolTip(f"{file.file_name}\nSHA-256：{file.sha256}")
                if c == 1:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        if self.files:
            self.table.selectRow(len(self.files) - 1)
        self.setTitle(f"证据材料（{len(self.files)} 个文件）" if inspection_id is not None else "证据材料（照片、扫描件）")
        if note:
            self.message.setText(note)
        elif inspection_id is None:
            self.message.setText("选择检查对象后可查看和添加证据材料。")
        elif not self.files:
            self.message.setText(f"还没有证据材料。每个文件不超过 {MAX_EVIDENCE_BYTES // MB} MB。")
        else:
            self.message.setText(f"共 {len(self.files)} 个，"
                                 f"{size_text(sum(f.size for f in self.files))}；随一次一档归档。")
        self.update_buttons()

    def selected(self) -> EvidenceFile | None:
        row = self.table.currentRow()
        rows = {index.row() for index in self.table.selectionModel().selectedRows()}
        return self.files[row] if row in rows and 0 <= row < len(self.files) else None

    def update_buttons(self) -> None:
        chosen = self.selected()
        adding = "" if self.inspection_id is None else evidence_adding_problem(self.status)
        self.add_button.setEnabled(self.inspection_id is not None and not adding)
        self.add_button.setToolTip(adding or ADD_TIP)
        for button in (self.open_button, self.save_button):
            button.setEnabled(chosen is not None)
        why = "请先选中一个文件。" if chosen is None else evidence.removal_problem(chosen, self.status, self.context.actor)
        self.remove_button.setEnabled(not why)
        self.remove_button.setToolTip(why or "删除误添加的文件（须填写原因，记入审计日志）")

    # --- actions -------------------------------------------------------------------------------
    def choose_and_add(self) -> None:
        if self.inspection_id is None:
            return
        paths = choose_evidence_files(self, self.subject)
        if paths:
            self.add_files(paths)

    def add_files(self, paths: list[str]) -> BackgroundOp:
        inspection_id = self.inspection_id

        def done(added: list[EvidenceFile]) -> None:
            if self.inspection_id == inspection_id:  # (the clerk may have moved on while it was stored)
                names = "、".join(f.file_name for f in added[:3]) + ("等" if len(added) > 3 else "")
                self.show_files(inspection_id, self.subject, self.status, f"已添加 {len(added)} 个文件（{names}）。")

        self.last_op = add_evidence(self, self.context, inspection_id, paths, done)
        return self.last_op

    def open_selected(self) -> BackgroundOp | None:
        chosen = self.selected()
        if chosen is None:
            return None
        self.last_op = BackgroundOp(self, lambda _progress: evidence.copy_for_viewing(self.context.db, chosen.id),
                                    lambda path: open_in_system(self, path)) \
            .with_progress(f"正在取出“{chosen.file_name}”…").run_in_background()
        return self.last_op

    def save_selected(self) -> BackgroundOp | None:
        chosen = self.selected()
        if chosen is None:
            return None
        target, _ = QFileDialog.getSaveFileName(self, "证据材料另存为", str(Path.home() / chosen.file_name), "所有文件 (*)")
        if not target:
            return None
        self.last_op = BackgroundOp(self, lambda _progress: evidence.save_copy(self.context.db, chosen.id, target),
                                    lambda path: self.message.setText(f"已另存为：{path}")) \
            .with_progress(f"正在另存“{chosen.file_name}”…").run_in_background()
        return self.last_op

    def remove_selected(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        reason, ok = QInputDialog.getText(
            self, "删除证据材料", f"删除“{chosen.file_name}”（{chosen.size_text}，{chosen.added_by_name} 添加）。\n"
                                  "删除后不能恢复，审计日志会记下文件名、大小、SHA-256 和原因。\n删除原因：",
            text="误添加")
        if not ok:
            return
        done, _ = run_or_explain(self, lambda: evidence.remove_file(self.context.db, self.context.actor, chosen.id,
                                                                     reason))
        if done:
            self.show_files(self.inspection_id, self.subject, self.status, f"已删除“{chosen.file_name}”。")
