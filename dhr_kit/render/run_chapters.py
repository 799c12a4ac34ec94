"""Which chapters need their code run, and running them: cache look-up, then the rest on PARALLEL_KERNELS
workers, each with one Jupyter kernel reused (and reset) from chapter to chapter."""
from __future__ import annotations

import hashlib
import json
import os
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..config import BuildContext
from ..project import Project
from .cache import CACHE_DIR, ChapterCache, code_version, fallback_read_set, normalise_read_set
from .execute import KernelSession
from .progress import Progress
from ..source import Chapter, inline_expressions
from .result import RenderResult

PARALLEL_KERNELS = 2
ISOLATE_ENV = "DHR_ISOLATE_CHAPTERS"


@dataclass
class Executed:
    chapter: Chapter
    outputs: list[list[dict]]
    seconds: float | None  # None: from the cache or stored notebook outputs


def isolate_chapters(project: Project) -> bool:
    """One kernel per chapter (`dhr: isolate-chapters: true` or DHR_ISOLATE_CHAPTERS=1) instead of one
    reused kernel per worker, reset between chapters."""
    env = os.environ.get(ISOLATE_ENV, "").strip().lower()
    if env:
        return env in {"1", "true", "yes"}
    return project.settings.isolate_chapters


def _stored_outputs_only(chapter: Chapter) -> bool:
    """A notebook whose front matter says `execute: enabled: false` keeps its saved outputs (as Quarto)."""
    execute = chapter.front_matter.get("execute") or {}
    return chapter.path.suffix == ".ipynb" and execute.get("enabled") is False


def run_in_kernels(ctx: BuildContext, plan: list[tuple[Chapter, str]],
                   run: Callable[[KernelSession, Chapter, str], Executed],
                   warm: Any = None) -> tuple[list[Executed], int]:
    """Run the plan on PARALLEL_KERNELS workers, each with its own kernel session, taking chapters in order.

    Returns the executed chapters and the number of kernels started. Every kernel is shut down before
    this returns; after a failure no further chapter starts, and the first failure in chapter order is raised.
    """
    if not plan:
        return [], 0
    isolate = isolate_chapters(ctx.project)
    if isolate:
        warm = None  # render.warm.WarmKernels: kernels kept between renders (the preview), same names list
    pending: queue.SimpleQueue[int] = queue.SimpleQueue()
    for index in range(len(plan)):
        pending.put(index)
    results: dict[int, Executed] = {}
    failures: dict[int, BaseException] = {}
    started: list[int] = []
    stop = threading.Event()

    def worker() -> None:
        session = warm.lend(ctx.deny_list.path) if warm is not None else KernelSession(ctx.root, names_file=ctx.deny_list.path)
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


def code_digest(chapter: Chapter) -> str:
    """What a chapter's kernel run depends on in the chapter itself: its front matter and each code cell's
    code and `#|` options (not its prose, nor where the cells sit: outputs never carry file lines). A chapter
    whose kernel reads the chapter file records it in its read-set, so it still runs again on any edit."""
    inline, code_cells_before = [], 0  # inline `{python}` expressions run where they stand, between the cells
    for cell in chapter.cells:
        if cell.kind == "code":
            code_cells_before += 1
        elif expressions := [e for _, e in inline_expressions(cell.source)]:
            inline.append([code_cells_before, expressions])
    payload = [chapter.path.suffix, chapter.front_matter, [[c.source, c.options] for c in chapter.code_cells],
               inline]
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def execute_chapters(ctx: BuildContext, chapters: list[Chapter], *, no_cache: bool, progress: Progress,
                     result: RenderResult, warm: Any = None,
                     on_ready: Callable[[Executed], None] | None = None,
                     defer_readers_of: frozenset[str] = frozenset()) -> list[Executed]:
    """Every chapter's cell outputs, in book order: from the cache when fresh, else run in a kernel.

    ``on_ready`` is called with each chapter as soon as its outputs are known (cached ones first, then
    each as its kernel finishes it, from that worker's thread), so later stages can start on it.
    ``defer_readers_of``: files (other chapters' sources just saved, in the preview) whose change alone
    does not make a chapter run now: its last outputs are used and it is listed in ``result.deferred``."""
    project = ctx.project
    cache = ChapterCache(project.root)
    ignored = {CACHE_DIR, project.output_dir.name}
    plan: list[tuple[Chapter, str]] = []
    done: dict[str, Executed] = {}
    for chapter in chapters:
        if _stored_outputs_only(chapter):
            done[chapter.rel] = Executed(chapter, [c.outputs or [] for c in chapter.code_cells], None)
            continue
        if not chapter.code_cells and not any(inline_expressions(c.source) for c in chapter.cells):
            done[chapter.rel] = Executed(chapter, [], None)  # nothing to run: no kernel
            continue
        included = "".join(cache.hasher.file(p.relative_to(project.root).as_posix()) for p in chapter.includes)
        key = cache.key(chapter.path, publish=ctx.publish, version=code_version(), extra=included,
                        code=code_digest(chapter))
        entry = None if no_cache else cache.load(chapter.rel)
        frozen = project.freeze is True and entry is not None
        if entry is not None and (frozen or cache.is_fresh(entry, key)):
            done[chapter.rel] = Executed(chapter, entry.outputs, None)
        elif entry is not None and defer_readers_of and \
                cache.is_fresh(entry, key, except_files=defer_readers_of - {chapter.rel}):
            done[chapter.rel] = Executed(chapter, entry.outputs, None)
            result.deferred.append(chapter.rel)
        else:
            plan.append((chapter, key))

    def run(session: KernelSession, chapter: Chapter, key: str) -> Executed:
        run_result = session.execute(chapter, publish=ctx.publish, project_execute=project.execute)
        files = normalise_read_set(run_result.files, ignored) if run_result.files is not None \
            else fallback_read_set(project.root)
        dirs = normalise_read_set(run_result.dirs or [], ignored)
        cache.store(chapter.rel, key, run_result.outputs, files, dirs, run_result.seconds)
        progress.chapter(chapter.rel, run_result.seconds)
        item = Executed(chapter, run_result.outputs, run_result.seconds)
        if on_ready is not None:
            on_ready(item)
        return item

    for chapter in chapters:
        if chapter.rel in done:
            progress.chapter(chapter.rel, None)
            if on_ready is not None:
                on_ready(done[chapter.rel])
    executed, result.kernels_started = run_in_kernels(ctx, plan, run, warm)
    done.update((item.chapter.rel, item) for item in executed)
    result.executed = [c.rel for c, _ in plan]
    result.cached = [c.rel for c in chapters if c.rel not in result.executed]
    result.chapter_seconds = {rel: e.seconds for rel, e in done.items() if e.seconds is not None}
    return [done[c.rel] for c in chapters]
