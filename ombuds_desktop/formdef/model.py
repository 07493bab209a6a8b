"""Typed objects for a form edition, as read from ``forms/<form>/<edition>.toml``.

These objects are the only way the rest of the app learns what the form
contains.  They are immutable: a loaded edition is shared by validation, the
wizard and the PDF renderer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

FIELD_TYPES = frozenset(
    {
        "text",
        "long_text",
        "date",
        "single_choice",
        "multiple_choice",
        "yes_no",
        "person_name",
        "organisation_name",
        "address",
        "phone",
        "email",
        "country",
        "us_state",
        "receipt_number",
        "a_number",
        "uscis_account",
        "srmt_number",
        "group",
        "attachments",
        "signature",
    }
)

PROVENANCES = ("official", "secondary", "reconstructed")

#: Field types whose value is free text (a ``max_length`` applies to them).
TEXT_TYPES = frozenset({"text", "long_text", "organisation_name", "srmt_number"})

#: Field types that hold no value in the draft (printed only).
VALUELESS_TYPES = frozenset({"signature"})

#: Sub-parts of composite values, in print order.
PERSON_NAME_PARTS = ("family", "given", "middle")
ADDRESS_PARTS = ("street", "unit", "city", "state", "postal_code", "country")


@dataclass(frozen=True, slots=True)
class Condition:
    """A boolean test on draft values; see the syntax note in the edition file."""

    op: str  # equals | in | includes | includes_any | filled | all | any | not
    field: str | None = None
    value: Any = None
    children: tuple[Condition, ...] = ()

    def field_refs(self) -> Iterator[str]:
        if self.field is not None:
            yield self.field
        for child in self.children:
            yield from child.field_refs()


@dataclass(frozen=True, slots=True)
class Option:
    id: str
    label: str


@dataclass(frozen=True, slots=True)
class FieldDef:
    id: str  # full id ("s5.name") or, inside a group, the row-local id ("receipt_number")
    type: str
    label: str
    help: str = ""
    required: bool = False
    required_if: Condition | None = None
    shown_if: Condition | None = None
    options: tuple[Option, ...] = ()
    options_provenance: str | None = None
    exclusive_option: str | None = None
    suggestions: tuple[str, ...] = ()
    max_length: int | None = None
    min_rows: int = 0
    max_rows: int | None = None
    row_label: str = ""  # what one row of a group is called ("Filing"): "Filing 2"
    fields: tuple[FieldDef, ...] = ()  # sub-fields of a group
    not_future: bool = False
    printed: bool = True
    family_shared: bool = False
    mirror: str | None = None
    provenance: str | None = None
    pdf_lines: int | None = None
    pdf_rows: int | None = None
    pdf_columns: tuple[str, ...] = ()
    #: The item number printed before the label ("4"), so readers can say "Section 2, Item 4";
    #: the edition's ``item`` or, without one, the field's place among its section's printed fields.
    item: str = ""
    #: Who signs a signature line, by the answer of another field: (field id, ((option, label), …)).
    label_by: tuple[str, tuple[tuple[str, str], ...]] | None = None

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)

    def option_label(self, option_id: str) -> str:
        opt = self.option(option_id)
        return opt.label if opt else str(option_id)

    def subfield(self, sub_id: str) -> FieldDef | None:
        return next((f for f in self.fields if f.id == sub_id), None)

    @property
    def is_group(self) -> bool:
        return self.type == "group"

    @property
    def numbered_label(self) -> str:
        """ "4. Mailing address": the label as printed on the form."""
        return f"{self.item}. {self.label}" if self.item else self.label

    def label_for(self, values: Any) -> str:
        """The label for the current answers (``label_by``), else the plain label."""
        if self.label_by is None:
            return self.label
        source, labels = self.label_by
        answer = values.get(source) if hasattr(values, "get") else None
        return next((label for option, label in labels if option == answer), self.label)


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    number: str
    title: str
    provenance: str
    fields: tuple[FieldDef, ...]
    fields_provenance: str | None = None
    intro: str = ""
    printed: bool = True
    shown_if: Condition | None = None
    consent_text: str | None = None

    @property
    def heading(self) -> str:
        return f"Section {self.number}. {self.title}" if self.number else self.title


@dataclass(frozen=True, slots=True)
class AttachmentCategory:
    id: str
    label: str
    provenance: str


@dataclass(frozen=True, slots=True)
class FormDefinition:
    """One edition of one form, with everything the app needs to know about it."""

    source: str  # the file it came from, for messages
    id: str
    number: str
    title: str
    agency: str
    omb: str
    edition: str
    edition_label: str
    edition_provenance: str
    expires: date | None
    sections: tuple[Section, ...]
    attachment_categories: tuple[AttachmentCategory, ...]
    channels: dict[str, Any] = field(default_factory=dict)
    consent: dict[str, Any] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    #: What option ids and fields mean to the rules and the packet ([meanings] table).
    meanings: dict[str, Any] = field(default_factory=dict)
    _fields: dict[str, FieldDef] = field(default_factory=dict, repr=False)
    _field_section: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def key(self) -> str:
        """The ``form`` value of a draft: ``"dhs-7001/2022-11"``."""
        return f"{self.id}/{self.edition}"

    def section(self, section_id: str) -> Section:
        for s in self.sections:
            if s.id == section_id:
                return s
        raise KeyError(section_id)

    def field(self, field_id: str) -> FieldDef:
        return self._fields[field_id]

    def has_field(self, field_id: str) -> bool:
        return field_id in self._fields

    def section_of(self, field_id: str) -> str:
        return self._field_section[field_id]

    def all_fields(self) -> Iterator[FieldDef]:
        for s in self.sections:
            yield from s.fields

    def category(self, category_id: str) -> AttachmentCategory | None:
        return next((c for c in self.attachment_categories if c.id == category_id), None)

    def category_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.attachment_categories)

    def family_shared_fields(self) -> tuple[str, ...]:
        return tuple(f.id for f in self.all_fields() if f.family_shared)

    def is_expired(self, today: date) -> bool:
        return self.expires is not None and today > self.expires

    def where(self, path: str | None, section_id: str | None = None) -> str:
        """A field path in the user's words: ``s3.filings[0].receipt_number`` becomes
        "Section 3, Filing 1 › Receipt number" (labels from the edition, never ids)."""
        section = self._section_or_none(section_id)
        words: list[str] = []
        if path:
            m = _PATH.match(path)
            base, index, rest = m.groups() if m else (path, None, None)
            field_id = base
            parts: list[str] = []
            while field_id and not self.has_field(field_id):
                field_id, _, tail = field_id.rpartition(".")
                parts.insert(0, tail)
            if field_id:
                section = self._section_or_none(self.section_of(field_id)) or section
                f = self.field(field_id)
                if index is None:
                    words = [f.label, *(_part(p) for p in parts)]
                else:
                    words = [f"{f.row_label or 'Row'} {int(index) + 1}"]
                    if rest:
                        head, *more = rest.split(".")
                        sub = f.subfield(head)
                        words.append(sub.label if sub else _part(head))
                        words += [_part(p) for p in more]
        place = self._section_name(section)
        if not words:
            return place
        return f"{place}, {' › '.join(words)}" if place else " › ".join(words)

    def _section_or_none(self, section_id: str | None) -> Section | None:
        if section_id is None:
            return None
        try:
            return self.section(section_id)
        except KeyError:
            return None

    @staticmethod
    def _section_name(section: Section | None) -> str:
        if section is None:
            return ""
        return f"Section {section.number}" if section.number else section.title


_PATH = re.compile(r"^([^\[]+)\[(\d+)\](?:\.(.+))?$")

#: Words for the parts of composite answers and of a document row (app wording, not edition).
_PART_WORDS = {
    "family": "Family name",
    "given": "Given name",
    "middle": "Middle name",
    "street": "Street",
    "unit": "Apartment or suite",
    "city": "City",
    "state": "State",
    "postal_code": "ZIP code",
    "country": "Country",
    "description": "Description",
    "date": "Date of the document",
    "category": "Category",
    "path": "File",
    "translation_of": "Translation of",
}


def _part(name: str) -> str:
    return _PART_WORDS.get(name, name.replace("_", " ").capitalize())
