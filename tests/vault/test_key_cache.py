"""Two vault instances on one folder (the GUI and the CLI): cached keys never go stale."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from ombuds_desktop.draft import Attachment, read_draft_file
from ombuds_desktop.draft.interchange import dumps
from ombuds_desktop.validation.status import describe_draft
from ombuds_desktop.vault import Vault, VaultError, blob_id_of

from .support import make_draft


def _draft_file(folder: Path, *, bad_hash: bool) -> Path:
    (folder / "files").mkdir(parents=True)
    (folder / "files" / "one.pdf").write_bytes(b"%PDF one")
    (folder / "files" / "two.pdf").write_bytes(b"%PDF two")
    draft = make_draft()
    draft.id = "7e57ab1e-0000-4000-8000-000000000001"
    for name in ("one", "two"):
        draft.attachments.append(
            Attachment(category="evidence", description=name, path=f"files/{name}.pdf")
        )
    if bad_hash:
        draft.attachments[1].sha256 = "0" * 64
    (folder / "draft.json").write_text(dumps(draft), encoding="utf-8")
    return folder / "draft.json"


def test_failed_import_then_another_instance_imports_the_same_draft(
    vault: Vault, data_dir: Path, tmp_path: Path
) -> None:
    bad = _draft_file(tmp_path / "bad", bad_hash=True)
    good = _draft_file(tmp_path / "good", bad_hash=False)
    with pytest.raises(VaultError, match="SHA-256"):
        vault.import_draft(read_draft_file(bad), bad.parent)
    assert vault.list_drafts() == []
    other = Vault.open(data_dir, describe=describe_draft)  # the CLI, in its own process
    try:
        stored = other.import_draft(read_draft_file(good), good.parent)
    finally:
        other.close()
    assert stored.id == "7e57ab1e-0000-4000-8000-000000000001"
    (row,) = vault.list_drafts()
    assert not row.damaged and row.client
    draft = vault.load_draft(stored.id)
    blob = blob_id_of(draft.attachments[1])
    assert blob is not None and vault.read_attachment(blob) == b"%PDF two"


def test_a_really_damaged_summary_is_still_reported(vault: Vault, data_dir: Path) -> None:
    draft = make_draft()
    vault.save_draft(draft)
    assert not vault.list_drafts()[0].damaged
    with sqlite3.connect(data_dir / "vault.sqlite3") as db:
        (summary,) = db.execute("SELECT summary FROM drafts WHERE id=?", (draft.id,)).fetchone()
        flipped = bytes([summary[0] ^ 1]) + bytes(summary[1:])
        db.execute("UPDATE drafts SET summary=? WHERE id=?", (flipped, draft.id))
    fresh = Vault.open(data_dir)
    try:
        (row,) = fresh.list_drafts()
        assert row.damaged
        (row,) = fresh.list_drafts()  # read again, still damaged
        assert row.damaged
    finally:
        fresh.close()
