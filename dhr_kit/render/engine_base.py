"""What an engine is: the interface the pipeline drives, and what its execution stage hands back."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from ..config import BuildContext
from .book import Book
from .progress import Progress
from .result import RenderOptions, RenderResult


@dataclass
class Execution:
    """An engine's executed chapters, before anything is written."""

    executed_markdown: dict[str, str] | None  # rel → executed Markdown; None: known only from the outputs
    stamp: str | None = None  # digest of what the writers read (None: always write)
    inputs_stamp: str | None = None  # the same without the formats chosen (one format's inputs, for the build log)
    book: Book | None = None


class Engine(Protocol):
    name: str
    writes_book: bool  # writes the Book itself (a draft's findings page, upload bundle); else QA errors stop a draft

    def available(self) -> bool:
        """Can run on this machine (for `auto`)."""

    def prepare(self, ctx: BuildContext) -> None:
        """Bad input and missing tools, before any gate or chapter runs."""

    def execute(self, ctx: BuildContext, options: RenderOptions, progress: Progress,
                result: RenderResult) -> Execution: ...

    def write(self, ctx: BuildContext, execution: Execution, staging: Path, options: RenderOptions,
              progress: Progress) -> list[Path]:
        """Write ctx.formats into ``staging``; returns the files written."""

    def executed_from_outputs(self, ctx: BuildContext, staging: Path) -> dict[str, str]:
        """Executed chapters recovered from the written outputs (when execute() could not give them)."""
