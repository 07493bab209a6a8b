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

from PIL import Image, ImageFilter, ImageOps, ImageSequence  # noqa: E402
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


def make_corpus_inputs(folder: Path) -> tuple[Path, list[Path], list[Path]]:
    """Evidence made by real producers (the test corpus plus longer documents).

    LibreOffice, Ghostscript, poppler, qpdf, img2pdf, tesseract and ImageMagick
    write the files, with their own fonts, object layouts, forms and
    annotations: the kind of input the generated set is too easy to represent.
    """
    from tests.packet import producers as P

    files = folder / "files"
    corpus = P.build_corpus(files)
    rng = random.Random(7002)
    lorem = LOREM * 3
    # a long Writer document and what other programs make of it
    (files / "long.fodt").write_text(
        P._fodt(
            [f"Statement paragraph {i}. {lorem[: rng.randrange(200, 400)]}" for i in range(260)]
        ),
        encoding="utf-8",
    )
    P._run(
        [
            "soffice",
            f"-env:UserInstallation=file://{folder / 'lo-profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(files),
            str(files / "long.fodt"),
        ],
        timeout=300,
    )
    long_pdf = files / "long.pdf"
    P._run(["pdftocairo", "-pdf", str(long_pdf), str(files / "long-cairo.pdf")])
    P._run(["qpdf", "--linearize", str(long_pdf), str(files / "long-linearized.pdf")])
    ps = files / "many.ps"
    ps.write_text(
        "%!PS\n/Helvetica findfont 11 scalefont setfont\n"
        + "".join(
            f"72 {720 - 14 * k} moveto (Page {n} line {k}: {LOREM[:80]}) show\n"
            + ("showpage\n" if k == 44 else "")
            for n in range(1, 26)
            for k in range(45)
        )
    )
    P._run(["ps2pdf", str(ps), str(files / "many-ps2pdf.pdf")])
    scans = []
    for i in range(8):
        png = files / f"scan-{i}.png"
        P._text_image(png, [f"Scanned page {i + 1}", LOREM[:40], LOREM[40:80]])
        scans.append(png)
    P._run(
        [
            "img2pdf",
            "--pagesize",
            "Letter",
            "-o",
            str(files / "scans-img2pdf.pdf"),
            *map(str, scans),
        ]
    )
    pdfs = sorted(p for p in files.glob("*.pdf") if p.name not in ("lo-empty.pdf",))
    photos = [corpus[k] for k in ("imagemagick-fax", "imagemagick-cmyk") if k in corpus]
    for i in range(6):
        jpg = files / f"scan-{i}.jpg"
        Image.open(scans[i]).convert("RGB").save(jpg, quality=80)
        photos.append(jpg)
    photos += scans[6:8]
    photo = files / "phone-photo.jpg"
    _photo(photo, rng, 6)
    photos.append(photo)
    draft = load_sample("attorney-employer")
    draft.attachments = [
        Attachment("other", f"Evidence {p.stem}", f"files/{p.name}", "2026-01-15", id=f"pdf-{i}")
        for i, p in enumerate(pdfs)
    ] + [
        Attachment("other", f"Picture {p.stem}", f"files/{p.name}", "2026-02-01", id=f"img-{i}")
        for i, p in enumerate(photos)
    ]
    path = folder / "draft.json"
    path.write_text(dumps(draft), encoding="utf-8")
    return path, pdfs, photos


def floor(pdfs: list[Path], photos: list[Path], out: Path) -> float:
    t0 = time.perf_counter()
    subprocess.run(
        ["qpdf", "--empty", "--pages", *map(str, pdfs), "--", str(out / "floor.pdf")], check=True
    )
    for p in photos:
        with Image.open(p) as img:
            frames = [
                ImageOps.exif_transpose(f.copy()).convert("RGB")
                for f in ImageSequence.Iterator(img)
            ]
            frames[0].save(out / f"{p.stem}.pdf", "PDF", save_all=True, append_images=frames[1:])
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
    ap.add_argument("--only", choices=("generated", "real-producer"), help="run one input set")
    ap.add_argument("--child", nargs=2, metavar=("DRAFT", "OUT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return 0
    if shutil.which("qpdf") is None:
        print("qpdf is needed for the floor (apt-get install qpdf)")
        return 2
    sets = {"generated": make_inputs, "real-producer": make_corpus_inputs}
    if args.only:
        sets = {args.only: sets[args.only]}
    ok = True
    for label, make in sets.items():
        with tempfile.TemporaryDirectory() as tmp:
            ok &= run_set(label, make, Path(tmp), args.runs)
    return 0 if ok else 1


def run_set(label: str, make, folder: Path, runs: int) -> bool:
    print(f"== {label} inputs")
    t0 = time.perf_counter()
    draft, pdfs, photos = make(folder)
    print(f"inputs made in {time.perf_counter() - t0:.1f} s")
    from pypdf import PdfReader

    input_bytes = sum(p.stat().st_size for p in [*pdfs, *photos])
    pages_in = sum(len(PdfReader(p).pages) for p in pdfs)
    floors, builds = [], []
    for _ in range(runs):
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
        f"inputs: {len(pdfs)} PDFs ({pages_in} pages) + {len(photos)} images, "
        f"{input_bytes / 1e6:.1f} MB"
    )
    print(
        f"floor  (qpdf --empty --pages + Pillow images): {f:.2f} s "
        f"(runs: {', '.join(f'{x:.2f}' for x in floors)})"
    )
    runs_text = ", ".join(f"{b['seconds']:.2f}" for b in builds)
    print(
        f"packet (build_packet, whole packet):          {best['seconds']:.2f} s "
        f"(runs: {runs_text}), {best['pages']} pages"
    )
    ratio = best["seconds"] / f
    print(f"ratio: {ratio:.2f}x (target <= 2x) {'OK' if ratio <= 2 else 'OVER'}")
    rss = max(b["rss_mb"] for b in builds)
    print(
        f"peak RSS of the build: {rss:.0f} MB (target <= 400 MB) {'OK' if rss <= 400 else 'OVER'}"
    )
    print(
        f"output: {out_bytes / 1e6:.1f} MB = {out_bytes / input_bytes:.0%} of the "
        f"inputs ({input_bytes / 1e6:.1f} MB)"
    )
    return ratio <= 2 and rss <= 400


if __name__ == "__main__":
    sys.exit(main())
