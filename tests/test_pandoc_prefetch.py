"""pandoc_ast.Prefetch: a read started early is the read the book pass gets (pandoc runs once per text),
and a failed early read fails again, with pandoc's message, where the text is read."""
from __future__ import annotations

import pytest

from dhr_kit.errors import ToolError
from dhr_kit.render import pandoc_ast
from dhr_kit.tools import pandoc


@pytest.fixture
def runs(monkeypatch):
    seen: list[bytes] = []
    pandoc.pandoc_path()  # its version check is not counted
    real = pandoc.subprocess.run

    def counting(command, *args, **kwargs):
        seen.append(kwargs.get("input") or b"")
        return real(command, *args, **kwargs)

    monkeypatch.setattr(pandoc.subprocess, "run", counting)
    return seen


def test_an_early_read_is_the_read_used(runs) -> None:
    text = "# Prefetched heading {#sec-prefetch}\n\nSome *text* read early.\n"
    with pandoc_ast.Prefetch() as reads:
        reads.read(text)
        reads.read(text)  # started once
        blocks = pandoc_ast.read_markdown(text)
    assert blocks[0]["t"] == "Header" and blocks[0]["c"][1][0] == "sec-prefetch"
    assert runs.count(text.encode()) == 1
    assert not pandoc_ast._pending  # nothing left behind once closed


def test_a_failed_early_read_fails_where_it_is_read(monkeypatch) -> None:
    text = "A text pandoc is made to refuse.\n"
    real = pandoc.subprocess.run

    def failing(command, *args, **kwargs):
        if kwargs.get("input") == text.encode():
            raise OSError("no such pandoc")
        return real(command, *args, **kwargs)

    monkeypatch.setattr(pandoc.subprocess, "run", failing)
    with pandoc_ast.Prefetch() as reads:
        reads.read(text)
        with pytest.raises(ToolError, match="cannot run pandoc"):
            pandoc_ast.read_markdown(text)
