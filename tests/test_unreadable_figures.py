"""Figures whose text cannot be searched for names: SVG text drawn as shapes (real matplotlib with
``svg.fonttype: path``) and bitmap-only figures. Errors when publishing, warnings in a draft."""
from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from dhr_kit.qa.figures import figure_findings  # noqa: E402
from dhr_kit.qa.names import NameList  # noqa: E402


def _chart(path: Path, fonttype: str) -> None:
    with matplotlib.rc_context({"svg.fonttype": fonttype}):
        fig, ax = plt.subplots(figsize=(3, 2))
        ax.bar(["2021", "2022"], [3, 7])
        ax.set_title("Contacts with Harriet Quenby")
        fig.savefig(path)
        plt.close(fig)


def _findings(root: Path, image: str, publish: bool):
    chapter = root / "chapters" / "c.qmd"
    chapter.parent.mkdir(parents=True, exist_ok=True)
    markdown = f"# C\n\n![Contacts]({image}){{fig-alt=\"Bar chart\"}}\n"
    chapter.write_text(markdown, encoding="utf-8")
    return figure_findings(root, "chapters/c.qmd", markdown, NameList(["Harriet Quenby"]), publish)


def test_text_as_text_is_searched(tmp_path: Path) -> None:
    _chart(tmp_path / "chapters" / "chart.svg" if (tmp_path / "chapters").mkdir() is None else None, "none")
    assert [f.rule for f in _findings(tmp_path, "chart.svg", True)] == ["DHR-A001"]


def test_text_drawn_as_shapes_is_refused_when_publishing(tmp_path: Path) -> None:
    (tmp_path / "chapters").mkdir()
    _chart(tmp_path / "chapters" / "chart.svg", "path")
    publish = _findings(tmp_path, "chart.svg", True)
    assert [(f.rule, f.severity, f.line) for f in publish] == [("DHR-A010", "error", 3)]
    assert "draws its text as shapes" in publish[0].message
    assert [(f.rule, f.severity) for f in _findings(tmp_path, "chart.svg", False)] == [("DHR-A010", "warning")]


def test_bitmap_without_svg_twin(tmp_path: Path) -> None:
    (tmp_path / "chapters").mkdir()
    _chart(tmp_path / "chapters" / "chart.png", "none")
    assert [(f.rule, f.severity) for f in _findings(tmp_path, "chart.png", True)] == [("DHR-A010", "error")]
    _chart(tmp_path / "chapters" / "chart.svg", "none")  # the twin is searched instead (see the renderer)
    assert _findings(tmp_path, "chart.png", True) == []
