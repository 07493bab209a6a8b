"""Export a draft (or its whole family group) from the vault to a file.

The default is a passphrase-protected archive with the attachments.  Plain
JSON with decrypted attachment files is possible only on explicit request,
after a warning, because it leaves client data unencrypted on disk.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from ombuds_desktop.ui.dialogs import ask_passphrase, confirm, show_error
from ombuds_desktop.ui.operations import Operation

if TYPE_CHECKING:
    from ombuds_desktop.ui.app import AppState

PLAIN_WARNING = (
    "A plain export writes the draft and its documents UNENCRYPTED to the folder "
    "you choose. Anyone with access to that folder can read them. Use it only to "
    "hand the files to another program, and delete them afterwards."
)


def export_drafts(parent: QWidget, state: AppState, draft_id: str) -> Operation | None:
    vault = state.unlocked_vault()
    ids = vault.family_ids(draft_id) if vault.summary(draft_id).family_group else [draft_id]
    if len(ids) > 1:
        whole = QMessageBox.question(
            parent,
            "Export the family group?",
            f"This draft belongs to a family group of {len(ids)} drafts. Export them all?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        )
        if whole != QMessageBox.StandardButton.Yes:
            ids = [draft_id]
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Export",
        "Export as an encrypted archive (recommended), or as plain files?",
        parent=parent,
    )
    archive = box.addButton("Encrypted archive…", QMessageBox.ButtonRole.AcceptRole)
    plain = box.addButton("Plain files (unencrypted)…", QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    if box.clickedButton() is archive:
        path, _ = QFileDialog.getSaveFileName(
            parent,
            "Export archive",
            str(Path(state.output_folder()) / "drafts.ombuds"),
            "Ombuds Desktop archive (*.ombuds)",
        )
        if not path:
            return None
        passphrase = ask_passphrase(
            parent,
            "Protect the archive",
            "Choose a passphrase for this archive. The person who "
            "imports it needs the same passphrase.",
            confirm=True,
        )
        if passphrase is None:
            return None

        def work(progress, _t):
            return vault.export_archive(ids, path, passphrase, progress=progress)
    elif box.clickedButton() is plain:
        if not confirm(parent, "Export unencrypted?", PLAIN_WARNING, yes="Export unencrypted"):
            return None
        folder = QFileDialog.getExistingDirectory(
            parent, "Folder for the plain export", state.output_folder()
        )
        if not folder:
            return None

        def work(progress, _t):
            out = []
            for i, did in enumerate(ids):
                dest = Path(folder) / f"draft-{i + 1}"
                out.append(vault.materialize_draft(did, dest, progress=progress))
                vault.record_event("export", did)
            return folder
    else:
        return None
    return (
        Operation(parent, work)
        .success(lambda where: QMessageBox.information(parent, "Exported", f"Exported to {where}."))
        .failure(lambda exc: show_error(parent, "The export failed", exc))
        .run("Exporting…")
    )
