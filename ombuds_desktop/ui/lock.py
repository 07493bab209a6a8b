"""The lock screen: shown after idle time or on request; hides every client detail.

While locked the vault is closed and its key forgotten; unlocking opens it
again with the passphrase, or with the OS keyring after the user confirms.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QWindow
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from ombuds_desktop.ui.dialogs import show_error

if TYPE_CHECKING:
    from ombuds_desktop.ui.app import AppState


class LockScreen(QWidget):
    on_screen = Signal()
    """The window manager has put the lock screen on screen (exposed), once."""
    #: After unlocking, how long the lock screen waits for the drafts window to be on screen.
    WAIT_FOR_DRAFTS_MS = 10_000

    def __init__(self, state: AppState) -> None:
        super().__init__()
        self.state = state
        self._announced = False
        self._leaving: QWindow | None = None  # the drafts window's, after unlocking
        self.setWindowTitle("Ombuds Desktop — locked")
        self.setObjectName("lock")
        self.resize(520, 320)
        layout = QVBoxLayout(self)
        layout.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title = QLabel("Ombuds Desktop is locked")
        title.setObjectName("lockTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(title)
        text = QLabel("Your drafts were saved and closed. Unlock to continue.")
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text.setWordWrap(True)
        layout.addWidget(text)
        self.passphrase: QLineEdit | None = None
        if state.passphrase_protected:
            self.passphrase = QLineEdit()
            self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
            self.passphrase.setPlaceholderText("Passphrase")
            self.passphrase.setAccessibleName("Passphrase")
            self.passphrase.returnPressed.connect(self.unlock)
            layout.addWidget(self.passphrase)
        self.button = QPushButton("Unlock")
        self.button.setDefault(True)
        self.button.clicked.connect(self.unlock)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignCenter)
        self.problem = QLabel()
        self.problem.setObjectName("problems")
        self.problem.setProperty("severity", "error")
        self.problem.setWordWrap(True)
        layout.addWidget(self.problem)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        """Watch the native window for its expose event: shown is not yet on screen (a
        window manager maps a new window when it gets to it, seconds later when busy)."""
        super().showEvent(event)
        handle = self.windowHandle()
        if handle is not None and not self._announced:
            handle.removeEventFilter(self)
            handle.installEventFilter(self)
            if handle.isExposed():
                self._announce()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Expose:
            if watched is self.windowHandle() and self.windowHandle().isExposed():
                self._announce()
            elif watched is self._leaving and self._leaving.isExposed():
                self._leaving.removeEventFilter(self)
                self._leaving = None
                if not self.state.locked:  # locked again meanwhile: this screen stays
                    self.close()
        return super().eventFilter(watched, event)

    def _announce(self) -> None:
        if self._announced:
            return
        self._announced = True
        handle = self.windowHandle()
        if handle is not None:
            handle.removeEventFilter(self)
        self.on_screen.emit()

    def unlock(self) -> bool:
        from ombuds_desktop.ui.app import describe_for_list
        from ombuds_desktop.vault import Vault, VaultError, WrongPassphraseError

        if not self.state.locked:  # unlocked already; this screen waits for the drafts window
            return True
        passphrase = self.passphrase.text() if self.passphrase is not None else None
        try:
            self.state.vault = Vault.open(
                self.state.data_dir, passphrase=passphrase, describe=describe_for_list
            )
        except WrongPassphraseError:
            self.problem.setText("That passphrase does not open the vault. Try again.")
            if self.passphrase is not None:
                self.passphrase.selectAll()
            return False
        except VaultError as exc:
            show_error(self, "Could not unlock", exc)
            return False
        finally:
            if self.passphrase is not None:
                self.passphrase.clear()
        self.state.unlocked()
        # Go once the drafts window is back on screen, not before: a busy window manager
        # maps it seconds later, and until then this is the app's only window.
        self.button.setEnabled(False)
        if self.passphrase is not None:
            self.passphrase.setEnabled(False)
        home = self.state.home
        handle = home.windowHandle() if home is not None else None
        if home is None or handle is None or not home.isVisible() or handle.isExposed():
            self.close()
        else:
            self._leaving = handle
            handle.installEventFilter(self)
            # A drafts window that never comes on screen (minimized, another desktop) must
            # not keep a dead lock screen up: it goes after a while all the same.
            QTimer.singleShot(self.WAIT_FOR_DRAFTS_MS, self, self._stop_waiting)
        return True

    def _stop_waiting(self) -> None:
        if self._leaving is not None and not self.state.locked:
            self._leaving.removeEventFilter(self)
            self._leaving = None
            self.close()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        """Closing the lock screen without unlocking quits: every draft is already saved
        and the vault closed, and a process with no window left could not be reached."""
        super().closeEvent(event)
        if self.state.locked:
            QApplication.quit()
