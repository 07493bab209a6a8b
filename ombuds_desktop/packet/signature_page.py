"""The wet-ink Section 9 signature page, one per filing.

T, U, VAWA, asylee and refugee clients sign Section 9 by hand, in ink
(``dhs-7001.md`` R20).  The page carries the consent, the signer's printed
name, the filings it concerns (name, form and receipt numbers: no A-Number or
date of birth), a signature line labelled for who signs, a blank date line,
and plain instructions.  A draft with validation errors prints it marked
DRAFT - DO NOT SIGN, so a client never signs wrong data.  Its footer holds
an identifier made of the draft id, the print date and a short hash of what
the consent is about, so one signed page cannot quietly be reused for another
case (``field-conventions.md`` §2).  Nothing here ever draws, types or pastes
a signature: there are lines, and ink.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date

from reportlab.lib.colors import Color, HexColor

from ombuds_desktop.draft import Draft, facts
from ombuds_desktop.formdef.model import FormDefinition, Section
from ombuds_desktop.packet.layout import (
    BAR,
    INK,
    LEFT,
    MUTED,
    PAGE_H,
    PAGE_W,
    RIGHT,
    SHADE,
    TOP,
    WIDTH,
    Rendered,
    Sheet,
    render_paged,
)
from ombuds_desktop.printed import fonts
from ombuds_desktop.printed.fonts import BOLD, REGULAR
from ombuds_desktop.printed.values import short_id

ALERT = HexColor("#a61b1b")

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


def _organization(draft: Draft) -> bool:
    return bool(facts.value(draft, "party_type") == facts.meaning(draft, "organization_party"))


def signer_name(draft: Draft) -> str:
    """Who signs in ink: the Section 9 signer when they sign personally, else the client;
    "" for an organization with no named official (the official prints the name by hand)."""
    capacity = facts.value(draft, "signer_capacity")
    named = facts.person_name(facts.value(draft, "signer_name"))
    if capacity in facts.meaning(draft, "personal_signers") and named:
        return named
    return "" if _organization(draft) else facts.client_name(draft)


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
            "client's own wet-ink signature is also provided."
        )
    return {SIGNATURE_SECTION: notes}


def _section(definition: FormDefinition) -> Section | None:
    return next((s for s in definition.sections if s.id == SIGNATURE_SECTION), None)


def signature_label(draft: Draft, definition: FormDefinition) -> str:
    """Who signs this page, in the edition's words: the client, unless a parent or an
    organization's official signs personally (an attorney signing on the client's behalf
    signs the form, not this page: the client signs here)."""
    section = _section(definition)
    line = next((f for f in section.fields if f.type == "signature"), None) if section else None
    if line is None:
        return "Signature"
    capacity = facts.value(draft, "signer_capacity")
    if capacity not in facts.meaning(draft, "personal_signers"):
        org = _organization(draft) and facts.meaning(draft, "org_signer")
        capacity = org or facts.meaning(draft, "self_signer")
    if line.label_by is None:
        return line.label
    return line.label_for({line.label_by[0]: capacity})


#: The mark of a signature page printed from a draft that still has validation errors.
DRAFT_MARK = "DRAFT - DO NOT SIGN"

NAME_SIZE, NAME_MIN = 12.0, 8.0  # the printed name shrinks to fit, then wraps
ROW_LABEL_W = 150.0


def _fitted(
    s: Sheet, text: str, width: float, size: float, least: float
) -> tuple[float, list[str]]:
    """``text`` at the largest size from ``size`` down to ``least`` that keeps it on one
    line; wrapped at ``least`` when even that is too wide."""
    while size > least and fonts.width(text, BOLD, size) > width:
        size -= 0.5
    return size, s.wrap(text, width, font=BOLD, size=size)


def _watermark(s: Sheet) -> None:
    """A diagonal, translucent DRAFT mark over the page (the text under it stays legible)."""
    if s.probe:
        return
    c = s.c
    c.saveState()
    c.setFillColor(Color(0.78, 0.1, 0.1, alpha=0.22))
    c.setFont(BOLD, 50)
    c.translate(PAGE_W / 2, PAGE_H / 2)
    c.rotate(54)
    c.drawCentredString(0, -20, DRAFT_MARK)
    c.restoreState()


def render_signature_page(
    draft: Draft, definition: FormDefinition, *, printed_on: date, draft_mark: bool = False
) -> Rendered:
    """The wet-ink Section 9 page for this filing.

    ``draft_mark``: the draft still has validation errors, so the page is marked DRAFT (a
    watermark and its heading) and says not to sign it: a client must never sign wrong data.
    It names the filing with the least personal data that still ties it: the name, the
    signature page id, the USCIS form and receipt numbers (no A-Number, no date of birth).
    """
    pid = page_id(draft, printed_on)
    section = _section(definition)
    heading = section.heading if section else "Consent"
    consent = definition.consent.get(section.consent_text or "", "") if section else ""
    client = facts.client_name(draft) or "(client name not entered)"
    signer = signer_name(draft)
    line_label = signature_label(draft, definition)
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
        s.y = TOP - 8
        if draft_mark:  # said in words too (the watermark is decoration, an artifact)
            s.paragraph(
                f"{DRAFT_MARK}: this draft still has validation errors",
                font=BOLD,
                size=13,
                color=ALERT,
                after=1,
            )
            s.paragraph(
                "Do not give this page to the client to sign. Fix the errors, then print a "
                "new signature page.",
                font=BOLD,
                size=9.5,
                color=ALERT,
                after=4,
            )
        s.paragraph(f"{heading}: signature page", font=BOLD, size=15, color=BAR, after=0, role="H1")
        s.paragraph(
            "To be signed by hand, in ink. No typed, stamped, pasted or electronic signature.",
            font=BOLD,
            size=9.5,
            after=6,
        )
        rows = [("Applicant or petitioner (Section 5)", client)]
        for f in facts.filings(draft):
            text = " · ".join(
                p
                for p in (
                    f"Form {f.form_number}" if f.form_number else "",
                    f"Receipt number {f.receipt_number}" if f.receipt_number else "No receipt yet",
                )
                if p
            )
            rows.append(("Filing" + (" (primary)" if f.primary else ""), text))
        rows.append(("Request", f"{definition.number} · signature page {pid}"))
        value_w = WIDTH - ROW_LABEL_W - 16
        wrapped = [
            (label, s.wrap(value, value_w, font=BOLD if i == 0 else REGULAR, size=9.5))
            for i, (label, value) in enumerate(rows)
        ]
        h = sum(max(1, len(lines)) * 12.5 + 2 for _, lines in wrapped) + 10
        s.box(LEFT, s.y, WIDTH, h, fill=SHADE, stroke=SHADE)
        y = s.y - 14
        with s.group("Table"):  # who and what the page is for: a label, then its value
            for i, (label, lines) in enumerate(wrapped):
                with s.group("TR"):
                    with s.tag("TH", attrs={"O": "Table", "Scope": "Row"}):
                        s.text(LEFT + 8, y, label, size=8, color=MUTED)
                    with s.tag("TD"):
                        for line in lines:
                            s.text(
                                LEFT + 8 + ROW_LABEL_W,
                                y,
                                line,
                                font=BOLD if i == 0 else REGULAR,
                                size=9.5,
                            )
                            y -= 12.5
                y -= 2
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
        # The signing block (printed name, signature, date) stays on one page.
        size, name_lines = _fitted(s, signer, WIDTH, NAME_SIZE, NAME_MIN)
        for_client = s.wrap(f"for {client}", WIDTH, size=9.5) if signer != client else []
        if not signer:  # an organization's official prints the name by hand
            name_lines, size = [""], 14.0
        s.ensure(20 + len(name_lines) * (size + 3) + len(for_client) * 12 + 90)
        s.y -= 10
        with s.tag("Lbl"):
            s.text(LEFT, s.y, "Printed name of the person signing", size=8, color=MUTED)
        s.y -= 4
        with s.tag("P") if signer else s.artifact():  # a blank line is not an answer
            for line in name_lines:
                s.y -= size + 3
                s.text(LEFT, s.y, line, font=BOLD, size=size)
            for line in for_client:
                s.y -= 12
                s.text(LEFT, s.y, line, size=9.5)
        s.hline(LEFT, RIGHT, s.y - 4, width=0.6)
        s.y -= 55
        sig_w = WIDTH * 0.64
        label = "Do not sign: draft with validation errors" if draft_mark else line_label
        label_lines = s.wrap(
            f"{label}, in ink" if not draft_mark else label, sig_w, font=BOLD, size=8.5
        )
        with s.group("Div"):  # one block: the signature line's label, the date line's
            s.hline(LEFT, LEFT + sig_w, s.y, width=1.1)
            s.hline(LEFT + sig_w + 24, RIGHT, s.y, width=1.1)
            with s.tag("Lbl"):
                for n, line in enumerate(label_lines):
                    s.text(
                        LEFT,
                        s.y - 11 - 10 * n,
                        line,
                        font=BOLD,
                        size=8.5,
                        color=ALERT if draft_mark else INK,
                    )
            with s.tag("Lbl"):
                s.text(
                    LEFT + sig_w + 24,
                    s.y - 11,
                    "Date (mm/dd/yyyy), written by hand",
                    font=BOLD,
                    size=8.5,
                )
        s.y -= 24 + 10 * len(label_lines)
        s.paragraph(
            f"This page belongs only to the filing identified above (signature page "
            f"{pid}). Do not copy it for another request.",
            size=8,
            color=MUTED,
        )

    def footer(page: int, total: int | None) -> str:
        mark = f"{DRAFT_MARK} · " if draft_mark else ""
        return (
            f"{mark}Signature page {pid} · {client} · Page {page} of {total or '…'} · "
            "Keep the original signed page"
        )

    return render_paged(
        f"{heading}: signature page",
        draw,
        footer=footer,
        overlay=_watermark if draft_mark else None,
    )
