"""Cell charts arrive as SVG (text as text) plus a PNG twin, byte for byte the same on every run, and the
anonymity checks read the text inside the SVG figures an executed chapter shows (real kernel)."""
from __future__ import annotations

import base64
import shutil
from pathlib import Path

import pytest

from dhr_kit.qa import check_book
from dhr_kit.qa.figures import svg_text
from dhr_kit.render.assemble import chapter_markdown
from dhr_kit.render.execute import KernelSession, execute_chapter
from dhr_kit.source import parse_qmd
from qa_fixtures import materialise

CHART = '''# Overview

```{python}
#| echo: false
#| label: fig-contacts
#| fig-alt: "Bar chart of contacts per year."
import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(4, 2))
ax.bar(["2021", "2022"], [3, 7])
ax.set_ylabel("Contacts with Jonathan Pembleton")
ax.set_title("Call 0161 496 0000")
plt.show()
```
'''
# a chapter that turns SVG off and changes matplotlib's settings: the next chapter must not notice
DIRTY = '''# Dirty

```{python}
%config InlineBackend.figure_formats = ['png']
import matplotlib
matplotlib.rcParams["svg.fonttype"] = "path"
```
'''
LABEL_LINE = 5  # the `#| label:` line of CHART


def _chapter(root: Path, rel: str, text: str):
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return parse_qmd(path, rel)


def _images(outputs: list[list[dict]]) -> list[dict]:
    return [o["data"] for cell in outputs for o in cell if "image/png" in o.get("data", {})]


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict:
    """The chart chapter run in a reused kernel (after a chapter that changed settings) and a fresh one."""
    project = materialise(None, tmp_path_factory.mktemp("figures"))[0].resolve()
    chart = _chapter(project, "chapters/03-analysis.qmd", CHART)
    dirty = _chapter(project, "chapters/dirty.qmd", DIRTY)
    with KernelSession(project) as session:
        first = session.execute(chart, publish=False, project_execute={})
        session.execute(dirty, publish=False, project_execute={})
        reused = session.execute(chart, publish=False, project_execute={})
    fresh = execute_chapter(chart, project, publish=False, project_execute={})
    return {"project": project, "chapter": chart, "first": first, "reused": reused, "fresh": fresh}


def test_a_cell_chart_is_svg_with_text_and_a_png_twin(runs) -> None:
    (data,) = _images(runs["first"].outputs)
    assert set(data) >= {"image/svg+xml", "image/png"}
    svg = data["image/svg+xml"]
    assert "Contacts with Jonathan Pembleton" in svg  # text stays text (svg.fonttype: none)
    assert "<dc:date>" not in svg and "font-family: 'Open Sans'" in svg
    assert base64.b64decode(data["image/png"]).startswith(b"\x89PNG")


def test_the_same_chart_gives_the_same_bytes(runs) -> None:
    first, reused, fresh = (_images(runs[k].outputs) for k in ("first", "reused", "fresh"))
    assert first == reused == fresh


def test_the_book_links_the_svg_and_keeps_the_png_beside_it(runs) -> None:
    project, chapter = runs["project"], runs["chapter"]
    folder = project / ".dhr-cache" / "figures" / "cells" / "03-analysis"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "fig-contacts.jpg").write_bytes(b"left by an earlier run")
    md = chapter_markdown(chapter, runs["first"].outputs, root=project, slug="03-analysis", publish=False,
                          project_execute={})
    assert "](../.dhr-cache/figures/cells/03-analysis/fig-contacts.svg){#fig-contacts" in md.markdown
    assert md.figures == [folder / "fig-contacts.svg"]
    assert sorted(p.name for p in folder.iterdir()) == ["fig-contacts.png", "fig-contacts.svg"]
    assert "Contacts with Jonathan Pembleton" in svg_text(folder / "fig-contacts.svg")


def _book_check(runs, tmp_path: Path, *, names: list[str], publish: bool = False, png_only: bool = False):
    project = tmp_path / "review"
    shutil.copytree(runs["project"], project)
    chapter = parse_qmd(project / "chapters/03-analysis.qmd", "chapters/03-analysis.qmd")
    outputs = [[{**o, "data": {k: v for k, v in o["data"].items() if not (png_only and k == "image/svg+xml")}}
                if "data" in o else o for o in cell] for cell in runs["first"].outputs]
    md = chapter_markdown(chapter, outputs, root=project, slug="03-analysis", publish=publish, project_execute={})
    names_file = tmp_path / "names.txt"
    names_file.write_text("\n".join(names) + "\n", encoding="utf-8")
    return check_book(project, {chapter.rel: md.markdown}, publish=publish, names_file=names_file).findings


def test_a_real_name_in_a_chart_is_found_and_not_echoed(runs, tmp_path: Path) -> None:
    findings = [f for f in _book_check(runs, tmp_path, names=["Jonathan Pembleton"]) if f.rule == "DHR-A001"]
    assert [(f.file, f.line, f.severity) for f in findings] == [("chapters/03-analysis.qmd", LABEL_LINE, "error")]
    assert "figure .dhr-cache/figures/cells/03-analysis/fig-contacts.svg" in findings[0].message
    assert "Pembleton" not in findings[0].message + findings[0].suggestion


def test_identifying_details_in_a_chart_are_found(runs, tmp_path: Path) -> None:
    draft = _book_check(runs, tmp_path / "draft", names=[])
    publish = _book_check(runs, tmp_path / "publish", names=[], publish=True)
    assert [(f.rule, f.line, f.severity) for f in draft] == [("DHR-A007", LABEL_LINE, "warning")]
    assert [(f.rule, f.severity) for f in publish] == [("DHR-A007", "error")]
    assert "in the figure" in draft[0].message


def test_a_png_only_figure_cannot_be_checked_and_says_so(runs, tmp_path: Path) -> None:
    found = _book_check(runs, tmp_path, names=["Jonathan Pembleton"], png_only=True)
    assert [(f.rule, f.severity) for f in found] == [("DHR-A010", "warning")]  # an error when publishing


def test_svg_text_reads_text_title_and_desc(tmp_path: Path) -> None:
    path = tmp_path / "chart.svg"
    path.write_text('<svg xmlns="http://www.w3.org/2000/svg"><title>Chart of A</title><desc>About\n  B</desc>'
                    '<g><text x="1">C <tspan>D</tspan></text><text/></g><metadata>not read</metadata></svg>',
                    encoding="utf-8")
    assert svg_text(path) == ["Chart of A", "About B", "C D"]
    (tmp_path / "broken.svg").write_text("<svg", encoding="utf-8")
    assert svg_text(tmp_path / "broken.svg") == [] and svg_text(tmp_path / "missing.svg") == []
