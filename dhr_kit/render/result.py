"""What a render reports back: the engine, the files written, what ran and what came from the cache."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .book import Book


@dataclass(frozen=True)
class RenderOptions:
    """Per-run switches that are not build settings (they do not change what the outputs say)."""

    no_cache: bool = False  # re-execute every chapter
    single_file: bool = False  # HTML as one self-contained page
    warm_kernels: Any = field(default=None, compare=False)  # render.warm.WarmKernels kept between renders
    # The preview, after a save: chapters whose cached run is stale only because they read these (other
    # chapters' sources, e.g. the readiness gate reads every chapter) keep it for now (RenderResult.deferred).
    defer_readers_of: frozenset[str] = frozenset()


@dataclass
class RenderResult:
    engine: str
    output_dir: Path
    outputs: list[Path] = field(default_factory=list)
    kernels_started: int = 0
    executed: list[str] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)
    deferred: list[str] = field(default_factory=list)  # stale runs kept (RenderOptions.defer_readers_of)
    chapter_seconds: dict[str, float] = field(default_factory=dict)
    writers_skipped: bool = False  # outputs were already up to date
    warnings: list[str] = field(default_factory=list)
    qa_results: list[tuple[str, Any]] = field(default_factory=list)  # (gate stage, its findings) in order
    open_findings: list = field(default_factory=list)  # a draft's QA errors (on its findings page)
    qa_findings: list = field(default_factory=list)  # every QA finding shown: warnings and a draft's open errors
    stale: list[str] = field(default_factory=list)  # formats carried over from an older build
    bundle: Path | None = None  # the upload bundle of a publication build
    book: Book | None = None
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)  # seconds per step, in order (bench/preview.py)

    def lap(self, step: str, started: float) -> float:
        """Add the time since ``started`` to ``step``; returns now (the next step's start)."""
        import time

        now = time.perf_counter()
        self.timings[step] = self.timings.get(step, 0.0) + now - started
        return now
