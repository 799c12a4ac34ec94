"""One finding per problem: a problem in a rendered page that is also in an executed chapter is left to
the checks that report it at its source line; one only the output holds is reported at its chapter and
section (dhr_kit.qa.outputmap)."""
from __future__ import annotations

from pathlib import Path

from dhr_kit.qa import check_outputs
from dhr_kit.qa.outputmap import OutputMap, normalise

EXECUTED = {"chapters/02-facts.qmd": "# Background\n\nBeth lived in Westvale.\n\n## Overview\n\n"
                                     "Her mobile, 07700 900123, was in the *IMR*.\n"}
PAGE = ("<html><body><h1>2 Background</h1><p>Beth lived in Westvale.</p><h2>2.1 Overview</h2>"
        "<p>Her mobile, 07700 900123, was in the <em>IMR</em>.</p>"
        "<footer>Printed for the panel, office at WV3 7QT</footer></body></html>")


def _outputs(tmp_path: Path) -> Path:
    out = tmp_path / "_book"
    out.mkdir()
    (out / "02-facts.html").write_text(PAGE, encoding="utf-8")
    return out


def test_a_problem_also_in_a_chapter_is_reported_once_at_its_source(tmp_path: Path) -> None:
    out = _outputs(tmp_path)
    without = {(f.rule, f.file) for f in check_outputs(tmp_path, out, publish=True).findings}
    assert {("DHR-A007", "_book/02-facts.html"), ("DHR-A006", "_book/02-facts.html")} <= without
    found = check_outputs(tmp_path, out, publish=True, executed=EXECUTED).findings
    assert [f.rule for f in found] == ["DHR-A006"]  # the phone number is the chapter's: check reports it there
    postcode = found[0]
    assert (postcode.file, postcode.line) == ("chapters/02-facts.qmd", 5)  # the Overview section's heading
    assert "only in _book/02-facts.html: chapter 'Background', section 'Overview'" in postcode.message
    assert "page" not in postcode.message


def test_normalised_text_ignores_markup_quotes_and_line_breaks() -> None:
    assert normalise("Anna’s *own*\nwords") == normalise("anna's own words")
    omap = OutputMap(EXECUTED)
    assert omap.known("07700\n900123") and not omap.known("WV3 7QT")
    assert omap.chapter_of_page("02-facts") == "chapters/02-facts.qmd"
