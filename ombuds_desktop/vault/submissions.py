"""Submission records (when and how a request was sent).

Sealed with the draft's key, so purging the draft's key destroys them too.
Recording one also saves the draft as submitted, in the same transaction.
"""

from __future__ import annotations

import json
import sqlite3

from ombuds_desktop.draft.model import Submission, new_id
from ombuds_desktop.vault import audit, crypto, keys, padding
from ombuds_desktop.vault.documents import Documents
from ombuds_desktop.vault.draftkeys import DraftKeys
from ombuds_desktop.vault.drafts import Drafts
from ombuds_desktop.vault.errors import tampered
from ombuds_desktop.vault.records import SubmissionRecord
from ombuds_desktop.vault.store import AAD_VERSION, Session


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


def rekey(c: sqlite3.Connection, draft_id: str, old: bytes, new: bytes) -> None:
    """Inside a key rotation: re-seal the draft's submission records under its new key."""
    for sub_id, body in c.execute(
        "SELECT id, body FROM submissions WHERE draft_id=?", (draft_id,)
    ).fetchall():
        aad = _aad(draft_id, sub_id)
        try:
            plain = crypto.unseal(old, bytes(body), aad)
        except crypto.DecryptionError:
            raise tampered("a submission record", draft_id) from None
        c.execute(
            "UPDATE submissions SET body=? WHERE id=?", (crypto.seal(new, plain, aad), sub_id)
        )


class Submissions:
    def __init__(
        self,
        session: Session,
        draft_keys: DraftKeys,
        drafts: Drafts,
        docs: Documents,
        trail: audit.AuditTrail,
    ) -> None:
        self._session = session
        self._draft_keys = draft_keys
        self._drafts = drafts
        self._docs = docs
        self._trail = trail

    def record(self, draft_id: str, submission: Submission) -> SubmissionRecord:
        """Record that a request was sent, and save the draft as submitted (one transaction)."""
        s = self._session
        with s.lock:
            draft = self._drafts.load(draft_id)
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
            with s.write("recording the submission") as c:
                insert(c, self._draft_keys.get(c, draft_id), record, submission)
                _rev, garbage = self._drafts.save_in_tx(c, draft, None, record.recorded_at)
                self._trail.append(c, "submission", draft_id, record.recorded_at)
            self._docs.remove_files(garbage)
            return record

    def list_for(self, draft_id: str) -> list[SubmissionRecord]:
        s = self._session
        with s.lock:
            s.check_open()
            with s.read() as c:
                return list_for(c, self._draft_keys.get(c, draft_id), draft_id)
