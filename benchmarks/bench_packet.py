"""Packet build speed against a floor measured in the same run (issue 4, "Speed").

Inputs (generated in a temporary folder, all made up): a Form 7001 draft, a
2-page G-28, 25 evidence PDFs with 300 pages in all (text pages and scanned
image pages), and 10 twelve-megapixel JPEG photos (some with an EXIF
orientation, as phones write them).

Floor: ``qpdf --empty --pages <the PDFs> -- out.pdf`` plus converting the same
photos to PDF with Pillow (open, EXIF transpose, save as PDF), i.e. the least
work that puts the same inputs into PDF form.

Printed: both times, the ratio (target <= 2x), the build's peak RSS (target
<= 400 MB, measured in a child process so it is the build's alone) and the
output size against the inputs.

    .venv/bin/python benchmarks/bench_packet.py [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PIL import Image, ImageFilter, ImageOps  # noqa: E402
from reportlab.lib.pagesizes import letter  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402

from ombuds_desktop.draft import Attachment, dumps  # noqa: E402
from ombuds_desktop.samples import load_sample  # noqa: E402

BUILD_DATE = date(2026, 11, 24)
LOREM = (
    "The applicant submitted the petition with all required evidence. USCIS issued a "
    "receipt notice and later requested biometrics, which were completed on time. "
)


def _scan_jpeg(rng: random.Random) -> bytes:
    """A grey 200 dpi Letter 'scan' (1700 x 2200), as a copier produces."""
    img = Image.new("L", (1700, 2200), 245)
    for _ in range(60):
        y = rng.randrange(100, 2100)
        img.paste(rng.randrange(20, 90), (150, y, rng.randrange(600, 1550), y + 14))
    img = img.filter(ImageFilter.GaussianBlur(1.2))
    buf = BytesIO()
    img.save(buf, "JPEG", quality=75)
    return buf.getvalue()


def _evidence_pdf(path: Path, pages: int, scanned: bool, rng: random.Random) -> None:
    c = Canvas(str(path), pagesize=letter, invariant=1)
    for n in range(pages):
        if scanned:
            from reportlab.lib.utils import ImageReader

            c.drawImage(ImageReader(BytesIO(_scan_jpeg(rng))), 0, 0, 612, 792)
        else:
            c.setFont("Helvetica-Bold", 14)
            c.drawString(72, 720, f"{path.stem} page {n + 1}")
            c.setFont("Helvetica", 10)
            y = 690
            for _ in range(45):
                c.drawString(72, y, LOREM[: rng.randrange(60, 110)])
                y -= 13
        c.showPage()
    c.save()


def _photo(path: Path, rng: random.Random, orientation: int | None) -> None:
    """A 4000 x 3000 photo with smooth colour and sensor-like grain (3-5 MB at q92)."""
    small = Image.new("RGB", (40, 30))
    small.putdata(
        [(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(40 * 30)]
    )
    img = small.resize((4000, 3000), Image.Resampling.BICUBIC)
    grain = Image.effect_noise((4000, 3000), 18).convert("RGB")
    img = Image.blend(img, grain, 0.12)
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    img.save(path, "JPEG", quality=92, exif=exif.tobytes())


def make_inputs(folder: Path) -> tuple[Path, list[Path], list[Path]]:
    rng = random.Random(7001)
    files = folder / "files"
    files.mkdir(parents=True)
    g28 = files / "g28.pdf"
    _evidence_pdf(g28, 2, False, rng)
    pdfs = []
    for i in range(25):
        p = files / f"evidence-{i + 1:02d}.pdf"
        _evidence_pdf(p, 12, scanned=(i % 5 == 0), rng=rng)  # 5 of 25 are scans
        pdfs.append(p)
    photos = []
    for i in range(10):
        p = files / f"photo-{i + 1:02d}.jpg"
        _photo(p, rng, 6 if i % 3 == 0 else None)
        photos.append(p)
    draft = load_sample("attorney-employer")
    draft.attachments = [
        Attachment("g28", "Form G-28 on file with USCIS", "files/g28.pdf", "2025-03-03", id="g28")
    ]
    for i, p in enumerate(pdfs):
        draft.attachments.append(
            Attachment(
                "other",
                f"Evidence document {i + 1}",
                f"files/{p.name}",
                "2026-01-15",
                id=f"pdf-{i}",
            )
        )
    for i, p in enumerate(photos):
        draft.attachments.append(
            Attachment("other", f"Photo {i + 1}", f"files/{p.name}", "2026-02-01", id=f"photo-{i}")
        )
    path = folder / "draft.json"
    path.write_text(dumps(draft), encoding="utf-8")
    return path, [g28, *pdfs], photos


def floor(pdfs: list[Path], photos: list[Path], out: Path) -> float:
    t0 = time.perf_counter()
    subprocess.run(
        ["qpdf", "--empty", "--pages", *map(str, pdfs), "--", str(out / "floor.pdf")], check=True
    )
    for p in photos:
        with Image.open(p) as img:
            ImageOps.exif_transpose(img).convert("RGB").save(out / f"{p.stem}.pdf", "PDF")
    return time.perf_counter() - t0


def child(draft_path: str, out: str) -> None:
    """Run one build and report its time and peak RSS (this process only)."""
    import logging

    from ombuds_desktop.draft import read_draft_file
    from ombuds_desktop.packet import PacketOptions, build_packet

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    t0 = time.perf_counter()
    draft = read_draft_file(Path(draft_path))
    result = build_packet(
        draft,
        Path(draft_path).parent,
        options=PacketOptions(build_date=BUILD_DATE, allow_draft=True),
    )
    Path(out).write_bytes(result.pdf)
    elapsed = time.perf_counter() - t0
    print(json.dumps({"seconds": elapsed, "rss_mb": _peak_rss_mb(), "pages": result.pages}))


def _peak_rss_mb() -> float:
    """This process's peak RSS.  ru_maxrss survives fork+exec on Linux (it would report the
    parent's peak), so prefer VmHWM, which belongs to this process's own memory map."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--child", nargs=2, metavar=("DRAFT", "OUT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return 0
    if shutil.which("qpdf") is None:
        print("qpdf is needed for the floor (apt-get install qpdf)")
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        draft, pdfs, photos = make_inputs(folder)
        print(f"inputs generated in {time.perf_counter() - t0:.1f} s")
        input_bytes = sum(p.stat().st_size for p in [*pdfs, *photos])
        pages_in = 2 + 300
        floors, builds = [], []
        for _ in range(args.runs):
            fdir = folder / "floor"
            fdir.mkdir(exist_ok=True)
            floors.append(floor(pdfs, photos, fdir))
            r = subprocess.run(
                [sys.executable, __file__, "--child", str(draft), str(folder / "packet.pdf")],
                capture_output=True,
                text=True,
                check=True,
                env=dict(os.environ, PYTHONWARNINGS="ignore"),
            )
            builds.append(json.loads(r.stdout.strip().splitlines()[-1]))
        f = min(floors)
        best = min(builds, key=lambda b: b["seconds"])
        out_bytes = (folder / "packet.pdf").stat().st_size
        print(
            f"inputs: {len(pdfs)} PDFs ({pages_in} pages) + {len(photos)} photos of 12 MP, "
            f"{input_bytes / 1048576:.1f} MB"
        )
        print(
            f"floor  (qpdf --empty --pages + Pillow photos): {f:.2f} s "
            f"(runs: {', '.join(f'{x:.2f}' for x in floors)})"
        )
        runs = ", ".join(f"{b['seconds']:.2f}" for b in builds)
        print(
            f"packet (build_packet, whole packet):          {best['seconds']:.2f} s "
            f"(runs: {runs}), {best['pages']} pages"
        )
        ratio = best["seconds"] / f
        print(f"ratio: {ratio:.2f}x (target <= 2x) {'OK' if ratio <= 2 else 'OVER'}")
        rss = max(b["rss_mb"] for b in builds)
        print(
            f"peak RSS of the build: {rss:.0f} MB (target <= 400 MB) "
            f"{'OK' if rss <= 400 else 'OVER'}"
        )
        print(
            f"output: {out_bytes / 1048576:.1f} MB = {out_bytes / input_bytes:.0%} of the "
            f"inputs ({input_bytes / 1048576:.1f} MB)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
