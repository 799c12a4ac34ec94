"""Render benchmark: cold and warm builds against the floor measured in the same run.

    /work/venv/bin/python bench/render.py [PROJECT] [--scale 4] [--to all] [--skip-qa] [--isolate]

For the project (default: this checkout's example) and a synthetic review ``--scale`` times its size
(chapters duplicated with relabelled cross-references, chronology rows repeated), prints:
cold render, warm no-change render, and the floor = the writers (pandoc + typst) on the same
assembled Book + one bare kernel start per executed chapter (same parallelism), with the ratios
warm/cold (goal <= 0.1) and cold/floor (goal <= 1.3). Everything runs in temporary copies.
``--scale 0`` measures the project only. ``--isolate`` renders with one kernel per chapter
(DHR_ISOLATE_CHAPTERS=1) instead of one reused kernel per worker, for comparison. ``--stages`` also
prints where the cold and warm builds spend their time (seconds per pipeline stage).
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
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


def start_bare_kernels(count: int, workers: int) -> None:
    import nbformat
    from nbclient import NotebookClient

    def one(_: int) -> None:
        nb = nbformat.v4.new_notebook()
        nb.cells.append(nbformat.v4.new_code_cell("pass"))
        NotebookClient(nb, kernel_name="python3").execute(stderr=subprocess.DEVNULL)

    if count:
        with ThreadPoolExecutor(max_workers=min(workers, count)) as pool:
            list(pool.map(one, range(count)))


def floor_seconds(book, formats: list[str], kernels: int, workers: int) -> float:
    from dhr_kit.render.writers import write_outputs

    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        write_outputs(book, tuple(formats), Path(out), single_file=False)
        start_bare_kernels(kernels, workers)
        return time.perf_counter() - started


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
        for module_name, name in STAGES:
            module = importlib.import_module(module_name)
            original = getattr(module, name, None)
            if original is None:
                continue

            @functools.wraps(original)
            def timed(*args, _original=original, _name=name, **kwargs):
                label = f"{_name}:{args[1]}" if _name == "run_gates" and len(args) > 1 else _name
                started = time.perf_counter()
                try:
                    return _original(*args, **kwargs)
                finally:
                    self.seconds[label] = self.seconds.get(label, 0.0) + time.perf_counter() - started

            setattr(module, name, timed)

    def report(self, label: str) -> None:
        parts = "  ".join(f"{name} {sec:.2f}" for name, sec in
                          sorted(self.seconds.items(), key=lambda item: -item[1]))
        print(f"  {label} stages (s): {parts}")
        self.seconds.clear()


def measure(name: str, root: Path, to: str, stages: StageTimer | None = None) -> dict[str, float]:
    from dhr_kit.render import render
    from dhr_kit.config import selected_formats
    from dhr_kit.render.run_chapters import PARALLEL_KERNELS

    if stages:
        stages.seconds.clear()
    started = time.perf_counter()
    cold = render(root, to=to, engine="embedded", quiet=True, no_cache=True, gates=tuple(GATES))
    cold_s = time.perf_counter() - started
    if stages:
        stages.report("cold")
    started = time.perf_counter()
    warm = render(root, to=to, engine="embedded", quiet=True, gates=tuple(GATES))
    warm_s = time.perf_counter() - started
    if stages:
        stages.report("warm")
    floor_s = floor_seconds(cold.book, selected_formats(to), cold.kernels_started, PARALLEL_KERNELS)
    row = {"cold": cold_s, "warm": warm_s, "floor": floor_s, "chapters": len(cold.book.chapters),
           "kernels": cold.kernels_started, "warm_kernels": warm.kernels_started}
    print(f"{name:<10} chapters {row['chapters']:>3}  kernels {row['kernels']:>3}  cold {cold_s:6.1f} s  "
          f"warm {warm_s:5.2f} s (kernels {warm.kernels_started})  floor {floor_s:6.1f} s  "
          f"warm/cold {warm_s / cold_s:.3f} (goal <= 0.1)  cold/floor {cold_s / floor_s:.2f} (goal <= 1.3)")
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", nargs="?", type=Path, default=REPO)
    parser.add_argument("--scale", type=int, default=4, help="size of the synthetic review (0: none)")
    parser.add_argument("--to", default="all")
    parser.add_argument("--skip-qa", action="store_true", help="bypass the QA gate (an unfinished example)")
    parser.add_argument("--isolate", action="store_true", help="one kernel per chapter (no kernel reuse)")
    parser.add_argument("--stages", action="store_true", help="print the seconds spent in each pipeline stage")
    args = parser.parse_args(argv)
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
