"""The archives part of an unlocked vault: what :mod:`.archive` (the file format) needs.

:class:`Archives` is the archive module's :class:`~.archive.ArchiveHost`:
it hands the format code drafts and documents through their parts' public
operations, remembers which archives were imported (a keyed hash of the
archive id, never the file name), and refuses the vault passphrase as an
archive passphrase.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import IO, BinaryIO

from ombuds_desktop.draft.model import Draft
from ombuds_desktop.vault import archive, audit, crypto, intake, keys
from ombuds_desktop.vault.documents import Documents
from ombuds_desktop.vault.drafts import Drafts
from ombuds_desktop.vault.errors import VaultError
from ombuds_desktop.vault.records import StoredAttachment
from ombuds_desktop.vault.store import Session

Progress = Callable[[int], None]


class Archives:
    def __init__(
        self, session: Session, drafts: Drafts, docs: Documents, trail: audit.AuditTrail
    ) -> None:
        self._session = session
        self._drafts = drafts
        self._docs = docs
        self._trail = trail

    def export(
        self,
        draft_ids: list[str],
        dest: str | os.PathLike[str],
        passphrase: str,
        *,
        progress: Progress | None = None,
    ) -> Path:
        """Write drafts (with attachments) to one file under the archive's own passphrase."""
        archive.check_archive_passphrase(passphrase, None)
        self._refuse_vault_passphrase(passphrase)
        return archive.export_drafts(self, draft_ids, Path(dest), passphrase, progress=progress)

    def import_(
        self,
        src: str | os.PathLike[str],
        passphrase: str,
        *,
        progress: Progress | None = None,
        again: bool = False,
    ) -> list[Draft]:
        return archive.import_drafts(self, Path(src), passphrase, progress=progress, again=again)

    def _refuse_vault_passphrase(self, passphrase: str) -> None:
        """One scrypt per export: whoever receives an archive must not learn the vault's key."""
        with self._session.read() as c:
            wraps = [w for w in keys.load_wraps(c) if w.method == "passphrase"]
        for wrap in wraps:
            try:
                keys.open_passphrase_wrap(wrap, passphrase, self._session.vault_id)
            except (crypto.DecryptionError, keys.KeyRecordDamagedError):
                continue
            raise VaultError(
                "the archive passphrase must differ from the vault passphrase: whoever "
                "receives the archive could otherwise attack the vault passphrase offline"
            )

    def _tag(self, archive_id: str) -> str:
        """Independent of the vault key, so a key rotation keeps the record of imports."""
        return hashlib.sha256(
            crypto.associated_data("archive-seen", self._session.vault_id, archive_id)
        ).hexdigest()[:32]

    # -- archive.ArchiveHost

    def load_draft(self, draft_id: str, revision: int | None = None) -> Draft:
        return self._drafts.load(draft_id, revision)

    def attachment_info(self, blob_id: str) -> StoredAttachment:
        return self._docs.info(blob_id)

    def open_attachment(self, blob_id: str) -> BinaryIO:
        return self._docs.open(blob_id)

    def record_event(self, event: str, draft_id: str | None = None) -> None:
        self._trail.record_event(event, draft_id)

    def store_attachment(
        self,
        draft_id: str,
        source: IO[bytes],
        *,
        original_name: str | None = None,
        progress: Progress | None = None,
    ) -> StoredAttachment:
        return self._docs.store(draft_id, source, original_name=original_name, progress=progress)

    def taken_ids(self, draft_ids: list[str]) -> set[str]:
        return self._drafts.taken_ids(draft_ids)

    def discard_unsaved(self, draft_id: str) -> None:
        self._drafts.discard_unsaved(draft_id)

    def archive_seen(self, archive_id: str) -> list[str] | None:
        """The draft ids an earlier import of this archive made, or None if never imported."""
        s = self._session
        with s.lock:
            s.check_open()
            if not s.store.has_table("imported_archives"):
                return None
            with s.read() as c:
                row = c.execute(
                    "SELECT drafts FROM imported_archives WHERE tag=?", (self._tag(archive_id),)
                ).fetchone()
                if row is None:
                    return None
                ids = [d for d in row[0].split(",") if d]
                return [
                    d for d in ids if c.execute("SELECT 1 FROM drafts WHERE id=?", (d,)).fetchone()
                ]

    def save_imported(self, drafts: list[Draft], archive_id: str | None) -> None:
        """Save imported drafts in one transaction, and remember the archive they came from."""
        for draft in drafts:
            intake.check_storable(draft)
        s = self._session
        with s.lock:
            s.check_open()
            with s.write("importing the archive") as c:
                now = keys.now_iso()
                for draft in drafts:
                    self._drafts.save_in_tx(c, draft, None, now)
                    self._trail.append(c, "import", draft.id, now)
                if archive_id is not None:
                    c.execute(
                        "INSERT OR REPLACE INTO imported_archives (tag, at, drafts) VALUES (?,?,?)",
                        (self._tag(archive_id), now[:10], ",".join(d.id for d in drafts)),
                    )
