"""A Jupyter notebook (`.ipynb`) chapter read into the same cells as a `.qmd` chapter.

Quarto's conventions: a first raw cell holding `---` YAML is the front matter; code cells carry `#|`
options. Problems are located as ``file`` + ``cell N`` (notebooks have no useful line numbers).
"""
from __future__ import annotations

from pathlib import Path

from ..errors import InputError, Problem
from .frontmatter import front_matter_end, split_front_matter
from .model import Cell, Chapter
from .options import option_line_count, parse_options


def parse_ipynb_text(raw: str, rel: str, path: Path) -> Chapter:
    import nbformat  # only for notebooks: `dhr check` of a .qmd review does not load it

    try:
        nb = nbformat.reads(raw, as_version=4)
    except Exception as exc:  # nbformat raises several types for malformed JSON/schema
        raise InputError(Problem(rel, f"not a readable Jupyter notebook ({exc.__class__.__name__}: {exc})",
                                 fix="open and re-save it in JupyterLab or VS Code")) from None
    front_matter: dict = {}
    cells: list[Cell] = []
    problems: list[Problem] = []
    parts: list[str] = []  # the notebook as Markdown text, for the checks
    cell_lines: list[tuple[int, int]] = []  # each line of that text → (cell number, line in the cell)
    language = (nb.metadata.get("kernelspec") or {}).get("language", "python")
    if language != "python":
        problems.append(Problem(rel, f"notebook kernel language is {language!r}; only Python is supported",
                                fix="use a Python kernel"))
    for number, nb_cell in enumerate(nb.cells, start=1):
        source = nb_cell.source
        count = max(1, len(source.splitlines()))
        if nb_cell.cell_type in ("code", "markdown", "raw") and parts:
            cell_lines.append((cell_lines[-1][0], cell_lines[-1][1] + 1))  # the blank line between two cells
        if nb_cell.cell_type == "code":  # the fences count as the first and last line of the cell
            parts.append("```{python}\n" + source + "\n```")
            cell_lines.extend([(number, 1)] + [(number, n) for n in range(1, count + 1)] + [(number, count)])
        elif nb_cell.cell_type in ("markdown", "raw"):
            parts.append(source)
            cell_lines.extend((number, n) for n in range(1, count + 1))
        if nb_cell.cell_type == "raw" and number == 1 and source.lstrip().startswith("---"):
            try:
                front_matter, _, _ = split_front_matter(source.lstrip(), rel)
            except InputError as exc:
                problems.extend(exc.problems)
        elif nb_cell.cell_type in ("markdown", "raw"):
            cells.append(Cell("markdown", source.rstrip("\n") + "\n\n", number))
        elif nb_cell.cell_type == "code":
            try:
                options, code = parse_options(source, f"{rel} (cell {number})", 1)
            except InputError as exc:
                problems.extend(exc.problems)
                continue
            cells.append(Cell("code", code.rstrip("\n"), number, options, outputs=list(nb_cell.get("outputs", [])),
                              code_line=1 + option_line_count(source, code)))
    if problems:
        raise InputError(problems)
    text = "\n\n".join(parts) + "\n"
    return Chapter(rel=rel, path=path, front_matter=front_matter, cells=cells, text=text,
                   front_matter_lines=(front_matter_end(text.splitlines()) or 0) if front_matter else 0,
                   cell_lines=cell_lines)
