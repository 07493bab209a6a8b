"""The vault: the one object the GUI, the CLI and the packet builder use for stored drafts.

Key hierarchy (see the README, "Where your drafts live")::

    KEK (OS keyring, or scrypt(passphrase), or scrypt(recovery code))
      └─ vault key (random, 256 bit; wrapped once per KEK in ``key_wraps``)
           ├─ draft keys (random, one per draft; wrapped in ``drafts.key_wrapped``)
           │    ├─ revisions and the list summary of that draft
           │    ├─ its attachments (a sub-key per attachment, streamed in chunks)
           │    └─ its submission records
           ├─ profiles sub-key (representative profiles)
           └─ audit sub-key (HMAC chain of the audit log)

Purging a draft deletes its wrapped draft key, so any copy of its ciphertext
left on the disk (file-system slack, an old WAL) can no longer be decrypted
with the live vault's keys.

Threading: one :class:`Vault` may be shared by threads; every operation takes
its lock.  Long operations (attachments, archives) accept a ``progress``
callback that is called on the calling thread and may raise to cancel.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import io
import json
import os
import re
import secrets
import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import IO, Any, BinaryIO

from ombuds_desktop.draft import facts
from ombuds_desktop.draft.interchange import (
    DraftFormatError,
    draft_from_dict,
    draft_to_dict,
    dumps,
)
from ombuds_desktop.draft.model import Attachment, Draft, Submission, new_id
from ombuds_desktop.vault import (
    archive,
    audit,
    crypto,
    freshness,
    intake,
    keys,
    padding,
    paths,
    profiles,
    recovery,
    submissions,
)
from ombuds_desktop.vault.errors import (
    RECOVER_HINT,
    AttachmentMissingError,
    AttachmentRefusedError,
    CorruptVaultError,
    FreshnessError,
    KeyMissingError,
    KeyringUnavailableError,
    NotFoundError,
    PassphraseRequiredError,
    ReadOnlyError,
    RecoveryCodeError,
    RevisionConflictError,
    TamperedDataError,
    VaultBusyError,
    VaultError,
    VaultExistsError,
    VaultNotFoundError,
    WrongPassphraseError,
    tampered,
)
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
    fold,
)
from ombuds_desktop.vault.store import AAD_VERSION, Store, translate

KEEP_REVISIONS = 50
_BLOB_ID = re.compile(r"^[0-9a-f]{32}$")

Progress = Callable[[int], None]


_tampered = tampered


def _key_record_damaged(method: str, detail: str) -> CorruptVaultError:
    """Damage to a key record is not the user's mistake: say so, and how to get back in."""
    other = {
        "passphrase": f"your passphrase is probably right. {RECOVER_HINT[0].upper()}"
        f"{RECOVER_HINT[1:]}, or restore the data folder from a backup",
        "keyring": f"the key in the system keyring is right. {RECOVER_HINT[0].upper()}"
        f"{RECOVER_HINT[1:]}, or restore the data folder from a backup",
        "recovery": "your recovery code is probably right. Open the vault with your "
        "passphrase or system keyring, or restore the data folder from a backup",
    }[method]
    return CorruptVaultError(
        f"the vault key record ({method}) is damaged ({detail}): {other}. Nothing was changed."
    )


def _json_bytes(doc: object) -> bytes:
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class Vault:
    """An unlocked vault.  Create with :meth:`create`, :meth:`open` or :meth:`recover`."""

    def __init__(
        self, data_dir: Path, store: Store, vault_id: str, vault_key: bytes, protection: str
    ) -> None:
        self.data_dir = data_dir
        self.vault_id = vault_id
        self.protection = protection
        self._store = store
        self._lock: threading.RLock = store._lock
        self._draft_wrap_key = crypto.derive_key(vault_key, "draft-key-wrap")
        self._profile_key = crypto.derive_key(vault_key, "profiles")
        self._audit_key = crypto.derive_key(vault_key, "audit-mac")
        self._vault_key: bytes | None = vault_key
        # draft id -> (wrapped key as stored, key): the wrapped key is compared on every use,
        # because another process may have replaced the row (an import that failed here and
        # then succeeded in the CLI under the same id) and a stale key would make a good
        # draft look damaged.
        self._draft_keys: dict[str, tuple[bytes, bytes]] = {}
        self._summaries: dict[str, tuple[int, str, DraftSummary]] = {}
        #: Problems found by the freshness check at unlock (rollback, truncation);
        #: while any is unaccepted the vault reads and exports but does not write.
        self.freshness_problems: list[str] = []
        self._wal_pending = False  # a purge's WAL truncation was blocked by a reader
        self._fresh_key = freshness.derive(vault_key)
        if not store.read_only:
            store.guard = self._guard_write
            store.on_commit = self._after_write

    # ------------------------------------------------------------------ lifecycle

    @staticmethod
    def exists(data_dir: str | os.PathLike[str] | None = None) -> bool:
        return paths.db_path(paths.resolve_data_dir(data_dir)).exists()

    @classmethod
    def create(
        cls, data_dir: str | os.PathLike[str] | None = None, *, passphrase: str | None = None
    ) -> tuple[Vault, str]:
        """Create a new vault and return it with its recovery code (show it once, never store it).

        Without ``passphrase`` the key goes to the OS keyring; if none is usable
        this raises :class:`KeyringUnavailableError` and the caller asks for a
        passphrase.  An existing vault is never overwritten.
        """
        root = paths.resolve_data_dir(data_dir)
        db = paths.db_path(root)
        if db.exists() or db.with_name(db.name + "-wal").exists():
            raise VaultExistsError(
                f"a vault already exists in {root}; it was not changed. "
                "Use `ombuds-desktop vault status` to inspect it."
            )
        if passphrase is not None:
            problem = keys.check_new_passphrase(passphrase)
            if problem:
                raise VaultError(problem)
        try:
            paths.ensure_private_dir(root)
            paths.ensure_private_dir(paths.blob_root(root))
        except OSError as exc:
            raise translate(exc, "creating the vault folder") from None
        vault_id = secrets.token_hex(16)
        vault_key = crypto.new_key()
        backend = None
        if passphrase is None:
            backend, reason = keys.usable_keyring()
            if backend is None:
                raise KeyringUnavailableError(
                    f"{reason}; protect the vault with a passphrase "
                    "instead (--passphrase-file FILE)"
                )
            try:
                primary = keys.keyring_wrap(vault_key, vault_id, backend)
            except keys.keyring_error() as exc:
                raise KeyringUnavailableError(
                    f"{keys.describe_keyring_error(exc)}; unlock it, or protect the vault "
                    "with a passphrase instead (--passphrase-file FILE)"
                ) from None
        else:
            primary = keys.passphrase_wrap(vault_key, passphrase, vault_id)
        code = keys.new_recovery_code()
        recovery = keys.recovery_wrap(vault_key, code, vault_id)
        try:
            store = Store(db, create=True)
        except (OSError, VaultError) as exc:
            if backend is not None:
                keys.delete_kek(backend, vault_id, primary.id)
            if isinstance(exc, OSError):
                raise translate(exc, "creating the vault") from None
            raise
        try:
            now = keys.now_iso()
            with store.write("creating the vault") as c:
                c.executemany(
                    "INSERT INTO meta (key, value) VALUES (?, ?)",
                    [
                        ("vault_id", vault_id),
                        ("created", now),
                        ("format", f"ombuds-vault/{crypto.FORMAT_VERSION}"),
                        (freshness.META_FLAG, "1"),
                    ],
                )
                for wrap in (primary, recovery):
                    keys.insert_wrap(c, wrap)
                audit.append(c, crypto.derive_key(vault_key, "audit-mac"), "create", None, now)
        except BaseException:
            store.close()
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(OSError):
                    os.unlink(db.with_name(db.name + suffix))
            if backend is not None:
                keys.delete_kek(backend, vault_id, primary.id)
            raise
        store.tighten()
        vault = cls(root, store, vault_id, vault_key, primary.method)
        vault._after_write()  # the first freshness record
        vault._save_anchor()
        return vault, code

    @classmethod
    def _open_store(
        cls, data_dir: str | os.PathLike[str] | None, read_only: bool
    ) -> tuple[Path, Store, str, list[keys.KeyWrap]]:
        root = paths.resolve_data_dir(data_dir)
        db = paths.db_path(root)
        if not db.exists():
            raise VaultNotFoundError(
                f"there is no vault in {root}; create one with "
                "`ombuds-desktop vault init`, or pass the right --data-dir"
            )
        store = Store(db, read_only=read_only)
        try:
            with store.read() as c:
                vault_id = c.execute("SELECT value FROM meta WHERE key='vault_id'").fetchone()
                wraps = keys.load_wraps(c)
        except BaseException:
            store.close()
            raise
        if vault_id is None or not wraps:
            store.close()
            raise CorruptVaultError(
                "the vault database has no key records; it was damaged. "
                "Restore the data folder from a backup."
            )
        return root, store, vault_id[0], wraps

    @classmethod
    def open(
        cls,
        data_dir: str | os.PathLike[str] | None = None,
        *,
        passphrase: str | None = None,
        read_only: bool = False,
        busy_timeout_ms: int | None = None,
    ) -> Vault:
        """Unlock an existing vault with the OS keyring or the passphrase.

        Never creates a key: if the keyring entry is gone this raises
        :class:`KeyMissingError` telling the user to recover.

        ``read_only`` is the rescue mode: SQLite ``mode=ro`` (``immutable`` on a
        read-only disk), nothing is written at all (not even the audit log),
        and reads never wait for another process that is saving.  Use it for
        list, show, export and packet when the disk is full or read-only or
        another process holds the write lock.  ``busy_timeout_ms`` shortens
        the wait for the write lock (to fall back to read-only sooner).
        """
        root, store, vault_id, wraps = cls._open_store(data_dir, read_only)
        try:
            if busy_timeout_ms is not None:
                store.run(f"PRAGMA busy_timeout={int(busy_timeout_ms)}", "opening the vault")
            vault_key, method = cls._unlock(store, vault_id, wraps, passphrase)
            vault = cls(root, store, vault_id, vault_key, method)
        except BaseException:
            store.close()
            raise
        try:
            vault._after_unlock("unlock")
            if busy_timeout_ms is not None:
                store.run(f"PRAGMA busy_timeout={store.BUSY_TIMEOUT_MS}", "opening the vault")
        except BaseException:
            vault.close()
            raise
        return vault

    @property
    def read_only(self) -> bool:
        """True in the rescue mode (opened read-only): reads and exports work, writes do not."""
        return self._store.read_only

    @classmethod
    def _unlock(
        cls, store: Store, vault_id: str, wraps: list[keys.KeyWrap], passphrase: str | None
    ) -> tuple[bytes, str]:
        by_method = {m: [w for w in wraps if w.method == m] for m in keys.METHODS}
        if passphrase is not None and by_method["passphrase"]:
            damage: str | None = None
            for wrap in by_method["passphrase"]:
                try:
                    return keys.open_passphrase_wrap(wrap, passphrase, vault_id), "passphrase"
                except crypto.DecryptionError:
                    continue
                except keys.KeyRecordDamagedError as exc:
                    damage = str(exc)
            if damage is not None:
                raise _key_record_damaged("passphrase", damage)
            cls._park_failed_unlock(store)
            raise WrongPassphraseError(
                "the passphrase does not open this vault. Check it and "
                f"try again; if it is lost, {RECOVER_HINT}."
            )
        if by_method["keyring"]:
            backend, reason = keys.usable_keyring()
            if backend is None:
                raise KeyringUnavailableError(
                    f"this vault's key is kept in the system keyring, but {reason}. Start Ombuds "
                    f"Desktop in your desktop session, or {RECOVER_HINT}."
                )
            missing = True
            for wrap in by_method["keyring"]:
                try:
                    kek = keys.load_kek(backend, vault_id, wrap.id)
                except keys.keyring_error() as exc:
                    raise KeyringUnavailableError(
                        f"{keys.describe_keyring_error(exc)}, so the vault key cannot be read. "
                        f"Unlock the keyring (log in to your desktop) and try again, or "
                        f"{RECOVER_HINT}."
                    ) from None
                except ValueError as exc:
                    raise KeyMissingError(f"{exc}; {RECOVER_HINT}.") from None
                if kek is None:
                    continue
                missing = False
                try:
                    return keys.unwrap_vault_key(wrap, kek, vault_id), "keyring"
                except crypto.DecryptionError:
                    continue
                except keys.KeyRecordDamagedError as exc:
                    raise _key_record_damaged("keyring", str(exc)) from None
            cls._park_failed_unlock(store)
            if missing:
                raise KeyMissingError(
                    "the key for this vault is not in the system keyring; run `ombuds-desktop "
                    "vault recover --recovery-code-file FILE` (or use your passphrase)"
                )
            raise KeyMissingError(
                "the key in the system keyring does not open this vault (the "
                f"entry was replaced or the key record altered); {RECOVER_HINT}."
            )
        if by_method["passphrase"]:
            raise PassphraseRequiredError(
                "this vault is protected by a passphrase; give it (--passphrase-file FILE)"
            )
        raise KeyMissingError(f"this vault has no keyring or passphrase key; {RECOVER_HINT}.")

    @staticmethod
    def _park_failed_unlock(store: Store) -> None:
        if store.read_only:
            return
        with contextlib.suppress(VaultError), store.write("recording a failed unlock") as c:
            audit.park_failed_unlock(c, keys.now_iso())
        freshness.bump_parked(store.path.parent)  # counted outside the database too

    @classmethod
    def recover(
        cls,
        data_dir: str | os.PathLike[str] | None,
        recovery_code: str,
        *,
        new_passphrase: str | None = None,
    ) -> Vault:
        """Unlock with the recovery code, then protect the key again (keyring, else passphrase).

        The recovery code stays valid; call :meth:`new_recovery_code` to replace it.
        """
        try:
            keys.parse_recovery_code(recovery_code)
        except keys.RecoveryCodeFormatError as exc:
            raise RecoveryCodeError(str(exc)) from None
        root, store, vault_id, wraps = cls._open_store(data_dir, False)
        try:
            vault_key = None
            damage: str | None = None
            for wrap in (w for w in wraps if w.method == "recovery"):
                try:
                    vault_key = keys.open_recovery_wrap(wrap, recovery_code, vault_id)
                    break
                except crypto.DecryptionError:
                    continue
                except keys.KeyRecordDamagedError as exc:
                    damage = str(exc)
            if vault_key is None and damage is not None:
                raise _key_record_damaged("recovery", damage)
            if vault_key is None:
                cls._park_failed_unlock(store)
                raise RecoveryCodeError(
                    "this recovery code does not open this vault (it is a "
                    "valid code, so it probably belongs to another vault)"
                )
            vault = cls(root, store, vault_id, vault_key, "recovery")
        except BaseException:
            store.close()
            raise
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

    def _check_freshness(self) -> list[str]:
        """Compare the database with the state kept outside it; writes nothing."""
        with self._store.read("checking the vault") as c:
            expected = (
                c.execute("SELECT 1 FROM meta WHERE key=?", (freshness.META_FLAG,)).fetchone()
                is not None
            )
            problems = freshness.compare(c, self._fresh_key, self.vault_id, self.data_dir, expected)
            check = audit.verify(c, self._audit_key)
            top = c.execute("SELECT max(seq) FROM audit").fetchone()[0] or 0
        if not check.ok:
            problems.append(f"the audit log failed its check: {check.problem}")
        anchor = freshness.check_anchor(self._fresh_key, self.vault_id, top)
        if anchor and not any(p.startswith(freshness.OLDER) for p in problems):
            problems.append(anchor)
        return problems

    def _after_unlock(self, event: str) -> None:
        # Checked first: opening must not append to (and so re-anchor) the audit chain
        # before it was compared with what this computer saw.
        self.freshness_problems = self._check_freshness()
        if self._store.read_only or self.freshness_problems:
            return
        with self._store.write("opening the vault") as c:
            audit.fold_pending(c, self._audit_key)
            audit.append(c, self._audit_key, event, None, keys.now_iso())
            c.execute(
                "INSERT OR IGNORE INTO meta (key, value) VALUES (?, '1')", (freshness.META_FLAG,)
            )
        self._save_anchor()
        self._store.tighten()
        with contextlib.suppress(OSError):  # e.g. restored from a backup with looser modes
            paths.ensure_private_dir(self.data_dir)
            paths.ensure_private_dir(paths.blob_root(self.data_dir))
        with contextlib.suppress(VaultError, OSError):
            self._housekeeping()

    def close(self) -> None:
        """Lock: forget every key and decrypted summary, close the database.

        If a purge could not truncate the WAL (another window was reading), try
        again now, so the purged draft's pages leave the WAL as soon as possible.
        """
        with self._lock:
            if self._vault_key is not None:
                self._save_anchor()
            if self._wal_pending and not self._store.read_only:
                with contextlib.suppress(VaultError):
                    self._checkpoint()
            self._draft_keys.clear()
            self._summaries.clear()
            self._vault_key = None
            self._draft_wrap_key = self._profile_key = self._audit_key = b""
            self._store.close()

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def is_open(self) -> bool:
        return self._vault_key is not None

    def _check_open(self) -> None:
        if self._vault_key is None:
            raise VaultError("the vault is locked; unlock it again")

    def _writes_blocked(self) -> bool:
        return bool(self.freshness_problems)

    def _guard_write(self, action: str) -> None:
        """Called by the store before every write transaction."""
        if self.freshness_problems:
            self._check_writable()

    def _save_anchor(self) -> None:
        if self._store.read_only or self.freshness_problems or self._vault_key is None:
            return
        with contextlib.suppress(VaultError):
            with self._store.read() as c:
                top = c.execute("SELECT max(seq) FROM audit").fetchone()[0] or 0
            freshness.save_anchor(self._fresh_key, self.vault_id, top)

    def accept_current_state(self) -> None:
        """Accept the vault as it is now (after restoring a genuine backup, say).

        Call only after the user confirmed.  The audit chain is re-anchored at
        its current end, the freshness record and keyring anchor are rewritten,
        and an "accept-state" entry records that this happened.  Writing works
        again afterwards.
        """
        with self._lock:
            self._check_open()
            if self._store.read_only:
                self._check_writable()
            problems, self.freshness_problems = self.freshness_problems, []
            try:
                with self._store.write("accepting the vault's state") as c:
                    audit.rekey(c, self._audit_key, self._audit_key)
                    audit.fold_pending(c, self._audit_key)
                    audit.append(c, self._audit_key, "accept-state", None, keys.now_iso())
                    c.execute(
                        "INSERT OR IGNORE INTO meta (key, value) VALUES (?, '1')",
                        (freshness.META_FLAG,),
                    )
            except BaseException:
                self.freshness_problems = problems
                raise
            self._after_write(force=True)
            self._save_anchor()

    def _check_writable(self) -> None:
        if self._store.read_only:
            raise ReadOnlyError(
                "the vault is open read-only (rescue mode): reading and exporting work, "
                "changes do not. Free disk space or close the other program, then try again."
            )
        if self._writes_blocked():
            raise FreshnessError(
                "this vault is older than the last one this computer saw, so changes are "
                "paused to keep the newer data safe: "
                + "; ".join(self.freshness_problems)
                + ". You can still read and export. Restore the newer copy, or run "
                "`ombuds-desktop vault accept-state` to continue with this one."
            )

    def _after_write(self, *, force: bool = False) -> None:
        """After each committed change: the freshness record follows the database."""
        if self._store.read_only or self.freshness_problems or self._vault_key is None:
            return
        with contextlib.suppress(VaultError, OSError):
            with self._store.read() as c:
                state = freshness.current_state(c)
                parked = c.execute("SELECT count(*) FROM audit_pending").fetchone()[0]
            freshness.write_sidecar(
                self.data_dir, self._fresh_key, self.vault_id, state, parked, force=force
            )

    # ------------------------------------------------------------------ status

    @staticmethod
    def info(data_dir: str | os.PathLike[str] | None = None) -> VaultInfo:
        """What ``vault status`` shows; needs no key and reads no client data."""
        root = paths.resolve_data_dir(data_dir)
        db = paths.db_path(root)
        if not db.exists():
            return VaultInfo(str(root), False)
        store = Store(db, read_only=True)
        try:
            with store.read() as c:
                meta = dict(c.execute("SELECT key, value FROM meta"))
                methods = [m for (m,) in c.execute("SELECT method FROM key_wraps")]
                wrap_ids = [
                    i for (i,) in c.execute("SELECT id FROM key_wraps WHERE method='keyring'")
                ]
                live = c.execute(
                    "SELECT count(*) FROM drafts WHERE revision>0 AND state='live'"
                ).fetchone()[0]
                trash = c.execute(
                    "SELECT count(*) FROM drafts WHERE revision>0 AND state='trash'"
                ).fetchone()[0]
                blobs, blob_bytes = c.execute(
                    "SELECT count(*), coalesce(sum(size),0) FROM blobs"
                ).fetchone()
                profiles = c.execute("SELECT count(*) FROM profiles").fetchone()[0]
                schema = c.execute("PRAGMA user_version").fetchone()[0]
                known = {b for (b,) in c.execute("SELECT id FROM blobs")}
                released = (
                    {b for (b,) in c.execute("SELECT id FROM released_blobs")}
                    if schema >= 2
                    else set()
                )
        finally:
            store.close()
        protection = next((m for m in keys.PRIMARY_METHODS if m in methods), None)
        backend, reason = keys.usable_keyring()
        note = None
        if protection == "keyring":
            if backend is None:
                note = f"keyring unavailable: {reason}"
            else:
                try:
                    present = any(
                        keys.load_kek(backend, meta.get("vault_id", ""), w) for w in wrap_ids
                    )
                    note = (
                        "key present in the keyring"
                        if present
                        else "key MISSING from the keyring: use the recovery code"
                    )
                except (keys.keyring_error(), ValueError) as exc:
                    note = f"keyring error: {keys.describe_keyring_error(exc)}"
        db_bytes = sum(p.stat().st_size for p in root.glob(paths.DB_NAME + "*") if p.is_file())
        return VaultInfo(
            data_dir=str(root),
            exists=True,
            vault_id=meta.get("vault_id"),
            protection=protection,
            recovery_code_set="recovery" in methods,
            drafts=live,
            in_trash=trash,
            attachments=blobs,
            profiles=profiles,
            created=meta.get("created"),
            schema_version=schema,
            database_bytes=db_bytes,
            attachment_bytes=blob_bytes,
            keyring_backend=reason if backend is not None else None,
            keyring_note=note,
            unknown_files=len(scan_blob_folder(root, known, released, 0).unknown_files),
        )

    def status(self) -> VaultInfo:
        return self.info(self.data_dir)

    def integrity_check(self) -> str:
        """SQLite's own check of the database file ("ok" when healthy)."""
        rows = self._store.run("PRAGMA integrity_check", "checking the vault")
        return "; ".join(str(r[0]) for r in rows)

    # ------------------------------------------------------------------ keys

    def _draft_key(
        self, c: sqlite3.Connection, draft_id: str, wrapped: bytes | None = None
    ) -> bytes:
        if wrapped is None:
            row = c.execute("SELECT key_wrapped FROM drafts WHERE id=?", (draft_id,)).fetchone()
            if row is None:
                self._draft_keys.pop(draft_id, None)
                raise NotFoundError(f"no draft with id {draft_id} in this vault")
            wrapped = row[0]
        wrapped = bytes(wrapped)
        cached = self._draft_keys.get(draft_id)
        if cached is not None and cached[0] == wrapped:
            return cached[1]
        try:
            key = crypto.unseal(
                self._draft_wrap_key,
                bytes(wrapped),
                crypto.record_aad("draft-key", draft_id, AAD_VERSION),
            )
        except crypto.DecryptionError:
            raise _tampered("its key record", draft_id) from None
        self._draft_keys[draft_id] = (wrapped, key)
        return key

    def _new_draft_row(self, c: sqlite3.Connection, draft_id: str, now: str) -> bytes:
        key = crypto.new_key()
        wrapped = crypto.seal(
            self._draft_wrap_key, key, crypto.record_aad("draft-key", draft_id, AAD_VERSION)
        )
        c.execute(
            "INSERT INTO drafts (id, key_wrapped, revision, state, created, updated) "
            "VALUES (?, ?, 0, 'live', ?, ?)",
            (draft_id, wrapped, now, now),
        )
        self._draft_keys[draft_id] = (wrapped, key)
        return key

    def _primary_wrap(
        self, vault_key: bytes, new_passphrase: str | None, to: str | None
    ) -> tuple[keys.KeyWrap, object | None]:
        """A new keyring or passphrase wrap of ``vault_key`` (the keyring is written first)."""
        target = to or (self.protection if self.protection in keys.PRIMARY_METHODS else "keyring")
        if target == "passphrase" or new_passphrase is not None:
            if new_passphrase is None:
                raise PassphraseRequiredError(
                    "give the new passphrase (--new-passphrase-file FILE)"
                )
            problem = keys.check_new_passphrase(new_passphrase)
            if problem:
                raise VaultError(problem)
            return keys.passphrase_wrap(vault_key, new_passphrase, self.vault_id), None
        backend, reason = keys.usable_keyring()
        if backend is None:
            raise KeyringUnavailableError(
                f"{reason}; protect the vault with a passphrase instead (--new-passphrase-file)"
            )
        try:
            return keys.keyring_wrap(vault_key, self.vault_id, backend), backend
        except keys.keyring_error() as exc:
            raise KeyringUnavailableError(
                f"{keys.describe_keyring_error(exc)}; unlock it, or protect the vault "
                "with a passphrase instead (--new-passphrase-file FILE)"
            ) from None

    def _drop_old_keyring_entries(self, old: list[tuple[str, str]], backend: object | None) -> None:
        old_backend = backend or keys.usable_keyring()[0]
        for old_id, method in old:
            if method == "keyring" and old_backend is not None:
                keys.delete_kek(old_backend, self.vault_id, old_id)  # type: ignore[arg-type]

    def change_protection(
        self, *, new_passphrase: str | None = None, to: str | None = None
    ) -> None:
        """Re-wrap the *same* vault key under a new key-encryption key (keyring or passphrase).

        For a routine passphrase change or switching between keyring and
        passphrase; nothing is re-encrypted, so it is quick.  After a leak use
        :meth:`rotate_key`, which replaces the vault key itself.
        """
        with self._lock:
            self._check_open()
            self._check_writable()
            assert self._vault_key is not None
            wrap, backend = self._primary_wrap(self._vault_key, new_passphrase, to)
            try:
                with self._store.write("changing the vault key") as c:
                    old = c.execute(
                        "SELECT id, method FROM key_wraps WHERE method IN ('keyring', 'passphrase')"
                    ).fetchall()
                    c.execute("DELETE FROM key_wraps WHERE method IN ('keyring', 'passphrase')")
                    keys.insert_wrap(c, wrap)
                    audit.append(c, self._audit_key, "key-change", None, keys.now_iso())
            except BaseException:
                if backend is not None:
                    keys.delete_kek(backend, self.vault_id, wrap.id)  # type: ignore[arg-type]
                raise
            self._drop_old_keyring_entries(old, backend)
            self.protection = wrap.method
            self._checkpoint()

    def change_passphrase(self, new_passphrase: str) -> None:
        self.change_protection(new_passphrase=new_passphrase, to="passphrase")

    def rotate_key(
        self,
        *,
        new_passphrase: str | None = None,
        to: str | None = None,
        reencrypt_documents: bool = False,
        progress: Callable[[str, int, int], None] | None = None,
    ) -> RotationReport:
        """Replace the vault key and every draft key; re-encrypt every record under them.

        After this an old copy of the folder plus the old passphrase (or old
        keyring entry, or old recovery code) no longer opens anything saved
        afterwards: new saves use new draft keys that only the new vault key
        unwraps.  Every record (revisions, summaries, submissions, document
        records, profiles) is re-sealed and the audit chain re-keyed in **one
        SQLite transaction**, so a crash leaves either the old or the new state.
        A new recovery code is made (the old one wrapped the old key): show
        ``report.recovery_code`` once.

        ``reencrypt_documents`` (after a leaked passphrase) also re-encrypts
        every document file under a new file key, one file at a time, resumably:
        a marker stays in the database until the last file is done, and
        :meth:`continue_rotation` (or calling this again) finishes the work.
        ``progress(stage, done, total)`` is called as it goes; it may raise to stop.
        """
        with self._lock:
            self._check_open()
            self._check_writable()
            new_vk = crypto.new_key()
            wrap, backend = self._primary_wrap(new_vk, new_passphrase, to)
            code = keys.new_recovery_code()
            recovery = keys.recovery_wrap(new_vk, code, self.vault_id)
            new_wrap_key = crypto.derive_key(new_vk, "draft-key-wrap")
            new_profile_key = crypto.derive_key(new_vk, "profiles")
            new_audit_key = crypto.derive_key(new_vk, "audit-mac")
            rotation_id = secrets.token_hex(8)
            try:
                with self._store.write("changing the vault key") as c:
                    check = audit.verify(c, self._audit_key)
                    ndrafts = self._rekey_drafts(c, new_wrap_key, progress)
                    profiles.rekey(c, self._profile_key, new_profile_key)
                    old = c.execute("SELECT id, method FROM key_wraps").fetchall()
                    c.execute("DELETE FROM key_wraps")
                    keys.insert_wrap(c, wrap)
                    keys.insert_wrap(c, recovery)
                    audit.rekey(c, self._audit_key, new_audit_key)
                    if reencrypt_documents:
                        c.execute(
                            "INSERT OR REPLACE INTO meta (key, value) VALUES ('rotation', ?)",
                            (rotation_id,),
                        )
                    audit.append(c, new_audit_key, "key-change", None, keys.now_iso())
            except BaseException:
                if backend is not None:
                    keys.delete_kek(backend, self.vault_id, wrap.id)  # type: ignore[arg-type]
                raise
            self._drop_old_keyring_entries(old, backend)
            self._vault_key = new_vk
            self._draft_wrap_key = new_wrap_key
            self._profile_key = new_profile_key
            self._audit_key = new_audit_key
            self._fresh_key = freshness.derive(new_vk)
            self._draft_keys.clear()
            self._summaries.clear()
            self.protection = wrap.method
            self._after_write()
            documents = self.continue_rotation(progress) if reencrypt_documents else 0
            self._compact()  # the old ciphertexts leave the WAL and the free pages
            return RotationReport(code, ndrafts, documents, None if check.ok else check.problem)

    def _rekey_drafts(
        self,
        c: sqlite3.Connection,
        new_wrap_key: bytes,
        progress: Callable[[str, int, int], None] | None,
    ) -> int:
        """Inside the rotation transaction: a new key per draft, every record re-sealed."""
        rows = c.execute("SELECT id, key_wrapped, revision, summary FROM drafts").fetchall()
        for i, (draft_id, wrapped, rev, summary) in enumerate(rows):
            old = self._draft_key(c, draft_id, wrapped)
            new = crypto.new_key()

            def reseal(
                kind: str,
                rid: str,
                blob: bytes,
                *,
                did: str = draft_id,
                old: bytes = old,
                new: bytes = new,
            ) -> bytes:
                aad = crypto.record_aad(kind, rid, AAD_VERSION)
                try:
                    plain = crypto.unseal(old, bytes(blob), aad)
                except crypto.DecryptionError:
                    raise _tampered(f"a {kind} record", did) from None
                return crypto.seal(new, plain, aad)

            for r, body in c.execute(
                "SELECT revision, body FROM revisions WHERE draft_id=?", (draft_id,)
            ).fetchall():
                c.execute(
                    "UPDATE revisions SET body=? WHERE draft_id=? AND revision=?",
                    (reseal("revision", f"{draft_id}/{r}", body), draft_id, r),
                )
            if summary is not None:
                c.execute(
                    "UPDATE drafts SET summary=? WHERE id=?",
                    (reseal("summary", f"{draft_id}/{rev}", summary), draft_id),
                )
            for sub_id, body in c.execute(
                "SELECT id, body FROM submissions WHERE draft_id=?", (draft_id,)
            ).fetchall():
                c.execute(
                    "UPDATE submissions SET body=? WHERE id=?",
                    (reseal("submission", f"{draft_id}/{sub_id}", body), sub_id),
                )
            for blob_id, body in c.execute(
                "SELECT id, meta FROM blobs WHERE draft_id=?", (draft_id,)
            ).fetchall():
                aad = crypto.record_aad("blob-meta", f"{draft_id}/{blob_id}", AAD_VERSION)
                try:
                    meta = json.loads(crypto.unseal(old, bytes(body), aad))
                except crypto.DecryptionError:
                    raise _tampered(f"the record of attachment {blob_id}", draft_id) from None
                # The file keeps its key until its own re-encryption; the key moves into
                # the record, sealed under the new draft key.
                meta.setdefault("fk", crypto.derive_key(old, "blob", blob_id).hex())
                c.execute(
                    "UPDATE blobs SET meta=? WHERE id=?",
                    (crypto.seal(new, padding.pad_record(_json_bytes(meta)), aad), blob_id),
                )
            c.execute(
                "UPDATE drafts SET key_wrapped=? WHERE id=?",
                (
                    crypto.seal(
                        new_wrap_key, new, crypto.record_aad("draft-key", draft_id, AAD_VERSION)
                    ),
                    draft_id,
                ),
            )
            if progress is not None:
                progress("records", i + 1, len(rows))
        return len(rows)

    @property
    def rotation_unfinished(self) -> bool:
        """True while a rotation's document re-encryption is not finished."""
        return self._store.get_meta("rotation") is not None

    def continue_rotation(self, progress: Callable[[str, int, int], None] | None = None) -> int:
        """Re-encrypt every document file not yet done under a new file key; resumable.

        Per file: the new ciphertext is written beside the old one and synced;
        one transaction records the new key (keeping the previous one); the new
        file replaces the old; a second transaction drops the previous key.
        Reads try the new key, then the previous one, so a crash at any point
        leaves every document readable, and calling this again finishes.
        """
        with self._lock:
            self._check_open()
            self._check_writable()
            rotation_id = self._store.get_meta("rotation")
            if rotation_id is None:
                return 0
            with self._store.read() as c:
                blob_ids = [b for (b,) in c.execute("SELECT id FROM blobs ORDER BY id")]
            done = 0
            for n, blob_id in enumerate(blob_ids):
                if self._reencrypt_document(blob_id, rotation_id):
                    done += 1
                if progress is not None:
                    progress("documents", n + 1, len(blob_ids))
            with self._store.write("finishing the key change") as c:
                c.execute("DELETE FROM meta WHERE key='rotation'")
            self._after_write()
            return done

    def _blob_meta(self, c: sqlite3.Connection, blob_id: str) -> tuple[str, bytes, dict[str, Any]]:
        draft_id, body = c.execute(
            "SELECT draft_id, meta FROM blobs WHERE id=?", (blob_id,)
        ).fetchone()
        key = self._draft_key(c, draft_id)
        aad = crypto.record_aad("blob-meta", f"{draft_id}/{blob_id}", AAD_VERSION)
        try:
            return draft_id, key, json.loads(crypto.unseal(key, bytes(body), aad))
        except crypto.DecryptionError:
            raise _tampered(f"the record of attachment {blob_id}", draft_id) from None

    def _put_blob_meta(
        self,
        c: sqlite3.Connection,
        blob_id: str,
        draft_id: str,
        key: bytes,
        meta: dict[str, Any],
    ) -> None:
        aad = crypto.record_aad("blob-meta", f"{draft_id}/{blob_id}", AAD_VERSION)
        c.execute(
            "UPDATE blobs SET meta=? WHERE id=?",
            (crypto.seal(key, padding.pad_record(_json_bytes(meta)), aad), blob_id),
        )

    def _file_opens_with(self, blob_id: str, draft_id: str, file_key: bytes) -> bool:
        """Does the document file's first chunk authenticate under ``file_key``?"""
        try:
            with open(self._blob_path(blob_id), "rb") as fh:
                reader = crypto.DecryptingReader(
                    file_key, f"{draft_id}/{blob_id}", fh, close_source=False
                )
                reader.read(1)
        except (crypto.DecryptionError, OSError):
            return False
        return True

    def _reencrypt_document(self, blob_id: str, rotation_id: str) -> bool:
        path = self._blob_path(blob_id)
        nxt = path.with_name(f".{blob_id}.next")
        with self._store.read() as c:
            draft_id, key, meta = self._blob_meta(c, blob_id)
        if meta.get("rot") == rotation_id:
            if meta.get("prev_fk"):  # crashed after the commit: finish the swap
                if nxt.exists():
                    os.replace(nxt, path)
                    paths.fsync_dir(path.parent)
                with self._store.write("re-encrypting a document") as c:
                    _d, key, meta = self._blob_meta(c, blob_id)
                    if self._file_opens_with(blob_id, draft_id, bytes.fromhex(meta["fk"])):
                        meta.pop("prev_fk", None)
                    else:  # the new file never made it: back to the old key, redo later
                        meta["fk"] = meta.pop("prev_fk")
                        meta.pop("rot", None)
                    self._put_blob_meta(c, blob_id, draft_id, key, meta)
                if "rot" not in meta:
                    return self._reencrypt_document(blob_id, rotation_id)
            return False
        with contextlib.suppress(FileNotFoundError):
            nxt.unlink()  # a half-written file of an interrupted run (this vault's own)
        info, limited = self._open_blob(blob_id)
        new_fk = crypto.new_key()
        committed = False
        try:
            with limited, os.fdopen(paths.create_private_file(nxt), "wb", buffering=0) as out:
                padded = padding.PaddedSource(limited)  # type: ignore[arg-type]
                crypto.encrypt_stream(new_fk, f"{draft_id}/{blob_id}", padded, out)
                out.flush()
                os.fsync(out.fileno())
            if padded.sha256 != info.sha256:
                raise _tampered(f"attachment {blob_id}", draft_id)
            with self._store.write("re-encrypting a document") as c:
                _d, key, meta = self._blob_meta(c, blob_id)
                meta["prev_fk"] = meta.get("fk") or crypto.derive_key(key, "blob", blob_id).hex()
                meta["fk"], meta["rot"] = new_fk.hex(), rotation_id
                self._put_blob_meta(c, blob_id, draft_id, key, meta)
            committed = True  # from here the new file must survive: resume will swap it in
            os.replace(nxt, path)
            paths.fsync_dir(path.parent)
        except BaseException as exc:
            if not committed:
                with contextlib.suppress(OSError):
                    nxt.unlink()
            if isinstance(exc, OSError):
                raise translate(exc, "re-encrypting a document") from None
            raise
        with self._store.write("re-encrypting a document") as c:
            _d, key, meta = self._blob_meta(c, blob_id)
            meta.pop("prev_fk", None)
            self._put_blob_meta(c, blob_id, draft_id, key, meta)
        return True

    def new_recovery_code(self) -> str:
        """Replace the recovery code (the old one stops working); show the result once."""
        with self._lock:
            self._check_open()
            assert self._vault_key is not None
            code = keys.new_recovery_code()
            wrap = keys.recovery_wrap(self._vault_key, code, self.vault_id)
            with self._store.write("changing the recovery code") as c:
                c.execute("DELETE FROM key_wraps WHERE method='recovery'")
                keys.insert_wrap(c, wrap)
                audit.append(c, self._audit_key, "key-change", None, keys.now_iso())
            self._checkpoint()
            return code

    def _checkpoint(self) -> bool:
        """Copy the WAL into the database and truncate it; False if another reader kept it."""
        rows = self._store.run("PRAGMA wal_checkpoint(TRUNCATE)", "compacting the vault")
        return bool(rows) and rows[0][0] == 0

    # ------------------------------------------------------------------ summaries

    def _make_summary(self, draft: Draft, updated: str, revision: int) -> dict[str, object]:
        return {
            "client": facts.client_name(draft),
            "forms_and_receipts": facts.forms_and_receipts(draft),
            "receipts": facts.receipt_numbers(draft),
            "status": _shown_status(draft),
            "family_group": draft.family_group,
            "form": draft.form,
            "updated": updated,
            "revision": revision,
            "submitted_on": draft.submission.date if draft.submission else "",
            "submitted_by": draft.submission.method if draft.submission else "",
            "request_number": (draft.submission.request_number or "") if draft.submission else "",
        }

    def _decode_summary(
        self,
        c: sqlite3.Connection,
        draft_id: str,
        revision: int,
        state: str,
        updated: str,
        sealed: bytes | None,
        wrapped: bytes,
    ) -> DraftSummary:
        doc: dict[str, object] = {}
        damaged = False
        try:
            if sealed is None:
                raise crypto.DecryptionError("no summary")
            key = self._draft_key(c, draft_id, wrapped)
            doc = json.loads(
                crypto.unseal(
                    key,
                    bytes(sealed),
                    crypto.record_aad("summary", f"{draft_id}/{revision}", AAD_VERSION),
                )
            )
        except (crypto.DecryptionError, TamperedDataError, ValueError):
            damaged = True
        client = str(doc.get("client") or "") if not damaged else "(damaged: cannot be decrypted)"
        receipts = tuple(str(r) for r in doc.get("receipts") or ())  # type: ignore[attr-defined]
        far = str(doc.get("forms_and_receipts") or "")
        group = doc.get("family_group")
        search = fold(
            " ".join(
                [
                    draft_id,
                    client,
                    far,
                    " ".join(receipts),
                    str(group or ""),
                    str(doc.get("status") or ""),
                    str(doc.get("request_number") or ""),
                ]
            )
        )
        return DraftSummary(
            id=draft_id,
            client=client,
            forms_and_receipts=far,
            receipts=receipts,
            status=str(doc.get("status") or ("damaged" if damaged else "draft")),
            family_group=str(group) if group else None,
            form=str(doc.get("form") or ""),
            updated=str(doc.get("updated") or updated),  # exact time only inside the seal
            revision=revision,
            in_trash=state == "trash",
            damaged=damaged,
            submitted_on=str(doc.get("submitted_on") or ""),
            submitted_by=str(doc.get("submitted_by") or ""),
            request_number=str(doc.get("request_number") or ""),
            search_text=search,
        )

    def _refresh_summaries(self) -> None:
        """Bring the in-memory summary cache up to date (other windows may have saved)."""
        with self._store.read() as c:
            rows = c.execute(
                "SELECT id, revision, state, updated FROM drafts WHERE revision > 0"
            ).fetchall()
            seen = set()
            stale = []
            for draft_id, revision, state, _updated in rows:
                seen.add(draft_id)
                cached = self._summaries.get(draft_id)
                if cached is None or cached[0] != revision or cached[2].damaged:
                    stale.append(draft_id)  # a damaged one is read again: it may be healed
                elif cached[1] != state:
                    old = cached[2]
                    self._summaries[draft_id] = (
                        revision,
                        state,
                        DraftSummary(
                            **{
                                **{f: getattr(old, f) for f in DraftSummary.__slots__},
                                "in_trash": state == "trash",
                            }
                        ),
                    )
            for start in range(0, len(stale), 500):
                batch = stale[start : start + 500]
                marks = ",".join("?" * len(batch))
                for draft_id, revision, state, updated, sealed, wrapped in c.execute(
                    f"SELECT id, revision, state, updated, summary, key_wrapped FROM drafts "
                    f"WHERE id IN ({marks})",
                    batch,
                ).fetchall():
                    self._summaries[draft_id] = (
                        revision,
                        state,
                        self._decode_summary(
                            c, draft_id, revision, state, updated, sealed, wrapped
                        ),
                    )
            for gone in set(self._summaries) - seen:
                del self._summaries[gone]

    def list_drafts(self, *, trash: bool = False) -> list[DraftSummary]:
        """Live drafts (or, with ``trash=True``, those in the trash), newest first."""
        with self._lock:
            self._check_open()
            self._refresh_summaries()
            out = [s for _r, _st, s in self._summaries.values() if s.in_trash == trash]
        out.sort(key=lambda s: s.updated, reverse=True)
        return out

    def search(self, query: str, *, trash: bool = False) -> list[DraftSummary]:
        """Drafts whose client, forms, receipts, id or group contain every word of ``query``."""
        words = fold(query).split()
        return [s for s in self.list_drafts(trash=trash) if all(w in s.search_text for w in words)]

    def summary(self, draft_id: str) -> DraftSummary:
        with self._lock:
            self._check_open()
            self._refresh_summaries()
            cached = self._summaries.get(draft_id)
        if cached is None:
            raise NotFoundError(f"no draft with id {draft_id} in this vault")
        return cached[2]

    def change_marker(self) -> int:
        """A number that changes when another process (the CLI, a second window) commits
        to the vault: a cheap poll for the drafts list (SQLite's ``data_version``)."""
        with self._lock:
            self._check_open()
            with self._store.read() as c:
                return int(c.execute("PRAGMA data_version").fetchone()[0])

    def family(self, group_id: str) -> list[DraftSummary]:
        return [s for s in self.list_drafts() if s.family_group == group_id]

    # ------------------------------------------------------------------ drafts

    def _save_in_tx(
        self, c: sqlite3.Connection, draft: Draft, base_revision: int | None, now: str
    ) -> tuple[int, list[str]]:
        """Write one revision; returns it and the blob ids no kept revision needs any more."""
        blob_ids = []
        for i, att in enumerate(draft.attachments):
            blob_id = blob_id_of(att)
            if blob_id is None:
                raise VaultError(
                    f"attachment {i + 1} of draft {draft.id} is a plain file, not "
                    "stored in the vault; add it with Vault.attach_file first"
                )
            blob_ids.append(blob_id)
        row = c.execute("SELECT revision, state FROM drafts WHERE id=?", (draft.id,)).fetchone()
        if row is None:
            if c.execute("SELECT 1 FROM purged WHERE id=?", (draft.id,)).fetchone():
                raise NotFoundError(
                    f"draft {draft.id} was purged (perhaps in another window) "
                    "and cannot be saved again; it was not saved"
                )
            key = self._new_draft_row(c, draft.id, now)
            current = 0
        else:
            current, state = row
            if state == "trash":
                raise VaultError(f"draft {draft.id} is in the trash; restore it before saving")
            key = self._draft_key(c, draft.id)
        if base_revision is not None and base_revision != current:
            raise RevisionConflictError(
                f"draft {draft.id} was saved elsewhere (revision {current}, this copy is based "
                f"on {base_revision}); reload it. Both versions are kept in its history."
            )
        if blob_ids:
            marks = ",".join("?" * len(set(blob_ids)))
            found = {
                b
                for (b,) in c.execute(
                    f"SELECT id FROM blobs WHERE draft_id=? AND id IN ({marks})",
                    (draft.id, *set(blob_ids)),
                )
            }
            missing = [b for b in blob_ids if b not in found]
            if missing:
                raise NotFoundError(
                    f"draft {draft.id} refers to attachment {missing[0]}, which "
                    "is not stored with this draft in the vault"
                )
        rev = current + 1
        body = _json_bytes(draft_to_dict(draft))
        c.execute(
            "INSERT INTO revisions (draft_id, revision, saved_at, body) VALUES (?,?,?,?)",
            (
                draft.id,
                rev,
                now,  # exact: the clean-up of removed documents compares against it
                crypto.seal(
                    key,
                    padding.pad_record(body),
                    crypto.record_aad("revision", f"{draft.id}/{rev}", AAD_VERSION),
                ),
            ),
        )
        c.executemany(
            "INSERT OR IGNORE INTO revision_blobs VALUES (?,?,?)",
            [(draft.id, rev, b) for b in blob_ids],
        )
        summary = _json_bytes(self._make_summary(draft, now, rev))
        c.execute(
            "UPDATE drafts SET revision=?, updated=?, summary=? WHERE id=?",
            (
                rev,
                coarse_time(now),
                crypto.seal(
                    key,
                    padding.pad_record(summary),
                    crypto.record_aad("summary", f"{draft.id}/{rev}", AAD_VERSION),
                ),
                draft.id,
            ),
        )
        c.execute(
            "DELETE FROM revisions WHERE draft_id=? AND revision<=?",
            (draft.id, rev - KEEP_REVISIONS),
        )
        c.execute(
            "DELETE FROM revision_blobs WHERE draft_id=? AND revision<=?",
            (draft.id, rev - KEEP_REVISIONS),
        )
        garbage: list[str] = []
        if current >= 1:
            oldest = c.execute(
                "SELECT min(saved_at) FROM revisions WHERE draft_id=?", (draft.id,)
            ).fetchone()[0]
            garbage = [
                b
                for (b,) in c.execute(
                    "SELECT id FROM blobs WHERE draft_id=? AND created<? AND id NOT IN "
                    "(SELECT blob_id FROM revision_blobs WHERE draft_id=?)",
                    (draft.id, oldest, draft.id),
                )
            ]
            c.executemany("DELETE FROM blobs WHERE id=?", [(b,) for b in garbage])
            _release(c, garbage, now)
        audit.append(c, self._audit_key, "save", draft.id, now)
        return rev, garbage

    def save_draft(self, draft: Draft, *, base_revision: int | None = None) -> int:
        """Save atomically as a new revision and return its number.

        Pass the revision the draft was loaded at as ``base_revision`` to detect
        a save from another window in between (:class:`RevisionConflictError`).
        Attachments must already be in the vault (``path`` = ``vault:<id>``).
        A failure (disk full, read-only) raises and leaves the previous revision.
        """
        intake.check_storable(draft)
        with self._lock:
            self._check_open()
            with self._store.write("saving the draft") as c:
                rev, garbage = self._save_in_tx(c, draft, base_revision, keys.now_iso())
            self._remove_blob_files(garbage)
            return rev

    def load_draft(self, draft_id: str, revision: int | None = None) -> Draft:
        """Decrypt a draft (the current revision, or an older one still kept)."""
        with self._lock:
            self._check_open()
            with self._store.read("opening the draft") as c:
                head = c.execute(
                    "SELECT revision, key_wrapped FROM drafts WHERE id=?", (draft_id,)
                ).fetchone()
                if head is None:  # purged, perhaps by another window
                    self._draft_keys.pop(draft_id, None)
                    raise NotFoundError(f"no draft with id {draft_id} in this vault")
                key = self._draft_key(c, draft_id, head[1])
                if revision is None:
                    revision = head[0]
                    if revision == 0:
                        raise NotFoundError(f"draft {draft_id} has never been saved")
                row = c.execute(
                    "SELECT body FROM revisions WHERE draft_id=? AND revision=?",
                    (draft_id, revision),
                ).fetchone()
            if row is None:
                raise NotFoundError(
                    f"draft {draft_id} has no revision {revision} (the vault "
                    f"keeps the last {KEEP_REVISIONS})"
                )
            try:
                body = crypto.unseal(
                    key,
                    bytes(row[0]),
                    crypto.record_aad("revision", f"{draft_id}/{revision}", AAD_VERSION),
                )
            except crypto.DecryptionError:
                raise _tampered(f"revision {revision}", draft_id) from None
            try:
                draft = draft_from_dict(json.loads(body))
            except (DraftFormatError, ValueError) as exc:
                raise VaultError(
                    f"draft {draft_id} revision {revision} cannot be read by this "
                    f"version of Ombuds Desktop: {exc}"
                ) from None
            self._audit_best_effort("open", draft_id)
            return draft

    def current_revision(self, draft_id: str) -> int:
        with self._lock:
            self._check_open()
            with self._store.read() as c:
                row = c.execute("SELECT revision FROM drafts WHERE id=?", (draft_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no draft with id {draft_id} in this vault")
        return int(row[0])

    # ------------------------------------------------------------------ crash recovery

    def _recovery_key(self, draft_id: str) -> bytes:
        with self._lock:
            self._check_open()
            with self._store.read() as c:
                return self._draft_key(c, draft_id)

    def save_recovery(self, draft: Draft, base_revision: int | None) -> None:
        """Write the sealed recovery record of unsaved typing (see :mod:`.recovery`)."""
        key = self._recovery_key(draft.id)
        try:
            recovery.write(self.data_dir, key, draft, base_revision, keys.now_iso(), AAD_VERSION)
        except OSError as exc:
            raise translate(exc, "writing the recovery copy of your typing") from None

    def load_recovery(self, draft_id: str) -> recovery.RecoveredTyping | None:
        """Typing that was not saved before a crash, or None."""
        return recovery.read(self.data_dir, self._recovery_key(draft_id), draft_id, AAD_VERSION)

    def discard_recovery(self, draft_id: str) -> None:
        """Drop the recovery record once a real revision holds the typing."""
        try:
            key = self._recovery_key(draft_id)
        except NotFoundError:
            return
        try:
            recovery.discard(self.data_dir, key, draft_id)
        except OSError as exc:
            raise translate(exc, "removing the recovery copy of your typing") from None

    def revisions(self, draft_id: str) -> list[RevisionInfo]:
        """The kept revisions of a draft, newest first."""
        with self._lock:
            self._check_open()
            with self._store.read() as c:
                if c.execute("SELECT 1 FROM drafts WHERE id=?", (draft_id,)).fetchone() is None:
                    raise NotFoundError(f"no draft with id {draft_id} in this vault")
                rows = c.execute(
                    "SELECT revision, saved_at FROM revisions WHERE draft_id=? "
                    "ORDER BY revision DESC",
                    (draft_id,),
                ).fetchall()
        return [RevisionInfo(r, s) for r, s in rows]

    def restore_revision(self, draft_id: str, revision: int) -> int:
        """Make an old revision current again (saved as a new revision; nothing is lost)."""
        with self._lock:
            old = self.load_draft(draft_id, revision)
            with self._store.write("restoring a revision") as c:
                now = keys.now_iso()
                rev, garbage = self._save_in_tx(c, old, None, now)
                audit.append(c, self._audit_key, "restore-revision", draft_id, now)
            self._remove_blob_files(garbage)
            return rev

    def _set_state(self, draft_id: str, state: str, event: str) -> None:
        with self._lock:
            self._check_open()
            with self._store.write("moving the draft") as c:
                row = c.execute(
                    "SELECT state, revision FROM drafts WHERE id=?", (draft_id,)
                ).fetchone()
                if row is None or row[1] == 0:
                    raise NotFoundError(f"no draft with id {draft_id} in this vault")
                if row[0] == state:
                    where = "in the trash" if state == "trash" else "not in the trash"
                    raise VaultError(f"draft {draft_id} is already {where}")
                now = keys.now_iso()
                c.execute(
                    "UPDATE drafts SET state=?, trashed_at=? WHERE id=?",
                    (state, now if state == "trash" else None, draft_id),
                )
                audit.append(c, self._audit_key, event, draft_id, now)

    def delete_draft(self, draft_id: str) -> None:
        """Move to the trash (restorable with :meth:`restore_draft`)."""
        self._set_state(draft_id, "trash", "delete")

    def restore_draft(self, draft_id: str) -> None:
        self._set_state(draft_id, "live", "restore")

    def purge_draft(self, draft_id: str) -> PurgeReport:
        """Destroy a draft for good: its key, revisions, attachments and submission records.

        Deletes the rows (secure_delete zeroes their pages), unlinks the
        attachment files, checkpoints and truncates the WAL and VACUUMs, so no
        trace is left in the live vault files.  Backups made earlier still hold it.
        """
        with self._lock:
            self._check_open()
            with self._store.write("purging the draft") as c:
                if c.execute("SELECT 1 FROM drafts WHERE id=?", (draft_id,)).fetchone() is None:
                    raise NotFoundError(f"no draft with id {draft_id} in this vault")
                with contextlib.suppress(OSError, VaultError):  # a damaged key: nothing to read
                    recovery.discard(self.data_dir, self._draft_key(c, draft_id), draft_id)
                blob_ids = [
                    b for (b,) in c.execute("SELECT id FROM blobs WHERE draft_id=?", (draft_id,))
                ]
                self._delete_draft_rows(c, draft_id)
                now = keys.now_iso()
                _release(c, blob_ids, now)
                c.execute("INSERT OR REPLACE INTO purged (id, at) VALUES (?, ?)", (draft_id, now))
                audit.append(c, self._audit_key, "purge", draft_id, now)
            self._remove_blob_files(blob_ids)
            self._draft_keys.pop(draft_id, None)
            self._summaries.pop(draft_id, None)
            truncated = self._compact()
            self._wal_pending = not truncated
            return PurgeReport(draft_id, len(blob_ids), truncated)

    @staticmethod
    def _delete_draft_rows(c: sqlite3.Connection, draft_id: str) -> None:
        for table, column in (
            ("revision_blobs", "draft_id"),
            ("revisions", "draft_id"),
            ("blobs", "draft_id"),
            ("submissions", "draft_id"),
            ("drafts", "id"),
        ):
            c.execute(f"DELETE FROM {table} WHERE {column}=?", (draft_id,))

    def _compact(self) -> bool:
        """Checkpoint, VACUUM, checkpoint; False if another window kept old pages in use.

        The deletion itself is already committed (and its pages zeroed by
        secure_delete); a busy vault only postpones the WAL truncation.
        """
        try:
            self._checkpoint()
            self._store.run("VACUUM", "compacting the vault")
            done = self._checkpoint()
        except VaultBusyError:
            done = False
        self._store.tighten()
        return done

    def duplicate_for_family(self, draft_id: str, shared_fields: Iterable[str]) -> Draft:
        """A new draft for a family member: the family-shared answers, the same representative.

        Both drafts end up in one family group (created if the source had
        none); the two saves are one transaction.  ``shared_fields`` comes from
        the form definition (``definition.family_shared_fields()``): storage
        does not read the form.
        """
        with self._lock:
            source = self.load_draft(draft_id)
            shared = list(shared_fields)
            group = source.family_group or new_id()
            twin = Draft(
                form=source.form,
                values={f: copy.deepcopy(source.values[f]) for f in shared if f in source.values},
                family_group=group,
                representative_profile=source.representative_profile,
            )
            with self._store.write("duplicating the draft") as c:
                now = keys.now_iso()
                if source.family_group != group:
                    source.family_group = group
                    self._save_in_tx(c, source, None, now)
                self._save_in_tx(c, twin, None, now)
                audit.append(c, self._audit_key, "duplicate", twin.id, now)
            return twin

    def correction_copy(self, draft_id: str) -> Draft:
        """A new, editable draft with every answer and document of a submitted one.

        The submitted draft stays as it was sent (read-only in the app); the copy
        has no submission, is in the same family group, and its documents are
        re-encrypted under the copy's own key.
        """
        with self._lock:
            source = self.load_draft(draft_id)
            twin = copy.deepcopy(source)
            twin.id = new_id()
            twin.status = "draft"
            twin.submission = None
            for att in twin.attachments:
                blob = blob_id_of(att)
                if blob is None:
                    continue
                name = self.attachment_info(blob).original_name
                with self.open_attachment(blob) as fh:
                    stored = self.store_attachment(twin.id, fh, original_name=name)
                att.path = stored.ref
            with self._store.write("making a correction copy") as c:
                now = keys.now_iso()
                self._save_in_tx(c, twin, None, now)
                audit.append(c, self._audit_key, "duplicate", twin.id, now)
            return twin

    # ------------------------------------------------------------------ attachments

    def _blob_path(self, blob_id: str) -> Path:
        if not _BLOB_ID.match(blob_id):
            raise NotFoundError(f"{blob_id!r} is not an attachment id of this vault")
        return paths.blob_root(self.data_dir) / blob_id[:2] / blob_id

    def _remove_blob_files(self, blob_ids: Iterable[str]) -> None:
        """Delete the files of blobs this vault released (tombstoned), then their tombstones.

        Only ids with a tombstone row in this database are touched: a file is
        never deleted because it is old or because this database does not know
        it (it may belong to a newer copy of the database, or to a vault whose
        database was moved aside).
        """
        wanted = list(blob_ids)
        if not wanted or self._store.read_only or self._writes_blocked():
            return
        with self._lock:
            try:
                with self._store.read() as c:
                    released = {
                        b
                        for start in range(0, len(wanted), 500)
                        for (b,) in c.execute(
                            "SELECT id FROM released_blobs WHERE id IN "
                            f"({','.join('?' * len(wanted[start : start + 500]))})",
                            wanted[start : start + 500],
                        )
                    }
            except VaultError:
                return
            dirs = set()
            gone = []
            for blob_id in wanted:
                if blob_id not in released or not _BLOB_ID.match(blob_id):
                    continue
                path = self._blob_path(blob_id)
                try:
                    path.unlink()
                except FileNotFoundError:
                    pass
                except OSError:
                    continue  # retried at the next unlock
                dirs.add(path.parent)
                gone.append(blob_id)
            for d in dirs:
                with contextlib.suppress(OSError):
                    paths.fsync_dir(d)
            if gone:
                with contextlib.suppress(VaultError), self._store.write("cleaning up") as c:
                    c.executemany("DELETE FROM released_blobs WHERE id=?", [(b,) for b in gone])

    def _ensure_draft(self, draft_id: str) -> bytes:
        with self._store.write("preparing the draft") as c:
            row = c.execute("SELECT state FROM drafts WHERE id=?", (draft_id,)).fetchone()
            if row is None:
                if c.execute("SELECT 1 FROM purged WHERE id=?", (draft_id,)).fetchone():
                    raise NotFoundError(f"draft {draft_id} was purged; nothing can be added to it")
                return self._new_draft_row(c, draft_id, keys.now_iso())
            if row[0] == "trash":
                raise VaultError(f"draft {draft_id} is in the trash; restore it first")
            return self._draft_key(c, draft_id)

    def store_attachment(
        self,
        draft_id: str,
        source: str | os.PathLike[str] | IO[bytes],
        *,
        original_name: str | None = None,
        progress: Progress | None = None,
    ) -> StoredAttachment:
        """Encrypt a file (streamed, 1 MiB at a time) into the vault for ``draft_id``.

        The draft need not be saved yet.  Put ``result.ref`` in the attachment's
        ``path``; the original file name is kept encrypted.  On any failure no
        partial file is left behind.
        """
        with self._lock:
            self._check_open()
            key = self._ensure_draft(draft_id)
        if isinstance(source, (str, os.PathLike)):
            src_path = Path(source)
            name = original_name if original_name is not None else src_path.name
            try:
                fh: IO[bytes] = open(src_path, "rb")  # noqa: SIM115 - closed below
            except FileNotFoundError:
                raise NotFoundError(f"attachment file not found: {src_path}") from None
            except IsADirectoryError:
                raise VaultError(f"{src_path} is a folder, not a file") from None
            except OSError as exc:
                raise VaultError(f"cannot read {src_path}: {exc.strerror}") from None
            close_src = True
        else:
            fh, name, close_src = source, original_name or "attachment", False
        blob_id = secrets.token_hex(16)
        final = self._blob_path(blob_id)
        tmp = final.with_name(f".{blob_id}.tmp")
        file_key = crypto.new_key()  # its own key, kept in the encrypted record (see rotate_key)
        try:
            try:
                paths.ensure_private_dir(paths.blob_root(self.data_dir))
                paths.ensure_private_dir(final.parent)
                fd = paths.create_private_file(tmp)
                padded = padding.PaddedSource(fh)
                with open(fd, "wb", buffering=0) as out:  # whole records: no extra copy
                    crypto.encrypt_stream(
                        file_key, f"{draft_id}/{blob_id}", padded, out, progress=progress
                    )
                    out.flush()
                    os.fsync(out.fileno())
                os.replace(tmp, final)
                paths.fsync_dir(final.parent)
                size = final.stat().st_size
            except OSError as exc:
                raise translate(exc, "storing the attachment") from None
            info = crypto.StreamInfo(padded.size, padded.sha256, 0)
            meta = _json_bytes(
                {"name": name, "sha256": info.sha256, "size": info.size, "fk": file_key.hex()}
            )
            with self._lock, self._store.write("storing the attachment") as c:
                c.execute(
                    "INSERT INTO blobs (id, draft_id, size, created, meta) VALUES (?,?,?,?,?)",
                    (
                        blob_id,
                        draft_id,
                        size,
                        keys.now_iso(),
                        crypto.seal(
                            key,
                            padding.pad_record(meta),
                            crypto.record_aad("blob-meta", f"{draft_id}/{blob_id}", AAD_VERSION),
                        ),
                    ),
                )
                audit.append(c, self._audit_key, "attachment-add", draft_id, keys.now_iso())
        except BaseException:
            for p in (tmp, final):
                with contextlib.suppress(OSError):
                    p.unlink()
            raise
        finally:
            if close_src:
                fh.close()
        return StoredAttachment(blob_id, draft_id, name, info.sha256, info.size)

    def attach_file(
        self,
        draft: Draft,
        path: str | os.PathLike[str],
        *,
        category: str,
        description: str = "",
        date: str | None = None,
        foreign_language: bool = False,
        translation_of: str | None = None,
        progress: Progress | None = None,
    ) -> Attachment:
        """Store a file and append the matching :class:`Attachment` to ``draft`` (not saved)."""
        stored = self.store_attachment(draft.id, path, progress=progress)
        att = Attachment(
            category=category,
            description=description,
            path=stored.ref,
            date=date,
            foreign_language=foreign_language,
            translation_of=translation_of,
            sha256=stored.sha256,
            original_name=stored.original_name,
        )
        draft.attachments.append(att)
        return att

    def _blob_record(self, blob_id: str) -> tuple[StoredAttachment, list[bytes]]:
        """The document's record and the key(s) its file may be encrypted with.

        Files written since schema 2 have their own key in the record (``fk``);
        older ones use a key derived from the draft key.  During a document
        re-encryption the previous key (``prev_fk``) is kept until the new
        file is in place, so a crash in between never strands a document.
        """
        with self._lock:
            self._check_open()
            self._blob_path(blob_id)
            with self._store.read() as c:
                row = c.execute(
                    "SELECT draft_id, meta FROM blobs WHERE id=?", (blob_id,)
                ).fetchone()
                if row is None:
                    raise NotFoundError(f"attachment {blob_id} is not in this vault")
                draft_id = row[0]
                key = self._draft_key(c, draft_id)
            try:
                meta = json.loads(
                    crypto.unseal(
                        key,
                        bytes(row[1]),
                        crypto.record_aad("blob-meta", f"{draft_id}/{blob_id}", AAD_VERSION),
                    )
                )
            except crypto.DecryptionError:
                raise _tampered(f"the record of attachment {blob_id}", draft_id) from None
        file_keys = [
            bytes.fromhex(meta["fk"]) if meta.get("fk") else crypto.derive_key(key, "blob", blob_id)
        ]
        if meta.get("prev_fk"):
            file_keys.append(bytes.fromhex(meta["prev_fk"]))
        info = StoredAttachment(blob_id, draft_id, meta["name"], meta["sha256"], meta["size"])
        return info, file_keys

    def attachment_info(self, blob_id: str) -> StoredAttachment:
        return self._blob_record(blob_id)[0]

    def _open_blob(self, blob_id: str) -> tuple[StoredAttachment, padding.LimitedReader]:
        """An authenticated reader of the document's real bytes (padding cut off)."""
        info, file_keys = self._blob_record(blob_id)
        draft_id = info.draft_id

        def damaged(_detail: str) -> Exception:
            return _tampered(f"attachment {blob_id}", draft_id)

        for n, file_key in enumerate(file_keys):
            try:
                fh = open(self._blob_path(blob_id), "rb")  # noqa: SIM115 - owned by the reader
            except FileNotFoundError:
                raise _tampered(
                    f"attachment {blob_id} (its encrypted file is missing)",
                    draft_id,
                    AttachmentMissingError,
                ) from None
            except OSError as exc:
                raise translate(exc, "reading the attachment") from None
            try:
                raw = crypto.DecryptingReader(
                    file_key, f"{draft_id}/{blob_id}", fh, error_factory=damaged
                )
                first = bytearray(1)
                if info.size and raw.readinto(first) != 1:
                    raise damaged("empty")
            except TamperedDataError:
                fh.close()
                if n + 1 < len(file_keys):
                    continue
                raise
            except BaseException:
                fh.close()
                raise
            limited = padding.LimitedReader(
                _Prepend(bytes(first[: 1 if info.size else 0]), raw), info.size
            )
            return info, limited
        raise _tampered(f"attachment {blob_id}", draft_id)

    def open_attachment(self, blob_id: str) -> BinaryIO:
        """A read-only binary stream of the decrypted attachment (close it when done).

        Each 1 MiB chunk is authenticated before it is returned; a damaged file
        raises :class:`TamperedDataError` from ``read``.  Read it to the end
        before trusting the result (or use :meth:`export_attachment`).
        """
        _info, limited = self._open_blob(blob_id)
        return io.BufferedReader(limited, buffer_size=crypto.CHUNK_SIZE)

    def read_attachment(self, blob_id: str) -> bytes:
        """The whole decrypted attachment, checked against its SHA-256 (for small files)."""
        info, limited = self._open_blob(blob_id)
        with io.BufferedReader(limited, buffer_size=crypto.CHUNK_SIZE) as fh:
            data = fh.read()
        if hashlib.sha256(data).hexdigest() != info.sha256:
            raise _tampered(f"attachment {blob_id}", info.draft_id)
        return data

    def export_attachment(
        self, blob_id: str, dest: str | os.PathLike[str], *, progress: Progress | None = None
    ) -> Path:
        """Decrypt an attachment to ``dest`` (a caller-chosen, plaintext location).

        Written to a temporary name beside ``dest`` and renamed only once every
        chunk and the SHA-256 check passed, so a damaged attachment never
        yields a half-written file.
        """
        info, limited = self._open_blob(blob_id)
        dest_path = Path(dest)
        tmp = dest_path.with_name(f".{dest_path.name}.{secrets.token_hex(4)}.part")
        try:
            digest = hashlib.sha256()
            done = 0
            with limited, os.fdopen(paths.create_private_file(tmp), "wb") as out:
                buf = bytearray(crypto.CHUNK_SIZE)
                while True:
                    n = limited.readinto(buf)
                    if not n:
                        break
                    chunk = memoryview(buf)[:n]
                    digest.update(chunk)
                    out.write(chunk)
                    done += n
                    if progress is not None:
                        progress(done)
                out.flush()
                os.fsync(out.fileno())
            if digest.hexdigest() != info.sha256:
                raise _tampered(f"attachment {blob_id}", info.draft_id)
            os.replace(tmp, dest_path)
        except OSError as exc:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise translate(exc, "exporting the attachment") from None
        except BaseException:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
        return dest_path

    def materialize_draft(
        self,
        draft_id: str,
        dest_dir: str | os.PathLike[str],
        *,
        revision: int | None = None,
        json_name: str = "draft.json",
        attachments_dir: str = "attachments",
        progress: Progress | None = None,
    ) -> tuple[Draft, Path]:
        """Write the draft as interchange JSON plus its decrypted attachments into ``dest_dir``.

        For the packet builder and plain exports: returns the draft with
        attachment paths relative to ``dest_dir`` (so
        ``resolve_attachment_path(a, dest_dir)`` finds each file).  The caller
        owns ``dest_dir`` and must delete it when done; it holds plaintext.
        """
        draft = self.load_draft(draft_id, revision)
        out_dir = Path(dest_dir)
        try:
            out_dir.mkdir(parents=True, exist_ok=True, mode=paths.DIR_MODE)
        except OSError as exc:
            raise translate(exc, "writing the draft files") from None
        used: set[str] = set()
        for i, att in enumerate(draft.attachments):
            blob_id = blob_id_of(att)
            if blob_id is None:
                continue
            name = _safe_file_name(
                att.original_name or self.attachment_info(blob_id).original_name,
                f"attachment-{i + 1}",
            )
            rel = f"{attachments_dir}/{i + 1:02d}-{name}"
            while rel in used:
                rel = f"{attachments_dir}/{i + 1:02d}-{secrets.token_hex(2)}-{name}"
            used.add(rel)
            target = out_dir / rel
            try:
                target.parent.mkdir(parents=True, exist_ok=True, mode=paths.DIR_MODE)
            except OSError as exc:
                raise translate(exc, "writing the draft files") from None
            self.export_attachment(blob_id, target, progress=progress)
            att.path = rel
        try:
            paths.write_private(out_dir / json_name, dumps(draft).encode("utf-8"))
        except OSError as exc:
            raise translate(exc, "writing the draft files") from None
        return draft, out_dir

    def import_draft(
        self,
        draft: Draft,
        base_dir: str | os.PathLike[str] | None,
        *,
        allow_from: Sequence[str | os.PathLike[str]] = (),
        progress: Progress | None = None,
    ) -> Draft:
        """Store an interchange draft and encrypt its attachment files into the vault.

        Attachment paths must name regular files inside ``base_dir`` (the draft
        file's folder) or inside a folder listed in ``allow_from`` (which the
        user explicitly trusted); see :func:`.intake.check_attachment_paths`.
        Otherwise nothing is imported and the message names every refused path.
        The draft keeps its id unless the vault already has it, in which case
        it gets a new one.  Returns the stored draft.
        """
        intake.check_storable(draft)
        problems = intake.check_attachment_paths(draft, base_dir, allow_from)
        if problems:
            message = f"{intake.describe(problems)}. Nothing was imported."
            if all(p.kind == "missing" for p in problems):
                raise NotFoundError(message)
            raise AttachmentRefusedError(message, problems)
        draft = draft.copy()
        # The file's own word is not trusted: forced answers are set, the status recomputed.
        facts.apply_forced_answers(draft)
        draft.status = _shown_status(draft)
        with self._lock:
            self._check_open()
            with self._store.read() as c:
                if c.execute(
                    "SELECT 1 FROM drafts WHERE id=? UNION SELECT 1 FROM purged WHERE id=?",
                    (draft.id, draft.id),
                ).fetchone():
                    draft.id = new_id()
        base = Path(base_dir) if base_dir is not None else None
        try:
            for i, att in enumerate(draft.attachments):
                if blob_id_of(att) is not None:
                    raise VaultError(
                        f"attachment {i + 1} refers to another vault "
                        f"({att.path}); export it with its files instead"
                    )
                real, problem = intake.check_attachment_path(i, att.path, base, allow_from)
                if real is None:
                    assert problem is not None
                    raise AttachmentRefusedError(
                        f"{problem.message}. Nothing was imported.", [problem]
                    )
                with intake.open_checked(real) as src:
                    stored = self.store_attachment(
                        draft.id,
                        src,
                        original_name=att.original_name or os.path.basename(real),
                        progress=progress,
                    )
                if att.sha256 and att.sha256.lower() != stored.sha256:
                    raise VaultError(
                        f"attachment {i + 1}: the file's SHA-256 does not match "
                        "the one recorded in the draft; it changed or is the "
                        "wrong file"
                    )
                att.path, att.sha256 = stored.ref, stored.sha256
                att.original_name = stored.original_name
            with self._lock, self._store.write("importing the draft") as c:
                now = keys.now_iso()
                self._save_in_tx(c, draft, None, now)
                audit.append(c, self._audit_key, "import", draft.id, now)
        except BaseException:
            with contextlib.suppress(VaultError):
                self.discard_unsaved(draft.id)
            raise
        return draft

    def discard_unsaved(self, draft_id: str) -> None:
        """Remove a draft row that never got a revision (an interrupted import)."""
        with self._lock, self._store.write("cleaning up") as c:
            row = c.execute("SELECT revision FROM drafts WHERE id=?", (draft_id,)).fetchone()
            if row is None or row[0] != 0:
                return
            blob_ids = [
                b for (b,) in c.execute("SELECT id FROM blobs WHERE draft_id=?", (draft_id,))
            ]
            self._delete_draft_rows(c, draft_id)
            _release(c, blob_ids, keys.now_iso())
            self._draft_keys.pop(draft_id, None)
        self._remove_blob_files(blob_ids)

    def _housekeeping(self) -> None:
        """At unlock: finish deleting the files of blobs this vault released (tombstones).

        Nothing is deleted by age or by absence from this database: an older
        copy of the database, or a new vault made beside an old ``blobs/``
        folder, must never destroy documents another database still needs.
        Unknown files are only reported, by :meth:`check_files`.
        """
        with self._store.read() as c:
            released = [b for (b,) in c.execute("SELECT id FROM released_blobs")]
        self._remove_blob_files(released)

    def check_files(self) -> FileCheck:
        """Compare ``blobs/`` with the database: what is unknown, missing or unfinished.

        Reads only; nothing is deleted (see :meth:`_housekeeping`).
        """
        with self._lock:
            self._check_open()
            with self._store.read() as c:
                known = {b for (b,) in c.execute("SELECT id FROM blobs")}
                released = (
                    {b for (b,) in c.execute("SELECT id FROM released_blobs")}
                    if self._store.has_table("released_blobs")
                    else set()
                )
                pending = c.execute("SELECT count(*) FROM drafts WHERE revision=0").fetchone()[0]
        return scan_blob_folder(self.data_dir, known, released, pending)

    # ------------------------------------------------------------------ profiles
    # (rows and encryption in :mod:`.profiles`; here the lock, transaction and audit)

    def save_profile(self, profile: RepresentativeProfile) -> RepresentativeProfile:
        """Create or update a representative profile (encrypted); returns it with its revision."""
        with self._lock:
            self._check_open()
            with self._store.write("saving the profile") as c:
                profiles.save(c, self._profile_key, profile)
                audit.append(c, self._audit_key, "profile-save", None, profile.updated)
            return profile

    def get_profile(self, profile_id: str) -> RepresentativeProfile:
        with self._lock:
            self._check_open()
            with self._store.read() as c:
                return profiles.get(c, self._profile_key, profile_id)

    def list_profiles(self) -> list[RepresentativeProfile]:
        """All profiles that decrypt (a damaged one is skipped, see :meth:`get_profile`)."""
        with self._lock:
            self._check_open()
            with self._store.read() as c:
                return profiles.list_all(c, self._profile_key)

    def delete_profile(self, profile_id: str) -> None:
        with self._lock:
            self._check_open()
            with self._store.write("deleting the profile") as c:
                profiles.delete(c, profile_id)
                audit.append(c, self._audit_key, "profile-delete", None, keys.now_iso())

    # ------------------------------------------------------------------ submissions
    # (rows and encryption in :mod:`.submissions`)

    def record_submission(self, draft_id: str, submission: Submission) -> SubmissionRecord:
        """Record that a request was sent, and save the draft as submitted (one transaction)."""
        with self._lock:
            draft = self.load_draft(draft_id)
            draft.submission = submission
            if draft.status in ("draft", "ready"):
                draft.status = "submitted"
            record = SubmissionRecord(
                new_id(),
                draft_id,
                submission.method,
                submission.date,
                submission.request_number,
                keys.now_iso(),
            )
            with self._store.write("recording the submission") as c:
                submissions.insert(c, self._draft_key(c, draft_id), record, submission)
                _rev, garbage = self._save_in_tx(c, draft, None, record.recorded_at)
                audit.append(c, self._audit_key, "submission", draft_id, record.recorded_at)
            self._remove_blob_files(garbage)
            return record

    def list_submissions(self, draft_id: str) -> list[SubmissionRecord]:
        with self._lock:
            self._check_open()
            with self._store.read() as c:
                return submissions.list_for(c, self._draft_key(c, draft_id), draft_id)

    # ------------------------------------------------------------------ audit

    def record_event(self, event: str, draft_id: str | None = None) -> None:
        """Log an event the vault cannot see itself ("print", "export") for a draft.

        Skipped while a freshness problem pauses writing (reads and exports go on).
        """
        with self._lock:
            self._check_open()
            if self.freshness_problems:
                return
            with self._store.write("writing the audit log") as c:
                audit.append(c, self._audit_key, event, draft_id, keys.now_iso())

    def _audit_best_effort(self, event: str, draft_id: str | None) -> None:
        """Reads must keep working on a read-only or full disk, so their event may be lost."""
        if self._store.read_only:
            return
        with contextlib.suppress(VaultError):
            self.record_event(event, draft_id)

    def audit_log(self, limit: int | None = None) -> list[AuditEntry]:
        with self._lock:
            self._check_open()
            with self._store.read() as c:
                return audit.entries(c, limit)

    def verify_audit(self) -> AuditCheck:
        with self._lock:
            self._check_open()
            with self._store.read() as c:
                return audit.verify(c, self._audit_key)

    # ------------------------------------------------------------------ archives

    def export_archive(
        self,
        draft_ids: list[str],
        dest: str | os.PathLike[str],
        passphrase: str,
        *,
        progress: Progress | None = None,
    ) -> Path:
        """Write drafts (with attachments) to one passphrase-protected file; see :mod:`.archive`.

        ``passphrase`` is the archive's own: it must pass the strength rule and
        must not be the vault passphrase (refused with :class:`VaultError`).
        """
        archive.check_archive_passphrase(passphrase, None)
        self._refuse_vault_passphrase(passphrase)
        return archive.export_drafts(self, draft_ids, Path(dest), passphrase, progress=progress)

    def _refuse_vault_passphrase(self, passphrase: str) -> None:
        """One scrypt per export: whoever receives an archive must not learn the vault's key."""
        with self._store.read() as c:
            wraps = [w for w in keys.load_wraps(c) if w.method == "passphrase"]
        for wrap in wraps:
            try:
                keys.open_passphrase_wrap(wrap, passphrase, self.vault_id)
            except (crypto.DecryptionError, keys.KeyRecordDamagedError):
                continue
            raise VaultError(
                "the archive passphrase must differ from the vault passphrase: whoever "
                "receives the archive could otherwise attack the vault passphrase offline"
            )

    def import_archive(
        self,
        src: str | os.PathLike[str],
        passphrase: str,
        *,
        progress: Progress | None = None,
        again: bool = False,
    ) -> list[Draft]:
        """Import an archive's drafts; an archive imported before is refused unless ``again``.

        The refusal is :class:`.archive.ArchiveAlreadyImportedError` (an
        :class:`ArchiveError`) naming the drafts the first import made.
        """
        return archive.import_drafts(self, Path(src), passphrase, progress=progress, again=again)

    # -- what :mod:`.archive` needs (public, so archives never touch private members)

    def taken_ids(self, draft_ids: list[str]) -> set[str]:
        """The ids among ``draft_ids`` this vault already has or had (purged)."""
        with self._lock:
            self._check_open()
            with self._store.read() as c:
                return {
                    d
                    for d in draft_ids
                    if c.execute(
                        "SELECT 1 FROM drafts WHERE id=? UNION SELECT 1 FROM purged WHERE id=?",
                        (d, d),
                    ).fetchone()
                }

    def _archive_tag(self, archive_id: str) -> str:
        """Independent of the vault key, so a key rotation keeps the record of imports."""
        return hashlib.sha256(
            crypto.associated_data("archive-seen", self.vault_id, archive_id)
        ).hexdigest()[:32]

    def archive_seen(self, archive_id: str) -> list[str] | None:
        """The draft ids an earlier import of this archive made, or None if never imported."""
        with self._lock:
            self._check_open()
            if not self._store.has_table("imported_archives"):
                return None
            with self._store.read() as c:
                row = c.execute(
                    "SELECT drafts FROM imported_archives WHERE tag=?",
                    (self._archive_tag(archive_id),),
                ).fetchone()
                if row is None:
                    return None
                ids = [d for d in row[0].split(",") if d]
                return [
                    d for d in ids if c.execute("SELECT 1 FROM drafts WHERE id=?", (d,)).fetchone()
                ]

    def save_imported(self, drafts: list[Draft], archive_id: str | None) -> None:
        """Save imported drafts in one transaction, and remember the archive they came from."""
        for draft in drafts:
            intake.check_storable(draft)
        with self._lock:
            self._check_open()
            with self._store.write("importing the archive") as c:
                now = keys.now_iso()
                for draft in drafts:
                    self._save_in_tx(c, draft, None, now)
                    audit.append(c, self._audit_key, "import", draft.id, now)
                if archive_id is not None:
                    c.execute(
                        "INSERT OR REPLACE INTO imported_archives (tag, at, drafts) VALUES (?,?,?)",
                        (
                            self._archive_tag(archive_id),
                            now[:10],
                            ",".join(d.id for d in drafts),
                        ),
                    )

    def family_ids(self, draft_id: str) -> list[str]:
        """The draft and every other live draft of its family group (the draft first)."""
        summary = self.summary(draft_id)
        if not summary.family_group:
            return [draft_id]
        others = [s.id for s in self.family(summary.family_group) if s.id != draft_id]
        return [draft_id, *others]


def _shown_status(draft: Draft) -> str:
    """The status recomputed from the draft's findings (validation.status)."""
    from ombuds_desktop.validation.status import draft_status

    return draft_status(draft)


class _Prepend(io.RawIOBase):
    """Bytes already read (to authenticate the first chunk), then the rest of ``raw``."""

    def __init__(self, head: bytes, raw: io.RawIOBase) -> None:
        super().__init__()
        self._head = memoryview(head)
        self._raw = raw

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        return self._raw.readinto(buffer) or 0

    def close(self) -> None:
        if not self.closed:
            self._raw.close()
        super().close()


def coarse_time(ts: str) -> str:
    """The hour only, for timestamps stored in the clear (exact times stay encrypted)."""
    return ts[:13] + ":00:00Z" if len(ts) >= 13 else ts


def _release(c: sqlite3.Connection, blob_ids: Iterable[str], now: str) -> None:
    """Tombstone blobs in the transaction that drops their last reference."""
    c.executemany(
        "INSERT OR IGNORE INTO released_blobs (id, at) VALUES (?, ?)",
        [(b, now) for b in blob_ids],
    )


def scan_blob_folder(
    data_dir: Path, known: set[str], released: set[str], pending_drafts: int
) -> FileCheck:
    """Classify the files under ``blobs/`` without changing anything."""
    root = paths.blob_root(data_dir)
    unknown: list[str] = []
    unknown_bytes = 0
    present: set[str] = set()
    if root.is_dir():
        for sub in sorted(root.iterdir()):
            if not sub.is_dir():
                unknown.append(str(sub.relative_to(data_dir)))
                continue
            for entry in sorted(os.scandir(sub), key=lambda e: e.name):
                name = entry.name
                if name in known:
                    present.add(name)
                elif name not in released:
                    unknown.append(f"{paths.BLOB_DIR}/{sub.name}/{name}")
                    with contextlib.suppress(OSError):
                        unknown_bytes += entry.stat().st_size
    return FileCheck(
        unknown_files=tuple(unknown),
        unknown_bytes=unknown_bytes,
        missing=tuple(sorted(known - present)),
        released_pending=len(released),
        unsaved_drafts=pending_drafts,
    )


def _safe_file_name(name: str, fallback: str) -> str:
    """A file name safe on every OS (no folders, no reserved characters)."""
    base = os.path.basename(name.replace("\\", "/")).strip().strip(".")
    base = re.sub(r'[<>:"/\\|?*\x00-\x1f]', "_", base)[:120]
    return base or fallback
