"""Figures saved under ``<project>/.dhr-cache/figures/`` and shown as Markdown images with alt text."""
from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..context import chapter_dir, project_root
from ..paths import fonts_dir
from .markdown import escape

if TYPE_CHECKING:  # matplotlib is imported only when a chart is drawn (keeps `import dhr_kit` fast)
    from matplotlib.figure import Figure

PNG_DPI = 200
FONT_FAMILY = ["Open Sans", "DejaVu Sans"]
CHART_RC = {
    "svg.fonttype": "none",  # text stays text: searchable (anonymity checks) and accessible
    "svg.hashsalt": "dhr-kit",  # stable element ids, so the same data gives the same file
    "font.family": "sans-serif",
    "font.sans-serif": FONT_FAMILY,
    "font.size": 8.5,
    "axes.titlesize": 8.5,
    "axes.labelsize": 8.5,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "legend.fontsize": 8,
}
_fonts_registered = False


def chart_style() -> Any:
    """The rc settings of every dhr-kit chart (the report's font, sizes legible at print size)."""
    import matplotlib
    from matplotlib import font_manager

    global _fonts_registered
    if not _fonts_registered:
        try:
            for font in sorted(fonts_dir().glob("*.ttf")):
                font_manager.fontManager.addfont(str(font))
        except FileNotFoundError:  # no bundled fonts: DejaVu Sans (matplotlib's own) is used
            pass
        _fonts_registered = True
    return matplotlib.rc_context(CHART_RC)


def figures_dir() -> Path:
    return project_root() / ".dhr-cache" / "figures"


def relative_to_chapter(path: Path) -> str:
    return Path(os.path.relpath(path.resolve(), chapter_dir())).as_posix()


def store(content: bytes, name: str, suffix: str) -> Path:
    """Write ``content`` as ``<name>-<short hash>.<suffix>`` (unchanged files are not rewritten)."""
    digest = hashlib.sha256(content).hexdigest()[:10]
    folder = figures_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}-{digest}.{suffix}"
    if not path.exists():
        tmp = path.with_suffix(f".{suffix}.tmp{os.getpid()}")
        tmp.write_bytes(content)
        tmp.replace(path)
    return path


def image_markdown(path: Path, caption: str, alt: str, label: str | None = None) -> str:
    """``![Caption](path){#fig-label fig-alt="…"}`` with the path relative to the chapter's folder."""
    attrs = [f"#{label}"] if label else []
    attrs.append('fig-alt="' + " ".join(alt.replace('"', "'").replace("\\", "/").split()) + '"')
    return f"![{escape(caption)}]({relative_to_chapter(path)}){{{' '.join(attrs)}}}"


class Chart:
    """A matplotlib figure saved as SVG (text kept as text, no timestamp) plus a PNG copy, shown as Markdown."""

    def __init__(self, figure: Figure, name: str, caption: str, alt: str, label: str | None = None,
                 aggregated: bool = False, aggregated_by: str | None = None):
        self.figure, self.name, self.caption, self.alt = figure, name, caption, alt
        self.label = label if label is not None else f"fig-{name}"
        self.aggregated = aggregated  # True when dense events were drawn as counts per period
        self.aggregated_by = aggregated_by  # "month", "quarter" or "year" when aggregated
        self._path: Path | None = None

    def svg_bytes(self) -> bytes:
        buffer = io.BytesIO()
        with chart_style():
            self.figure.savefig(buffer, format="svg",
                                metadata={"Date": None, "Title": self.caption, "Description": self.alt})
        return buffer.getvalue()

    def png_bytes(self) -> bytes:
        buffer = io.BytesIO()
        with chart_style():
            self.figure.savefig(buffer, format="png", dpi=PNG_DPI, metadata={"Software": None})
        return buffer.getvalue()

    @property
    def path(self) -> Path:
        """The SVG file (written on first use); a PNG with the same stem sits next to it (docx, fallbacks)."""
        if self._path is None:
            self._path = store(self.svg_bytes(), self.name, "svg")
            png = self._path.with_suffix(".png")
            if not png.exists():
                png.write_bytes(self.png_bytes())
        return self._path

    @property
    def png_path(self) -> Path:
        return self.path.with_suffix(".png")

    def _repr_markdown_(self) -> str:
        return image_markdown(self.path, self.caption, self.alt, self.label) + "\n"

    def __str__(self) -> str:
        return self._repr_markdown_()

    def __repr__(self) -> str:
        return f"Chart({self.name!r}, alt={self.alt!r})"
