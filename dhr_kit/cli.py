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


DIR_HELP = "the review's folder, holding _quarto.yml (default: the current folder)"


def _add_dir(p: argparse.ArgumentParser) -> None:
    p.add_argument("dir", nargs="?", type=Path, default=Path("."), metavar="DIR", help=DIR_HELP)


def _add_common_qa(p: argparse.ArgumentParser) -> None:
    p.add_argument("--publish", action="store_true",
                   help="publication mode: every QA error fails (anonymity, placeholders, open QA-letter points …)")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
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


def _add_portfolio(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("portfolio", help="a Partnership's dashboard of every review's action plan",
                       description="Read the reviews (folders or exported records), and write an accessible HTML "
                                   "dashboard of every action (overdue and unevidenced first), progress per review "
                                   "and per agency, review timescales, and actions.csv / portfolio.xlsx beside it.")
    p.add_argument("dirs", nargs="*", type=Path, metavar="DIR",
                   help="review folders or record files (.json); none: the reviews listed in portfolio.yml")
    p.add_argument("--config", type=Path, metavar="FILE", help="the portfolio file (default: ./portfolio.yml)")
    p.add_argument("--output", "-o", type=Path, metavar="PATH",
                   help="the dashboard's HTML file or folder (default: _portfolio/index.html)")
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help="the date overdue is computed against (default: today)")
    p.add_argument("--names", metavar="FILE", type=Path,
                   help="private deny-list of real names searched in every record (default: $DHR_NAMES_FILE)")


def _add_corpus(sub: argparse._SubParsersAction) -> None:
    corpus = sub.add_parser("corpus", help="a national record of reviews in one DuckDB file",
                            description="Load review records into an embedded DuckDB database, report across "
                                        "them, or query them with SQL.")
    corpus_sub = corpus.add_subparsers(dest="corpus_command", required=True, metavar="ACTION")
    db_help = "the corpus database (default: dhr-corpus.duckdb in the current folder)"
    add = corpus_sub.add_parser("add", help="load records (checked against the schema and the names file)",
                                description="Load records written by `dhr export`; a record that breaks the "
                                            "schema or carries a deny-listed name or an identifying detail is "
                                            "refused with the record and the field named, and nothing is loaded.")
    add.add_argument("records", nargs="+", type=Path, metavar="RECORD", help="record files (.json) or folders of them")
    add.add_argument("--db", type=Path, default=Path("dhr-corpus.duckdb"), metavar="FILE", help=db_help)
    add.add_argument("--names", metavar="FILE", type=Path,
                     help="private deny-list of real names searched in every record (default: $DHR_NAMES_FILE)")
    report = corpus_sub.add_parser("report", help="the cross-review analysis report (HTML)",
                                   description="Characteristics found relevant, agencies and topics of "
                                               "recommendations, time to completion, themes of QA-letter points.")
    report.add_argument("--db", type=Path, default=Path("dhr-corpus.duckdb"), metavar="FILE", help=db_help)
    report.add_argument("--output", "-o", type=Path, default=Path("_corpus"), metavar="FOLDER",
                        help="the report's Quarto project (index.qmd, charts); its HTML goes to FOLDER/_book "
                             "(default: _corpus)")
    report.add_argument("--engine", choices=["embedded", "quarto", "auto"], default="embedded",
                        help="the renderer (default: embedded, dhr-kit's own; quarto needs the quarto CLI)")
    sql = corpus_sub.add_parser("sql", help="run one SQL query and print the result as CSV")
    sql.add_argument("query", metavar="SQL", help='e.g. "select scope, count(*) from recommendations group by 1"')
    sql.add_argument("--db", type=Path, default=Path("dhr-corpus.duckdb"), metavar="FILE", help=db_help)
    export = corpus_sub.add_parser("export", help="write every table as Parquet, for a department's warehouse")
    export.add_argument("folder", type=Path, metavar="FOLDER", help="the folder for the .parquet files")
    export.add_argument("--db", type=Path, default=Path("dhr-corpus.duckdb"), metavar="FILE", help=db_help)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dhr", description="Build and check Domestic Homicide Review reports.")
    parser.add_argument("--version", action="version", version=f"dhr-kit {__version__}",
                        help="show dhr-kit's version and exit")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = sub.add_parser("check", help="check a review against the QA rules (seconds: nothing is executed)",
                           description="Check the chapters and data against the QA rules. Exit 0: no errors; "
                                       "1: errors found; 2: bad input.")
    _add_dir(check)
    _add_common_qa(check)
    check.add_argument("--format", choices=["text", "json", "sarif"], default="text",
                       help="text: file:line:col: severity RULE message (editors read it); json; sarif (CI "
                            "annotations). Default: text")

    render = sub.add_parser("render", help="render the review to HTML, PDF and/or docx",
                            description="Render the review into the output folder (_book/). A draft is built "
                                        "despite open QA errors, which are listed on its first page; --publish "
                                        "fails on any error and also writes the upload bundle.")
    _add_dir(render)
    render.add_argument("--to", choices=["html", "pdf", "docx", "all"], default="all",
                        help="the output to build; the others in _book/ are left as they were (default: all)")
    _add_common_qa(render)
    render.add_argument("--engine", choices=["auto", "embedded", "quarto"], default="auto",
                        help="embedded: dhr-kit's own renderer; quarto: the quarto CLI; auto: quarto when "
                             "installed (default: auto)")
    render.add_argument("--no-cache", action="store_true", help="re-execute every chapter")
    render.add_argument("--single-file", action="store_true", help="also write one self-contained HTML file")
    render.add_argument("--quiet", action="store_true", help="no progress output")

    preview = sub.add_parser("preview", help="live preview in the browser, rebuilt on every save",
                             description="Serve the HTML on 127.0.0.1 and rebuild it when a chapter, a data file "
                                         "or _quarto.yml is saved; the open page reloads by itself and shows the "
                                         "QA findings that concern it.")
    _add_dir(preview)
    preview.add_argument("--port", type=int, default=4848, metavar="N",
                         help="port on 127.0.0.1 (default: 4848; 0 picks a free one)")
    preview.add_argument("--no-browser", action="store_true", help="do not open a browser window")
    preview.add_argument("--names", metavar="FILE", type=Path,
                         help="private deny-list of real names (default: $DHR_NAMES_FILE)")

    new = sub.add_parser("new", help="create a new review skeleton (with VS Code and JupyterLab set-up)")
    new.add_argument("dir", type=Path, metavar="DIR", help="the new review's folder (must not exist, or be empty)")

    init = sub.add_parser("init", help="add dhr-kit's editor set-up to an existing Quarto book",
                          description="Write the VS Code tasks (with a problem matcher for `dhr check`), "
                                      "recommended extensions and settings, and the Jupytext pairing into an "
                                      "existing Quarto book; files that already exist are left alone.")
    _add_dir(init)

    add = sub.add_parser("add", help="add a chapter or an agency to the review")
    add_sub = add.add_subparsers(dest="add_command", required=True, metavar="WHAT")
    chapter = add_sub.add_parser("chapter", help="create a chapter file and list it in _quarto.yml",
                                 description="Create chapters/NN-slug.qmd headed by TITLE and list it in "
                                             "_quarto.yml (comments and order are kept).")
    chapter.add_argument("title", metavar="TITLE", help="the chapter's title, e.g. \"Housing\"")
    _add_dir(chapter)
    where = chapter.add_mutually_exclusive_group()
    where.add_argument("--part", metavar="P", help="add it at the end of this part (by title; created if new)")
    where.add_argument("--appendix", action="store_true", help="add it as an appendix")
    agency = add_sub.add_parser("agency", help="add an agency to data/review.yml with its chronology file",
                                description="Add the agency to data/review.yml and, where the chronology is one "
                                            "file per agency (data/chronology/), create data/chronology/ID.csv "
                                            "with the right header.")
    agency.add_argument("id", metavar="ID", help="short id, e.g. housing2 (lower case, digits and -)")
    agency.add_argument("name", metavar="NAME", help="the agency's name, e.g. \"Calderbrook Homes\"")
    _add_dir(agency)
    agency.add_argument("--type", default="other", metavar="TYPE",
                        help="agency type (police, gp, mental-health, housing, … see the README; default: other)")

    export = sub.add_parser("export", help="export the review's versioned record (JSON) or its tables (CSV)",
                            description="json: the review's record (schema_version, dhr-record.schema.json; no "
                                        "names, month-precision dates), checked against the schema and the "
                                        "anonymity rules; csv: one file per table.")
    _add_dir(export)
    export.add_argument("--format", choices=["json", "csv"], default="json", help="json (default) or csv files")
    export.add_argument("--names", metavar="FILE", type=Path,
                        help="private deny-list of real names searched in the record (default: $DHR_NAMES_FILE)")
    export.add_argument("--output", "-o", type=Path, metavar="PATH",
                        help="file (json) or folder (csv); default: standard output / <dir>/_export")

    _add_portfolio(sub)
    _add_corpus(sub)

    qa_letter = sub.add_parser("qa-letter", help="the QA Panel letter's tracker")
    qa_sub = qa_letter.add_subparsers(dest="qa_command", required=True, metavar="ACTION")
    imp = qa_sub.add_parser("import", help="turn the letter's areas for final development into tracker entries")
    imp.add_argument("file", type=Path, metavar="FILE", help="the QA Panel's letter (.pdf, .md or .txt)")
    imp.add_argument("dir", nargs="?", type=Path, default=None, metavar="DIR", help=DIR_HELP)
    imp.add_argument("--dir", dest="dir_option", type=Path, default=None, metavar="DIR",
                     help="deprecated: give the folder as the second argument instead")
    return parser


def _dispatch(args: argparse.Namespace) -> int:
    # Imports are local so that `dhr --help` and `dhr check` stay fast (no matplotlib, no nbclient).
    if args.command == "check":
        from .qa.commands import cmd_check
        return cmd_check(args)
    if args.command == "render":
        from .render.commands import cmd_render
        return cmd_render(args)
    if args.command == "preview":
        from .preview.commands import cmd_preview
        return cmd_preview(args)
    if args.command == "new":
        from .scaffold import cmd_new
        return cmd_new(args)
    if args.command == "init":
        from .editor import cmd_init
        return cmd_init(args)
    if args.command == "add":
        from .add import cmd_add
        return cmd_add(args)
    if args.command == "export":
        from .export import cmd_export
        return cmd_export(args)
    if args.command == "portfolio":
        from .portfolio.commands import cmd_portfolio
        return cmd_portfolio(args)
    if args.command == "corpus":
        from .corpus.commands import cmd_corpus
        return cmd_corpus(args)
    if args.command == "qa-letter":
        from .qa.commands import cmd_qa_letter
        if args.dir_option is not None:
            if args.dir is not None:
                raise UsageError("give the folder once: as the second argument (--dir is deprecated)")
            print("dhr qa-letter: --dir is deprecated; write `dhr qa-letter import FILE DIR`", file=sys.stderr)
            args.dir = args.dir_option
        args.dir = args.dir or Path(".")
        return cmd_qa_letter(args)
    raise AssertionError(args.command)


class UsageError(DhrError):
    exit_code = 2


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
