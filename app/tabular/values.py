"""Turning one cell into one field value. Each converter takes a non-blank cell and returns
the normalised value, raises ``ValueError`` (an error: the row cannot be imported as it is)
or ``FieldWarning`` (imported, but the clerk should look)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from app.tabular.dates import parse_date


class FieldWarning(Exception):
    """The value is usable (``value``) but doubtful (``message``)."""

    def __init__(self, value: object, message: str) -> None:
        super().__init__(message)
        self.value = value
        self.message = message


_NEUTRALISED = ("'=", "'+", "'-", "'@", "'\t", "'\r")
_LIST_SPLIT = re.compile(r"[,，、;；|｜/／\n]+")


def text(raw: object) -> str:
    """Cell → trimmed text. Whole numbers lose their ".0"; dates become ISO dates; a leading
    apostrophe that this program (or another careful one) put before "=", "+", "-", "@" to
    stop Excel executing the cell is taken off again."""
    if type(raw) is str:
        value = raw.strip()
        if value.startswith(_NEUTRALISED):
            return value[1:]
        return value
    if type(raw) is float:
        return str(int(raw)) if raw.is_integer() else repr(raw)
    if isinstance(raw, bool):
        return "是" if raw else "否"
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat() if raw.time() == dt.time() else raw.isoformat(" ")
    if isinstance(raw, dt.date):
        return raw.isoformat()
    return str(raw).strip()


def date(raw: object) -> dt.date:
    if raw.__class__ is dt.date and 1900 <= raw.year <= 2199:  # a real Excel date, the usual case
        return raw
    return parse_date(raw if not isinstance(raw, str) else text(raw))


def to_list(raw: object) -> list[str]:
    """"食品、药品；餐饮" → ["食品", "药品", "餐饮"], duplicates dropped, order kept."""
    parts = _LIST_SPLIT.split(raw if raw.__class__ is str else text(raw))
    if len(parts) == 1:
        return parts
    items: list[str] = []
    for part in parts:  # a plain loop beats dict.fromkeys for the usual two or three tags
        part = part.strip()
        if part and part not in items:
            items.append(part)
    return items


_TRUE = {"是", "y", "yes", "true", "1", "√", "✓", "✔", "有", "列入", "已列入", "在列", "可", "能", "可以", "是的"}
_FALSE = {"否", "n", "no", "false", "0", "×", "✗", "✘", "无", "未列入", "不在列", "不可", "不能", "不是", "没有"}


_BOOLEAN = {word: True for word in _TRUE} | {word: False for word in _FALSE}


def boolean(raw: object) -> bool:
    known = _BOOLEAN.get(raw) if raw.__class__ is str else None
    if known is not None:
        return known
    if isinstance(raw, bool):
        return raw
    known = _BOOLEAN.get(text(raw).lower())
    if known is not None:
        return known
    raise ValueError(f"无法识别“{text(raw)}”：请填“是”或“否”（空白视为“否”）")


_FULL_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_RISK = {"a": "A", "b": "B", "c": "C", "d": "D", "低": "A", "一般": "B", "较高": "C", "高": "D"}
_RISK_SUFFIXES = ("风险", "类", "级")
_RISK_CLASSES = frozenset("ABCD")


def risk_class(raw: object) -> str:
    """A/B/C/D, also written 低/一般/较高/高(风险), "A类", "B级", full-width letters."""
    if raw in _RISK_CLASSES:
        return raw
    value = text(raw).replace(" ", "").translate(_FULL_WIDTH).lower()
    for suffix in _RISK_SUFFIXES:
        value = value.removesuffix(suffix)
    if value in _RISK:
        return _RISK[value]
    raise ValueError(f"无法识别的信用风险分类“{text(raw)}”：应为 A、B、C、D 或 低、一般、较高、高风险")


_GENDER = {"男": "男", "男性": "男", "m": "男", "male": "男", "女": "女", "女性": "女", "f": "女", "female": "女"}


def gender(raw: object) -> str:
    value = text(raw)
    canonical = _GENDER.get(value.lower())
    if canonical is None:
        raise FieldWarning(value, f"性别“{value}”无法识别，应为“男”或“女”；已按原样保存")
    return canonical


INSPECTOR_CATEGORIES = ("行政执法类公务员", "具有执法资格的事业编", "从事日常监管的聘用人员", "专家")
_CATEGORY_WORDS = (("公务员", 0), ("行政执法", 0), ("参公", 0), ("事业", 1), ("聘用", 2), ("协管", 2),
                   ("辅助", 2), ("合同", 2), ("专家", 3))


def category(raw: object) -> str:
    """One of the four 人员类别 of §2 C, recognised from the usual shorter words."""
    value = text(raw)
    if value in INSPECTOR_CATEGORIES:
        return value
    for word, index in _CATEGORY_WORDS:
        if word in value:
            return INSPECTOR_CATEGORIES[index]
    raise FieldWarning(value, f"人员类别“{value}”不在四类之中（{'、'.join(INSPECTOR_CATEGORIES)}）；已按原样保存")


INSPECTOR_STATUSES = ("在岗", "请假", "借调", "调离")
_STATUS = {"在岗": "在岗", "在职": "在岗", "正常": "在岗", "在编在岗": "在岗", "请假": "请假", "休假": "请假",
           "病假": "请假", "产假": "请假", "事假": "请假", "借调": "借调", "外借": "借调", "调离": "调离",
           "调出": "调离", "离职": "调离", "退休": "调离"}


def status(raw: object) -> str:
    value = text(raw)
    canonical = _STATUS.get(value)
    if canonical is None:
        raise FieldWarning(value, f"状态“{value}”无法识别，应为{'、'.join(INSPECTOR_STATUSES)}之一；已按原样保存")
    return canonical


def expiry_date(raw: object) -> dt.date:
    """An expiry written as a range ("2021-01-01至2026-12-31") counts by its end."""
    if isinstance(raw, str):
        for separator in ("至", "到", "~", "～", "—"):
            if separator in raw:
                raw = raw.rsplit(separator, 1)[1]
                break
    return date(raw)


CONVERTERS: dict[str, Callable[[object], object]] = {
    "text": text,
    "regno": text,
    "code": text,
    "date": date,
    "bool": boolean,
    "risk": risk_class,
    "list": to_list,
    "gender": gender,
    "category": category,
    "status": status,
    "expiry": expiry_date,
}

# Stripped cell texts whose value is known without calling the converter: a 500,000-row
# import meets "是" and "否" a million and a half times.
KNOWN_TEXTS: dict[str, dict[str, object]] = {"bool": _BOOLEAN}
