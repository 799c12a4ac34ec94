"""The representation of a Jupyter output the report shows, and the plot reprs it drops, from data files."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from dhr_kit.render.displaydata import choose, inline_markdown, is_discardable, with_markdown_math

FIXTURES = Path(__file__).parent / "fixtures" / "render"
CHOICES = yaml.safe_load((FIXTURES / "display-data.yml").read_text(encoding="utf-8"))
DISCARDS = yaml.safe_load((FIXTURES / "discardable.yml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CHOICES, ids=[c["case"] for c in CHOICES])
def test_the_representation_shown(case):
    assert choose(with_markdown_math(case["data"])) == case["shown"]


@pytest.mark.parametrize("case", DISCARDS, ids=[c["plain"] for c in DISCARDS])
def test_plot_return_values_beside_a_figure_are_dropped(case):
    output = {"output_type": "execute_result", "data": {"text/plain": case["plain"]}}
    assert is_discardable(output, case["with_image"]) is case["dropped"]


@pytest.mark.parametrize("data, shown", [
    ({"text/plain": "3"}, "3"),
    ({"text/plain": "'GP'"}, "GP"),
    ({"text/plain": "'*not emphasis*'"}, "\\*not emphasis\\*"),
    ({"text/markdown": "**bold**", "text/plain": "x"}, "**bold**"),
    ({"text/latex": "$x^2$", "text/plain": "x"}, "$x^2$"),
])
def test_inline_values_as_quarto_writes_them(data, shown):
    assert inline_markdown(data) == shown
