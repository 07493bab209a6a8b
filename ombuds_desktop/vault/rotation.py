"""The key part of an unlocked vault: change what protects the key, or replace the key itself.

:meth:`KeyManager.change_protection` re-wraps the same vault key (a routine
passphrase change, keyring <-> passphrase).  :meth:`KeyManager.rotate_key`
replaces the vault key and every draft key and re-seals every record in one
transaction; with ``reencrypt_documents`` every document file follows, one at
a time and resumably (:meth:`KeyManager.continue_rotation`).
"""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

from ombuds_desktop.vault import (
    audit,
    crypto,
    documents,
    draftkeys,
    drafts,
    keys,
    profiles,
    submissions,
)
from ombuds_desktop.vault.documents import Documents
from ombuds_desktop.vault.draftkeys import DraftKeys
from ombuds_desktop.vault.errors import KeyringUnavailableError, PassphraseRequiredError, VaultError
from ombuds_desktop.vault.guard import FreshnessGuard
from ombuds_desktop.vault.records import RotationReport
from ombuds_desktop.vault.store import KeySet, Session
from ombuds_desktop.vault.summaries import Summaries

if TYPE_CHECKING:  # keyring loads on first use (start-up time)
    import keyring.backend

StageProgress = Callable[[str, int, int], None]


class KeyManager:
    def __init__(
        self,
        session: Session,
        protection: str,
        draft_keys: DraftKeys,
        docs: Documents,
        summaries: Summaries,
        trail: audit.AuditTrail,
        guard: FreshnessGuard,
    ) -> None:
        self._session = session
        #: How the vault key is protected now: "keyring", "passphrase" or "recovery".
        self.protection = protection
        self._draft_keys = draft_keys
        self._docs = docs
        self._summaries = summaries
        self._trail = trail
        self._guard = guard

    def _primary_wrap(
        self, vault_key: bytes, new_passphrase: str | None, to: str | None
    ) -> tuple[keys.KeyWrap, keyring.backend.KeyringBackend | None]:
        """A new keyring or passphrase wrap of ``vault_key`` (the keyring is written first)."""
        vault_id = self._session.vault_id
        target = to or (self.protection if self.protection in keys.PRIMARY_METHODS else "keyring")
        if target == "passphrase" or new_passphrase is not None:
            if new_passphrase is None:
                raise PassphraseRequiredError(
                    "give the new passphrase (--new-passphrase-file FILE)"
                )
            problem = keys.check_new_passphrase(new_passphrase)
            if problem:
                raise VaultError(problem)
            return keys.passphrase_wrap(vault_key, new_passphrase, vault_id), None
        backend, reason = keys.usable_keyring()
        if backend is None:
            raise KeyringUnavailableError(
                f"{reason}; protect the vault with a passphrase instead (--new-passphrase-file)"
            )
        try:
            return keys.keyring_wrap(vault_key, vault_id, backend), backend
        except keys.keyring_error() as exc:
            raise KeyringUnavailableError(
                f"{keys.describe_keyring_error(exc)}; unlock it, or protect the vault "
                "with a passphrase instead (--new-passphrase-file FILE)"
            ) from None

    def _drop_old_keyring_entries(
        self, old: list[tuple[str, str]], backend: keyring.backend.KeyringBackend | None
    ) -> None:
        old_backend = backend or keys.usable_keyring()[0]
        for old_id, method in old:
            if method == "keyring" and old_backend is not None:
                keys.delete_kek(old_backend, self._session.vault_id, old_id)

    def change_protection(
        self, *, new_passphrase: str | None = None, to: str | None = None
    ) -> None:
        """Re-wrap the *same* vault key under a new key-encryption key (keyring or passphrase).

        Nothing is re-encrypted, so it is quick.  After a leak use
        :meth:`rotate_key`, which replaces the vault key itself.
        """
        s = self._session
        with s.lock:
            s.check_open()
            s.check_writable()
            wrap, backend = self._primary_wrap(s.keys.vault, new_passphrase, to)
            try:
                with s.write("changing the vault key") as c:
                    old = c.execute(
                        "SELECT id, method FROM key_wraps WHERE method IN ('keyring', 'passphrase')"
                    ).fetchall()
                    c.execute("DELETE FROM key_wraps WHERE method IN ('keyring', 'passphrase')")
                    keys.insert_wrap(c, wrap)
                    self._trail.append(c, "key-change", None, keys.now_iso())
            except BaseException:
                if backend is not None:
                    keys.delete_kek(backend, s.vault_id, wrap.id)
                raise
            self._drop_old_keyring_entries(old, backend)
            self.protection = wrap.method
            s.checkpoint()

    def new_recovery_code(self) -> str:
        """Replace the recovery code (the old one stops working); show the result once."""
        s = self._session
        with s.lock:
            s.check_open()
            code = keys.new_recovery_code()
            wrap = keys.recovery_wrap(s.keys.vault, code, s.vault_id)
            with s.write("changing the recovery code") as c:
                c.execute("DELETE FROM key_wraps WHERE method='recovery'")
                keys.insert_wrap(c, wrap)
                self._trail.append(c, "key-change", None, keys.now_iso())
            s.checkpoint()
            return code

    def rotate_key(
        self,
        *,
        new_passphrase: str | None = None,
        to: str | None = None,
        reencrypt_documents: bool = False,
        progress: StageProgress | None = None,
    ) -> RotationReport:
        """Replace the vault key and every draft key; re-encrypt every record under them.

        Every record (revisions, summaries, submissions, document records,
        profiles) is re-sealed and the audit chain re-keyed in **one SQLite
        transaction**, so a crash leaves either the old or the new state.  A new
        recovery code is made (the old one wrapped the old key).
        """
        s = self._session
        with s.lock:
            s.check_open()
            s.check_writable()
            old_keys = s.keys
            new_vk = crypto.new_key()
            wrap, backend = self._primary_wrap(new_vk, new_passphrase, to)
            code = keys.new_recovery_code()
            recovery = keys.recovery_wrap(new_vk, code, s.vault_id)
            new_keys = KeySet.derive(new_vk)
            rotation_id = secrets.token_hex(8)
            try:
                with s.write("changing the vault key") as c:
                    check = audit.verify(c, old_keys.audit)
                    ndrafts = self._rekey_drafts(c, new_keys.draft_wrap, progress)
                    profiles.rekey(c, old_keys.profiles, new_keys.profiles)
                    old = c.execute("SELECT id, method FROM key_wraps").fetchall()
                    c.execute("DELETE FROM key_wraps")
                    keys.insert_wrap(c, wrap)
                    keys.insert_wrap(c, recovery)
                    audit.rekey(c, old_keys.audit, new_keys.audit)
                    if reencrypt_documents:
                        c.execute(
                            "INSERT OR REPLACE INTO meta (key, value) VALUES ('rotation', ?)",
                            (rotation_id,),
                        )
                    audit.append(c, new_keys.audit, "key-change", None, keys.now_iso())
            except BaseException:
                if backend is not None:
                    keys.delete_kek(backend, s.vault_id, wrap.id)
                raise
            self._drop_old_keyring_entries(old, backend)
            s.replace_keys(new_keys)
            self._draft_keys.clear()
            self._summaries.clear()
            self.protection = wrap.method
            self._guard.after_write()
            done = self.continue_rotation(progress) if reencrypt_documents else 0
            s.compact()  # the old ciphertexts leave the WAL and the free pages
            return RotationReport(code, ndrafts, done, None if check.ok else check.problem)

    def _rekey_drafts(
        self, c: sqlite3.Connection, new_wrap_key: bytes, progress: StageProgress | None
    ) -> int:
        """Inside the rotation transaction: a new key per draft, every record re-sealed."""
        rows = c.execute("SELECT id, key_wrapped, revision, summary FROM drafts").fetchall()
        for i, (draft_id, wrapped, rev, summary) in enumerate(rows):
            old = self._draft_keys.get(c, draft_id, wrapped)
            new = crypto.new_key()
            drafts.rekey_records(c, draft_id, rev, summary, old, new)
            submissions.rekey(c, draft_id, old, new)
            documents.rekey_records(c, draft_id, old, new)
            c.execute(
                "UPDATE drafts SET key_wrapped=? WHERE id=?",
                (draftkeys.wrap(new_wrap_key, new, draft_id), draft_id),
            )
            if progress is not None:
                progress("records", i + 1, len(rows))
        return len(rows)

    @property
    def rotation_unfinished(self) -> bool:
        """True while a rotation's document re-encryption is not finished."""
        return self._session.store.get_meta("rotation") is not None

    def continue_rotation(self, progress: StageProgress | None = None) -> int:
        """Re-encrypt every document file not yet done under a new file key; resumable.

        Reads try the new key, then the previous one, so a crash at any point
        leaves every document readable, and calling this again finishes.
        """
        s = self._session
        with s.lock:
            s.check_open()
            s.check_writable()
            rotation_id = s.store.get_meta("rotation")
            if rotation_id is None:
                return 0
            blob_ids = self._docs.all_ids()
            done = 0
            for n, blob_id in enumerate(blob_ids):
                if self._docs.reencrypt(blob_id, rotation_id):
                    done += 1
                if progress is not None:
                    progress("documents", n + 1, len(blob_ids))
            with s.write("finishing the key change") as c:
                c.execute("DELETE FROM meta WHERE key='rotation'")
            self._guard.after_write()
            return done
