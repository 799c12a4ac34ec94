"""No active content: raw HTML in prose is made inert (drafts) or refused (publication); comments vanish.

Cases are data (tests/fixtures/active/cases.yml); each is parsed and written by the real pandoc."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from dhr_kit.render.activecontent import neutralise, publication_problems
from dhr_kit.tools.pandoc import run_pandoc

CASES = yaml.safe_load((Path(__file__).parent / "fixtures" / "active" / "cases.yml").read_text(encoding="utf-8"))
ACTIVE = re.compile(r"<script|<iframe|\son\w+\s*=|javascript:", re.IGNORECASE)


def _html(markdown: str) -> tuple[str, int]:
    doc = json.loads(run_pandoc(markdown, ["--from", "markdown", "--to", "json"]))
    found = neutralise(doc["blocks"], publish=False)
    return run_pandoc(json.dumps(doc), ["--from", "json", "--to", "html5"]), len(found)


@pytest.mark.parametrize("case", CASES, ids=[c["about"] for c in CASES])
def test_published_html_has_no_active_content(case: dict) -> None:
    html, inert = _html(case["markdown"])
    outside_code = re.sub(r"<code[^>]*>.*?</code>", "", html, flags=re.DOTALL)  # code shows it, inertly
    assert not ACTIVE.search(outside_code), html
    assert inert == case["inert"], html
    for text in case.get("absent", []):
        assert text not in html
    for text in case.get("present", []):
        assert text in html


def test_publication_problem_names_the_line(tmp_path: Path) -> None:
    chapter = tmp_path / "c.qmd"
    chapter.write_text("# Title\n\nFine.\n\nAnd <img src=x onerror=alert(1)> here.\n", encoding="utf-8")
    doc = json.loads(run_pandoc(chapter.read_text(), ["--from", "markdown", "--to", "json"]))
    problems = publication_problems(neutralise(doc["blocks"], publish=True), chapter, "chapters/c.qmd")
    assert [(p.file, p.line) for p in problems] == [("chapters/c.qmd", 5)]
