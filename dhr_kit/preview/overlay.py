"""What the preview server adds to a page as it serves it: the reload script, the page's QA findings and,
after a failed build, the error. The published HTML never carries any of it."""
from __future__ import annotations

import html
import re
from collections.abc import Iterable

from ..qa.findings import Finding

ASSET_PREFIX = "/__dhr__/"
SCRIPT = """(function () {
  var version = document.currentScript.getAttribute("data-version");
  function wait() {
    fetch("/__dhr__/wait?version=" + encodeURIComponent(version), {cache: "no-store"})
      .then(function (r) { return r.json(); })
      .then(function (d) { if (String(d.version) !== version) { location.reload(); } else { wait(); } })
      .catch(function () { setTimeout(wait, 1000); });
  }
  wait();
})();
"""
STYLE = """.dhr-preview { font: 0.95rem/1.4 system-ui, sans-serif; margin: 0 0 1.5rem; padding: 0.75rem 1rem;
  border-left: 0.35rem solid #b35c00; background: #fff6ea; color: #1d1d1d; }
.dhr-preview h2 { font-size: 1rem; margin: 0 0 0.5rem; }
.dhr-preview ul { margin: 0; padding-left: 1.2rem; }
.dhr-preview code { font-size: 0.85rem; }
.dhr-preview-error { border-left-color: #b00020; background: #fdecee; }
.dhr-preview-error pre { white-space: pre-wrap; font-size: 0.85rem; margin: 0.5rem 0; }
.dhr-preview .severity-error { color: #b00020; font-weight: 600; }
"""

_CSP_META = re.compile(r'<meta\s+http-equiv="Content-Security-Policy"[^>]*>\s*', re.IGNORECASE)
_MAIN_OPEN = re.compile(r"<main\b[^>]*>", re.IGNORECASE)


def findings_panel(findings: Iterable[Finding]) -> str:
    findings = list(findings)
    if not findings:
        return ""
    items = "\n".join(
        f'<li><code>{html.escape(f.place)}</code> '
        f'<span class="severity-{html.escape(f.severity)}">{html.escape(f.severity)}</span> '
        f'{html.escape(f.rule)} {html.escape(f.message)}'
        + (f" <em>({html.escape(f.suggestion)})</em>" if f.suggestion else "") + "</li>"
        for f in findings)
    return (f'<aside class="dhr-preview dhr-preview-findings" aria-label="QA findings on this page">\n'
            f"<h2>QA findings on this page ({len(findings)})</h2>\n<ul>\n{items}\n</ul>\n</aside>\n")


def error_panel(message: str) -> str:
    return ('<div class="dhr-preview dhr-preview-error" role="alert">\n'
            "<h2>The last save could not be built</h2>\n"
            f"<pre>{html.escape(message)}</pre>\n"
            "<p>This page shows the last good build. Fix the problem and save: the page reloads by itself.</p>\n"
            "</div>\n")


def inject(page: str, *, version: int, panels: str) -> str:
    """The page with the preview's stylesheet, panels (at the top of <main>) and reload script."""
    page = _CSP_META.sub("", page, count=1)  # the server sends its own policy, which allows the script
    head = f'<link rel="stylesheet" href="{ASSET_PREFIX}preview.css">'
    page = page.replace("</head>", head + "\n</head>", 1) if "</head>" in page else head + page
    match = _MAIN_OPEN.search(page)
    if match:
        page = page[:match.end()] + "\n" + panels + page[match.end():]
    else:
        page = panels + page
    script = f'<script src="{ASSET_PREFIX}preview.js" data-version="{version}"></script>'
    return page.replace("</body>", script + "\n</body>", 1) if "</body>" in page else page + script


def standalone_page(title: str, body: str, *, version: int) -> str:
    """A page of the preview's own (before the first good build, or while it runs)."""
    return inject(f'<!DOCTYPE html>\n<html lang="en-GB"><head><meta charset="utf-8"><title>{html.escape(title)}'
                  f"</title></head><body><main>\n</main></body></html>", version=version, panels=body)
