"""Run chapters' code cells in real Jupyter kernels (nbclient + ipykernel), one kernel reused per worker.

The notebook handed to the kernel is the chapter's evaluated cells between two hidden one-line cells
calling :mod:`dhr_kit.kernel_setup`: the first (in a new kernel) installs its read recorder, then resets
the kernel to a fresh kernel's state for this chapter (user namespace, cwd, DHR_* environment, figures,
review cache, project modules, warnings); the last prints the read-set as JSON, which the cache hashes
(so a changed data file re-executes exactly the chapters that read it).
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
from jupyter_client import AsyncKernelManager
from jupyter_core.utils import ensure_async, run_sync
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

from ..context import chapter_environment
from ..errors import BuildError, ToolError
from ..kernel_setup import REPORT_CODE, reset_code, setup_code
from ..paths import templates_dir
from ..source import Cell, Chapter, inline_expressions

QUARTO_DEFAULTS: dict[str, Any] = {
    "echo": True, "eval": True, "include": True, "output": True, "warning": True, "error": False,
}
EXECUTE_KEYS = set(QUARTO_DEFAULTS)
_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")

_SETUP_CELL = setup_code()  # a new kernel's first cell: install dhr_kit/kernel_setup.py (read recorder, reset)


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


_FIX_CELL = "correct the code or its data, or set `#| error: true` to show the error in the report"
_FIX_SYNTAX = ("if that line is prose or a ```{python} line, the closing ``` of the cell above it is missing; "
               "otherwise correct the code")
_SYNTAX_ERRORS = {"SyntaxError", "IndentationError", "TabError"}
# IPython compiles each cell as a temporary file "<hash>.py": its name means nothing to the author
_KERNEL_FILE = re.compile(r"\s*\(\d+\.py, line \d+\)$")
_CELL_FRAME = re.compile(r"^\s*Cell In\[\d*\], line (\d+)", re.MULTILINE)


def cell_error_line(traceback: list[str]) -> int | None:
    """The line within the cell where it failed: IPython's outermost frame, ``Cell In[N], line L``, is the
    failing cell's own statement (N is no use: the per-chapter reset restarts the count)."""
    frame = _CELL_FRAME.search(strip_ansi("\n".join(traceback)))
    return int(frame.group(1)) if frame else None


def error_location(chapter: Chapter, cell: Cell, line_in_cell: int | None) -> str:
    """`file:line` of a line within a cell's code (the cell's own line when unknown)."""
    if line_in_cell is None or cell.code_line is None:
        return cell_location(chapter, cell)
    line = cell.code_line + line_in_cell - 1
    if chapter.path.suffix == ".ipynb":
        return f"{chapter.rel} (cell {cell.line}, line {line})"
    return f"{chapter.rel}:{line}"


def cell_error(chapter: Chapter, cell: Cell, error: dict[str, Any]) -> BuildError:
    """A cell's error output as the author's message: the file line that failed, never the kernel's file names."""
    name = str(error.get("ename", "Exception"))
    value = strip_ansi(str(error.get("evalue", "")))
    where = error_location(chapter, cell, cell_error_line(list(error.get("traceback") or [])))
    fix = _FIX_CELL
    if name in _SYNTAX_ERRORS and _KERNEL_FILE.search(value):  # in the cell itself, not in a module it imports
        value = _KERNEL_FILE.sub("", value)
        fix = _FIX_SYNTAX
    return BuildError(f"{where}: the cell raised {name}: {value}\n  fix: {fix}")


def _kernel_env(dhr_env: dict[str, str]) -> dict[str, str]:
    """The kernel process's environment: ours, the chapter's DHR_* variables, and figure settings."""
    env = dict(os.environ)
    env.update(dhr_env)
    env.update({
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        "MATPLOTLIBRC": str(templates_dir() / "matplotlibrc"),  # SVG text as text, stable ids, the report's font
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    })
    env.pop("JPY_PARENT_PID", None)
    return env


class KernelSession:
    """One Jupyter kernel that runs chapters one after another, reset before each (see dhr_kit.kernel_setup).

    Not thread-safe: one session per worker thread, closed (kernel shut down) by that thread. A chapter
    that fails in any way discards the kernel; the next chapter starts a fresh one.
    """

    def __init__(self, root: Path, *, names_file: Path | None = None, kernel_name: str = "python3",
                 timeout: int = 600):
        self.root, self.names_file, self.kernel_name, self.timeout = root, names_file, kernel_name, timeout
        self.km: Any = None
        self.kc: Any = None
        self.kernels_started = 0

    def execute(self, chapter: Chapter, *, publish: bool, project_execute: dict[str, Any]) -> ExecutionResult:
        """Execute the chapter's evaluated cells, cwd = project root.

        A cell error stops with BuildError naming the chapter, the cell's line and the exception,
        unless the cell (or chapter/project) sets `error: true`.
        """
        code_cells = chapter.code_cells
        fresh = self.km is None
        dhr_env = chapter_environment(self.root, publish=publish, chapter_dir=chapter.path.parent.resolve(),
                                      names_file=self.names_file)
        reset = reset_code(str(self.root), dhr_env)
        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = {"name": self.kernel_name, "display_name": "Python 3", "language": "python"}
        nb.cells.append(nbformat.v4.new_code_cell((_SETUP_CELL if fresh else "") + reset))
        positions: dict[int, int] = {}  # index in code_cells -> index in nb.cells
        inline: list[tuple[Cell, int, list[tuple[int, str]]]] = []  # Markdown cell, nb index, its expressions
        index = 0
        for cell in chapter.cells:
            if cell.kind != "code":
                found = inline_expressions(cell.source)
                if found:
                    inline.append((cell, len(nb.cells), found))
                    nb.cells.append(nbformat.v4.new_code_cell(inline_code([e for _, e in found])))
                continue
            options = effective_options(cell, chapter, project_execute)
            index += 1
            if not options.get("eval", True):
                continue
            nb_cell = nbformat.v4.new_code_cell(cell.source)
            if options.get("error"):
                nb_cell.metadata["tags"] = ["raises-exception"]
            positions[index - 1] = len(nb.cells)
            nb.cells.append(nb_cell)
        nb.cells.append(nbformat.v4.new_code_cell(REPORT_CODE))

        if fresh:
            self.km = AsyncKernelManager(kernel_name=self.kernel_name)
        client = NotebookClient(nb, km=self.km, timeout=self.timeout, kernel_name=self.kernel_name,
                                allow_errors=False, record_timing=False,
                                resources={"metadata": {"path": str(self.root)}})
        client.kc = self.kc
        started = time.perf_counter()
        try:
            if fresh:
                self.kernels_started += 1
            client.execute(env=_kernel_env(dhr_env), stderr=subprocess.DEVNULL)
            self.kc = client.kc
        except BaseException as exc:
            self.kc = self.kc or client.kc
            self.close()  # never reuse a kernel after a failure: a fresh one for the next chapter
            raise self._build_error(exc, chapter, nb, positions) from None
        seconds = time.perf_counter() - started
        outputs = [[dict(o) for o in nb.cells[positions[i]].outputs] if i in positions else []
                   for i in range(len(code_cells))]
        if inline:
            outputs.append(inline_results(chapter, nb, inline))
        files, dirs = _read_set(nb.cells[-1])
        return ExecutionResult(outputs=outputs, files=files, dirs=dirs, seconds=seconds)

    def _build_error(self, exc: BaseException, chapter: Chapter, nb: Any, positions: dict[int, int]) -> BaseException:
        if isinstance(exc, CellExecutionError):
            failing = next((i for i, pos in positions.items() if _error_output(nb.cells[pos]) is not None
                            and "raises-exception" not in nb.cells[pos].metadata.get("tags", [])), None)
            if failing is None:
                return BuildError(f"{chapter.rel}: the cell raised {exc.ename}: {strip_ansi(str(exc.evalue))}\n"
                                  f"  fix: {_FIX_CELL}")
            return cell_error(chapter, chapter.code_cells[failing], _error_output(nb.cells[positions[failing]]))
        if isinstance(exc, CellTimeoutError):
            return BuildError(f"{chapter.rel}: a cell ran longer than {self.timeout} s and was stopped")
        if isinstance(exc, DeadKernelError):
            return BuildError(f"{chapter.rel}: the Jupyter kernel died while running the chapter ({exc})")
        if exc.__class__.__name__ in {"NoSuchKernel", "FileNotFoundError", "RuntimeError"}:
            return ToolError("jupyter", f"could not start the {self.kernel_name!r} kernel ({exc})",
                             fix="pip install ipykernel, then `python -m ipykernel install --user`")
        return exc

    def close(self) -> None:
        """Shut the kernel down (if one is running) and wait for its process to end."""
        km, kc, self.km, self.kc = self.km, self.kc, None, None
        if kc is not None:
            kc.stop_channels()
        if km is not None:
            _shutdown(km)

    def __enter__(self) -> KernelSession:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


async def _async_shutdown(km: Any) -> None:
    try:
        if km.has_kernel:
            await km.shutdown_kernel(now=False)
    finally:
        await ensure_async(km.cleanup_resources())

_shutdown = run_sync(_async_shutdown)


def execute_chapter(chapter: Chapter, root: Path, *, publish: bool, project_execute: dict[str, Any],
                    kernel_name: str = "python3", timeout: int = 600) -> ExecutionResult:
    """Execute one chapter in a kernel of its own (started and shut down here)."""
    with KernelSession(root, kernel_name=kernel_name, timeout=timeout) as session:
        return session.execute(chapter, publish=publish, project_execute=project_execute)


_INLINE_MARK = "@@dhr-inline@@ "
INLINE_OUTPUT = "dhr-inline"  # the output type of an inline expression's value (one list after the code cells')


def inline_code(expressions: list[str]) -> str:
    """A hidden cell that evaluates inline expressions in the kernel's namespace and prints their MIME
    bundles (as Jupyter's ``user_expressions`` would give them), leaving no name behind."""
    return (
        "def __dhr_inline(expressions):\n"
        "    import json\n"
        "    from IPython import get_ipython\n"
        "    shell = get_ipython()\n"
        "    results = []\n"
        "    for expression in expressions:\n"
        "        try:\n"
        "            data, _ = shell.display_formatter.format(eval(expression, shell.user_ns))\n"
        "            results.append({'data': {k: v for k, v in data.items()\n"
        "                                     if k in ('text/markdown', 'text/plain', 'text/latex')}})\n"
        "        except Exception as exc:\n"
        "            results.append({'error': type(exc).__name__ + ': ' + str(exc)})\n"
        f"    print({_INLINE_MARK!r} + json.dumps(results))\n"
        f"__dhr_inline({expressions!r})\n"
        "del __dhr_inline\n")


def inline_results(chapter: Chapter, nb: Any, inline: list[tuple[Cell, int, list[tuple[int, str]]]]) -> list[dict]:
    """Every inline expression's value, in chapter order; an expression that raised is a BuildError at its line."""
    results: list[dict] = []
    for cell, position, found in inline:
        text = "".join(o.get("text", "") for o in nb.cells[position].outputs
                       if o.get("output_type") == "stream" and o.get("name") == "stdout")
        line = next((ln for ln in text.splitlines() if ln.startswith(_INLINE_MARK)), None)
        values = json.loads(line[len(_INLINE_MARK):]) if line else [{"error": "no value"}] * len(found)
        for (offset, expression), value in zip(found, values):
            if "error" in value:
                where = inline_location(chapter, cell, offset)
                raise BuildError(f"{where}: the inline expression `{{python}} {expression}` raised "
                                 f"{strip_ansi(value['error'])}\n  fix: correct the expression, or define what it "
                                 "uses in a cell above it")
            results.append({"output_type": INLINE_OUTPUT, "expression": expression, "data": value["data"]})
    return results


def inline_location(chapter: Chapter, cell: Cell, offset: int) -> str:
    """`file:line` of a character of a Markdown cell (`file (cell N, line L)` for notebooks)."""
    line_in_cell = cell.source[:offset].count("\n")
    if chapter.path.suffix == ".ipynb":
        return f"{chapter.rel} (cell {cell.line}, line {line_in_cell + 1})"
    return f"{chapter.rel}:{cell.line + line_in_cell}"


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
