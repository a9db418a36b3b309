"""Choosing a task's 抽查事项 from the whole 清单: search, filter by 编制单位, tick."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.directory.check_items import ItemRow

ALL = "全部编制单位"


def source_of(item: ItemRow) -> str:
    """Who compiled an item: the 编制单位, or for the joint list its 发起部门."""
    return item.compiler or (f"联合：{item.lead_departments}" if item.lead_departments else item.list_name)


class ItemPicker(QWidget):
    """Emits ``changed`` whenever the ticked items change."""

    changed = Signal()

    def __init__(self, items: list[ItemRow], chosen: list[int], parent: QWidget | None = None):
        super().__init__(parent)
        chosen_set = set(chosen)
        self.items = [i for i in items if i.enabled or i.id in chosen_set]
        self.search = QLineEdit()
        self.search.setPlaceholderText("按事项名称、抽查类别或编制单位查找")
        self.search.setClearButtonEnabled(True)
        self.source = QComboBox()
        self.source.addItem(ALL, None)
        for source in sorted({source_of(i) for i in self.items}):
            self.source.addItem(source, source)
        self.source.setMinimumWidth(200)
        self.only_chosen = QCheckBox("只看已选")
        self.list = QListWidget()
        self.list.setUniformItemSizes(True)
        self.summary = QLabel()
        self._rows: dict[int, QListWidgetItem] = {}
        for item in self.items:
            flag = "" if item.enabled else "（已停用）"
            klass = f"〔{item.item_class}〕" if item.item_class else ""
            row = QListWidgetItem(f"{source_of(item)}｜{item.category}｜{item.name}{klass}{flag}")
            row.setToolTip(f"{item.name}\n检查对象：{item.target}\n检查方式：{'、'.join(item.methods) or '—'}")
            row.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            row.setCheckState(Qt.CheckState.Checked if item.id in chosen_set else Qt.CheckState.Unchecked)
            row.setData(Qt.ItemDataRole.UserRole, item.id)
            self.list.addItem(row)
            self._rows[item.id] = row

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(QLabel("编制单位："))
        top.addWidget(self.source)
        top.addWidget(self.only_chosen)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.summary)

        self.search.textChanged.connect(self.apply_filter)
        self.source.currentIndexChanged.connect(self.apply_filter)
        self.only_chosen.toggled.connect(self.apply_filter)
        self.list.itemChanged.connect(self._ticked)
        self._update_summary()

    def chosen_ids(self) -> list[int]:
        return sorted(item_id for item_id, row in self._rows.items() if row.checkState() == Qt.CheckState.Checked)

    def set_checked(self, item_id: int, checked: bool = True) -> None:
        self._rows[item_id].setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def visible_ids(self) -> list[int]:
        return [item_id for item_id, row in self._rows.items() if not row.isHidden()]

    def apply_filter(self) -> None:
        needle = self.search.text().strip()
        source = self.source.currentData()
        only = self.only_chosen.isChecked()
        for item in self.items:
            row = self._rows[item.id]
            show = (not needle or needle in item.name or needle in item.category or needle in source_of(item)) \
                and (source is None or source_of(item) == source) \
                and (not only or row.checkState() == Qt.CheckState.Checked)
            row.setHidden(not show)
        self._update_summary()

    def _ticked(self, _row: QListWidgetItem) -> None:
        self._update_summary()
        self.changed.emit()

    def _update_summary(self) -> None:
        chosen = set(self.chosen_ids())
        sources = {source_of(i) for i in self.items if i.id in chosen}
        shown = len(self.visible_ids())
        text = f"已选 {len(chosen)} 项"
        if sources:
            text += f"，来自 {len(sources)} 个编制单位（{'、'.join(sorted(sources))}）"
        self.summary.setText(f"{text}。　当前显示 {shown} / {len(self.items)} 项")
        self.summary.setWordWrap(True)
