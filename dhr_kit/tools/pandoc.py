"""pandoc, from the ``pypandoc_binary`` wheel: one call function, a version check, readable errors."""
from __future__ import annotations

import functools
import hashlib
import re
import subprocess
import threading
from collections.abc import Sequence
from pathlib import Path

from ..errors import ToolError

MINIMUM_VERSION = (3, 1, 12)
_INSTALL_FIX = "install it with `pip install 'pypandoc_binary>=1.13'` (it ships pandoc)"


@functools.lru_cache(maxsize=1)
def pandoc_path() -> str:
    """The pandoc executable shipped with pypandoc_binary, checked to be recent enough."""
    try:
        import pypandoc
    except ImportError as exc:
        raise ToolError("pandoc", "the pypandoc_binary package is not installed", _INSTALL_FIX) from exc
    try:
        path = pypandoc.get_pandoc_path()
    except OSError as exc:
        raise ToolError("pandoc", f"pandoc was not found ({exc})", _INSTALL_FIX) from exc
    version = _version_of(path)
    if version < MINIMUM_VERSION:
        wanted = ".".join(map(str, MINIMUM_VERSION))
        raise ToolError("pandoc", f"pandoc {'.'.join(map(str, version))} is too old (need {wanted} or later)",
                        "upgrade with `pip install -U pypandoc_binary`")
    return path


def _version_of(path: str) -> tuple[int, ...]:
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        raise ToolError("pandoc", f"pandoc at {path} does not run ({exc})", _INSTALL_FIX) from exc
    match = re.search(r"pandoc\S*\s+(\d+(?:\.\d+)*)", out)
    if not match:
        raise ToolError("pandoc", f"cannot read pandoc's version from {out[:80]!r}", _INSTALL_FIX)
    return tuple(int(part) for part in match.group(1).split("."))


def pandoc_version() -> tuple[int, ...]:
    return _version_of(pandoc_path())


class PandocMemo:
    """Pandoc's answers kept in memory for a long-running process (the preview): a conversion that was run
    before with the same input, arguments and argument files (filter, bibliography, CSL) is not run again.
    Only conversions to standard output are kept; least recently used answers go first."""

    def __init__(self, max_bytes: int = 256 << 20):
        from collections import OrderedDict

        self.max_bytes = max_bytes
        self.size = 0
        self.hits = 0
        self.entries: OrderedDict[str, str] = OrderedDict()
        self.lock = threading.Lock()

    @staticmethod
    def key(data: bytes, args: Sequence[str], cwd: Path | None) -> str | None:
        if any(a in _WRITES_FILES or a.startswith(tuple(f"{w}=" for w in _WRITES_FILES)) for a in args):
            return None
        digest = hashlib.sha256(data)
        digest.update(repr((list(args), str(cwd))).encode())
        for arg in args:
            candidate = Path(arg.split("=", 1)[1] if arg.startswith("--") and "=" in arg else arg)
            if not candidate.is_absolute() and cwd is not None:
                candidate = cwd / candidate
            try:
                if candidate.is_file():
                    digest.update(candidate.read_bytes())
            except OSError:
                return None
        return digest.hexdigest()

    def get(self, key: str) -> str | None:
        with self.lock:
            value = self.entries.get(key)
            if value is not None:
                self.entries.move_to_end(key)
                self.hits += 1
            return value

    def put(self, key: str, value: str) -> None:
        with self.lock:
            if key in self.entries:
                return
            self.entries[key] = value
            self.size += len(value)
            while self.size > self.max_bytes and self.entries:
                _, old = self.entries.popitem(last=False)
                self.size -= len(old)


_WRITES_FILES = ("-o", "--output", "--extract-media")
_memo: PandocMemo | None = None


def keep_answers(memo: PandocMemo | None) -> None:
    """Turn the in-memory memo on (a PandocMemo) or off (None) for this process."""
    global _memo
    _memo = memo


def run_pandoc(source: str | bytes, args: Sequence[str | Path], *, cwd: Path | None = None) -> str:
    """Run pandoc on ``source`` (standard input) with ``args``; return standard output as text.

    Raises :class:`ToolError` carrying pandoc's own message when pandoc fails. Pandoc's warnings are
    ignored here; callers that care pass ``--fail-if-warnings``.
    """
    command = [pandoc_path(), *map(str, args)]
    data = source.encode("utf-8") if isinstance(source, str) else source
    memo = _memo
    key = memo.key(data, command[1:], cwd) if memo is not None else None
    if key is not None and (kept := memo.get(key)) is not None:
        return kept
    try:
        done = subprocess.run(command, input=data, capture_output=True, cwd=cwd, check=False)
    except OSError as exc:
        raise ToolError("pandoc", f"cannot run pandoc ({exc})", _INSTALL_FIX) from exc
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip() or f"exit code {done.returncode}"
        raise ToolError("pandoc", f"conversion failed: {message}",
                        "check the chapter Markdown near the place named above")
    text = done.stdout.decode("utf-8")
    if key is not None:
        memo.put(key, text)
    return text
