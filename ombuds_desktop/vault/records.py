"""Plain-data results of vault operations (what the GUI and the CLI display).

Everything here is already decrypted and lives only in memory.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any

from ombuds_desktop.draft.model import Attachment, new_id

VAULT_REF = "vault:"


def blob_id_of(attachment: Attachment) -> str | None:
    """The vault blob id behind an attachment, or None if it is a plain file path."""
    if attachment.path.startswith(VAULT_REF):
        return attachment.path[len(VAULT_REF) :]
    return None


def json_bytes(doc: object) -> bytes:
    """The compact UTF-8 JSON every sealed record holds."""
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """Case- and accent-insensitive form for search ("Nguyễn" matches "nguyen").

    Only combining marks are dropped, so names in non-Latin scripts still match.
    """
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return _COMBINING.sub("", decomposed).replace("đ", "d")


@dataclass(frozen=True, slots=True)
class Listing:
    """What the drafts list shows of a draft that only the form's rules can tell: its status
    and who and what it is about.  Computed by the layer above at each save (storage does
    not read the form definition) and sealed with the revision's summary."""

    status: str
    client: str = ""
    forms_and_receipts: str = ""
    receipts: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DraftSummary:
    """One line of the draft list; decrypted in memory only."""

    id: str
    client: str
    forms_and_receipts: str
    receipts: tuple[str, ...]
    status: str
    family_group: str | None
    form: str
    updated: str  # ISO 8601 UTC
    revision: int
    in_trash: bool = False
    damaged: bool = False  # the summary failed authentication; the draft may be tampered
    submitted_on: str = ""  # ISO date the request was sent, once marked as submitted
    submitted_by: str = ""  # online | email | mail
    request_number: str = ""  # the CIS Ombudsman's request number, when known
    search_text: str = field(default="", repr=False, compare=False)

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out.pop("search_text")
        out["receipts"] = list(self.receipts)
        return out


@dataclass(frozen=True, slots=True)
class RevisionInfo:
    revision: int
    saved_at: str


@dataclass(frozen=True, slots=True)
class StoredAttachment:
    """An encrypted attachment; ``ref`` is what goes in ``Attachment.path``."""

    blob_id: str
    draft_id: str
    original_name: str
    sha256: str
    size: int

    @property
    def ref(self) -> str:
        return f"vault:{self.blob_id}"


@dataclass(slots=True)
class RepresentativeProfile:
    """An attorney or accredited representative, reused across drafts (Section 7 data)."""

    name: str
    organization: str = ""  # firm or recognised organisation
    bar_admissions: list[str] = field(default_factory=list)  # e.g. "NY 1234567"
    accreditation: str = ""  # EOIR accredited representative details
    address: dict[str, str] = field(default_factory=dict)  # street, unit, city, state, ...
    phone: str = ""
    email: str = ""
    uscis_account: str = ""  # USCIS online account number
    id: str = field(default_factory=new_id)
    revision: int = 0
    updated: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, doc: dict[str, Any]) -> RepresentativeProfile:
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in doc.items() if k in known})


@dataclass(frozen=True, slots=True)
class SubmissionRecord:
    """When and how a request was sent to the Ombudsman."""

    id: str
    draft_id: str
    method: str
    date: str
    request_number: str | None
    recorded_at: str


@dataclass(frozen=True, slots=True)
class AuditEntry:
    seq: int
    ts: str
    event: str
    draft_id: str | None


@dataclass(frozen=True, slots=True)
class AuditCheck:
    ok: bool
    entries: int
    problem: str | None = None


@dataclass(frozen=True, slots=True)
class PurgeReport:
    draft_id: str
    attachments_removed: int
    wal_truncated: bool  # False when another window kept the WAL open; retried on next purge


@dataclass(frozen=True, slots=True)
class RotationReport:
    """What :meth:`Vault.rotate_key` did.  Show ``recovery_code`` once, never store it."""

    recovery_code: str
    drafts: int  # drafts given a new key (every record re-encrypted)
    documents: int  # document files re-encrypted (0 unless asked)
    audit_problem: str | None = None  # the audit check before rotating, if it failed


@dataclass(frozen=True, slots=True)
class FileCheck:
    """``vault check``: the encrypted document files compared with the database.

    Nothing is ever deleted because it shows up here: unknown files may belong
    to another copy of the database (a backup, a database moved aside).
    """

    unknown_files: tuple[str, ...] = ()  # paths relative to the data folder
    unknown_bytes: int = 0
    missing: tuple[str, ...] = ()  # blob ids the database lists but whose file is gone
    released_pending: int = 0  # released by this vault, file deletion not finished yet
    unsaved_drafts: int = 0  # drafts with stored documents but no saved revision

    @property
    def ok(self) -> bool:
        return not self.unknown_files and not self.missing

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["unknown_files"] = list(self.unknown_files)
        out["missing"] = list(self.missing)
        return out


@dataclass(frozen=True, slots=True)
class VaultInfo:
    """``vault status``: where and how, never any client data."""

    data_dir: str
    exists: bool
    vault_id: str | None = None
    protection: str | None = None  # keyring | passphrase
    recovery_code_set: bool = False
    drafts: int = 0
    in_trash: int = 0
    attachments: int = 0
    profiles: int = 0
    created: str | None = None
    schema_version: int | None = None
    database_bytes: int = 0
    attachment_bytes: int = 0
    keyring_backend: str | None = None
    keyring_note: str | None = None
    unknown_files: int = 0  # files in blobs/ this database does not know (left alone)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)
