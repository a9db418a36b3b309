"""概览: what the county's data holds, at a glance."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from app.services.overview import overview
from app.ui.context import AppContext
from app.ui.pages.base import Page
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
        layout.addStretch(1)

    def refresh(self) -> None:
        db = self.context.db
        BackgroundOp(self, lambda _progress: overview(db), self._show).run_in_background()

    def _show(self, data) -> None:
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
