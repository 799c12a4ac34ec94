"""Executed chapters → the Book: each chapter's executed Markdown, one numbering pass over the whole book
(cached), the title page from the review's data."""
from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from ..config import BuildContext
from ..errors import InputError, Problem
from ..source.shortcodes import ShortcodeValues
from ..yamlio import load_yaml_file
from .assemble import ChapterMarkdown, chapter_markdown
from .book import Book, BookChapter
from .cache import BookCache, code_version
from .crossref import NumberedChapter, SourceChapter, number_book
from .run_chapters import Executed


def title_page(ctx: BuildContext) -> dict[str, str]:
    project = ctx.project
    fallback = {"csp": project.author, "title": project.title, "victim": "", "died": project.subtitle,
                "chair": "", "author": project.author, "date": project.date, "marking": ""}
    if not ctx.has_review:
        return fallback  # a project without case data (e.g. a plain Quarto book)
    from ..helpers import title_page_data

    return {**fallback, **title_page_data(ctx.review)}


VARIABLES_FILE = "_variables.yml"


def read_variables(root: Path) -> dict | None:
    """``_variables.yml`` (Quarto's ``{{< var >}}`` values), None when the project has none."""
    path = root / VARIABLES_FILE
    if not path.is_file():
        return None
    data = load_yaml_file(path, root)
    if data is not None and not isinstance(data, dict):
        raise InputError(Problem(VARIABLES_FILE, "must be a YAML mapping of names to values",
                                 fix="write `name: value` lines"))
    return data or {}


_NUMBERED: dict[tuple[str, str], tuple[list[NumberedChapter], list[Problem]]] = {}  # the last book numbered here


def numbered_chapters(ctx: BuildContext, sources: list[SourceChapter]) -> tuple[list[NumberedChapter], list[Problem]]:
    """The book pass (pandoc), cached by the digest of its input."""
    project = ctx.project
    cache = BookCache(project.root)
    digest = cache.digest([[s.rel, s.markdown, s.appendix, s.title] for s in sources]
                          + [project.number_sections(), code_version()])
    known = (str(project.root), digest)
    if known in _NUMBERED:  # this process numbered it already: the same (shared) blocks, no reading
        numbered, problems = _NUMBERED[known]
        return list(numbered), list(problems)
    stored = cache.load(digest)
    if stored is not None:
        try:
            return ([NumberedChapter(**c) for c in stored["chapters"]], [Problem(**p) for p in stored["problems"]])
        except TypeError:
            pass  # written by another version: numbered again
    numbered, problems = number_book(sources, project.root, number_sections=project.number_sections())
    cache.store(digest, [dict(c.__dict__) for c in numbered], [asdict(p) for p in problems])  # (asdict would copy every AST node)
    _NUMBERED.clear()
    _NUMBERED[known] = (numbered, problems)
    return list(numbered), list(problems)


def executed_markdown(ctx: BuildContext, item: Executed) -> ChapterMarkdown:
    """One chapter's executed Markdown (its code cells as their outputs, its shortcodes resolved)."""
    project, chapter = ctx.project, item.chapter
    values = ShortcodeValues(front_matter=chapter.front_matter, config=project.config,
                             variables=read_variables(project.root))
    return chapter_markdown(chapter, item.outputs, root=project.root, slug=Path(chapter.rel).stem,
                            publish=ctx.publish, project_execute=project.execute, shortcodes=values)


def build_book(ctx: BuildContext, executed: list[Executed], ready: dict[str, ChapterMarkdown] | None = None,
               ) -> tuple[Book, dict[str, str], list[Problem], list[str]]:
    """Assemble the Book; also returns each chapter's executed Markdown (for QA), problems found and the
    project-relative images the book shows. ``ready``: executed Markdown already made, by chapter."""
    project, publish = ctx.project, ctx.publish
    sources: list[SourceChapter] = []
    problems: list[Problem] = []
    executed_md: dict[str, str] = {}
    refs = {ref.rel: ref for ref in project.chapters}
    for item in executed:
        chapter = item.chapter
        md = (ready or {}).get(chapter.rel) or executed_markdown(ctx, item)
        problems.extend(md.problems)
        executed_md[chapter.rel] = md.markdown
        sources.append(SourceChapter(chapter.rel, md.markdown, refs[chapter.rel].appendix,
                                     str(chapter.front_matter.get("title") or "")))
    numbered, book_problems = numbered_chapters(ctx, sources)
    problems.extend(book_problems)
    summary = project.executive_summary
    chapters = [BookChapter(rel=n.rel, markdown="", blocks=n.blocks, title=n.title, slug=Path(n.rel).stem,
                            part=refs[n.rel].part, appendix=refs[n.rel].appendix,
                            executive_summary=summary is not None and summary.rel == n.rel,
                            front_matter=item.chapter.front_matter, number=n.number)
                for n, item in zip(numbered, executed)]
    book = Book(root=project.root, title=project.title, subtitle=project.subtitle, lang=project.lang,
                chapters=chapters, title_page=title_page(ctx), bibliography=project.bibliography,
                csl=project.csl, publish=publish, output_stem=project.output_stem,
                options={fmt: project.format_options(fmt) for fmt in ("html", "typst", "pdf", "docx")},
                author=project.author, date=project.date)
    images = sorted({image for n in numbered for image in n.images if "://" not in image})
    return book, executed_md, problems, images
