"""The preview server: builds the HTML (only what changed is re-executed: the render cache), serves the
output folder on 127.0.0.1 with the preview's additions, and rebuilds when a watched file is saved."""
from __future__ import annotations

import http.server
import json
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO
from urllib.parse import parse_qs, unquote, urlparse

from ..errors import DhrError, InputError, Problem
from ..project import load_project
from .overlay import SCRIPT as OVERLAY_SCRIPT
from .overlay import STYLE as OVERLAY_STYLE
from .overlay import error_panel, findings_panel, inject, standalone_page
from .watch import changed, snapshot, watched_paths

SECURITY_POLICY = ("default-src 'self'; img-src 'self' data:; font-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                   "script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'")
WAIT_SECONDS = 20.0  # a long poll: the page asks "anything newer than version N?"
FOLLOW_UP_QUIET_SECONDS = 0.5  # a follow-up build waits until the pages have had this long without a request


@dataclass
class BuildState:
    version: int = 0  # bumped after every build, good or failed: open pages reload
    building: bool = False
    error: str | None = None  # the last build's failure, shown on every page until a good build
    built_once: bool = False
    findings_by_page: dict[str, list] = field(default_factory=dict)
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)  # the render's seconds per step


class PreviewServer:
    """``start()`` builds once and serves; ``rebuild()`` is what a save triggers; ``stop()`` ends both."""

    def __init__(self, root: Path | str, *, port: int = 0, names_file: Path | str | None = None,
                 poll_seconds: float = 0.1, log: TextIO | None = None):
        self.project = load_project(root)
        self.root = self.project.root
        self.names_file = names_file
        self.poll_seconds = poll_seconds
        self.log = log or sys.stderr
        self.state = BuildState()
        self._changed = threading.Condition()
        self._build_lock = threading.Lock()
        self._busy = 0  # builds running
        self._deferred: list[str] = []  # chapters a follow-up build runs (see rebuild)
        self._last_request = time.monotonic()  # when a page last asked for something
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        try:
            self._httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), _handler(self))
        except OSError as exc:
            raise InputError(Problem("dhr preview", f"cannot listen on 127.0.0.1:{port} ({exc.strerror})",
                                     fix="choose another port with --port N (0 picks a free one)")) from None
        self._httpd.daemon_threads = True
        from ..tools.pandoc import PandocMemo, keep_answers

        keep_answers(PandocMemo())  # a save changes one chapter: pandoc re-runs for it, not for every page
        from ..render.warm import WarmKernels

        self.kernels = WarmKernels(self.root)  # a save re-executes in a kernel that has already started

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/"

    @property
    def output_dir(self) -> Path:
        return self.project.output_dir

    # ---- building -------------------------------------------------------------------------------

    def rebuild(self, reason: str = "", *, show_progress: bool = False, saved: frozenset[str] = frozenset()) -> BuildState:
        """Render the HTML (draft); record the outcome and wake every open page. ``show_progress``: the
        render's own step lines (the first build may take a minute: it executes every chapter).

        ``saved``: the chapter sources just saved (project-relative). Another chapter that only reads them
        (the readiness gate reads every chapter) keeps its last run for this build, so the saved chapter's
        page shows at once; the watcher runs them in a follow-up build once the open pages have reloaded
        (they reload again only if that changed the outputs)."""
        from ..render import render

        with self._changed:
            self._busy += 1
        try:
            return self._rebuild(render, reason, show_progress, saved)
        finally:
            with self._changed:
                self._busy -= 1
                self._changed.notify_all()

    def _rebuild(self, render, reason: str, show_progress: bool, saved: frozenset[str]) -> BuildState:
        with self._build_lock:
            with self._changed:
                self.state.building = True
            started = time.perf_counter()
            error, findings_by_page, timings, deferred, unchanged = None, self.state.findings_by_page, {}, [], False
            try:
                from ..render.progress import Progress

                progress = Progress(quiet=not show_progress, stream=self.log)
                result = render(self.root, to="html", engine="embedded", names_file=self.names_file, progress=progress,
                                warm_kernels=self.kernels, defer_readers_of=saved)
                findings_by_page = _findings_by_page(result)
                timings, deferred = result.timings, result.deferred
                unchanged = (result.writers_skipped and self.state.error is None and self.state.built_once
                             and findings_by_page == self.state.findings_by_page)
            except DhrError as exc:
                error = str(exc)
            except Exception as exc:  # noqa: BLE001 — the preview stays up; the page says what happened
                error = f"internal error {type(exc).__name__}: {exc} (a bug in dhr-kit; please report it)"
            seconds = time.perf_counter() - started
            with self._changed:
                self.state = BuildState(version=self.state.version + (0 if unchanged else 1), building=False, error=error,
                                        built_once=self.state.built_once or error is None,
                                        findings_by_page=findings_by_page, seconds=seconds, timings=timings)
                self._changed.notify_all()
            what = f" ({reason})" if reason else ""
            if error is None:
                count = sum(len(v) for v in findings_by_page.values())
                self._say(f"built in {seconds:.1f} s{what}; {count} QA finding{'s' if count != 1 else ''} shown on the pages")
            else:
                self._say(f"build failed{what}: {error}")
            with self._changed:
                self._deferred = deferred
            return self.state

    def _follow_up_due(self) -> bool:
        """Chapters were left to a follow-up build, and the open pages are done fetching the last one."""
        return bool(self._deferred) and time.monotonic() - self._last_request >= FOLLOW_UP_QUIET_SECONDS

    def _watch(self) -> None:
        paths = watched_paths(self.project)
        before = snapshot(paths, self.output_dir)
        while not self._stop.wait(self.poll_seconds):
            after = snapshot(paths, self.output_dir)
            diff = changed(before, after)
            if not diff:
                if self._follow_up_due():
                    deferred = self._deferred
                    self.rebuild(f"{', '.join(deferred)} read{'s' if len(deferred) == 1 else ''} the saved chapter")
                    before = after  # a save while it built is seen at the next look
                continue
            time.sleep(0.05)  # an editor's save may be a write then a rename: let it land
            after = snapshot(paths, self.output_dir)
            names = ", ".join(Path(p).relative_to(self.root).as_posix() if Path(p).is_relative_to(self.root) else p
                              for p in changed(before, after)[:3])
            saved = frozenset(rel for p in changed(before, after) if (rel := self._chapter_rel(Path(p))))
            self.rebuild(f"{names} changed", saved=saved)
            try:
                self.project = load_project(self.root)  # chapters may have been added to _quarto.yml
                paths = watched_paths(self.project)
            except DhrError:
                pass  # the build reported it; keep watching the same files
            # Files newly watched as they are now, the others as they were before the build: a save while it
            # built is seen at the next look.
            current = snapshot(paths, self.output_dir)
            before = {**current, **{k: v for k, v in after.items() if k in current}}

    def _chapter_rel(self, path: Path) -> str | None:
        """The project-relative path of a chapter source (None for data, configuration, images…)."""
        chapters = {ref.path.resolve(): ref.rel for ref in self.project.chapters}
        return chapters.get(path.resolve())

    # ---- lifecycle ------------------------------------------------------------------------------

    def start(self, *, build: bool = True, show_progress: bool = False) -> str:
        serve_thread = threading.Thread(target=self._httpd.serve_forever, name="dhr-preview-http", daemon=True)
        serve_thread.start()
        self._threads.append(serve_thread)
        if build:
            self.rebuild("first build", show_progress=show_progress)
        watch_thread = threading.Thread(target=self._watch, name="dhr-preview-watch", daemon=True)
        watch_thread.start()
        self._threads.append(watch_thread)
        return self.url

    def stop(self) -> None:
        from ..tools.pandoc import keep_answers

        keep_answers(None)
        self._stop.set()
        with self._changed:
            self._changed.notify_all()
        self._httpd.shutdown()
        self._httpd.server_close()
        for thread in self._threads:
            thread.join(timeout=30)
        self.kernels.shutdown()

    def wait_idle(self, timeout: float, *, follow_up: bool = True) -> bool:
        """Wait until no build runs (with ``follow_up``: nor is one due for deferred chapters); False on timeout."""
        with self._changed:
            return self._changed.wait_for(
                lambda: (self._busy == 0 and not (follow_up and self._deferred)) or self._stop.is_set(), timeout=timeout)

    def wait_for_change(self, version: int, timeout: float) -> BuildState:
        with self._changed:
            self._changed.wait_for(lambda: self.state.version != version or self._stop.is_set(), timeout=timeout)
            return self.state

    def _say(self, message: str) -> None:
        print(f"dhr preview: {message}", file=self.log, flush=True)


def _findings_by_page(result) -> dict[str, list]:
    """Each QA finding on the HTML page of the chapter it concerns; the rest (data files) on the first page."""
    from ..render.html import page_filename

    pages: dict[str, str] = {}
    if result.book is not None:
        for index, chapter in enumerate(result.book.chapters):
            pages[chapter.rel] = page_filename(index, chapter.slug)
    by_page: dict[str, list] = {}
    for finding in result.qa_findings:
        by_page.setdefault(pages.get(finding.file, "index.html"), []).append(finding)
    return by_page


def _handler(server: PreviewServer):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 — the http.server API
            url = urlparse(self.path)
            if url.path != "/__dhr__/wait":
                server._last_request = time.monotonic()
            if url.path == "/__dhr__/wait":
                version = int((parse_qs(url.query).get("version") or ["-1"])[0] or -1)
                state = server.wait_for_change(version, WAIT_SECONDS)
                body = json.dumps({"version": state.version, "building": state.building, "ok": state.error is None})
                return self._send(200, "application/json", body.encode())
            if url.path == "/__dhr__/preview.js":
                return self._send(200, "text/javascript; charset=utf-8", OVERLAY_SCRIPT.encode())
            if url.path == "/__dhr__/preview.css":
                return self._send(200, "text/css; charset=utf-8", OVERLAY_STYLE.encode())
            self._serve_output(unquote(url.path))

        def _serve_output(self, path: str) -> None:
            state = server.state
            rel = path.lstrip("/") or "index.html"
            if rel.endswith("/"):
                rel += "index.html"
            out = server.output_dir.resolve()
            target = (out / rel).resolve()
            if not target.is_relative_to(out):
                return self._send(404, "text/plain", b"not found")
            if not target.is_file() and state.built_once and server.state.building:
                server.wait_idle(60, follow_up=False)  # the output folder is being swapped: serve the new one
                state = server.state
            if not target.is_file():
                if not state.built_once:
                    panel = error_panel(state.error) if state.error else \
                        '<p class="dhr-preview">Building the preview…</p>'
                    page = standalone_page("dhr preview", panel, version=state.version)
                    return self._send(200, "text/html; charset=utf-8", page.encode())
                return self._send(404, "text/plain", b"not found")
            data = target.read_bytes()
            if target.suffix == ".html":
                panels = (error_panel(state.error) if state.error else "") + \
                    findings_panel(state.findings_by_page.get(target.relative_to(out).as_posix(), []))
                page = inject(data.decode("utf-8", errors="replace"), version=state.version, panels=panels)
                return self._send(200, "text/html; charset=utf-8", page.encode())
            import mimetypes

            kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            self._send(200, kind, data)

        def _send(self, status: int, kind: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Security-Policy", SECURITY_POLICY)
            self.end_headers()
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, *args) -> None:  # the preview prints one line per build, not per request
            pass

    return Handler


def serve(root: Path | str, *, port: int, open_browser: bool, names_file: Path | str | None = None) -> int:
    """Run the preview until Ctrl-C."""
    server = PreviewServer(root, port=port, names_file=names_file)
    print(f"dhr preview: serving {server.url} (Ctrl-C to stop); first build…", file=sys.stderr, flush=True)
    url = server.start(show_progress=True)
    if open_browser:
        import webbrowser

        webbrowser.open(url)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0
