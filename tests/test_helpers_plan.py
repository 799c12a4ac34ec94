"""Recommendations, action plan, QA letter and tracker, executive summary."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "helpers"))
from dhr_helper_fixtures import assert_golden, small_data, small_review, helper_env, review  # noqa: E402,F401

from dhr_kit.errors import InputError  # noqa: E402
from dhr_kit.helpers import action_plan, executive_summary, qa_letter, qa_responses, recommendations  # noqa: E402
from dhr_kit.helpers.qaletter import PAGE_ALT  # noqa: E402




@pytest.mark.parametrize("name, build", [
    ("recommendations_by_scope", lambda r: recommendations(r)),
    ("recommendations_by_agency", lambda r: recommendations(r, by="agency")),
    ("action_plan", lambda r: action_plan(r)),
    ("qa_responses", lambda r: qa_responses(r)),
    ("executive_summary", lambda r: executive_summary(r)),
])
def test_golden(name, build, review) -> None:
    assert_golden(name, str(build(review)))


def test_recommendations_are_one_captioned_table_in_scope_order(review) -> None:
    by_scope = str(recommendations(review))
    assert by_scope.index("| R1 | Northshire Police | Local |") < by_scope.index("| National |")
    assert "Regional" not in by_scope
    assert "| R1 | Northshire Police | Local | Northshire Police to complete DVDS requests within 28 days | ToR1 |" \
        in by_scope
    assert by_scope.count(": The review's recommendations {#tbl-recommendations}") == 1
    compact = str(recommendations(review, compact=True, label="tbl-es-recommendations"))
    assert "| ID | Agency | Recommendation |" in compact and "{#tbl-es-recommendations}" in compact
    with pytest.raises(InputError):
        recommendations(review, by="tor")


def test_action_plan_is_a_live_document_with_progress_and_updates(review) -> None:
    text = str(action_plan(review))
    assert text.startswith("This action plan is a live document: it is subject to change as outcomes are delivered")
    assert "Progress: 2 actions — 1 completed, 1 in progress." in text
    assert "| Audit DVDS requests | Head of Public Protection | Audit by December 2025 | June 2026 | In progress |" in text
    assert ": Actions for recommendation R1 {#tbl-actions-r1}" in text
    assert "- 10 February 2026: Audit completed." in text
    assert "**R2** (national; lead agency: Calderbrook Community Safety Partnership)." in text


def test_action_plan_flags_a_recommendation_without_actions(tmp_path) -> None:
    data = small_data()
    data["action_plan"] = data["action_plan"][:1]
    text = str(action_plan(small_review(tmp_path, data)))
    assert "Progress: 1 action — 1 in progress." in text
    assert "No action has been recorded for this recommendation yet." in text


def test_executive_summary_facts(review) -> None:
    text = str(executive_summary(review))
    assert "- **Anna**, the victim, aged 38" in text and "- **Leo**, Anna's son" in text
    assert "Anna died in March 2024. Three agencies had contact" in text
    assert "The chronology covers February 2021 to August 2023 (4 events)." in text
    assert "The review makes 2 recommendations (1 local, 1 national)." in text
    assert "- Criminal proceedings: Concluded — Convicted of murder later in 2024." in text


def test_qa_responses_empty(tmp_path) -> None:
    data = small_data()
    data["qa_tracker"] = []
    assert str(qa_responses(small_review(tmp_path, data))) == "No points from the QA Panel have been recorded yet.\n"


def _with_letter(tmp_path: Path, name: str, content: bytes | str):
    data = small_data()
    data["metadata"]["qa_letter"] = name
    (tmp_path / "data").mkdir(exist_ok=True)
    target = tmp_path / "data" / name
    target.write_bytes(content if isinstance(content, bytes) else content.encode())
    return small_review(tmp_path, data)


def test_qa_letter_pending_in_draft_required_when_publishing(review, monkeypatch) -> None:
    assert "will be added here once it has been received" in str(qa_letter(review))
    monkeypatch.setenv("DHR_PUBLISH", "1")
    with pytest.raises(InputError) as err:
        qa_letter(review)
    assert (err.value.problems[0].file, err.value.problems[0].key) == ("data/review.yml", "qa_letter")


def test_qa_letter_missing_file(tmp_path) -> None:
    data = small_data()
    data["metadata"]["qa_letter"] = "qa-letter.md"
    with pytest.raises(InputError) as err:
        qa_letter(small_review(tmp_path, data))
    assert "data/qa-letter.md does not exist" in str(err.value)


def test_qa_letter_markdown_headings_become_bold(tmp_path) -> None:
    """The letter's headings stay out of the report's outline; a salutation marked as a heading is a
    plain paragraph; the letter is in a {.qa-letter} div (others' words for the checks)."""
    review = _with_letter(tmp_path, "qa-letter.md", "# Dear Chair\n\nThe panel met.\n\n## Areas for final development\n\n- Add a preface.\n")
    assert str(qa_letter(review)) == ("::: {.qa-letter}\nDear Chair\n\nThe panel met.\n\n**Areas for final development**"
                                      "\n\n- Add a preface.\n:::\n")


def test_qa_letter_text_keeps_line_breaks(tmp_path) -> None:
    review = _with_letter(tmp_path, "qa-letter.txt", "Home Office\n2 Some Street\n\nDear Chair, *thanks*.\n")
    assert str(qa_letter(review)) == "::: {.qa-letter}\nHome Office  \\\n2 Some Street\n\nDear Chair, \\*thanks\\*.\n:::\n"


LETTER_FROM_A_WEB_PAGE = """Unit 1 Some Street London SW1A 1AA

## Dear Cllr Jones,

The Panel met on 25<sup>th</sup> October 2025.

## **Areas for final development:**

- The term 'toxic trio' is used.
- GP practices should need robust processes in place
  that reach the practice.

Please send it to <a href="mailto:team@example.gov.uk">team@example.gov.uk</a> or see
<a href="https://www.gov.uk/x">the guidance</a> &amp; reply.
"""


def test_qa_letter_text_from_a_web_page_shows_no_markup(tmp_path) -> None:
    text = str(qa_letter(_with_letter(tmp_path, "qa-letter.txt", LETTER_FROM_A_WEB_PAGE)))
    assert "Dear Cllr Jones," in text and "## " not in text and "**Dear" not in text
    assert "25^th^ October 2025" in text and "<sup>" not in text
    assert "**Areas for final development:**" in text and "****" not in text
    assert "- The term 'toxic trio' is used.\n- GP practices should need robust processes in place that reach the practice." in text
    assert "<team@example.gov.uk>" in text and "[the guidance](https://www.gov.uk/x)" in text and "<a href" not in text
    assert "&amp;" not in text and " & reply" in text


def _two_page_pdf() -> bytes:
    import io

    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure

    buffer = io.BytesIO()
    with PdfPages(buffer) as pdf:
        for text in ("Areas for final development", "Yours sincerely"):
            fig = Figure(figsize=(8.27, 11.69))
            fig.text(0.1, 0.9, text)
            pdf.savefig(fig)
    return buffer.getvalue()


def test_qa_letter_pdf_pages_as_images_with_alt_and_text(tmp_path) -> None:
    import shutil

    review = _with_letter(tmp_path, "qa-letter.pdf", _two_page_pdf())
    text = str(qa_letter(review))
    assert "Areas for final development" in text and "Yours sincerely" in text
    if shutil.which("pdftoppm"):
        for n in (1, 2):
            alt = PAGE_ALT.format(n=n)
            assert f'![{alt}](.dhr-cache/figures/qa-letter-page-{n}-' in text and f'fig-alt="{alt}"' in text
        assert len(list((tmp_path / ".dhr-cache" / "figures").glob("qa-letter-page-*.png"))) == 2
        assert '::: {.content-visible when-format="html"}' in text
