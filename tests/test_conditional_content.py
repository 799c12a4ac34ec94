"""Quarto's conditional content divs are honoured by the embedded engine's pandoc filter, per format."""
from __future__ import annotations

import pytest

from dhr_kit.render.pandoc_book import filter_path
from dhr_kit.tools.pandoc import run_pandoc

SOURCE = """
::: {.content-visible when-format="html"}
SHOWN-IN-HTML
:::

::: {.content-hidden when-format="html"}
HIDDEN-IN-HTML
:::

::: {.content-visible unless-format="pdf"}
NOT-IN-PDF
:::
"""


@pytest.mark.parametrize(("fmt", "present", "absent"), [
    ("html5", {"SHOWN-IN-HTML", "NOT-IN-PDF"}, {"HIDDEN-IN-HTML"}),
    ("typst", {"HIDDEN-IN-HTML"}, {"SHOWN-IN-HTML", "NOT-IN-PDF"}),
    ("markdown", {"HIDDEN-IN-HTML", "NOT-IN-PDF"}, {"SHOWN-IN-HTML"}),
])
def test_conditional_divs_follow_the_output_format(fmt, present, absent):
    out = run_pandoc(SOURCE, ["--from", "markdown", "--to", fmt, "--lua-filter", filter_path()])
    assert {word for word in present if word in out} == present
    assert not {word for word in absent if word in out}
