"""Shared plumbing of the command line: errors, input reading, JSON output.

Every command raises :class:`CliError` for a problem the user can fix; ``main``
prints it as one line on stderr and exits with its code.  Nothing a user does
should ever produce a traceback.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from ombuds_desktop.draft import Draft, DraftFormatError, loads, read_draft_file
from ombuds_desktop.draft.interchange import MAX_DRAFT_BYTES
from ombuds_desktop.formdef import FormDefinition, FormDefinitionError, load_form_key

EXIT_OK = 0
EXIT_FINDINGS = 1  # validation found errors
EXIT_INPUT = 2  # unreadable or malformed input, bad usage


class CliError(Exception):
    def __init__(self, message: str, code: int = EXIT_INPUT) -> None:
        super().__init__(message)
        self.code = code


def read_draft_arg(arg: str) -> tuple[Draft, Path | None]:
    """Read a draft from a path or ``-`` (stdin), with the folder its paths are relative to."""
    try:
        if arg == "-":
            # Standard input has no folder, so relative attachment paths cannot be
            # checked; the file-exists check is skipped (base None).
            data = sys.stdin.buffer.read(MAX_DRAFT_BYTES + 1)
            return loads(data), None
        path = Path(arg)
        return read_draft_file(path), path.resolve().parent
    except DraftFormatError as exc:
        raise CliError(str(exc)) from None


def definition_for(form_key: str) -> FormDefinition:
    """The edition a draft names, or a one-line error saying why it cannot be used."""
    try:
        return load_form_key(form_key)
    except FormDefinitionError as exc:
        raise CliError(
            f"cannot use the form edition this draft names ({form_key}): {exc.problem}"
        ) from None


def date_option(raw: str | None, flag: str) -> date | None:
    if raw is None:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise CliError(f"{flag} must be a YYYY-MM-DD date, not {raw!r}") from None


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
