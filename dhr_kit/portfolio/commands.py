"""`dhr portfolio [DIR …] [--config portfolio.yml] [--output PATH] [--as-of YYYY-MM-DD]`."""
from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from ..denylist import read_deny_list
from ..errors import InputError, Problem
from .build import DEFAULT_OUTPUT, build_portfolio
from .sources import resolve


def parse_as_of(text: str | None) -> date:
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(Problem("command line", f"{text!r} is not a date", key="--as-of",
                                 fix="write it as YYYY-MM-DD, e.g. --as-of 2026-07-01")) from None


def cmd_portfolio(args: argparse.Namespace) -> int:
    as_of = parse_as_of(args.as_of)
    sources = resolve(list(args.dirs), args.config)
    result = build_portfolio(sources, args.output or DEFAULT_OUTPUT, as_of, read_deny_list(args.names))
    s = result.summary
    print(f"wrote {result.index}: {s['actions']} actions, {s['overdue']} overdue, {s['unevidenced']} unevidenced "
          f"(as of {as_of.isoformat()})", file=sys.stderr)
    return 0
