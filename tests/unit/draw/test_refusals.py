"""What the engine refuses, with a Chinese message, before anything is committed or changed."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest

from app.domain.draw import (TEAMS_FIRST, DrawError, DrawInputs, DrawParameters, DrawRefusal, DrawStageError,
                             DrawState, Exclusion, Inspector, Quota, Subject, add_witnesses, match_teams, prepare,
                             replace_inspector, replace_subject, reveal, select_subjects)

CHINESE = re.compile("[\u4e00-\u9fff]")
SUBJECTS = [Subject(f"91460000{k:010d}", f"对象{k}", "高风险" if k % 2 else "低风险") for k in range(10)]
INSPECTORS = [Inspector(f"E{k}", f"检查员{k}", "市场监管局", leader=k % 2 == 0) for k in range(6)]
PARAMS = DrawParameters(quotas={"高风险": Quota.of(2), "低风险": Quota.share(1, 5)})
INPUTS = DrawInputs(SUBJECTS, PARAMS, INSPECTORS)
DIGITS = ["01234567890123456789"]


def refused(fn, *args, **kwargs) -> str:
    with pytest.raises(DrawError) as caught:
        fn(*args, **kwargs)
    assert CHINESE.search(str(caught.value)), str(caught.value)
    return str(caught.value)


@pytest.mark.parametrize("digits, words", [
    (["0123456789012345678"], "至少需要 20 位"),
    (["0123456789", "012345678"], "至少需要 20 位"),
    (["01234567890123456789x"], "只能由数字"),
    (["０１２３４５６７８９０１２３４５６７８９"], "只能由数字"),  # full-width digits are not digits here
    (["0123456789", ""], "只能由数字"),
])
def test_witness_digits_are_checked(digits, words):
    assert words in refused(add_witnesses, prepare(INPUTS), digits)


def test_bad_beacon_is_refused():
    assert "信标" in refused(add_witnesses, prepare(INPUTS), DIGITS, beacon="xyz")


@pytest.mark.parametrize("inputs, words", [
    (replace(INPUTS, subjects=[]), "没有符合条件的检查对象"),
    (replace(INPUTS, exclusions=[Exclusion(s.id, "已注销") for s in SUBJECTS]), "没有符合条件的检查对象"),
    (replace(INPUTS, parameters=replace(PARAMS, quotas={"高风险": Quota.of(6), "低风险": Quota.of(1)})), "不能抽取 6 个"),
    (replace(INPUTS, parameters=replace(PARAMS, quotas={"高风险": Quota.of(1)})), "没有设定抽取数量"),
    (replace(INPUTS, parameters=replace(PARAMS, quotas={"高风险": Quota.of(0), "低风险": Quota.of(0)})), "合计为零"),
    (replace(INPUTS, parameters=replace(PARAMS, team_size=1)), "不能少于 2 人"),
    (replace(INPUTS, inspectors=INSPECTORS[:1]), "检查人员不足"),
    (replace(INPUTS, inspectors=[replace(i, leader=False) for i in INSPECTORS]), "组长"),
    (replace(INPUTS, inspectors=[replace(i, unavailable="请假") for i in INSPECTORS[1:]] + INSPECTORS[:1]), "不足"),
    (replace(INPUTS, inspectors=[replace(i, load_cap=1) for i in INSPECTORS[:4]]), "工作量上限"),
    (replace(INPUTS, parameters=replace(PARAMS, mode=TEAMS_FIRST, teams=4)), "至少需要 8 人"),
    (replace(INPUTS, parameters=replace(PARAMS, departments=("市场监管局", "卫健委"))), "卫健委"),
    (replace(INPUTS, parameters=replace(PARAMS, departments=("甲", "乙", "丙"))), "部门数"),
    (replace(INPUTS, subjects=SUBJECTS + [Subject(SUBJECTS[0].id.lower(), "重复")]), "重复"),
    (replace(INPUTS, subjects=SUBJECTS + [Subject("91 46", "内含空格")]), "空格"),
    (replace(INPUTS, subjects=SUBJECTS + [Subject("X1", "权重", "高风险", 0)]), "权重"),
    (replace(INPUTS, parameters=replace(PARAMS, quotas={"高风险": Quota.share(3, 2), "低风险": Quota.of(1)})), "比例"),
])
def test_impossible_draws_are_refused_before_any_commitment(inputs, words):
    message = refused(prepare, inputs)
    assert words in message, message


def test_steps_must_come_in_order():
    state = prepare(INPUTS)
    assert "阶段" in refused(reveal, state)
    assert "阶段" in refused(select_subjects, state)
    witnessed = add_witnesses(state, DIGITS)
    assert "阶段" in refused(add_witnesses, witnessed, DIGITS)  # digits are locked once entered
    assert "阶段" in refused(replace_subject, reveal(witnessed), SUBJECTS[0].id, "已注销")


def test_bad_replacements_are_refused():
    state = match_teams(select_subjects(reveal(add_witnesses(prepare(INPUTS), DIGITS))))
    drawn = {s["id"] for s in state.final["subjects"]}
    outsider = next(s.id for s in SUBJECTS if s.id not in drawn)
    assert "不在当前抽中名单中" in refused(replace_subject, state, outsider, "已注销")
    assert "原因" in refused(replace_subject, state, next(iter(drawn)), "  ")
    assert "不在" in refused(replace_inspector, state, "E1", "病假", team="不存在的组")
    state = replace_subject(state, next(s["id"] for s in state.final["subjects"] if s["stratum"] == "高风险"), "已注销")
    low = [s for s in state.final["subjects"] if s["stratum"] == "低风险"]
    for _ in range(4):  # 5 in the stratum, 1 drawn: 4 alternates, then none
        state = replace_subject(state, low[0]["id"], "无法联系")
        low = [s for s in state.final["subjects"] if s["stratum"] == "低风险"]
    assert "没有候补" in refused(replace_subject, state, low[0]["id"], "无法联系")


def test_a_tampered_stored_state_is_not_resumed():
    state = add_witnesses(prepare(INPUTS), DIGITS)
    data = json.loads(json.dumps(state.to_dict()))
    data["files"]["subject_names.txt"] = data["files"]["subject_names.txt"].replace("对象1", "对象Ⅰ")
    with pytest.raises(DrawStageError):
        DrawState.from_dict(data)
    del data["files"]
    with pytest.raises(DrawStageError):
        DrawState.from_dict(data)
    revealed = json.loads(json.dumps(reveal(state).to_dict()))
    revealed["witnesses"][0] = "9" + revealed["witnesses"][0][1:]  # digits changed after the seed was fixed
    with pytest.raises(DrawStageError):
        DrawState.from_dict(revealed)


def test_refusals_are_draw_errors_with_a_common_base():
    assert issubclass(DrawRefusal, DrawError) and issubclass(DrawStageError, DrawError)
