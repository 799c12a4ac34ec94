"""The checks that still run when the review's input is bad: so that one run reports the input problems
*and* the chapters' language findings, instead of the author fixing the data only to meet a second list."""
from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..project import load_project
from .document import load_document
from .findings import Finding
from .language import lint_segments, suppression_findings
from .run import finalize


def chapter_language_findings(root: Path | str) -> list[Finding]:
    """Language findings in every chapter that can be read; [] when even `_quarto.yml` cannot be."""
    try:
        project = load_project(root)
    except InputError:
        return []
    from ..render.notebook import parse_chapter

    documents = []
    for ref in project.chapters:
        if not ref.path.is_file():
            continue
        try:
            parse_chapter(ref.path, ref.rel)  # a chapter `dhr render` cannot read is an input problem
            documents.append(load_document(ref.path, ref.rel, appendix=ref.appendix))
        except (InputError, OSError, UnicodeDecodeError):
            continue
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
