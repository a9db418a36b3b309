"""The published test vectors: inputs → exact outputs of the draw protocol (VERSION).

tests/data/draw_vectors.json pins them; `python -m tests.unit.draw.vectors` rewrites that file and
must only ever be run when the protocol version changes, together with docs/draw-protocol.md.
(ssj-draw-v1 was never released; its vectors were replaced by v2's.)
"""

from __future__ import annotations

import json
from pathlib import Path

from app.domain.draw import (VERSION, Attempt, DrawInputs, DrawParameters, Exclusion, Inspector, InspectorConflict, Quota, Subject,
                             SubjectConflict, add_witnesses, match_teams, prepare, replace_inspector,
                             replace_subject, reveal, select_subjects)

VECTORS = Path(__file__).resolve().parents[2] / "data" / "draw_vectors.json"


def inputs_of(vector: dict) -> DrawInputs:
    raw = vector["inputs"]
    p = raw["parameters"]
    quotas = {k: Quota(count=q.get("count"), ratio=tuple(q["ratio"]) if "ratio" in q else None)
              for k, q in p["quotas"].items()}
    params = DrawParameters(quotas=quotas, team_size=p["team_size"], mode=p["mode"], teams=p["teams"],
                            departments=tuple(p["departments"]), alternates=p["alternates"], task=p["task"])
    conflicts = [SubjectConflict(a, b) if kind == "IS" else InspectorConflict(a, b) for kind, a, b in raw["conflicts"]]
    return DrawInputs(subjects=[Subject(*s) for s in raw["subjects"]], parameters=params,
                      inspectors=[Inspector(*i) for i in raw["inspectors"]],
                      exclusions=[Exclusion(*e) for e in raw["exclusions"]], conflicts=conflicts,
                      attempts=[Attempt(*a) for a in raw.get("attempts", [])])


def run(vector: dict):
    """The engine's final state for a vector (its replacements applied in order)."""
    state = prepare(inputs_of(vector), secret=bytes.fromhex(vector["secret"]))
    state = match_teams(select_subjects(reveal(add_witnesses(state, vector["witnesses"], vector["beacon"]))))
    for r in vector["replacements"]:
        if r["kind"] == "subject":
            state = replace_subject(state, r["target"], r["reason"])
        else:
            state = replace_inspector(state, r["target"], r["reason"], team=r["scope"])
    return state


def expected_of(state) -> dict:
    # The verifier's own hash is published per version in docs/draw-protocol.md, not pinned per vector.
    commitments = {k: v for k, v in state.commitments.items() if k != "verify_py_sha256"}
    return {"files": {n: t.decode() for n, t in state.files.items()}, "commitments": commitments,
            "seed": state.seed, "selection": list(state.selection), "initial": state.initial,
            "replacements": list(state.replacements), "final": state.final}


def _specs() -> list:
    basic = {
        "name": "一层简单抽取",
        "description": "12 户一层抽 3 户；见证人随机数以 0 开头；一人请假；每组 2 人，逐户匹配。",
        "inputs": {
            "subjects": [[f"91460100MA5T{n:05d}X", f"海口市第{n}号便利店", "全部", 1] for n in range(12)],
            "exclusions": [],
            "inspectors": [["46000012345", "张三", "市场监管局", True, "", None],
                           ["46000012346", "李四", "市场监管局", False, "", None],
                           ["46000012347", "王五", "市场监管局", True, "请假", None],
                           ["46000012348", "赵六", "市场监管局", False, "", None],
                           ["46000012349", "钱七", "市场监管局", False, "", None]],
            "conflicts": [],
            "parameters": {"quotas": {"全部": {"count": 3}}, "team_size": 2, "mode": "per_subject", "teams": 0,
                           "departments": [], "alternates": 2, "task": "X市监抽查〔2026〕1号"},
        },
        "secret": "00" * 31 + "01", "witnesses": ["0000123456", "0098765432101"], "beacon": "", "replacements": [],
    }
    strata = {
        "name": "分层、权重、比例、回避、排除与替换",
        "description": "按信用风险分层（比例 1/3 向上取整与固定个数），权重 1–4；名称需 NFC 规范化、标识小写需转大写；"
                       "排除已注销对象；检查人员与对象、检查人员之间的回避；工作量上限；公开信标；替换对象和人员。",
        "inputs": {
            "subjects": [[f"92460000mb{n:08d}", f"Cafe\u0301 第{n}家 咖啡店" if n % 5 == 0 else f"琼海市{n}号农家乐",
                          ("高风险", "较高风险", "一般风险")[n % 3], 1 + n % 4] for n in range(30)],
            "exclusions": [["92460000MB00000003", "已注销", "琼海市3号农家乐"],
                           ["92460000MB00000004", "年度抽查次数已满", ""]],
            "inspectors": [[f"4600{n:07d}", name, "市场监管局", n % 3 == 0, "执法证过期" if n == 4 else "",
                            4 if n == 1 else None]
                           for n, name in enumerate(["陈一", "林二", "黄三", "吴四", "周五", "徐六", "孙七", "马八",
                                                     "朱九", "胡十", "郭十一", "何十二"])],
            "conflicts": [["IS", "46000000000", "92460000MB00000006"], ["IS", "46000000003", "92460000MB00000009"],
                          ["II", "46000000000", "46000000006"], ["II", "46000000003", "46000000009"]],
            "parameters": {"quotas": {"高风险": {"ratio": [1, 2]}, "较高风险": {"ratio": [1, 3]},
                                      "一般风险": {"count": 2}},
                           "team_size": 2, "mode": "per_subject", "teams": 0, "departments": [], "alternates": 3,
                           "task": "琼海市市场监管局 2026 年第 2 批 差异化抽查"},
        },
        "secret": "7f" * 32, "witnesses": ["31415926535", "0271828182845"],
        "beacon": "00ff0a0b0c0d0e0f", "replacements": [],
    }
    joint = {
        "name": "部门联合抽查，先抽检查组再分配",
        "description": "市场监管局与卫健委联合；先抽 3 个 3 人检查组，每组两个部门都有人；再按组内对象数最少、组号最小分配对象。",
        "inputs": {
            "subjects": [[f"52460000{n:010d}", f"万宁市第{n}诊所", "医疗机构" if n < 10 else "药店", 1]
                         for n in range(20)],
            "exclusions": [],
            "inspectors": [[f"J{n:03d}", f"联合检查员{n}", "市场监管局" if n % 2 else "卫健委", n % 3 == 1,
                            "调离" if n == 6 else "", None] for n in range(14)]
                          + [["J900", "教体局人员", "教体局", True, "", None]],
            "conflicts": [["IS", "J001", "52460000" + "0" * 9 + "1"], ["II", "J002", "J003"]],
            "parameters": {"quotas": {"医疗机构": {"count": 4}, "药店": {"ratio": [3, 10]}}, "team_size": 3,
                           "mode": "teams_first", "teams": 3, "departments": ["卫健委", "市场监管局"],
                           "alternates": 2, "task": "万宁市 医疗机构和药店 部门联合抽查"},
        },
        "secret": "a5" * 32, "witnesses": ["12345678901234567890"], "beacon": "", "replacements": [],
    }
    edges = {
        "name": "边界情形与此前放弃的尝试",
        "description": "配额为 0 的分层（仍列出候补）、没有对象的分层配额 0、只有 1 户的分层（below(1) 也消耗一个随机数）；"
                       "排除原因本身含“；”；回避文件中有不在名单里的标识（保留、不起作用）；只有一人可任组长；"
                       "此前放弃的两次尝试（attempts.tsv）；替换对象。",
        "inputs": {
            "subjects": [[f"93460000EDGE{n:04d}", f"边界{n}号", ("甲", "乙", "丙")[min(n // 4, 2)], 1] for n in range(9)],
            "exclusions": [["93460000EDGE9000", "已注销；吊销（同日）", "注销户"],
                           ["93460000EDGE9000", "列入严重违法失信名单", "注销户"]],
            "inspectors": [["E01", "组长甲", "市场监管局", True, "", None],
                           ["E02", "组员乙", "市场监管局", False, "", None],
                           ["E03", "组员丙", "市场监管局", False, "", None],
                           ["E04", "组员丁", "市场监管局", False, "", None]],
            "conflicts": [["IS", "E99", "93460000EDGE0001"], ["IS", "E02", "93460000NOTHERE"], ["II", "E03", "E98"]],
            "parameters": {"quotas": {"甲": {"count": 2}, "乙": {"count": 0}, "丙": {"ratio": [1, 1]},
                                      "丁": {"count": 0}},
                           "team_size": 2, "mode": "per_subject", "teams": 0, "departments": [], "alternates": 2,
                           "task": "边界情形 〔2026〕9号"},
            "attempts": [["2026-11-20T09:30:05", "王芳@会议室电脑", "prepared", "11" * 32, "2026-11-20T09:41:00",
                          "王芳", "见证人未到场，改期抽取"],
                         ["2026-11-23T14:00:00", "李四@局三楼", "prepared", "22" * 32, "2026-11-23T14:02:30",
                          "李四", "投影仪故障"]],
        },
        "secret": "3c" * 32, "witnesses": ["7", "0000000000000000000"], "beacon": "", "replacements": [],
    }
    return [basic, strata, joint, edges]


def _with_replacements(vector: dict) -> dict:
    """Adds concrete replacement requests (a subject, then inspectors) to every vector but the first."""
    if vector["name"] == "一层简单抽取":
        return vector
    state = run(vector)
    if vector["name"].startswith("边界情形"):
        first = next(s["id"] for s in state.final["subjects"] if s["stratum"] == "甲")
        vector["replacements"] = [{"kind": "subject", "target": first, "scope": "",
                                   "reason": "经核实无法联系"}]
        return vector
    subject = state.final["subjects"][0]["id"]
    team = state.final["teams"][-1]
    vector["replacements"] = [
        {"kind": "subject", "target": subject, "scope": "", "reason": "已注销（经营者申请注销登记）"},
        {"kind": "inspector", "target": team["members"][-1]["id"], "scope": team["label"], "reason": "回避：亲属关系"},
        {"kind": "inspector", "scope": "", "reason": "病假",
         "target": next(m["id"] for m in state.final["teams"][0]["members"] if m["id"] != state.final["teams"][0]["leader"])},
    ]
    return vector


def build() -> list:
    vectors = []
    for spec in map(_with_replacements, _specs()):
        spec["expected"] = expected_of(run(spec))
        vectors.append(spec)
    return vectors


if __name__ == "__main__":
    payload = {"protocol": VERSION, "note": "inputs → exact outputs; see docs/draw-protocol.md",
               "vectors": build()}
    VECTORS.write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {VECTORS}")
