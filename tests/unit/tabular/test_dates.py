"""Dates as offices' files carry them: Excel dates, serial numbers and Chinese text forms."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.tabular.dates import parse_date

dates = st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2199, 12, 31))
CN = "〇一二三四五六七八九"


def _cn_small(n: int) -> str:
    tens, units = divmod(n, 10)
    return (("" if tens == 1 else CN[tens]) + "十" if tens else "") + (CN[units] if units else "")


FORMS = [
    lambda d: d.isoformat(),
    lambda d: f"{d.year}/{d.month}/{d.day}",
    lambda d: f"{d.year}.{d.month:02d}.{d.day:02d}",
    lambda d: f"{d.year}年{d.month}月{d.day}日",
    lambda d: f"{d.year}年{d.month:02d}月{d.day:02d}日",
    lambda d: f"{d.year} 年 {d.month} 月 {d.day} 日",
    lambda d: f"{d.year}{d.month:02d}{d.day:02d}",
    lambda d: f"{d.isoformat()} 00:00:00",
    lambda d: f"{d.year}/{d.month}/{d.day} 8:30",
    lambda d: "".join(CN[int(c)] for c in str(d.year)) + f"年{_cn_small(d.month)}月{_cn_small(d.day)}日",
    lambda d: dt.datetime(d.year, d.month, d.day, 12, 0),
    lambda d: d,
    lambda d: (d - dt.date(1899, 12, 30)).days,
    lambda d: float((d - dt.date(1899, 12, 30)).days) + 0.25,
    lambda d: int(f"{d.year}{d.month:02d}{d.day:02d}"),
]


@given(dates, st.sampled_from(range(len(FORMS))))
def test_every_form_parses_back_to_the_date(date, form):
    assert parse_date(FORMS[form](date)) == date


@given(st.integers(1, 9999), st.integers(1, 12), st.integers(1, 31))
def test_text_dates_either_parse_exactly_or_raise_in_chinese(year, month, day):
    text = f"{year:04d}-{month:02d}-{day:02d}"
    try:
        expected = dt.date(year, month, day)
    except ValueError:
        expected = None
    if expected is None or not 1900 <= year <= 2199:
        with pytest.raises(ValueError, match="日期"):
            parse_date(text)
    else:
        assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["不详", "2019年13月5日", "2018-02-30", "05/06/2019", "2021年1月", "abc", "", True])
def test_unparseable_dates_raise_with_a_hint(text):
    with pytest.raises(ValueError, match="请写成"):
        parse_date(text)


def test_serial_text_and_float():
    assert parse_date("44197") == dt.date(2021, 1, 1)
    assert parse_date(44197.9) == dt.date(2021, 1, 1)
    with pytest.raises(ValueError, match="不是日期"):
        parse_date(12)
