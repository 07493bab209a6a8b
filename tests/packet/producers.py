"""Evidence made by the programs that make real evidence: LibreOffice, Ghostscript, img2pdf,
ImageMagick, tesseract, poppler, qpdf; plus the annotation kinds viewers write.

Each maker returns bytes.  The corpus (``corpus()``) is built once per test
session into a cache folder.  Everything in it is made up.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from io import BytesIO
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

HERE = Path(__file__).resolve().parent
LO_FORM = HERE / "corpus" / "lo_form.py"
SYSTEM_PYTHON = "/usr/bin/python3"
FILLED = {
    "family_name": "Okonkwo-Halvorsen",
    "story": "Filed the petition in March.\nThe notice never arrived.",
    "zip": "20529",
    "agree": True,
    "status": "married",
    "country": "Peru",
}
EMPTY = {"family_name": "", "story": "", "zip": "", "agree": False, "status": "", "country": "Chad"}


def have(*tools: str) -> bool:
    return all(shutil.which(t) for t in tools)


def lo_available() -> bool:
    if not have("soffice") or not Path(SYSTEM_PYTHON).exists():
        return False
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True)
    return probe.returncode == 0


def _run(args: list[str], cwd: Path | None = None, timeout: int = 180) -> None:
    result = subprocess.run(args, capture_output=True, text=True, cwd=cwd, timeout=timeout)
    if result.returncode != 0:
        raise RuntimeError(f"{args[0]} failed: {result.stderr[-800:]}")


def lo_form(out: Path, values: dict | None = None) -> bytes:
    """A Writer form exported by LibreOffice (``/NeedAppearances true``), values as given."""
    _run([SYSTEM_PYTHON, str(LO_FORM), str(out), json.dumps(values or FILLED)], timeout=240)
    return out.read_bytes()


def fill_incrementally(data: bytes, values: dict) -> bytes:
    """Set field values the way a simple viewer saves a filled form: /V only, appended.

    The appearance streams stay as they were (stale); ``/NeedAppearances`` asks
    the next viewer to draw the values.
    """
    w = PdfWriter(BytesIO(data), incremental=True)
    form = w.root_object["/AcroForm"].get_object()
    form[NameObject("/NeedAppearances")] = BooleanObject(True)
    for ref in form["/Fields"]:
        f = ref.get_object()
        name = str(f.get("/T"))
        if name not in values:
            continue
        v = values[name]
        if f.get("/FT") == "/Btn":
            f[NameObject("/V")] = NameObject("/Yes" if v is True else ("/" + v if v else "/Off"))
        else:
            f[NameObject("/V")] = TextStringObject(v)
    out = BytesIO()
    w.write(out)
    return out.getvalue()


# -- annotations -----------------------------------------------------------------------------


def _annot(subtype: str, rect: tuple[float, float, float, float], **extra) -> DictionaryObject:
    d = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject(subtype),
            NameObject("/Rect"): ArrayObject(FloatObject(v) for v in rect),
            NameObject("/F"): NumberObject(4),
        }
    )
    for k, v in extra.items():
        d[NameObject("/" + k)] = v
    return d


def _arr(*values: float) -> ArrayObject:
    return ArrayObject(FloatObject(v) for v in values)


#: One annotation of each kind, without an appearance stream, each in its own area.
MARKUP_AREAS: dict[str, tuple[float, float, float, float]] = {
    "/Highlight": (72, 640, 300, 660),
    "/Underline": (72, 600, 300, 620),
    "/StrikeOut": (72, 560, 300, 580),
    "/Squiggly": (72, 520, 300, 540),
    "/Ink": (340, 520, 540, 660),
    "/Square": (72, 380, 200, 480),
    "/Circle": (240, 380, 380, 480),
    "/Line": (420, 380, 540, 480),
    "/FreeText": (72, 280, 300, 340),
    "/Text": (420, 300, 440, 320),
}
NOTE_TEXT = "Reviewer: the receipt date is wrong 4471"
FREETEXT = "Called USCIS on 3 May 8825"


def markup_annotations() -> list[DictionaryObject]:
    out = []
    for sub, (x0, y0, x1, y1) in MARKUP_AREAS.items():
        extra: dict = {"C": _arr(0.9, 0.1, 0.1)}
        if sub in ("/Highlight", "/Underline", "/StrikeOut", "/Squiggly"):
            extra["QuadPoints"] = _arr(x0, y1, x1, y1, x0, y0, x1, y0)
            if sub == "/Highlight":
                extra["C"] = _arr(1, 1, 0)
        elif sub == "/Ink":
            extra["InkList"] = ArrayObject(
                [_arr(x0 + 5, y0 + 5, x1 - 5, y1 - 5), _arr(x0 + 5, y1 - 5, x1 - 5, y0 + 5)]
            )
            extra["BS"] = DictionaryObject({NameObject("/W"): FloatObject(3)})
        elif sub == "/Line":
            extra["L"] = _arr(x0 + 2, y0 + 2, x1 - 2, y1 - 2)
            extra["BS"] = DictionaryObject({NameObject("/W"): FloatObject(3)})
        elif sub in ("/Square", "/Circle"):
            extra["BS"] = DictionaryObject({NameObject("/W"): FloatObject(3)})
        elif sub == "/FreeText":
            extra["Contents"] = TextStringObject(FREETEXT)
            extra["DA"] = TextStringObject("/Helv 12 Tf 0 0 1 rg")
            del extra["C"]
        elif sub == "/Text":
            extra["Contents"] = TextStringObject(NOTE_TEXT)
            extra["T"] = TextStringObject("Made-up Reviewer")
        out.append(_annot(sub, (x0, y0, x1, y1), **extra))
    return out


def annotated_pdf(base: bytes, annots: list[DictionaryObject]) -> bytes:
    w = PdfWriter(clone_from=PdfReader(BytesIO(base)))
    w.pages[0][NameObject("/Annots")] = ArrayObject(w._add_object(a) for a in annots)
    out = BytesIO()
    w.write(out)
    return out.getvalue()


# -- rendering and comparing -------------------------------------------------------------------


def render(
    data: bytes, dpi: int = 50, first: int | None = None, last: int | None = None
) -> list[Image.Image]:
    """Pages rendered by poppler (pdftoppm) as greyscale images."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.pdf"
        src.write_bytes(data)
        args = ["pdftoppm", "-r", str(dpi), "-gray"]
        if first:
            args += ["-f", str(first)]
        if last:
            args += ["-l", str(last)]
        _run([*args, str(src), str(Path(tmp) / "p")])
        return [Image.open(p).copy() for p in sorted(Path(tmp).glob("p*.pgm"))]


def ink_in(img: Image.Image, box: tuple[float, float, float, float], dpi: int = 50) -> int:
    """Number of non-white pixels inside a box given in PDF points (origin bottom-left)."""
    x0, y0, x1, y1 = box
    s = dpi / 72
    h = img.height
    crop = img.crop((int(x0 * s), int(h - y1 * s), int(x1 * s) + 1, int(h - y0 * s) + 1))
    return sum(1 for v in crop.tobytes() if v < 235)


# -- the real-producer corpus ------------------------------------------------------------------

SCRIPTS = {"arabic": "شهادة ميلاد", "cjk": "出生证明 在留カード", "devanagari": "जन्म प्रमाणपत्र"}
#: A word of each script that pdftotext gives back as typed (when a font has the glyphs).
SCRIPT_WORDS = {"arabic": ("ar", "شهادة"), "cjk": ("zh", "出生证明"), "devanagari": ("hi", "जन्म")}


def script_font_installed(lang: str) -> bool:
    """A font for the language is installed (LibreOffice draws boxes without one)."""
    if not have("fc-list"):
        return False
    r = subprocess.run(["fc-list", f":lang={lang}", "family"], capture_output=True, text=True)
    return bool(r.stdout.strip())


def _fodt(paragraphs: list[str]) -> str:
    from xml.sax.saxutils import escape

    body = "".join(f"<text:p>{escape(p)}</text:p>" for p in paragraphs)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3" '
        'office:mimetype="application/vnd.oasis.opendocument.text"><office:body>'
        f"<office:text>{body}</office:text></office:body></office:document>\n"
    )


def _text_image(path: Path, lines: list[str], size: tuple[int, int] = (1275, 1650)) -> None:
    """A 150 dpi Letter 'scan' of typed lines (DejaVu, which poppler and tesseract read)."""
    img = Image.new("L", size, 255)
    d = ImageDraw.Draw(img)
    try:
        font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 40)
    except OSError:
        font = ImageFont.load_default()
    y = 150
    for line in lines:
        d.text((120, y), line, fill=0, font=font)
        y += 70
    img.save(path)


def _reportlab_pdf(path: Path, lines: list[str], font_file: str | None = None) -> None:
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    c = Canvas(str(path), pagesize=letter, invariant=1)
    font = "Helvetica"
    if font_file:
        pdfmetrics.registerFont(TTFont("CorpusFont", font_file))
        font = "CorpusFont"
    c.setFont(font, 16)
    y = 700
    for line in lines:
        c.drawString(72, y, line)
        y -= 30
    c.showPage()
    c.save()


def build_corpus(root: Path) -> dict[str, Path]:
    """Every real-producer input, made once; a name maps to its file."""
    root.mkdir(parents=True, exist_ok=True)
    out: dict[str, Path] = {}

    def made(name: str) -> Path:
        p = root / name
        out[name.rsplit(".", 1)[0]] = p
        return p

    # Ghostscript: PostScript printed to PDF
    if have("ps2pdf"):
        ps = root / "letter.ps"
        ps.write_text(
            "%!PS\n/Helvetica findfont 18 scalefont setfont\n"
            "72 700 moveto (Ghostscript notice 6120 from USCIS) show\n"
            "72 660 moveto (Receipt number IOE0912345678) show\nshowpage\n"
        )
        _run(["ps2pdf", str(ps), str(made("ps2pdf.pdf"))])
    # img2pdf: a scan wrapped losslessly in PDF
    scan = root / "scan.png"
    _text_image(scan, ["Scanned affidavit 7310", "Signed before a notary"])
    if have("img2pdf"):
        _run(["img2pdf", "--pagesize", "Letter", "-o", str(made("img2pdf.pdf")), str(scan)])
    # ImageMagick (Debian's policy forbids it to write PDF): a CCITT G4 fax TIFF of two
    # pages and a CMYK JPEG, both attached as images
    convert = "/usr/bin/convert" if Path("/usr/bin/convert").exists() else shutil.which("convert")
    if convert:
        _run(
            [
                convert,
                str(scan),
                str(scan),
                "-monochrome",
                "-compress",
                "Group4",
                str(made("imagemagick-fax.tif")),
            ]
        )
        _run(
            [
                convert,
                str(scan),
                "-colorspace",
                "CMYK",
                "-quality",
                "80",
                str(made("imagemagick-cmyk.jpg")),
            ]
        )
    # tesseract: an invisible text layer over the scan
    if have("tesseract"):
        _run(["tesseract", str(scan), str(root / "tesseract"), "-l", "eng", "pdf"], timeout=300)
        out["tesseract"] = root / "tesseract.pdf"
    # reportlab base document with several scripts, then poppler's pdftocairo re-rendering
    base = made("reportlab.pdf")
    _reportlab_pdf(base, ["Employment letter 5582", "Salary paid monthly"])
    if have("pdftocairo"):
        _run(["pdftocairo", "-pdf", str(base), str(made("pdftocairo.pdf"))])
    # qpdf: linearized and object-stream files, an incremental update, empty-password encryption
    if have("qpdf"):
        _run(["qpdf", "--linearize", str(base), str(made("linearized.pdf"))])
        _run(["qpdf", "--object-streams=generate", str(base), str(made("objstm.pdf"))])
        _run(
            [
                "qpdf",
                "--encrypt",
                "",
                "owner-only-pw",
                "256",
                "--",
                str(base),
                str(made("encrypted-empty.pdf")),
            ]
        )
    # incremental update: a second revision appended to the first
    w = PdfWriter(base, incremental=True)
    w.add_metadata({"/Title": "Second revision"})
    with open(made("incremental.pdf"), "wb") as fh:
        w.write(fh)
    # Arabic, CJK and Devanagari text, typed in LibreOffice Writer (shaped, fonts embedded)
    if have("soffice"):
        for name, text in SCRIPTS.items():
            (root / f"{name}.fodt").write_text(_fodt([f"{name} 9140", text]), encoding="utf-8")
        _run(
            [
                "soffice",
                f"-env:UserInstallation=file://{root / 'lo-profile'}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(root),
                *(str(root / f"{n}.fodt") for n in SCRIPTS),
            ],
            timeout=240,
        )
        for name in SCRIPTS:
            out[name] = root / f"{name}.pdf"
    # annotations of every kind, with and without appearances
    made("annotations.pdf").write_bytes(annotated_pdf(base.read_bytes(), markup_annotations()))
    # LibreOffice: a filled form, and an empty one filled later by a viewer
    if lo_available():
        lo_form(made("lo-filled.pdf"), FILLED)
        empty = lo_form(root / "lo-empty.pdf", EMPTY)
        made("lo-viewer-filled.pdf").write_bytes(fill_incrementally(empty, FILLED))
    return out
