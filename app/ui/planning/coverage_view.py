"""覆盖情况 of a year's plans: 全覆盖 of the 清单, each department's 抽查比例, the yearly cap."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.planning.coverage import Coverage, coverage
from app.services.system.settings import set_yearly_cap
from app.ui.context import AppContext
from app.ui.tasks import BackgroundOp, show_error

GOOD, BAD = "#1b6e20", "#b00020"


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: list[tuple], right: tuple[int, ...] = ()) -> None:
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            cell = QTableWidgetItem(str(value))
            if c in right:
                cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, cell)


class CoverageView(QWidget):
    """Computed in the background each time the year changes or the view is shown."""

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.year: int | None = None
        self.result: Coverage | None = None
        self.heading = QLabel("")
        self.heading.setObjectName("pageTitle")

        self.items_summary = QLabel()
        self.items_summary.setWordWrap(True)
        self.uncovered = _table(["编制单位/发起部门", "抽查类别", "抽查事项", "事项类别"])
        items_box = QGroupBox("一、抽查事项全覆盖（清单中每个启用的事项都应有本年度任务覆盖）")
        items_layout = QVBoxLayout(items_box)
        items_layout.addWidget(self.items_summary)
        items_layout.addWidget(self.uncovered, 1)

        self.departments = _table(["部门", "任务", "范围内（户）", "计划抽查", "比例", "已抽取"])
        ratio_box = QGroupBox("二、各部门抽查比例（联合抽查计入每个参加部门）")
        ratio_layout = QVBoxLayout(ratio_box)
        ratio_layout.addWidget(self.departments, 1)

        self.cap = QSpinBox()
        self.cap.setRange(1, 50)
        self.cap.setSuffix(" 次")
        self.save_cap = QPushButton("保存上限")
        self.save_cap.clicked.connect(self._save_cap)
        self.cap_summary = QLabel()
        self.cap_summary.setWordWrap(True)
        self.capped = _table(["代码", "名称", "风险", "本年度已抽查"])
        cap_row = QHBoxLayout()
        cap_row.addWidget(QLabel("低风险检查对象同一年度内最多抽查"))
        cap_row.addWidget(self.cap)
        cap_row.addWidget(self.save_cap)
        cap_row.addStretch(1)
        cap_box = QGroupBox("三、年度抽查次数已满的检查对象（本年度再次抽取时自动排除；重点检查对象不设上限）")
        cap_layout = QVBoxLayout(cap_box)
        cap_layout.addLayout(cap_row)
        cap_layout.addWidget(self.cap_summary)
        cap_layout.addWidget(self.capped, 1)

        lower = QHBoxLayout()
        lower.addWidget(ratio_box, 3)
        lower.addWidget(cap_box, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(items_box, 3)
        layout.addLayout(lower, 2)

    def show_year(self, year: int) -> None:
        self.year = year
        self.heading.setText(f"{year}年度抽查计划覆盖情况（正在统计…）")
        db = self.context.db
        BackgroundOp(self, lambda _p: coverage(db, year), self._show).run_in_background()

    def _show(self, result: Coverage) -> None:
        if result.year != self.year:
            return
        self.result = result
        self.heading.setText(f"{result.year}年度抽查计划覆盖情况：{result.plans} 个计划，{result.tasks} 项任务")
        if not result.enabled_items:
            text, colour = "清单中还没有启用的抽查事项，请先在“一单两库一细则”中导入事项清单。", BAD
        elif result.fully_covered:
            text, colour = f"✔ 已全覆盖：启用的 {result.enabled_items} 个事项都有本年度任务覆盖。", GOOD
        else:
            text, colour = (f"✖ 未全覆盖：启用的 {result.enabled_items} 个事项中，已覆盖 {result.covered_items} 个，"
                            f"尚有 {len(result.uncovered)} 个未安排任务（见下表）。"), BAD
        self.items_summary.setText(f"<span style='color:{colour}'><b>{text}</b></span>")
        _fill(self.uncovered, [(i.compiler, i.category, i.name, i.item_class or "—") for i in result.uncovered])
        self.uncovered.setColumnWidth(0, 200)
        self.uncovered.setColumnWidth(1, 220)
        self.uncovered.setColumnWidth(2, 460)
        _fill(self.departments, [(d.department, d.tasks, f"{d.population:,}", f"{d.planned:,}", d.ratio_text,
                                  f"{d.drawn:,}") for d in result.departments], right=(1, 2, 3, 4, 5))
        self.departments.resizeColumnsToContents()
        if not result.departments:
            self.departments.setRowCount(1)
            self.departments.setItem(0, 0, QTableWidgetItem("本年度还没有抽查任务"))
        self.cap.blockSignals(True)
        self.cap.setValue(result.cap.times)
        self.cap.blockSignals(False)
        self.cap_summary.setText(f"规则：{result.cap.describe()}。本年度已达上限 {len(result.capped)} 户。")
        _fill(self.capped, [(c.code, c.name, c.risk_class, f"{c.times} 次") for c in result.capped], right=(3,))
        for column, width in ((0, 170), (1, 220), (2, 50)):
            self.capped.setColumnWidth(column, width)

    def _save_cap(self) -> None:
        try:
            set_yearly_cap(self.context.db, self.context.actor, self.cap.value())
        except Exception as exc:  # noqa: BLE001 — shown to the clerk
            show_error(self, exc)
            return
        if self.year is not None:
            self.show_year(self.year)
