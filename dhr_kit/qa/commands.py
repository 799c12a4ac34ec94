"""`dhr check` and `dhr qa-letter import`."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..config import resolve_context
from ..errors import InputError
from .findings import CheckResult
from .report import FORMATTERS
from .run import check
from .tracker import import_letter


def cmd_check(args: argparse.Namespace) -> int:
    """Print the findings in the chosen format; exit 1 when any is an error (InputError: exit 2, by the CLI)."""
    try:
        ctx = resolve_context(Path(args.dir), publish=getattr(args, "publish", False),
                              strict=getattr(args, "strict", False), names_file=getattr(args, "names", None))
        result = check(ctx)
    except InputError:
        # Report what can still be found in the same run: the chapters' language findings.
        from .despite_input import chapter_language_findings

        found = chapter_language_findings(Path(args.dir))
        if found and (getattr(args, "format", "text") or "text") == "text":
            sys.stdout.write(FORMATTERS["text"](CheckResult(found, files=len({f.file for f in found}))))
        raise
    sys.stdout.write(FORMATTERS[getattr(args, "format", "text") or "text"](result))
    return 0 if result.ok else 1


def cmd_qa_letter(args: argparse.Namespace) -> int:
    if args.qa_command != "import":
        raise AssertionError(args.qa_command)
    result = import_letter(Path(args.dir), Path(args.file))
    by_id = {row["id"]: row for row in result.rows}
    for rid in result.added:
        print(f"added {rid}: {by_id[rid]['point'][:100]}")
    for rid in result.kept:
        print(f"kept  {rid} ({by_id[rid]['status'] or 'open'}): already tracked")
    print(f"{len(result.added)} added, {len(result.kept)} kept, {len(result.rows)} points in {result.path}")
    return 0
