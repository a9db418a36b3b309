"""The fields of the two directories and of the check-item list, with the header words
other systems use for them (PRODUCT.md §2 A–C).

The first alias of each field is the header this program writes on export, so an exported
file maps itself on re-import.
"""

from __future__ import annotations

from dataclasses import dataclass

SUBJECT = "subject"
INSPECTOR = "inspector"
DIRECTORY_KINDS = {SUBJECT: "检查对象名录", INSPECTOR: "执法检查人员名录"}


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """``kind`` selects the converter in ``values.CONVERTERS`` (text, code, regno, date,
    expiry, bool, risk, list, gender, category, status). ``aliases[0]`` is the Chinese
    label shown and exported."""

    name: str
    kind: str
    aliases: tuple[str, ...]
    required: bool = False

    @property
    def label(self) -> str:
        return self.aliases[0]


def _f(name: str, kind: str, *aliases: str, required: bool = False) -> FieldSpec:
    return FieldSpec(name, kind, aliases, required)


SUBJECT_FIELDS: tuple[FieldSpec, ...] = (
    _f("credit_code", "code", "统一社会信用代码", "社会信用代码", "信用代码", "统一代码",
       "统一社会信用代码证号", "纳税人识别号", "uscc", "credit_code"),
    _f("registration_no", "regno", "注册号", "工商注册号", "营业执照注册号", "登记注册号", "注册码",
       "registration_no"),
    _f("name", "text", "名称", "企业名称", "主体名称", "市场主体名称", "单位名称", "对象名称",
       "检查对象名称", "机构名称", "个体户名称", "字号名称", "经营者名称", "商户名称", "name",
       required=True),
    _f("subject_type", "text", "主体类型", "市场主体类型", "企业类型", "企业类别", "单位类型",
       "对象类型", "类型", "组织形式", "经济性质", "subject_type"),
    _f("legal_representative", "text", "法定代表人", "法定代表人负责人", "法人代表", "负责人",
       "法定代表人姓名", "负责人姓名", "经营者", "投资人", "legal_representative"),
    _f("phone", "text", "联系电话", "电话", "手机", "手机号", "手机号码", "联系方式", "联系号码",
       "固定电话", "移动电话", "phone"),
    _f("address", "text", "住所", "经营场所", "住所经营场所", "住所/经营场所", "地址", "注册地址",
       "经营地址", "详细地址", "单位地址", "address"),
    _f("region", "text", "所属区域", "区域", "所在区域", "乡镇", "街道", "乡镇街道", "所属乡镇",
       "所属街道", "所属乡镇街道", "辖区", "所属辖区", "片区", "所属片区", "所属监管所", "监管所", "管辖单位",
       "region"),
    _f("industry", "text", "行业", "所属行业", "行业门类", "行业类别", "行业类型", "行业分类", "行业名称",
       "国民经济行业分类", "行业代码", "industry"),
    _f("registration_status", "text", "登记状态", "经营状态", "企业状态", "存续状态",
       "registration_status"),
    _f("established_on", "date", "成立日期", "成立时间", "注册日期", "登记日期", "设立日期",
       "开业日期", "established_on"),
    _f("registration_authority", "text", "登记机关", "登记机关名称", "发照机关", "登记管理机关",
       "注册机关", "registration_authority"),
    _f("risk_class", "risk", "信用风险分类", "风险分类", "信用风险等级", "风险等级", "信用风险",
       "风险类别", "信用风险类别", "risk_class"),
    _f("abnormal_operation", "bool", "经营异常名录", "经营异常", "是否列入经营异常名录",
       "列入经营异常名录", "异常名录", "是否经营异常", "abnormal_operation"),
    _f("serious_violation", "bool", "严重违法失信", "严重违法失信名单", "是否列入严重违法失信名单",
       "列入严重违法失信名单", "严重违法失信企业名单", "严重违法", "失信名单", "serious_violation"),
    _f("key_supervision", "bool", "重点监管对象", "重点监管", "是否重点监管", "是否重点监管对象",
       "重点对象", "key_supervision"),
    _f("tags", "list", "标签", "标记", "分类标签", "行业标签", "领域", "种类", "tags"),
)

INSPECTOR_FIELDS: tuple[FieldSpec, ...] = (
    _f("name", "text", "姓名", "名字", "人员姓名", "执法人员姓名", "检查人员姓名", "专家姓名",
       "name", required=True),
    _f("gender", "gender", "性别", "gender"),
    _f("department", "text", "部门", "所属部门", "所在部门", "执法部门", "单位", "所在单位",
       "工作单位", "单位名称", "department"),
    _f("office", "text", "科室", "所在科室", "股室", "处室", "内设机构", "科股室", "office"),
    _f("position", "text", "职务", "职位", "职级", "岗位", "position"),
    _f("category", "category", "人员类别", "类别", "人员类型", "身份类别", "人员性质", "编制类别",
       "编制性质", "category"),
    _f("certificate_no", "text", "执法证号", "执法证件号", "执法证件号码", "执法证号码", "执法证编号",
       "行政执法证号", "证件号", "证号", "certificate_no"),
    _f("certificate_expires_on", "expiry", "执法证有效期至", "有效期至", "执法证有效期", "证件有效期",
       "证件有效期至", "有效期", "到期日期", "有效截止日期", "certificate_expires_on"),
    _f("qualifications", "list", "执法资质", "执法领域", "执法类别", "执法资格", "执法范围", "执法种类",
       "资质", "qualifications"),
    _f("specialities", "list", "业务专长", "专长", "特长", "专业", "专业特长", "擅长领域", "专业领域",
       "specialities"),
    _f("can_lead", "bool", "可任组长", "是否可任组长", "可担任组长", "能否担任组长", "组长", "是否组长",
       "can_lead"),
    _f("status", "status", "状态", "在岗状态", "人员状态", "在岗情况", "status"),
    _f("phone", "text", "联系电话", "电话", "手机", "手机号", "手机号码", "联系方式", "phone"),
)

CHECK_ITEM_FIELDS: tuple[FieldSpec, ...] = (
    _f("department", "text", "编制单位名称", "编制单位", "部门", "部门名称", "实施部门", "责任部门"),
    _f("seq", "text", "序号"),
    _f("category", "text", "抽查类别", "抽查领域", "类别"),
    _f("name", "text", "抽查事项", "抽查事项名称", "事项名称", "检查事项", required=True),
    _f("target", "text", "检查对象", "抽查对象"),
    _f("item_class", "text", "事项类别", "事项类型"),
    _f("methods", "list", "检查方式", "抽查方式"),
    _f("authority", "text", "检查主体", "实施主体", "执法主体"),
    _f("legal_basis", "text", "检查依据", "抽查依据", "依据"),
    _f("lead_departments", "text", "发起部门"),
    _f("partner_departments", "text", "配合部门", "参与部门"),
    _f("ratio", "text", "抽查比例", "比例"),
    _f("frequency", "text", "抽查频次", "频次"),
)


def directory_fields(kind: str) -> tuple[FieldSpec, ...]:
    """The fields of ``kind`` ("subject" or "inspector"), in the order the UI lists them."""
    if kind == SUBJECT:
        return SUBJECT_FIELDS
    if kind == INSPECTOR:
        return INSPECTOR_FIELDS
    raise ValueError(f"unknown directory kind {kind!r}")
