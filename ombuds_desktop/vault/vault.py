"""The vault: the one object the GUI, the CLI and the packet builder use for stored drafts.

A small façade over parts that each own one thing, all sharing one unit of work
(:class:`~.store.Session`: the connection, the lock, the keys in use): :mod:`.unlock`
(create, unlock, recover), :mod:`.rotation` (key protection and rotation), :mod:`.guard`
(freshness), :mod:`.draftkeys`, :mod:`.drafts` (revisions, trash, purge, copies, unsaved
typing), :mod:`.summaries` (the list), :mod:`.documents` (encrypted files, clean-up),
:mod:`.exchange` (draft files in and out), :mod:`.archives`, :mod:`.profiles`,
:mod:`.submissions` and :mod:`.audit`.  Parts use each other's public operations only.

Threading: one :class:`Vault` may be shared by threads; every operation takes the session's
lock.  Long operations (documents, archives) accept a ``progress`` callback, called on the
calling thread, that may raise to cancel.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, BinaryIO

from ombuds_desktop.draft.model import Attachment, Draft, Submission
from ombuds_desktop.vault import paths, recovery, unlock
from ombuds_desktop.vault.archives import Archives
from ombuds_desktop.vault.audit import AuditTrail
from ombuds_desktop.vault.documents import Documents, Progress
from ombuds_desktop.vault.draftkeys import DraftKeys
from ombuds_desktop.vault.drafts import KEEP_REVISIONS, Drafts
from ombuds_desktop.vault.errors import VaultError
from ombuds_desktop.vault.exchange import Exchange
from ombuds_desktop.vault.guard import FreshnessGuard
from ombuds_desktop.vault.info import vault_info
from ombuds_desktop.vault.profiles import Profiles
from ombuds_desktop.vault.records import (
    AuditCheck,
    AuditEntry,
    DraftSummary,
    FileCheck,
    PurgeReport,
    RepresentativeProfile,
    RevisionInfo,
    RotationReport,
    StoredAttachment,
    SubmissionRecord,
    VaultInfo,
    blob_id_of,
)
from ombuds_desktop.vault.rotation import KeyManager, StageProgress
from ombuds_desktop.vault.store import Session, Store
from ombuds_desktop.vault.submissions import Submissions
from ombuds_desktop.vault.summaries import Describe, Summaries

__all__ = ["KEEP_REVISIONS", "Describe", "Vault", "blob_id_of"]

PathArg = str | os.PathLike[str]


class Vault:
    """An unlocked vault.  Create with :meth:`create`, :meth:`open` or :meth:`recover`.

    ``describe`` computes what the drafts list shows of a draft: its status, client,
    forms and receipts (the app passes ``validation.status.describe_draft``); without
    it the list shows the draft's recorded status and no client, forms or receipts.
    """

    def __init__(self, session: Session, protection: str, *, describe: Describe | None = None):
        s = self._session = session
        self._store: Store = s.store
        self.data_dir, self.vault_id = s.data_dir, s.vault_id
        trail = self._trail = AuditTrail(s)
        guard = self._guard = FreshnessGuard(s, trail)
        dkeys = self._draft_keys = DraftKeys(s)
        docs = self._documents = Documents(s, dkeys, trail)
        lists = self._summaries = Summaries(s, dkeys, describe)
        drafts = self._drafts = Drafts(s, dkeys, docs, lists, trail)
        self._exchange = Exchange(drafts, docs)
        self._profiles = Profiles(s, trail)
        self._submissions = Submissions(s, dkeys, drafts, docs, trail)
        self._archives = Archives(s, drafts, docs, trail)
        self._keys = KeyManager(s, protection, dkeys, docs, lists, trail, guard)

    # ------------------------------------------------------------------ lifecycle

    @staticmethod
    def exists(data_dir: PathArg | None = None) -> bool:
        return paths.db_path(paths.resolve_data_dir(data_dir)).exists()

    @classmethod
    def create(
        cls,
        data_dir: PathArg | None = None,
        *,
        passphrase: str | None = None,
        describe: Describe | None = None,
    ) -> tuple[Vault, str]:
        """A new vault and its recovery code (show it once, never store it).

        Without ``passphrase`` the key goes to the OS keyring; if none is usable
        this raises :class:`KeyringUnavailableError` and the caller asks for a passphrase.
        """
        session, method, code = unlock.create(data_dir, passphrase)
        vault = cls._wrap(session, method, describe)
        vault._guard.after_write()  # the first freshness record
        vault._guard.save_anchor()
        return vault, code

    @classmethod
    def _wrap(cls, session: Session, method: str, describe: Describe | None) -> Vault:
        try:
            return cls(session, method, describe=describe)
        except BaseException:
            session.store.close()
            raise

    @classmethod
    def open(
        cls,
        data_dir: PathArg | None = None,
        *,
        passphrase: str | None = None,
        read_only: bool = False,
        busy_timeout_ms: int | None = None,
        describe: Describe | None = None,
    ) -> Vault:
        """Unlock with the OS keyring or the passphrase (never creates a key).

        ``read_only`` is the rescue mode: nothing is written, not even the audit
        log, and reads never wait for a writer.  ``busy_timeout_ms`` shortens the
        wait for the write lock (to fall back to read-only sooner).
        """
        session, method = unlock.open_session(
            data_dir, passphrase, read_only=read_only, busy_timeout_ms=busy_timeout_ms
        )
        vault = cls._wrap(session, method, describe)
        try:
            vault._after_unlock("unlock")
            if busy_timeout_ms is not None:
                session.store.run(
                    f"PRAGMA busy_timeout={Store.BUSY_TIMEOUT_MS}", "opening the vault"
                )
        except BaseException:
            vault.close()
            raise
        return vault

    @classmethod
    def recover(
        cls,
        data_dir: PathArg | None,
        recovery_code: str,
        *,
        new_passphrase: str | None = None,
        describe: Describe | None = None,
    ) -> Vault:
        """Unlock with the recovery code, then protect the key again (it stays valid)."""
        vault = cls._wrap(unlock.recover_session(data_dir, recovery_code), "recovery", describe)
        try:
            vault._after_unlock("recover")
            vault.change_protection(
                new_passphrase=new_passphrase,
                to="passphrase" if new_passphrase is not None else "keyring",
            )
        except BaseException:
            vault.close()
            raise
        return vault

    def _after_unlock(self, event: str) -> None:
        if not self._guard.unlocked(event):
            return
        self._store.tighten()
        with contextlib.suppress(OSError):  # e.g. restored from a backup with looser modes
            paths.ensure_private_dir(self.data_dir)
            paths.ensure_private_dir(paths.blob_root(self.data_dir))
        with contextlib.suppress(VaultError, OSError):
            self._documents.housekeeping()

    def close(self) -> None:
        """Lock: forget every key and summary; retry a purge's WAL truncation; close."""
        s = self._session
        with s.lock:
            if s.is_open:
                self._guard.save_anchor()
            if s.wal_pending and not s.read_only:
                with contextlib.suppress(VaultError):
                    s.checkpoint()
            self._draft_keys.clear()
            self._summaries.clear()
            s.forget_keys()
            self._store.close()

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def is_open(self) -> bool:
        return self._session.is_open

    @property
    def read_only(self) -> bool:
        """True in the rescue mode (opened read-only): reads and exports work, writes do not."""
        return self._session.read_only

    @property
    def protection(self) -> str:
        """How the vault key is protected: "keyring", "passphrase" (or "recovery" briefly)."""
        return self._keys.protection

    @property
    def freshness_problems(self) -> list[str]:
        """Rollback or truncation found at unlock; while any stands, writing is paused."""
        return self._session.freshness_problems

    def accept_current_state(self) -> None:
        """Accept the vault as it is now (after restoring a genuine backup); after confirming."""
        self._guard.accept_current_state()

    # ------------------------------------------------------------------ status

    @staticmethod
    def info(data_dir: PathArg | None = None) -> VaultInfo:
        """What ``vault status`` shows; needs no key and reads no client data."""
        return vault_info(data_dir)

    def status(self) -> VaultInfo:
        return vault_info(self.data_dir)

    def integrity_check(self) -> str:
        """SQLite's own check of the database file ("ok" when healthy)."""
        rows = self._store.run("PRAGMA integrity_check", "checking the vault")
        return "; ".join(str(r[0]) for r in rows)

    # ------------------------------------------------------------------ keys

    def change_protection(
        self, *, new_passphrase: str | None = None, to: str | None = None
    ) -> None:
        """Re-wrap the same vault key (keyring or passphrase); see :mod:`.rotation`."""
        self._keys.change_protection(new_passphrase=new_passphrase, to=to)

    def change_passphrase(self, new_passphrase: str) -> None:
        self._keys.change_protection(new_passphrase=new_passphrase, to="passphrase")

    def rotate_key(
        self,
        *,
        new_passphrase: str | None = None,
        to: str | None = None,
        reencrypt_documents: bool = False,
        progress: StageProgress | None = None,
    ) -> RotationReport:
        """Replace the vault key and every draft key; show ``report.recovery_code`` once."""
        return self._keys.rotate_key(
            new_passphrase=new_passphrase,
            to=to,
            reencrypt_documents=reencrypt_documents,
            progress=progress,
        )

    @property
    def rotation_unfinished(self) -> bool:
        """True while a rotation's document re-encryption is not finished."""
        return self._keys.rotation_unfinished

    def continue_rotation(self, progress: StageProgress | None = None) -> int:
        return self._keys.continue_rotation(progress)

    def new_recovery_code(self) -> str:
        """Replace the recovery code (the old one stops working); show the result once."""
        return self._keys.new_recovery_code()

    # ------------------------------------------------------------------ the drafts list

    def list_drafts(self, *, trash: bool = False) -> list[DraftSummary]:
        """Live drafts (or, with ``trash=True``, those in the trash), newest first."""
        return self._summaries.list_drafts(trash=trash)

    def search(self, query: str, *, trash: bool = False) -> list[DraftSummary]:
        """Drafts whose client, forms, receipts, id or group contain every word of ``query``."""
        return self._summaries.search(query, trash=trash)

    def summary(self, draft_id: str) -> DraftSummary:
        return self._summaries.get(draft_id)

    def change_marker(self) -> int:
        """Changes when another process commits to the vault (a cheap poll for the list)."""
        return self._summaries.change_marker()

    def family(self, group_id: str) -> list[DraftSummary]:
        return self._summaries.family(group_id)

    def family_ids(self, draft_id: str) -> list[str]:
        """The draft and every other live draft of its family group (the draft first)."""
        return self._summaries.family_ids(draft_id)

    # ------------------------------------------------------------------ drafts

    def save_draft(self, draft: Draft, *, base_revision: int | None = None) -> int:
        """Save atomically as a new revision; ``base_revision`` detects a save elsewhere."""
        return self._drafts.save(draft, base_revision=base_revision)

    def load_draft(self, draft_id: str, revision: int | None = None) -> Draft:
        """Decrypt a draft (the current revision, or an older one still kept)."""
        return self._drafts.load(draft_id, revision)

    def current_revision(self, draft_id: str) -> int:
        return self._drafts.current_revision(draft_id)

    def revisions(self, draft_id: str) -> list[RevisionInfo]:
        """The kept revisions of a draft, newest first."""
        return self._drafts.revisions(draft_id)

    def restore_revision(self, draft_id: str, revision: int) -> int:
        """Make an old revision current again (saved as a new revision; nothing is lost)."""
        return self._drafts.restore_revision(draft_id, revision)

    def delete_draft(self, draft_id: str) -> None:
        """Move to the trash (restorable with :meth:`restore_draft`)."""
        self._drafts.set_state(draft_id, "trash", "delete")

    def restore_draft(self, draft_id: str) -> None:
        self._drafts.set_state(draft_id, "live", "restore")

    def purge_draft(self, draft_id: str, *, wait_for_readers: bool = True) -> PurgeReport:
        """Destroy a draft for good: its key, revisions, attachments and submission records.

        ``wait_for_readers=False``: do not wait out the busy timeout for another
        reader before truncating the WAL (retried at close; see ``PurgeReport``).
        """
        return self._drafts.purge(draft_id, wait_for_readers=wait_for_readers)

    def duplicate_for_family(self, draft_id: str, shared_fields: Iterable[str]) -> Draft:
        """A new draft for a family member (``shared_fields`` from the form definition)."""
        return self._drafts.duplicate_for_family(draft_id, shared_fields)

    def correction_copy(self, draft_id: str) -> Draft:
        """A new, editable draft with every answer and document of a submitted one."""
        return self._drafts.correction_copy(draft_id)

    def save_recovery(self, draft: Draft, base_revision: int | None) -> None:
        """Write the sealed recovery record of unsaved typing (see :mod:`.recovery`)."""
        self._drafts.save_recovery(draft, base_revision)

    def load_recovery(self, draft_id: str) -> recovery.RecoveredTyping | None:
        """Typing that was not saved before a crash, or None."""
        return self._drafts.load_recovery(draft_id)

    def discard_recovery(self, draft_id: str) -> None:
        """Drop the recovery record once a real revision holds the typing."""
        self._drafts.discard_recovery(draft_id)

    # ------------------------------------------------------------------ documents

    def store_attachment(
        self,
        draft_id: str,
        source: PathArg | IO[bytes],
        *,
        original_name: str | None = None,
        progress: Progress | None = None,
    ) -> StoredAttachment:
        """Encrypt a file into the vault for ``draft_id``; put ``result.ref`` in its ``path``."""
        return self._documents.store(
            draft_id, source, original_name=original_name, progress=progress
        )

    def attach_file(
        self,
        draft: Draft,
        path: PathArg,
        *,
        category: str,
        description: str = "",
        date: str | None = None,
        foreign_language: bool = False,
        translation_of: str | None = None,
        progress: Progress | None = None,
    ) -> Attachment:
        """Store a file and append the matching :class:`Attachment` to ``draft`` (not saved)."""
        return self._documents.attach_file(
            draft,
            path,
            category=category,
            description=description,
            date=date,
            foreign_language=foreign_language,
            translation_of=translation_of,
            progress=progress,
        )

    def attachment_info(self, blob_id: str) -> StoredAttachment:
        return self._documents.info(blob_id)

    def open_attachment(self, blob_id: str) -> BinaryIO:
        """A stream of the decrypted document, each chunk authenticated (close it when done)."""
        return self._documents.open(blob_id)

    def read_attachment(self, blob_id: str) -> bytes:
        """The whole decrypted attachment, checked against its SHA-256 (for small files)."""
        return self._documents.read(blob_id)

    def export_attachment(
        self, blob_id: str, dest: PathArg, *, progress: Progress | None = None
    ) -> Path:
        """Decrypt an attachment to ``dest``; never leaves a half-written file."""
        return self._documents.export(blob_id, dest, progress=progress)

    def check_files(self) -> FileCheck:
        """Compare ``blobs/`` with the database (reads only; nothing is deleted)."""
        return self._documents.check_files()

    # ------------------------------------------------------------------ draft files

    def materialize_draft(
        self,
        draft_id: str,
        dest_dir: PathArg,
        *,
        revision: int | None = None,
        json_name: str = "draft.json",
        attachments_dir: str = "attachments",
        progress: Progress | None = None,
    ) -> tuple[Draft, Path]:
        """Write the draft as interchange JSON plus its decrypted attachments into ``dest_dir``."""
        return self._exchange.materialize_draft(
            draft_id,
            dest_dir,
            revision=revision,
            json_name=json_name,
            attachments_dir=attachments_dir,
            progress=progress,
        )

    def import_draft(
        self,
        draft: Draft,
        base_dir: PathArg | None,
        *,
        allow_from: Sequence[PathArg] = (),
        progress: Progress | None = None,
    ) -> Draft:
        """Store a received draft and its files, as given: see ``status.prepare_import``."""
        return self._exchange.import_draft(
            draft, base_dir, allow_from=allow_from, progress=progress
        )

    # ------------------------------------------------------------------ profiles, submissions

    def save_profile(self, profile: RepresentativeProfile) -> RepresentativeProfile:
        return self._profiles.save(profile)

    def get_profile(self, profile_id: str) -> RepresentativeProfile:
        return self._profiles.get(profile_id)

    def list_profiles(self) -> list[RepresentativeProfile]:
        return self._profiles.list_all()

    def delete_profile(self, profile_id: str) -> None:
        self._profiles.delete(profile_id)

    def record_submission(self, draft_id: str, submission: Submission) -> SubmissionRecord:
        """Record that a request was sent, and save the draft as submitted (one transaction)."""
        return self._submissions.record(draft_id, submission)

    def list_submissions(self, draft_id: str) -> list[SubmissionRecord]:
        return self._submissions.list_for(draft_id)

    # ------------------------------------------------------------------ audit

    def record_event(self, event: str, draft_id: str | None = None) -> None:
        """Log an event the vault cannot see itself ("print", "export"); skipped while paused."""
        self._trail.record_event(event, draft_id)

    def audit_log(self, limit: int | None = None) -> list[AuditEntry]:
        return self._trail.entries(limit)

    def verify_audit(self) -> AuditCheck:
        return self._trail.verify()

    # ------------------------------------------------------------------ archives

    def export_archive(
        self,
        draft_ids: list[str],
        dest: PathArg,
        passphrase: str,
        *,
        progress: Progress | None = None,
    ) -> Path:
        """Drafts and their documents in one file under the archive's own passphrase."""
        return self._archives.export(draft_ids, dest, passphrase, progress=progress)

    def import_archive(
        self,
        src: PathArg,
        passphrase: str,
        *,
        progress: Progress | None = None,
        again: bool = False,
    ) -> list[Draft]:
        """An archive's drafts; one imported before is refused unless ``again``."""
        return self._archives.import_(src, passphrase, progress=progress, again=again)
