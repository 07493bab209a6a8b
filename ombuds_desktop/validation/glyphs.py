"""Characters no packet font can print: named per field before the build, not found on paper.

The packet prints names, answers and document descriptions with the app's
Noto fonts (``printed/fonts.py``): Latin, Greek, Cyrillic, Arabic, Hebrew,
Devanagari, Chinese, Japanese, Korean and a few more scripts.  A character
outside all of them (an emoji, a rare ideograph) would print as an empty box,
so ``validate`` says which field holds it and which characters they are.
Pure: the same fonts decide as in the packet; nothing is written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from ombuds_desktop.draft.model import Draft
from ombuds_desktop.formdef.model import FormDefinition
from ombuds_desktop.validation.findings import Finding

CODE = "unprintable-characters"

#: Blocks Noto Sans covers completely (a test keeps this true): text made only of them needs
#: no font loaded, so validating an ordinary draft does not import reportlab.
QUICK_RANGES = (
    (0x0000, 0x03E2),  # Latin, IPA, combining diacritics, Greek up to the Coptic letters
    (0x03F0, 0x0530),  # rest of Greek, Cyrillic and its supplement
    (0x1E00, 0x2000),  # Latin Extended Additional (Vietnamese), Greek Extended
    (0x2010, 0x2028),  # dashes, quotes, bullets
    (0x2030, 0x205F),  # per mille, primes, other punctuation
    (0x20A0, 0x20C0),  # currency signs
)


#: A character outside every quick range (one C-level scan instead of a Python loop per
#: character: this runs on every field at every save, for the drafts list's status).
_OUTSIDE_QUICK = re.compile(
    "[^" + "".join(f"\\U{a:08x}-\\U{b - 1:08x}" for a, b in QUICK_RANGES) + "]"
)


def _quick(text: str) -> bool:
    """True when every character of ``text`` lies in :data:`QUICK_RANGES`."""
    return text.isascii() or _OUTSIDE_QUICK.search(text) is None


def _unprintable(text: str) -> list[str]:
    if _quick(text):
        return []
    # Imported here: loading the fonts module pulls in reportlab and HarfBuzz, and most
    # drafts never need it.
    from ombuds_desktop.printed.fonts import unprintable

    return unprintable(text)


def _message(what: str, chars: list[str]) -> str:
    return (
        f"{what} contains characters that cannot be printed: {', '.join(chars)}. "
        "They would print as blanks; replace them or spell them out."
    )


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """(path, text) for every string inside a field value (name parts, address parts, rows)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, Mapping):
        for key in sorted(value):
            yield from _strings(value[key], f"{path}.{key}")
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            yield from _strings(item, f"{path}[{i}]")


def _label(definition: FormDefinition, field_id: str, path: str) -> str:
    if not definition.has_field(field_id):
        return path
    f = definition.field(field_id)
    rest = path[len(field_id) :]
    if rest.startswith("[") and "]." in rest:  # a row's column: "Filings, row 2: Receipt"
        row = int(rest[1 : rest.index("]")])
        sub = f.subfield(rest[rest.index("].") + 2 :].split(".")[0])
        return f"{f.label}, row {row + 1}" + (f": {sub.label}" if sub else "")
    if rest.startswith("."):  # a part of a name or an address: "Full name, family"
        return f"{f.label}, {rest[1:]}"
    return f.label


def unprintable_findings(draft: Draft, definition: FormDefinition) -> Iterator[Finding]:
    """A warning for each field or document description with characters no font has."""
    sections = {s.id for s in definition.sections}
    for field_id in sorted(draft.values):
        section = field_id.split(".")[0]
        for path, text in _strings(draft.values[field_id], field_id):
            chars = _unprintable(text)
            if chars:
                yield Finding(
                    section if section in sections else "app",
                    path,
                    "warning",
                    CODE,
                    _message(_label(definition, field_id, path), chars),
                )
    for i, att in enumerate(draft.attachments):
        chars = _unprintable(att.description)
        if chars:
            yield Finding(
                "s8",
                f"s8.documents[{i}].description",
                "warning",
                CODE,
                _message(f'The description of attachment {i + 1} ("{att.description}")', chars),
            )
