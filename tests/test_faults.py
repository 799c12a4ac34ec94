"""Faults of the machine, not of the review: a full disk and a read-only folder are exit 2 with a clear
message (never an internal error, never a temporary folder's name), and nothing of the author's is lost.

The faults are real: the project lives on a small tmpfs mounted for the test (root only; skipped where
mounting is not allowed), filled up or remounted read-only.
"""
from __future__ import annotations

import contextlib
import subprocess
from pathlib import Path

import pytest

from dhr_kit.cli import main
from dhr_kit.scaffold import new_review


@contextlib.contextmanager
def small_disk(tmp_path: Path, size: str = "8m"):
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip("needs permission to mount a tmpfs (run as root)")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def _fill(mount: Path, leave_kb: int = 16) -> None:
    """Fill the disk, leaving ``leave_kb`` KiB."""
    import os

    stats = os.statvfs(mount)
    free = stats.f_bavail * stats.f_frsize - leave_kb * 1024
    if free > 0:
        (mount / "filler").write_bytes(b"\0" * free)


def _sources(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*")
            if p.is_file() and not {"_book", ".dhr-cache"} & set(p.relative_to(root).parts)}


def test_disk_full_is_a_clear_message(tmp_path, capfd) -> None:
    with small_disk(tmp_path) as mount:
        root = new_review(mount / "review")
        before = _sources(root)
        _fill(mount)
        code = main(["render", str(root), "--quiet"])
        shown = "".join(capfd.readouterr())
        assert code == 2, shown
        assert "the disk is full" in shown and "Traceback" not in shown and "internal error" not in shown, shown
        assert ".tmp-" not in shown and "dhr-typst-" not in shown, shown
        assert _sources(root) == before
        assert not list(root.glob("._book.*"))


def test_read_only_disk_is_a_clear_message(tmp_path, capfd) -> None:
    with small_disk(tmp_path, "32m") as mount:
        root = new_review(mount / "review")
        before = _sources(root)
        subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
        code = main(["render", str(root), "--quiet"])
        shown = "".join(capfd.readouterr())
        assert code == 2, shown
        assert "read-only" in shown and "Traceback" not in shown and "internal error" not in shown, shown
        assert _sources(root) == before
