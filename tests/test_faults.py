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


def _dead_pid() -> int:
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid  # reaped: no process has this id now (ids are not reused this quickly)


def test_debris_of_a_killed_build_is_removed_and_a_running_build_is_left_alone(tmp_path: Path) -> None:
    import os

    from dhr_kit.render.outputs import remove_debris

    dead, alive = _dead_pid(), os.getpid()
    for name in (f"._book.tmp-{dead}-a1b2", f"._book.old-{dead}-c3d4", f"._book.tmp-{alive}-e5f6"):
        (tmp_path / name / "figures").mkdir(parents=True)
    removed = remove_debris(tmp_path, "._book.tmp-") + remove_debris(tmp_path, "._book.old-")
    assert sorted(p.name for p in removed) == sorted([f"._book.tmp-{dead}-a1b2", f"._book.old-{dead}-c3d4"])
    assert [p.name for p in tmp_path.iterdir()] == [f"._book.tmp-{alive}-e5f6"]


def test_a_killed_render_leaves_nothing_behind_after_the_next(tmp_path: Path) -> None:
    """SIGKILL a real `dhr render` while it works, then render again: no staging or typst folder remains."""
    import os
    import signal
    import sys
    import tempfile
    import time

    root = new_review(tmp_path / "review")
    proc = subprocess.Popen([sys.executable, "-m", "dhr_kit", "render", str(root), "--quiet"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and not list(root.glob("._book.tmp-*")) and proc.poll() is None:
        time.sleep(0.2)
    assert list(root.glob("._book.tmp-*")), "the render ended before it wrote anything: nothing was killed"
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.wait() == -signal.SIGKILL
    killed = proc.pid
    assert main(["render", str(root), "--quiet"]) == 0
    assert not list(root.glob("._book.*"))
    assert not list(Path(tempfile.gettempdir()).glob(f"dhr-typst-{killed}-*"))
