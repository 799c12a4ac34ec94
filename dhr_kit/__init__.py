"""dhr-kit: Domestic Homicide Reviews written as Quarto chapters over structured case data.

The public API::

    from dhr_kit import load_review
    review = load_review(".")          # typed Review; InputError lists every problem in data/

Content helpers (preface(), panel_table(), timeline_chart(), …) are importable from ``dhr_kit``;
QA checks from ``dhr_kit.qa``; rendering from ``dhr_kit.render``.
"""
from __future__ import annotations

__version__ = "0.1.0"

from .errors import BuildError, DhrError, InputError, Problem, ToolError  # noqa: E402
from .loader import load_review  # noqa: E402
from .model import Review  # noqa: E402

__all__ = ["__version__", "load_review", "Review", "DhrError", "InputError", "ToolError", "BuildError", "Problem"]

from .helpers import *  # noqa: E402,F401,F403  (content helpers for chapter cells: `from dhr_kit import preface`)
from .helpers import __all__ as _helpers_all  # noqa: E402

__all__ += list(_helpers_all)
