"""The vault key, and the three ways it is kept wrapped: keyring, passphrase, recovery code.

One random 256-bit *vault key* protects everything (per-draft keys are
wrapped by it, see :mod:`.vault`).  It is never written in plaintext.  It is
stored several times, each time encrypted ("wrapped") by a different
key-encryption key (KEK):

* ``keyring``: a random KEK kept in the OS keyring (service ``ombuds-desktop``,
  user name ``<vault id>/<wrap id>``; the wrap id lets a rotation store the new
  KEK before the old one is deleted, so a crash never strands the vault);
* ``passphrase``: a KEK derived with scrypt from the user's passphrase, used
  when no usable keyring exists;
* ``recovery``: a KEK derived with scrypt from the recovery code shown once
  at creation, for a new machine or a lost keyring entry.

Rotation writes a new wrap with a new KEK and deletes the old one; no record
is re-encrypted because the vault key itself does not change.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import re
import secrets
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from ombuds_desktop.vault import crypto

KEYRING_SERVICE = "ombuds-desktop"
KEYRING_PREFIX = "ombuds-kek-v1:"
if TYPE_CHECKING:  # keyring is imported when first needed: it is slow to load
    import keyring.backend

PRIMARY_METHODS = ("keyring", "passphrase")
METHODS = (*PRIMARY_METHODS, "recovery")

#: scrypt cost for passphrases (128 MiB, about 0.4 s here): passphrases are guessable.
PASSPHRASE_SCRYPT = {"n": 2**17, "r": 8, "p": 1}
#: scrypt cost for the 120-bit recovery code: its entropy does the work, scrypt adds margin.
RECOVERY_SCRYPT = {"n": 2**15, "r": 8, "p": 1}
MIN_SCRYPT_N = 2**14  # refuse weaker parameters found in a (tampered) database
MIN_PASSPHRASE_CHARS = 10

# Crockford base32: no I, L, O, U, so a printed code can be typed back unambiguously.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_TYPO_MAP = str.maketrans({"O": "0", "I": "1", "L": "1"})
RECOVERY_RANDOM_BYTES = 15  # 120 bits -> 24 characters
RECOVERY_CHECK_CHARS = 4  # 20-bit checksum catches typos before the slow scrypt
RECOVERY_GROUP = 4


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


class KeyRecordDamagedError(ValueError):
    """A stored key record is damaged (its parameters or wrapped bytes), not a wrong secret."""


@dataclass(slots=True)
class KeyWrap:
    """One stored, encrypted copy of the vault key.

    ``check`` is a MAC of a fixed label under the KEK: it tells "wrong
    passphrase" (check differs) from "damaged record" (check matches, the
    wrapped key does not open).  It costs an attacker nothing they do not
    already have: testing a guess needs the same scrypt as opening the wrap.
    ``digest`` (SHA-256 of the record) catches a flipped byte before any KDF.
    """

    method: str
    params: dict[str, Any]
    wrapped: bytes
    id: str = field(default_factory=lambda: secrets.token_hex(8))
    created: str = field(default_factory=now_iso)
    check: str = ""
    digest: str = ""

    def params_json(self) -> str:
        return json.dumps(self.params, sort_keys=True)

    def record_digest(self) -> str:
        return hashlib.sha256(
            crypto.associated_data("wrap-record", self.id, self.method, self.params_json())
            + self.wrapped
        ).hexdigest()

    def checks_json(self) -> str:
        return json.dumps({"check": self.check, "digest": self.digest or self.record_digest()})


def kek_check(kek: bytes) -> str:
    return hmac.new(kek, b"ombuds-kek-check-v1", hashlib.sha256).hexdigest()[:32]


def insert_wrap(conn: Any, wrap: KeyWrap) -> None:
    """Store one wrap (inside the caller's transaction)."""
    conn.execute(
        "INSERT INTO key_wraps (id, method, params, wrapped, created, checks) VALUES (?,?,?,?,?,?)",
        (wrap.id, wrap.method, wrap.params_json(), wrap.wrapped, wrap.created, wrap.checks_json()),
    )


def load_wraps(conn: Any) -> list[KeyWrap]:
    """Every stored wrap; a record whose JSON is unreadable is kept with empty params
    (opening it then reports damage instead of a traceback)."""
    has_checks = any(r[1] == "checks" for r in conn.execute("PRAGMA table_info(key_wraps)"))
    cols = "id, method, params, wrapped, created" + (", checks" if has_checks else "")
    out = []
    for row in conn.execute(f"SELECT {cols} FROM key_wraps ORDER BY created"):
        wid, method, params, wrapped, created = row[:5]
        try:
            parsed = json.loads(params)
            if not isinstance(parsed, dict):
                raise ValueError
        except (ValueError, TypeError):
            parsed = {"damaged": str(params)[:64]}
        checks: dict[str, Any] = {}
        if has_checks and row[5]:
            try:
                loaded = json.loads(row[5])
                checks = loaded if isinstance(loaded, dict) else {}
            except ValueError:
                checks = {"digest": "unreadable"}
        out.append(
            KeyWrap(
                method=str(method),
                params=parsed,
                wrapped=bytes(wrapped) if wrapped is not None else b"",
                id=str(wid),
                created=str(created),
                check=str(checks.get("check") or ""),
                digest=str(checks.get("digest") or ""),
            )
        )
    return out


def _wrap_aad(vault_id: str, wrap: KeyWrap) -> bytes:
    return crypto.associated_data("key-wrap", vault_id, wrap.method, wrap.id, wrap.params_json())


def wrap_vault_key(
    vault_key: bytes, kek: bytes, vault_id: str, method: str, params: dict[str, Any]
) -> KeyWrap:
    wrap = KeyWrap(method=method, params=params, wrapped=b"", check=kek_check(kek))
    wrap.wrapped = crypto.seal(kek, vault_key, _wrap_aad(vault_id, wrap))
    wrap.digest = wrap.record_digest()
    return wrap


def check_record(wrap: KeyWrap) -> None:
    """Raise :class:`KeyRecordDamagedError` if the record's bytes changed since it was written."""
    if wrap.digest and not hmac.compare_digest(wrap.digest, wrap.record_digest()):
        raise KeyRecordDamagedError("the key record's checksum does not match")


def unwrap_vault_key(wrap: KeyWrap, kek: bytes, vault_id: str) -> bytes:
    """The vault key.

    Raises :class:`crypto.DecryptionError` if the KEK is wrong (a wrong
    passphrase), :class:`KeyRecordDamagedError` if the KEK is right but the
    record was altered or damaged.
    """
    check_record(wrap)
    if wrap.check and not hmac.compare_digest(wrap.check, kek_check(kek)):
        raise crypto.DecryptionError("wrong key-encryption key")
    try:
        return crypto.unseal(kek, wrap.wrapped, _wrap_aad(vault_id, wrap))
    except crypto.DecryptionError:
        if wrap.check:
            raise KeyRecordDamagedError(
                "the wrapped key does not open with the right key"
            ) from None
        raise


# --------------------------------------------------------------------------- scrypt


#: Bounds for scrypt parameters read from a file (a vault's key record, an archive):
#: checked before deriving anything, so a crafted file cannot tie up the machine.
MAX_SCRYPT_N = 2**20
MAX_SCRYPT_R = 16
MAX_SCRYPT_P = 4
MAX_SCRYPT_MEMORY = 1 << 30  # 128 * n * r bytes
_B64 = re.compile(r"^[A-Za-z0-9+/]{16,88}={0,2}$")


def checked_scrypt_params(params: object) -> tuple[int, int, int, bytes]:
    """``(n, r, p, salt)`` from stored parameters, or ValueError saying what is wrong."""
    if not isinstance(params, dict):
        raise ValueError("the key-derivation settings are missing")
    try:
        n, r, p = (params[k] for k in ("n", "r", "p"))
    except KeyError as exc:
        raise ValueError(f"the key-derivation setting {exc.args[0]!r} is missing") from None
    for name, value in (("n", n), ("r", r), ("p", p)):
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValueError(f"the key-derivation setting {name!r} is not a whole number")
    if n < MIN_SCRYPT_N or n > MAX_SCRYPT_N or n & (n - 1):
        raise ValueError(f"the key-derivation setting n={n} is out of range")
    if not 8 <= r <= MAX_SCRYPT_R or not 1 <= p <= MAX_SCRYPT_P:
        raise ValueError(f"the key-derivation settings r={r}, p={p} are out of range")
    if 128 * n * r > MAX_SCRYPT_MEMORY:
        raise ValueError("the key-derivation settings need too much memory")
    salt_text = params.get("salt")
    if not isinstance(salt_text, str) or not _B64.match(salt_text):
        raise ValueError("the key-derivation salt is malformed")
    try:
        salt = base64.b64decode(salt_text, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("the key-derivation salt is malformed") from None
    if len(salt) < 16:
        raise ValueError("the key-derivation salt is too short")
    return n, r, p, salt


def scrypt_kek(secret: bytes, params: dict[str, Any]) -> bytes:
    """Raises :class:`KeyRecordDamagedError` for parameters out of bounds or malformed."""
    try:
        n, r, p, salt = checked_scrypt_params(params)
    except ValueError as exc:
        raise KeyRecordDamagedError(str(exc)) from None
    return Scrypt(salt=salt, length=crypto.KEY_BYTES, n=n, r=r, p=p).derive(secret)


def _scrypt_params(base: dict[str, int]) -> dict[str, Any]:
    return {"kdf": "scrypt", **base, "salt": base64.b64encode(os.urandom(16)).decode()}


def normalize_passphrase(passphrase: str) -> bytes:
    """NFC-normalise, so the same passphrase typed on macOS and Windows gives the same key."""
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


_KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm", "1234567890", "abcdefghijklmnopqrstuvwxyz")
MIN_DISTINCT_CHARS = 5


def _is_run(text: str) -> bool:
    """One character repeated, or consecutive letters/digits/keys (abcdef, 98765, qwerty)."""
    if len(set(text)) == 1:
        return True
    steps = {ord(b) - ord(a) for a, b in zip(text, text[1:], strict=False)}
    if steps in ({1}, {-1}):
        return True
    return any(text in row or text in row[::-1] for row in _KEYBOARD_ROWS)


def _repeats_a_short_unit(text: str) -> bool:
    """ "abcabcabc", "passpasspass": a short piece said over and over."""
    return any(
        len(text) % size == 0 and text == text[:size] * (len(text) // size)
        for size in range(1, len(text) // 2 + 1)
    )


def check_new_passphrase(passphrase: str) -> str | None:
    """A reason a new passphrase is unacceptable, or None.

    A simple rule that explains itself: long enough, and not one character,
    one short piece or one keyboard run repeated.  Length is what matters;
    a few unrelated words pass easily.
    """
    text = passphrase.strip()
    if len(text) < MIN_PASSPHRASE_CHARS:
        return (
            f"the passphrase is too short; use at least {MIN_PASSPHRASE_CHARS} characters "
            "(a few unrelated words work well)"
        )
    folded = text.lower().replace(" ", "")
    if _is_run(folded) or _repeats_a_short_unit(folded):
        return (
            "the passphrase is a repeated character, a repeated piece or a keyboard run "
            "(like aaaaaaaaaa or 1234567890), which is guessed first; use a few unrelated words"
        )
    if len(set(folded)) < MIN_DISTINCT_CHARS:
        return (
            f"the passphrase uses fewer than {MIN_DISTINCT_CHARS} different characters, which "
            "makes it easy to guess; use a few unrelated words"
        )
    return None


def passphrase_wrap(vault_key: bytes, passphrase: str, vault_id: str) -> KeyWrap:
    params = _scrypt_params(PASSPHRASE_SCRYPT)
    return wrap_vault_key(
        vault_key,
        scrypt_kek(normalize_passphrase(passphrase), params),
        vault_id,
        "passphrase",
        params,
    )


def open_passphrase_wrap(wrap: KeyWrap, passphrase: str, vault_id: str) -> bytes:
    return unwrap_vault_key(
        wrap, scrypt_kek(normalize_passphrase(passphrase), wrap.params), vault_id
    )


# --------------------------------------------------------------------------- recovery code


def _b32encode(data: bytes) -> str:
    bits = int.from_bytes(data, "big")
    nchars = (len(data) * 8 + 4) // 5
    bits <<= nchars * 5 - len(data) * 8
    return "".join(_ALPHABET[(bits >> (5 * i)) & 31] for i in reversed(range(nchars)))


def _b32decode(text: str, nbytes: int) -> bytes:
    bits = 0
    for ch in text:
        bits = (bits << 5) | _ALPHABET.index(ch)
    bits >>= len(text) * 5 - nbytes * 8
    return bits.to_bytes(nbytes, "big")


def _checksum(body: str) -> str:
    digest = hashlib.sha256(b"ombuds-recovery-v1:" + body.encode()).digest()
    return _b32encode(digest[:3])[:RECOVERY_CHECK_CHARS]


def new_recovery_code() -> str:
    """``XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX``: 120 random bits plus a typo check."""
    body = _b32encode(os.urandom(RECOVERY_RANDOM_BYTES))
    code = body + _checksum(body)
    return "-".join(code[i : i + RECOVERY_GROUP] for i in range(0, len(code), RECOVERY_GROUP))


class RecoveryCodeFormatError(ValueError):
    pass


def parse_recovery_code(text: str) -> bytes:
    """The 15 random bytes of a typed code; forgiving of case, spaces, dashes, O/0 and I/L/1."""
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum()).translate(_TYPO_MAP)
    body_len = (RECOVERY_RANDOM_BYTES * 8 + 4) // 5
    if len(cleaned) != body_len + RECOVERY_CHECK_CHARS:
        raise RecoveryCodeFormatError(
            f"a recovery code has {body_len + RECOVERY_CHECK_CHARS} letters and digits "
            f"(7 groups of 4); this one has {len(cleaned)}"
        )
    bad = sorted({ch for ch in cleaned if ch not in _ALPHABET})
    if bad:
        raise RecoveryCodeFormatError(
            f"a recovery code never contains {', '.join(bad)}; check for a typo"
        )
    body, check = cleaned[:body_len], cleaned[body_len:]
    if _checksum(body) != check:
        raise RecoveryCodeFormatError(
            "the recovery code has a typo (its check letters do "
            "not match); compare it group by group with the printout"
        )
    return _b32decode(body, RECOVERY_RANDOM_BYTES)


def recovery_wrap(vault_key: bytes, code: str, vault_id: str) -> KeyWrap:
    params = _scrypt_params(RECOVERY_SCRYPT)
    return wrap_vault_key(
        vault_key, scrypt_kek(parse_recovery_code(code), params), vault_id, "recovery", params
    )


def open_recovery_wrap(wrap: KeyWrap, code: str, vault_id: str) -> bytes:
    return unwrap_vault_key(wrap, scrypt_kek(parse_recovery_code(code), wrap.params), vault_id)


# --------------------------------------------------------------------------- OS keyring


def _is_refused(backend: keyring.backend.KeyringBackend) -> bool:
    module = type(backend).__module__
    return (
        module.startswith("keyrings.alt")
        or module.startswith("keyring.backends.fail")
        or module.startswith("keyring.backends.null")
    )


def _choose_backend() -> None:
    """On Linux, hand keyring the Secret Service backend directly when it is running.

    Why: keyring's own detection imports every backend, and its macOS backend calls
    ``ctypes.util.find_library`` at import, which on Linux runs ``ldconfig -p`` and then gcc
    (about 0.3 s, and gcc leaves files in /tmp) on every vault command.  On Linux the Secret
    Service is the only backend the app accepts, so asking for it directly picks what the
    detection would pick.  A backend already set (by a test), named in
    ``PYTHON_KEYRING_BACKEND`` or in keyring's config file, and every other platform, keep
    keyring's own choice; so does a Linux session without a Secret Service (keyring then
    detects as before, to explain what it found).
    """
    import sys

    import keyring.core

    if not sys.platform.startswith("linux") or keyring.core._keyring_backend is not None:
        return
    if os.environ.get("PYTHON_KEYRING_BACKEND") or keyring.core._config_path().exists():
        return
    from keyring.backends import SecretService

    if SecretService.Keyring.viable:
        keyring.core.set_keyring(SecretService.Keyring())


def usable_keyring() -> tuple[keyring.backend.KeyringBackend | None, str]:
    """The OS keyring backend to use, or None and the reason none is usable.

    Refuses the fail and null backends and every ``keyrings.alt`` backend (its
    "file" keyrings store secrets as base64 plaintext).  A chainer is unpacked
    to its best acceptable member, so a chained plaintext backend is never
    written or read.
    """
    import keyring

    try:
        _choose_backend()
        backend = keyring.get_keyring()
    except Exception as exc:  # a broken keyring configuration must not crash the app
        return None, f"the keyring library failed to start ({type(exc).__name__})"
    candidates = [backend]
    from keyring.backends.chainer import ChainerBackend

    if isinstance(backend, ChainerBackend):
        candidates = list(backend.backends)
    for candidate in candidates:
        if not _is_refused(candidate):
            return candidate, f"{type(candidate).__module__}.{type(candidate).__name__}"
    if any(type(c).__module__.startswith("keyrings.alt") for c in candidates):
        return None, (
            "only the plaintext 'keyrings.alt' keyring is installed, which is not safe for a key"
        )
    return (
        None,
        "no system keyring is available (no Secret Service / Keychain / Credential "
        "Manager in this session)",
    )


def keyring_username(vault_id: str, wrap_id: str) -> str:
    return f"{vault_id}/{wrap_id}"


def store_kek(
    backend: keyring.backend.KeyringBackend, vault_id: str, wrap_id: str, kek: bytes
) -> None:
    """Raises keyring.errors.KeyringError (locked, refused, unavailable)."""
    value = KEYRING_PREFIX + base64.b64encode(kek).decode()
    backend.set_password(KEYRING_SERVICE, keyring_username(vault_id, wrap_id), value)


def load_kek(backend: keyring.backend.KeyringBackend, vault_id: str, wrap_id: str) -> bytes | None:
    """The stored KEK, or None when the entry is missing.  Raises KeyringError."""
    value = backend.get_password(KEYRING_SERVICE, keyring_username(vault_id, wrap_id))
    if value is None:
        return None
    if not value.startswith(KEYRING_PREFIX):
        raise ValueError("the keyring entry for this vault is not a key made by Ombuds Desktop")
    raw = base64.b64decode(value[len(KEYRING_PREFIX) :])
    if len(raw) != crypto.KEY_BYTES:
        raise ValueError("the keyring entry for this vault has the wrong length")
    return raw


def keyring_error() -> type[Exception]:
    """``keyring.errors.KeyringError``, importing keyring only when an error is handled."""
    import keyring.errors

    return keyring.errors.KeyringError


def delete_kek(backend: keyring.backend.KeyringBackend, vault_id: str, wrap_id: str) -> bool:
    import keyring.errors

    """Best effort; True if the entry is gone."""
    try:
        backend.delete_password(KEYRING_SERVICE, keyring_username(vault_id, wrap_id))
        return True
    except keyring.errors.PasswordDeleteError:
        return True  # already absent
    except keyring.errors.KeyringError:
        return False


def keyring_wrap(
    vault_key: bytes, vault_id: str, backend: keyring.backend.KeyringBackend
) -> KeyWrap:
    """Make a new random KEK, store it in the keyring, and wrap the vault key with it.

    The keyring is written first: if that fails nothing else has changed.
    """
    kek = crypto.new_key()
    wrap = KeyWrap(
        method="keyring", params={"service": KEYRING_SERVICE}, wrapped=b"", check=kek_check(kek)
    )
    store_kek(backend, vault_id, wrap.id, kek)
    wrap.wrapped = crypto.seal(kek, vault_key, _wrap_aad(vault_id, wrap))
    wrap.digest = wrap.record_digest()
    return wrap


def describe_keyring_error(exc: BaseException) -> str:
    import keyring.errors

    if isinstance(exc, keyring.errors.KeyringLocked):
        return "the system keyring is locked"
    if isinstance(exc, keyring.errors.NoKeyringError):
        return "no system keyring is available"
    if isinstance(exc, keyring.errors.InitError):
        return "the system keyring could not be opened (it may need a desktop session)"
    return f"the system keyring refused the request ({type(exc).__name__})"
