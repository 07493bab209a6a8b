"""Issue 10, Why 3 and 4: rollback, dropped revisions, a deleted WAL, a cut-off audit log and
deleted failed-unlock records are each reported in words; reading still works; restoring a
genuine backup is accepted explicitly."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from ombuds_desktop.draft import dumps
from ombuds_desktop.vault import FreshnessError, Vault, WrongPassphraseError, paths

from .support import MemoryKeyring, cli_env, make_draft, run_cli

DB = ("vault.sqlite3", "vault.sqlite3-wal", "vault.sqlite3-shm")


def _db(data_dir: Path) -> sqlite3.Connection:
    return sqlite3.connect(paths.db_path(data_dir), isolation_level=None)


def _older_copy(data_dir: Path, dest: Path) -> None:
    dest.mkdir()
    for name in (*DB, "vault.fresh"):
        if (data_dir / name).exists():
            shutil.copy2(data_dir / name, dest / name)


def _saved_twice(vault: Vault) -> str:
    draft = make_draft()
    vault.save_draft(draft)
    draft.values["s5.address"] = {"street": "1 New Safe Road", "city": "Elsewhere"}
    vault.save_draft(draft)
    return draft.id


def _problems(data_dir: Path) -> list[str]:
    with Vault.open(data_dir) as v:
        return list(v.freshness_problems)


def test_fresh_vault_has_no_problems(vault: Vault, data_dir: Path) -> None:
    _saved_twice(vault)
    vault.close()
    assert _problems(data_dir) == []
    assert _problems(data_dir) == []  # opening twice stays clean


def test_draft_rows_copied_from_an_older_copy(vault: Vault, data_dir: Path) -> None:
    draft = make_draft()
    vault.save_draft(draft)
    with _db(data_dir) as c:
        old_rows = c.execute("SELECT * FROM drafts WHERE id=?", (draft.id,)).fetchone()
    draft.values["s5.address"] = {"street": "1 New Safe Road", "city": "Elsewhere"}
    vault.save_draft(draft)
    vault.close()
    c = _db(data_dir)
    c.execute("DELETE FROM revisions WHERE draft_id=? AND revision=2", (draft.id,))
    c.execute("DELETE FROM drafts WHERE id=?", (draft.id,))
    c.execute(f"INSERT INTO drafts VALUES ({','.join('?' * len(old_rows))})", old_rows)
    c.close()
    with Vault.open(data_dir) as v:
        [problem] = v.freshness_problems
        assert "older than the last one this computer saw" in problem and draft.id in problem
        assert "rolled back" in problem
        assert v.load_draft(draft.id).values["s5.address"]["street"] == "12 Hidden Lane"  # reads
        with pytest.raises(FreshnessError, match="accept-state"):
            v.save_draft(v.load_draft(draft.id))


def test_dropped_newest_revision(vault: Vault, data_dir: Path) -> None:
    draft_id = _saved_twice(vault)
    vault.close()
    c = _db(data_dir)
    c.execute("DELETE FROM revisions WHERE draft_id=? AND revision=2", (draft_id,))
    c.execute("UPDATE drafts SET revision=1 WHERE id=?", (draft_id,))
    c.close()
    assert any("rolled back" in p for p in _problems(data_dir))


def test_deleted_wal_after_a_crash(vault: Vault, data_dir: Path, tmp_path: Path) -> None:
    _saved_twice(vault)
    vault._store.run("PRAGMA wal_checkpoint(TRUNCATE)", "test")
    draft = make_draft("Later")
    vault._store.conn.execute("PRAGMA wal_autocheckpoint=0")
    vault.save_draft(draft)  # committed, only in the WAL
    crash = tmp_path / "crash"
    _older_copy(data_dir, crash)  # a copy as it was at the crash: db + WAL + fresh
    vault.close()
    (crash / "vault.sqlite3-wal").unlink()  # the WAL is deleted after the crash
    (crash / "vault.sqlite3-shm").unlink(missing_ok=True)
    problems = _problems(crash)
    assert any("audit log ends at entry" in p for p in problems), problems


@pytest.mark.parametrize("how", ["tail", "all"])
def test_cut_off_audit_log(vault: Vault, data_dir: Path, how: str) -> None:
    _saved_twice(vault)
    vault.close()
    c = _db(data_dir)
    if how == "tail":
        top = c.execute("SELECT max(seq) FROM audit").fetchone()[0]
        c.execute("DELETE FROM audit WHERE seq > ?", (top - 2,))
    else:
        c.execute("DELETE FROM audit")
        c.execute("DELETE FROM meta WHERE key='audit_anchor'")
    c.close()
    problems = _problems(data_dir)
    assert any("audit log" in p for p in problems), problems
    with Vault.open(data_dir) as v:  # still not re-anchored by opening
        assert not v.verify_audit().ok or v.freshness_problems


def test_deleted_failed_unlock_records(
    mem_keyring: MemoryKeyring, data_dir: Path, fast_kdf: None
) -> None:
    vault, _ = Vault.create(data_dir, passphrase="the right long passphrase")
    vault.save_draft(make_draft())
    vault.close()
    for _ in range(3):
        with pytest.raises(WrongPassphraseError):
            Vault.open(data_dir, passphrase="someone guessing here")
    with _db(data_dir) as c:
        c.execute("DELETE FROM audit_pending")
    with Vault.open(data_dir, passphrase="the right long passphrase") as v:
        assert any("failed unlock attempts were deleted" in p for p in v.freshness_problems)


def test_failed_unlocks_kept_are_fine(
    mem_keyring: MemoryKeyring, data_dir: Path, fast_kdf: None
) -> None:
    vault, _ = Vault.create(data_dir, passphrase="the right long passphrase")
    vault.close()
    with pytest.raises(WrongPassphraseError):
        Vault.open(data_dir, passphrase="someone guessing here")
    with Vault.open(data_dir, passphrase="the right long passphrase") as v:
        assert v.freshness_problems == []
        assert "failed-unlock" in [e.event for e in v.audit_log()]


def test_whole_folder_replaced_by_an_older_copy_then_accepted(
    vault: Vault, data_dir: Path, tmp_path: Path
) -> None:
    """The keyring anchor catches a rollback of the database *and* vault.fresh together;
    restoring a genuine backup is then accepted explicitly (CLI: vault accept-state)."""
    draft = make_draft()
    vault.save_draft(draft)
    vault.close()
    backup = tmp_path / "backup"
    _older_copy(data_dir, backup)
    with Vault.open(data_dir) as v:
        v.save_draft(v.load_draft(draft.id))
    for name in DB:
        (data_dir / name).unlink(missing_ok=True)
    for p in backup.iterdir():
        shutil.copy2(p, data_dir / p.name)
    with Vault.open(data_dir) as v:
        [problem] = v.freshness_problems
        assert "older than the last one this computer saw" in problem
        assert v.list_drafts() and v.load_draft(draft.id)  # reading and export still work
        v.accept_current_state()
        assert v.freshness_problems == []
        v.save_draft(v.load_draft(draft.id))
        assert v.verify_audit().ok
    assert _problems(data_dir) == []


def test_cli_reports_in_words_and_accepts(tmp_path: Path) -> None:
    env = cli_env(tmp_path, tmp_path / "data")
    assert run_cli(env, "vault", "init").returncode == 0
    data_dir = tmp_path / "data"
    (tmp_path / "d.json").write_text(dumps(make_draft()), encoding="utf-8")
    assert run_cli(env, "drafts", "import", str(tmp_path / "d.json")).returncode == 0
    with _db(data_dir) as c:
        c.execute("DELETE FROM audit WHERE seq > 1")
    listed = run_cli(env, "drafts", "list")
    assert listed.returncode == 0 and "WARNING" in listed.stderr
    assert "accept-state" in listed.stderr
    assert run_cli(env, "vault", "check").returncode == 3
    refused = run_cli(env, "vault", "accept-state")
    assert refused.returncode == 2 and "nothing was changed" in refused.stderr
    done = run_cli(env, "vault", "accept-state", "--yes")
    assert done.returncode == 0, done.stderr
    again = run_cli(env, "drafts", "list")
    assert again.returncode == 0 and "WARNING" not in again.stderr
    assert run_cli(env, "vault", "audit").returncode == 0


def test_a_save_by_another_window_while_this_one_opens_is_not_a_rollback(
    vault: Vault, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two windows (or the app and the CLI) share a vault: while one opens and compares
    the database with the freshness record, the other commits and rewrites the record.
    The opening one must not take the newer record for a rollback of its own snapshot."""
    from ombuds_desktop.vault import freshness

    draft = make_draft()
    vault.save_draft(draft)
    real = freshness.read_sidecar
    interleaved: list[int] = []
    armed = [True]

    def other_window_saves_first(folder: Path):  # the other window commits right now
        if armed[0]:
            armed[0] = False
            draft.values["s5.phone"] = "(555) 555-0199"
            interleaved.append(vault.save_draft(draft))
        return real(folder)

    monkeypatch.setattr(freshness, "read_sidecar", other_window_saves_first)
    with Vault.open(data_dir) as second:
        assert interleaved, "the interleaving did not happen"
        assert second.freshness_problems == []
        draft.values["s5.phone"] = "(555) 555-0100"
        assert second.save_draft(draft) == interleaved[0] + 1  # and it can write
