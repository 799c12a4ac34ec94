"""Markdown building blocks: escaping data-driven text, pipe tables, the Markdown object."""
from __future__ import annotations

import pytest

from dhr_kit.helpers.markdown import Markdown, Raw, callout, escape, escape_paragraphs, pipe_table, sentence

ESCAPES = [
    ("plain text, with commas.", "plain text, with commas."),
    ("a|b", "a\\|b"),
    ("*bold* and _under_", "\\*bold\\* and \\_under\\_"),
    ("<b>tag</b>", "\\<b\\>tag\\</b\\>"),
    ("see @fig-x and $5", "see \\@fig-x and \\$5"),
    ("[link](x)", "\\[link\\](x)"),
    ("1. not a list", "1\\. not a list"),
    ("- not a bullet", "\\- not a bullet"),
    ("# not a heading", "\\# not a heading"),
    ("Anna's son\nlived with her", "Anna's son lived with her"),
    ("back\\slash", "back\\\\slash"),
]


@pytest.mark.parametrize("text, expected", ESCAPES)
def test_escape(text: str, expected: str) -> None:
    assert escape(text) == expected


def test_escape_paragraphs_keeps_blank_line_breaks() -> None:
    assert escape_paragraphs("One *a*\nline.\n\n\nTwo.") == "One \\*a\\* line.\n\nTwo."


def test_sentence_adds_a_full_stop_once() -> None:
    assert sentence("Done") == "Done."
    assert sentence("Done.") == "Done."
    assert sentence("Why?") == "Why?"


def test_pipe_table_escapes_cells_and_uses_widths() -> None:
    table = pipe_table(["A", "B"], [("x|y", Raw("**bold**")), ("", "z")], widths=[4, 6])
    assert table == "| A | B |\n|:---|:-----|\n| x\\|y | **bold** |\n|   | z |"


def test_pipe_table_caption() -> None:
    assert pipe_table(["A"], [("1",)], caption="Cap_tion").endswith("\n\n: Cap\\_tion")


def test_callout_and_markdown_object() -> None:
    block = Markdown(callout("Body"))
    assert block._repr_markdown_() == "::: {.callout-note}\nBody\n:::\n"
    assert str(block) == block._repr_markdown_()
    assert str(Markdown("a") + Markdown("b")) == "a\n\nb\n"


def test_pipe_table_caption_with_label_is_quarto_style() -> None:
    from dhr_kit.helpers.markdown import pipe_table

    assert pipe_table(["A"], [["x"]], caption="Some things", label="tbl-things").endswith(
        "\n\n: Some things {#tbl-things}")
    with pytest.raises(ValueError):
        pipe_table(["A"], [["x"]], caption="Some things", label="things")


@pytest.mark.parametrize("text, expected", [
    ("Specification by 2025-12; go-live by 2026-05", "Specification by December 2025; go-live by May 2026"),
    ("Reviewed on 2026-01-03.", "Reviewed on 3 January 2026."),
    ("Police IMR 4.16 and 2026-13 and ToR-2021-05", "Police IMR 4.16 and 2026-13 and ToR-2021-05"),
])
def test_humanise_dates_gives_the_report_one_date_style(text: str, expected: str) -> None:
    from dhr_kit.helpers.dates import humanise_dates

    assert humanise_dates(text) == expected


@pytest.mark.parametrize("name, role, same", [
    ("Head of Public Protection (Northshire)", "Head of Public Protection", True),
    ("Principal Social Worker, Adults", "Principal Social Worker for Adults", True),
    ("Head of Safeguarding", "Head of Safeguarding", True),
    ("Dr Ruth Adeyemi", "Independent Chair and Author", False),
    ("Detective Chief Inspector, Public Protection", "Head of Public Protection Unit", False),
])
def test_panel_member_shown_once_when_name_is_the_role(name: str, role: str, same: bool) -> None:
    from dhr_kit.helpers.panel import same_title

    assert same_title(name, role) is same
