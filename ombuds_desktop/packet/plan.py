"""Which attachment goes where in the packet, and under which exhibit label.

Pure data, no file access: the form's Section 8 list, the cover letter's
enclosures, the exhibit index and the assembler all read the same plan, so a
label printed on the form is the label stamped on the exhibit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ombuds_desktop.draft import Attachment, Draft
from ombuds_desktop.formdef.model import FormDefinition
from ombuds_desktop.packet.options import PacketOptions
from ombuds_desktop.printed.values import exhibit_label

#: Attachment categories with a fixed place in the packet (``field-conventions.md``
#: §1.1).  Like the field ids in ``draft/facts.py``, these category ids are part of
#: the edition files' stable contract.
SIGNED_SCAN_CATEGORIES = ("signed-section-9",)
G28_CATEGORIES = ("g28", "g28-proof-of-submission")
CONSENT_CATEGORIES = ("consent", "petitioner-consent")


@dataclass(frozen=True, slots=True)
class Exhibit:
    """One exhibit: a document and the English translations that follow it."""

    label: str
    document: Attachment
    translations: tuple[Attachment, ...] = ()
    category_label: str = ""

    @property
    def attachments(self) -> tuple[Attachment, ...]:
        return (self.document, *self.translations)

    @property
    def title(self) -> str:
        desc = self.document.description.strip() or self.category_label or "Supporting document"
        if self.translations:
            desc += " (with certified English translation)"
        return desc


@dataclass(frozen=True, slots=True)
class PacketPlan:
    signed_scans: tuple[Attachment, ...]
    g28: tuple[Attachment, ...]
    consents: tuple[Attachment, ...]
    exhibits: tuple[Exhibit, ...]
    skipped: tuple[Attachment, ...] = ()
    locations: dict[str, str] = field(default_factory=dict)  # attachment id -> where it is

    def location(self, attachment_id: str) -> str:
        return self.locations.get(attachment_id, "")

    def all_attachments(self) -> list[Attachment]:
        out = [*self.signed_scans, *self.g28, *self.consents]
        for ex in self.exhibits:
            out.extend(ex.attachments)
        return out


def _ordered(
    draft: Draft, definition: FormDefinition, explicit: tuple[str, ...]
) -> list[Attachment]:
    """The user's explicit order first, then the rest by category order (stable)."""
    rank = {c: i for i, c in enumerate(definition.category_ids())}
    by_id = {a.id: a for a in draft.attachments}
    first = [by_id[i] for i in dict.fromkeys(explicit) if i in by_id]
    seen = {a.id for a in first}
    rest = [a for a in draft.attachments if a.id not in seen]
    rest.sort(key=lambda a: rank.get(a.category, len(rank)))
    return first + rest


def plan_packet(
    draft: Draft, definition: FormDefinition, options: PacketOptions | None = None
) -> PacketPlan:
    options = options or PacketOptions()
    ordered = _ordered(draft, definition, options.exhibit_order)
    skipped = tuple(a for a in ordered if a.id in options.skip)
    kept = [a for a in ordered if a.id not in options.skip]
    ids = {a.id for a in kept}
    translations: dict[str, list[Attachment]] = {}
    for a in kept:
        if a.translation_of and a.translation_of in ids and a.translation_of != a.id:
            translations.setdefault(a.translation_of, []).append(a)
    is_translation = {t.id for ts in translations.values() for t in ts}

    def with_translations(group: list[Attachment]) -> tuple[Attachment, ...]:
        out: list[Attachment] = []
        for a in group:
            out.append(a)
            out.extend(translations.get(a.id, []))
        return tuple(out)

    main = [a for a in kept if a.id not in is_translation]
    scans = with_translations([a for a in main if a.category in SIGNED_SCAN_CATEGORIES])
    g28 = with_translations([a for a in main if a.category in G28_CATEGORIES])
    consents = with_translations([a for a in main if a.category in CONSENT_CATEGORIES])
    fixed = set(SIGNED_SCAN_CATEGORIES + G28_CATEGORIES + CONSENT_CATEGORIES)
    exhibits: list[Exhibit] = []
    for a in main:
        if a.category in fixed:
            continue
        cat = definition.category(a.category)
        exhibits.append(
            Exhibit(
                exhibit_label(len(exhibits), options.label_style),
                a,
                tuple(translations.get(a.id, [])),
                cat.label if cat else "",
            )
        )
    locations: dict[str, str] = {}
    for a in scans:
        locations[a.id] = "Signed Section 9"
    for a in g28:
        locations[a.id] = "Form G-28"
    for a in consents:
        locations[a.id] = "Consent"
    for ex in exhibits:
        locations[ex.document.id] = f"Exhibit {ex.label}"
        for t in ex.translations:
            locations[t.id] = f"Exhibit {ex.label} (translation)"
    for a in skipped:
        locations[a.id] = "Left out of this packet"
    return PacketPlan(scans, g28, consents, tuple(exhibits), skipped, locations)
