"""Progress and cancellation for long operations (packet builds, big encryptions).

Core code reports through ``progress(done, total, message)`` and checks a
:class:`CancelToken` between steps; the GUI runs it on a worker thread and
cancels from the UI thread; the CLI passes nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

ProgressFn = Callable[[int, int, str], None]


class Cancelled(Exception):
    """The user cancelled; nothing was written."""


class CancelToken:
    """Set from the UI thread, checked by the worker between steps (thread-safe)."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        if self._event.is_set():
            raise Cancelled("cancelled")
