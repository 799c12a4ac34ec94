"""The chapter-source layer: each chapter file is parsed once per process and shared by render and QA."""
from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest

from dhr_kit.errors import InputError
from dhr_kit.qa import check
from dhr_kit.qa.document import load_document
from dhr_kit.source import clear_cache, read_chapter, reader

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def parses(monkeypatch) -> Counter:
    clear_cache()
    counted: Counter = Counter()
    parse = reader._parse

    def counting(data, path, rel):
        counted[rel] += 1
        return parse(data, path, rel)

    monkeypatch.setattr(reader, "_parse", counting)
    yield counted
    clear_cache()


def test_check_then_render_parse_each_chapter_once(parses):
    check(ROOT)
    check(ROOT)  # e.g. the render's own QA gate after `dhr check` in one process
    from dhr_kit.project import load_project

    for ref in load_project(ROOT).chapters:
        read_chapter(ref.path, ref.rel)  # what the renderer reads
    assert parses and set(parses.values()) == {1}, parses


def test_a_changed_file_is_parsed_again_even_with_the_same_mtime(parses, tmp_path):
    path = tmp_path / "c.qmd"
    path.write_text("# A\n\n```{python}\n1\n```\n", encoding="utf-8")
    first = read_chapter(path, "c.qmd")
    assert read_chapter(path, "c.qmd") is first
    stamp = path.stat().st_mtime_ns
    path.write_text("# B\n\n```{python}\n2\n```\n", encoding="utf-8")
    os.utime(path, ns=(stamp, stamp))
    assert read_chapter(path, "c.qmd").code_cells[0].source == "2"
    assert parses["c.qmd"] == 2


def test_problems_are_remembered_and_reported_each_time(parses, tmp_path):
    path = tmp_path / "c.qmd"
    path.write_text("# A\n\n```{python}\n#| echo: [\n1\n```\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(InputError) as info:
            read_chapter(path, "c.qmd")
        assert info.value.problems[0].line == 4
    assert parses["c.qmd"] == 1


def test_the_checks_read_the_renderers_tokens_and_options(parses, tmp_path):
    path = tmp_path / "c.qmd"
    path.write_text("---\ntitle: T\n---\n\n::: {.quote}\nHer words.\n:::\n\n```{python}\n#| fig-cap: \"A\"\nx()\n```\n",
                    encoding="utf-8")
    chapter = read_chapter(path, "c.qmd")
    document = load_document(path, "c.qmd")
    assert parses["c.qmd"] == 1
    assert [s.title for s in document.sections] == ["T"]
    assert [s.kind for s in document.segments] == ["quote"]
    assert document.cells[0].options == chapter.code_cells[0].options == {"fig-cap": "A"}
    assert [c.name for c in document.calls] == ["x"]
