"""One source of truth for the report's title: `data/review.yml` (`title`, `victim.pseudonym`). The Quarto
`book: title:`/`subtitle:` in `_quarto.yml` may be left out (dhr-kit then uses review.yml's title); when
written, they must name the same victim, or the report and its title page would disagree silently."""
from __future__ import annotations

import re

from .errors import Problem
from .project import CONFIG_FILE, Project

PLACEHOLDER = "[PLACEHOLDER"


def _line(project: Project, key: str) -> int | None:
    for number, line in enumerate((project.root / CONFIG_FILE).read_text(encoding="utf-8").splitlines(), 1):
        if line.strip().startswith(f"{key}:"):
            return number
    return None


def title_problems(project: Project, review) -> list[Problem]:
    """An input problem for each of `_quarto.yml`'s title and subtitle that does not name the victim's
    pseudonym given in data/review.yml (placeholders are left to the placeholder rule)."""
    meta = review.metadata
    pseudonym = str(meta.victim.pseudonym or "").strip()
    if not pseudonym or PLACEHOLDER in pseudonym or PLACEHOLDER in str(meta.title):
        return []
    named = re.compile(rf"(?<!\w){re.escape(pseudonym)}(?!\w)")
    problems = []
    for key, text in (("title", project.title), ("subtitle", project.subtitle)):
        if not text or PLACEHOLDER in text or named.search(text):
            continue
        problems.append(Problem(CONFIG_FILE, f"book {key} {text!r} does not name {pseudonym}, the victim's pseudonym "
                                f"in data/review.yml (title: {meta.title!r})", key=f"book.{key}",
                                line=_line(project, key),
                                fix=f"name {pseudonym} in the {key}, or remove `{key}:` from _quarto.yml so that "
                                    f"data/review.yml's title is used"))
    return problems
