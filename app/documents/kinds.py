"""The document kinds the program fills, and the fields each one declares.

Field names are the Chinese words of the regulations; they are also the
placeholder names an office sees (and may move around) in forms/.
"""
from __future__ import annotations

from .fields import CHOICES, LIST, NUMBER, PARAGRAPHS, QR, DocumentKind, Field as F

_DEPT = F("部门名称", "部门（机关）全称，例如“某某县市场监督管理局”")

RULEBOOK_SECTIONS: tuple[tuple[str, str], ...] = (
    ("总则", "制定依据与适用范围"),
    ("组织领导", "领导小组、牵头科室、纪检监督"),
    ("抽取方法", "检查对象、执法检查人员的随机抽取与回避"),
    ("检查流程", "方案、告知、实施、结论、告知书"),
    ("抽查方式", "实地核查、书面检查、网络监测、委托专业机构"),
    ("审批权限", "计划、方案、结果、调整各由谁批准"),
    ("公示程序", "公示内容、渠道与时限（工作日）"),
    ("信息共享", "结果归集、互认与信用记录"),
    ("监管衔接", "后续处置、移送、信用惩戒"),
    ("归档方式", "一次一档、保存期限"),
    ("附则", "解释与施行日期"),
)

RULEBOOK = DocumentKind(
    key="rulebook", title="随机抽查工作细则", filename="随机抽查工作细则.docx",
    description="部门的“一细则”：组织领导、抽取方法、检查流程等，按节填写。",
    fields=(
        _DEPT,
        F("文号", "印发文号，可空"),
        *(F(name, f"{hint}（多段文字）", PARAGRAPHS) for name, hint in RULEBOOK_SECTIONS),
        F("印发日期", "成文日期"),
    ))

_ITEM_GUIDE_ITEM = (
    F("抽查类别", "抽查类别"), F("抽查事项", "抽查事项名称"), F("检查对象", "检查对象"),
    F("事项类别", "重点检查事项或一般检查事项"), F("检查方式", "检查方式"),
    F("检查依据", "检查依据（法律法规条款）", PARAGRAPHS),
    F("检查内容", "检查内容（检查要点，每段一条）", PARAGRAPHS),
    F("检查方法", "检查方法", PARAGRAPHS), F("判定标准", "判定标准", PARAGRAPHS),
    F("后续处置", "后续处置", PARAGRAPHS),
)

ITEM_GUIDE = DocumentKind(
    key="item_guide", title="随机抽查工作指引", filename="随机抽查工作指引.docx",
    description="每个抽查事项一张表：检查内容、检查方法、判定标准、后续处置。",
    fields=(_DEPT, F("年度", "适用年度"), F("说明", "开头说明（多段文字）", PARAGRAPHS),
            F("抽查事项", "抽查事项（每项一张表）", LIST, _ITEM_GUIDE_ITEM),
            F("印发日期", "成文日期")))

DRAW_RECORD = DocumentKind(
    key="draw_record", title="随机抽取过程记录", filename="随机抽取过程记录.docx",
    description="抽取（摇号）现场记录：输入承诺、见证人随机数、结果、签字。",
    fields=(
        _DEPT, F("编号", "抽取过程记录编号（第一次打印时登记到发文登记簿，例如“禾市监抽记〔2026〕3号”）"),
        F("任务名称", "抽查任务名称"), F("任务编号", "任务编号"),
        F("抽查事项", "抽查事项（可多项，用顿号分隔）"), F("检查对象范围", "检查对象范围（筛选条件）"),
        F("抽取数量", "抽取数量或比例"), F("抽取时间", "抽取时间"), F("抽取地点", "抽取地点"),
        F("算法版本", "抽取算法版本标记"), F("经办人", "经办人姓名"), F("监督人员", "纪检监督人员姓名"),
        F("输入承诺", "各项输入的 SHA-256", LIST, (F("名称", "输入名称"), F("哈希", "SHA-256 值"))),
        F("程序承诺", "程序秘密值的 SHA-256（见证人输入前公布）"),
        F("验证程序哈希", "验证程序 verify.py 的 SHA-256（抽取前公布，须与协议文档公布的值一致）"),
        F("此前尝试说明", "该任务此前放弃的抽取尝试次数，没有时为“无”"),
        F("此前尝试", "该任务此前放弃的每次抽取尝试", LIST,
          (F("序号", "序号"), F("开始", "开始时间和经办人"), F("步骤", "放弃前到达的步骤"),
           F("承诺", "那次尝试的程序秘密值承诺"), F("放弃", "放弃时间、放弃人和原因"))),
        F("见证人", "见证人及其输入的随机数字", LIST,
          (F("姓名", "姓名"), F("单位", "单位或身份"), F("随机数", "输入的数字"))),
        F("程序秘密", "揭示的程序秘密值"), F("公开信标", "公开信标值，无则留空"),
        F("最终种子", "最终种子（SHA-256）"),
        F("抽中对象", "抽中的检查对象", LIST,
          (F("序号", "序号"), F("名称", "检查对象名称"), F("代码", "统一社会信用代码或注册号"),
           F("分层", "所属分层"), F("检查组", "检查组"))),
        F("候补对象", "候补名单（按顺序）", LIST,
          (F("序号", "序号"), F("名称", "检查对象名称"), F("代码", "统一社会信用代码或注册号"))),
        F("检查组", "检查组及成员", LIST,
          (F("组号", "组号"), F("组长", "组长"), F("组员", "组员"), F("检查对象", "分配的检查对象"))),
        F("核验二维码", "核验信息（二维码内容）", QR, size_mm=28),
        F("核验说明", "核验方法说明"),
    ))

CHECK_FORM = DocumentKind(
    key="check_form", title="随机抽查检查表", filename="随机抽查检查表.docx",
    description="现场检查用表，每个检查对象一份。",
    fields=(
        _DEPT, F("任务名称", "抽查任务名称"), F("任务编号", "任务编号"),
        F("被检查单位", "被检查单位名称"), F("统一社会信用代码", "统一社会信用代码或注册号"),
        F("住所", "住所（经营场所）"), F("法定代表人", "法定代表人（负责人）"),
        F("联系电话", "联系电话"), F("检查日期", "检查日期"),
        F("核查方式", "已选核查方式（实地检查、书面检查、行政部门检查结果或专业意见、检验检测、网络监测、"
                      "委托专业机构辅助）", CHOICES),
        F("检查事项", "检查事项（联合抽查：各部门的事项在同一张表上）", LIST,
          (F("序号", "序号"), F("检查事项", "检查事项名称"), F("部门", "事项所属部门（编制单位）"),
           F("检查要点", "检查要点（来自工作指引，每段一条）", PARAGRAPHS),
           F("发现问题情况", "发现问题情况"), F("处置情况", "处置情况"))),
        F("检查结果", "检查结果（结果类别）"),
        F("检查人员", "检查人员", LIST, (F("姓名", "姓名"), F("执法证号", "执法证号"))),
        F("组长", "检查组组长"),
        F("检查表二维码", "识别这份检查表的检查记录（扫码即可录入结果）", QR, size_mm=18),
        F("二维码文字", "二维码内容的文字（扫码枪不可用时手工输入）"),
    ))

NOTICE = DocumentKind(
    key="notice", title="检查结果告知书", filename="检查结果告知书.docx",
    description="向被检查对象告知检查结果，按部门、年度编号，带核验二维码。",
    fields=(
        _DEPT, F("文号", "告知书编号，例如“某市监抽告〔2026〕15号”"),
        F("被检查单位", "被检查单位名称"), F("统一社会信用代码", "统一社会信用代码或注册号"),
        F("住所", "住所（经营场所）；默认模板未印出，可自行加入"), F("任务名称", "抽查任务名称"),
        F("任务编号", "任务编号"), F("检查日期", "检查日期"), F("检查事项", "检查事项（用顿号分隔）"),
        F("检查方式", "检查方式"), F("检查结果", "检查结果（结果类别）"),
        F("后续处置", "后续处置要求，无则留空", PARAGRAPHS),
        F("公示时限", "结果公示时限（工作日）"), F("公示平台", "公示平台"),
        F("异议期限", "提出异议的期限（工作日）"),
        F("联系人", "联系人"), F("联系电话", "联系电话"), F("成文日期", "成文日期"),
        F("核验二维码", "核验信息（二维码内容）", QR, size_mm=22),
    ))

RECEIPT = DocumentKind(
    key="receipt", title="送达回证", filename="送达回证.docx",
    description="直接送达或留置送达文书时由受送达人签收，每份文书一张。",
    fields=(
        _DEPT, F("文书名称", "送达文书名称，例如“检查结果告知书”"), F("文号", "送达文书的文号"),
        F("受送达人", "受送达人（被检查单位）"), F("统一社会信用代码", "统一社会信用代码或注册号"),
        F("送达地点", "送达地点（住所或经营场所）"), F("送达方式", "送达方式"),
        F("送达人", "送达人（两名执法人员）"), F("备注", "备注"),
    ))

PUBLICATION = DocumentKind(
    key="publication", title="抽查结果公示表", filename="抽查结果公示表.xlsx",
    description="随机抽查检查结果公示表，一行一个检查对象。",
    sheet_name_field="工作表名称",
    fields=(
        _DEPT, F("工作表名称", "工作表名称，例如任务编号"), F("任务名称", "抽查任务名称"),
        F("任务编号", "任务编号"), F("公示日期", "公示日期"),
        F("检查结果", "检查结果（每行一个检查对象）", LIST,
          (F("序号", "序号", NUMBER), F("检查对象", "检查对象名称"),
           F("统一社会信用代码", "统一社会信用代码或注册号"), F("抽查类型", "本部门抽查或部门联合抽查"),
           F("检查事项", "检查事项"), F("检查实施机关", "检查实施机关"),
           F("检查完成日期", "检查完成日期"), F("检查结果", "检查结果"),
           F("后续处置", "后续处置"))),
    ))

# 公示 tables: the national enterprise-credit publicity system's random-inspection sections,
# flattened one row per subject (名单) or per subject and 检查事项 (结果) as its import takes them.
_TASK_COLUMNS = (
    F("抽查计划编号", "抽查计划编号"), F("抽查计划名称", "抽查计划名称"), F("抽查任务编号", "抽查任务编号"),
    F("抽查任务名称", "抽查任务名称"), F("抽查类型", "本部门抽查或部门联合抽查"), F("抽查机关", "抽查机关（发起部门）"),
)

LIST_PUBLICATION = DocumentKind(
    key="list_publication", title="抽取名单公示表", filename="抽取名单公示表.xlsx",
    description="抽查任务抽中的检查对象和执法检查人员，一行一个检查对象（公示平台导入格式）。",
    sheet_name_field="工作表名称",
    fields=(
        _DEPT, F("工作表名称", "工作表名称，例如任务编号"), F("抽取日期", "抽取完成日期"),
        F("名单", "抽中的检查对象（每行一个）", LIST,
          (F("序号", "序号", NUMBER), *_TASK_COLUMNS, F("检查对象名称", "检查对象名称"),
           F("统一社会信用代码", "统一社会信用代码或注册号"), F("住所", "住所（经营场所）"),
           F("检查组", "检查组组号"), F("检查人员", "执法检查人员（姓名，执法证号）"))),
    ))

RESULT_IMPORT = DocumentKind(
    key="result_import", title="抽查结果公示导入表", filename="抽查结果公示导入表.xlsx",
    description="“抽查检查结果信息”（每户：检查实施机关、类型、日期、结果）与“双随机抽查结果信息”"
                "（每个任务：计划、任务、抽查类型、抽查机关、完成日期及各检查事项的检查结果），"
                "一行一个检查对象的一个检查事项。",
    sheet_name_field="工作表名称",
    fields=(
        _DEPT, F("工作表名称", "工作表名称，例如任务编号"),
        F("结果", "检查结果（每行一个检查对象的一个检查事项）", LIST,
          (F("序号", "序号", NUMBER), *_TASK_COLUMNS, F("抽查完成日期", "抽查任务完成日期"),
           F("检查对象名称", "检查对象名称"), F("统一社会信用代码", "统一社会信用代码或注册号"),
           F("检查实施机关", "检查实施机关"), F("类型", "抽查或检查"), F("日期", "该检查对象的检查日期"),
           F("结果", "该检查对象的检查结果"), F("检查事项", "检查事项"), F("检查事项结果", "该检查事项的检查结果"))),
    ))

WEBSITE_PUBLICATION = DocumentKind(
    key="website_publication", title="随机抽查信息公示（网站）", filename="随机抽查信息公示.docx",
    description="在部门网站发布的抽取名单或抽查结果公示，公文格式。",
    fields=(
        _DEPT, F("标题", "公示标题"), F("说明", "开头说明（多段文字）", PARAGRAPHS),
        F("末列标题", "表格最后一列的列名（检查人员或检查结果）"),
        F("行", "公示表的行", LIST,
          (F("序号", "序号"), F("检查对象名称", "检查对象名称"), F("统一社会信用代码", "统一社会信用代码或注册号"),
           F("检查事项", "检查事项"), F("末列", "检查人员或检查结果"))),
        F("成文日期", "成文日期"),
    ))

MONTHLY_REPORT = DocumentKind(
    key="monthly_report", title="“双随机、一公开”监管工作月报表", filename="月报表.xlsx",
    description="每月20日前报县双随机办；一月一个工作表。空字段保留表中的填写提示。",
    sheet_name_field="工作表名称",
    fields=(
        F("工作表名称", "工作表名称，例如“2026年11月”"), F("单位名称", "单位名称"),
        F("本级", "本级的称呼：县（市、区）的单位填“县”“区”或“市”，表中写作“县本级”“全县本系统”"),
        F("填表年", "填表时间：年", NUMBER), F("填表月", "填表时间：月", NUMBER),
        F("填表日", "填表时间：日", NUMBER),
        F("会议情况", "本月召开会议部署随机抽查工作情况（会议名称及时间）"),
        F("文件情况", "本月印发双随机工作文件情况（文件名称及文号）"),
        F("培训情况", "本月组织随机抽查业务培训情况（培训班名称、人数及内容）"),
        F("抽查文件", "本月组织随机抽查的文件"),
        F("对象范围数量比例", "随机抽查对象范围、数量、抽查比例"),
        F("检查事项情况", "随机抽查的检查事项（多少大项、多少小项）"),
        F("公示情况", "随机抽查结果公示情况（公示网站及公示数量）"),
        F("全系统情况", "全市本系统本月开展随机抽查情况"),
        F("联系人", "联系人"), F("联系电话", "联系电话"), F("手机", "手机"),
        F("审计日志头", "填表时审计日志的序号和哈希（SEQ:HASH），用于日后核对"),
    ))

DOCUMENT_KINDS: dict[str, DocumentKind] = {k.key: k for k in (
    RULEBOOK, ITEM_GUIDE, DRAW_RECORD, CHECK_FORM, NOTICE, RECEIPT, PUBLICATION, MONTHLY_REPORT,
    LIST_PUBLICATION, RESULT_IMPORT, WEBSITE_PUBLICATION)}


def get_kind(key: str | DocumentKind) -> DocumentKind:
    """Look a kind up by its code name or its Chinese title."""
    if isinstance(key, DocumentKind):
        return key
    if key in DOCUMENT_KINDS:
        return DOCUMENT_KINDS[key]
    for kind in DOCUMENT_KINDS.values():
        if key in (kind.title, kind.filename, kind.filename.rsplit(".", 1)[0]):
            return kind
    names = "、".join(f"{k.key}（{k.title}）" for k in DOCUMENT_KINDS.values())
    raise KeyError(f"没有“{key}”这种文书。可用的文书：{names}")
