"""The exhibit index and the tab pages (``field-conventions.md`` §1.3).

The index lists every part of the packet and every exhibit with its label,
description, document date, page range and a short SHA-256 of the file; the
bookmarks mirror it.  Each exhibit can sit behind a tab page showing its label
and description, with the tab drawn at the bottom of the sheet, where paper
tabs go on filings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ombuds_desktop.dates import format_us
from ombuds_desktop.draft import Draft, facts
from ombuds_desktop.formdef.model import FormDefinition
from ombuds_desktop.packet.layout import (
    BAR,
    LEFT,
    MUTED,
    PAGE_H,
    PAGE_W,
    PROVENANCE,
    RIGHT,
    SHADE,
    STAMP_BAND,
    TOP,
    WHITE,
    WIDTH,
    Rendered,
    Sheet,
    render_paged,
)
from ombuds_desktop.printed.fonts import BOLD, REGULAR


@dataclass(frozen=True, slots=True)
class IndexRow:
    label: str
    description: str
    category: str
    date: str | None
    pages: str
    sha256: str = ""


@dataclass(frozen=True, slots=True)
class PartRow:
    title: str
    pages: str


def render_index(
    draft: Draft,
    definition: FormDefinition,
    parts: Sequence[PartRow],
    rows: Sequence[IndexRow],
    *,
    show_sha: bool = True,
) -> Rendered:
    client = facts.client_name(draft) or "(client name not entered)"
    receipts = facts.forms_and_receipts(draft)

    def draw(s: Sheet) -> None:
        with s.tag("H1"):
            s.text(LEFT, TOP, "Exhibit Index", font=BOLD, size=17, color=BAR)
        s.text(LEFT, TOP - 17, f"{definition.number}, {definition.title}", font=BOLD, size=10)
        s.y = TOP - 30
        s.paragraph(" · ".join(p for p in (client, receipts) if p), size=9.5, color=MUTED, after=10)
        with s.tag("H2"):
            s.text(LEFT, s.y - 2, "Contents of this packet", font=BOLD, size=10)
        s.y -= 10
        toc = s.tags.element("TOC")
        for part in parts:
            s.ensure(15)
            s.y -= 13.5
            with s.tag("TOCI", parent=toc):
                s.text(LEFT + 6, s.y + 3.5, part.title, size=9.5)
                s.text(RIGHT - 4, s.y + 3.5, part.pages, size=9.5, align="right")
            s.c.setDash(1, 2)
            s.hline(LEFT + 6, RIGHT - 4, s.y, color=MUTED, width=0.4)
            s.c.setDash()
        s.y -= 18
        with s.tag("H2"):
            s.text(LEFT, s.y, "Exhibits", font=BOLD, size=10)
        s.y -= 6
        cols = [("Exhibit", 50.0), ("Description", 0.0), ("Date", 62.0), ("Pages", 78.0)]
        if show_sha:
            cols.append(("SHA-256", 76.0))
        fixed = sum(w for _, w in cols)
        widths = [w or WIDTH - fixed for _, w in cols]

        table = s.tags.element("Table")

        def head() -> None:
            s.box(LEFT, s.y, WIDTH, 16, fill=BAR, stroke=BAR)
            x = LEFT
            with s.group("TR", parent=table):
                for (title, _), w in zip(cols, widths, strict=True):
                    with s.tag("TH", attrs={"O": "Table", "Scope": "Column"}):
                        s.text(x + 4, s.y - 11, title, font=BOLD, size=8, color=WHITE)
                    x += w
            s.y -= 16

        head()
        if not rows:
            s.box(LEFT, s.y, WIDTH, 18)
            span = {"O": "Table", "ColSpan": len(cols)}
            with s.group("TR", parent=table), s.tag("TD", attrs=span):
                s.text(LEFT + 4, s.y - 12, "No exhibits.", size=9, color=MUTED)
            s.y -= 18
        for n, row in enumerate(rows):
            desc = s.wrap(row.description, widths[1] - 8, size=9)
            cat = s.wrap(row.category, widths[1] - 8, size=7.5) if row.category else []
            h = len(desc) * 11.5 + len(cat) * 9.5 + 8
            if s.ensure(h):
                with s.artifact():  # the header again on the new page: read once
                    head()
            s.box(LEFT, s.y, WIDTH, h, fill=SHADE if n % 2 else None)
            cells = [row.label, "", format_us(row.date) if row.date else "", row.pages]
            if show_sha:
                cells.append(row.sha256[:12])
            x = LEFT
            tr = s.tags.element("TR", parent=table)
            for i, (cell, w) in enumerate(zip(cells, widths, strict=True)):
                with s.tag("TD", parent=tr):
                    if i == 1:
                        y = s.y - 12
                        for line in desc:
                            s.text(x + 4, y, line, size=9)
                            y -= 11.5
                        for line in cat:
                            s.text(x + 4, y + 1.5, line, size=7.5, color=MUTED)
                            y -= 9.5
                    else:
                        s.text(
                            x + 4,
                            s.y - 12,
                            cell,
                            font=BOLD if i == 0 else REGULAR,
                            size=9 if i < 4 else 7.5,
                        )
                x += w
            s.y -= h
        s.y -= 10
        if show_sha and rows:
            s.paragraph(
                "SHA-256: the first 12 hexadecimal digits of the checksum of each file "
                "as received; the full values are in the packet manifest.",
                size=7.5,
                color=MUTED,
            )

    def footer(page: int, total: int | None) -> str:
        return f"Exhibit index · Page {page} of {total or '…'} · {client} · {PROVENANCE}"

    return render_paged("Exhibit index", draw, footer=footer)


def render_tabs(tabs: Sequence[tuple[str, str, str | None]]) -> Rendered:
    """One tab page per (label, title, date); the tab sits at the bottom, staggered."""

    def draw(s: Sheet) -> None:
        for n, (label, title, when) in enumerate(tabs):
            if n:
                s.new_page()
            mid = PAGE_H * 0.58
            with s.tag("H1"):
                s.text(
                    PAGE_W / 2,
                    mid + 20,
                    f"EXHIBIT {label}",
                    font=BOLD,
                    size=46,
                    color=BAR,
                    align="center",
                )
            s.y = mid - 6
            with s.tag("P"):
                for line in s.wrap(title, WIDTH - 80, size=14):
                    s.text(PAGE_W / 2, s.y, line, size=14, align="center")
                    s.y -= 18
            if when:
                s.text(
                    PAGE_W / 2,
                    s.y - 4,
                    f"Dated {format_us(when)}",
                    size=10.5,
                    color=MUTED,
                    align="center",
                )
            tab_w, slots = 96.0, 5
            x = LEFT + (n % slots) * ((WIDTH - tab_w) / (slots - 1))
            y = STAMP_BAND + 10
            with s.artifact():  # the paper tab repeats the heading
                s.c.setFillColor(BAR)
                s.c.roundRect(x, y, tab_w, 34, 6, stroke=0, fill=1)
                s.text(
                    x + tab_w / 2,
                    y + 12,
                    f"Exhibit {label}",
                    font=BOLD,
                    size=12,
                    color=WHITE,
                    align="center",
                )

    return render_paged("Exhibit tabs", draw)
