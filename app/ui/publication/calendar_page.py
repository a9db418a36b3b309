"""工作日历 (administrator): a year's 节假日安排 from the State Council's notice, the office's
own corrections of single days, a 计算器 for "N working days after D", and the 公示时限."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QTextCharFormat
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCalendarWidget,
    QCheckBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.publication import PublicationKind
from app.domain.workdays import HolidayRange, WorkdayCalendar, YearArrangement
from app.services.errors import UserError
from app.services.publication import calendar as calendar_service
from app.services.publication import publications
from app.services.publication.rules import MAX_DAYS, rules
from app.ui.context import AppContext
from app.ui.common.base_page import Page
from app.ui.common.dialogs import date_edit
from app.ui.tasks import run_or_explain

HOLIDAY_ROWS = 8
REST, MAKEUP, CORRECTED = QColor("#c62828"), QColor("#1565c0"), QColor("#fff1c7")


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _py(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def _parse(text: str, where: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UserError(f"{where}“{text.strip()}”不是有效日期，请写成 2027-02-06 的形式。") from None


class CalendarPage(Page):
    title = "工作日历"

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(context, parent)
        self.cal: WorkdayCalendar = WorkdayCalendar()
        heading = QLabel("工作日历：法定节假日、调休与本单位更正（公示期限按此计算）")
        heading.setObjectName("pageTitle")
        # one tab each, so the page fits a 1366×768 screen without scrolling
        self.tabs = QTabWidget()
        for box, name in ((self._month_box(), "月历与更正"), (self._arrangement_box(), "节假日安排"),
                          (self._calculator_box(), "工作日计算器"), (self._rules_box(), "公示时限")):
            self.tabs.addTab(box, name)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.tabs, 1)

    # -- the month view and corrections ------------------------------------------------
    def _month_box(self) -> QGroupBox:
        box = QGroupBox("月历与本单位更正")
        self.month = QCalendarWidget()
        self.month.setLocale(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
        self.month.setGridVisible(True)
        self.month.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.month.setMinimumSize(400, 230)
        self.month.currentPageChanged.connect(lambda *_: self._paint_month())
        self.month.selectionChanged.connect(self._show_selected)
        legend = QLabel("<span style='color:#c62828'>红字</span>：休息日　"
                        "<span style='color:#1565c0'><b>蓝字加粗</b></span>：调休上班　"
                        "<span style='background:#fff1c7'>黄底</span>：本单位更正")
        self.selected_text = QLabel("")
        self.selected_text.setWordWrap(True)
        self.work = QRadioButton("上班（班）")
        self.rest = QRadioButton("休息（休）")
        marks = QButtonGroup(box)
        marks.addButton(self.work)
        marks.addButton(self.rest)
        self.work.setChecked(True)
        self.note = QLineEdit()
        self.note.setPlaceholderText("说明，如“县政府通知补班”")
        self.save_day = QPushButton("保存更正")
        self.save_day.clicked.connect(self.mark_selected)
        self.clear_day = QPushButton("撤销更正")
        self.clear_day.clicked.connect(self.clear_selected)
        row = QHBoxLayout()
        for widget in (self.work, self.rest):
            row.addWidget(widget)
        row.addStretch(1)
        for widget in (self.save_day, self.clear_day):
            row.addWidget(widget)
        layout = QVBoxLayout(box)
        layout.addWidget(self.month)
        layout.addWidget(legend)
        layout.addWidget(self.selected_text)
        layout.addWidget(self.note)
        layout.addLayout(row)
        return box

    def _paint_month(self) -> None:
        self.month.setDateTextFormat(QDate(), QTextCharFormat())  # clear every format
        year, month = self.month.yearShown(), self.month.monthShown()
        for day, working in self.cal.month(year, month):
            fmt = QTextCharFormat()
            if not working:
                fmt.setForeground(QBrush(REST))
            elif day.weekday() >= 5:
                fmt.setForeground(QBrush(MAKEUP))
                fmt.setFontWeight(QFont.Weight.Bold)
            else:
                fmt.setForeground(QBrush(QColor("#222222")))
            if day in self.cal.corrections:
                fmt.setBackground(QBrush(CORRECTED))
            self.month.setDateTextFormat(_qdate(day), fmt)

    def _show_selected(self) -> None:
        day = _py(self.month.selectedDate())
        working = self.cal.is_workday(day)
        where = "本单位更正" if day in self.cal.corrections else (
            "按双休日推算（该年安排尚未确认）" if self.cal.relies_on_unconfirmed(day) else "法定安排")
        self.selected_text.setText(f"{day:%Y-%m-%d}（星期{'一二三四五六日'[day.weekday()]}）："
                                   f"{'上班' if working else '休息'}，依据：{where}")
        (self.rest if working else self.work).setChecked(True)  # the likely correction is the opposite
        self.clear_day.setEnabled(day in self.cal.corrections)

    def mark_selected(self) -> None:
        day = _py(self.month.selectedDate())
        mark = "班" if self.work.isChecked() else "休"
        ok, _ = run_or_explain(self, lambda: calendar_service.mark_day(
            self.context.db, self.context.actor, day, mark, self.note.text().strip()))
        if ok:
            self.note.clear()
            self.refresh()

    def clear_selected(self) -> None:
        day = _py(self.month.selectedDate())
        if run_or_explain(self, lambda: calendar_service.clear_day(self.context.db, self.context.actor, day))[0]:
            self.refresh()

    # -- the 计算器 ------------------------------------------------------------------------
    def _calculator_box(self) -> QGroupBox:
        box = QGroupBox("计算器：D 之后第 N 个工作日（不含 D 当天）")
        self.start = date_edit()
        self.days = QSpinBox()
        self.days.setRange(0, 366)
        self.days.setValue(20)
        self.days.setSuffix(" 个工作日")
        self.compute_button = QPushButton("计算")
        self.compute_button.clicked.connect(self.compute)
        self.answer = QLabel("")
        self.answer.setObjectName("calculatorAnswer")
        self.answer.setWordWrap(True)
        form = QFormLayout(box)
        row = QHBoxLayout()
        row.addWidget(self.start)
        row.addWidget(self.days)
        row.addWidget(self.compute_button)
        form.addRow("日期 D / N", row)
        form.addRow("期限", self.answer)
        return box

    def compute(self) -> None:
        deadline = self.cal.add_working_days(_py(self.start.date()), self.days.value())
        text = f"<b>{deadline.due:%Y-%m-%d}</b>（星期{'一二三四五六日'[deadline.due.weekday()]}）"
        if deadline.warning:
            text += (f"<br><span style='color:#a61b1b'>{deadline.warning}：按双休日计算，"
                     "录入该年安排后期限可能推后。</span>")
        self.answer.setText(text)

    # -- a year's arrangement -------------------------------------------------------------
    def _arrangement_box(self) -> QGroupBox:
        box = QGroupBox("年度节假日安排（按国务院办公厅通知录入）")
        self.year = QSpinBox()
        self.year.setRange(2004, 2100)
        self.year.setValue(date.today().year + 1)
        self.year.valueChanged.connect(self._load_year)
        self.year_status = QLabel("")
        self.year_status.setWordWrap(True)
        self.holidays = QTableWidget(HOLIDAY_ROWS, 3)
        self.holidays.setHorizontalHeaderLabels(["假期名称", "放假开始", "放假结束（含）"])
        self.holidays.verticalHeader().setVisible(False)
        self.holidays.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.holidays.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.makeup = QLineEdit()
        self.makeup.setPlaceholderText("调休上班的周六、周日，用顿号或逗号分隔，如 2027-01-31、2027-02-20")
        self.source = QLineEdit()
        self.source.setPlaceholderText("通知文号，如 国办发明电〔2026〕X号")
        self.save_year = QPushButton("保存该年安排")
        self.save_year.clicked.connect(self.save_arrangement)
        self.corrections = QTableWidget(0, 3)
        self.corrections.setHorizontalHeaderLabels(["日期", "标记", "说明"])
        self.corrections.verticalHeader().setVisible(False)
        self.corrections.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.corrections.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        form = QFormLayout()
        form.addRow("年度", self.year)
        form.addRow("状态", self.year_status)
        layout = QVBoxLayout(box)
        layout.addLayout(form)
        layout.addWidget(self.holidays, 2)
        extra = QFormLayout()
        extra.addRow("调休上班", self.makeup)
        extra.addRow("依据", self.source)
        layout.addLayout(extra)
        layout.addWidget(self.save_year, 0, Qt.AlignmentFlag.AlignRight)
        layout.addWidget(QLabel("该年本单位更正的日期："))
        layout.addWidget(self.corrections, 1)
        return box

    # -- the rules: which kinds must be published, within how many working days ------------
    def _rules_box(self) -> QGroupBox:
        box = QGroupBox("公示时限（自起算日起的工作日数；不勾选的种类不跟踪）")
        self.required: dict[str, QCheckBox] = {}
        self.limits: dict[str, QSpinBox] = {}
        grid = QGridLayout(box)
        for index, kind in enumerate(PublicationKind):
            self.required[kind.value] = QCheckBox(kind.value)
            self.limits[kind.value] = QSpinBox()
            self.limits[kind.value].setRange(1, MAX_DAYS)
            self.limits[kind.value].setSuffix(" 个工作日")
            grid.addWidget(self.required[kind.value], index // 2, (index % 2) * 2)
            grid.addWidget(self.limits[kind.value], index // 2, (index % 2) * 2 + 1)
        self.save_rules_button = QPushButton("保存时限")
        self.save_rules_button.clicked.connect(self.save_rules)
        grid.setColumnStretch(4, 1)
        grid.addWidget(self.save_rules_button, 1, 5)
        return box

    def _load_rules(self) -> None:
        current = rules(self.context.db)
        for kind in PublicationKind:
            self.required[kind.value].setChecked(kind in current.required)
            self.limits[kind.value].setValue(current.working_days[kind])

    def save_rules(self) -> None:
        days = {kind: box.value() for kind, box in self.limits.items()}
        wanted = [kind for kind, box in self.required.items() if box.isChecked()]
        if run_or_explain(self, lambda: publications.save_rules(
                self.context.db, self.context.actor, days, wanted))[0]:
            self._load_rules()

    def _load_year(self) -> None:
        year = self.year.value()
        db = self.context.db
        (status,) = calendar_service.year_statuses(db, [year])
        colour = "#1b5e20" if status.confirmed else "#a61b1b"
        self.year_status.setText(f"<span style='color:{colour}'>{status.how}</span>")
        arrangement = calendar_service.arrangement(db, year)
        self.holidays.clearContents()
        if arrangement is not None:
            for row, span in enumerate(arrangement.holidays[:HOLIDAY_ROWS]):
                for column, text in enumerate((span.name, span.first.isoformat(), span.last.isoformat())):
                    self.holidays.setItem(row, column, QTableWidgetItem(text))
        self.makeup.setText("、".join(d.isoformat() for d in arrangement.makeup_days) if arrangement else "")
        self.source.clear()
        rows = calendar_service.corrections(db, year)
        self.corrections.setRowCount(len(rows))
        for row, correction in enumerate(rows):
            for column, text in enumerate((correction.day.isoformat(), correction.mark, correction.note)):
                self.corrections.setItem(row, column, QTableWidgetItem(text))

    def _typed_arrangement(self) -> YearArrangement:
        spans = []
        for row in range(self.holidays.rowCount()):
            texts = [(self.holidays.item(row, c).text().strip() if self.holidays.item(row, c) else "")
                     for c in range(3)]
            if not any(texts):
                continue
            where = f"假期表第 {row + 1} 行的"
            spans.append(HolidayRange(_parse(texts[1], where + "开始日期"), _parse(texts[2], where + "结束日期"),
                                      texts[0]))
        makeup = [part for part in self.makeup.text().replace("，", "、").replace(",", "、").split("、") if part.strip()]
        return YearArrangement(self.year.value(), tuple(spans),
                               tuple(_parse(text, "调休上班日") for text in makeup))

    def save_arrangement(self) -> None:
        def save() -> None:
            calendar_service.save_arrangement(self.context.db, self.context.actor,
                                              self._typed_arrangement(), self.source.text())

        if run_or_explain(self, save)[0]:
            self.refresh()

    def refresh(self) -> None:
        self.cal = calendar_service.calendar(self.context.db)
        self._paint_month()
        self._show_selected()
        self._load_year()
        self._load_rules()
