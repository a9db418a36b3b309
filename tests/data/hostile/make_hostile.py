"""Writes the hostile-file corpus the tests in tests/integration/test_hostile_files.py import.

    python tests/data/hostile/make_hostile.py OUT_DIR     (default: this folder)

The files are generated rather than committed: each is a few lines here, and a workbook is
written as raw XML so that it can hold what Excel never writes but a hostile or broken file
can (a cell at XFD1048576, a formula with no saved value, control characters).
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent


def cell_ref(row: int, col: int) -> str:
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row}"


def _excel_escape(text: str) -> str:
    """Excel's own escape for characters XML cannot hold: _x001B_."""
    out = []
    for ch in text:
        code = ord(ch)
        out.append(f"_x{code:04X}_" if code < 0x20 and ch not in "\t\n\r" else ch)
    return escape("".join(out))


def _cell(ref: str, value) -> str:
    """A value, or ("formula", text, cached-or-None), or ("error", "#REF!")."""
    if isinstance(value, tuple) and value[0] == "formula":
        _, formula, cached = value
        cached_xml = f"<v>{escape(str(cached))}</v>" if cached is not None else ""
        kind = ' t="str"' if isinstance(cached, str) else ""
        return f'<c r="{ref}"{kind}><f>{escape(formula)}</f>{cached_xml}</c>'
    if isinstance(value, tuple) and value[0] == "error":
        return f'<c r="{ref}" t="e"><v>{escape(value[1])}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{_excel_escape(value)}</t></is></c>'


def write_xlsx(path: Path, sheets: dict[str, dict[tuple[int, int], object]]) -> Path:
    """A minimal workbook: sheet name → {(Excel row, 0-based column): value}."""
    names = list(sheets)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                   + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                             for i in range(1, len(names) + 1)) + "</Types>")
        z.writestr("_rels/.rels",
                   '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml",
                   '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                   'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
                   + "".join(f'<sheet name="{escape(n)}" sheetId="{i}" r:id="rId{i}"/>' for i, n in enumerate(names, 1))
                   + "</sheets></workbook>")
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   + "".join(f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
                             f'Target="worksheets/sheet{i}.xml"/>' for i in range(1, len(names) + 1)) + "</Relationships>")
        for i, name in enumerate(names, 1):
            by_row: dict[int, list[str]] = {}
            for (row, col), value in sorted(sheets[name].items()):
                by_row.setdefault(row, []).append(_cell(cell_ref(row, col), value))
            rows = "".join(f'<row r="{row}">{"".join(cells)}</row>' for row, cells in sorted(by_row.items()))
            z.writestr(f"xl/worksheets/sheet{i}.xml",
                       '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                       f"<sheetData>{rows}</sheetData></worksheet>")
    return path


def grid(rows: list[list[object]], first_row: int = 1) -> dict[tuple[int, int], object]:
    return {(first_row + r, c): v for r, row in enumerate(rows) for c, v in enumerate(row) if v not in ("", None)}


SUBJECT_HEADER = ["企业名称", "统一社会信用代码", "住所"]
INSPECTOR_HEADER = ["姓名", "执法证号", "所属部门"]
ITEM_HEADER = ["序号", "抽查类别", "抽查事项", "检查对象", "事项类别", "检查方式", "检查主体", "检查依据"]


def _item(seq, name, basis, method="现场检查") -> list:
    return [seq, "食品安全", name, "食品经营者", "一般检查事项", method, "县市场监管局", basis]


def build(out: Path) -> dict[str, Path]:
    """Every file of the corpus, by name."""
    codes = [_code(i) for i in range(4)]
    out.mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}

    def xlsx(name: str, sheets) -> None:
        files[name] = write_xlsx(out / name, sheets)

    def csv(name: str, data: bytes) -> None:
        files[name] = out / name
        files[name].write_bytes(data)

    # One real cell at XFD1048576: calamine would ask for 512 GiB.
    xlsx("far_cell.xlsx", {"名录": grid([SUBJECT_HEADER, ["甲商店", codes[0], "城关镇"]]) | {(1048576, 16383): "x"}})
    # Only the dimension claims the whole sheet: harmless, imports normally.
    path = out / "claims_huge.xlsx"
    write_xlsx(path, {"名录": grid([SUBJECT_HEADER, ["甲商店", codes[0], "城关镇"]])})
    _claim_dimension(path, "A1:XFD1048576")
    files["claims_huge.xlsx"] = path
    xlsx("control_chars.xlsx", {"名录": grid([SUBJECT_HEADER, ["甲\x00商店", codes[0], "城关镇"],
                                               ["乙\x01商店", codes[1], "城关镇"], ["丙\x1b[31m商店", codes[2], "城关镇"],
                                               ["\u202e店商丁", codes[3], "城关镇"]])})
    xlsx("line_breaks.xlsx", {"名录": grid([SUBJECT_HEADER, ["甲商店\n（分店）", codes[0], "城关镇\t人民路1号"]])})
    xlsx("emoji.xlsx", {"名录": grid([SUBJECT_HEADER, ["😀快乐小吃店", codes[0], "城关镇🏠人民路1号"],
                                       ["👨‍👩‍👧亲子乐园", codes[1], "城关镇"]])})
    xlsx("formula_values.xlsx", {"名录": grid([SUBJECT_HEADER, ["甲商店", codes[0], ("formula", '"城关"&"镇"', "城关镇")],
                                                ["乙商店", codes[1], ("formula", "C2", None)],
                                                ["丙商店", codes[2], ("error", "#REF!")]])})
    xlsx("inspector_long_name.xlsx", {"人员": grid([INSPECTOR_HEADER, ["张" * 50_000, "46000001", "县市场监管局"]])})
    xlsx("inspector_control_chars.xlsx", {"人员": grid([INSPECTOR_HEADER, ["李\x00四", "46000002", "县市场监管局"]])})
    xlsx("note_sheet_first.xlsx", {"说明": grid([["本表由某系统导出，数据在“名录”工作表。"]]),
                                   "名录": grid([SUBJECT_HEADER, ["甲商店", codes[0], "城关镇"]])})
    good = "企业名称,统一社会信用代码,住所\n".encode() + b"".join(f"商店{i},{codes[i]},城关镇\n".encode() for i in range(2))
    # UTF-8, then GBK for the last 50 rows; the large one switches beyond the first MiB the encoding is guessed
    # from, and is large enough to be read in the second process on SQLite.
    for name, rows in (("encoding_switch.csv", 300), ("encoding_switch_late.csv", 50_000)):
        lines = ["企业名称,统一社会信用代码,住所"] + [f"第{i}号商店,{_code(i)},城关镇" for i in range(1, rows)]
        switch = rows - 50
        csv(name, ("\n".join(lines[:switch]) + "\n").encode("utf-8") + ("\n".join(lines[switch:]) + "\n").encode("gbk"))
    csv("nul_in_csv.csv", good + f"丁\x00商店,{codes[2]},城关镇\n".encode())
    inspectors = ("姓名,执法证号,所属部门\n" + "".join(f"检查员{i},4600{i:04d},县市场监管局\n" for i in range(1, 200))).encode()
    csv("inspectors_encoding_switch.csv", inspectors + "王五,46009999,县市场监管局\n".encode("gbk"))

    base = [ITEM_HEADER, _item(1, "食品经营许可情况检查", "《食品安全法》第三十五条"),
            _item(2, "食品标签检查", "《食品安全法》第六十七条")]
    xlsx("items_base.xlsx", {"清单": grid(base)})
    xlsx("items_formula_no_value.xlsx", {"清单": grid([ITEM_HEADER,
                                                     _item(1, "食品经营许可情况检查", ""),
                                                     _item(2, "食品标签检查", "《食品安全法》第六十七条")])
                                         | {(2, 7): ("formula", "Sheet2!A1", None), (3, 0): ("formula", "A2+1", None)}})
    xlsx("items_cached_formula.xlsx", {"清单": grid([ITEM_HEADER, _item(1, "食品经营许可情况检查", "《食品安全法》第三十五条"),
                                                    _item("", "食品标签检查", "《食品安全法》第六十七条")])
                                       | {(3, 0): ("formula", "A2+1", 2)}})
    xlsx("items_duplicated.xlsx", {"清单": grid(base + [_item(3, "食品经营许可情况检查", "《食品安全法》第三十五条")])})
    xlsx("items_ref_error.xlsx", {"清单": grid(base) | {(3, 2): ("error", "#REF!")}})
    return files


def _code(i: int) -> str:
    from app.domain.credit_code import compute_check_char

    body = f"91469000{i:09d}"
    return body + compute_check_char(body)


def _claim_dimension(path: Path, ref: str) -> None:
    """Rewrite sheet1 with a <dimension> claiming ``ref``."""
    with zipfile.ZipFile(path) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    parts["xl/worksheets/sheet1.xml"] = sheet.replace("<sheetData>", f'<dimension ref="{ref}"/><sheetData>').encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parents[2]))
    for name, path in build(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE).items():
        print(f"{path.stat().st_size:>9,}  {name}")
