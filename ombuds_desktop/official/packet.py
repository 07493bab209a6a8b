"""The packet's form part from the imported official PDF, when there is one to use.

``packet/assemble.py`` asks :func:`official_parts` once per build.  It answers None
(and the typeset form is drawn, as always) unless an imported official PDF is
confirmed, fully mapped, still the file that was imported, and mapped to the draft's
edition.  Otherwise it returns the filled, flattened official form (with its addendum)
and, for a wet-ink client, the official Section 9 page filled for the client, with the
signature page id in its bottom margin, plus the manifest's record of what was used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any

from ombuds_desktop.draft import Draft, facts
from ombuds_desktop.formdef.model import FormDefinition
from ombuds_desktop.official.errors import OfficialFormError
from ombuds_desktop.official.fill import Filled, fill_official, overlay
from ombuds_desktop.official.mapping import resolve
from ombuds_desktop.official.reader import OfficialForm


@dataclass(slots=True)
class OfficialParts:
    form: Any  # packet.layout.Rendered
    signature: Any | None  # packet.layout.Rendered, one page
    manifest: dict[str, Any]
    notes: list[str] = field(default_factory=list)


TYPESET = {"kind": "typeset"}


def official_parts(
    draft: Draft,
    definition: FormDefinition,
    *,
    signature_page_id: str | None,
    data_dir: str | Path | None = None,
) -> tuple[OfficialParts | None, list[str]]:
    """The official form's parts for this draft, or None and why not (a note, or nothing
    when no official form was imported)."""
    from ombuds_desktop.official.store import find_for

    try:
        found = find_for(definition, data_dir)
    except (OfficialFormError, OSError):
        found = None
    if found is None:
        return None, []
    imported, official = found
    mapping = imported.mapping
    if mapping.form != draft.form:
        return None, []
    try:
        data = imported.read_pdf()
        title = facts.client_name(draft)
        filled = fill_official(data, official, mapping, draft, definition, title=title)
        form = _rendered(filled, official, mapping, definition)
        signature = None
        if signature_page_id is not None and mapping.signature_page is not None:
            signature = _signature_page(filled, mapping.signature_page, signature_page_id)
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
        "signature_page": "official" if signature is not None else None,
    }
    return OfficialParts(form, signature, record, notes), notes


def _rendered(
    filled: Filled, official: OfficialForm, mapping: Any, definition: FormDefinition
) -> Any:
    from ombuds_desktop.packet.layout import OutlineMark, Rendered

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


def _signature_page(filled: Filled, page: int, page_id: str) -> Any:
    """The official Section 9 page as filled, alone, with the page id in the bottom margin."""
    import pikepdf
    from reportlab.pdfgen.canvas import Canvas

    from ombuds_desktop.packet import fonts
    from ombuds_desktop.packet.layout import Rendered

    if page >= filled.form_pages:
        raise OfficialFormError("the mapping's Section 9 page is not in the official PDF")
    with pikepdf.open(BytesIO(filled.pdf)) as src:
        out = pikepdf.new()
        out.pages.append(src.pages[page])
        box = [float(x) for x in out.pages[0].mediabox]
        buf = BytesIO()
        c = Canvas(buf, pagesize=(box[2] - box[0], box[3] - box[1]), invariant=1)
        fonts.register()
        c.setFont(fonts.REGULAR, 7)
        c.drawString(
            36, 14, f"Signature page {page_id}. Sign by hand, in ink. Do not type or stamp."
        )
        c.showPage()
        c.save()
        overlay(out, out.pages[0], buf.getvalue(), (box[0], box[1]))
        data = BytesIO()
        out.save(data, deterministic_id=True)
        return Rendered(data.getvalue(), 1)
