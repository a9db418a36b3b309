"""抽取: every task with where its draw stands; opens the 抽取控制台 and the projector."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.statuses import DrawStatus
from app.services.draw import ceremony as draws
from app.ui.context import AppContext
from app.ui.draw.control_window import LIVE, ControlWindow
from app.ui.common.base_page import Page


class DrawPage(Page):
    title = "抽取"

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(context, parent)
        self.states: list[draws.TaskDrawState] = []
        self.control: ControlWindow | None = None
        heading = QLabel("随机抽取（摇号）")
        heading.setObjectName("sectionTitle")
        intro = QLabel("在会议室连接投影仪，请见证人（纪检监察人员等）到场后打开抽取控制台。"
                       "每一步完成即已保存；抽取中途断电或关闭程序，重新打开后可从停下的一步继续。")
        intro.setWordWrap(True)
        self.live_hint = QLabel("")
        self.live_hint.setWordWrap(True)
        self.live_hint.setStyleSheet("color: #a15c00; font-weight: bold;")
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["年度", "任务编号", "任务名称", "抽取状态"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(1, 220)
        self.table.setColumnWidth(2, 420)
        self.table.doubleClicked.connect(lambda _i: self.open_control())
        self.open_button = QPushButton("打开抽取控制台")
        self.open_button.clicked.connect(self.open_control)
        bar = QHBoxLayout()
        bar.addWidget(heading)
        bar.addStretch(1)
        bar.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(intro)
        layout.addWidget(self.live_hint)
        layout.addWidget(self.table, 1)

    def refresh(self) -> None:
        self.states = draws.task_draw_states(self.context.db)
        self.table.setRowCount(len(self.states))
        for row, s in enumerate(self.states):
            state = "已抽取" + ("" if s.draw_status == DrawStatus.FINISHED else f"（{s.draw_status}）") if s.drawn \
                else (f"进行中：{s.draw_status}" if s.draw_status else "未抽取")
            for column, text in enumerate((str(s.year), s.number, s.name, state)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        unfinished = [s for s in self.states if s.draw_status in LIVE]
        self.live_hint.setText("有未完成的抽取：" + "；".join(f"{s.number}（停在“{s.draw_status}”）" for s in unfinished)
                               + "。打开抽取控制台即可继续。" if unfinished else "")
        if unfinished:  # what the clerk must finish comes first
            self.table.selectRow(self.states.index(unfinished[0]))
        elif self.states and self.table.currentRow() < 0:
            self.table.selectRow(0)

    def selected_task(self) -> int | None:
        row = self.table.currentRow()
        return self.states[row].id if 0 <= row < len(self.states) else None

    def open_control(self) -> ControlWindow:
        """The control window for the chosen task (a half-way draw is offered for resuming)."""
        if self.control is not None and self.control.isVisible():
            if self.selected_task() is not None and self.selected_task() != self.control.task_combo.currentData():
                self.control.task_combo.setCurrentIndex(self.control.task_combo.findData(self.selected_task()))
                self.control.choose_task(self.selected_task())
            self.control.raise_()
            self.control.activateWindow()
            return self.control
        self.control = ControlWindow(self.context, self.selected_task(), self.window())
        self.control.show()
        return self.control
