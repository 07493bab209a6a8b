"""The append-only audit log: events, timestamps and draft ids, never client data.

Each entry carries an HMAC-SHA256 over its content and the previous entry's
MAC (a hash chain), and the newest MAC is anchored in ``meta``.  Removing,
reordering or editing entries, or cutting the tail off, is detected by
:func:`verify`.  Failed unlocks happen before any key is known; they are
parked in ``audit_pending`` and folded into the chain at the next unlock.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import sqlite3

from ombuds_desktop.vault import crypto, keys
from ombuds_desktop.vault.errors import VaultError
from ombuds_desktop.vault.records import AuditCheck, AuditEntry
from ombuds_desktop.vault.store import Session

EVENTS = frozenset(
    {
        "create",
        "unlock",
        "failed-unlock",
        "open",
        "save",
        "export",
        "print",
        "import",
        "delete",
        "restore",
        "restore-revision",
        "purge",
        "duplicate",
        "key-change",
        "recover",
        "profile-save",
        "profile-delete",
        "submission",
        "attachment-add",
        "accept-state",
    }
)
_GENESIS = b"\x00" * 32
ANCHOR_KEY = "audit_anchor"


def _mac(key: bytes, prev: bytes, seq: int, ts: str, event: str, draft_id: str | None) -> bytes:
    msg = prev + crypto.associated_data("audit", seq, ts, event, draft_id or "")
    return hmac.new(key, msg, hashlib.sha256).digest()


def _anchor(key: bytes, seq: int, mac: bytes) -> str:
    return hmac.new(key, crypto.associated_data("anchor", seq, mac), hashlib.sha256).hexdigest()


def append(conn: sqlite3.Connection, key: bytes, event: str, draft_id: str | None, ts: str) -> None:
    """Add one entry; call inside the write transaction of the change it records."""
    if event not in EVENTS:
        raise ValueError(f"unknown audit event {event!r}")
    ts = ts[:13] + ":00:00Z" if len(ts) >= 13 else ts  # the hour is enough for an audit
    row = conn.execute("SELECT seq, mac FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev = (row[0] + 1, bytes(row[1])) if row else (1, _GENESIS)
    mac = _mac(key, prev, seq, ts, event, draft_id)
    conn.execute(
        "INSERT INTO audit (seq, ts, event, draft_id, mac) VALUES (?,?,?,?,?)",
        (seq, ts, event, draft_id, mac),
    )
    conn.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
        (ANCHOR_KEY, f"{seq}:{_anchor(key, seq, mac)}"),
    )


def rekey(conn: sqlite3.Connection, old_key: bytes, new_key: bytes) -> None:
    """Re-MAC the whole chain under a new key (inside the key rotation's transaction)."""
    prev = _GENESIS
    last = 0
    for seq, ts, event, draft_id in conn.execute(
        "SELECT seq, ts, event, draft_id FROM audit ORDER BY seq"
    ).fetchall():
        mac = _mac(new_key, prev, seq, ts, event, draft_id)
        conn.execute("UPDATE audit SET mac=? WHERE seq=?", (mac, seq))
        prev, last = mac, seq
    if last:
        conn.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
            (ANCHOR_KEY, f"{last}:{_anchor(new_key, last, prev)}"),
        )


def park_failed_unlock(conn: sqlite3.Connection, ts: str) -> None:
    conn.execute("INSERT INTO audit_pending (ts, event) VALUES (?, 'failed-unlock')", (ts,))


def fold_pending(conn: sqlite3.Connection, key: bytes) -> int:
    rows = conn.execute("SELECT id, ts, event FROM audit_pending ORDER BY id").fetchall()
    for _id, ts, event in rows:
        append(conn, key, event if event in EVENTS else "failed-unlock", None, ts)
    conn.execute("DELETE FROM audit_pending")
    return len(rows)


def entries(conn: sqlite3.Connection, limit: int | None = None) -> list[AuditEntry]:
    sql = "SELECT seq, ts, event, draft_id FROM audit ORDER BY seq"
    if limit:
        sql = f"SELECT * FROM ({sql} DESC LIMIT {int(limit)}) ORDER BY seq"
    return [AuditEntry(*row) for row in conn.execute(sql)]


def verify(conn: sqlite3.Connection, key: bytes) -> AuditCheck:
    prev, expected, count = _GENESIS, 1, 0
    for seq, ts, event, draft_id, mac in conn.execute(
        "SELECT seq, ts, event, draft_id, mac FROM audit ORDER BY seq"
    ):
        if seq != expected:
            return AuditCheck(False, count, f"entries {expected}..{seq - 1} are missing")
        if not hmac.compare_digest(_mac(key, prev, seq, ts, event, draft_id), bytes(mac)):
            return AuditCheck(False, count, f"entry {seq} was altered or moved")
        prev, expected, count = bytes(mac), seq + 1, count + 1
    row = conn.execute("SELECT value FROM meta WHERE key=?", (ANCHOR_KEY,)).fetchone()
    if count == 0 and row is None:
        return AuditCheck(True, 0)
    if row is None:
        return AuditCheck(False, count, "the log's anchor is missing")
    seq_text, _, anchor = row[0].partition(":")
    if (
        not seq_text.isdigit()
        or int(seq_text) != count
        or not hmac.compare_digest(anchor, _anchor(key, count, prev))
    ):
        return AuditCheck(
            False,
            count,
            "the newest entries were removed (the anchor does not match the last entry)",
        )
    return AuditCheck(True, count)


class AuditTrail:
    """The audit part of an unlocked vault: entries under the current audit key.

    Other parts call :meth:`append` inside their own write transaction, so a
    change and its entry commit together.
    """

    def __init__(self, session: Session) -> None:
        self._session = session

    def append(self, c: sqlite3.Connection, event: str, draft_id: str | None, ts: str) -> None:
        append(c, self._session.keys.audit, event, draft_id, ts)

    def record_event(self, event: str, draft_id: str | None = None) -> None:
        """Log an event the vault cannot see itself; skipped while writing is paused."""
        s = self._session
        with s.lock:
            s.check_open()
            if s.freshness_problems:
                return
            with s.write("writing the audit log") as c:
                self.append(c, event, draft_id, keys.now_iso())

    def best_effort(self, event: str, draft_id: str | None) -> None:
        """Reads must keep working on a read-only or full disk, so their event may be lost."""
        if self._session.read_only:
            return
        with contextlib.suppress(VaultError):
            self.record_event(event, draft_id)

    def entries(self, limit: int | None = None) -> list[AuditEntry]:
        s = self._session
        with s.lock:
            s.check_open()
            with s.read() as c:
                return entries(c, limit)

    def verify(self) -> AuditCheck:
        s = self._session
        with s.lock:
            s.check_open()
            with s.read() as c:
                return verify(c, s.keys.audit)
