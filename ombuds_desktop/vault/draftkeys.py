"""Draft keys: one random key per draft, wrapped by the vault key in the draft's row.

A draft's row is created here (with its key) the first time anything is
stored for it: its first save, or a document added before that.  Purging the
draft deletes the wrapped key, so leftover ciphertext can no longer be read.
"""

from __future__ import annotations

import sqlite3

from ombuds_desktop.vault import crypto, keys
from ombuds_desktop.vault.errors import NotFoundError, VaultError, tampered
from ombuds_desktop.vault.store import AAD_VERSION, Session


def wrap(wrap_key: bytes, key: bytes, draft_id: str) -> bytes:
    return crypto.seal(wrap_key, key, crypto.record_aad("draft-key", draft_id, AAD_VERSION))


class DraftKeys:
    def __init__(self, session: Session) -> None:
        self._session = session
        # draft id -> (wrapped key as stored, key): the wrapped key is compared on every use,
        # because another process may have replaced the row (an import that failed here and
        # then succeeded in the CLI under the same id) and a stale key would make a good
        # draft look damaged.
        self._cache: dict[str, tuple[bytes, bytes]] = {}

    def get(self, c: sqlite3.Connection, draft_id: str, wrapped: bytes | None = None) -> bytes:
        """The draft's key (inside a transaction); ``wrapped`` if the caller read the row."""
        if wrapped is None:
            row = c.execute("SELECT key_wrapped FROM drafts WHERE id=?", (draft_id,)).fetchone()
            if row is None:
                self._cache.pop(draft_id, None)
                raise NotFoundError(f"no draft with id {draft_id} in this vault")
            wrapped = row[0]
        wrapped = bytes(wrapped)
        cached = self._cache.get(draft_id)
        if cached is not None and cached[0] == wrapped:
            return cached[1]
        try:
            key = crypto.unseal(
                self._session.keys.draft_wrap,
                wrapped,
                crypto.record_aad("draft-key", draft_id, AAD_VERSION),
            )
        except crypto.DecryptionError:
            raise tampered("its key record", draft_id) from None
        self._cache[draft_id] = (wrapped, key)
        return key

    def key_of(self, draft_id: str) -> bytes:
        """The draft's key, in a read transaction of its own."""
        s = self._session
        with s.lock:
            s.check_open()
            with s.read() as c:
                return self.get(c, draft_id)

    def new_row(self, c: sqlite3.Connection, draft_id: str, now: str) -> bytes:
        """Create the draft's row (revision 0, no save yet) with a new key; returns the key."""
        key = crypto.new_key()
        wrapped = wrap(self._session.keys.draft_wrap, key, draft_id)
        c.execute(
            "INSERT INTO drafts (id, key_wrapped, revision, state, created, updated) "
            "VALUES (?, ?, 0, 'live', ?, ?)",
            (draft_id, wrapped, now, now),
        )
        self._cache[draft_id] = (wrapped, key)
        return key

    def ensure(self, draft_id: str) -> bytes:
        """The key of a live draft, creating its row if it has none yet (not if purged)."""
        with self._session.write("preparing the draft") as c:
            row = c.execute("SELECT state FROM drafts WHERE id=?", (draft_id,)).fetchone()
            if row is None:
                if c.execute("SELECT 1 FROM purged WHERE id=?", (draft_id,)).fetchone():
                    raise NotFoundError(f"draft {draft_id} was purged; nothing can be added to it")
                return self.new_row(c, draft_id, keys.now_iso())
            if row[0] == "trash":
                raise VaultError(f"draft {draft_id} is in the trash; restore it first")
            return self.get(c, draft_id)

    def forget(self, draft_id: str) -> None:
        self._cache.pop(draft_id, None)

    def clear(self) -> None:
        self._cache.clear()
