"""Build progress: one line per chapter with its execution time on a terminal; plain and quiet in CI."""
from __future__ import annotations

import os
import sys
from typing import TextIO


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def _interactive(stream: TextIO) -> bool:
    ci = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}
    return not ci and hasattr(stream, "isatty") and stream.isatty()


class Progress:
    """Reports chapters as they finish. ``quiet`` silences everything except the caller's errors."""

    def __init__(self, quiet: bool = False, stream: TextIO | None = None):
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.rich = not quiet and _interactive(self.stream)
        self._console = None
        if self.rich:
            from rich.console import Console

            self._console = Console(file=self.stream, highlight=False)

    def chapter(self, rel: str, seconds: float | None) -> None:
        """A chapter is ready: executed in ``seconds``, or taken from the cache (None)."""
        if not self.rich:
            return
        timing = "[dim]cached[/dim]" if seconds is None else f"[cyan]{seconds:5.1f} s[/cyan]"
        self._console.print(f"  [green]✓[/green] {rel:<48} {timing}")

    def step(self, message: str) -> None:
        """A stage starts (or a note on one); shown so that no wait of more than a few seconds is silent."""
        if self.quiet:
            return
        if self.rich:
            self._console.print(f"  [dim]…[/dim] {_escape(message)}")
        else:
            print(f"… {message}", file=self.stream, flush=True)

    def warning(self, message: str) -> None:
        if self.quiet:
            return
        if self.rich:
            self._console.print(f"  [yellow]warning:[/yellow] {message}")
        else:
            print(f"warning: {message}", file=self.stream)

    def open_error(self, message: str) -> None:
        """A QA error that does not stop a draft (it goes on the draft's findings page)."""
        if self.quiet:
            return
        if self.rich:
            self._console.print(f"  [red]open:[/red] {_escape(message)}")
        else:
            print(f"open: {message}", file=self.stream)

    def done(self, message: str) -> None:
        if self.quiet:
            return
        if self.rich:
            self._console.print(f"[bold green]{message}[/bold green]")
        else:
            print(message, file=self.stream)
