"""Dates as other systems write them: real Excel dates, Excel serial numbers that lost their
date format, and text in the usual Chinese forms (2021-01-05, 2021/1/5, 2021.1.5,
2021年1月5日, 20210105, 二〇二一年一月五日, with or without a time)."""

from __future__ import annotations

import datetime as dt
import re

_EXCEL_EPOCH = dt.date(1899, 12, 30)
# Serials Excel would show as 1900-03-01 .. 2199-12-31 (before March 1900 Excel counts a
# 29 February 1900 that never was; no register date is that old).
_MIN_SERIAL, _MAX_SERIAL = 61, 109_572
_MIN_YEAR, _MAX_YEAR = 1900, 2199

_NUMERIC = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?"
    r"(?:\s*[T\s]\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2}(?:\.\d+)?)?)?"
)
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_CN_YEAR, _CN_SMALL = "[〇○零一二三四五六七八九]{4}", "[一二三四五六七八九十]{1,3}"
_CHINESE = re.compile(f"({_CN_YEAR})年({_CN_SMALL})月({_CN_SMALL})[日号]")
_CN_DIGIT = {ch: i for i, ch in enumerate("〇一二三四五六七八九")} | {"○": 0, "零": 0}

DATE_HINT = "请写成 2021-01-05、2021/1/5 或 2021年1月5日 的形式"


def parse_date(value: object) -> dt.date:
    """The date ``value`` stands for; ``ValueError`` with a Chinese message when there is none.

    Blank cells are the caller's business: they are not dates and raise here too.
    """
    if isinstance(value, dt.datetime):
        return _checked(value.date(), value)
    if isinstance(value, dt.date):
        return _checked(value, value)
    if isinstance(value, bool):
        raise ValueError(f"“{value}”不是日期，{DATE_HINT}")
    if isinstance(value, (int, float)):
        return _from_number(value)
    text = str(value).strip()
    match = _NUMERIC.fullmatch(text)
    if match:
        return _build(text, *match.groups())
    if text.isdecimal():
        if len(text) == 8:
            return _build(text, *_COMPACT.fullmatch(text).groups())
        if len(text) == 5:
            return _from_number(int(text))
    match = _CHINESE.fullmatch(text.replace(" ", ""))
    if match:
        year = "".join(str(_CN_DIGIT[ch]) for ch in match.group(1))
        return _build(text, year, str(_cn_number(match.group(2))), str(_cn_number(match.group(3))))
    raise ValueError(f"无法识别的日期“{text}”，{DATE_HINT}")


def _from_number(number: float) -> dt.date:
    number = int(number)  # a serial with a time of day keeps its day
    if 19000101 <= number <= 21991231:
        text = str(number)
        return _build(text, text[:4], text[4:6], text[6:])
    if _MIN_SERIAL <= number <= _MAX_SERIAL:
        return _EXCEL_EPOCH + dt.timedelta(days=number)
    raise ValueError(f"数字“{number}”不是日期，{DATE_HINT}")


def _build(text: str, year: str, month: str, day: str) -> dt.date:
    try:
        date = dt.date(int(year), int(month), int(day))
    except ValueError:
        raise ValueError(f"日期“{text}”不存在（月份或日数不对），{DATE_HINT}") from None
    return _checked(date, text)


def _checked(date: dt.date, shown: object) -> dt.date:
    if not _MIN_YEAR <= date.year <= _MAX_YEAR:
        raise ValueError(f"日期“{shown}”的年份不合理，{DATE_HINT}")
    return date


def _cn_number(text: str) -> int:
    """一..九, 十, 十一..十九, 二十..三十一 written in Chinese numerals."""
    if "十" not in text:
        return _CN_DIGIT[text] if len(text) == 1 else -1
    tens, _, units = text.partition("十")
    value = (_CN_DIGIT[tens] if tens else 1) * 10
    return value + (_CN_DIGIT[units] if units else 0)
