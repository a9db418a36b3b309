"""The shipped .docx templates, written with python-docx on the clean base package.

Placeholders are docxtpl tags: ``{{ 字段 }}``, ``{%p if … %}`` paragraphs,
``{%tr for … %}`` table rows.  Fixed wording is ordinary text the office may
rewrite in WPS or Word.
"""
from __future__ import annotations

import io

from docx import Document
from docx.document import Document as DocumentT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt

from ..kinds import RULEBOOK_SECTIONS
from ..fields import chinese_number
from .ooxml import STYLE_NAMES, base_docx

TEXT_WIDTH_MM = 156


def new_document(title: str) -> DocumentT:
    doc = Document(io.BytesIO(base_docx(title)))
    body = doc.element.body
    body.remove(body[0])  # the base package's empty paragraph
    return doc


def style(doc: DocumentT, style_id: str):
    """Styles by their ASCII id (python-docx looks them up by the Chinese name)."""
    return doc.styles[STYLE_NAMES[style_id]]


def para(container, text: str = "", style_id: str = "Normal"):
    doc = container if isinstance(container, DocumentT) else container.part.document
    return container.add_paragraph(text, style=style(doc, style_id))


def table(doc: DocumentT, widths_mm: list[float], rows: list[list[str]], *, grid: bool = True,
          head: bool = False, styles: list[str] | None = None):
    """A fixed-layout table; ``rows`` of cell texts ('' = blank)."""
    t = doc.add_table(rows=len(rows), cols=len(widths_mm))
    if grid:
        t.style = doc.styles["Table Grid"]
    t.autofit = False
    tbl_pr = t._tbl.tblPr
    total = round(sum(widths_mm) * 1440 / 25.4)
    for el in tbl_pr.findall(qn("w:tblW")):
        tbl_pr.remove(el)
    width = parse_xml(f'<w:tblW {nsdecls("w")} w:w="{total}" w:type="dxa"/>')
    later = [qn(f"w:{n}") for n in ("jc", "tblCellSpacing", "tblInd", "tblBorders", "shd",
                                    "tblLayout", "tblCellMar", "tblLook")]
    following = next((el for el in tbl_pr if el.tag in later), None)
    if following is None:
        tbl_pr.append(width)
    else:
        following.addprevious(width)  # schema order matters to Word
    for i, w in enumerate(widths_mm):
        t.columns[i].width = Mm(w)
    for r, texts in enumerate(rows):
        for c, text in enumerate(texts):
            cell = t.cell(r, c)
            cell.width = Mm(widths_mm[c])
            sid = styles[c] if styles else "TableText"
            if head and r == 0:
                sid = "TableHead"
            cell.paragraphs[0].style = style(doc, sid)
            if text:
                cell.paragraphs[0].add_run(text)
    return t


def merge_row(t, row: int, start: int, end: int, text: str | None = None):
    cell = t.cell(row, start).merge(t.cell(row, end))
    if text is not None:
        for p in cell.paragraphs[1:]:
            p._element.getparent().remove(p._element)
        for r in cell.paragraphs[0].runs[1:]:
            r._element.getparent().remove(r._element)
        cell.paragraphs[0].runs[0].text = text
    return cell


def loop_rows(doc: DocumentT, widths: list[float], loop: str, cells: list[str],
              head: list[str], styles: list[str] | None = None):
    """Header row, then one row repeated by ``{%tr for … %}``."""
    return table(doc, widths, [head, [f"{{%tr {loop} %}}"] + [""] * (len(widths) - 1),
                               cells, ["{%tr endfor %}"] + [""] * (len(widths) - 1)],
                 head=True, styles=styles)


def signature(doc: DocumentT, *lines: str) -> None:
    para(doc)
    for line in lines:
        para(doc, line, "GwSignature")


def rulebook() -> DocumentT:
    doc = new_document("随机抽查工作细则")
    para(doc, "{{ 部门名称 }}", "GwTitle")
    para(doc, "“双随机、一公开”随机抽查工作细则", "GwTitle")
    para(doc, "{%p if 文号 %}", "GwNumber")
    para(doc, "{{ 文号 }}", "GwNumber")
    para(doc, "{%p endif %}", "GwNumber")
    para(doc)
    for i, (name, _hint) in enumerate(RULEBOOK_SECTIONS, 1):
        para(doc, f"{chinese_number(i)}、{name}", "Heading1")
        para(doc, f"{{{{ {name} }}}}")
    signature(doc, "{{ 部门名称 }}", "{{ 印发日期 }}")
    return doc


_GUIDE_ROWS = (("抽查类别", "抽查类别"), ("检查对象", "检查对象"), ("事项类别", "事项类别"),
               ("检查方式", "检查方式"), ("检查依据", "检查依据"), ("检查内容", "检查内容"),
               ("检查方法", "检查方法"), ("判定标准", "判定标准"), ("后续处置", "后续处置"))


def item_guide() -> DocumentT:
    doc = new_document("随机抽查工作指引")
    para(doc, "{{ 部门名称 }}", "GwTitle")
    para(doc, "随机抽查工作指引", "GwTitle")
    para(doc, "{%p if 年度 %}", "GwSubTitle")
    para(doc, "（{{ 年度 }}年度）", "GwSubTitle")
    para(doc, "{%p endif %}", "GwSubTitle")
    para(doc)
    para(doc, "{{ 说明 }}")
    para(doc, "{%p for 事项 in 抽查事项 %}")
    para(doc, "{{ loop.index|中文序号 }}、{{ 事项.抽查事项 }}", "Heading1")
    table(doc, [32, 124], [[label, f"{{{{ 事项.{key} }}}}"] for label, key in _GUIDE_ROWS],
          styles=["TableHead", "TableText"])
    para(doc, "{%p endfor %}")
    signature(doc, "{{ 部门名称 }}", "{{ 印发日期 }}")
    return doc


def draw_record() -> DocumentT:
    doc = new_document("随机抽取过程记录")
    para(doc, "随机抽取过程记录", "GwTitle")
    para(doc, "{{ 部门名称 }}", "GwNumber")
    info = [("记录编号", "编号"), ("任务名称", "任务名称"), ("任务编号", "任务编号"), ("抽查事项", "抽查事项"),
            ("检查对象范围", "检查对象范围"), ("抽取数量（比例）", "抽取数量"),
            ("抽取时间", "抽取时间"), ("抽取地点", "抽取地点"), ("算法版本", "算法版本")]
    table(doc, [36, 120], [[a, f"{{{{ {b} }}}}"] for a, b in info], styles=["TableHead", "TableText"])
    para(doc, "一、抽取前公布的输入承诺（SHA-256）", "Heading1")
    t = loop_rows(doc, [40, 116], "for 项 in 输入承诺", ["{{ 项.名称 }}", "{{ 项.哈希 }}"],
                  ["输入", "SHA-256"], styles=["TableText", "HashText"])
    row = t.add_row()
    row.cells[0].paragraphs[0].add_run("程序秘密值承诺")
    row.cells[0].paragraphs[0].style = style(doc, "TableText")
    row.cells[1].paragraphs[0].add_run("{{ 程序承诺 }}")
    row.cells[1].paragraphs[0].style = style(doc, "HashText")
    row = t.add_row()
    row.cells[0].paragraphs[0].add_run("验证程序 verify.py")
    row.cells[0].paragraphs[0].style = style(doc, "TableText")
    row.cells[1].paragraphs[0].add_run("{{ 验证程序哈希 }}")
    row.cells[1].paragraphs[0].style = style(doc, "HashText")
    para(doc, "此前放弃的抽取尝试（已计入上列输入承诺）：{{ 此前尝试说明 }}", "GwAddressee")
    para(doc, "{%p if 此前尝试 %}")
    loop_rows(doc, [12, 38, 16, 46, 44], "for 次 in 此前尝试",
              ["{{ 次.序号 }}", "{{ 次.开始 }}", "{{ 次.步骤 }}", "{{ 次.承诺 }}", "{{ 次.放弃 }}"],
              ["序号", "开始、经办", "步骤", "程序秘密值承诺", "放弃、原因"],
              styles=["TableCenter", "TableText", "TableCenter", "HashText", "TableText"])
    para(doc, "{%p endif %}")
    para(doc, "二、见证人输入的随机数字", "Heading1")
    loop_rows(doc, [36, 60, 60], "for 人 in 见证人",
              ["{{ 人.姓名 }}", "{{ 人.单位 }}", "{{ 人.随机数 }}"], ["见证人", "单位或身份", "随机数字"])
    para(doc, "三、种子的生成", "Heading1")
    table(doc, [40, 116], [["程序秘密值（揭示）", "{{ 程序秘密 }}"],
                           ["公开信标", "{{ 公开信标 or \"无\" }}"], ["最终种子", "{{ 最终种子 }}"]],
          styles=["TableText", "HashText"])
    para(doc, "四、抽取结果", "Heading1")
    loop_rows(doc, [12, 56, 48, 20, 20], "for 对象 in 抽中对象",
              ["{{ 对象.序号 }}", "{{ 对象.名称 }}", "{{ 对象.代码 }}", "{{ 对象.分层 }}",
               "{{ 对象.检查组 }}"], ["序号", "检查对象名称", "统一社会信用代码", "分层", "检查组"],
              styles=["TableCenter", "TableText", "TableText", "TableCenter", "TableCenter"])
    para(doc, "{%p if 候补对象 %}")
    para(doc, "候补名单（按顺序递补）：", "GwAddressee")
    loop_rows(doc, [12, 84, 60], "for 对象 in 候补对象",
              ["{{ 对象.序号 }}", "{{ 对象.名称 }}", "{{ 对象.代码 }}"],
              ["序号", "检查对象名称", "统一社会信用代码"], styles=["TableCenter", "TableText", "TableText"])
    para(doc, "{%p endif %}")
    para(doc, "五、检查组", "Heading1")
    loop_rows(doc, [20, 28, 48, 60], "for 组 in 检查组",
              ["{{ 组.组号 }}", "{{ 组.组长 }}", "{{ 组.组员 }}", "{{ 组.检查对象 }}"],
              ["组号", "组长", "组员", "检查对象"], styles=["TableCenter"] + ["TableText"] * 3)
    para(doc, "六、核验", "Heading1")
    t = table(doc, [34, 122], [["", "{{ 核验说明 }}"]], grid=False)
    qr = t.cell(0, 0).paragraphs[0]
    qr.add_run("{{ 核验二维码 }}")
    qr.paragraph_format.line_spacing = 1.0
    para(doc, "七、签字确认", "Heading1")
    t = table(doc, [30, 40, 50, 36], [["身份", "姓名", "签字", "日期"],
                                      ["经办人", "{{ 经办人 }}", "", "　年　月　日"],
                                      ["监督人员", "{{ 监督人员 }}", "", "　年　月　日"],
                                      ["{%tr for 人 in 见证人 %}", "", "", ""],
                                      ["见证人", "{{ 人.姓名 }}", "", "　年　月　日"],
                                      ["{%tr endfor %}", "", "", ""]], head=True)
    for row in t.rows[1:]:
        row.height = Mm(12)
    return doc


CHECK_METHODS = ("实地检查", "书面检查", "行政部门检查结果或专业意见", "检验检测", "网络监测", "委托专业机构辅助")


def _row_flags(row, *, header: bool = False, keep_next: bool = False) -> None:
    """A row never splits across pages; a header row repeats on each page; keep_next ties it to the next row."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(parse_xml(f"<w:cantSplit {nsdecls('w')}/>"))
    if header:
        tr_pr.append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))
    if keep_next:
        for cell in row.cells:
            for p in cell.paragraphs:
                p.paragraph_format.keep_with_next = True


def _gap(doc: DocumentT, keep_next: bool = False) -> None:
    """A 2 pt paragraph between two tables, which Word and LibreOffice would otherwise join into one
    (and a joined table's header row is no longer its first row, so it would not repeat)."""
    p = para(doc, "", "TableText")
    p.paragraph_format.line_spacing = Pt(2)
    p.paragraph_format.keep_with_next = keep_next


def check_form() -> DocumentT:
    doc = new_document("随机抽查检查表")
    section = doc.sections[0]  # a form, not a 公文 body: 20 mm top and bottom leave room for the signatures
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.header_distance, section.footer_distance = Mm(10), Mm(8)
    para(doc, "随机抽查检查表", "GwTitle")
    top = table(doc, [134, 22], [["", ""]], grid=False)
    left = top.cell(0, 0)
    left.paragraphs[0].style = style(doc, "TableText")
    left.paragraphs[0].add_run("检查机关：{{ 部门名称 }}")
    para(left, "检查表编码：{{ 二维码文字 }}（录入结果时扫描右侧二维码或输入此编码）", "Caption")
    qr = top.cell(0, 1).paragraphs[0]
    qr.style = style(doc, "TableCenter")
    qr.add_run("{{ 检查表二维码 }}")
    qr.paragraph_format.line_spacing = 1.0
    head = table(doc, [40, 50, 22, 44], [
        ["任务名称", "", "", ""],
        ["任务编号", "{{ 任务编号 }}", "检查日期", "{{ 检查日期 }}"],
        ["被检查单位", "", "", ""],
        ["信用代码/注册号", "", "", ""],
        ["住所（经营场所）", "", "", ""],
        ["法定代表人/负责人", "{{ 法定代表人 }}", "联系电话", "{{ 联系电话 }}"],
        ["核查方式", "", "", ""]], styles=["TableHead", "TableText", "TableHead", "TableText"])
    for row, text in ((0, "{{ 任务名称 }}"), (2, "{{ 被检查单位 }}"), (3, "{{ 统一社会信用代码 }}"), (4, "{{ 住所 }}")):
        merge_row(head, row, 1, 3).paragraphs[0].add_run(text)
    merge_row(head, 6, 1, 3).paragraphs[0].add_run(
        "　".join(f"{{{{ 核查方式|勾选(\"{m}\") }}}}{m}" for m in CHECK_METHODS))
    for row in head.rows:
        _row_flags(row)
    _gap(doc)
    items = loop_rows(doc, [10, 28, 62, 28, 28], "for 项 in 检查事项",
                      ["{{ 项.序号 }}", "{{ 项.检查事项 }}{% if 项.部门 %}（{{ 项.部门 }}）{% endif %}",
                       "{{ 项.检查要点 }}", "{{ 项.发现问题情况 }}", "{{ 项.处置情况 }}"],
                      ["序号", "检查事项", "检查要点", "发现问题情况", "处置情况"],
                      styles=["TableCenter"] + ["TableText"] * 4)
    items.rows[2].height = Mm(11)
    points = items.rows[2].cells[2].paragraphs[0]  # 检查要点 in 五号, so a two-item form fits one page
    points.paragraph_format.line_spacing = Pt(14)
    points.runs[0].font.size = Pt(10.5)
    _row_flags(items.rows[0], header=True, keep_next=True)
    _row_flags(items.rows[2])
    row = items.add_row()
    row.cells[0].merge(row.cells[1]).paragraphs[0].add_run("检查结果")
    row.cells[0].paragraphs[0].style = style(doc, "TableHead")
    result = row.cells[2].merge(row.cells[4]).paragraphs[0]
    result.style = style(doc, "TableText")
    result.add_run("{{ 检查结果 }}")
    row.height = Mm(8)
    _row_flags(row, keep_next=True)
    _gap(doc, keep_next=True)
    sig = table(doc, [36, 120], [
        ["被检查单位意见", "\n法定代表人（负责人）签字或盖章：　　　　　　年　月　日"],
        ["检查人员", "{% for 人 in 检查人员 %}{{ 人.姓名 }}（执法证号：{{ 人.执法证号 }}）"
                     "{% if not loop.last %}、{% endif %}{% endfor %}\n签字：　　　　　　　　　　"
                     "　　　　　　　年　月　日"],
        ["组长审核", "组长：{{ 组长 }}\n审核意见及签字：　　　　　　　　　　　年　月　日"],
        ["结果公示审批", "审批意见：\n审批人签字：　　　　　　　　　　　　　年　月　日"],
        ["拒签说明", "被检查单位拒绝签字或盖章的，检查人员注明原因：\n"
                     "见证人签字：　　　　　　　　　　　　　年　月　日"]],
        styles=["TableHead", "TableText"])
    for r in sig.rows[:-1]:
        r.height = Mm(9)
        _row_flags(r, keep_next=True)
    _row_flags(sig.rows[-1])
    return doc


def notice() -> DocumentT:
    doc = new_document("检查结果告知书")
    para(doc, "{{ 部门名称 }}", "GwTitle")
    para(doc, "检查结果告知书", "GwTitle")
    para(doc, "{{ 文号 }}", "GwNumber")
    para(doc, "{{ 被检查单位 }}：", "GwAddressee")
    para(doc, "根据“双随机、一公开”监管工作安排，本机关于{{ 检查日期 }}对你单位（统一社会信用代码："
              "{{ 统一社会信用代码 }}）开展了随机抽查检查。抽查任务：{{ 任务名称 }}（{{ 任务编号 }}）；"
              "检查事项：{{ 检查事项 }}；检查方式：{{ 检查方式 }}。")
    para(doc, "经检查，检查结果为：{{ 检查结果 }}。")
    para(doc, "{%p if 后续处置 %}")
    para(doc, "{{ 后续处置 }}")
    para(doc, "{%p endif %}")
    para(doc, "本次抽查检查结果将自检查完成之日起{{ 公示时限 }}个工作日内通过{{ 公示平台 }}向社会公示。"
              "你单位如对检查结果有异议，可自收到本告知书之日起{{ 异议期限 }}个工作日内向本机关书面提出，"
              "并提供相关材料。")
    para(doc, "特此告知。")
    t = table(doc, [40, 116], [["", ""]], grid=False)
    qr = t.cell(0, 0).paragraphs[0]
    qr.style = style(doc, "TableCenter")
    qr.add_run("{{ 核验二维码 }}")
    qr.paragraph_format.line_spacing = 1.0
    para(t.cell(0, 0), "扫码核验", "Caption")
    right = t.cell(0, 1)
    right.paragraphs[0].style = style(doc, "GwSignature")
    right.paragraphs[0].add_run("{{ 部门名称 }}")
    para(right, "{{ 成文日期 }}", "GwSignature")
    para(doc, "（联系人：{{ 联系人 }}；联系电话：{{ 联系电话 }}）", "GwNote")
    return doc


def website_publication() -> DocumentT:
    doc = new_document("随机抽查信息公示")
    para(doc, "{{ 标题 }}", "GwTitle")
    para(doc, "{{ 说明 }}")
    loop_rows(doc, [12, 46, 40, 34, 24], "for 行 in 行",
              ["{{ 行.序号 }}", "{{ 行.检查对象名称 }}", "{{ 行.统一社会信用代码 }}", "{{ 行.检查事项 }}",
               "{{ 行.末列 }}"], ["序号", "检查对象名称", "统一社会信用代码", "检查事项", "{{ 末列标题 }}"],
              styles=["TableCenter", "TableText", "TableText", "TableText", "TableText"])
    signature(doc, "{{ 部门名称 }}", "{{ 成文日期 }}")
    return doc


def receipt() -> DocumentT:
    """送达回证: one per delivered document, signed by the addressee (or witnesses, 留置送达)."""
    doc = new_document("送达回证")
    para(doc, "{{ 部门名称 }}", "GwTitle")
    para(doc, "送达回证", "GwTitle")
    para(doc)
    t = table(doc, [44, 112], [
        ["送达文书名称及文号", "{{ 文书名称 }}　{{ 文号 }}"],
        ["受送达人", "{{ 受送达人 }}"],
        ["统一社会信用代码", "{{ 统一社会信用代码 }}"],
        ["送达地点", "{{ 送达地点 }}"],
        ["送达方式", "{{ 送达方式 }}"],
        ["受送达人签名或盖章", ""],
        ["代收人及代收理由", ""],
        ["见证人签名（留置送达时）", ""],
        ["送达人签名", "{{ 送达人 }}"],
        ["备注", "{{ 备注 }}"],
    ], styles=["TableHead", "TableText"])
    for row, text in ((5, "年　　月　　日"), (6, "年　　月　　日"), (7, "年　　月　　日"), (8, "年　　月　　日")):
        cell = t.cell(row, 1)
        para(cell)
        para(cell, "　" * 10 + text)
    for n, r in enumerate(t.rows):
        r.height = Mm(19 if 5 <= n <= 8 else 10)  # room to sign; one line for the printed rows
    para(doc, "说明：受送达人拒绝签收的，送达人可邀请有关基层组织或所在单位代表到场见证，"
              "在本回证上记明拒收事由和日期，由送达人、见证人签名，把文书留在受送达人的住所（留置送达）。", "TableText")
    return doc


DOCX_FORMS = {
    "随机抽查工作细则.docx": rulebook,
    "随机抽查工作指引.docx": item_guide,
    "随机抽取过程记录.docx": draw_record,
    "随机抽查检查表.docx": check_form,
    "检查结果告知书.docx": notice,
    "随机抽查信息公示.docx": website_publication,
    "送达回证.docx": receipt,
}
