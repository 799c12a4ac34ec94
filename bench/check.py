"""Time `dhr check` (dhr_kit.qa.check, sources + data, no execution) on the example review and on
synthetic reviews 10x and 50x its size (chapters and chronology replicated in a temporary folder).

    python bench/check.py [PROJECT]        # default: the repository's example review

Prints the time of each, and the 50x/1x ratio (goal <= 60, i.e. linear; the 50x case under 5 s).
Three times per size: best wall-clock seconds; best CPU seconds of this process alone ("main": with the
language checks in a forked child (dhr_kit.qa.aside) this is the longer of the two paths on an idle
2-core machine) and with the child ("all": the whole work).

Figures (one run, shared 2-core machine, `uptime` load 10.2 -> 6.5 — wall-clock there is 3-5x CPU and
swings widely; on an idle machine before the language checks ran aside the 50x case took 5.4 s wall):

     1x  wall  0.32 s  cpu main 0.14 s  all 0.14 s
    50x  wall 18.6 s   cpu main 3.42 s  all 5.30 s   50x/1x: cpu main 24.8, all 38.4 (linear)
"""
from __future__ import annotations

import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import load_workbook

from dhr_kit.qa import check

ROOT = Path(__file__).resolve().parent.parent


def replicate(source: Path, target: Path, factor: int) -> Path:
    """A copy of the review with every chapter's body and every chronology row repeated ``factor`` times."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(
        "_book", ".dhr-cache", ".git", "node_modules", "dhr_kit", "tests", "bench", "templates", "docs", "*.egg-info"))
    for chapter in [*target.glob("chapters/*.qmd"), target / "index.qmd"]:
        if chapter.is_file():
            text = chapter.read_text(encoding="utf-8")
            chapter.write_text(text + ("\n\n" + text) * (factor - 1), encoding="utf-8")
    data = target / "data"
    for table in [data / "chronology.csv", *data.glob("chronology/*.csv")]:
        if table.is_file():
            header, *rows = table.read_text(encoding="utf-8").splitlines(keepends=True)
            table.write_text(header + "".join(rows) * factor, encoding="utf-8")
    for book in data.glob("chronology/*.xlsx"):
        workbook = load_workbook(book)
        sheet = workbook.worksheets[0]
        rows = [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)]
        for _ in range(factor - 1):
            for row in rows:
                sheet.append(row)
        workbook.save(book)
    return target


def _cpu() -> float:
    """CPU seconds of this process and of the child processes it waited for (qa.aside forks one)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def timed(project: Path, repeat: int = 3) -> tuple[float, float, float, int]:
    """Best wall-clock and CPU seconds over ``repeat`` runs (CPU time is steadier on a shared machine;
    it counts both processes when the language checks run aside, so it can exceed the wall-clock time)."""
    best_wall = best_cpu = best_main = float("inf")
    findings = 0
    for _ in range(repeat):
        wall, cpu, main = time.perf_counter(), _cpu(), time.process_time()
        result = check(project)
        best_wall = min(best_wall, time.perf_counter() - wall)
        best_cpu = min(best_cpu, _cpu() - cpu)
        best_main = min(best_main, time.process_time() - main)
        findings = len(result.findings)
    return best_wall, best_main, best_cpu, findings


def main(argv: list[str]) -> int:
    source = Path(argv[0]).resolve() if argv else ROOT
    check(source)  # warm-up: imports, rule compilation
    times = {}
    with tempfile.TemporaryDirectory(prefix="dhr-bench-") as tmp:
        for factor in (1, 10, 50):
            project = source if factor == 1 else replicate(source, Path(tmp) / f"x{factor}", factor)
            wall, main_cpu, cpu, findings = timed(project, repeat=3 if factor < 50 else 2)
            size = sum(p.stat().st_size for p in project.rglob("*") if p.suffix in (".qmd", ".csv", ".xlsx", ".yml"))
            times[factor] = (wall, main_cpu, cpu)
            print(f"{factor:>3}x  {size / 1024:8.0f} KiB  wall {wall:7.3f} s  cpu main {main_cpu:7.3f} s  "
                  f"all {cpu:7.3f} s  ({findings} findings)")
    for label, index in (("wall", 0), ("cpu main", 1), ("cpu all", 2)):
        ratio = times[50][index] / times[1][index]
        verdict = "under" if times[50][index] < 5 else "OVER"
        print(f"{label}: 50x/1x ratio {ratio:.1f} (goal <= 60: linear); 50x {verdict} 5 s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
