"""Answers as printed: dates mm/dd/yyyy, A-Numbers A123-456-789, option labels, names.

Formatting depends only on a field's *type* (from the edition file), never on
which field it is, so a new edition prints without Python changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ombuds_desktop.dates import format_us
from ombuds_desktop.draft import Draft, facts
from ombuds_desktop.formdef.conditions import field_shown, section_shown
from ombuds_desktop.formdef.model import (
    ADDRESS_PARTS,
    PERSON_NAME_PARTS,
    FieldDef,
    FormDefinition,
    Option,
)
from ombuds_desktop.geo import country_name
from ombuds_desktop.identifiers import format_a_number, normalize_a_number

__all__ = [
    "ADDRESS_PARTS",
    "PART_LABELS",
    "PERSON_NAME_PARTS",
    "address_lines",
    "display",
    "exhibit_label",
    "field_shown",
    "options_for",
    "section_shown",
    "short_id",
    "value_of",
]

#: Captions of the parts of composite answers (the same for every edition).
PART_LABELS = {
    "family": "Family name (last name)",
    "given": "Given name (first name)",
    "middle": "Middle name",
    "street": "Street number and name",
    "unit": "Apt., Ste. or Flr.",
    "city": "City or town",
    "state": "State or province",
    "postal_code": "ZIP or postal code",
    "country": "Country",
}


def short_id(draft: Draft) -> str:
    """The first 8 characters of the draft id: enough to find the draft, no client data."""
    return draft.id.replace("-", "")[:8]


def options_for(field: FieldDef, definition: FormDefinition) -> tuple[Option, ...]:
    """A mirrored field prints the options of the field it mirrors."""
    if field.mirror and not field.options and definition.has_field(field.mirror):
        return definition.field(field.mirror).options
    return field.options


def value_of(field: FieldDef, values: Mapping[str, Any]) -> Any:
    return values.get(field.mirror or field.id)


def country(code: Any) -> str:
    """The country's everyday name ("Venezuela", not "Venezuela, Bolivarian Republic of")."""
    if not code:
        return ""
    return country_name(code) or str(code)


def _option_label(options: tuple[Option, ...], option_id: Any) -> str:
    return next((o.label for o in options if o.id == option_id), str(option_id))


def display(field: FieldDef, value: Any, definition: FormDefinition | None = None) -> str:
    """One-line plain text of an answer, for tables, the copy sheet and letters."""
    if value is None or value == "" or value == []:
        return ""
    t = field.type
    options = options_for(field, definition) if definition else field.options
    if t == "date":
        return format_us(value)
    if t == "a_number":
        return a_number(value)
    if t == "yes_no":
        return {True: "Yes", False: "No"}.get(value, str(value))
    if t == "single_choice":
        return _option_label(options, value)
    if t == "multiple_choice":
        items = value if isinstance(value, list) else [value]
        return "; ".join(_option_label(options, v) for v in items)
    if t == "person_name":
        return facts.person_name(value, family_first=True)
    if t == "address":
        return ", ".join(address_lines(value))
    if t == "country":
        return country(value)
    if t == "group":
        return f"{len(value)} row(s)" if isinstance(value, list) else str(value)
    if isinstance(value, dict | list):
        return ", ".join(str(v) for v in (value.values() if isinstance(value, dict) else value))
    return str(value)


def a_number(value: Any) -> str:
    """A123-456-789, whether stored as 9 digits or hand-edited as "A123-456-789"."""
    return format_a_number(normalize_a_number(str(value))) if value else ""


def address_lines(value: Any) -> list[str]:
    """An address as it goes on an envelope (country only when outside the U.S.)."""
    if not isinstance(value, dict):
        return [str(value)] if value else []
    street = ", ".join(p for k in ("street", "unit") if (p := str(value.get(k) or "").strip()))
    city = str(value.get("city") or "").strip()
    region = " ".join(str(value.get(k) or "").strip() for k in ("state", "postal_code")).strip()
    town = ", ".join(p for p in (city, region) if p)
    lines = [p for p in (street, town) if p]
    code = str(value.get("country") or "").strip().upper()
    if code and code != "US":
        lines.append(country(code))
    return lines


def part_value(part: str, value: Any) -> str:
    """One part of a person name or address, as printed."""
    if not isinstance(value, dict):
        return ""
    raw = value.get(part)
    if part == "country":
        return country(raw)
    return str(raw or "").strip()


def exhibit_label(index: int, style: str) -> str:
    """0 -> "A" (or "1"); 26 -> "AA"."""
    if style == "numbers":
        return str(index + 1)
    label, n = "", index
    while True:
        label = chr(ord("A") + n % 26) + label
        n = n // 26 - 1
        if n < 0:
            return label
