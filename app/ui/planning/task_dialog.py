"""新增/编辑抽查任务: every field of PRODUCT.md §2 E, checked as the clerk types.

The scope is a filter over 库1 with a live count (counted in the background); the
quota is a ratio or a count, optionally per stratum (by region or by risk class).
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain import quota as quotas
from app.services.directory import check_items as item_service
from app.services.planning import tasks as task_service
from app.services.system import settings as settings_service
from app.services.directory import subjects as subject_service
from app.services.directory.subject_query import SubjectFilter, facets
from app.services.planning.population import Population, plan_quotas, population
from app.ui.context import AppContext
from app.ui.tasks import BackgroundOp, run_or_explain, show_error
from app.ui.planning.item_picker import ItemPicker
from app.ui.directory import SubjectFilterBar
from app.ui.common.screen_fit import fit_to_screen

ERROR, WARNING = "#b00020", "#a15c00"
TAB_BASIC, TAB_ITEMS, TAB_SCOPE = 0, 1, 2
FIELD_TABS = {"name": TAB_BASIC, "department": TAB_BASIC, "dates": TAB_BASIC, "methods": TAB_BASIC,
              "team": TAB_BASIC, "team_mode": TAB_BASIC, "surprise": TAB_BASIC, "items": TAB_ITEMS,
              "quota": TAB_SCOPE, "strata": TAB_SCOPE, "population": TAB_SCOPE}


def _qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def _pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class TaskDialog(QDialog):
    def __init__(self, context: AppContext, plan_id: int, year: int, task_id: int | None = None,
                 parent: QWidget | None = None, read_only: bool = False, department_id: int | None = None):
        super().__init__(parent)
        self.context = context
        self.year = year
        self.read_only = read_only
        self.setWindowTitle("查看抽查任务" if read_only else "编辑抽查任务" if task_id else "新增抽查任务")
        fit_to_screen(self, 1000, 720)
        if task_id:
            detail = task_service.get_task(context.db, task_id)
        else:
            start = max(date.today(), date(year, 1, 1)) if date.today().year <= year else date(year, 1, 1)
            detail = task_service.TaskDetail(None, plan_id, initiating_department_id=department_id, starts_on=start,
                                             ends_on=min(start + timedelta(days=60), date(year, 12, 31)))
        self.detail = detail
        self.departments = settings_service.list_departments(context.db)
        self.population: Population | None = None
        self._population_key: tuple | None = None
        self.saved_id: int | None = None

        self.tabs = QTabWidget()
        self.tabs.addTab(self._basic_tab(), "基本信息")
        self.items = ItemPicker(item_service.list_items(context.db), detail.item_ids)
        self.tabs.addTab(self.items, "抽查事项")
        self.tabs.addTab(self._scope_tab(), "检查对象与抽查数量")

        self.messages = QLabel()
        self.messages.setWordWrap(True)
        self.messages.setTextFormat(Qt.TextFormat.RichText)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("保存")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        if read_only:
            self.save_button.setToolTip("计划不在草拟或调整状态，或任务已开始抽取，只能查看。")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.messages)
        layout.addWidget(self.buttons)

        self._connect()
        self._sync_participants()
        self._sync_team_mode()
        self._quota_changed()
        self.filter_bar.set_facets(facets(context.db))
        self.filter_bar.apply(detail.scope)  # emits changed → counts the population
        # The bar offers one value per field; a scope with several (made elsewhere) is kept as it
        # is until the clerk changes the filter.
        self._base_scope, self._shown_scope = detail.scope, self.filter_bar.current()
        self.recount()
        self.revalidate()

    # --- building --------------------------------------------------------------------
    def _basic_tab(self) -> QWidget:
        d = self.detail
        self.name = QLineEdit(d.name)
        self.name.setPlaceholderText("如：2026年食品经营者随机抽查")
        self.number = QLabel(d.number)
        self.initiator = QComboBox()
        for dept in self.departments:
            self.initiator.addItem(dept.name, dept.id)
        if d.initiating_department_id is not None:
            self.initiator.setCurrentIndex(max(self.initiator.findData(d.initiating_department_id), 0))
        self.participants: dict[int, QCheckBox] = {}
        participants_box = QWidget()
        grid = QGridLayout(participants_box)
        grid.setContentsMargins(0, 0, 0, 0)
        for index, dept in enumerate(self.departments):
            box = QCheckBox(dept.name)
            box.setChecked(dept.id in d.participant_ids)
            self.participants[dept.id] = box
            grid.addWidget(box, index // 2, index % 2)
        self.joint_hint = QLabel()
        self.starts_on, self.ends_on = QDateEdit(), QDateEdit()
        for edit, value in ((self.starts_on, d.starts_on), (self.ends_on, d.ends_on)):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setDate(_qdate(value or date(self.year, 1, 1)))
        dates = QHBoxLayout()
        dates.addWidget(self.starts_on)
        dates.addWidget(QLabel("至"))
        dates.addWidget(self.ends_on)
        dates.addStretch(1)
        self.methods = {m: QCheckBox(m) for m in task_service.METHODS}
        methods = QHBoxLayout()
        for method, box in self.methods.items():
            box.setChecked(method in d.methods)
            methods.addWidget(box)
        methods.addStretch(1)
        self.team_size = QSpinBox()
        self.team_size.setRange(2, 20)
        self.team_size.setValue(max(d.team_size, 2))
        self.team_size.setSuffix(" 人")
        self.team_size.setMaximumWidth(120)
        self.needs_expert = QCheckBox("需要从专家名录库选派专家")
        self.needs_expert.setChecked(d.needs_expert)
        self.surprise = QCheckBox("突击检查（任务和抽取名单在检查前不公示）")
        self.surprise.setChecked(d.surprise)
        self.per_subject = QRadioButton(task_service.TEAM_MODES["per_subject"])
        self.teams_first = QRadioButton(task_service.TEAM_MODES["teams_first"])
        self.team_modes = QButtonGroup(self)
        self.team_modes.addButton(self.per_subject)
        self.team_modes.addButton(self.teams_first)
        (self.teams_first if d.team_mode == "teams_first" else self.per_subject).setChecked(True)
        self.team_count = QSpinBox()
        self.team_count.setRange(0, 500)
        self.team_count.setValue(d.team_count)
        self.team_count.setSuffix(" 个检查组")
        modes = QHBoxLayout()
        modes.addWidget(self.per_subject)
        modes.addWidget(self.teams_first)
        modes.addWidget(self.team_count)
        modes.addStretch(1)

        form = QFormLayout()
        form.addRow("任务名称：", self.name)
        form.addRow("任务编号：", self.number)
        form.addRow("发起部门：", self.initiator)
        form.addRow("参与部门：", participants_box)
        form.addRow("", self.joint_hint)
        form.addRow("检查时间：", dates)
        form.addRow("检查方式：", methods)
        form.addRow("每组人数：", self.team_size)
        form.addRow("人员匹配：", modes)
        form.addRow("", self.needs_expert)
        form.addRow("", self.surprise)
        page = QWidget()
        page.setLayout(form)
        return page

    def _scope_tab(self) -> QWidget:
        d = self.detail
        self.filter_bar = SubjectFilterBar()
        self.saved_filters = QComboBox()
        self.saved_filters.addItem("（不使用）", None)
        names = {dept.id: dept.name for dept in self.departments}
        for saved in subject_service.list_saved_filters(self.context.db):
            self.saved_filters.addItem(f"{names.get(saved.department_id, '')}：{saved.name}", saved.filter)
        self.saved_filters.setMinimumWidth(260)
        self.saved_filters.activated.connect(self._use_saved_filter)
        self.population_label = QLabel("正在统计…")
        self.population_label.setObjectName("populationCount")
        self.population_label.setWordWrap(True)
        self.by_ratio = QRadioButton("按比例")
        self.by_count = QRadioButton("按数量")
        self.quota_modes = QButtonGroup(self)
        self.quota_modes.addButton(self.by_ratio)
        self.quota_modes.addButton(self.by_count)
        self.ratio = QLineEdit()
        self.ratio.setPlaceholderText("如 5% 或 2.5% 或 1/20")
        self.ratio.setMaximumWidth(140)
        self.count = QSpinBox()
        self.count.setRange(1, 1_000_000)
        self.count.setSuffix(" 户")
        if d.quota and "count" in d.quota:
            self.by_count.setChecked(True)
            self.count.setValue(d.quota["count"])
            self.ratio.setText("5%")
        else:
            self.by_ratio.setChecked(True)
            self.ratio.setText(quotas.format_quota(d.quota) or "5%")
            self.count.setValue(10)
        self.stratify = QComboBox()
        for key, label in task_service.STRATIFY.items():
            self.stratify.addItem(label, key)
        self.stratify.setCurrentIndex(max(self.stratify.findData(d.stratify_by), 0))
        self.quota_hint = QLabel()
        self.quota_hint.setWordWrap(True)
        quota_row = QHBoxLayout()
        quota_row.addWidget(self.by_ratio)
        quota_row.addWidget(self.ratio)
        quota_row.addSpacing(24)
        quota_row.addWidget(self.by_count)
        quota_row.addWidget(self.count)
        quota_row.addSpacing(24)
        quota_row.addWidget(QLabel("分层抽取："))
        quota_row.addWidget(self.stratify)
        quota_row.addStretch(1)

        self.strata = QTableWidget(0, 4)
        self.strata.setHorizontalHeaderLabels(["分层", "可抽取（户）", "单独设定比例或数量（留空则按上面的设定）", "预计抽取（户）"])
        self.strata.verticalHeader().setVisible(False)
        self.strata.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.strata.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self._stratum_text = {k: quotas.format_quota(v) for k, v in d.stratum_quotas.items()}
        self.total_label = QLabel()
        self.total_label.setObjectName("plannedTotal")

        scope_box = QGroupBox("检查对象范围（从检查对象名录库中筛选）")
        scope_layout = QVBoxLayout(scope_box)
        saved_row = QHBoxLayout()
        saved_row.addWidget(QLabel("从专用名录载入："))
        saved_row.addWidget(self.saved_filters)
        saved_row.addStretch(1)
        scope_layout.addLayout(saved_row)
        scope_layout.addWidget(self.filter_bar)
        scope_layout.addWidget(self.population_label)
        quota_box = QGroupBox("抽查比例或数量")
        quota_layout = QVBoxLayout(quota_box)
        quota_layout.addLayout(quota_row)
        quota_layout.addWidget(self.quota_hint)
        quota_layout.addWidget(self.strata, 1)
        quota_layout.addWidget(self.total_label)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(scope_box)
        layout.addWidget(quota_box, 1)
        return page

    def _connect(self) -> None:
        self.name.textChanged.connect(self.revalidate)
        self.initiator.currentIndexChanged.connect(self._sync_participants)
        for box in self.participants.values():
            box.toggled.connect(self._sync_participants)
        for edit in (self.starts_on, self.ends_on):
            edit.dateChanged.connect(self.revalidate)
        for box in (*self.methods.values(), self.needs_expert, self.surprise):
            box.toggled.connect(self.revalidate)
        self.team_size.valueChanged.connect(self.revalidate)
        self.team_count.valueChanged.connect(self.revalidate)
        self.per_subject.toggled.connect(self._sync_team_mode)
        self.items.changed.connect(self.revalidate)
        self.filter_bar.changed.connect(lambda _flt: self.recount())
        self.stratify.currentIndexChanged.connect(self._stratify_changed)
        self.by_ratio.toggled.connect(self._quota_changed)
        self.ratio.textChanged.connect(self._quota_changed)
        self.count.valueChanged.connect(self._quota_changed)
        self.strata.itemChanged.connect(self._stratum_edited)

    # --- keeping fields consistent -----------------------------------------------------
    def _sync_participants(self) -> None:
        initiator = self.initiator.currentData()
        if not self.detail.number and initiator is not None:
            preview = task_service.preview_number(self.context.db, initiator, self.year)
            self.number.setText(f"{preview}（保存时正式取号，号码不重复使用）")
        for dept_id, box in self.participants.items():
            box.blockSignals(True)
            if dept_id == initiator:
                box.setChecked(False)
            box.setEnabled(dept_id != initiator)
            box.blockSignals(False)
        chosen = [b.text() for b in self.participants.values() if b.isChecked()]
        self.joint_hint.setText(
            f"部门联合抽查：共 {len(chosen) + 1} 个部门，“进一次门、查多项事”；每组至少 {len(chosen) + 1} 人，每个部门至少 1 人。"
            if chosen else "不勾选参与部门即为本部门抽查；勾选后为部门联合抽查。")
        if chosen and self.team_size.value() < len(chosen) + 1:
            self.team_size.setValue(len(chosen) + 1)
        self.revalidate()

    def _sync_team_mode(self) -> None:
        self.team_count.setEnabled(self.teams_first.isChecked())
        self.revalidate()

    def _stratify_changed(self) -> None:
        self._stratum_text = {}
        self.recount()

    def _quota_changed(self) -> None:
        self.ratio.setEnabled(self.by_ratio.isChecked())
        self.count.setEnabled(self.by_count.isChecked())
        self._fill_strata()
        self.revalidate()

    def _stratum_edited(self, cell: QTableWidgetItem) -> None:
        if cell.column() != 2:
            return
        key = self.strata.item(cell.row(), 0).data(Qt.ItemDataRole.UserRole)
        self._stratum_text[key] = cell.text().strip()
        self._fill_strata()
        self.revalidate()

    def _use_saved_filter(self, index: int) -> None:
        saved = self.saved_filters.itemData(index)
        if saved is not None:
            self._base_scope, self._shown_scope = saved, None
            self.filter_bar.apply(saved)
            self._shown_scope = self.filter_bar.current()
            self.recount()

    # --- the live count ----------------------------------------------------------------
    def _scope(self) -> SubjectFilter:
        shown = self.filter_bar.current()
        return self._base_scope if shown == getattr(self, "_shown_scope", None) else shown

    def recount(self) -> None:
        scope, stratify_by, year = self._scope(), self.stratify.currentData(), self.year
        key = (scope, stratify_by)
        self._population_key = key
        self.population = None
        self.population_label.setText("正在统计范围内的检查对象…")
        self._fill_strata()
        self.revalidate()
        db = self.context.db
        BackgroundOp(self, lambda _p: (key, population(db, scope, stratify_by, year)), self._counted) \
            .failure(lambda exc, details: self._count_failed(key, exc, details)).run_in_background()

    def _counted(self, result) -> None:
        key, counted = result
        if key != self._population_key:  # an older count arriving late
            return
        self.population = counted
        self.population_label.setText(f"<b>{counted.describe()}</b>　　{key[0].describe()}")
        self._fill_strata()
        self.revalidate()

    def _count_failed(self, key, exc: BaseException, details: str) -> None:
        if key == self._population_key:
            self.population_label.setText("统计失败，请稍后再试。")
            show_error(self, exc, details)

    # --- the stratum table -------------------------------------------------------------
    def _stratum_quotas(self) -> tuple[dict[str, dict], dict[str, str]]:
        """Per-stratum quotas typed in the table, and errors per stratum."""
        result, errors = {}, {}
        for key, text in self._stratum_text.items():
            try:
                parsed = quotas.parse_quota(text)
            except ValueError as exc:
                errors[key] = str(exc)
                continue
            if parsed is not None:
                result[key] = parsed
        return result, errors

    def _task_quota(self) -> tuple[dict | None, str]:
        if self.by_count.isChecked():
            return {"count": self.count.value()}, ""
        try:
            parsed = quotas.parse_quota(self.ratio.text())
        except ValueError as exc:
            return None, str(exc)
        if parsed is None:
            return None, "请填写抽查比例，如 5%。"
        if "count" in parsed:
            return None, "按比例时请写百分数（如 5%）或分数（如 1/20）；要按户数请选“按数量”。"
        return parsed, ""

    def _fill_strata(self) -> None:
        stratify_by = self.stratify.currentData()
        self.strata.setVisible(bool(stratify_by))
        detail = self.current()
        if self.population is None:
            self.total_label.setText("")
            self.strata.setRowCount(0)
            return
        plan = plan_quotas(detail, self.population.strata)
        if not stratify_by:
            self.quota_hint.setText("")
        elif detail.quota and "count" in detail.quota:
            self.quota_hint.setText(f"每个分层各抽 {detail.quota['count']} 户；个别分层可在下表单独设定。")
        else:
            self.quota_hint.setText("各分层按上面的比例抽取；个别分层可在下表单独设定（差异化监管：风险越高比例越高，"
                                    "重点检查对象可填“全部”，不设上限）。")
        self.strata.blockSignals(True)
        self.strata.setRowCount(len(plan.rows))
        for row, (key, size, _quota, wanted) in enumerate(plan.rows):
            label = QTableWidgetItem(task_service.stratum_caption(stratify_by, key))
            label.setData(Qt.ItemDataRole.UserRole, key)
            label.setFlags(Qt.ItemFlag.ItemIsEnabled)
            size_cell = QTableWidgetItem(f"{size:,}")
            size_cell.setFlags(Qt.ItemFlag.ItemIsEnabled)
            size_cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            quota_cell = QTableWidgetItem(self._stratum_text.get(key, ""))
            wanted_cell = QTableWidgetItem(f"{wanted:,}" + ("（不足）" if wanted > size else ""))
            wanted_cell.setFlags(Qt.ItemFlag.ItemIsEnabled)
            wanted_cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if wanted > size:
                wanted_cell.setForeground(Qt.GlobalColor.darkRed)
            for column, cell in enumerate((label, size_cell, quota_cell, wanted_cell)):
                self.strata.setItem(row, column, cell)
        self.strata.blockSignals(False)
        self.total_label.setText(f"预计共抽取 <b>{plan.total:,}</b> 户（可抽取 {self.population.eligible:,} 户）")

    # --- the task as typed -------------------------------------------------------------
    def current(self) -> task_service.TaskDetail:
        quota, _ = self._task_quota()
        stratum_quotas, _ = self._stratum_quotas()
        stratify_by = self.stratify.currentData()
        return task_service.TaskDetail(
            id=self.detail.id, plan_id=self.detail.plan_id, name=self.name.text(), number=self.detail.number,
            initiating_department_id=self.initiator.currentData(),
            participant_ids=[i for i, box in self.participants.items() if box.isChecked() and box.isEnabled()],
            item_ids=self.items.chosen_ids() if hasattr(self, "items") else self.detail.item_ids,
            scope=self._scope() if hasattr(self, "filter_bar") else SubjectFilter(),
            quota=quota, stratify_by=stratify_by, stratum_quotas=stratum_quotas if stratify_by else {},
            starts_on=_pydate(self.starts_on.date()), ends_on=_pydate(self.ends_on.date()),
            methods=[m for m, box in self.methods.items() if box.isChecked()], team_size=self.team_size.value(),
            team_mode="teams_first" if self.teams_first.isChecked() else "per_subject",
            team_count=self.team_count.value(), needs_expert=self.needs_expert.isChecked(),
            surprise=self.surprise.isChecked(),
        )

    def problems(self) -> tuple[dict[str, str], dict[str, str]]:
        detail = self.current()
        checked = task_service.check_task(detail, self.year)
        errors, warnings = dict(checked.errors), dict(checked.warnings)
        _, quota_error = self._task_quota()
        if quota_error:
            errors["quota"] = quota_error
        _, stratum_errors = self._stratum_quotas()
        if stratum_errors:
            key, message = next(iter(stratum_errors.items()))
            errors["strata"] = f"分层“{task_service.stratum_caption(detail.stratify_by, key)}”：{message}"
        if self.population is not None and not errors.get("quota") and not errors.get("strata"):
            plan = plan_quotas(detail, self.population.strata)
            if plan.problems:
                warnings["population"] = "；".join(plan.problems) + "（可以保存，但抽取前须改好）"
        return errors, warnings

    def revalidate(self) -> None:
        if not hasattr(self, "messages"):
            return
        errors, warnings = self.problems()
        lines = [f"<span style='color:{ERROR}'>✖ {m}</span>" for m in errors.values()]
        lines += [f"<span style='color:{WARNING}'>⚠ {m}</span>" for m in warnings.values()]
        self.messages.setText("<br>".join(lines))
        self.messages.setVisible(bool(lines))
        self.save_button.setEnabled(not errors and not self.read_only)
        for index, title in ((TAB_BASIC, "基本信息"), (TAB_ITEMS, "抽查事项"), (TAB_SCOPE, "检查对象与抽查数量")):
            bad = any(FIELD_TABS.get(field) == index for field in errors)
            self.tabs.setTabText(index, f"{title} ✖" if bad else title)

    def save(self) -> None:
        saved, self.saved_id = run_or_explain(self, lambda: task_service.save_task(self.context.db, self.context.actor, self.current()))
        if saved:
            self.accept()
