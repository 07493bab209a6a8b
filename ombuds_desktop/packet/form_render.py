"""DHS Form 7001 on paper, drawn entirely from the edition file.

Every printed section appears in the edition's order with its heading; each
field prints by its *type* (boxes with captions, every option with a checked or
empty box, tables for repeating groups, lines for signatures).  Text that does
not fit its space continues on an addendum page that names the section and
item, so nothing is ever cut off.  Hidden fields (``shown_if`` false) are not
printed; a hidden section keeps its heading with "Not applicable" so the
reader sees that nothing is missing.  Items carry the edition's item numbers
("Section 2, Item 6"); a heading stays with its first item, choices with each
other, a consent with its signature block.  The pages speak to the CIS
Ombudsman only: notes for the attorney are in the checks, not here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from ombuds_desktop.dates import format_us
from ombuds_desktop.draft import Draft, facts
from ombuds_desktop.formdef.model import FieldDef, FormDefinition, Section
from ombuds_desktop.packet.layout import (
    BAR,
    BOTTOM,
    FAINT,
    LEFT,
    MUTED,
    PROVENANCE,
    RIGHT,
    SHADE,
    TOP,
    WIDTH,
    Rendered,
    Sheet,
    render_paged,
)
from ombuds_desktop.packet.plan import PacketPlan, plan_packet
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

CAPTION = 6.8  # caption size inside boxes
VALUE = 9.5  # answer size
LEADING = 12.0
LONG_TEXT_LINES = 8  # default box height of a long_text without pdf_lines
TEXT_LINES = 4  # a one-line text answer may grow to this many lines, then continues
CELL_LINES = 8  # lines per table cell before it continues on the addendum
HALF_TYPES = frozenset(
    {
        "date",
        "a_number",
        "uscis_account",
        "phone",
        "email",
        "country",
        "us_state",
        "receipt_number",
        "srmt_number",
    }
)
COLUMN_WIDTHS = {
    "date": 62.0,
    "yes_no": 64.0,
    "receipt_number": 92.0,
    "a_number": 82.0,
    "us_state": 74.0,
    "uscis_account": 92.0,
    "phone": 90.0,
    "country": 90.0,
}
ROW_NUMBER_W = 18.0


@dataclass(slots=True)
class _Continuation:
    """Text or table rows that did not fit, printed on the addendum."""

    heading: str
    label: str
    text: str = ""
    group: FieldDef | None = None
    rows: Sequence[tuple[int, Mapping[str, Any]]] = field(default_factory=list)


def item_name(field_id: str) -> str:
    """ "s2.explanation" -> "explanation": the short name used in addendum headings."""
    return field_id.rsplit(".", 1)[-1].replace("_", " ")


def place(sec: Section, f: FieldDef) -> str:
    """ "Section 2, Item 6": where an answer is, as readers of USCIS forms say it."""
    return f"Section {sec.number}, " + (f"Item {f.item}" if f.item else item_name(f.id))


def footer_for(
    definition: FormDefinition, draft: Draft, what: str | None = None
) -> Callable[[int, int | None], str]:
    client = facts.client_name(draft) or "(client name not entered)"
    doc = what or definition.number

    def footer(page: int, total: int | None) -> str:
        return f"{doc} · Page {page} of {total if total else '…'} · {client} · {PROVENANCE}"

    return footer


class _FormWriter:
    def __init__(
        self,
        draft: Draft,
        definition: FormDefinition,
        plan: PacketPlan,
        notes: Mapping[str, Sequence[str]],
    ) -> None:
        self.draft, self.d, self.plan, self.notes = draft, definition, plan, notes
        self.values = draft.values
        self.pending: list[_Continuation] = []
        self.s: Sheet

    # -- page furniture -------------------------------------------------------
    def header(self, s: Sheet) -> None:
        if s.page == 1:
            self._first_header(s)
            return
        with s.artifact():  # a running header, read once on page 1
            s.text(LEFT, TOP, f"{self.d.number} · {self.d.title}", font=BOLD, size=8, color=MUTED)
            s.text(RIGHT, TOP, self._identity(), size=7.5, color=MUTED, align="right")
            s.hline(LEFT, RIGHT, TOP - 5, color=FAINT, width=0.5)
        s.y = TOP - 16

    def _identity(self) -> str:
        parts = [f"OMB No. {self.d.omb}"]
        if self.d.edition_label:
            parts.append(self.d.edition_label)
        return " · ".join(parts)

    def _first_header(self, s: Sheet) -> None:
        d = self.d
        top = TOP + 6
        with s.tag("H1"):
            s.text(LEFT, top - 14, d.number, font=BOLD, size=17)
            s.text(LEFT, top - 31, d.title, font=BOLD, size=12.5, color=BAR)
        y = top - 43
        with s.tag("P"):
            for line in s.wrap(d.agency, 300, size=7.5):
                s.text(LEFT, y, line, size=7.5, color=MUTED)
                y -= 9.5
        box_w, box_x = 168.0, RIGHT - 168.0
        lines = [f"OMB No. {d.omb}"]
        if d.edition_label:
            lines.append(d.edition_label)
        if d.expires:
            lines.append(f"Expires {format_us(d.expires)}")
        box_h = 8 + 11 * len(lines)
        s.box(box_x, top - 4, box_w, box_h, stroke=BAR, width=0.8)
        for i, line in enumerate(lines):  # one paragraph each: OMB number, edition, expiry
            s.text(
                box_x + box_w / 2,
                top - 15 - 11 * i,
                line,
                font=BOLD if i == 0 else REGULAR,
                size=8.5,
                align="center",
            )
        s.y = min(y, top - 4 - box_h) - 4
        s.hline(LEFT, RIGHT, s.y, color=BAR, width=1.6)
        s.y -= 6
        # Notes to the filer only; the reconstructed-wording note is the attorney's (build notes).
        notes = [n for key in ("deadline_note", "fee_note") if (n := d.notes.get(key))]
        for note in notes:
            s.paragraph(note, size=7.3, leading=9, color=MUTED, after=2.5)
        s.y -= 6

    # -- sections -------------------------------------------------------------
    def draw(self, s: Sheet) -> None:
        self.s, self.pending = s, []
        for section in self.d.sections:
            if section.printed:
                self.section(section)
        if self.pending:
            self.addendum()

    # -- keeping things together ---------------------------------------------------
    def _measure(self, parts: Sequence[Callable[[], None]]) -> float:
        """The height ``parts`` take, drawn on the layout engine's measuring sheet."""
        real, pending = self.s, len(self.pending)

        def run(m: Sheet) -> None:
            self.s = m
            for part in parts:
                part()

        try:
            return real.measure(run)
        finally:
            self.s = real
            del self.pending[pending:]

    def _keep(self, *parts: Callable[[], None], least: float = 0.0) -> None:
        """Draw ``parts`` on one page when they fit on one; a block taller than a page
        still gets ``least`` points before its page break (never a heading alone)."""
        s = self.s
        if not s.measuring:
            need = self._measure(parts)
            if not s.keep(need) and least:
                s.ensure(min(least, need))
        for part in parts:
            part()

    def _items(self, sec: Section) -> list[tuple[str, Callable[[], None]]]:
        """The section's blocks in order: ("field" | "breakable" | "signature", draw)."""
        fields = [f for f in sec.fields if f.printed and field_shown(f, self.values)]
        items: list[tuple[str, Callable[[], None]]] = []
        half: list[FieldDef] = []

        def flush() -> None:
            if half:
                row = list(half)
                items.append(("field", lambda: self.boxes_row(row, sec)))
                half.clear()

        i = 0
        while i < len(fields):
            f = fields[i]
            if f.type in HALF_TYPES:
                half.append(f)
                if len(half) == 2:
                    flush()
                i += 1
                continue
            flush()
            if f.type == "signature":
                nxt = fields[i + 1] if i + 1 < len(fields) else None
                paired = nxt if nxt is not None and nxt.type == "date" else None
                items.append(("signature", partial(self.signature, f, paired)))
                i += 2 if paired else 1
                continue
            kind = "breakable" if f.type in ("long_text", "group", "attachments") else "field"
            items.append((kind, partial(self.field, f, sec)))
            i += 1
        flush()
        for note in self.notes.get(sec.id, ()):
            items.append(("field", partial(self.note, note)))
        return items

    def section(self, sec: Section) -> None:
        """Keep rules: the heading with the first block; a consent section (consent, choices,
        printed name, signature, date) on one page when it fits on one, else its consent
        right above the signature line; a signature never alone on a page."""
        shown = section_shown(sec, self.values)

        def heading() -> None:
            self.s.bar(sec.heading)
            self.s.mark(sec.heading, 1)
            if sec.intro and shown:
                self.s.paragraph(sec.intro, size=8, leading=10, color=MUTED, after=4)

        if not shown:
            self._keep(
                heading,
                lambda: self.s.paragraph(
                    "Not applicable to this request.", size=8.5, color=MUTED, after=8
                ),
            )
            return
        text = self.d.consent.get(sec.consent_text, "") if sec.consent_text else ""
        items = self._items(sec)
        signed = next((k for k, (kind, _) in enumerate(items) if kind == "signature"), None)
        whole = [heading, *([lambda: self.consent(text)] if text else []), *(d for _, d in items)]
        if text and signed is not None and self._measure(whole) <= self.s.fresh_room():
            self._keep(*whole)
        else:
            if text:  # the consent goes with what signs it, or opens the section
                items.insert(signed or 0, ("consent", lambda: self.consent(text)))
            self._lay_out(heading, items)
        self.s.y -= 6

    def _lay_out(
        self, heading: Callable[[], None], items: list[tuple[str, Callable[[], None]]]
    ) -> None:
        k, first = 0, True
        while k < len(items):
            kind, draw = items[k]
            group = [draw]
            k += 1
            # a consent and a signature line stay with what they lead to / close
            while k < len(items) and (kind == "consent" or items[k][0] == "signature"):
                kind, nxt = items[k]
                group.append(nxt)
                k += 1
            if first:
                self._keep(heading, *group, least=110.0)
                first = False
            elif len(group) > 1 or kind != "breakable":
                self._keep(*group)
            else:
                draw()
        if first:
            self._keep(heading)

    def consent(self, text: str) -> None:
        if not text:
            return
        s = self.s
        lines = s.wrap(text, WIDTH - 16, size=9)
        h = len(lines) * 11.5 + 10
        if h < 600:
            s.ensure(h + 4)
            s.box(LEFT, s.y, WIDTH, h, fill=SHADE, stroke=SHADE)
            s.y -= 6
            with s.tag("P"):
                for line in lines:
                    s.y -= 11.5
                    s.text(LEFT + 8, s.y + 3, line, size=9)
            s.y -= 10
        else:
            s.paragraph(text, size=9, after=6)

    def note(self, text: str) -> None:
        s = self.s
        lines = s.wrap(text, WIDTH - 20, size=8.5)
        h = len(lines) * 11 + 8
        s.ensure(h + 4)
        s.box(LEFT, s.y, WIDTH, h, stroke=BAR, width=0.9)
        s.c.setFillColor(BAR)
        s.c.rect(LEFT, s.y - h, 3.5, h, stroke=0, fill=1)
        y = s.y - 4
        with s.tag("P"):
            for line in lines:
                y -= 11
                s.text(LEFT + 10, y + 2.5, line, size=8.5)
        s.y -= h + 6

    # -- fields ----------------------------------------------------------------
    def field(self, f: FieldDef, sec: Section) -> None:
        t = f.type
        if t in ("single_choice", "multiple_choice"):
            self.choices(f)
        elif t == "yes_no":
            self.yes_no(f)
        elif t == "person_name":
            self.composite(
                f,
                (("family", 0.4), ("given", 0.35), ("middle", 0.25)),
            )
        elif t == "address":
            self.composite(
                f,
                (("street", 0.72), ("unit", 0.28)),
                (("city", 0.34), ("state", 0.22), ("postal_code", 0.18), ("country", 0.26)),
            )
        elif t == "group":
            self.group(f, sec)
        elif t == "attachments":
            self.attachments(f)
        elif t == "long_text":
            self.long_text(f, sec)
        else:
            self.boxes_row([f], sec)

    def _box_height(self, n_lines: int) -> float:
        return 11 + LEADING * max(1, n_lines) + 2

    def boxes_row(self, fields: Sequence[FieldDef], sec: Section) -> None:
        """One or two simple answers side by side, each in a captioned box."""
        s = self.s
        gap = 8.0
        w = WIDTH if len(fields) == 1 and fields[0].type not in HALF_TYPES else (WIDTH - gap) / 2
        cells = []
        for f in fields:
            text = display(f, value_of(f, self.values), self.d)
            wrapped = fonts.wrap_lines(text, REGULAR, VALUE, w - 8) if text else []
            if len(wrapped) > TEXT_LINES:
                shown = [line for line, _ in wrapped[: TEXT_LINES - 1]]
                heading = place(sec, f)
                shown.append(f"(continued on the addendum: {heading})")
                self.pending.append(
                    _Continuation(heading, f.label, fonts.rest_of(wrapped, TEXT_LINES - 1))
                )
            else:
                shown = [line for line, _ in wrapped]
            cells.append((f, shown))
        h = max(self._box_height(len(lines)) for _, lines in cells)
        caption_lines = max(len(s.wrap(f.numbered_label, w - 6, size=CAPTION)) for f, _ in cells)
        h += 8 * (caption_lines - 1)
        s.ensure(h + 4)
        x = LEFT
        for f, lines in cells:
            self._boxed(x, s.y, w, h, f.numbered_label, lines)
            x += w + gap
        s.y -= h + 4

    def _boxed(
        self, x: float, top: float, w: float, h: float, caption: str, lines: Sequence[str]
    ) -> None:
        """A box with a small caption at its top (wrapped if long) and the answer below."""
        s = self.s
        s.box(x, top, w, h)
        caps = s.wrap(caption, w - 6, size=CAPTION)
        y = top - 7.5
        div = s.tags.element("Div")  # a printed field: its caption, then its answer
        with s.group(div), s.tag("Lbl"):
            for cap in caps:
                s.text(x + 3, y, cap, size=CAPTION, color=MUTED)
                y -= 8
        y = y + 8 - LEADING + 0.5
        with s.group(div), s.tag("P") if lines else s.artifact():  # no empty answers
            for line in lines:
                s.text(
                    x + 4,
                    y,
                    line,
                    font=BOLD if line.startswith("(continued on") else REGULAR,
                    size=VALUE if not line.startswith("(continued on") else 7.5,
                )
                y -= LEADING

    def label_line(
        self,
        text: str,
        *,
        size: float = 8.5,
        indent: float = 0.0,
        keep: float = 0.0,
        role: str = "P",
    ) -> None:
        s = self.s
        lines = s.wrap(text, WIDTH - indent, font=BOLD, size=size)
        s.ensure(len(lines) * (size + 2.5) + keep)
        with s.tag(role):
            for line in lines:
                s.y -= size + 2.5
                s.text(LEFT + indent, s.y + 1.5, line, font=BOLD, size=size)
        s.y -= 2

    def composite(self, f: FieldDef, *rows: tuple[tuple[str, float], ...]) -> None:
        s = self.s
        value = value_of(f, self.values)
        h = self._box_height(1)
        self.label_line(f.numbered_label, keep=h * len(rows) + 4)
        letters = iter("abcdefghijklmnopqrstuvwxyz")
        for row in rows:
            x = LEFT
            for part, frac in row:
                w = WIDTH * frac
                text = part_value(part, value)
                lines = s.wrap(text, w - 8, size=VALUE) if text else []
                caption = PART_LABELS[part]
                if f.item:  # "4.a Street", as USCIS numbers the parts of an item
                    caption = f"{f.item}.{next(letters)} {caption}"
                self._boxed(x, s.y, w, max(h, self._box_height(len(lines))), caption, lines)
                x += w
            tallest = max(
                self._box_height(len(s.wrap(part_value(p, value), WIDTH * fr - 8, size=VALUE)))
                for p, fr in row
            )
            s.y -= max(h, tallest)
        s.y -= 5

    def yes_no(self, f: FieldDef) -> None:
        s = self.s
        value = value_of(f, self.values)
        lines = s.wrap(f.numbered_label, WIDTH - 120, size=9)
        h = max(len(lines), 1) * 11.5 + 7
        s.ensure(h + 3)
        s.box(LEFT, s.y, WIDTH, h)
        y = s.y - 12
        with s.tag("P"):
            for line in lines:
                s.text(LEFT + 5, y, line, size=9)
                y -= 11.5
        bx = RIGHT - 104
        by = s.y - 13.5
        with s.group("L"):
            with s.group("LI"):
                s.checkbox(bx, by, value is True)
                with s.tag("LBody"):
                    s.text(bx + 12, by + 1, "Yes", size=9)
            with s.group("LI"):
                s.checkbox(bx + 52, by, value is False)
                with s.tag("LBody"):
                    s.text(bx + 64, by + 1, "No", size=9)
        s.y -= h + 4

    def choices(self, f: FieldDef) -> None:
        """Every option with a box, checked when chosen (as on a paper form)."""
        s = self.s
        value = value_of(f, self.values)
        chosen = set(value if isinstance(value, list) else [value] if value else [])
        options = options_for(f, self.d)
        col_w = (WIDTH - 12) / 2
        two = (
            all(fonts.width(o.label, REGULAR, 9) <= col_w - 18 for o in options)
            and len(options) > 2
        )
        first_h = (
            11.5 * len(s.wrap(options[0].label, (col_w if two else WIDTH - 12) - 18, size=9)) + 3
            if options
            else 0
        )
        self.label_line(f.numbered_label, keep=first_h)
        # A list in the options' order (down the first column, then the second).
        with s.group("L"):
            items = [s.tags.element("LI") for _ in options]
        if two:
            per_col = (len(options) + 1) // 2
            for r in range(per_col):
                s.ensure(14)
                for c in range(2):
                    k = c * per_col + r
                    if k < len(options):
                        opt = options[k]
                        x = LEFT + 6 + c * (col_w + 6)
                        with s.group(items[k]):
                            s.checkbox(x, s.y - 10, opt.id in chosen)
                            with s.tag("LBody"):
                                s.text(x + 13, s.y - 9, opt.label, size=9)
                s.y -= 13.5
        else:
            for k, opt in enumerate(options):
                lines = s.wrap(opt.label, WIDTH - 30, size=9)
                s.ensure(11.5 * len(lines) + 3)
                y = s.y - 9
                with s.group(items[k]):
                    s.checkbox(LEFT + 6, s.y - 10, opt.id in chosen)
                    with s.tag("LBody"):
                        for line in lines:
                            s.text(LEFT + 19, y, line, size=9)
                            y -= 11.5
                s.y -= 11.5 * len(lines) + 2
        unknown = [v for v in chosen if v not in {o.id for o in options}]
        if unknown:
            s.paragraph(
                "Other answer recorded: " + "; ".join(str(v) for v in unknown), x=LEFT + 6, size=9
            )
        s.y -= 5

    def long_text(self, f: FieldDef, sec: Section) -> None:
        s = self.s
        budget = f.pdf_lines or LONG_TEXT_LINES
        text = str(value_of(f, self.values) or "")
        wrapped = fonts.wrap_lines(text, REGULAR, VALUE, WIDTH - 10) if text.strip() else []
        if len(wrapped) > budget:
            heading = place(sec, f)
            shown = [line for line, _ in wrapped[: budget - 1]]
            self.pending.append(_Continuation(heading, f.label, fonts.rest_of(wrapped, budget - 1)))
            tail = f"(continued on the addendum: {heading})"
        else:
            shown, tail = [line for line, _ in wrapped], ""
        rows = budget if f.pdf_lines else max(2, len(shown))
        lines: list[tuple[str, bool]] = [(line, False) for line in shown]
        if tail:
            lines.append((tail, True))
        lines += [("", False)] * (rows - len(lines))
        # The box may break across pages (with its label repeated) rather than leave a
        # quarter page empty; at least four lines stay together.
        self.label_line(f.numbered_label, keep=min(rows, 4) * LEADING + 12)
        first = True
        while lines:
            room = int((s.y - 8 - BOTTOM) // LEADING)
            if room < min(4, len(lines)):
                s.new_page()
                room = int((s.y - 8 - BOTTOM) // LEADING)
            if not first:
                self.label_line(f"{f.numbered_label} (continued)", size=7.5)
                room = int((s.y - 8 - BOTTOM) // LEADING)
            part, lines = lines[:room], lines[room:]
            if not any(text for text, _ in lines):  # only empty writing lines would continue
                lines = []
            h = len(part) * LEADING + 8
            s.box(LEFT, s.y, WIDTH, h)
            y = s.y - LEADING + 1
            with s.tag("P") if any(line for line, _ in part) else s.artifact():
                for line, is_tail in part:
                    if is_tail:
                        s.text(LEFT + 5, y, line, font=BOLD, size=7.8, color=BAR)
                    else:
                        s.text(LEFT + 5, y, line, size=VALUE)
                    y -= LEADING
            s.y -= h + (6 if not lines else 0)
            first = False

    def signature(self, f: FieldDef, date_field: FieldDef | None) -> None:
        """A line to sign by hand, labelled for who signs; the app never draws, types or
        pastes a signature.  Its date line stays blank: a hand signature is dated by hand
        when it is signed, never pre-dated by a typed date."""
        s = self.s
        sig_w = WIDTH * 0.62 if date_field else WIDTH * 0.75
        label = s.wrap(f"{f.item}. " * bool(f.item) + f.label_for(self.values), sig_w, size=7.5)
        s.ensure(38 + 9 * len(label))
        s.y -= 30
        with s.group("Div"):  # one block: the line's label (with its item number), the date's
            s.hline(LEFT, LEFT + sig_w, s.y, width=0.9)
            with s.tag("Lbl"):
                for n, line in enumerate(label):
                    s.text(LEFT, s.y - 9 - 9 * n, line, size=7.5, color=MUTED)
            if date_field is not None:
                x = LEFT + sig_w + 24
                s.hline(x, RIGHT, s.y, width=0.9)
                with s.tag("Lbl"):  # the date is written by hand: no answer to read
                    s.text(
                        x,
                        s.y - 9,
                        f"{date_field.numbered_label} (mm/dd/yyyy)",
                        size=7.5,
                        color=MUTED,
                    )
        s.y -= 18 + 9 * (len(label) - 1)

    # -- tables -----------------------------------------------------------------
    def _columns(self, g: FieldDef) -> list[FieldDef]:
        ids = g.pdf_columns or tuple(sub.id for sub in g.fields if sub.printed)
        return [sub for i in ids if (sub := g.subfield(i)) is not None and sub.printed]

    def _widths(self, cols: Sequence[FieldDef]) -> list[float]:
        avail = WIDTH - ROW_NUMBER_W
        fixed = {i: COLUMN_WIDTHS[c.type] for i, c in enumerate(cols) if c.type in COLUMN_WIDTHS}
        for i, c in enumerate(cols):  # short free text (a form number) needs no more room
            if i not in fixed and c.type == "text" and c.max_length and c.max_length <= 40:
                fixed[i] = 74.0 + c.max_length
        weights = {
            i: (2.2 if c.type == "long_text" else 1.0) for i, c in enumerate(cols) if i not in fixed
        }
        rest = avail - sum(fixed.values())
        if not weights:  # only fixed columns: stretch them to the full width
            scale = avail / sum(fixed.values())
            return [fixed[i] * scale for i in range(len(cols))]
        if weights and rest < 60 * len(weights):  # too many fixed columns: share evenly
            return [avail / len(cols)] * len(cols)
        total_w = sum(weights.values()) or 1
        return [fixed.get(i, rest * weights.get(i, 0) / total_w) for i in range(len(cols))]

    def _table_header(self, cols: Sequence[FieldDef], widths: Sequence[float]) -> float:
        s = self.s
        caps = [
            s.wrap(c.label, w - 6, font=BOLD, size=7) for c, w in zip(cols, widths, strict=True)
        ]
        h = max(len(c) for c in caps) * 8.5 + 6
        s.box(LEFT, s.y, WIDTH, h, fill=SHADE)
        th = {"O": "Table", "Scope": "Column"}
        with s.group("TR"):
            with s.tag("TH", attrs=th):
                s.text(LEFT + 4, s.y - 9, "#", font=BOLD, size=7)
            x = LEFT + ROW_NUMBER_W
            for cap, w in zip(caps, widths, strict=True):
                s.hline(x, x, s.y, color=FAINT, width=0.5)
                s.c.line(x, s.y, x, s.y - h)
                y = s.y - 9
                with s.tag("TH", attrs=th):
                    for line in cap:
                        s.text(x + 3, y, line, font=BOLD, size=7)
                        y -= 8.5
                x += w
        s.y -= h
        return h

    def _cell(
        self, sub: FieldDef, row: Mapping[str, Any], width: float, where: str
    ) -> tuple[list[str], bool | None]:
        """Lines of a cell (continuing on the addendum past CELL_LINES), or a checkbox."""
        if not field_shown(sub, self.values, row):
            return [], None
        value = row.get(sub.id)
        if sub.type == "yes_no":
            return [], value is True
        text = display(sub, value, self.d)
        wrapped = fonts.wrap_lines(text, REGULAR, 8.5, width - 6) if text else []
        if len(wrapped) > CELL_LINES:
            heading = f"{where}, {sub.label}"
            self.pending.append(
                _Continuation(heading, sub.label, fonts.rest_of(wrapped, CELL_LINES - 1))
            )
            head = [line for line, _ in wrapped[: CELL_LINES - 1]]
            return [*head, "(continued on the addendum)"], None
        return [line for line, _ in wrapped], None

    def _details(self, g: FieldDef, cols: Sequence[FieldDef], row: Mapping[str, Any]) -> str:
        """Answers of a row that have no column (e.g. "No receipt notice received yet")."""
        col_ids = {c.id for c in cols}
        parts = []
        for sub in g.fields:
            if sub.id in col_ids or not sub.printed or not field_shown(sub, self.values, row):
                continue
            value = row.get(sub.id)
            if value is None or value == "" or value == [] or value is False:
                continue
            parts.append(f"{sub.label}: {display(sub, value, self.d)}")
        return " · ".join(parts)

    def table(
        self,
        g: FieldDef,
        sec: Section,
        rows: Sequence[tuple[int, Mapping[str, Any]]],
        blank_rows: int = 0,
    ) -> None:
        s = self.s
        cols = self._columns(g)
        widths = self._widths(cols)
        s.ensure(40)
        with s.group("Table") as tbl:
            self._table_header(cols, widths)
        entries: list[tuple[int, Mapping[str, Any]] | None] = list(rows) + [None] * blank_rows
        for entry in entries:
            if entry is None:
                cells: list[tuple[list[str], bool | None]] = [
                    ([], False if c.type == "yes_no" else None) for c in cols
                ]
                number, details = "", ""
            else:
                idx, row = entry
                where = f"{place(sec, g)}, row {idx + 1}"
                cells = [self._cell(c, row, w, where) for c, w in zip(cols, widths, strict=True)]
                number, details = str(idx + 1), self._details(g, cols, row)
            detail_lines = s.wrap(details, WIDTH - ROW_NUMBER_W - 6, size=7.5) if details else []
            h = max([max(len(lines), 1) * 10.5 + 6 for lines, _ in cells] or [16.5])
            h = max(h, 16.5)
            dh = len(detail_lines) * 9.5 + (3 if detail_lines else 0)
            if s.ensure(h + dh):
                with s.artifact():  # repeated on the new page: read once
                    self.label_line(f"{g.label} (continued)", size=7.5)
                    self._table_header(cols, widths)
            s.box(LEFT, s.y, WIDTH, h + dh)
            tr = s.tags.element("TR", parent=tbl)
            with s.tag("TD", parent=tr):
                s.text(LEFT + 4, s.y - 10.5, number, size=8, color=MUTED)
            x = LEFT + ROW_NUMBER_W
            for (lines, check), w in zip(cells, widths, strict=True):
                s.hline(x, x, s.y, color=FAINT, width=0.5)
                s.c.line(x, s.y, x, s.y - h)
                with s.tag("TD", parent=tr):
                    if check is not None:
                        s.checkbox(x + w / 2 - 4.25, s.y - 12.5, check)
                    y = s.y - 10.5
                    for line in lines:
                        bold = line == "(continued on the addendum)"
                        s.text(
                            x + 3, y, line, font=BOLD if bold else REGULAR, size=7 if bold else 8.5
                        )
                        y -= 10.5
                x += w
            if detail_lines:
                s.hline(LEFT + ROW_NUMBER_W, RIGHT, s.y - h, color=FAINT, width=0.4)
                y = s.y - h - 9
                span = {"O": "Table", "ColSpan": len(cols) + 1}
                tr = s.tags.element("TR", parent=tbl)
                with s.tag("TD", parent=tr, attrs=span):
                    for line in detail_lines:
                        s.text(LEFT + ROW_NUMBER_W + 3, y, line, size=7.5, color=MUTED)
                        y -= 9.5
            s.y -= h + dh
        s.y -= 6

    def group(self, g: FieldDef, sec: Section) -> None:
        raw = value_of(g, self.values)
        rows = [
            (i, r)
            for i, r in enumerate(raw if isinstance(raw, list) else [])
            if isinstance(r, dict)
        ]
        limit = g.pdf_rows
        shown = rows if limit is None else rows[:limit]
        blank = 0
        if not rows:
            blank = max(limit or 1, 1)
        elif limit is not None and len(rows) < limit:
            blank = limit - len(rows)
        self.label_line(g.numbered_label, keep=40)
        self.table(g, sec, shown, blank)
        if limit is not None and len(rows) > limit:
            heading = place(sec, g)
            first, last = rows[limit][0] + 1, rows[-1][0] + 1
            self.s.paragraph(
                f"Rows {first}–{last} continue on the addendum: {heading}.",
                font=BOLD,
                size=7.8,
                color=BAR,
                after=6,
            )
            self.pending.append(_Continuation(heading, g.label, group=g, rows=rows[limit:]))

    def attachments(self, f: FieldDef) -> None:
        """The supporting documents, with where each one is in the packet."""
        s = self.s
        self.label_line(f.numbered_label, keep=40)
        items = self.plan.all_attachments()
        cols = (
            ("Exhibit / place", 92.0),
            ("Description", 0.0),
            ("Category", 150.0),
            ("Date", 62.0),
        )
        fixed = sum(w for _, w in cols)
        widths = [w or WIDTH - fixed for _, w in cols]
        h = 15.0
        s.ensure(h + 18)

        def head() -> None:
            s.box(LEFT, s.y, WIDTH, h, fill=SHADE)
            x = LEFT
            with s.group("TR", parent=tbl):
                for (title, _), w in zip(cols, widths, strict=True):
                    with s.tag("TH", attrs={"O": "Table", "Scope": "Column"}):
                        s.text(x + 3, s.y - 10, title, font=BOLD, size=7)
                    x += w
            s.y -= h

        tbl = s.tags.element("Table")
        head()
        if not items:
            s.box(LEFT, s.y, WIDTH, 16)
            with s.group("TR", parent=tbl), s.tag("TD", attrs={"O": "Table", "ColSpan": 4}):
                s.text(
                    LEFT + 4, s.y - 11, "No supporting documents attached.", size=8.5, color=MUTED
                )
            s.y -= 22
            return
        for att in items:
            cat = self.d.category(att.category)
            cells = [
                self.plan.location(att.id),
                att.description,
                cat.label if cat else att.category,
                format_us(att.date),
            ]
            wrapped = [s.wrap(c, w - 6, size=8) for c, w in zip(cells, widths, strict=True)]
            rh = max(max(len(x), 1) for x in wrapped) * 10 + 6
            if s.ensure(rh):
                with s.artifact():  # repeated on the new page: read once
                    self.label_line(f"{f.label} (continued)", size=7.5)
                    head()
            s.box(LEFT, s.y, WIDTH, rh)
            x = LEFT
            tr = s.tags.element("TR", parent=tbl)
            for lines, w in zip(wrapped, widths, strict=True):
                y = s.y - 10
                with s.tag("TD", parent=tr):
                    for line in lines:
                        s.text(x + 3, y, line, size=8)
                        y -= 10
                x += w
            s.y -= rh
        s.y -= 8

    # -- addendum -------------------------------------------------------------------
    def addendum(self) -> None:
        s = self.s
        s.ensure(120)
        s.bar("Addendum: answers continued from the pages above")
        s.mark("Addendum", 1)
        sections = {f"Section {sec.number}": sec for sec in self.d.sections}
        for item in self.pending:  # may grow while printing (a long cell in a continued row)
            s.ensure(50)
            s.y -= 4
            self.label_line(item.heading, size=10, role="H3")
            s.paragraph(item.label, size=7.8, color=MUTED, after=4)
            if item.group is not None:
                sec = sections.get(item.heading.split(",")[0])
                if sec is not None:
                    self.table(item.group, sec, item.rows)
                continue
            heading = item.heading

            def again(heading: str = heading) -> None:
                s.text(LEFT, s.y - 9, f"{heading} (continued)", font=BOLD, size=8, color=MUTED)
                s.y -= 14

            s.paragraph(item.text, size=VALUE, leading=LEADING, after=8, on_break=again)


def render_form(
    draft: Draft,
    definition: FormDefinition,
    *,
    plan: PacketPlan | None = None,
    section_notes: Mapping[str, Sequence[str]] | None = None,
) -> Rendered:
    """Form 7001 for ``draft`` as a PDF, with a bookmark per section."""
    plan = plan or plan_packet(draft, definition)
    writer = _FormWriter(draft, definition, plan, section_notes or {})
    title = f"{definition.number}, {definition.title}"
    return render_paged(
        title, writer.draw, footer=footer_for(definition, draft), header=writer.header
    )
