"""The SQLite file: durable settings, private permissions, schema guard."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from ombuds_desktop.vault import Vault, VaultError, paths
from ombuds_desktop.vault.store import Store

from .support import make_draft


def _mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


def test_pragmas(vault: Vault) -> None:
    c = vault._store.conn
    assert c.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert c.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert c.execute("PRAGMA secure_delete").fetchone()[0] == 1
    assert c.execute("PRAGMA temp_store").fetchone()[0] == 2  # MEMORY
    assert c.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_private_permissions(vault: Vault, tmp_path: Path) -> None:
    src = tmp_path / "scan.pdf"
    src.write_bytes(b"%PDF-1.7 made up")
    draft = make_draft()
    vault.attach_file(draft, src, category="evidence")
    vault.save_draft(draft)
    root = vault.data_dir
    dirs = [root, *[p for p in root.rglob("*") if p.is_dir()]]
    files = [p for p in root.rglob("*") if p.is_file()]
    assert any(p.name.endswith("-wal") for p in files)
    assert all(_mode(d) == 0o700 for d in dirs), {str(d): oct(_mode(d)) for d in dirs}
    assert all(_mode(f) == 0o600 for f in files), {str(f): oct(_mode(f)) for f in files}


def test_no_client_data_in_file_names(vault: Vault, tmp_path: Path) -> None:
    src = tmp_path / "Maria Testperson passport.pdf"
    src.write_bytes(b"x")
    draft = make_draft()
    vault.attach_file(draft, src, category="evidence")
    vault.save_draft(draft)
    names = " ".join(p.name for p in vault.data_dir.rglob("*")).lower()
    assert "maria" not in names and "passport" not in names and draft.id not in names


def test_newer_schema_is_refused(vault: Vault) -> None:
    db = paths.db_path(vault.data_dir)
    vault.close()
    with sqlite3.connect(db) as c:
        c.execute("PRAGMA user_version=99")
    with pytest.raises(VaultError, match="newer Ombuds Desktop"):
        Store(db)


def test_default_data_dir_follows_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("OMBUDS_DATA_DIR", str(tmp_path / "x"))
    assert paths.default_data_dir() == tmp_path / "x"
    monkeypatch.delenv("OMBUDS_DATA_DIR")
    assert "OmbudsDesktop" in str(paths.default_data_dir())


def test_loose_modes_are_tightened_on_open(vault: Vault, data_dir: Path) -> None:
    vault.close()
    os.chmod(data_dir, 0o755)
    os.chmod(paths.db_path(data_dir), 0o644)
    with Vault.open(data_dir):
        assert _mode(data_dir) == 0o700
        assert _mode(paths.db_path(data_dir)) == 0o600
