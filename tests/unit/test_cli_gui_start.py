"""`python -m app` without a command opens the GUI, its options read without the commands' parsers;
anything else is read by the full parser, as before."""

from __future__ import annotations

import pytest

from app.cli import build_parser, gui_arguments, run_cli


@pytest.mark.parametrize("argv", [[], ["--demo"], ["--db", "sqlite:///x.sqlite3"], ["--db=sqlite:///x.sqlite3", "--demo"],
                                  ["--user", "clerk"], ["--dem"]])
def test_a_start_without_a_command_reads_as_the_full_parser_reads_it(argv):
    quick = gui_arguments(argv)
    assert quick is not None and quick.command is None
    assert vars(quick) == vars(build_parser().parse_args(argv))


@pytest.mark.parametrize("argv", [["tasks", "list"], ["--demo", "tasks", "list"], ["--db", "x", "db", "current"],
                                  ["--help"], ["-h"], ["--demo", "--no-such-option"], ["--d"], ["--db"]])
def test_commands_help_and_mistakes_are_left_to_the_full_parser(argv):
    assert gui_arguments(argv) is None


def test_a_mistake_is_still_reported_in_chinese_with_the_commands_usage(capsys):
    with pytest.raises(SystemExit) as stopped:
        run_cli(["--demo", "--no-such-option"])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "参数错误" in err and "命令 ..." in err
