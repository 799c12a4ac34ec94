"""Drafts that circulate: a draft is built despite open QA errors, which are listed on a
"Draft: open QA findings" page at the front of every draft output. What still stops a draft: bad input,
a cell error, and a missing required section (a report without them is not a draft of a review)."""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .book import BookChapter

if TYPE_CHECKING:
    from ..qa.findings import Finding

FINDINGS_TITLE = "Draft: open QA findings"
FINDINGS_SLUG = "draft-open-qa-findings"
FINDINGS_REL = f"_{FINDINGS_SLUG}.md"  # not a file: the page is generated, never written to the project

# A report without these sections cannot circulate as a draft of the review (DESIGN: "a missing required
# section stops it"): the model layout's sections, the executive summary, the action plan and the preface.
STOPS_A_DRAFT = frozenset({"DHR-S001", "DHR-S002", "DHR-S003", "DHR-S007"})


def stops_a_draft(finding: Finding) -> bool:
    return finding.severity == "error" and finding.rule in STOPS_A_DRAFT


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~^$@])")  # an entry never starts a line: "-", "#" are safe


def _escape(text: str) -> str:
    """Plain text for pandoc Markdown: no emphasis, links, citations or raw HTML from a message."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def findings_markdown(findings: Iterable[Finding]) -> str:
    """The findings page: one entry per open error, grouped by file, each with its location and fix."""
    findings = list(findings)
    count = len(findings)
    lines = [f"# {FINDINGS_TITLE} {{#sec-{FINDINGS_SLUG} .unnumbered}}", "",
             f"This draft has {count} open QA finding{'s' if count != 1 else ''} that must be resolved before "
             "publication. They are listed here so that the panel can discuss them; `dhr render --publish` "
             "refuses to build the report until each is fixed.", ""]
    by_file: dict[str, list[Finding]] = {}
    for finding in findings:
        by_file.setdefault(finding.file, []).append(finding)
    for file, items in by_file.items():
        lines += [f"**{_escape(file)}**", ""]
        for f in items:
            place = f"cell {f.cell}, line {f.line}" if f.cell is not None else f"line {f.line}"
            entry = f"- `{f.rule}` {place}: {_escape(f.message)}"
            if f.suggestion:
                entry += f" — {_escape(f.suggestion)}"
            lines.append(entry)
        lines.append("")
    return "\n".join(lines)


def findings_chapter(findings: Iterable[Finding]) -> BookChapter:
    """The page that goes at the front of a draft (before the first chapter, after the title page)."""
    from .pandoc_ast import read_markdown

    markdown = findings_markdown(findings)
    # Its AST as well, like every chapter from the renderer (a Book whose chapters all carry one is written
    # from the ASTs as they are, without a Markdown round trip of the others).
    return BookChapter(rel=FINDINGS_REL, markdown=markdown, title=FINDINGS_TITLE, slug=FINDINGS_SLUG, number=None,
                       blocks=read_markdown(markdown))
