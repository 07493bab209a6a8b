"""The wet-ink Section 9 signature page, one per filing.

T, U, VAWA, asylee and refugee clients sign Section 9 by hand, in ink
(``dhs-7001.md`` R20).  The page carries the consent, the client's printed
name, the filings it concerns, a signature line and a date line, and plain
instructions.  Its footer holds an identifier made of the draft id, the print
date and a short hash of what the consent is about, so one signed page cannot
quietly be reused for another case (``field-conventions.md`` §2).  Nothing here
ever draws, types or pastes a signature: there are lines, and ink.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date

from ombuds_desktop.dates import format_us
from ombuds_desktop.draft import Draft, facts
from ombuds_desktop.formdef.model import FormDefinition, Section
from ombuds_desktop.packet.fonts import BOLD, REGULAR
from ombuds_desktop.packet.form_render import consent_provenance_note
from ombuds_desktop.packet.layout import (
    BAR,
    LEFT,
    MUTED,
    RIGHT,
    SHADE,
    TOP,
    WIDTH,
    Rendered,
    Sheet,
    render_paged,
)
from ombuds_desktop.packet.values import a_number, short_id

#: The section the client signs (a stable id of the edition files, like those in facts.py).
SIGNATURE_SECTION = "s9"


def filing_fingerprint(draft: Draft) -> str:
    """SHA-256 of what the consent is about: the draft, the client and the filings.

    Typo fixes elsewhere in the form do not change it; another client, another
    receipt number or another draft does.
    """
    identity = {
        "form": draft.form,
        "draft": draft.id,
        "client": facts.client_name(draft),
        "dob": facts.value(draft, "client_dob"),
        "a_number": facts.value(draft, "client_a_number"),
        "filings": [[f.form_number, f.receipt_number] for f in facts.filings(draft)],
    }
    data = json.dumps(identity, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def page_id(draft: Draft, printed_on: date) -> str:
    """ "5a0c1f2e-20261124-3fa9c2d1": draft, print date, content hash."""
    return f"{short_id(draft)}-{printed_on:%Y%m%d}-{filing_fingerprint(draft)[:8]}"


def signer_name(draft: Draft) -> str:
    """Who signs in ink: the Section 9 signer when they sign personally, else the client."""
    capacity = facts.value(draft, "signer_capacity")
    named = facts.person_name(facts.value(draft, "signer_name"))
    if capacity in facts.meaning(draft, "personal_signers") and named:
        return named
    return facts.client_name(draft)


def _category_text(draft: Draft) -> str:
    labels = [facts.category_label(draft, c) for c in facts.categories(draft)]
    return ", ".join(labels)


def wet_ink_notes(draft: Draft, page: str | None, *, scanned: bool = False) -> dict[str, list[str]]:
    """What the printed Section 9 says about the wet-ink signature (R20), if anything."""
    if not facts.wet_ink_required(draft):
        return {}
    client = facts.client_name(draft) or "The client"
    if scanned:
        where = "the scan of the page signed in ink follows this form"
    else:
        where = (
            f"on the separate signature page{f' {page}' if page else ''}, which follows this form"
        )
    notes = [
        f"Wet-ink signature required ({_category_text(draft)}): {client} signs Section 9 "
        f"by hand, in ink; {where}."
    ]
    if facts.value(draft, "signer_capacity") == facts.meaning(draft, "representative_signer"):
        notes.append(
            "The attorney or accredited representative signs Section 9 on the client's "
            "behalf and completes Section 10, with the Form G-28 on file enclosed. "
            "Because the client is a T, U, VAWA, asylee or refugee applicant, the "
            "client's own wet-ink signature is also provided, as rule R20 asks by "
            "default."
        )
    return {SIGNATURE_SECTION: notes}


def _section(definition: FormDefinition) -> Section | None:
    return next((s for s in definition.sections if s.id == SIGNATURE_SECTION), None)


def render_signature_page(
    draft: Draft, definition: FormDefinition, *, printed_on: date
) -> Rendered:
    """The one-page wet-ink Section 9 for this filing."""
    pid = page_id(draft, printed_on)
    section = _section(definition)
    heading = section.heading if section else "Consent"
    consent = definition.consent.get(section.consent_text or "", "") if section else ""
    client = facts.client_name(draft) or "(client name not entered)"
    signer = signer_name(draft) or client
    instructions = [str(i) for i in definition.consent.get("wet_ink_instructions", [])]

    def draw(s: Sheet) -> None:
        s.text(
            LEFT, TOP, f"{definition.number}, {definition.title}", font=BOLD, size=10, color=MUTED
        )
        s.text(
            RIGHT,
            TOP,
            f"OMB No. {definition.omb} · {definition.edition_label}",
            size=7.5,
            color=MUTED,
            align="right",
        )
        with s.tag("H1"):
            s.text(LEFT, TOP - 24, f"{heading}: signature page", font=BOLD, size=15, color=BAR)
        s.text(
            LEFT,
            TOP - 39,
            "To be signed by hand, in ink. No typed, stamped, pasted or electronic signature.",
            font=BOLD,
            size=9.5,
        )
        s.y = TOP - 52
        rows = [("Applicant or petitioner (Section 5)", client)]
        if facts.value(draft, "client_a_number"):
            rows.append(("A-Number", a_number(facts.value(draft, "client_a_number"))))
        if facts.value(draft, "client_dob"):
            rows.append(("Date of birth", format_us(facts.value(draft, "client_dob"))))
        for f in facts.filings(draft):
            text = " · ".join(
                p
                for p in (
                    f"Form {f.form_number}" if f.form_number else "",
                    f"Receipt number {f.receipt_number}" if f.receipt_number else "No receipt yet",
                    f"received {format_us(f.receipt_date)}" if f.receipt_date else "",
                )
                if p
            )
            rows.append(("Filing" + (" (primary)" if f.primary else ""), text))
        h = 14 * len(rows) + 10
        s.box(LEFT, s.y, WIDTH, h, fill=SHADE, stroke=SHADE)
        y = s.y - 15
        with s.group("Table"):  # who and what the page is for: a label, then its value
            for label, value in rows:
                with s.group("TR"):
                    with s.tag("TH", attrs={"O": "Table", "Scope": "Row"}):
                        s.text(LEFT + 8, y, label, size=8, color=MUTED)
                    with s.tag("TD"):
                        s.text(
                            LEFT + 180,
                            y,
                            value,
                            font=BOLD if label.startswith("Appl") else REGULAR,
                            size=9.5,
                        )
                y -= 14
        s.y -= h + 12
        if instructions:
            with s.tag("H2"):
                s.text(LEFT, s.y, "Instructions", font=BOLD, size=10)
            s.y -= 6
            with s.group("L"):
                for n, item in enumerate(instructions, 1):
                    with s.group("LI"):
                        with s.tag("Lbl"):
                            s.text(LEFT + 2, s.y - 8.6, f"{n}.", font=BOLD, size=9)
                        s.paragraph(
                            item,
                            x=LEFT + 16,
                            width=WIDTH - 16,
                            size=9,
                            leading=11.5,
                            after=2,
                            role="LBody",
                        )
            s.y -= 6
        if facts.value(draft, "signer_capacity") == facts.meaning(
            draft, "representative_signer"
        ) and facts.wet_ink_required(draft):
            s.paragraph(
                "Your attorney or accredited representative may also sign Section 9 for "
                "you. Because of your status category, your own signature in ink is "
                "still needed on this page.",
                font=BOLD,
                size=9,
                after=8,
            )
        s.bar(heading)
        s.paragraph(consent, size=9.5, leading=12.5, after=4)
        note = consent_provenance_note(definition)
        if note:
            s.paragraph(note, size=6.8, leading=8.5, color=MUTED, after=6)
        s.y -= 10
        with s.tag("Lbl"):
            s.text(LEFT, s.y, "Printed name of the person signing", size=8, color=MUTED)
        with s.tag("P"):
            s.text(LEFT, s.y - 15, signer, font=BOLD, size=12)
            if signer != client:
                s.text(LEFT + 300, s.y - 15, f"for {client}", size=9.5)
        s.hline(LEFT, RIGHT, s.y - 19, width=0.6)
        s.y -= 70
        s.hline(LEFT, LEFT + WIDTH * 0.64, s.y, width=1.1)
        s.hline(LEFT + WIDTH * 0.64 + 24, RIGHT, s.y, width=1.1)
        s.text(LEFT, s.y - 11, "Signature, in ink", font=BOLD, size=8.5)
        s.text(
            LEFT + WIDTH * 0.64 + 24,
            s.y - 11,
            "Date (mm/dd/yyyy), written by hand",
            font=BOLD,
            size=8.5,
        )
        s.y -= 34
        s.paragraph(
            f"This page belongs only to the filing identified above (signature page "
            f"{pid}). Do not copy it for another request.",
            size=8,
            color=MUTED,
        )

    def footer(page: int, total: int | None) -> str:
        return (
            f"Signature page {pid} · {client} · Page {page} of {total or '…'} · "
            "Keep the original signed page"
        )

    return render_paged(f"{heading}: signature page", draw, footer=footer)
