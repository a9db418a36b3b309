"""A read-only table model that fetches rows page by page from a service.

Sorting and filtering are the service's (that is, the database's) job: the
model only remembers the sort it was asked for and loads the next page when the
view scrolls near the end, so 500,000 rows cost no more than the pages seen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Fetch = Callable[[str, bool, int, int], Sequence[Any]]  # (sort key, descending, offset, limit) -> rows


@dataclass(frozen=True)
class Column:
    header: str
    display: Callable[[Any], str]
    sort_key: str | None = None  # the service's name for sorting by this column; None: not sortable
    foreground: Callable[[Any], str | None] | None = None  # a colour name for warnings


class LazyTableModel(QAbstractTableModel):
    def __init__(self, columns: list[Column], fetch: Fetch, page_size: int = 200, parent=None):
        super().__init__(parent)
        self.columns = columns
        self._fetch = fetch
        self._page_size = page_size
        self._rows: list[Any] = []
        self._exhausted = False
        first_sortable = next((c.sort_key for c in columns if c.sort_key), "")
        self._sort_key, self._descending = first_sortable, False

    # --- loading -----------------------------------------------------------------
    def reload(self, fetch: Fetch | None = None) -> None:
        """Start again from the first page (after a filter or data change)."""
        if fetch is not None:
            self._fetch = fetch
        self.beginResetModel()
        self._rows, self._exhausted = [], False
        self._load_page_unsignalled()
        self.endResetModel()

    def _load_page_unsignalled(self) -> list[Any]:
        page = list(self._fetch(self._sort_key, self._descending, len(self._rows), self._page_size))
        self._rows.extend(page)
        self._exhausted = len(page) < self._page_size
        return page

    def canFetchMore(self, parent=QModelIndex()) -> bool:  # noqa: N802 — Qt naming
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent=QModelIndex()) -> None:  # noqa: N802
        if parent.isValid() or self._exhausted:
            return
        page = list(self._fetch(self._sort_key, self._descending, len(self._rows), self._page_size))
        if page:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(page) - 1)
            self._rows.extend(page)
            self.endInsertRows()
        self._exhausted = len(page) < self._page_size

    # --- Qt model ------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].header
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, column = self._rows[index.row()], self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.display(row)
        if role == Qt.ItemDataRole.ForegroundRole and column.foreground is not None:
            from PySide6.QtGui import QColor

            colour = column.foreground(row)
            return QColor(colour) if colour else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.display(row)
        return None

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        key = self.columns[column].sort_key
        if not key:
            return
        self._sort_key, self._descending = key, order == Qt.SortOrder.DescendingOrder
        self.reload()

    def row_at(self, row: int) -> Any:
        return self._rows[row]

    @property
    def loaded_rows(self) -> list[Any]:
        return list(self._rows)
