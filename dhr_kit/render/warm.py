"""Kernels kept warm between renders, for a long-running caller (the preview): a save re-executes a
chapter in a kernel that has already imported pandas, matplotlib and dhr-kit, instead of starting one.
Each chapter still starts from a reset kernel (execute._SETUP_CELL's reset), exactly as when the renderer
reuses a kernel for the next chapter of the same build."""
from __future__ import annotations

import threading
from pathlib import Path

from .execute import KernelSession


class _Lent:
    """A pooled session lent to one render worker; ``close()`` gives it back (its kernel keeps running)."""

    def __init__(self, pool: WarmKernels, session: KernelSession):
        self._pool, self._session = pool, session
        self._started_before = session.kernels_started
        self._started = 0

    def execute(self, *args, **kwargs):
        return self._session.execute(*args, **kwargs)

    @property
    def kernels_started(self) -> int:
        """Kernels this loan started (0 when the pooled kernel was already running)."""
        if self._session is None:
            return self._started
        return self._session.kernels_started - self._started_before

    def close(self) -> None:
        if self._session is not None:
            self._started = self.kernels_started
            self._pool._give_back(self._session)
            self._session = None


class WarmKernels:
    """A pool of kernel sessions for one project; ``shutdown()`` ends every kernel."""

    def __init__(self, root: Path):
        self.root = Path(root).resolve()
        self._free: list[KernelSession] = []
        self._all: list[KernelSession] = []
        self._lock = threading.Lock()

    def lend(self, names_file: Path | None = None) -> _Lent:
        """A session whose kernel was started with ``names_file`` (the private names list it may read)."""
        with self._lock:
            same = [s for s in self._free if s.names_file == names_file]
            if same:
                session = same[-1]
                self._free.remove(session)
            else:
                session = KernelSession(self.root, names_file=names_file)
                self._all.append(session)
        return _Lent(self, session)

    def _give_back(self, session: KernelSession) -> None:
        with self._lock:
            self._free.append(session)

    def shutdown(self) -> None:
        with self._lock:
            sessions, self._all, self._free = self._all, [], []
        for session in sessions:
            session.close()
