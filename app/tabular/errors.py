"""The one exception type for unusable files, and the per-row findings of a validation."""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"
SEVERITY_LABELS = {ERROR: "错误", WARNING: "警告"}


class TabularError(Exception):
    """A file that cannot be read as asked. The message is Chinese and says what to do next.

    Raised before anything is handed to the caller, so an import that hits it changes nothing.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class Issue:
    """One finding about one cell (or row) of the file.

    ``row`` is the row number Excel shows; ``column`` is the column's header as written in
    the file (its letter when the header cell is empty); ``value`` is the cell as read.
    """

    row: int
    column: str
    message: str
    severity: str = ERROR
    value: str = ""

    def to_dict(self) -> dict:
        """The shape the CLI prints with --json."""
        return {"row": self.row, "column": self.column, "message": self.message, "severity": self.severity}
