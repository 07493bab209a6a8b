"""Run slow work (packet builds, encrypting big files) off the UI thread.

Modelled on Anki's background operations: a pure function runs on a worker
thread with a progress callback and a cancellation token; success and
failure callbacks run on the UI thread.  The function must not touch any
widget: it receives plain data and returns plain data.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QPushButton, QWidget

from ombuds_desktop.tasks import Cancelled, CancelToken

Progress = Callable[..., None]

__all__ = ["Cancelled", "CancelToken", "Operation", "Progress", "adapt_progress"]


def _megabytes(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB"


def adapt_progress(
    emit: Callable[[int, int, str], None], token: CancelToken, label: str = ""
) -> Callable[..., None]:
    """One progress callback for every shape the core uses, feeding the dialog's ``(done,
    total, message)`` signal.

    The packet builder reports ``progress(done, total, message)`` and checks the token
    itself.  The vault reports ``progress(bytes_done)`` for the file it is encrypting or
    decrypting (the count restarts with each file) and cancels when the callback raises,
    so a one-number call also checks the token.  Anything else is shown as busy: a
    progress report must never be what makes an import or export fail.
    """
    last = 0
    before = 0  # bytes of the files finished earlier

    def progress(*args: Any, **kwargs: Any) -> None:
        nonlocal last, before
        values = list(args) + [kwargs[k] for k in ("done", "total", "message") if k in kwargs]
        numbers = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
        message = next((v for v in values if isinstance(v, str)), "")
        if len(numbers) >= 2:
            emit(int(numbers[0]), int(numbers[1]), message)
            return
        token.check()  # the vault's callbacks may raise to cancel
        if len(numbers) == 1:
            current = int(numbers[0])
            if current < last:
                before += last
            last = current
            done = _megabytes(before + current)
            emit(0, 0, message or (f"{label}\n{done} done" if label else f"{done} done"))
        else:
            emit(0, 0, message)

    return progress


class _Signals(QObject):
    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(object)
    stopped = Signal()


class _Runner(QRunnable):
    def __init__(
        self,
        fn: Callable[[Progress, CancelToken], Any],
        token: CancelToken,
        signals: _Signals,
        label: str = "",
        done: threading.Event | None = None,
    ) -> None:
        super().__init__()
        self.fn, self.token, self.signals, self.label = fn, token, signals, label
        self.done = done or threading.Event()
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self.fn(
                adapt_progress(self.signals.progress.emit, self.token, self.label), self.token
            )
        except Exception as exc:  # delivered to the UI thread, never raised in a worker
            exc.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
            self.signals.failed.emit(exc)
        except BaseException:
            # SystemExit, KeyboardInterrupt: not a failure of the job, so no error dialog; the
            # operation ends as if cancelled.  Not re-raised: nothing above a worker thread can
            # act on it, and PySide 6.12 crashes when it leaves QRunnable.run (measured).
            self.signals.stopped.emit()
        else:
            self.signals.finished.emit(result)
        finally:
            self.done.set()


class Operation(QObject):
    """``Operation(parent, fn).success(cb).failure(cb).run(label)``.

    ``fn(progress, token)`` runs on a worker thread.  With a ``label`` a
    modal, cancellable progress dialog is shown; the window stays responsive.
    """

    _running: set[Operation] = set()

    def __init__(self, parent: QWidget | None, fn: Callable[[Progress, CancelToken], Any]) -> None:
        super().__init__(parent)
        self._parent = parent
        self._fn = fn
        self._on_success: Callable[[Any], object] = lambda _r: None
        self._on_failure: Callable[[Exception], object] | None = None
        self._on_cancel: Callable[[], None] = lambda: None
        self.token = CancelToken()
        self.worker_done = threading.Event()
        self.dialog: QProgressDialog | None = None
        self.signals = _Signals()

    def success(self, cb: Callable[[Any], object]) -> Operation:
        self._on_success = cb
        return self

    def failure(self, cb: Callable[[Exception], object]) -> Operation:
        self._on_failure = cb
        return self

    def cancelled(self, cb: Callable[[], None]) -> Operation:
        self._on_cancel = cb
        return self

    def run(self, label: str | None = None) -> Operation:
        if label is not None:
            self.dialog = QProgressDialog(label, "", 0, 0, self._parent)
            self.dialog.setWindowTitle("Ombuds Desktop")
            self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
            self.dialog.setAutoClose(False)
            self.dialog.setAutoReset(False)
            # Only a press on Cancel (or Esc) cancels: QProgressDialog's own ``canceled``
            # signal also fires from its internal reset when it is created.
            cancel = QPushButton("Cancel")
            cancel.clicked.connect(self.token.cancel)
            self.dialog.setCancelButton(cancel)
            self.dialog.rejected.connect(self.token.cancel)
            self.dialog.setMinimumDuration(300)
        self.signals.progress.connect(self._progress, Qt.ConnectionType.QueuedConnection)
        self.signals.finished.connect(self._finished, Qt.ConnectionType.QueuedConnection)
        self.signals.failed.connect(self._failed, Qt.ConnectionType.QueuedConnection)
        self.signals.stopped.connect(self._stopped, Qt.ConnectionType.QueuedConnection)
        Operation._running.add(self)
        # Keep a Python reference: PySide may otherwise collect the runnable before it runs.
        self._runner = _Runner(self._fn, self.token, self.signals, label or "", self.worker_done)
        QThreadPool.globalInstance().start(self._runner)
        return self

    @Slot(int, int, str)
    def _progress(self, done: int, total: int, message: str) -> None:
        dialog = self.dialog  # setValue() may process events and finish the operation
        if dialog is not None and not self.token.cancelled:
            if message:
                dialog.setLabelText(message)
            dialog.setMaximum(max(total, 0))
            dialog.setValue(min(done, total) if total else 0)

    def _close(self) -> None:
        Operation._running.discard(self)
        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None

    @Slot(object)
    def _finished(self, result: Any) -> None:
        cancelled = self.token.cancelled  # before closing the dialog, which rejects it
        self._close()
        if cancelled:
            self._on_cancel()
        else:
            self._on_success(result)

    @Slot()
    def _stopped(self) -> None:
        self._close()
        self._on_cancel()

    @Slot(object)
    def _failed(self, exc: Exception) -> None:
        cancelled = self.token.cancelled
        self._close()
        if isinstance(exc, Cancelled) or cancelled:
            self._on_cancel()
        elif self._on_failure is not None:
            self._on_failure(exc)
        else:
            from ombuds_desktop.ui.dialogs import show_error

            show_error(self._parent, "The operation failed", exc)

    @classmethod
    def stop_for(cls, widget: QWidget | None = None, timeout_s: float = 60) -> None:
        """Cancel the operations started from ``widget`` (or every one) and wait for their
        workers to stop.

        Called before a window closes or the vault locks: a worker must never go on
        writing into a vault that is being closed, nor report to a window that is gone.
        The core cleans up after a cancel (no half-imported draft, no partial file).
        """
        mine = [
            op
            for op in list(cls._running)
            if widget is None
            or op._parent is widget
            or (op._parent is not None and widget.isAncestorOf(op._parent))
        ]
        for op in mine:
            op.token.cancel()
        for op in mine:
            op.worker_done.wait(timeout_s)
            op._close()

    @classmethod
    def wait_all(cls, timeout_ms: int = 30000) -> bool:
        """Block until every worker is done (used when closing and in tests)."""
        return QThreadPool.globalInstance().waitForDone(timeout_ms)
