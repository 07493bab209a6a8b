"""Typed objects for a form edition, as read from ``forms/<form>/<edition>.toml``.

These objects are the only way the rest of the app learns what the form
contains.  They are immutable: a loaded edition is shared by validation, the
wizard and the PDF renderer.
"""

from __future__ import annotations

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
    fields: tuple[FieldDef, ...] = ()  # sub-fields of a group
    not_future: bool = False
    printed: bool = True
    family_shared: bool = False
    mirror: str | None = None
    provenance: str | None = None
    pdf_lines: int | None = None
    pdf_rows: int | None = None
    pdf_columns: tuple[str, ...] = ()

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
