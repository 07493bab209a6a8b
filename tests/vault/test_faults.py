"""Bad input and faults: tampering, truncation, wrong secrets, keyring trouble, full or
read-only disks, kill -9 mid-save, two processes at once.

Every failure must name what failed and what to do, leave the other drafts
readable, overwrite nothing and never put a new key in place of the old one.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

from ombuds_desktop.vault import (
    CorruptVaultError,
    DiskFullError,
    KeyMissingError,
    KeyringUnavailableError,
    PassphraseRequiredError,
    ReadOnlyError,
    RecoveryCodeError,
    TamperedDataError,
    Vault,
    VaultBusyError,
    WrongPassphraseError,
    blob_id_of,
    keys,
    paths,
    store,
)

from .support import MemoryKeyring, make_draft


def _two_drafts(vault: Vault) -> tuple[str, str]:
    a, b = make_draft("Maria"), make_draft("Ánh", "Nguyễn Thị")
    vault.save_draft(a)
    vault.save_draft(b)
    return a.id, b.id


def _db_digest(data_dir: Path) -> str:
    return hashlib.sha256(paths.db_path(data_dir).read_bytes()).hexdigest()


# --------------------------------------------------------------------------- tampering


def test_tampered_revision_fails_for_that_draft_only(vault: Vault) -> None:
    a, b = _two_drafts(vault)
    c = vault._store.conn
    body = bytearray(c.execute("SELECT body FROM revisions WHERE draft_id=?", (a,)).fetchone()[0])
    body[30] ^= 0x01
    c.execute("UPDATE revisions SET body=? WHERE draft_id=?", (bytes(body), a))
    with pytest.raises(TamperedDataError) as err:
        vault.load_draft(a)
    assert err.value.draft_id == a
    assert a in str(err.value) and "restore an earlier revision" in str(err.value)
    assert vault.load_draft(b).values["s5.name"]["given"] == "Ánh"
    assert len(vault.list_drafts()) == 2


def test_ciphertext_moved_to_another_row_fails(vault: Vault) -> None:
    a, b = _two_drafts(vault)
    c = vault._store.conn
    body_b = c.execute("SELECT body FROM revisions WHERE draft_id=?", (b,)).fetchone()[0]
    c.execute("UPDATE revisions SET body=? WHERE draft_id=?", (body_b, a))
    with pytest.raises(TamperedDataError, match="integrity check"):
        vault.load_draft(a)
    # Moving a draft's key, or a summary, is caught as well.
    key_b = c.execute("SELECT key_wrapped FROM drafts WHERE id=?", (b,)).fetchone()[0]
    summary_b = c.execute("SELECT summary FROM drafts WHERE id=?", (b,)).fetchone()[0]
    c.execute("UPDATE drafts SET summary=? WHERE id=?", (summary_b, a))
    vault._summaries.clear()
    damaged = {s.id: s.damaged for s in vault.list_drafts()}
    assert damaged == {a: True, b: False}
    c.execute("UPDATE drafts SET key_wrapped=? WHERE id=?", (key_b, a))
    vault._draft_keys.clear()
    with pytest.raises(TamperedDataError, match="key record"):
        vault.load_draft(a)
    assert vault.load_draft(b).id == b


def test_revision_moved_within_a_draft_fails(vault: Vault) -> None:
    draft = make_draft()
    vault.save_draft(draft)
    vault.save_draft(draft)
    c = vault._store.conn
    old = c.execute("SELECT body FROM revisions WHERE revision=1").fetchone()[0]
    c.execute("UPDATE revisions SET body=? WHERE revision=2", (old,))
    with pytest.raises(TamperedDataError):
        vault.load_draft(draft.id)
    assert vault.load_draft(draft.id, 1).id == draft.id


def test_tampered_attachment_fails_and_leaves_no_partial_export(
    vault: Vault, tmp_path: Path
) -> None:
    src = tmp_path / "scan.pdf"
    src.write_bytes(os.urandom(2 * 1024 * 1024 + 10))
    draft = make_draft()
    vault.attach_file(draft, src, category="evidence")
    vault.save_draft(draft)
    blob = blob_id_of(draft.attachments[0])
    assert blob is not None
    path = vault._documents.path(blob)
    raw = bytearray(path.read_bytes())
    raw[len(raw) - 50] ^= 0x10  # in the last chunk
    path.write_bytes(bytes(raw))
    with vault.open_attachment(blob) as fh:
        first = fh.read(1024 * 1024)  # the first chunks are intact
        assert first == src.read_bytes()[: 1024 * 1024]
        with pytest.raises(TamperedDataError, match=draft.id):
            fh.read()
    dest = tmp_path / "out" / "scan.pdf"
    dest.parent.mkdir()
    with pytest.raises(TamperedDataError):
        vault.export_attachment(blob, dest)
    assert list(dest.parent.iterdir()) == []
    path.write_bytes(bytes(raw[: 9 + (12 + 16 + 1024 * 1024) * 2]))  # cut at a chunk boundary
    with pytest.raises(TamperedDataError):
        vault.read_attachment(blob)
    path.unlink()
    with pytest.raises(TamperedDataError, match="missing"):
        vault.read_attachment(blob)
    assert vault.load_draft(draft.id).id == draft.id  # the draft itself still opens


def test_truncated_database(vault: Vault, data_dir: Path) -> None:
    for i in range(200):
        vault.save_draft(make_draft(f"Person{i}"))
    vault.close()
    db = paths.db_path(data_dir)
    assert not db.with_name(db.name + "-wal").exists()
    data = db.read_bytes()
    for keep in (len(data) // 2, 100, 0):
        db.write_bytes(data[:keep])
        before = _db_digest(data_dir)
        with pytest.raises(CorruptVaultError) as err, Vault.open(data_dir) as v:
            v.list_drafts()
        message = str(err.value)
        assert "damaged" in message or "truncated" in message or "empty" in message
        assert "backup" in message and "Nothing was changed" in message
        assert _db_digest(data_dir) == before  # nothing overwritten
    db.write_bytes(data)
    with Vault.open(data_dir) as v:
        assert len(v.list_drafts()) == 200


def test_missing_key_records(vault: Vault, data_dir: Path) -> None:
    vault._store.conn.execute("DELETE FROM key_wraps")
    vault.close()
    with pytest.raises(CorruptVaultError, match="no key records"):
        Vault.open(data_dir)


# --------------------------------------------------------------------------- secrets and keyring


def test_wrong_passphrase(mem_keyring: MemoryKeyring, data_dir: Path, fast_kdf: None) -> None:
    vault, _ = Vault.create(data_dir, passphrase="the right long passphrase")
    vault.save_draft(make_draft())
    vault.close()
    before = _db_digest(data_dir)
    with pytest.raises(WrongPassphraseError) as err:
        Vault.open(data_dir, passphrase="a wrong long passphrase")
    assert "recover" in str(err.value)
    with pytest.raises(PassphraseRequiredError, match="--passphrase-file"):
        Vault.open(data_dir)
    with sqlite3.connect(paths.db_path(data_dir)) as c:
        assert c.execute("SELECT count(*) FROM key_wraps").fetchone()[0] == 2
    assert before  # the failed attempt was only logged (audit_pending), see below
    with Vault.open(data_dir, passphrase="the right long passphrase") as v:
        events = [e.event for e in v.audit_log()]
        assert events[-2:] == ["failed-unlock", "unlock"]
        assert v.verify_audit().ok and len(v.list_drafts()) == 1


def test_deleted_keyring_entry(
    created: tuple[Vault, str], mem_keyring: MemoryKeyring, data_dir: Path
) -> None:
    vault, code = created
    draft = make_draft()
    vault.save_draft(draft)
    vault.close()
    mem_keyring.entries.clear()
    with sqlite3.connect(paths.db_path(data_dir)) as c:
        wraps_before = c.execute("SELECT * FROM key_wraps ORDER BY id").fetchall()
    for _ in range(2):
        with pytest.raises(KeyMissingError) as err:
            Vault.open(data_dir)
        assert str(err.value) == (
            "the key for this vault is not in the system keyring; run `ombuds-desktop vault "
            "recover --recovery-code-file FILE` (or use your passphrase)"
        )
    assert [e for e in mem_keyring.entries if not e[1].endswith("/seen")] == []  # no new key
    with sqlite3.connect(paths.db_path(data_dir)) as c:
        assert c.execute("SELECT * FROM key_wraps ORDER BY id").fetchall() == wraps_before
    with Vault.recover(data_dir, code) as v:
        assert v.load_draft(draft.id).values == draft.values


def test_replaced_keyring_entry(vault: Vault, mem_keyring: MemoryKeyring, data_dir: Path) -> None:
    vault.close()
    [entry] = [e for e in mem_keyring.entries if not e[1].endswith("/seen")]  # not the anchor
    mem_keyring.entries[entry] = keys.KEYRING_PREFIX + "A" * 43 + "="
    with pytest.raises(KeyMissingError, match="does not open this vault"):
        Vault.open(data_dir)
    mem_keyring.entries[entry] = "not ours"
    with pytest.raises(KeyMissingError, match="not a key made by Ombuds Desktop"):
        Vault.open(data_dir)


def test_locked_keyring(
    vault: Vault, mem_keyring: MemoryKeyring, data_dir: Path, tmp_path: Path
) -> None:
    vault.save_draft(make_draft())
    vault.close()
    mem_keyring.locked = True
    with pytest.raises(KeyringUnavailableError) as err:
        Vault.open(data_dir)
    assert "locked" in str(err.value) and "recover" in str(err.value)
    with pytest.raises(KeyringUnavailableError, match="passphrase"):
        Vault.create(tmp_path / "new")
    assert not paths.db_path(tmp_path / "new").exists()
    mem_keyring.locked = False
    with Vault.open(data_dir) as v:
        assert len(v.list_drafts()) == 1


def test_no_keyring_falls_back_to_passphrase(
    no_keyring: None, data_dir: Path, fast_kdf: None
) -> None:
    with pytest.raises(KeyringUnavailableError, match="passphrase"):
        Vault.create(data_dir)
    assert not paths.db_path(data_dir).exists()
    vault, _ = Vault.create(data_dir, passphrase="a passphrase for headless use")
    vault.close()
    with Vault.open(data_dir, passphrase="a passphrase for headless use") as v:
        assert v.protection == "passphrase"


def test_keyring_vault_on_a_machine_without_keyring(vault: Vault, data_dir: Path) -> None:
    vault.close()
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        with pytest.raises(KeyringUnavailableError) as err:
            Vault.open(data_dir)
        assert "recover" in str(err.value)
    finally:
        keyring.set_keyring(previous)


def test_bad_recovery_codes(
    created: tuple[Vault, str], tmp_path: Path, mem_keyring: MemoryKeyring
) -> None:
    vault, code = created
    vault.close()
    other, other_code = Vault.create(tmp_path / "other")
    other.close()
    with pytest.raises(RecoveryCodeError, match="typo"):
        Vault.recover(vault.data_dir, code[:-1] + ("A" if code[-1] != "A" else "B"))
    with pytest.raises(RecoveryCodeError, match="another vault"):
        Vault.recover(vault.data_dir, other_code)


# --------------------------------------------------------------------------- storage faults


def test_disk_full_simulated_with_max_page_count(vault: Vault) -> None:
    draft = make_draft()
    vault.save_draft(draft)
    c = vault._store.conn
    pages = c.execute("PRAGMA page_count").fetchone()[0]
    c.execute(f"PRAGMA max_page_count={pages}")
    draft.values["s9.statement"] = "x" * 200_000
    with pytest.raises(DiskFullError) as err:
        vault.save_draft(draft)
    assert "disk is full" in str(err.value) and "previous version is unchanged" in str(err.value)
    assert vault.current_revision(draft.id) == 1
    assert "s9.statement" not in vault.load_draft(draft.id).values
    c.execute("PRAGMA max_page_count=1073741823")
    assert vault.save_draft(draft) == 2
    assert vault.integrity_check() == "ok"


def test_read_only_vault_save_fails_loudly(vault: Vault, data_dir: Path) -> None:
    draft = make_draft()
    vault.save_draft(draft)
    vault._store.conn.execute("PRAGMA query_only=ON")
    draft.values["s5.phone"] = "+1 217 555 0999"
    with pytest.raises(ReadOnlyError, match="read-only"):
        vault.save_draft(draft)
    vault._store.conn.execute("PRAGMA query_only=OFF")
    with Vault.open(data_dir, read_only=True) as ro:
        assert ro.load_draft(draft.id).values["s5.phone"] == "+1 217 555 0100"
        with pytest.raises(ReadOnlyError):
            ro.save_draft(draft)


def test_busy_vault_gives_a_clear_message(vault: Vault, monkeypatch: pytest.MonkeyPatch) -> None:
    vault._store.conn.execute("PRAGMA busy_timeout=200")
    other = sqlite3.connect(paths.db_path(vault.data_dir), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(VaultBusyError, match="another Ombuds Desktop window"):
            vault.save_draft(make_draft())
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert store.BUSY_TIMEOUT_MS >= 5000


@contextlib.contextmanager
def _tmpfs(where: Path, size: str) -> Iterator[Path]:
    where.mkdir()
    try:
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(where)],
            capture_output=True,
            timeout=20,
        )
    except (OSError, subprocess.TimeoutExpired):
        pytest.skip("cannot run mount here")
    if done.returncode != 0:
        pytest.skip(
            f"cannot mount a tmpfs here ({done.stderr.decode().strip()}); the "
            "max_page_count test covers a full database"
        )
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True, timeout=20)


def _fill(folder: Path) -> Path:
    filler = folder / "filler"
    with open(filler, "wb") as fh:
        try:
            while True:
                fh.write(b"\0" * 65536)
                fh.flush()
        except OSError:
            pass
    return filler


def test_disk_full_on_a_real_small_file_system(
    mem_keyring: MemoryKeyring, tmp_path: Path, fast_kdf: None
) -> None:
    with _tmpfs(tmp_path / "small", "4m") as mnt:
        data_dir = mnt / "data"
        vault, _ = Vault.create(data_dir)
        with vault:
            draft = make_draft()
            vault.save_draft(draft)
            src = tmp_path / "scan.pdf"
            src.write_bytes(os.urandom(2 * 1024 * 1024))
            filler = _fill(mnt)
            draft.values["s9.statement"] = "y" * 1_000_000
            with pytest.raises(DiskFullError, match="disk is full"):
                vault.save_draft(draft)
            with pytest.raises(DiskFullError):
                vault.store_attachment(draft.id, src)
            leftovers = [p for p in paths.blob_root(data_dir).rglob("*") if p.is_file()]
            assert leftovers == []
            filler.unlink()
            assert vault.current_revision(draft.id) == 1
            assert vault.integrity_check() == "ok"
        with Vault.open(data_dir) as again:
            assert "s9.statement" not in again.load_draft(draft.id).values


def test_read_only_file_system(mem_keyring: MemoryKeyring, tmp_path: Path, fast_kdf: None) -> None:
    with _tmpfs(tmp_path / "ro", "8m") as mnt:
        data_dir = mnt / "data"
        vault, _ = Vault.create(data_dir)
        draft = make_draft()
        vault.save_draft(draft)
        vault.close()
        done = subprocess.run(["mount", "-o", "remount,ro", str(mnt)], capture_output=True)
        if done.returncode != 0:
            pytest.skip("cannot remount read-only here")
        try:
            with pytest.raises(ReadOnlyError, match="read-only disk"):
                Vault.open(data_dir)
            with Vault.open(data_dir, read_only=True) as ro:
                assert ro.load_draft(draft.id).values == draft.values
                with pytest.raises(ReadOnlyError):
                    ro.save_draft(draft)
        finally:
            subprocess.run(["mount", "-o", "remount,rw", str(mnt)], capture_output=True)
        with Vault.open(data_dir) as again:
            assert again.current_revision(draft.id) == 1


# --------------------------------------------------------------------------- processes

SAVE_LOOP = textwrap.dedent("""
    import os, sys
    from ombuds_desktop.vault import Vault
    from ombuds_desktop.draft.interchange import loads
    data_dir, draft_path, tag = sys.argv[1], sys.argv[2], sys.argv[3]
    draft = loads(open(draft_path, "rb").read())
    vault = Vault.open(data_dir)
    sys.stdout.write("ready\\n"); sys.stdout.flush()
    n = int(sys.argv[4]) if len(sys.argv) > 4 else 10**9
    for i in range(n):
        draft.values["s5.phone"] = f"{tag}-{i}"
        draft.values["s9.statement"] = "z" * (i % 7 * 3000)
        rev = vault.save_draft(draft)
        sys.stdout.write(f"{rev} {tag}-{i}\\n"); sys.stdout.flush()
    vault.close()
""")


@pytest.mark.slow
def test_kill_9_during_save_loop(file_keyring_env: dict[str, str], tmp_path: Path) -> None:
    from ombuds_desktop.draft.interchange import dumps

    data_dir = tmp_path / "data"
    vault, _ = Vault.create(data_dir)
    draft = make_draft()
    vault.save_draft(draft)
    vault.close()
    draft_path = tmp_path / "draft.json"
    draft_path.write_text(dumps(draft), encoding="utf-8")
    rounds = int(os.environ.get("OMBUDS_KILL_ROUNDS", "12"))
    rng = random.Random(7001)
    committed: dict[int, str] = {}
    for r in range(rounds):
        proc = subprocess.Popen(
            [sys.executable, "-c", SAVE_LOOP, str(data_dir), str(draft_path), f"r{r}"],
            env=file_keyring_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready", proc.stderr.read() if proc.stderr else ""
        # Two saves committed first, then a random moment: on a loaded machine (a parallel
        # suite, other work) the random window alone may see no save at all.
        for _ in range(2):
            line = proc.stdout.readline()
            assert line, proc.stderr.read() if proc.stderr else "the save loop stopped"
            rev, value = line.split()
            committed[int(rev)] = value
        deadline = time.monotonic() + rng.uniform(0.05, 0.4)
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            rev, value = line.split()
            committed[int(rev)] = value
        os.kill(proc.pid, signal.SIGKILL)
        for line in proc.stdout:  # lines printed before the kill were committed too
            rev, value = line.split()
            committed[int(rev)] = value
        proc.wait(timeout=10)
        assert proc.returncode == -signal.SIGKILL
        with Vault.open(data_dir) as v:
            assert v.integrity_check() == "ok"
            current = v.current_revision(draft.id)
            assert current >= max(committed)
            kept = {i.revision for i in v.revisions(draft.id)}
            for rev, value in committed.items():
                if rev in kept:
                    assert v.load_draft(draft.id, rev).values["s5.phone"] == value
            assert v.load_draft(draft.id).id == draft.id
            assert v.verify_audit().ok
    assert len(committed) >= 2 * rounds  # the loop really ran between kills


def test_two_processes_share_the_vault(file_keyring_env: dict[str, str], tmp_path: Path) -> None:
    from ombuds_desktop.draft.interchange import dumps

    data_dir = tmp_path / "data"
    vault, _ = Vault.create(data_dir)
    shared = make_draft()
    vault.save_draft(shared)
    draft_path = tmp_path / "draft.json"
    draft_path.write_text(dumps(shared), encoding="utf-8")
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", SAVE_LOOP, str(data_dir), str(draft_path), tag, "40"],
            env=file_keyring_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in ("p1", "p2")
    ]
    # This process keeps reading and writing while the other two save the same draft.
    mine = make_draft("Third")
    for _ in range(20):
        vault.save_draft(mine)
        vault.list_drafts()
    outputs = [p.communicate(timeout=120) for p in procs]
    for p, (_out, err) in zip(procs, outputs, strict=True):
        assert p.returncode == 0, err
    assert vault.current_revision(shared.id) == 81
    assert vault.current_revision(mine.id) == 20
    assert vault.integrity_check() == "ok" and vault.verify_audit().ok
    vault.close()
