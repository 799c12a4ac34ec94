"""`render()`: resolve the build context once → the engine's bad-input checks → QA gate on the sources →
the engine executes → QA gate on the executed chapters → the engine writes into a staging folder → QA
gate on the outputs → swap the staging folder in. The same gates and the same atomic swap for every
engine; any failure leaves the previous outputs untouched."""
from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from ..config import BuildContext, resolve_context
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
           gates: Sequence[Gate] = DEFAULT_GATES) -> RenderResult:
    """Render the review at ``root``; raises InputError/BuildError/ToolError and keeps old outputs on failure.

    ``gates``: the QA gates to pass (default: the review checks; ``()`` for a plain Quarto book)."""
    ctx = resolve_context(root, publish=publish, strict=strict, names_file=names_file, formats=to, engine=engine)
    return build(ctx, RenderOptions(no_cache=no_cache, single_file=single_file), gates=gates,
                 progress=progress or Progress(quiet=quiet))


def build(ctx: BuildContext, options: RenderOptions = RenderOptions(), *, gates: Sequence[Gate] = DEFAULT_GATES,
          progress: Progress | None = None) -> RenderResult:
    """Render from a resolved context (see :func:`render`)."""
    started = time.perf_counter()
    progress = progress or Progress()
    engine = engine_for(ctx.engine)
    engine.prepare(ctx)
    result = RenderResult(engine=engine.name, output_dir=ctx.project.output_dir)
    run_gates(gates, SOURCES, ctx, GateInput(), progress, result.qa_results)
    data_before = snapshot(ctx.root)
    execution = engine.execute(ctx, options, progress, result)
    if execution.executed_markdown is not None:
        run_gates(gates, EXECUTED, ctx, GateInput(executed=execution.executed_markdown), progress, result.qa_results)

    store = OutputStamp(ctx.root)
    stamp = None if execution.stamp is None else OutputStamp.digest(execution.stamp, _checks_stamp(ctx, gates))
    output_dir = ctx.project.output_dir
    refuse_changes(ctx.root, data_before)
    if stamp is not None and store.matches(stamp, output_dir):
        # The same outputs passed the same output checks (same names list, same mode) when written.
        result.writers_skipped = True
        result.outputs = sorted(p for p in output_dir.rglob("*") if p.is_file())
    else:
        store.clear()
        with staging_dir(output_dir) as staging:
            written = _write_checked(engine, ctx, execution, staging, options, gates, progress, result)
            refuse_changes(ctx.root, data_before)
            swap_in(staging, output_dir)
        result.outputs = [output_dir / p.relative_to(staging) for p in written]
        if stamp is not None:
            store.record(stamp, output_dir)
    result.seconds = time.perf_counter() - started
    progress.done(_summary(ctx, result))
    return result


def _write_checked(engine: Engine, ctx: BuildContext, execution: Execution, staging: Path,
                   options: RenderOptions, gates: Sequence[Gate], progress: Progress,
                   result: RenderResult) -> list[Path]:
    """The engine writes into ``staging``; the executed (when only the outputs show them) and output gates."""
    written = engine.write(ctx, execution, staging, options, progress)
    if execution.executed_markdown is None:
        executed = engine.executed_from_outputs(ctx, staging)
        if executed:
            run_gates(gates, EXECUTED, ctx, GateInput(executed=executed), progress, result.qa_results)
    run_gates(gates, OUTPUTS, ctx, GateInput(output_dir=staging), progress, result.qa_results)
    return written


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
