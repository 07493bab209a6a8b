"""The SQLite file: schema, durable settings, transactions and error translation.

Only ciphertext and non-identifying bookkeeping (random ids, revision numbers,
timestamps, sizes) are stored in the clear.  The connection runs in WAL mode
with ``synchronous=FULL`` (a committed save survives a power cut),
``secure_delete=ON`` (freed pages are zeroed) and ``temp_store=MEMORY`` (no
SQLite temp files in the temp folder).  Several processes may use one vault at
a time: SQLite serialises writers, and ``busy_timeout`` makes a second writer
wait instead of failing.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ombuds_desktop.vault import crypto, freshness, paths
from ombuds_desktop.vault.errors import (
    CorruptVaultError,
    DiskFullError,
    FreshnessError,
    ReadOnlyError,
    StorageError,
    VaultBusyError,
    VaultError,
)

SCHEMA_VERSION = 2
#: The schema number bound into every record's associated data.  Fixed at 1: a
#: schema migration adds tables, it must not make existing ciphertexts unreadable.
AAD_VERSION = 1
BUSY_TIMEOUT_MS = 10_000
#: How long a purge from the desktop app waits for another reader before it leaves the
#: WAL truncation to the vault's close (see :meth:`Session.compact`).
QUICK_COMPACT_WAIT_MS = 100

#: What each schema version adds (index = the version it upgrades from).
MIGRATIONS = [
    "",
    # 1 -> 2: tombstones.  A blob file is deleted only once this vault recorded,
    # in the transaction that dropped its last reference, that it released it.
    """
    CREATE TABLE IF NOT EXISTS released_blobs (
        id TEXT PRIMARY KEY,
        at TEXT NOT NULL
    );
    -- checks of each key record: tells a damaged record from a wrong passphrase
    ALTER TABLE key_wraps ADD COLUMN checks TEXT;
    -- archives already imported (a keyed hash of the archive id, never the file name)
    CREATE TABLE IF NOT EXISTS imported_archives (
        tag TEXT PRIMARY KEY,
        at TEXT NOT NULL,
        drafts TEXT NOT NULL
    )
    """,
]

SCHEMA = """
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE key_wraps (
    id TEXT PRIMARY KEY,
    method TEXT NOT NULL,
    params TEXT NOT NULL,
    wrapped BLOB NOT NULL,
    created TEXT NOT NULL
);
CREATE TABLE drafts (
    id TEXT PRIMARY KEY,
    key_wrapped BLOB NOT NULL,         -- the draft key, wrapped by the vault key
    revision INTEGER NOT NULL,         -- 0 while the draft has attachments but no save yet
    state TEXT NOT NULL,               -- live | trash
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    trashed_at TEXT,
    summary BLOB                       -- encrypted list summary of the current revision
);
CREATE TABLE revisions (
    draft_id TEXT NOT NULL REFERENCES drafts(id),
    revision INTEGER NOT NULL,
    saved_at TEXT NOT NULL,
    body BLOB NOT NULL,
    PRIMARY KEY (draft_id, revision)
);
CREATE TABLE revision_blobs (
    draft_id TEXT NOT NULL,
    revision INTEGER NOT NULL,
    blob_id TEXT NOT NULL,
    PRIMARY KEY (draft_id, revision, blob_id)
);
CREATE INDEX revision_blobs_blob ON revision_blobs(blob_id);
CREATE TABLE blobs (
    id TEXT PRIMARY KEY,
    draft_id TEXT NOT NULL REFERENCES drafts(id),
    size INTEGER NOT NULL,             -- ciphertext file size, for status and checks
    created TEXT NOT NULL,
    meta BLOB NOT NULL                 -- encrypted: original name, sha256, plaintext size
);
CREATE INDEX blobs_draft ON blobs(draft_id);
CREATE TABLE profiles (
    id TEXT PRIMARY KEY,
    revision INTEGER NOT NULL,
    updated TEXT NOT NULL,
    body BLOB NOT NULL
);
CREATE TABLE submissions (
    id TEXT PRIMARY KEY,
    draft_id TEXT NOT NULL REFERENCES drafts(id),
    created TEXT NOT NULL,
    body BLOB NOT NULL
);
CREATE INDEX submissions_draft ON submissions(draft_id);
CREATE TABLE audit (
    seq INTEGER PRIMARY KEY,
    ts TEXT NOT NULL,
    event TEXT NOT NULL,
    draft_id TEXT,
    mac BLOB NOT NULL
);
CREATE TABLE purged (                  -- ids only, so a purged draft is never resurrected
    id TEXT PRIMARY KEY,
    at TEXT NOT NULL
);
CREATE TABLE audit_pending (           -- failed unlocks, recorded before any key is known
    id INTEGER PRIMARY KEY,
    ts TEXT NOT NULL,
    event TEXT NOT NULL
);
""" + ";".join(MIGRATIONS[1:])


def translate(exc: BaseException, action: str) -> VaultError:
    """Turn a sqlite3/OS error into a vault error with a message a person can act on."""
    text = str(exc).lower()
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return DiskFullError(
            f"{action} failed: the disk is full. Free some space and try "
            "again; the previous version is unchanged."
        )
    if isinstance(exc, OSError) and exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return ReadOnlyError(
            f"{action} failed: the vault folder is read-only or not "
            "writable. Check the disk and the folder's permissions; the "
            "previous version is unchanged."
        )
    if "disk is full" in text or code == sqlite3.SQLITE_FULL:
        return DiskFullError(
            f"{action} failed: the disk is full. Free some space and try "
            "again; the previous version is unchanged."
        )
    if "readonly" in text or "read-only" in text or code == sqlite3.SQLITE_READONLY:
        return ReadOnlyError(
            f"{action} failed: the vault is read-only (read-only disk, "
            "permissions, or opened read-only). The previous version is "
            "unchanged."
        )
    if "locked" in text or "busy" in text:
        return VaultBusyError(
            f"{action} failed: the vault is busy in another Ombuds Desktop "
            "window or command. Wait a moment and try again."
        )
    if (
        "malformed" in text
        or "not a database" in text
        or "corrupt" in text
        or code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)
    ):
        return CorruptVaultError(
            f"{action} failed: the vault database file is damaged "
            f"({exc}). Nothing was changed. Keep a copy of the whole data "
            "folder, then restore vault.sqlite3 from a backup (the recovery "
            "code cannot repair a damaged file)."
        )
    if "unable to open" in text or "disk i/o" in text:
        return StorageError(
            f"{action} failed: the vault files cannot be written ({exc}). "
            "Check that the disk is connected and writable."
        )
    return StorageError(f"{action} failed: {exc}")


def _writable(folder: Path) -> bool:
    """False on a read-only file system (even for root) or a folder we may not write."""
    if hasattr(os, "statvfs"):
        try:
            if os.statvfs(folder).f_flag & os.ST_RDONLY:
                return False
        except OSError:
            return False
    return os.access(folder, os.W_OK)


class Store:
    """One connection to the vault database, shared by the threads of one process.

    All access goes through :meth:`read` and :meth:`write`, which hold a lock
    (sqlite3 connections are not safe for concurrent use from several threads).
    """

    BUSY_TIMEOUT_MS = BUSY_TIMEOUT_MS

    def __init__(self, path: Path, *, create: bool = False, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        self.lock = threading.RLock()
        if create:
            os.close(paths.create_private_file(path))  # 0600 before SQLite writes a byte
        if not create and not _writable(path.parent) and not read_only:
            raise ReadOnlyError(
                f"the vault folder {path.parent} is on a read-only disk or "
                "is not writable; make it writable, or open the vault "
                "read-only to view and export drafts"
            )
        if read_only:
            self._open_read_only(path)
            return
        try:
            conn = sqlite3.connect(
                path,
                timeout=BUSY_TIMEOUT_MS / 1000,
                check_same_thread=False,
                isolation_level=None,
            )
        except sqlite3.Error as exc:
            raise translate(exc, "opening the vault") from None
        self.conn = conn
        try:
            self._configure(create)
        except sqlite3.Error as exc:
            conn.close()
            raise translate(exc, "opening the vault") from None
        except VaultError:
            conn.close()
            raise

    def _open_read_only(self, path: Path) -> None:
        """The rescue mode: ``mode=ro``; ``immutable`` when SQLite cannot make its WAL index.

        A read-only disk, or a full disk with no room for the ``-shm`` file,
        stops a plain ``mode=ro`` open.  ``immutable=1`` then reads the main
        file directly, which is only right when no WAL holds newer pages: a
        missing or empty WAL (the vault was closed cleanly).  Otherwise the
        first error stands.
        """
        wal = path.with_name(path.name + "-wal")
        attempts = ["mode=ro"]
        if not wal.exists() or wal.stat().st_size == 0:
            attempts = ["mode=ro", "mode=ro&immutable=1"]
            if not _writable(path.parent):
                attempts = ["mode=ro&immutable=1"]
        first: VaultError | None = None
        for flags in attempts:
            try:
                conn = sqlite3.connect(
                    f"file:{path.as_posix()}?{flags}",
                    uri=True,
                    timeout=BUSY_TIMEOUT_MS / 1000,
                    check_same_thread=False,
                    isolation_level=None,
                )
            except sqlite3.Error as exc:
                first = first or translate(exc, "opening the vault")
                continue
            self.conn = conn
            try:
                self._configure(False)
                return
            except sqlite3.Error as exc:
                conn.close()
                first = first or translate(exc, "opening the vault")
            except VaultError as exc:
                conn.close()
                if isinstance(exc, CorruptVaultError):
                    raise
                first = first or exc
        assert first is not None
        raise first

    def _configure(self, create: bool) -> None:
        c = self.conn
        c.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        c.execute("PRAGMA secure_delete=ON")
        c.execute("PRAGMA temp_store=MEMORY")
        c.execute("PRAGMA foreign_keys=ON")
        if not create:
            self._check_existing()  # read-only checks before anything could write
        if not self.read_only:
            mode = c.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise StorageError(
                    f"the vault database could not switch to WAL mode "
                    f"(got {mode}); is the folder on a network share?"
                )
        c.execute("PRAGMA synchronous=FULL")
        if not create and not self.read_only:
            self._migrate()
        if create:
            with self.write():
                for statement in SCHEMA.split(";"):
                    if statement.strip():
                        c.execute(statement)
                c.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        self.tighten()

    def _migrate(self) -> None:
        """Bring an older schema up to date (adds tables; never rewrites a ciphertext)."""
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version >= SCHEMA_VERSION:
            return
        with self.write("upgrading the vault") as c:
            version = c.execute("PRAGMA user_version").fetchone()[0]
            for step in MIGRATIONS[version:SCHEMA_VERSION]:
                for statement in step.split(";"):
                    if statement.strip():
                        c.execute(statement)
            c.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    def has_table(self, name: str) -> bool:
        """False for tables a newer schema adds when an older vault is opened read-only."""
        with self.read() as c:
            return (
                c.execute(
                    "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (name,)
                ).fetchone()
                is not None
            )

    def _check_existing(self) -> None:
        c = self.conn
        size = self.path.stat().st_size
        version = c.execute("PRAGMA user_version").fetchone()[0]
        if version == 0 or size == 0:
            raise CorruptVaultError(
                "the vault database is empty or has no tables: it was "
                "damaged or replaced. Nothing was changed; restore "
                "vault.sqlite3 from a backup."
            )
        if version > SCHEMA_VERSION:
            raise VaultError(
                f"this vault was written by a newer Ombuds Desktop (schema "
                f"{version}; this version reads up to {SCHEMA_VERSION}). "
                "Update Ombuds Desktop to open it."
            )
        wal = self.path.with_name(self.path.name + "-wal")
        if not wal.exists() or wal.stat().st_size == 0:
            pages = c.execute("PRAGMA page_count").fetchone()[0]
            page_size = c.execute("PRAGMA page_size").fetchone()[0]
            if size < pages * page_size:
                raise CorruptVaultError(
                    f"the vault database file is truncated ({size} of {pages * page_size} "
                    "bytes). Nothing was changed. Keep a copy of the whole data folder, then "
                    "restore vault.sqlite3 from a backup."
                )

    def tighten(self) -> None:
        """0600 on the database and SQLite's companion files (they appear lazily)."""
        if self.read_only:
            return
        for suffix in ("", "-wal", "-shm", "-journal"):
            paths.tighten_file(self.path.with_name(self.path.name + suffix))

    #: Set by the vault: ``guard(action)`` may raise to refuse a write (freshness
    #: problems pause writing); ``on_commit()`` runs after each committed write.
    guard: Callable[[str], None] | None = None
    on_commit: Callable[[], None] | None = None

    @contextlib.contextmanager
    def write(self, action: str = "saving") -> Iterator[sqlite3.Connection]:
        """One atomic write transaction (BEGIN IMMEDIATE: take the write lock up front)."""
        with self.lock:
            if self.guard is not None:
                self.guard(action)
            conn = self.conn
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise translate(exc, action) from None
            try:
                yield conn
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
                raise translate(exc, action) from None
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
                raise
            if self.on_commit is not None:
                self.on_commit()

    @contextlib.contextmanager
    def read(self, action: str = "reading the vault") -> Iterator[sqlite3.Connection]:
        """A consistent snapshot for several SELECTs."""
        with self.lock:
            conn = self.conn
            nested = conn.in_transaction
            try:
                if not nested:
                    conn.execute("BEGIN")
                yield conn
            except sqlite3.Error as exc:
                raise translate(exc, action) from None
            finally:
                if not nested:
                    with contextlib.suppress(sqlite3.Error):
                        conn.execute("COMMIT")

    def run(self, sql: str, action: str) -> list[tuple[Any, ...]]:
        """A single statement outside any transaction (PRAGMAs, VACUUM)."""
        with self.lock:
            try:
                return self.conn.execute(sql).fetchall()
            except sqlite3.Error as exc:
                raise translate(exc, action) from None

    @contextlib.contextmanager
    def short_wait(self, wait_ms: int) -> Iterator[None]:
        """Wait at most ``wait_ms`` for another connection's lock or snapshot, then restore
        the usual busy timeout: for best-effort work that must not hold the app up."""
        with self.lock:
            self.run(f"PRAGMA busy_timeout={int(wait_ms)}", "compacting the vault")
            try:
                yield
            finally:
                with contextlib.suppress(VaultError):
                    self.run(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}", "compacting the vault")

    def get_meta(self, key: str) -> str | None:
        with self.read() as c:
            row = c.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def close(self) -> None:
        with self.lock, contextlib.suppress(sqlite3.Error):
            self.conn.close()


@dataclass(frozen=True, slots=True)
class KeySet:
    """The vault key and the sub-keys derived from it; a key rotation replaces all at once."""

    vault: bytes
    draft_wrap: bytes
    profiles: bytes
    audit: bytes
    freshness: bytes

    @classmethod
    def derive(cls, vault_key: bytes) -> KeySet:
        return cls(
            vault_key,
            crypto.derive_key(vault_key, "draft-key-wrap"),
            crypto.derive_key(vault_key, "profiles"),
            crypto.derive_key(vault_key, "audit-mac"),
            freshness.derive(vault_key),
        )


class Session:
    """The unit of work every part of an unlocked vault shares (passed to each explicitly).

    One SQLite connection, so one transaction at a time: a part's write
    transaction holds the whole change, its audit entry included.  The lock
    serialises the threads of this process; the keys are the ones in use (a
    rotation replaces them); ``freshness_problems`` pause every write.
    """

    def __init__(self, data_dir: Path, store: Store, vault_id: str, keys: KeySet) -> None:
        self.data_dir = data_dir
        self.store = store
        self.vault_id = vault_id
        self.lock: threading.RLock = store.lock
        self._keys: KeySet | None = keys
        #: Problems found by the freshness check at unlock (rollback, truncation);
        #: while any is unaccepted the vault reads and exports but does not write.
        self.freshness_problems: list[str] = []
        #: A purge's WAL truncation was blocked by a reader: retried at close.
        self.wal_pending = False

    @property
    def read_only(self) -> bool:
        return self.store.read_only

    @property
    def is_open(self) -> bool:
        return self._keys is not None

    @property
    def keys(self) -> KeySet:
        """The keys in use; a locked vault says so instead."""
        if self._keys is None:
            raise VaultError("the vault is locked; unlock it again")
        return self._keys

    def check_open(self) -> None:
        self.keys  # noqa: B018 - raises when locked

    def replace_keys(self, keys: KeySet) -> None:
        self._keys = keys

    def forget_keys(self) -> None:
        self._keys = None

    def read(
        self, action: str = "reading the vault"
    ) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        return self.store.read(action)

    def write(
        self, action: str = "saving"
    ) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        return self.store.write(action)

    def writes_blocked(self) -> bool:
        return bool(self.freshness_problems)

    def check_writable(self) -> None:
        if self.store.read_only:
            raise ReadOnlyError(
                "the vault is open read-only (rescue mode): reading and exporting work, "
                "changes do not. Free disk space or close the other program, then try again."
            )
        if self.writes_blocked():
            raise FreshnessError(
                "this vault is older than the last one this computer saw, so changes are "
                "paused to keep the newer data safe: "
                + "; ".join(self.freshness_problems)
                + ". You can still read and export. Restore the newer copy, or run "
                "`ombuds-desktop vault accept-state` to continue with this one."
            )

    def checkpoint(self) -> bool:
        """Copy the WAL into the database and truncate it; False if another reader kept it."""
        rows = self.store.run("PRAGMA wal_checkpoint(TRUNCATE)", "compacting the vault")
        return bool(rows) and rows[0][0] == 0

    def compact(self, *, wait_for_readers: bool = True) -> bool:
        """Checkpoint, VACUUM, checkpoint; False if another window kept old pages in use.

        The deletion itself is already committed (and its pages zeroed by
        secure_delete); a busy vault only postpones the WAL truncation.  With
        ``wait_for_readers=False`` a reader holding a snapshot (another window,
        the CLI) is waited for only briefly instead of the busy timeout per
        checkpoint: the desktop app must not sit ~20 s in a best-effort step
        that is retried when the vault closes.
        """
        waiting = (
            contextlib.nullcontext()
            if wait_for_readers
            else self.store.short_wait(QUICK_COMPACT_WAIT_MS)
        )
        try:
            with waiting:
                self.checkpoint()
                self.store.run("VACUUM", "compacting the vault")
                done = self.checkpoint()
        except VaultBusyError:
            done = False
        self.store.tighten()
        return done
