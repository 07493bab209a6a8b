"""Fill a mapped official PDF from a draft: values, check marks, the addendum; then flatten.

Two steps.  :func:`plan_fill` decides, without writing anything, what each official
field shows and what goes to the addendum (a value longer than a comb or ``MaxLen``
field, text that does not fit a box even at 6 pt, rows beyond the form's rows, a
choice the official PDF has no export value for); the pre-fill checks
(``checks.py``) read the same plan, so what they warn about is exactly what
happens.  :func:`fill_official` then writes it.

How it is drawn: check boxes and radio buttons are set (``/V``, ``/AS``) and
flattened by qpdf with the official PDF's own appearance for the chosen export
value, so a box shows its own mark.  Text is drawn by Ombuds Desktop in its Noto
fonts into an overlay over each field's rectangle (single line shrunk to fit,
multi-line wrapped, comb fields one character per box): the official PDF's fonts
are usually not embedded and cannot show names outside Latin-1.  The result has no
form fields, no XFA and no scripts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from ombuds_desktop.dates import format_us
from ombuds_desktop.draft import Draft
from ombuds_desktop.formdef.model import FormDefinition
from ombuds_desktop.identifiers import format_a_number, normalize_a_number
from ombuds_desktop.official.errors import OfficialFormError
from ombuds_desktop.official.mapping import FieldMap, Mapping, Target, resolve
from ombuds_desktop.official.reader import OfficialField, OfficialForm, open_pdf

MIN_SIZE = 6.0
MAX_SIZE = 10.0
PAD = 2.0
LEADING = 1.15


@dataclass(frozen=True, slots=True)
class Problem:
    """Something the official form cannot show as it is (a finding before filling)."""

    kind: str  # required-empty | too-long | no-export-value | overflow | extra-rows
    path: str  # draft path ("s5.a_number") or the official field name when no path
    field_id: str | None
    message: str


@dataclass(frozen=True, slots=True)
class AddendumItem:
    number: int
    where: str  # "Section 2, Explanation ..."
    text: str


@dataclass(slots=True)
class FillPlan:
    texts: dict[str, str] = field(default_factory=dict)  # official name -> text shown
    buttons: dict[str, str | None] = field(default_factory=dict)  # name -> on state / off
    addendum: list[AddendumItem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def add(self, where: str, text: str) -> int:
        n = len(self.addendum) + 1
        self.addendum.append(AddendumItem(n, where, text))
        return n


# -- values --------------------------------------------------------------------------


def _raw(draft: Draft, t: Target, definition: FormDefinition) -> Any:
    """The answer a target names, or None when the form would not show it (a section or
    field hidden by the draft's other answers keeps no stale value on the official form)."""
    from ombuds_desktop.formdef.conditions import field_shown, section_shown

    top = definition.field(t.field_id)
    if not section_shown(definition.section(definition.section_of(t.field_id)), draft.values):
        return None
    if not field_shown(top, draft.values):
        return None
    v = draft.get(top.mirror or t.field_id)
    if t.row is not None:
        if not isinstance(v, list) or t.row >= len(v) or not isinstance(v[t.row], dict):
            return None
        row = v[t.row]
        if not field_shown(t.definition, draft.values, row):
            return None
        v = row.get(t.sub or "")
    if t.part:
        v = v.get(t.part) if isinstance(v, dict) else None
    return v


def _text(value: Any, t: Target, entry: FieldMap, definition: FormDefinition) -> str:
    from ombuds_desktop.packet.values import country, display

    if value is None or value == "" or value == []:
        return ""
    fdef = t.definition
    fmt = entry.format
    if t.part:
        text = country(value) if t.part == "country" else str(value).strip()
    elif fdef.type == "a_number" and fmt in ("digits", "a_number"):
        digits = normalize_a_number(str(value))
        text = digits if fmt == "digits" else format_a_number(digits)
    elif fdef.type == "date" or fmt == "mm/dd/yyyy":
        text = format_us(value)
    else:
        text = display(fdef, value, definition)
    if fmt == "upper":
        text = text.upper()
    return " ".join(text.split()) if "\n" not in text else text.strip()


def _key(value: Any) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return str(value)


def _checked(value: Any, option: Any) -> bool:
    if isinstance(value, list):
        return option in value
    if isinstance(option, bool) or option in ("yes", "no"):
        want = option if isinstance(option, bool) else option == "yes"
        return value is want
    return bool(value == option)


# -- fitting -------------------------------------------------------------------------


def _da_size(da: str) -> float:
    m = re.search(r"([\d.]+)\s+Tf", da or "")
    try:
        return float(m.group(1)) if m else 0.0
    except ValueError:
        return 0.0


def fit(f: OfficialField, text: str, da_size: float = 0.0) -> tuple[float, list[str]] | None:
    """The font size and lines that show ``text`` in ``f``'s first box, or None if it
    cannot fit (then it goes to the addendum)."""
    from ombuds_desktop.packet import fonts

    fonts.register()
    if not f.widgets:
        return None
    x0, y0, x1, y1 = f.widgets[0].rect
    w, h = x1 - x0 - 2 * PAD, y1 - y0
    if f.max_len and len(text) > f.max_len:
        return None
    start = da_size if da_size > 0 else (MAX_SIZE if f.multiline else min(MAX_SIZE, h * 0.7))
    start = max(start, MIN_SIZE)
    if f.comb:
        return (min(start, (w + 2 * PAD) / f.max_len * 1.2 if f.max_len else start), [text])
    size = start
    while size >= MIN_SIZE - 1e-6:
        if f.multiline:
            lines = fonts.wrap(text, fonts.REGULAR, size, w)
            if len(lines) * size * LEADING <= h - PAD:
                return size, lines
        elif "\n" not in text and fonts.width(text, fonts.REGULAR, size) <= w:
            return size, [text]
        size -= 0.5
    return None


# -- the plan -------------------------------------------------------------------------


def plan_fill(
    official: OfficialForm, mapping: Mapping, draft: Draft, definition: FormDefinition
) -> FillPlan:
    """What each official field shows, what goes to the addendum, and every problem."""
    plan = FillPlan()
    for entry in mapping.fields:
        f = official.field(entry.name)
        if f is None or not entry.target:
            continue
        t = resolve(definition, entry.target)
        value = _raw(draft, t, definition)
        where = definition.where(t.path)
        if f.kind == "checkbox":
            on = entry.on or (f.export_values[0] if f.export_values else "")
            checked = _checked(value, entry.option)
            if checked and on not in f.export_values:
                plan.problems.append(
                    Problem(
                        "no-export-value",
                        t.path,
                        t.field_id,
                        f"{where}: the official form's check box for this answer has no "
                        f"value {on!r}; the answer is written on the addendum instead",
                    )
                )
                plan.add(where, _text(value, t, entry, definition))
                checked = False
            plan.buttons[f.name] = on if checked else None
            if f.required and value in (None, "", []):
                _required(plan, f, t, where)
            continue
        if f.kind == "radio" or (f.kind == "choice" and entry.choices):
            if value in (None, "", []):
                plan.buttons[f.name] = None
                if f.required:
                    _required(plan, f, t, where)
                continue
            export = entry.choices.get(_key(value))
            if export is None or export not in f.export_values:
                shown = _text(value, t, entry, definition)
                plan.problems.append(
                    Problem(
                        "no-export-value",
                        t.path,
                        t.field_id,
                        f"{where}: the official form has no choice for {shown!r}; "
                        "it is written on the addendum instead",
                    )
                )
                n = plan.add(where, shown)
                plan.buttons[f.name] = None
                if f.kind == "choice":
                    plan.texts[f.name] = f"See addendum, item {n}."
                continue
            if f.kind == "radio":
                plan.buttons[f.name] = export
            else:
                plan.texts[f.name] = dict(f.options).get(export, export)
            continue
        text = _text(value, t, entry, definition)
        if not text:
            if f.required:
                _required(plan, f, t, where)
            continue
        if f.kind == "choice" and f.options:
            labels = {o[1] for o in f.options}
            if text not in labels and text not in dict(f.options):
                n = plan.add(where, text)
                plan.texts[f.name] = f"See addendum, item {n}."
                plan.problems.append(
                    Problem(
                        "no-export-value",
                        t.path,
                        t.field_id,
                        f"{where}: the official form's list has no choice {text!r}; it is "
                        f"written on the addendum (item {n})",
                    )
                )
                continue
        if fit(f, text) is None:
            if f.max_len and len(text) > f.max_len:
                kind, why = (
                    "too-long",
                    (
                        f"{len(text)} characters, more than the {f.max_len} the official "
                        f"form's {'boxes hold' if f.comb else 'field holds'}"
                    ),
                )
            else:
                kind, why = "overflow", "longer than the official form's box"
            n = plan.add(where, text)
            plan.texts[f.name] = f"See addendum, item {n}."
            plan.problems.append(
                Problem(
                    kind,
                    t.path,
                    t.field_id,
                    f"{where}: {why}; it continues on the addendum (item {n})",
                )  # fmt: skip
            )
        else:
            plan.texts[f.name] = text
    _extra_rows(plan, mapping, draft, definition)
    _unshown_options(plan, mapping, draft, definition)
    return plan


def _required(plan: FillPlan, f: OfficialField, t: Target, where: str) -> None:
    plan.problems.append(
        Problem(
            "required-empty",
            t.path,
            t.field_id,
            f"{where} is empty, and the official form marks this field as required",
        )
    )


def _extra_rows(plan: FillPlan, mapping: Mapping, draft: Draft, definition: FormDefinition) -> None:
    """Rows of a repeating group beyond the official form's rows go to the addendum."""
    from ombuds_desktop.packet.values import display

    rows: dict[str, set[int]] = {}
    for e in mapping.fields:
        if e.target and "[" in e.target:
            t = resolve(definition, e.target)
            rows.setdefault(t.field_id, set()).add(t.row or 0)
    for group_id, have in rows.items():
        values = draft.get(group_id)
        if not isinstance(values, list):
            continue
        group = definition.field(group_id)
        for i, row in enumerate(values):
            if i in have or not isinstance(row, dict):
                continue
            parts = [
                f"{sub.label}: {display(sub, row.get(sub.id), definition)}"
                for sub in group.fields
                if sub.printed and display(sub, row.get(sub.id), definition)
            ]
            where = definition.where(f"{group_id}[{i}]")
            n = plan.add(where, "; ".join(parts))
            plan.problems.append(
                Problem(
                    "extra-rows",
                    f"{group_id}[{i}]",
                    group_id,
                    f"{where}: the official form has {len(have)} rows for this; the row is "
                    f"printed on the addendum (item {n})",
                )
            )


def _unshown_options(
    plan: FillPlan, mapping: Mapping, draft: Draft, definition: FormDefinition
) -> None:
    """A chosen option whose check box the official form does not have (or was not mapped)."""
    boxes: dict[str, set[str]] = {}
    for e in mapping.fields:
        if e.target and e.option is not None and "[" not in e.target:
            boxes.setdefault(e.target, set()).add(_key(e.option))
    for target, have in boxes.items():
        t = resolve(definition, target)
        value = _raw(draft, t, definition)
        chosen = value if isinstance(value, list) else ([] if value in (None, "") else [value])
        for v in chosen:
            if _key(v) in have or t.definition.type == "yes_no":
                continue
            label = t.definition.option_label(str(v))
            where = definition.where(t.path)
            n = plan.add(where, label)
            plan.problems.append(
                Problem(
                    "no-export-value",
                    t.path,
                    t.field_id,
                    f"{where}: the official form has no check box for {label!r}; it is "
                    f"written on the addendum (item {n})",
                )
            )


# -- writing -----------------------------------------------------------------------------


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
        draw_marks: list[tuple[int, tuple[float, float, float, float]]] = []
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
                        draw_marks.append((info.page, info.rect))
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
    marks: list[tuple[int, tuple[float, float, float, float]]],
    missing: set[str],
) -> None:
    from reportlab.pdfgen.canvas import Canvas

    from ombuds_desktop.packet import fonts

    fonts.register()
    per_page: dict[int, list[tuple[OfficialField, str]]] = {}
    for f in official.fields:
        text = plan.texts.get(f.name)
        if text and f.widgets:
            per_page.setdefault(f.widgets[0].page, []).append((f, text))
    mark_pages: dict[int, list[tuple[float, float, float, float]]] = {}
    for page, rect in marks:
        mark_pages.setdefault(page, []).append(rect)
    for i in sorted(set(per_page) | set(mark_pages)):
        x0p, y0p, x1p, y1p = official.page_sizes[i]
        buf = BytesIO()
        c = Canvas(buf, pagesize=(x1p - x0p, y1p - y0p), invariant=1)
        c.translate(-x0p, -y0p)
        for f, text in per_page.get(i, []):
            missing |= fonts.missing_glyphs(text)
            _draw_text(c, f, text)
        for x0, y0, x1, y1 in mark_pages.get(i, []):
            size = min(x1 - x0, y1 - y0) * 0.8
            c.setFont("ZapfDingbats", size)
            c.drawCentredString((x0 + x1) / 2, (y0 + y1) / 2 - size * 0.35, "4")
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
    from ombuds_desktop.packet import fonts

    x0, y0, x1, y1 = f.widgets[0].rect
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

    from ombuds_desktop.packet import fonts

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
