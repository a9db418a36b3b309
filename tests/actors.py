"""Accounts for tests: one per role, as the services expect them."""

from app.domain.accounts import Actor, Role

ADMIN = Actor("admin", "王管理", frozenset({Role.ADMIN}), "测试机")
CLERK = Actor("clerk", "李经办", frozenset({Role.CLERK}), "测试机")
CLERK2 = Actor("clerk2", "赵经办", frozenset({Role.CLERK}), "测试机")
REVIEWER = Actor("reviewer", "陈审核", frozenset({Role.REVIEWER}), "测试机")
SUPERVISOR = Actor("jijian", "周纪检", frozenset({Role.SUPERVISOR}), "测试机")
READER = Actor("reader", "孙只读", frozenset({Role.READER}), "测试机")
FIRST_ADMIN = Actor("admin", "王管理", frozenset({Role.ADMIN, Role.CLERK}), "测试机")  # as the first start makes it


def log_in_cli_as(monkeypatch, username: str = "clerk", password: str = "demo1234") -> None:
    """Commands that change data act as an account: SHUANGSUIJI_USER / SHUANGSUIJI_PASSWORD
    (the demo accounts' password by default)."""
    monkeypatch.setenv("SHUANGSUIJI_USER", username)
    monkeypatch.setenv("SHUANGSUIJI_PASSWORD", password)
