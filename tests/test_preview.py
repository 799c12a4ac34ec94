"""`dhr preview` driven by a real headless Chromium: a saved edit appears in the open page by itself, QA
findings show on the page they concern, a broken edit shows its error and the next good save recovers."""
from __future__ import annotations

import shutil
import urllib.request
from pathlib import Path

import pytest

from conftest import need
from dhr_kit.preview import PreviewServer
from dhr_kit.scaffold import new_review

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.browser, pytest.mark.slow]
TIMEOUT_MS = 180_000  # a rebuild on a loaded CI machine; the latency itself is measured in bench/preview.py


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    need(CHROMIUM is not None, "Debian chromium is not installed")
    root = new_review(tmp_path_factory.mktemp("preview") / "review")
    server = PreviewServer(root, port=0, log=open("/dev/null", "w"))
    server.start()
    assert server.state.error is None, server.state.error
    yield server
    server.stop()


@pytest.fixture(scope="module")
def page(preview):
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
        tab = browser.new_page()
        yield tab
        browser.close()


def _append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f"\n\n{text}\n")


def _wait_text(page, text: str, present: bool = True) -> None:
    script = "([t, want]) => document.body && document.body.innerText.includes(t) === want"
    page.wait_for_function(script, arg=[text, present], timeout=TIMEOUT_MS)


def test_serves_on_loopback_only(preview) -> None:
    assert preview.url.startswith("http://127.0.0.1:")
    assert preview._httpd.server_address[0] == "127.0.0.1"


def test_an_edit_to_a_chapter_appears_in_the_open_page(preview, page) -> None:
    page.goto(preview.url + "07-background.html", wait_until="load")
    sentence = "The preview shows this sentence after one save."
    assert sentence not in page.inner_text("body")
    _append(preview.root / "chapters" / "07-background.qmd", sentence)
    _wait_text(page, sentence)  # the page reloaded by itself
    assert page.url.endswith("07-background.html")


def test_qa_findings_appear_on_the_page_they_concern(preview, page) -> None:
    page.goto(preview.url + "10-analysis.html", wait_until="load")
    _append(preview.root / "chapters" / "10-analysis.qmd", "Alex failed to engage with the housing service.")
    page.wait_for_selector("aside.dhr-preview-findings >> text=DHR-L003", timeout=TIMEOUT_MS)
    panel = page.inner_text("aside.dhr-preview-findings")
    assert "chapters/10-analysis.qmd" in panel
    other = urllib.request.urlopen(preview.url + "07-background.html").read().decode("utf-8")
    assert "chapters/10-analysis.qmd" not in other  # shown where it belongs, not on every page


def test_a_broken_edit_shows_its_error_and_the_next_good_save_recovers(preview, page) -> None:
    chapter = preview.root / "chapters" / "09-overview.qmd"
    good = chapter.read_text(encoding="utf-8")
    page.goto(preview.url + "09-overview.html", wait_until="load")
    chapter.write_text(good + "\n\n```{python}\nprint('never closed')\n", encoding="utf-8")
    page.wait_for_selector("[role=alert] >> text=The last save could not be built", timeout=TIMEOUT_MS)
    assert "chapters/09-overview.qmd" in page.inner_text("[role=alert]")
    chapter.write_text(good + "\n\nThe overview is whole again.\n", encoding="utf-8")
    _wait_text(page, "The overview is whole again.")
    assert page.query_selector("[role=alert]") is None


def test_the_published_files_carry_no_preview_script(preview) -> None:
    pages = list(preview.output_dir.glob("*.html"))
    assert pages
    for path in pages:
        text = path.read_text(encoding="utf-8")
        assert "<script" not in text and "__dhr__" not in text, path.name
    served = urllib.request.urlopen(preview.url).read().decode("utf-8")
    assert "/__dhr__/preview.js" in served  # added only as the page is served


def test_a_busy_port_is_reported_with_the_fix(tmp_path: Path, capsys) -> None:
    import socket

    from dhr_kit.cli import main

    root = new_review(tmp_path / "review")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["preview", str(root), "--port", str(port), "--no-browser"]) == 2
    err = capsys.readouterr().err
    assert f"127.0.0.1:{port}" in err and "--port" in err


def test_warm_kernels_start_once_across_renders(tmp_path: Path) -> None:
    """The preview's kernels outlive a render: the second build's chapter runs in the running kernel."""
    from dhr_kit.render import render
    from dhr_kit.render.warm import WarmKernels

    root = new_review(tmp_path / "review")
    chapter = root / "chapters" / "08-chronology.qmd"
    kernels = WarmKernels(root)
    try:
        first = render(root, to="html", engine="embedded", quiet=True, warm_kernels=kernels)
        assert first.kernels_started >= 1
        # a new cell makes the chapter run again (a prose edit alone would not: the cache keys on the code)
        _append(chapter, "```{python}\n#| echo: false\nprint('Printed by a cell run in the warm kernel.')\n```")
        second = render(root, to="html", engine="embedded", quiet=True, warm_kernels=kernels)
        assert "chapters/08-chronology.qmd" in second.executed
        assert second.kernels_started == 0
        page = (root / "_book" / "08-chronology.html").read_text(encoding="utf-8")
        assert "Printed by a cell run in the warm kernel." in page
    finally:
        kernels.shutdown()
