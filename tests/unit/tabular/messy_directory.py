"""A "messy directory" as county offices receive them from other systems, with a record of
exactly which findings it must produce (issue 3, acceptance).

About 20,000 subject rows under a title line, an export-date line and a blank row; headers
worded differently from ours; blank and whitespace-only rows inside the data; dates as real
Excel dates, as Excel serial numbers and as text in several Chinese forms; risk classes as
letters and as words; full-width codes; 15-digit 注册号 for 个体户; names and addresses
beginning with "=" (text, not formulas). Defects, each on its own rows: bad check
characters (warnings), duplicated codes, missing names and unparseable dates (errors).
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from app.domain.credit_code import ALPHABET, compute_check_char

HEADER = [
    "序号",
    "企业（机构）名称",
    "企业类型",
    "社会信用代码（注册号）",
    "法人代表",
    "联系方式",
    "经营地址",
    "所属乡镇（街道）",
    "行业门类",
    "经营状态",
    "成立时间",
    "登记机关",
    "风险等级",
    "是否列入经营异常名录",
    "严重违法失信",
    "是否重点监管",
    "标签",
]
NAME, CODE, DATE = "企业（机构）名称", "社会信用代码（注册号）", "成立时间"
REGIONS = ["城关镇", "新华街道", "东山乡", "西岭镇", "南湖街道"]
RISKS = ["A", "B", "C", "D", "低风险", "一般风险", "较高风险", "高风险", "a类", "Ｂ"]
RISK_CLASS = {
    "A": "A",
    "B": "B",
    "C": "C",
    "D": "D",
    "低风险": "A",
    "一般风险": "B",
    "较高风险": "C",
    "高风险": "D",
    "a类": "A",
    "Ｂ": "B",
}
TEXT_DATE_FORMS = ["{y}-{m:02d}-{d:02d}", "{y}/{m}/{d}", "{y}年{m}月{d}日", "{y}.{m:02d}.{d:02d}", "{y}{m:02d}{d:02d}"]
BAD_DATES = ["不详", "2019年13月5日", "2018-02-30", "05/06/2019"]


@dataclass
class MessyDirectory:
    path: Path
    data_rows: int = 0
    # (excel row, column header, severity) for every finding the file must produce
    expected: list[tuple[int, str, str]] = field(default_factory=list)
    # excel row → what the row must import as (a few spot-checked fields)
    values: dict[int, dict] = field(default_factory=dict)
    rejected_rows: set[int] = field(default_factory=set)


def _code(rng: random.Random, serial: int) -> str:
    body = "9" + rng.choice("123") + "4601" + f"{serial:08d}" + "".join(rng.choice(ALPHABET[:10]) for _ in range(3))
    return body + compute_check_char(body)


def _rows(n: int, seed: int):
    """Yield (Excel row, kind, cells, expected findings, expected values); kind is "data"
    or "blank". Each row carries at most one defect."""
    rng = random.Random(seed)
    previous = ""
    number = 4  # header is row 4
    for i in range(n):
        if i and i % 1500 == 0:
            number += 1
            yield number, "blank", ["", "  ", "", "\u3000"], [], {}
        number += 1
        findings: list[tuple[int, str, str]] = []
        code = _code(rng, i)
        shown_code: object = code
        name = f"{REGIONS[i % 5]}第{i}号商贸有限公司"
        subject_type = "有限责任公司"
        expect: dict = {}
        if i % 300 == 19:  # 个体户 with only a 15-digit 注册号
            shown_code = f"4690{i:011d}"
            name, subject_type = f"个体户{i}", "个体工商户"
            expect = {"credit_code": None, "registration_no": shown_code, "subject_type": subject_type}
        elif i % 250 == 3:  # check character wrong
            wrong = ALPHABET[(ALPHABET.index(code[17]) + 1) % 31]
            shown_code = code[:17] + wrong
            findings.append((number, CODE, "warning"))
        elif i % 500 == 7:  # the code of an earlier row again
            shown_code = code = previous
            findings.append((number, CODE, "error"))
        elif i % 700 == 23:  # full-width, lower case, with a space: still the same code
            shown_code = " " + "".join(chr(ord(c) + 0xFEE0) for c in code[:9].lower()) + code[9:]
            expect = {"credit_code": code}
        if i % 1000 == 11:
            name = ""
            findings.append((number, NAME, "error"))
        elif i % 400 == 17:
            name = f'=HYPERLINK("http://x.invalid","第{i}号")'
            expect["name"] = name
        established = dt.date(1995, 1, 1) + dt.timedelta(days=rng.randrange(10_000))
        form = i % 3
        if i % 800 == 13:
            date_cell: object = BAD_DATES[(i // 800) % len(BAD_DATES)]
            findings.append((number, DATE, "error"))
        elif form == 0:
            date_cell = established
        elif form == 1:
            tmpl = TEXT_DATE_FORMS[(i // 3) % len(TEXT_DATE_FORMS)]
            date_cell = tmpl.format(y=established.year, m=established.month, d=established.day)
        else:
            date_cell = float((established - dt.date(1899, 12, 30)).days)
        if i % 800 != 13:
            expect["established_on"] = established
        risk = RISKS[i % len(RISKS)]
        expect["risk_class"] = RISK_CLASS[risk]
        address = f"=某某路{i}号" if i % 450 == 31 else f"某某路{i}号"
        if i % 450 == 31:
            expect["address"] = address
        previous = code
        cells = [
            i + 1,
            name,
            subject_type,
            shown_code,
            f"法人{i}",
            f"1380000{i:04d}",
            address,
            REGIONS[i % 5],
            "批发和零售业",
            "存续",
            date_cell,
            "某某县市场监督管理局",
            risk,
            "是" if i % 97 == 0 else "否",
            "",
            "是" if i % 10 == 0 else "",
            "食品、餐饮" if i % 4 == 0 else "食品",
        ]
        yield number, "data", cells, findings, expect


def write_messy_xlsx(path: Path, n: int = 20_000, seed: int = 3) -> MessyDirectory:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Sheet1")
    sheet.append(["某某县市场主体名录（2025年12月导出）"])
    sheet.append(["导出时间：2025-12-01 09:30"])
    sheet.append([])
    sheet.append(HEADER)
    result = MessyDirectory(Path(path))
    for number, kind, cells, findings, expect in _rows(n, seed):
        sheet.append([_cell(sheet, value) for value in cells])
        _record(result, number, kind, findings, expect)
    workbook.save(path)
    return result


def write_messy_csv(path: Path, n: int = 20_000, seed: int = 3, encoding: str = "gb18030") -> MessyDirectory:
    """The same rows as a CSV, as GBK-era systems export it (dates as text, serials as digits)."""
    result = MessyDirectory(Path(path))
    with open(path, "w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerows([["某某县市场主体名录（2025年12月导出）"], ["导出时间：2025-12-01 09:30"], [], HEADER])
        for number, kind, cells, findings, expect in _rows(n, seed):
            writer.writerow([_csv_text(value) for value in cells])
            _record(result, number, kind, findings, expect)
    return result


def _record(result: MessyDirectory, number: int, kind: str, findings, expect) -> None:
    if kind != "data":
        return
    result.data_rows += 1
    result.expected.extend(findings)
    if expect:
        result.values[number] = expect
    if any(severity == "error" for _, _, severity in findings):
        result.rejected_rows.add(number)


def _cell(sheet, value):
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # text that merely looks like a formula, as other systems export it
        return cell
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    return value


def _csv_text(value) -> str:
    if isinstance(value, float):
        return str(int(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
