"""The HTML as a reader's browser sees it: real headless Chromium, axe-core, network log, navigation.

Needs Debian `chromium` and npm `axe-core` (both installed by `scripts/dev test`). Screenshots of every
page are kept under test-artifacts/screens/.
"""
from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import REPO, need

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def browser():
    need(CHROMIUM is not None, "Debian chromium is not installed")
    need(AXE.is_file(), "npm axe-core is not installed (run `npm install`)")
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="module")
def site(rendered_example):
    """The output folder served on loopback, as a council web server would serve it."""
    out = rendered_example.output_dir
    handler = functools.partial(_QuietHandler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", out
    server.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest output clean
        pass


def _pages(out: Path) -> list[str]:
    return sorted(p.name for p in out.glob("*.html"))


def _open(browser, url: str):
    """A page that records every request; returns (page, requests)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(url, wait_until="load")
    return page, requests


def _axe_violations(page) -> list[dict]:
    # Evaluated through DevTools, not as a <script> tag: the pages' Content-Security-Policy (no scripts)
    # stays in force and would rightly block an injected tag.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", AXE_TAGS)
    return [{"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"][:3]]}
            for v in result["violations"]]


def _off_machine(requests: list[str], origin: str) -> list[str]:
    host = urlparse(origin).netloc
    return [u for u in requests if not u.startswith("data:") and urlparse(u).netloc not in ("", host)]


def test_every_page_has_no_axe_violations_and_no_off_machine_requests(browser, site, artifacts_dir):
    origin, out = site
    pages = _pages(out)
    assert "index.html" in pages and len(pages) >= 10, pages
    (artifacts_dir / "screens").mkdir(exist_ok=True)
    problems = {}
    for name in pages:
        page, requests = _open(browser, f"{origin}/{name}")
        assert page.evaluate("document.documentElement.lang") == "en-GB", name
        # a tall page (the single-file report) can take over 30 s to capture on a loaded machine
        page.screenshot(path=str(artifacts_dir / "screens" / f"{Path(name).stem}.png"), full_page=True, timeout=180_000)
        violations = _axe_violations(page)
        leaked = _off_machine(requests, origin)
        if violations or leaked:
            problems[name] = {"axe": violations, "requests": leaked}
        page.close()
    assert not problems, problems


def test_contents_navigation_reaches_every_chapter_in_order(browser, site, rendered_example):
    origin, out = site
    # qa-report.html is the build's QA evidence beside the site, not a page of the report
    site_pages = set(_pages(out)) - {f"{rendered_example.book.output_stem}.html", "qa-report.html"}
    page, _ = _open(browser, f"{origin}/index.html")
    nav_links = page.eval_on_selector_all("nav a[href]", "els => els.map(e => e.getAttribute('href'))")
    linked = {Path(urlparse(h).path).name for h in nav_links} | {"index.html"}
    assert site_pages <= linked, f"pages not reachable from the contents: {sorted(site_pages - linked)}"

    # Follow "next" from the first page to the last; "previous" must lead back the same way.
    visited = ["index.html"]
    while (nxt := page.query_selector("a[rel='next']")) is not None:
        nxt.click()
        page.wait_for_load_state("load")
        visited.append(Path(urlparse(page.url).path).name)
        assert len(visited) <= len(site_pages), f"next links loop: {visited}"
    assert len(visited) == len(set(visited)) and set(visited) == site_pages, visited
    back = [visited[-1]]
    while (prev := page.query_selector("a[rel='prev']")) is not None:
        prev.click()
        page.wait_for_load_state("load")
        back.append(Path(urlparse(page.url).path).name)
    assert back == list(reversed(visited))
    page.close()


def test_skip_link_is_first_and_moves_focus_to_main(browser, site):
    origin, _ = site
    page, _ = _open(browser, f"{origin}/index.html")
    page.keyboard.press("Tab")
    focused = page.evaluate("({text: document.activeElement.textContent.trim(), href: document.activeElement.getAttribute('href')})")
    assert "skip" in focused["text"].lower(), focused
    assert focused["href"] and focused["href"].startswith("#")
    assert page.query_selector(focused["href"]) is not None, "skip link target missing"
    assert page.query_selector("main") is not None
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == focused["href"]
    page.close()


def test_single_file_html_is_self_contained_and_accessible(browser, rendered_example, artifacts_dir):
    single = rendered_example.output_dir / f"{rendered_example.book.output_stem}.html"
    assert single.is_file(), sorted(_pages(rendered_example.output_dir))
    page, requests = _open(browser, single.as_uri())
    assert [u for u in requests if u != single.as_uri() and not u.startswith("data:")] == []
    assert page.evaluate("document.documentElement.lang") == "en-GB"
    headings = " ".join(page.eval_on_selector_all("h1, h2", "els => els.map(e => e.textContent)"))
    missing = [c.title for c in rendered_example.book.chapters if c.title not in headings]
    assert not missing, f"chapters missing from the single file: {missing}"
    page.screenshot(path=str(artifacts_dir / "single-file.png"), full_page=False)
    assert _axe_violations(page) == []
    page.close()


def test_the_report_font_is_loaded_from_the_site_itself(browser, site):
    origin, _ = site
    page, requests = _open(browser, f"{origin}/index.html")
    loaded = page.evaluate("""async () => { await document.fonts.ready;
        return [...document.fonts].filter(f => f.family.includes('Open Sans') && f.status === 'loaded').length; }""")
    assert loaded >= 1
    assert any(u.startswith(f"{origin}/assets/fonts/OpenSans-") for u in requests), requests
    page.close()


def test_the_content_security_policy_blocks_scripts(browser, site):
    """A script that got into a published page anyway (here injected after load) does not run."""
    origin, _ = site
    page = browser.new_page()
    page.goto(f"{origin}/index.html", wait_until="load")
    policy = page.get_attribute('meta[http-equiv="Content-Security-Policy"]', "content")
    assert "default-src 'none'" in policy and "script" not in policy
    page.evaluate("""() => { const s = document.createElement('script');
        s.textContent = 'document.title = "pwned"'; document.head.appendChild(s); }""")
    assert page.title() != "pwned"
    page.close()
