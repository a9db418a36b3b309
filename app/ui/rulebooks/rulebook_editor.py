"""Editing the 一细则: the 工作细则 section by section, and one item's 工作指引.

Used by the 建库向导's 工作细则 step and by the 工作细则 tab (编辑工作细则…).
Each paragraph is one line; saving adds a version, never overwrites.
"""

from __future__ import annotations

from PySide6.QtGui import QTextBlockFormat, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QTextEdit,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.rulebooks import versions as rulebooks
from app.services.errors import UserError
from app.services.system.settings import list_departments
from app.ui.context import AppContext
from app.ui.tasks import show_error


class ParagraphEdit(QTextEdit):
    """Plain text, one paragraph a line, with a gap between paragraphs so each one stands out."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAcceptRichText(False)

    def setPlainText(self, text: str) -> None:  # noqa: N802 — Qt naming
        super().setPlainText(text)
        cursor = QTextCursor(self.document())
        cursor.select(QTextCursor.SelectionType.Document)
        spacing = QTextBlockFormat()
        spacing.setBottomMargin(8)
        cursor.mergeBlockFormat(spacing)


def version_text(draft: rulebooks.RulebookDraft) -> str:
    if draft.is_default:
        return "尚未保存：下面是按法规拟好的默认文字，核对修改后点“保存新版本”。"
    when = f"{draft.created_at:%Y-%m-%d %H:%M}" if draft.created_at else ""
    return f"现行第 {draft.version} 版（{when}，{draft.created_by}）。保存后成为第 {draft.version + 1} 版，旧版保留。"


class DepartmentChoice(QComboBox):
    """The regulating departments (the county 双随机办 has no rulebook of its own)."""

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.setMinimumWidth(260)
        self.reload()

    def reload(self) -> None:
        chosen = self.currentData()
        self.blockSignals(True)
        self.clear()
        for dept in list_departments(self.context.db):
            if rulebooks.is_regulator(dept.name, dept.is_office):
                self.addItem(dept.name, dept.id)
        self.setCurrentIndex(max(self.findData(chosen), 0))
        self.blockSignals(False)


class RulebookEditor(QWidget):
    """One department's 工作细则: 文号, the deadlines the defaults use, and each section's text."""

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.draft: rulebooks.RulebookDraft | None = None
        self._loaded_text: dict[str, list[str]] = {}

        self.department = DepartmentChoice(context)
        self.department.currentIndexChanged.connect(self._department_changed)
        self.version = QLabel()
        self.version.setWordWrap(True)
        self.doc_number = QLineEdit()
        self.doc_number.setPlaceholderText("如：禾市监发〔2026〕8号（可空）")

        deadlines = QGroupBox("公示时限与抽查频次（用于默认文字）")
        grid = QGridLayout(deadlines)
        self.deadlines: dict[str, QSpinBox] = {}
        for index, (key, (label, default)) in enumerate(rulebooks.DEADLINES.items()):
            spin = QSpinBox()
            spin.setRange(1, 60)
            spin.setValue(default)
            self.deadlines[key] = spin
            grid.addWidget(QLabel(label + "："), index // 3, (index % 3) * 2)
            grid.addWidget(spin, index // 3, (index % 3) * 2 + 1)
        self.defaults_button = QPushButton("按以上时限恢复默认文字")
        self.defaults_button.clicked.connect(self.restore_defaults)
        grid.addWidget(self.defaults_button, 1, 4, 1, 2)

        self.sections = QListWidget()
        self.sections.setFixedWidth(120)
        self.editors = QStackedWidget()
        self.texts: dict[str, ParagraphEdit] = {}
        for name in rulebooks.SECTION_NAMES:
            self.sections.addItem(name)
            page = QWidget()
            box = QVBoxLayout(page)
            box.setContentsMargins(0, 0, 0, 0)
            hint = QLabel(f"{name}：{rulebooks.SECTION_HINTS[name]}。每段一行。")
            hint.setObjectName("hint")
            editor = ParagraphEdit()
            self.texts[name] = editor
            box.addWidget(hint)
            box.addWidget(editor, 1)
            self.editors.addWidget(page)
        self.sections.currentRowChanged.connect(self.editors.setCurrentIndex)
        self.sections.setCurrentRow(0)

        top = QFormLayout()
        top.addRow("部门：", self.department)
        top.addRow("印发文号：", self.doc_number)
        body = QHBoxLayout()
        body.addWidget(self.sections)
        body.addWidget(self.editors, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.version)
        layout.addWidget(deadlines)
        layout.addLayout(body, 1)
        self.load()

    # --- loading and reading back ------------------------------------------------------
    def department_id(self) -> int | None:
        return self.department.currentData()

    def load(self) -> None:
        dept_id = self.department_id()
        self.setEnabled(dept_id is not None)
        if dept_id is None:
            self.draft = None
            self.version.setText("还没有监管部门：请先在“单位与部门”中添加。")
            for editor in self.texts.values():
                editor.setPlainText("")
            return
        self.draft = rulebooks.get_rulebook(self.context.db, dept_id)
        self.doc_number.setText(self.draft.doc_number)
        for key, spin in self.deadlines.items():
            spin.setValue(self.draft.deadlines.get(key, rulebooks.DEADLINES[key][1]))
        self._show_sections(self.draft.sections)
        self.version.setText(version_text(self.draft))

    def _show_sections(self, sections: dict[str, list[str]]) -> None:
        for name, editor in self.texts.items():
            editor.setPlainText("\n".join(sections.get(name, [])))
        self._loaded_text = self.current_sections()

    def current_sections(self) -> dict[str, list[str]]:
        return {name: [line for line in editor.toPlainText().splitlines() if line.strip()]
                for name, editor in self.texts.items()}

    def is_modified(self) -> bool:
        return self.draft is not None and (self.current_sections() != self._loaded_text
                                           or self.doc_number.text().strip() != self.draft.doc_number)

    def current_draft(self) -> rulebooks.RulebookDraft | None:
        if self.draft is None:
            return None
        return rulebooks.RulebookDraft(
            self.draft.department_id, self.draft.department_name, self.current_sections(),
            self.doc_number.text().strip(), {k: s.value() for k, s in self.deadlines.items()})

    def _department_changed(self) -> None:
        if self.is_modified():  # the texts on screen are still the previous department's
            answer = QMessageBox.question(
                self, "未保存的修改", f"“{self.draft.department_name}”的工作细则有修改尚未保存。现在保存为新版本吗？")
            if answer == QMessageBox.StandardButton.Yes:
                try:
                    rulebooks.save_rulebook(self.context.db, self.context.actor, self.current_draft())
                except UserError as exc:
                    show_error(self, exc)
        self.load()

    # --- actions -----------------------------------------------------------------------
    def restore_defaults(self) -> None:
        if self.draft is None:
            return
        values = {k: s.value() for k, s in self.deadlines.items()}
        defaults = rulebooks.default_rulebook(self.draft.department_id, self.draft.department_name, **values)
        for name, editor in self.texts.items():
            editor.setPlainText("\n".join(defaults.sections[name]))

    def save(self) -> int | None:
        """Save a new version (if the text differs from the version in force); None on error."""
        draft = self.current_draft()
        if draft is None:
            return None
        try:
            version = rulebooks.save_rulebook(self.context.db, self.context.actor, draft)
        except UserError as exc:
            show_error(self, exc)
            return None
        self.load()
        return version


class RulebookDialog(QDialog):
    """编辑工作细则: the editor with 保存新版本 and 关闭."""

    def __init__(self, context: AppContext, department_id: int | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("编辑工作细则")
        self.resize(900, 680)
        self.editor = RulebookEditor(context)
        if department_id is not None:
            self.editor.department.setCurrentIndex(max(self.editor.department.findData(department_id), 0))
        self.saved_version: int | None = None
        self.save_button = QPushButton("保存新版本")
        self.save_button.clicked.connect(self._save)
        close = QPushButton("关闭")
        close.clicked.connect(self._close)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.editor, 1)
        layout.addLayout(buttons)

    def _save(self) -> None:
        version = self.editor.save()
        if version is not None:
            self.saved_version = version
            QMessageBox.information(self, "已保存", f"工作细则已保存为第 {version} 版。")

    def _close(self) -> None:
        if self.editor.is_modified():
            answer = QMessageBox.question(self, "未保存", "工作细则有修改尚未保存，确定不保存就关闭吗？")
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.reject()


class GuideDialog(QDialog):
    """One 抽查事项's 工作指引: 检查内容（检查要点）、检查方法、判定标准、后续处置."""

    LABELS = (("check_points", "检查内容（每行一条检查要点，印在检查表上）"), ("method", "检查方法"),
              ("standard", "判定标准"), ("handling", "后续处置"))

    def __init__(self, context: AppContext, check_item_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.guide = rulebooks.get_guide(context.db, check_item_id)
        self.setWindowTitle(f"工作指引：{self.guide.item_name}")
        self.resize(760, 640)
        state = "尚未保存（默认文字）" if self.guide.is_default else f"现行第 {self.guide.version} 版"
        layout = QVBoxLayout(self)
        title = QLabel(f"<b>{self.guide.item_name}</b>　{state}")
        title.setWordWrap(True)
        layout.addWidget(title)
        self.texts: dict[str, QPlainTextEdit] = {}
        for attr, label in self.LABELS:
            layout.addWidget(QLabel(label + "："))
            editor = QPlainTextEdit("\n".join(getattr(self.guide, attr)))
            self.texts[attr] = editor
            layout.addWidget(editor, 2 if attr == "check_points" else 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存新版本")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _save(self) -> None:
        for attr, editor in self.texts.items():
            setattr(self.guide, attr, [line for line in editor.toPlainText().splitlines() if line.strip()])
        try:
            rulebooks.save_guide(self.context.db, self.context.actor, self.guide)
        except UserError as exc:
            show_error(self, exc)
            return
        self.accept()
