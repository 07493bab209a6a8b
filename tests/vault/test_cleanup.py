"""Issue 10, Why 1: clean-up deletes only documents this vault itself released.

A document file is never deleted because it is old or unknown to the database
at hand: the database may have been moved aside (a "damaged database" message
invites that), or be an older copy of the one that still needs the file.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from ombuds_desktop.vault import Vault

from .support import MemoryKeyring, make_draft

DB_FILES = ("vault.sqlite3", "vault.sqlite3-wal", "vault.sqlite3-shm")


def _blob_files(data_dir: Path) -> set[str]:
    return {p.name for p in (data_dir / "blobs").rglob("*") if p.is_file()}


def _age(data_dir: Path, seconds: float = 3 * 24 * 3600) -> None:
    """Make every document file look old (the old sweep deleted files older than an hour)."""
    old = time.time() - seconds
    for p in (data_dir / "blobs").rglob("*"):
        os.utime(p, (old, old))


def _move_db(data_dir: Path, dest: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    for name in DB_FILES:
        if (data_dir / name).exists():
            shutil.move(str(data_dir / name), str(dest / name))


def _save_with_files(vault: Vault, tmp: Path, n: int) -> tuple[str, list[str]]:
    draft = make_draft()
    for i in range(n):
        src = tmp / f"evidence-{i}.pdf"
        src.write_bytes(b"%%PDF-1.7 evidence %d" % i)
        vault.attach_file(draft, src, category="evidence")
    vault.save_draft(draft)
    return draft.id, [a.path.removeprefix("vault:") for a in draft.attachments]


def test_new_vault_beside_old_blobs_keeps_them(
    created: tuple[Vault, str], data_dir: Path, tmp_path: Path, mem_keyring: MemoryKeyring
) -> None:
    vault, _code = created
    draft_id, blob_ids = _save_with_files(vault, tmp_path, 9)
    vault.close()
    _age(data_dir)
    before = _blob_files(data_dir)
    assert len(before) == 9
    _move_db(data_dir, tmp_path / "aside")

    fresh, _ = Vault.create(data_dir)  # what `vault init` does
    assert len(fresh.check_files().unknown_files) == 9  # reported, not deleted
    fresh.save_draft(make_draft("Other", "Person"))
    fresh.close()
    with Vault.open(data_dir) as again:  # "any command"
        again.list_drafts()
    assert _blob_files(data_dir) == before
    assert Vault.info(data_dir).unknown_files == 9

    for name in DB_FILES:  # restore the old database from the backup
        (data_dir / name).unlink(missing_ok=True)
    _move_db(tmp_path / "aside", data_dir)
    with Vault.open(data_dir) as old:
        draft = old.load_draft(draft_id)
        for att, blob_id in zip(draft.attachments, blob_ids, strict=True):
            assert old.read_attachment(blob_id).startswith(b"%PDF-1.7 evidence")
            assert att.path == f"vault:{blob_id}"
        assert old.check_files().ok


def test_older_copy_of_the_database_does_not_delete_newer_documents(
    created: tuple[Vault, str], data_dir: Path, tmp_path: Path
) -> None:
    vault, _code = created
    draft_id, _ = _save_with_files(vault, tmp_path, 1)
    vault.close()
    backup = tmp_path / "backup"
    backup.mkdir()
    for name in DB_FILES:
        if (data_dir / name).exists():
            shutil.copy2(data_dir / name, backup / name)
    with Vault.open(data_dir) as newer:
        draft = newer.load_draft(draft_id)
        src = tmp_path / "later.pdf"
        src.write_bytes(b"%PDF-1.7 added later")
        newer.attach_file(draft, src, category="evidence")
        newer.save_draft(draft)
        later_blob = draft.attachments[-1].path.removeprefix("vault:")
    _age(data_dir)
    _move_db(data_dir, tmp_path / "newer")
    for name in DB_FILES:
        if (backup / name).exists():
            shutil.copy2(backup / name, data_dir / name)
    with Vault.open(data_dir) as older:
        older.list_drafts()
        assert any(later_blob in f for f in older.check_files().unknown_files)
    for name in DB_FILES:
        (data_dir / name).unlink(missing_ok=True)
    _move_db(tmp_path / "newer", data_dir)
    with Vault.open(data_dir) as newer:
        assert newer.read_attachment(later_blob) == b"%PDF-1.7 added later"


def test_released_documents_are_deleted(vault: Vault, data_dir: Path, tmp_path: Path) -> None:
    """The positive case: what this vault released goes, in the same transaction's wake."""
    draft_id, blob_ids = _save_with_files(vault, tmp_path, 2)
    stranger = data_dir / "blobs" / "ab" / ("ab" + "0" * 30)
    stranger.parent.mkdir(exist_ok=True)
    stranger.write_bytes(b"not ours")
    vault.delete_draft(draft_id)
    report = vault.purge_draft(draft_id)
    assert report.attachments_removed == 2
    assert not (_blob_files(data_dir) & set(blob_ids))
    assert stranger.exists()  # unknown: left alone, and reported
    assert vault.check_files().unknown_files == (f"blobs/ab/{stranger.name}",)


def test_tombstone_left_by_a_crash_is_finished_at_next_unlock(
    vault: Vault, data_dir: Path, tmp_path: Path
) -> None:
    draft_id, blob_ids = _save_with_files(vault, tmp_path, 1)
    with vault._store.write() as c:  # the transaction committed, the unlink never ran
        c.execute("INSERT INTO released_blobs (id, at) VALUES (?, 'x')", (blob_ids[0],))
        c.execute("DELETE FROM revision_blobs WHERE blob_id=?", (blob_ids[0],))
        c.execute("DELETE FROM blobs WHERE id=?", (blob_ids[0],))
    vault.close()
    assert blob_ids[0] in _blob_files(data_dir)
    with Vault.open(data_dir) as again:
        assert again.check_files().released_pending == 0
    assert blob_ids[0] not in _blob_files(data_dir)
