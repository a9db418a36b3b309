"""建库向导: the first thing a new office sees — 一单两库一细则 in six steps.

单位与部门 → 事项清单 → 检查对象 → 执法人员 → 工作细则与工作指引 → 小结.
Each finished step is remembered (app.services.system.setup), so the wizard can be
left with “稍后继续” and picks up where it stopped; any step can be opened
again later from the 工作细则 tab.  Nothing here touches the database or files
directly: the pages call the services, long work runs as a BackgroundOp.
"""

from __future__ import annotations

import html

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.services.directory import check_items

from app.services.rulebooks import versions as rulebooks

from app.services.system import setup
from app.services.system import settings as settings_service
from app.services.demo.county import bundled_lists
from app.services.errors import UserError
from app.services.directory.inspectors import list_inspectors
from app.services.system.overview import overview
from app.services.directory.subject_query import SubjectFilter, count_subjects
from app.tabular import INSPECTOR, SUBJECT
from app.ui.context import AppContext
from app.ui.directory import ImportDialog
from app.ui.tasks import BackgroundOp, show_error
from app.ui.rulebooks import RulebookEditor
from app.ui.common.screen_fit import fit_to_screen

OFFICE, ITEMS, SUBJECTS, INSPECTORS, RULEBOOK, SUMMARY = range(6)


def _note(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    return label


class _StepPage(QWizardPage):
    """A step that remembers, when left with 下一步, that it was finished."""

    step = 0

    def __init__(self, context: AppContext):
        super().__init__()
        self.context = context
        self.setTitle(f"第 {self.step + 1} 步（共 {len(setup.STEPS)} 步）：{setup.STEPS[self.step]}")

    def save(self) -> bool:
        """Write what the page holds; False keeps the clerk on the page."""
        return True

    def validatePage(self) -> bool:  # noqa: N802 — Qt naming
        if not self.save():
            return False
        setup.finish_step(self.context.db, self.context.actor, self.step)
        return True


class OfficePage(_StepPage):
    step = OFFICE

    def __init__(self, context: AppContext):
        super().__init__(context)
        self.setSubTitle("单位名称印在文书落款；部门简称用于任务编号和告知书文号，如“禾市监”。")
        self.office_name = QLineEdit()
        self.office_name.setPlaceholderText("如：青禾县市场监督管理局")
        self.county_name = QLineEdit()
        self.county_name.setPlaceholderText("如：青禾县")
        form = QFormLayout()
        form.addRow("单位名称：", self.office_name)
        form.addRow("县（市、区）：", self.county_name)

        self.departments = QTableWidget(0, 2)
        self.departments.setHorizontalHeaderLabels(["部门名称", "文号简称"])
        self.departments.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.departments.setColumnWidth(1, 140)
        self.departments.verticalHeader().setVisible(False)
        self.departments.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.department_ids: list[int | None] = []
        add = QPushButton("添加部门")
        add.clicked.connect(lambda: self.add_department("", "", edit=True))
        remove = QPushButton("删除未保存的行")
        remove.clicked.connect(self.remove_new_row)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("本县开展随机抽查的部门（含县双随机办）："))
        layout.addWidget(self.departments, 1)
        layout.addLayout(buttons)

    def initializePage(self) -> None:  # noqa: N802
        values = settings_service.get_settings(self.context.db)
        self.office_name.setText(values[settings_service.OFFICE_NAME])
        self.county_name.setText(values[settings_service.COUNTY_NAME])
        self.departments.setRowCount(0)
        self.department_ids = []
        for dept in settings_service.list_departments(self.context.db):
            self.add_department(dept.name, dept.short_name, dept.id)

    def add_department(self, name: str, short: str, dept_id: int | None = None, edit: bool = False) -> int:
        row = self.departments.rowCount()
        self.departments.insertRow(row)
        self.departments.setItem(row, 0, QTableWidgetItem(name))
        self.departments.setItem(row, 1, QTableWidgetItem(short))
        self.department_ids.append(dept_id)
        if edit:
            self.departments.setCurrentCell(row, 0)
            self.departments.editItem(self.departments.item(row, 0))
        return row

    def remove_new_row(self) -> None:
        row = self.departments.currentRow()
        if row >= 0 and self.department_ids[row] is None:
            self.departments.removeRow(row)
            del self.department_ids[row]

    def department_rows(self) -> list[tuple[int | None, str, str]]:
        rows = []
        for row, dept_id in enumerate(self.department_ids):
            name = (self.departments.item(row, 0).text() if self.departments.item(row, 0) else "").strip()
            short = (self.departments.item(row, 1).text() if self.departments.item(row, 1) else "").strip()
            if dept_id is None and not name:
                continue
            rows.append((dept_id, name, short))
        return rows

    def save(self) -> bool:
        rows = self.department_rows()
        try:
            if not self.office_name.text().strip():
                raise UserError("请填写单位名称（文书落款要用）。")
            if not rows:
                raise UserError("请至少添加一个部门，并填写文号简称。")
            missing_short = [name for _, name, short in rows if not short]
            if missing_short:
                raise UserError(f"请填写“{'”“'.join(missing_short)}”的文号简称（如“禾市监”），任务编号要用。")
            settings_service.save_settings(self.context.db, self.context.actor, {
                settings_service.OFFICE_NAME: self.office_name.text().strip(),
                settings_service.COUNTY_NAME: self.county_name.text().strip()})
            settings_service.save_departments(self.context.db, self.context.actor, rows)
        except UserError as exc:
            show_error(self, exc)
            return False
        return True


class ItemsPage(_StepPage):
    step = ITEMS

    def __init__(self, context: AppContext):
        super().__init__(context)
        self.setSubTitle("随机抽查事项清单（一单）：选用程序自带的省级清单，或导入上级发布的清单文件（xlsx、xls）。")
        self.bundled = QRadioButton("使用程序自带的省级清单：")
        self.bundled_names = _note("<br>".join(f"　· {p.stem}" for p in bundled_lists()) or "（本程序未附带清单）")
        self.from_file = QRadioButton("导入清单文件：")
        self.file_line = QLineEdit()
        self.file_line.setReadOnly(True)
        self.file_line.setPlaceholderText("选择上级发布的随机抽查事项清单")
        choose = QPushButton("选择文件…")
        choose.clicked.connect(self.choose_file)
        self.choice = QButtonGroup(self)
        self.choice.addButton(self.bundled)
        self.choice.addButton(self.from_file)
        self.bundled.setChecked(bool(bundled_lists()))
        self.from_file.setChecked(not bundled_lists())
        self.import_button = QPushButton("导入所选清单")
        self.import_button.clicked.connect(self.start_import)
        self.state = _note()
        self.result = _note()
        self.importing = False

        file_row = QHBoxLayout()
        file_row.addWidget(self.file_line, 1)
        file_row.addWidget(choose)
        action = QHBoxLayout()
        action.addWidget(self.import_button)
        action.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.bundled)
        layout.addWidget(self.bundled_names)
        layout.addWidget(self.from_file)
        layout.addLayout(file_row)
        layout.addLayout(action)
        layout.addWidget(self.result)
        layout.addStretch(1)
        layout.addWidget(self.state)

    def initializePage(self) -> None:  # noqa: N802
        self.show_state()

    def show_state(self) -> None:
        total = check_items.item_count(self.context.db)
        enabled = len(check_items.list_items(self.context.db, enabled_only=True)) if total else 0
        self.state.setText(f"库中现有抽查事项 <b>{total}</b> 项，其中启用 <b>{enabled}</b> 项。"
                           + ("已导入过的清单再次导入会更新原有事项，不会重复。" if total else
                              "还没有事项：请先导入清单，也可以先跳过，稍后在“随机抽查事项清单”页导入。"))

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择事项清单", "", "Excel (*.xlsx *.xls);;所有文件 (*)")
        if path:
            self.file_line.setText(path)
            self.from_file.setChecked(True)

    def chosen_files(self) -> list[Path]:
        if self.bundled.isChecked():
            return bundled_lists()
        return [Path(self.file_line.text())] if self.file_line.text() else []

    def start_import(self) -> None:
        files = self.chosen_files()
        if not files:
            show_error(self, UserError("请先选择要导入的清单文件。"))
            return
        db, actor = self.context.db, self.context.actor
        reason = "建库向导：导入事项清单"

        def work(progress):
            return [check_items.import_check_items(db, actor, path, reason, progress) for path in files]

        self.importing = True
        self.import_button.setEnabled(False)
        BackgroundOp(self, work, self._imported).failure(self._failed) \
            .with_progress("正在导入事项清单…").run_in_background()

    def _imported(self, results) -> None:
        self.importing = False
        self.import_button.setEnabled(True)
        self.result.setText("<br>".join(
            f"<span style='color:{'#a15c00' if r.warnings else '#1b5e20'}'>{html.escape(r.summary())}</span>"
            .replace("\n", "<br>") for r in results))
        self.show_state()

    def _failed(self, exc: BaseException, details: str) -> None:
        self.importing = False
        self.import_button.setEnabled(True)
        show_error(self, exc, details)

    def save(self) -> bool:
        return not self.importing


class _DirectoryPage(_StepPage):
    """检查对象 / 执法人员: import through the same dialog as the 名录 pages."""

    kind = SUBJECT
    button_text = ""

    def __init__(self, context: AppContext):
        super().__init__(context)
        self.import_button = QPushButton(self.button_text)
        self.import_button.clicked.connect(self.open_import)
        self.state = _note()
        action = QHBoxLayout()
        action.addWidget(self.import_button)
        action.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(_note(self.explanation()))
        layout.addLayout(action)
        layout.addWidget(self.state)
        layout.addStretch(1)

    def explanation(self) -> str:
        return ""

    def initializePage(self) -> None:  # noqa: N802
        self.show_state()

    def show_state(self) -> None:
        """Show what the directory now holds."""

    def open_import(self) -> None:
        dialog = ImportDialog(self.context, self.kind, self)
        dialog.exec()
        dialog.deleteLater()
        self.show_state()


class SubjectsPage(_DirectoryPage):
    step = SUBJECTS
    kind = SUBJECT
    button_text = "导入检查对象名录…"

    def __init__(self, context: AppContext):
        super().__init__(context)
        self.setSubTitle("检查对象名录库（库1）：从登记注册系统导出的市场主体名录，按统一社会信用代码或注册号合并。")

    def explanation(self) -> str:
        return ("选择 xlsx、xls 或 csv 文件，程序会按表头自动识别各列，导入前可以预览和修改列对应。"
                "有错误的文件默认整个不导入，并给出校验报告。以后还可在“检查对象名录库”页继续导入、更新。")

    def show_state(self) -> None:
        count = count_subjects(self.context.db, SubjectFilter())
        self.state.setText(f"库中现有检查对象 <b>{count:,}</b> 户。" if count else
                           "<span style='color:#a15c00'>检查对象名录库还是空的。</span>")


class InspectorsPage(_DirectoryPage):
    step = INSPECTORS
    kind = INSPECTOR
    button_text = "导入执法检查人员名录…"

    def __init__(self, context: AppContext):
        super().__init__(context)
        self.setSubTitle("执法检查人员名录库（库2）：姓名、所在部门、执法证号及有效期、业务专长。")

    def explanation(self) -> str:
        return ("名录中的部门若尚未添加，导入时自动添加。执法证过期、请假、借调的人员不参加抽取；"
                "每个检查组至少 2 名执法人员。以后还可在“执法检查人员名录库”页修改。")

    def show_state(self) -> None:
        people = list_inspectors(self.context.db)
        eligible = [p for p in people if p.eligible and p.category != "专家"]
        text = f"库中现有执法检查人员 <b>{len(people)}</b> 人，今天可参加抽取 <b>{len(eligible)}</b> 人。"
        by_department: dict[str, int] = {}
        for person in eligible:
            by_department[person.department] = by_department.get(person.department, 0) + 1
        text += "".join(f"<br>　{name}：{count} 人" for name, count in by_department.items())
        if len(eligible) < 2:
            text += "<br><span style='color:#a15c00'>可参加抽取的人员不足 2 人，无法组成检查组。</span>"
        self.state.setText(text)


class RulebookStepPage(_StepPage):
    step = RULEBOOK

    def __init__(self, context: AppContext):
        super().__init__(context)
        self.setSubTitle("工作细则按法规拟好了默认文字，核对、修改后保存；工作指引为本部门每个启用的抽查事项各写一份。")
        self.editor = RulebookEditor(context)
        self.editor.department.currentIndexChanged.connect(self.show_guides)
        self.save_button = QPushButton("保存新版本")
        self.save_button.clicked.connect(self.save_rulebook)
        self.guide_button = QPushButton("生成工作指引")
        self.guide_button.clicked.connect(self.generate_guides)
        self.guides = _note()
        self.generating = False
        row = QHBoxLayout()
        row.addWidget(self.save_button)
        row.addWidget(self.guide_button)
        row.addWidget(self.guides, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.editor, 1)
        layout.addLayout(row)

    def initializePage(self) -> None:  # noqa: N802
        self.editor.department.reload()
        self.editor.load()
        self.show_guides()

    def show_guides(self) -> None:
        dept_id = self.editor.department_id()
        enabled = dept_id is not None
        self.save_button.setEnabled(enabled)
        self.guide_button.setEnabled(enabled and not self.generating)
        if not enabled:
            self.guides.setText("")
            return
        rows = rulebooks.list_guides(self.context.db, dept_id)
        done = sum(1 for r in rows if r.version)
        if not rows:
            self.guides.setText("<span style='color:#a15c00'>本部门没有对应的启用事项，暂不能生成工作指引。</span>")
        else:
            self.guides.setText(f"本部门启用事项 <b>{len(rows)}</b> 项，已有工作指引 <b>{done}</b> 项。")

    def save_rulebook(self) -> bool:
        return self.editor.save() is not None

    def generate_guides(self) -> None:
        dept_id = self.editor.department_id()
        if dept_id is None:
            return
        db, actor = self.context.db, self.context.actor
        self.generating = True
        self.guide_button.setEnabled(False)
        BackgroundOp(self, lambda p: rulebooks.generate_default_guides(db, actor, dept_id, p), self._generated) \
            .failure(self._failed).with_progress("正在生成工作指引…").run_in_background()

    def _generated(self, result: rulebooks.GuideGeneration) -> None:
        self.generating = False
        self.show_guides()

    def _failed(self, exc: BaseException, details: str) -> None:
        self.generating = False
        self.show_guides()
        show_error(self, exc, details)

    def save(self) -> bool:
        if self.generating:
            return False
        if self.editor.department_id() is None:
            return True  # no department yet: the summary says so
        return self.save_rulebook()


class SummaryPage(_StepPage):
    step = SUMMARY

    def __init__(self, context: AppContext):
        super().__init__(context)
        self.setSubTitle("还缺什么、怎么补。双击一项回到对应的步骤；也可以以后在“一单两库一细则 → 工作细则”页重新打开向导。")
        self.headline = _note()
        self.gaps = QListWidget()
        self.gaps.setWordWrap(True)
        self.gaps.setSpacing(4)
        self.gaps.itemDoubleClicked.connect(self.go_to_gap)
        self.found: list[setup.Gap] = []
        self.facts = _note()
        layout = QVBoxLayout(self)
        layout.addWidget(self.facts)
        layout.addWidget(self.headline)
        layout.addWidget(self.gaps, 1)
        layout.addStretch(0)

    def initializePage(self) -> None:  # noqa: N802
        self.found = setup.missing(self.context.db)
        self.gaps.clear()
        for gap in self.found:
            item = QListWidgetItem(f"✗ {gap.what}\n　　{gap.todo}（第 {gap.step + 1} 步：{setup.STEPS[gap.step]}）")
            item.setData(Qt.ItemDataRole.UserRole, gap.step)
            self.gaps.addItem(item)
        facts = overview(self.context.db)
        self.facts.setText(f"现有：部门 <b>{facts.departments}</b> 个，启用的抽查事项 <b>{facts.enabled_items}</b> 项，"
                           f"检查对象 <b>{facts.subjects:,}</b> 户，执法检查人员 <b>{facts.inspectors}</b> 人。")
        self.gaps.setVisible(bool(self.found))
        if self.found:
            self.headline.setText(f"<b style='color:#a15c00'>还有 {len(self.found)} 项需要补齐</b>，"
                                  "补齐前抽查计划和抽取可能无法进行：")
        else:
            self.headline.setText("<b style='color:#1b5e20'>✓ 一单两库一细则已齐备。</b>"
                                  "点“完成”后即可编制年度抽查计划、开展随机抽取。")

    def go_to_gap(self, item: QListWidgetItem) -> None:
        step = item.data(Qt.ItemDataRole.UserRole)
        wizard = self.wizard()
        if step in wizard.visitedIds():
            while wizard.currentId() != step:
                wizard.back()
        elif isinstance(wizard, SetupWizard):
            wizard.restart_at(step)

    def validatePage(self) -> bool:  # noqa: N802
        setup.finish_step(self.context.db, self.context.actor, self.step)
        return True


class SetupWizard(QWizard):
    PAGES = (OfficePage, ItemsPage, SubjectsPage, InspectorsPage, RulebookStepPage, SummaryPage)

    def __init__(self, context: AppContext, start: int | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.setWindowTitle("建库向导：一单两库一细则")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, False)
        fit_to_screen(self, 940, 720)
        for text, which in (("< 上一步", QWizard.WizardButton.BackButton),
                            ("下一步 >", QWizard.WizardButton.NextButton),
                            ("完成", QWizard.WizardButton.FinishButton),
                            ("稍后继续", QWizard.WizardButton.CancelButton)):
            self.setButtonText(which, text)
        self.steps: list[_StepPage] = []
        for index, page_class in enumerate(self.PAGES):
            page = page_class(context)
            self.steps.append(page)
            self.setPage(index, page)
        self.step_list = QLabel()
        self.step_list.setObjectName("wizardSteps")
        self.step_list.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.step_list.setFixedWidth(210)
        self.step_list.setStyleSheet("#wizardSteps { background: #1f3a5f; color: #dfe7f1; padding: 14px 10px;"
                                     " font-size: 14px; }")
        self.setSideWidget(self.step_list)
        self.currentIdChanged.connect(self._show_steps)
        self.setStartId(setup.resume_step(context.db) if start is None else start)
        self._show_steps(self.startId())

    def _show_steps(self, current: int) -> None:
        done = setup.last_finished_step(self.context.db)
        lines = []
        for index, name in enumerate(setup.STEPS):
            mark = "✓" if index <= done else "　"
            text = f"{mark} {index + 1}. {name}"
            lines.append(f"<b style='color:#ffffff'>{text}</b>" if index == current else text)
        self.step_list.setText("<b>建库步骤</b><br><br>" + "<br><br>".join(lines))

    def restart_at(self, step: int) -> None:
        """Open another step (the wizard's history starts again there)."""
        self.setStartId(step)
        self.restart()
