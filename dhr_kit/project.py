"""The review project as `_quarto.yml` describes it: chapters, appendices, output dir, options."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .boundary import OUTPUT_DIR_FIX, OUTSIDE_FIX, output_dir_problem, outside_reason
from .errors import InputError, Problem
from .loading.yamldoc import read_yaml_doc
from .settings import DhrSettings, parse_dhr_settings

CONFIG_FILE = "_quarto.yml"


@dataclass(frozen=True)
class ChapterRef:
    path: Path  # absolute
    rel: str  # as written in _quarto.yml, relative to the project root
    part: str | None = None
    appendix: bool = False


@dataclass
class Project:
    root: Path
    config: dict[str, Any]
    chapters: list[ChapterRef]
    title: str = ""
    subtitle: str = ""
    output_dir: Path = field(default_factory=Path)
    lang: str = "en-GB"
    bibliography: list[Path] = field(default_factory=list)
    dhr: dict[str, Any] = field(default_factory=dict)  # the `dhr:` block as written (validated into `settings`)
    settings: DhrSettings = field(default_factory=DhrSettings)  # the `dhr:` block, typed
    author: str = ""
    date: str = ""
    csl: Path | None = None
    execute: dict[str, Any] = field(default_factory=dict)  # `execute:` (echo, warning, freeze…)

    @property
    def freeze(self) -> bool | str:
        """`execute: freeze`: True (never re-execute cached chapters), "auto" or False."""
        value = self.execute.get("freeze", False)
        return value if value in (True, False, "auto") else False

    @property
    def output_stem(self) -> str:
        """PDF/docx file name without extension: `output-file` of typst/pdf/docx/book, else "report"."""
        for fmt in ("typst", "pdf", "docx"):
            name = self.format_options(fmt).get("output-file")
            if name:
                return Path(str(name)).stem
        book = self.config.get("book") or {}
        return Path(str(book.get("output-file") or "report")).stem

    def number_sections(self) -> bool:
        """Numbered chapters/sections unless every output format turns `number-sections` off."""
        formats = self.config.get("format") or {}
        values = [opts.get("number-sections") for opts in formats.values() if isinstance(opts, dict)]
        values = [v for v in values if v is not None]
        return any(values) if values else True

    @property
    def executive_summary(self) -> ChapterRef | None:
        rel = self.settings.executive_summary
        return next((c for c in self.chapters if c.rel == rel), None) if rel else None

    def format_options(self, fmt: str) -> dict[str, Any]:
        """Options of one output format (`format: html: …`, or the dhr extension's `dhr-html: …`), {} when absent."""
        formats = self.config.get("format") or {}
        value = formats.get(fmt) if fmt in formats else formats.get(f"{EXTENSION}-{fmt}")
        return value if isinstance(value, dict) else {}

    def quarto_format(self, base: str) -> str:
        """The format name to pass to `quarto render --to`: the dhr extension's when `_quarto.yml` uses it."""
        formats = self.config.get("format") or {}
        return f"{EXTENSION}-{base}" if f"{EXTENSION}-{base}" in formats else base


EXTENSION = "dhr"  # the Quarto format extension dhr-kit ships (templates/new/_extensions/dhr/)


def _chapter_entries(items: Any, file: str, key: str, problems: list[Problem]):
    """Yield (rel, part) from a `chapters:` / `appendices:` list, which may hold `part:` groups."""
    if items is None:
        return
    if not isinstance(items, list):
        problems.append(Problem(file, "must be a list of chapter files", key=key,
                                fix=f"write `{key}:` followed by `- chapters/file.qmd` lines"))
        return
    for item in items:
        if isinstance(item, str):
            yield item, None
        elif isinstance(item, dict) and "part" in item:
            part = item.get("part")
            for rel in item.get("chapters") or []:
                if isinstance(rel, str):
                    yield rel, str(part)
        elif isinstance(item, dict) and "href" in item:
            yield str(item["href"]), None
        else:
            problems.append(Problem(file, f"unexpected entry {item!r}", key=key,
                                    fix="each entry is a file path or a `part:` with `chapters:`"))


def _first_line(config_path: Path, pattern: re.Pattern[str]) -> int | None:
    for number, line in enumerate(config_path.read_text(encoding="utf-8").splitlines(), 1):
        if pattern.search(line):
            return number
    return None


def entry_line(config_path: Path, rel: str) -> int | None:
    """The line of `_quarto.yml` that lists ``rel`` (the first line holding it), None when not found."""
    return _first_line(config_path, re.compile(rf"(?<![\w./-]){re.escape(rel)}(?![\w./-])"))


def _key_line(config_path: Path, key: str) -> int | None:
    """The first line of `_quarto.yml` that sets ``key:``."""
    return _first_line(config_path, re.compile(rf"^\s*{re.escape(key)}\s*:"))


def load_project(root: Path | str) -> Project:
    """Read `_quarto.yml`; every problem (missing file, missing chapter) is reported at once."""
    root = Path(root).resolve()
    config_path = root / CONFIG_FILE
    if not config_path.is_file():
        raise InputError(Problem(CONFIG_FILE, f"no {CONFIG_FILE} in {root.name or root}",
                                 fix="run `dhr` in a review folder, or create one with `dhr new DIR`"))
    problems: list[Problem] = []
    doc = read_yaml_doc(config_path, root, problems)
    if doc is None:
        raise InputError(problems)
    config = doc.data or {}
    if not isinstance(config, dict):
        raise InputError(Problem(CONFIG_FILE, "must be a YAML mapping", fix="see `dhr new` for an example"))
    settings, setting_problems = parse_dhr_settings(config.get("dhr"), CONFIG_FILE, doc.line)
    problems += setting_problems
    book = config.get("book") or {}
    chapters: list[ChapterRef] = []
    stems: dict[str, str] = {}
    for key, appendix in (("chapters", False), ("appendices", True)):
        for rel, part in _chapter_entries(book.get(key), CONFIG_FILE, f"book.{key}", problems):
            path = root / rel
            outside = outside_reason(root, path)
            if outside:
                problems.append(Problem(CONFIG_FILE, f"chapter file {rel} {outside}", key=f"book.{key}",
                                        line=entry_line(config_path, rel), fix=OUTSIDE_FIX))
                continue
            stem = Path(rel).stem
            if stem in stems and stems[stem] != rel:
                problems.append(Problem(CONFIG_FILE, f"chapter files {stems[stem]} and {rel} have the same name; "
                                        "their pages would overwrite each other", key=f"book.{key}",
                                        line=entry_line(config_path, rel), fix="rename one of them"))
            stems.setdefault(stem, rel)
            if not path.is_file():
                problems.append(Problem(CONFIG_FILE, f"chapter file {rel} does not exist", key=f"book.{key}",
                                        line=entry_line(config_path, rel),
                                        fix=f"create {rel} or remove it from the list"))
            chapters.append(ChapterRef(path=path, rel=rel, part=part, appendix=appendix))
    if not chapters and not problems:
        problems.append(Problem(CONFIG_FILE, "lists no chapters", key="book.chapters",
                                fix="add the review's chapter files under book: chapters:"))
    bib = config.get("bibliography") or []
    bib_list = [bib] if isinstance(bib, str) else list(bib)
    for rel in bib_list:
        if outside_reason(root, root / rel):
            problems.append(Problem(CONFIG_FILE, f"bibliography {rel} {outside_reason(root, root / rel)}",
                                    key="bibliography", fix=OUTSIDE_FIX))
        elif not (root / rel).is_file():
            problems.append(Problem(CONFIG_FILE, f"bibliography {rel} does not exist", key="bibliography",
                                    fix=f"create {rel} or correct the path"))
    csl = config.get("csl")
    if csl and outside_reason(root, root / str(csl)):
        problems.append(Problem(CONFIG_FILE, f"csl {csl} {outside_reason(root, root / str(csl))}", key="csl",
                                fix=OUTSIDE_FIX))
    project_cfg = config.get("project") or {}
    output_dir = str((project_cfg if isinstance(project_cfg, dict) else {}).get("output-dir", "_book"))
    sources = [c.path for c in chapters] + [root / CONFIG_FILE, root / "data", root / "index.qmd"] + \
        [root / rel for rel in bib_list]
    reason = output_dir_problem(root, output_dir, sources)
    if reason:
        problems.append(Problem(CONFIG_FILE, reason, key="project.output-dir",
                                line=_key_line(config_path, "output-dir"), fix=OUTPUT_DIR_FIX))
    if problems:
        raise InputError(problems)
    return Project(
        root=root,
        config=config,
        chapters=chapters,
        title=str(book.get("title", "")),
        subtitle=str(book.get("subtitle", "")),
        output_dir=(root / output_dir).resolve(),
        lang=str(config.get("lang", "en-GB")),
        bibliography=[root / b for b in bib_list],
        dhr=config.get("dhr") or {},
        settings=settings,
        author=_as_text(book.get("author", "")),
        date=str(book.get("date", "") or ""),
        csl=(root / str(config["csl"])) if config.get("csl") else None,
        execute=config.get("execute") if isinstance(config.get("execute"), dict) else {},
    )


def _as_text(value: Any) -> str:
    """`author:` may be a string, a list, or Quarto's `{name: …}` mappings."""
    if isinstance(value, list):
        return ", ".join(_as_text(v) for v in value)
    if isinstance(value, dict):
        return str(value.get("name", ""))
    return str(value or "")
