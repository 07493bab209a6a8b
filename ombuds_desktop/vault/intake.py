"""What may enter the vault: the import boundary for attachment files and draft values.

A draft file received from someone else is untrusted input.  Its attachment
paths may name only regular files inside the draft file's own folder; anything
else (an absolute path, ``..`` out of the folder, ``~``, a symlink pointing
out, a device such as ``/dev/zero``, a FIFO, a file over the size limit) is
refused with the path named, unless the user explicitly allowed the folder it
is in (``drafts import FILE --allow-files-from DIR``; in the GUI a
confirmation that lists the files, built on :func:`check_attachment_paths`).
Devices, FIFOs and folders are never read, allowed or not.

Draft values are checked before anything is copied or encrypted: nesting
depth (a deep value made ``Draft.copy`` fail with ``RecursionError``), lone
surrogates (not encodable as UTF-8), NaN and Infinity (not JSON), and the
draft id (it names rows and appears in messages; ``../../etc`` or ``""`` is
refused).  No Qt and no form definition here: the CLI's ``validate``, the GUI
and the vault call the same functions.
"""

from __future__ import annotations

import math
import re
from typing import BinaryIO

# The path boundary lives in the draft layer (validate, packet and exports use it too).
from ombuds_desktop.draft import files
from ombuds_desktop.draft.files import (
    MAX_ATTACHMENT_BYTES as MAX_ATTACHMENT_BYTES,
)
from ombuds_desktop.draft.files import (
    AttachmentFileError as AttachmentFileError,
)
from ombuds_desktop.draft.files import (
    AttachmentProblem as AttachmentProblem,
)
from ombuds_desktop.draft.files import (
    check_attachment_path as check_attachment_path,
)
from ombuds_desktop.draft.files import (
    check_attachment_paths as check_attachment_paths,
)
from ombuds_desktop.draft.files import (
    describe as describe,
)
from ombuds_desktop.vault.errors import InvalidDraftError, VaultError

#: Deeper JSON than this is never a real draft (the form nests a few levels).
MAX_VALUE_DEPTH = 64
_DRAFT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")


def open_checked(real: str, max_bytes: int = MAX_ATTACHMENT_BYTES) -> BinaryIO:
    """:func:`ombuds_desktop.draft.files.open_checked`, failing as a :class:`VaultError`."""
    try:
        return files.open_checked(real, max_bytes)
    except AttachmentFileError as exc:
        raise VaultError(f"{exc}. Nothing was imported.") from None


# --------------------------------------------------------------------------- values


def check_draft_id(draft_id: object) -> None:
    """Draft ids name rows and show in messages: letters, digits, - and _ only."""
    if not isinstance(draft_id, str) or not _DRAFT_ID.match(draft_id):
        shown = repr(draft_id)[:60]
        raise InvalidDraftError(
            f"the draft id {shown} is not valid: use 1 to 64 letters, digits, '-' or '_' "
            "(the draft was not stored)"
        )


def _walk(value: object, where: str, depth: int) -> str | None:
    """The first problem in a JSON-like value, iteratively bounded by depth."""
    stack: list[tuple[object, str, int]] = [(value, where, depth)]
    while stack:
        item, path, level = stack.pop()
        if level > MAX_VALUE_DEPTH:
            return f"{path} is nested more than {MAX_VALUE_DEPTH} levels deep"
        if isinstance(item, str):
            if _has_surrogate(item):
                return f"{path} contains an invalid character (a lone UTF-16 surrogate)"
        elif isinstance(item, float):
            if not math.isfinite(item):
                return f"{path} is {item!r}, which is not a number a form can hold"
        elif isinstance(item, dict):
            for k, v in item.items():
                if isinstance(k, str) and _has_surrogate(k):
                    return f"a key in {path} contains an invalid character (a lone surrogate)"
                stack.append((v, f"{path}.{k}" if isinstance(k, str) else path, level + 1))
        elif isinstance(item, (list, tuple)):
            for i, v in enumerate(item):
                stack.append((v, f"{path}[{i}]", level + 1))
    return None


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def check_storable(draft: object) -> None:
    """Raise a one-line :class:`VaultError` if the draft cannot be stored faithfully."""
    check_draft_id(getattr(draft, "id", None))
    for name in ("values", "options", "acknowledged", "form", "family_group", "status"):
        problem = _walk(getattr(draft, name, None), name, 0)
        if problem:
            raise InvalidDraftError(
                f"the draft cannot be stored: {problem}. Correct it and try again."
            )
    for i, att in enumerate(getattr(draft, "attachments", ())):
        for name in ("category", "description", "path", "original_name", "date", "sha256"):
            problem = _walk(getattr(att, name, None), f"attachment {i + 1} {name}", 0)
            if problem:
                raise InvalidDraftError(
                    f"the draft cannot be stored: {problem}. Correct it and try again."
                )
