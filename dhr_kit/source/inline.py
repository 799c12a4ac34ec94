"""Inline code, Quarto 1.4+ syntax: `` `{python} expr` `` in a chapter's Markdown is the value of ``expr``,
evaluated in the chapter's kernel where the text stands (after the cells above it)."""
from __future__ import annotations

import re

INLINE_CODE = re.compile(r"(?<!`)`\{python\}[ \t]+([^`\n]+?)[ \t]*`(?!`)")


def inline_expressions(text: str) -> list[tuple[int, str]]:
    """(character offset, expression) of each inline expression in ``text``, in order."""
    return [(match.start(), match.group(1)) for match in INLINE_CODE.finditer(text)]
