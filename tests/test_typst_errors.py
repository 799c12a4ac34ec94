"""A Typst error names the author's file, never the temporary build folder (real typst wheel)."""
from __future__ import annotations

from pathlib import Path

import pytest

from dhr_kit.errors import ToolError
from dhr_kit.tools.typst import compile_pdf


def test_typst_error_does_not_show_the_build_folder(tmp_path: Path) -> None:
    build = tmp_path / "dhr-typst-12345-abcdef"
    build.mkdir()
    (build / "report.typ").write_text('#image("figures/missing-chart.svg")\n', encoding="utf-8")
    with pytest.raises(ToolError) as info:
        compile_pdf(build / "report.typ", build / "report.pdf", root=build)
    message = str(info.value)
    assert "missing-chart.svg" in message
    assert str(tmp_path) not in message and "dhr-typst-" not in message, message
