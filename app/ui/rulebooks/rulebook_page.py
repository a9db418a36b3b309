"""工作细则 (一细则): a department's rulebook version in force and its items' 工作指引.

From here the clerk edits the rulebook, generates default guides, exports
both as .docx, previews the print, and opens any step of the 建库向导 again.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.rulebooks import versions as rulebooks

from app.services.system import setup

from app.services.rulebooks import templates
from app.ui.context import AppContext
from app.ui.common.print_preview import show_preview
from app.ui.common.base_page import Page
from app.ui.tasks import BackgroundOp
from app.ui.rulebooks.rulebook_editor import DepartmentChoice, GuideDialog, RulebookDialog, version_text

GUIDE_HEADERS = ["抽查类别", "抽查事项", "检查对象", "工作指引"]


class RulebookPage(Page):
    title = "工作细则"

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(context, parent)
        self.department = DepartmentChoice(context)
        self.department.currentIndexChanged.connect(self.show_department)
        self.version = QLabel()
        self.version.setWordWrap(True)
        self.guide_state = QLabel()
        self.guides = QTableWidget(0, len(GUIDE_HEADERS))
        self.guides.setHorizontalHeaderLabels(GUIDE_HEADERS)
        self.guides.verticalHeader().setVisible(False)
        self.guides.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.guides.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.guides.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.guides.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.guides.setColumnWidth(0, 200)
        self.guides.setColumnWidth(2, 220)
        self.guides.setColumnWidth(3, 110)
        self.guides.cellDoubleClicked.connect(lambda row, _c: self.edit_guide(row))
        self.guide_ids: list[int] = []

        self.edit_button = QPushButton("编辑工作细则…")
        self.edit_button.clicked.connect(self.edit_rulebook)
        self.generate_button = QPushButton("生成工作指引")
        self.generate_button.clicked.connect(self.generate_guides)
        self.export_button = QPushButton("导出 docx")
        export_menu = QMenu(self.export_button)
        export_menu.addAction("工作细则…", self.export_rulebook)
        export_menu.addAction("工作指引…", self.export_guides)
        self.export_button.setMenu(export_menu)
        self.preview_button = QPushButton("打印预览")
        self.preview_button.clicked.connect(self.preview_rulebook)
        self.wizard_button = QPushButton("建库向导…")
        wizard_menu = QMenu(self.wizard_button)
        wizard_menu.addAction("从上次停下的地方继续", lambda: self.open_wizard(None))
        wizard_menu.addSeparator()
        for index, name in enumerate(setup.STEPS):
            wizard_menu.addAction(f"第 {index + 1} 步：{name}", lambda i=index: self.open_wizard(i))
        self.wizard_button.setMenu(wizard_menu)

        top = QHBoxLayout()
        top.addWidget(QLabel("部门："))
        top.addWidget(self.department)
        top.addStretch(1)
        top.addWidget(self.wizard_button)
        buttons = QHBoxLayout()
        for button in (self.edit_button, self.generate_button, self.export_button, self.preview_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.version)
        layout.addLayout(buttons)
        layout.addWidget(self.guide_state)
        layout.addWidget(self.guides, 1)

    # --- showing ---------------------------------------------------------------------
    def department_id(self) -> int | None:
        return self.department.currentData()

    def refresh(self) -> None:
        self.department.reload()
        self.show_department()

    def show_department(self) -> None:
        dept_id = self.department_id()
        for button in (self.edit_button, self.generate_button, self.export_button, self.preview_button):
            button.setEnabled(dept_id is not None)
        self.guides.setRowCount(0)
        self.guide_ids = []
        if dept_id is None:
            self.version.setText("还没有监管部门。点“建库向导…”从第 1 步添加单位与部门。")
            self.guide_state.setText("")
            return
        self.version.setText("<b>工作细则：</b>" + version_text(rulebooks.get_rulebook(self.context.db, dept_id)))
        rows = rulebooks.list_guides(self.context.db, dept_id)
        self.guides.setRowCount(len(rows))
        for index, row in enumerate(rows):
            state = f"第 {row.version} 版" if row.version else "未生成"
            for column, text in enumerate((row.category, row.item_name, row.target, state)):
                self.guides.setItem(index, column, QTableWidgetItem(text))
            self.guide_ids.append(row.check_item_id)
        done = sum(1 for r in rows if r.version)
        self.guide_state.setText(
            f"<b>工作指引：</b>本部门启用的抽查事项 {len(rows)} 项，已有工作指引 {done} 项。双击一项可修改。"
            if rows else "<b>工作指引：</b>本部门还没有对应的启用事项。请先在“随机抽查事项清单”页导入清单。")

    # --- actions -----------------------------------------------------------------------
    def edit_rulebook(self) -> None:
        RulebookDialog(self.context, self.department_id(), self).exec()
        self.refresh()

    def edit_guide(self, row: int) -> None:
        if 0 <= row < len(self.guide_ids) and GuideDialog(self.context, self.guide_ids[row], self).exec():
            self.refresh()

    def generate_guides(self) -> None:
        db, actor, dept_id = self.context.db, self.context.actor, self.department_id()
        BackgroundOp(self, lambda p: rulebooks.generate_default_guides(db, actor, dept_id, p), self._generated) \
            .with_progress("正在生成工作指引…").run_in_background()

    def _generated(self, result: rulebooks.GuideGeneration) -> None:
        QMessageBox.information(self, "生成工作指引", f"新生成 {result.created} 项；已有的 {result.kept} 项保持不变。")
        self.refresh()

    def _ask_path(self, what: str) -> str:
        name = f"{self.department.currentText()}{what}.docx"
        path, _ = QFileDialog.getSaveFileName(self, f"导出{what}", name, "Word 文档 (*.docx)")
        if path and not path.lower().endswith(".docx"):
            path += ".docx"
        return path

    def export_rulebook(self) -> None:
        path = self._ask_path("随机抽查工作细则")
        if path:
            db, dept_id = self.context.db, self.department_id()
            BackgroundOp(self, lambda p: rulebooks.export_rulebook(db, dept_id, path, progress=p),
                         lambda n: self._exported(path, f"工作细则（{n} 节）")) \
                .with_progress("正在导出工作细则…").run_in_background()

    def export_guides(self) -> None:
        path = self._ask_path("随机抽查工作指引")
        if path:
            db, dept_id = self.context.db, self.department_id()
            BackgroundOp(self, lambda p: rulebooks.export_guides(db, dept_id, path, progress=p),
                         lambda n: self._exported(path, f"工作指引（{n} 个抽查事项）")) \
                .with_progress("正在导出工作指引…").run_in_background()

    def _exported(self, path: str, what: str) -> None:
        QMessageBox.information(self, "已导出", f"{what}已导出到：\n{path}")

    def preview_rulebook(self) -> None:
        db, dept_id = self.context.db, self.department_id()
        title = f"{self.department.currentText()}随机抽查工作细则"

        def work(progress):
            document = templates.preview_dir() / f"{title}.docx"
            rulebooks.export_rulebook(db, dept_id, document, progress=progress)
            return document, templates.print_preview(document, progress=progress)

        BackgroundOp(self, work, lambda result: show_preview(self, result[0], result[1], title)) \
            .with_progress("正在生成打印预览…").run_in_background()

    def open_wizard(self, step: int | None) -> None:
        from app.ui.system import SetupWizard

        SetupWizard(self.context, step, self).exec()
        self.refresh()
