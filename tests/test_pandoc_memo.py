"""The preview's in-memory pandoc memo: the same conversion is answered without running pandoc again;
a change to the input or to a file an argument names (a Lua filter, a bibliography) runs it again."""
from __future__ import annotations

from pathlib import Path

import pytest

from dhr_kit.tools import pandoc


@pytest.fixture
def memo(monkeypatch):
    runs: list[list[str]] = []
    pandoc.pandoc_path()  # its version check runs once per process: not counted
    real = pandoc.subprocess.run

    def counting(command, *args, **kwargs):
        runs.append(list(command))
        return real(command, *args, **kwargs)

    monkeypatch.setattr(pandoc.subprocess, "run", counting)
    kept = pandoc.PandocMemo()
    pandoc.keep_answers(kept)
    yield kept, runs
    pandoc.keep_answers(None)


def test_same_conversion_is_answered_from_memory(memo) -> None:
    kept, runs = memo
    first = pandoc.run_pandoc("Some *text*.", ["--from", "markdown", "--to", "html5"])
    second = pandoc.run_pandoc("Some *text*.", ["--from", "markdown", "--to", "html5"])
    assert first == second == "<p>Some <em>text</em>.</p>\n"
    assert len(runs) == 1 and kept.hits == 1
    pandoc.run_pandoc("Other *text*.", ["--from", "markdown", "--to", "html5"])
    assert len(runs) == 2


def test_a_changed_filter_file_runs_pandoc_again(memo, tmp_path: Path) -> None:
    _, runs = memo
    lua = tmp_path / "f.lua"
    lua.write_text("function Str(s) s.text = s.text:upper() return s end\n", encoding="utf-8")
    args = ["--from", "markdown", "--to", "plain", "--lua-filter", str(lua)]
    assert pandoc.run_pandoc("hello", args).strip() == "HELLO"
    lua.write_text("function Str(s) s.text = s.text .. '!' return s end\n", encoding="utf-8")
    assert pandoc.run_pandoc("hello", args).strip() == "hello!"
    assert len(runs) == 2


def test_conversions_that_write_files_are_never_kept(memo, tmp_path: Path) -> None:
    kept, runs = memo
    out = tmp_path / "a.html"
    for _ in range(2):
        pandoc.run_pandoc("x", ["--from", "markdown", "--to", "html5", "-o", str(out)])
    assert len(runs) == 2 and not kept.entries
