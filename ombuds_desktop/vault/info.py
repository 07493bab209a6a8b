"""What ``vault status`` shows: counts and key protection, read without any key."""

from __future__ import annotations

import os

from ombuds_desktop.vault import keys, paths
from ombuds_desktop.vault.documents import scan_blob_folder
from ombuds_desktop.vault.records import VaultInfo
from ombuds_desktop.vault.store import Store


def vault_info(data_dir: str | os.PathLike[str] | None = None) -> VaultInfo:
    """Needs no key and reads no client data (the database is opened read-only)."""
    root = paths.resolve_data_dir(data_dir)
    db = paths.db_path(root)
    if not db.exists():
        return VaultInfo(str(root), False)
    store = Store(db, read_only=True)
    try:
        with store.read() as c:
            meta = dict(c.execute("SELECT key, value FROM meta"))
            methods = [m for (m,) in c.execute("SELECT method FROM key_wraps")]
            wrap_ids = [i for (i,) in c.execute("SELECT id FROM key_wraps WHERE method='keyring'")]
            live = c.execute(
                "SELECT count(*) FROM drafts WHERE revision>0 AND state='live'"
            ).fetchone()[0]
            trash = c.execute(
                "SELECT count(*) FROM drafts WHERE revision>0 AND state='trash'"
            ).fetchone()[0]
            blobs, blob_bytes = c.execute(
                "SELECT count(*), coalesce(sum(size),0) FROM blobs"
            ).fetchone()
            profiles = c.execute("SELECT count(*) FROM profiles").fetchone()[0]
            schema = c.execute("PRAGMA user_version").fetchone()[0]
            known = {b for (b,) in c.execute("SELECT id FROM blobs")}
            released = (
                {b for (b,) in c.execute("SELECT id FROM released_blobs")} if schema >= 2 else set()
            )
    finally:
        store.close()
    protection = next((m for m in keys.PRIMARY_METHODS if m in methods), None)
    backend, reason = keys.usable_keyring()
    note = None
    if protection == "keyring":
        if backend is None:
            note = f"keyring unavailable: {reason}"
        else:
            try:
                present = any(keys.load_kek(backend, meta.get("vault_id", ""), w) for w in wrap_ids)
                note = (
                    "key present in the keyring"
                    if present
                    else "key MISSING from the keyring: use the recovery code"
                )
            except (keys.keyring_error(), ValueError) as exc:
                note = f"keyring error: {keys.describe_keyring_error(exc)}"
    db_bytes = sum(p.stat().st_size for p in root.glob(paths.DB_NAME + "*") if p.is_file())
    return VaultInfo(
        data_dir=str(root),
        exists=True,
        vault_id=meta.get("vault_id"),
        protection=protection,
        recovery_code_set="recovery" in methods,
        drafts=live,
        in_trash=trash,
        attachments=blobs,
        profiles=profiles,
        created=meta.get("created"),
        schema_version=schema,
        database_bytes=db_bytes,
        attachment_bytes=blob_bytes,
        keyring_backend=reason if backend is not None else None,
        keyring_note=note,
        unknown_files=len(scan_blob_folder(root, known, released, 0).unknown_files),
    )
