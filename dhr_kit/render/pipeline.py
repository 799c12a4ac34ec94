"""`render()`: load the project → QA gate → execute (cached) → assemble the Book → writers →
publication checks → swap the output folder in. Any failure leaves the previous outputs untouched."""
from __future__ import annotations

import hashlib
import json
import os
import queue
import shutil
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import BuildError, InputError, Problem
from ..project import Project, load_project
from .assemble import chapter_markdown
from .book import Book, BookChapter
from .cache import CACHE_DIR, ChapterCache, Hasher, fallback_read_set, normalise_read_set
from .crossref import SourceChapter, number_book
from .execute import KernelSession
from .notebook import parse_chapter
from .outputs import OutputStamp, staging_dir, swap_in, tree_digest
from .progress import Progress
from .qmd import Chapter

FORMATS = ("html", "pdf", "docx")
TARGETS = (*FORMATS, "all", "markdown")  # "markdown": the assembled book's Markdown (debugging, tests)
PARALLEL_KERNELS = 2
WRITER_THREADS = 3


@dataclass
class RenderResult:
    engine: str
    output_dir: Path
    outputs: list[Path] = field(default_factory=list)
    kernels_started: int = 0
    executed: list[str] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)
    chapter_seconds: dict[str, float] = field(default_factory=dict)
    writers_skipped: bool = False  # outputs were already up to date
    warnings: list[str] = field(default_factory=list)
    open_findings: list = field(default_factory=list)  # a draft's QA errors (on its findings page)
    qa_findings: list = field(default_factory=list)  # every QA finding shown: warnings and a draft's open errors
    stale: list[str] = field(default_factory=list)  # formats carried over from an older build
    bundle: Path | None = None  # the upload bundle of a publication build
    book: Book | None = None
    seconds: float = 0.0


def _qa():
    """dhr_kit.qa: the renderer's QA gate. A seam: the renderer's own tests render plain Quarto books
    (not reviews) and replace it with ``lambda: None`` to switch the review rules off."""
    from .. import qa

    return qa


def _gate(result: Any, stage: str, progress: Progress | None, open_errors: list | None = None,
          shown: list | None = None) -> None:
    """Show a QA pass's warnings; stop the build on its errors. A draft (``open_errors`` is a list) keeps
    going: errors that do not stop a draft are printed and collected for the findings page."""
    from ..qa.report import format_finding
    from .draft import stops_a_draft

    for finding in result.warnings:
        if progress is not None:
            progress.warning(format_finding(finding))
    errors = list(result.errors)
    if shown is not None:  # every finding of the pass, for a caller that shows them (the preview)
        shown.extend(result.warnings)
        shown.extend(f for f in errors if open_errors is not None and not stops_a_draft(f))
    if open_errors is not None:
        for finding in [f for f in errors if not stops_a_draft(f)]:
            open_errors.append(finding)
            if progress is not None:
                progress.open_error(format_finding(finding))
        errors = [f for f in errors if stops_a_draft(f)]
    if not errors:
        return
    raise BuildError(f"{len(errors)} QA error{'s' if len(errors) != 1 else ''} {stage}; the outputs were not updated:\n  "
                     + "\n  ".join(map(format_finding, errors))
                     + "\n  fix: " + _FIXES.get(stage, "correct them, then render again"))


_FIXES = {
    "in the sources": "correct them (`dhr check` lists them in seconds), then render again",
    "in the executed chapters": "correct the chapters, data or chart labels named above, then render again "
                                "(these come from cell output and figures, which `dhr check` does not execute)",
}


def _selected_formats(to: str) -> list[str]:
    if to not in TARGETS:
        raise InputError(Problem("dhr render", f"unknown output format {to!r}", fix=f"use one of {', '.join(TARGETS)}"))
    return list(FORMATS) if to == "all" else [to]


# ---- execution ----------------------------------------------------------------------------------

@dataclass
class _Executed:
    chapter: Chapter
    outputs: list[list[dict]]
    seconds: float | None  # None: from the cache or stored notebook outputs


def _parse_all(project: Project) -> list[Chapter]:
    problems: list[Problem] = []
    chapters = []
    for ref in project.chapters:
        try:
            chapters.append(parse_chapter(ref.path, ref.rel))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    return chapters


def _stored_outputs_only(chapter: Chapter) -> bool:
    """A notebook whose front matter says `execute: enabled: false` keeps its saved outputs (as Quarto)."""
    execute = chapter.front_matter.get("execute") or {}
    return chapter.path.suffix == ".ipynb" and execute.get("enabled") is False


ISOLATE_ENV = "DHR_ISOLATE_CHAPTERS"


def isolate_chapters(project: Project) -> bool:
    """One kernel per chapter (`dhr: isolate-chapters: true` or DHR_ISOLATE_CHAPTERS=1) instead of one
    reused kernel per worker, reset between chapters."""
    env = os.environ.get(ISOLATE_ENV, "").strip().lower()
    if env:
        return env in {"1", "true", "yes"}
    return project.dhr.get("isolate-chapters") is True


def _run_in_kernels(project: Project, plan: list[tuple[Chapter, str]],
                    run: Callable[[KernelSession, Chapter, str], _Executed],
                    warm: Any = None) -> tuple[list[_Executed], int]:
    """Run the plan on PARALLEL_KERNELS workers, each with its own kernel session, taking chapters in order.

    Returns the executed chapters and the number of kernels started. Every kernel is shut down before
    this returns; after a failure no further chapter starts, and the first failure in chapter order is raised.
    """
    if not plan:
        return [], 0
    isolate = isolate_chapters(project)
    warm = None if isolate else warm  # render.warm.WarmKernels: kernels kept between renders (the preview)
    pending: queue.SimpleQueue[int] = queue.SimpleQueue()
    for index in range(len(plan)):
        pending.put(index)
    results: dict[int, _Executed] = {}
    failures: dict[int, BaseException] = {}
    started: list[int] = []
    stop = threading.Event()

    def worker() -> None:
        session = warm.lend() if warm is not None else KernelSession(project.root)
        try:
            while not stop.is_set():
                try:
                    index = pending.get_nowait()
                except queue.Empty:
                    return
                chapter, key = plan[index]
                try:
                    results[index] = run(session, chapter, key)
                except BaseException as exc:  # noqa: BLE001 — re-raised below, in chapter order
                    failures[index] = exc
                    stop.set()
                    return
                finally:
                    if isolate:
                        session.close()
        finally:
            session.close()
            started.append(session.kernels_started)

    threads = [threading.Thread(target=worker, name=f"dhr-kernel-{n}", daemon=True)
               for n in range(min(PARALLEL_KERNELS, len(plan)))]
    for thread in threads:
        thread.start()
    try:
        for thread in threads:
            thread.join()
    finally:  # Ctrl-C: start no further chapter; each worker shuts its kernel down
        stop.set()
        for thread in threads:
            thread.join()
    if failures:
        raise failures[min(failures)]
    return [results[i] for i in sorted(results)], sum(started)


def _execute_all(project: Project, chapters: list[Chapter], *, publish: bool, no_cache: bool,
                 progress: Progress, result: RenderResult, warm: Any = None) -> list[_Executed]:
    cache = ChapterCache(project.root)
    ignored = {CACHE_DIR, project.output_dir.name}
    plan: list[tuple[Chapter, str]] = []
    done: dict[str, _Executed] = {}
    for chapter in chapters:
        if _stored_outputs_only(chapter):
            done[chapter.rel] = _Executed(chapter, [c.outputs or [] for c in chapter.code_cells], None)
            continue
        if not chapter.code_cells:
            done[chapter.rel] = _Executed(chapter, [], None)  # nothing to run: no kernel
            continue
        key = cache.key(chapter.path, publish=publish, version=__version__)
        entry = None if no_cache else cache.load(chapter.rel)
        frozen = project.freeze is True and entry is not None
        if entry is not None and (frozen or cache.is_fresh(entry, key)):
            done[chapter.rel] = _Executed(chapter, entry.outputs, None)
        else:
            plan.append((chapter, key))

    def run(session: KernelSession, chapter: Chapter, key: str) -> _Executed:
        run_result = session.execute(chapter, publish=publish, project_execute=project.execute)
        files = normalise_read_set(run_result.files, ignored) if run_result.files is not None \
            else fallback_read_set(project.root)
        dirs = normalise_read_set(run_result.dirs or [], ignored)
        cache.store(chapter.rel, key, run_result.outputs, files, dirs, run_result.seconds)
        progress.chapter(chapter.rel, run_result.seconds)
        return _Executed(chapter, run_result.outputs, run_result.seconds)

    for chapter in chapters:
        if chapter.rel in done:
            progress.chapter(chapter.rel, None)
    if plan:
        progress.step(f"executing {len(plan)} chapter{'s' if len(plan) != 1 else ''} "
                      f"({len(chapters) - len(plan)} from the cache)")
    executed, result.kernels_started = _run_in_kernels(project, plan, run, warm)
    done.update((item.chapter.rel, item) for item in executed)
    result.executed = [c.rel for c, _ in plan]
    result.cached = [c.rel for c in chapters if c.rel not in result.executed]
    result.chapter_seconds = {rel: e.seconds for rel, e in done.items() if e.seconds is not None}
    return [done[c.rel] for c in chapters]


# ---- the book -----------------------------------------------------------------------------------

def _title_page(project: Project) -> dict[str, str]:
    fallback = {"csp": project.author, "title": project.title, "victim": "", "died": project.subtitle,
                "chair": "", "author": project.author, "date": project.date, "marking": ""}
    if not (project.root / "data" / "review.yml").is_file():
        return fallback  # a project without case data (e.g. a plain Quarto book)
    try:
        from ..helpers import title_page_data
        from ..loader import load_review
    except ImportError:
        return fallback
    return {**fallback, **title_page_data(load_review(project.root))}


def _numbered(project: Project, sources: list[SourceChapter]) -> tuple[list, list[Problem]]:
    """The book pass (pandoc), cached by the digest of its input."""
    payload = json.dumps([[s.rel, s.markdown, s.appendix, s.title] for s in sources]
                         + [project.number_sections(), __version__])
    digest = hashlib.sha256(payload.encode()).hexdigest()
    path = project.root / CACHE_DIR / "book.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data["digest"] == digest:
            from .crossref import NumberedChapter
            return [NumberedChapter(**c) for c in data["chapters"]], [Problem(**p) for p in data["problems"]]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    numbered, problems = number_book(sources, project.root, number_sections=project.number_sections())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"digest": digest, "chapters": [c.__dict__ for c in numbered],
                                "problems": [p.__dict__ for p in problems]}), encoding="utf-8")
    return numbered, problems


def build_book(project: Project, executed: list[_Executed], *, publish: bool) -> tuple[Book, dict[str, str], list[Problem], list[str]]:
    """Assemble the Book; also returns each chapter's executed Markdown (for QA), problems found and the
    project-relative images the book shows."""
    sources: list[SourceChapter] = []
    problems: list[Problem] = []
    executed_md: dict[str, str] = {}
    refs = {ref.rel: ref for ref in project.chapters}
    for item in executed:
        chapter = item.chapter
        slug = Path(chapter.rel).stem
        md = chapter_markdown(chapter, item.outputs, root=project.root, slug=slug, publish=publish,
                              project_execute=project.execute)
        problems.extend(md.problems)
        executed_md[chapter.rel] = md.markdown
        sources.append(SourceChapter(chapter.rel, md.markdown, refs[chapter.rel].appendix,
                                     str(chapter.front_matter.get("title") or "")))
    numbered, book_problems = _numbered(project, sources)
    problems.extend(book_problems)
    summary = project.executive_summary
    chapters = [BookChapter(rel=n.rel, markdown=n.markdown, title=n.title, slug=Path(n.rel).stem,
                            part=refs[n.rel].part, appendix=refs[n.rel].appendix,
                            executive_summary=summary is not None and summary.rel == n.rel,
                            front_matter=item.chapter.front_matter, number=n.number)
                for n, item in zip(numbered, executed)]
    title_page = _title_page(project)
    book = Book(root=project.root, title=project.title or title_page.get("title", ""), subtitle=project.subtitle, lang=project.lang,
                chapters=chapters, title_page=title_page, bibliography=project.bibliography,
                csl=project.csl, publish=publish, output_stem=project.output_stem,
                options={fmt: project.format_options(fmt) for fmt in ("html", "typst", "pdf", "docx")},
                author=project.author, date=project.date)
    images = sorted({image for n in numbered for image in n.images if "://" not in image})
    return book, executed_md, problems, images


# ---- writers ------------------------------------------------------------------------------------

def _write_markdown(book: Book, out_dir: Path) -> list[Path]:
    folder = out_dir / "markdown"
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for chapter in book.chapters:
        path = folder / f"{chapter.slug}.md"
        path.write_text(chapter.markdown, encoding="utf-8")
        paths.append(path)
    return paths


def _write_outputs(book: Book, formats: list[str], out_dir: Path, single_file: bool) -> list[Path]:
    """Run the selected writers side by side: each spends most of its time in pandoc or typst."""
    jobs = [job for fmt in formats for job in _writer_jobs(book, fmt, out_dir, single_file)]
    with ThreadPoolExecutor(max_workers=max(1, min(len(jobs), WRITER_THREADS))) as pool:
        futures = [pool.submit(write) for write, _ in jobs]
        for future in futures:
            future.result()  # the first writer error propagates; the staging folder is then discarded
    return [path for _, paths in jobs for path in paths]


def _writer_jobs(book: Book, fmt: str, out_dir: Path, single_file: bool) -> list[tuple[Any, list[Path]]]:
    """(callable, files it writes) for one output format."""
    if fmt == "markdown":
        paths = [out_dir / "markdown" / f"{c.slug}.md" for c in book.chapters]
        return [(lambda: _write_markdown(book, out_dir), paths)]
    if fmt == "html":
        from .html import write_html
        return [(lambda: write_html(book, out_dir, single_file=single_file), [out_dir / "index.html"])]
    if fmt == "pdf":
        from .pdf import write_executive_summary_pdf, write_pdf
        report = out_dir / f"{book.output_stem}.pdf"
        jobs = [(lambda: write_pdf(book, report), [report])]
        if any(c.executive_summary for c in book.chapters):
            summary = out_dir / "executive-summary.pdf"
            jobs.append((lambda: write_executive_summary_pdf(book, summary), [summary]))
        return jobs
    if fmt == "docx":
        from .docx import write_docx
        document = out_dir / f"{book.output_stem}.docx"
        return [(lambda: write_docx(book, document), [document])]
    raise AssertionError(fmt)


def _output_stamp(book: Book, formats: list[str], single_file: bool, images: list[str],
                  names_file: Path | str | None = None) -> str:
    """Digest of everything the writers and the output checks read: the Book, the images it shows,
    templates, dhr-kit's code, and the private names list (so a new name re-checks the outputs)."""
    from ..paths import templates_dir

    package = Path(__file__).resolve().parent.parent
    try:
        templates = tree_digest(templates_dir())
    except FileNotFoundError:
        templates = ""
    chapters = json.dumps([c.__dict__ for c in book.chapters], sort_keys=True, default=str)
    meta = json.dumps({k: v for k, v in book.__dict__.items() if k != "chapters"}, sort_keys=True, default=str)
    figures = OutputStamp.digest(*(f"{rel}={Hasher(book.root).file(rel)}" for rel in images))
    names = _names_digest(names_file)
    return OutputStamp.digest(__version__, ",".join(formats), str(single_file), chapters, meta, templates,
                              figures, tree_digest(package, "*.py"), names)


def _names_digest(names_file: Path | str | None) -> str:
    """The private names list's content digest ($DHR_NAMES_FILE when no file is given); never the names."""
    import os

    path = names_file or os.environ.get("DHR_NAMES_FILE")
    if not path:
        return ""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return f"unreadable:{path}"  # the checks themselves report the missing file


# ---- the API ------------------------------------------------------------------------------------

def render(root: Path | str = ".", *, to: str = "all", publish: bool = False, strict: bool = False,
           names_file: Path | str | None = None, engine: str = "auto", no_cache: bool = False,
           single_file: bool = False, quiet: bool = False, progress: Progress | None = None,
           warm_kernels: Any = None) -> RenderResult:
    """Render the review at ``root``; raises InputError/BuildError/ToolError and keeps old outputs on failure."""
    started = time.perf_counter()
    progress = progress or Progress(quiet=quiet)
    project = load_project(root)
    formats = _selected_formats(to)
    from .engines import choose_engine, render_with_quarto

    if choose_engine(engine) == "quarto":
        result = render_with_quarto(project, formats, publish=publish, strict=strict, names_file=names_file,
                                    no_cache=no_cache, gate=lambda: _check_sources(project, publish, strict, names_file))
        result.seconds = time.perf_counter() - started
        return result

    draft = not (publish or strict)
    open_errors: list | None = [] if draft else None  # a draft's QA errors, listed on its findings page
    result = RenderResult(engine="embedded", output_dir=project.output_dir)
    chapters = _read_and_check_sources(project, publish, strict, names_file, progress, open_errors, result.qa_findings)
    single_file = single_file or (publish and to == "all")  # the bundle holds the single-file HTML
    executed = _execute_all(project, chapters, publish=publish, no_cache=no_cache, progress=progress, result=result,
                            warm=warm_kernels)
    progress.step("assembling the book (numbering, cross-references, citations)")
    book, executed_md, problems, book_images = build_book(project, executed, publish=publish)
    result.book = book
    if problems and (publish or strict):
        raise BuildError("the book cannot be published as it is:\n  " + "\n  ".join(map(str, problems)))
    for problem in problems:
        result.warnings.append(str(problem))
        progress.warning(str(problem))
    qa = _qa()
    if qa is not None:
        _gate(qa.check_book(project.root, executed_md, publish=publish, strict=strict, names_file=names_file),
              "in the executed chapters", progress, open_errors, result.qa_findings)
    _show_findings_page(book, open_errors)
    result.open_findings = list(open_errors or [])

    stamp_store = OutputStamp(project.root)
    stamp = _output_stamp(book, formats, single_file, book_images, names_file)
    if stamp_store.matches(stamp, project.output_dir):
        # The same outputs passed the same output checks (same names list, same mode) when written.
        result.writers_skipped = True
        result.outputs = sorted(p for p in project.output_dir.rglob("*") if p.is_file())
    else:
        from .partial import carry_over, describe, read_build_log, write_build_log

        stamp_store.clear()
        previous_log = read_build_log(project.output_dir)
        with staging_dir(project.output_dir) as staging:
            progress.step(f"writing {', '.join(formats)}")
            written = _write_outputs(book, formats, staging, single_file)
            late = _check_outputs(project, staging, publish, strict, names_file, progress, formats, open_errors)
            if late:  # a draft whose outputs hold new errors: list them on its findings page too, and write again
                open_errors.extend(late)
                _show_findings_page(book, open_errors)
                shutil.rmtree(staging)
                staging.mkdir()
                progress.step(f"writing {', '.join(formats)} again, with the rendered outputs' findings listed")
                written = _write_outputs(book, formats, staging, single_file)
            kept = carry_over(project.output_dir, staging, formats)
            stamps = {fmt: _output_stamp(book, [fmt], single_file, book_images, names_file)
                      for fmt in [*formats, *kept]}
            statuses = write_build_log(staging, previous_log, formats, kept, stamps, publish=publish)
            swap_in(staging, project.output_dir)
        for status in statuses:
            if status.state == "stale":
                progress.warning(describe(status))
            elif status.state == "current":
                progress.step(describe(status))
        result.stale = [s.format for s in statuses if s.state == "stale"]
        result.outputs = [project.output_dir / p.relative_to(staging) for p in written]
        stamp_store.record(stamp, project.output_dir)
    if publish and to == "all":
        from .bundle import write_upload_bundle

        progress.step("writing the upload bundle")
        result.bundle = write_upload_bundle(project.output_dir, project.root, stem=book.output_stem, title=book.title,
                                            date=time.strftime("%Y-%m-%d"))
    result.seconds = time.perf_counter() - started
    summary = (f"dhr render: {len(chapters)} chapters ({len(result.executed)} executed, {len(result.cached)} cached)"
               f" in {result.seconds:.1f} s → {project.output_dir.name}/"
               + (" (outputs already up to date)" if result.writers_skipped else ""))
    if result.bundle is not None:
        summary += f"\nupload bundle: {result.bundle.relative_to(project.root).as_posix()}/ (see its README.txt)"
    if open_errors:
        summary += (f"\nDRAFT with {len(open_errors)} open QA error{'s' if len(open_errors) != 1 else ''}, listed on its "
                    f"first page \"Draft: open QA findings\"; `dhr render --publish` refuses until they are fixed")
    progress.done(summary)
    return result


def _read_and_check_sources(project: Project, publish: bool, strict: bool, names_file: Path | str | None,
                            progress: Progress, open_errors: list | None, shown: list) -> list[Chapter]:
    """Parse the chapters and run the source checks; input problems and QA findings are reported
    together (the QA findings that can still be found are printed before the input problems are raised)."""
    try:
        chapters = _parse_all(project)
    except InputError as exc:
        _report_findings_despite_input(project, progress)
        raise exc from None
    progress.step(f"checking {len(chapters)} chapters and the data against the QA rules")
    try:
        _check_sources(project, publish, strict, names_file, progress, open_errors, shown)
    except InputError:
        _report_findings_despite_input(project, progress)
        raise
    return chapters


def _report_findings_despite_input(project: Project, progress: Progress) -> None:
    if _qa() is None:
        return
    from ..qa.despite_input import chapter_language_findings
    from ..qa.report import format_finding

    for finding in chapter_language_findings(project.root):
        (progress.open_error if finding.severity == "error" else progress.warning)(format_finding(finding))


def _check_sources(project: Project, publish: bool, strict: bool, names_file: Path | str | None,
                   progress: Progress | None = None, open_errors: list | None = None, shown: list | None = None) -> None:
    qa = _qa()
    if qa is None:
        return
    _gate(qa.check(project.root, publish=publish, strict=strict, names_file=names_file), "in the sources", progress,
          open_errors, shown)


def _show_findings_page(book: Book, open_errors: list | None) -> None:
    """Put (or refresh) the "Draft: open QA findings" page at the front of a draft with open errors."""
    if not open_errors:
        return
    from .draft import FINDINGS_REL, findings_chapter

    if book.chapters and book.chapters[0].rel == FINDINGS_REL:
        book.chapters.pop(0)
    book.chapters.insert(0, findings_chapter(open_errors))


def _check_outputs(project: Project, out_dir: Path, publish: bool, strict: bool, names_file: Path | str | None,
                   progress: Progress | None = None, formats: list[str] = list(FORMATS),
                   open_errors: list | None = None) -> list:
    """Check the written outputs; returns a draft's errors found there (a publication build stops on them)."""
    qa = _qa()
    if qa is None:
        return []
    shown_as = project.output_dir.relative_to(project.root).as_posix() \
        if project.output_dir.is_relative_to(project.root) else project.output_dir.name
    checked = qa.check_outputs(project.root, out_dir, publish=publish, names_file=names_file, shown_as=shown_as)
    if not {"html", "pdf"} & set(formats):  # a docx-only build has no PDF or HTML to find
        checked.findings = [f for f in checked.findings if f.rule != "DHR-P008"]
    late: list | None = [] if open_errors is not None else None
    _gate(checked, "in the rendered outputs", progress, late)
    return late or []
