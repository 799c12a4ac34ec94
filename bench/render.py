"""Render benchmark: cold and warm builds against the floor measured in the same run.

    .venv/bin/python bench/render.py [PROJECT] [--scale 4] [--to all] [--skip-qa] [--isolate] [--stages]

For the project (default: this checkout's example) and a synthetic review ``--scale`` times its size
(chapters duplicated with relabelled cross-references, chronology rows repeated), prints: cold render,
warm no-change render, and the floor, with the ratios warm/cold (goal <= 0.1) and cold/floor (goal <= 1.3).
Everything runs in temporary copies.

The floor is the work no renderer of this book can avoid, done plainly, one stage after the other:

1. the chapters' own code, run once: every chapter the cold build executed, its evaluated cells in
   plain Jupyter kernels (PARALLEL_KERNELS of them, each reused from chapter to chapter, as the
   renderer does) with the same figure formats and matplotlib settings, but none of dhr-kit's kernel
   set-up: no read recorder, no per-chapter reset, no cache; drawn figures removed first, so the
   charts are drawn again;
2. one pandoc read per chapter of the executed Markdown the cold build made (PANDOC_WORKERS side by
   side, past the in-process memo);
3. the writers (pandoc, Typst) on the cold build's Book, as the pipeline runs them.

Everything else the cold build does — parsing sources, QA gates, the kernels' set-up and resets,
assembling and numbering the book, caches, stamps, the staging folder — is overhead on the floor.
(An earlier floor counted only the writers and one bare kernel start per kernel: the chapters' own
code — about half of all the work, mostly drawing the charts — then counted as overhead, which no
renderer could bring under 1.3x.) Wall-clock and CPU seconds (this process and the processes it waited
for) are printed; on a shared machine the CPU ratio is the steadier one.

Figures (shared 2-core machine; more runs in docs/architecture.md, "Where the time goes"):
load 10.9-11.8: cold 57.0 s, warm 0.70 s, floor 54.8 s; warm/cold 0.012, cold/floor 1.04 (CPU 1.23).
load 3.2-3.3:   cold 20.6 s, warm 0.60 s, floor 12.3 s; warm/cold 0.029, cold/floor 1.67 (CPU 1.36).
The ratio swings with the machine's load; the cold/floor goal is met in some runs, not in others.

``--scale 0`` measures the project only. ``--isolate`` renders with one kernel per chapter
(DHR_ISOLATE_CHAPTERS=1) instead of one reused kernel per worker, for comparison. ``--stages`` also
prints where the cold and warm builds spend their time (seconds per pipeline stage) and the floor's
three parts.
"""
from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
ITEMS = ("_quarto.yml", "index.qmd", "references.bib", "chapters", "data")
LABEL = re.compile(r"\b(fig|tbl|sec)-([A-Za-z0-9_-]*[A-Za-z0-9_])")


def copy_project(source: Path, dest: Path) -> Path:
    dest.mkdir(parents=True)
    for item in ITEMS:
        src = source / item
        if src.is_dir():
            shutil.copytree(src, dest / item)
        elif src.is_file():
            shutil.copy2(src, dest / item)
    return dest


def scale_project(root: Path, factor: int) -> None:
    """Duplicate the main chapters (labels suffixed per copy) and repeat the chronology rows."""
    config_path = root / "_quarto.yml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    book = config["book"]
    originals = [c for entry in book["chapters"]
                 for c in ([entry] if isinstance(entry, str) else (entry.get("chapters") or []))
                 if c != "index.qmd"]
    for copy in range(2, factor + 1):
        rels = []
        for rel in originals:
            text = (root / rel).read_text(encoding="utf-8")
            new_rel = rel.replace(".qmd", f"-copy{copy}.qmd")
            (root / new_rel).write_text(LABEL.sub(rf"\1-\2-copy{copy}", text), encoding="utf-8")
            rels.append(new_rel)
        book["chapters"].append({"part": f"Copy {copy}", "chapters": rels})
    config_path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    chronology = [root / "data" / "chronology.csv", *sorted((root / "data" / "chronology").glob("*.csv"))]
    for path in chronology:
        if path.is_file():
            lines = path.read_text(encoding="utf-8").splitlines()
            if len(lines) > 1:
                path.write_text("\n".join([lines[0], *lines[1:] * factor]) + "\n", encoding="utf-8")


def _default_gates() -> list:
    from dhr_kit.render.gates import DEFAULT_GATES

    return list(DEFAULT_GATES)


GATES = _default_gates()  # --skip-qa empties it


def run_chapter_code(root: Path, rels: list[str], workers: int) -> None:
    """Floor part 1: the evaluated cells of the chapters ``rels``, run once in ``workers`` plain kernels."""
    import nbformat
    from nbclient import NotebookClient

    from dhr_kit.kernel_setup import FIGURE_FORMATS, PRINT_FIGURE_KWARGS
    from dhr_kit.paths import templates_dir
    from dhr_kit.render.execute import effective_options
    from dhr_kit.source import read_chapter
    from dhr_kit.project import load_project

    project = load_project(root)
    shutil.rmtree(root / ".dhr-cache" / "figures", ignore_errors=True)  # the charts are drawn again
    setup = ("from IPython import get_ipython\n"
             "_b = get_ipython().config.InlineBackend\n"
             f"_b.figure_formats = {set(FIGURE_FORMATS)!r}\n_b.print_figure_kwargs = {PRINT_FIGURE_KWARGS!r}\n"
             f"import os\nos.chdir({str(root)!r})\n")
    notebooks = []
    for rel in rels:
        chapter = read_chapter(root / rel, rel)
        nb = nbformat.v4.new_notebook()
        env = {"DHR_PROJECT": str(root), "DHR_PUBLISH": "0", "DHR_CHAPTER_DIR": str((root / rel).parent)}
        nb.cells.append(nbformat.v4.new_code_cell(f"os.environ.update({env!r})"))
        for cell in chapter.code_cells:
            options = effective_options(cell, chapter, project.execute)
            if options.get("eval", True):
                nb_cell = nbformat.v4.new_code_cell(cell.source)
                if options.get("error"):
                    nb_cell.metadata["tags"] = ["raises-exception"]
                nb.cells.append(nb_cell)
        notebooks.append(nb)
    env = dict(os.environ, MPLBACKEND="module://matplotlib_inline.backend_inline",
               MATPLOTLIBRC=str(templates_dir() / "matplotlibrc"), PYDEVD_DISABLE_FILE_VALIDATION="1")
    pending = list(reversed(notebooks))  # each kernel takes the next chapter, in book order (as the renderer)
    lock = threading.Lock()

    def one(_: int) -> None:
        nb = nbformat.v4.new_notebook()
        client = NotebookClient(nb, kernel_name="python3", resources={"metadata": {"path": str(root)}})
        with client.setup_kernel(env=env, stderr=subprocess.DEVNULL):
            cells = [nbformat.v4.new_code_cell(setup)]
            while True:
                for cell in cells:
                    nb.cells.append(cell)
                    client.execute_cell(cell, len(nb.cells) - 1)
                with lock:
                    if not pending:
                        return
                    cells = pending.pop().cells

    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(one, range(min(workers, len(notebooks)))))


def read_chapters_once(markdowns: list[str]) -> None:
    """Floor part 2: one pandoc read per chapter (not the in-process memo of dhr_kit.render.pandoc_ast)."""
    from dhr_kit.render.pandoc_ast import PANDOC_WORKERS, READ_FORMAT
    from dhr_kit.tools.pandoc import run_pandoc

    with ThreadPoolExecutor(max_workers=PANDOC_WORKERS) as pool:
        list(pool.map(lambda md: run_pandoc(md, ["--from", READ_FORMAT, "--to", "json"]), markdowns))


class Clock:
    """Wall-clock seconds and CPU seconds of this process and the processes it waited for (kernels,
    pandoc): on a shared machine the CPU seconds are the steadier measure of the work done."""

    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), self._cpu()

    @staticmethod
    def _cpu() -> float:
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return time.process_time() + children.ru_utime + children.ru_stime

    def read(self) -> tuple[float, float]:
        return time.perf_counter() - self.wall, self._cpu() - self.cpu


def floor_seconds(root: Path, book, formats: list[str], executed: list[str], markdowns: list[str],
                  workers: int) -> dict[str, tuple[float, float]]:
    """The floor's three parts, (wall, CPU) seconds each (see the module's docstring)."""
    from dhr_kit.render.writers import write_outputs

    parts = {}
    clock = Clock()
    run_chapter_code(root, executed, workers)
    parts["chapter code"] = clock.read()
    clock = Clock()
    read_chapters_once(markdowns)
    parts["pandoc reads"] = clock.read()
    with tempfile.TemporaryDirectory() as out:
        clock = Clock()
        write_outputs(book, tuple(formats), Path(out), single_file=False)
        parts["writers"] = clock.read()
    return parts


class MarkdownRecorder:
    """Keeps the executed Markdown of each chapter the book pass reads (the floor's pandoc reads)."""

    def __init__(self) -> None:
        from dhr_kit.render import bookbuild

        self.markdowns: list[str] = []
        original = bookbuild.number_book

        def recording(chapters, *args, **kwargs):
            self.markdowns = [c.markdown for c in chapters]
            return original(chapters, *args, **kwargs)

        bookbuild.number_book = recording


STAGES = (  # (module, function): looked up in that module when the pipeline calls it
    ("dhr_kit.render.engine_embedded", "parse_all"),
    ("dhr_kit.render.pipeline", "run_gates"),  # reported per gate stage: sources, executed, outputs
    ("dhr_kit.render.engine_embedded", "execute_chapters"),
    ("dhr_kit.render.engine_embedded", "build_book"),
    ("dhr_kit.render.bookbuild", "numbered_chapters"),
    ("dhr_kit.render.engine_embedded", "write_outputs"),
)


class StageTimer:
    """Wall-clock seconds spent in each pipeline stage (those of STAGES that exist)."""

    def __init__(self) -> None:
        import functools
        import importlib

        self.seconds: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        for module_name, name in STAGES:
            module = importlib.import_module(module_name)
            original = getattr(module, name, None)
            if original is None:
                continue

            @functools.wraps(original)
            def timed(*args, _original=original, _name=name, **kwargs):
                label = f"{_name}:{args[1]}" if _name == "run_gates" and len(args) > 1 else _name
                clock = Clock()
                try:
                    return _original(*args, **kwargs)
                finally:
                    wall, cpu = clock.read()
                    self.seconds[label] = self.seconds.get(label, 0.0) + wall
                    self.cpu[label] = self.cpu.get(label, 0.0) + cpu

            setattr(module, name, timed)

    def report(self, label: str) -> None:
        parts = "  ".join(f"{name} {sec:.2f}/{self.cpu[name]:.2f}" for name, sec in
                          sorted(self.seconds.items(), key=lambda item: -item[1]))
        print(f"  {label} stages (s, wall/cpu): {parts}")
        self.seconds.clear()
        self.cpu.clear()


def measure(name: str, root: Path, to: str, stages: StageTimer | None = None) -> dict[str, float]:
    from dhr_kit.render import render
    from dhr_kit.config import selected_formats
    from dhr_kit.render.run_chapters import PARALLEL_KERNELS

    if stages:
        stages.seconds.clear()
        stages.cpu.clear()
    recorder = MarkdownRecorder()
    clock = Clock()
    cold = render(root, to=to, engine="embedded", quiet=True, no_cache=True, gates=tuple(GATES))
    cold_s, cold_cpu = clock.read()
    if stages:
        stages.report("cold")
    started = time.perf_counter()
    warm = render(root, to=to, engine="embedded", quiet=True, gates=tuple(GATES))
    warm_s = time.perf_counter() - started
    if stages:
        stages.report("warm")
    parts = floor_seconds(root, cold.book, selected_formats(to), cold.executed, recorder.markdowns,
                          PARALLEL_KERNELS)
    floor_s, floor_cpu = (sum(part[i] for part in parts.values()) for i in (0, 1))
    if stages:
        print("  floor (s, wall/cpu): " + "  ".join(f"{name} {w:.2f}/{c:.2f}" for name, (w, c) in parts.items()))
    row = {"cold": cold_s, "warm": warm_s, "floor": floor_s, "chapters": len(cold.book.chapters),
           "kernels": cold.kernels_started, "warm_kernels": warm.kernels_started}
    print(f"{name:<10} chapters {row['chapters']:>3}  kernels {row['kernels']:>3}  cold {cold_s:6.1f} s  "
          f"warm {warm_s:5.2f} s (kernels {warm.kernels_started})  floor {floor_s:6.1f} s  "
          f"warm/cold {warm_s / cold_s:.3f} (goal <= 0.1)  cold/floor {cold_s / floor_s:.2f} (goal <= 1.3)  "
          f"cpu: cold {cold_cpu:.1f} s floor {floor_cpu:.1f} s cold/floor {cold_cpu / floor_cpu:.2f}")
    return row


def warm_up() -> None:
    """What a process does once, whichever it measures first: import the renderer, the kernel client and
    the writers' modules, and check the tools' versions — so that neither the cold build nor the floor
    after it pays (or is spared) the process's one-time start-up."""
    import importlib

    for name in ("dhr_kit.render.pipeline", "dhr_kit.render.engine_embedded", "dhr_kit.render.execute",
                 "dhr_kit.render.html", "dhr_kit.render.pdf", "dhr_kit.render.docx", "nbclient", "nbformat"):
        importlib.import_module(name)
    from dhr_kit.tools.pandoc import pandoc_path
    from dhr_kit.tools.typst import typst_version

    pandoc_path()
    typst_version()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", nargs="?", type=Path, default=REPO)
    parser.add_argument("--scale", type=int, default=4, help="size of the synthetic review (0: none)")
    parser.add_argument("--to", default="all")
    parser.add_argument("--skip-qa", action="store_true", help="bypass the QA gate (an unfinished example)")
    parser.add_argument("--isolate", action="store_true", help="one kernel per chapter (no kernel reuse)")
    parser.add_argument("--stages", action="store_true", help="print the seconds spent in each pipeline stage")
    args = parser.parse_args(argv)
    warm_up()
    stages = StageTimer() if args.stages else None
    if args.isolate:
        from dhr_kit.render.run_chapters import ISOLATE_ENV
        os.environ[ISOLATE_ENV] = "1"
    if args.skip_qa:
        GATES.clear()
    with tempfile.TemporaryDirectory() as temp:
        example = copy_project(args.project.resolve(), Path(temp) / "example")
        measure("example", example, args.to, stages)
        if args.scale < 1:
            return 0
        synthetic = copy_project(args.project.resolve(), Path(temp) / "synthetic")
        scale_project(synthetic, args.scale)
        measure(f"x{args.scale}", synthetic, args.to, stages)
    return 0


if __name__ == "__main__":
    sys.exit(main())
