"""Reading and writing the tables offices exchange: xlsx, xls and csv files of the check-item
list and of the subject and inspector directories. No Qt and no database here: the import
services take what this package reads and decide what goes into the database.
"""

from app.tabular.check_item_export import export_check_item_list
from app.tabular.check_items import (
    JOINT, STANDARD, CheckItemFile, CheckItemRow, list_layout, read_check_item_file, read_check_item_list, split_methods,
)
from app.tabular.dates import parse_date
from app.tabular.directory import (
    DirectoryReader,
    DirectoryRow,
    ImportCounts,
    ParsedDirectory,
    open_directory,
    read_directory,
)
from app.tabular.errors import ERROR, WARNING, Issue, TabularError
from app.tabular.fields import INSPECTOR, SUBJECT, FieldSpec, directory_fields
from app.tabular.mapping import ColumnMapping, guess_mapping
from app.tabular.writer import export_directory, neutralise, write_table, write_validation_report

__all__ = [
    "ERROR", "INSPECTOR", "JOINT", "STANDARD", "SUBJECT", "WARNING",
    "CheckItemFile", "CheckItemRow", "ColumnMapping", "DirectoryReader", "DirectoryRow", "FieldSpec", "ImportCounts", "Issue",
    "ParsedDirectory", "TabularError",
    "directory_fields", "export_check_item_list", "export_directory", "guess_mapping", "list_layout",
    "neutralise", "open_directory", "parse_date", "read_check_item_file", "read_check_item_list", "read_directory", "split_methods",
    "write_table", "write_validation_report",
]
