"""A small bar chart drawn with QPainter: grouped or stacked bars, a value axis and a legend.

Chosen over QtCharts (deprecated in Qt 6, and its module with QtOpenGL adds megabytes to the
frozen bundle) and over matplotlib (tens of MB): the statistics page needs only bars, and
this is a few hundred lines of drawing with nothing added to the bundle.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

PALETTE = ("#3b6fb6", "#e58a2b", "#4f9d55", "#c64a4a", "#8a63b3", "#2d9c9c", "#b8860b", "#7f7f7f", "#d46aa6",
           "#5b7f2e")


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[int, ...]


def _nice_top(value: int) -> int:
    """The axis' top: four gridline steps of 1, 2 or 5 × a power of ten, at least ``value``."""
    wanted, step = max(-(-value // 4), 1), 1
    while True:
        for m in (1, 2, 5):
            if m * step >= wanted:
                return 4 * m * step
        step *= 10


class BarChart(QWidget):
    def __init__(self, title: str, stacked: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.title, self.stacked = title, stacked
        self.labels: tuple[str, ...] = ()
        self.series: tuple[Series, ...] = ()
        self.setMinimumSize(320, 220)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_data(self, labels: list[str], series: list[Series]) -> None:
        self.labels, self.series = tuple(labels), tuple(series)
        self.update()

    def top_value(self) -> int:
        if not self.series:
            return 0
        columns = list(zip(*(s.values for s in self.series)))
        return max((sum(c) if self.stacked else max(c)) for c in columns) if columns else 0

    def paintEvent(self, _event) -> None:  # noqa: N802 (Qt)
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("white"))
        fm = p.fontMetrics()
        line = fm.height()
        p.setPen(QColor("#222"))
        p.drawText(QRectF(0, 4, self.width(), line), Qt.AlignmentFlag.AlignHCenter, self.title)
        legend_rows = self._legend(p, 8, 8 + line, self.width() - 16)
        top_value = _nice_top(self.top_value())
        axis_w = fm.horizontalAdvance(str(top_value)) + 10
        plot = QRectF(axis_w + 8, 12 + line * (1 + legend_rows) + 6, self.width() - axis_w - 20,
                      self.height() - line * (2 + legend_rows) - 30)
        if plot.height() < 20 or not self.labels:
            p.end()
            return
        p.setPen(QPen(QColor("#ddd")))
        for k in range(5):
            y = plot.bottom() - plot.height() * k / 4
            p.drawLine(plot.left(), y, plot.right(), y)
            p.setPen(QColor("#555"))
            p.drawText(QRectF(0, y - line / 2, axis_w, line), Qt.AlignmentFlag.AlignRight,
                       str(round(top_value * k / 4)))
            p.setPen(QPen(QColor("#ddd")))
        slot = plot.width() / len(self.labels)
        bars = 1 if self.stacked else max(len(self.series), 1)
        width = slot * 0.75 / bars
        for i, label in enumerate(self.labels):
            x0 = plot.left() + slot * i + slot * 0.125
            base = plot.bottom()
            for j, s in enumerate(self.series):
                h = plot.height() * s.values[i] / top_value
                x = x0 if self.stacked else x0 + j * width
                y = base - h if self.stacked else plot.bottom() - h
                p.fillRect(QRectF(x, y, width, h), QColor(PALETTE[j % len(PALETTE)]))
                if self.stacked:
                    base -= h
            p.setPen(QColor("#333"))
            p.drawText(QRectF(plot.left() + slot * i, plot.bottom() + 2, slot, line),
                       Qt.AlignmentFlag.AlignHCenter, label)
        p.setPen(QColor("#888"))
        p.drawLine(plot.bottomLeft(), plot.bottomRight())
        p.end()

    def _legend(self, p: QPainter, x0: float, y: float, width: float) -> int:
        """Draw the legend in as many rows as it needs; returns the number of rows."""
        fm, x, rows = p.fontMetrics(), x0, 1 if self.series else 0
        for j, s in enumerate(self.series):
            name = fm.elidedText(s.name, Qt.TextElideMode.ElideRight, 180)
            w = 14 + fm.horizontalAdvance(name) + 14
            if x + w > x0 + width and x > x0:
                x, y, rows = x0, y + fm.height(), rows + 1
            p.fillRect(QRectF(x, y + 3, 10, fm.height() - 6), QColor(PALETTE[j % len(PALETTE)]))
            p.setPen(QColor("#333"))
            p.drawText(QRectF(x + 14, y, w, fm.height()), Qt.AlignmentFlag.AlignLeft, name)
            x += w
        return rows
