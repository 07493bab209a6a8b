"""Getting the vault key: create a vault, unlock it (keyring or passphrase), or recover it.

Key hierarchy (see the README, "Where your drafts live")::

    KEK (OS keyring, or scrypt(passphrase), or scrypt(recovery code))
      └─ vault key (random, 256 bit; wrapped once per KEK in ``key_wraps``)
           ├─ draft keys (random, one per draft; :mod:`.draftkeys`)
           ├─ profiles sub-key, audit sub-key, freshness sub-key (:class:`.store.KeySet`)

Each function returns a :class:`~.store.Session` (the unit of work the
vault's parts share) and the method that opened it; a damaged key record is
told apart from a wrong passphrase, and a failed attempt is parked for the
audit log.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from ombuds_desktop.vault import audit, crypto, freshness, keys, paths
from ombuds_desktop.vault.errors import (
    RECOVER_HINT,
    CorruptVaultError,
    KeyMissingError,
    KeyringUnavailableError,
    PassphraseRequiredError,
    RecoveryCodeError,
    VaultError,
    VaultExistsError,
    VaultNotFoundError,
    WrongPassphraseError,
)
from ombuds_desktop.vault.store import KeySet, Session, Store, translate


def key_record_damaged(method: str, detail: str) -> CorruptVaultError:
    """Damage to a key record is not the user's mistake: say so, and how to get back in."""
    other = {
        "passphrase": f"your passphrase is probably right. {RECOVER_HINT[0].upper()}"
        f"{RECOVER_HINT[1:]}, or restore the data folder from a backup",
        "keyring": f"the key in the system keyring is right. {RECOVER_HINT[0].upper()}"
        f"{RECOVER_HINT[1:]}, or restore the data folder from a backup",
        "recovery": "your recovery code is probably right. Open the vault with your "
        "passphrase or system keyring, or restore the data folder from a backup",
    }[method]
    return CorruptVaultError(
        f"the vault key record ({method}) is damaged ({detail}): {other}. Nothing was changed."
    )


def create(
    data_dir: str | os.PathLike[str] | None, passphrase: str | None
) -> tuple[Session, str, str]:
    """A new vault: its session, the primary method and the recovery code (shown once).

    Without ``passphrase`` the key goes to the OS keyring.  An existing vault
    is never overwritten; a failure leaves no half-made vault or keyring entry.
    """
    root = paths.resolve_data_dir(data_dir)
    db = paths.db_path(root)
    if db.exists() or db.with_name(db.name + "-wal").exists():
        raise VaultExistsError(
            f"a vault already exists in {root}; it was not changed. "
            "Use `ombuds-desktop vault status` to inspect it."
        )
    if passphrase is not None:
        problem = keys.check_new_passphrase(passphrase)
        if problem:
            raise VaultError(problem)
    try:
        paths.ensure_private_dir(root)
        paths.ensure_private_dir(paths.blob_root(root))
    except OSError as exc:
        raise translate(exc, "creating the vault folder") from None
    vault_id = secrets.token_hex(16)
    vault_key = crypto.new_key()
    backend = None
    if passphrase is None:
        backend, reason = keys.usable_keyring()
        if backend is None:
            raise KeyringUnavailableError(
                f"{reason}; protect the vault with a passphrase instead (--passphrase-file FILE)"
            )
        try:
            primary = keys.keyring_wrap(vault_key, vault_id, backend)
        except keys.keyring_error() as exc:
            raise KeyringUnavailableError(
                f"{keys.describe_keyring_error(exc)}; unlock it, or protect the vault "
                "with a passphrase instead (--passphrase-file FILE)"
            ) from None
    else:
        primary = keys.passphrase_wrap(vault_key, passphrase, vault_id)
    code = keys.new_recovery_code()
    recovery = keys.recovery_wrap(vault_key, code, vault_id)
    try:
        store = Store(db, create=True)
    except (OSError, VaultError) as exc:
        if backend is not None:
            keys.delete_kek(backend, vault_id, primary.id)
        if isinstance(exc, OSError):
            raise translate(exc, "creating the vault") from None
        raise
    key_set = KeySet.derive(vault_key)
    try:
        now = keys.now_iso()
        with store.write("creating the vault") as c:
            c.executemany(
                "INSERT INTO meta (key, value) VALUES (?, ?)",
                [
                    ("vault_id", vault_id),
                    ("created", now),
                    ("format", f"ombuds-vault/{crypto.FORMAT_VERSION}"),
                    (freshness.META_FLAG, "1"),
                ],
            )
            for wrap in (primary, recovery):
                keys.insert_wrap(c, wrap)
            audit.append(c, key_set.audit, "create", None, now)
    except BaseException:
        store.close()
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                os.unlink(db.with_name(db.name + suffix))
        if backend is not None:
            keys.delete_kek(backend, vault_id, primary.id)
        raise
    store.tighten()
    return Session(root, store, vault_id, key_set), primary.method, code


def open_store(
    data_dir: str | os.PathLike[str] | None, read_only: bool
) -> tuple[Path, Store, str, list[keys.KeyWrap]]:
    """The database of an existing vault, its id and its key records (no key yet)."""
    root = paths.resolve_data_dir(data_dir)
    db = paths.db_path(root)
    if not db.exists():
        raise VaultNotFoundError(
            f"there is no vault in {root}; create one with "
            "`ombuds-desktop vault init`, or pass the right --data-dir"
        )
    store = Store(db, read_only=read_only)
    try:
        with store.read() as c:
            vault_id = c.execute("SELECT value FROM meta WHERE key='vault_id'").fetchone()
            wraps = keys.load_wraps(c)
    except BaseException:
        store.close()
        raise
    if vault_id is None or not wraps:
        store.close()
        raise CorruptVaultError(
            "the vault database has no key records; it was damaged. "
            "Restore the data folder from a backup."
        )
    return root, store, vault_id[0], wraps


def open_session(
    data_dir: str | os.PathLike[str] | None,
    passphrase: str | None,
    *,
    read_only: bool,
    busy_timeout_ms: int | None,
) -> tuple[Session, str]:
    """Unlock with the keyring or the passphrase; never creates a key."""
    root, store, vault_id, wraps = open_store(data_dir, read_only)
    try:
        if busy_timeout_ms is not None:
            store.run(f"PRAGMA busy_timeout={int(busy_timeout_ms)}", "opening the vault")
        vault_key, method = unlock(store, vault_id, wraps, passphrase)
    except BaseException:
        store.close()
        raise
    return Session(root, store, vault_id, KeySet.derive(vault_key)), method


def unlock(
    store: Store, vault_id: str, wraps: list[keys.KeyWrap], passphrase: str | None
) -> tuple[bytes, str]:
    by_method = {m: [w for w in wraps if w.method == m] for m in keys.METHODS}
    if passphrase is not None and by_method["passphrase"]:
        damage: str | None = None
        for wrap in by_method["passphrase"]:
            try:
                return keys.open_passphrase_wrap(wrap, passphrase, vault_id), "passphrase"
            except crypto.DecryptionError:
                continue
            except keys.KeyRecordDamagedError as exc:
                damage = str(exc)
        if damage is not None:
            raise key_record_damaged("passphrase", damage)
        park_failed_unlock(store)
        raise WrongPassphraseError(
            "the passphrase does not open this vault. Check it and "
            f"try again; if it is lost, {RECOVER_HINT}."
        )
    if by_method["keyring"]:
        backend, reason = keys.usable_keyring()
        if backend is None:
            raise KeyringUnavailableError(
                f"this vault's key is kept in the system keyring, but {reason}. Start Ombuds "
                f"Desktop in your desktop session, or {RECOVER_HINT}."
            )
        missing = True
        for wrap in by_method["keyring"]:
            try:
                kek = keys.load_kek(backend, vault_id, wrap.id)
            except keys.keyring_error() as exc:
                raise KeyringUnavailableError(
                    f"{keys.describe_keyring_error(exc)}, so the vault key cannot be read. "
                    f"Unlock the keyring (log in to your desktop) and try again, or "
                    f"{RECOVER_HINT}."
                ) from None
            except ValueError as exc:
                raise KeyMissingError(f"{exc}; {RECOVER_HINT}.") from None
            if kek is None:
                continue
            missing = False
            try:
                return keys.unwrap_vault_key(wrap, kek, vault_id), "keyring"
            except crypto.DecryptionError:
                continue
            except keys.KeyRecordDamagedError as exc:
                raise key_record_damaged("keyring", str(exc)) from None
        park_failed_unlock(store)
        if missing:
            raise KeyMissingError(
                "the key for this vault is not in the system keyring; run `ombuds-desktop "
                "vault recover --recovery-code-file FILE` (or use your passphrase)"
            )
        raise KeyMissingError(
            "the key in the system keyring does not open this vault (the "
            f"entry was replaced or the key record altered); {RECOVER_HINT}."
        )
    if by_method["passphrase"]:
        raise PassphraseRequiredError(
            "this vault is protected by a passphrase; give it (--passphrase-file FILE)"
        )
    raise KeyMissingError(f"this vault has no keyring or passphrase key; {RECOVER_HINT}.")


def park_failed_unlock(store: Store) -> None:
    if store.read_only:
        return
    with contextlib.suppress(VaultError), store.write("recording a failed unlock") as c:
        audit.park_failed_unlock(c, keys.now_iso())
    freshness.bump_parked(store.path.parent)  # counted outside the database too


def recover_session(data_dir: str | os.PathLike[str] | None, recovery_code: str) -> Session:
    """Unlock with the recovery code (the caller then protects the key again)."""
    try:
        keys.parse_recovery_code(recovery_code)
    except keys.RecoveryCodeFormatError as exc:
        raise RecoveryCodeError(str(exc)) from None
    root, store, vault_id, wraps = open_store(data_dir, False)
    try:
        vault_key = None
        damage: str | None = None
        for wrap in (w for w in wraps if w.method == "recovery"):
            try:
                vault_key = keys.open_recovery_wrap(wrap, recovery_code, vault_id)
                break
            except crypto.DecryptionError:
                continue
            except keys.KeyRecordDamagedError as exc:
                damage = str(exc)
        if vault_key is None and damage is not None:
            raise key_record_damaged("recovery", damage)
        if vault_key is None:
            park_failed_unlock(store)
            raise RecoveryCodeError(
                "this recovery code does not open this vault (it is a "
                "valid code, so it probably belongs to another vault)"
            )
    except BaseException:
        store.close()
        raise
    return Session(root, store, vault_id, KeySet.derive(vault_key))
