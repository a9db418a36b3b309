"""Regenerate the shipped templates in forms/:  python -m app.documents.forms_build [DIR]

The generated files are committed; run this after changing the builders and
commit the result.  Every file is checked by the engine before it is kept.
"""
from __future__ import annotations

import sys
from pathlib import Path

from ..kinds import DOCUMENT_KINDS
from ..store import load_form
from .docx_forms import DOCX_FORMS
from .xlsx_forms import XLSX_FORMS

REPO_FORMS = Path(__file__).resolve().parents[3] / "forms"

GUIDE = """模板字段说明（由 python -m app.documents.forms_build 生成，请勿手改）

这些 .docx / .xlsx 是程序填写文书用的模板，可在 WPS 或 Word、Excel 中修改文字、版头和格式。
从程序的设置页打开模板时，程序先把它复制到本机的用户数据文件夹，改好保存即可，下次生成文书就用新模板；
“恢复默认”则换回原模板（改过的那份留作 .bak 备份）。安装目录里的原模板不要直接修改。

标记的写法：
  {{ 字段 }}                     填入字段的值，例如 {{ 被检查单位 }}
  {%p if 字段 %} … {%p endif %}    各占一段：字段为空时，两者之间的段落不印出
  {%p for 项 in 列表 %} … {%p endfor %}   各占一段：对列表的每一项重复中间的段落和表格
  {%tr for 项 in 列表 %} … {%tr endfor %}  各占表格的一行：重复中间的表格行
  {{ 项.子字段 }}                列表中每一项的字段，例如 {{ 项.检查事项 }}
  {{ 核查方式|勾选("实地核查") }}     选中时印 ☑，否则印 □
  {{ loop.index|中文序号 }}          在循环中印 一、二、三……
Excel 模板：第一张工作表是模板；某行第一格以 {%tr for 行 in 列表 %} 开头时，该行按列表逐项重复。
标记的花括号和百分号必须成对，且不要跨段落；写错或用了不存在的字段时，程序会指出模板文件和标记。

"""


def build(target: Path = REPO_FORMS) -> list[Path]:
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for filename, builder in {**DOCX_FORMS, **XLSX_FORMS}.items():
        path = target / filename
        builder().save(path)
        kind = next(k for k in DOCUMENT_KINDS.values() if k.filename == filename)
        load_form(kind, path)  # raises TemplateProblem if the builder is wrong
        written.append(path)
    guide = target / "模板字段说明.txt"
    guide.write_text(GUIDE + "\n\n".join(k.describe() for k in DOCUMENT_KINDS.values()) + "\n",
                     encoding="utf-8")
    written.append(guide)
    return written


def main(argv: list[str]) -> int:
    target = Path(argv[0]) if argv else REPO_FORMS
    for path in build(target):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
