"""The embedded engine: parse chapters, run their code in Jupyter kernels (cached), assemble and number
the Book, then pandoc/Typst writers. No Quarto needed."""
from __future__ import annotations

import threading
import time
from pathlib import Path

from ..config import BuildContext
from ..errors import BuildError, InputError, Problem
from ..source import Chapter
from ..source import read_chapter as parse_chapter
from .assemble import ChapterMarkdown
from .bookbuild import build_book, executed_markdown
from .engine_base import Execution
from .outputs import OutputStamp
from .progress import Progress
from .result import RenderOptions, RenderResult
from .pandoc_ast import Prefetch
from .run_chapters import Executed, execute_chapters
from .writers import write_outputs, writers_stamp


def parse_all(ctx: BuildContext) -> list[Chapter]:
    """Every chapter parsed; every chapter's problems reported at once."""
    problems: list[Problem] = []
    chapters = []
    for ref in ctx.project.chapters:
        try:
            chapters.append(parse_chapter(ref.path, ref.rel))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    return chapters


class EmbeddedEngine:
    name = "embedded"
    writes_book = True  # writes the Book itself: a draft's findings page, the single-file HTML, the upload bundle

    def __init__(self) -> None:
        self.chapters: list[Chapter] = []

    def available(self) -> bool:
        return True

    def prepare(self, ctx: BuildContext) -> None:
        self.chapters = parse_all(ctx)  # bad input is reported before anything else runs

    def execute(self, ctx: BuildContext, options: RenderOptions, progress: Progress,
                result: RenderResult) -> Execution:
        ready: dict[str, ChapterMarkdown] = {}
        held: list[str] = []  # cached chapters' Markdown: read only once some chapter has run
        lock = threading.Lock()

        def assemble_early(item: Executed) -> None:
            """A chapter's executed Markdown made, and its pandoc read started, while the kernels run the
            others. Only once a chapter has run: when every chapter comes from the cache, the book pass is
            usually cached too and reads nothing."""
            try:
                markdown = executed_markdown(ctx, item)
            except Exception:  # noqa: BLE001 — made again (and reported) by build_book
                return
            with lock:
                ready[item.chapter.rel] = markdown
                held.append(markdown.markdown)
                if item.seconds is None and len(held) == len(ready):
                    return  # nothing has run yet
                start, held[:] = list(held), []
            for text in start:
                reads.read(text)

        started = time.perf_counter()
        with Prefetch() as reads:
            executed = execute_chapters(ctx, self.chapters, no_cache=options.no_cache, progress=progress,
                                         result=result, warm=options.warm_kernels, on_ready=assemble_early,
                                         defer_readers_of=options.defer_readers_of)
            started = result.lap("execute cells (cache, kernels)", started)
            book, executed_md, problems, images = build_book(ctx, executed, ready)
            started = result.lap("assemble + number the book", started)
        result.book = book
        if problems and (ctx.publish or ctx.strict):
            raise BuildError("the book cannot be published as it is:\n  " + "\n  ".join(map(str, problems)))
        for problem in problems:
            result.warnings.append(str(problem))
            progress.warning(str(problem))
        inputs = writers_stamp(book, (), options.single_file, images)
        stamp = OutputStamp.digest(inputs, ",".join(ctx.formats))
        result.lap("stamp the writers' inputs", started)
        return Execution(executed_markdown=executed_md, stamp=stamp, inputs_stamp=inputs, book=book)

    def write(self, ctx: BuildContext, execution: Execution, staging: Path, options: RenderOptions,
              progress: Progress) -> list[Path]:
        assert execution.book is not None
        progress.step(f"writing {', '.join(ctx.formats)}")
        return write_outputs(execution.book, ctx.formats, staging, options.single_file)

    def executed_from_outputs(self, ctx: BuildContext, staging: Path) -> dict[str, str]:
        return {}
