"""Packet builds and exports for a vault draft, run off the UI thread.

The packet code reads attachments through ``read_bytes``, straight from the
vault into memory: decrypted evidence never touches the disk.  Files are
written only where the user chooses, with neutral names (no client data).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget

from ombuds_desktop.draft.model import Attachment, Draft
from ombuds_desktop.formdef.model import FormDefinition
from ombuds_desktop.ui.dialogs import confirm, show_error
from ombuds_desktop.ui.operations import Operation


def vault_reader(vault: Any) -> Callable[[Attachment], bytes]:
    from ombuds_desktop.vault import blob_id_of

    def read(att: Attachment) -> bytes:
        blob = blob_id_of(att)
        if blob is None:
            raise FileNotFoundError(
                f"{att.description or 'a document'} is not stored in the vault; attach it again"
            )
        return vault.read_attachment(blob)

    return read


def packet_options(draft: Draft, settings: Any = None, **changes: Any) -> Any:
    from ombuds_desktop.packet import MB, PacketOptions

    options = PacketOptions.from_draft(draft.options)
    if settings is not None:
        options = options.with_(
            label_style=settings.label_style, email_budget=int(settings.email_budget_mb * MB)
        )
    return options.with_(**changes) if changes else options


def neutral_name(draft: Draft, what: str, suffix: str) -> str:
    """``7001-packet-1a2b3c4d.pdf``: identifies the draft without naming the client."""
    from ombuds_desktop.packet.values import short_id

    return f"7001-{what}-{short_id(draft)}{suffix}"


class PacketBuilder:
    """Builds a packet for a draft window, asking the user about anything that stops it."""

    def __init__(
        self,
        parent: QWidget,
        vault: Any,
        draft: Draft,
        definition: FormDefinition,
        settings: Any = None,
    ) -> None:
        self.parent, self.vault, self.draft = parent, vault, draft
        self.definition, self.settings = definition, settings
        self.skip: set[str] = set()
        self.passwords: dict[str, str] = {}
        self.allow_draft = False

    def options(self) -> Any:
        return packet_options(
            self.draft,
            self.settings,
            allow_draft=self.allow_draft,
            skip=frozenset(self.skip),
            passwords=dict(self.passwords),
        )

    def build(self, on_done: Callable[[Any], None]) -> Operation:
        from ombuds_desktop.packet import build_packet

        draft, definition, options = self.draft.copy(), self.definition, self.options()
        reader = vault_reader(self.vault)

        def work(progress, token):
            return build_packet(
                draft, None, definition, options, progress=progress, cancel=token, read_bytes=reader
            )

        def done(result) -> None:
            self.vault.record_event("export", self.draft.id)
            on_done(result)

        return (
            Operation(self.parent, work)
            .success(done)
            .failure(lambda exc: self._failed(exc, on_done))
            .run("Building the packet…")
        )

    def _failed(self, exc: BaseException, on_done: Callable[[Any], None]) -> None:
        from ombuds_desktop.packet import EvidenceProblems, NotReadyError

        if isinstance(exc, NotReadyError):
            if confirm(
                self.parent,
                "Not ready to file",
                f"{len(exc.findings)} error(s) remain, so a final packet cannot be "
                "built yet. Build a draft copy, marked “DRAFT - NOT READY TO FILE” on "
                "every page?",
                yes="Build a draft copy",
                no="Cancel",
            ):
                self.allow_draft = True
                self.build(on_done)
            return
        if isinstance(exc, EvidenceProblems):
            if self._resolve(exc):
                self.build(on_done)
            return
        show_error(self.parent, "The packet could not be built", exc)

    def _resolve(self, exc: Any) -> bool:
        """Ask for PDF passwords, or whether to go on without each unusable file."""
        for problem in exc.problems:
            if problem.kind == "password" and problem.attachment_id:
                password, ok = QInputDialog.getText(
                    self.parent,
                    "Password-protected PDF",
                    f"{problem}\n\nType its password to include it, or Cancel to decide "
                    "whether to leave it out.",
                    QLineEdit.EchoMode.Password,
                )
                if ok and password:
                    self.passwords[problem.attachment_id] = password
                    continue
            answer = QMessageBox.question(
                self.parent,
                "A document cannot be used",
                f"{problem}\n\nBuild the packet without this document? (Nothing is dropped "
                "unless you say so.)",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes or not problem.attachment_id:
                return False
            self.skip.add(problem.attachment_id)
        return True


def save_bytes(parent: QWidget, data: bytes, path: str | Path) -> bool:
    try:
        Path(path).write_bytes(data)
    except OSError as exc:
        show_error(parent, "Could not save the file", exc)
        return False
    return True
