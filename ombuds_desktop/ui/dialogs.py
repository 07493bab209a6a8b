"""Small dialogs: errors in plain words, passphrases, the recovery code."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QTextDocument
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

#: Exceptions whose message is written for users (no traceback, no jargon).
USER_ERRORS: tuple[type[BaseException], ...] = (OSError, ValueError, LookupError)


def user_message(exc: BaseException) -> str:
    try:
        from ombuds_desktop.vault import VaultError

        user_types: tuple[type[BaseException], ...] = (*USER_ERRORS, VaultError)
    except ImportError:  # pragma: no cover - vault always present in the app
        user_types = USER_ERRORS
    if isinstance(exc, user_types) and str(exc):
        return str(exc)
    return (
        f"An unexpected problem occurred ({type(exc).__name__}). Your saved work is not "
        "affected. Please tell your support contact what you were doing when it happened."
    )


def show_error(parent: QWidget | None, title: str, exc: BaseException | str) -> None:
    text = exc if isinstance(exc, str) else user_message(exc)
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.exec()


def confirm(
    parent: QWidget | None, title: str, text: str, yes: str = "Continue", no: str = "Cancel"
) -> bool:
    box = QMessageBox(
        QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent
    )
    box.setTextFormat(Qt.TextFormat.PlainText)
    yes_button = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(no, QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return box.clickedButton() is yes_button


class PassphraseDialog(QDialog):
    """Ask for a passphrase; with ``confirm=True`` ask twice and require 12+ characters."""

    MIN_LENGTH = 12

    def __init__(
        self, parent: QWidget | None, title: str, text: str, confirm: bool = False
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        intro = QLabel(text)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.first = QLineEdit()
        self.first.setEchoMode(QLineEdit.EchoMode.Password)
        self.first.setAccessibleName("Passphrase")
        form.addRow("Passphrase:", self.first)
        self.second: QLineEdit | None = None
        if confirm:
            self.second = QLineEdit()
            self.second.setEchoMode(QLineEdit.EchoMode.Password)
            self.second.setAccessibleName("Repeat the passphrase")
            form.addRow("Repeat it:", self.second)
        layout.addLayout(form)
        self.problem = QLabel()
        self.problem.setObjectName("problems")
        self.problem.setWordWrap(True)
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _check(self) -> None:
        text = self.first.text()
        if self.second is not None:
            if len(text) < self.MIN_LENGTH:
                self.problem.setText(
                    f"Use at least {self.MIN_LENGTH} characters; a few unrelated words work well."
                )
                return
            if text != self.second.text():
                self.problem.setText("The two passphrases are different; type them again.")
                return
        elif not text:
            self.problem.setText("Type the passphrase.")
            return
        self.accept()

    def passphrase(self) -> str:
        return self.first.text()


def ask_passphrase(
    parent: QWidget | None, title: str, text: str, confirm: bool = False
) -> str | None:
    dialog = PassphraseDialog(parent, title, text, confirm)
    return dialog.passphrase() if dialog.exec() == QDialog.DialogCode.Accepted else None


class RecoveryCodeDialog(QDialog):
    """Shows the recovery code once, with Print and Save buttons."""

    def __init__(self, parent: QWidget | None, code: str) -> None:
        super().__init__(parent)
        self.code = code
        self.setWindowTitle("Your recovery code")
        layout = QVBoxLayout(self)
        text = QLabel(
            "This recovery code unlocks your drafts on a new computer, or if the key in this "
            "computer's keyring is lost. It is shown only now. Print it or save it somewhere "
            "safe (a locked drawer, your firm's password manager) — not on this computer."
        )
        text.setWordWrap(True)
        layout.addWidget(text)
        shown = QLabel(code)
        font = QFont("Monospace")
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSize(14)
        shown.setFont(font)
        shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        shown.setAccessibleName("Recovery code")
        shown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(shown)
        print_button = QPushButton("Print…")
        print_button.clicked.connect(self.print_code)
        save_button = QPushButton("Save to a file…")
        save_button.clicked.connect(self.save_code)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("I have kept it safe")
        buttons.addButton(print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)

    def _document(self) -> QTextDocument:
        doc = QTextDocument()
        doc.setPlainText(
            "Ombuds Desktop recovery code\n\n"
            + self.code
            + "\n\nKeep this page safe. It unlocks your encrypted drafts with "
            "`ombuds-desktop vault recover` or the Recover button."
        )
        return doc

    def print_code(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageLayout(
            QPageLayout(
                QPageSize(QPageSize.PageSizeId.Letter),
                QPageLayout.Orientation.Portrait,
                printer.pageLayout().margins(),
            )
        )
        if QPrintDialog(printer, self).exec() == QDialog.DialogCode.Accepted:
            self._document().print_(printer)

    def save_code(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Save the recovery code", "ombuds-recovery-code.txt", "Text (*.txt)"
        )
        if path:
            try:
                Path(path).write_text(self._document().toPlainText() + "\n", encoding="utf-8")
            except OSError as exc:
                show_error(self, "Could not save", exc)
