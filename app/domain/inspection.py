"""检查实施 and results (PRODUCT.md §2 G): statuses, the standard wording, and the rules a result obeys.

Plain values and checks shared by the results entry, the review and the field sheet import:
each check returns (field, Chinese message) pairs (empty when the value is acceptable), so a
caller can name the field or the sheet column it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class InspectionStatus(StrEnum):
    """未录入 → 已录入 → 待审核 → 审核通过 (可公示) / 退回; a replaced subject keeps 已替换."""

    PENDING = "待检查"  # 未录入
    ENTERED = "已录入"
    SUBMITTED = "待审核"
    APPROVED = "审核通过"
    RETURNED = "退回"
    REPLACED = "已替换"


#: statuses whose result a clerk may still change
EDITABLE = (InspectionStatus.PENDING, InspectionStatus.ENTERED, InspectionStatus.RETURNED)

NO_PROBLEM = "未发现问题"

#: PRODUCT.md §2 G's default set of 检查结果 categories (an admin may change the wording).
DEFAULT_CATEGORIES: tuple[str, ...] = (
    NO_PROBLEM,
    "未按规定公示应当公示的信息",
    "公示信息隐瞒真实情况弄虚作假",
    "通过登记的住所(经营场所)无法联系",
    "发现问题已责令改正",
    "发现问题待后续处理",
    "未发现开展本次抽查涉及的经营活动",
    "已关闭停业或正在组织清算",
    "不配合检查情节严重",
    "已注销/被吊销",
)

#: 核查方式 (several per inspection)
METHODS: tuple[str, ...] = ("实地检查", "书面检查", "行政部门检查结果或专业意见", "检验检测", "网络监测",
                            "委托专业机构辅助")


class FollowUp(StrEnum):
    """后续处置, as the platforms record it (several may apply)."""

    NONE = "无需后续处置"
    RECTIFY = "责令改正"  # with a 整改期限
    CASE = "立案查处"  # 发现案件线索，移送办案机构
    TRANSFER = "移送相关部门"  # with the receiving department and date
    COPY = "抄告相关部门"  # with the department
    OTHER = "其他"


FOLLOW_UPS: tuple[str, ...] = tuple(f.value for f in FollowUp)


@dataclass(frozen=True)
class ItemOutcome:
    """One 检查事项's result: 发现问题情况, 结果 (a category), 处置情况."""

    check_item_id: int
    finding: str = ""
    category: str = NO_PROBLEM
    handling: str = ""


@dataclass(frozen=True)
class Outcome:
    """What the inspectors found at one subject, as entered from the paper form or the sheet."""

    inspected_on: date | None
    methods: tuple[str, ...] = ()
    items: tuple[ItemOutcome, ...] = ()
    categories: tuple[str, ...] = (NO_PROBLEM,)
    follow_ups: tuple[str, ...] = (FollowUp.NONE.value,)
    rectify_by: date | None = None  # 整改期限
    handed_to: str = ""  # 移送部门
    handed_on: date | None = None
    copied_to: str = ""  # 抄告部门
    closed_on: date | None = None  # 后续处置完结
    note: str = field(default="")


Problem = tuple[str, str]  # (the field, as the form and the sheet name it; the message)


def category_problems(categories: tuple[str, ...] | list[str], allowed: tuple[str, ...] | list[str]) -> list[Problem]:
    """The overall 检查结果: at least one known category; 未发现问题 stands alone."""
    if not categories:
        return [("检查结果", "请选择检查结果。")]
    problems = [("检查结果", f"“{c}”不是检查结果类别（可选：{'、'.join(allowed)}）") for c in categories
                if c not in allowed]
    if NO_PROBLEM in categories and len(set(categories)) > 1:
        problems.append(("检查结果", f"“{NO_PROBLEM}”不能与其他检查结果同时选择。"))
    return problems


def follow_up_problems(outcome: Outcome) -> list[Problem]:
    """后续处置: known values, 无需后续处置 alone, and the details each one needs."""
    chosen = outcome.follow_ups
    problems = [("后续处置", f"“{f}”不是后续处置方式（可选：{'、'.join(FOLLOW_UPS)}）") for f in chosen
                if f not in FOLLOW_UPS]
    if not chosen:
        problems.append(("后续处置", "请选择后续处置（无问题时选“无需后续处置”）。"))
    if FollowUp.NONE in chosen and len(set(chosen)) > 1:
        problems.append(("后续处置", f"“{FollowUp.NONE.value}”不能与其他后续处置同时选择。"))
    if FollowUp.RECTIFY in chosen and outcome.rectify_by is None:
        problems.append(("整改期限", "责令改正须填写整改期限。"))
    if FollowUp.TRANSFER in chosen and not outcome.handed_to.strip():
        problems.append(("移送部门", "移送相关部门须填写接收部门。"))
    if FollowUp.TRANSFER in chosen and outcome.handed_on is None:
        problems.append(("移送日期", "移送相关部门须填写移送日期。"))
    if FollowUp.COPY in chosen and not outcome.copied_to.strip():
        problems.append(("抄告部门", "抄告相关部门须填写抄告部门。"))
    if NO_PROBLEM in outcome.categories and any(f in (FollowUp.RECTIFY, FollowUp.CASE) for f in chosen):
        problems.append(("后续处置", f"检查结果为“{NO_PROBLEM}”时不能责令改正或立案查处。"))
    return problems


def date_problems(outcome: Outcome, starts_on: date | None, ends_on: date | None) -> list[Problem]:
    """检查日期 is required and lies in the task's period; later dates do not precede it."""
    day = outcome.inspected_on
    if day is None:
        return [("检查日期", "请填写检查日期。")]
    problems = []
    if (starts_on and day < starts_on) or (ends_on and day > ends_on):
        period = f"{_day(starts_on)} 至 {_day(ends_on)}"
        problems.append(("检查日期", f"检查日期 {day:%Y-%m-%d} 不在任务的检查期间（{period}）内。"))
    for label, later in (("整改期限", outcome.rectify_by), ("移送日期", outcome.handed_on),
                         ("完结日期", outcome.closed_on)):
        if later is not None and later < day:
            problems.append((label, f"{label} {later:%Y-%m-%d} 早于检查日期 {day:%Y-%m-%d}。"))
    return problems


def _day(value: date | None) -> str:
    return f"{value:%Y-%m-%d}" if value else "不限"


def outcome_problems(outcome: Outcome, allowed: tuple[str, ...] | list[str],
                     starts_on: date | None = None, ends_on: date | None = None) -> list[Problem]:
    """Every rule a result must obey before it is stored, in the order a clerk reads the form."""
    problems = date_problems(outcome, starts_on, ends_on)
    if not outcome.methods:
        problems.append(("核查方式", "请至少选择一种核查方式。"))
    problems += [("核查方式", f"“{m}”不是核查方式（可选：{'、'.join(METHODS)}）") for m in outcome.methods
                 if m not in METHODS]
    for item in outcome.items:
        if item.category not in allowed:
            problems.append(("事项结果", f"检查事项的结果“{item.category}”不是检查结果类别。"))
    problems += category_problems(outcome.categories, allowed)
    problems += follow_up_problems(outcome)
    return problems


QR_PREFIX = "SSJJC"


def qr_payload(inspection_id: int, subject_code: str) -> str:
    """ASCII only: a USB scanner types the QR text like a keyboard, and keyboard layouts lose Chinese."""
    return f"{QR_PREFIX}:{inspection_id}:{subject_code}"


def parse_qr(text: str) -> tuple[int, str] | None:
    """(inspection id, subject code) from a scanned or typed 检查表 code, None if it is not one."""
    parts = text.strip().split(":")
    if len(parts) != 3 or parts[0].upper() != QR_PREFIX or not parts[1].isdecimal():
        return None
    return int(parts[1]), parts[2].upper()


# --- 证据材料: photos and scans kept with an inspection ------------------------------------------

#: 20 MB per evidence file (issue #12 point 5)
MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
MB = 1024 * 1024


def size_text(size: int) -> str:
    """A file's size as a clerk reads it; never rounded down past a limit (20.1 MB, not 20.0 MB)."""
    if size < 1024:
        return f"{size} 字节"
    if size < MB:
        return f"{-(-size // 1024)} KB"
    return f"{-(-size * 10 // MB) / 10:.1f} MB"


def evidence_file_problem(name: str, size: int) -> str:
    """Why a file of this size may not be kept as evidence ("" when it may)."""
    if size > MAX_EVIDENCE_BYTES:
        return (f"“{name}”有 {size_text(size)}，超过每个文件 {MAX_EVIDENCE_BYTES // MB} MB 的上限"
                "（请压缩照片或分页扫描后再添加）")
    if size == 0:
        return f"“{name}”是空文件"
    return ""


def evidence_adding_problem(status: str) -> str:
    """Why no evidence may be added to an inspection in this status ("" when it may).

    Evidence may be added in every other status, after review too: 整改 photos and signed 送达回证
    arrive later, and adding never changes what the reviewer saw.
    """
    if status == InspectionStatus.REPLACED:
        return "该检查对象已被替换，不再检查，不能添加证据材料。"
    return ""


_KEPT = {
    InspectionStatus.SUBMITTED: "该检查记录已提交审核，证据材料是审核的依据，不能删除（如确需更正，请审核人先退回）。",
    InspectionStatus.APPROVED: "该检查记录已审核通过，证据材料随检查结果归档（一次一档），不能删除。",
    InspectionStatus.REPLACED: "该检查对象已被替换，其证据材料保留备查，不能删除。",
}


def evidence_removal_problem(status: str, added_by: str, username: str, added_by_name: str = "") -> str:
    """Why ``username`` may not remove an evidence file ("" when they may).

    The rule: only the 经办人 who added the file removes it (a file added by mistake), and only while
    the inspection's result may still be changed (待检查, 已录入, 退回). From 提交审核 on the evidence
    is what the reviewer judged, then what the notice and 一次一档 rest on: it stays.
    """
    if status not in EDITABLE:
        return _KEPT.get(status, f"该检查记录状态为“{status}”，证据材料不能删除。")
    if added_by != username:
        return f"该文件由“{added_by_name or added_by}”添加，只有添加人本人才能删除。"
    return ""
