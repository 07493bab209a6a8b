"""The drafts list: one sealed summary per draft, decrypted once and cached in memory.

A summary is written with each save (same transaction, sealed with the
draft's key); the list decrypts only the summaries that changed since it
last looked, so listing thousands of drafts stays fast.  What only the form's
rules can tell (the status, the client's name, the forms and receipt numbers)
is computed by the layer above and handed in as ``describe``
(``validation.status.describe_draft``): storage does not read the form definition.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable

from ombuds_desktop.draft.model import Draft
from ombuds_desktop.vault import crypto
from ombuds_desktop.vault.draftkeys import DraftKeys
from ombuds_desktop.vault.errors import NotFoundError, TamperedDataError
from ombuds_desktop.vault.records import DraftSummary, Listing, fold
from ombuds_desktop.vault.store import AAD_VERSION, Session

#: What the list shows of a draft, from its answers (see ``validation.status.describe_draft``).
Describe = Callable[[Draft], Listing]


def undescribed(draft: Draft) -> Listing:
    """Without a ``describe``: the status the draft itself records, and nothing derived."""
    return Listing(status=draft.status)


def summary_aad(draft_id: str, revision: int) -> bytes:
    return crypto.record_aad("summary", f"{draft_id}/{revision}", AAD_VERSION)


class Summaries:
    def __init__(
        self, session: Session, draft_keys: DraftKeys, describe: Describe | None = None
    ) -> None:
        self._session = session
        self._draft_keys = draft_keys
        self._describe = describe or undescribed
        self._cache: dict[str, tuple[int, str, DraftSummary]] = {}

    def make(self, draft: Draft, updated: str, revision: int) -> dict[str, object]:
        """The summary of a revision being saved (sealed by the caller)."""
        listing = self._describe(draft)
        return {
            "client": listing.client,
            "forms_and_receipts": listing.forms_and_receipts,
            "receipts": list(listing.receipts),
            "status": listing.status,
            "family_group": draft.family_group,
            "form": draft.form,
            "updated": updated,
            "revision": revision,
            "submitted_on": draft.submission.date if draft.submission else "",
            "submitted_by": draft.submission.method if draft.submission else "",
            "request_number": (draft.submission.request_number or "") if draft.submission else "",
        }

    def _decode(
        self,
        c: sqlite3.Connection,
        draft_id: str,
        revision: int,
        state: str,
        updated: str,
        sealed: bytes | None,
        wrapped: bytes,
    ) -> DraftSummary:
        doc: dict[str, object] = {}
        damaged = False
        try:
            if sealed is None:
                raise crypto.DecryptionError("no summary")
            key = self._draft_keys.get(c, draft_id, wrapped)
            doc = json.loads(crypto.unseal(key, bytes(sealed), summary_aad(draft_id, revision)))
        except (crypto.DecryptionError, TamperedDataError, ValueError):
            damaged = True
        client = str(doc.get("client") or "") if not damaged else "(damaged: cannot be decrypted)"
        receipts = tuple(str(r) for r in doc.get("receipts") or ())  # type: ignore[attr-defined]
        far = str(doc.get("forms_and_receipts") or "")
        group = doc.get("family_group")
        search = fold(
            " ".join(
                [
                    draft_id,
                    client,
                    far,
                    " ".join(receipts),
                    str(group or ""),
                    str(doc.get("status") or ""),
                    str(doc.get("request_number") or ""),
                ]
            )
        )
        return DraftSummary(
            id=draft_id,
            client=client,
            forms_and_receipts=far,
            receipts=receipts,
            status=str(doc.get("status") or ("damaged" if damaged else "draft")),
            family_group=str(group) if group else None,
            form=str(doc.get("form") or ""),
            updated=str(doc.get("updated") or updated),  # exact time only inside the seal
            revision=revision,
            in_trash=state == "trash",
            damaged=damaged,
            submitted_on=str(doc.get("submitted_on") or ""),
            submitted_by=str(doc.get("submitted_by") or ""),
            request_number=str(doc.get("request_number") or ""),
            search_text=search,
        )

    def _refresh(self) -> None:
        """Bring the cache up to date (other windows may have saved)."""
        with self._session.read() as c:
            rows = c.execute(
                "SELECT id, revision, state, updated FROM drafts WHERE revision > 0"
            ).fetchall()
            seen = set()
            stale = []
            for draft_id, revision, state, _updated in rows:
                seen.add(draft_id)
                cached = self._cache.get(draft_id)
                if cached is None or cached[0] != revision or cached[2].damaged:
                    stale.append(draft_id)  # a damaged one is read again: it may be healed
                elif cached[1] != state:
                    old = cached[2]
                    self._cache[draft_id] = (
                        revision,
                        state,
                        DraftSummary(
                            **{
                                **{f: getattr(old, f) for f in DraftSummary.__slots__},
                                "in_trash": state == "trash",
                            }
                        ),
                    )
            for start in range(0, len(stale), 500):
                batch = stale[start : start + 500]
                marks = ",".join("?" * len(batch))
                for draft_id, revision, state, updated, sealed, wrapped in c.execute(
                    f"SELECT id, revision, state, updated, summary, key_wrapped FROM drafts "
                    f"WHERE id IN ({marks})",
                    batch,
                ).fetchall():
                    self._cache[draft_id] = (
                        revision,
                        state,
                        self._decode(c, draft_id, revision, state, updated, sealed, wrapped),
                    )
            for gone in set(self._cache) - seen:
                del self._cache[gone]

    def list_drafts(self, *, trash: bool = False) -> list[DraftSummary]:
        """Live drafts (or, with ``trash=True``, those in the trash), newest first."""
        s = self._session
        with s.lock:
            s.check_open()
            self._refresh()
            out = [v for _r, _st, v in self._cache.values() if v.in_trash == trash]
        out.sort(key=lambda v: v.updated, reverse=True)
        return out

    def search(self, query: str, *, trash: bool = False) -> list[DraftSummary]:
        """Drafts whose client, forms, receipts, id or group contain every word of ``query``."""
        words = fold(query).split()
        return [v for v in self.list_drafts(trash=trash) if all(w in v.search_text for w in words)]

    def get(self, draft_id: str) -> DraftSummary:
        s = self._session
        with s.lock:
            s.check_open()
            self._refresh()
            cached = self._cache.get(draft_id)
        if cached is None:
            raise NotFoundError(f"no draft with id {draft_id} in this vault")
        return cached[2]

    def family(self, group_id: str) -> list[DraftSummary]:
        return [v for v in self.list_drafts() if v.family_group == group_id]

    def family_ids(self, draft_id: str) -> list[str]:
        """The draft and every other live draft of its family group (the draft first)."""
        summary = self.get(draft_id)
        if not summary.family_group:
            return [draft_id]
        others = [v.id for v in self.family(summary.family_group) if v.id != draft_id]
        return [draft_id, *others]

    def change_marker(self) -> int:
        """A number that changes when another process (the CLI, a second window) commits
        to the vault: a cheap poll for the drafts list (SQLite's ``data_version``)."""
        s = self._session
        with s.lock:
            s.check_open()
            with s.read() as c:
                return int(c.execute("PRAGMA data_version").fetchone()[0])

    def forget(self, draft_id: str) -> None:
        self._cache.pop(draft_id, None)

    def clear(self) -> None:
        self._cache.clear()
