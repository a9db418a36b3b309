"""概览: what the county's data holds, and whether the office keeps its 公示 and 报送 deadlines, at a glance."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget

from app.domain.publication import PublicationState
from app.services.draw.states import unfinished_draws
from app.services.system.overview import overview
from app.ui.context import AppContext
from app.ui.common.base_page import Page
from app.ui.publication import DuePanel
from app.ui.reports import ReportsDuePanel
from app.ui.tasks import BackgroundOp


class _Figure(QFrame):
    def __init__(self, caption: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("figureCard")
        layout = QVBoxLayout(self)
        self.value = QLabel("…")
        self.value.setObjectName("figureValue")
        self.caption = QLabel(caption)
        self.caption.setObjectName("figureCaption")
        self.note = QLabel("")
        self.note.setObjectName("figureNote")
        for label in (self.value, self.caption, self.note):
            label.setAlignment(Qt.AlignmentFlag.AlignLeft)
            layout.addWidget(label)


class OverviewPage(Page):
    title = "概览"

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(context, parent)
        layout = QVBoxLayout(self)
        heading = QLabel("本县“双随机、一公开”数据概览")
        heading.setObjectName("pageTitle")
        layout.addWidget(heading)
        layout.addWidget(self._unfinished_banner())
        grid = QGridLayout()
        self.figures = {
            "items": _Figure("随机抽查事项清单（事项）"),
            "subjects": _Figure("检查对象名录库（户）"),
            "inspectors": _Figure("执法检查人员名录库（人）"),
            "departments": _Figure("部门"),
            "tasks": _Figure("本年度抽查任务"),
            "inspections": _Figure("本年度已抽取检查对象"),
        }
        for index, figure in enumerate(self.figures.values()):
            grid.addWidget(figure, index // 3, index % 3)
        layout.addLayout(grid)
        self.due = DuePanel(context)
        self.reports_due = ReportsDuePanel(context)
        self.deadlines = QTabWidget()
        self.deadlines.setObjectName("deadlineTabs")
        self.deadlines.addTab(self.due, "公示期限")
        self.deadlines.addTab(self.reports_due, "报表报送")
        self.due.loaded.connect(self._title_tabs)
        self.reports_due.loaded.connect(self._title_tabs)
        layout.addWidget(self.deadlines, 1)

    def _title_tabs(self) -> None:
        """Each tab says how much is overdue, so an overdue report is seen without opening its tab."""
        for index, items in enumerate((self.due.items, self.reports_due.items)):
            title = ("公示期限", "报表报送")[index]
            overdue = sum(1 for i in items if i.state is PublicationState.OVERDUE)
            self.deadlines.setTabText(index, f"{title}（已逾期 {overdue}）" if overdue else title)

    def _unfinished_banner(self) -> QFrame:
        """A draw stopped half-way (power cut, program closed) is the first thing the clerk sees."""
        self.unfinished = QFrame()
        self.unfinished.setObjectName("warningBanner")
        self.unfinished_text = QLabel("")
        self.unfinished_text.setWordWrap(True)
        self.resume_button = QPushButton("继续抽取…")
        self.resume_button.clicked.connect(self.resume_draw)
        row = QHBoxLayout(self.unfinished)
        row.addWidget(self.unfinished_text, 1)
        row.addWidget(self.resume_button)
        self.unfinished.hide()
        return self.unfinished

    def resume_draw(self) -> None:
        """Opens the 抽取 page on the unfinished task and its control window, which offers to resume."""
        page = self.window().open_page("抽取")
        page.open_control()

    def refresh(self) -> None:
        db = self.context.db
        BackgroundOp(self, lambda _progress: (overview(db), unfinished_draws(db)), self._show).run_in_background()
        self.due.refresh()
        self.reports_due.refresh()

    def _show(self, result) -> None:
        data, unfinished = result
        self.unfinished.setVisible(bool(unfinished))
        self.unfinished_text.setText(
            "有未完成的抽取：" + "；".join(f"{s.number}“{s.name}”停在“{s.draw_status}”" for s in unfinished)
            + "。已完成的每一步都已保存，可以从停下的一步继续（见证人最好仍在场）。")
        f = self.figures
        f["items"].value.setText(f"{data.check_items:,}")
        f["items"].note.setText(f"其中启用 {data.enabled_items:,} 项")
        f["subjects"].value.setText(f"{data.subjects:,}")
        f["subjects"].note.setText(f"较高/高风险 {data.high_risk_subjects:,} 户")
        f["inspectors"].value.setText(f"{data.inspectors:,}")
        f["departments"].value.setText(f"{data.departments:,}")
        f["tasks"].value.setText(f"{data.tasks_this_year:,}")
        f["tasks"].note.setText(f"年度计划 {data.plans_this_year} 个")
        f["inspections"].value.setText(f"{data.inspections_this_year:,}")
