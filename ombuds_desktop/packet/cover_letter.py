"""The cover letter to the CIS Ombudsman, first in every packet (``field-conventions.md`` §1.2).

It says what is enclosed, for whom (name, A-Number, form and receipt
numbers), why in one line, and lists the enclosures, so a reader without the
earlier file knows what they hold.  The same content becomes the body of the
e-mail export, so the letter is built as data first and drawn second.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ombuds_desktop.dates import format_us
from ombuds_desktop.draft import Draft, facts
from ombuds_desktop.formdef.model import FormDefinition
from ombuds_desktop.packet.fonts import BOLD, REGULAR
from ombuds_desktop.packet.layout import (
    BAR,
    LEFT,
    MUTED,
    RIGHT,
    TOP,
    WIDTH,
    Rendered,
    Sheet,
    render_paged,
)
from ombuds_desktop.packet.values import a_number, address_lines, short_id


@dataclass(slots=True)
class Letter:
    sender_name: str
    sender_org: str
    sender_lines: list[str]
    date_text: str
    addressee: list[str]
    re_lines: list[tuple[str, str]]
    salutation: str
    paragraphs: list[str]
    closing_name: str
    closing_title: str
    enclosures: list[str] = field(default_factory=list)

    def as_text(self) -> str:
        """Plain text (the e-mail body)."""
        out = [self.salutation, ""]
        out += [f"{k}: {v}" for k, v in self.re_lines]
        out.append("")
        for p in self.paragraphs:
            out += [p, ""]
        if self.enclosures:
            out.append("Attached:")
            out += [f"  {i}. {e}" for i, e in enumerate(self.enclosures, 1)]
            out.append("")
        out += ["Sincerely,", "", self.closing_name]
        out += [x for x in (self.closing_title, self.sender_org) if x]
        out += self.sender_lines
        return "\n".join(out).rstrip() + "\n"


def long_date(d: date) -> str:
    return f"{d:%B} {d.day}, {d.year}"


def sender(draft: Draft) -> tuple[str, str, list[str], str, str]:
    """(name, organization, address and contact lines, title, contact) of the sender."""
    v = facts.value
    if facts.is_represented(draft):
        name = facts.person_name(v(draft, "rep_name"))
        org = str(v(draft, "rep_firm") or "")
        attorney = v(draft, "rep_type") == facts.meaning(draft, "attorney_rep_type")
        title = "Attorney at law" if attorney else "Accredited representative"
        who = "rep"
    elif facts.role(draft) in (None, facts.meaning(draft, "self_role")):
        name, org, title, who = facts.client_name(draft), "", "", "client"
    else:
        name = facts.person_name(v(draft, "requester_name"))
        org = str(v(draft, "requester_org") or "")
        title, who = "", "requester"
    lines = address_lines(v(draft, f"{who}_address"))
    contact = " · ".join(str(x) for x in (v(draft, f"{who}_phone"), v(draft, f"{who}_email")) if x)
    if contact:
        lines.append(contact)
    return name, org, lines, title, contact


def reason_line(draft: Draft, definition: FormDefinition) -> str:
    """The Section 2 reasons in one line, read from the edition's option labels."""
    reasons = facts.value(draft, "reasons") or []
    field = facts.field_id(draft, "reasons")
    if not definition.has_field(field) or not isinstance(reasons, list):
        return ""
    f = definition.field(field)
    other = facts.meaning(draft, "other_option")
    labels = [f.option_label(r) for r in reasons if isinstance(r, str) and r != other]
    if other in reasons and facts.value(draft, "reason_other"):
        labels.append(str(facts.value(draft, "reason_other")))
    return "; ".join(labels)


def build_letter(
    draft: Draft,
    definition: FormDefinition,
    *,
    today: date,
    enclosures: list[str],
    signature_enclosed: str | None,
) -> Letter:
    """The letter's content.  ``signature_enclosed`` is "page", "scan" or None."""
    name, org, lines, title, contact = sender(draft)
    client = facts.client_name(draft) or "(client name not entered)"
    re_lines = [
        ("Re", f"{definition.number}, {definition.title}"),
        ("Applicant or petitioner", client),
    ]
    if facts.value(draft, "client_a_number"):
        re_lines.append(("A-Number", a_number(facts.value(draft, "client_a_number"))))
    if facts.value(draft, "client_dob"):
        re_lines.append(("Date of birth", format_us(facts.value(draft, "client_dob"))))
    for f in facts.filings(draft):
        if f.form_number or f.receipt_number:
            re_lines.append(
                (
                    "Form and receipt number",
                    ", ".join(
                        p
                        for p in (
                            f"Form {f.form_number}" if f.form_number else "",
                            f"receipt number {f.receipt_number}"
                            if f.receipt_number
                            else "no receipt notice yet",
                        )
                        if p
                    ),
                )
            )
    paragraphs = []
    primary = facts.primary_filing(draft)
    about = ""
    if primary is not None and primary.form_number:
        about = f" concerning Form {primary.form_number}"
        if primary.receipt_number:
            about += f" (receipt number {primary.receipt_number})"
    who = "my" if facts.role(draft) in (None, facts.meaning(draft, "self_role")) else "a"
    for_whom = "" if who == "my" else f" on behalf of {client}"
    paragraphs.append(
        f"Please find enclosed {who} Request for Case Assistance "
        f"({definition.number}){for_whom}{about}, with supporting documentation."
    )
    reason = reason_line(draft, definition)
    if reason:
        paragraphs.append(f"Reason for the request: {reason}.")
    due = facts.statutory_due(draft)
    if due is not None and due < today:
        paragraphs.append(
            f"A statutory or regulatory processing time required USCIS to act by "
            f"{format_us(due)}; that date has passed."
        )
    if signature_enclosed == "scan":
        paragraphs.append(
            "The Section 9 consent signed by hand, in ink, is enclosed (scan of the signed page)."
        )
    elif signature_enclosed == "page":
        paragraphs.append(
            "The Section 9 consent is enclosed on a separate page, to be signed by hand, in ink."
        )
    if facts.is_represented(draft):
        paragraphs.append(
            "A copy of the Form G-28 on file with USCIS (or proof of its submission) is enclosed."
        )
    if facts.value(draft, "family_box") is True:
        paragraphs.append(
            "Related requests for family members are filed separately; the related "
            "CIS Ombudsman request numbers will be sent by e-mail once received so "
            "that the cases can be linked."
        )
    if facts.value(draft, "mail_only") is True:
        paragraphs.append("Please communicate about this request only by U.S. mail.")
    contact_name = name or client
    reach = f" at {contact.replace(' · ', ' or ')}" if contact else ""
    paragraphs.append(
        f"Please direct any questions about this request to {contact_name}{reach}. "
        "Thank you for your assistance."
    )
    addressee = [str(x) for x in definition.channels.get("mailing_address", [])]
    return Letter(
        name,
        org,
        lines,
        long_date(today),
        addressee,
        re_lines,
        "Dear CIS Ombudsman Case Assistance staff:",
        paragraphs,
        contact_name,
        title,
        list(enclosures),
    )


def render_letter(letter: Letter, draft: Draft) -> Rendered:
    def draw(s: Sheet) -> None:
        y = TOP
        with s.tag("P"):  # the letterhead
            if letter.sender_org:
                s.text(LEFT, y, letter.sender_org, font=BOLD, size=13, color=BAR)
                y -= 15
            s.text(
                LEFT,
                y,
                letter.sender_name,
                font=REGULAR if letter.sender_org else BOLD,
                size=10 if letter.sender_org else 13,
            )
            y -= 12
            for line in letter.sender_lines:
                s.text(LEFT, y, line, size=8.5, color=MUTED)
                y -= 10.5
        s.hline(LEFT, RIGHT, y - 2, color=BAR, width=1.2)
        s.y = y - 26
        s.text(LEFT, s.y, letter.date_text, size=10)
        s.y -= 26
        with s.tag("P"):  # the address, one block
            for line in letter.addressee:
                s.text(LEFT, s.y, line, size=10)
                s.y -= 12.5
        s.y -= 14
        for label, value in letter.re_lines:
            with s.tag("P"):  # "Re: …", one line of the reference block
                s.text(LEFT, s.y, f"{label}:", font=BOLD, size=9.5)
                lines = s.wrap(value, WIDTH - 140, size=9.5)
                for line in lines:
                    s.text(LEFT + 140, s.y, line, size=9.5)
                    s.y -= 12.5
        s.y -= 12
        s.paragraph(letter.salutation, size=10, after=6)
        for p in letter.paragraphs:
            s.paragraph(p, size=10, leading=13.5, after=7)
        s.y -= 4
        s.ensure(80)
        s.paragraph("Sincerely,", size=10, after=34)
        s.hline(LEFT, LEFT + 200, s.y + 6, width=0.8)
        s.paragraph(letter.closing_name, size=10, after=0)
        for extra in (letter.closing_title, letter.sender_org):
            if extra:
                s.paragraph(extra, size=9, color=MUTED, after=0)
        s.y -= 14
        if letter.enclosures:
            s.ensure(40)
            s.paragraph("Enclosures:", font=BOLD, size=9.5, after=2)
            with s.group("L"):
                for i, e in enumerate(letter.enclosures, 1):
                    s.ensure(12)
                    with s.group("LI"):
                        with s.tag("Lbl"):
                            s.text(LEFT + 4, s.y - 8.6, f"{i}.", size=9)
                        s.paragraph(
                            e,
                            x=LEFT + 20,
                            width=WIDTH - 20,
                            size=9,
                            leading=11.5,
                            after=0.5,
                            role="LBody",
                        )

    client = facts.client_name(draft) or "(client name not entered)"

    def footer(page: int, total: int | None) -> str:
        return f"Cover letter · Page {page} of {total or '…'} · {client} · Draft {short_id(draft)}"

    return render_paged("Cover letter", draw, footer=footer)
