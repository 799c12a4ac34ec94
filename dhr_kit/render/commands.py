"""`dhr render` — the command-line face of :func:`dhr_kit.render.render`."""
from __future__ import annotations

import argparse
import os

from .pipeline import render


def cmd_render(args: argparse.Namespace) -> int:
    """Exit 0 on success; errors propagate as DhrError (the CLI prints them: 1 build stopped, 2 bad input)."""
    names = getattr(args, "names", None) or os.environ.get("DHR_NAMES_FILE") or None
    render(args.dir, to=args.to, publish=args.publish, strict=args.strict, names_file=names,
           engine=args.engine, no_cache=args.no_cache, single_file=args.single_file, quiet=args.quiet)
    return 0
