"""The Quarto engine: one `quarto render` per format, each into a folder of its own (every `quarto render`
empties its output folder) gathered into the staging folder, with the build context in the environment
(and `dhr-publish` metadata). The executed chapters for the QA gate are read back from the pages Quarto
wrote (HTML or Markdown), since Quarto executes and writes in one step.

Quarto's freezer (`execute: freeze: auto`) watches only a chapter's source: a publication build, `--no-cache`
and a draft after a change to a file under `data/` pass `-M freeze:false`, so every chapter runs again. A
publication build also selects the project's `publish` profile (`_quarto-publish.yml`) when it has one."""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

from ..config import BuildContext
from ..tools.quarto import find_quarto, require_quarto, run_quarto
from .engine_base import Execution
from .progress import Progress
from .result import RenderOptions, RenderResult

QUARTO_FORMATS = {"html": "html", "pdf": "typst", "docx": "docx", "markdown": "md"}
_MAIN = re.compile(r"<main\b[^>]*>(.*)</main>", re.DOTALL | re.IGNORECASE)


PUBLISH_PROFILE = "publish"
DATA_STAMP = Path(".dhr-cache") / "quarto-data.json"


def quarto_arguments(ctx: BuildContext, fmt: str, out_dir: Path, *, no_cache: bool) -> list[str]:
    """`quarto render` for one format. ``no_cache``: nothing frozen is reused (`-M freeze:false`; Quarto's
    `--cache-refresh` is for jupyter-cache and does not bypass the freezer)."""
    to = QUARTO_FORMATS[fmt] if fmt == "markdown" else ctx.project.quarto_format(QUARTO_FORMATS[fmt])
    args = ["render", str(ctx.root), "--to", to, "--output-dir", str(out_dir)]
    if ctx.publish and (ctx.root / f"_quarto-{PUBLISH_PROFILE}.yml").is_file():
        args += ["--profile", PUBLISH_PROFILE]
    if ctx.publish:
        args += ["-M", "dhr-publish:true"]
    if no_cache or ctx.publish:
        args += ["-M", "freeze:false"]
    return args


def data_digest(ctx: BuildContext) -> str:
    """What a frozen chapter cannot see change: the files under `data/` and the build mode."""
    from .datawatch import snapshot

    return hashlib.sha256(json.dumps([snapshot(ctx.root), ctx.publish], sort_keys=True).encode()).hexdigest()


def _data_changed(ctx: BuildContext) -> bool:
    stamp = ctx.root / DATA_STAMP
    try:
        return json.loads(stamp.read_text(encoding="utf-8")).get("data") != data_digest(ctx)
    except (OSError, ValueError, AttributeError):
        return True


def _record_data(ctx: BuildContext) -> None:
    stamp = ctx.root / DATA_STAMP
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(json.dumps({"data": data_digest(ctx)}), encoding="utf-8")


def _path_with_dhr() -> str:
    """PATH with this dhr-kit's scripts first: `_quarto.yml`'s pre-render runs `dhr check` (the same
    dhr-kit, also when its virtual environment is not activated)."""
    scripts = str(Path(sys.executable).parent)
    return os.pathsep.join([scripts, *[p for p in os.environ.get("PATH", "").split(os.pathsep) if p != scripts]])


def gather(part: Path, staging: Path) -> None:
    """Move one format's output folder into the staging folder (later formats win on shared files)."""
    for item in sorted(part.rglob("*")):
        if item.is_file():
            dest = staging / item.relative_to(part)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(item), dest)


def _page_markdown(page: Path) -> str:
    """A chapter page's main content as Markdown (one paragraph a line), for the executed-chapter checks."""
    from ..tools.pandoc import run_pandoc

    text = page.read_text(encoding="utf-8", errors="replace")
    if page.suffix == ".md":
        return text
    main = _MAIN.search(text)
    return run_pandoc(main.group(1) if main else text, ["-f", "html", "-t", "commonmark-raw_html", "--wrap=none"])


def wants_summary(ctx: BuildContext) -> bool:
    """`executive-summary.pdf` is due: a PDF is built and the project names its executive summary chapter."""
    return "pdf" in ctx.formats and ctx.project.executive_summary is not None


class QuartoEngine:
    name = "quarto"
    writes_book = False  # Quarto writes the book: a draft with QA errors stops, as before; no upload bundle

    def __init__(self) -> None:
        from .engine_embedded import EmbeddedEngine

        self.summary_engine = EmbeddedEngine()  # executes the book for executive-summary.pdf

    def available(self) -> bool:
        return find_quarto() is not None

    def prepare(self, ctx: BuildContext) -> None:
        require_quarto()
        if wants_summary(ctx):
            self.summary_engine.prepare(ctx)  # a chapter's bad input is reported before Quarto runs

    def execute(self, ctx: BuildContext, options: RenderOptions, progress: Progress,
                result: RenderResult) -> Execution:
        return Execution(executed_markdown=None)  # Quarto executes while it writes

    def write(self, ctx: BuildContext, execution: Execution, staging: Path, options: RenderOptions,
              progress: Progress) -> list[Path]:
        env = {**ctx.kernel_environment(), "PATH": _path_with_dhr()}
        fresh = options.no_cache or _data_changed(ctx)
        for fmt in ctx.formats:
            progress.step(f"quarto render --to {QUARTO_FORMATS[fmt]}")
            part = Path(tempfile.mkdtemp(prefix=f"{staging.name}-quarto-{fmt}-", dir=staging.parent))
            try:
                run_quarto(quarto_arguments(ctx, fmt, part, no_cache=fresh), cwd=ctx.root, env=env)
                gather(part, staging)
            finally:
                shutil.rmtree(part, ignore_errors=True)
        _record_data(ctx)
        if wants_summary(ctx):
            self.write_summary(ctx, staging, options, progress)
        return sorted(p for p in staging.rglob("*") if p.is_file())

    def write_summary(self, ctx: BuildContext, staging: Path, options: RenderOptions, progress: Progress) -> Path:
        """`executive-summary.pdf` from the embedded engine's Book (the whole book is numbered, so the
        summary's references to other chapters say where they are), into ``staging``."""
        from .pdf import write_executive_summary_pdf

        progress.step("executive-summary.pdf (embedded engine)")
        scratch = RenderResult(engine=self.summary_engine.name, output_dir=staging)
        execution = self.summary_engine.execute(ctx, options, Progress(quiet=True), scratch)
        for warning in scratch.warnings:
            progress.warning(warning)
        assert execution.book is not None
        return write_executive_summary_pdf(execution.book, staging / "executive-summary.pdf")

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
