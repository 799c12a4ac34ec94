"""The CLI called with argument lists: exit codes and messages, never a traceback."""
from __future__ import annotations

import pytest

from dhr_kit import cli


def test_usage_errors_exit_2(capsys) -> None:
    with pytest.raises(SystemExit) as info:
        cli.main(["render", "--to", "epub"])
    assert info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_missing_project_is_bad_input(tmp_path, capsys) -> None:
    assert cli.main(["check", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "_quarto.yml" in err and "dhr new" in err and "Traceback" not in err


def test_a_bug_in_dhr_kit_is_reported_as_such_without_a_traceback(monkeypatch, tmp_path, capsys) -> None:
    def broken(args):
        raise KeyError("boom")

    import dhr_kit.qa.commands as commands

    monkeypatch.setattr(commands, "cmd_check", broken)
    monkeypatch.delenv("DHR_DEBUG", raising=False)
    assert cli.main(["check", str(tmp_path)]) == cli.INTERNAL_ERROR
    err = capsys.readouterr().err
    assert "internal error KeyError" in err and "bug in dhr-kit" in err and "Traceback" not in err
    monkeypatch.setenv("DHR_DEBUG", "1")
    with pytest.raises(KeyError):
        cli.main(["check", str(tmp_path)])
