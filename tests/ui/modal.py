"""Answer a modal message box the way a user does: read it, click a button with the mouse."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox


def answer(qtbot, match: str, button_text: str, seen: list[str]) -> None:
    """When a message box whose object name or title is ``match`` is shown, append its
    text to ``seen`` and click the button labelled ``button_text``."""

    def poll() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and match in (box.objectName(), box.windowTitle()):
            seen.append(box.text())
            button = next(b for b in box.buttons() if b.text().replace("&", "") == button_text)
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
            return
        QTimer.singleShot(30, poll)

    QTimer.singleShot(30, poll)
