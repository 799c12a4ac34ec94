"""The QA Panel's letter as the checks see it in its annex: the letter's text as ``qa_letter()`` renders
it (in a ``{.qa-letter}`` div), checked by the language, anonymity and evidence rules as a chapter is.
The language and evidence rules skip the letter (the Panel's words, not the author's, quoting the very
phrases it criticises); the anonymity rules apply, accepting a public body's contact details in the
letterhead and address block (see :func:`.anonymity.letterhead`)."""
from __future__ import annotations

from ..helpers.letter_text import markdown_letter, text_letter
from .anonymity import segment_identifier_findings
from .document import parse_document
from .evidence import claim_findings
from .findings import Finding
from .language import lint_segments


def letter_markdown(text: str, suffix: str = ".txt") -> str:
    """The annex's Markdown for a letter's text (.md, or .txt and text taken from a PDF)."""
    body = markdown_letter(text) if suffix.lower() == ".md" else text_letter(text)
    return f"::: {{.qa-letter}}\n{body}\n:::\n"


def letter_findings(text: str, file: str = "data/qa-letter.txt") -> list[Finding]:
    """The findings the letter's text would draw in its annex."""
    suffix = "." + file.rsplit(".", 1)[-1] if "." in file else ".txt"
    doc = parse_document(letter_markdown(text, suffix), file)
    found = lint_segments(file, doc.prose)
    found += segment_identifier_findings(file, doc.segments)
    found += claim_findings(file, [s for s in doc.segments if s.kind == "prose"])
    return found
