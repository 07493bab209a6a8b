"""Submission records (when and how a request was sent): rows and encryption only.

Sealed with the draft's key, so purging the draft's key destroys them too.
The façade owns the transaction, the draft save that goes with a new record,
and the audit entry.
"""

from __future__ import annotations

import json
import sqlite3

from ombuds_desktop.draft.model import Submission
from ombuds_desktop.vault import crypto, padding
from ombuds_desktop.vault.errors import tampered
from ombuds_desktop.vault.records import SubmissionRecord
from ombuds_desktop.vault.store import AAD_VERSION


def _aad(draft_id: str, record_id: str) -> bytes:
    return crypto.record_aad("submission", f"{draft_id}/{record_id}", AAD_VERSION)


def insert(
    c: sqlite3.Connection, draft_key: bytes, record: SubmissionRecord, submission: Submission
) -> None:
    body = crypto.seal(
        draft_key,
        padding.pad_record(
            json.dumps(submission.to_dict(), ensure_ascii=False, separators=(",", ":")).encode()
        ),
        _aad(record.draft_id, record.id),
    )
    c.execute(
        "INSERT INTO submissions (id, draft_id, created, body) VALUES (?,?,?,?)",
        (record.id, record.draft_id, record.recorded_at, body),
    )


def list_for(c: sqlite3.Connection, draft_key: bytes, draft_id: str) -> list[SubmissionRecord]:
    rows = c.execute(
        "SELECT id, created, body FROM submissions WHERE draft_id=? ORDER BY created",
        (draft_id,),
    ).fetchall()
    out = []
    for sub_id, created, body in rows:
        try:
            doc = json.loads(crypto.unseal(draft_key, bytes(body), _aad(draft_id, sub_id)))
        except crypto.DecryptionError:
            raise tampered(f"submission record {sub_id}", draft_id) from None
        out.append(
            SubmissionRecord(
                sub_id, draft_id, doc["method"], doc["date"], doc.get("request_number"), created
            )
        )
    return out
