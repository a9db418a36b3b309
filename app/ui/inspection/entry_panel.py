"""The results entry panel: one inspection's 检查日期, 核查方式, per-item results, 检查结果 and 后续处置.

Built for a clerk typing up a pile of paper forms: every field is reached with Tab, lists toggle
with the space bar, and the defaults (today, 实地检查, every item 未发现问题, 无需后续处置) mean a
clean form is saved with one keystroke (Ctrl+S, or Ctrl+Enter to save and go to the next one).
"""

from __future__ import annotations

import itertools
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.inspection import (
    EDITABLE,
    FOLLOW_UPS,
    METHODS,
    NO_PROBLEM,
    FollowUp,
    ItemOutcome,
    Outcome,
)
from app.services.errors import UserError
from app.services.inspection.records import InspectionDetail
from app.tabular.dates import parse_date


def _checklist(options: tuple[str, ...], rows: int) -> QListWidget:
    widget = QListWidget()
    for option in options:
        item = QListWidgetItem(option)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)
        widget.addItem(item)
    widget.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    widget.setFixedHeight(rows * max(widget.sizeHintForRow(0), 18) + 2 * widget.frameWidth() + 2)
    return widget


def checked(widget: QListWidget) -> tuple[str, ...]:
    return tuple(widget.item(i).text() for i in range(widget.count())
                 if widget.item(i).checkState() == Qt.CheckState.Checked)


def set_checked(widget: QListWidget, chosen: tuple[str, ...]) -> None:
    for i in range(widget.count()):
        item = widget.item(i)
        item.setCheckState(Qt.CheckState.Checked if item.text() in chosen else Qt.CheckState.Unchecked)


def _day(text: str, label: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return parse_date(text)
    except ValueError as exc:
        raise UserError(f"{label}：{exc}") from None


def _shown(day: date | None) -> str:
    return f"{day:%Y-%m-%d}" if day else ""


class ItemRow:
    """One 检查事项: its result (a category), 发现问题情况 and 处置情况."""

    def __init__(self, check_item_id: int, name: str, categories: tuple[str, ...]):
        self.check_item_id = check_item_id
        self.label = QLabel(name)
        self.label.setWordWrap(True)
        self.result = QComboBox()
        self.result.addItems(categories)
        self.result.setMaximumWidth(230)
        self.finding = QLineEdit()
        self.finding.setPlaceholderText("发现问题情况")
        self.handling = QLineEdit()
        self.handling.setPlaceholderText("处置情况")

    def outcome(self) -> ItemOutcome:
        return ItemOutcome(self.check_item_id, self.finding.text(), self.result.currentText(), self.handling.text())


class EntryPanel(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.detail: InspectionDetail | None = None
        self.items: list[ItemRow] = []
        self.title = QLabel("请在左侧选择检查对象，或在上方输入（扫描）检查表二维码。")
        self.title.setObjectName("sectionTitle")
        self.title.setWordWrap(True)
        self.state = QLabel("")
        self.state.setWordWrap(True)
        self.inspected_on = QLineEdit()
        self.inspected_on.setPlaceholderText("如 2026-11-25")
        self.inspected_on.setMaximumWidth(140)
        self.methods = _checklist(METHODS, 6)
        self.categories = _checklist((), 10)
        self.follow_ups = _checklist(FOLLOW_UPS, 6)
        self.rectify_by = QLineEdit()
        self.handed_to = QLineEdit()
        self.handed_on = QLineEdit()
        self.copied_to = QLineEdit()
        self.closed_on = QLineEdit()
        self.note = QLineEdit()
        for widget in (self.rectify_by, self.handed_on, self.closed_on):
            widget.setPlaceholderText("年-月-日")
        self.save_button = QPushButton("保存(Ctrl+S)")
        self.save_next_button = QPushButton("保存并下一户(Ctrl+Enter)")
        self.items_box = QGroupBox("检查事项（结果默认“未发现问题”）")
        self.items_grid = QGridLayout(self.items_box)
        self.items_grid.setColumnStretch(2, 1)
        self.items_grid.setColumnStretch(3, 1)

        top = QHBoxLayout()
        top.addWidget(QLabel("检查日期"))
        top.addWidget(self.inspected_on)
        top.addStretch(1)
        lists = QGridLayout()
        for column, (label, widget) in enumerate((("核查方式（可多选）", self.methods),
                                                  ("检查结果（可多选）", self.categories),
                                                  ("后续处置（可多选）", self.follow_ups))):
            lists.addWidget(QLabel(label), 0, column)
            lists.addWidget(widget, 1, column, Qt.AlignmentFlag.AlignTop)
        lists.setColumnStretch(0, 3)
        lists.setColumnStretch(1, 4)
        lists.setColumnStretch(2, 2)
        details = QFormLayout()
        pair = QHBoxLayout()
        for label, widget in (("整改期限", self.rectify_by), ("移送部门", self.handed_to), ("移送日期", self.handed_on)):
            pair.addWidget(QLabel(label))
            pair.addWidget(widget)
        details.addRow(pair)
        second = QHBoxLayout()
        for label, widget in (("抄告部门", self.copied_to), ("完结日期", self.closed_on), ("备注", self.note)):
            second.addWidget(QLabel(label))
            second.addWidget(widget)
        details.addRow(second)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.save_next_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.state)
        layout.addLayout(top)
        layout.addLayout(lists)
        layout.addLayout(details)
        layout.addWidget(self.items_box)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.setEnabled(False)

    def set_categories(self, categories: tuple[str, ...]) -> None:
        self.categories.clear()
        for name in categories:
            item = QListWidgetItem(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.categories.addItem(item)

    def load(self, detail: InspectionDetail, today: date) -> None:
        """Show an inspection: what is stored, or the defaults for a form not yet entered."""
        self.detail = detail
        row = detail.row
        self.title.setText(f"{row.subject_name}（{row.subject_code}）")
        state = f"状态：{row.status}　{row.team} 组长 {row.leader}"
        if row.returned_reason and row.status == "退回":
            state += f"\n退回原因：{row.returned_reason}"
        self.state.setText(state)
        self.state.setStyleSheet("color: #b00020;" if row.status == "退回" else "")
        entered = bool(detail.categories)
        start = detail.starts_on or today
        default_day = min(max(today, start), detail.ends_on or today)
        self.inspected_on.setText(_shown(row.inspected_on if entered else default_day))
        set_checked(self.methods, detail.methods if entered else ("实地检查",))
        set_checked(self.categories, detail.categories if entered else (NO_PROBLEM,))
        set_checked(self.follow_ups, detail.follow_ups if entered else (FollowUp.NONE.value,))
        for widget, value in ((self.rectify_by, _shown(detail.rectify_by)), (self.handed_to, detail.handed_to),
                              (self.handed_on, _shown(detail.handed_on)), (self.copied_to, detail.copied_to),
                              (self.closed_on, _shown(row.closed_on)), (self.note, detail.note)):
            widget.setText(value)
        self._load_items(detail)
        self.setEnabled(row.status in EDITABLE)
        self._chain_tabs()

    def _load_items(self, detail: InspectionDetail) -> None:
        while self.items_grid.count():
            widget = self.items_grid.takeAt(0).widget()
            if widget is not None:
                widget.hide()  # gone from the screen now, deleted at the next turn of the event loop
                widget.deleteLater()
        names = [self.categories.item(i).text() for i in range(self.categories.count())]
        self.items = []
        for n, item in enumerate(detail.items):
            row = ItemRow(item.check_item_id, f"{n + 1}. {item.name}", tuple(names))
            row.result.setCurrentText(item.category or NO_PROBLEM)
            row.finding.setText(item.finding)
            row.handling.setText(item.handling)
            for column, widget in enumerate((row.label, row.result, row.finding, row.handling)):
                self.items_grid.addWidget(widget, n, column)
            self.items.append(row)

    def _chain_tabs(self) -> None:
        order = [self.inspected_on, self.methods, self.categories, self.follow_ups, self.rectify_by, self.handed_to,
                 self.handed_on, self.copied_to, self.closed_on, self.note]
        for row in self.items:
            order += [row.result, row.finding, row.handling]
        order += [self.save_button, self.save_next_button]
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)

    def outcome(self) -> Outcome:
        """What the clerk entered; a date that cannot be read raises UserError naming the field."""
        return Outcome(
            inspected_on=_day(self.inspected_on.text(), "检查日期"), methods=checked(self.methods),
            items=tuple(row.outcome() for row in self.items), categories=checked(self.categories),
            follow_ups=checked(self.follow_ups), rectify_by=_day(self.rectify_by.text(), "整改期限"),
            handed_to=self.handed_to.text(), handed_on=_day(self.handed_on.text(), "移送日期"),
            copied_to=self.copied_to.text(), closed_on=_day(self.closed_on.text(), "完结日期"), note=self.note.text())
