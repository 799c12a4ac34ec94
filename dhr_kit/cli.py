"""`dhr` — a thin command line over dhr-kit's Python API.

Exit codes: 0 success; 1 QA errors or a stopped build; 2 bad input or usage; 3 an internal error (a bug
in dhr-kit; DHR_DEBUG=1 shows its traceback). No traceback reaches the user for an error of theirs:
every :class:`~dhr_kit.errors.DhrError` is printed as one clear message.
"""
from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .errors import DhrError, InputError, Problem, fault_message

INTERNAL_ERROR = 3  # 0 ok, 1 QA errors / stopped build, 2 bad input or usage, 3 a bug in dhr-kit


def _add_common_qa(p: argparse.ArgumentParser) -> None:
    p.add_argument("--publish", action="store_true", help="check/build for publication (stricter)")
    p.add_argument("--strict", action="store_true", help="turn warnings into errors")
    p.add_argument("--names", metavar="FILE", type=Path,
                   help="private deny-list of real names (default: $DHR_NAMES_FILE); never keep it in the project")
    p.add_argument("--no-names", action="store_true",
                   help="publish without the real-name check (only for a review with no names file, e.g. a test)")


def _require_names(args: argparse.Namespace) -> None:
    """A publication build searches for real names: without a names file it must be asked for by name."""
    from .denylist import NAMES_ENV, names_path

    if getattr(args, "publish", False) and not args.no_names and names_path(args.names) is None:
        raise InputError(Problem(
            "--names", "a publication build needs the private names file, so that no real name is published",
            fix=f"pass --names FILE (or set {NAMES_ENV}) with the real names, kept outside the project; "
                "--no-names skips the check, saying so in the build log"))
    if getattr(args, "publish", False) and args.no_names:
        print(f"dhr {args.command}: warning: --no-names: no real name was searched for in this publication build",
              file=sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dhr", description="Build and check Domestic Homicide Review reports.")
    parser.add_argument("--version", action="version", version=f"dhr-kit {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = sub.add_parser("check", help="check a review against the QA rules (no execution)")
    check.add_argument("dir", nargs="?", type=Path, default=Path("."))
    _add_common_qa(check)
    check.add_argument("--format", choices=["text", "json", "sarif"], default="text")

    render = sub.add_parser("render", help="render the review to HTML, PDF and/or docx")
    render.add_argument("dir", nargs="?", type=Path, default=Path("."))
    render.add_argument("--to", choices=["html", "pdf", "docx", "all"], default="all")
    _add_common_qa(render)
    render.add_argument("--engine", choices=["auto", "embedded", "quarto"], default="auto")
    render.add_argument("--no-cache", action="store_true", help="re-execute every chapter")
    render.add_argument("--single-file", action="store_true", help="also write one self-contained HTML file")
    render.add_argument("--quiet", action="store_true", help="no progress output")

    new = sub.add_parser("new", help="create a new review skeleton")
    new.add_argument("dir", type=Path)

    export = sub.add_parser("export", help="export recommendations, action plan and findings")
    export.add_argument("dir", nargs="?", type=Path, default=Path("."))
    export.add_argument("--format", choices=["json", "csv"], default="json")
    export.add_argument("--output", "-o", type=Path, help="file (json) or folder (csv); default: standard output / <dir>/_export")

    qa_letter = sub.add_parser("qa-letter", help="the QA Panel letter's tracker")
    qa_sub = qa_letter.add_subparsers(dest="qa_command", required=True, metavar="ACTION")
    imp = qa_sub.add_parser("import", help="turn the letter's areas for final development into tracker entries")
    imp.add_argument("file", type=Path)
    imp.add_argument("--dir", type=Path, default=Path("."), help="the review project (default: .)")
    return parser


def _dispatch(args: argparse.Namespace) -> int:
    # Imports are local so that `dhr --help` and `dhr check` stay fast (no matplotlib, no nbclient).
    if args.command == "check":
        from .qa.commands import cmd_check
        return cmd_check(args)
    if args.command == "render":
        from .render.commands import cmd_render
        return cmd_render(args)
    if args.command == "new":
        from .scaffold import cmd_new
        return cmd_new(args)
    if args.command == "export":
        from .export import cmd_export
        return cmd_export(args)
    if args.command == "qa-letter":
        from .qa.commands import cmd_qa_letter
        return cmd_qa_letter(args)
    raise AssertionError(args.command)


def main(argv: Sequence[str] | None = None) -> int:
    """Run `dhr` with ``argv`` (default: sys.argv[1:]); returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        _require_names(args)
        return _dispatch(args)
    except DhrError as exc:
        print(f"dhr {args.command}: {exc}", file=sys.stderr)
        return exc.exit_code
    except OSError as exc:  # the machine's fault (disk full, read-only, permissions) is not a bug
        message = fault_message(exc, getattr(args, "dir", None))
        if message is None:
            return _internal_error(args, exc)
        print(f"dhr {args.command}: {message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("dhr: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug in dhr-kit, not in the review: say so, without a wall of traceback
        return _internal_error(args, exc)


def _internal_error(args: argparse.Namespace, exc: Exception) -> int:
    if os.environ.get("DHR_DEBUG"):
        raise exc
    print(f"dhr {args.command}: internal error {type(exc).__name__}: {exc} — this is a bug in dhr-kit, "
          "not in your review; please report it with the output of the same command run with DHR_DEBUG=1",
          file=sys.stderr)
    return INTERNAL_ERROR


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
