"""The packet's one Unicode font, shipped in ``resources/fonts`` and embedded as a subset.

Base-14 fonts cannot print "Nguyễn Thị Ánh" or "Łukasz Żółć" (see
``platform-notes.md`` §5, pitfall 8), and system fonts differ per machine, so
every page of the packet is drawn with Noto Sans from the app's own resources.
"""

from __future__ import annotations

import threading
import unicodedata
from functools import lru_cache
from pathlib import Path

from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from ombuds_desktop import paths

REGULAR = "OmbudsSans"
BOLD = "OmbudsSans-Bold"
_FILES = {REGULAR: "NotoSans-Regular.ttf", BOLD: "NotoSans-Bold.ttf"}
_lock = threading.Lock()
_registered = False


class FontMissingError(RuntimeError):
    """The shipped font is missing: the installation is broken."""


def font_dir() -> Path:
    return paths.resources_dir() / "fonts"


def register() -> None:
    """Register the fonts with reportlab once per process (safe from any thread)."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        for name, file in _FILES.items():
            path = font_dir() / file
            if not path.is_file():
                raise FontMissingError(
                    f"the packet font {file} is missing from {font_dir()}; reinstall Ombuds Desktop"
                )
            pdfmetrics.registerFont(TTFont(name, str(path)))
        pdfmetrics.registerFontFamily(
            REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD
        )
        # Streams Flate-compressed only: ASCII85 on top makes them 25 % larger and costs
        # time; no channel this app writes to needs 7-bit-safe PDF bodies.
        rl_config.useA85 = 0
        _registered = True


def width(text: str, font: str, size: float) -> float:
    register()
    return pdfmetrics.stringWidth(text, font, size)


@lru_cache(maxsize=1)
def _covered() -> frozenset[int]:
    register()
    face = pdfmetrics.getFont(REGULAR).face  # type: ignore[attr-defined]
    return frozenset(face.charToGlyph)


def missing_glyphs(text: str) -> set[str]:
    """Characters of ``text`` the font cannot draw (they would print as empty boxes)."""
    covered = _covered()
    return {
        ch
        for ch in text
        if ord(ch) not in covered
        and not ch.isspace()
        and unicodedata.category(ch) not in ("Cc", "Cf")
    }


def clean(text: str) -> str:
    """Printable text: NFC-composed, tabs as spaces, control characters dropped."""
    text = unicodedata.normalize("NFC", str(text)).replace("\t", "    ").replace("\r\n", "\n")
    return "".join(
        ch
        for ch in text.replace("\r", "\n")
        if ch == "\n" or unicodedata.category(ch) not in ("Cc", "Cf")
    )


def _break_word(word: str, font: str, size: float, max_width: float) -> list[str]:
    """Split a word longer than the line (a URL, a long number) at character boundaries."""
    pieces, current = [], ""
    for ch in word:
        if current and width(current + ch, font, size) > max_width:
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
