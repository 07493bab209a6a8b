"""The encrypted local draft vault (no Qt here; the GUI and the CLI both use it).

Start with :class:`Vault` (``Vault.create``, ``Vault.open``, ``Vault.recover``).
"""

from ombuds_desktop.vault.errors import (
    ArchiveError,
    CorruptVaultError,
    DiskFullError,
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
from ombuds_desktop.vault.records import (
    AuditCheck,
    AuditEntry,
    DraftSummary,
    PurgeReport,
    RepresentativeProfile,
    RevisionInfo,
    StoredAttachment,
    SubmissionRecord,
    VaultInfo,
)
from ombuds_desktop.vault.vault import KEEP_REVISIONS, Vault, blob_id_of

__all__ = [
    "KEEP_REVISIONS", "ArchiveError", "AuditCheck", "AuditEntry", "CorruptVaultError",
    "DiskFullError", "DraftSummary", "KeyMissingError", "KeyringUnavailableError",
    "NotFoundError", "PassphraseRequiredError", "PurgeReport", "ReadOnlyError",
    "RecoveryCodeError", "RepresentativeProfile", "RevisionConflictError", "RevisionInfo",
    "StorageError", "StoredAttachment", "SubmissionRecord", "TamperedDataError", "Vault",
    "VaultBusyError", "VaultError", "VaultExistsError", "VaultInfo", "VaultNotFoundError",
    "WrongPassphraseError", "blob_id_of", "default_data_dir",
]
