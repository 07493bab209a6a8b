"""The vault API the GUI uses: drafts, revisions, trash, family, attachments, profiles..."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest

from ombuds_desktop.draft import Attachment, Submission, read_draft_file, resolve_attachment_path
from ombuds_desktop.draft.interchange import dumps
from ombuds_desktop.formdef import load_edition
from ombuds_desktop.validation.status import describe_draft
from ombuds_desktop.vault import (
    KEEP_REVISIONS,
    ArchiveError,
    KeyMissingError,
    NotFoundError,
    RepresentativeProfile,
    RevisionConflictError,
    Vault,
    VaultError,
    VaultExistsError,
    VaultNotFoundError,
    blob_id_of,
    keys,
    paths,
)

from .support import MemoryKeyring, make_draft

#: What a family member's draft takes over (the edition decides).
SHARED = load_edition().family_shared_fields()


def test_create_refuses_existing_and_open_needs_vault(vault: Vault, tmp_path: Path) -> None:
    with pytest.raises(VaultExistsError):
        Vault.create(vault.data_dir)
    with pytest.raises(VaultNotFoundError, match="vault init"):
        Vault.open(tmp_path / "nowhere")


def test_save_load_reopen(vault: Vault, data_dir: Path) -> None:
    draft = make_draft()
    assert vault.save_draft(draft) == 1
    draft.values["s5.phone"] = "+1 217 555 0199"
    assert vault.save_draft(draft, base_revision=1) == 2
    vault.close()
    with Vault.open(data_dir) as again:
        loaded = again.load_draft(draft.id)
        assert loaded.values == draft.values
        assert again.load_draft(draft.id, 1).values["s5.phone"] == "+1 217 555 0100"
        assert [r.revision for r in again.revisions(draft.id)] == [2, 1]


def test_revision_conflict(vault: Vault) -> None:
    draft = make_draft()
    vault.save_draft(draft)
    vault.save_draft(draft, base_revision=1)
    with pytest.raises(RevisionConflictError, match="reload"):
        vault.save_draft(draft, base_revision=1)


def test_keeps_last_50_revisions_and_restores(vault: Vault) -> None:
    draft = make_draft()
    for i in range(KEEP_REVISIONS + 5):
        draft.values["s5.phone"] = f"+1 217 555 {i:04d}"
        vault.save_draft(draft)
    revs = [r.revision for r in vault.revisions(draft.id)]
    assert len(revs) == KEEP_REVISIONS and revs[0] == 55 and revs[-1] == 6
    with pytest.raises(NotFoundError, match="last 50"):
        vault.load_draft(draft.id, 5)
    new_rev = vault.restore_revision(draft.id, 6)
    assert new_rev == 56
    assert vault.load_draft(draft.id).values["s5.phone"] == "+1 217 555 0005"


def test_list_and_search(vault: Vault) -> None:
    a = make_draft("Ánh", "Nguyễn Thị", receipt="IOE0912345678", form_number="I-765")
    b = make_draft()
    vault.save_draft(a)
    vault.save_draft(b)
    summaries = vault.list_drafts()
    assert [s.id for s in summaries] == [b.id, a.id]
    assert summaries[1].client == "Ánh Nguyễn Thị"
    assert summaries[1].forms_and_receipts == "I-765 IOE0912345678"
    assert [s.id for s in vault.search("nguyen anh")] == [a.id]
    assert [s.id for s in vault.search("EAC2212345678")] == [b.id]
    assert [s.id for s in vault.search("i-765")] == [a.id]
    assert vault.search("nobody") == []


def test_trash_restore_purge(vault: Vault, tmp_path: Path) -> None:
    src = tmp_path / "evidence.pdf"
    src.write_bytes(os.urandom(3 * 1024 * 1024 + 7))
    draft = make_draft()
    vault.attach_file(draft, src, category="evidence")
    vault.save_draft(draft)
    keep = make_draft("Other")
    vault.save_draft(keep)
    vault.delete_draft(draft.id)
    assert [s.id for s in vault.list_drafts()] == [keep.id]
    assert [s.id for s in vault.list_drafts(trash=True)] == [draft.id]
    with pytest.raises(VaultError, match="trash"):
        vault.save_draft(draft)
    vault.restore_draft(draft.id)
    assert {s.id for s in vault.list_drafts()} == {draft.id, keep.id}
    blob = blob_id_of(draft.attachments[0])
    assert blob is not None
    blob_file = vault._documents.path(blob)
    assert blob_file.exists()
    with vault._store.read() as c:
        ciphertext = bytes(
            c.execute("SELECT body FROM revisions WHERE draft_id=?", (draft.id,)).fetchone()[0]
        )
    report = vault.purge_draft(draft.id)
    assert report.attachments_removed == 1 and report.wal_truncated
    assert not blob_file.exists()
    with pytest.raises(NotFoundError):
        vault.load_draft(draft.id)
    assert [s.id for s in vault.list_drafts()] == [keep.id]
    for name in (paths.DB_NAME, paths.DB_NAME + "-wal"):
        f = vault.data_dir / name
        if f.exists():
            blob_bytes = f.read_bytes()
            assert ciphertext[13:45] not in blob_bytes
            assert draft.id.encode() not in blob_bytes or name == paths.DB_NAME  # audit keeps id
    assert vault.integrity_check() == "ok"
    assert (vault.data_dir / (paths.DB_NAME + "-wal")).stat().st_size == 0


def test_duplicate_for_family(vault: Vault) -> None:
    draft = make_draft()
    draft.representative_profile = "profile-1"
    vault.save_draft(draft)
    twin = vault.duplicate_for_family(draft.id, SHARED)
    source = vault.load_draft(draft.id)
    assert twin.id != draft.id and twin.family_group and source.family_group == twin.family_group
    assert twin.values["s5.address"] == draft.values["s5.address"]
    assert twin.values["s10.name"] == draft.values["s10.name"]
    assert "s5.name" not in twin.values and "s5.a_number" not in twin.values
    assert "s3.filings" not in twin.values
    assert twin.representative_profile == "profile-1"
    assert {s.id for s in vault.family(twin.family_group)} == {draft.id, twin.id}
    third = vault.duplicate_for_family(twin.id, SHARED)
    assert third.family_group == twin.family_group
    assert vault.family_ids(draft.id)[0] == draft.id and len(vault.family_ids(draft.id)) == 3


def test_attachments_stream_and_materialize(vault: Vault, tmp_path: Path) -> None:
    data = os.urandom(2 * 1024 * 1024 + 123)
    src = tmp_path / "Nguyễn passport.pdf"
    src.write_bytes(data)
    draft = make_draft()
    att = vault.attach_file(draft, src, category="identity", description="passport")
    assert att.sha256 == hashlib.sha256(data).hexdigest() and att.original_name == src.name
    vault.save_draft(draft)
    blob = blob_id_of(att)
    assert blob is not None
    with vault.open_attachment(blob) as fh:
        assert fh.read(10) == data[:10]
        assert fh.read() == data[10:]
    assert vault.read_attachment(blob) == data
    info = vault.attachment_info(blob)
    assert (info.original_name, info.size) == (src.name, len(data))
    out = tmp_path / "packet-work"
    materialized, base = vault.materialize_draft(draft.id, out)
    path = resolve_attachment_path(materialized.attachments[0], base)
    assert path.read_bytes() == data and path.name.endswith(src.name)
    assert (
        read_draft_file(base / "draft.json").attachments[0].path == materialized.attachments[0].path
    )


def test_attachment_of_unsaved_draft_and_plain_path_refused(vault: Vault, tmp_path: Path) -> None:
    src = tmp_path / "a.pdf"
    src.write_bytes(b"abc")
    draft = make_draft()
    vault.attach_file(draft, src, category="evidence")
    assert vault.list_drafts() == []  # not saved yet: not listed
    draft.attachments.append(Attachment(category="x", description="", path="plain/file.pdf"))
    with pytest.raises(VaultError, match="plain file"):
        vault.save_draft(draft)
    draft.attachments.pop()
    assert vault.save_draft(draft) == 1


def test_removed_attachment_blob_is_collected_after_its_revisions_expire(
    vault: Vault, tmp_path: Path
) -> None:
    src = tmp_path / "a.pdf"
    src.write_bytes(b"abc")
    draft = make_draft()
    vault.attach_file(draft, src, category="evidence")
    vault.save_draft(draft)
    blob = blob_id_of(draft.attachments[0])
    draft.attachments.clear()
    vault.save_draft(draft)
    assert vault._documents.path(blob).exists()  # revision 1 still needs it
    vault.restore_revision(draft.id, 1)
    assert vault.read_attachment(blob) == b"abc"
    draft = vault.load_draft(draft.id)
    draft.attachments.clear()
    for _ in range(KEEP_REVISIONS + 1):
        vault.save_draft(draft)
    assert not vault._documents.path(blob).exists()


def test_import_interchange_with_attachments(vault: Vault, tmp_path: Path) -> None:
    folder = tmp_path / "case"
    (folder / "files").mkdir(parents=True)
    (folder / "files" / "letter.pdf").write_bytes(b"%PDF letter")
    draft = make_draft()
    draft.attachments.append(
        Attachment(category="evidence", description="letter", path="files/letter.pdf")
    )
    (folder / "draft.json").write_text(dumps(draft), encoding="utf-8")
    loaded = read_draft_file(folder / "draft.json")
    stored = vault.import_draft(loaded, folder)
    assert stored.id == draft.id
    blob = blob_id_of(vault.load_draft(stored.id).attachments[0])
    assert blob is not None and vault.read_attachment(blob) == b"%PDF letter"
    again = vault.import_draft(loaded, folder)
    assert again.id != draft.id  # the vault already had that id
    (folder / "files" / "letter.pdf").unlink()
    with pytest.raises(NotFoundError, match="not found"):
        vault.import_draft(loaded, folder)
    assert len(vault.list_drafts()) == 2


def test_archive_round_trip_family(vault: Vault, tmp_path: Path) -> None:
    src = tmp_path / "photo.jpg"
    src.write_bytes(os.urandom(1024 * 1024 + 5))
    draft = make_draft()
    vault.attach_file(draft, src, category="evidence")
    vault.save_draft(draft)
    twin = vault.duplicate_for_family(draft.id, SHARED)
    archive = tmp_path / "family.omba"
    vault.export_archive(vault.family_ids(draft.id), archive, "a long archive phrase")
    raw = archive.read_bytes()
    assert b"Testperson" not in raw and b"photo" not in raw
    imported = vault.import_archive(archive, "a long archive phrase")
    assert len(imported) == 2 and {d.id for d in imported}.isdisjoint({draft.id, twin.id})
    assert imported[0].family_group == imported[1].family_group != twin.family_group
    first = next(d for d in imported if d.attachments)
    blob = blob_id_of(first.attachments[0])
    assert blob is not None and vault.read_attachment(blob) == src.read_bytes()
    with pytest.raises(ArchiveError, match="passphrase is wrong"):
        vault.import_archive(archive, "not the phrase at all")
    cut = tmp_path / "cut.omba"
    cut.write_bytes(raw[: len(raw) - 100])
    with pytest.raises(ArchiveError):
        vault.import_archive(cut, "a long archive phrase")
    assert len(vault.list_drafts()) == 4  # the failed imports left nothing behind


def test_archive_into_another_vault_keeps_ids(
    vault: Vault, tmp_path: Path, mem_keyring: MemoryKeyring
) -> None:
    draft = make_draft()
    vault.save_draft(draft)
    archive = tmp_path / "one.omba"
    vault.export_archive([draft.id], archive, "a long archive phrase")
    other, _ = Vault.create(tmp_path / "other")
    with other:
        [imported] = other.import_archive(archive, "a long archive phrase")
        assert imported.id == draft.id
        assert other.load_draft(draft.id).values == draft.values


def test_profiles(vault: Vault, data_dir: Path) -> None:
    profile = RepresentativeProfile(
        name="Ada Counsel",
        organization="Made-up Legal Aid",
        bar_admissions=["IL 0000001"],
        phone="+1 217 555 0111",
        email="ada@example.org",
        uscis_account="000000000001",
        address={"street": "1 Main St", "city": "Springfield"},
    )
    vault.save_profile(profile)
    profile.phone = "+1 217 555 0112"
    assert vault.save_profile(profile).revision == 2
    vault.close()
    with Vault.open(data_dir) as again:
        assert again.get_profile(profile.id).phone == "+1 217 555 0112"
        assert [p.name for p in again.list_profiles()] == ["Ada Counsel"]
        again.delete_profile(profile.id)
        with pytest.raises(NotFoundError):
            again.get_profile(profile.id)


def test_submission_records(vault: Vault) -> None:
    draft = make_draft()
    vault.save_draft(draft)
    record = vault.record_submission(draft.id, Submission("online", "2025-01-15", "OMB-123"))
    assert vault.list_submissions(draft.id) == [record]
    loaded = vault.load_draft(draft.id)
    assert loaded.status == "submitted" and loaded.submission is not None
    assert vault.summary(draft.id).status == "submitted"


def test_audit_log_chain(vault: Vault) -> None:
    draft = make_draft()
    vault.save_draft(draft)
    vault.load_draft(draft.id)
    vault.record_event("print", draft.id)
    vault.delete_draft(draft.id)
    events = [e.event for e in vault.audit_log()]
    assert events[:2] == ["create", "save"] and events[-3:] == ["open", "print", "delete"]
    assert vault.verify_audit().ok
    c = vault._store.conn
    c.execute("UPDATE audit SET event='open' WHERE seq=2")
    assert not vault.verify_audit().ok
    c.execute("UPDATE audit SET event='save' WHERE seq=2")
    assert vault.verify_audit().ok
    c.execute("DELETE FROM audit WHERE seq=(SELECT max(seq) FROM audit)")
    check = vault.verify_audit()
    assert not check.ok and "removed" in str(check.problem)


def test_audit_log_has_no_client_data(vault: Vault) -> None:
    draft = make_draft()
    vault.save_draft(draft)
    rows = vault._store.conn.execute("SELECT * FROM audit").fetchall()
    assert "Testperson" not in repr(rows) and "A123456789" not in repr(rows)


def _key_entries(backend: MemoryKeyring) -> list[tuple[str, str]]:
    """The key entries (not the freshness anchor "<vault id>/seen")."""
    return [e for e in backend.entries if not e[1].endswith("/seen")]


def test_rotate_key_keyring(vault: Vault, mem_keyring: MemoryKeyring, data_dir: Path) -> None:
    draft = make_draft()
    vault.save_draft(draft)
    [old_entry] = _key_entries(mem_keyring)
    with vault._store.read() as c:
        before = c.execute("SELECT body FROM revisions").fetchall()
    vault.rotate_key()
    [new_entry] = _key_entries(mem_keyring)
    assert new_entry != old_entry
    with vault._store.read() as c:
        assert c.execute("SELECT body FROM revisions").fetchall() != before  # re-encrypted
    vault.close()
    with Vault.open(data_dir) as again:
        assert again.load_draft(draft.id).values == draft.values


def test_switch_to_passphrase_and_back(
    vault: Vault, mem_keyring: MemoryKeyring, data_dir: Path
) -> None:
    vault.save_draft(make_draft())
    vault.change_passphrase("a fine long passphrase")
    assert _key_entries(mem_keyring) == []
    vault.close()
    with pytest.raises(VaultError, match="passphrase"):
        Vault.open(data_dir)
    with Vault.open(data_dir, passphrase="a fine long passphrase") as v:
        assert v.protection == "passphrase"
        with pytest.raises(VaultError, match="too short"):
            v.change_passphrase("short")
        v.rotate_key(to="keyring")
    with Vault.open(data_dir) as v:
        assert v.protection == "keyring" and len(v.list_drafts()) == 1


def test_recover_after_losing_keyring_and_new_code(
    created: tuple[Vault, str], mem_keyring: MemoryKeyring, data_dir: Path
) -> None:
    vault, code = created
    draft = make_draft()
    vault.save_draft(draft)
    vault.close()
    mem_keyring.entries.clear()
    with pytest.raises(KeyMissingError):
        Vault.open(data_dir)
    with Vault.recover(data_dir, code.lower()) as v:
        assert v.protection == "keyring"
        new_code = v.new_recovery_code()
    with Vault.open(data_dir) as v:
        assert v.load_draft(draft.id).values == draft.values
    mem_keyring.entries.clear()
    from ombuds_desktop.vault import RecoveryCodeError

    with pytest.raises(RecoveryCodeError, match="another vault"):
        Vault.recover(data_dir, code)
    with Vault.recover(data_dir, new_code, new_passphrase="now a passphrase instead") as v:
        assert v.protection == "passphrase"


def test_summary_cache_sees_other_connections(vault: Vault, data_dir: Path) -> None:
    vault.save_draft(make_draft())
    assert len(vault.list_drafts()) == 1
    with Vault.open(data_dir, describe=describe_draft) as second:
        second.save_draft(make_draft("Second"))
        first_id = second.list_drafts()[-1].id
        second.delete_draft(first_id)
    assert [s.client for s in vault.list_drafts()] == ["Second Testperson"]
    assert [s.id for s in vault.list_drafts(trash=True)] == [first_id]


def test_closed_vault_refuses(vault: Vault) -> None:
    vault.close()
    with pytest.raises(VaultError, match="locked"):
        vault.list_drafts()


def test_status_has_no_client_data(vault: Vault) -> None:
    vault.save_draft(make_draft())
    info = vault.status()
    assert info.drafts == 1 and info.protection == "keyring" and info.recovery_code_set
    assert "Testperson" not in repr(info)
    assert "key present" in str(info.keyring_note)


def test_sqlite_file_holds_no_plaintext_key(created: tuple[Vault, str]) -> None:
    vault, code = created
    assert vault._session.is_open
    key = vault._session.keys.vault
    vault.save_draft(make_draft())
    vault.close()
    for f in vault.data_dir.rglob("*"):
        if f.is_file():
            assert key not in f.read_bytes()
            assert code.encode() not in f.read_bytes()
    assert (
        sqlite3.connect(paths.db_path(vault.data_dir))
        .execute("SELECT count(*) FROM key_wraps")
        .fetchone()[0]
        == 2
    )
    assert keys.KEYRING_SERVICE == "ombuds-desktop"


def test_purge_while_another_window_has_the_vault_open(vault: Vault, data_dir: Path) -> None:
    gone, kept = make_draft(), make_draft("Other")
    vault.save_draft(gone)
    vault.save_draft(kept)
    with Vault.open(data_dir) as other:
        assert len(other.list_drafts()) == 2
        report = vault.purge_draft(gone.id)
        assert report.draft_id == gone.id
        assert [s.id for s in other.list_drafts()] == [kept.id]
        with pytest.raises(NotFoundError):
            other.load_draft(gone.id)
        other.save_draft(kept)
        with pytest.raises(NotFoundError, match="purged"):
            other.save_draft(gone)  # a stale window cannot bring it back
    assert [s.id for s in vault.list_drafts()] == [kept.id]
    assert vault.integrity_check() == "ok"


def test_attachment_memory_stays_bounded(vault: Vault, tmp_path: Path) -> None:
    """A large file is streamed: traced memory stays a few chunks, far below its size."""
    import tracemalloc

    src = tmp_path / "big.bin"
    block = os.urandom(1 << 20)
    with open(src, "wb") as fh:
        for _ in range(48):
            fh.write(block)
    draft = make_draft()
    tracemalloc.start()
    try:
        stored = vault.store_attachment(draft.id, src)
        _, store_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        digest = hashlib.sha256()
        with vault.open_attachment(stored.blob_id) as fh:
            while chunk := fh.read(1 << 16):
                digest.update(chunk)
        _, read_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert digest.hexdigest() == stored.sha256 and stored.size == 48 << 20
    assert store_peak < 8 << 20, store_peak
    assert read_peak < 8 << 20, read_peak


def test_correction_copy_of_a_submitted_draft(created, tmp_path) -> None:
    vault, _code = created
    draft = make_draft()
    src = tmp_path / "notice.pdf"
    src.write_bytes(b"%PDF-1.7 notice")
    stored = vault.store_attachment(draft.id, src)
    draft.attachments = [Attachment(category="uscis-notice", description="notice", path=stored.ref)]
    vault.save_draft(draft)
    vault.record_submission(draft.id, Submission("email", "2026-11-20", "CISOMB-2026-000777"))
    summary = vault.summary(draft.id)
    assert (summary.submitted_on, summary.submitted_by) == ("2026-11-20", "email")
    assert summary.request_number == "CISOMB-2026-000777"

    copy = vault.correction_copy(draft.id)
    loaded = vault.load_draft(copy.id)
    assert loaded.status == "draft" and loaded.submission is None
    assert loaded.values == vault.load_draft(draft.id).values
    blob = loaded.attachments[0].path.removeprefix("vault:")
    assert blob != stored.blob_id and vault.read_attachment(blob) == b"%PDF-1.7 notice"
    assert vault.attachment_info(blob).original_name == "notice.pdf"
    # Negative: the submitted original is untouched and has no copy's submission data.
    assert vault.load_draft(draft.id).status == "submitted"
    assert vault.summary(copy.id).submitted_on == ""


def test_change_marker_moves_when_another_connection_writes(created, data_dir) -> None:
    vault, _code = created
    other = Vault.open(data_dir)
    try:
        before = vault.change_marker()
        assert vault.change_marker() == before  # no write: no change
        other.save_draft(make_draft())
        assert vault.change_marker() != before
    finally:
        other.close()
