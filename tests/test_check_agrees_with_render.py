"""`dhr check` runs every validation a helper raises at render time (helpers/validation.py), for the
helpers the chapters call, so a project that `dhr check --publish` passes is not refused by a helper
during `dhr render --publish` — and the problems are the very ones the helper raises."""
from __future__ import annotations

from pathlib import Path

import pytest

from dhr_kit.errors import InputError
from dhr_kit.helpers import parallel_reviews
from dhr_kit.loader import load_review
from dhr_kit.qa import check
from qa_fixtures import materialise

CALL = "\n```{python}\nfrom dhr_kit import parallel_reviews\nparallel_reviews()\n```\n"


def _calling_parallel_reviews(tmp_path: Path) -> Path:
    project = materialise(None, tmp_path)[0]
    chapter = project / "chapters" / "01-introduction.qmd"
    chapter.write_text(chapter.read_text(encoding="utf-8") + CALL, encoding="utf-8")
    return project


def test_check_publish_refuses_what_the_helper_refuses_at_render(tmp_path: Path, monkeypatch) -> None:
    project = _calling_parallel_reviews(tmp_path)
    with pytest.raises(InputError) as checked:
        check(project, publish=True)
    monkeypatch.setenv("DHR_PUBLISH", "1")
    with pytest.raises(InputError) as rendered:
        parallel_reviews(load_review(project))
    assert checked.value.problems == rendered.value.problems
    keys = [(p.file, p.key) for p in checked.value.problems]
    assert ("data/parallel_reviews.yml", "cspr") in keys  # the missing Child Safeguarding Practice Review decision


def test_a_draft_check_accepts_what_a_draft_render_accepts(tmp_path: Path, monkeypatch) -> None:
    project = _calling_parallel_reviews(tmp_path)
    check(project)  # no decision is needed yet for a draft: the helper shows "No decision recorded yet"
    monkeypatch.delenv("DHR_PUBLISH", raising=False)
    assert "No decision recorded yet" in str(parallel_reviews(load_review(project)))


def test_a_helper_the_chapters_do_not_call_is_not_validated(tmp_path: Path) -> None:
    project = materialise(None, tmp_path)[0]
    check(project, publish=True)  # the base review never calls parallel_reviews()
