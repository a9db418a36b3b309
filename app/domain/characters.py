"""Which characters a name, code or address may hold.

Control characters do not belong in a register: NUL ends the text for PostgreSQL (the insert
fails), most of C0 make openpyxl refuse to write the cell (every later export of the
directory would fail), and the bidirectional overrides make a name display as something it
is not ("‮moc.evil" shows reversed). They are refused, naming the character.

Line breaks and tabs are different: Excel writes them itself (Alt+Enter in a cell, text
pasted from a web page), so in one-line fields they are taken out and the clerk is warned.
Emoji and every other printable character are kept as they are.
"""

from __future__ import annotations

import re

_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufff9-\ufffb\ufffe\uffff"
    "\ud800-\udfff]")
_BREAKS = re.compile(r"[\t\r\n]+")
_NAMES = {
    0x00: "空字符（NUL）", 0x1B: "转义符（ESC）", 0x7F: "删除符（DEL）",
    0x200E: "从左到右标记", 0x200F: "从右到左标记",
    0x202A: "从左到右嵌入符", 0x202B: "从右到左嵌入符", 0x202C: "方向格式结束符",
    0x202D: "从左到右强制符", 0x202E: "从右到左强制符（RLO）",
    0x2066: "从左到右隔离符", 0x2067: "从右到左隔离符", 0x2068: "首强隔离符", 0x2069: "隔离结束符",
}


def describe(ch: str) -> str:
    """"\\x1b" → "转义符（ESC，U+001B）"."""
    code = ord(ch)
    name = _NAMES.get(code, "控制字符" if code < 0x20 or 0x7F <= code <= 0x9F else "不可见的格式字符")
    if "（" in name:
        return name.replace("）", f"，U+{code:04X}）")
    return f"{name}（U+{code:04X}）"


def forbidden_character(value: str) -> str | None:
    """A description of the first character ``value`` may not hold, or None. Cheap for the
    usual text: printable text (Chinese, emoji included) is passed at C speed."""
    if value.isprintable():
        return None
    found = _FORBIDDEN.search(value)
    return describe(found.group()) if found else None


def forbidden_message(value: str) -> str | None:
    """The Chinese message for a value holding a forbidden character, or None."""
    found = forbidden_character(value)
    if found is None:
        return None
    return f"含有不可见的{found}：这类字符会使导出和打印出错，请在原表中删除后再导入"


def visible(value: str) -> str:
    """``value`` with each forbidden character written as ⟨U+XXXX⟩, safe to show and to export."""
    return _FORBIDDEN.sub(lambda m: f"⟨U+{ord(m.group()):04X}⟩", value)


def without_breaks(value: str) -> str:
    """One-line text with its line breaks and tabs taken out (Chinese text has no spaces to
    put back; a break between two Latin words becomes one space)."""
    def join(match: re.Match) -> str:
        before, after = value[match.start() - 1: match.start()], value[match.end(): match.end() + 1]
        return " " if before.isascii() and before.isalnum() and after.isascii() and after.isalnum() else ""
    return _BREAKS.sub(join, value).strip()


def has_breaks(value: str) -> bool:
    return "\n" in value or "\r" in value or "\t" in value


def check_text_fields(values: dict[str, str]) -> dict[str, str]:
    """Field → message for each text field holding a forbidden character (for edit dialogs,
    which show the message beside the field)."""
    errors = {}
    for name, value in values.items():
        if isinstance(value, str) and (found := forbidden_character(value)):
            errors[name] = f"含有不可见的{found}，请删除后再保存"
    return errors
