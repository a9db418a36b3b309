"""The command line with and without credentials: read-only commands need none, the rest act as an account."""

from __future__ import annotations

import pytest
from sqlalchemy import delete

from app.cli import run_cli
from app.db.models import AuditEntry
from app.services.accounts import users
from tests.actors import log_in_cli_as


@pytest.fixture
def county(database, capsys, monkeypatch):
    for name in ("SHUANGSUIJI_USER", "SHUANGSUIJI_PASSWORD", "SHUANGSUIJI_NEW_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    assert run_cli(["--db", database.url, "demo", "create", "--subjects", "60"]) == 0
    out = capsys.readouterr().out
    assert "admin（张管理，管理员）" in out and "jijian（周纪检，监督员）" in out and "demo1234" in out
    return database


def test_demo_create_on_an_empty_database_needs_no_credentials(county):
    assert [(r.username, r.roles_text) for r in users.list_users(county)] == [
        ("admin", "管理员"), ("clerk", "经办人"), ("reviewer", "审核人"), ("jijian", "监督员")]


def test_read_only_commands_need_no_credentials(county, capsys):
    url = county.url
    assert run_cli(["--db", url, "users", "list"]) == 0
    assert "clerk" in capsys.readouterr().out
    assert run_cli(["--db", url, "tasks", "list"]) == 0
    assert run_cli(["--db", url, "audit", "verify"]) == 0


def test_changing_data_without_credentials_exits_2_in_chinese(county, capsys, tmp_path):
    code = run_cli(["--db", county.url, "draw", "run", "--task", "1", "--witness", "01234567890123456789",
                    "--out", str(tmp_path / "包")])
    assert code == 2 and "须以账户身份进行" in capsys.readouterr().err
    assert not (tmp_path / "包").exists()


def test_a_wrong_password_exits_2(county, capsys, monkeypatch):
    log_in_cli_as(monkeypatch, "admin", "not-the-password")
    assert run_cli(["--db", county.url, "users", "deactivate", "clerk"]) == 2
    assert "用户名或密码不对" in capsys.readouterr().err
    assert all(r.active for r in users.list_users(county))


def test_user_flag_with_the_password_from_the_environment(county, capsys, monkeypatch):
    monkeypatch.setenv("SHUANGSUIJI_PASSWORD", "demo1234")
    monkeypatch.setenv("SHUANGSUIJI_NEW_PASSWORD", "first-pass")
    url = county.url
    assert run_cli(["--db", url, "--user", "admin", "users", "add", "zhaoliu", "--name", "赵六",
                    "--role", "经办人", "--role", "reviewer"]) == 0
    assert "首次登录须修改密码" in capsys.readouterr().out
    [row] = [r for r in users.list_users(county) if r.username == "zhaoliu"]
    assert row.roles_text == "经办人、审核人" and row.must_change_password


def test_a_clerk_is_refused_user_management(county, capsys, monkeypatch):
    log_in_cli_as(monkeypatch, "clerk")
    monkeypatch.setenv("SHUANGSUIJI_NEW_PASSWORD", "first-pass")
    assert run_cli(["--db", county.url, "users", "add", "x", "--name", "某人", "--role", "clerk"]) == 2
    assert "没有管理员权限" in capsys.readouterr().err


def test_reset_then_the_user_must_change_before_acting(county, capsys, monkeypatch, tmp_path):
    url = county.url
    log_in_cli_as(monkeypatch, "admin")
    monkeypatch.setenv("SHUANGSUIJI_NEW_PASSWORD", "temporary1")
    assert run_cli(["--db", url, "users", "reset-password", "clerk"]) == 0
    log_in_cli_as(monkeypatch, "clerk", "temporary1")
    code = run_cli(["--db", url, "draw", "run", "--task", "1", "--witness", "01234567890123456789",
                    "--out", str(tmp_path / "包")])
    assert code == 2 and "users passwd" in capsys.readouterr().err
    monkeypatch.setenv("SHUANGSUIJI_NEW_PASSWORD", "clerk-own-pw")
    assert run_cli(["--db", url, "users", "passwd"]) == 0
    log_in_cli_as(monkeypatch, "clerk", "clerk-own-pw")
    assert run_cli(["--db", url, "draw", "run", "--task", "1", "--witness", "01234567890123456789",
                    "--out", str(tmp_path / "包")]) == 0


def test_deactivate_and_roles(county, capsys, monkeypatch):
    log_in_cli_as(monkeypatch, "admin")
    assert run_cli(["--db", county.url, "users", "roles", "reviewer", "--role", "审核人", "--role", "监督员"]) == 0
    assert run_cli(["--db", county.url, "users", "deactivate", "clerk"]) == 0
    assert run_cli(["--db", county.url, "users", "list", "--json"]) == 0
    out = capsys.readouterr().out
    assert '"active": false' in out and '"监督员"' in out
    with pytest.raises(SystemExit) as refused:  # argparse's own exit, with the Chinese line
        run_cli(["--db", county.url, "users", "roles", "reviewer", "--role", "组长"])
    assert refused.value.code == 2 and "没有“组长”这个角色" in capsys.readouterr().err


def test_audit_verify_prints_the_head_and_checks_an_earlier_one(county, capsys):
    url = county.url
    assert run_cli(["--db", url, "audit", "verify"]) == 0
    head = capsys.readouterr().out.splitlines()[0]
    seq = int(head.split(":")[0])
    assert seq >= 2 and len(head.split(":")[1]) == 64
    assert run_cli(["--db", url, "audit", "verify", "--head", head]) == 0
    capsys.readouterr()
    with county.session() as session:
        session.execute(delete(AuditEntry).where(AuditEntry.seq == seq))
    assert run_cli(["--db", url, "audit", "verify"]) == 0  # the shortened chain holds by itself
    capsys.readouterr()
    assert run_cli(["--db", url, "audit", "verify", "--head", head]) == 1
    captured = capsys.readouterr()
    assert captured.out.startswith(f"{seq - 1}:") and f"第 {seq} 号记录" in captured.err and "缺失" in captured.err
    assert run_cli(["--db", url, "audit", "verify", "--head", "not-a-head"]) == 2
