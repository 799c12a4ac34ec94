"""The build context: everything one command (`dhr render`, `dhr check`) decides before it starts, resolved
once — the project (`_quarto.yml`), the review data (loaded at most once, when first needed), draft or
publication, --strict, the private deny-list (read once), the output formats and the engine — and then
passed whole to rendering and QA (as MkDocs loads its config, then builds from it)."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .context import chapter_environment
from .denylist import DenyList, read_deny_list
from .errors import InputError, Problem
from .project import Project, load_project

if TYPE_CHECKING:
    from .model import Review

FORMATS = ("html", "pdf", "docx")
TARGETS = (*FORMATS, "all", "markdown")  # "markdown": the assembled book's Markdown (debugging, tests)


def selected_formats(to: str) -> tuple[str, ...]:
    """`--to` as the formats to write; an unknown one is bad input."""
    if to not in TARGETS:
        raise InputError(Problem("dhr render", f"unknown output format {to!r}", fix=f"use one of {', '.join(TARGETS)}"))
    return FORMATS if to == "all" else (to,)


@dataclass(frozen=True)
class BuildContext:
    """One command's settings, resolved once. Build it with :func:`resolve_context`."""

    project: Project
    publish: bool = False
    strict: bool = False
    deny_list: DenyList = field(default_factory=DenyList)
    formats: tuple[str, ...] = FORMATS
    engine: str = "auto"
    _memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    _lock: Any = field(default_factory=threading.Lock, compare=False, repr=False)

    @property
    def root(self) -> Path:
        return self.project.root

    @property
    def has_review(self) -> bool:
        """False for a plain Quarto book (no case data), which the renderer can still build."""
        return (self.root / "data" / "review.yml").is_file()

    @property
    def review(self) -> Review:
        """The review's data, loaded on first use and then shared (a load error is raised again, not retried)."""
        with self._lock:
            if "review" not in self._memo:
                from .loader import load_review  # pandas and pydantic models: only when the data is needed

                signature = data_signature(self.root)
                try:
                    self._memo["review"] = _REVIEWS.get(signature) if signature is not None else None
                    if self._memo["review"] is None:
                        self._memo["review"] = load_review(self.root)
                        if signature is not None:
                            _REVIEWS.clear()
                            _REVIEWS[signature] = self._memo["review"]
                except InputError as exc:
                    self._memo["review"] = exc
            value = self._memo["review"]
        if isinstance(value, InputError):
            raise InputError(value.problems)
        return value

    def kernel_environment(self, chapter_dir: Path | None = None) -> dict[str, str]:
        """The DHR_* variables a chapter of this build runs with (read back by :mod:`dhr_kit.context`)."""
        return chapter_environment(self.root, publish=self.publish, chapter_dir=chapter_dir,
                                   names_file=self.deny_list.path)


# The last review loaded in this process, by the signature of its data files (the preview builds again
# on every save; the data rarely changed). Files modified in the last 2 s are never trusted to it.
_REVIEWS: dict[tuple, Review] = {}


def data_signature(root: Path) -> tuple | None:
    """(path, inode, size, mtime) of every file under ``data/``; None when one changed in the last 2 s
    (too recent to trust: a second write in the same clock tick would go unseen)."""
    import os
    import time

    data = root / "data"
    if not data.is_dir():
        return None
    entries = []
    now = time.time()
    for path in sorted(data.rglob("*")):
        try:
            info = os.stat(path)
        except OSError:
            return None
        if now - info.st_mtime < 2.0:
            return None
        entries.append((str(path), info.st_ino, info.st_size, info.st_mtime_ns))
    return (str(root.resolve()), tuple(entries))


def resolve_context(root: Path | str = ".", *, publish: bool = False, strict: bool = False,
                    names_file: Path | str | None = None, formats: tuple[str, ...] | str = FORMATS,
                    engine: str = "auto") -> BuildContext:
    """Load `_quarto.yml` and the deny-list ($DHR_NAMES_FILE when ``names_file`` is None); bad input raises
    InputError. ``formats`` may be a `--to` value ("all", "html", …)."""
    project = load_project(root)
    chosen = selected_formats(formats) if isinstance(formats, str) else tuple(formats)
    return BuildContext(project=project, publish=publish, strict=strict, deny_list=read_deny_list(names_file),
                        formats=chosen, engine=engine)


def as_context(target: Path | str | BuildContext, *, publish: bool = False, strict: bool = False,
               names_file: Path | str | None = None) -> BuildContext:
    """A context as given, or resolved from a project root and loose settings (the public QA functions
    take either)."""
    if isinstance(target, BuildContext):
        if publish or strict or names_file is not None:
            raise TypeError("pass publish/strict/names_file when resolving the context, not with one")
        return target
    return resolve_context(target, publish=publish, strict=strict, names_file=names_file)
