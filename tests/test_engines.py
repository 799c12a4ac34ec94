"""Engine choice and the Quarto engine, with a stand-in `quarto` on PATH that records its arguments."""
from __future__ import annotations

import json
import os
import shutil
import stat
import sys
from pathlib import Path

import pytest

from dhr_kit.errors import ToolError
from dhr_kit.render import render as render_review
from dhr_kit.render.engines import choose_engine

FIXTURES = Path(__file__).parent / "fixtures" / "render"


def render(root, **options):
    """The fixtures are Quarto books, not reviews: no review QA gates (those are tested in the QA suite)."""
    return render_review(root, gates=(), **options)

FAKE_QUARTO = """#!{python}
import json, os, sys
from pathlib import Path
args = sys.argv[1:]
if args == ["--version"]:
    print("{version}")
    sys.exit(0)
with open({log!r}, "a") as log:
    log.write(json.dumps({{"args": args, "publish": os.environ.get("DHR_PUBLISH")}}) + "\\n")
out = Path(args[args.index("--output-dir") + 1])
out.mkdir(parents=True, exist_ok=True)
(out / ("index.html" if "html" in args else "report.pdf")).write_text("made by fake quarto")
sys.exit({exit_code})
"""


def fake_quarto(tmp_path: Path, monkeypatch, *, version: str = "1.6.40", exit_code: int = 0) -> Path:
    folder = tmp_path / "bin"
    folder.mkdir()
    log = tmp_path / "quarto-calls.jsonl"
    script = folder / "quarto"
    script.write_text(FAKE_QUARTO.format(python=sys.executable, version=version, log=str(log), exit_code=exit_code))
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    return log


def project(tmp_path: Path) -> Path:
    return Path(shutil.copytree(FIXTURES / "crossref", tmp_path / "review",
                                ignore=shutil.ignore_patterns("expected*.md")))


def calls(log: Path) -> list[dict]:
    return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


def test_auto_uses_quarto_when_on_path(tmp_path, monkeypatch):
    log = fake_quarto(tmp_path, monkeypatch)
    root = project(tmp_path)
    result = render(root, to="all", publish=True, quiet=True)
    assert result.engine == "quarto"
    made = calls(log)
    assert [c["args"][c["args"].index("--to") + 1] for c in made] == ["html", "typst", "docx"]
    first = made[0]
    assert first["args"][:2] == ["render", str(root)] and first["publish"] == "1"
    assert first["args"][first["args"].index("-M") + 1] == "dhr-publish:true"
    assert (root / "_book" / "index.html").read_text() == "made by fake quarto"


def test_embedded_engine_ignores_quarto(tmp_path, monkeypatch):
    log = fake_quarto(tmp_path, monkeypatch)
    result = render(project(tmp_path), to="markdown", quiet=True, engine="embedded")
    assert result.engine == "embedded" and calls(log) == []


def test_auto_without_quarto_is_embedded(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    assert choose_engine("auto") == "embedded"


def test_quarto_failure_keeps_old_outputs(tmp_path, monkeypatch):
    fake_quarto(tmp_path, monkeypatch, exit_code=1)
    root = project(tmp_path)
    (root / "_book").mkdir()
    (root / "_book" / "index.html").write_text("previous")
    with pytest.raises(ToolError):
        render(root, to="html", quiet=True, engine="quarto")
    assert (root / "_book" / "index.html").read_text() == "previous"
    assert not [p for p in root.iterdir() if p.name.startswith("._book")]


def test_old_quarto_is_refused(tmp_path, monkeypatch):
    log = fake_quarto(tmp_path, monkeypatch, version="1.2.475")
    with pytest.raises(ToolError, match="too old"):
        render(project(tmp_path), to="html", quiet=True, engine="quarto")
    assert calls(log) == []


def test_quarto_engine_without_quarto(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ToolError, match="not on PATH"):
        render(project(tmp_path), to="html", quiet=True, engine="quarto")
