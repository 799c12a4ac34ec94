"""The Quarto engine: one `quarto render` per format into the staging folder, with the build context in
the environment (and `dhr-publish` metadata). The executed chapters for the QA gate are read back from
the pages Quarto wrote (HTML or Markdown), since Quarto executes and writes in one step."""
from __future__ import annotations

import re
from pathlib import Path

from ..config import BuildContext
from ..tools.quarto import find_quarto, require_quarto, run_quarto
from .engine_base import Execution
from .progress import Progress
from .result import RenderOptions, RenderResult

QUARTO_FORMATS = {"html": "html", "pdf": "typst", "docx": "docx", "markdown": "md"}
_MAIN = re.compile(r"<main\b[^>]*>(.*)</main>", re.DOTALL | re.IGNORECASE)


def quarto_arguments(ctx: BuildContext, fmt: str, out_dir: Path, *, no_cache: bool) -> list[str]:
    args = ["render", str(ctx.root), "--to", QUARTO_FORMATS[fmt], "--output-dir", str(out_dir)]
    if ctx.publish:
        args += ["-M", "dhr-publish:true"]
    if no_cache:
        args += ["--cache-refresh"]
    return args


def _page_markdown(page: Path) -> str:
    """A chapter page's main content as Markdown (one paragraph a line), for the executed-chapter checks."""
    from ..tools.pandoc import run_pandoc

    text = page.read_text(encoding="utf-8", errors="replace")
    if page.suffix == ".md":
        return text
    main = _MAIN.search(text)
    return run_pandoc(main.group(1) if main else text, ["-f", "html", "-t", "commonmark-raw_html", "--wrap=none"])


class QuartoEngine:
    name = "quarto"
    writes_book = False  # Quarto writes the book: a draft with QA errors stops, as before; no upload bundle

    def available(self) -> bool:
        return find_quarto() is not None

    def prepare(self, ctx: BuildContext) -> None:
        require_quarto()

    def execute(self, ctx: BuildContext, options: RenderOptions, progress: Progress,
                result: RenderResult) -> Execution:
        return Execution(executed_markdown=None)  # Quarto executes while it writes

    def write(self, ctx: BuildContext, execution: Execution, staging: Path, options: RenderOptions,
              progress: Progress) -> list[Path]:
        env = ctx.kernel_environment()
        for fmt in ctx.formats:
            progress.step(f"quarto render --to {QUARTO_FORMATS[fmt]}")
            run_quarto(quarto_arguments(ctx, fmt, staging, no_cache=options.no_cache), cwd=ctx.root, env=env)
        return sorted(p for p in staging.rglob("*") if p.is_file())

    def executed_from_outputs(self, ctx: BuildContext, staging: Path) -> dict[str, str]:
        """Each chapter's page (`chapters/x.html`, or `chapters/x.md` for `--to markdown`), where Quarto wrote one."""
        found: dict[str, str] = {}
        for ref in ctx.project.chapters:
            for suffix in (".md", ".html"):
                page = staging / Path(ref.rel).with_suffix(suffix)
                if page.is_file():
                    found[ref.rel] = _page_markdown(page)
                    break
        return found
