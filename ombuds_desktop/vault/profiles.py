"""Representative profiles: their rows, their encryption (the profiles sub-key) and the
:class:`Profiles` part, which takes the lock, opens the transaction and audits."""

from __future__ import annotations

import contextlib
import json
import sqlite3

from ombuds_desktop.vault import audit, crypto, keys, padding
from ombuds_desktop.vault.errors import NotFoundError, TamperedDataError, tampered
from ombuds_desktop.vault.records import RepresentativeProfile, fold
from ombuds_desktop.vault.store import AAD_VERSION, Session


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


class Profiles:
    def __init__(self, session: Session, trail: audit.AuditTrail) -> None:
        self._session = session
        self._trail = trail

    def save(self, profile: RepresentativeProfile) -> RepresentativeProfile:
        """Create or update a profile (encrypted); returns it with its revision."""
        s = self._session
        with s.lock:
            s.check_open()
            with s.write("saving the profile") as c:
                save(c, s.keys.profiles, profile)
                self._trail.append(c, "profile-save", None, profile.updated)
            return profile

    def get(self, profile_id: str) -> RepresentativeProfile:
        s = self._session
        with s.lock:
            s.check_open()
            with s.read() as c:
                return get(c, s.keys.profiles, profile_id)

    def list_all(self) -> list[RepresentativeProfile]:
        """All profiles that decrypt (a damaged one is skipped, see :meth:`get`)."""
        s = self._session
        with s.lock:
            s.check_open()
            with s.read() as c:
                return list_all(c, s.keys.profiles)

    def delete(self, profile_id: str) -> None:
        s = self._session
        with s.lock:
            s.check_open()
            with s.write("deleting the profile") as c:
                delete(c, profile_id)
                self._trail.append(c, "profile-delete", None, keys.now_iso())
