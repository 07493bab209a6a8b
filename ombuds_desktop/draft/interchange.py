"""The versioned JSON interchange format of a draft, and its migrations.

Top-level keys (stable across versions): ``format_version``, ``form``,
``values``, ``attachments``, ``family_group``, ``status``.  Further keys:
``id``, ``representative_profile``, ``submission``, ``acknowledged``,
``last_section``, ``options``.  See ``forms/README.md`` for the full format.

Structural problems (not JSON, not an object, a newer format) raise
:class:`DraftFormatError`.  Problems with individual answers (a value of the
wrong type, an unknown field id) are left for validation to report, so that a
draft with one bad answer still loads and nothing the user typed is lost.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ombuds_desktop.draft.model import (
    STATUSES,
    SUBMISSION_METHODS,
    Attachment,
    Draft,
    Submission,
)

FORMAT_VERSION = 1
MAX_DRAFT_BYTES = 5 * 1024 * 1024  # a real draft is a few kilobytes

#: Migrations: ``MIGRATIONS[n]`` turns a version-n document into version n+1.
#: Version 1 is the first published format; later versions add a step here and
#: a test with a stored document of the older version.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


class DraftFormatError(ValueError):
    """The input is not a draft this version of the app can read."""


def _migrate(doc: dict[str, Any]) -> dict[str, Any]:
    version = doc.get("format_version")
    if version is None:
        raise DraftFormatError(
            "this file has no 'format_version'; it is not an Ombuds Desktop "
            "draft (expected a JSON object with format_version, form, values)"
        )
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise DraftFormatError(
            f"'format_version' must be a whole number from 1 to "
            f"{FORMAT_VERSION}; this file has {version!r}"
        )
    if version > FORMAT_VERSION:
        raise DraftFormatError(
            f"this draft uses format version {version}, made by a newer "
            f"Ombuds Desktop; this version reads up to {FORMAT_VERSION}. "
            "Update Ombuds Desktop to open it."
        )
    while version < FORMAT_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise DraftFormatError(
                f"no migration from format version {version}; update Ombuds Desktop"
            )
        doc = step(dict(doc))
        version += 1
        doc["format_version"] = version
    return doc


def _expect(value: Any, kind: type | tuple[type, ...], where: str, expected: str) -> Any:
    if (
        isinstance(value, bool)
        and kind is not bool
        and bool not in (kind if isinstance(kind, tuple) else (kind,))
    ):
        raise DraftFormatError(f"'{where}' must be {expected}, not true/false")
    if not isinstance(value, kind):
        raise DraftFormatError(f"'{where}' must be {expected}, not {_json_type(value)}")
    return value


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    return {
        bool: "true/false",
        int: "a number",
        float: "a number",
        str: "text",
        list: "a list",
        dict: "an object",
    }.get(type(value), type(value).__name__)


def _opt_str(doc: dict[str, Any], key: str, where: str) -> str | None:
    value = doc.get(key)
    if value is None:
        return None
    text: str = _expect(value, str, where, "text or null")
    return text


def draft_from_dict(doc: Any) -> Draft:
    """Build a :class:`Draft` from a parsed interchange document (migrating it first)."""
    _expect(doc, dict, "(top level)", "a JSON object")
    doc = _migrate(doc)
    form = _expect(doc.get("form"), (str, dict), "form", 'text like "dhs-7001/2022-11"')
    if isinstance(form, dict):  # {"id": ..., "edition": ...} is accepted too
        form = f"{form.get('id', '')}/{form.get('edition', '')}"
    if "/" not in form or not all(form.split("/", 1)):
        raise DraftFormatError(
            f"'form' must name a form and edition like \"dhs-7001/2022-11\"; got {form!r}"
        )
    values = _expect(doc.get("values", {}), dict, "values", "an object of field id to answer")
    status = doc.get("status", "draft")
    if status not in STATUSES:
        raise DraftFormatError(f"'status' must be one of {', '.join(STATUSES)}; got {status!r}")
    attachments = []
    for i, raw in enumerate(_expect(doc.get("attachments", []), list, "attachments", "a list")):
        where = f"attachments[{i}]"
        _expect(raw, dict, where, "an object")
        kwargs: dict[str, Any] = {
            "category": _expect(raw.get("category"), str, f"{where}.category", "text"),
            "description": _expect(raw.get("description", ""), str, f"{where}.description", "text"),
            "path": _expect(raw.get("path"), str, f"{where}.path", "a file path"),
            "date": _opt_str(raw, "date", f"{where}.date"),
            "foreign_language": bool(raw.get("foreign_language", False)),
            "translation_of": _opt_str(raw, "translation_of", f"{where}.translation_of"),
            "sha256": _opt_str(raw, "sha256", f"{where}.sha256"),
            "original_name": _opt_str(raw, "original_name", f"{where}.original_name"),
        }
        if raw.get("id") is not None:
            kwargs["id"] = _expect(raw["id"], str, f"{where}.id", "text")
        attachments.append(Attachment(**kwargs))
    submission = None
    if doc.get("submission") is not None:
        sub = _expect(doc["submission"], dict, "submission", "an object")
        method = sub.get("method")
        if method not in SUBMISSION_METHODS:
            raise DraftFormatError(
                f"'submission.method' must be one of "
                f"{', '.join(SUBMISSION_METHODS)}; got {method!r}"
            )
        submission = Submission(
            method,
            _expect(sub.get("date"), str, "submission.date", "a YYYY-MM-DD date"),
            _opt_str(sub, "request_number", "submission.request_number"),
        )
    acknowledged = _expect(doc.get("acknowledged", []), list, "acknowledged", "a list")
    draft = Draft(
        form=form,
        values=dict(values),
        attachments=attachments,
        family_group=_opt_str(doc, "family_group", "family_group"),
        status=status,
        representative_profile=_opt_str(doc, "representative_profile", "representative_profile"),
        submission=submission,
        acknowledged=[str(a) for a in acknowledged],
        last_section=_opt_str(doc, "last_section", "last_section"),
        options=dict(_expect(doc.get("options", {}), dict, "options", "an object")),
    )
    if doc.get("id") is not None:
        draft.id = _expect(doc["id"], str, "id", "text")
    return draft


def draft_to_dict(draft: Draft) -> dict[str, Any]:
    """The interchange document of a draft (always the current format version)."""
    return {
        "format_version": FORMAT_VERSION,
        "form": draft.form,
        "id": draft.id,
        "status": draft.status,
        "family_group": draft.family_group,
        "representative_profile": draft.representative_profile,
        "values": draft.values,
        "attachments": [a.to_dict() for a in draft.attachments],
        "submission": draft.submission.to_dict() if draft.submission else None,
        "acknowledged": list(draft.acknowledged),
        "last_section": draft.last_section,
        "options": draft.options,
    }


def dumps(draft: Draft) -> str:
    return json.dumps(draft_to_dict(draft), indent=2, ensure_ascii=False) + "\n"


def _check_size(size: int) -> None:
    if size > MAX_DRAFT_BYTES:
        raise DraftFormatError(
            f"this input is {size / 1048576:.1f} MB; a draft file is "
            f"normally a few kilobytes (limit "
            f"{MAX_DRAFT_BYTES // 1048576} MB). Is it the right file?"
        )


def loads(data: bytes | str) -> Draft:
    """Parse interchange JSON, refusing oversize, binary or malformed input clearly."""
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    _check_size(len(data))
    if not data.strip():
        raise DraftFormatError("the input is empty; expected a draft in JSON")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DraftFormatError(
            "the input is not text (it looks like a binary file); expected a draft in JSON"
        ) from None
    if "\x00" in text:
        raise DraftFormatError(
            "the input is not text (it contains NUL bytes); expected a draft in JSON"
        )
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DraftFormatError(
            f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from None
    except RecursionError:
        raise DraftFormatError("not a draft: the JSON is nested too deeply") from None
    return draft_from_dict(doc)


def read_draft_file(path: Path) -> Draft:
    """Load a draft from a file, with a clear message for every way that can fail."""
    try:
        size = path.stat().st_size
        _check_size(size)
        data = path.read_bytes()
    except FileNotFoundError:
        raise DraftFormatError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise DraftFormatError(f"{path}: is a folder, not a draft file") from None
    except PermissionError:
        raise DraftFormatError(f"{path}: permission denied") from None
    except OSError as exc:
        raise DraftFormatError(f"{path}: cannot be read ({exc.strerror})") from None
    try:
        return loads(data)
    except DraftFormatError as exc:
        raise DraftFormatError(f"{path.name}: {exc}") from None


def resolve_attachment_path(attachment: Attachment, base_dir: Path | None) -> Path:
    """The file behind an attachment; a relative path is relative to the draft file."""
    p = Path(attachment.path).expanduser()
    if not p.is_absolute() and base_dir is not None:
        p = base_dir / p
    return p
