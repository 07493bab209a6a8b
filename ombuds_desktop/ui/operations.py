"""Run slow work (packet builds, encrypting big files) off the UI thread.

Modelled on Anki's background operations: a pure function runs on a worker
thread with a progress callback and a cancellation token; success and
failure callbacks run on the UI thread.  The function must not touch any
widget: it receives plain data and returns plain data.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QPushButton, QWidget

from ombuds_desktop.tasks import Cancelled, CancelToken

Progress = Callable[[int, int, str], None]

__all__ = ["Cancelled", "CancelToken", "Operation", "Progress"]


class _Signals(QObject):
    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(object)
    stopped = Signal()


class _Runner(QRunnable):
    def __init__(
        self, fn: Callable[[Progress, CancelToken], Any], token: CancelToken, signals: _Signals
    ) -> None:
        super().__init__()
        self.fn, self.token, self.signals = fn, token, signals
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self.fn(self.signals.progress.emit, self.token)
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
        self._runner = _Runner(self._fn, self.token, self.signals)
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
    def wait_all(cls, timeout_ms: int = 30000) -> bool:
        """Block until every worker is done (used when closing and in tests)."""
        return QThreadPool.globalInstance().waitForDone(timeout_ms)
