"""Drafts in and out as plain files: import a draft file with its documents, or write one out.

A draft file received from someone else is untrusted: its attachment paths
pass :mod:`.intake` (regular files inside the file's folder, or a folder the
user allowed) before anything is read.  Forced answers and the shown status
are the caller's business (``validation.status.prepare_import``): storage
does not read the form's rules.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from collections.abc import Callable, Sequence
from pathlib import Path

from ombuds_desktop.draft.interchange import dumps
from ombuds_desktop.draft.model import Draft, new_id
from ombuds_desktop.vault import intake, paths
from ombuds_desktop.vault.documents import Documents
from ombuds_desktop.vault.drafts import Drafts
from ombuds_desktop.vault.errors import AttachmentRefusedError, NotFoundError, VaultError
from ombuds_desktop.vault.records import blob_id_of
from ombuds_desktop.vault.store import translate

Progress = Callable[[int], None]


def safe_file_name(name: str, fallback: str) -> str:
    """A file name safe on every OS (no folders, no reserved characters)."""
    base = os.path.basename(name.replace("\\", "/")).strip().strip(".")
    base = re.sub(r'[<>:"/\\|?*\x00-\x1f]', "_", base)[:120]
    return base or fallback


class Exchange:
    def __init__(self, drafts: Drafts, docs: Documents) -> None:
        self._drafts = drafts
        self._docs = docs

    def import_draft(
        self,
        draft: Draft,
        base_dir: str | os.PathLike[str] | None,
        *,
        allow_from: Sequence[str | os.PathLike[str]] = (),
        progress: Progress | None = None,
    ) -> Draft:
        """Store an interchange draft and encrypt its attachment files into the vault.

        Attachment paths must name regular files inside ``base_dir`` or inside a
        folder listed in ``allow_from``; otherwise nothing is imported and the
        message names every refused path.  The draft keeps its id unless the
        vault already has (or had) it.  Returns the stored draft.
        """
        intake.check_storable(draft)
        problems = intake.check_attachment_paths(draft, base_dir, allow_from)
        if problems:
            message = f"{intake.describe(problems)}. Nothing was imported."
            if all(p.kind == "missing" for p in problems):
                raise NotFoundError(message)
            raise AttachmentRefusedError(message, problems)
        draft = draft.copy()
        if self._drafts.taken_ids([draft.id]):
            draft.id = new_id()
        base = Path(base_dir) if base_dir is not None else None
        try:
            for i, att in enumerate(draft.attachments):
                if blob_id_of(att) is not None:
                    raise VaultError(
                        f"attachment {i + 1} refers to another vault "
                        f"({att.path}); export it with its files instead"
                    )
                real, problem = intake.check_attachment_path(i, att.path, base, allow_from)
                if real is None:
                    assert problem is not None
                    raise AttachmentRefusedError(
                        f"{problem.message}. Nothing was imported.", [problem]
                    )
                with intake.open_checked(real) as src:
                    stored = self._docs.store(
                        draft.id,
                        src,
                        original_name=att.original_name or os.path.basename(real),
                        progress=progress,
                    )
                if att.sha256 and att.sha256.lower() != stored.sha256:
                    raise VaultError(
                        f"attachment {i + 1}: the file's SHA-256 does not match "
                        "the one recorded in the draft; it changed or is the "
                        "wrong file"
                    )
                att.path, att.sha256 = stored.ref, stored.sha256
                att.original_name = stored.original_name
            self._drafts.save_new([draft], "importing the draft", "import")
        except BaseException:
            with contextlib.suppress(VaultError):
                self._drafts.discard_unsaved(draft.id)
            raise
        return draft

    def materialize_draft(
        self,
        draft_id: str,
        dest_dir: str | os.PathLike[str],
        *,
        revision: int | None = None,
        json_name: str = "draft.json",
        attachments_dir: str = "attachments",
        progress: Progress | None = None,
    ) -> tuple[Draft, Path]:
        """Write the draft as interchange JSON plus its decrypted attachments into ``dest_dir``.

        Returns the draft with attachment paths relative to ``dest_dir``.  The
        caller owns ``dest_dir`` and must delete it when done; it holds plaintext.
        """
        draft = self._drafts.load(draft_id, revision)
        out_dir = Path(dest_dir)
        try:
            out_dir.mkdir(parents=True, exist_ok=True, mode=paths.DIR_MODE)
        except OSError as exc:
            raise translate(exc, "writing the draft files") from None
        used: set[str] = set()
        for i, att in enumerate(draft.attachments):
            blob_id = blob_id_of(att)
            if blob_id is None:
                continue
            name = safe_file_name(
                att.original_name or self._docs.info(blob_id).original_name,
                f"attachment-{i + 1}",
            )
            rel = f"{attachments_dir}/{i + 1:02d}-{name}"
            while rel in used:
                rel = f"{attachments_dir}/{i + 1:02d}-{secrets.token_hex(2)}-{name}"
            used.add(rel)
            target = out_dir / rel
            try:
                target.parent.mkdir(parents=True, exist_ok=True, mode=paths.DIR_MODE)
            except OSError as exc:
                raise translate(exc, "writing the draft files") from None
            self._docs.export(blob_id, target, progress=progress)
            att.path = rel
        try:
            paths.write_private(out_dir / json_name, dumps(draft).encode("utf-8"))
        except OSError as exc:
            raise translate(exc, "writing the draft files") from None
        return draft, out_dir
