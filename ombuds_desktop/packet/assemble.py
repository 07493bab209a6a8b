"""Assemble the filing packet (``field-conventions.md`` §1.1) and its manifest.

Order by default: cover letter, Form 7001, the Section 9 signature page (or
the signed scan in its place), Form G-28, written consents, the exhibit index,
and the exhibits, each behind a tab page.  Every page is Letter, numbered
continuously (or Bates-numbered), exhibit pages carry their label, and the
bookmarks mirror the index.  The result has no JavaScript, no encryption and
no form fields.  With validation errors left, a packet can only be built as a
draft, watermarked on every page.  Same inputs, options and build date give a
byte-identical file.

Runs off the UI thread: pass ``progress`` and a :class:`CancelToken`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any

import PIL
import pypdf
import reportlab
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    ByteStringObject,
    DictionaryObject,
    Fit,
    NameObject,
)

from ombuds_desktop import __version__
from ombuds_desktop.draft import Attachment, Draft, facts
from ombuds_desktop.draft.interchange import draft_to_dict
from ombuds_desktop.formdef import FormDefinition, load_form_key
from ombuds_desktop.official.target import packet_target
from ombuds_desktop.packet import stamps, tagging
from ombuds_desktop.packet.cover_letter import build_letter, render_letter, sender
from ombuds_desktop.packet.errors import EvidenceProblems, NotReadyError, PacketInputError
from ombuds_desktop.packet.exhibits import Evidence, add_evidence, load_evidence, read_attachment
from ombuds_desktop.packet.form_render import render_form
from ombuds_desktop.packet.index import IndexRow, PartRow, render_index, render_tabs
from ombuds_desktop.packet.layout import Rendered, missing_glyph_notes
from ombuds_desktop.packet.official_form import TYPESET, official_parts, wet_ink_page
from ombuds_desktop.packet.options import CancelToken, PacketOptions, ProgressFn, Steps
from ombuds_desktop.packet.plan import PacketPlan, plan_packet
from ombuds_desktop.packet.signature_page import wet_ink_notes
from ombuds_desktop.validation import validate_draft
from ombuds_desktop.validation.acknowledge import acknowledgement_records
from ombuds_desktop.validation.findings import Finding, has_errors

ReadBytes = Callable[[Attachment], bytes]
MANIFEST_FORMAT = "ombuds-desktop-packet-manifest/1"


@dataclass(frozen=True, slots=True)
class PartRange:
    """A part of the packet and where it is (0-based first page, page count)."""

    part: str
    title: str
    start: int
    count: int


@dataclass(frozen=True, slots=True)
class ExhibitRange:
    label: str
    title: str
    start: int  # first page, the tab page when there is one
    count: int
    attachment_ids: tuple[str, ...]


@dataclass(slots=True)
class PacketResult:
    """A built packet: the PDF, where everything is in it, and its manifest."""

    pdf: bytes
    sha256: str
    pages: int
    watermarked: bool
    parts: list[PartRange]
    exhibits: list[ExhibitRange]
    manifest: dict[str, Any]
    notes: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    signature_page_id: str | None = None
    plan: PacketPlan | None = None
    #: Built for mail: the words say the ORIGINAL signed Section 9 page is enclosed.
    signature_original: bool = False

    def manifest_json(self) -> str:
        return json.dumps(self.manifest, indent=2, ensure_ascii=False, sort_keys=True) + "\n"

    def part(self, part: str) -> PartRange | None:
        return next((p for p in self.parts if p.part == part), None)


# -- evidence -------------------------------------------------------------------------


def load_all_evidence(
    attachments: Sequence[Attachment],
    base_dir: Path | None,
    options: PacketOptions,
    read_bytes: ReadBytes | None,
    steps: Steps | None,
    *,
    prepare: bool = True,
) -> dict[str, Evidence]:
    """Read every document; collect *all* problems so the user sees them at once.

    ``prepare=False`` only inspects (images are not converted): same checks, same words.
    """
    loaded: dict[str, Evidence] = {}
    problems: list[PacketInputError] = []
    for att in attachments:
        if steps is not None:
            steps.step(
                f"Reading supporting document {len(loaded) + len(problems) + 1} of "
                f"{len(attachments)}"
            )
        try:
            data = (
                read_bytes(att)
                if read_bytes
                else read_attachment(att, base_dir, options.allow_files_from)
            )
            loaded[att.id] = load_evidence(
                att, data, options, options.passwords.get(att.id), prepare=prepare
            )
        except PacketInputError as exc:
            problems.append(exc)
    if problems:
        raise EvidenceProblems(problems)
    return loaded


def evidence_notes(plan: PacketPlan, evidence: dict[str, Evidence]) -> list[str]:
    """What the user must know about the documents: repairs, renamed types, left-out files."""
    notes: list[str] = []
    for att in plan.all_attachments():
        ev = evidence.get(att.id)
        if ev is None:
            continue
        notes += ev.notes
        where = plan.location(att.id) or ev.name
        for name in ev.embedded_files:
            notes.append(
                f"{name} was embedded in {where} ({ev.name}) and was left out; attach it "
                "separately if it matters."
            )
    return notes


def check_evidence(
    draft: Draft,
    base_dir: Path | None = None,
    definition: FormDefinition | None = None,
    options: PacketOptions | None = None,
    *,
    read_bytes: ReadBytes | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
) -> list[PacketInputError]:
    """Every supporting document that cannot be used, without building anything.

    The GUI shows these before a build; the user fixes a file, enters a
    password (``options.passwords``) or chooses to leave it out (``options.skip``).
    """
    definition = definition or load_form_key(draft.form)
    options = options or PacketOptions.from_draft(draft.options)
    options.check_attachment_ids(a.id for a in draft.attachments)
    plan = plan_packet(draft, definition, options)
    atts = plan.all_attachments()
    try:
        load_all_evidence(
            atts,
            base_dir,
            options,
            read_bytes,
            Steps(len(atts), progress, cancel),
            prepare=False,
        )
    except EvidenceProblems as exc:
        return exc.problems
    return []


# -- helpers ------------------------------------------------------------------------------


def _range_text(start: int, count: int, options: PacketOptions, total: int) -> str:
    """Packet page range of 0-based ``start`` and ``count`` pages ("12–15" or Bates)."""
    if count <= 0:
        return ""
    first, last = start, start + count - 1

    def num(i: int) -> str:
        if options.bates_prefix is not None:
            return stamps.page_number_text(
                i, total, options.bates_prefix, options.bates_digits, options.bates_start
            )
        return str(i + 1)

    return num(first) if first == last else f"{num(first)}–{num(last)}"


def _category_label(definition: FormDefinition, att: Attachment) -> str:
    cat = definition.category(att.category)
    return cat.label if cat else att.category


def _canonical_draft(draft: Draft) -> bytes:
    return json.dumps(
        draft_to_dict(draft), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    ).encode("utf-8")


def _pdf_date(d: date) -> str:
    return f"D:{d:%Y%m%d}000000Z"


def finish_writer(
    writer: PdfWriter,
    *,
    title: str,
    author: str,
    subject: str,
    built: date,
    seed: bytes,
    outline_visible: bool = True,
    figures: Mapping[int, str] | None = None,
) -> bytes:
    """Metadata, deterministic file id, duplicate objects merged; the bytes of the PDF.

    ``figures``: alternate text of pages that are one picture (see ``tagging.finish``).
    """
    writer.add_metadata(
        {
            "/Title": title,
            "/Author": author,
            "/Subject": subject,
            "/Creator": "Ombuds Desktop",
            "/Producer": f"Ombuds Desktop {__version__} (pypdf {pypdf.__version__}, "
            f"reportlab {reportlab.Version})",
            "/CreationDate": _pdf_date(built),
            "/ModDate": _pdf_date(built),
        }
    )
    writer.root_object[NameObject("/ViewerPreferences")] = DictionaryObject(
        {NameObject("/DisplayDocTitle"): BooleanObject(True)}
    )
    if outline_visible:
        writer.page_mode = "/UseOutlines"
    file_id = ByteStringObject(hashlib.sha256(seed).digest()[:16])
    writer._ID = ArrayObject([file_id, file_id])
    writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=False)
    out = BytesIO()
    writer.write(out)
    return clean_pdf(out.getvalue(), figures=figures)


#: Keys that carry scripts, private application data or metadata of an input.
_SCRUB_KEYS = ("/Metadata", "/PieceInfo", "/AA", "/OpenAction", "/JS", "/JavaScript", "/Launch")


def clean_pdf(data: bytes, *, figures: Mapping[int, str] | None = None) -> bytes:
    """The final bytes of every PDF the app writes: only what is shown, compact, valid.

    qpdf (through pikepdf) writes only the objects reachable from the
    document, so unreferenced data of an input (a private ink blob, a removed
    annotation's appearance) never rides along; object streams and compressed
    streams make the file as small as ``qpdf --object-streams=generate``
    would; scripts, embedded files and XMP metadata of the inputs are removed.
    The file identifier is computed from the content: same input, same bytes.
    """
    import pikepdf

    with pikepdf.open(BytesIO(data)) as pdf:
        root = pdf.Root
        for key in ("/Metadata", "/AcroForm", "/OpenAction", "/AA", "/Perms", "/StructTreeRoot"):
            if key in root:
                del root[key]
        if "/Names" in root:
            names = root.Names
            for key in list(names.keys()):
                if key != "/Dests":
                    del names[key]
            if not len(names.keys()):
                del root["/Names"]
        scrub = set(_SCRUB_KEYS)
        fonts = []
        for obj in pdf.objects:
            if obj._type_code in (pikepdf.ObjectType.dictionary, pikepdf.ObjectType.stream):
                for key in scrub.intersection(obj.keys()):
                    del obj[key]
                if obj.get("/Type") == "/Font" and "/BaseFont" in obj:
                    fonts.append(obj)
        _retag_subsets(fonts)
        # The structure of the drawn pages (tagging.py), joined in page order.
        tagging.finish(pdf, figures=figures)
        out = BytesIO()
        pdf.save(
            out,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
            compress_streams=True,
            deterministic_id=True,
            fix_metadata_version=False,
        )
        return out.getvalue()


_TAGGED = re.compile(r"^[A-Z]{6}\+")


def _retag_subsets(fonts: list[Any]) -> None:
    """Give each embedded font subset its own tag, made from its glyphs.

    reportlab tags every subset ``AAAAAA+``, so the cover letter's, the
    form's and the index's different subsets of Noto Sans shared one name
    (PDF 32000 §9.6.4 wants a tag per subset).  The tag is six letters of
    the SHA-256 of the embedded font program, which is the subset: the same
    glyphs give the same tag, and the output stays byte-for-byte reproducible.
    """
    import pikepdf

    tags: dict[str, str] = {}  # tag -> the digest it stands for
    for font in fonts:
        descendants = font.get("/DescendantFonts")
        target = descendants[0] if descendants is not None and len(descendants) else font
        descriptor = target.get("/FontDescriptor")
        if descriptor is None:
            continue
        program = next(
            (descriptor[k] for k in ("/FontFile2", "/FontFile3", "/FontFile") if k in descriptor),
            None,
        )
        if not isinstance(program, pikepdf.Stream):
            continue  # not embedded: no subset, no tag
        try:
            digest = hashlib.sha256(program.read_bytes()).digest()
        except pikepdf.PdfError:
            continue
        for start in range(0, len(digest) - 5):  # another subset's tag is never reused
            tag = "".join(chr(65 + b % 26) for b in digest[start : start + 6])
            if tags.setdefault(tag, digest.hex()) == digest.hex():
                break
        for holder, key in ((font, "/BaseFont"), (target, "/BaseFont"), (descriptor, "/FontName")):
            name = str(holder.get(key, ""))[1:]
            if _TAGGED.match(name):
                holder[key] = pikepdf.Name("/" + tag + name[6:])


def _append(writer: PdfWriter, rendered: Rendered) -> None:
    writer.append(PdfReader(BytesIO(rendered.pdf)), import_outline=False)


# -- the build ------------------------------------------------------------------------------


def build_packet(
    draft: Draft,
    base_dir: Path | None = None,
    definition: FormDefinition | None = None,
    options: PacketOptions | None = None,
    *,
    findings: Sequence[Finding] | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
    read_bytes: ReadBytes | None = None,
    related: Sequence[Draft] = (),
) -> PacketResult:
    """Build the packet for ``draft``.

    ``base_dir`` is the folder attachment paths are relative to (the draft
    file's folder); ``read_bytes`` replaces file reading (vault attachments).
    Raises :class:`NotReadyError` when validation errors remain and
    ``options.allow_draft`` is false, :class:`EvidenceProblems` naming every
    unusable file, and :class:`Cancelled`.
    """
    definition = definition or load_form_key(draft.form)
    options = options or PacketOptions.from_draft(draft.options)
    options.check_attachment_ids(a.id for a in draft.attachments)
    today = options.today()
    draft = facts.with_forced_answers(draft)  # printed as the law reads it (R21 mail only)
    # The imported official PDF the form is filled into, when one is fully mapped to
    # this edition (None: the typeset form); its checks are among the findings.
    target = packet_target(definition, options.official_dir)
    if findings is None:
        findings = validate_draft(
            draft,
            definition,
            today=today,
            base_dir=base_dir,
            related=related,
            allow_files_from=options.allow_files_from,
            official=target,
        )
    findings = list(findings)
    watermark = has_errors(findings)
    if watermark and not options.allow_draft:
        raise NotReadyError(findings)
    plan = plan_packet(draft, definition, options)
    atts = plan.all_attachments()
    steps = Steps(len(atts) + 6, progress, cancel)
    evidence = load_all_evidence(atts, base_dir, options, read_bytes, steps)
    notes = evidence_notes(plan, evidence)

    steps.step("Drawing Form 7001")
    official, official_notes = official_parts(draft, definition, target)
    notes += official_notes
    # Section 9: the signed scan replaces the printed page once it is attached; the
    # printed page is the one "print the signature page" gives (official or typeset).
    sig_id: str | None = None
    signature: Rendered | None = None
    if not plan.signed_scans and facts.wet_ink_required(draft):
        wet_ink = wet_ink_page(draft, definition, today, official, draft_mark=watermark)
        sig_id, signature = wet_ink.page_id, wet_ink.page
        if official is not None:
            official.manifest["signature_page"] = wet_ink.source
    # Mail (R20): the original signed page follows the form, not its scan.
    original = options.signature_original and facts.wet_ink_required(draft)
    if official is not None:
        form = official.form
    else:
        scanned = bool(plan.signed_scans) and not original
        section_notes = wet_ink_notes(draft, sig_id, scanned=scanned)
        # On paper the original is Section 9 itself, not a supporting document of Section 8.
        form_plan = replace(plan, signed_scans=()) if original else plan
        form = render_form(draft, definition, plan=form_plan, section_notes=section_notes)

    client = facts.client_name(draft) or "(client name not entered)"
    part_titles = {
        "cover_letter": "Cover letter",
        "form": f"{definition.number}, {definition.title}",
        "signature": (
            "Section 9 consent signed in ink (original)"
            if original
            else "Section 9 consent signed in ink (scan)"
            if plan.signed_scans
            else "Section 9 signature page (to be signed in ink)"
        ),
        "g28": "; ".join(dict.fromkeys(_category_label(definition, a) for a in plan.g28)),
        "consents": "; ".join(dict.fromkeys(_category_label(definition, a) for a in plan.consents)),
        "index": "Exhibit index",
        "exhibits": "Exhibits",
    }
    tabs = (
        render_tabs([(ex.label, ex.title, ex.document.date) for ex in plan.exhibits])
        if options.tab_pages and plan.exhibits
        else None
    )
    exhibit_pages = [
        (1 if tabs else 0) + sum(evidence[a.id].pages for a in ex.attachments)
        for ex in plan.exhibits
    ]
    counts: dict[str, int] = {
        "form": form.pages,
        "signature": (
            sum(evidence[a.id].pages for a in plan.signed_scans)
            if plan.signed_scans
            else (signature.pages if signature else 0)
        ),
        "g28": sum(evidence[a.id].pages for a in plan.g28),
        "consents": sum(evidence[a.id].pages for a in plan.consents),
        "exhibits": sum(exhibit_pages),
    }

    enclosures = []
    for part in options.part_order:
        if part in ("cover_letter", "exhibits") or not counts.get(part, 1):
            continue
        n = counts.get(part)
        suffix = f" ({n} page{'s' if n != 1 else ''})" if n and part != "index" else ""
        enclosures.append(part_titles[part] + suffix)
    for ex in plan.exhibits:
        enclosures.append(f"Exhibit {ex.label}: {ex.title}")
    letter = build_letter(
        draft,
        definition,
        today=today,
        enclosures=enclosures,
        signature_enclosed=signature_enclosed(plan, signature is not None, original),
    )
    cover = render_letter(letter, draft)
    counts["cover_letter"] = cover.pages
    steps.step("Laying out the exhibit index")

    def layout(index_pages: int) -> tuple[dict[str, int], list[int], int]:
        counts["index"] = index_pages
        starts, at = {}, 0
        for part in options.part_order:
            starts[part] = at
            at += counts[part]
        ex_starts, ex_at = [], starts["exhibits"]
        for n in exhibit_pages:
            ex_starts.append(ex_at)
            ex_at += n
        return starts, ex_starts, at

    def index_for(starts: dict[str, int], ex_starts: list[int], total: int) -> Rendered:
        parts = [
            PartRow(part_titles[p], _range_text(starts[p], counts[p], options, total))
            for p in options.part_order
            if counts[p]
        ]
        rows = [
            IndexRow(
                ex.label,
                ex.title,
                ex.category_label,
                ex.document.date,
                _range_text(s, n, options, total),
                evidence[ex.document.id].sha256,
            )
            for ex, s, n in zip(plan.exhibits, ex_starts, exhibit_pages, strict=True)
        ]
        return render_index(draft, definition, parts, rows, show_sha=options.show_sha256)

    index = index_for(*layout(1))
    for _ in range(3):  # page numbers cannot change the index's length, but be sure
        if index.pages == counts["index"]:
            break  # laid out for as many pages as it has: rendering again gives the same
        index = index_for(*layout(index.pages))
    starts, ex_starts, total = layout(index.pages)
    notes += missing_glyph_notes(cover, form, signature, tabs, index)

    steps.step("Assembling the packet")
    writer = PdfWriter()
    page_labels: list[str] = []  # left stamp per page
    placed: list[tuple[int, Evidence]] = []  # (first page, document) of each evidence file
    docs = {"cover_letter": cover, "form": form, "index": index}
    tab_reader = PdfReader(BytesIO(tabs.pdf)) if tabs is not None else None
    for part in options.part_order:
        steps.check()
        if part in docs:
            _append(writer, docs[part])
            page_labels += [""] * docs[part].pages
        elif part == "signature":
            if signature is not None:
                _append(writer, signature)
                page_labels.append("")
            for att in plan.signed_scans:
                _evidence_pages(writer, evidence[att.id], "Signed Section 9", page_labels, placed)
        elif part in ("g28", "consents"):
            group = plan.g28 if part == "g28" else plan.consents
            label = "Form G-28" if part == "g28" else "Consent"
            for att in group:
                _evidence_pages(writer, evidence[att.id], label, page_labels, placed)
        elif part == "exhibits":
            for i, ex in enumerate(plan.exhibits):
                steps.check()
                if tab_reader is not None:
                    writer.add_page(tab_reader.pages[i])
                    page_labels.append(f"Exhibit {ex.label}")
                n_doc = sum(evidence[a.id].pages for a in ex.attachments)
                k = 0
                for att in ex.attachments:
                    ev = evidence[att.id]
                    placed.append((len(writer.pages), ev))
                    add_evidence(writer, ev)
                    for _ in range(ev.pages):
                        k += 1
                        page_labels.append(f"Exhibit {ex.label} · p. {k} of {n_doc}")
    assert len(writer.pages) == total == len(page_labels), "packet layout mismatch"

    steps.step("Numbering and stamping pages")
    stamps.apply(
        writer,
        [
            stamps.Stamp(
                page_labels[i],
                stamps.page_number_text(
                    i, total, options.bates_prefix, options.bates_digits, options.bates_start
                ),
                watermark,
            )
            for i in range(total)
        ],
    )

    steps.step("Adding bookmarks")
    parts_out, exhibits_out = _outline(
        writer,
        options,
        starts,
        counts,
        part_titles,
        form,
        plan,
        ex_starts,
        exhibit_pages,
        evidence,
        definition,
        tabs,
    )

    steps.step("Writing the PDF")
    name, org, _, _, _ = sender(draft)
    seed = hashlib.sha256(
        _canonical_draft(draft)
        + repr(_options_record(options)).encode()
        + "".join(ev.sha256 for ev in evidence.values()).encode()
        + today.isoformat().encode()
    ).digest()
    pdf = finish_writer(
        writer,
        title=f"{definition.number} packet: {client}",
        author=org or name,
        subject=f"{definition.title}; {facts.forms_and_receipts(draft)}".rstrip("; "),
        built=today,
        seed=seed,
        figures=_image_alts(placed, page_labels),
    )
    sha = hashlib.sha256(pdf).hexdigest()
    manifest = _manifest(
        draft,
        definition,
        options,
        today,
        watermark,
        plan,
        evidence,
        starts,
        counts,
        ex_starts,
        exhibit_pages,
        pdf,
        sha,
        total,
        sig_id,
    )
    manifest["form_source"] = official.manifest if official is not None else dict(TYPESET)
    # Which warnings the user acknowledged before this packet was built (never their text).
    manifest["warnings"] = acknowledgement_records(findings, draft)
    return PacketResult(
        pdf,
        sha,
        total,
        watermark,
        parts_out,
        exhibits_out,
        manifest,
        notes,
        findings,
        sig_id,
        plan,
        original,
    )


def signature_enclosed(plan: PacketPlan, page: bool, original: bool) -> str | None:
    """What the cover letter says of Section 9: "original", "scan", "page" or None.

    ``page``: the packet holds the printed signature page (no scan yet);
    ``original``: built for mail, where the page signed in ink goes in itself.
    """
    if original and (plan.signed_scans or page):
        return "original"
    if plan.signed_scans:
        return "scan"
    return "page" if page else None


def _evidence_pages(
    writer: PdfWriter,
    ev: Evidence,
    label: str,
    labels: list[str],
    placed: list[tuple[int, Evidence]],
) -> None:
    placed.append((len(writer.pages), ev))
    add_evidence(writer, ev)
    labels.extend(f"{label} · p. {k} of {ev.pages}" for k in range(1, ev.pages + 1))


def _image_alts(placed: Sequence[tuple[int, Evidence]], labels: Sequence[str]) -> dict[int, str]:
    """Alternate text of each page made from a photo or scan (a Figure in the structure):
    the page's stamp ("Exhibit C · p. 1 of 2") and the document's description."""
    alts: dict[int, str] = {}
    for start, ev in placed:
        if ev.reader is None:  # an image document: one picture per page
            for k in range(start, start + ev.pages):
                alts[k] = f"{labels[k]}: {ev.attachment.description} (scanned image)"
    return alts


def at_top(writer: PdfWriter, page: int) -> Fit:
    """An explicit destination, the top left of the page ([page /XYZ left top null]).

    ``/Fit`` has no location: QtPdf warns "bookmark with invalid location
    and/or zoom" for it.  A null zoom keeps the reader's own zoom.
    """
    box = writer.pages[page].mediabox
    return Fit.xyz(left=float(box.left), top=float(box.top), zoom=None)


def _outline(
    writer: PdfWriter,
    options: PacketOptions,
    starts: dict[str, int],
    counts: dict[str, int],
    titles: dict[str, str],
    form: Rendered,
    plan: PacketPlan,
    ex_starts: list[int],
    exhibit_pages: list[int],
    evidence: dict[str, Evidence],
    definition: FormDefinition,
    tabs: Rendered | None,
) -> tuple[list[PartRange], list[ExhibitRange]]:
    """One bookmark per part, nested ones per form section and per exhibit (as the index)."""
    parts: list[PartRange] = []
    exhibits: list[ExhibitRange] = []
    for part in options.part_order:
        if not counts[part]:
            continue
        start = starts[part]
        parts.append(PartRange(part, titles[part], start, counts[part]))
        parent = writer.add_outline_item(
            title=titles[part], page_number=start, fit=at_top(writer, start)
        )
        if part == "form":
            for mark in form.outline:
                writer.add_outline_item(
                    title=mark.title,
                    page_number=start + mark.page,
                    fit=at_top(writer, start + mark.page),
                    parent=parent,
                )
        elif part in ("g28", "consents", "signature"):
            group = {"g28": plan.g28, "consents": plan.consents, "signature": plan.signed_scans}[
                part
            ]
            at = start
            if len(group) > 1:
                for att in group:
                    writer.add_outline_item(
                        title=att.description or _category_label(definition, att),
                        page_number=at,
                        fit=at_top(writer, at),
                        parent=parent,
                    )
                    at += evidence[att.id].pages
        elif part == "exhibits":
            for ex, s, n in zip(plan.exhibits, ex_starts, exhibit_pages, strict=True):
                item = writer.add_outline_item(
                    title=f"Exhibit {ex.label}: {ex.title}",
                    page_number=s,
                    fit=at_top(writer, s),
                    parent=parent,
                )
                exhibits.append(
                    ExhibitRange(ex.label, ex.title, s, n, tuple(a.id for a in ex.attachments))
                )
                if ex.translations:
                    at = s + (1 if tabs else 0) + evidence[ex.document.id].pages
                    for t in ex.translations:
                        writer.add_outline_item(
                            title="English translation",
                            page_number=at,
                            fit=at_top(writer, at),
                            parent=item,
                        )
                        at += evidence[t.id].pages
    return parts, exhibits


def _options_record(options: PacketOptions) -> dict[str, Any]:
    return {
        "label_style": options.label_style,
        "tab_pages": options.tab_pages,
        "bates_prefix": options.bates_prefix,
        "bates_digits": options.bates_digits,
        "bates_start": options.bates_start,
        "color_dpi": options.color_dpi,
        "bw_dpi": options.bw_dpi,
        "jpeg_quality": options.jpeg_quality,
        "part_order": list(options.part_order),
        "exhibit_order": list(options.exhibit_order),
        "show_sha256": options.show_sha256,
        "skip": sorted(options.skip),
    }


def _manifest(
    draft: Draft,
    definition: FormDefinition,
    options: PacketOptions,
    today: date,
    watermark: bool,
    plan: PacketPlan,
    evidence: dict[str, Evidence],
    starts: dict[str, int],
    counts: dict[str, int],
    ex_starts: list[int],
    exhibit_pages: list[int],
    pdf: bytes,
    sha: str,
    total: int,
    sig_id: str | None,
) -> dict[str, Any]:
    first_page: dict[str, int] = {}
    for part, group in (
        ("signature", plan.signed_scans),
        ("g28", plan.g28),
        ("consents", plan.consents),
    ):
        at = starts[part]
        for att in group:
            first_page[att.id] = at
            at += evidence[att.id].pages
    for ex, s in zip(plan.exhibits, ex_starts, strict=True):
        at = s + (1 if options.tab_pages else 0)
        for att in ex.attachments:
            first_page[att.id] = at
            at += evidence[att.id].pages
    inputs = []
    for att in plan.all_attachments():
        ev = evidence[att.id]
        start = first_page[att.id]
        inputs.append(
            {
                "attachment_id": att.id,
                "place": plan.location(att.id),
                "category": att.category,
                "description": att.description,
                "file_name": ev.name,
                "type": ev.kind,
                "bytes": ev.size,
                "sha256": ev.sha256,
                "packet_pages": [start + 1, start + ev.pages],
            }
        )
    return {
        "format": MANIFEST_FORMAT,
        "draft_id": draft.id,
        "form": draft.form,
        "edition": definition.edition_label or definition.edition,
        "built_on": today.isoformat(),
        "draft_watermark": watermark,
        "signature_page_id": sig_id,
        "draft_sha256": hashlib.sha256(_canonical_draft(draft)).hexdigest(),
        "options": _options_record(options),
        "parts": [
            {"part": p, "first_page": starts[p] + 1, "pages": counts[p]}
            for p in options.part_order
            if counts[p]
        ],
        "exhibits": [
            {"label": ex.label, "first_page": s + 1, "pages": n}
            for ex, s, n in zip(plan.exhibits, ex_starts, exhibit_pages, strict=True)
        ],
        "inputs": inputs,
        "left_out": [{"attachment_id": a.id, "description": a.description} for a in plan.skipped],
        "output": {"pages": total, "bytes": len(pdf), "sha256": sha},
        "software": {
            "ombuds_desktop": __version__,
            "pypdf": pypdf.__version__,
            "reportlab": reportlab.Version,
            "pillow": PIL.__version__,
        },
    }
