"""Page-image regression: the title page, the contents, a chart page and a table page of the example's
PDF look as they did when the references were made (a tolerance allows anti-aliasing noise).

References live in tests/fixtures/page-images/; regenerate them only on purpose:
``DHR_UPDATE_PAGE_IMAGES=1 scripts/dev test tests/test_page_images.py``. A missing reference fails.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from conftest import need

REFERENCES = Path(__file__).parent / "fixtures" / "page-images"
UPDATE = os.environ.get("DHR_UPDATE_PAGE_IMAGES") == "1"
RESOLUTION = 40  # dpi: enough to see layout (blank halves, split rows, stranded headings), small files
PIXEL_DELTA = 48  # a pixel "differs" when its grey level moves by more than this
MAX_DIFFERING = 0.02  # share of differing pixels allowed


def _page_text(pdf: Path, page: int) -> str:
    return subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout


def _first_page_with(pdf: Path, needle: str, pages: int) -> int:
    for page in range(1, pages + 1):
        if needle in _page_text(pdf, page):
            return page
    raise AssertionError(f"no page of {pdf.name} shows {needle!r}")


def _render(pdf: Path, page: int, out: Path) -> Image.Image:
    prefix = out.with_suffix("")
    subprocess.run(["pdftoppm", "-png", "-gray", "-r", str(RESOLUTION), "-f", str(page), "-l", str(page),
                    "-singlefile", str(pdf), str(prefix)], check=True)
    return Image.open(prefix.with_suffix(".png")).convert("L")


@pytest.fixture(scope="module")
def pages(rendered_example) -> dict[str, int]:
    need(shutil.which("pdftoppm") is not None, "poppler-utils (pdftoppm) is not installed")
    pdf = rendered_example.output_dir / f"{rendered_example.book.output_stem}.pdf"
    from pypdf import PdfReader

    count = len(PdfReader(pdf).pages)
    return {"title": 1, "contents": 2,
            "chart": _first_page_with(pdf, "Figure 9.1:", count),
            "table": _first_page_with(pdf, "Table 9.1:", count)}


@pytest.mark.parametrize("name", ["title", "contents", "chart", "table"])
def test_page_looks_as_before(name: str, pages: dict[str, int], rendered_example, tmp_path: Path) -> None:
    pdf = rendered_example.output_dir / f"{rendered_example.book.output_stem}.pdf"
    image = _render(pdf, pages[name], tmp_path / f"{name}.png")
    reference = REFERENCES / f"{name}.png"
    if UPDATE:
        REFERENCES.mkdir(parents=True, exist_ok=True)
        image.save(reference, optimize=True)
    assert reference.is_file(), f"no reference image {reference}: run with DHR_UPDATE_PAGE_IMAGES=1 and look at it"
    expected = Image.open(reference).convert("L")
    assert image.size == expected.size, f"{name} page size changed: {image.size} != {expected.size}"
    diff = ImageChops.difference(image, expected).point(lambda v: 255 if v > PIXEL_DELTA else 0)
    differing = sum(diff.histogram()[255:]) / (image.size[0] * image.size[1])
    if differing > MAX_DIFFERING:
        diff.save(tmp_path / f"{name}-diff.png")
    assert differing <= MAX_DIFFERING, (f"{name} page (PDF page {pages[name]}) differs in {differing:.1%} of its "
                                        f"pixels; diff image: {tmp_path / f'{name}-diff.png'}")


def test_executive_summary_stands_alone(rendered_example) -> None:
    """No book-wide numbering, and every reference to the rest of the report says where it is."""
    import re

    text = subprocess.run(["pdftotext", str(rendered_example.output_dir / "executive-summary.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    assert "1 Executive summary" not in flat
    references = re.finditer(r"\b(?:Section|Chapter|Appendix) [0-9A-Z](?:\.?[0-9]+)*", flat)
    dangling = [m.group(0) for m in references if not flat[m.end():].startswith(" of the overview report")]
    assert dangling == [], dangling
