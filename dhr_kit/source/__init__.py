"""Chapter sources: `.qmd`, `.md` and `.ipynb` chapters and their `#|` cell options, parsed once per
process and shared by the renderer (cells to execute) and the checks (the same text and block tokens)."""
from __future__ import annotations

from .blocks import Div, parse_blocks
from .frontmatter import front_matter_end, split_front_matter
from .inline import INLINE_CODE, inline_expressions
from .model import Cell, Chapter
from .options import OPTION_PREFIX, option_line_count, parse_options
from .qmd import EXECUTABLE_LANGUAGES, fence_language, parse_qmd, parse_qmd_text
from .reader import CHAPTER_SUFFIXES, clear_cache, read_chapter

parse_chapter = read_chapter

__all__ = ["Cell", "Chapter", "Div", "INLINE_CODE", "inline_expressions", "CHAPTER_SUFFIXES", "EXECUTABLE_LANGUAGES", "OPTION_PREFIX",
           "clear_cache", "fence_language", "front_matter_end", "option_line_count", "parse_blocks",
           "parse_chapter", "parse_options", "parse_qmd", "parse_qmd_text", "read_chapter", "split_front_matter"]
