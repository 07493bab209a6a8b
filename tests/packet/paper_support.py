"""Reading generated pages as a reviewer would: word boxes, pages, long made-up values."""

from __future__ import annotations

import functools
import re
import subprocess
import tempfile
from dataclasses import dataclass
from html import unescape
from pathlib import Path

#: Printers clip near the paper's edge: nothing may be drawn closer than 0.25".
MARGIN = 18.0

#: Made-up words in four scripts, for long names, firms, addresses and descriptions.
SCRIPTS = {
    "latin": "Maximiliana Wolfeschlegel-Steinhausen de la Cruz Oyelaran-Whitfield",
    "arabic": "عبد الرحمن بن محمد الهاشمي القرشي آل سعود الفلاني",
    "chinese": "欧阳慕容司马上官诸葛东方皇甫尉迟公羊澹台公冶宗政"
    "濮阳淳于单于太叔申屠公孙仲孙轩辕令狐",
    "cyrillic": "Александра Владимировна Преображенская-Старокожевникова Никифоровна",
}
LENGTHS = (40, 75, 150)


def long_value(script: str, n: int) -> str:
    """``n`` characters of made-up text in ``script`` (words repeated, no trailing space)."""
    base = SCRIPTS[script]
    text = (base + " ") * (n // len(base) + 2)
    return text[:n].rstrip() or base[:n]


@dataclass(frozen=True, slots=True)
class Word:
    page: int  # 0-based
    text: str
    x0: float
    y0: float  # from the top of the page, as pdftotext reports it
    x1: float
    y1: float
    width: float  # page size
    height: float


_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')
_WORD = re.compile(
    r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">(.*?)</word>'
)


def word_boxes(pdf: bytes) -> list[Word]:
    """Every word of every page with its box (``pdftotext -bbox``)."""
    return list(_word_boxes(bytes(pdf)))


@functools.lru_cache(maxsize=16)
def _word_boxes(pdf: bytes) -> tuple[Word, ...]:
    """``word_boxes``, cached (frozen words in a tuple): several tests read the same form."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.pdf"
        src.write_bytes(pdf)
        html = subprocess.run(
            ["pdftotext", "-bbox", str(src), "-"], check=True, capture_output=True, text=True
        ).stdout
    words: list[Word] = []
    for n, chunk in enumerate(html.split("<page ")[1:]):
        m = _PAGE.match("<page " + chunk)
        assert m, "pdftotext -bbox output without a page size"
        w, h = float(m.group(1)), float(m.group(2))
        for x0, y0, x1, y1, text in _WORD.findall(chunk):
            words.append(Word(n, unescape(text), float(x0), float(y0), float(x1), float(y1), w, h))
    return tuple(words)


def outside_printable(words: list[Word], margin: float = MARGIN) -> list[Word]:
    """Words reaching into the 0.25" margin (or off the page)."""
    return [
        w
        for w in words
        if w.x0 < margin - 0.5
        or w.y0 < margin - 0.5
        or w.x1 > w.width - margin + 0.5
        or w.y1 > w.height - margin + 0.5
    ]


def page_texts(pdf: bytes) -> list[str]:
    """The text of each page, whitespace collapsed."""
    pages: dict[int, list[str]] = {}
    for w in word_boxes(pdf):
        pages.setdefault(w.page, []).append(w.text)
    count = max(pages, default=-1) + 1
    return [" ".join(pages.get(i, [])) for i in range(count)]
