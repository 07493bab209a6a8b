"""Read an official fillable PDF: its AcroForm fields, its text and its edition marks.

The file is untrusted input (downloaded by the user, possibly from a mirror): it is
size-limited, opened by qpdf (through pikepdf), and every way it can be unusable
(not a PDF, password-protected, damaged, XFA-only, flattened) becomes one
:class:`OfficialFormError` saying what the file is and what to do.  Nothing here
writes anything or goes on the network.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from ombuds_desktop.official.errors import OfficialFormError

#: Larger than any government form (the official fillable PDFs are well under 5 MB).
MAX_PDF_BYTES = 50 * 1024 * 1024
#: A form with more fields than this is not a form a person fills by hand.
MAX_FIELDS = 5000

# Field flags (PDF 32000-1, tables 221, 226, 228, 230).
FF_READ_ONLY = 1 << 0
FF_REQUIRED = 1 << 1
FF_MULTILINE = 1 << 12
FF_RADIO = 1 << 15
FF_PUSHBUTTON = 1 << 16
FF_COMBO = 1 << 17
FF_COMB = 1 << 24

DOWNLOAD_HINT = "download the fillable DHS Form 7001 PDF from dhs.gov and import that file"


@dataclass(frozen=True, slots=True)
class Widget:
    """Where one field is drawn: page (0-based), rectangle, and its appearance states."""

    page: int
    rect: tuple[float, float, float, float]  # x0, y0, x1, y1 in the page's user space
    states: tuple[str, ...] = ()  # on-states of a check box or radio button ("1", "Ind")


@dataclass(frozen=True, slots=True)
class OfficialField:
    """One terminal field of the official form."""

    name: str  # full name: "form1[0].#subform[0].Pt5Line1_FamilyName[0]"
    kind: str  # text | checkbox | radio | choice | signature | button
    tooltip: str = ""
    options: tuple[tuple[str, str], ...] = ()  # choice: (export value, shown text)
    flags: int = 0
    max_len: int | None = None
    widgets: tuple[Widget, ...] = ()
    nearby: str = ""  # page text just left of or above the first widget

    @property
    def required(self) -> bool:
        return bool(self.flags & FF_REQUIRED)

    @property
    def read_only(self) -> bool:
        return bool(self.flags & FF_READ_ONLY)

    @property
    def multiline(self) -> bool:
        return self.kind == "text" and bool(self.flags & FF_MULTILINE)

    @property
    def comb(self) -> bool:
        return self.kind == "text" and bool(self.flags & FF_COMB) and bool(self.max_len)

    @property
    def page(self) -> int:
        return self.widgets[0].page if self.widgets else -1

    @property
    def export_values(self) -> tuple[str, ...]:
        """What the field can be set to: on-states of its buttons, or a choice's exports."""
        if self.kind in ("checkbox", "radio"):
            return tuple(dict.fromkeys(s for w in self.widgets for s in w.states))
        return tuple(o[0] for o in self.options)

    @property
    def short_name(self) -> str:
        """The last part of the name without its index: "Pt5Line1_FamilyName"."""
        return re.sub(r"\[\d+\]$", "", self.name.rsplit(".", 1)[-1])

    def describe(self) -> str:
        bits = [self.kind]
        if self.multiline:
            bits.append("multi-line")
        if self.comb:
            bits.append(f"comb of {self.max_len}")
        elif self.max_len:
            bits.append(f"max {self.max_len}")
        if self.required:
            bits.append("required")
        if self.export_values:
            bits.append("values " + ", ".join(self.export_values))
        return ", ".join(bits)


@dataclass(frozen=True, slots=True)
class EditionMarks:
    """What the form says about itself, as printed on it."""

    form_number: str = ""  # "DHS Form 7001"
    omb: str = ""  # "1601-0004"
    edition: str = ""  # as printed: "11/02/22"
    expires: str = ""  # as printed: "09/30/2025"

    def text(self) -> str:
        parts = [
            self.form_number or "form number not found",
            f"OMB {self.omb}" if self.omb else "no OMB number found",
            f"edition {self.edition}" if self.edition else "no edition date found",
            f"expires {self.expires}" if self.expires else "no expiry date found",
        ]
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class OfficialForm:
    """Everything read from one official PDF."""

    sha256: str  # of the file's bytes
    fingerprint: str  # of its field set: same fields, same mapping
    pages: int
    page_sizes: tuple[tuple[float, float, float, float], ...]  # media boxes
    fields: tuple[OfficialField, ...]
    marks: EditionMarks
    page_text: tuple[str, ...] = field(default=(), repr=False)
    has_xfa: bool = False

    def field(self, name: str) -> OfficialField | None:
        return next((f for f in self.fields if f.name == name), None)

    @property
    def fillable(self) -> tuple[OfficialField, ...]:
        """Fields a value can go into (no push buttons)."""
        return tuple(f for f in self.fields if f.kind != "button")


# -- opening -------------------------------------------------------------------------------


def open_pdf(data: bytes) -> Any:
    """The PDF as a pikepdf document, or an :class:`OfficialFormError` saying why not."""
    import pikepdf

    if len(data) > MAX_PDF_BYTES:
        raise OfficialFormError(
            f"this file is {len(data) // (1024 * 1024)} MB, larger than any official form "
            f"({MAX_PDF_BYTES // (1024 * 1024)} MB at most): {DOWNLOAD_HINT}"
        )
    if b"%PDF-" not in data[:1024]:
        raise OfficialFormError(f"this file is not a PDF: {DOWNLOAD_HINT}")
    try:
        return pikepdf.open(BytesIO(data))
    except pikepdf.PasswordError:
        raise OfficialFormError(
            "this PDF is protected by a password, so its fields cannot be read: "
            f"{DOWNLOAD_HINT} (the official form has no password)"
        ) from None
    except (pikepdf.PdfError, ValueError, OSError, RecursionError):
        raise OfficialFormError(
            f"this PDF is damaged and cannot be read: {DOWNLOAD_HINT}"
        ) from None


def read_official(data: bytes) -> OfficialForm:
    """Read the form's fields, text and marks; refuse a file that cannot be filled."""
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    with open_pdf(data) as pdf:
        try:
            return _read(pdf, data)
        except OfficialFormError:
            raise
        except (RecursionError, KeyError, TypeError, ValueError, AttributeError) as exc:
            raise OfficialFormError(
                f"the form fields of this PDF are malformed ({type(exc).__name__}): {DOWNLOAD_HINT}"
            ) from None


def _read(pdf: Any, data: bytes) -> OfficialForm:
    import pikepdf

    acro = pdf.Root.get("/AcroForm")
    has_xfa = acro is not None and "/XFA" in acro
    page_of: dict[tuple[int, int], int] = {}
    sizes = []
    for i, page in enumerate(pdf.pages):
        box = [float(x) for x in page.obj.get("/MediaBox", [0, 0, 612, 792])]
        sizes.append((box[0], box[1], box[2], box[3]))
        for annot in page.obj.get("/Annots", pikepdf.Array()):
            if isinstance(annot, pikepdf.Dictionary) and annot.is_indirect:
                page_of[annot.objgen] = i
    fields: list[OfficialField] = []
    if acro is not None:
        for top in acro.get("/Fields", pikepdf.Array()):
            _walk(top, "", {}, fields, page_of, set())
    fields = [f for f in fields if f.widgets]
    texts, runs = _page_text(data, len(sizes))
    marks = edition_marks("\n".join(texts))
    if not fields:
        if has_xfa:
            raise OfficialFormError(
                "this PDF is an XFA (dynamic) form without ordinary form fields, which only "
                "Adobe software can fill: download the fillable (AcroForm) version of the form, "
                "or keep using the typeset form Ombuds Desktop prints"
            )
        raise OfficialFormError(
            "this PDF has no form fields (it was flattened, scanned or printed to PDF): "
            f"{DOWNLOAD_HINT}"
        )
    fields = [_with_nearby(f, runs) for f in fields]
    return OfficialForm(
        sha256=hashlib.sha256(data).hexdigest(),
        fingerprint=fingerprint(fields),
        pages=len(sizes),
        page_sizes=tuple(sizes),
        fields=tuple(fields),
        marks=marks,
        page_text=tuple(texts),
        has_xfa=has_xfa,
    )


def _inherit(node: Any, inherited: dict[str, Any], key: str) -> Any:
    return node[key] if key in node else inherited.get(key)


def _walk(
    node: Any,
    parent: str,
    inherited: dict[str, Any],
    out: list[OfficialField],
    page_of: dict[tuple[int, int], int],
    seen: set[tuple[int, int]],
) -> None:
    import pikepdf

    if not isinstance(node, pikepdf.Dictionary):
        return
    if node.is_indirect:
        if node.objgen in seen:
            return  # a loop in the field tree
        seen.add(node.objgen)
    if len(out) > MAX_FIELDS:
        raise OfficialFormError(
            f"this PDF has more than {MAX_FIELDS} form fields, which no official form has: "
            f"{DOWNLOAD_HINT}"
        )
    name = parent
    if "/T" in node:
        part = str(node.T)
        name = f"{parent}.{part}" if parent else part
    inh = dict(inherited)
    for key in ("/FT", "/Ff", "/MaxLen", "/Opt", "/DA", "/Q", "/TU"):
        if key in node:
            inh[key] = node[key]
    kids = [k for k in node.get("/Kids", pikepdf.Array()) if isinstance(k, pikepdf.Dictionary)]
    field_kids = [k for k in kids if "/T" in k]
    if field_kids:
        for kid in field_kids:
            _walk(kid, name, inh, out, page_of, seen)
        return
    # A terminal field: itself a widget (merged), or the parent of widget annotations.
    widget_dicts = kids if kids else [node]
    widgets = []
    for w in widget_dicts:
        if "/Rect" not in w:
            continue
        rect = [float(x) for x in w.Rect]
        x0, x1 = sorted((rect[0], rect[2]))
        y0, y1 = sorted((rect[1], rect[3]))
        page = page_of.get(w.objgen, -1) if w.is_indirect else -1
        if page < 0:
            continue  # not on any page: nothing to fill
        states: tuple[str, ...] = ()
        ap = w.get("/AP")
        if isinstance(ap, pikepdf.Dictionary) and isinstance(ap.get("/N"), pikepdf.Dictionary):
            states = tuple(str(k)[1:] for k in ap.N.keys() if str(k) != "/Off")  # noqa: SIM118
        widgets.append(Widget(page, (x0, y0, x1, y1), states))
    ft = str(inh.get("/FT", ""))
    ff = int(inh.get("/Ff", 0) or 0)
    kind = {
        "/Tx": "text",
        "/Ch": "choice",
        "/Sig": "signature",
    }.get(ft)
    if ft == "/Btn":
        kind = "button" if ff & FF_PUSHBUTTON else ("radio" if ff & FF_RADIO else "checkbox")
    if kind is None:
        return
    options: list[tuple[str, str]] = []
    opt = inh.get("/Opt")
    if isinstance(opt, pikepdf.Array):
        for o in opt:
            if isinstance(o, pikepdf.Array) and len(o) >= 2:
                options.append((str(o[0]), str(o[1])))
            else:
                options.append((str(o), str(o)))
    if kind in ("checkbox", "radio") and options and widgets:
        # /Opt on a button field gives the export values of its widgets by position
        # (some producers name the states 0, 1, 2 and put the real values here).
        widgets = [
            Widget(w.page, w.rect, (options[i][0],) if i < len(options) else w.states)
            for i, w in enumerate(widgets)
        ]
        options = []
    max_len = inh.get("/MaxLen")
    out.append(
        OfficialField(
            name=name,
            kind=kind,
            tooltip=_clean(str(node.get("/TU", "") or inherited.get("/TU", "") or "")),
            options=tuple(options),
            flags=ff,
            max_len=int(max_len) if max_len is not None and int(max_len) > 0 else None,
            widgets=tuple(widgets),
        )
    )


def _clean(text: str) -> str:
    return " ".join(text.replace("\x00", "").split())


def fingerprint(fields: list[OfficialField] | tuple[OfficialField, ...]) -> str:
    """SHA-256 of the field set (names, kinds, export values): what a mapping is keyed by.

    The same form downloaded again, or re-saved by a viewer, has the same fingerprint; an
    edition whose field names or export values changed has another one.
    """
    data = sorted([f.name, f.kind, sorted(f.export_values)] for f in fields)
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode("utf-8")).hexdigest()


# -- text ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Run:
    page: int
    x: float
    y: float
    text: str


def _page_text(data: bytes, pages: int) -> tuple[list[str], list[_Run]]:
    """Each page's text (for the edition marks) and positioned runs (for nearby labels)."""
    from pypdf import PdfReader

    texts: list[str] = []
    runs: list[_Run] = []
    try:
        reader = PdfReader(BytesIO(data))
        for i, page in enumerate(reader.pages[:pages]):

            def visit(text: str, cm: Any, tm: Any, _font: Any, _size: Any, i: int = i) -> None:
                t = _clean(text)
                if t:
                    x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                    y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                    runs.append(_Run(i, float(x), float(y), t))

            texts.append(page.extract_text(visitor_text=visit) or "")
    except Exception:  # noqa: BLE001 - text is a help for the proposal, never required
        return texts, runs
    return texts, runs


def _with_nearby(f: OfficialField, runs: list[_Run]) -> OfficialField:
    """The page text closest to the field's first widget, on its left or just above it."""
    if not f.widgets:
        return f
    w = f.widgets[0]
    x0, y0, x1, y1 = w.rect
    scored = []
    for r in runs:
        if r.page != w.page or r.x > x1:
            continue
        if y0 - 3 <= r.y <= y1 + 2 and r.x < x0:  # same line, to the left
            scored.append((x0 - r.x, r.text))
        elif y1 - 2 <= r.y <= y1 + 16 and r.x < x1:  # a caption just above
            scored.append((r.y - y1 + abs(r.x - x0) / 4, r.text))
    scored.sort()
    near = " ".join(t for _, t in scored[:2])
    return OfficialField(
        f.name, f.kind, f.tooltip, f.options, f.flags, f.max_len, f.widgets, near[:200]
    )


_DATE = r"(\d{1,2}/\d{1,2}/\d{2,4}|\d{1,2}/\d{2,4})"
_OMB = re.compile(
    r"OMB\s*(?:Control\s*)?(?:No\.?|Number|#)?\s*:?\s*(\d{4}\s*-\s*\d{4})", re.IGNORECASE
)
_EXPIRES = re.compile(r"(?:Expires?|Expiration\s*Date)\s*:?\s*" + _DATE, re.IGNORECASE)
_EDITION = re.compile(
    r"(?:Edition(?:\s*Date)?|Ed\.|Rev\.?|Revised)\s*:?\s*\(?\s*" + _DATE, re.IGNORECASE
)
_FORM_EDITION = re.compile(r"(?:DHS\s+)?Form\s+[A-Z]?-?\d{3,4}[A-Z]?\s*\(\s*" + _DATE + r"\s*\)")
_FORM_NUMBER = re.compile(r"\b(DHS\s+Form\s+\d{3,4}[A-Z]?|Form\s+[A-Z]-\d{2,4}[A-Z]?)\b")


def edition_marks(text: str) -> EditionMarks:
    """OMB number, edition date and expiry date as printed on the form (first of each)."""
    flat = " ".join(text.split())

    def first(rx: re.Pattern[str]) -> str:
        m = rx.search(flat)
        return re.sub(r"\s+", "", m.group(1)) if m else ""

    form_number = ""
    m = _FORM_NUMBER.search(flat)
    if m:
        form_number = " ".join(m.group(1).split())
    return EditionMarks(
        form_number=form_number,
        omb=first(_OMB),
        edition=first(_EDITION) or first(_FORM_EDITION),
        expires=first(_EXPIRES),
    )
