"""The engines a render can use, by name. An engine turns a project into executed chapters and written
files; the pipeline (:mod:`.pipeline`) runs the same QA gates, staging folder and swap around every one.

``auto`` picks the available engine of lowest priority: Quarto when a `quarto` binary is on PATH, else embedded.
"""
from __future__ import annotations

from collections.abc import Callable

from ..errors import InputError, Problem
from .engine_base import Engine
from .engine_embedded import EmbeddedEngine
from .engine_quarto import QuartoEngine

_REGISTRY: dict[str, Callable[[], Engine]] = {}
_AUTO_PRIORITY: dict[str, int] = {}


def register_engine(name: str, factory: Callable[[], Engine], *, auto_priority: int | None = None) -> None:
    """Make an engine available as `--engine NAME`; with ``auto_priority`` `auto` may choose it (lowest
    first, when available)."""
    _REGISTRY[name] = factory
    if auto_priority is not None:
        _AUTO_PRIORITY[name] = auto_priority


def engine_names() -> tuple[str, ...]:
    return ("auto", *_REGISTRY)


def choose_engine(name: str) -> str:
    """The engine's name, `auto` resolved; an unknown name is bad input."""
    if name != "auto" and name not in _REGISTRY:
        raise InputError(Problem("dhr render", f"unknown engine {name!r}", fix=f"use one of {', '.join(engine_names())}"))
    if name == "auto":
        return next(n for n in sorted(_AUTO_PRIORITY, key=_AUTO_PRIORITY.__getitem__) if _REGISTRY[n]().available())
    return name


def engine_for(name: str) -> Engine:
    """A fresh engine for one render."""
    return _REGISTRY[choose_engine(name)]()


register_engine("embedded", EmbeddedEngine, auto_priority=100)  # always available
register_engine("quarto", QuartoEngine, auto_priority=0)  # when `quarto` is on PATH
