"""`server …` refusals: exit 2 with a Chinese line, nothing made."""

from __future__ import annotations

import pytest

from app.cli import run_cli


@pytest.mark.parametrize("arguments, message", [
    (["server", "init", "--listen", "192.168.1"], "不是 IPv4 地址"),
    (["server", "init", "--listen", "0.0.0.0"], "不能作为服务器地址"),
    (["server", "init", "--listen", "127.0.0.1", "--subnet", "10.0.0.0/8"], "不在网段"),
    (["server", "init", "--listen", "127.0.0.1", "--subnet", "十网段"], "网段"),
    (["server", "init", "--listen", "203.0.113.77"], "本机没有地址 203.0.113.77"),
    (["server", "status"], "没有本程序建立的服务器"),
    (["server", "connection-info"], "没有本程序建立的服务器"),
])
def test_refusals_exit_2_in_chinese(arguments, message, capsys, tmp_path):
    assert run_cli([*arguments, "--data", str(tmp_path / "srv")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and message in err
    assert not (tmp_path / "srv").exists()


def test_a_folder_with_files_in_it_is_refused(tmp_path, capsys):
    (tmp_path / "srv").mkdir()
    (tmp_path / "srv" / "照片.jpg").write_bytes(b"x")
    assert run_cli(["server", "init", "--listen", "127.0.0.1", "--data", str(tmp_path / "srv")]) == 2
    assert "不是空的" in capsys.readouterr().err
    assert [p.name for p in (tmp_path / "srv").iterdir()] == ["照片.jpg"]
