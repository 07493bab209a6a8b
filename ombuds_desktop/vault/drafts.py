"""Drafts and their revisions: save, load, history, trash, purge, copies, unsaved typing.

Every save is one transaction: the new revision, the list summary, the
references to its documents, the tombstones of documents no kept revision
needs any more, and the audit entry.  Only the last :data:`KEEP_REVISIONS`
revisions are kept.
"""

from __future__ import annotations

import contextlib
import copy
import json
import sqlite3
from collections.abc import Iterable

from ombuds_desktop.draft.interchange import DraftFormatError, draft_from_dict, draft_to_dict
from ombuds_desktop.draft.model import Draft, new_id
from ombuds_desktop.vault import audit, crypto, documents, intake, keys, padding, recovery
from ombuds_desktop.vault.documents import Documents
from ombuds_desktop.vault.draftkeys import DraftKeys
from ombuds_desktop.vault.errors import (
    NotFoundError,
    RevisionConflictError,
    VaultError,
    tampered,
)
from ombuds_desktop.vault.records import PurgeReport, RevisionInfo, blob_id_of, json_bytes
from ombuds_desktop.vault.store import AAD_VERSION, Session, translate
from ombuds_desktop.vault.summaries import Summaries, summary_aad

KEEP_REVISIONS = 50


def coarse_time(ts: str) -> str:
    """The hour only, for timestamps stored in the clear (exact times stay encrypted)."""
    return ts[:13] + ":00:00Z" if len(ts) >= 13 else ts


def _revision_aad(draft_id: str, revision: int) -> bytes:
    return crypto.record_aad("revision", f"{draft_id}/{revision}", AAD_VERSION)


def delete_rows(c: sqlite3.Connection, draft_id: str) -> None:
    """Every row of a draft (its key record last)."""
    for table, column in (
        ("revision_blobs", "draft_id"),
        ("revisions", "draft_id"),
        ("blobs", "draft_id"),
        ("submissions", "draft_id"),
        ("drafts", "id"),
    ):
        c.execute(f"DELETE FROM {table} WHERE {column}=?", (draft_id,))


def rekey_records(
    c: sqlite3.Connection,
    draft_id: str,
    revision: int,
    summary: bytes | None,
    old: bytes,
    new: bytes,
) -> None:
    """Inside a key rotation: re-seal the draft's revisions and summary under its new key."""

    def reseal(kind: str, rid: str, blob: bytes) -> bytes:
        aad = crypto.record_aad(kind, rid, AAD_VERSION)
        try:
            plain = crypto.unseal(old, bytes(blob), aad)
        except crypto.DecryptionError:
            raise tampered(f"a {kind} record", draft_id) from None
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
            (reseal("summary", f"{draft_id}/{revision}", summary), draft_id),
        )


class Drafts:
    def __init__(
        self,
        session: Session,
        draft_keys: DraftKeys,
        docs: Documents,
        summaries: Summaries,
        trail: audit.AuditTrail,
    ) -> None:
        self._session = session
        self._draft_keys = draft_keys
        self._docs = docs
        self._summaries = summaries
        self._trail = trail

    # ------------------------------------------------------------------ saving

    def save_in_tx(
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
            key = self._draft_keys.new_row(c, draft.id, now)
            current = 0
        else:
            current, state = row
            if state == "trash":
                raise VaultError(f"draft {draft.id} is in the trash; restore it before saving")
            key = self._draft_keys.get(c, draft.id)
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
        body = json_bytes(draft_to_dict(draft))
        c.execute(
            "INSERT INTO revisions (draft_id, revision, saved_at, body) VALUES (?,?,?,?)",
            (
                draft.id,
                rev,
                now,  # exact: the clean-up of removed documents compares against it
                crypto.seal(key, padding.pad_record(body), _revision_aad(draft.id, rev)),
            ),
        )
        c.executemany(
            "INSERT OR IGNORE INTO revision_blobs VALUES (?,?,?)",
            [(draft.id, rev, b) for b in blob_ids],
        )
        summary = json_bytes(self._summaries.make(draft, now, rev))
        c.execute(
            "UPDATE drafts SET revision=?, updated=?, summary=? WHERE id=?",
            (
                rev,
                coarse_time(now),
                crypto.seal(key, padding.pad_record(summary), summary_aad(draft.id, rev)),
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
            documents.release(c, garbage, now)
        self._trail.append(c, "save", draft.id, now)
        return rev, garbage

    def save(self, draft: Draft, *, base_revision: int | None = None) -> int:
        """Save atomically as a new revision and return its number."""
        intake.check_storable(draft)
        s = self._session
        with s.lock:
            s.check_open()
            with s.write("saving the draft") as c:
                rev, garbage = self.save_in_tx(c, draft, base_revision, keys.now_iso())
            self._docs.remove_files(garbage)
            return rev

    def save_new(self, drafts: list[Draft], action: str, event: str) -> str:
        """Save drafts that are new to this vault in one transaction; returns its time.

        ``event`` is audited for each draft (import, duplicate).
        """
        s = self._session
        with s.lock:
            s.check_open()
            with s.write(action) as c:
                now = keys.now_iso()
                for draft in drafts:
                    self.save_in_tx(c, draft, None, now)
                    self._trail.append(c, event, draft.id, now)
        return now

    # ------------------------------------------------------------------ reading

    def load(self, draft_id: str, revision: int | None = None) -> Draft:
        """Decrypt a draft (the current revision, or an older one still kept)."""
        s = self._session
        with s.lock:
            s.check_open()
            with s.read("opening the draft") as c:
                head = c.execute(
                    "SELECT revision, key_wrapped FROM drafts WHERE id=?", (draft_id,)
                ).fetchone()
                if head is None:  # purged, perhaps by another window
                    self._draft_keys.forget(draft_id)
                    raise NotFoundError(f"no draft with id {draft_id} in this vault")
                key = self._draft_keys.get(c, draft_id, head[1])
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
                body = crypto.unseal(key, bytes(row[0]), _revision_aad(draft_id, revision))
            except crypto.DecryptionError:
                raise tampered(f"revision {revision}", draft_id) from None
            try:
                draft = draft_from_dict(json.loads(body))
            except (DraftFormatError, ValueError) as exc:
                raise VaultError(
                    f"draft {draft_id} revision {revision} cannot be read by this "
                    f"version of Ombuds Desktop: {exc}"
                ) from None
            self._trail.best_effort("open", draft_id)
            return draft

    def current_revision(self, draft_id: str) -> int:
        s = self._session
        with s.lock:
            s.check_open()
            with s.read() as c:
                row = c.execute("SELECT revision FROM drafts WHERE id=?", (draft_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no draft with id {draft_id} in this vault")
        return int(row[0])

    def revisions(self, draft_id: str) -> list[RevisionInfo]:
        """The kept revisions of a draft, newest first."""
        s = self._session
        with s.lock:
            s.check_open()
            with s.read() as c:
                if c.execute("SELECT 1 FROM drafts WHERE id=?", (draft_id,)).fetchone() is None:
                    raise NotFoundError(f"no draft with id {draft_id} in this vault")
                rows = c.execute(
                    "SELECT revision, saved_at FROM revisions WHERE draft_id=? "
                    "ORDER BY revision DESC",
                    (draft_id,),
                ).fetchall()
        return [RevisionInfo(r, t) for r, t in rows]

    def taken_ids(self, draft_ids: list[str]) -> set[str]:
        """The ids among ``draft_ids`` this vault already has or had (purged)."""
        s = self._session
        with s.lock:
            s.check_open()
            with s.read() as c:
                return {
                    d
                    for d in draft_ids
                    if c.execute(
                        "SELECT 1 FROM drafts WHERE id=? UNION SELECT 1 FROM purged WHERE id=?",
                        (d, d),
                    ).fetchone()
                }

    # ------------------------------------------------------------------ history and trash

    def restore_revision(self, draft_id: str, revision: int) -> int:
        """Make an old revision current again (saved as a new revision; nothing is lost)."""
        s = self._session
        with s.lock:
            old = self.load(draft_id, revision)
            with s.write("restoring a revision") as c:
                now = keys.now_iso()
                rev, garbage = self.save_in_tx(c, old, None, now)
                self._trail.append(c, "restore-revision", draft_id, now)
            self._docs.remove_files(garbage)
            return rev

    def set_state(self, draft_id: str, state: str, event: str) -> None:
        """Move a draft to the trash (``state="trash"``) or back (``"live"``)."""
        s = self._session
        with s.lock:
            s.check_open()
            with s.write("moving the draft") as c:
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
                self._trail.append(c, event, draft_id, now)

    def purge(self, draft_id: str, *, wait_for_readers: bool = True) -> PurgeReport:
        """Destroy a draft for good: its key, revisions, documents and submission records.

        Deletes the rows (secure_delete zeroes their pages), unlinks the
        document files, checkpoints and truncates the WAL and VACUUMs, so no
        trace is left in the live vault files.  Backups made earlier still hold it.
        ``wait_for_readers=False`` (the desktop app) gives up on the WAL truncation
        quickly when another connection holds a read snapshot (see ``wal_truncated``).
        """
        s = self._session
        with s.lock:
            s.check_open()
            with s.write("purging the draft") as c:
                if c.execute("SELECT 1 FROM drafts WHERE id=?", (draft_id,)).fetchone() is None:
                    raise NotFoundError(f"no draft with id {draft_id} in this vault")
                with contextlib.suppress(OSError, VaultError):  # a damaged key: nothing to read
                    recovery.discard(s.data_dir, self._draft_keys.get(c, draft_id), draft_id)
                blob_ids = documents.ids_of_draft(c, draft_id)
                delete_rows(c, draft_id)
                now = keys.now_iso()
                documents.release(c, blob_ids, now)
                c.execute("INSERT OR REPLACE INTO purged (id, at) VALUES (?, ?)", (draft_id, now))
                self._trail.append(c, "purge", draft_id, now)
            self._docs.remove_files(blob_ids)
            self._draft_keys.forget(draft_id)
            self._summaries.forget(draft_id)
            truncated = s.compact(wait_for_readers=wait_for_readers)
            s.wal_pending = not truncated
            return PurgeReport(draft_id, len(blob_ids), truncated)

    def discard_unsaved(self, draft_id: str) -> None:
        """Remove a draft row that never got a revision (an interrupted import)."""
        s = self._session
        with s.lock, s.write("cleaning up") as c:
            row = c.execute("SELECT revision FROM drafts WHERE id=?", (draft_id,)).fetchone()
            if row is None or row[0] != 0:
                return
            blob_ids = documents.ids_of_draft(c, draft_id)
            delete_rows(c, draft_id)
            documents.release(c, blob_ids, keys.now_iso())
            self._draft_keys.forget(draft_id)
        self._docs.remove_files(blob_ids)

    # ------------------------------------------------------------------ copies

    def duplicate_for_family(self, draft_id: str, shared_fields: Iterable[str]) -> Draft:
        """A new draft for a family member: the family-shared answers, the same representative.

        Both drafts end up in one family group (created if the source had
        none); the two saves are one transaction.
        """
        s = self._session
        with s.lock:
            source = self.load(draft_id)
            shared = list(shared_fields)
            group = source.family_group or new_id()
            twin = Draft(
                form=source.form,
                values={f: copy.deepcopy(source.values[f]) for f in shared if f in source.values},
                family_group=group,
                representative_profile=source.representative_profile,
            )
            with s.write("duplicating the draft") as c:
                now = keys.now_iso()
                if source.family_group != group:
                    source.family_group = group
                    self.save_in_tx(c, source, None, now)
                self.save_in_tx(c, twin, None, now)
                self._trail.append(c, "duplicate", twin.id, now)
            return twin

    def correction_copy(self, draft_id: str) -> Draft:
        """A new, editable draft with every answer and document of a submitted one.

        The copy has no submission, is in the same family group, and its
        documents are re-encrypted under the copy's own key.
        """
        with self._session.lock:
            source = self.load(draft_id)
            twin = copy.deepcopy(source)
            twin.id = new_id()
            twin.status = "draft"
            twin.submission = None
            for att in twin.attachments:
                blob = blob_id_of(att)
                if blob is None:
                    continue
                name = self._docs.info(blob).original_name
                with self._docs.open(blob) as fh:
                    stored = self._docs.store(twin.id, fh, original_name=name)
                att.path = stored.ref
            self.save_new([twin], "making a correction copy", "duplicate")
            return twin

    # ------------------------------------------------------------------ unsaved typing

    def save_recovery(self, draft: Draft, base_revision: int | None) -> None:
        """Write the sealed recovery record of unsaved typing (see :mod:`.recovery`)."""
        key = self._draft_keys.key_of(draft.id)
        try:
            recovery.write(
                self._session.data_dir, key, draft, base_revision, keys.now_iso(), AAD_VERSION
            )
        except OSError as exc:
            raise translate(exc, "writing the recovery copy of your typing") from None

    def load_recovery(self, draft_id: str) -> recovery.RecoveredTyping | None:
        """Typing that was not saved before a crash, or None."""
        key = self._draft_keys.key_of(draft_id)
        return recovery.read(self._session.data_dir, key, draft_id, AAD_VERSION)

    def discard_recovery(self, draft_id: str) -> None:
        """Drop the recovery record once a real revision holds the typing."""
        try:
            key = self._draft_keys.key_of(draft_id)
        except NotFoundError:
            return
        try:
            recovery.discard(self._session.data_dir, key, draft_id)
        except OSError as exc:
            raise translate(exc, "removing the recovery copy of your typing") from None
