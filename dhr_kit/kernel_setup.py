"""Runs inside a chapter's Jupyter kernel: records what the chapter reads and resets the kernel between chapters.

The renderer loads this file by its path in the kernel's first cell and calls :func:`install` (so the
kernel imports nothing else of dhr-kit for it); every later cell reaches the installed state as the
module ``sys.modules["_dhr_kernel"]`` (which has no file, so the per-chapter reset never unloads it).
Standard library only at import time.

* The read recorder is an audit hook (it cannot be removed, so it is installed once per kernel and its
  sets are cleared for each chapter): every file opened for reading and every folder listed under the
  project root.
* :func:`reset` puts the process back into the state a fresh kernel would have before a chapter: user
  namespace, cwd, environment (plus the chapter's DHR_* variables), figures and their formats, pandas
  and matplotlib options, dhr-kit's review cache, the review's own modules, sys.path and warnings.
"""
from __future__ import annotations

import functools
import importlib
import json
import linecache
import os
import sys
import types
import warnings
from typing import Any

STATE_MODULE = "_dhr_kernel"
FIGURE_FORMATS = ("svg", "png")  # SVG keeps text as text (the anonymity checks read it); PNG for docx
PRINT_FIGURE_KWARGS: dict[str, Any] = {"bbox_inches": "tight", "metadata": {"Date": None}}  # no date: same bytes


def install(figure_formats: tuple[str, ...] = FIGURE_FORMATS,
            print_figure_kwargs: dict[str, Any] | None = None) -> types.ModuleType:
    """Install the read recorder and the reset/report functions once per process; returns the state module."""
    if STATE_MODULE in sys.modules:
        return sys.modules[STATE_MODULE]
    state = types.ModuleType(STATE_MODULE)
    state.files, state.dirs, state.root = set(), set(), ""
    state.figure_formats = set(figure_formats)
    state.print_figure_kwargs = dict(PRINT_FIGURE_KWARGS if print_figure_kwargs is None else print_figure_kwargs)
    sys.addaudithook(functools.partial(_record, state))
    ipython = _ipython()
    if ipython is not None:
        inline = ipython.config.InlineBackend
        inline.figure_formats = set(state.figure_formats)
        inline.print_figure_kwargs = dict(state.print_figure_kwargs)
    # "UserWarning: text" — no temporary file paths in the book
    warnings.formatwarning = lambda message, category, *args, **kwargs: f"{category.__name__}: {message}\n"
    state.environ, state.path = dict(os.environ), list(sys.path)
    state.filters = list(warnings.filters)
    state.formatwarning, state.showwarning = warnings.formatwarning, warnings.showwarning
    state.memo = {}
    state.reset = functools.partial(reset, state)
    state.report = functools.partial(report, state)
    state.remember = functools.partial(remember, state)
    sys.modules[STATE_MODULE] = state
    return state


def _ipython() -> Any:
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    return get_ipython()


def _record(state: types.ModuleType, event: str, args: tuple) -> None:
    root = state.root
    if not root:
        return
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
        (state.files if event == "open" else state.dirs).add(path[len(root):])


def is_project_module(module: Any, root: str) -> bool:
    """A module of the review itself (re-imported for each chapter, so its file is in the read-set); never a
    package installed inside the project (.venv) or an extension module. ``root`` ends with a separator."""
    file = getattr(module, "__file__", None)
    if not isinstance(file, str) or not file.endswith(".py"):
        return False
    path = os.path.abspath(file)
    if not path.startswith(root):
        return False
    parts = path[len(root):].split(os.sep)
    return not parts[0].startswith(".") and "site-packages" not in parts and "dist-packages" not in parts


def reset(state: types.ModuleType, project: str, environment: dict[str, str]) -> None:
    """Before a chapter: a fresh kernel's state, cwd = ``project``, ``environment`` (DHR_*) set, recording on."""
    root = os.path.join(os.path.abspath(project), "")
    state.root = ""  # nothing the reset itself reads counts
    ipython = _ipython()
    if ipython is not None:
        ipython.reset(new_session=True)
    for name in ("last_type", "last_value", "last_traceback"):
        sys.__dict__.pop(name, None)
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
    inline = sys.modules.get("matplotlib_inline.config")
    if inline is not None and inline.InlineBackend.initialized():  # a chapter may have changed them
        backend = inline.InlineBackend.instance()
        backend.figure_formats = set(state.figure_formats)
        backend.print_figure_kwargs = dict(state.print_figure_kwargs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if "matplotlib" in sys.modules:
            sys.modules["matplotlib"].rc_file_defaults()
        if "pandas" in sys.modules:
            sys.modules["pandas"].reset_option("all")
    review = sys.modules.get("dhr_kit.helpers._review")
    if review is not None:
        review._CACHE.clear()  # every chapter re-reads the data files it uses
    for name, module in list(sys.modules.items()):
        if is_project_module(module, root):
            del sys.modules[name]
    importlib.invalidate_caches()
    linecache.clearcache()
    sys.path[:] = state.path
    warnings.filters[:] = state.filters
    warnings.formatwarning, warnings.showwarning = state.formatwarning, state.showwarning
    warnings.onceregistry.clear()
    warnings._filters_mutated()  # forgets which warnings were already shown
    os.environ.clear()
    os.environ.update(state.environ)
    os.environ.update(environment)
    os.chdir(project)
    state.files.clear()
    state.dirs.clear()
    state.root = root


def remember(state: types.ModuleType, key: Any, compute: Any) -> Any:
    """``compute()`` once per kernel for ``key`` (e.g. loading the review's data); in a later chapter, a
    copy of the same value, with the files and folders the computation read recorded again — so the
    chapter's read-set, and so its cache entry, is what it would be had it computed the value itself."""
    hit = state.memo.get(key)
    if hit is None:
        outer_files, outer_dirs = state.files, state.dirs
        state.files, state.dirs = set(), set()
        try:
            value = compute()
        finally:
            files, dirs = state.files, state.dirs
            state.files, state.dirs = outer_files | files, outer_dirs | dirs
        hit = state.memo[key] = (value, frozenset(files), frozenset(dirs))
    elif state.root:
        state.files |= hit[1]
        state.dirs |= hit[2]
    import copy

    return copy.deepcopy(hit[0])  # a chapter that changes it changes its own copy


def read_set(state: types.ModuleType) -> dict[str, list[str]]:
    """Project-relative files and folders read since the last reset."""
    return {"files": sorted(state.files), "dirs": sorted(state.dirs)}


def report(state: types.ModuleType) -> None:
    """Stop recording and print the read-set as one JSON line (the renderer reads the cell's stdout)."""
    state.root = ""
    print(json.dumps(read_set(state)))


def setup_code(figure_formats: tuple[str, ...] = FIGURE_FORMATS,
               print_figure_kwargs: dict[str, Any] | None = None) -> str:
    """The kernel's first cell: load this file by its path and install (one line)."""
    kwargs = PRINT_FIGURE_KWARGS if print_figure_kwargs is None else print_figure_kwargs
    return f'__import__("runpy").run_path({__file__!r})["install"]({tuple(figure_formats)!r}, {kwargs!r})\n'


def reset_code(project: str, environment: dict[str, str]) -> str:
    return f'__import__("sys").modules[{STATE_MODULE!r}].reset({project!r}, {environment!r})\n'


REPORT_CODE = f'__import__("sys").modules[{STATE_MODULE!r}].report()\n'
