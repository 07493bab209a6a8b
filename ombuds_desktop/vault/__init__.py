"""The encrypted local draft vault (no Qt here; the GUI and the CLI both use it).

Start with :class:`Vault` (``Vault.create``, ``Vault.open``, ``Vault.recover``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from ombuds_desktop.vault.errors import (
    ArchiveError,
    AttachmentMissingError,
    AttachmentRefusedError,
    CorruptVaultError,
    DiskFullError,
    FreshnessError,
    InvalidDraftError,
    KeyMissingError,
    KeyringUnavailableError,
    NotFoundError,
    PassphraseRequiredError,
    ReadOnlyError,
    RecoveryCodeError,
    RevisionConflictError,
    StorageError,
    TamperedDataError,
    VaultBusyError,
    VaultError,
    VaultExistsError,
    VaultNotFoundError,
    WrongPassphraseError,
)
from ombuds_desktop.vault.paths import default_data_dir

if TYPE_CHECKING:  # what __getattr__ below returns, so type checkers see the real types
    from ombuds_desktop.vault.drafts import KEEP_REVISIONS
    from ombuds_desktop.vault.records import (
        AuditCheck,
        AuditEntry,
        DraftSummary,
        Listing,
        PurgeReport,
        RepresentativeProfile,
        RevisionInfo,
        StoredAttachment,
        SubmissionRecord,
        VaultInfo,
        blob_id_of,
    )
    from ombuds_desktop.vault.summaries import Describe
    from ombuds_desktop.vault.vault import Vault

# The storage and crypto layers load on first use, so that merely naming the
# vault (its errors, its folder) costs nothing at the app's start-up.
_LAZY = {
    **dict.fromkeys(
        (
            "AuditCheck",
            "AuditEntry",
            "DraftSummary",
            "FileCheck",
            "Listing",
            "PurgeReport",
            "RepresentativeProfile",
            "RevisionInfo",
            "RotationReport",
            "StoredAttachment",
            "SubmissionRecord",
            "VaultInfo",
            "blob_id_of",
        ),
        "records",
    ),
    "KEEP_REVISIONS": "drafts",
    "Describe": "summaries",
    "Vault": "vault",
    **dict.fromkeys(("AttachmentProblem", "check_attachment_paths"), "intake"),
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'ombuds_desktop.vault' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"ombuds_desktop.vault.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "AttachmentMissingError",
    "KEEP_REVISIONS",
    "ArchiveError",
    "AttachmentProblem",
    "AttachmentRefusedError",
    "AuditCheck",
    "AuditEntry",
    "CorruptVaultError",
    "Describe",
    "DiskFullError",
    "DraftSummary",
    "FileCheck",
    "FreshnessError",
    "InvalidDraftError",
    "KeyMissingError",
    "KeyringUnavailableError",
    "Listing",
    "NotFoundError",
    "PassphraseRequiredError",
    "PurgeReport",
    "ReadOnlyError",
    "RecoveryCodeError",
    "RepresentativeProfile",
    "RevisionConflictError",
    "RevisionInfo",
    "RotationReport",
    "StorageError",
    "StoredAttachment",
    "SubmissionRecord",
    "TamperedDataError",
    "Vault",
    "VaultBusyError",
    "VaultError",
    "VaultExistsError",
    "VaultInfo",
    "VaultNotFoundError",
    "WrongPassphraseError",
    "blob_id_of",
    "check_attachment_paths",
    "default_data_dir",
]
