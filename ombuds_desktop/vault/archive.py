"""Portable, passphrase-protected export of one draft or a family group, with attachments.

File layout::

    b"OMBUDS-ARCHIVE/1\\n"  (17 bytes, plaintext, identifies the file)
    4-byte big-endian length + JSON header: scrypt parameters and salt, archive id
    an encrypted stream (see :mod:`.crypto`) whose id binds the header's SHA-256

The decrypted stream is a tar file: ``manifest.json`` (the drafts as
interchange documents, attachment paths ``attachments/<n>``) followed by the
attachment files.  It is written and read in one pass with only one chunk in
memory, so a family with hundreds of megabytes of evidence exports fine.  Tar
member names are numbers; client names and original file names appear only
inside the encrypted manifest.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import json
import os
import secrets
import struct
import tarfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, BinaryIO, Protocol

from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from ombuds_desktop.draft.interchange import DraftFormatError, draft_from_dict, draft_to_dict
from ombuds_desktop.draft.model import Draft, new_id
from ombuds_desktop.vault import crypto, intake, keys, paths
from ombuds_desktop.vault.errors import ArchiveError, VaultError
from ombuds_desktop.vault.records import StoredAttachment, blob_id_of
from ombuds_desktop.vault.store import translate

Progress = Callable[[int], None]


class ArchiveHost(Protocol):
    """What archives need from the vault: its public operations only (no private members).

    :class:`~.vault.Vault` satisfies it; this module never imports the vault,
    so there is no import cycle.
    """

    def load_draft(self, draft_id: str, revision: int | None = None) -> Draft: ...
    def attachment_info(self, blob_id: str) -> StoredAttachment: ...
    def open_attachment(self, blob_id: str) -> BinaryIO: ...
    def record_event(self, event: str, draft_id: str | None = None) -> None: ...
    def store_attachment(
        self,
        draft_id: str,
        source: IO[bytes],
        *,
        original_name: str | None = None,
        progress: Progress | None = None,
    ) -> StoredAttachment: ...
    def taken_ids(self, draft_ids: list[str]) -> set[str]: ...
    def archive_seen(self, archive_id: str) -> list[str] | None: ...
    def save_imported(self, drafts: list[Draft], archive_id: str | None) -> None: ...
    def discard_unsaved(self, draft_id: str) -> None: ...


MAGIC = b"OMBUDS-ARCHIVE/1\n"
MANIFEST = "manifest.json"
MAX_HEADER = 64 * 1024
MAX_MANIFEST = 64 * 1024 * 1024
ARCHIVE_FORMAT = "ombuds-archive/1"


def is_archive(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


def _archive_key(passphrase: str, params: Any, name: str = "the archive") -> bytes:
    """The archive key; the settings are bounded *before* scrypt runs (n, r, p, memory)."""
    try:
        n, r, p, salt = keys.checked_scrypt_params(params)
    except ValueError as exc:
        raise ArchiveError(
            f"{name}: the archive header is damaged or was crafted ({exc}); nothing was imported"
        ) from None
    kek = Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(keys.normalize_passphrase(passphrase))
    return crypto.derive_key(kek, "archive")


def check_archive_passphrase(passphrase: str, vault_passphrase: str | None) -> None:
    """An archive travels: it needs its own passphrase, never the vault's."""
    problem = keys.check_new_passphrase(passphrase)
    if problem:
        raise VaultError(f"archive passphrase: {problem}")
    if vault_passphrase is not None and keys.normalize_passphrase(
        passphrase
    ) == keys.normalize_passphrase(vault_passphrase):
        raise VaultError(
            "the archive passphrase must differ from the vault passphrase: whoever receives "
            "the archive could otherwise attack the vault passphrase offline"
        )


def export_drafts(
    vault: ArchiveHost,
    draft_ids: list[str],
    dest: Path,
    passphrase: str,
    *,
    progress: Progress | None = None,
    vault_passphrase: str | None = None,
) -> Path:
    """Write the drafts and their attachments to ``dest`` (via a temporary file and rename)."""
    check_archive_passphrase(passphrase, vault_passphrase)
    drafts = [vault.load_draft(d) for d in draft_ids]

    files: list[tuple[str, str]] = []  # (member name, blob id)
    docs = []
    for draft in drafts:
        doc = draft_to_dict(draft)
        for att_doc, att in zip(doc["attachments"], draft.attachments, strict=True):
            blob_id = blob_id_of(att)
            if blob_id is None:
                continue
            info = vault.attachment_info(blob_id)
            member = f"attachments/{len(files) + 1}"
            files.append((member, blob_id))
            att_doc["path"] = member
            att_doc["sha256"] = info.sha256
            att_doc["original_name"] = att.original_name or info.original_name
        docs.append(doc)
    manifest = json.dumps(
        {"format": ARCHIVE_FORMAT, "created": keys.now_iso(), "drafts": docs}, ensure_ascii=False
    ).encode("utf-8")
    params = {
        "kdf": "scrypt",
        **keys.PASSPHRASE_SCRYPT,
        "salt": base64.b64encode(os.urandom(16)).decode(),
    }
    header = json.dumps(
        {"archive_id": secrets.token_hex(16), "scrypt": params}, sort_keys=True
    ).encode()
    key = _archive_key(passphrase, params)
    stream_id = hashlib.sha256(header).hexdigest()
    tmp = dest.with_name(f".{dest.name}.{secrets.token_hex(4)}.part")
    try:
        with os.fdopen(paths.create_private_file(tmp), "wb") as out:
            out.write(MAGIC + struct.pack(">I", len(header)) + header)
            writer = crypto.EncryptingWriter(key, stream_id, out)
            buffered = io.BufferedWriter(writer, buffer_size=crypto.CHUNK_SIZE)
            with tarfile.open(fileobj=buffered, mode="w|", format=tarfile.PAX_FORMAT) as tar:
                _add_bytes(tar, MANIFEST, manifest)
                for member, blob_id in files:
                    info = vault.attachment_info(blob_id)
                    tinfo = tarfile.TarInfo(member)
                    tinfo.size = info.size
                    tinfo.mode = 0o600
                    with vault.open_attachment(blob_id) as src:
                        tar.addfile(tinfo, src)
                    if progress is not None:
                        progress(info.size)
            buffered.flush()
            writer.close()
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, dest)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise translate(exc, "writing the archive") from None
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    for draft in drafts:
        with contextlib.suppress(VaultError):  # a read-only (rescue) export still succeeds
            vault.record_event("export", draft.id)
    return dest


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


def _open_stream(
    src: Path, passphrase: str
) -> tuple[BinaryIO, io.BufferedReader[crypto.DecryptingReader], str]:
    try:
        fh = open(src, "rb")  # noqa: SIM115 - returned to the caller
    except FileNotFoundError:
        raise ArchiveError(f"{src}: no such file") from None
    except OSError as exc:
        raise ArchiveError(f"{src}: cannot be read ({exc.strerror})") from None
    try:
        if fh.read(len(MAGIC)) != MAGIC:
            raise ArchiveError(f"{src.name} is not an Ombuds Desktop archive")
        raw_len = fh.read(4)
        if len(raw_len) != 4 or struct.unpack(">I", raw_len)[0] > MAX_HEADER:
            raise ArchiveError(f"{src.name}: the archive header is damaged")
        header = fh.read(struct.unpack(">I", raw_len)[0])
        try:
            parsed = json.loads(header)
            params = parsed["scrypt"]
            archive_id = parsed.get("archive_id")
            if not isinstance(archive_id, str) or not archive_id.isalnum():
                raise ValueError
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
            raise ArchiveError(f"{src.name}: the archive header is damaged") from None
        key = _archive_key(passphrase, params, src.name)

        def damaged(detail: str) -> Exception:
            return ArchiveError(
                f"{src.name}: the passphrase is wrong, or the archive was "
                f"modified or cut short ({detail})"
            )

        reader = crypto.DecryptingReader(
            key, hashlib.sha256(header).hexdigest(), fh, close_source=False, error_factory=damaged
        )
        buffered = io.BufferedReader(reader, buffer_size=crypto.CHUNK_SIZE)
        buffered.peek(1)  # authenticates the first chunk: a wrong passphrase fails here
        return fh, buffered, archive_id
    except BaseException:
        fh.close()
        raise


class ArchiveAlreadyImportedError(ArchiveError):
    """This vault imported the same archive before; ``draft_ids`` are the drafts it made."""

    def __init__(self, message: str, draft_ids: list[str]) -> None:
        super().__init__(message)
        self.draft_ids = draft_ids


def import_drafts(
    vault: ArchiveHost,
    src: Path,
    passphrase: str,
    *,
    progress: Progress | None = None,
    again: bool = False,
) -> list[Draft]:
    """Import every draft of an archive; returns them as stored (ids may be new).

    An archive this vault imported before is refused with
    :class:`ArchiveAlreadyImportedError` (naming the drafts it made) unless
    ``again`` asks for a second copy.
    """
    fh, stream, archive_id = _open_stream(src, passphrase)
    previous = vault.archive_seen(archive_id)
    if previous is not None and not again:
        fh.close()
        raise ArchiveAlreadyImportedError(
            f"{src.name} was already imported into this vault (as draft(s) "
            f"{', '.join(previous) or 'since purged'}); nothing was imported. To import a "
            "second copy anyway, use --again.",
            previous,
        )
    drafts: list[Draft] = []
    try:
        with tarfile.open(fileobj=stream, mode="r|") as tar:
            first = tar.next()
            if (
                first is None
                or first.name != MANIFEST
                or not first.isfile()
                or first.size > MAX_MANIFEST
            ):
                raise ArchiveError(f"{src.name}: the archive has no manifest; it is damaged")
            manifest_file = tar.extractfile(first)
            assert manifest_file is not None
            try:
                manifest = json.loads(manifest_file.read())
                if manifest.get("format") != ARCHIVE_FORMAT:
                    raise ArchiveError(
                        f"{src.name}: archive format {manifest.get('format')!r} is not supported"
                    )
                drafts = [draft_from_dict(doc) for doc in manifest["drafts"]]
                for draft in drafts:
                    intake.check_storable(draft)
            except (ValueError, KeyError, TypeError, DraftFormatError, RecursionError) as exc:
                raise ArchiveError(f"{src.name}: the manifest is not valid ({exc})") from None
            except VaultError as exc:
                raise ArchiveError(f"{src.name}: {exc}") from None
            _assign_ids(vault, drafts)
            wanted = {att.path: (draft, att) for draft in drafts for att in draft.attachments}
            for member in tar:
                if not member.isfile() or member.name not in wanted:
                    continue
                draft, att = wanted.pop(member.name)
                data = tar.extractfile(member)
                assert data is not None
                stored = vault.store_attachment(
                    draft.id,
                    data,
                    original_name=att.original_name or "attachment",
                    progress=progress,
                )
                if att.sha256 and att.sha256 != stored.sha256:
                    raise ArchiveError(f"{src.name}: an attachment does not match its checksum")
                att.path, att.sha256 = stored.ref, stored.sha256
            if wanted:
                raise ArchiveError(
                    f"{src.name}: {len(wanted)} attachment(s) are missing from "
                    "the archive; it was cut short"
                )
        vault.save_imported(drafts, archive_id)
    except tarfile.TarError as exc:
        _discard(vault, drafts)
        raise ArchiveError(f"{src.name}: the archive content is damaged ({exc})") from None
    except BaseException:
        _discard(vault, drafts)
        raise
    finally:
        fh.close()
    return drafts


def _assign_ids(vault: ArchiveHost, drafts: list[Draft]) -> None:
    """Keep ids unless the vault has them; then give new ids and a new family group."""
    if not vault.taken_ids([d.id for d in drafts]):
        return
    groups: dict[str, str] = {}
    for draft in drafts:
        draft.id = new_id()
        if draft.family_group:
            draft.family_group = groups.setdefault(draft.family_group, new_id())


def _discard(vault: ArchiveHost, drafts: list[Draft]) -> None:
    for draft in drafts:
        with contextlib.suppress(VaultError):
            vault.discard_unsaved(draft.id)
