"""Default wording for the 工作细则 and 工作指引 (what the 建库 wizard shows)."""
from __future__ import annotations

from app.documents import RULEBOOK_SECTIONS, guide_defaults, rulebook_defaults


def test_rulebook_defaults_cover_every_section_with_deadlines():
    text = rulebook_defaults("馆陶县卫生健康局", result_days=10)
    assert list(text) == [name for name, _ in RULEBOOK_SECTIONS]
    required = {"组织领导", "抽取方法", "检查流程", "抽查方式", "审批权限", "公示程序", "信息共享",
                "监管衔接", "归档方式"}
    assert required <= set(text) and all(text[name] for name in text)
    publicity = "".join(text["公示程序"])
    assert "批准后10个工作日内公示" in publicity and "抽取后10个工作日内公示" in publicity
    assert "检查完成之日起10个工作日内公示" in publicity and "7个工作日内公示" in publicity
    assert "馆陶县卫生健康局" in text["总则"][0]
    assert "不超过2次" in "".join(text["抽取方法"]) and "一次一档" in "".join(text["归档方式"])
    assert not any("{" in p for paras in text.values() for p in paras)


def test_rulebook_defaults_default_deadlines_are_the_seeds():
    publicity = "".join(rulebook_defaults("某局")["公示程序"])
    assert "检查完成之日起20个工作日内公示" in publicity


def test_guide_defaults_follow_the_check_modes():
    guide = guide_defaults("实地核查、书面检查")
    assert [m.split("：")[0] for m in guide["检查方法"]] == ["实地核查", "书面检查"]
    assert guide["判定标准"] and guide["后续处置"]
    assert guide_defaults(["网络监测"])["检查方法"][0].startswith("网络监测")
