"""Packet builds and exports for a vault draft, run off the UI thread.

The packet code reads attachments through ``read_bytes``, straight from the
vault into memory: decrypted evidence never touches the disk.  Files are
written only where the user chooses, with neutral names (no client data).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget

from ombuds_desktop.draft.model import Attachment, Draft
from ombuds_desktop.formdef.model import FormDefinition
from ombuds_desktop.ui.dialogs import confirm, show_error
from ombuds_desktop.ui.operations import Operation

if TYPE_CHECKING:  # the packet and the vault load on first use
    from ombuds_desktop.packet import EvidenceProblems, PacketInputError, PacketOptions
    from ombuds_desktop.ui.app import Settings
    from ombuds_desktop.vault import Vault


def vault_reader(vault: Vault) -> Callable[[Attachment], bytes]:
    """The core's reader, shared with the CLI: a bad document is named, never a generic error."""
    from ombuds_desktop.packet.sources import vault_reader as core_reader

    return core_reader(vault)


def packet_options(
    draft: Draft, settings: Settings | None = None, vault: Vault | None = None, **changes: Any
) -> PacketOptions:
    """The draft's options with the window's settings; official forms are looked up in
    the vault's own data folder (where Vault › Import official form… keeps them)."""
    from ombuds_desktop.packet import MB, PacketOptions

    options = PacketOptions.from_draft(draft.options)
    if vault is not None:
        options = options.with_(official_dir=str(vault.data_dir))
    if settings is not None:
        options = options.with_(
            label_style=settings.label_style, email_budget=int(settings.email_budget_mb * MB)
        )
    return options.with_(**changes) if changes else options


def neutral_name(draft: Draft, what: str, suffix: str) -> str:
    """``7001-packet-1a2b3c4d.pdf``: identifies the draft without naming the client."""
    from ombuds_desktop.printed.values import short_id

    return f"7001-{what}-{short_id(draft)}{suffix}"


class PacketBuilder:
    """Builds a packet for a draft window, asking the user about anything that stops it."""

    def __init__(
        self,
        parent: QWidget,
        vault: Vault,
        draft: Draft,
        definition: FormDefinition,
        settings: Settings | None = None,
    ) -> None:
        self.parent, self.vault, self.draft = parent, vault, draft
        self.definition, self.settings = definition, settings
        self.skip: set[str] = set()
        self.passwords: dict[str, str] = {}
        self.allow_draft = False

    def options(self) -> PacketOptions:
        return packet_options(
            self.draft,
            self.settings,
            self.vault,
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

    def _resolve(self, exc: EvidenceProblems) -> bool:
        """Ask for PDF passwords, then once whether to build without the unusable documents."""
        left: list[PacketInputError] = []
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
            left.append(problem)
        if not left:
            return True
        if not ask_leave_out(self.parent, left):
            return False
        self.skip.update(p.attachment_id for p in left if p.attachment_id)  # all have one here
        return True


def problems_text(problems: list[PacketInputError]) -> str:
    """Each unusable document on its own line, named, with what is wrong."""
    return "\n".join(f"• {p.name}: {p.problem}" for p in problems)


def ask_leave_out(parent: QWidget, problems: list[PacketInputError]) -> bool:
    """One dialog for every unusable document: "Build without them" or "Cancel"."""
    if any(not p.attachment_id for p in problems):
        show_error(
            parent,
            "The packet could not be built",
            "These supporting documents cannot be used:\n" + problems_text(problems),
        )
        return False
    box = QMessageBox(parent)
    box.setObjectName("leaveOutDialog")
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Documents that cannot be used")
    count = len(problems)
    box.setText(
        f"{count} supporting document{'s' if count != 1 else ''} cannot be used:\n\n"
        + problems_text(problems)
        + "\n\nBuild the packet without "
        + ("them" if count != 1 else "it")
        + "? Nothing is left out unless you say so; the draft keeps every document."
    )
    build = box.addButton(
        "Build without them" if count != 1 else "Build without it",
        QMessageBox.ButtonRole.AcceptRole,
    )
    cancel = box.addButton("Cancel", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is build


def save_bytes(parent: QWidget, data: bytes, path: str | Path) -> bool:
    try:
        Path(path).write_bytes(data)
    except OSError as exc:
        show_error(parent, "Could not save the file", exc)
        return False
    return True
