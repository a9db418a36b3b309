"""月报表: choose a department and month, write part 一 (remembered from last month), see the
computed part 二, and produce the .xlsx with a print preview."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QSpinBox,
    QVBoxLayout, QWidget,
)

from app.services.reports import monthly
from app.services.rulebooks import templates
from app.services.system.settings import list_departments
from app.ui.common.base_page import Page
from app.ui.common.print_preview import show_preview
from app.ui.context import AppContext
from app.ui.tasks import BackgroundOp, run_or_explain

PART_ONE = (("meetings", "本月召开会议部署随机抽查工作情况", "会议的名称及时间"),
            ("documents", "本月印发双随机工作文件情况", "文件名称及文号"),
            ("trainings", "本月组织随机抽查业务培训情况", "培训班名称、培训人员数量及内容"),
            ("other", "其他工作", "其他需要报告的情况"))


def _previous_month(today: date) -> tuple[int, int]:
    return (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)


class MonthlyReportPage(Page):
    title = "月报表"

    def __init__(self, context: AppContext, parent: QWidget | None = None, today: date | None = None):
        super().__init__(context, parent)
        heading = QLabel("“双随机、一公开”监管工作月报表（每月 20 日前报县双随机办）")
        heading.setObjectName("pageTitle")
        self.department = QComboBox()
        self.year, self.month = QSpinBox(), QSpinBox()
        self.year.setRange(2000, 2100)
        self.month.setRange(1, 12)
        self.year.setSuffix(" 年")
        self.month.setSuffix(" 月")
        year, month = _previous_month(today or date.today())
        self.year.setValue(year)
        self.month.setValue(month)
        choose = QHBoxLayout()
        for label, widget in (("部门：", self.department), ("", self.year), ("", self.month)):
            if label:
                choose.addWidget(QLabel(label))
            choose.addWidget(widget)
        choose.addStretch(1)
        self.texts: dict[str, QPlainTextEdit] = {}
        part_one = QGroupBox("一、本月安排部署情况（手填；新的月份先带出上月的写法，改好后保存）")
        form = QFormLayout(part_one)
        for key, label, hint in PART_ONE:
            edit = QPlainTextEdit()
            edit.setPlaceholderText(hint)
            edit.setFixedHeight(54)
            self.texts[key] = edit
            form.addRow(label, edit)
        self.carried = QLabel()
        self.carried.setObjectName("hint")
        form.addRow("", self.carried)
        part_two = QGroupBox("二、本月开展情况（按数据自动计算）")
        self.figures = QLabel()
        self.figures.setWordWrap(True)
        QVBoxLayout(part_two).addWidget(self.figures)
        self.save_button = QPushButton("保存填写内容")
        self.save_button.clicked.connect(self.save)
        self.make_button = QPushButton("生成月报表…")
        self.make_button.clicked.connect(self.choose_output)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.make_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(choose)
        layout.addWidget(part_one)
        layout.addWidget(part_two, 1)
        layout.addLayout(buttons)
        for widget in (self.year, self.month):
            widget.valueChanged.connect(self.load)
        self.department.currentIndexChanged.connect(self.load)

    def refresh(self) -> None:
        current = self.department.currentText()
        self.department.blockSignals(True)
        self.department.clear()
        for row in list_departments(self.context.db):
            self.department.addItem(row.name + ("（县双随机办，含全县本系统情况）" if row.is_office else ""),
                                    (row.name, row.is_office))
        index = max(0, self.department.findText(current))
        self.department.setCurrentIndex(index)
        self.department.blockSignals(False)
        self.load()

    def _chosen(self) -> tuple[str, bool] | None:
        return self.department.currentData()

    def load(self) -> None:
        chosen = self._chosen()
        if chosen is None:
            return
        name, is_office = chosen
        ok, report = run_or_explain(self, lambda: monthly.monthly_report(
            self.context.db, name, self.year.value(), self.month.value(), county=is_office))
        if not ok:
            return
        for key, edit in self.texts.items():
            edit.setPlainText(getattr(report.narrative, key))
        self.carried.setText("以上带出的是上月的写法，请按本月情况修改后保存。" if report.narrative.carried_over else "")
        fields = monthly.report_fields(self.context.db, report, date.today())
        self.figures.setText("\n".join(f"{label}：{fields[key]}" for label, key in (
            ("本月组织随机抽查的文件", "抽查文件"), ("对象范围、数量、比例", "对象范围数量比例"),
            ("检查事项", "检查事项情况"), ("结果公示", "公示情况"))) +
            (f"\n全县本系统：{fields['全系统情况']}" if is_office else ""))

    def save(self) -> bool:
        chosen = self._chosen()
        if chosen is None:
            return False
        texts = {key: edit.toPlainText() for key, edit in self.texts.items()}
        ok, _ = run_or_explain(self, lambda: monthly.save_narrative(
            self.context.db, self.context.actor, chosen[0], self.year.value(), self.month.value(), **texts))
        if ok:
            self.carried.setText("已保存。")
        return ok

    def choose_output(self) -> None:
        chosen = self._chosen()
        if chosen is None:
            return
        suggested = Path.home() / f"月报表{self.year.value()}年{self.month.value()}月.xlsx"
        path, _ = QFileDialog.getSaveFileName(self, "生成月报表", str(suggested), "Excel 文件 (*.xlsx)")
        if path:
            self.make(Path(path))

    def make(self, out: Path) -> BackgroundOp | None:
        """Save part 一, write the workbook, then preview it."""
        chosen = self._chosen()
        if chosen is None or not self.save():
            return None
        name, is_office = chosen
        year, month = self.year.value(), self.month.value()

        def work(progress):
            made = monthly.write_monthly_workbook(self.context.db, name, year, [month], out, county=is_office)
            return made, templates.print_preview(made, progress=progress)

        def done(result) -> None:
            made, preview = result
            show_preview(self, made, preview, f"月报表 {year} 年 {month} 月")

        return BackgroundOp(self, work, done).with_progress("正在生成月报表…").run_in_background()
