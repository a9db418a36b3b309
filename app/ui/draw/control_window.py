"""抽取控制台: the clerk's window for a live draw; the projector shows the room what it commits.

Every step is a service call that commits before anything is shown: 开始抽取 (commitments),
锁定见证人随机数字, 揭示, 抽取对象, 匹配人员, 完成. The same "下一步" drives the
clerk's button and the presentation clicker on the projector (pages first, then the
next step). A draw left half-way (crash, power cut) is offered for resuming when the
window opens or its task is chosen; once the witnesses' digits are locked the only way on is
揭示 (abandoning, with a reason, is possible only before); replacements afterwards take the
next one in the draw's own order, with a reason from the fixed list.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.domain.statuses import DRAW_UNFINISHED, DrawStatus, TaskDrawStatus
from app.services.draw import record as draw_record

from app.services.draw import ceremony as draws

from app.services.rulebooks import templates
from app.services.draw.ceremony import DrawView, Witness, machine_holder
from app.services.errors import UserError
from app.services.draw.inputs import TaskDrawSpec, task_draw_spec
from app.services.planning.population import ALL_STRATUM
from app.ui.context import AppContext
from app.ui.common.print_preview import show_preview
from app.ui.draw.projector_view import PREPARE, STEPS, WITNESSES, ProjectorView, TaskInfo, WitnessEntry
from app.ui.draw.replacement_dialog import ReplacementDialog
from app.ui.tasks import BackgroundOp, show_error
from app.ui.common.screen_fit import fit_to_screen

LIVE = DRAW_UNFINISHED
STEP_OF_STATUS = {DrawStatus.PREPARED: 0, DrawStatus.WITNESSED: 1, DrawStatus.REVEALED: 2, DrawStatus.SELECTED: 3, DrawStatus.MATCHED: 4,
                  DrawStatus.FINISHED: 5}
NEXT_ACTION = {None: "开始抽取（公布承诺）", DrawStatus.PREPARED: "下一步：见证人录入", DrawStatus.WITNESSED: "揭示种子",
               DrawStatus.REVEALED: "抽取检查对象", DrawStatus.SELECTED: "匹配检查人员", DrawStatus.MATCHED: "完成抽取",
               DrawStatus.FINISHED: "抽取已完成"}


def task_info(spec: TaskDrawSpec) -> TaskInfo:
    if set(spec.counts) == {ALL_STRATUM}:
        quota = f"{spec.counts[ALL_STRATUM]} 户"
    else:
        quota = f"{sum(spec.counts.values())} 户：" + "、".join(f"{k} {n} 户" for k, n in spec.counts.items())
    if spec.team_mode == "teams_first":
        teams = f"先抽 {spec.team_count} 个检查组（每组 {spec.team_size} 人），再分配检查对象"
    else:
        teams = f"每组 {spec.team_size} 人，每个检查对象一个检查组"
    return TaskInfo(spec.number, spec.name, spec.item_names, spec.scope_text, len(spec.subjects), len(spec.excluded),
                    quota, teams, spec.departments)


class ControlWindow(QWidget):
    def __init__(self, context: AppContext, task_id: int | None = None, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.context = context
        self.setWindowTitle("抽取控制台")
        fit_to_screen(self, 1100, 760)
        self.view: DrawView | None = None
        self.spec: TaskDrawSpec | None = None
        self.busy = False
        self.last_message = ""
        self.note = ""  # why the chosen task is not being drawn (a half-way draw not resumed)
        self.projector = ProjectorView(self)  # a window of its own, closed with this one
        self.projector.advance_requested.connect(self.advance)
        self.projector.control_requested.connect(self.focus_control)
        self.projector.screen_changed.connect(lambda _s: self._update_controls())

        self.task_combo = QComboBox()
        self.task_combo.setMinimumWidth(520)
        self.task_combo.activated.connect(lambda _i: self.choose_task(self.task_combo.currentData()))
        self.status_label = QLabel("")
        self.status_label.setWordWrap(True)
        self.screen_combo = QComboBox()
        self.projector_button = QPushButton("在所选屏幕上投影")
        self.projector_button.clicked.connect(self.show_projector)

        self.steps = QListWidget()
        self.steps.addItems(STEPS)
        self.steps.setFixedWidth(150)
        self.steps.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.steps.setSelectionMode(QListWidget.SelectionMode.NoSelection)

        self.summary = QTextBrowser()
        self.witness_table = QTableWidget(0, 3)
        self.witness_table.setHorizontalHeaderLabels(["见证人姓名", "单位或身份", "随机数字（输入时隐藏）"])
        self.witness_table.horizontalHeader().setStretchLastSection(True)
        self.witness_table.setColumnWidth(0, 160)
        self.witness_table.setColumnWidth(1, 260)
        self.add_witness_button = QPushButton("添加见证人")
        self.add_witness_button.clicked.connect(lambda: self.add_witness_row())
        self.remove_witness_button = QPushButton("删除最后一位")
        self.remove_witness_button.clicked.connect(self.remove_witness_row)
        self.beacon = QLineEdit()
        self.beacon.setPlaceholderText("可空：事先公布的公开信标（十六进制）")
        self.lock_button = QPushButton("锁定随机数字并公布")
        self.lock_button.clicked.connect(self.lock_witnesses)
        self.witness_hint = QLabel("每位见证人自己输入姓名、单位和随机数字（可掷骰子或自选，合计至少 20 位，"
                                   "开头的 0 也算）。输入时数字隐藏；全部输入并锁定后才在投影上公布。")
        self.witness_hint.setWordWrap(True)
        witness_panel = QWidget()
        wl = QVBoxLayout(witness_panel)
        wl.setContentsMargins(0, 0, 0, 0)
        wl.addWidget(self.witness_hint)
        wl.addWidget(self.witness_table, 1)
        row = QHBoxLayout()
        row.addWidget(self.add_witness_button)
        row.addWidget(self.remove_witness_button)
        row.addWidget(QLabel("公开信标："))
        row.addWidget(self.beacon, 1)
        row.addWidget(self.lock_button)
        wl.addLayout(row)
        self.panels = QStackedWidget()
        self.panels.addWidget(self.summary)
        self.panels.addWidget(witness_panel)

        self.place = QLineEdit()
        self.place.setPlaceholderText("例如：局三楼会议室")
        self.supervisor = QLineEdit()
        self.supervisor.setPlaceholderText("纪检监督人员姓名")
        record_box = QGroupBox("抽取过程记录")
        form = QFormLayout(record_box)
        form.addRow("抽取地点", self.place)
        form.addRow("监督人员", self.supervisor)

        self.back_button = QPushButton("上一页（PageUp）")
        self.back_button.clicked.connect(self.projector.back)
        self.next_button = QPushButton(NEXT_ACTION[None])
        self.next_button.setDefault(True)
        self.next_button.clicked.connect(self.forward)
        self.abandon_button = QPushButton("放弃抽取…")
        self.abandon_button.clicked.connect(self.abandon)
        self.replace_subject_button = QPushButton("替换检查对象…")
        self.replace_subject_button.clicked.connect(self.replace_subject)
        self.replace_inspector_button = QPushButton("替换检查人员…")
        self.replace_inspector_button.clicked.connect(self.replace_inspector)
        self.record_button = QPushButton("打印抽取过程记录…")
        self.record_button.clicked.connect(self.print_record)
        self.export_button = QPushButton("导出验证包…")
        self.export_button.clicked.connect(self.export_package)

        top = QGridLayout()
        top.addWidget(QLabel("抽查任务："), 0, 0)
        top.addWidget(self.task_combo, 0, 1)
        top.addWidget(QLabel("投影屏幕："), 0, 2)
        top.addWidget(self.screen_combo, 0, 3)
        top.addWidget(self.projector_button, 0, 4)
        top.addWidget(self.status_label, 1, 0, 1, 5)
        top.setColumnStretch(1, 1)
        middle = QHBoxLayout()
        middle.addWidget(self.steps)
        middle.addWidget(self.panels, 1)
        steps_bar = QHBoxLayout()
        steps_bar.addWidget(self.back_button)
        steps_bar.addWidget(self.next_button, 1)
        steps_bar.addWidget(self.abandon_button)
        after_bar = QHBoxLayout()
        for b in (self.replace_subject_button, self.replace_inspector_button, self.record_button, self.export_button):
            after_bar.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(middle, 1)
        layout.addLayout(steps_bar)
        layout.addWidget(record_box)
        layout.addLayout(after_bar)
        for key in (Qt.Key.Key_PageDown, Qt.Key.Key_F5):
            QShortcut(QKeySequence(key), self, activated=self.forward)
        QShortcut(QKeySequence(Qt.Key.Key_PageUp), self, activated=self.projector.back)

        self._fill_screens()
        self.load_tasks(task_id)

    # ------------------------------------------------------------------ tasks, resume
    def _fill_screens(self) -> None:
        self.screen_combo.clear()
        screens = QGuiApplication.screens()
        primary = QGuiApplication.primaryScreen()
        for i, screen in enumerate(screens, start=1):
            size = screen.geometry()
            self.screen_combo.addItem(f"屏幕 {i}：{screen.name()} {size.width()}×{size.height()}"
                                      + ("（主屏幕）" if screen is primary else ""), i - 1)
        if len(screens) > 1:  # the projector is usually the second screen
            self.screen_combo.setCurrentIndex(next(i for i, s in enumerate(screens) if s is not primary))

    def load_tasks(self, task_id: int | None = None) -> None:
        states = draws.task_draw_states(self.context.db)
        self.task_combo.clear()
        for s in states:
            state = f"进行中：{s.draw_status}" if s.phase == TaskDrawStatus.DRAWING else s.phase
            self.task_combo.addItem(f"{s.number}　{s.name}（{state}）", s.id)
        if task_id is None:  # a draw left half-way comes first: it is what the clerk must finish
            unfinished = [s for s in states if s.draw_status in LIVE]
            chosen = unfinished[0] if unfinished else next((s for s in states if not s.draw_status), None)
            task_id = chosen.id if chosen else None
        if task_id is not None:
            index = self.task_combo.findData(task_id)
            self.task_combo.setCurrentIndex(index)
            self.choose_task(task_id)
        else:
            self._update_controls()

    def choose_task(self, task_id: int | None) -> None:
        if task_id is None or self.busy:
            return
        if self.view is not None and self.view.task_id != task_id and self.view.status in LIVE:
            self._say("当前抽取尚未完成，进度已保存；可随时回到该任务继续。")
        self.view, self.spec, self.note = None, None, ""
        db = self.context.db
        self._run(lambda _p: (task_draw_spec(db, task_id), draws.live_draw(db, task_id)), self._task_loaded,
                  "正在读取任务…")

    def _task_loaded(self, result) -> None:
        spec, live = result
        self.spec = spec
        self.projector.set_task(task_info(spec))
        self._reset_witness_table()
        if live is None:
            self.view = None
            self.projector.set_view(None)
        elif live.status == DrawStatus.FINISHED:
            self._show(live)
        elif self._confirm_resume(live):
            self._show(live)
            self.show_projector()
        else:
            self.view = None
            self.projector.set_view(None)
        if live is not None and self.view is None:
            self.note = (f"该任务有一次未完成的抽取（停在“{live.status}”，{live.holder}）。重新选择该任务即可继续；"
                         "见证人随机数字锁定前，可继续后放弃并写明原因；锁定后只能继续揭示。")
        self._update_controls()

    def _confirm_resume(self, live: DrawView) -> bool:
        here = machine_holder(self.context.actor)
        who = "" if live.holder == here else f"\n这次抽取由 {live.holder} 开始；继续前请确认那台电脑已不再操作。"
        text = (f"任务“{live.task_name}”有一次未完成的抽取，已进行到“{live.status}”一步，"
                f"此前每一步都已保存。{who}\n\n现在继续这次抽取吗？")
        return QMessageBox.question(self, "继续未完成的抽取", text) == QMessageBox.StandardButton.Yes

    # ------------------------------------------------------------------ projector
    def show_projector(self) -> None:
        screens = QGuiApplication.screens()
        index = self.screen_combo.currentData() or 0
        if len(screens) > 1 and index < len(screens):
            screen = screens[index]
            self.projector.setScreen(screen)
            self.projector.setGeometry(screen.geometry())
            self.projector.enter_full_screen()
        else:  # one screen: a plain window the clerk can drag to a mirrored projector
            self.projector.showNormal()
            self.projector.resize(1024, 768)
            self.projector.show()
        self.projector.raise_()

    def focus_control(self) -> None:
        self.raise_()
        self.activateWindow()
        self.next_button.setFocus()

    # ------------------------------------------------------------------ the steps
    def forward(self) -> None:
        """The clerk's 下一步: exactly what the clicker does on the projector (pages first)."""
        self.projector.forward()

    def advance(self) -> None:
        """The end of a projector screen: take the next committed step."""
        if self.busy:
            return
        view, db, actor = self.view, self.context.db, self.context.actor
        if view is None:
            self.start()
        elif view.status == DrawStatus.PREPARED:
            if self.projector.screen_name == PREPARE:
                self.projector.show_screen(WITNESSES)
                self._update_controls()
                self._update_witness_progress()
                self.witness_table.setFocus()
            else:
                self._say("请见证人在控制窗口输入随机数字，然后点“锁定随机数字并公布”。")
        elif view.status == DrawStatus.WITNESSED:
            self._step(lambda _p: draws.reveal(db, actor, view.id), "正在揭示…")
        elif view.status == DrawStatus.REVEALED:
            self._step(lambda _p: draws.select_subjects(db, actor, view.id), "正在抽取检查对象…", animate=True)
        elif view.status == DrawStatus.SELECTED:
            self._step(lambda _p: draws.match_teams(db, actor, view.id), "正在匹配检查人员…")
        elif view.status == DrawStatus.MATCHED:
            self._step(lambda _p: draws.finish(db, actor, view.id), "")
        else:
            self._say("抽取已完成：请打印抽取过程记录并导出验证包。")

    def start(self) -> None:
        if self.spec is None:
            return
        problems = [p for p in self.spec.problems if not p.startswith("该任务")]  # the service names the holder
        if problems:
            show_error(self, UserError("该任务还不能抽取：\n" + "\n".join(problems)))
            return
        db, actor, task_id = self.context.db, self.context.actor, self.spec.task_id
        if not self.projector.isVisible():
            self.show_projector()
        self._step(lambda _p: draws.start_draw(db, actor, task_id), "正在生成承诺…")

    def _step(self, op, label: str, animate: bool = False) -> None:
        def done(view: DrawView) -> None:
            self._show(view, animate=animate)
            self._reload_task_names()

        self._run(op, done, label)

    def _run(self, op, success, label: str = "") -> None:
        self.busy = True
        self.projector.set_message(label)
        self._update_controls()

        def finished(result) -> None:
            self.busy = False
            self.projector.set_message("")
            success(result)
            self._update_controls()

        def failed(exc, details) -> None:
            self.busy = False
            self.projector.set_message("")
            self._update_controls()
            self.last_message = str(exc)
            show_error(self, exc, details)

        BackgroundOp(self, op, finished).failure(failed).run_in_background()

    def _show(self, view: DrawView, animate: bool = False) -> None:
        self.view = view
        self.projector.set_view(view, animate=animate)
        if view.witnesses:
            self._fill_witness_table(view)
        self._update_summary()
        self._update_controls()

    # ------------------------------------------------------------------ witnesses
    def _reset_witness_table(self) -> None:
        self.witness_table.setRowCount(0)
        self.beacon.clear()
        self.beacon.setReadOnly(False)
        for _ in range(2):
            self.add_witness_row()

    def add_witness_row(self, name: str = "", organisation: str = "", digits: str = "") -> None:
        row = self.witness_table.rowCount()
        self.witness_table.insertRow(row)
        for column, text in enumerate((name, organisation, digits)):
            edit = QLineEdit(text)
            if column == 2:
                edit.setEchoMode(QLineEdit.EchoMode.Password)
                edit.setPlaceholderText("只输入数字 0–9")
            edit.textChanged.connect(lambda _t: self._update_witness_progress())
            self.witness_table.setCellWidget(row, column, edit)
        self._update_witness_progress()

    def remove_witness_row(self) -> None:
        if self.witness_table.rowCount() > 1:
            self.witness_table.removeRow(self.witness_table.rowCount() - 1)
            self._update_witness_progress()

    def witness_edit(self, row: int, column: int) -> QLineEdit:
        return self.witness_table.cellWidget(row, column)

    def witness_entries(self) -> list[Witness]:
        rows = []
        for r in range(self.witness_table.rowCount()):
            name, org, digits = (self.witness_edit(r, c).text().strip() for c in range(3))
            if name or org or digits:
                rows.append(Witness(name, org, digits))
        return rows

    def _update_witness_progress(self) -> None:
        if self.view is not None and self.view.witnesses:
            return
        entries = [WitnessEntry(w.name or "（未填姓名）", w.organisation, bool(w.name and w.digits))
                   for w in self.witness_entries()]
        self.projector.set_witness_progress(entries)

    def lock_witnesses(self) -> None:
        if self.view is None or self.view.status != DrawStatus.PREPARED or self.busy:
            return
        entries = self.witness_entries()
        missing = [str(i + 1) for i, w in enumerate(entries) if not (w.name and w.digits)]
        if not entries or missing:
            show_error(self, UserError("请每位见证人都填写姓名并输入随机数字"
                                       + (f"（第 {'、'.join(missing)} 行未填完）" if missing else "") + "。"))
            return
        db, actor, draw_id, beacon = self.context.db, self.context.actor, self.view.id, self.beacon.text().strip()
        self._step(lambda _p: draws.record_witnesses(db, actor, draw_id, entries, beacon), "正在锁定随机数字…")

    def _fill_witness_table(self, view: DrawView) -> None:
        self.witness_table.setRowCount(0)
        for w in view.witnesses:
            self.add_witness_row(w.name, w.organisation, w.digits)
        for r in range(self.witness_table.rowCount()):
            for c in range(3):
                edit = self.witness_edit(r, c)
                edit.setReadOnly(True)
                edit.setEchoMode(QLineEdit.EchoMode.Normal)
        self.beacon.setText(view.public.get("beacon", ""))
        self.beacon.setReadOnly(True)

    # ------------------------------------------------------------------ abandon, replace
    def abandon(self) -> None:
        view = self.view
        if view is None or self.busy:
            return
        if view.status != DrawStatus.PREPARED:  # the service refuses too; say why without asking for a reason
            self._say("见证人随机数字已锁定，这次抽取只能继续揭示，不能放弃。")
            return
        reason, ok = QInputDialog.getMultiLineText(
            self, "放弃抽取", "见证人随机数字尚未锁定，可以放弃这次抽取。请写明原因"
                           "（记入审计日志，并列在该任务以后每次抽取的记录上）：")
        if not ok:
            return
        db, actor = self.context.db, self.context.actor

        def done(_result) -> None:
            self.view = None
            self.projector.set_view(None)
            self._reset_witness_table()
            self._reload_task_names()
            self._update_summary()
            self._say("已放弃这次抽取，原因已记录。需要时可重新开始抽取。")

        self._run(lambda _p: draws.abandon(db, actor, view.id, reason), done)

    def replace_subject(self) -> None:
        view = self.view
        if view is None or view.result is None or self.busy:
            return
        choices = [(s["id"], f"{s['name']}（{s['id']}）") for s in view.result["subjects"]]
        dialog = ReplacementDialog("subject", choices, parent=self, db=self.context.db)
        if not dialog.exec():
            return
        code, reason, note, _ = dialog.values()
        db, actor, supervisor = self.context.db, self.context.actor, dialog.confirmed_by
        self._step(lambda _p: draws.replace_subject(db, actor, view.id, code, reason, note, confirmed_by=supervisor),
                   "正在替换检查对象…")

    def replace_inspector(self) -> None:
        view = self.view
        if view is None or view.result is None or self.busy:
            return
        labels = draw_record.team_names(view)
        people: dict[str, str] = {}
        for team in view.result["teams"]:
            for m in team["members"]:
                people.setdefault(m["id"], f"{m['name']}（{m['department']}，{m['id']}）")
        teams = [(t["label"], labels[t["label"]]) for t in view.result["teams"]]
        dialog = ReplacementDialog("inspector", list(people.items()), teams, parent=self, db=self.context.db)
        if not dialog.exec():
            return
        certificate, reason, note, team = dialog.values()
        db, actor, supervisor = self.context.db, self.context.actor, dialog.confirmed_by
        self._step(lambda _p: draws.replace_inspector(db, actor, view.id, certificate, reason, team, note,
                                                      confirmed_by=supervisor),
                   "正在替换检查人员…")

    # ------------------------------------------------------------------ record and package
    def print_record(self) -> None:
        view = self.view
        if view is None or view.result is None or self.busy:
            return
        db, actor = self.context.db, self.context.actor
        place, supervisor = self.place.text().strip(), self.supervisor.text().strip()
        title = f"随机抽取过程记录（{view.task_number}）"

        def work(progress):
            document = templates.preview_dir() / f"{title}.docx"
            draw_record.render_record(db, actor, view.id, document, place=place, supervisor=supervisor, progress=progress)
            return document, templates.print_preview(document, progress=progress)

        self._run(work, lambda result: show_preview(self, result[0], result[1], title))

    def export_package(self) -> None:
        view = self.view
        if view is None or view.result is None or self.busy:
            return
        base = QFileDialog.getExistingDirectory(self, "选择保存验证包的文件夹或 U 盘")
        if not base:
            return
        db = self.context.db

        def done(result) -> None:
            paths, check = result
            self.exported = paths
            if check.passed:
                QMessageBox.information(self, "验证包已导出",
                                        f"验证包已保存并复算核验通过：\n{paths.folder}\n{paths.zip}\n\n"
                                        "见证人可将 zip 复制带走，用其中的 verify.py 自行核验。")
            else:
                QMessageBox.warning(self, "验证包核验未通过", "\n".join(check.report[-5:]))

        self._run(lambda _p: draw_record.export_verified_package(db, view.id, into=base), done)

    # ------------------------------------------------------------------ showing state
    def _reload_task_names(self) -> None:
        current = self.task_combo.currentData()
        states = {s.id: s for s in draws.task_draw_states(self.context.db)}
        for i in range(self.task_combo.count()):
            s = states.get(self.task_combo.itemData(i))
            if s:
                state = f"进行中：{s.draw_status}" if s.phase == TaskDrawStatus.DRAWING else s.phase
                self.task_combo.setItemText(i, f"{s.number}　{s.name}（{state}）")
        self.task_combo.setCurrentIndex(self.task_combo.findData(current))

    def _say(self, text: str) -> None:
        self.last_message = text
        self.status_label.setText(text)

    def _update_controls(self) -> None:
        view = self.view
        status = view.status if view else None
        step = STEP_OF_STATUS.get(status, 0)
        if status == DrawStatus.PREPARED and self.projector.screen_name == WITNESSES:
            step = 1
        for i in range(self.steps.count()):
            item = self.steps.item(i)
            done = view is not None and (i < step or status == DrawStatus.FINISHED)
            item.setText(("✔ " if done else ("▶ " if i == step and view else "　 ")) + STEPS[i])
        at_witnesses = status == DrawStatus.PREPARED and self.projector.screen_name == WITNESSES or status == DrawStatus.WITNESSED
        self.panels.setCurrentIndex(1 if at_witnesses else 0)
        editable = status == DrawStatus.PREPARED and not self.busy
        for w in (self.add_witness_button, self.remove_witness_button, self.lock_button):
            w.setEnabled(editable)
        action = NEXT_ACTION[status]
        if status == DrawStatus.PREPARED and self.projector.screen_name == WITNESSES:
            action = "等待见证人锁定随机数字"
        if self.projector.page < self.projector.page_count() - 1 or self.projector.animating:
            action = "下一页（空格）"
        self.next_button.setText(action)
        self.next_button.setEnabled(not self.busy and self.spec is not None and status != DrawStatus.FINISHED)
        self.abandon_button.setEnabled(not self.busy and status == DrawStatus.PREPARED)
        after = not self.busy and view is not None and view.result is not None
        for b in (self.replace_subject_button, self.replace_inspector_button, self.record_button, self.export_button):
            b.setEnabled(after)
        if view is not None:
            holder = "" if view.holder == machine_holder(self.context.actor) else f"（由 {view.holder} 开始）"
            self._say(f"当前：{view.task_number} — {view.status}{holder}。每一步完成即已保存，断电或关闭后可继续。"
                      if status != DrawStatus.FINISHED else f"{view.task_number} 抽取已完成：请打印记录、签字，并导出验证包。")
        elif self.note:
            self._say(self.note)
        elif self.spec is not None:
            ready = not self.spec.problems
            self._say(f"{self.spec.number} 可抽取 {len(self.spec.subjects)} 户。点“开始抽取”生成并公布承诺。"
                      if ready else "该任务还不能抽取：" + "；".join(self.spec.problems))

    def _update_summary(self) -> None:
        view = self.view
        if view is None:
            self.summary.setHtml("<p>选择任务后点“开始抽取”。投影窗口显示同样的内容。</p>")
            return
        public = view.public
        parts = [f"<h3>{escape(view.task_number)} {escape(view.task_name)}</h3>",
                 f"<p>状态：<b>{escape(view.status)}</b>　经办：{escape(view.holder)}　可抽取 {view.population} 户"
                 f"（不参与 {view.exclusions} 户）</p>", "<p><b>输入承诺（SHA-256）</b></p><table>"]
        for name, value in public["commitments"].items():
            label = draw_record.input_label(name)
            parts.append(f"<tr><td>{escape(label)}</td><td><code>{value}</code></td></tr>")
        parts.append("</table>")
        if view.witnesses:
            parts.append("<p><b>见证人</b>：" + "；".join(f"{escape(w.name)}（{escape(w.organisation)}）{w.digits}"
                                                    for w in view.witnesses) + "</p>")
        if public.get("seed"):
            parts.append(f"<p><b>最终种子</b>：<code>{public['seed']}</code></p>")
        drawn = draw_record.drawn_in_order(view) if view.selection else []
        if drawn:
            labels = draw_record.team_names(view)
            teams = {t["label"]: t for t in (view.result or {}).get("teams", [])}
            parts.append(f"<p><b>抽中检查对象 {len(drawn)} 户</b></p><ol>")
            for s in drawn:
                team = teams.get(s.get("team", ""))
                members = ""
                if team:
                    names = [m["name"] + ("（组长）" if m["id"] == team["leader"] else "") for m in team["members"]]
                    members = f" — {labels[team['label']]}：{'、'.join(names)}"
                stratum = "" if s["stratum"] == ALL_STRATUM else s["stratum"]
                parts.append(f"<li>{escape(s['name'])}　<code>{s['id']}</code>　{escape(stratum)}"
                             f"{escape(members)}</li>")
            parts.append("</ol>")
        if view.replacements:
            parts.append("<p><b>替换记录</b></p><ul>")
            parts += [f"<li>{escape(r['kind'] == 'subject' and '检查对象' or '检查人员')} {escape(r['target'])}："
                      f"{escape(r['reason'])}</li>" for r in view.replacements]
            parts.append("</ul>")
        self.summary.setHtml("".join(parts))

    def closeEvent(self, event) -> None:  # noqa: N802 — Qt naming
        self.projector.close()
        super().closeEvent(event)
