"""Issue 10, Why 5: `rotate-key` replaces the keys, so an old copy of the folder plus the
old passphrase no longer opens anything saved afterwards."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from ombuds_desktop.vault import Vault, crypto, keys, paths
from ombuds_desktop.vault.store import AAD_VERSION

from .support import MemoryKeyring, make_draft

OLD = "the old leaked passphrase"
NEW = "a brand new passphrase"


def _copy(data_dir: Path, dest: Path) -> Path:
    shutil.copytree(data_dir, dest)
    return dest


def _attacker_draft_keys(old_copy: Path, passphrase: str) -> dict[str, bytes]:
    """What someone with the old folder and the old passphrase can unwrap."""
    with sqlite3.connect(paths.db_path(old_copy)) as c:
        vault_id = c.execute("SELECT value FROM meta WHERE key='vault_id'").fetchone()[0]
        wrap = next(w for w in keys.load_wraps(c) if w.method == "passphrase")
        rows = c.execute("SELECT id, key_wrapped FROM drafts").fetchall()
    vault_key = keys.open_passphrase_wrap(wrap, passphrase, vault_id)
    wrap_key = crypto.derive_key(vault_key, "draft-key-wrap")
    return {
        d: crypto.unseal(wrap_key, bytes(w), crypto.record_aad("draft-key", d, AAD_VERSION))
        for d, w in rows
    }


def _can_decrypt_newest(data_dir: Path, draft_keys: dict[str, bytes], draft_id: str) -> bool:
    with sqlite3.connect(paths.db_path(data_dir)) as c:
        rev, body = c.execute(
            "SELECT revision, body FROM revisions WHERE draft_id=? ORDER BY revision DESC",
            (draft_id,),
        ).fetchone()
    try:
        crypto.unseal(
            draft_keys[draft_id],
            bytes(body),
            crypto.record_aad("revision", f"{draft_id}/{rev}", AAD_VERSION),
        )
    except crypto.DecryptionError:
        return False
    return True


def test_old_copy_and_old_passphrase_no_longer_open_new_data(
    mem_keyring: MemoryKeyring, data_dir: Path, fast_kdf: None, tmp_path: Path
) -> None:
    vault, _old_code = Vault.create(data_dir, passphrase=OLD)
    draft = make_draft()
    vault.save_draft(draft)
    vault.close()
    old_copy = _copy(data_dir, tmp_path / "stolen-copy")
    stolen = _attacker_draft_keys(old_copy, OLD)
    assert _can_decrypt_newest(data_dir, stolen, draft.id)  # the attack works before

    with Vault.open(data_dir, passphrase=OLD) as v:
        seen: list[tuple[str, int, int]] = []
        report = v.rotate_key(new_passphrase=NEW, progress=lambda *a: seen.append(a))
        assert report.drafts == 1 and seen[-1] == ("records", 1, 1)
        draft.values["s5.address"] = {"street": "99 New Safe Street", "city": "Elsewhere"}
        v.save_draft(draft)
    assert not _can_decrypt_newest(data_dir, stolen, draft.id)
    with pytest.raises(crypto.DecryptionError):
        _attacker_draft_keys(data_dir, OLD)  # the old passphrase does not open the new folder
    with pytest.raises(crypto.DecryptionError):  # nor does the old recovery code
        with sqlite3.connect(paths.db_path(data_dir)) as c:
            wrap = next(w for w in keys.load_wraps(c) if w.method == "recovery")
        keys.open_recovery_wrap(wrap, _old_code, vault.vault_id)
    with Vault.open(data_dir, passphrase=NEW) as v:
        assert v.load_draft(draft.id).values["s5.address"]["street"] == "99 New Safe Street"
        assert v.verify_audit().ok
    with Vault.recover(data_dir, report.recovery_code, new_passphrase=NEW) as v:
        assert len(v.list_drafts()) == 1


def test_rotation_keeps_documents_profiles_submissions(
    vault: Vault, data_dir: Path, tmp_path: Path
) -> None:
    from ombuds_desktop.draft.model import Submission
    from ombuds_desktop.vault import RepresentativeProfile

    draft = make_draft()
    src = tmp_path / "old.pdf"
    src.write_bytes(b"%PDF-1.7 old evidence")
    vault.attach_file(draft, src, category="evidence")
    vault.save_draft(draft)
    blob = draft.attachments[0].path.removeprefix("vault:")
    vault.save_profile(RepresentativeProfile(name="Ada Counsel"))
    vault.record_submission(draft.id, Submission(method="online", date="2026-01-02"))
    blob_file = paths.blob_root(data_dir) / blob[:2] / blob
    before = blob_file.read_bytes()
    vault.rotate_key()
    assert blob_file.read_bytes() == before  # default: documents keep their file keys
    report = vault.rotate_key(reencrypt_documents=True)
    assert report.documents == 1 and blob_file.read_bytes() != before
    assert not vault.rotation_unfinished
    vault.close()
    with Vault.open(data_dir) as v:
        assert v.read_attachment(blob) == b"%PDF-1.7 old evidence"
        assert [p.name for p in v.list_profiles()] == ["Ada Counsel"]
        assert v.list_submissions(draft.id)[0].method == "online"
        assert v.verify_audit().ok


def test_document_reencryption_resumes_after_a_crash(
    vault: Vault, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    draft = make_draft()
    for i in range(3):
        src = tmp_path / f"e{i}.pdf"
        src.write_bytes(b"%%PDF-1.7 evidence %d" % i)
        vault.attach_file(draft, src, category="evidence")
    vault.save_draft(draft)
    blobs = [a.path.removeprefix("vault:") for a in draft.attachments]
    real_replace = __import__("os").replace
    calls = {"n": 0}

    def crash_on_second(src: object, dst: object) -> None:
        if str(src).endswith(".next"):
            calls["n"] += 1
            if calls["n"] == 2:
                raise KeyboardInterrupt("power cut")  # after the commit, before the swap
        real_replace(src, dst)

    monkeypatch.setattr("ombuds_desktop.vault.vault.os.replace", crash_on_second)
    with pytest.raises(KeyboardInterrupt):
        vault.rotate_key(reencrypt_documents=True)
    monkeypatch.undo()
    assert vault.rotation_unfinished
    for b in blobs:  # every document still reads mid-way
        assert vault.read_attachment(b).startswith(b"%PDF-1.7 evidence")
    vault.close()
    with Vault.open(data_dir) as v:
        assert v.rotation_unfinished
        v.continue_rotation()
        assert not v.rotation_unfinished
        for b in blobs:
            assert v.read_attachment(b).startswith(b"%PDF-1.7 evidence")
        assert v.check_files().ok
