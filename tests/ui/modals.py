"""Answer the app's modal message boxes with real clicks, as a user would.

Modal dialogs run their own event loop, so a test cannot click them from the
next line of code; :class:`ModalDriver` watches on a timer for the active modal
message box, records its text and clicks the button the script names for it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QMessageBox, QWidget


class ModalDriver:
    """Clicks ``answers[i]`` (a button text; "" = the default/OK) in the i-th message box.

    Boxes beyond the script get the first button named in ``prefer``, else their default
    button (or Escape), so a test never hangs; every box's title and text is kept in
    :attr:`seen`.
    """

    def __init__(self, answers: list[str] | None = None, prefer: list[str] | None = None) -> None:
        self.answers = list(answers or [])
        self.prefer = list(prefer or [])
        self.seen: list[tuple[str, str]] = []
        self.warnings: list[tuple[str, str]] = []  # boxes with a warning or critical icon
        self.hooks: list[Callable[[QWidget], bool]] = []
        self._timer = QTimer()
        self._timer.setInterval(30)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def texts(self) -> str:
        return "\n".join(f"{t}: {x}" for t, x in self.seen)

    def _tick(self) -> None:
        widget = QApplication.activeModalWidget()
        if widget is None:
            return
        for hook in self.hooks:
            if hook(widget):
                return
        if not isinstance(widget, QMessageBox) or not widget.isVisible():
            return
        self.seen.append((widget.windowTitle(), widget.text()))
        if widget.icon() in (QMessageBox.Icon.Warning, QMessageBox.Icon.Critical):
            self.warnings.append(self.seen[-1])
        wanted = self.answers.pop(0) if self.answers else ""
        button: QAbstractButton | None = None
        if wanted:
            button = next(
                (b for b in widget.buttons() if b.text().replace("&", "") == wanted), None
            )
            if button is None:
                raise AssertionError(
                    f"no button {wanted!r} in {widget.text()!r}: "
                    + ", ".join(b.text() for b in widget.buttons())
                )
        else:
            texts = {b.text().replace("&", ""): b for b in widget.buttons()}
            button = next((texts[t] for t in self.prefer if t in texts), None)
            button = button or widget.defaultButton() or widget.escapeButton()
        if button is not None:
            QTest.mouseClick(button, Qt.MouseButton.LeftButton)
        else:
            QTest.keyClick(widget, Qt.Key.Key_Escape)
