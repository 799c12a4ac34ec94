"""The upload bundle written by `dhr render --publish`: everything a council web team needs, in one folder
(`_upload/` beside the output folder), with checksums so that what is uploaded can be verified.

    _upload/
      README.txt                  what each file is and how to publish it
      site/                       the HTML site (upload the folder as it is; index.html is the entry)
      <stem>-html-site.zip        the same site as one zip (for a CMS that takes an archive)
      <stem>.html                 the whole report as one self-contained HTML page
      <stem>.pdf                  the overview report (tagged PDF/UA-1)
      executive-summary.pdf       the executive summary
      SHA256SUMS                  `sha256sum -c SHA256SUMS` checks every file above
"""
from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

from ..errors import BuildError
from ..boundary import OWNED_MARKER
from .cache import sha256_file
from .outputs import mark_owned, staging_dir, swap_in
from ..qa.build_report import HTML_NAME as QA_REPORT_HTML
from ..qa.build_report import JSON_NAME as QA_REPORT_JSON
from .partial import BUILD_LOG

BUNDLE_DIR = "_upload"
# The build's own records, beside the report but not part of it: the build log, the QA evidence, the marker.
NOT_PUBLISHED = frozenset({BUILD_LOG, QA_REPORT_HTML, QA_REPORT_JSON, OWNED_MARKER})
CHECKSUMS = "SHA256SUMS"

README = """\
{title} — upload bundle (publication build of {date})

Files
  site/                   the HTML version: a folder of pages; index.html is the first page
  {stem}-html-site.zip    the same folder as one zip file
  {stem}.html             the whole report as one self-contained web page (no other files needed)
  {stem}.pdf              the overview report, tagged PDF for screen readers (PDF/UA-1)
  {summary}
  SHA256SUMS              checksums: `sha256sum -c SHA256SUMS` (Linux/macOS) or
                          `Get-FileHash -Algorithm SHA256 FILE` (Windows PowerShell) to verify a file

Publishing on the council website
  * Most content management systems take documents: upload the PDF(s) as documents and the single-file
    HTML as the accessible web version, or paste nothing by hand - the files are final.
  * Where the site can host a folder of pages, upload site/ (or the zip) as it is and link to index.html.
  * The pages load nothing from any other website and contain no scripts, so they pass a strict
    Content-Security-Policy and need no cookie banner.
  * Publish only after the Home Office QA Panel has agreed publication; keep the PDF and HTML together.
"""


def write_upload_bundle(output_dir: Path, root: Path, *, stem: str, title: str, date: str) -> Path:
    """Build the bundle from a publication build's output folder; swapped in whole (never half-written)."""
    report_pdf = output_dir / f"{stem}.pdf"
    single = output_dir / f"{stem}.html"
    summary_pdf = output_dir / "executive-summary.pdf"
    missing = [p.name for p in (report_pdf, single, output_dir / "index.html") if not p.is_file()]
    if missing:
        raise BuildError(f"the upload bundle needs {', '.join(missing)} in {output_dir.name}/ — fix: render every "
                         "format for publication: dhr render --publish")
    bundle = root / BUNDLE_DIR
    with staging_dir(bundle) as staging:
        site = staging / "site"
        site.mkdir()
        for path in sorted(output_dir.rglob("*")):
            rel = path.relative_to(output_dir)
            if not path.is_file() or path.suffix.lower() in {".pdf", ".docx"} or rel.as_posix() in NOT_PUBLISHED \
                    or rel.parts[0] == "markdown" or path == single:
                continue
            (site / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, site / rel)
        with zipfile.ZipFile(staging / f"{stem}-html-site.zip", "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(site.rglob("*")):
                if path.is_file():
                    archive.write(path, path.relative_to(site).as_posix())
        for path in (single, report_pdf, summary_pdf):
            if path.is_file():
                shutil.copy2(path, staging / path.name)
        summary_line = "executive-summary.pdf   the executive summary" if summary_pdf.is_file() else ""
        (staging / "README.txt").write_text(README.format(title=title, date=date, stem=stem, summary=summary_line),
                                            encoding="utf-8")
        mark_owned(staging)  # written now (swap_in writes the same bytes), so that SHA256SUMS lists it too
        lines = [f"{sha256_file(path)}  {path.relative_to(staging).as_posix()}"
                 for path in sorted(staging.rglob("*")) if path.is_file()]
        (staging / CHECKSUMS).write_text("\n".join(lines) + "\n", encoding="utf-8")
        swap_in(staging, bundle)
    return bundle
