"""The engines a render can use, by name. An engine turns a project into executed chapters and written
files; the pipeline (:mod:`.pipeline`) runs the same QA gates, staging folder and swap around every one.

``auto`` picks the first available engine in AUTO_ORDER (Quarto when a `quarto` binary is on PATH).
"""
from __future__ import annotations

from collections.abc import Callable

from ..errors import InputError, Problem
from .engine_base import Engine
from .engine_embedded import EmbeddedEngine
from .engine_quarto import QuartoEngine


_REGISTRY: dict[str, Callable[[], Engine]] = {}
AUTO_ORDER: list[str] = []


def register_engine(name: str, factory: Callable[[], Engine], *, auto_rank: int | None = None) -> None:
    """Make an engine available as `--engine NAME`; ``auto_rank`` places it in the `auto` choice."""
    _REGISTRY[name] = factory
    if auto_rank is not None and name not in AUTO_ORDER:
        AUTO_ORDER.insert(auto_rank, name)


def engine_names() -> tuple[str, ...]:
    return ("auto", *_REGISTRY)


def choose_engine(name: str) -> str:
    """The engine's name, `auto` resolved; an unknown name is bad input."""
    if name != "auto" and name not in _REGISTRY:
        raise InputError(Problem("dhr render", f"unknown engine {name!r}", fix=f"use one of {', '.join(engine_names())}"))
    if name == "auto":
        return next(n for n in AUTO_ORDER if _REGISTRY[n]().available())
    return name


def engine_for(name: str) -> Engine:
    """A fresh engine for one render."""
    return _REGISTRY[choose_engine(name)]()


register_engine("embedded", EmbeddedEngine, auto_rank=0)
register_engine("quarto", QuartoEngine, auto_rank=0)
