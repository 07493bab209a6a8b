"""A draft Form 7001 as plain data.

A :class:`Draft` is what the wizard edits, the vault stores, validation reads
and the packet prints.  It knows nothing of Qt, SQLite or PDF.  Its JSON form
(the interchange format) is defined in :mod:`ombuds_desktop.draft.interchange`.
"""

from __future__ import annotations

import copy
import uuid
from dataclasses import dataclass, field
from typing import Any

STATUSES = ("draft", "ready", "submitted", "resolved")
SUBMISSION_METHODS = ("online", "email", "mail")


def new_id() -> str:
    return str(uuid.uuid4())


@dataclass(slots=True)
class Attachment:
    """One supporting document (Section 8).

    ``path`` locates the file: relative to the draft file in interchange JSON,
    or a vault reference (``vault:<blob id>``) once stored in the vault.
    """

    category: str
    description: str
    path: str
    date: str | None = None  # ISO date of the document
    id: str = field(default_factory=new_id)
    foreign_language: bool = False
    translation_of: str | None = None  # id of the attachment this one translates
    sha256: str | None = None
    original_name: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "category": self.category,
            "description": self.description,
            "path": self.path,
            "date": self.date,
        }
        if self.foreign_language:
            out["foreign_language"] = True
        if self.translation_of:
            out["translation_of"] = self.translation_of
        if self.sha256:
            out["sha256"] = self.sha256
        if self.original_name:
            out["original_name"] = self.original_name
        return out


@dataclass(slots=True)
class Submission:
    method: str  # online | email | mail
    date: str  # ISO
    request_number: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"method": self.method, "date": self.date, "request_number": self.request_number}


@dataclass(slots=True)
class Draft:
    form: str  # "dhs-7001/2022-11"
    values: dict[str, Any] = field(default_factory=dict)
    attachments: list[Attachment] = field(default_factory=list)
    id: str = field(default_factory=new_id)
    family_group: str | None = None
    status: str = "draft"
    representative_profile: str | None = None
    submission: Submission | None = None
    acknowledged: list[str] = field(default_factory=list)  # warning keys the user accepted
    last_section: str | None = None
    options: dict[str, Any] = field(default_factory=dict)  # packet/export options

    def get(self, field_id: str, default: Any = None) -> Any:
        return self.values.get(field_id, default)

    def copy(self) -> Draft:
        return copy.deepcopy(self)

    def attachment(self, attachment_id: str) -> Attachment | None:
        return next((a for a in self.attachments if a.id == attachment_id), None)

    def remove_attachment(self, attachment_id: str) -> Attachment | None:
        """Remove a document and every reference to it; the removed one, or None if unknown.

        Translations of it lose their link, and the packet options forget it (its place in
        ``exhibit_order``, a ``skip`` or ``passwords`` entry): a build refuses options that
        name a document the draft no longer has (``PacketOptions.check_attachment_ids``).
        """
        att = self.attachment(attachment_id)
        if att is None:
            return None
        self.attachments.remove(att)
        for other in self.attachments:
            if other.translation_of == attachment_id:
                other.translation_of = None
        packet = self.options.get("packet")
        if isinstance(packet, dict):
            for key in ("exhibit_order", "skip"):
                if isinstance(packet.get(key), list):
                    packet[key] = [i for i in packet[key] if i != attachment_id]
            if isinstance(packet.get("passwords"), dict):
                packet["passwords"].pop(attachment_id, None)
        return att

    def attachments_in(self, *categories: str) -> list[Attachment]:
        return [a for a in self.attachments if a.category in categories]
