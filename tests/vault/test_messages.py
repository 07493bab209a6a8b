"""Issue 10, Why 6, 8 and 10: one clear line instead of a traceback, and damage told apart
from a wrong passphrase.  Each case is a real input: a draft file, an archive, a vault."""

from __future__ import annotations

import json
import sqlite3
import struct
import time
from pathlib import Path

import pytest

from ombuds_desktop.draft import Draft, dumps
from ombuds_desktop.vault import (
    ArchiveError,
    CorruptVaultError,
    InvalidDraftError,
    Vault,
    VaultError,
    WrongPassphraseError,
    keys,
    paths,
    store,
)
from ombuds_desktop.vault.archive import MAGIC, ArchiveAlreadyImportedError
from ombuds_desktop.vault.store import Store

from .support import FORM, MemoryKeyring, cli_env, make_draft, run_cli

GOOD = "the right long passphrase"


def _one_line(done: object, code: int = 2) -> str:
    err = done.stderr  # type: ignore[attr-defined]
    assert done.returncode == code, (done.stdout, err)  # type: ignore[attr-defined]
    assert "Traceback" not in err and err.startswith("ombuds-desktop: ") and err.count("\n") == 1
    return err


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    env = cli_env(tmp_path, tmp_path / "data")
    assert run_cli(env, "vault", "init").returncode == 0
    return env


def _write_json(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------- draft values


def test_deeply_nested_value_is_refused_in_one_line(env: dict[str, str], tmp_path: Path) -> None:
    doc = json.loads(dumps(make_draft()))
    doc["values"]["s5.notes"] = json.loads("[" * 600 + "]" * 600)
    done = run_cli(env, "drafts", "import", str(_write_json(tmp_path / "d.json", json.dumps(doc))))
    assert "nested" in _one_line(done)


def test_lone_surrogate_is_refused_in_one_line(env: dict[str, str], tmp_path: Path) -> None:
    text = dumps(make_draft()).replace('"Maria"', '"Ma\\ud800ria"')
    done = run_cli(env, "drafts", "import", str(_write_json(tmp_path / "d.json", text)))
    assert "invalid character" in _one_line(done)


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_refused(env: dict[str, str], tmp_path: Path, value: str) -> None:
    text = dumps(make_draft()).replace('"+1 217 555 0100"', value)
    done = run_cli(env, "drafts", "import", str(_write_json(tmp_path / "d.json", text)))
    assert "not a number" in _one_line(done)


@pytest.mark.parametrize("bad_id", ["../../etc", "", "a/b", "x" * 65, "id with space"])
def test_bad_draft_ids_are_refused(vault: Vault, bad_id: str) -> None:
    with pytest.raises(InvalidDraftError, match="draft id"):
        vault.save_draft(Draft(form=FORM, id=bad_id))
    assert vault.list_drafts() == []


def test_good_values_still_store(vault: Vault) -> None:
    draft = make_draft(**{"s5.notes": [[["deep enough"]]], "s5.count": 1.5})
    draft.id = "Custom_id-1"
    vault.save_draft(draft)
    assert vault.load_draft("Custom_id-1").values["s5.count"] == 1.5


def test_bad_id_from_a_draft_file(env: dict[str, str], tmp_path: Path) -> None:
    doc = json.loads(dumps(make_draft()))
    doc["id"] = "../../etc"
    done = run_cli(env, "drafts", "import", str(_write_json(tmp_path / "d.json", json.dumps(doc))))
    assert "draft id" in _one_line(done)


# --------------------------------------------------------------------- passphrases


@pytest.mark.parametrize(
    "weak", ["aaaaaaaaaa", "1234567890", "abcdefghijkl", "qwertyuiop", "abcabcabcabc", "ababababab"]
)
def test_weak_passphrases_are_refused(weak: str) -> None:
    problem = keys.check_new_passphrase(weak)
    assert problem and ("repeated" in problem or "different characters" in problem)


@pytest.mark.parametrize("fine", ["correct horse battery", "Nine lives, 4 ways", "mañana tal vez"])
def test_reasonable_passphrases_pass(fine: str) -> None:
    assert keys.check_new_passphrase(fine) is None


def test_weak_passphrase_at_init(tmp_path: Path) -> None:
    pp = tmp_path / "pp"
    pp.write_text("aaaaaaaaaa")
    env = cli_env(tmp_path, tmp_path / "data")
    err = _one_line(run_cli(env, "vault", "init", "--passphrase-file", str(pp)), 3)
    assert "repeated" in err and not (tmp_path / "data" / "vault.sqlite3").exists()


# --------------------------------------------------------------------- key records


def _passphrase_vault(data_dir: Path) -> None:
    vault, _ = Vault.create(data_dir, passphrase=GOOD)
    vault.save_draft(make_draft())
    vault.close()


def _edit_wrap(data_dir: Path, method: str, *, params: str | None = None, flip: bool = False):
    with sqlite3.connect(paths.db_path(data_dir)) as c:
        wid, p, w = c.execute(
            "SELECT id, params, wrapped FROM key_wraps WHERE method=?", (method,)
        ).fetchone()
        if flip:
            w = bytearray(w)
            w[20] ^= 0x01
            w = bytes(w)
        c.execute("UPDATE key_wraps SET params=?, wrapped=? WHERE id=?", (params or p, w, wid))


def test_flipped_byte_in_wrapped_key_is_damage_not_a_wrong_passphrase(
    mem_keyring: MemoryKeyring, data_dir: Path, fast_kdf: None
) -> None:
    _passphrase_vault(data_dir)
    _edit_wrap(data_dir, "passphrase", flip=True)
    with pytest.raises(CorruptVaultError) as err:
        Vault.open(data_dir, passphrase=GOOD)
    text = str(err.value)
    assert "key record" in text and "damaged" in text and "recover" in text
    assert "does not open" not in text
    with pytest.raises(CorruptVaultError):  # even with a wrong passphrase: it is damage
        Vault.open(data_dir, passphrase="a wrong long passphrase")


def test_wrong_passphrase_is_still_a_wrong_passphrase(
    mem_keyring: MemoryKeyring, data_dir: Path, fast_kdf: None
) -> None:
    _passphrase_vault(data_dir)
    with pytest.raises(WrongPassphraseError, match="does not open"):
        Vault.open(data_dir, passphrase="a wrong long passphrase")


def test_flipped_byte_in_keyring_wrap(vault: Vault, data_dir: Path) -> None:
    vault.close()
    _edit_wrap(data_dir, "keyring", flip=True)
    with pytest.raises(CorruptVaultError, match="key record .keyring. is damaged"):
        Vault.open(data_dir)


@pytest.mark.parametrize(
    "params",
    [
        '{"kdf": "scrypt", "n": "abc", "r": 8, "p": 1, "salt": "AAAAAAAAAAAAAAAAAAAAAA=="}',
        '{"kdf": "scrypt", "n": 16384, "r": 8, "p": 1, "salt": "!!not base64!!"}',
        '{"kdf": "scrypt", "n": 16384, "r": 8, "p": 1}',
        "not json at all",
        '{"kdf": "scrypt", "n": 1073741824, "r": 8, "p": 1, "salt": "AAAAAAAAAAAAAAAAAAAAAA=="}',
    ],
)
def test_damaged_key_wrap_parameters(
    mem_keyring: MemoryKeyring, data_dir: Path, fast_kdf: None, tmp_path: Path, params: str
) -> None:
    _passphrase_vault(data_dir)
    _edit_wrap(data_dir, "passphrase", params=params)
    with pytest.raises(CorruptVaultError, match="key record .passphrase. is damaged"):
        Vault.open(data_dir, passphrase=GOOD)
    pp = tmp_path / "pp"
    pp.write_text(GOOD)
    env = cli_env(tmp_path, data_dir)
    assert "damaged" in _one_line(run_cli(env, "drafts", "list", "--passphrase-file", str(pp)), 3)


# --------------------------------------------------------------------- archives


def _archive(vault: Vault, tmp_path: Path) -> tuple[Path, str]:
    draft = make_draft()
    vault.save_draft(draft)
    out = tmp_path / "case.omba"
    vault.export_archive([draft.id], out, "archive phrase for transfer")
    return out, draft.id


def _rewrite_header(src: Path, edit: dict) -> Path:
    data = src.read_bytes()
    start = len(MAGIC)
    (n,) = struct.unpack(">I", data[start : start + 4])
    header = json.loads(data[start + 4 : start + 4 + n])
    header["scrypt"].update(edit)
    new = json.dumps(header, sort_keys=True).encode()
    out = src.with_name("edited.omba")
    out.write_bytes(MAGIC + struct.pack(">I", len(new)) + new + data[start + 4 + n :])
    return out


@pytest.mark.parametrize(
    "edit",
    [
        {"n": "abc"},
        {"salt": "%%%"},
        {"salt": 5},
        {"n": 2**24},  # 16 GiB of scrypt: refused before deriving anything
        {"r": 1024},
        {"p": 10**6},
        {"n": 2**14 + 1},
    ],
)
def test_crafted_archive_header_is_refused_fast(vault: Vault, tmp_path: Path, edit: dict) -> None:
    src, _ = _archive(vault, tmp_path)
    bad = _rewrite_header(src, edit)
    start = time.monotonic()
    with pytest.raises(ArchiveError, match="header is damaged or was crafted"):
        vault.import_archive(bad, "archive phrase for transfer")
    assert time.monotonic() - start < 2


def test_same_archive_twice_is_not_silently_duplicated(vault: Vault, tmp_path: Path) -> None:
    src, draft_id = _archive(vault, tmp_path)
    vault.purge_draft(draft_id)
    first = vault.import_archive(src, "archive phrase for transfer")
    with pytest.raises(ArchiveAlreadyImportedError) as err:
        vault.import_archive(src, "archive phrase for transfer")
    assert err.value.draft_ids == [first[0].id] and first[0].id in str(err.value)
    assert len(vault.list_drafts()) == 1
    again = vault.import_archive(src, "archive phrase for transfer", again=True)
    assert again[0].id != first[0].id and len(vault.list_drafts()) == 2


def test_archive_needs_its_own_passphrase(
    mem_keyring: MemoryKeyring, data_dir: Path, fast_kdf: None, tmp_path: Path
) -> None:
    _passphrase_vault(data_dir)
    with Vault.open(data_dir, passphrase=GOOD) as vault:
        draft_id = vault.list_drafts()[0].id
        with pytest.raises(VaultError, match="must differ from the vault passphrase"):
            vault.export_archive([draft_id], tmp_path / "x.omba", GOOD)
        with pytest.raises(VaultError, match="repeated"):
            vault.export_archive([draft_id], tmp_path / "x.omba", "aaaaaaaaaaaa")
    pp = tmp_path / "pp"
    pp.write_text(GOOD)
    env = cli_env(tmp_path, data_dir)
    out = tmp_path / "case.omba"
    args = ("drafts", "export", draft_id, "--out", str(out), "--archive")
    err = _one_line(run_cli(env, *args, "--passphrase-file", str(pp)))
    assert "its own passphrase" in err and not out.exists()
    err = _one_line(
        run_cli(env, *args, "--passphrase-file", str(pp), "--archive-passphrase-file", str(pp)), 3
    )
    assert "must differ" in err and not out.exists()
    own = tmp_path / "own"
    own.write_text("a different archive phrase")
    done = run_cli(env, *args, "--passphrase-file", str(pp), "--archive-passphrase-file", str(own))
    assert done.returncode == 0, done.stderr


# --------------------------------------------------------------------- purge and the WAL


def test_purge_without_waiting_for_readers_is_quick_and_still_truthful(
    vault: Vault, data_dir: Path
) -> None:
    """The desktop app's purge: a reader's snapshot postpones only the WAL truncation, at
    once instead of after ~20 s; with no reader the truncation happens as before."""
    gone, also_gone = make_draft(given="Purgeme"), make_draft(given="Alsogone")
    for draft in (gone, also_gone, make_draft("Other")):
        vault.save_draft(draft)
    wal = paths.db_path(data_dir).with_name("vault.sqlite3-wal")
    reader = sqlite3.connect(paths.db_path(data_dir))
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM revisions").fetchone()  # holds a snapshot
    started = time.monotonic()
    report = vault.purge_draft(gone.id, wait_for_readers=False)
    assert time.monotonic() - started < 3
    assert not report.wal_truncated
    assert gone.id not in [s.id for s in vault.list_drafts()]  # the deletion itself committed
    reader.rollback()
    reader.close()
    busy = vault._session.store.run("PRAGMA busy_timeout", "test")[0][0]
    assert busy == Store.BUSY_TIMEOUT_MS  # the usual wait is back for every other write
    report = vault.purge_draft(also_gone.id, wait_for_readers=False)
    assert report.wal_truncated
    assert wal.stat().st_size == 0


def test_purge_reports_a_reader_blocking_the_wal_and_clears_it_at_close(
    vault: Vault, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The blocked checkpoints wait out SQLite's busy timeout twice: 1 s here, not 10 s.
    vault.close()
    monkeypatch.setattr(store, "BUSY_TIMEOUT_MS", 1000)
    monkeypatch.setattr(Store, "BUSY_TIMEOUT_MS", 1000)
    vault = Vault.open(data_dir)
    gone = make_draft(given="Purgeme")
    vault.save_draft(gone)
    vault.save_draft(make_draft("Other"))
    wal = paths.db_path(data_dir).with_name("vault.sqlite3-wal")
    reader = sqlite3.connect(paths.db_path(data_dir))
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM revisions").fetchone()  # holds a snapshot
    report = vault.purge_draft(gone.id)
    assert not report.wal_truncated  # reported, not hidden
    reader.rollback()
    reader.close()
    vault.close()
    assert not wal.exists() or wal.stat().st_size == 0
    with Vault.open(data_dir) as again:
        report = again.purge_draft(again.list_drafts()[0].id)
        assert report.wal_truncated
        assert wal.stat().st_size == 0
