"""The row of filters above the subject table: search, region, industry, type, risk, tags, flags."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QWidget

from app.services.directory.subject_query import FLAGS, RISK_CLASSES, Facets, SubjectFilter

ALL = "全部"


def _combo(values: list[str], width: int = 130) -> QComboBox:
    combo = QComboBox()
    combo.addItem(ALL, None)
    for value in values:
        combo.addItem(value, value)
    combo.setMinimumWidth(width)
    return combo


class SubjectFilterBar(QWidget):
    """Emits ``changed`` with a ``SubjectFilter`` a moment after the clerk stops typing."""

    changed = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.search = QLineEdit()
        self.search.setPlaceholderText("按名称或统一社会信用代码查找")
        self.search.setClearButtonEnabled(True)
        self.region = _combo([])
        self.industry = _combo([], 180)
        self.subject_type = _combo([])
        self.risk = _combo([])
        for code, label in RISK_CLASSES.items():
            self.risk.addItem(f"{code}（{label}）", code)
        self.tag = _combo([])
        self.status = _combo([])
        self.flags = {flag: QCheckBox(label) for flag, label in FLAGS.items()}

        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.search, 0, 0, 1, 4)
        for column, (label, combo) in enumerate((("区域", self.region), ("行业", self.industry),
                                                  ("类型", self.subject_type), ("风险", self.risk))):
            grid.addWidget(self._labelled(label, combo), 1, column)
        grid.addWidget(self._labelled("标签", self.tag), 0, 4)
        grid.addWidget(self._labelled("登记状态", self.status), 0, 5)
        flags_row = QWidget()
        flags_layout = QHBoxLayout(flags_row)
        flags_layout.setContentsMargins(0, 0, 0, 0)
        for box in self.flags.values():
            flags_layout.addWidget(box)
        grid.addWidget(flags_row, 1, 4, 1, 2)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)
        self._timer.timeout.connect(lambda: self.changed.emit(self.current()))
        self.search.textChanged.connect(self._timer.start)
        for combo in (self.region, self.industry, self.subject_type, self.risk, self.tag, self.status):
            combo.currentIndexChanged.connect(self._timer.start)
        for box in self.flags.values():
            box.toggled.connect(self._timer.start)

    @staticmethod
    def _labelled(text: str, combo: QComboBox) -> QWidget:
        box = QWidget()
        layout = QHBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        label = QLabel(text)
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(label)
        layout.addWidget(combo, 1)
        return box

    def set_facets(self, facets: Facets) -> None:
        for combo, values in ((self.region, facets.regions), (self.industry, facets.industries),
                              (self.subject_type, facets.subject_types), (self.tag, facets.tags),
                              (self.status, facets.statuses)):
            chosen = combo.currentData()
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            for value in values:
                combo.addItem(value, value)
            index = combo.findData(chosen)
            combo.setCurrentIndex(max(index, 0))
            combo.blockSignals(False)

    def current(self) -> SubjectFilter:
        def one(combo: QComboBox) -> tuple[str, ...]:
            return (combo.currentData(),) if combo.currentData() else ()

        return SubjectFilter(
            text=self.search.text().strip(), regions=one(self.region), industries=one(self.industry),
            subject_types=one(self.subject_type), risk_classes=one(self.risk), tags=one(self.tag),
            statuses=one(self.status), flags=tuple(f for f, box in self.flags.items() if box.isChecked()),
        )

    def apply(self, flt: SubjectFilter) -> None:
        """Show a saved filter (专用名录); values not offered by a combo are added to it."""
        self.blockSignals(True)
        self.search.setText(flt.text)
        for combo, values in ((self.region, flt.regions), (self.industry, flt.industries),
                              (self.subject_type, flt.subject_types), (self.risk, flt.risk_classes),
                              (self.tag, flt.tags), (self.status, flt.statuses)):
            value = values[0] if values else None
            index = combo.findData(value)
            if index < 0:
                combo.addItem(value, value)
                index = combo.count() - 1
            combo.setCurrentIndex(index)
        for flag, box in self.flags.items():
            box.setChecked(flag in flt.flags)
        self.blockSignals(False)
        self._timer.stop()
        self.changed.emit(self.current())
