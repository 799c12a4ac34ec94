"""Choosing the engine, and the Quarto engine (`quarto render` with equivalent options)."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from ..errors import InputError, Problem
from ..project import Project
from ..tools.quarto import find_quarto, run_quarto
from .outputs import staging_dir, swap_in

ENGINES = ("auto", "embedded", "quarto")
QUARTO_FORMATS = {"html": "html", "pdf": "typst", "docx": "docx", "markdown": "md"}


def choose_engine(engine: str) -> str:
    """`auto` → quarto when a `quarto` binary is on PATH, else embedded."""
    if engine not in ENGINES:
        raise InputError(Problem("dhr render", f"unknown engine {engine!r}", fix=f"use one of {', '.join(ENGINES)}"))
    if engine == "auto":
        return "quarto" if find_quarto() is not None else "embedded"
    return engine


def quarto_arguments(project: Project, fmt: str, out_dir: Path, *, publish: bool, no_cache: bool) -> list[str]:
    args = ["render", str(project.root), "--to", QUARTO_FORMATS[fmt], "--output-dir", str(out_dir)]
    if publish:
        args += ["-M", "dhr-publish:true"]
    if no_cache:
        args += ["--cache-refresh"]
    return args


def render_with_quarto(project: Project, formats: list[str], *, publish: bool, strict: bool,
                       names_file: Path | str | None, no_cache: bool, gate: Callable[[], None]):
    """`dhr check` first (``gate``), then one `quarto render` per format into a staging folder."""
    from .pipeline import RenderResult, _check_outputs

    gate()
    env = {"DHR_PUBLISH": "1" if publish else "0", "DHR_PROJECT": str(project.root)}
    result = RenderResult(engine="quarto", output_dir=project.output_dir)
    with staging_dir(project.output_dir) as staging:
        for fmt in formats:
            run_quarto(quarto_arguments(project, fmt, staging, publish=publish, no_cache=no_cache),
                       cwd=project.root, env=env)
        _check_outputs(project, staging, publish, strict, names_file)
        written = sorted(p.relative_to(staging) for p in staging.rglob("*") if p.is_file())
        swap_in(staging, project.output_dir)
    result.outputs = [project.output_dir / p for p in written]
    return result
