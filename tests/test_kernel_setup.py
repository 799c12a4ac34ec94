"""dhr_kit.kernel_setup in a real IPython kernel: installed by its one-line cell, the reset gives each
chapter a fresh kernel's state, and the read-set records reads (not writes) under the project only."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from jupyter_client.manager import start_new_kernel

from dhr_kit.kernel_setup import REPORT_CODE, is_project_module, reset_code, setup_code


@pytest.fixture(scope="module")
def kernel():
    km, kc = start_new_kernel(kernel_name="python3")
    try:
        yield kc
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def run(kc, code: str) -> str:
    """Execute ``code``; its stdout (an error in the cell fails the test)."""
    out: list[str] = []
    errors: list[str] = []

    def hook(msg):
        if msg["msg_type"] == "stream" and msg["content"]["name"] == "stdout":
            out.append(msg["content"]["text"])
        elif msg["msg_type"] == "error":
            errors.append("\n".join(msg["content"]["traceback"]))

    reply = kc.execute_interactive(code, output_hook=hook, timeout=60)
    assert reply["content"]["status"] == "ok", "\n".join(errors)
    return "".join(out)


def project(tmp_path: Path) -> Path:
    root = (tmp_path / "review").resolve()
    (root / "data").mkdir(parents=True)
    (root / "data" / "read.csv").write_text("a\n")
    (root / "chapters").mkdir()
    (root / "local_module.py").write_text("VALUE = 1\n")
    return root


def test_setup_is_one_line_and_installs_once(kernel):
    assert setup_code().count("\n") == 1
    first = run(kernel, setup_code() + 'print(id(__import__("sys").modules["_dhr_kernel"]))')
    again = run(kernel, setup_code() + 'print(id(__import__("sys").modules["_dhr_kernel"]))')
    assert first == again  # a second install keeps the state (and adds no second audit hook)


def test_reset_gives_a_fresh_state_and_the_chapter_environment(kernel, tmp_path):
    root = project(tmp_path)
    run(kernel, setup_code())
    run(kernel, reset_code(str(root), {"DHR_PROJECT": str(root), "DHR_PUBLISH": "1"}))
    run(kernel, 'import os, sys, local_module\nleftover = 1\nos.environ["DHR_LEFTOVER"] = "1"\n'
                'sys.path.append("/nowhere")\nos.chdir("chapters")\n')
    run(kernel, reset_code(str(root), {"DHR_PROJECT": str(root), "DHR_PUBLISH": "0", "DHR_CHAPTER_DIR": "c"}))
    state = json.loads(run(kernel, 'import os, sys, json\nprint(json.dumps({"leftover": "leftover" in globals(), '
                                   '"cwd": os.getcwd(), "env": os.environ.get("DHR_LEFTOVER"), '
                                   '"publish": os.environ["DHR_PUBLISH"], "chapter_dir": os.environ["DHR_CHAPTER_DIR"], '
                                   '"path": "/nowhere" in sys.path, "module": "local_module" in sys.modules}))'))
    assert state == {"leftover": False, "cwd": str(root), "env": None, "publish": "0", "chapter_dir": "c",
                     "path": False, "module": False}


def test_read_set_records_reads_under_the_project_only(kernel, tmp_path):
    root = project(tmp_path)
    outside = tmp_path / "outside.txt"
    outside.write_text("x")
    run(kernel, setup_code())
    run(kernel, reset_code(str(root), {}))
    run(kernel, f'open("data/read.csv").read()\nopen("data/written.txt", "w").write("x")\n'
                f'open("data/read.csv", "r+").close()\n__import__("os").listdir("data")\nopen({str(outside)!r}).read()\n')
    report = json.loads(run(kernel, REPORT_CODE).strip().splitlines()[-1])
    assert report == {"files": ["data/read.csv"], "dirs": ["data"]}
    run(kernel, 'open("local_module.py").read()')  # after the report: not recording
    assert json.loads(run(kernel, REPORT_CODE)) == report
    run(kernel, reset_code(str(root), {}))  # the next chapter starts with an empty read-set
    assert json.loads(run(kernel, REPORT_CODE)) == {"files": [], "dirs": []}


@pytest.mark.parametrize(("file", "expected"), [
    ("/p/review/helper.py", True),
    ("/p/review/lib/helper.py", True),
    ("/p/review/.venv/lib/python3.11/site-packages/x.py", False),
    ("/p/review/vendor/site-packages/x.py", False),
    ("/p/review/ext.so", False),
    ("/p/other/helper.py", False),
    (None, False),
])
def test_project_modules(file, expected):
    module = type("M", (), {"__file__": file})()
    assert is_project_module(module, "/p/review/") is expected


def test_a_remembered_value_is_computed_once_and_its_reads_recorded_in_every_chapter(kernel, tmp_path):
    """remember(): the review is loaded once per kernel; a later chapter gets a copy (its changes stay its
    own) and the same read-set as if it had loaded it itself."""
    root = project(tmp_path)
    load = ('import sys\nstate = sys.modules["_dhr_kernel"]\nloads = globals().setdefault("loads", [])\n'
            'value = state.remember(("test", 1), lambda: (__builtins__.__dict__.setdefault("_dhr_test_loads", []).append(1), '
            '{"rows": open("data/read.csv").read()})[1])\n')
    run(kernel, setup_code())
    run(kernel, reset_code(str(root), {}))
    run(kernel, load + 'value["rows"] = "changed by chapter one"\n')
    first = json.loads(run(kernel, REPORT_CODE).strip().splitlines()[-1])
    run(kernel, reset_code(str(root), {}))
    seen = run(kernel, load + 'print(value["rows"].strip(), len(__builtins__.__dict__["_dhr_test_loads"]))')
    second = json.loads(run(kernel, REPORT_CODE).strip().splitlines()[-1])
    assert seen.split() == ["a", "1"]  # computed once; chapter one's change is not seen
    assert first == second == {"files": ["data/read.csv"], "dirs": []}
