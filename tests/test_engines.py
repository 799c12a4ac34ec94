"""Engine choice and the Quarto engine, with a stand-in `quarto` on PATH that records its arguments."""
from __future__ import annotations

import json
import os
import shutil
import stat
import sys
from pathlib import Path

import pytest

from dhr_kit.errors import BuildError, InputError, ToolError
from dhr_kit.render import render as render_review
from dhr_kit.qa import CheckResult
from dhr_kit.render.engines import choose_engine, engine_names
from dhr_kit.render.gates import EXECUTED, OUTPUTS, SOURCES, ExecutedChapterChecks

FIXTURES = Path(__file__).parent / "fixtures" / "render"


def render(root, **options):
    """The fixtures are Quarto books, not reviews: no review QA gates (those are tested in the QA suite)."""
    return render_review(root, gates=(), **options)

FAKE_QUARTO = """#!{python}
import json, os, shutil, sys
from pathlib import Path
args = sys.argv[1:]
if args == ["--version"]:
    print("{version}")
    sys.exit(0)
with open({log!r}, "a") as log:
    log.write(json.dumps({{"args": args, "publish": os.environ.get("DHR_PUBLISH"), "path": os.environ["PATH"]}}) + "\\n")
out = Path(args[args.index("--output-dir") + 1])
shutil.rmtree(out, ignore_errors=True)  # as Quarto does: every render empties its output folder
out.mkdir(parents=True)
to = args[args.index("--to") + 1]
(out / {{"html": "index.html", "typst": "report.pdf", "docx": "report.docx"}}[to]).write_text("made by fake quarto")
if "html" in args:  # a chapter page, as Quarto's book writes one per chapter
    (out / "chapters").mkdir(exist_ok=True)
    main = os.environ.get("FAKE_QUARTO_PAGE", "<p>The second chapter.</p>")
    (out / "chapters" / "two.html").write_text(f"<html><body><nav>menu</nav><main id='quarto-document-content'>{{main}}</main></body></html>")
sys.exit({exit_code})
"""


def fake_quarto(tmp_path: Path, monkeypatch, *, version: str = "1.11.0", exit_code: int = 0) -> Path:
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
    # the pre-render hook finds this dhr-kit's `dhr`, activated or not
    assert first["path"].split(os.pathsep)[0] == str(Path(sys.executable).parent)
    assert first["args"][first["args"].index("-M") + 1] == "dhr-publish:true"
    assert (root / "_book" / "index.html").read_text() == "made by fake quarto"
    # each format rendered into a folder of its own, all gathered into _book/
    assert {p.name for p in (root / "_book").iterdir()} >= {"index.html", "report.pdf", "report.docx", "chapters"}
    assert len({c["args"][c["args"].index("--output-dir") + 1] for c in made}) == 3
    assert all(c["args"][c["args"].index("-M", c["args"].index("-M") + 1) + 1] == "freeze:false" for c in made)
    assert not [p for p in root.iterdir() if ".tmp-" in p.name]


def flag(call: dict, value: str) -> bool:
    return value in call["args"]


def test_draft_reuses_frozen_chapters_until_data_changes(tmp_path, monkeypatch):
    log = fake_quarto(tmp_path, monkeypatch)
    root = project(tmp_path)
    (root / "data").mkdir()
    (root / "data" / "facts.csv").write_text("a,b\n1,2\n")
    render(root, to="html", quiet=True, engine="quarto")  # first build: nothing known about the data
    render(root, to="html", quiet=True, engine="quarto")
    (root / "data" / "facts.csv").write_text("a,b\n1,3\n")
    render(root, to="html", quiet=True, engine="quarto")
    render(root, to="html", quiet=True, engine="quarto", no_cache=True)
    assert [flag(c, "freeze:false") for c in calls(log)] == [True, False, True, True]
    assert not any(flag(c, "--cache-refresh") for c in calls(log))  # jupyter-cache's flag, not the freezer's


def test_publish_selects_the_publish_profile(tmp_path, monkeypatch):
    log = fake_quarto(tmp_path, monkeypatch)
    root = project(tmp_path)
    render(root, to="html", quiet=True, engine="quarto", publish=True)
    (root / "_quarto-publish.yml").write_text("execute:\n  freeze: false\n")
    render(root, to="html", quiet=True, engine="quarto", publish=True)
    first, second = calls(log)
    assert not flag(first, "--profile")
    assert second["args"][second["args"].index("--profile") + 1] == "publish" and flag(second, "freeze:false")


def test_quarto_build_writes_a_standalone_executive_summary(tmp_path, monkeypatch):
    """Quarto writes no executive-summary.pdf: the embedded engine's summary writer adds it to the staging
    folder, standalone (own title page, references elsewhere in the report rewritten), tagged PDF/UA-1 en-GB."""
    import pikepdf
    from pypdf import PdfReader

    fake_quarto(tmp_path, monkeypatch)
    root = project(tmp_path)
    config = root / "_quarto.yml"
    config.write_text(config.read_text() + "dhr:\n  executive-summary: chapters/two.qmd\n")
    render(root, to="html", quiet=True, engine="quarto")
    assert not (root / "_book" / "executive-summary.pdf").exists()  # no PDF asked for
    result = render(root, to="pdf", quiet=True, engine="quarto")
    summary = root / "_book" / "executive-summary.pdf"
    assert summary in result.outputs and (root / "_book" / "report.pdf").read_text() == "made by fake quarto"
    with pikepdf.open(summary) as pdf:
        assert "/StructTreeRoot" in pdf.Root and str(pdf.Root.Lang) == "en-GB"
        with pdf.open_metadata() as xmp:
            assert xmp.get("pdfuaid:part") == "1"
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(summary).pages)
    assert "Executive summary" in text and "Second chapter" in text
    assert "Outline of a borough" not in text and "A map of the borough" not in text  # chapter one is not in it
    assert "of the overview report" in text  # @fig-map points to the report


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


@pytest.mark.parametrize("version", ["1.2.475", "1.9.17"])
def test_old_quarto_is_refused(tmp_path, monkeypatch, version):
    log = fake_quarto(tmp_path, monkeypatch, version=version)
    with pytest.raises(ToolError, match=r"too old \(need 1\.9\.18\)"):
        render(project(tmp_path), to="html", quiet=True, engine="quarto")
    assert calls(log) == []


def test_quarto_engine_without_quarto(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ToolError, match="not on PATH"):
        render(project(tmp_path), to="html", quiet=True, engine="quarto")


class RecordingGate:
    """A gate that finds nothing and remembers what it was given."""

    def __init__(self, stage: str):
        self.stage, self.seen = stage, []

    def __call__(self, ctx, subject):
        self.seen.append((ctx, subject, sorted(p.name for p in subject.output_dir.rglob("*") if p.is_file())
                          if subject.output_dir else None))
        return CheckResult([])


def test_the_quarto_path_passes_every_gate(tmp_path, monkeypatch):
    fake_quarto(tmp_path, monkeypatch)
    gates = [RecordingGate(SOURCES), RecordingGate(EXECUTED), RecordingGate(OUTPUTS)]
    result = render_review(project(tmp_path), to="html", quiet=True, engine="quarto", gates=gates, strict=True)
    sources, executed, outputs = (gate.seen for gate in gates)
    assert len(sources) == len(executed) == len(outputs) == 1
    ctx = sources[0][0]
    assert ctx.strict and ctx.engine == "quarto" and executed[0][0] is ctx and outputs[0][0] is ctx
    # each chapter's page that Quarto wrote, its main content as Markdown
    assert dict(executed[0][1].executed) == {"index.qmd": "made by fake quarto\n",
                                             "chapters/two.qmd": "The second chapter.\n"}
    assert outputs[0][2] == ["index.html", "two.html"]  # checked in the staging folder, before the swap
    assert result.engine == "quarto" and (result.output_dir / "chapters" / "two.html").is_file()
    assert [stage for stage, _ in result.qa_results] == [SOURCES, EXECUTED, OUTPUTS]


def test_a_traceback_on_a_quarto_page_stops_the_build(tmp_path, monkeypatch):
    fake_quarto(tmp_path, monkeypatch)
    monkeypatch.setenv("FAKE_QUARTO_PAGE", "<pre>Traceback (most recent call last):\nValueError: boom\n</pre>")
    root = project(tmp_path)
    (root / "_book").mkdir()
    (root / "_book" / "index.html").write_text("previous")
    with pytest.raises(BuildError, match="in the executed chapters") as info:
        render_review(root, to="html", quiet=True, engine="quarto", gates=[ExecutedChapterChecks()])
    assert "chapters/two.qmd" in str(info.value) and "DHR-P006" in str(info.value)
    assert (root / "_book" / "index.html").read_text() == "previous"


def test_engines_are_a_registry():
    assert engine_names() == ("auto", "embedded", "quarto")
    with pytest.raises(InputError, match="unknown engine 'knitr'"):
        choose_engine("knitr")
