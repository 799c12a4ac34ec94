"""`render()`: resolve the build context once → the engine's bad-input checks → QA gate on the sources →
the engine executes → QA gate on the executed chapters → the engine writes into a staging folder → QA
gate on the outputs → swap the staging folder in. The same gates and the same atomic swap for every
engine; any failure leaves the previous outputs untouched.

A draft (neither --publish nor --strict) is built despite open QA errors, except those in
draft.STOPS_A_DRAFT; they are listed on a findings page at its front. A partial build (`--to pdf`)
carries the other formats over and records them in the build log; `--publish` with every format also
writes the upload bundle."""
from __future__ import annotations

import shutil
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..config import FORMATS, BuildContext, resolve_context
from ..errors import InputError
from .datawatch import refuse_changes, snapshot
from .engine_base import Engine, Execution
from .engines import engine_for
from .gates import DEFAULT_GATES, EXECUTED, OUTPUTS, SOURCES, Gate, GateInput, gate_names, run_gates
from .outputs import OutputStamp, staging_dir, swap_in
from .progress import Progress
from .result import RenderOptions, RenderResult

__all__ = ["render", "build", "RenderResult", "RenderOptions"]


def render(root: Path | str = ".", *, to: str = "all", publish: bool = False, strict: bool = False,
           names_file: Path | str | None = None, engine: str = "auto", no_cache: bool = False,
           single_file: bool = False, quiet: bool = False, progress: Progress | None = None,
           gates: Sequence[Gate] = DEFAULT_GATES, warm_kernels: Any = None,
           defer_readers_of: frozenset[str] = frozenset()) -> RenderResult:
    """Render the review at ``root``; raises InputError/BuildError/ToolError and keeps old outputs on failure.

    ``gates``: the QA gates to pass (default: the review checks; ``()`` for a plain Quarto book).
    ``warm_kernels``: a render.warm.WarmKernels whose kernels are reused (the preview);
    ``defer_readers_of``: see RenderOptions (the preview)."""
    ctx = resolve_context(root, publish=publish, strict=strict, names_file=names_file, formats=to, engine=engine)
    single_file = single_file or _bundled(ctx)  # the upload bundle holds the single-file HTML
    return build(ctx, RenderOptions(no_cache=no_cache, single_file=single_file, warm_kernels=warm_kernels,
                                    defer_readers_of=defer_readers_of),
                 gates=gates, progress=progress or Progress(quiet=quiet))


def _bundled(ctx: BuildContext) -> bool:
    """A publication build of every format also writes the upload bundle."""
    return ctx.publish and set(FORMATS) <= set(ctx.formats)


def build(ctx: BuildContext, options: RenderOptions = RenderOptions(), *, gates: Sequence[Gate] = DEFAULT_GATES,
          progress: Progress | None = None) -> RenderResult:
    """Render from a resolved context (see :func:`render`)."""
    started = time.perf_counter()
    progress = progress or Progress()
    engine = engine_for(ctx.engine)
    try:
        engine.prepare(ctx)
    except InputError:
        if gates:
            _report_findings_despite_input(ctx, progress)  # input problems and QA findings in one run
        raise
    result = RenderResult(engine=engine.name, output_dir=ctx.project.output_dir)
    draft = not (ctx.publish or ctx.strict) and _writes_book(engine)
    open_errors: list | None = [] if draft and gates else None  # a draft's QA errors, for its findings page
    lap = result.lap("prepare (context, chapters parsed)", started)
    try:
        run_gates(gates, SOURCES, ctx, GateInput(), progress, result.qa_results, open_errors, result.qa_findings)
    except InputError:
        _report_findings_despite_input(ctx, progress)
        raise
    lap = result.lap("QA: sources", lap)
    data_before = snapshot(ctx.root)
    execution = engine.execute(ctx, options, progress, result)
    lap = time.perf_counter()
    if execution.executed_markdown is not None:
        run_gates(gates, EXECUTED, ctx, GateInput(executed=execution.executed_markdown), progress, result.qa_results,
                  open_errors, result.qa_findings)
    lap = result.lap("QA: executed chapters", lap)
    _show_findings_page(execution, open_errors)

    # What the writers were given, before the outputs' own findings (if any) have a draft written again:
    # those follow from these inputs, and a partial build of another format does not find them (it checks
    # only what it writes), so each format's build-log stamp is taken from here.
    inputs_stamp = execution.inputs_stamp
    store = OutputStamp(ctx.root)
    stamp = None if execution.stamp is None else OutputStamp.digest(execution.stamp, _checks_stamp(ctx, gates))
    output_dir = ctx.project.output_dir
    refuse_changes(ctx.root, data_before)
    if stamp is not None and store.matches(stamp, output_dir):
        # The same outputs passed the same output checks (same names list, same mode) when written.
        result.writers_skipped = True
        _write_qa_report(ctx, output_dir, result)
        result.outputs = sorted(p for p in output_dir.rglob("*") if p.is_file())
        result.open_findings = list(open_errors or [])
    else:
        from .partial import carry_over, describe, read_build_log, write_build_log

        store.clear()
        previous_log = read_build_log(output_dir)
        with staging_dir(output_dir) as staging:
            written = _write_checked(engine, ctx, execution, staging, options, gates, progress, result, open_errors)
            lap = time.perf_counter()
            refuse_changes(ctx.root, data_before)
            building = list(ctx.formats)
            kept = carry_over(output_dir, staging, building)
            stamps = {fmt: _format_stamp(inputs_stamp, fmt, ctx, gates) for fmt in [*building, *kept]}
            statuses = write_build_log(staging, previous_log, building, kept, stamps, publish=ctx.publish)
            swap_in(staging, output_dir)
        lap = result.lap("carry over, build log, swap in", lap)
        for status in statuses:
            if status.state == "stale":
                progress.warning(describe(status))
            elif status.state == "current":
                progress.step(describe(status))
        result.stale = [s.format for s in statuses if s.state == "stale"]
        result.outputs = [output_dir / p.relative_to(staging) for p in written]
        result.open_findings = list(open_errors or [])
        if stamp is not None:
            store.record(stamp, output_dir)
    if _bundled(ctx) and not _writes_book(engine):
        progress.warning(f"no upload bundle: the {engine.name} engine writes the book itself "
                         "(`--engine embedded` writes the bundle)")
    elif _bundled(ctx):
        from .bundle import write_upload_bundle

        progress.step("writing the upload bundle")
        book = execution.book
        result.bundle = write_upload_bundle(output_dir, ctx.root, stem=ctx.project.output_stem,
                                            title=book.title if book is not None else ctx.project.title,
                                            date=time.strftime("%Y-%m-%d"))
    result.seconds = time.perf_counter() - started
    summary = _summary(ctx, result)
    if result.bundle is not None:
        summary += f"\nupload bundle: {_shown(result.bundle, ctx.root)}/ (see its README.txt)"
    if result.open_findings:
        count = len(result.open_findings)
        summary += (f"\nDRAFT with {count} open QA error{'s' if count != 1 else ''}, listed on its first page "
                    "\"Draft: open QA findings\"; `dhr render --publish` refuses until they are fixed")
    progress.done(summary)
    return result


def _shown(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def _show_findings_page(execution: Execution, open_errors: list | None) -> None:
    """Put (or refresh) the "Draft: open QA findings" page at the front of a draft with open errors."""
    if not open_errors or execution.book is None:
        return
    from .draft import FINDINGS_REL, findings_chapter

    book = execution.book
    if book.chapters and book.chapters[0].rel == FINDINGS_REL:
        book.chapters.pop(0)
    book.chapters.insert(0, findings_chapter(open_errors))
    from ..qa.report import format_finding

    listed = [format_finding(f) for f in open_errors]  # the page is part of what the writers read
    if execution.stamp is not None:
        execution.stamp = OutputStamp.digest(execution.stamp, *listed)
    if execution.inputs_stamp is not None:
        execution.inputs_stamp = OutputStamp.digest(execution.inputs_stamp, *listed)


def _format_stamp(inputs_stamp: str | None, fmt: str, ctx: BuildContext, gates: Sequence[Gate]) -> str:
    """One format's inputs for the build log (a carried-over format whose digest differs is stale). An
    engine that cannot say what its outputs were built from gets a digest of the time: always stale."""
    inputs = inputs_stamp if inputs_stamp is not None else f"unknown:{time.time_ns()}"
    return OutputStamp.digest(inputs, fmt, _checks_stamp(ctx, gates))


def _report_findings_despite_input(ctx: BuildContext, progress: Progress) -> None:
    """The chapters' language findings that can still be found when some input is bad (printed first)."""
    from ..qa.despite_input import chapter_language_findings
    from ..qa.report import format_finding

    for finding in chapter_language_findings(ctx.root):
        (progress.open_error if finding.severity == "error" else progress.warning)(format_finding(finding))


def _write_checked(engine: Engine, ctx: BuildContext, execution: Execution, staging: Path,
                   options: RenderOptions, gates: Sequence[Gate], progress: Progress,
                   result: RenderResult, open_errors: list | None = None) -> list[Path]:
    """The engine writes into ``staging``; the executed (when only the outputs show them) and output gates.
    A draft whose outputs hold new errors is written again with them on its findings page."""
    lap = time.perf_counter()
    written = engine.write(ctx, execution, staging, options, progress)
    lap = result.lap("write (pandoc, pages)", lap)
    executed = execution.executed_markdown or {}
    if execution.executed_markdown is None:
        executed = engine.executed_from_outputs(ctx, staging)
        if executed:
            run_gates(gates, EXECUTED, ctx, GateInput(executed=executed), progress, result.qa_results,
                      open_errors, result.qa_findings)
    late: list | None = [] if open_errors is not None else None
    drop = frozenset() if {"html", "pdf"} & set(ctx.formats) else frozenset({"DHR-P008"})  # no PDF/HTML to find
    run_gates(gates, OUTPUTS, ctx, GateInput(executed=executed, output_dir=staging), progress, result.qa_results, late,
              result.qa_findings, drop_rules=drop)
    result.lap("QA: outputs", lap)
    if late and execution.book is not None:
        assert open_errors is not None
        open_errors.extend(late)
        _show_findings_page(execution, open_errors)
        for child in list(staging.iterdir()):
            shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
        progress.step(f"writing {', '.join(ctx.formats)} again, with the rendered outputs' findings listed")
        written = engine.write(ctx, execution, staging, options, progress)
    elif late:
        assert open_errors is not None
        open_errors.extend(late)  # an engine without a Book (Quarto): printed, not on a page
    return written + _write_qa_report(ctx, staging, result)


STAGE_NAMES = {SOURCES: "in the sources", EXECUTED: "in the executed chapters", OUTPUTS: "in the rendered outputs"}


def _write_qa_report(ctx: BuildContext, out_dir: Path, result: RenderResult) -> list[Path]:
    """The build's QA evidence beside the outputs (never inside the report): qa-report.html and .json."""
    if not result.qa_results:
        return []  # no gates ran (a plain Quarto book)
    from ..qa.build_report import write_build_report

    stages = [(STAGE_NAMES.get(stage, stage), found) for stage, found in result.qa_results]
    return write_build_report(out_dir, stages, publish=ctx.publish)


def _checks_stamp(ctx: BuildContext, gates: Sequence[Gate]) -> str:
    """The output checks' settings: which gates, --strict, and the private names list's content digest
    (so a new name re-checks the outputs; never the names themselves)."""
    return OutputStamp.digest(gate_names(gates, OUTPUTS), str(ctx.strict), ctx.deny_list.digest)


def _summary(ctx: BuildContext, result: RenderResult) -> str:
    chapters = len(ctx.project.chapters)
    if result.engine != "embedded":
        return f"dhr render: {chapters} chapters with {result.engine} in {result.seconds:.1f} s → {ctx.project.output_dir.name}/"
    return (f"dhr render: {chapters} chapters ({len(result.executed)} executed, {len(result.cached)} cached)"
            f" in {result.seconds:.1f} s → {ctx.project.output_dir.name}/"
            + (" (outputs already up to date)" if result.writers_skipped else ""))


def _writes_book(engine: Engine) -> bool:
    """The engine writes the Book itself (a draft's findings page, the upload bundle); an engine registered
    without saying so does not."""
    return bool(getattr(engine, "writes_book", False))
