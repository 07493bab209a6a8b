"""Fixtures of the vault tests: an in-memory keyring, fast KDF, a fresh vault."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

from ombuds_desktop.validation.status import describe_draft
from ombuds_desktop.vault import Vault, keys

from .support import HERE, REPO, MemoryKeyring


@pytest.fixture
def mem_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        yield
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheaper scrypt for tests that unlock with a passphrase many times.

    The shipped parameters are checked in test_keys.py; scrypt itself is the
    same code path.
    """
    monkeypatch.setattr(keys, "PASSPHRASE_SCRYPT", {"n": 2**14, "r": 8, "p": 1})
    monkeypatch.setattr(keys, "RECOVERY_SCRYPT", {"n": 2**14, "r": 8, "p": 1})


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def created(
    mem_keyring: MemoryKeyring, data_dir: Path, fast_kdf: None
) -> Iterator[tuple[Vault, str]]:
    vault, code = Vault.create(data_dir, describe=describe_draft)  # as the CLI and the GUI
    try:
        yield vault, code
    finally:
        vault.close()


@pytest.fixture
def vault(created: tuple[Vault, str]) -> Vault:
    return created[0]


@pytest.fixture
def file_keyring_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """The same file-backed keyring here and in the child processes."""
    sys.path.insert(0, str(HERE))
    try:
        import filekeyring
    finally:
        sys.path.remove(str(HERE))
    monkeypatch.setenv("OMBUDS_TEST_KEYRING_FILE", str(tmp_path / "keyring.json"))
    previous = keyring.get_keyring()
    keyring.set_keyring(filekeyring.FileKeyring())
    env = dict(os.environ)
    env.update(
        {
            "PYTHONPATH": os.pathsep.join([str(REPO), str(HERE)]),
            "PYTHON_KEYRING_BACKEND": "filekeyring.FileKeyring",
        }
    )
    try:
        yield env
    finally:
        keyring.set_keyring(previous)
