"""Exports for the three ways to file: online upload, e-mail and mail (``dhs-7001.md`` §2.16, §5).

* **Online** (the CIS Ombudsman's preference): a folder with each supporting
  document as its own PDF, in the order they go into Section 8, each within a
  per-file size budget (split into ``_Part1``, ``_Part2`` when over), plus a
  copy sheet listing every answer in the online form's order.
* **E-mail**: ``.eml`` drafts (``X-Unsent: 1``, so mail clients open them as
  drafts) to the address in the edition file, with the packet attached and
  split into numbered messages under the e-mail budget, never breaking an
  exhibit unless it alone is over budget.  For a family group, one more
  e-mail lists the related CIS Ombudsman request numbers.
* **Mail**: a print-ready PDF: an address sheet (the exact mailing address
  from the edition file, the two-to-three-weeks note, a checklist) followed by
  the packet.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, formataddr
from io import BytesIO
from pathlib import Path
from typing import Any

from pypdf import PdfReader, PdfWriter

from ombuds_desktop.draft import Attachment, Draft, facts
from ombuds_desktop.formdef import FieldDef, FormDefinition, load_form_key
from ombuds_desktop.official.target import packet_target
from ombuds_desktop.packet import stamps, tagging
from ombuds_desktop.packet.assemble import (
    PacketResult,
    ReadBytes,
    at_top,
    build_packet,
    evidence_notes,
    finish_writer,
    load_all_evidence,
    signature_enclosed,
)
from ombuds_desktop.packet.cover_letter import build_letter, initials, sender, sender_role
from ombuds_desktop.packet.errors import NotReadyError
from ombuds_desktop.packet.exhibits import add_evidence
from ombuds_desktop.packet.form_render import footer_for
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
from ombuds_desktop.packet.official_form import official_parts, wet_ink_page
from ombuds_desktop.packet.options import (
    CancelToken,
    PacketOptions,
    ProgressFn,
    Steps,
    megabytes,
)
from ombuds_desktop.packet.plan import PacketPlan, plan_packet
from ombuds_desktop.packet.signature_page import SIGNATURE_SECTION
from ombuds_desktop.printed import fonts
from ombuds_desktop.printed.fonts import BOLD, REGULAR
from ombuds_desktop.printed.values import (
    PART_LABELS,
    display,
    field_shown,
    options_for,
    part_value,
    section_shown,
    value_of,
)
from ombuds_desktop.validation import validate_draft
from ombuds_desktop.validation.findings import Finding, has_errors

_PARTS = {
    "person_name": ("family", "given", "middle"),
    "address": ("street", "unit", "city", "state", "postal_code", "country"),
}


def write_atomic(path: Path, data: bytes) -> None:
    """Write next to the target, then rename: a crash never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.partial")
    tmp.write_bytes(data)
    tmp.replace(path)


def _findings(
    draft: Draft,
    definition: FormDefinition,
    options: PacketOptions,
    findings: Sequence[Finding] | None,
    base_dir: Path | None,
) -> tuple[list[Finding], bool]:
    if findings is None:
        findings = validate_draft(
            draft,
            definition,
            today=options.today(),
            base_dir=base_dir,
            allow_files_from=options.allow_files_from,
            official=packet_target(definition, options.official_dir),
        )
    findings = list(findings)
    errors = has_errors(findings)
    if errors and not options.allow_draft:
        raise NotReadyError(findings)
    return findings, errors


# -- splitting to a size budget ----------------------------------------------------------


def _pdf_of_pages(
    source: PdfReader, pages: Sequence[int], *, title: str, seed: bytes, built: datetime
) -> bytes:
    w = PdfWriter()
    for i in pages:
        w.add_page(source.pages[i])
    return finish_writer(
        w,
        title=title,
        author="",
        subject="",
        built=built.date(),
        seed=seed + repr(list(pages)).encode(),
        outline_visible=False,
    )


def split_units(
    source: PdfReader,
    units: Sequence[Sequence[int]],
    budget: int,
    *,
    title: str,
    seed: bytes,
    built: datetime,
) -> tuple[list[tuple[list[int], bytes]], list[str]]:
    """Group whole units (lists of page indexes) into PDFs of at most ``budget`` bytes.

    A unit is split by pages only when it alone is over budget; a single page
    over budget is kept whole and reported.
    """
    notes: list[str] = []

    def build(pages: list[int]) -> bytes:
        return _pdf_of_pages(source, pages, title=title, seed=seed, built=built)

    pieces: list[list[int]] = []
    for unit in units:
        data = build(list(unit))
        if len(data) <= budget:
            pieces.append(list(unit))
            continue
        current: list[int] = []
        for page in unit:
            trial = [*current, page]
            if current and len(build(trial)) > budget:
                pieces.append(current)
                current = [page]
            else:
                current = trial
            if len(current) == 1 and len(build(current)) > budget:
                notes.append(
                    f"page {page + 1} alone is {megabytes(len(build(current)))}, "
                    f"over the {megabytes(budget)} budget; it was kept whole."
                )
        if current:
            pieces.append(current)
    parts: list[tuple[list[int], bytes]] = []
    current, current_data = [], b""
    for piece in pieces:
        trial = current + piece
        data = build(trial)
        if current and len(data) > budget:
            parts.append((current, current_data))
            current, current_data = piece, build(piece)
        else:
            current, current_data = trial, data
    if current:
        parts.append((current, current_data))
    return parts, notes


# -- online upload ----------------------------------------------------------------------------


@dataclass(slots=True)
class UploadResult:
    folder: Path
    files: list[Path]
    copy_sheet: Path
    notes: list[str] = field(default_factory=list)
    watermarked: bool = False


def _slug(text: str) -> str:
    out = "".join(ch if ch.isascii() and ch.isalnum() else "-" for ch in text)
    return "-".join(p for p in out.split("-") if p)


def _upload_groups(plan: PacketPlan) -> list[tuple[str, str, str, list[Attachment]]]:
    """(place in file names, label on the pages, category, documents), in Section 8's order.

    The label is the one the packet stamps ("Form G-28", "Exhibit A"): a
    hyphen that belongs to a name (G-28) stays.
    """
    groups: list[tuple[str, str, str, list[Attachment]]] = []
    for a in plan.signed_scans:
        groups.append(("Signed-Section-9", "Signed Section 9", a.category, [a]))
    for a in plan.g28:
        groups.append(("G-28", "Form G-28", a.category, [a]))
    for a in plan.consents:
        groups.append(("Consent", "Consent", a.category, [a]))
    for ex in plan.exhibits:
        groups.append(
            (
                f"Exhibit-{ex.label}",
                f"Exhibit {ex.label}",
                ex.document.category,
                list(ex.attachments),
            )
        )
    return groups


def export_upload_folder(
    draft: Draft,
    out_dir: Path,
    base_dir: Path | None = None,
    definition: FormDefinition | None = None,
    options: PacketOptions | None = None,
    *,
    findings: Sequence[Finding] | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
    read_bytes: ReadBytes | None = None,
) -> UploadResult:
    """The online-filing folder: numbered upload PDFs and ``copy-sheet.pdf``."""
    definition = definition or load_form_key(draft.form)
    options = options or PacketOptions.from_draft(draft.options)
    options.check_attachment_ids(a.id for a in draft.attachments)
    findings, watermark = _findings(draft, definition, options, findings, base_dir)
    plan = plan_packet(draft, definition, options)
    atts = plan.all_attachments()
    groups = _upload_groups(plan)
    steps = Steps(len(atts) + len(groups) + 1, progress, cancel)
    evidence = load_all_evidence(atts, base_dir, options, read_bytes, steps)
    built = datetime.combine(options.today(), datetime.min.time(), UTC)
    out_dir.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    notes = evidence_notes(plan, evidence)
    for number, (place, label, category, docs) in enumerate(groups, 1):
        steps.step(f"Preparing upload file {number}")
        writer = PdfWriter()
        for att in docs:
            add_evidence(writer, evidence[att.id])
        n = len(writer.pages)
        stamps.apply(
            writer,
            [stamps.Stamp(f"{label} · p. {k} of {n}", "", watermark) for k in range(1, n + 1)],
        )
        seed = "".join(evidence[a.id].sha256 for a in docs).encode()
        title = f"{label}: {docs[0].description}"
        data = finish_writer(
            writer,
            title=title,
            author="",
            subject="",
            built=built.date(),
            seed=seed,
            outline_visible=False,
        )
        stem = f"{number:02d}_{place}_{_slug(category)}"
        if len(data) <= options.upload_budget:
            path = out_dir / f"{stem}.pdf"
            write_atomic(path, data)
            files.append(path)
            continue
        reader = PdfReader(BytesIO(data))
        units = [[i] for i in range(len(reader.pages))]
        parts, split_notes = split_units(
            reader, units, options.upload_budget, title=title, seed=seed, built=built
        )
        notes += [f"{stem}: {x}" for x in split_notes]
        if len(parts) == 1:  # one page alone is over the budget: nothing to split
            notes.append(
                f"{stem} is over the {megabytes(options.upload_budget)} upload budget "
                "and could not be split (a single page is over it); it was kept whole."
            )
            path = out_dir / f"{stem}.pdf"
            write_atomic(path, data)
            files.append(path)
            continue
        notes.append(
            f"{stem} was over the {megabytes(options.upload_budget)} upload "
            f"budget and was split into {len(parts)} files."
        )
        for k, (_, part_data) in enumerate(parts, 1):
            path = out_dir / f"{stem}_Part{k}.pdf"
            write_atomic(path, part_data)
            files.append(path)
    steps.step("Writing the copy sheet")
    sheet = render_copy_sheet(
        draft,
        definition,
        plan,
        [p.name for p in files],
        wet_ink_missing=facts.wet_ink_required(draft) and not plan.signed_scans,
    )
    copy_path = out_dir / "copy-sheet.pdf"
    w = PdfWriter()
    w.append(PdfReader(BytesIO(sheet.pdf)), import_outline=False)
    if watermark:
        stamps.apply(w, [stamps.Stamp("", "", True)] * len(w.pages))
    write_atomic(
        copy_path,
        finish_writer(
            w,
            title="Copy sheet for the online form",
            author="",
            subject=definition.number,
            built=built.date(),
            seed=b"copy-sheet" + draft.id.encode(),
            outline_visible=False,
        ),
    )
    return UploadResult(out_dir, files, copy_path, notes, watermark)


def _answer_rows(
    f: FieldDef, value: Any, values: dict[str, Any], definition: FormDefinition
) -> list[tuple[str, str | None]]:
    """(label, answer) rows for one field on the copy sheet; answer None is a sub-heading."""
    if f.type in _PARTS:
        return [(f.label, None)] + [(PART_LABELS[p], part_value(p, value)) for p in _PARTS[f.type]]
    if f.type == "group":
        rows: list[tuple[str, str | None]] = []
        for i, row in enumerate(value if isinstance(value, list) else [], 1):
            if not isinstance(row, dict):
                continue
            rows.append((f"{f.label}: row {i}", None))
            for sub in f.fields:
                if (
                    sub.printed
                    and field_shown(sub, values, row)
                    and row.get(sub.id) not in (None, "")
                ):
                    rows.append((sub.label, display(sub, row.get(sub.id), definition)))
        return rows or [(f.label, "")]
    return [(f.label, display(f, value, definition))]


def render_copy_sheet(
    draft: Draft,
    definition: FormDefinition,
    plan: PacketPlan,
    upload_names: Sequence[str],
    *,
    wet_ink_missing: bool,
) -> Rendered:
    """Every answer in the online form's order (which is the form's section order)."""
    values = draft.values
    url = str(definition.channels.get("online_url", ""))

    def draw(s: Sheet) -> None:
        with s.tag("H1"):
            s.text(LEFT, TOP, "Copy sheet for the online form", font=BOLD, size=16, color=BAR)
        s.y = TOP - 12
        s.paragraph(
            f"{definition.number}, {definition.title} · {definition.edition_label}",
            font=BOLD,
            size=10,
            after=2,
        )
        if url:
            s.paragraph(f"Online form: {url}", size=9, after=2)
        s.paragraph(
            "Type each answer into the online form, section by section. Blank answers "
            "are left blank. Upload the files listed under Section 8, in that order.",
            size=9,
            color=MUTED,
            after=10,
        )
        label_w = WIDTH * 0.42
        for sec in definition.sections:
            if not sec.printed:
                continue
            s.ensure(60)
            s.bar(sec.heading, size=9.5)
            if not section_shown(sec, values):
                s.paragraph("Not applicable: leave this section blank.", size=8.5, color=MUTED)
                continue
            rows: list[tuple[str, str | None]] = []
            for f in sec.fields:
                if not f.printed or not field_shown(f, values):
                    continue
                if f.type == "attachments":
                    rows += [(f"Upload {i}", name) for i, name in enumerate(upload_names, 1)]
                    if wet_ink_missing:
                        rows.append(
                            (
                                "Upload (still needed)",
                                "Scan of Section 9 signed by hand "
                                "in ink: print the signature page, have it signed, scan "
                                "it and upload it here.",
                            )
                        )
                    continue
                if f.type == "signature":
                    note = (
                        "Signed by hand in ink on the printed signature page; upload the "
                        "scan in Section 8."
                        if sec.id == SIGNATURE_SECTION and facts.wet_ink_required(draft)
                        else "The signer completes this in the online form."
                    )
                    rows.append((f.label, note))
                    continue
                if f.type in ("single_choice", "multiple_choice") and not options_for(
                    f, definition
                ):
                    continue
                rows += _answer_rows(f, value_of(f, values), values, definition)
            n = 0
            for label, answer in rows:
                if answer is None:
                    s.ensure(40)
                    s.y -= 4
                    s.paragraph(label, font=BOLD, size=8.5, after=1)
                    n = 0
                    continue
                n += 1
                lab = s.wrap(label, label_w - 8, size=8.5)
                ans = s.wrap(answer, WIDTH - label_w - 8, font=BOLD, size=9) if answer else ["—"]
                h = max(len(lab) * 10.5, len(ans) * 11.5) + 6
                s.ensure(h)
                if n % 2 == 0:
                    s.box(LEFT, s.y, WIDTH, h, fill=SHADE, stroke=SHADE)
                y = s.y - 10.5
                for line in lab:
                    s.text(LEFT + 4, y, line, size=8.5, color=MUTED)
                    y -= 10.5
                y = s.y - 10.5
                for line in ans:
                    s.text(LEFT + label_w, y, line, font=BOLD if answer else REGULAR, size=9)
                    y -= 11.5
                s.y -= h
            s.y -= 8

    return render_paged(
        "Copy sheet", draw, footer=footer_for(definition, draft, "Copy sheet (not for filing)")
    )


# -- e-mail ------------------------------------------------------------------------------------


@dataclass(slots=True)
class EmailResult:
    paths: list[Path]
    sizes: list[int]
    notes: list[str] = field(default_factory=list)
    packet: PacketResult | None = None


def from_address(draft: Draft) -> tuple[str, str]:
    """(the From header, or "" with the reason there is none) for an e-mail draft.

    From is the sender's own address: the representative's (Section 10, which
    the representative profile fills), the requester's, or a self-filer's,
    never the client's when someone else sends.  A self-filer's From carries
    no display name, so their name does not travel in the header.
    """
    name, org, _, _, _ = sender(draft)
    role = sender_role(draft)
    email = str(facts.value(draft, f"{role}_email") or "").strip()
    if email:
        return formataddr(("" if role == "client" else name or org, email)), ""
    who = {
        "rep": "the attorney or accredited representative (Section 10; a representative "
        "profile fills it)",
        "requester": "the person preparing the request (Section 7)",
        "client": "the applicant or petitioner (Section 5)",
    }[role]
    return "", (
        f"The e-mail draft has no From address: no e-mail address is entered for {who}. "
        "Your mail program fills it in when you send the draft; or enter the address and "
        "export again."
    )


def _subject(draft: Draft, definition: FormDefinition) -> str:
    """The minimum that files the message: initials, form and receipt numbers."""
    client = initials(draft) or "(client name not entered)"
    primary = facts.primary_filing(draft)
    tail = ""
    if primary is not None:
        tail = ", ".join(
            p
            for p in (
                f"Form {primary.form_number}" if primary.form_number else "",
                primary.receipt_number,
            )
            if p
        )
    return f"{definition.number} Request for Case Assistance: {client}" + (
        f", {tail}" if tail else ""
    )


def _message(
    draft: Draft, definition: FormDefinition, subject: str, body: str, built: datetime
) -> EmailMessage:
    msg = EmailMessage(policy=SMTP)
    msg["To"] = str(definition.channels.get("email_to", ""))
    sender_addr, _ = from_address(draft)
    if sender_addr:
        msg["From"] = sender_addr
    msg["Subject"] = subject
    msg["Date"] = format_datetime(built)
    msg["X-Unsent"] = "1"
    msg.set_content(body)
    return msg


def _attach(msg: EmailMessage, data: bytes, filename: str) -> None:
    msg.add_attachment(data, maintype="application", subtype="pdf", filename=filename)


def _units(packet: PacketResult) -> list[list[int]]:
    """Pages that stay together in one e-mail: the front matter, then each exhibit."""
    first_exhibit = packet.exhibits[0].start if packet.exhibits else packet.pages
    units = [list(range(0, first_exhibit))] if first_exhibit else []
    units += [list(range(e.start, e.start + e.count)) for e in packet.exhibits]
    covered = {p for u in units for p in u}
    rest = [p for p in range(packet.pages) if p not in covered]
    if rest:  # parts placed after the exhibits by a custom order
        units.append(rest)
    return units


def export_eml(
    draft: Draft,
    out_path: Path,
    base_dir: Path | None = None,
    definition: FormDefinition | None = None,
    options: PacketOptions | None = None,
    *,
    packet: PacketResult | None = None,
    findings: Sequence[Finding] | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
    read_bytes: ReadBytes | None = None,
) -> EmailResult:
    """``out_path`` (one message) or ``<stem>-part1.eml``, ``-part2`` … under the budget."""
    definition = definition or load_form_key(draft.form)
    options = options or PacketOptions.from_draft(draft.options)
    if packet is None or packet.signature_original:  # a mail packet says "original": not here
        packet = build_packet(
            draft,
            base_dir,
            definition,
            options.with_(signature_original=False),
            findings=packet.findings if packet is not None else findings,
            progress=progress,
            cancel=cancel,
            read_bytes=read_bytes,
        )
    built = datetime.combine(options.today(), datetime.min.time(), UTC)
    plan = packet.plan or plan_packet(draft, definition, options)

    def letter_text(enclosure: str) -> str:
        return build_letter(
            draft,
            definition,
            today=options.today(),
            enclosures=[enclosure],
            signature_enclosed=signature_enclosed(
                plan, packet.signature_page_id is not None, original=False
            ),
            email=True,
        ).as_text()

    subject = _subject(draft, definition)
    body = letter_text(f"{definition.number} packet (PDF, {packet.pages} pages)")
    overhead = (
        len(_message(draft, definition, subject + " (part 99 of 99)", body, built).as_bytes())
        + 1024
    )
    pdf_budget = int((options.email_budget - overhead) * 3 / 4 * 76 / 78) - 512
    notes: list[str] = []
    no_from = from_address(draft)[1]
    if no_from:
        notes.append(no_from)
    if len(packet.pdf) <= pdf_budget:
        chunks = [(list(range(packet.pages)), packet.pdf)]
    else:
        reader = PdfReader(BytesIO(packet.pdf))
        chunks, notes = split_units(
            reader,
            _units(packet),
            pdf_budget,
            title=f"{definition.number} packet",
            seed=packet.sha256.encode(),
            built=built,
        )
    total = len(chunks)
    if total > 1:  # part 1 carries only its own pages: say which, and what follows
        head = chunks[0][0]
        body = letter_text(
            f"{definition.number} packet (PDF), part 1 of {total}: packet pages "
            f"{head[0] + 1}–{head[-1] + 1} of {packet.pages}; parts 2–{total} follow in "
            "separate e-mails with the same subject"
        )
    paths, sizes = [], []
    for k, (pages, data) in enumerate(chunks, 1):
        if total == 1:
            msg = _message(draft, definition, subject, body, built)
            _attach(msg, data, "DHS-7001-packet.pdf")
            path = out_path
        else:
            first, last = pages[0] + 1, pages[-1] + 1
            where = f"packet pages {first}–{last} of {packet.pages}"
            part_body = (
                f"Part 1 of {total}: {where}.\n\n{body}"
                if k == 1
                else f"Part {k} of {total} of the request for case assistance sent in part 1 "
                f"(same subject): {where}.\n"
            )
            msg = _message(draft, definition, f"{subject} (part {k} of {total})", part_body, built)
            _attach(msg, data, f"DHS-7001-packet_Part{k}-of-{total}.pdf")
            path = out_path.with_name(f"{out_path.stem}-part{k}{out_path.suffix or '.eml'}")
        # A boundary from the content, not random: the same packet gives the same file.
        msg.set_boundary(f"=_ombuds_{hashlib.sha256(data).hexdigest()[:32]}_{k}")
        raw = msg.as_bytes()
        if len(raw) > options.email_budget:
            notes.append(
                f"{path.name} is {megabytes(len(raw))}, over the "
                f"{megabytes(options.email_budget)} e-mail budget (a single page "
                "is too large to split further)."
            )
        write_atomic(path, raw)
        paths.append(path)
        sizes.append(len(raw))
    return EmailResult(paths, sizes, notes, packet)


def family_group_email(
    drafts: Sequence[Draft],
    definition: FormDefinition | None = None,
    options: PacketOptions | None = None,
) -> tuple[EmailMessage, list[str]]:
    """The e-mail that asks the CIS Ombudsman to link a family's requests (TIPS, R23).

    It lists each family member's name and CIS Ombudsman request number; it
    never lists receipt numbers (R24).  Members without a request number yet
    are listed with a placeholder and reported in the notes.
    """
    if not drafts:
        raise ValueError("no drafts given")
    definition = definition or load_form_key(drafts[0].form)
    options = options or PacketOptions()
    built = datetime.combine(options.today(), datetime.min.time(), UTC)
    notes, lines = [], []
    for d in drafts:
        name = facts.client_name(d) or "(name not entered)"
        number = d.submission.request_number if d.submission else None
        if not number:
            notes.append(
                f"{name}: no CIS Ombudsman request number recorded yet; add it before "
                "sending this e-mail."
            )
        # the request number identifies the request; initials are enough beside it
        who = initials(d) or "(name not entered)"
        lines.append(f"  - {who}: CIS Ombudsman request number {number or '[not yet received]'}")
    body = (
        "Dear CIS Ombudsman Case Assistance staff:\n\n"
        "The following requests for case assistance concern members of the same family. "
        "Please link them in your system.\n\n" + "\n".join(lines) + "\n\n"
        "Thank you for your assistance.\n"
    )
    name, org, contact_lines, _, _ = sender(drafts[0])
    if sender_role(drafts[0]) == "client":  # a parent filing: initials, no home address
        name, contact_lines = initials(drafts[0]), []
    body += "\nSincerely,\n\n" + "\n".join(x for x in (name, org, *contact_lines) if x) + "\n"
    msg = _message(
        drafts[0],
        definition,
        f"Related requests for case assistance (family): {len(drafts)} requests",
        body,
        built,
    )
    return msg, notes


def export_family_eml(
    drafts: Sequence[Draft],
    out_path: Path,
    definition: FormDefinition | None = None,
    options: PacketOptions | None = None,
) -> list[str]:
    msg, notes = family_group_email(drafts, definition, options)
    write_atomic(out_path, msg.as_bytes())
    return notes


# -- mail ------------------------------------------------------------------------------------------


@dataclass(slots=True)
class MailResult:
    path: Path
    pages: int
    notes: list[str] = field(default_factory=list)
    packet: PacketResult | None = None


def signature_instruction(
    draft: Draft, where: str, *, scan_left_out: bool, after_form: bool = True
) -> str:
    """The mailing sheet's one line about the ORIGINAL wet-ink Section 9 page (R20).

    ``where`` names its packet page(s); ``scan_left_out``: the client already
    signed it (its scan is attached), so the printout leaves that page out and
    the original goes in its place; otherwise the printed page is signed now.
    """
    place = "right after the Form 7001" if after_form else "where the exhibit index lists it"
    if scan_left_out:
        return (
            f"Enclose the ORIGINAL Section 9 page signed by hand, in ink, {place}, as "
            f"{where}: this printout leaves that page out for it. Keep a copy."
        )
    client = facts.client_name(draft) or "the client"
    return (
        f"Have {client} sign and date the Section 9 signature page by hand ({where}, {place}), "
        "then enclose that ORIGINAL Section 9 page signed by hand, in ink, where it is. "
        "Keep a copy."
    )


def render_address_sheet(
    draft: Draft,
    definition: FormDefinition,
    *,
    wet_ink_original: bool,
    signature_line: str | None = None,
) -> Rendered:
    """The mailing sheet.  ``signature_line`` (from :func:`signature_instruction`) says where
    the original Section 9 goes; without it a general line is printed when ``wet_ink_original``.
    """
    name, org, lines, _, contact = sender(draft)
    return_address = [x for x in (org, name) if x] + [x for x in lines if x != contact]
    address = [str(x) for x in definition.channels.get("mailing_address", [])]
    note = str(definition.channels.get("manual_entry_note", ""))
    checklist = [
        "Print the packet that follows this sheet; do not include this sheet.",
        "Use ACCO fasteners or clips, not binders; tabs go at the bottom of the pages.",
    ]
    if signature_line:
        checklist.append(signature_line)
    elif wet_ink_original:
        checklist.append(
            "Enclose the ORIGINAL Section 9 page signed by hand, in ink, right "
            "after the Form 7001 (keep a copy)."
        )
    checklist += [
        "Keep a full copy of everything you mail.",
        "Use a mail service with tracking and keep the receipt.",
    ]

    def draw(s: Sheet) -> None:
        with s.tag("H1"):
            s.text(LEFT, TOP, "Mailing sheet", font=BOLD, size=16, color=BAR)
        s.y = TOP - 14
        s.paragraph(
            f"{definition.number}, {definition.title}: for mailing only, not part of the packet.",
            size=9,
            color=MUTED,
            after=14,
        )
        box_h = 230.0
        s.box(LEFT, s.y, WIDTH, box_h, stroke=BAR, width=1.2)
        y = s.y - 18
        with s.tag("P"):  # the return address, one block
            for line in return_address:
                s.text(LEFT + 14, y, line, size=9)
                y -= 11.5
        y = s.y - 108
        widest = max((fonts.width(line, BOLD, 12) for line in address), default=0)
        x = max(LEFT + 14, min(LEFT + WIDTH * 0.3, RIGHT - 14 - widest))
        with s.tag("P"):  # the mailing address, one block
            for i, line in enumerate(address):
                s.text(x, y, line, font=BOLD if i == 0 else REGULAR, size=12)
                y -= 16
        s.y -= box_h + 18
        if note:
            note_lines = s.wrap(note, WIDTH - 16, font=BOLD, size=9.5)
            h = len(note_lines) * 12.5 + 10
            s.box(LEFT, s.y, WIDTH, h, fill=SHADE, stroke=SHADE)
            y = s.y - 14
            with s.tag("P"):
                for line in note_lines:
                    s.text(LEFT + 8, y, line, font=BOLD, size=9.5)
                    y -= 12.5
            s.y -= h + 18
        with s.tag("H2"):
            s.text(LEFT, s.y, "Before you mail", font=BOLD, size=11)
        s.y -= 6
        with s.group("L"):
            for item in checklist:
                s.ensure(14)
                with s.group("LI"):
                    s.checkbox(LEFT + 2, s.y - 11, False)
                    s.paragraph(
                        item, x=LEFT + 18, width=WIDTH - 18, size=9.5, after=3, role="LBody"
                    )
        s.hline(LEFT, RIGHT, s.y - 4, color=MUTED, width=0.4)

    return render_paged("Mailing sheet", draw)


def export_mail(
    draft: Draft,
    out_path: Path,
    base_dir: Path | None = None,
    definition: FormDefinition | None = None,
    options: PacketOptions | None = None,
    *,
    packet: PacketResult | None = None,
    findings: Sequence[Finding] | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
    read_bytes: ReadBytes | None = None,
) -> MailResult:
    """The address sheet followed by the full packet, ready to print.

    For a wet-ink client (R20) the ORIGINAL signed Section 9 page goes in the
    envelope, right after the Form 7001: the packet is built for mail (its
    cover letter, form and index say "original"), and when the scan is
    attached the printout leaves the scan's page(s) out, keeping their page
    numbers, for the original to take their place.  The mailing sheet says the same.
    """
    definition = definition or load_form_key(draft.form)
    options = options or PacketOptions.from_draft(draft.options)
    wet_ink = facts.wet_ink_required(draft)
    if packet is None or (wet_ink and not packet.signature_original):
        packet = build_packet(
            draft,
            base_dir,
            definition,
            options.with_(signature_original=True),
            findings=packet.findings if packet is not None else findings,
            progress=progress,
            cancel=cancel,
            read_bytes=read_bytes,
        )
    slot = packet.part("signature") if wet_ink else None
    plan = packet.plan or plan_packet(draft, definition, options)
    scan_left_out = slot is not None and bool(plan.signed_scans)
    line = None
    if slot is not None:

        def number(i: int) -> str:
            return stamps.page_number_text(
                i, packet.pages, options.bates_prefix, options.bates_digits, options.bates_start
            )

        first, last = number(slot.start), number(slot.start + slot.count - 1)
        where = (
            f'the page numbered "{first}"'
            if slot.count == 1
            else f'the pages numbered "{first}" to "{last}"'
        )
        form = packet.part("form")
        after_form = form is not None and form.start + form.count == slot.start
        line = signature_instruction(
            draft, where, scan_left_out=scan_left_out, after_form=after_form
        )
    sheet = render_address_sheet(draft, definition, wet_ink_original=wet_ink, signature_line=line)
    w = PdfWriter()
    w.append(PdfReader(BytesIO(sheet.pdf)), import_outline=False)
    if packet.watermarked:
        stamps.apply(w, [stamps.Stamp("", "", True)] * len(w.pages))
    w.add_outline_item(title="Mailing sheet (do not enclose)", page_number=0, fit=at_top(w, 0))
    printed = list(range(packet.pages))
    if scan_left_out and slot is not None:
        printed = [i for i in printed if not slot.start <= i < slot.start + slot.count]
    # The packet's structure goes back on its pages, to be joined with the sheet's.
    w.append(PdfReader(BytesIO(tagging.reopen(packet.pdf))), pages=printed, import_outline=True)
    client = facts.client_name(draft) or ""
    data = finish_writer(
        w,
        title=f"{definition.number} packet for mailing: {client}",
        author="",
        subject=definition.title,
        built=options.today(),
        seed=hashlib.sha256(packet.pdf).digest(),
    )
    write_atomic(out_path, data)
    return MailResult(out_path, len(w.pages), list(packet.notes), packet)


# -- signature page on its own --------------------------------------------------------------------


def signature_page_pdf(
    draft: Draft,
    definition: FormDefinition | None = None,
    options: PacketOptions | None = None,
    findings: Sequence[Finding] | None = None,
) -> bytes:
    """ "Print the signature page for the client": the wet-ink page alone, the same page
    the packet holds (the official form's Section 9 when the packet fills the official
    form, else the typeset page), so the CLI, the window and the packet cannot differ.

    With validation errors left (``findings``, else validated here) the page is marked
    DRAFT and says not to sign it.
    """
    definition = definition or load_form_key(draft.form)
    options = options or PacketOptions.from_draft(draft.options)
    target = packet_target(definition, options.official_dir)
    if findings is None:
        findings = validate_draft(
            draft,
            definition,
            today=options.today(),
            allow_files_from=options.allow_files_from,
            official=target,
        )
    draft = facts.with_forced_answers(draft)  # as the packet prints it
    official, _notes = official_parts(draft, definition, target)
    page = wet_ink_page(
        draft, definition, options.today(), official, draft_mark=has_errors(list(findings))
    ).page
    w = PdfWriter()
    w.append(PdfReader(BytesIO(page.pdf)), import_outline=False)
    return finish_writer(
        w,
        title=f"Section 9 signature page: {facts.client_name(draft)}",
        author="",
        subject=definition.number,
        built=options.today(),
        seed=hashlib.sha256(page.pdf).digest(),
        outline_visible=False,
    )


def eml_attachments(raw: bytes) -> list[tuple[str, bytes]]:
    """(filename, bytes) of the PDFs in an exported message (for tests and previews)."""
    from email import message_from_bytes
    from email.policy import default

    msg = message_from_bytes(raw, policy=default)
    out = []
    for part in msg.iter_attachments():
        payload = part.get_payload(decode=True)  # bytes (None only for a multipart part)
        out.append((part.get_filename() or "", payload if isinstance(payload, bytes) else b""))
    return out


__all__ = [
    "EmailResult",
    "MailResult",
    "UploadResult",
    "eml_attachments",
    "export_eml",
    "export_family_eml",
    "export_mail",
    "export_upload_folder",
    "family_group_email",
    "render_address_sheet",
    "render_copy_sheet",
    "signature_page_pdf",
    "split_units",
    "write_atomic",
]
