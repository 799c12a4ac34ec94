"""qa.aside: a check family run in a forked child gives exactly what running it in line gives."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import copy_example
from dhr_kit.qa.aside import MIN_WORK_ENV, Aside

# Aside forks only from a single-threaded process, and earlier tests leave threads in this one (kernel
# clients, pandoc pools): the forking cases run in a fresh interpreter, where `dhr check` runs too.
forking = pytest.mark.skipif(not hasattr(os, "fork"), reason="forks only on POSIX")


def in_fresh_python(code: str, **env: str) -> str:
    """Run ``code`` in a new single-threaded interpreter; its standard output."""
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          env={**os.environ, **env, "PYTHONPATH": str(Path(__file__).parent)}, timeout=600)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _pid_and(value: int) -> tuple[int, int]:
    return os.getpid(), value * 2


@forking
def test_runs_in_a_child_and_returns_its_value():
    out = in_fresh_python("""
        import os
        from dhr_kit.qa.aside import Aside
        from test_qa_aside import _pid_and
        pid, value = Aside(_pid_and, 21, work=10).result()
        print(value, pid != os.getpid())
    """, **{MIN_WORK_ENV: "1"})
    assert out.split() == ["42", "True"]


PARENT = os.getpid()


def _fails_in_a_child(value: int) -> int:
    if os.getpid() != PARENT:
        raise RuntimeError("only in the child")
    return value


@forking
def test_a_failing_child_is_answered_in_line():
    out = in_fresh_python("""
        from dhr_kit.qa.aside import Aside
        from test_qa_aside import _fails_in_a_child
        print(Aside(_fails_in_a_child, 7, work=10).result())
    """, **{MIN_WORK_ENV: "1"})
    assert out.split() == ["7"]


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
    program = f"""
        import json
        from dhr_kit.qa import check
        print(json.dumps([f.__dict__ for f in check({str(project)!r}).findings], default=str))
    """
    forked = json.loads(in_fresh_python(program, **{MIN_WORK_ENV: "1"}))
    in_line = json.loads(in_fresh_python(program, **{MIN_WORK_ENV: str(10**12)}))
    assert any(f["rule"].startswith("DHR-L") for f in in_line)
    assert forked == in_line
