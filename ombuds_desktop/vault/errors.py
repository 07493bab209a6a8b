"""Every failure the vault reports, as one exception family.

Each message is one line that says what failed and what the user can do, so the
GUI can show it in a dialog and the CLI can print it as is.  Messages never
contain client data (names, A-Numbers, file names): only draft ids, which are
random and say nothing about the client.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ombuds_desktop.draft.files import AttachmentProblem

RECOVER_HINT = (
    "run `ombuds-desktop vault recover --recovery-code-file FILE` "
    "with the recovery code printed when the vault was created"
)


class VaultError(Exception):
    """Base class: a problem with the vault that the user or IT can act on."""


class VaultNotFoundError(VaultError):
    """There is no vault in the data folder."""


class VaultExistsError(VaultError):
    """``init`` found a vault already there; it never overwrites one."""


class KeyringUnavailableError(VaultError):
    """The vault's key is in the OS keyring, but no usable keyring answers (absent, locked)."""


class KeyMissingError(VaultError):
    """The keyring works but holds no key for this vault (deleted entry, new machine)."""


class PassphraseRequiredError(VaultError):
    """The vault is protected by a passphrase and none was given."""


class WrongPassphraseError(VaultError):
    """The passphrase does not open this vault."""


class RecoveryCodeError(VaultError):
    """The recovery code is mistyped or belongs to another vault."""


class TamperedDataError(VaultError):
    """A ciphertext failed authentication: modified, truncated or moved from another row.

    ``draft_id`` names the affected draft when there is one; only that draft is
    unreadable, the rest of the vault keeps working.
    """

    def __init__(self, message: str, draft_id: str | None = None) -> None:
        super().__init__(message)
        self.draft_id = draft_id


class AttachmentMissingError(TamperedDataError):
    """The encrypted file of a stored document is gone (deleted or moved outside the app)."""


class CorruptVaultError(VaultError):
    """The database file itself is damaged (truncated, not SQLite, failed integrity check)."""


class StorageError(VaultError):
    """Writing failed at the file-system level; nothing was changed."""


class DiskFullError(StorageError):
    """The disk (or the database's size limit) is full."""


class ReadOnlyError(StorageError):
    """The vault files or the disk are read-only."""


class VaultBusyError(VaultError):
    """Another Ombuds Desktop window or command held the vault too long."""


class NotFoundError(VaultError):
    """A draft, revision, attachment or profile id that the vault does not hold."""


class RevisionConflictError(VaultError):
    """The draft was saved elsewhere since this copy was loaded."""


class ArchiveError(VaultError):
    """A portable archive is unreadable, damaged, or the passphrase is wrong."""


class AttachmentRefusedError(VaultError):
    """A draft file names attachment files outside its folder, or not regular files.

    ``problems`` lists each refused path (for the GUI's confirmation dialog).
    """

    def __init__(self, message: str, problems: Sequence[AttachmentProblem] = ()) -> None:
        super().__init__(message)
        self.problems = list(problems)


class FreshnessError(VaultError):
    """The vault is older than the state this computer last saw (rollback, lost saves).

    Reading and exporting still work; writing waits until the user accepts the
    current state (``vault accept-state``) or restores the newer copy.
    """


class InvalidDraftError(VaultError):
    """A draft (or its id) cannot be stored faithfully: bad id, NaN, lone surrogates, too deep."""


def tampered(
    what: str, draft_id: str | None, cls: type[TamperedDataError] = TamperedDataError
) -> TamperedDataError:
    """The one message for a ciphertext that failed authentication (or whose file is gone)."""
    whose = f"draft {draft_id}: " if draft_id else ""
    return cls(
        f"{whose}{what} failed its integrity check: the stored data was modified, damaged or "
        "moved from another record. Nothing was overwritten and the other drafts are not "
        "affected; restore an earlier revision of this draft, or this vault from a backup.",
        draft_id,
    )
