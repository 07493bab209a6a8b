"""The packet's fonts: Noto Sans plus a fallback chain, shaped text, right-to-left runs.

Base-14 fonts cannot print "Nguyễn Thị Ánh" or "Łukasz Żółć" (see
``platform-notes.md`` §5, pitfall 8), and system fonts differ per machine, so
every page of the packet is drawn with Noto fonts from the app's own resources
(``resources/fonts``, SIL Open Font License), embedded as subsets.

A client's name or a document's description may be Arabic, Hebrew, Devanagari,
Chinese, Japanese, Korean...  No single font covers them all, and reportlab by
itself neither picks a font per character, nor shapes (Arabic joining forms,
Devanagari conjuncts and vowel signs), nor orders right-to-left text.  So a
line is drawn in four steps:

1. **Bidi** (python-bidi, the Unicode Bidirectional Algorithm): the line in
   visual order.  The base direction is left-to-right unless the line has
   right-to-left letters and no left-to-right ones (the form is English).
2. **Runs**: each character goes to the first font of the chain that has it
   (combining marks stay with their base); right-to-left letters form runs of
   their own.
3. **Shaping** (HarfBuzz via uharfbuzz, the engine reportlab itself uses):
   each run is shaped in logical order, in the direction step 1 decided;
   HarfBuzz returns the glyphs in visual order with advances and mark offsets.
4. **Drawing**: runs left to right, each a reportlab ``ShapedStr`` so that
   reportlab's own code writes the glyphs and subsets the font; the line is wrapped in an
   ``/ActualText`` span holding the logical text, so copy-paste and
   ``pdftotext`` give the words as typed, not glyph forms.

Plain Latin/Greek/Cyrillic text that Noto Sans covers needs none of this and
is drawn as before (one ``drawString``), so ordinary packets are unchanged.
A character that no font has is reported (``missing_glyphs``/``unprintable``):
``validate`` names the field, the build notes it.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import uharfbuzz
from bidi import get_display
from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapeData, ShapedStr, TTFont
from reportlab.pdfgen.canvas import Canvas

from ombuds_desktop import paths

REGULAR = "OmbudsSans"
BOLD = "OmbudsSans-Bold"

#: The fallback chain per style: (reportlab name, file), tried in order.  Scripts without a
#: bold face fall back to their regular face.  Fonts after the first are loaded on first use.
#: Scripts with one face only, the same at the end of both chains.
_REGULAR_ONLY: tuple[tuple[str, str], ...] = (
    ("OmbudsCJK", "NotoSansCJKsc-Regular-TT.ttf"),
    ("OmbudsBengali", "NotoSansBengali-Regular.ttf"),
    ("OmbudsEthiopic", "NotoSansEthiopic-Regular.ttf"),
    ("OmbudsArmenian", "NotoSansArmenian-Regular.ttf"),
    ("OmbudsGeorgian", "NotoSansGeorgian-Regular.ttf"),
    ("OmbudsThai", "NotoSansThai-Regular.ttf"),
)
CHAIN: dict[str, tuple[tuple[str, str], ...]] = {
    REGULAR: (
        (REGULAR, "NotoSans-Regular.ttf"),
        ("OmbudsArabic", "NotoSansArabic-Regular.ttf"),
        ("OmbudsHebrew", "NotoSansHebrew-Regular.ttf"),
        ("OmbudsDevanagari", "NotoSansDevanagari-Regular.ttf"),
        *_REGULAR_ONLY,
    ),
    BOLD: (
        (BOLD, "NotoSans-Bold.ttf"),
        ("OmbudsArabic-Bold", "NotoSansArabic-Bold.ttf"),
        ("OmbudsHebrew-Bold", "NotoSansHebrew-Bold.ttf"),
        ("OmbudsDevanagari-Bold", "NotoSansDevanagari-Bold.ttf"),
        *_REGULAR_ONLY,
    ),
}
_FILES = {name: file for chain in CHAIN.values() for name, file in chain}
_lock = threading.RLock()
_registered = False
_coverage: dict[str, frozenset[int]] = {}

#: Characters that are part of the text but draw nothing of their own (they steer shaping).
_JOINERS = {"\u200c", "\u200d", "\u034f"}  # ZWNJ, ZWJ, combining grapheme joiner
_RTL = {"R", "AL"}


class FontMissingError(RuntimeError):
    """A shipped font is missing: the installation is broken."""


def font_dir() -> Path:
    return paths.resources_dir() / "fonts"


def _load(name: str) -> None:
    """Register one font of the chain with reportlab (caller holds the lock)."""
    if name in _coverage:
        return
    file = _FILES[name]
    path = font_dir() / file
    if not path.is_file():
        if name in (REGULAR, BOLD):
            raise FontMissingError(
                f"the packet font {file} is missing from {font_dir()}; reinstall Ombuds Desktop"
            )
        # A fallback font that is missing covers nothing: its characters are then
        # reported as unprintable (validate names the field) instead of failing the build.
        _coverage[name] = frozenset()
        return
    font = TTFont(name, str(path))
    pdfmetrics.registerFont(font)
    _coverage[name] = frozenset(font.face.charToGlyph)


def register() -> None:
    """Register the primary fonts with reportlab once per process (safe from any thread)."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        _load(REGULAR)
        _load(BOLD)
        pdfmetrics.registerFontFamily(
            REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD
        )
        plain_streams()
        _registered = True


def plain_streams() -> None:
    """Streams Flate-compressed only: ASCII85 on top makes them 25 % larger and costs time;
    no channel this app writes to needs 7-bit-safe PDF bodies.  A reportlab-wide setting:
    every PDF the app makes sets it first, so its bytes never depend on what ran before."""
    rl_config.useA85 = 0


def _covers(name: str, cp: int) -> bool:
    cov = _coverage.get(name)
    if cov is None:
        with _lock:
            _load(name)
            cov = _coverage[name]
    return cp in cov


def font_for(ch: str, font: str = REGULAR) -> str | None:
    """The first font of ``font``'s chain that has a glyph for ``ch`` (None: none has)."""
    register()
    cp = ord(ch)
    for name, _ in CHAIN.get(font, CHAIN[REGULAR]):
        if _covers(name, cp):
            return name
    return None


def _invisible(ch: str) -> bool:
    return ch.isspace() or ch in _JOINERS or unicodedata.category(ch) in ("Cc", "Cf")


def missing_glyphs(text: str, font: str = REGULAR) -> set[str]:
    """Characters of ``text`` that no font of the chain can draw (they would print as boxes)."""
    register()
    primary = _coverage[CHAIN.get(font, CHAIN[REGULAR])[0][0]]
    return {
        ch
        for ch in text
        if ord(ch) not in primary and not _invisible(ch) and font_for(ch, font) is None
    }


def unprintable(text: str) -> list[str]:
    """``U+XXXX`` for each distinct character of ``text`` that cannot be printed, in order.

    A pure function for validation: the same fonts the packet uses decide.
    """
    missing = missing_glyphs(clean(text))
    seen: dict[str, None] = {}
    for ch in clean(text):
        if ch in missing:
            seen.setdefault(f"U+{ord(ch):04X}", None)
    return list(seen)


def clean(text: str) -> str:
    """Printable text: NFC-composed, tabs as spaces, control characters dropped.

    Zero-width joiners stay: Persian, Arabic and Indic spelling depends on them.
    """
    text = unicodedata.normalize("NFC", str(text)).replace("\t", "    ").replace("\r\n", "\n")
    return "".join(
        ch
        for ch in text.replace("\r", "\n")
        if ch == "\n" or ch in _JOINERS or unicodedata.category(ch) not in ("Cc", "Cf")
    )


# -- runs ------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Run:
    """A piece of a line in visual order, in one font; ``text`` is what reportlab draws."""

    font: str
    text: str  # a ShapedStr when shaped
    width: float  # at size 1


def _simple(s: str) -> bool:
    """True when the primary font draws ``s`` as it is: no fallback, no shaping, no bidi."""
    cov = _coverage[REGULAR]
    for ch in s:
        cp = ord(ch)
        if cp < 0x0300:
            continue
        if cp not in cov or unicodedata.combining(ch) or ch in _JOINERS:
            return False
        if unicodedata.bidirectional(ch) in _RTL:
            return False
    return True


def _base_dir(s: str) -> str:
    """LTR unless the line has right-to-left letters and no left-to-right ones."""
    classes = {unicodedata.bidirectional(ch) for ch in s}
    return "R" if classes & _RTL and "L" not in classes else "L"


def _split(visual: str, font: str) -> list[tuple[str, bool, str]]:
    """(font, right-to-left, text in visual order) pieces of a line already in visual order."""
    pieces: list[tuple[str, bool, str]] = []
    prev_font: str | None = None
    prev_rtl = False
    current: list[str] = []
    primary = CHAIN.get(font, CHAIN[REGULAR])[0][0]

    def flush() -> None:
        if current and prev_font is not None:
            pieces.append((prev_font, prev_rtl, "".join(current)))
        current.clear()

    for ch in visual:
        cls = unicodedata.bidirectional(ch)
        mark = bool(unicodedata.combining(ch)) or unicodedata.category(ch) in ("Mn", "Mc", "Me")
        attach = (mark or ch in _JOINERS) and prev_font is not None
        if attach and prev_font is not None and (ch in _JOINERS or _covers(prev_font, ord(ch))):
            # In right-to-left runs a mark precedes its base in visual order: the run is
            # reversed back to logical order before shaping, so it still belongs here.
            current.append(ch)
            continue
        rtl = cls in _RTL or (attach and prev_rtl)
        if ch == " " and prev_font is not None and _covers(prev_font, 0x20) and not rtl:
            name = prev_font if not prev_rtl else primary
        else:
            name = font_for(ch, font) or primary
        if name != prev_font or rtl != prev_rtl:
            flush()
            prev_font, prev_rtl = name, rtl
        current.append(ch)
    flush()
    return pieces


@lru_cache(maxsize=8192)
def _layout(s: str, font: str) -> tuple[Run, ...]:
    """The runs of one line at size 1 (cached: wrapping measures the same text often)."""
    register()
    if _simple(s):
        return (Run(font, s, pdfmetrics.stringWidth(s, font, 1)),)
    with _lock:
        visual = get_display(s, base_dir=_base_dir(s))
        runs: list[Run] = []
        for name, rtl, piece in _split(visual, font):
            logical = piece[::-1] if rtl else piece
            shaped, glyphs = _shape(logical, name, rtl)
            # advances are in 1/1000 em, as reportlab's TJ adjustments expect
            runs.append(Run(name, shaped, sum(d.x_advance for d in glyphs) / 1000))
        return tuple(runs)


_FEATURES = {"kern": True, "liga": True}
_hb_fonts: dict[str, uharfbuzz.Font] = {}


def _ttfont(name: str) -> TTFont:
    """The registered TrueType font ``name`` (every font of :data:`CHAIN` is one)."""
    font = pdfmetrics.getFont(name)
    if not isinstance(font, TTFont):
        raise TypeError(f"font {name!r} is not a TrueType font")
    return font


def _shape(text: str, name: str, rtl: bool) -> tuple[ShapedStr, list[ShapeData]]:
    """HarfBuzz glyphs of one run as a reportlab ShapedStr (drawn by reportlab's own TJ code),
    and the glyphs' shape data (the advances give the run's width).

    Like reportlab's ``shapeStr``, but with the direction set by the bidi step rather than
    guessed per run (a guess reverses Arabic-Indic digits, which run left to right).
    Glyphs without a character of their own (joined forms, conjuncts) get a private-use code
    from reportlab (``hbAddPrivate``); the line's /ActualText keeps the text searchable.
    """
    ttf = _ttfont(name)
    hbf = _hb_fonts.get(name)
    if hbf is None:
        hbf = _hb_fonts[name] = ttf.hbFont(1000)
    buf = uharfbuzz.Buffer()
    buf.cluster_level = uharfbuzz.BufferClusterLevel.MONOTONE_CHARACTERS
    buf.add_str(text)
    buf.guess_segment_properties()
    buf.direction = "rtl" if rtl else "ltr"
    uharfbuzz.shape(hbf, buf, _FEATURES)
    chars: list[str] = []
    data: list[ShapeData] = []
    scale: Callable[[int], float] = ttf.pdfScale  # 1000 units per em (untyped in the stubs)
    for info, pos in zip(buf.glyph_infos, buf.glyph_positions, strict=True):
        gid = info.codepoint
        try:
            # types-reportlab lacks TTFontFile.glyphToChar and the hbAddPrivate that hbFont() sets
            code: int = ttf.face.glyphToChar[gid][0]  # type: ignore[attr-defined]
        except (KeyError, IndexError):
            add_private = ttf.hbAddPrivate  # type: ignore[attr-defined]
            code = add_private(hbf.glyph_to_string(gid), gid, scale(pos.x_advance))
        chars.append(chr(code))
        data.append(
            ShapeData(
                info.cluster,
                scale(pos.x_advance),
                scale(pos.y_advance),
                scale(pos.x_offset),
                scale(pos.y_offset),
                ttf.face.charWidths[code],
            )
        )
    # types-reportlab types shapeData as one ShapeData; reportlab takes (and sums) a list
    return ShapedStr("".join(chars), shapeData=data), data  # type: ignore[arg-type]


def width(text: str, font: str, size: float) -> float:
    """Width of one line of ``text`` as drawn (shaped, with fallback fonts)."""
    register()
    return sum(r.width for r in _layout(text, font)) * size


def draw(
    c: Canvas, x: float, y: float, s: str, font: str, size: float, align: str = "left"
) -> None:
    """Draw one line: bidi-ordered, each run in the font that has its glyphs, shaped."""
    runs = _layout(s, font)
    if len(runs) == 1 and not isinstance(runs[0].text, ShapedStr) and runs[0].font == font:
        c.setFont(font, size)
        if align == "center":
            c.drawCentredString(x, y, s)
        elif align == "right":
            c.drawRightString(x, y, s)
        else:
            c.drawString(x, y, s)
        return
    total = sum(r.width for r in runs) * size
    if align == "center":
        x -= total / 2
    elif align == "right":
        x -= total
    c.addLiteral(f"/Span <</ActualText <FEFF{s.encode('utf-16-be').hex().upper()}>>> BDC")
    for run in runs:
        c.setFont(run.font, size)
        c.drawString(x, y, run.text)
        x += run.width * size
    c.addLiteral("EMC")


# -- wrapping --------------------------------------------------------------------------------
def _break_word(word: str, font: str, size: float, max_width: float) -> list[str]:
    """Split a word longer than the line (a URL, a long number) at character boundaries.

    Combining marks stay with their base character (a cut never strands a vowel sign).
    """
    pieces, current = [], ""
    for ch in word:
        if (
            current
            and not unicodedata.combining(ch)
            and unicodedata.category(ch) not in ("Mn", "Mc", "Me")
            and ch not in _JOINERS
            and current[-1] not in _JOINERS
            and width(current + ch, font, size) > max_width
        ):
            pieces.append(current)
            current = ch
        else:
            current += ch
    if current:
        pieces.append(current)
    return pieces


def wrap_lines(text: str, font: str, size: float, max_width: float) -> list[tuple[str, str]]:
    """Lines that fit ``max_width``, each with the separator that followed it in the text.

    The separator is " " (wrapped at a space), "" (a word too long for a line
    was cut) or "\n" (end of a paragraph), so ``"".join(l + s for l, s in
    lines[k:])`` is the exact remaining text: overflow onto an addendum page
    loses nothing.
    """
    out: list[tuple[str, str]] = []
    for paragraph in clean(text).split("\n"):
        current = ""
        for word in (w for w in paragraph.split(" ") if w):
            candidate = f"{current} {word}" if current else word
            if width(candidate, font, size) <= max_width:
                current = candidate
                continue
            if current:
                out.append((current, " "))
            if width(word, font, size) <= max_width:
                current = word
            else:
                *full, current = _break_word(word, font, size, max_width)
                out.extend((piece, "") for piece in full)
        out.append((current, "\n"))
    while out and not out[-1][0]:
        out.pop()
    if out:
        out[-1] = (out[-1][0], "")
    return out


def wrap(text: str, font: str, size: float, max_width: float) -> list[str]:
    """Lines of ``text`` that fit ``max_width``; paragraph breaks are kept, nothing is lost."""
    return [line for line, _ in wrap_lines(text, font, size, max_width)]


def rest_of(lines: list[tuple[str, str]], start: int) -> str:
    """The text from line ``start`` on, as it was before wrapping."""
    return "".join(line + sep for line, sep in lines[start:]).strip()
