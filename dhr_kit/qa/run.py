"""Running the checks: on sources + data (``check``), on executed chapters (``check_book``), on the
rendered outputs (``check_outputs``); and the readiness gate for a chapter cell (``assert_ready``)."""
from __future__ import annotations

import copy
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

from ..config import BuildContext, as_context
from ..denylist import read_deny_list
from ..errors import BuildError, InputError
from ..project import load_project
from ..settings import DhrSettings
from ..source import read_chapter
from .aside import Aside
from .anonymity import check_anonymity, load_names, name_findings, segment_identifier_findings
from .catalogue import catalogue, finding, resolve_severity, where
from .config import severity_overrides
from .coverage import check_coverage
from .document import Document, parse_document
from .evidence import check_evidence
from .executed import ExecutedMap, cell_output_suppressions, executed_map
from .figures import figure_findings
from .findings import SEVERITY_ORDER, CheckResult, Finding
from .language import check_language, lint_segments
from .length import check_length, iso_date_findings, pdf_length_findings
from .publication import TRACEBACK, check_output_files, check_publication, placeholder_findings
from .structure import check_structure
from .tracker import check_tracker
from .workspace import Workspace, build_workspace

FAMILIES: list[Callable[[Workspace], list[Finding]]] = [
    check_structure, check_language, check_anonymity, check_coverage, check_evidence, check_publication,
    check_tracker, check_length,
]
ASIDE = check_language  # run in a child process while the others run (qa.aside), on a long review


def finalize(findings: list[Finding], *, documents: list[Document], overrides: dict[str, str],
             strict: bool, publish: bool = False) -> list[Finding]:
    """Apply inline suppressions; set each severity from the catalogue (draft or publish), the project's
    overrides and --strict; sort and drop duplicates."""
    by_file = {d.file: d for d in documents}
    kept: dict[tuple, Finding] = {}
    for item in findings:
        doc = by_file.get(item.file)
        if doc is not None and item.rule != "DHR-L000" and doc.suppressed(item.rule, item.line):
            continue
        override = overrides.get(item.rule)
        if override == "off":
            continue
        item.severity = resolve_severity(item.rule, publish=publish, override=override, strict=strict,
                                         current=item.severity)
        if doc is not None and doc.cell_lines and item.cell is None and 1 <= item.line <= len(doc.cell_lines):
            item.cell, item.line = doc.cell_lines[item.line - 1]  # a notebook: its cell and the line in it
        elif doc is not None and doc.origins and 1 <= item.line <= len(doc.origins):
            item.file, item.line = doc.origins[item.line - 1]  # text an include brought in: where it was written
        kept.setdefault((item.rule, item.file, item.line, item.column, item.message), item)
    return sorted(kept.values(), key=lambda f: (f.file, f.cell or 0, f.line, f.column, SEVERITY_ORDER[f.severity],
                                                f.rule))


def check(target: Path | str | BuildContext, *, publish: bool = False, strict: bool = False,
          names_file: Path | str | None = None) -> CheckResult:
    """Check a review's sources and data (nothing is executed). Bad input raises InputError.

    ``target`` is a project root (then publish/strict/names_file apply) or a resolved BuildContext."""
    ctx = as_context(target, publish=publish, strict=strict, names_file=names_file)
    ws = build_workspace(ctx)
    findings: list[Finding] = []
    size = sum(len(line) for doc in ws.documents for line in doc.lines)
    aside = {ASIDE: Aside(ASIDE, ws, work=size)} if ASIDE in FAMILIES else {}  # the longest, on the other core
    for family in FAMILIES:
        findings += aside[family].result() if family in aside else family(ws)
    findings = finalize(findings, documents=ws.documents, overrides=ws.overrides, strict=ctx.strict,
                        publish=ctx.publish)
    suppressions = [s.to_dict(doc.file) for doc in ws.documents for s in doc.suppressions if s.reason]
    return CheckResult(findings, files=ws.files, rules=len(catalogue()), suppressions=suppressions)


# An executed chapter's findings, parsed document and line map, remembered in this process (the preview
# checks every chapter on each save; most have not changed): keyed on everything they read.
_EXECUTED: dict[tuple, tuple] = {}
_LINK_TARGET = re.compile(r"\]\(<?([^)\s>]+)")


def _remember_executed(key: tuple, value: tuple) -> tuple:
    if len(_EXECUTED) >= 256:
        _EXECUTED.pop(next(iter(_EXECUTED)))
    _EXECUTED[key] = value
    return value


def _linked_files(root: Path, rel: str, markdown: str) -> tuple:
    """(path, size, mtime) of the files a chapter links to (its figures: their text is checked too)."""
    folder = (root / rel).parent
    stats = []
    for target in dict.fromkeys(_LINK_TARGET.findall(markdown)):
        if "://" in target:
            continue
        try:
            info = (folder / unquote(target)).stat()
        except (OSError, ValueError):
            continue
        stats.append((target, info.st_size, info.st_mtime_ns))
    return tuple(stats)


def _source_lines(source_path: Path, rel: str) -> tuple[str, ...] | None:
    """A .qmd chapter's lines as written (its includes expanded); None for other chapters."""
    if not (source_path.is_file() and source_path.suffix == ".qmd"):
        return None
    try:
        return tuple(read_chapter(source_path, rel).lines)
    except InputError:
        return tuple(source_path.read_text(encoding="utf-8").splitlines())


def _executed_chapter(root: Path, rel: str, markdown: str, lines: tuple[str, ...] | None, names) -> tuple:
    """(findings, figure findings — at their source line already —, document, executed map or None) of one
    executed chapter; ``lines``: its .qmd source lines."""
    source_path = root / rel
    source_lines = {line.strip() for line in lines} if lines is not None else set()
    findings: list[Finding] = []
    doc = parse_document(markdown, rel)
    emap = executed_map(source_path, rel, markdown) if lines is not None else None
    doc.suppressions = cell_output_suppressions(source_path, rel, emap) if emap is not None else []
    generated = [s for s in doc.segments if any(line.strip() and line.strip() not in source_lines
                                                for line in doc.lines[s.line - 1:s.end_line])]
    generated_at = where("generated")
    findings += lint_segments(rel, [s for s in generated if s.kind in ("prose", "heading")], generated_at)
    generated_lines = {n for s in generated for n in range(s.line, s.end_line + 1)}
    findings += [f for f in iso_date_findings(doc, " (in generated output)") if f.line in generated_lines]
    findings += segment_identifier_findings(rel, generated, generated_at)
    findings += [f for f in placeholder_findings(doc) if f.line in generated_lines]
    text = "\n".join(doc.lines)
    findings += [f for f in name_findings(names, rel, text)  # a source line's names: check() reports them
                 if doc.lines[f.line - 1].strip() not in source_lines]
    for match in TRACEBACK.finditer(text):
        if match.group(0).startswith("Traceback"):
            findings.append(finding("DHR-P006", rel, text.count("\n", 0, match.start()) + 1,
                                    variant="executed-chapter"))
    return findings, figure_findings(root, rel, markdown, names), doc, emap


def check_book(target: Path | str | BuildContext, chapters: dict[str, str], *, publish: bool = False,
               strict: bool = False, names_file: Path | str | None = None) -> CheckResult:
    """Check executed chapters (rel path -> executed Markdown): language, anonymity, placeholders and
    tracebacks in the text that cells generated, and anonymity in the text of the SVG figures they show. Lines already in the chapter's source are skipped
    (``check`` reports those), so each problem is reported once, at its source when it has one."""
    ctx = as_context(target, publish=publish, strict=strict, names_file=names_file)
    root, publish = ctx.root, ctx.publish
    names, _ = load_names(ctx.deny_list)
    overrides = severity_overrides(ctx.project.dhr)
    findings: list[Finding] = []
    documents = []
    maps: dict[str, ExecutedMap] = {}
    at_source: set[int] = set()  # findings located at their source line already (figures)
    for rel, markdown in chapters.items():
        source_path = root / rel
        lines = _source_lines(source_path, rel)
        key = (str(root), rel, markdown, lines, names, _linked_files(root, rel, markdown))
        found, located, doc, emap = _EXECUTED.get(key) or _remember_executed(
            key, _executed_chapter(root, rel, markdown, lines, names))
        findings += [copy.copy(item) for item in found]  # (finalize sets severities and lines on them)
        at_figures = [copy.copy(item) for item in located]
        at_source.update(id(f) for f in at_figures)
        findings += at_figures
        documents.append(doc)
        if emap is not None:
            maps[rel] = emap
    findings = finalize(findings, documents=documents, overrides=overrides, strict=ctx.strict, publish=publish)
    for item in findings:  # reported at the source: the cell that generated the text, or the copied line
        if id(item) in at_source:
            continue
        emap = maps.get(item.file)
        line = emap.source_line(item.line) if emap is not None else None
        if line is not None:
            item.line, item.column = line, (item.column if emap.copied(item.line) else 1)
    return CheckResult(findings, files=len(chapters), rules=len(catalogue()))


def check_outputs(target: Path | str | BuildContext, output_dir: Path | str, *, publish: bool = False,
                  strict: bool = False, names_file: Path | str | None = None,
                  shown_as: str | None = None, executed: dict[str, str] | None = None) -> CheckResult:
    """Check rendered outputs: PDF size and tagging, image alt text, leaks in text and metadata.

    ``target`` is a resolved BuildContext, or a folder (a project root, or a copied output folder without a
    project: then no project rule settings apply). ``shown_as`` names the output folder in findings (e.g.
    "_book") when ``output_dir`` is a temporary build folder that the user never sees.
    """
    limit = DhrSettings().max_output_mb
    if isinstance(target, BuildContext):
        root, publish, strict, deny = target.root, target.publish, target.strict, target.deny_list
        overrides = severity_overrides(target.project.dhr)
        limit = target.project.settings.max_output_mb
    else:
        root, deny = Path(target).resolve(), read_deny_list(names_file)
        try:
            project = load_project(root)
            overrides, limit = severity_overrides(project.dhr), project.settings.max_output_mb
        except InputError:  # outputs can be checked without a valid project (e.g. a copied _book folder)
            overrides = {}
    findings = check_output_files(root, Path(output_dir), names_file=deny, shown_as=shown_as,
                                  max_output_mb=limit, executed=executed)
    for pdf in sorted(Path(output_dir).glob("*.pdf")):
        if pdf.name != "executive-summary.pdf":
            findings += pdf_length_findings(pdf, f"{shown_as or Path(output_dir).name}/{pdf.name}")
    findings = finalize(findings, documents=[], overrides=overrides, strict=strict, publish=publish)
    return CheckResult(findings, files=len({f.file for f in findings}), rules=len(catalogue()))


class Readiness:
    """What ``assert_ready`` displays when no check fails."""

    def __init__(self, result: CheckResult, publish: bool):
        self.result, self.publish = result, publish

    def _repr_markdown_(self) -> str:
        r = self.result
        mode = "publication" if self.publish else "draft"
        text = f"Readiness checks ({mode}): {r.rules} rules, no errors"
        if r.warnings or r.infos:
            text += f"; {len(r.warnings)} warnings, {len(r.infos)} notes"
        return text + "."

    def __repr__(self) -> str:
        return self._repr_markdown_()


def assert_ready(root: Path | str | None = None, *, publish: bool | None = None) -> Readiness:
    """Run ``check`` on the project (for a validation cell); raise BuildError listing errors."""
    from ..context import is_publish, names_file, project_root

    root = root or project_root()
    publish = is_publish() if publish is None else publish
    result = check(root, publish=publish, names_file=names_file())
    if result.errors:
        from .report import format_finding

        lines = "\n".join(format_finding(f) for f in result.errors)
        raise BuildError(f"the readiness checks found {len(result.errors)} error(s):\n{lines}")
    return Readiness(result, publish)
