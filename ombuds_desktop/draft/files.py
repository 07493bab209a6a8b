"""Where a draft file's attachment files may be read from: the path boundary.

A draft file received from someone else is untrusted input.  Its attachment
paths may name only regular files inside the draft file's own folder; anything
else (an absolute path, ``..`` out of the folder, ``~``, a symlink pointing
out, a device such as ``/dev/zero``, a FIFO, a file over the size limit) is
refused with the path named, unless the user explicitly allowed the folder it
is in (``--allow-files-from DIR`` on ``drafts import``, ``validate``,
``packet`` and ``export``; in the GUI a confirmation that lists the files).
Devices, FIFOs and folders are never read, allowed or not.

Every reader of a draft file's attachments goes through here: the vault's
import, validation, the packet build and the exports.  Pure path checks: no
vault, no Qt, no form definition.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO


class AttachmentFileError(OSError):
    """A checked attachment file changed or could not be opened (one-line message)."""


#: A single attachment larger than this is refused (scans of evidence are far smaller).
MAX_ATTACHMENT_BYTES = 512 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class AttachmentProblem:
    """Why one attachment path of a draft file may not be read."""

    index: int  # 0-based position in draft.attachments
    path: str  # the path as written in the draft file
    reason: str
    kind: str  # "location" (allowable with --allow-files-from), "missing", "type", "size", "path"
    folder: str = ""  # for "location": the real folder the user would have to allow

    @property
    def allowable(self) -> bool:
        """True if naming its folder with --allow-files-from would allow it."""
        return self.kind == "location"

    @property
    def message(self) -> str:
        return f'attachment {self.index + 1} ("{self.path}"): {self.reason}'


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _resolve(raw: str, base_dir: Path | None) -> tuple[str | None, str | None]:
    """The real path an attachment names, or None and why it cannot be resolved."""
    if not raw or "\x00" in raw:
        return None, "the path is empty or contains a NUL character"
    p = Path(raw)
    if raw.startswith("~"):
        p = p.expanduser()
    if not p.is_absolute():
        if base_dir is None:
            return None, "a relative path cannot be found when the draft is read from stdin"
        p = Path(base_dir) / p
    try:
        return os.path.realpath(p), None
    except (OSError, ValueError) as exc:
        return None, f"the path cannot be resolved ({exc})"


def _location_reason(raw: str, real: str, base_real: str | None) -> str:
    if raw.startswith("~"):
        return "it points into a home folder (~), outside the draft file's folder"
    if os.path.isabs(raw):
        return "it is an absolute path, outside the draft file's folder"
    if ".." in Path(raw).parts:
        return "it leads out of the draft file's folder (..)"
    if base_real is not None and os.path.lexists(os.path.join(base_real, raw)):
        return "it is a symbolic link to a file outside the draft file's folder"
    return "it is outside the draft file's folder"


def _kind_reason(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "it is a folder, not a file"
    if stat.S_ISFIFO(mode):
        return "it is a named pipe (FIFO), not a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "it is a device, not a regular file"
    if stat.S_ISSOCK(mode):
        return "it is a socket, not a regular file"
    return "it is not a regular file"


def check_attachment_path(
    index: int,
    raw: str,
    base_dir: Path | None,
    allow: Sequence[str | os.PathLike[str]] = (),
    *,
    max_bytes: int = MAX_ATTACHMENT_BYTES,
) -> tuple[str | None, AttachmentProblem | None]:
    """The real path of one attachment file if it may be read, else the problem."""
    real, why = _resolve(raw, base_dir)
    if real is None:
        return None, AttachmentProblem(index, raw, why or "unreadable path", "path")
    base_real = os.path.realpath(base_dir) if base_dir is not None else None
    allowed = [os.path.realpath(Path(a).expanduser()) for a in allow]
    inside_base = base_real is not None and _inside(real, base_real)
    if not inside_base and not any(_inside(real, a) for a in allowed):
        reason = _location_reason(raw, real, base_real)
        hint = (
            f"; if you trust this draft, allow the folder with --allow-files-from "
            f"{os.path.dirname(real)}"
        )
        return None, AttachmentProblem(index, raw, reason + hint, "location", os.path.dirname(real))
    try:
        st = os.stat(real)  # stat never opens: a FIFO cannot hang here
    except FileNotFoundError:
        return None, AttachmentProblem(index, raw, "the file was not found", "missing")
    except OSError as exc:
        return None, AttachmentProblem(index, raw, f"cannot be read ({exc.strerror})", "missing")
    kind = _kind_reason(st.st_mode)
    if kind is not None:
        return None, AttachmentProblem(index, raw, kind, "type")
    if st.st_size > max_bytes:
        return None, AttachmentProblem(
            index,
            raw,
            f"it is {st.st_size / 1048576:.0f} MB, over the limit of "
            f"{max_bytes / 1048576:.0f} MB for one attachment",
            "size",
        )
    return real, None


def check_attachment_paths(
    draft: object,
    base_dir: str | os.PathLike[str] | None,
    allow: Sequence[str | os.PathLike[str]] = (),
    *,
    max_bytes: int = MAX_ATTACHMENT_BYTES,
) -> list[AttachmentProblem]:
    """Every attachment of ``draft`` that may not be read, with the reason (empty: all fine).

    ``base_dir`` is the draft file's folder; ``allow`` lists further folders
    the user explicitly trusts.  Vault references (``vault:<id>``) are not
    files and are skipped.  Nothing is opened.
    """
    base = Path(base_dir) if base_dir is not None else None
    problems = []
    for i, att in enumerate(getattr(draft, "attachments", ())):
        raw = str(getattr(att, "path", ""))
        if raw.startswith("vault:"):
            continue
        _real, problem = check_attachment_path(i, raw, base, allow, max_bytes=max_bytes)
        if problem is not None:
            problems.append(problem)
    return problems


def open_checked(real: str, max_bytes: int = MAX_ATTACHMENT_BYTES) -> BinaryIO:
    """Open a path :func:`check_attachment_path` accepted, re-checking on the open file.

    ``O_NONBLOCK`` so a file swapped for a FIFO after the check cannot hang,
    ``O_NOFOLLOW`` so it cannot be swapped for a symlink; then ``fstat``
    confirms a regular file within the limit before a byte is read.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    flags |= getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(real, flags)
    except OSError as exc:
        raise AttachmentFileError(f"{real}: cannot be read ({exc.strerror})") from None
    try:
        st = os.fstat(fd)
        kind = _kind_reason(st.st_mode)
        if kind is not None or st.st_size > max_bytes:
            raise AttachmentFileError(
                f"{real}: {kind or 'it is over the size limit'}; it changed after it was checked"
            )
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def describe(problems: Iterable[AttachmentProblem]) -> str:
    """One line naming every refused path."""
    return "; ".join(p.message for p in problems)
