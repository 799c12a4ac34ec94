"""Run a chapter's code cells in a real Jupyter kernel (nbclient + ipykernel).

The notebook handed to the kernel is the chapter's evaluated cells between two hidden cells: the
first installs an audit hook that records every file and folder the kernel reads under the project
root; the last prints that read-set as JSON, which the cache hashes (so a changed data file
re-executes exactly the chapters that read it).
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

from ..errors import BuildError, ToolError
from .qmd import Cell, Chapter

QUARTO_DEFAULTS: dict[str, Any] = {
    "echo": True, "eval": True, "include": True, "output": True, "warning": True, "error": False,
}
EXECUTE_KEYS = set(QUARTO_DEFAULTS)
_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")

_SETUP_CELL = r'''
def _dhr_install_read_recorder():
    import os, sys
    root = os.path.join(os.path.abspath(os.environ["DHR_PROJECT"]), "")
    files, dirs = set(), set()
    def record(event, args):
        if event == "open":
            path, mode, flags = args
            if isinstance(mode, str):
                if "r" not in mode or "+" in mode:
                    return
            elif flags is not None and flags & (os.O_WRONLY | os.O_RDWR):
                return
        elif event in ("os.listdir", "os.scandir"):
            path = args[0] if args else "."
        else:
            return
        if isinstance(path, int) or path is None:
            return
        try:
            path = os.path.abspath(os.fsdecode(path))
        except (TypeError, ValueError):
            return
        if path.startswith(root):
            (files if event == "open" else dirs).add(path[len(root):])
    sys.addaudithook(record)
    return files, dirs
_dhr_reads = _dhr_install_read_recorder()
del _dhr_install_read_recorder
import warnings as _dhr_warnings  # "UserWarning: text" — no temporary file paths in the book
_dhr_warnings.formatwarning = lambda message, category, *args, **kwargs: f"{category.__name__}: {message}\n"
'''

_REPORT_CELL = r'''
import json as _dhr_json
print(_dhr_json.dumps({"files": sorted(_dhr_reads[0]), "dirs": sorted(_dhr_reads[1])}))
'''


def effective_options(cell: Cell, chapter: Chapter, project_execute: dict[str, Any]) -> dict[str, Any]:
    """Cell options over the chapter's `execute:` over the project's `execute:` over Quarto's defaults."""
    chapter_execute = chapter.front_matter.get("execute") or {}
    merged = dict(QUARTO_DEFAULTS)
    for layer in (project_execute, chapter_execute):
        merged.update({k: v for k, v in (layer or {}).items() if k in EXECUTE_KEYS})
    merged.update(cell.options)
    return merged


@dataclass
class ExecutionResult:
    outputs: list[list[dict[str, Any]]]  # one list per code cell of the chapter ([] when not evaluated)
    files: list[str] | None  # project-relative files the kernel read; None when unknown
    dirs: list[str] | None
    seconds: float


def strip_ansi(text: str) -> str:
    return _ANSI.sub("", text)


def cell_location(chapter: Chapter, cell: Cell) -> str:
    """`file:line` for .qmd, `file (cell N)` for notebooks."""
    if chapter.path.suffix == ".ipynb":
        return f"{chapter.rel} (cell {cell.line})"
    return f"{chapter.rel}:{cell.line}"


def _kernel_env(root: Path, chapter: Chapter, publish: bool) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "DHR_PROJECT": str(root),
        "DHR_PUBLISH": "1" if publish else "0",
        "DHR_CHAPTER_DIR": str(chapter.path.parent.resolve()),
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    })
    env.pop("JPY_PARENT_PID", None)
    return env


def execute_chapter(chapter: Chapter, root: Path, *, publish: bool, project_execute: dict[str, Any],
                    kernel_name: str = "python3", timeout: int = 600) -> ExecutionResult:
    """Execute the chapter's evaluated cells in one fresh kernel, cwd = project root.

    A cell error stops with BuildError naming the chapter, the cell's line and the exception,
    unless the cell (or chapter/project) sets `error: true`.
    """
    code_cells = chapter.code_cells
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": kernel_name, "display_name": "Python 3", "language": "python"}
    nb.cells.append(nbformat.v4.new_code_cell(_SETUP_CELL))
    positions: dict[int, int] = {}  # index in code_cells -> index in nb.cells
    for index, cell in enumerate(code_cells):
        options = effective_options(cell, chapter, project_execute)
        if not options.get("eval", True):
            continue
        nb_cell = nbformat.v4.new_code_cell(cell.source)
        if options.get("error"):
            nb_cell.metadata["tags"] = ["raises-exception"]
        positions[index] = len(nb.cells)
        nb.cells.append(nb_cell)
    nb.cells.append(nbformat.v4.new_code_cell(_REPORT_CELL))

    client = NotebookClient(nb, timeout=timeout, kernel_name=kernel_name, allow_errors=False,
                            record_timing=False, resources={"metadata": {"path": str(root)}})
    started = time.perf_counter()
    try:
        client.execute(env=_kernel_env(root, chapter, publish), stderr=subprocess.DEVNULL)
    except CellExecutionError as exc:
        failing = next((i for i, pos in positions.items() if _error_output(nb.cells[pos]) is not None
                        and "raises-exception" not in nb.cells[pos].metadata.get("tags", [])), None)
        where = cell_location(chapter, code_cells[failing]) if failing is not None else chapter.rel
        name, value = (exc.ename, exc.evalue)
        raise BuildError(f"{where}: the cell raised {name}: {strip_ansi(str(value))}\n"
                         "  fix: correct the code or its data, or set `#| error: true` to show the error "
                         "in the report") from None
    except CellTimeoutError:
        raise BuildError(f"{chapter.rel}: a cell ran longer than {timeout} s and was stopped") from None
    except DeadKernelError as exc:
        raise BuildError(f"{chapter.rel}: the Jupyter kernel died while running the chapter ({exc})") from None
    except Exception as exc:  # kernel could not start: missing ipykernel or kernelspec
        if exc.__class__.__name__ in {"NoSuchKernel", "FileNotFoundError", "RuntimeError"}:
            raise ToolError("jupyter", f"could not start the {kernel_name!r} kernel ({exc})",
                            fix="pip install ipykernel, then `python -m ipykernel install --user`") from None
        raise
    seconds = time.perf_counter() - started
    outputs = [[dict(o) for o in nb.cells[positions[i]].outputs] if i in positions else []
               for i in range(len(code_cells))]
    files, dirs = _read_set(nb.cells[-1])
    return ExecutionResult(outputs=outputs, files=files, dirs=dirs, seconds=seconds)


def _error_output(nb_cell: Any) -> dict | None:
    return next((o for o in nb_cell.get("outputs", []) if o.get("output_type") == "error"), None)


def _read_set(report_cell: Any) -> tuple[list[str] | None, list[str] | None]:
    text = "".join(o.get("text", "") for o in report_cell.outputs if o.get("output_type") == "stream"
                   and o.get("name") == "stdout")
    try:
        data = json.loads(text.strip().splitlines()[-1])
        return list(data["files"]), list(data["dirs"])
    except (ValueError, KeyError, IndexError):
        return None, None
