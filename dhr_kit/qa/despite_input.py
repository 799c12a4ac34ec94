"""The checks that still run when the review's input is bad: so that one run reports the input problems
*and* the chapters' language findings, instead of the author fixing the data only to meet a second list."""
from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..project import load_project
from .document import chapter_document
from .findings import Finding
from .language import lint_segments, suppression_findings
from .run import finalize


def chapter_language_findings(root: Path | str) -> list[Finding]:
    """Language findings in every chapter that can be read; [] when even `_quarto.yml` cannot be."""
    try:
        project = load_project(root)
    except InputError:
        return []
    from .workspace import read_chapters

    chapters, _ = read_chapters(project)  # a chapter `dhr render` cannot read is an input problem: left out
    appendix = {ref.rel: ref.appendix for ref in project.chapters}
    documents = [chapter_document(chapter, appendix=appendix[chapter.rel]) for chapter in chapters]
    findings: list[Finding] = []
    for doc in documents:
        findings += lint_segments(doc.file, doc.prose)
        findings += suppression_findings(doc)
    from .config import severity_overrides

    try:
        overrides = severity_overrides(project.dhr)
    except InputError:
        overrides = {}
    return finalize(findings, documents=documents, overrides=overrides, strict=False)
