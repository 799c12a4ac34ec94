"""Preview latency: from saving a chapter to the change being visible in a real browser.

    .venv/bin/python bench/preview.py [PROJECT] [--edits 3] [--chapter chapters/07-background.qmd]

Copies the project (default: this checkout's example) to a temporary folder, starts `dhr preview` on it
(no browser window), builds once to warm the cache, opens the chapter's page in headless Chromium, then
``--edits`` times appends a uniquely-worded paragraph to the chapter and measures save → text visible in
the page (the page reloads by itself). Prints each latency, the median, the server's build time, and the
ratio median / 2 s (the goal is below 1). Needs Debian chromium and Playwright.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

from render import copy_project  # noqa: E402

GOAL_SECONDS = 2.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", nargs="?", type=Path, default=REPO)
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--chapter", default="chapters/07-background.qmd")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    from dhr_kit.preview import PreviewServer
    from dhr_kit.render.html import page_filename

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    with tempfile.TemporaryDirectory(prefix="dhr-bench-preview-") as tmp:
        root = copy_project(args.project, Path(tmp) / "review")
        server = PreviewServer(root, port=0, log=sys.stderr if os.environ.get("BENCH_VERBOSE") else open(os.devnull, "w"))
        started = time.perf_counter()
        url = server.start()
        cold = time.perf_counter() - started
        server.rebuild("warm-up")  # nothing changed: the outputs are up to date
        slug = Path(args.chapter).stem
        page_name = page_filename(1, slug)
        latencies, builds, steps = [], [], []
        chapter = root / args.chapter
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--headless", "--no-sandbox"])
            page = browser.new_page()
            page.goto(url + page_name, wait_until="load")
            for n in range(args.edits):
                time.sleep(0.5)  # the watcher has seen the previous save's build through
                server.wait_idle(300)  # warm: the previous save's builds (its follow-up included) are done
                marker = f"Preview benchmark sentence number {n} {time.time_ns()}."
                version = server.state.version
                saved = time.perf_counter()
                with chapter.open("a", encoding="utf-8") as handle:
                    handle.write(f"\n\n{marker}\n")
                page.wait_for_function("m => document.body && document.body.innerText.includes(m)", arg=marker,
                                       polling=50, timeout=120_000)
                latencies.append(time.perf_counter() - saved)
                state = server.wait_for_change(version, 5)
                builds.append(state.seconds)
                steps.append(state.timings)
            browser.close()
        server.stop()
    median = statistics.median(latencies)
    print(f"load average (1, 5, 15 min) at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
          f"on {os.cpu_count()} cores")
    print(f"cold first build: {cold:.2f} s")
    for n, (lat, build) in enumerate(zip(latencies, builds), 1):
        print(f"edit {n}: save → visible {lat:.2f} s (server build {build:.2f} s)")
    print("where a save's server build goes (median over the edits, seconds):")
    names = list(dict.fromkeys(name for step in steps for name in step))
    for name in names:
        print(f"  {name:<40} {statistics.median(step.get(name, 0.0) for step in steps):6.2f}")
    build = statistics.median(builds)
    print(f"  {'(rest of the server build)':<40} {build - sum(statistics.median(s.get(n, 0.0) for s in steps) for n in names):6.2f}")
    print(f"  {'save noticed + page reload + shown':<40} {median - build:6.2f}")
    print(f"median save → visible: {median:.2f} s; ratio to the {GOAL_SECONDS:.0f} s goal: {median / GOAL_SECONDS:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
