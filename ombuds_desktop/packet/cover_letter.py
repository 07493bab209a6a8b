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
from ombuds_desktop.packet.layout import (
    BAR,
    BOTTOM,
    LEFT,
    MUTED,
    PROVENANCE,
    RIGHT,
    TOP,
    WIDTH,
    Rendered,
    Sheet,
    render_paged,
)
from ombuds_desktop.printed import fonts
from ombuds_desktop.printed.fonts import BOLD, REGULAR
from ombuds_desktop.printed.values import a_number, address_lines


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


def sender_role(draft: Draft) -> str:
    """Who sends the request: "rep" (attorney or accredited representative), "requester"
    (someone else preparing it) or "client" (the applicant or petitioner)."""
    if facts.is_represented(draft):
        return "rep"
    if facts.role(draft) in (None, facts.meaning(draft, "self_role")):
        return "client"
    return "requester"


def initials(draft: Draft) -> str:
    """The client's initials ("J.A.M."), what an e-mail needs to name a person.

    An organization (an employer petitioner) is named in full: it is not
    personal data.  Empty when no name is entered.
    """
    if facts.value(draft, "party_type") == facts.meaning(draft, "organization_party"):
        return facts.client_name(draft)
    name = facts.value(draft, "client_name")
    if isinstance(name, dict):  # a hyphenated family name is one name: one initial
        words = [w for k in ("given", "middle") for w in str(name.get(k) or "").split()]
        words += str(name.get("family") or "").split()
    else:
        words = str(name or "").split()
    return "".join(f"{w[0].upper()}." for w in words)


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
    email: bool = False,
) -> Letter:
    """The letter's content.  ``signature_enclosed`` is "original", "page", "scan" or None.

    ``email``: the body of an e-mail, which crosses many servers: the client
    is named by initials only, without A-Number or date of birth (the
    attached request carries them), and what goes with it is "attached".
    """
    name, org, lines, title, contact = sender(draft)
    client = facts.client_name(draft) or "(client name not entered)"
    if email:
        client = initials(draft) or "(client name not entered)"
        if sender_role(draft) == "client":  # a self-filer: initials, no home address or phone
            name, lines, contact = client, [], ""
    re_lines = [
        ("Re", f"{definition.number}, {definition.title}"),
        ("Applicant or petitioner", client),
    ]
    if facts.value(draft, "client_a_number") and not email:
        re_lines.append(("A-Number", a_number(facts.value(draft, "client_a_number"))))
    if facts.value(draft, "client_dob") and not email:
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
    sent = "attached" if email else "enclosed"
    paragraphs.append(
        f"Please find {sent} {who} Request for Case Assistance "
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
    if signature_enclosed == "original":
        paragraphs.append("The original Section 9 consent, signed by hand in ink, is enclosed.")
    elif signature_enclosed == "scan":
        paragraphs.append(
            f"The Section 9 consent signed by hand, in ink, is {sent} (scan of the signed page)."
        )
    elif signature_enclosed == "page":
        paragraphs.append(
            f"The Section 9 consent is {sent} on a separate page, to be signed by hand, in ink."
        )
    if facts.is_represented(draft):
        paragraphs.append(
            f"A copy of the Form G-28 on file with USCIS (or proof of its submission) is {sent}."
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
    if email and sender_role(draft) == "client":  # the reply address is the contact
        paragraphs.append(
            "Thank you for your assistance."
            if facts.value(draft, "mail_only") is True
            else "Please reply to this e-mail with any questions about this request. "
            "Thank you for your assistance."
        )
    else:
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
                y = s.lines_at(
                    LEFT, y, letter.sender_org, font=BOLD, size=13, leading=15, color=BAR
                )
            y = s.lines_at(
                LEFT,
                y,
                letter.sender_name,
                font=REGULAR if letter.sender_org else BOLD,
                size=10 if letter.sender_org else 13,
                leading=12 if letter.sender_org else 15,
            )
            for line in letter.sender_lines:
                y = s.lines_at(LEFT, y, line, size=8.5, leading=10.5, color=MUTED)
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
            enclosure_list(s, letter.enclosures, continued_top)

    client = facts.client_name(draft) or "(client name not entered)"

    about = letter.re_lines[0][1] if letter.re_lines else ""
    # a long name wraps (at most three lines), the same on every continued page
    re_lines = fonts.wrap(f"Re: {client}, {about} · {letter.date_text}", REGULAR, 8.5, WIDTH)[:3]
    continued_top = TOP - 12 * len(re_lines) - 22

    def header(s: Sheet) -> None:
        """Every page after the first says whose letter it continues, and which page it is."""
        if s.page == 1:
            return
        with s.artifact():  # a running header (pagination): the letter reads on without it
            s.text(LEFT, TOP, f"Letter to the CIS Ombudsman, continued, page {s.page}", font=BOLD)
            for i, line in enumerate(re_lines, 1):
                s.text(LEFT, TOP - 12 * i, line, size=8.5, color=MUTED)
            s.hline(LEFT, RIGHT, TOP - 12 * len(re_lines) - 6, color=BAR, width=0.8)
        s.y = continued_top

    def footer(page: int, total: int | None) -> str:
        return f"Cover letter · Page {page} of {total or '…'} · {client} · {PROVENANCE}"

    return render_paged("Cover letter", draw, footer=footer, header=header)


#: The fewest enclosure lines a page may hold, at the foot of one page or the top of the next.
KEEP_TOGETHER = 3
_ITEM_SIZE, _ITEM_LEADING = 9.0, 11.5


def enclosure_list(s: Sheet, items: list[str], continued_top: float) -> None:
    """The numbered list, split over pages only with ``KEEP_TOGETHER`` items on each side.

    The heading never ends a page, and a page never holds only the last item
    or two of the list: the break moves up so the next page starts with at
    least ``KEEP_TOGETHER`` items, under "Enclosures (continued)".  ``continued_top``:
    where a continued page's text starts, under its header.
    """
    width = WIDTH - 20
    heights = [len(s.wrap(e, width, size=_ITEM_SIZE)) * _ITEM_LEADING + 0.5 for e in items]
    heading = 9.5 * 1.3 + 2
    full_page = continued_top - BOTTOM - heading

    def chunks(room: float) -> list[int]:
        """How many items go on each page, the first page having ``room``."""
        out, n, used = [], 0, 0.0
        for h in heights:
            if n and used + h > room:
                out.append(n)
                n, used, room = 0, 0.0, full_page
            n += 1
            used += h
        out.append(n)
        if len(out) > 1 and out[-1] < KEEP_TOGETHER:  # no orphan items on the last page
            move = min(KEEP_TOGETHER - out[-1], out[-2] - 1)
            out[-2] -= move
            out[-1] += move
        return out

    plan = chunks(s.y - BOTTOM - heading)
    if plan[0] < min(KEEP_TOGETHER, len(items)) or s.y - heading - heights[0] < BOTTOM:
        s.new_page()  # the heading goes to the next page with its first items
        plan = chunks(s.y - BOTTOM - heading)
    s.paragraph("Enclosures:", font=BOLD, size=9.5, after=2)
    breaks = {sum(plan[:k]) for k in range(1, len(plan))}
    with s.group("L"):
        for i, (e, h) in enumerate(zip(items, heights, strict=True)):
            if i in breaks:
                s.new_page()
                with s.artifact():  # repeats the heading: the list reads on as one
                    s.paragraph("Enclosures (continued):", font=BOLD, size=9.5, after=2)
            s.ensure(h)
            with s.group("LI"):
                with s.tag("Lbl"):
                    s.text(LEFT + 4, s.y - 8.6, f"{i + 1}.", size=_ITEM_SIZE)
                s.paragraph(
                    e,
                    x=LEFT + 20,
                    width=width,
                    size=_ITEM_SIZE,
                    leading=_ITEM_LEADING,
                    after=0.5,
                    role="LBody",
                )
