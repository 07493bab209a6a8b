"""Representative profiles: their rows and their encryption (one thing, no transactions).

The :class:`~.vault.Vault` façade opens the transaction (the unit of work),
takes the lock and writes the audit entry; these functions only read and
write the ``profiles`` table inside it.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3

from ombuds_desktop.vault import crypto, keys, padding
from ombuds_desktop.vault.errors import NotFoundError, TamperedDataError, tampered
from ombuds_desktop.vault.records import RepresentativeProfile, fold
from ombuds_desktop.vault.store import AAD_VERSION


def _aad(profile_id: str) -> bytes:
    return crypto.record_aad("profile", profile_id, AAD_VERSION)


def save(c: sqlite3.Connection, key: bytes, profile: RepresentativeProfile) -> None:
    """Insert or replace; sets ``profile.revision`` and ``profile.updated``."""
    row = c.execute("SELECT revision FROM profiles WHERE id=?", (profile.id,)).fetchone()
    profile.revision = (row[0] if row else 0) + 1
    profile.updated = keys.now_iso()
    body = crypto.seal(
        key,
        padding.pad_record(
            json.dumps(profile.to_dict(), ensure_ascii=False, separators=(",", ":")).encode()
        ),
        _aad(profile.id),
    )
    c.execute(
        "INSERT OR REPLACE INTO profiles (id, revision, updated, body) VALUES (?,?,?,?)",
        (profile.id, profile.revision, profile.updated[:10], body),
    )


def decode(key: bytes, profile_id: str, body: bytes) -> RepresentativeProfile:
    try:
        doc = json.loads(crypto.unseal(key, bytes(body), _aad(profile_id)))
    except crypto.DecryptionError:
        raise tampered(f"representative profile {profile_id}", None) from None
    return RepresentativeProfile.from_dict(doc)


def get(c: sqlite3.Connection, key: bytes, profile_id: str) -> RepresentativeProfile:
    row = c.execute("SELECT body FROM profiles WHERE id=?", (profile_id,)).fetchone()
    if row is None:
        raise NotFoundError(f"no representative profile with id {profile_id}")
    return decode(key, profile_id, row[0])


def list_all(c: sqlite3.Connection, key: bytes) -> list[RepresentativeProfile]:
    """Every profile that decrypts (a damaged one is skipped; :func:`get` reports it)."""
    out = []
    for profile_id, body in c.execute("SELECT id, body FROM profiles").fetchall():
        with contextlib.suppress(TamperedDataError):
            out.append(decode(key, profile_id, body))
    return sorted(out, key=lambda p: fold(p.name))


def delete(c: sqlite3.Connection, profile_id: str) -> None:
    if c.execute("DELETE FROM profiles WHERE id=?", (profile_id,)).rowcount == 0:
        raise NotFoundError(f"no representative profile with id {profile_id}")


def rekey(c: sqlite3.Connection, old_key: bytes, new_key: bytes) -> None:
    """Inside a key rotation: re-seal every profile under the new key."""
    for profile_id, body in c.execute("SELECT id, body FROM profiles").fetchall():
        try:
            plain = crypto.unseal(old_key, bytes(body), _aad(profile_id))
        except crypto.DecryptionError:
            raise tampered(f"representative profile {profile_id}", None) from None
        c.execute(
            "UPDATE profiles SET body=? WHERE id=?",
            (crypto.seal(new_key, plain, _aad(profile_id)), profile_id),
        )
