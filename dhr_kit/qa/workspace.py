"""Everything one check run looks at, read once: project config, data, parsed chapters, data text."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import yaml

from ..errors import InputError, Problem, relpath
from ..loader import load_review
from ..loading.csvio import read_table
from ..model import Review
from ..project import Project, load_project
from .config import severity_overrides
from .document import Document, Section, load_document


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
    names_file: Path | None = None
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
        return collect_data_texts(self.root, self.table)

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


def chapter_problems(project: Project) -> list[Problem]:
    """What stops `dhr render` reading the chapters (unclosed fences, bad `#|` YAML…), every chapter's at once.

    The renderer's own parser decides, so `dhr check` passes exactly the chapters `dhr render` accepts."""
    from ..render.notebook import parse_chapter  # imported here: `import dhr_kit.qa` stays light

    problems: list[Problem] = []
    for ref in project.chapters:
        if ref.path.is_file():
            try:
                parse_chapter(ref.path, ref.rel)
            except InputError as exc:
                problems += exc.problems
    return problems


def build_workspace(root: Path | str, *, publish: bool = False, names_file: Path | str | None = None) -> Workspace:
    """Read the project; bad input (data, _quarto.yml, rule settings) raises InputError."""
    root = Path(root).resolve()
    project = load_project(root)
    problems: list[Problem] = []
    try:
        review = load_review(root)
    except InputError as exc:
        problems += exc.problems
    problems += chapter_problems(project)
    if not problems:
        from ..titles import title_problems

        problems += title_problems(project, review)
    if problems:
        raise InputError(problems)
    documents = [load_document(ref.path, ref.rel, appendix=ref.appendix)
                 for ref in project.chapters if ref.path.is_file()]
    return Workspace(root, project, review, documents, publish=publish,
                     names_file=Path(names_file) if names_file else None,
                     overrides=severity_overrides(project.dhr))


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


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def yaml_index(path: Path) -> tuple[dict[tuple, int], list[tuple[tuple, int, str]]]:
    """(line of every key path, [(key path, line, text) of every string scalar]) of a YAML file.

    Composed (not constructed) with libyaml where available: one fast pass gives values and lines.
    Invalid YAML gives nothing here; the loader reports it."""
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=_Loader)
    except (yaml.YAMLError, UnicodeDecodeError):
        return {}, []
    lines: dict[tuple, int] = {}
    scalars: list[tuple[tuple, int, str]] = []

    def walk(node: yaml.Node, key_path: tuple) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                child = (*key_path, str(key.value))
                lines[child] = key.start_mark.line + 1
                walk(value, child)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                child = (*key_path, index)
                lines[child] = item.start_mark.line + 1
                walk(item, child)
        elif isinstance(node, yaml.ScalarNode) and key_path:
            scalars.append((key_path, lines.get(key_path, node.start_mark.line + 1), str(node.value)))

    if node is not None:
        walk(node, ())
    return lines, scalars


def _yaml_texts(path: Path, root: Path, keys: set[str], quote_keys: set[str] = frozenset()) -> list[DataText]:
    file = relpath(path, root)
    return [DataText(file, line, text, ".".join(str(p) for p in key_path), quote=key_path[-1] in quote_keys)
            for key_path, line, text in yaml_index(path)[1]
            if key_path[-1] in keys | quote_keys and text.strip()]


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
