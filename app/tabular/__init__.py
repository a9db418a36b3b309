"""Reading and writing the tables offices exchange: xlsx, xls and csv files of the check-item
list and of the subject and inspector directories. No Qt and no database here: the import
services take what this package reads and decide what goes into the database.

The names below are loaded on first use (PEP 562): a module that needs only ``TabularError``
does not import openpyxl and calamine, and the program starts faster.
"""

from __future__ import annotations

import importlib

_WHERE = {
    "app.tabular.check_item_export": ("export_check_item_list",),
    "app.tabular.check_items": ("JOINT", "STANDARD", "CheckItemFile", "CheckItemRow", "list_layout",
                                "read_check_item_file", "read_check_item_list", "split_methods"),
    "app.tabular.dates": ("parse_date",),
    "app.tabular.directory": ("DirectoryReader", "DirectoryRow", "ImportCounts", "ParsedDirectory",
                              "open_directory", "read_directory"),
    "app.tabular.errors": ("ERROR", "WARNING", "Issue", "TabularError"),
    "app.tabular.fields": ("INSPECTOR", "SUBJECT", "FieldSpec", "directory_fields"),
    "app.tabular.mapping": ("ColumnMapping", "guess_mapping"),
    "app.tabular.writer": ("export_directory", "neutralise", "write_table", "write_validation_report"),
}
_MODULE_OF = {name: module for module, names in _WHERE.items() for name in names}
__all__ = sorted(_MODULE_OF)


def __getattr__(name: str):
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'app.tabular' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
