"""QA fixtures: source fixtures (the shared base review with one case's overlay applied) and output
fixtures (a folder of rendered files, PDFs generated from their description); the rules each fixture
fires and the rules it is a declared near-miss for."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import yaml

FIXTURES = Path(__file__).parent / "fixtures" / "qa"
BASE = FIXTURES / "_base"
OUTPUTS = FIXTURES / "_outputs"
EXPECTED = "expected.yml"


def cases() -> list[str]:
    """Source fixtures: folders beside _base (a leading underscore marks shared material)."""
    return sorted(p.name for p in FIXTURES.iterdir() if p.is_dir() and not p.name.startswith("_"))


def output_cases() -> list[str]:
    return sorted(p.name for p in OUTPUTS.iterdir() if p.is_dir())


def _read_expected(folder: Path) -> dict:
    path = folder / EXPECTED
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}) if path.is_file() else {}


def expected(case: str) -> dict:
    return _read_expected(FIXTURES / case)


def output_expected(case: str) -> dict:
    return _read_expected(OUTPUTS / case)


def materialise(case: str | None, workdir: Path) -> tuple[Path, Path | None]:
    """Copy the base review into workdir/review, overlay the case; returns (project, names file or None).

    The names file (``names:`` in expected.yml) is written outside the project, as a real one must be,
    unless ``names_file: inside`` puts it in the project (the mistake DHR-A002 catches)."""
    project = workdir / "review"
    shutil.copytree(BASE, project)
    names_file = None
    if case:
        spec = expected(case)
        overlay = FIXTURES / case
        for path in overlay.rglob("*"):
            if path.is_file() and path.name != EXPECTED:
                target = project / path.relative_to(overlay)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(path, target)
        for rel in spec.get("delete", []):
            (project / rel).unlink()
        if spec.get("names"):
            names_file = (project if spec.get("names_file") == "inside" else workdir) / "names.txt"
            names_file.write_text("# private deny-list\n" + "\n".join(spec["names"]) + "\n", encoding="utf-8")
    return project, names_file


def write_pdf(path: Path, text: str = "Overview report", *, tagged: bool = True, padding: int = 0,
              author: str = "Westvale CSP", extra_pages: int = 0) -> Path:
    """A one-page PDF with real text (Helvetica), optional structure tree, and an optional large
    incompressible stream (the letter's 20 MB limit)."""
    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, BooleanObject, DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})})
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    content = DecodedStreamObject()
    content.set_data(f"BT /F1 11 Tf 50 780 Td ({escaped}) Tj ET".encode("latin-1"))
    page[NameObject("/Contents")] = writer._add_object(content)
    if padding:
        blob = DecodedStreamObject()
        blob.set_data(os.urandom(padding))
        page[NameObject("/PieceInfo")] = writer._add_object(blob)
    if tagged:
        tree = DictionaryObject({NameObject("/Type"): NameObject("/StructTreeRoot"), NameObject("/K"): ArrayObject()})
        writer._root_object[NameObject("/StructTreeRoot")] = writer._add_object(tree)
        writer._root_object[NameObject("/MarkInfo")] = DictionaryObject({NameObject("/Marked"): BooleanObject(True)})
    for _ in range(extra_pages):  # a long report (DHR-R004)
        writer.add_blank_page(595, 842)
    writer.add_metadata({"/Title": "Domestic Homicide Review: Beth", "/Author": author})
    with path.open("wb") as out:
        writer.write(out)
    return path


def materialise_outputs(case: str, workdir: Path) -> tuple[Path, Path, Path | None]:
    """(project root, output folder, names file or None) for an output fixture: its files are copied
    into workdir/_book and each ``pdfs:`` entry of expected.yml is generated there by :func:`write_pdf`
    (``padding_mb`` adds incompressible megabytes). The root is workdir, or with ``max_output_mb:`` the
    base review with that size limit in its `_quarto.yml`."""
    spec = output_expected(case)
    root = workdir
    if "max_output_mb" in spec:  # a project whose `dhr: max-output-mb:` sets the size limit
        root, _ = materialise(None, workdir)
        config = root / "_quarto.yml"
        config.write_text(config.read_text(encoding="utf-8").replace(
            "\ndhr:\n", f"\ndhr:\n  max-output-mb: {spec['max_output_mb']}\n"), encoding="utf-8")
    out = workdir / "_book"  # a build folder beside the project, shown as "_book" (as the renderer's staging)
    out.mkdir(parents=True)
    for path in (OUTPUTS / case).rglob("*"):
        if path.is_file() and path.name != EXPECTED:
            target = out / path.relative_to(OUTPUTS / case)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target)
    for pdf in spec.get("pdfs", []):
        options = {k: v for k, v in pdf.items() if k in ("text", "tagged", "author", "extra_pages")}
        write_pdf(out / pdf["file"], padding=int(pdf.get("padding_mb", 0) * 1024 * 1024), **options)
    names_file = None
    if spec.get("names"):
        names_file = workdir.parent / f"{workdir.name}-names.txt"  # never inside the checked folder
        names_file.write_text("\n".join(spec["names"]) + "\n", encoding="utf-8")
    return root, out, names_file


def all_specs() -> dict[str, dict]:
    """Every fixture's expected.yml, source and output fixtures alike, by a readable name."""
    specs = {case: expected(case) for case in cases()}
    specs.update({f"_outputs/{case}": output_expected(case) for case in output_cases()})
    return specs


def rules_fired_and_absent() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """rule id -> fixtures expected to report it; rule id -> fixtures that are declared near-misses
    for it (``absent:``: the rule must not fire there)."""
    fired: dict[str, set[str]] = {}
    absent: dict[str, set[str]] = {}
    for name, spec in all_specs().items():
        for entry in spec.get("findings", []):
            fired.setdefault(entry["rule"], set()).add(name)
        for rule in spec.get("absent", []):
            absent.setdefault(rule, set()).add(name)
    return fired, absent
