"""`dhr preview` — the command-line face of :mod:`dhr_kit.preview`."""
from __future__ import annotations

import argparse
import os

from .server import serve


def cmd_preview(args: argparse.Namespace) -> int:
    names = getattr(args, "names", None) or os.environ.get("DHR_NAMES_FILE") or None
    return serve(args.dir, port=args.port, open_browser=not args.no_browser, names_file=names)
