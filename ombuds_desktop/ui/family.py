"""A family group: its drafts side by side, and the e-mail that links their requests."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ombuds_desktop.draft import facts
from ombuds_desktop.ui.dialogs import show_error

if TYPE_CHECKING:
    from ombuds_desktop.ui.app import AppState

ROWS = ("Client", "Forms and receipt numbers", "Status", "Submitted", "CIS Ombudsman request no.")


class FamilyDialog(QDialog):
    def __init__(self, parent: QWidget | None, state: AppState, group_id: str) -> None:
        super().__init__(parent)
        self.state = state
        self.setWindowTitle("Family group")
        self.resize(900, 360)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Each family member needs their own DHS Form 7001. After every request "
            "has a CIS Ombudsman request number, send the office one e-mail listing "
            "them all so it can link the cases. Do not list family members' receipt "
            "numbers on each other's forms."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        vault = state.unlocked_vault()
        self.drafts = [vault.load_draft(s.id) for s in vault.family(group_id)]
        self.table = QTableWidget(len(ROWS), len(self.drafts))
        self.table.setVerticalHeaderLabels(list(ROWS))
        self.table.setHorizontalHeaderLabels([f"Member {i + 1}" for i in range(len(self.drafts))])
        self.table.setAccessibleName("The family's drafts, one column each")
        for col, d in enumerate(self.drafts):
            sub = d.submission
            cells = (
                facts.client_name(d) or "(no name yet)",
                facts.forms_and_receipts(d),
                d.status.capitalize(),
                (sub.date if sub else "not yet"),
                (sub.request_number if sub and sub.request_number else "—"),
            )
            for row, text in enumerate(cells):
                self.table.setItem(row, col, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.email_button = QPushButton("Create the linking e-mail…")
        buttons.addButton(self.email_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.email_button.clicked.connect(self.create_email)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def create_email(self, path: str | None = None) -> list[str] | None:
        from ombuds_desktop.packet.exports import export_family_eml

        if not path:
            default = Path(self.state.output_folder()) / "7001-family-link.eml"
            path, _ = QFileDialog.getSaveFileName(
                self, "Save the e-mail draft", str(default), "E-mail draft (*.eml)"
            )
        if not path:
            return None
        try:
            notes = export_family_eml(self.drafts, Path(path))
        except Exception as exc:
            show_error(self, "Could not create the e-mail", exc)
            return None
        for d in self.drafts:
            self.state.unlocked_vault().record_event("export", d.id)
        if notes:
            QMessageBox.information(self, "Before you send it", "\n".join(notes))
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        return notes
