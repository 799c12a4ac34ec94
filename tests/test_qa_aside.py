"""qa.aside: a check family run in a forked child gives exactly what running it in line gives."""
from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from conftest import copy_example
from dhr_kit.qa import check
from dhr_kit.qa.aside import MIN_WORK_ENV, Aside

forking = pytest.mark.skipif(not hasattr(os, "fork") or threading.active_count() != 1,
                             reason="forks only from a single-threaded POSIX process")


def _pid_and(value: int) -> tuple[int, int]:
    return os.getpid(), value * 2


@forking
def test_runs_in_a_child_and_returns_its_value(monkeypatch):
    monkeypatch.setenv(MIN_WORK_ENV, "1")
    pid, value = Aside(_pid_and, 21, work=10).result()
    assert value == 42 and pid != os.getpid()


PARENT = os.getpid()


def _fails_in_a_child(value: int) -> int:
    if os.getpid() != PARENT:
        raise RuntimeError("only in the child")
    return value


@forking
def test_a_failing_child_is_answered_in_line(monkeypatch):
    monkeypatch.setenv(MIN_WORK_ENV, "1")
    assert Aside(_fails_in_a_child, 7, work=10).result() == 7


def test_small_work_runs_in_line(monkeypatch):
    monkeypatch.setenv(MIN_WORK_ENV, "1000")
    pid, _ = Aside(_pid_and, 1, work=10).result()
    assert pid == os.getpid()


@forking
def test_check_gives_the_same_findings_forked_or_in_line(tmp_path, monkeypatch):
    project = copy_example(tmp_path / "review")
    chapter = project / "chapters" / "10-analysis.qmd"
    chapter.write_text(chapter.read_text(encoding="utf-8")
                       + "\n\nThe couple had a volatile relationship and he snapped.\n", encoding="utf-8")
    monkeypatch.setenv(MIN_WORK_ENV, "1")
    forked = check(project).findings
    monkeypatch.setenv(MIN_WORK_ENV, str(10**12))
    in_line = check(project).findings
    assert any(f.rule.startswith("DHR-L") for f in in_line)
    assert [f.__dict__ for f in forked] == [f.__dict__ for f in in_line]
