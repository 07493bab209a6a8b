"""Documents (attachments): encrypted files under ``blobs/`` and their sealed records.

Each file has its own random key, kept in the document's record (``blobs.meta``)
sealed with the draft's key; files written before schema 2 use a key derived
from the draft key.  A file is deleted only after this vault recorded, in the
transaction that dropped its last reference, that it released it (a tombstone
in ``released_blobs``): never because it is old or unknown to the database at
hand (:func:`scan_blob_folder` only reports such files).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import secrets
import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any, BinaryIO

from ombuds_desktop.draft.model import Attachment, Draft
from ombuds_desktop.vault import audit, crypto, keys, padding, paths
from ombuds_desktop.vault.draftkeys import DraftKeys
from ombuds_desktop.vault.errors import (
    AttachmentMissingError,
    NotFoundError,
    TamperedDataError,
    VaultError,
    tampered,
)
from ombuds_desktop.vault.records import FileCheck, StoredAttachment, json_bytes
from ombuds_desktop.vault.store import AAD_VERSION, Session, translate

BLOB_ID = re.compile(r"^[0-9a-f]{32}$")

Progress = Callable[[int], None]


def _meta_aad(draft_id: str, blob_id: str) -> bytes:
    return crypto.record_aad("blob-meta", f"{draft_id}/{blob_id}", AAD_VERSION)


def release(c: sqlite3.Connection, blob_ids: Iterable[str], now: str) -> None:
    """Tombstone blobs in the transaction that drops their last reference."""
    c.executemany(
        "INSERT OR IGNORE INTO released_blobs (id, at) VALUES (?, ?)",
        [(b, now) for b in blob_ids],
    )


def ids_of_draft(c: sqlite3.Connection, draft_id: str) -> list[str]:
    return [b for (b,) in c.execute("SELECT id FROM blobs WHERE draft_id=?", (draft_id,))]


def rekey_records(c: sqlite3.Connection, draft_id: str, old: bytes, new: bytes) -> None:
    """Inside a key rotation: re-seal the draft's document records under its new key.

    A file keeps its key until its own re-encryption; a key derived from the
    old draft key (files from before schema 2) moves into the record.
    """
    for blob_id, body in c.execute(
        "SELECT id, meta FROM blobs WHERE draft_id=?", (draft_id,)
    ).fetchall():
        aad = _meta_aad(draft_id, blob_id)
        try:
            meta = json.loads(crypto.unseal(old, bytes(body), aad))
        except crypto.DecryptionError:
            raise tampered(f"the record of attachment {blob_id}", draft_id) from None
        meta.setdefault("fk", crypto.derive_key(old, "blob", blob_id).hex())
        c.execute(
            "UPDATE blobs SET meta=? WHERE id=?",
            (crypto.seal(new, padding.pad_record(json_bytes(meta)), aad), blob_id),
        )


class Documents:
    def __init__(self, session: Session, draft_keys: DraftKeys, trail: audit.AuditTrail) -> None:
        self._session = session
        self._draft_keys = draft_keys
        self._trail = trail

    def path(self, blob_id: str) -> Path:
        if not BLOB_ID.match(blob_id):
            raise NotFoundError(f"{blob_id!r} is not an attachment id of this vault")
        return paths.blob_root(self._session.data_dir) / blob_id[:2] / blob_id

    # ------------------------------------------------------------------ clean-up

    def remove_files(self, blob_ids: Iterable[str]) -> None:
        """Delete the files of blobs this vault released (tombstoned), then their tombstones.

        Only ids with a tombstone row in this database are touched: a file is
        never deleted because it is old or because this database does not know
        it (it may belong to a newer copy of the database, or to a vault whose
        database was moved aside).
        """
        s = self._session
        wanted = list(blob_ids)
        if not wanted or s.read_only or s.writes_blocked():
            return
        with s.lock:
            try:
                with s.read() as c:
                    released = {
                        b
                        for start in range(0, len(wanted), 500)
                        for (b,) in c.execute(
                            "SELECT id FROM released_blobs WHERE id IN "
                            f"({','.join('?' * len(wanted[start : start + 500]))})",
                            wanted[start : start + 500],
                        )
                    }
            except VaultError:
                return
            dirs = set()
            gone = []
            for blob_id in wanted:
                if blob_id not in released or not BLOB_ID.match(blob_id):
                    continue
                path = self.path(blob_id)
                try:
                    path.unlink()
                except FileNotFoundError:
                    pass
                except OSError:
                    continue  # retried at the next unlock
                dirs.add(path.parent)
                gone.append(blob_id)
            for d in dirs:
                with contextlib.suppress(OSError):
                    paths.fsync_dir(d)
            if gone:
                with contextlib.suppress(VaultError), s.write("cleaning up") as c:
                    c.executemany("DELETE FROM released_blobs WHERE id=?", [(b,) for b in gone])

    def housekeeping(self) -> None:
        """At unlock: finish deleting the files of blobs this vault released (tombstones).

        Nothing is deleted by age or by absence from this database: an older
        copy of the database, or a new vault made beside an old ``blobs/``
        folder, must never destroy documents another database still needs.
        Unknown files are only reported, by :meth:`check_files`.
        """
        with self._session.read() as c:
            released = [b for (b,) in c.execute("SELECT id FROM released_blobs")]
        self.remove_files(released)

    def check_files(self) -> FileCheck:
        """Compare ``blobs/`` with the database: what is unknown, missing or unfinished.

        Reads only; nothing is deleted (see :meth:`housekeeping`).
        """
        s = self._session
        with s.lock:
            s.check_open()
            with s.read() as c:
                known = {b for (b,) in c.execute("SELECT id FROM blobs")}
                released = (
                    {b for (b,) in c.execute("SELECT id FROM released_blobs")}
                    if s.store.has_table("released_blobs")
                    else set()
                )
                pending = c.execute("SELECT count(*) FROM drafts WHERE revision=0").fetchone()[0]
        return scan_blob_folder(s.data_dir, known, released, pending)

    # ------------------------------------------------------------------ storing

    def store(
        self,
        draft_id: str,
        source: str | os.PathLike[str] | IO[bytes],
        *,
        original_name: str | None = None,
        progress: Progress | None = None,
    ) -> StoredAttachment:
        """Encrypt a file (streamed, 1 MiB at a time) into the vault for ``draft_id``.

        The draft need not be saved yet.  On any failure no partial file is left behind.
        """
        s = self._session
        with s.lock:
            s.check_open()
            key = self._draft_keys.ensure(draft_id)
        if isinstance(source, (str, os.PathLike)):
            src_path = Path(source)
            name = original_name if original_name is not None else src_path.name
            try:
                fh: IO[bytes] = open(src_path, "rb")  # noqa: SIM115 - closed below
            except FileNotFoundError:
                raise NotFoundError(f"attachment file not found: {src_path}") from None
            except IsADirectoryError:
                raise VaultError(f"{src_path} is a folder, not a file") from None
            except OSError as exc:
                raise VaultError(f"cannot read {src_path}: {exc.strerror}") from None
            close_src = True
        else:
            fh, name, close_src = source, original_name or "attachment", False
        blob_id = secrets.token_hex(16)
        final = self.path(blob_id)
        tmp = final.with_name(f".{blob_id}.tmp")
        file_key = crypto.new_key()  # its own key, kept in the encrypted record (see rotation)
        try:
            try:
                paths.ensure_private_dir(paths.blob_root(s.data_dir))
                paths.ensure_private_dir(final.parent)
                fd = paths.create_private_file(tmp)
                padded = padding.PaddedSource(fh)
                with open(fd, "wb", buffering=0) as out:  # whole records: no extra copy
                    crypto.encrypt_stream(
                        file_key, f"{draft_id}/{blob_id}", padded, out, progress=progress
                    )
                    out.flush()
                    os.fsync(out.fileno())
                os.replace(tmp, final)
                paths.fsync_dir(final.parent)
                size = final.stat().st_size
            except OSError as exc:
                raise translate(exc, "storing the attachment") from None
            info = crypto.StreamInfo(padded.size, padded.sha256, 0)
            meta = json_bytes(
                {"name": name, "sha256": info.sha256, "size": info.size, "fk": file_key.hex()}
            )
            with s.lock, s.write("storing the attachment") as c:
                c.execute(
                    "INSERT INTO blobs (id, draft_id, size, created, meta) VALUES (?,?,?,?,?)",
                    (
                        blob_id,
                        draft_id,
                        size,
                        keys.now_iso(),
                        crypto.seal(key, padding.pad_record(meta), _meta_aad(draft_id, blob_id)),
                    ),
                )
                self._trail.append(c, "attachment-add", draft_id, keys.now_iso())
        except BaseException:
            for p in (tmp, final):
                with contextlib.suppress(OSError):
                    p.unlink()
            raise
        finally:
            if close_src:
                fh.close()
        return StoredAttachment(blob_id, draft_id, name, info.sha256, info.size)

    def attach_file(
        self,
        draft: Draft,
        path: str | os.PathLike[str],
        *,
        category: str,
        description: str = "",
        date: str | None = None,
        foreign_language: bool = False,
        translation_of: str | None = None,
        progress: Progress | None = None,
    ) -> Attachment:
        """Store a file and append the matching :class:`Attachment` to ``draft`` (not saved)."""
        stored = self.store(draft.id, path, progress=progress)
        att = Attachment(
            category=category,
            description=description,
            path=stored.ref,
            date=date,
            foreign_language=foreign_language,
            translation_of=translation_of,
            sha256=stored.sha256,
            original_name=stored.original_name,
        )
        draft.attachments.append(att)
        return att

    # ------------------------------------------------------------------ reading

    def _record(self, blob_id: str) -> tuple[StoredAttachment, list[bytes]]:
        """The document's record and the key(s) its file may be encrypted with.

        During a document re-encryption the previous key (``prev_fk``) is kept
        until the new file is in place, so a crash in between never strands a
        document.
        """
        s = self._session
        with s.lock:
            s.check_open()
            self.path(blob_id)
            with s.read() as c:
                row = c.execute(
                    "SELECT draft_id, meta FROM blobs WHERE id=?", (blob_id,)
                ).fetchone()
                if row is None:
                    raise NotFoundError(f"attachment {blob_id} is not in this vault")
                draft_id = row[0]
                key = self._draft_keys.get(c, draft_id)
            try:
                meta = json.loads(crypto.unseal(key, bytes(row[1]), _meta_aad(draft_id, blob_id)))
            except crypto.DecryptionError:
                raise tampered(f"the record of attachment {blob_id}", draft_id) from None
        file_keys = [
            bytes.fromhex(meta["fk"]) if meta.get("fk") else crypto.derive_key(key, "blob", blob_id)
        ]
        if meta.get("prev_fk"):
            file_keys.append(bytes.fromhex(meta["prev_fk"]))
        info = StoredAttachment(blob_id, draft_id, meta["name"], meta["sha256"], meta["size"])
        return info, file_keys

    def info(self, blob_id: str) -> StoredAttachment:
        return self._record(blob_id)[0]

    def _open(self, blob_id: str) -> tuple[StoredAttachment, padding.LimitedReader]:
        """An authenticated reader of the document's real bytes (padding cut off)."""
        info, file_keys = self._record(blob_id)
        draft_id = info.draft_id

        def damaged(_detail: str) -> Exception:
            return tampered(f"attachment {blob_id}", draft_id)

        for n, file_key in enumerate(file_keys):
            try:
                fh = open(self.path(blob_id), "rb")  # noqa: SIM115 - owned by the reader
            except FileNotFoundError:
                raise tampered(
                    f"attachment {blob_id} (its encrypted file is missing)",
                    draft_id,
                    AttachmentMissingError,
                ) from None
            except OSError as exc:
                raise translate(exc, "reading the attachment") from None
            try:
                raw = crypto.DecryptingReader(
                    file_key, f"{draft_id}/{blob_id}", fh, error_factory=damaged
                )
                first = bytearray(1)
                if info.size and raw.readinto(first) != 1:
                    raise damaged("empty")
            except TamperedDataError:
                fh.close()
                if n + 1 < len(file_keys):
                    continue
                raise
            except BaseException:
                fh.close()
                raise
            limited = padding.LimitedReader(
                _Prepend(bytes(first[: 1 if info.size else 0]), raw), info.size
            )
            return info, limited
        raise tampered(f"attachment {blob_id}", draft_id)

    def open(self, blob_id: str) -> BinaryIO:
        """A read-only binary stream of the decrypted document (close it when done).

        Each 1 MiB chunk is authenticated before it is returned; a damaged file
        raises :class:`TamperedDataError` from ``read``.
        """
        _info, limited = self._open(blob_id)
        return io.BufferedReader(limited, buffer_size=crypto.CHUNK_SIZE)

    def read(self, blob_id: str) -> bytes:
        """The whole decrypted document, checked against its SHA-256 (for small files)."""
        info, limited = self._open(blob_id)
        with io.BufferedReader(limited, buffer_size=crypto.CHUNK_SIZE) as fh:
            data = fh.read()
        if hashlib.sha256(data).hexdigest() != info.sha256:
            raise tampered(f"attachment {blob_id}", info.draft_id)
        return data

    def export(
        self, blob_id: str, dest: str | os.PathLike[str], *, progress: Progress | None = None
    ) -> Path:
        """Decrypt a document to ``dest``; renamed into place only once every check passed."""
        info, limited = self._open(blob_id)
        dest_path = Path(dest)
        tmp = dest_path.with_name(f".{dest_path.name}.{secrets.token_hex(4)}.part")
        try:
            digest = hashlib.sha256()
            done = 0
            with limited, os.fdopen(paths.create_private_file(tmp), "wb") as out:
                buf = bytearray(crypto.CHUNK_SIZE)
                while True:
                    n = limited.readinto(buf)
                    if not n:
                        break
                    chunk = memoryview(buf)[:n]
                    digest.update(chunk)
                    out.write(chunk)
                    done += n
                    if progress is not None:
                        progress(done)
                out.flush()
                os.fsync(out.fileno())
            if digest.hexdigest() != info.sha256:
                raise tampered(f"attachment {blob_id}", info.draft_id)
            os.replace(tmp, dest_path)
        except OSError as exc:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise translate(exc, "exporting the attachment") from None
        except BaseException:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
        return dest_path

    # ------------------------------------------------------------------ re-encryption

    def all_ids(self) -> list[str]:
        with self._session.read() as c:
            return [b for (b,) in c.execute("SELECT id FROM blobs ORDER BY id")]

    def _meta(self, c: sqlite3.Connection, blob_id: str) -> tuple[str, bytes, dict[str, Any]]:
        draft_id, body = c.execute(
            "SELECT draft_id, meta FROM blobs WHERE id=?", (blob_id,)
        ).fetchone()
        key = self._draft_keys.get(c, draft_id)
        try:
            return (
                draft_id,
                key,
                json.loads(crypto.unseal(key, bytes(body), _meta_aad(draft_id, blob_id))),
            )
        except crypto.DecryptionError:
            raise tampered(f"the record of attachment {blob_id}", draft_id) from None

    @staticmethod
    def _put_meta(
        c: sqlite3.Connection, blob_id: str, draft_id: str, key: bytes, meta: dict[str, Any]
    ) -> None:
        c.execute(
            "UPDATE blobs SET meta=? WHERE id=?",
            (
                crypto.seal(
                    key, padding.pad_record(json_bytes(meta)), _meta_aad(draft_id, blob_id)
                ),
                blob_id,
            ),
        )

    def _file_opens_with(self, blob_id: str, draft_id: str, file_key: bytes) -> bool:
        """Does the document file's first chunk authenticate under ``file_key``?"""
        try:
            with open(self.path(blob_id), "rb") as fh:
                reader = crypto.DecryptingReader(
                    file_key, f"{draft_id}/{blob_id}", fh, close_source=False
                )
                reader.read(1)
        except (crypto.DecryptionError, OSError):
            return False
        return True

    def reencrypt(self, blob_id: str, rotation_id: str) -> bool:
        """Re-encrypt one file under a new file key (crash-safe); False if already done.

        The new ciphertext is written beside the old one and synced; one
        transaction records the new key (keeping the previous one); the new
        file replaces the old; a second transaction drops the previous key.
        """
        s = self._session
        path = self.path(blob_id)
        nxt = path.with_name(f".{blob_id}.next")
        with s.read() as c:
            draft_id, key, meta = self._meta(c, blob_id)
        if meta.get("rot") == rotation_id:
            if meta.get("prev_fk"):  # crashed after the commit: finish the swap
                if nxt.exists():
                    os.replace(nxt, path)
                    paths.fsync_dir(path.parent)
                with s.write("re-encrypting a document") as c:
                    _d, key, meta = self._meta(c, blob_id)
                    if self._file_opens_with(blob_id, draft_id, bytes.fromhex(meta["fk"])):
                        meta.pop("prev_fk", None)
                    else:  # the new file never made it: back to the old key, redo later
                        meta["fk"] = meta.pop("prev_fk")
                        meta.pop("rot", None)
                    self._put_meta(c, blob_id, draft_id, key, meta)
                if "rot" not in meta:
                    return self.reencrypt(blob_id, rotation_id)
            return False
        with contextlib.suppress(FileNotFoundError):
            nxt.unlink()  # a half-written file of an interrupted run (this vault's own)
        info, limited = self._open(blob_id)
        new_fk = crypto.new_key()
        committed = False
        try:
            with limited, os.fdopen(paths.create_private_file(nxt), "wb", buffering=0) as out:
                padded = padding.PaddedSource(limited)  # type: ignore[arg-type]
                crypto.encrypt_stream(new_fk, f"{draft_id}/{blob_id}", padded, out)
                out.flush()
                os.fsync(out.fileno())
            if padded.sha256 != info.sha256:
                raise tampered(f"attachment {blob_id}", draft_id)
            with s.write("re-encrypting a document") as c:
                _d, key, meta = self._meta(c, blob_id)
                meta["prev_fk"] = meta.get("fk") or crypto.derive_key(key, "blob", blob_id).hex()
                meta["fk"], meta["rot"] = new_fk.hex(), rotation_id
                self._put_meta(c, blob_id, draft_id, key, meta)
            committed = True  # from here the new file must survive: resume will swap it in
            os.replace(nxt, path)
            paths.fsync_dir(path.parent)
        except BaseException as exc:
            if not committed:
                with contextlib.suppress(OSError):
                    nxt.unlink()
            if isinstance(exc, OSError):
                raise translate(exc, "re-encrypting a document") from None
            raise
        with s.write("re-encrypting a document") as c:
            _d, key, meta = self._meta(c, blob_id)
            meta.pop("prev_fk", None)
            self._put_meta(c, blob_id, draft_id, key, meta)
        return True


class _Prepend(io.RawIOBase):
    """Bytes already read (to authenticate the first chunk), then the rest of ``raw``."""

    def __init__(self, head: bytes, raw: io.RawIOBase) -> None:
        super().__init__()
        self._head = memoryview(head)
        self._raw = raw

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        return self._raw.readinto(buffer) or 0

    def close(self) -> None:
        if not self.closed:
            self._raw.close()
        super().close()


def scan_blob_folder(
    data_dir: Path, known: set[str], released: set[str], pending_drafts: int
) -> FileCheck:
    """Classify the files under ``blobs/`` without changing anything."""
    root = paths.blob_root(data_dir)
    unknown: list[str] = []
    unknown_bytes = 0
    present: set[str] = set()
    if root.is_dir():
        for sub in sorted(root.iterdir()):
            if not sub.is_dir():
                unknown.append(str(sub.relative_to(data_dir)))
                continue
            for entry in sorted(os.scandir(sub), key=lambda e: e.name):
                name = entry.name
                if name in known:
                    present.add(name)
                elif name not in released:
                    unknown.append(f"{paths.BLOB_DIR}/{sub.name}/{name}")
                    with contextlib.suppress(OSError):
                        unknown_bytes += entry.stat().st_size
    return FileCheck(
        unknown_files=tuple(unknown),
        unknown_bytes=unknown_bytes,
        missing=tuple(sorted(known - present)),
        released_pending=len(released),
        unsaved_drafts=pending_drafts,
    )
