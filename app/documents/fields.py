"""Document kinds, their declared context fields, and context normalisation.

A template may only use the fields its kind declares: that is what lets the
loader reject a misspelt placeholder with a useful message before a clerk has
printed three hundred blank notices.  Every field has a default, so a caller
may omit fields it does not know yet (the printed form then has a blank).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field as dc_field
from typing import Any, Callable, Mapping

#: field types
TEXT = "text"              # one line of text; numbers and dates are formatted
PARAGRAPHS = "paragraphs"  # list of paragraphs (or text with line breaks)
LIST = "list"              # list of records with their own sub-fields
CHOICES = "choices"        # list of chosen options, tested with the 勾选 filter
QR = "qr"                  # text encoded as a QR code image
NUMBER = "number"          # kept numeric in .xlsx cells

#: docxtpl turns "\a" inside a run into a new paragraph with the same formatting.
PARAGRAPH_BREAK = "\a"


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    type: str = TEXT
    items: tuple["Field", ...] = ()
    #: for QR fields: printed size in millimetres
    size_mm: float = 24.0

    def default(self) -> Any:
        return [] if self.type in (LIST, CHOICES) else ""


@dataclass(frozen=True)
class DocumentKind:
    key: str
    title: str
    filename: str
    fields: tuple[Field, ...]
    description: str = ""
    #: .xlsx kinds: the field whose value names each worksheet
    sheet_name_field: str = ""
    _by_name: dict = dc_field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_name.update({f.name: f for f in self.fields})

    @property
    def is_xlsx(self) -> bool:
        return self.filename.endswith(".xlsx")

    def field(self, name: str) -> Field | None:
        return self._by_name.get(name)

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def describe(self) -> str:
        """Plain-text list of the fields, for the settings page and the CLI."""
        lines = [f"《{self.title}》（{self.filename}）可用字段："]
        for f in self.fields:
            lines.append(f"  {f.name}：{f.label}")
            for sub in f.items:
                lines.append(f"    {f.name}[].{sub.name}：{sub.label}")
        return "\n".join(lines)


def format_date(value: dt.date) -> str:
    """GB/T 9704-2012 §7.3.5.4: Arabic numerals, no leading zeros."""
    return f"{value.year}年{value.month}月{value.day}日"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return f"{format_date(value)} {value:%H:%M}"
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def _paragraphs(value: Any) -> str:
    if value is None:
        return ""
    parts = value if isinstance(value, (list, tuple)) else str(value).splitlines()
    return PARAGRAPH_BREAK.join(_text(p).strip() for p in parts if _text(p).strip())


def normalise(fields: tuple[Field, ...], data: Mapping[str, Any],
              make_qr: Callable[[str, Field], Any] | None = None,
              for_xlsx: bool = False) -> dict[str, Any]:
    """Fill defaults and convert values to what the template expects.

    Keys the kind does not declare are dropped (a data file may carry more).
    ``make_qr`` turns QR payload text into an image object; without it the
    payload text itself is kept (useful for .xlsx and for tests).
    """
    out: dict[str, Any] = {}
    for f in fields:
        value = data.get(f.name)
        if value is None:
            value = f.default()
        if f.type == LIST:
            rows = value if isinstance(value, (list, tuple)) else []
            out[f.name] = [normalise(f.items, r if isinstance(r, Mapping) else {},
                                     make_qr, for_xlsx) for r in rows]
        elif f.type == CHOICES:
            out[f.name] = [_text(v) for v in value] if isinstance(value, (list, tuple, set)) \
                else [v for v in _text(value).replace("、", ",").split(",") if v]
        elif f.type == PARAGRAPHS:
            out[f.name] = "\n".join(_paragraphs(value).split(PARAGRAPH_BREAK)) if for_xlsx \
                else _paragraphs(value)
        elif f.type == NUMBER and for_xlsx and isinstance(value, (int, float)) \
                and not isinstance(value, bool):
            out[f.name] = value
        elif f.type == QR and make_qr is not None and _text(value):
            out[f.name] = make_qr(_text(value), f)
        else:
            out[f.name] = _text(value)
    return out


_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 25 → 二十五 (for 一、二、 headings; n < 100)."""
    n = int(n)
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


def tick(chosen: list[str], option: str) -> str:
    """Jinja filter 勾选: ``{{ 核查方式|勾选("实地核查") }}`` → ☑ or □."""
    return "☑" if option in (chosen or []) else "□"


#: Jinja filters available in every template (their names are not fields).
FILTERS: dict[str, Callable[..., Any]] = {"勾选": tick, "中文序号": chinese_number}
