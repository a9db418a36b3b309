"""The sample county's 公示 in every state on both databases, whatever day it is built."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.publication import PublicationState
from app.services.demo import county as demo
from app.services.publication import publications
from tests.actors import CLERK


@pytest.mark.parametrize("today", [date(2026, 11, 23), date(2026, 10, 9), date(2027, 3, 1)])
def test_demo_publications_stand_in_every_state(database, today):
    demo.create_demo(database, CLERK, subjects=300, today=today, with_publications=True)
    states = {}
    for item in publications.items(database, today, include_published=True):
        states.setdefault(item.state, []).append(item)
    assert set(states) == set(PublicationState)
    assert {i.department for i in states[PublicationState.OVERDUE]} == {"青禾县市场监督管理局", "青禾县卫生健康委员会"}
    assert {i.kind for i in states[PublicationState.DUE_SOON]} == {"抽取名单", "行政处罚"}
    assert [i.kind for i in states[PublicationState.LATE]] == ["检查结果"]
    assert {i.kind for i in states[PublicationState.ON_TIME]} == {"年度计划", "抽取名单"}
