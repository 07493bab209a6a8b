"""Where a draft's supporting documents come from, and what each one is.

One reader of stored documents serves the GUI and the CLI, so a document that
is missing or damaged in the vault is named the same way in both, as a
:class:`PacketInputError` the packet build collects with the others (every bad
document at once) and the user may leave out (``options.skip``).

:func:`inspect_document` is the one door to the packet's file inspection for
the screens that only describe a document (Section 8): kind, page count,
password lock, or the reason it cannot be used.  No Qt here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ombuds_desktop.draft import Attachment
from ombuds_desktop.packet.errors import PacketInputError
from ombuds_desktop.packet.options import PacketOptions

if TYPE_CHECKING:  # the vault loads its crypto lazily; only its type is needed here
    from ombuds_desktop.vault import Vault

ReadBytes = Callable[[Attachment], bytes]


def document_name(att: Attachment) -> str:
    """The name the user knows a stored document by: its file name, else its description."""
    return att.original_name or att.description or "a supporting document"


def vault_reader(vault: Vault) -> ReadBytes:
    """Read a vault draft's documents into memory; each failure names the document.

    Never writes decrypted bytes to disk.  Kinds: ``missing`` (its encrypted file
    or record is gone), ``damaged`` (failed its integrity check), ``unreadable``.
    """
    from ombuds_desktop.vault import (
        AttachmentMissingError,
        NotFoundError,
        TamperedDataError,
        VaultError,
        blob_id_of,
    )

    def read(att: Attachment) -> bytes:
        name = document_name(att)

        def fail(kind: str, message: str) -> PacketInputError:
            return PacketInputError(name, kind, message, attachment_id=att.id)

        blob = blob_id_of(att)
        if blob is None:
            raise fail("missing", "is not stored in the vault. Attach the document again.")
        try:
            return vault.read_attachment(blob)
        except (AttachmentMissingError, NotFoundError):
            raise fail(
                "missing",
                "is missing from the vault (its encrypted file was deleted or moved). "
                "Attach the document again, or restore the vault from a backup.",
            ) from None
        except TamperedDataError:
            raise fail(
                "damaged",
                "is damaged in the vault (its stored copy failed the integrity check). "
                "Attach the document again, or restore the vault from a backup.",
            ) from None
        except VaultError as exc:
            raise fail("unreadable", f"cannot be read from the vault ({exc})") from None
        except OSError as exc:
            raise fail("unreadable", f"cannot be read ({exc.strerror or exc})") from None

    return read


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """What Section 8 shows about one document."""

    kind: str  # pdf, jpeg, png, tiff, or the unsupported type
    pages: int  # 0 when unknown (locked or unusable)
    locked: bool  # a password-protected PDF
    problem: str | None  # why it cannot go into the packet, or None


def inspect_document(att: Attachment, data: bytes) -> DocumentInfo:
    """Kind, page count and lock of one document, through the packet's own inspection.

    The single place the UI calls the packet's file inspection: when the
    inspection moves (a shared ``exhibits`` API), only this function changes.
    """
    from ombuds_desktop.packet.exhibits import load_evidence, sniff

    kind = sniff(data[:4096])
    if kind in ("jpeg", "png", "tiff"):
        frames = _image_frames(data)
        if frames:  # a readable image: no need to prepare (downsample) it just to list it
            return DocumentInfo(kind, frames, False, None)
    try:
        ev = load_evidence(att, data, PacketOptions(), None)
    except PacketInputError as exc:
        if exc.kind == "password":
            return DocumentInfo(kind, 0, True, None)
        return DocumentInfo(kind, 0, False, str(exc))
    return DocumentInfo(ev.kind, ev.pages, False, None)


def _image_frames(data: bytes) -> int:
    """Pages of an image from its header (TIFFs may have several), 0 if unreadable."""
    from io import BytesIO

    from PIL import Image

    try:
        with Image.open(BytesIO(data)) as img:
            return int(getattr(img, "n_frames", 1) or 1)
    except Exception:  # the packet's own inspection then says what is wrong
        return 0


__all__ = [
    "DocumentInfo",
    "ReadBytes",
    "document_name",
    "inspect_document",
    "vault_reader",
]
