"""`dhr add chapter` and `dhr add agency`: the everyday edits to `_quarto.yml` and `data/review.yml`, made
with a round-trip YAML editor so the author's comments, quoting and order are kept."""
from __future__ import annotations

import argparse
import io
import re
from pathlib import Path

from .errors import InputError, Problem
from .project import CONFIG_FILE, load_project

CHRONOLOGY_HEADER = "date,event,source,tor,significance"  # per-agency file: the agency is the file name
_ID = re.compile(r"^[a-z][a-z0-9-]*$")


def _yaml():
    from ruamel.yaml import YAML

    yaml = YAML()  # round trip: comments, order and quoting survive
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.representer.add_representer(
        type(None), lambda rep, _: rep.represent_scalar("tag:yaml.org,2002:null", "null"))  # keep `null` written
    return yaml


def _load(path: Path, root: Path):
    yaml = _yaml()
    try:
        return yaml, yaml.load(path.read_text(encoding="utf-8"))
    except Exception as exc:  # ruamel's errors carry a line; the message names the file and the fix
        mark = getattr(exc, "problem_mark", None)
        raise InputError(Problem(path.relative_to(root).as_posix(), f"is not valid YAML: {getattr(exc, 'problem', exc)}",
                                 line=mark.line + 1 if mark else None,
                                 fix="correct the YAML (indentation, quotes), then run the command again")) from None


def _dump(yaml, data, path: Path) -> None:
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(buffer.getvalue(), encoding="utf-8")
    tmp.replace(path)  # never a half-written _quarto.yml


def slugify(title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return slug[:48].rstrip("-") or "chapter"


def _next_file(root: Path, folder: str, appendix: bool, slug: str) -> str:
    numbers = []
    pattern = re.compile(r"^a(\d+)-" if appendix else r"^(\d+)-")
    for path in (root / folder).glob("*"):
        if match := pattern.match(path.name):
            numbers.append(int(match.group(1)))
    number = max(numbers, default=0) + 1
    return f"{folder}/a{number}-{slug}.qmd" if appendix else f"{folder}/{number:02d}-{slug}.qmd"


def add_chapter(root: Path | str, title: str, *, part: str | None = None, appendix: bool = False) -> str:
    """Create the chapter file and list it in `_quarto.yml` (at the end of the chapters, of ``part``, or of
    the appendices). Returns its project-relative path."""
    project = load_project(root)
    root = project.root
    title = " ".join(title.split())
    if not title:
        raise InputError(Problem("dhr add chapter", "the title is empty", fix='give one: dhr add chapter "Housing"'))
    existing_titles = {ref.path.read_text(encoding="utf-8").split("\n", 1)[0].lstrip("# ").split(" {")[0].strip().lower()
                       for ref in project.chapters if ref.path.suffix == ".qmd" and ref.path.is_file()}
    if title.lower() in existing_titles:
        raise InputError(Problem(CONFIG_FILE, f"a chapter titled {title!r} is already listed",
                                 fix="choose another title, or edit the existing chapter"))
    folder = "chapters" if (root / "chapters").is_dir() or not project.chapters else \
        Path(project.chapters[-1].rel).parent.as_posix()
    rel = _next_file(root, folder, appendix, slugify(title))
    config_path = root / CONFIG_FILE
    yaml, config = _load(config_path, root)
    book = config.setdefault("book", {})
    key = "appendices" if appendix else "chapters"
    entries = book.get(key)
    if entries is None:
        from ruamel.yaml.comments import CommentedSeq

        entries = book[key] = CommentedSeq()
    if part is not None:
        group = next((e for e in entries if isinstance(e, dict) and str(e.get("part", "")).strip() == part.strip()), None)
        if group is None:
            from ruamel.yaml.comments import CommentedMap, CommentedSeq

            group = CommentedMap([("part", part), ("chapters", CommentedSeq())])
            entries.append(group)
        group.setdefault("chapters", []).append(rel)
    else:
        entries.append(rel)
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    anchor = f"sec-{slugify(title)}"
    path.write_text(f"# {title} {{#{anchor}}}\n\n[PLACEHOLDER: write this chapter]\n", encoding="utf-8")
    try:
        _dump(yaml, config, config_path)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return rel


def add_agency(root: Path | str, agency_id: str, name: str, *, agency_type: str = "other") -> list[str]:
    """Add the agency to data/review.yml (and its chronology file when the chronology is one file per
    agency). Returns the files written, project-relative."""
    from .model import AGENCY_TYPES

    root = Path(root).resolve()
    review_path = root / "data" / "review.yml"
    if not review_path.is_file():
        raise InputError(Problem("data/review.yml", "does not exist", fix="run `dhr add agency` in a review folder"))
    if not _ID.match(agency_id):
        raise InputError(Problem("dhr add agency", f"{agency_id!r} is not a usable id",
                                 fix="use lower-case letters, digits and '-', starting with a letter, e.g. housing2"))
    if agency_type not in AGENCY_TYPES:
        raise InputError(Problem("dhr add agency", f"unknown agency type {agency_type!r}",
                                 fix=f"use one of: {', '.join(AGENCY_TYPES)}"))
    yaml, review = _load(review_path, root)
    agencies = review.get("agencies")
    if agencies is None:
        from ruamel.yaml.comments import CommentedMap

        agencies = review["agencies"] = CommentedMap()
    if agency_id in agencies:
        raise InputError(Problem("data/review.yml", f"agency {agency_id!r} already exists", key=f"agencies.{agency_id}",
                                 fix="choose another id, or edit the existing entry"))
    from ruamel.yaml.comments import CommentedMap

    entry = CommentedMap([("name", name), ("type", agency_type), ("imr", False)])
    entry.fa.set_flow_style()
    agencies[agency_id] = entry
    written = []
    folder = root / "data" / "chronology"
    if folder.is_dir():
        chronology = folder / f"{agency_id}.csv"
        if not chronology.exists():
            chronology.write_text(CHRONOLOGY_HEADER + "\n", encoding="utf-8")
            written.append(chronology.relative_to(root).as_posix())
    _dump(yaml, review, review_path)
    return ["data/review.yml", *written]


def cmd_add(args: argparse.Namespace) -> int:
    if args.add_command == "chapter":
        rel = add_chapter(args.dir, args.title, part=args.part, appendix=args.appendix)
        where = "the appendices" if args.appendix else (f"part {args.part!r}" if args.part else "the chapters")
        print(f"created {rel} and listed it in {CONFIG_FILE} ({where})")
        return 0
    if args.add_command == "agency":
        written = add_agency(args.dir, args.id, args.name, agency_type=args.type)
        print(f"added agency {args.id} ({args.name}) to data/review.yml")
        if len(written) > 1:
            print(f"created {written[1]}: one row per event ({CHRONOLOGY_HEADER})")
        else:
            print(f"add its events to data/chronology.csv with agency `{args.id}`")
        print("next: say whether it has a recommendation (data/recommendations.csv) or why not "
              "(no_recommendation_reason), and whether it wrote an IMR (imr: true)")
        return 0
    raise AssertionError(args.add_command)
