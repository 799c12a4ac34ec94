"""Everything one check run looks at, read once: project config, data, parsed chapters, data text."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ..config import BuildContext, as_context
from ..denylist import DenyList
from ..errors import InputError, Problem, relpath
from ..loading.csvio import read_table
from ..loading.yamldoc import yaml_index
from ..model import Review
from ..project import Project
from ..source import Chapter, read_chapter
from .config import severity_overrides
from .document import Document, Section, chapter_document


@dataclass
class DataText:
    """Text from a data file that the helpers render into the report (e.g. a chronology event)."""

    file: str
    line: int
    text: str
    label: str  # what it is, e.g. "chronology event (row 12)"
    quote: bool = False  # the family's own words: anonymity applies, language rules do not


@dataclass
class Workspace:
    root: Path
    project: Project
    review: Review
    documents: list[Document]
    publish: bool = False
    deny_list: DenyList = field(default_factory=DenyList)
    overrides: dict[str, str] = field(default_factory=dict)

    # Sections ----------------------------------------------------------------------------------
    def sections(self) -> list[tuple[Document, Section]]:
        return [(doc, s) for doc in self.documents for s in doc.sections]

    def find_sections(self, synonyms: list[str]) -> list[tuple[Document, Section]]:
        """Sections whose normalised heading starts with one of the synonyms (whole words)."""
        cache = self.__dict__.setdefault("_found_sections", {})
        key = tuple(synonyms)
        if key not in cache:
            cache[key] = self._find_sections(synonyms)
        return cache[key]

    def _find_sections(self, synonyms: list[str]) -> list[tuple[Document, Section]]:
        found = []
        for doc, section in self.sections():
            for synonym in synonyms:
                if section.norm == synonym or section.norm.startswith(synonym + " "):
                    found.append((doc, section))
                    break
        return found

    @cached_property
    def data_texts(self) -> list[DataText]:
        from ..config import data_signature

        signature = data_signature(self.root)  # unchanged data since the last check (the preview): not read again
        if signature is not None and signature in _DATA_TEXTS:
            return list(_DATA_TEXTS[signature])
        texts = collect_data_texts(self.root, self.table)
        if signature is not None:
            _DATA_TEXTS.clear()
            _DATA_TEXTS[signature] = tuple(texts)
        return texts

    def table(self, path: Path, known: tuple[str, ...] = ()):
        """A data table (CSV or XLSX) read once per run, rows with their lines; None if unreadable."""
        cache = self.__dict__.setdefault("_tables", {})
        if path not in cache:
            cache[path] = read_table(path, self.root, [], required=(), optional=known) if path.is_file() else None
        return cache[path]

    # Locating data in its files ----------------------------------------------------------------
    def yaml_line(self, name: str, key_path: tuple = ()) -> int:
        """Line of a key in data/<name> (1 when the file or key is absent)."""
        cache = self.__dict__.setdefault("_yaml_docs", {})
        if name not in cache:
            path = self.root / "data" / name
            cache[name] = yaml_index(path)[0] if path.is_file() else {}
        lines = cache[name]
        for end in range(len(key_path), 0, -1):  # the key, or its nearest ancestor present
            if key_path[:end] in lines:
                return lines[key_path[:end]]
        return 1

    def csv_line(self, name: str, column: str, value: str) -> int:
        """Line of the first row of data/<name> whose ``column`` is ``value`` (1 when absent)."""
        cache = self.__dict__.setdefault("_csv_tables", {})
        if name not in cache:
            cache[name] = self.table(self.root / "data" / name)
        table = cache[name]
        if table is not None:
            for row in table.rows:
                if str(row.values.get(column, "")).strip() == value:
                    return row.line
        return 1

    def config_line(self, key: str) -> int:
        """Line of a top-level-ish key (e.g. 'chapters', 'subtitle') in _quarto.yml (1 when absent)."""
        for number, line in enumerate((self.root / "_quarto.yml").read_text(encoding="utf-8").splitlines(), 1):
            if line.strip().startswith(f"{key}:"):
                return number
        return 1

    @property
    def files(self) -> int:
        return len(self.documents) + len(self.review.data_files)

    def relpath(self, path: Path) -> str:
        return relpath(path, self.root)


def read_chapters(project: Project) -> tuple[list[Chapter], list[Problem]]:
    """The project's chapters, parsed by the chapter-source layer the renderer uses (so `dhr check` passes
    exactly the chapters `dhr render` accepts), and what stops them being read (every chapter's at once)."""
    chapters: list[Chapter] = []
    problems: list[Problem] = []
    for ref in project.chapters:
        if ref.path.is_file():
            try:
                chapters.append(read_chapter(ref.path, ref.rel))
            except InputError as exc:
                problems += exc.problems
    return chapters, problems


def chapter_problems(project: Project) -> list[Problem]:
    """What stops `dhr render` reading the chapters (unclosed fences, bad `#|` YAML…), every chapter's at once."""
    return read_chapters(project)[1]


def build_workspace(target: Path | str | BuildContext, *, publish: bool = False,
                    names_file: Path | str | None = None) -> Workspace:
    """Read the project (or take it from a resolved context); bad input (data, _quarto.yml, rule settings,
    chapters) raises InputError, every problem at once."""
    ctx = as_context(target, publish=publish, names_file=names_file)
    problems: list[Problem] = []
    try:
        review = ctx.review
    except InputError as exc:
        problems += exc.problems
    chapters, chapter_errors = read_chapters(ctx.project)
    problems += chapter_errors
    if not problems:
        from ..titles import title_problems

        problems += title_problems(ctx.project, review)
    if problems:
        raise InputError(problems)
    appendix = {ref.rel: ref.appendix for ref in ctx.project.chapters}
    documents = [chapter_document(chapter, appendix=appendix[chapter.rel]) for chapter in chapters]
    from ..helpers.validation import helper_problems  # what a helper the chapters call would refuse at render

    problems = helper_problems(review, {call.name for doc in documents for call in doc.calls}, publish=ctx.publish)
    if problems:
        raise InputError(problems)
    return Workspace(ctx.root, ctx.project, review, documents, publish=ctx.publish, deny_list=ctx.deny_list,
                     overrides=severity_overrides(ctx.project.dhr))


# Data text ---------------------------------------------------------------------------------------
_TABLE_TEXT: dict[str, tuple[str, ...]] = {
    "recommendations.csv": ("text",),
    "action_plan.csv": ("action", "milestones"),
    "action_updates.csv": ("update",),
    "panel.csv": ("independence",),
    "qa_tracker.csv": ("response",),
}


def _table_texts(table, columns: tuple[str, ...], label: str) -> list[DataText]:
    if table is None:
        return []
    return [DataText(table.file, row.line, str(row.values[c]), f"{label} (row {row.number}, {c})")
            for row in table.rows for c in columns if str(row.values.get(c) or "").strip()]


def _yaml_texts(path: Path, root: Path, keys: set[str], quote_keys: set[str] = frozenset()) -> list[DataText]:
    file = relpath(path, root)
    return [DataText(file, line, text, ".".join(str(p) for p in key_path), quote=key_path[-1] in quote_keys)
            for key_path, line, text in yaml_index(path)[1]
            if key_path[-1] in keys | quote_keys and text.strip()]


_DATA_TEXTS: dict[tuple, tuple[DataText, ...]] = {}  # the last data read in this process, by file signature


def collect_data_texts(root: Path, read=None) -> list[DataText]:
    """The data text that helpers render, each with file and line (read fresh: the model keeps no lines)."""
    data = root / "data"
    read = read or (lambda path: read_table(path, root, [], required=(), optional=()))
    texts: list[DataText] = []
    chronology = [data / "chronology.csv"] if (data / "chronology.csv").is_file() else \
        sorted(p for p in (data / "chronology").glob("*") if p.suffix.lower() in (".csv", ".xlsx"))
    for path in chronology:
        texts += _table_texts(read(path), ("event",), "chronology event")
    for name, columns in _TABLE_TEXT.items():
        if (data / name).is_file():
            texts += _table_texts(read(data / name), columns, name.removesuffix(".csv"))
    yaml_keys = {
        "protected_characteristics.yml": ({"reason", "analysis"}, set()),
        "parallel_reviews.yml": ({"rationale", "outcome", "decision"}, set()),
        "terms_of_reference.yml": ({"title", "text"}, set()),
        "review.yml": ({"involvement", "independence", "background", "description", "title"}, {"tribute"}),
    }
    for name, (keys, quotes) in yaml_keys.items():
        if (data / name).is_file():
            texts += _yaml_texts(data / name, root, keys, quotes)
    return texts
