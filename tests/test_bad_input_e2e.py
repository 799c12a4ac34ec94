r"""Broken and hostile projects, end to end through `dhr` as a user (or an attacker) runs it.

Each case under ``tests/fixtures/broken/<case>/`` (careless input) or ``tests/hostile/<case>/`` (input
written to get something past dhr-kit: files outside the project, an output folder over the sources,
scripts, real names) is an overlay on a project made by ``dhr new`` that
rendered once successfully. ``expected.yml`` says what the user must see::

    about: what the author did wrong
    commands: [[render], [check]]     # each run on its own copy; the project folder is added as `dir`
    exit: 2                           # 2 bad input, 1 QA error or stopped build
    file: data/panel.csv              # named in the message (a substring)
    line: 3                           # optional: shown as file:line
    message: has 6 fields             # on the same line of output as the file
    detail: no agency 'x'             # optional: also shown, anywhere in the output
    base: publishable                 # optional: first apply the overlay _publishable/ (a publish build)
    remove: [chapters/09-overview.qmd]       # optional: files deleted from the project
    patch: {_quarto.yml: {dhr: {rules: {}}}} # optional: YAML merged into a project file
    names: [A Real Name]              # optional: deny-list written OUTSIDE the project; "{names}" in a command
    names_encoding: latin-1           # optional: the deny-list's encoding (default UTF-8)
    absent: [Name, '\d+\.py, line']   # optional: regular expressions that must match nothing printed
    outside: {secret.txt: text}       # optional: files written beside (outside) the project folder
    symlinks: {data/x.csv: ../secret.txt}    # optional: links made in the project (target as written)
    changed_by_case: [data/x.csv]     # optional: files the case's own cell code changes (dhr-kit changes none)
    xfail: reason                     # optional: a known product gap (strict xfail)

Every case must exit with its code, print ONE message naming the file (and line), no traceback, leave
the previous `_book/` exactly as it was, and leave every file of the project (and outside it) unchanged.
In a patch or command, "{outside}" stands for the folder that holds the project.
"""
from __future__ import annotations

import contextlib
import hashlib
import io
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from dhr_kit.cli import main
from dhr_kit.scaffold import new_review

pytestmark = pytest.mark.slow  # one whole-review render shared by the module

BROKEN = Path(__file__).parent / "fixtures" / "broken"
HOSTILE = Path(__file__).parent / "hostile"
SPEC_FILE = "expected.yml"
BASE_SPEC_FILE = "overlay.yml"  # a shared base overlay's own remove/patch (folders named _<base>)
FICTIONAL_NAMES = ["Zebedee Quarrington", "Perpetua Vandersloot"]  # a publish build's names file by default
TEMPORARY_FOLDER = r"\._book\.(?:tmp|old)-"  # the renderer's staging folder: gone by the time the user reads


def _cases() -> list[Any]:
    params = []
    folders = [p for corpus in (BROKEN, HOSTILE) for p in corpus.iterdir() if p.is_dir() and not p.name.startswith("_")]
    for case in sorted(folders, key=lambda p: (p.parent.name, p.name)):
        spec = yaml.safe_load((case / SPEC_FILE).read_text(encoding="utf-8"))
        marks = [pytest.mark.xfail(strict=True, reason=spec["xfail"])] if spec.get("xfail") else []
        for command in spec["commands"]:
            params.append(pytest.param(case, command, marks=marks, id=f"{case.name}:{' '.join(command)}"))
    return params


def book_digest(book: Path, skip: tuple[str, ...] = ()) -> dict[str, str]:
    return {p.relative_to(book).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(book.rglob("*")) if p.is_file() and not p.is_symlink()
            and not set(p.relative_to(book).parts) & set(skip)}


def apply_overlay(overlay: Path, root: Path) -> None:
    for source in overlay.rglob("*"):
        if source.is_file() and not (source.parent == overlay and source.name in (SPEC_FILE, BASE_SPEC_FILE)):
            target = root / source.relative_to(overlay)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


def deep_merge(base: Any, patch: Any) -> Any:
    if isinstance(base, dict) and isinstance(patch, dict):
        return {**base, **{k: deep_merge(base.get(k), v) for k, v in patch.items()}}
    return patch


def _outside(value: Any, root: Path) -> Any:
    if isinstance(value, str):
        return value.replace("{outside}", str(root.parent))
    if isinstance(value, dict):
        return {k: _outside(v, root) for k, v in value.items()}
    if isinstance(value, list):
        return [_outside(v, root) for v in value]
    return value


def prepare(root: Path, overlay: Path, spec: dict[str, Any]) -> None:
    if spec.get("base"):
        base = BROKEN / f"_{spec['base']}"
        prepare(root, base, _spec(base, BASE_SPEC_FILE))
    apply_overlay(overlay, root)
    for rel in spec.get("remove", []):
        (root / rel).unlink()
    for rel, patch in (spec.get("patch") or {}).items():
        path = root / rel
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        merged = deep_merge(data, _outside(patch, root))
        path.write_text(yaml.safe_dump(merged, sort_keys=False, allow_unicode=True), encoding="utf-8")
    for rel, text in (spec.get("outside") or {}).items():
        (root.parent / rel).parent.mkdir(parents=True, exist_ok=True)
        (root.parent / rel).write_text(text, encoding="utf-8")
    for rel, target in (spec.get("symlinks") or {}).items():
        (root / rel).unlink(missing_ok=True)
        (root / rel).symlink_to(target)


def _spec(folder: Path, name: str = SPEC_FILE) -> dict[str, Any]:
    path = folder / name
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {}


@pytest.fixture(scope="module")
def base_project(tmp_path_factory) -> Path:
    """A `dhr new` project rendered once (draft, every format): the outputs each case must leave alone."""
    root = new_review(tmp_path_factory.mktemp("base") / "review")
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(err):
        code = main(["render", str(root), "--quiet"])
    if code != 0:
        pytest.fail(f"a new project from `dhr new` does not render in draft (exit {code}):\n{err.getvalue()}")
    files = book_digest(root / "_book")
    assert any(name.endswith(".pdf") for name in files) and "index.html" in files, sorted(files)
    return root


@pytest.mark.parametrize(("case", "command"), _cases())
def test_broken_project(base_project, tmp_path, capfd, case, command):
    spec = _spec(case)
    root = tmp_path / "review"
    shutil.copytree(base_project, root, symlinks=True)
    before = book_digest(root / "_book")
    prepare(root, case, spec)
    names_file = tmp_path / "private" / "names.txt"  # outside the project, as the docs require
    publishing = "--publish" in command and "--names" not in command
    if publishing:  # a publication build needs a names file: fictional names the project never uses
        command = [*command, "--names", "{names}"]
    if spec.get("names") or publishing:
        names_file.parent.mkdir()
        names_file.write_text("\n".join(spec.get("names") or FICTIONAL_NAMES) + "\n",
                              encoding=spec.get("names_encoding", "utf-8"))
    sources = book_digest(tmp_path, skip=("_book", ".dhr-cache"))
    args = [command[0], str(root), *(_outside(a, root).replace("{names}", str(names_file)) for a in command[1:])]

    capfd.readouterr()
    code = main(args)
    out, err = capfd.readouterr()
    shown = out + err

    assert code == spec["exit"], f"exit {code}, expected {spec['exit']}:\n{shown}"
    assert "Traceback" not in shown, shown
    assert_one_message(shown, command[0], code)
    location = f"{spec['file']}:{spec['line']}" if spec.get("line") is not None else spec["file"]
    lines = [line for line in shown.splitlines() if location in line and spec["message"] in line]
    assert lines, f"no line naming {location!r} with {spec['message']!r}:\n{shown}"
    if spec.get("detail"):
        assert spec["detail"] in shown, shown
    for pattern in [*spec.get("absent", []), TEMPORARY_FOLDER]:
        assert not re.search(pattern, shown), f"the output shows {pattern!r}:\n{shown}"
    assert book_digest(root / "_book") == before, "the previous outputs in _book/ were changed"
    after = book_digest(tmp_path, skip=("_book", ".dhr-cache"))
    changed = {rel for rel in set(after) | set(sources) if after.get(rel) != sources.get(rel)}
    assert changed == {f"review/{rel}" for rel in spec.get("changed_by_case", [])}, \
        f"files of the project or beside it changed: {sorted(changed)}"
    assert not [p.name for p in root.glob("._book.*")], "a staging folder was left behind"


def assert_one_message(shown: str, command: str, code: int) -> None:
    """One error report, not a cascade: `dhr check` finding errors lists exactly one; anything else prints
    one `dhr CMD:` message holding a single problem or QA error."""
    if command == "check" and code == 1:
        assert len(re.findall(r"\berror DHR-[A-Z]\d+", shown)) == 1, shown
        return
    assert shown.count(f"dhr {command}:") == 1, shown
    counts = [int(n) for n in re.findall(r"\b(\d+) (?:problems?|QA errors?)\b", shown)]
    assert all(n == 1 for n in counts), f"more than the one problem was reported:\n{shown}"
