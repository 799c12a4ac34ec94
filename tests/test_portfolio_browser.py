"""The portfolio dashboard and the corpus report in real headless Chromium: axe-core finds no violation, no
request leaves the machine, every chart image loads (Debian chromium + npm axe-core, as tests/test_browser.py)."""
from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest

from test_browser import _QuietHandler, _axe_violations, _off_machine, _open, browser  # noqa: F401
from test_portfolio import AS_OF, write_portfolio

from dhr_kit.cli import main

pytestmark = [pytest.mark.browser]


def _serve(folder: Path):
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("dash")
    folders = write_portfolio(root / "reviews")
    assert main(["portfolio", *map(str, folders), "--as-of", AS_OF, "-o", str(root / "site" / "index.html")]) == 0
    for i, folder in enumerate(folders):
        assert main(["export", str(folder), "-o", str(root / "records" / f"r{i}.json")]) == 0
    db = root / "corpus.duckdb"
    assert main(["corpus", "add", "--db", str(db), str(root / "records")]) == 0
    assert main(["corpus", "report", "--db", str(db), "-o", str(root / "site" / "corpus")]) == 0
    return root / "site"


@pytest.mark.parametrize("page_path", ["index.html", "corpus/_book/index.html"])
def test_no_axe_violations_no_off_machine_request(browser, outputs, page_path, artifacts_dir) -> None:  # noqa: F811
    server, origin = _serve(outputs)
    try:
        page, requests = _open(browser, f"{origin}/{page_path}")
        assert _axe_violations(page) == []
        assert _off_machine(requests, origin) == []
        broken = page.evaluate("[...document.images].filter(i => !i.complete || i.naturalWidth === 0).length")
        assert broken == 0
        (artifacts_dir / "screens").mkdir(exist_ok=True)
        page.screenshot(path=str(artifacts_dir / "screens" / f"portfolio-{page_path.replace('/', '-')}.png"), full_page=True)
        page.close()
    finally:
        server.shutdown()
