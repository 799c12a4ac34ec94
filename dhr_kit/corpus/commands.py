"""`dhr corpus add|report|sql|export` (thin: the work is in ingest, report and store)."""
from __future__ import annotations

import argparse
import sys

import duckdb

from ..denylist import read_deny_list
from ..errors import InputError, Problem
from .ingest import add_records
from .report import render_report
from .store import TABLES, connect


def cmd_corpus(args: argparse.Namespace) -> int:
    if args.corpus_command == "add":
        count = add_records(args.db, list(args.records), read_deny_list(args.names))
        print(f"loaded {count} review record{'s' if count != 1 else ''} into {args.db}", file=sys.stderr)
        return 0
    if args.corpus_command == "report":
        index = render_report(args.db, args.output, args.engine)
        print(f"wrote {index}", file=sys.stderr)
        return 0
    if args.corpus_command == "export":
        con = connect(args.db, read_only=True)
        try:
            args.folder.mkdir(parents=True, exist_ok=True)
            for table in TABLES:
                target = str(args.folder / f"{table}.parquet").replace("'", "''")
                con.execute(f"COPY {table} TO '{target}' (FORMAT parquet)")
        finally:
            con.close()
        print(f"wrote {len(TABLES)} Parquet files to {args.folder}", file=sys.stderr)
        return 0
    con = connect(args.db, read_only=True)
    try:
        try:
            frame = con.execute(args.query).df()
        except duckdb.Error as exc:
            raise InputError(Problem("SQL", str(exc).splitlines()[0], key="query",
                                     fix=f"the tables are: {', '.join(TABLES)} (see the README, National record)"))
    finally:
        con.close()
    for column in frame.columns[frame.dtypes == object]:
        frame[column] = frame[column].map(lambda v: ";".join(map(str, v)) if hasattr(v, "__len__")
                                          and not isinstance(v, (str, bytes, dict)) else v)
    sys.stdout.write(frame.to_csv(index=False, lineterminator="\n"))
    return 0
