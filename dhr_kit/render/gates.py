"""The QA gates a render passes through, whatever the engine: the sources before anything runs, the
executed chapters, the rendered outputs before they replace the previous ones.

A gate is any object with a ``stage`` (one of STAGES) that is called with the build context and a
:class:`GateInput` and returns the findings (an object with ``.errors`` and ``.warnings``, such as
:class:`dhr_kit.qa.CheckResult`). ``render(gates=...)`` takes the sequence to run; ``gates=()`` renders a
plain Quarto book without the review rules; a test may pass its own.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from ..config import BuildContext
from ..errors import BuildError
from .progress import Progress

SOURCES, EXECUTED, OUTPUTS = "sources", "executed", "outputs"
STAGES = (SOURCES, EXECUTED, OUTPUTS)

_WHERE = {SOURCES: "in the sources", EXECUTED: "in the executed chapters", OUTPUTS: "in the rendered outputs"}
_FIXES = {
    SOURCES: "correct them (`dhr check` lists them in seconds), then render again",
    EXECUTED: "correct the chapters, data or chart labels named above, then render again "
              "(these come from cell output and figures, which `dhr check` does not execute)",
    OUTPUTS: "correct them, then render again",
}


@dataclass(frozen=True)
class GateInput:
    """What a stage has to check: executed chapters (rel path → executed Markdown) or an output folder."""

    executed: Mapping[str, str] = field(default_factory=dict)
    output_dir: Path | None = None


class Gate(Protocol):
    stage: str

    def __call__(self, ctx: BuildContext, subject: GateInput) -> Any: ...


class SourceChecks:
    """`dhr check`: sources and data, nothing executed."""

    stage = SOURCES

    def __call__(self, ctx: BuildContext, subject: GateInput) -> Any:
        from .. import qa

        return qa.check(ctx)


class ExecutedChapterChecks:
    """Text and figures that cells generated (the sources' own lines were checked by SourceChecks)."""

    stage = EXECUTED

    def __call__(self, ctx: BuildContext, subject: GateInput) -> Any:
        from .. import qa

        return qa.check_book(ctx, dict(subject.executed))


class OutputChecks:
    """The written files (PDF tagging and size, alt text, leaks in text and metadata), before the swap."""

    stage = OUTPUTS

    def __call__(self, ctx: BuildContext, subject: GateInput) -> Any:
        from .. import qa

        output_dir = ctx.project.output_dir
        shown_as = output_dir.relative_to(ctx.root).as_posix() if output_dir.is_relative_to(ctx.root) \
            else output_dir.name
        return qa.check_outputs(ctx, subject.output_dir, shown_as=shown_as, executed=dict(subject.executed) or None)


DEFAULT_GATES: tuple[Gate, ...] = (SourceChecks(), ExecutedChapterChecks(), OutputChecks())


def gate_names(gates: Sequence[Gate], stage: str) -> str:
    """Which gates of a stage run (part of the output stamp: other checks, another verdict)."""
    return ",".join(type(gate).__qualname__ for gate in gates if gate.stage == stage)


def run_gates(gates: Sequence[Gate], stage: str, ctx: BuildContext, subject: GateInput,
              progress: Progress | None, record: list[tuple[str, Any]] | None = None,
              open_errors: list | None = None, shown: list | None = None,
              drop_rules: frozenset[str] = frozenset()) -> None:
    """Run the stage's gates: show their warnings; stop the build on their errors. Every result is
    appended to ``record`` as (stage, result), also when it stops the build.

    A draft passes ``open_errors`` (a list): errors that do not stop a draft (render.draft.STOPS_A_DRAFT)
    are printed and appended there, for the draft's findings page. ``shown`` collects every finding shown
    (warnings and a draft's open errors), for a caller that displays them (the preview). ``drop_rules``:
    rules that do not apply to this build (DHR-P008 when neither HTML nor PDF is written)."""
    from ..qa.report import format_finding
    from .draft import stops_a_draft

    for gate in gates:
        if gate.stage != stage:
            continue
        result = gate(ctx, subject)
        if drop_rules and hasattr(result, "findings"):
            result.findings = [f for f in result.findings if f.rule not in drop_rules]
        if record is not None:
            record.append((stage, result))
        for finding in result.warnings:
            if progress is not None:
                progress.warning(format_finding(finding))
        errors = list(result.errors)
        if shown is not None:
            shown.extend(result.warnings)
            shown.extend(f for f in errors if open_errors is not None and not stops_a_draft(f))
        if open_errors is not None:
            for finding in [f for f in errors if not stops_a_draft(f)]:
                open_errors.append(finding)
                if progress is not None:
                    progress.open_error(format_finding(finding))
            errors = [f for f in errors if stops_a_draft(f)]
        if errors:
            where = _WHERE[stage]
            raise BuildError(f"{len(errors)} QA error{'s' if len(errors) != 1 else ''} {where}; the outputs were "
                             "not updated:\n  " + "\n  ".join(map(format_finding, errors))
                             + "\n  fix: " + _FIXES[stage])
