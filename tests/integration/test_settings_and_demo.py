"""Office settings, departments and the sample county, on both backends."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.db.models import AuditEntry, Certificate, CheckItem, Conflict, Inspector, StatusPeriod, Subject
from app.domain.credit_code import is_valid_credit_code
from app.services.demo import county as demo
from app.services.system import settings
from app.services.system.audit import verify_chain
from app.services.errors import UserError
from tests.actors import ADMIN, CLERK

TODAY = date(2026, 11, 23)


def test_settings_round_trip_and_are_audited(database):
    settings.save_settings(database, ADMIN, {settings.OFFICE_NAME: "青禾县市场监督管理局"})
    assert settings.get_settings(database)[settings.OFFICE_NAME] == "青禾县市场监督管理局"
    settings.save_settings(database, ADMIN, {settings.OFFICE_NAME: "青禾县市场监督管理局"})  # no change
    with database.session() as session:
        entries = session.scalars(select(AuditEntry)).all()
    assert [e.action for e in entries] == ["修改设置"]
    assert entries[0].details == {settings.OFFICE_NAME: ["", "青禾县市场监督管理局"]}


def test_unknown_setting_is_refused(database):
    with pytest.raises(UserError, match="未知的设置项"):
        settings.save_settings(database, ADMIN, {"colour": "red"})


def test_departments_add_rename_and_refuse_duplicates(database):
    settings.save_departments(database, ADMIN, [(None, "县卫生健康委员会", "卫健")])
    [dept] = settings.list_departments(database)
    settings.save_departments(database, ADMIN, [(dept.id, "青禾县卫生健康委员会", "禾卫健")])
    assert [d.name for d in settings.list_departments(database)] == ["青禾县卫生健康委员会"]
    with pytest.raises(UserError, match="重复"):
        settings.save_departments(database, ADMIN, [(None, "应急局", ""), (None, "应急局", "")])
    with pytest.raises(UserError, match="不能为空"):
        settings.save_departments(database, ADMIN, [(None, "  ", "")])


def test_demo_county_is_realistic(database):
    demo.create_demo(database, CLERK, subjects=400, today=TODAY)
    with database.session() as s:
        subjects = s.scalars(select(Subject)).all()
        assert len(subjects) == 400
        assert len({x.region for x in subjects}) == 12
        codes = [x.credit_code for x in subjects if x.credit_code]
        assert all(is_valid_credit_code(c) for c in codes)
        assert len(set(codes)) == len(codes)
        assert any(x.registration_no for x in subjects)  # 个体户 with only a 注册号
        assert {x.risk_class for x in subjects} == {"A", "B", "C", "D"}
        assert s.scalar(select(func.count()).select_from(Inspector)) == 60
        expired = s.scalar(select(func.count()).select_from(Certificate).where(Certificate.expires_on < TODAY))
        assert expired == 3
        on_leave = s.scalar(select(func.count()).select_from(StatusPeriod).where(StatusPeriod.status == "请假"))
        assert on_leave == 4
        assert s.scalar(select(func.count()).select_from(Conflict)) == 5
        assert s.scalar(select(func.count()).select_from(CheckItem)) == 293 + 83
        assert verify_chain(s).ok


def test_demo_is_repeatable_and_only_for_an_empty_database(database):
    demo.create_demo(database, CLERK, subjects=50, today=TODAY)
    with database.session() as s:
        names = s.scalars(select(Subject.name).order_by(Subject.id)).all()
    assert names[0].startswith("青禾县")
    with pytest.raises(UserError, match="已有数据"):
        demo.create_demo(database, CLERK, subjects=50, today=TODAY)
