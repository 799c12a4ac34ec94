"""One check family run in a forked child process while the parent runs the others (two cores, twice the
work done), with the same answer as running it in line.

Only where forking is safe and cheap: a POSIX ``fork`` from a process with a single thread (a forked
copy of a threaded process can deadlock on a lock another thread held). Anywhere else — and whenever the
child fails in any way — the family simply runs in the parent, so errors are raised there as usual.
"""
from __future__ import annotations

import os
import pickle
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")
A = TypeVar("A")

MIN_WORK_ENV = "DHR_CHECK_FORK_CHARS"  # below this much text (characters) a fork is not worth it
MIN_WORK_CHARS = 200_000


class Aside(Generic[T]):
    """``func(arg)`` started aside; :meth:`result` gives its value (computed in line when it could not be)."""

    def __init__(self, func: Callable[[A], T], arg: A, *, work: int = MIN_WORK_CHARS):
        self.func, self.arg = func, arg
        self.pid: int | None = None
        self.reader: int | None = None
        threshold = int(os.environ.get(MIN_WORK_ENV, MIN_WORK_CHARS))
        if work >= threshold and hasattr(os, "fork") and threading.active_count() == 1:
            self._start()

    def _start(self) -> None:
        reader, writer = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(reader)
            os.close(writer)
            return
        if pid == 0:  # the child: compute, send, leave without running the parent's clean-up
            status = 1
            try:
                os.close(reader)
                data = pickle.dumps(self.func(self.arg), protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(writer, "wb") as out:
                    out.write(data)
                status = 0
            finally:
                os._exit(status)
        os.close(writer)
        self.pid, self.reader = pid, reader

    def result(self) -> T:
        if self.pid is None or self.reader is None:
            return self.func(self.arg)
        with os.fdopen(self.reader, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(self.pid, 0)
        self.pid = self.reader = None
        if status == 0 and data:
            try:
                return pickle.loads(data)
            except Exception:  # noqa: BLE001 — computed in line below
                pass
        return self.func(self.arg)  # the child failed: the parent raises (or answers) itself
