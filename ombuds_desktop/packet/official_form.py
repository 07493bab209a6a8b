"""The packet's form part from the imported official PDF, when there is one to use.

The official PDF as data (reader, mapping, plan, checks, store, target lookup) is
``ombuds_desktop.official``; filling and drawing its pages is the packet's, here and
in ``official_fill.py``.

``packet/assemble.py`` asks :func:`official_parts` once per build, with the
:class:`~ombuds_desktop.official.target.OfficialTarget` it found.  It answers None (and
the typeset form is drawn, as always) when there is no target (no imported official
PDF confirmed, fully mapped, still the file that was imported, for the draft's
edition) or it cannot be filled.  Otherwise it returns the filled, flattened official
form (with its addendum) plus the manifest's record of what was used.

:func:`wet_ink_page` chooses the wet-ink Section 9 page: the official Section 9 page
filled for the client (with the signature page id in its bottom margin) when the
official form is used and its mapping names that page, else the typeset page.  The
packet and the stand-alone "print the signature page" (CLI and window) both call it,
so the page a client signs is the page the packet holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from io import BytesIO
from typing import Any

from ombuds_desktop.draft import Draft, facts
from ombuds_desktop.formdef.model import FormDefinition
from ombuds_desktop.official.errors import OfficialFormError
from ombuds_desktop.official.mapping import Mapping, resolve
from ombuds_desktop.official.reader import OfficialForm, Widget
from ombuds_desktop.official.target import OfficialTarget
from ombuds_desktop.packet.layout import OutlineMark, Rendered
from ombuds_desktop.packet.official_fill import Filled, fill_official, overlay
from ombuds_desktop.packet.signature_page import page_id, render_signature_page
from ombuds_desktop.printed import fonts


@dataclass(slots=True)
class OfficialParts:
    form: Rendered
    filled: Filled
    target: OfficialTarget
    manifest: dict[str, Any]
    notes: list[str] = field(default_factory=list)


TYPESET = {"kind": "typeset"}


@dataclass(frozen=True, slots=True)
class WetInkPage:
    """The Section 9 page the client signs in ink, and which form it comes from."""

    page: Rendered  # one page
    page_id: str
    source: str  # "official" | "typeset"


def official_parts(
    draft: Draft, definition: FormDefinition, target: OfficialTarget | None
) -> tuple[OfficialParts | None, list[str]]:
    """The official form's parts for this draft, or None and why not (a note, or nothing
    when no official form is to be used)."""
    if target is None or target.mapping.form != draft.form:
        return None, []
    official, mapping = target.official, target.mapping
    try:
        title = facts.client_name(draft)
        filled = fill_official(target.pdf, official, mapping, draft, definition, title=title)
        form = _rendered(filled, official, mapping, definition)
    except OfficialFormError as exc:
        return None, [f"The imported official form could not be filled ({exc}); the typeset "
                      "form was used instead."]  # fmt: skip
    notes = [p.message for p in filled.plan.problems]
    record = {
        "kind": "official",
        "fingerprint": official.fingerprint,
        "pdf_sha256": official.sha256,
        "form_number": official.marks.form_number,
        "omb": official.marks.omb,
        "edition": official.marks.edition,
        "expires": official.marks.expires,
        "mapped_fields": len(mapping.mapped()),
        "official_pages": filled.form_pages,
        "addendum_items": len(filled.plan.addendum),
        "signature_page": None,  # set by the packet when it holds the official page
    }
    return OfficialParts(form, filled, target, record, notes), notes


def wet_ink_page(
    draft: Draft,
    definition: FormDefinition,
    printed_on: date,
    parts: OfficialParts | None,
    *,
    draft_mark: bool = False,
) -> WetInkPage:
    """The wet-ink Section 9 page: the official form's own, filled, when the official form
    is used (``parts``) and its mapping names its Section 9 page; else the typeset page.

    ``draft`` is as printed (``facts.with_forced_answers``); the page id is the same for
    both, so a signed scan matches its filing either way. A draft with errors
    (``draft_mark``) always gets the typeset page marked DRAFT, so an unfinished filing
    never prints a page that looks ready to sign.
    """
    pid = page_id(draft, printed_on)
    if not draft_mark and parts is not None and parts.target.mapping.signature_page is not None:
        try:
            official, number = parts.target.official, parts.target.mapping.signature_page
            page = _signature_page(parts.filled, official, number, pid)
            return WetInkPage(page, pid, "official")
        except OfficialFormError:
            pass  # a mapping naming a page the PDF lacks: the typeset page, as before
    return WetInkPage(
        render_signature_page(draft, definition, printed_on=printed_on, draft_mark=draft_mark),
        pid,
        "typeset",
    )


def _rendered(
    filled: Filled, official: OfficialForm, mapping: Mapping, definition: FormDefinition
) -> Rendered:
    first: dict[str, int] = {}
    for e in mapping.fields:
        f = official.field(e.name)
        if not e.target or f is None:
            continue
        section = definition.section_of(resolve(definition, e.target).field_id)
        first[section] = min(first.get(section, f.page), f.page)
    outline = [OutlineMark(s.heading, first[s.id]) for s in definition.sections if s.id in first]
    if filled.pages > filled.form_pages:
        outline.append(OutlineMark("Addendum", filled.form_pages))
    return Rendered(filled.pdf, filled.pages, outline, set(filled.missing_glyphs))


def _signature_page(filled: Filled, official: OfficialForm, page: int, page_id: str) -> Rendered:
    """The official Section 9 page as filled, alone, with the page id in the bottom margin
    of the page as shown (its crop box, upright on a turned page)."""
    import pikepdf
    from reportlab.pdfgen.canvas import Canvas

    if page >= filled.form_pages or page >= official.pages:
        raise OfficialFormError("the mapping's Section 9 page is not in the official PDF")
    with pikepdf.open(BytesIO(filled.pdf)) as src:
        out = pikepdf.new()
        out.pages.append(src.pages[page])
        media = official.page_sizes[page]
        # The whole shown page as one box: drawn in it, the line stands upright.
        shown = Widget(page, official.crop(page), rotate=official.rotation(page))
        buf = BytesIO()
        c = Canvas(buf, pagesize=(media[2] - media[0], media[3] - media[1]), invariant=1)
        c.translate(-media[0], -media[1])
        c.transform(*shown.matrix())
        fonts.register()
        c.setFont(fonts.REGULAR, 7)
        c.drawString(
            36, 14, f"Signature page {page_id}. Sign by hand, in ink. Do not type or stamp."
        )
        c.showPage()
        c.save()
        overlay(out, out.pages[0], buf.getvalue(), (media[0], media[1]))
        # Inherited attributes (the page tree's MediaBox, CropBox, Rotate) kept on the page.
        page_obj = out.pages[0].obj
        page_obj.MediaBox = pikepdf.Array(list(media))
        page_obj.CropBox = pikepdf.Array(list(official.crop(page)))
        page_obj.Rotate = official.rotation(page)
        data = BytesIO()
        out.save(data, deterministic_id=True)
        return Rendered(data.getvalue(), 1)
