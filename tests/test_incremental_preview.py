"""The preview's incremental builds (per-chapter numbering, reused page fragments, per-file QA memos,
deferred readers of a saved chapter) write the same HTML as a full render from scratch in another process.

Edits that reach other pages are included: a new labelled section in one chapter that a later chapter
cites (its cross-reference resolves without that chapter being saved), a new section that renumbers the
ones after it, and a cross-reference to a target that does not exist yet.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dhr_kit.preview import PreviewServer
from dhr_kit.scaffold import new_review

pytestmark = pytest.mark.slow

# (chapter, text appended) per save, in order
SAVES = [
    ("chapters/11-conclusions.qmd", "The panel's view is set out in @sec-added-finding."),  # target not there yet
    ("chapters/07-background.qmd", "## An added finding {#sec-added-finding}\n\nA paragraph under it."),
    ("chapters/07-background.qmd", "A sentence added to the background only."),
    ("chapters/01-introduction.qmd", "## A new first section {#sec-new-first}\n\nIt moves later numbers on."),
]


def _html_pages(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.html"))
            if p.name != "qa-report.html"}  # the QA report carries the time it was written


def _append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f"\n\n{text}\n")


def test_incremental_preview_pages_equal_a_full_render(tmp_path) -> None:
    root = new_review(tmp_path / "review")
    server = PreviewServer(root, port=0, log=open(os.devnull, "w"))
    server.start()
    try:
        assert server.state.error is None, server.state.error
        for rel, text in SAVES:
            _append(root / rel, text)
            server.rebuild(f"{rel} saved", saved=frozenset({rel}))  # as the watcher does after a save
            assert server.state.error is None, server.state.error
        assert server.wait_idle(600), "the follow-up build did not finish"
        server.rebuild("settled")  # nothing left over: whatever the watcher saw, the outputs are current
        preview_pages = _html_pages(server.output_dir)
    finally:
        server.stop()

    fresh = tmp_path / "fresh"
    shutil.copytree(root, fresh, ignore=shutil.ignore_patterns("_book", ".dhr-cache", "_upload"))
    subprocess.run([sys.executable, "-m", "dhr_kit", "render", str(fresh), "--to", "html", "--engine", "embedded",
                    "--quiet"], check=True, capture_output=True, timeout=1200)
    full_pages = _html_pages(fresh / "_book")

    assert sorted(preview_pages) == sorted(full_pages)
    for name, text in full_pages.items():
        assert preview_pages[name] == text, f"{name}: the preview's page differs from a full render's"
    background = full_pages["07-background.html"]
    assert "An added finding" in background and "A sentence added to the background only." in background
    conclusions = full_pages["11-conclusions.html"]
    assert 'href="07-background.html#sec-added-finding"' in conclusions  # resolved once the label existed
