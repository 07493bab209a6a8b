"""Crash recovery for typing that autosave has not reached yet.

Autosave waits for a pause in typing, so steady typing can go a long time without
a saved revision.  While a draft window has unsaved edits it writes a *recovery
record* about once a second: the whole draft as typed, sealed with a sub-key of
the draft's own key.  The next time the draft opens the record is offered back
and then discarded by the first real save.

Layout: ``<data dir>/recovery/<name>`` where ``name`` is derived from the draft
key (never from client data, never the raw draft id).  The sealed JSON is padded
to a multiple of 4 KiB so its size says little about what was typed.  A record
is replaced atomically (temporary file, fsync, rename): a crash while writing
leaves the previous record.  Purging a draft destroys its key, so a record left
behind can no longer be read; :func:`discard` removes it anyway.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from ombuds_desktop.draft.interchange import DraftFormatError, draft_from_dict, draft_to_dict
from ombuds_desktop.draft.model import Draft
from ombuds_desktop.vault import crypto, paths

RECOVERY_DIR = "recovery"
PAD = 4096
_FORMAT = 1


@dataclass(frozen=True, slots=True)
class RecoveredTyping:
    """What a recovery record holds: the draft as typed, and the revision it was typed on."""

    draft: Draft
    base_revision: int | None
    written: str  # ISO 8601 UTC, when the record was written


def recovery_root(data_dir: Path) -> Path:
    return data_dir / RECOVERY_DIR


def _name(draft_key: bytes, draft_id: str) -> str:
    return hashlib.sha256(crypto.derive_key(draft_key, "recovery-name", draft_id)).hexdigest()[:32]


def _aad(draft_id: str, schema: int) -> bytes:
    return crypto.record_aad("recovery", draft_id, schema)


def record_path(data_dir: Path, draft_key: bytes, draft_id: str) -> Path:
    return recovery_root(data_dir) / _name(draft_key, draft_id)


def write(
    data_dir: Path,
    draft_key: bytes,
    draft: Draft,
    base_revision: int | None,
    written: str,
    schema: int,
) -> Path:
    """Replace the draft's recovery record with ``draft`` (sealed; never plaintext on disk)."""
    body = json.dumps(
        {
            "format": _FORMAT,
            "draft": draft_to_dict(draft),
            "base_revision": base_revision,
            "written": written,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode("utf-8", "surrogatepass")
    body += b" " * (-len(body) % PAD)
    sealed = crypto.seal(
        crypto.derive_key(draft_key, "recovery", draft.id), body, _aad(draft.id, schema)
    )
    root = recovery_root(data_dir)
    paths.ensure_private_dir(root)
    final = root / _name(draft_key, draft.id)
    paths.write_private(final, sealed)
    return final


def read(data_dir: Path, draft_key: bytes, draft_id: str, schema: int) -> RecoveredTyping | None:
    """The draft's recovery record, or None if there is none or it cannot be read.

    A record that does not decrypt (the draft was re-keyed or replaced, the file was cut
    short) is not an error worth stopping the user for: it is only a copy of typing that
    may already be saved, so it is treated as absent and removed.
    """
    path = record_path(data_dir, draft_key, draft_id)
    try:
        sealed = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError:
        return None
    try:
        body = crypto.unseal(
            crypto.derive_key(draft_key, "recovery", draft_id), sealed, _aad(draft_id, schema)
        )
        doc = json.loads(body.decode("utf-8", "surrogatepass"))
        draft = draft_from_dict(doc["draft"])
        if draft.id != draft_id or doc.get("format") != _FORMAT:
            raise ValueError("not this draft's record")
        base = doc.get("base_revision")
        return RecoveredTyping(
            draft, int(base) if base is not None else None, str(doc.get("written") or "")
        )
    except (crypto.DecryptionError, ValueError, KeyError, TypeError, DraftFormatError):
        with contextlib.suppress(OSError):
            path.unlink()
        return None


def discard(data_dir: Path, draft_key: bytes, draft_id: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        record_path(data_dir, draft_key, draft_id).unlink()
