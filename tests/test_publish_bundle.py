"""The upload bundle of a publication build (`_upload/`): every file a council web team needs, verified by
its checksums, the site complete, the PDFs real PDFs."""
from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def bundle(rendered_example) -> Path:
    assert rendered_example.bundle is not None
    return rendered_example.bundle


def test_bundle_holds_site_single_file_pdfs_and_readme(rendered_example, bundle: Path) -> None:
    stem = rendered_example.book.output_stem
    names = {p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file()}
    assert {"README.txt", "SHA256SUMS", f"{stem}.html", f"{stem}.pdf", "executive-summary.pdf",
            f"{stem}-html-site.zip", "site/index.html", "site/assets/dhr.css"} <= names
    out = rendered_example.output_dir
    site_pages = {p.name for p in (bundle / "site").glob("*.html")}
    assert site_pages == {p.name for p in out.glob("*.html")} - {f"{stem}.html", "qa-report.html"}  # the QA evidence is not part of the site
    assert not any(n.endswith((".docx", "build-log.json")) for n in names)
    for pdf in (f"{stem}.pdf", "executive-summary.pdf"):
        assert (bundle / pdf).read_bytes()[:5] == b"%PDF-"
        assert (bundle / pdf).read_bytes() == (out / pdf).read_bytes()
    readme = (bundle / "README.txt").read_text(encoding="utf-8")
    assert "council" in readme.lower() and "SHA256SUMS" in readme


def test_checksums_verify_every_file(bundle: Path) -> None:
    listed = {}
    for line in (bundle / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, name = line.split("  ", 1)
        listed[name] = digest
    files = {p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file()} - {"SHA256SUMS"}
    assert set(listed) == files
    for name, digest in listed.items():
        assert hashlib.sha256((bundle / name).read_bytes()).hexdigest() == digest, name


def test_site_zip_matches_the_site_folder(rendered_example, bundle: Path) -> None:
    stem = rendered_example.book.output_stem
    with zipfile.ZipFile(bundle / f"{stem}-html-site.zip") as archive:
        zipped = {name: archive.read(name) for name in archive.namelist()}
    site = bundle / "site"
    assert zipped == {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert b"<script" not in zipped["index.html"]
