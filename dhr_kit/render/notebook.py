"""Read a Jupyter notebook (`.ipynb`) chapter into the same cells as a `.qmd` chapter.

Quarto's conventions: a first raw cell holding `---` YAML is the front matter; code cells carry `#|`
options. Problems are located as ``file`` + ``cell N`` (notebooks have no useful line numbers).
"""
from __future__ import annotations

from pathlib import Path

from ..errors import InputError, Problem
from .qmd import Cell, Chapter, option_line_count, parse_options, split_front_matter


def parse_ipynb(path: Path, rel: str) -> Chapter:
    import nbformat  # only for notebooks: `dhr check` of a .qmd review does not load it

    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as exc:  # nbformat raises several types for malformed JSON/schema
        raise InputError(Problem(rel, f"not a readable Jupyter notebook ({exc.__class__.__name__}: {exc})",
                                 fix="open and re-save it in JupyterLab or VS Code")) from None
    front_matter: dict = {}
    cells: list[Cell] = []
    problems: list[Problem] = []
    language = (nb.metadata.get("kernelspec") or {}).get("language", "python")
    if language != "python":
        problems.append(Problem(rel, f"notebook kernel language is {language!r}; only Python is supported",
                                fix="use a Python kernel"))
    for number, nb_cell in enumerate(nb.cells, start=1):
        source = nb_cell.source
        if nb_cell.cell_type == "raw" and number == 1 and source.lstrip().startswith("---"):
            front_matter, _, _ = split_front_matter(source.lstrip(), rel)
        elif nb_cell.cell_type == "markdown":
            cells.append(Cell("markdown", source.rstrip("\n") + "\n\n", number))
        elif nb_cell.cell_type == "code":
            try:
                options, code = parse_options(source, f"{rel} (cell {number})", 1)
            except InputError as exc:
                problems.extend(exc.problems)
                continue
            cells.append(Cell("code", code.rstrip("\n"), number, options, outputs=list(nb_cell.get("outputs", [])),
                              code_line=1 + option_line_count(source, code)))
        elif nb_cell.cell_type == "raw":
            cells.append(Cell("markdown", source.rstrip("\n") + "\n\n", number))
    if problems:
        raise InputError(problems)
    return Chapter(rel=rel, path=path, front_matter=front_matter, cells=cells)


def parse_chapter(path: Path, rel: str) -> Chapter:
    """Parse a chapter by its extension: `.qmd`/`.md` or `.ipynb`."""
    from .qmd import parse_qmd

    if path.suffix == ".ipynb":
        return parse_ipynb(path, rel)
    if path.suffix in {".qmd", ".md"}:
        return parse_qmd(path, rel)
    raise InputError(Problem(rel, f"unsupported chapter type {path.suffix!r}",
                             fix="chapters are .qmd, .md or .ipynb files"))
