"""Looking at filled PDFs the way a person would: words where they are, pixels of marks."""

from __future__ import annotations

import re
import subprocess
import tempfile
from html import unescape
from pathlib import Path

from PIL import Image


def qpdf_check(data: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        r = subprocess.run(["qpdf", "--check", f.name], capture_output=True, text=True)
        assert r.returncode == 0, r.stdout + r.stderr
        return r.stdout


def words(data: bytes) -> list[tuple[int, float, float, float, float, str]]:
    """(page, x0, y0, x1, y1, word) in PDF points with y up, from ``pdftotext -bbox``."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.pdf"
        src.write_bytes(data)
        out = subprocess.run(
            ["pdftotext", "-bbox", str(src), "-"], capture_output=True, text=True, check=True
        ).stdout
    result = []
    page, height = -1, 792.0
    for line in out.splitlines():
        m = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', line)
        if m:
            page += 1
            height = float(m.group(2))
            continue
        m = re.search(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>',
            line,
        )
        if m:
            x0, y0, x1, y1 = (float(m.group(i)) for i in range(1, 5))
            result.append((page, x0, height - y1, x1, height - y0, unescape(m.group(5))))
    return result


def inside(word: tuple, rect: tuple[float, float, float, float], slack: float = 1.5) -> bool:
    _, x0, y0, x1, y1, _ = word
    rx0, ry0, rx1, ry1 = rect
    return x0 >= rx0 - slack and x1 <= rx1 + slack and y0 >= ry0 - slack and y1 <= ry1 + slack


def render(data: bytes, page: int, dpi: int = 72) -> Image.Image:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.pdf"
        src.write_bytes(data)
        subprocess.run(
            ["pdftoppm", "-png", "-r", str(dpi), "-f", str(page + 1), "-l", str(page + 1),
             "-singlefile", str(src), str(Path(tmp) / "p")],
            check=True,
        )  # fmt: skip
        return Image.open(Path(tmp) / "p.png").convert("L").copy()


def dark_fraction(
    img: Image.Image, rect: tuple[float, float, float, float], dpi: int = 72
) -> float:
    """Share of dark pixels inside the rectangle (inset by 2 pt, so the border is left out)."""
    s = dpi / 72
    x0, y0, x1, y1 = rect
    h = img.height
    box = (int((x0 + 2) * s), int(h - (y1 - 2) * s), int((x1 - 2) * s), int(h - (y0 + 2) * s))
    crop = img.crop(box)
    px = list(crop.tobytes())
    return sum(1 for p in px if p < 128) / max(1, len(px))
