"""Errors a packet build reports to the user (never a traceback)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ombuds_desktop.validation.findings import Finding


class PacketError(Exception):
    """Base class: the packet could not be built, for a reason the user can act on."""


class PacketInputError(PacketError):
    """One evidence file cannot be used.  Names the file so the user can fix or skip it.

    ``kind`` is stable for the GUI: ``missing``, ``unreadable``, ``password``,
    ``damaged``, ``wrong_type``, ``unsupported``, ``too_large``, ``empty``.
    ``name`` is the file name as the user knows it (no folder).
    """

    def __init__(
        self, name: str, kind: str, message: str, *, attachment_id: str | None = None
    ) -> None:
        super().__init__(f"{name}: {message}")
        self.name, self.kind, self.problem = name, kind, message
        self.attachment_id = attachment_id


class UnknownAttachmentIds(PacketError):
    """Options name documents the draft does not have (a typo would otherwise be ignored)."""

    def __init__(self, skip: Sequence[str], passwords: Sequence[str], known: Sequence[str]) -> None:
        self.skip, self.passwords = list(skip), list(passwords)
        parts = []
        if self.skip:
            parts.append(f"to leave out: {', '.join(self.skip)}")
        if self.passwords:
            parts.append(f"with a password: {', '.join(self.passwords)}")
        super().__init__(
            "no supporting document of this draft has the id(s) given "
            + "; ".join(parts)
            + f". The draft's document ids are: {', '.join(known) or '(none)'}"
        )


class EvidenceProblems(PacketError):
    """Several exhibits failed; the user decides to fix them or leave them out."""

    def __init__(self, problems: Sequence[PacketInputError]) -> None:
        self.problems = list(problems)
        lines = "; ".join(str(p) for p in self.problems)
        super().__init__(f"{len(self.problems)} supporting document(s) cannot be used: {lines}")


class NotReadyError(PacketError):
    """Validation errors remain and a final packet was asked for."""

    def __init__(self, findings: Sequence[Finding]) -> None:
        self.findings = [f for f in findings if f.severity == "error"]
        first = self.findings[0].message if self.findings else ""
        super().__init__(
            f"{len(self.findings)} error(s) must be fixed before a final packet "
            f"can be built (first: {first}); build a watermarked draft instead "
            "to review it"
        )
