"""Fill a mapped official PDF from a draft and flatten it: the packet's other form renderer.

:func:`fill_official` writes the plan that ``official/plan.py`` makes (the same plan
the pre-fill checks read).  Check boxes and radio buttons are set (``/V``, ``/AS``)
and flattened by qpdf with the official PDF's own appearance for the chosen export
value, so a box shows its own mark.  Text is drawn by Ombuds Desktop in its Noto
fonts into an overlay over each field's rectangle (single line shrunk to fit,
multi-line wrapped, comb fields one character per box): the official PDF's fonts
are usually not embedded and cannot show names outside Latin-1.  The result has no
form fields, no XFA and no scripts; the addendum follows the form's pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from ombuds_desktop.draft import Draft
from ombuds_desktop.formdef.model import FormDefinition
from ombuds_desktop.official.errors import OfficialFormError
from ombuds_desktop.official.mapping import Mapping
from ombuds_desktop.official.plan import (
    LEADING,
    MIN_SIZE,
    PAD,
    AddendumItem,
    FillPlan,
    fit,
    plan_fill,
)
from ombuds_desktop.official.reader import OfficialField, OfficialForm, Widget, open_pdf


@dataclass(slots=True)
class Filled:
    pdf: bytes
    form_pages: int  # pages of the official form (the addendum follows)
    pages: int
    plan: FillPlan
    missing_glyphs: set[str] = field(default_factory=set)


def _field_nodes(pdf: Any) -> dict[str, tuple[Any, list[Any]]]:
    """Full name -> (terminal field dictionary, its widget dictionaries)."""
    import pikepdf

    out: dict[str, tuple[Any, list[Any]]] = {}
    seen: set[tuple[int, int]] = set()

    def walk(node: Any, parent: str) -> None:
        if not isinstance(node, pikepdf.Dictionary):
            return
        if node.is_indirect:
            if node.objgen in seen:
                return
            seen.add(node.objgen)
        name = parent
        if "/T" in node:
            name = f"{parent}.{node.T}" if parent else str(node.T)
        kids = [k for k in node.get("/Kids", pikepdf.Array()) if isinstance(k, pikepdf.Dictionary)]
        if any("/T" in k for k in kids):
            for k in kids:
                walk(k, name)
            return
        out[name] = (node, kids if kids else [node])

    acro = pdf.Root.get("/AcroForm")
    if acro is not None:
        for top in acro.get("/Fields", pikepdf.Array()):
            walk(top, "")
    return out


def fill_official(
    data: bytes,
    official: OfficialForm,
    mapping: Mapping,
    draft: Draft,
    definition: FormDefinition,
    *,
    title: str = "",
) -> Filled:
    """The official form filled and flattened, followed by the addendum when one is needed."""
    import pikepdf

    if mapping.fingerprint != official.fingerprint:
        raise OfficialFormError(
            "the mapping was made for another version of this PDF (its fields differ); "
            "import the official PDF again"
        )
    plan = plan_fill(official, mapping, draft, definition)
    missing: set[str] = set()
    with open_pdf(data) as pdf:
        nodes = _field_nodes(pdf)
        acro = pdf.Root.AcroForm
        for key in ("/XFA", "/NeedAppearances"):
            if key in acro:
                del acro[key]
        remove: set[tuple[int, int]] = set()
        draw_marks: list[Widget] = []
        for f in official.fields:
            node, widgets = nodes.get(f.name, (None, []))
            if node is None:
                continue
            if f.kind in ("checkbox", "radio"):
                state = plan.buttons.get(f.name)
                node.V = pikepdf.Name("/" + state) if state else pikepdf.Name.Off
                for w, info in zip(widgets, f.widgets, strict=False):
                    on = state is not None and state in info.states
                    w.AS = pikepdf.Name(f"/{state}") if on else pikepdf.Name.Off
                    ap = w.get("/AP")
                    has_ap = isinstance(ap, pikepdf.Dictionary) and "/N" in ap
                    if on and not has_ap:
                        draw_marks.append(info)
                    if not has_ap:
                        remove.update(x.objgen for x in [w] if x.is_indirect)
                    if "/MK" in w and not has_ap:
                        del w["/MK"]
                if state is None and f.kind == "checkbox" and f.name not in plan.buttons:
                    pass  # unmapped: left as printed (empty)
            else:
                text = plan.texts.get(f.name, "")
                blank = str(node.get("/V", "")) == ""  # before it is set below
                if text and f.kind in ("text", "choice"):
                    node.V = pikepdf.String(text)
                if not text and not blank:
                    del node["/V"]  # a default value of the blank form is not an answer
                if not blank or f.kind != "text":
                    # Its appearance shows the default value: it goes (the box is drawn below).
                    remove.update(w.objgen for w in widgets if w.is_indirect)
                else:
                    # The blank form's own look of the empty box (border, shading) is kept;
                    # the text is drawn over it.
                    for w in widgets:
                        ap = w.get("/AP")
                        if not (isinstance(ap, pikepdf.Dictionary) and "/N" in ap):
                            remove.update(x.objgen for x in [w] if x.is_indirect)
        # Text widgets go (their text is drawn below); buttons are flattened by qpdf.
        for page in pdf.pages:
            annots = page.obj.get("/Annots")
            if isinstance(annots, pikepdf.Array):
                page.obj.Annots = pikepdf.Array(
                    [a for a in annots if not (a.is_indirect and a.objgen in remove)]
                )
        pdf.flatten_annotations("all")
        _overlay(pdf, official, plan, draw_marks, missing)
        if "/AcroForm" in pdf.Root:
            del pdf.Root["/AcroForm"]
        for key in ("/OpenAction", "/AA", "/Names", "/Perms"):
            if key in pdf.Root:
                del pdf.Root[key]
        form_pages = len(pdf.pages)
        if plan.addendum:
            add = render_addendum(plan.addendum, definition, title, missing)
            with pikepdf.open(BytesIO(add)) as extra:
                pdf.pages.extend(extra.pages)
        out = BytesIO()
        pdf.save(out, deterministic_id=True)
        return Filled(out.getvalue(), form_pages, len(pdf.pages), plan, missing)


def _overlay(
    pdf: Any,
    official: OfficialForm,
    plan: FillPlan,
    marks: list[Widget],
    missing: set[str],
) -> None:
    """Draw the text values and the check marks a box has no appearance for, over each
    page, upright as the page is shown (turned pages included)."""
    from reportlab.pdfgen.canvas import Canvas

    from ombuds_desktop.printed import fonts

    fonts.register()
    per_page: dict[int, list[tuple[OfficialField, str]]] = {}
    for f in official.fields:
        text = plan.texts.get(f.name)
        if text and f.widgets:
            per_page.setdefault(f.widgets[0].page, []).append((f, text))
    mark_pages: dict[int, list[Widget]] = {}
    for widget in marks:
        mark_pages.setdefault(widget.page, []).append(widget)
    for i in sorted(set(per_page) | set(mark_pages)):
        x0p, y0p, x1p, y1p = official.page_sizes[i]
        buf = BytesIO()
        c = Canvas(buf, pagesize=(x1p - x0p, y1p - y0p), invariant=1)
        c.translate(-x0p, -y0p)
        for f, text in per_page.get(i, []):
            missing |= fonts.missing_glyphs(text)
            _draw_text(c, f, text)
        for widget in mark_pages.get(i, []):
            w, h = widget.size
            size = min(w, h) * 0.8
            c.saveState()
            c.transform(*widget.matrix())
            c.setFont("ZapfDingbats", size)
            c.drawCentredString(w / 2, h / 2 - size * 0.35, "4")
            c.restoreState()
        c.showPage()
        c.save()
        overlay(pdf, pdf.pages[i], buf.getvalue(), (x0p, y0p))


def overlay(pdf: Any, page: Any, data: bytes, origin: tuple[float, float]) -> None:
    """Draw the first page of ``data`` over ``page``, its corner at ``origin``.

    Like pikepdf's ``add_overlay``, but the form XObject gets a fixed name, so the same
    inputs give the same bytes (``add_overlay`` names it at random).
    """
    import pikepdf

    with pikepdf.open(BytesIO(data)) as ov:
        form = pdf.copy_foreign(ov.pages[0].as_form_xobject())
    existing = page.obj.get("/Resources", pikepdf.Dictionary()).get("/XObject", {})
    k = 0
    while pikepdf.Name(f"/OmbudsFill{k}") in existing:
        k += 1
    name = page.add_resource(form, pikepdf.Name.XObject, pikepdf.Name(f"/OmbudsFill{k}"))
    page.contents_add(pdf.make_stream(b"q\n"), prepend=True)
    x, y = origin
    draw = f"\nQ\nq 1 0 0 1 {x:.4f} {y:.4f} cm {name} Do Q\n".encode("ascii")
    page.contents_add(pdf.make_stream(draw))


def _draw_text(c: Any, f: OfficialField, text: str) -> None:
    widget = f.widgets[0]
    c.saveState()
    c.transform(*widget.matrix())  # the box as shown: origin lower left, text upright
    try:
        _draw_in_box(c, f, text, widget.size)
    finally:
        c.restoreState()


def _draw_in_box(c: Any, f: OfficialField, text: str, size_shown: tuple[float, float]) -> None:
    from ombuds_desktop.printed import fonts

    x0, y0 = 0.0, 0.0
    x1, y1 = size_shown
    fitted = fit(f, text)
    if fitted is None:  # "see addendum" in a tiny box: shrink until it fits
        size = MIN_SIZE
        while size > 3 and fonts.width(text, fonts.REGULAR, size) > x1 - x0 - 2 * PAD:
            size -= 0.5
        fitted = (size, [text])
    size, lines = fitted
    c.setFillColorRGB(0, 0, 0)
    if f.comb and f.max_len and not text.startswith("See addendum"):
        cell = (x1 - x0) / f.max_len
        base = y0 + (y1 - y0 - size * 0.7) / 2
        for k, ch in enumerate(text):
            fonts.draw(c, x0 + cell * (k + 0.5), base, ch, fonts.REGULAR, size, "center")
        return
    if f.multiline:
        y = y1 - PAD - size * 0.85
        for line in lines:
            fonts.draw(c, x0 + PAD, y, line, fonts.REGULAR, size)
            y -= size * LEADING
        return
    base = y0 + (y1 - y0 - size * 0.7) / 2
    fonts.draw(c, x0 + PAD, base, lines[0], fonts.REGULAR, size)


def render_addendum(
    items: list[AddendumItem], definition: FormDefinition, title: str, missing: set[str]
) -> bytes:
    """Letter pages: "Addendum to DHS Form 7001", then each item with its full text."""
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen.canvas import Canvas

    from ombuds_desktop.printed import fonts

    fonts.register()
    buf = BytesIO()
    c = Canvas(buf, pagesize=letter, invariant=1)
    width, height = letter
    left, right, top, bottom = 54.0, width - 54.0, height - 54.0, 60.0
    page = 1
    heading = f"Addendum to {definition.number}, {definition.title}"

    def header() -> float:
        fonts.draw(c, left, top, heading, fonts.BOLD, 12)
        if title:
            fonts.draw(c, left, top - 15, title, fonts.REGULAR, 9)
        c.setFont(fonts.REGULAR, 8)
        c.drawRightString(right, bottom - 24, f"Addendum, page {page}")
        return top - 36

    y = header()
    for item in items:
        head = f"Item {item.number}. {item.where}"
        body = fonts.wrap(item.text, fonts.REGULAR, 10, right - left)
        missing |= fonts.missing_glyphs(item.text)
        if y - 28 < bottom:
            c.showPage()
            page += 1
            y = header()
        for line in fonts.wrap(head, fonts.BOLD, 10, right - left):
            fonts.draw(c, left, y, line, fonts.BOLD, 10)
            y -= 13
        for line in body:
            if y < bottom:
                c.showPage()
                page += 1
                y = header()
                fonts.draw(c, left, y, f"Item {item.number} (continued)", fonts.BOLD, 10)
                y -= 13
            fonts.draw(c, left, y, line, fonts.REGULAR, 10)
            y -= 12.5
        y -= 10
    c.showPage()
    c.save()
    return buf.getvalue()
