"""HTML writer: the book site and the single self-contained file, parsed with Python's html.parser."""
from __future__ import annotations

import importlib.util
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from dhr_kit.render.book import Book, BookChapter
from dhr_kit.render.html import write_html
from dhr_kit.render.pandoc_book import parse_book

_spec = importlib.util.spec_from_file_location("writers_sample", Path(__file__).parent / "fixtures/writers/sample.py")
sample = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sample)

DRAFT = "DRAFT — not for publication"
PAGES = ["index.html", "01-introduction.html", "02-analysis.html", "references.html", "appendix-action-plan.html"]


class Page(HTMLParser):
    """The parts of a page the tests look at: elements with attributes, headings, text."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.headings: list[tuple[int, str]] = []
        self.text_parts: list[str] = []
        self._heading: list | None = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {k: v or "" for k, v in attrs}))
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._heading = [int(tag[1]), ""]

    def handle_endtag(self, tag):
        if self._heading and tag == f"h{self._heading[0]}":
            self.headings.append((self._heading[0], " ".join(self._heading[1].split())))
            self._heading = None

    def handle_data(self, data):
        self.text_parts.append(data)
        if self._heading:
            self._heading[1] += data

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.text_parts).split())

    def all(self, tag: str) -> list[dict[str, str]]:
        return [attrs for t, attrs in self.elements if t == tag]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("html-review")
    book = sample.make_book(root)
    out = root / "_book"
    written = write_html(book, out, single_file=True)
    pages = {name: Page((out / name).read_text(encoding="utf-8")) for name in PAGES}
    single = Page((out / "overview-report.html").read_text(encoding="utf-8"))
    return {"out": out, "written": written, "pages": pages, "single": single}


def all_pages(site):
    return [*site["pages"].items(), ("overview-report.html", site["single"])]


def test_writes_a_page_per_chapter_the_stylesheet_figures_and_the_single_file(site):
    names = {p.relative_to(site["out"]).as_posix() for p in site["written"]}
    fonts = {f"assets/fonts/OpenSans-{style}.ttf" for style in ("Regular", "Bold", "Italic", "BoldItalic")}
    assert names == {*PAGES, "assets/dhr.css", *fonts, "overview-report.html"}
    assert (site["out"] / "figures" / "001-timeline.png").is_file()


def test_the_site_serves_its_own_font(site):
    css = (site["out"] / "assets" / "dhr.css").read_text(encoding="utf-8")
    urls = re.findall(r'@font-face \{[^}]*font-family: "Open Sans";[^}]*url\("([^"]+)"\)', css)
    assert len(urls) == 4 and all((site["out"] / "assets" / url).is_file() for url in urls)


def test_language_landmarks_and_skip_link(site):
    for name, page in all_pages(site):
        assert page.all("html")[0]["lang"] == "en-GB", name
        tags = {tag for tag, _ in page.elements}
        assert {"header", "nav", "main", "footer"} <= tags, name
        first_link = page.all("a")[0]
        assert first_link["href"] == "#main" and "skip-link" in first_link["class"], name
        assert "Skip to main content" in page.text
        assert any(attrs.get("id") == "main" for tag, attrs in page.elements if tag == "main"), name
        navs = [a.get("aria-label") for a in page.all("nav")]
        assert len(navs) == len(set(navs)) and all(navs), name


def test_one_h1_per_page_and_heading_levels_never_skip(site):
    for name, page in all_pages(site):
        levels = [level for level, _ in page.headings]
        assert levels.count(1) == 1 and levels[0] == 1, name
        assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), (name, levels)
        assert all(text for _, text in page.headings), name


def test_ids_are_unique_and_links_not_empty(site):
    for name, page in all_pages(site):
        ids = Counter(attrs["id"] for _, attrs in page.elements if attrs.get("id"))
        assert not [i for i, n in ids.items() if n > 1], name
    for name, page in site["pages"].items():
        assert not re.search(r"<a\b[^>]*>\s*</a>", (site["out"] / name).read_text(encoding="utf-8")), name


def test_no_resource_is_requested_from_another_host(site):
    for name, page in all_pages(site):
        for tag, attrs in page.elements:
            for key in ("src", "href", "data", "srcset", "poster"):
                if tag in ("link", "script", "img", "iframe", "source", "video", "audio", "object", "embed"):
                    assert not attrs.get(key, "").startswith(("http://", "https://", "//")), (name, tag, attrs)
        assert not page.all("script"), name  # no JavaScript at all
    css = (site["out"] / "assets" / "dhr.css").read_text(encoding="utf-8")
    assert "http" not in css.replace("http://www.w3", "") and "@import" not in css


def test_internal_links_resolve(site):
    out = site["out"]
    for name, page in site["pages"].items():
        for attrs in page.all("a"):
            href = attrs.get("href", "")
            target, _, anchor = href.partition("#")
            if href.startswith(("http:", "https:", "mailto:")):
                continue
            target_page = site["pages"][target] if target else page
            assert (out / (target or name)).is_file(), (name, href)
            if anchor:
                assert any(a.get("id") == anchor for _, a in target_page.elements), (name, href)


def test_index_has_title_block_and_first_chapter(site):
    index = site["pages"]["index.html"]
    assert index.headings[0] == (1, "Domestic Homicide Review")
    assert "Ayesha who died in March 2024" in index.text
    assert "Independent Chair and Author Sam Taylor" in index.text
    assert (2, "Executive summary") in index.headings
    assert "This summary sets out how agencies responded" in index.text


def test_contents_lists_every_chapter_with_parts_and_appendices(site):
    page = site["pages"]["02-analysis.html"]
    nav_text = page.text.split("Contents", 1)[1]
    order = ["Executive summary", "The review", "1 Introduction", "2 Analysis", "References", "Appendices",
             "Appendix A: Action plan"]
    positions = [nav_text.index(entry) for entry in order]
    assert positions == sorted(positions)
    current = [a for a in page.all("a") if a.get("aria-current") == "page"]
    assert [a["href"] for a in current] == ["02-analysis.html"]


@pytest.mark.parametrize("name, prev, nxt", [
    ("index.html", None, "01-introduction.html"),
    ("02-analysis.html", "01-introduction.html", "references.html"),
    ("appendix-action-plan.html", "references.html", None),
])
def test_previous_and_next_links(site, name, prev, nxt):
    links = {a["rel"]: a["href"] for a in site["pages"][name].all("a") if a.get("rel") in ("prev", "next")}
    assert links.get("prev") == prev and links.get("next") == nxt


def test_chapters_are_numbered_and_appendices_lettered(site):
    assert (1, "1 Introduction") in site["pages"]["01-introduction.html"].headings
    assert (2, "1.1 Purpose of the review") in site["pages"]["01-introduction.html"].headings
    assert (1, "Appendix A: Action plan") in site["pages"]["appendix-action-plan.html"].headings
    assert (2, "A.1 Status key") in site["pages"]["appendix-action-plan.html"].headings


def test_cross_page_link_is_retargeted(site):
    hrefs = [a["href"] for a in site["pages"]["02-analysis.html"].all("a")]
    assert "01-introduction.html#purpose-of-the-review" in hrefs


def test_tables_have_captions_and_scoped_header_cells(site):
    for name in ("01-introduction.html", "appendix-action-plan.html"):
        page = site["pages"][name]
        assert page.all("table") and len(page.all("caption")) == len(page.all("table"))
        assert page.all("th") and all(th.get("scope") == "col" for th in page.all("th"))


def test_figures_have_alt_text(site):
    images = site["pages"]["02-analysis.html"].all("img")
    assert [img["alt"] for img in images] == [sample_alt()]
    assert images[0]["src"] == "figures/001-timeline.png"


def sample_alt() -> str:
    return "Line chart: contacts with agencies rose from one a month in 2022 to six a month in early 2024."


def test_callouts_are_notes_with_a_title(site):
    page = site["pages"]["01-introduction.html"]
    callouts = [a for a in page.all("div") if "callout-note" in a.get("class", "")]
    assert callouts and callouts[0]["role"] == "note"
    assert "About this report Pseudonyms are used throughout" in page.text


def test_citations_and_references_page(site):
    assert "(Home Office, 2016, p. 12)" in site["pages"]["01-introduction.html"].text
    references = site["pages"]["references.html"].text
    assert "Home Office (2016)" in references and "Monckton Smith, J. (2020)" in references
    assert "[@" not in " ".join(p.text for p in site["pages"].values())


def test_draft_banner_on_every_page(site):
    for name, page in all_pages(site):
        assert DRAFT in page.text, name


def test_single_file_is_self_contained(site):
    single = site["single"]
    assert not [a for a in single.all("link") if a.get("rel") == "stylesheet"]
    text = (site["out"] / "overview-report.html").read_text(encoding="utf-8")
    assert "<style>" in text
    assert len(re.findall(r'@font-face \{[^}]*url\("data:font/ttf;base64,', text)) == 2  # regular and bold
    images = single.all("img")
    assert images and all(img["src"].startswith("data:image/png;base64,") for img in images)
    headings = [text for _, text in single.headings]
    for chapter in ("Executive summary", "1 Introduction", "2 Analysis", "References", "Appendix A: Action plan"):
        assert chapter in headings
    hrefs = [a["href"] for a in single.all("a")]
    assert "#purpose-of-the-review" in hrefs and all(not h.endswith(".html") for h in hrefs if "#" in h)


def test_published_site_has_no_draft_banner(tmp_path):
    chapter = BookChapter(rel="chapters/index.qmd", markdown="# Preface {.unnumbered}\n\nText.\n",
                          title="Preface", slug="index")
    book = Book(root=tmp_path, title="A review", subtitle="", lang="en-GB", chapters=[chapter],
                title_page={"victim": "Ayesha", "died": "who died in March 2024"}, publish=True)
    write_html(book, tmp_path / "_book")
    page = Page((tmp_path / "_book" / "index.html").read_text(encoding="utf-8"))
    assert DRAFT not in page.text and "Ayesha who died in March 2024" in page.text
    assert not [a for a in page.all("a") if a.get("rel") in ("prev", "next")]


def test_numbering_rules(tmp_path):
    book = sample.make_book(tmp_path)
    numbers = [(c.source.slug, c.number) for c in parse_book(book).chapters]
    assert numbers == [("executive-summary", None), ("01-introduction", "1"), ("02-analysis", "2"),
                       ("appendix-action-plan", "A")]


def test_a_book_numbered_by_the_renderer_is_not_numbered_again(tmp_path):
    markdown = ("# [2]{.header-section-number} Analysis {#sec-analysis .unnumbered}\n\n"
                "## [2.1]{.header-section-number} Findings {.unnumbered}\n\nText.\n")
    chapters = [BookChapter(rel="chapters/index.qmd", markdown="# Preface {.unnumbered}\n\nText.\n",
                            title="Preface", slug="index"),
                BookChapter(rel="chapters/02-analysis.qmd", markdown=markdown, title="Analysis",
                            slug="02-analysis", number="2")]
    book = Book(root=tmp_path, title="A review", subtitle="", lang="en-GB", chapters=chapters, title_page={})
    write_html(book, tmp_path / "_book")
    text = (tmp_path / "_book" / "02-analysis.html").read_text(encoding="utf-8")
    assert Page(text).headings == [(1, "2 Analysis"), (2, "2.1 Findings")]
    assert '<a href="02-analysis.html" aria-current="page">2 Analysis</a>' in text


def test_pages_link_to_the_pdfs_only_when_the_build_writes_them(tmp_path):
    book = sample.make_book(tmp_path)
    write_html(book, tmp_path / "with", with_pdf=True)
    page = Page((tmp_path / "with" / "index.html").read_text(encoding="utf-8"))
    hrefs = {a.get("href") for a in page.all("a")}
    assert f"{book.output_stem}.pdf" in hrefs
    assert ("executive-summary.pdf" in hrefs) == any(c.executive_summary for c in book.chapters)
    write_html(book, tmp_path / "without")
    text = (tmp_path / "without" / "index.html").read_text(encoding="utf-8")
    assert ".pdf" not in text
