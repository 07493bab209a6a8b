"""Recovery codes, passphrase wraps, and which keyrings are refused."""

from __future__ import annotations

import base64
import types

import keyring
import keyring.backend
import pytest
from keyring.backends import chainer, fail, null

from ombuds_desktop.vault import crypto, keys

from .support import MemoryKeyring


def test_recovery_code_shape_and_forgiving_parse() -> None:
    code = keys.new_recovery_code()
    groups = code.split("-")
    assert len(groups) == 7 and all(len(g) == 4 for g in groups)
    raw = keys.parse_recovery_code(code)
    assert len(raw) == 15
    messy = "  " + code.lower().replace("-", " ").replace("0", "o").replace("1", "l") + "\n"
    assert keys.parse_recovery_code(messy) == raw
    assert keys.new_recovery_code() != code


def test_recovery_code_typos_are_caught() -> None:
    code = keys.new_recovery_code()
    flipped = ("Z" if code[0] != "Z" else "Y") + code[1:]
    with pytest.raises(keys.RecoveryCodeFormatError, match="typo"):
        keys.parse_recovery_code(flipped)
    with pytest.raises(keys.RecoveryCodeFormatError, match="7 groups"):
        keys.parse_recovery_code(code[:-5])
    with pytest.raises(keys.RecoveryCodeFormatError, match="never contains U"):
        keys.parse_recovery_code("U" + code[1:])


@pytest.mark.real_kdf
def test_shipped_kdf_costs() -> None:
    assert keys.PASSPHRASE_SCRYPT["n"] >= 2**17 and keys.PASSPHRASE_SCRYPT["r"] >= 8
    assert keys.RECOVERY_SCRYPT["n"] >= 2**15


@pytest.mark.real_kdf  # the real salts: other tests share one (tests/conftest.py)
def test_every_wrap_gets_its_own_random_salt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keys, "PASSPHRASE_SCRYPT", {"n": 2**14, "r": 8, "p": 1})
    monkeypatch.setattr(keys, "RECOVERY_SCRYPT", {"n": 2**14, "r": 8, "p": 1})
    vk = crypto.new_key()
    code = keys.new_recovery_code()
    wraps = [keys.passphrase_wrap(vk, "Correct Horse Battery", "v") for _ in range(2)]
    wraps += [keys.recovery_wrap(vk, code, "v") for _ in range(2)]
    salts = [base64.b64decode(w.params["salt"]) for w in wraps]
    assert len(set(salts)) == len(salts)
    assert all(len(salt) >= 16 for salt in salts)
    assert wraps[0].wrapped != wraps[1].wrapped  # same key, same passphrase: another record


def test_passphrase_wrap(fast_kdf: None) -> None:
    vk = crypto.new_key()
    wrap = keys.passphrase_wrap(vk, "Correct Horse Battery", "vault-1")
    assert vk not in wrap.wrapped
    assert keys.open_passphrase_wrap(wrap, "Correct Horse Battery", "vault-1") == vk
    with pytest.raises(crypto.DecryptionError):
        keys.open_passphrase_wrap(wrap, "correct horse battery", "vault-1")
    with pytest.raises(keys.KeyRecordDamagedError):  # right passphrase, another vault's record
        keys.open_passphrase_wrap(wrap, "Correct Horse Battery", "vault-2")


def test_weakened_kdf_parameters_are_refused(fast_kdf: None) -> None:
    wrap = keys.passphrase_wrap(crypto.new_key(), "Correct Horse Battery", "v")
    wrap.params["n"] = 2
    with pytest.raises(ValueError):
        keys.open_passphrase_wrap(wrap, "Correct Horse Battery", "v")


def test_passphrase_unicode_normalisation(fast_kdf: None) -> None:
    vk = crypto.new_key()
    wrap = keys.passphrase_wrap(vk, "Nguy\u1ec5n \u00c1nh long phrase", "v")
    decomposed = "Nguy\u0065\u0302\u0303n A\u0301nh long phrase"
    assert keys.open_passphrase_wrap(wrap, decomposed, "v") == vk


@pytest.fixture
def restore_keyring():
    previous = keyring.get_keyring()
    yield
    keyring.set_keyring(previous)


def test_fail_and_null_backends_are_refused(restore_keyring: None) -> None:
    for backend in (fail.Keyring(), null.Keyring()):
        keyring.set_keyring(backend)
        chosen, reason = keys.usable_keyring()
        assert chosen is None and "keyring" in reason


def _fake_alt_backend() -> keyring.backend.KeyringBackend:
    cls = types.new_class("PlaintextKeyring", (MemoryKeyring,))
    cls.__module__ = "keyrings.alt.file"
    return cls()


def test_keyrings_alt_is_refused(restore_keyring: None) -> None:
    keyring.set_keyring(_fake_alt_backend())
    chosen, reason = keys.usable_keyring()
    assert chosen is None and "plaintext" in reason


def test_chainer_is_unpacked_to_a_safe_member(
    restore_keyring: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    safe = MemoryKeyring()
    alt = _fake_alt_backend()
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [alt, safe])
    keyring.set_keyring(chainer.ChainerBackend())
    chosen, _ = keys.usable_keyring()
    assert chosen is safe
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [alt])
    assert keys.usable_keyring()[0] is None


def test_keyring_wrap_stores_only_the_kek(mem_keyring: MemoryKeyring) -> None:
    vk = crypto.new_key()
    wrap = keys.keyring_wrap(vk, "vault-1", mem_keyring)
    [(service, user)] = mem_keyring.entries
    assert service == "ombuds-desktop" and user == f"vault-1/{wrap.id}"
    kek = keys.load_kek(mem_keyring, "vault-1", wrap.id)
    assert kek is not None and kek != vk
    assert keys.unwrap_vault_key(wrap, kek, "vault-1") == vk
    assert keys.delete_kek(mem_keyring, "vault-1", wrap.id)
    assert keys.load_kek(mem_keyring, "vault-1", wrap.id) is None
