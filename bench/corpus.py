"""Time the national corpus: ingest (`dhr corpus add`: read, schema + anonymity check, load into DuckDB) and
report (`dhr corpus report`) for 100, 1,000 and 10,000 synthetic records.

    python bench/corpus.py            # prints each timing and the 10,000/1,000 ratios (goal: <= 12, linear)
    python bench/corpus.py 100 1000   # other sizes (the ratio is printed for the last two)
"""
from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from dhr_kit.corpus.ingest import add_records
from dhr_kit.corpus.report import render_report
from dhr_kit.corpus.synthetic import synthetic_records


def run(count: int, folder: Path) -> tuple[float, float]:
    records = folder / f"records-{count}"
    records.mkdir()
    for record in synthetic_records(count, seed=count):
        (records / f"{record['review']['id']}.json").write_text(json.dumps(record), encoding="utf-8")
    db = folder / f"corpus-{count}.duckdb"
    start = time.perf_counter()
    loaded = add_records(db, [records])
    ingest = time.perf_counter() - start
    assert loaded == count, (loaded, count)
    start = time.perf_counter()
    render_report(db, folder / f"report-{count}")
    report = time.perf_counter() - start
    return ingest, report


def main(sizes: list[int]) -> None:
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for count in sizes:
            results[count] = run(count, Path(tmp))
            ingest, report = results[count]
            print(f"{count:>6} records: ingest {ingest:7.2f} s ({1000 * ingest / count:.2f} ms/record), "
                  f"report {report:6.2f} s", flush=True)
    big, small = sizes[-1], sizes[-2]
    print(f"ratio {big}/{small}: ingest {results[big][0] / results[small][0]:.1f}, "
          f"report {results[big][1] / results[small][1]:.1f} (records x{big / small:g}; goal <= 12)")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [100, 1_000, 10_000])
