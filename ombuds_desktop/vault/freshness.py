"""Freshness: is this the newest vault this computer saw, with nothing rolled back?

The database alone cannot tell: rows copied from an older copy, a dropped
newest revision, a WAL deleted after a crash, or the tail of the audit log cut
off all leave a consistent-looking file.  So the vault's state is also kept
*outside* the database file and authenticated with a key only the vault key
gives:

* ``vault.fresh`` beside the database: every draft's newest revision and
  state, and the audit chain's head (sequence number and MAC), MAC'd with a
  sub-key of the vault key.  Rewritten after every committed change (commit
  first, so a crash leaves it older, never newer, than the database).
* an anchor in the system keyring (when one is usable), written at unlock and
  at close: the audit head this computer last saw, so replacing the whole
  folder (database *and* ``vault.fresh``) with an older copy is noticed too.

Failed unlocks are parked without a key; ``vault.fresh`` also counts them in
an unauthenticated field, so deleting the parked rows alone is noticed.

Every open compares, before anything is written (the audit chain is checked
before the unlock is appended).  Problems are reported in words; the vault
then reads and exports but does not write until the user restores the newer
copy or accepts the current state (``vault accept-state``).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import os
import secrets
import sqlite3
from pathlib import Path
from typing import Any

from ombuds_desktop.vault import crypto, paths

SIDECAR = "vault.fresh"
ANCHOR_USER = "{vault_id}/seen"
META_FLAG = "freshness"


def sidecar_path(data_dir: Path) -> Path:
    return data_dir / SIDECAR


def current_state(c: sqlite3.Connection) -> dict[str, Any]:
    heads = {
        d: [rev, "t" if state == "trash" else "l"]
        for d, rev, state in c.execute("SELECT id, revision, state FROM drafts WHERE revision > 0")
    }
    row = c.execute("SELECT seq, mac FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    head = [row[0], bytes(row[1]).hex()] if row else [0, ""]
    return {"heads": heads, "audit": head}


def _mac(key: bytes, vault_id: str, state: dict[str, Any]) -> str:
    body = json.dumps({"vault_id": vault_id, **state}, sort_keys=True, separators=(",", ":"))
    return hmac.new(key, body.encode(), hashlib.sha256).hexdigest()


def read_sidecar(data_dir: Path) -> dict[str, Any] | None:
    """The sidecar as stored, or None if missing; ``{"unreadable": ...}`` if damaged."""
    try:
        raw = sidecar_path(data_dir).read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        return {"unreadable": exc.strerror or "cannot be read"}
    try:
        doc = json.loads(raw)
        if not isinstance(doc, dict):
            raise ValueError
        return doc
    except ValueError:
        return {"unreadable": "not valid JSON"}


def write_sidecar(
    data_dir: Path,
    key: bytes,
    vault_id: str,
    state: dict[str, Any],
    parked: int,
    *,
    force: bool = False,
) -> None:
    """Replace the sidecar atomically unless it already records a newer audit head.

    No fsync: losing the newest sidecar in a power cut only makes it older than
    the database, which the check accepts.
    """
    old = {} if force else read_sidecar(data_dir) or {}
    try:
        if int(old.get("audit", [0])[0]) > int(state["audit"][0]):
            return  # another process committed later and wrote its state already
    except (TypeError, ValueError, IndexError):
        pass
    doc = {**state, "mac": _mac(key, vault_id, state), "parked": parked}
    path = sidecar_path(data_dir)
    tmp = path.with_name(f".{SIDECAR}.{secrets.token_hex(4)}")
    try:
        with os.fdopen(paths.create_private_file(tmp), "w") as out:
            json.dump(doc, out, separators=(",", ":"))
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()


def bump_parked(data_dir: Path) -> None:
    """A failed unlock was parked: count it outside the database (no key needed)."""
    doc = read_sidecar(data_dir)
    if doc is None or "unreadable" in doc:
        return
    doc["parked"] = int(doc.get("parked") or 0) + 1
    path = sidecar_path(data_dir)
    tmp = path.with_name(f".{SIDECAR}.{secrets.token_hex(4)}")
    try:
        with os.fdopen(paths.create_private_file(tmp), "w") as out:
            json.dump(doc, out, separators=(",", ":"))
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()


OLDER = "this vault is older than the last one this computer saw"


def compare(
    c: sqlite3.Connection, key: bytes, vault_id: str, doc: dict[str, Any] | None, expected: bool
) -> list[str]:
    """What differs between the database and the last state recorded outside it.

    ``doc`` is the sidecar as :func:`read_sidecar` returned it, read BEFORE the snapshot
    ``c`` began: another window commits first and rewrites the record after, so read in
    that order the record is never newer than the database unless it was rolled back.
    """
    if doc is None:
        return [f"{OLDER}: its freshness record ({SIDECAR}) is missing"] if expected else []
    if "unreadable" in doc:
        return [f"its freshness record ({SIDECAR}) is damaged ({doc['unreadable']})"]
    state = {"heads": doc.get("heads"), "audit": doc.get("audit")}
    if not isinstance(doc.get("mac"), str) or not hmac.compare_digest(
        doc["mac"], _mac(key, vault_id, state)
    ):
        return [f"its freshness record ({SIDECAR}) was altered or belongs to another vault"]
    problems: list[str] = []
    audit_head = state["audit"]
    seq, mac_hex = audit_head if isinstance(audit_head, list | tuple) else (0, "")
    row = c.execute("SELECT mac FROM audit WHERE seq=?", (seq,)).fetchone() if seq else None
    top = c.execute("SELECT max(seq) FROM audit").fetchone()[0] or 0
    if seq and row is None:
        problems.append(
            f"{OLDER}: its audit log ends at entry {top}, but entry {seq} was seen "
            "(entries were removed, or changes were lost, e.g. a deleted WAL file)"
        )
    elif seq and row is not None and bytes(row[0]).hex() != mac_hex:
        problems.append(f"audit entry {seq} differs from the one this computer saw")
    heads = state["heads"] or {}
    purged = {p for (p,) in c.execute("SELECT id FROM purged")}
    rows = {d: (r, s) for d, r, s in c.execute("SELECT id, revision, state FROM drafts")}
    for draft_id, (rev, _state) in sorted(heads.items()):
        if draft_id not in rows:
            if draft_id not in purged:
                problems.append(f"{OLDER}: draft {draft_id} is missing")
            continue
        now_rev = rows[draft_id][0]
        if now_rev < rev:
            problems.append(
                f"{OLDER}: draft {draft_id} is at revision {now_rev}, but revision {rev} "
                "was seen (it was rolled back)"
            )
            continue
    for draft_id, (now_rev, _s) in rows.items():
        if (
            now_rev > 0
            and not c.execute(
                "SELECT 1 FROM revisions WHERE draft_id=? AND revision=?", (draft_id, now_rev)
            ).fetchone()
        ):
            problems.append(f"the newest revision ({now_rev}) of draft {draft_id} is missing")
    parked_seen = int(doc.get("parked") or 0)
    pending = c.execute("SELECT count(*) FROM audit_pending").fetchone()[0]
    if parked_seen > pending:
        problems.append(
            f"{parked_seen - pending} record(s) of failed unlock attempts were deleted "
            "(someone may have tried passphrases and hidden it)"
        )
    return problems


# --------------------------------------------------------------------------- keyring anchor


def _anchor_value(key: bytes, vault_id: str, seq: int) -> str:
    mac = hmac.new(key, f"seen:{vault_id}:{seq}".encode(), hashlib.sha256).digest()
    return f"ombuds-seen-v1:{seq}:{base64.b64encode(mac).decode()}"


def save_anchor(key: bytes, vault_id: str, seq: int) -> None:
    """Best effort: the audit head this computer saw, in the system keyring."""
    from ombuds_desktop.vault import keys

    backend, _ = keys.usable_keyring()
    if backend is None:
        return
    with contextlib.suppress(Exception):
        backend.set_password(
            keys.KEYRING_SERVICE,
            ANCHOR_USER.format(vault_id=vault_id),
            _anchor_value(key, vault_id, seq),
        )


def seen_anchor(key: bytes, vault_id: str) -> int | None:
    """The audit head this computer last saw (keyring), or None when unknown.

    Read it before the database snapshot it is compared with (see :func:`compare`).
    """
    from ombuds_desktop.vault import keys

    backend, _ = keys.usable_keyring()
    if backend is None:
        return None
    try:
        value = backend.get_password(keys.KEYRING_SERVICE, ANCHOR_USER.format(vault_id=vault_id))
    except Exception:  # noqa: BLE001 - a locked keyring must not stop reading
        return None
    if not value:
        return None
    try:
        seen = int(value.split(":")[1])
    except (IndexError, ValueError):
        return None
    if value != _anchor_value(key, vault_id, seen):
        return None  # not ours (another vault key, e.g. after a rotation elsewhere)
    return seen


def check_anchor(seen: int | None, seq: int) -> str | None:
    """A problem when the database's audit head ``seq`` is behind what was ``seen``."""
    if seen is not None and seq < seen:
        return (
            f"{OLDER} (its history has {seq} changes, {seen} were seen): the whole "
            "folder was replaced by an older copy, or recent changes were lost"
        )
    return None


def derive(vault_key: bytes) -> bytes:
    return crypto.derive_key(vault_key, "freshness")
