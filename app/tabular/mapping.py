"""Which column of the clerk's file holds which field: guessed from the header words,
shown for checking, editable, and saved as JSON to reuse with the next file from the same
system (``--mapping FILE.json``)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from app.tabular.errors import TabularError
from app.tabular.fields import directory_fields
from app.tabular.header import AliasIndex, normalise_label


@dataclass
class ColumnMapping:
    """``columns`` maps a field name to the header text of its column, as written in the file."""

    kind: str
    columns: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps({"kind": self.kind, "columns": self.columns}, ensure_ascii=False, indent=2)

    @classmethod
    def from_json(cls, text: str) -> ColumnMapping:
        """Parse a saved mapping; a hand-edited file that is not one raises ``TabularError``."""
        try:
            data = json.loads(text)
            kind, columns = data["kind"], data["columns"]
        except (ValueError, KeyError, TypeError):
            raise TabularError(
                "列对应设置文件格式不对：应为 {\"kind\": \"subject\", \"columns\": {\"name\": \"企业名称\", …}}。"
                "请在导入界面重新保存一份。"
            ) from None
        known = {spec.name for spec in directory_fields(kind)} if kind in ("subject", "inspector") else None
        if known is None or not isinstance(columns, dict):
            raise TabularError(
                f"列对应设置文件中的 kind“{kind}”无效：应为 subject（检查对象）或 inspector（检查人员）。")
        unknown = [name for name in columns if name not in known]
        if unknown:
            raise TabularError(
                f"列对应设置文件中有未知的字段：{'、'.join(unknown)}。可用字段：{'、'.join(sorted(known))}。")
        return cls(kind, {str(k): str(v) for k, v in columns.items()})


def guess_mapping(kind: str, labels: list[str]) -> ColumnMapping:
    """Each field gets the first column whose header names it; a column serves one field."""
    index = AliasIndex(directory_fields(kind))
    columns: dict[str, str] = {}
    for label in labels:
        name = index.match(label)
        if name is not None and name not in columns:
            columns[name] = label
    return ColumnMapping(kind, columns)


def resolve(mapping: ColumnMapping, labels: list[str]) -> dict[str, int]:
    """Field name → column index. A mapped header that is not in the file raises."""
    positions: dict[str, int] = {}
    for number, label in enumerate(labels):
        positions.setdefault(normalise_label(label), number)
    resolved = {}
    for name, label in mapping.columns.items():
        position = positions.get(normalise_label(label))
        if position is None or not normalise_label(label):
            shown = "、".join(f"“{text}”" for text in labels if text)
            raise TabularError(
                f"列对应设置中的列“{label}”在表头中找不到。表头中的列有：{shown}。请修改列对应后再导入。")
        resolved[name] = position
    return resolved
