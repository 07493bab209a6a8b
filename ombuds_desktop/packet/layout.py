"""A small page-layout engine on a reportlab canvas, shared by every generated page.

Why not platypus: a form needs exact control of where text stops (to continue
it on an addendum page), boxes with captions, and checkboxes; a cursor that
moves down the page and breaks when it runs out of room does all of that in a
few lines.  Pages are Letter; the bottom half inch is left free for the
packet's page-number and exhibit stamps.

Keep-together is the engine's rule, not each page's: a block is first drawn on
a measuring sheet (no page breaks, nothing printed) and :meth:`Sheet.keep`
starts a new page before it when it would break here but fits on a new page.
Footers fit one line (smaller type, then a shortened name), never the margin.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen.canvas import Canvas

from ombuds_desktop.packet import tagging
from ombuds_desktop.printed import fonts
from ombuds_desktop.printed.fonts import BOLD, REGULAR

PAGE_W, PAGE_H = letter
LEFT = 54.0
RIGHT = PAGE_W - 54.0
WIDTH = RIGHT - LEFT
TOP = PAGE_H - 50.0
BOTTOM = 68.0  # lowest baseline of content
FOOTER_Y = 44.0  # the document's own footer line
STAMP_BAND = 36.0  # reserved for packet stamps
#: The neutral provenance line closing a generated page's footer (never a draft id).
PROVENANCE = "Prepared with Ombuds Desktop"
MEASURE_TOP = 1.0e6  # where a measuring sheet starts (it never breaks)

INK = HexColor("#111111")
MUTED = HexColor("#4a4f57")
FAINT = HexColor("#8a9099")
RULE = HexColor("#9aa1ab")
BAR = HexColor("#1f3447")
SHADE = HexColor("#edf1f5")
WHITE = HexColor("#ffffff")


@dataclass(frozen=True, slots=True)
class OutlineMark:
    """A bookmark inside a generated document (0-based page)."""

    title: str
    page: int
    level: int = 0


@dataclass(slots=True)
class Rendered:
    """A generated PDF, its page count, its bookmarks and anything the user should know."""

    pdf: bytes
    pages: int
    outline: list[OutlineMark] = field(default_factory=list)
    missing_glyphs: set[str] = field(default_factory=set)


FooterFn = Callable[[int, int | None], str]


def missing_glyph_notes(*parts: Rendered | None) -> list[str]:
    """One build note naming the characters that printed as blanks (``validate`` names fields)."""
    missing = sorted({ch for p in parts if p is not None for ch in p.missing_glyphs})
    if not missing:
        return []
    chars = ", ".join(f"U+{ord(ch):04X}" for ch in missing)
    return [
        f"Characters no packet font has were left blank: {chars}. "
        "Run validate to see which fields hold them."
    ]


FOOTER_SIZE, FOOTER_MIN = 7.5, 6.0


def fit_line(
    s: str, width: float, *, font: str = REGULAR, size: float, least: float
) -> tuple[str, float]:
    """One line no wider than ``width``: the size shrinks down to ``least``, then the longest
    " · " part (a long name) is shortened with "…" (footers and headers never wrap)."""
    s = fonts.clean(s).replace("\n", " ")
    while size > least and fonts.width(s, font, size) > width:
        size = max(least, size - 0.25)
    if fonts.width(s, font, size) <= width:
        return s, size
    parts = s.split(" · ")
    k = max(range(len(parts)), key=lambda i: len(parts[i]))
    longest = parts[k]

    def line(n: int) -> str:
        return " · ".join([*parts[:k], longest[:n].rstrip() + "…", *parts[k + 1 :]])

    lo, hi = 0, len(longest)  # the longest prefix that fits (binary search)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if fonts.width(line(mid), font, size) <= width:
            lo = mid
        else:
            hi = mid - 1
    return line(lo), size


class Sheet:
    """A canvas with a cursor (``y``), page breaks, a per-page header and a footer."""

    def __init__(
        self,
        *,
        title: str,
        total_pages: int | None = None,
        footer: FooterFn | None = None,
        header: Callable[[Sheet], None] | None = None,
        overlay: Callable[[Sheet], None] | None = None,
        probe: bool = False,
        measuring: bool = False,
    ) -> None:
        fonts.register()
        #: A probe only counts pages: text is measured and wrapped, never drawn.
        self.probe = probe or measuring
        #: A measuring sheet has no page breaks: how far ``y`` moves is a block's height.
        self.measuring = measuring
        self._fresh_top: float | None = None
        self._buf = BytesIO()
        self.c = Canvas(
            self._buf,
            pagesize=letter,
            invariant=1,
            pageCompression=1,
            initialFontName=REGULAR,  # type: ignore[arg-type]  # types-reportlab says float, a bug
            initialFontSize=9.5,
        )
        self.c.setTitle(title)
        self.c.setCreator("Ombuds Desktop")
        self.c.setAuthor("")
        #: Marks what is drawn for the structure tree (tagging.py): text drawn outside any
        #: element becomes a paragraph, everything else not in an element an artifact.
        self.tags = tagging.Tagger(self.c, enabled=not self.probe)
        self.total_pages = total_pages
        self._footer = footer
        self._header = header
        #: Drawn over each finished page (a DRAFT mark), after its content.
        self._overlay = overlay
        self.page = 1
        self.y = TOP
        self.marks: list[OutlineMark] = []
        self.missing: set[str] = set()
        self._start_page()

    # -- pages ---------------------------------------------------------------
    def _start_page(self) -> None:
        self.y = TOP
        if self.measuring:
            self.y = MEASURE_TOP
            return
        self.tags.begin_page()
        with self.tags.detached():
            if self._header is not None:
                self._header(self)

    def _finish_page(self) -> None:
        with self.tags.detached():
            if self._overlay is not None and not self.probe:
                with self.tags.artifact():  # a DRAFT mark is decoration, said in the text
                    self._overlay(self)
            with self.tags.artifact():
                if self._footer is not None:
                    line = self._footer(self.page, self.total_pages)
                    self.c.setStrokeColor(RULE)
                    self.c.setLineWidth(0.5)
                    self.c.line(LEFT, FOOTER_Y + 11, RIGHT, FOOTER_Y + 11)
                    if not self.probe:  # within the content width, whatever the name's length
                        line, size = fit_line(line, WIDTH, size=FOOTER_SIZE, least=FOOTER_MIN)
                        self.text(
                            PAGE_W / 2, FOOTER_Y, line, size=size, color=MUTED, align="center"
                        )
            self.tags.end_page()  # the open element goes on on the next page

    def new_page(self) -> None:
        if self.measuring:
            return
        self._finish_page()
        self.c.showPage()
        self.page += 1
        self._start_page()

    def ensure(self, height: float) -> bool:
        """Start a new page unless ``height`` points fit above the bottom margin."""
        if self.measuring:
            return False
        if self.y - height < BOTTOM:
            self.new_page()
            return True
        return False

    # -- keeping blocks together -------------------------------------------------
    def fresh_room(self) -> float:
        """The height a block has on a new (continuation) page, below its header."""
        if self._fresh_top is None:
            m = Sheet(title="", measuring=True)
            m.page, m.y = self.page + 1, TOP
            if self._header is not None:
                self._header(m)
            self._fresh_top = m.y
        return self._fresh_top - BOTTOM

    def measure(self, draw: Callable[[Sheet], None]) -> float:
        """The height ``draw`` takes, laid out on a throwaway sheet with no page breaks."""
        m = Sheet(title="", measuring=True)
        draw(m)
        return MEASURE_TOP - m.y

    def keep(self, height: float) -> bool:
        """Keep a block of ``height`` on one page: break before it when it would break here
        but fits on a new page (a block taller than a page breaks where it must)."""
        if self.measuring or self.y - height >= BOTTOM or height > self.fresh_room():
            return False
        self.new_page()
        return True

    def together(self, *parts: Callable[[Sheet], None]) -> None:
        """Draw ``parts`` on one page when they fit on one (see :meth:`keep`)."""
        if not self.measuring:

            def run(m: Sheet) -> None:
                for part in parts:
                    part(m)

            self.keep(self.measure(run))
        for part in parts:
            part(self)

    def mark(self, title: str, level: int = 0) -> None:
        self.marks.append(OutlineMark(title, self.page - 1, level))

    def finish(self) -> Rendered:
        self._finish_page()
        self.c.showPage()
        self.c.save()
        pdf = tagging.embed(self._buf.getvalue(), self.tags)
        return Rendered(pdf, self.page, list(self.marks), set(self.missing))

    # -- structure (tagging.py) ------------------------------------------------------
    def tag(
        self,
        role: str | tagging.Elem,
        *,
        actual_text: str | None = None,
        attrs: dict[str, Any] | None = None,
        parent: tagging.Elem | None = None,
    ) -> AbstractContextManager[tagging.Elem]:
        """Drawing inside belongs to a structure element (``with s.tag("H1"): ...``)."""
        return self.tags.tag(role, actual_text=actual_text, attrs=attrs, parent=parent)

    def group(
        self,
        role: str | tagging.Elem,
        *,
        attrs: dict[str, Any] | None = None,
        parent: tagging.Elem | None = None,
    ) -> AbstractContextManager[tagging.Elem]:
        """An element of elements (Table, TR, L, LI): its own drawing is decoration."""
        return self.tags.group(role, attrs=attrs, parent=parent)

    def artifact(self) -> AbstractContextManager[None]:
        """Decoration or a running header: left out of the structure."""
        return self.tags.artifact()

    def _own(self, role: str) -> AbstractContextManager[object]:
        """``role`` unless drawing already lands in an element or artifact."""
        return nullcontext() if self.tags.in_content else self.tags.tag(role)

    # -- drawing -------------------------------------------------------------
    def text(
        self,
        x: float,
        y: float,
        s: str,
        *,
        font: str = REGULAR,
        size: float = 9.5,
        color: Color = INK,
        align: str = "left",
    ) -> None:
        if not s or self.probe:
            return
        s = fonts.clean(s).replace("\n", " ")
        self.missing |= fonts.missing_glyphs(s, font)
        with self._own("P"):
            self.c.setFillColor(color)
            fonts.draw(self.c, x, y, s, font, size, align)

    def wrap(self, s: str, width: float, *, font: str = REGULAR, size: float = 9.5) -> list[str]:
        return fonts.wrap(s, font, size, width)

    def lines_at(
        self,
        x: float,
        y: float,
        s: str,
        *,
        width: float = WIDTH,
        font: str = REGULAR,
        size: float = 9.5,
        leading: float | None = None,
        color: Color = INK,
    ) -> float:
        """``s`` wrapped to ``width`` from baseline ``y`` down; returns the next baseline
        (a long name or firm in a letterhead wraps instead of running off the page)."""
        leading = leading or size * 1.25
        for line in self.wrap(s, width, font=font, size=size) or [""]:
            self.text(x, y, line, font=font, size=size, color=color)
            y -= leading
        return y

    def paragraph(
        self,
        s: str,
        *,
        x: float = LEFT,
        width: float = WIDTH,
        font: str = REGULAR,
        size: float = 9.5,
        leading: float | None = None,
        color: Color = INK,
        after: float = 4.0,
        on_break: Callable[[], None] | None = None,
        role: str = "P",
    ) -> None:
        """Wrapped text at the cursor, continuing on new pages as needed (one element)."""
        leading = leading or size * 1.3
        with self._own(role):
            for line in self.wrap(s, width, font=font, size=size):
                if self.ensure(leading) and on_break is not None:
                    with self.tags.detached(), self.tags.artifact():
                        on_break()
                self.y -= leading
                self.text(x, self.y + leading * 0.25, line, font=font, size=size, color=color)
        self.y -= after

    def checkbox(self, x: float, y: float, checked: bool, size: float = 8.5) -> None:
        """A square box (lower-left at x, y); checked boxes hold a bold X from the font.

        Tagged as a label read "checked" or "not checked" (the X alone says nothing).
        """
        with self.tags.tag("Lbl", actual_text="checked" if checked else "not checked"):
            self.c.setStrokeColor(INK)
            self.c.setLineWidth(0.7)
            self.c.setFillColor(WHITE)
            self.c.rect(x, y, size, size, stroke=1, fill=1)
            if checked:
                self.text(
                    x + size / 2, y + size * 0.14, "X", font=BOLD, size=size * 1.05, align="center"
                )

    def box(
        self,
        x: float,
        top: float,
        w: float,
        h: float,
        *,
        fill: Color | None = None,
        stroke: Color = RULE,
        width: float = 0.6,
    ) -> None:
        self.c.setStrokeColor(stroke)
        self.c.setLineWidth(width)
        if fill is not None:
            self.c.setFillColor(fill)
        self.c.rect(x, top - h, w, h, stroke=1, fill=1 if fill is not None else 0)

    def hline(
        self, x1: float, x2: float, y: float, *, color: Color = INK, width: float = 0.7
    ) -> None:
        self.c.setStrokeColor(color)
        self.c.setLineWidth(width)
        self.c.line(x1, y, x2, y)

    def bar(self, title: str, *, size: float = 10.5, role: str = "H2") -> None:
        """A dark heading bar across the content width (section headings)."""
        h = size + 9
        with self.artifact():
            self.c.setFillColor(BAR)
            self.c.rect(LEFT, self.y - h, WIDTH, h, stroke=0, fill=1)
        with self.tag(role):
            self.text(LEFT + 6, self.y - h + 5.5, title, font=BOLD, size=size, color=WHITE)
        self.y -= h + 6


def render_paged(
    title: str,
    draw: Callable[[Sheet], None],
    *,
    footer: FooterFn | None = None,
    header: Callable[[Sheet], None] | None = None,
    overlay: Callable[[Sheet], None] | None = None,
) -> Rendered:
    """Lay out twice: once to count pages, once to print "Page X of Y" with the real Y."""
    probe = Sheet(title=title, footer=footer, header=header, probe=True)
    draw(probe)
    total = probe.page
    sheet = Sheet(title=title, total_pages=total, footer=footer, header=header, overlay=overlay)
    draw(sheet)
    return sheet.finish()
