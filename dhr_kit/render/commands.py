"""`dhr render` — the command-line face of :func:`dhr_kit.render.render`."""
from __future__ import annotations

import argparse

from .pipeline import render


def cmd_render(args: argparse.Namespace) -> int:
    """Exit 0 on success; errors propagate as DhrError (the CLI prints them: 1 build stopped, 2 bad input)."""
    render(args.dir, to=args.to, publish=args.publish, strict=args.strict, names_file=getattr(args, "names", None),
           engine=args.engine, no_cache=args.no_cache, single_file=args.single_file, quiet=args.quiet)
    return 0
