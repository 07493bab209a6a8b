"""Draw what a viewer would show for form fields and markup annotations, then flatten them.

Why this exists: a form filled in one program and saved with ``/NeedAppearances``
(LibreOffice does this) carries stale, often empty appearance streams, and a
highlight, ink stroke or sticky note made by some tools has no appearance
stream at all.  Drawing only the stored appearances loses the typed names and
the attorney's highlighting.  Here every such field and annotation gets a
fresh appearance, drawn in the field's own font where that font is embedded
and can show the text, otherwise in the app's Noto font.  What cannot be
drawn is reported by name, never dropped silently.

Everything is drawn into one overlay per page (a form XObject), after the
page's own content, so the exhibit's content streams stay as they were.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    EncodedStreamObject,
    FloatObject,
    IndirectObject,
    NameObject,
    PdfObject,
    StreamObject,
)

#: Markup annotations drawn here when they have no appearance stream.
DRAWN = frozenset(
    {
        "/Highlight",
        "/Underline",
        "/StrikeOut",
        "/Squiggly",
        "/Ink",
        "/Square",
        "/Circle",
        "/Line",
        "/Polygon",
        "/PolyLine",
        "/FreeText",
        "/Text",
        "/Caret",
        "/Stamp",
    }
)
KIND_NAMES = {
    "/Text": "sticky note",
    "/FreeText": "text box",
    "/Highlight": "highlight",
    "/Underline": "underline",
    "/StrikeOut": "strike-out",
    "/Squiggly": "squiggly underline",
    "/Ink": "ink drawing",
    "/Square": "rectangle",
    "/Circle": "ellipse",
    "/Line": "line",
    "/Polygon": "polygon",
    "/PolyLine": "polyline",
    "/Caret": "insertion mark",
    "/Stamp": "stamp",
    "/FileAttachment": "attached file",
    "/Sound": "sound",
    "/Movie": "movie",
    "/Screen": "media clip",
    "/RichMedia": "media clip",
    "/3D": "3D model",
    "/Redact": "redaction mark",
}
#: Not content: navigation and the pop-up windows of other annotations.
IGNORED = frozenset({"/Popup", "/Link"})
#: Annotations whose /Contents is a comment worth listing in the notes appendix.
COMMENTED = (DRAWN | {"/FileAttachment", "/Sound"}) - {"/FreeText"}

_TX_MULTILINE, _TX_PASSWORD, _TX_COMB = 1 << 12, 1 << 13, 1 << 24
_BTN_RADIO, _BTN_PUSH = 1 << 15, 1 << 16
_CH_COMBO = 1 << 17
_MAX_APPEARANCE_BYTES = 4 << 20  # a stale-appearance check never inflates more than this


def num(x: Any) -> float:
    """A PDF number (direct or by reference) as a float; TypeError/ValueError when it is not one."""
    value: Any = x.get_object() if isinstance(x, IndirectObject) else x  # a NumberObject, if valid
    return float(value)


def obj(x: Any) -> Any:
    return x.get_object() if isinstance(x, PdfObject) else x


def content_stream(page: Any) -> StreamObject:
    """The one content stream of a page reportlab drew (an overlay or stamp page)."""
    content = obj(page["/Contents"])
    if not isinstance(content, StreamObject):
        raise ValueError("a generated page has no single content stream")
    return content


def page_as_form(
    writer: PdfWriter, page: Any, bbox: tuple[float, float, float, float]
) -> EncodedStreamObject:
    """A page reportlab drew (overlay, stamp) as a form XObject for ``writer``: its one
    content stream as it is (not decoded), its resources, and ``bbox``."""
    content = content_stream(page)
    form = EncodedStreamObject()
    form._data = content._data
    if "/Filter" in content:
        form[NameObject("/Filter")] = content["/Filter"].clone(writer)
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(FloatObject(v) for v in bbox),
            NameObject("/Resources"): page["/Resources"].clone(writer),
        }
    )
    return form


def rect_of(arr: Any) -> tuple[float, float, float, float]:
    a = [num(v) for v in obj(arr)]
    return min(a[0], a[2]), min(a[1], a[3]), max(a[0], a[2]), max(a[1], a[3])


def inherited(field_dict: Any, key: str) -> Any:
    """A field attribute, looked up through the field's parents (PDF 12.7.4.1)."""
    node, depth = field_dict, 0
    while node is not None and depth < 32:
        if key in node:
            return obj(node[key])
        parent = node.get("/Parent")
        node = obj(parent) if parent is not None else None
        depth += 1
    return None


def text_of(value: Any) -> str:
    """A PDF string or name as text (names lose their slash and #xx escapes)."""
    value = obj(value)
    if value is None:
        return ""
    if isinstance(value, NameObject):
        return str(value)[1:]
    if isinstance(value, bytes) and not isinstance(value, str):
        return value.decode("latin-1")
    return str(value)


def _clean(text: str) -> str:
    from ombuds_desktop.printed import fonts

    return fonts.clean(text)


@dataclass(slots=True)
class Comment:
    """One annotation's comment, listed in the exhibit's notes appendix."""

    page: int  # 1-based page of the document
    kind: str
    author: str
    text: str


def comments_on(page: Any, page_number: int) -> list[Comment]:
    """The comments (pop-up texts) of a page's annotations, in annotation order."""
    out: list[Comment] = []
    for a in visible_annotations(page):
        sub = a.get("/Subtype")
        if sub not in COMMENTED:
            continue
        text = _clean(text_of(a.get("/Contents"))).strip()
        if not text:
            continue
        out.append(
            Comment(
                page_number,
                KIND_NAMES.get(str(sub), str(sub)[1:]),
                _clean(text_of(a.get("/T"))).strip(),
                text,
            )
        )
    return out


def visible_annotations(page: Any) -> Iterator[DictionaryObject]:
    """The page's visible annotation dictionaries (hidden and no-view ones are skipped)."""
    annots = obj(page.get("/Annots"))
    if not isinstance(annots, ArrayObject):
        return
    for ref in annots:
        a = obj(ref) if ref is not None else None
        if not isinstance(a, DictionaryObject):
            continue
        try:
            flags = int(num(a.get("/F", 0)))
        except (TypeError, ValueError):
            flags = 0
        if flags & (2 | 32):  # Hidden, NoView
            continue
        yield a


def embedded_file_names(reader: PdfReader) -> list[str]:
    """Names of the files embedded in a PDF (document attachments and attached-file notes)."""
    names: list[str] = []

    def spec_name(spec: Any) -> str:
        spec = obj(spec)
        if isinstance(spec, DictionaryObject):
            for key in ("/UF", "/F", "/DOS", "/Unix", "/Mac"):
                if key in spec:
                    return _clean(text_of(spec[key])).strip()
        return _clean(text_of(spec)).strip() if spec is not None else ""

    try:
        root = obj(reader.trailer["/Root"])
        tree = obj(obj(root.get("/Names", DictionaryObject())).get("/EmbeddedFiles"))
        stack, seen = [tree], 0
        while stack and seen < 10_000:
            node = obj(stack.pop())
            seen += 1
            if not isinstance(node, DictionaryObject):
                continue
            items = obj(node.get("/Names"))
            if isinstance(items, ArrayObject):
                for i in range(0, len(items) - 1, 2):
                    names.append(spec_name(items[i + 1]) or text_of(items[i]))
            kids = obj(node.get("/Kids"))
            if isinstance(kids, ArrayObject):
                stack.extend(kids)
        for page in reader.pages:
            for a in visible_annotations(page):
                if a.get("/Subtype") == "/FileAttachment":
                    names.append(spec_name(a.get("/FS")) or "an attached file")
    except Exception:  # a damaged name tree must not stop the build; the pages still go in
        names.append("an embedded file")
    return [n or "an embedded file" for n in names]


# -- the per-page overlay --------------------------------------------------------------------


class Sheets:
    """One reportlab canvas for a whole document: page k holds page k's generated drawing.

    One canvas means one embedded subset of the Noto font for the document,
    not one per page, and one render instead of many.
    """

    def __init__(self) -> None:
        self._canvas: Any = None
        self._buf = BytesIO()
        self._at = 0  # index of the canvas page being drawn
        self.boxes: dict[int, tuple[float, float, float, float]] = {}

    def canvas_for(self, index: int, box: tuple[float, float, float, float]) -> Any:
        from reportlab.pdfgen.canvas import Canvas

        from ombuds_desktop.printed import fonts

        size = (max(box[2], 1.0), max(box[3], 1.0))
        if self._canvas is None:
            fonts.register()
            self._canvas = Canvas(
                self._buf,
                pagesize=size,
                invariant=1,
                initialFontName=fonts.REGULAR,  # type: ignore[arg-type]  # stubs: float, a bug
            )
        while self._at < index:
            self._canvas.showPage()
            self._at += 1
        if index not in self.boxes:
            self._canvas.setPageSize(size)
            self.boxes[index] = box
        return self._canvas

    def finish(self, writer: PdfWriter) -> dict[int, Any]:
        """Page index -> form XObject (in ``writer``) with that page's drawing."""
        if self._canvas is None:
            return {}
        self._canvas.showPage()
        self._canvas.save()
        reader = PdfReader(BytesIO(self._buf.getvalue()))
        out: dict[int, Any] = {}
        for index, (x0, y0, x1, y1) in self.boxes.items():
            form = page_as_form(writer, reader.pages[index], (x0 - 1, y0 - 1, x1 + 1, y1 + 1))
            out[index] = writer._add_object(form)
        return out


@dataclass(slots=True)
class Overlay:
    """Generated appearances for one page, drawn in the page's user space."""

    box: tuple[float, float, float, float]
    sheets: Sheets
    index: int = 0
    raw: list[bytes] = field(default_factory=list)  # text in the field's own embedded font
    raw_fonts: dict[str, Any] = field(default_factory=dict)

    @property
    def canvas(self) -> Any:
        return self.sheets.canvas_for(self.index, self.box)

    def streams(self, writer: PdfWriter) -> list[tuple[str, Any]]:
        """(resource name, form XObject reference) for text drawn in the field's own font."""
        out: list[tuple[str, Any]] = []
        x0, y0, x1, y1 = self.box
        bbox = ArrayObject(FloatObject(v) for v in (x0 - 1, y0 - 1, x1 + 1, y1 + 1))
        if self.raw:
            form = EncodedStreamObject()
            form._data = zlib.compress(b"\n".join(self.raw), 6)
            form.update(
                {
                    NameObject("/Type"): NameObject("/XObject"),
                    NameObject("/Subtype"): NameObject("/Form"),
                    NameObject("/Filter"): NameObject("/FlateDecode"),
                    NameObject("/BBox"): bbox,
                    NameObject("/Resources"): DictionaryObject(
                        {
                            NameObject("/Font"): DictionaryObject(
                                {NameObject(k): v.clone(writer) for k, v in self.raw_fonts.items()}
                            )
                        }
                    ),
                }
            )
            out.append(("/OmbAnnFont", writer._add_object(form)))
        return out


def _color(arr: Any, default: tuple[float, float, float] | None) -> tuple[float, ...] | None:
    arr = obj(arr)
    if not isinstance(arr, ArrayObject):
        return default
    try:
        v = [min(1.0, max(0.0, num(x))) for x in arr]
    except (TypeError, ValueError):
        return default
    if len(v) == 1:
        return (v[0], v[0], v[0])
    if len(v) == 3:
        return tuple(v)
    if len(v) == 4:
        c, m, y, k = v
        return ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
    return None if len(v) == 0 else default


def _da(da: str) -> tuple[str | None, float, tuple[float, float, float]]:
    """Font resource name, size and colour from a default-appearance string."""
    font, size, color = None, 0.0, (0.0, 0.0, 0.0)
    m = re.search(r"/([^\s/]+)\s+([-+\d.]+)\s+Tf", da)
    if m:
        font, size = "/" + m.group(1), abs(float(m.group(2)))
    m = re.search(r"([-+\d.]+)\s+([-+\d.]+)\s+([-+\d.]+)\s+rg", da)
    if m:
        color = (float(m.group(1)), float(m.group(2)), float(m.group(3)))
    else:
        m = re.search(r"([-+\d.]+)\s+g(?:\s|$)", da)
        if m:
            g = float(m.group(1))
            color = (g, g, g)
    return font, size, color


def _border_width(a: DictionaryObject, default: float = 1.0) -> float:
    bs = obj(a.get("/BS"))
    try:
        if isinstance(bs, DictionaryObject) and "/W" in bs:
            return max(0.0, num(bs["/W"]))
        border = obj(a.get("/Border"))
        if isinstance(border, ArrayObject) and len(border) >= 3:
            return max(0.0, num(border[2]))
    except (TypeError, ValueError):
        pass
    return default


def _numbers(arr: Any) -> list[float]:
    arr = obj(arr)
    if not isinstance(arr, ArrayObject):
        return []
    out = []
    for v in arr:
        try:
            out.append(num(v))
        except (TypeError, ValueError):
            return []
    return out


def _quads(a: DictionaryObject) -> list[tuple[float, float, float, float]]:
    """Each quadrilateral of a text markup as a box (x0, y0, x1, y1)."""
    q = _numbers(a.get("/QuadPoints"))
    boxes = []
    for i in range(0, len(q) - 7, 8):
        xs, ys = q[i : i + 8 : 2], q[i + 1 : i + 8 : 2]
        boxes.append((min(xs), min(ys), max(xs), max(ys)))
    if not boxes:
        with contextlib.suppress(KeyError, TypeError, ValueError, IndexError):
            boxes.append(rect_of(a["/Rect"]))
    return boxes


def draw_markup(ov: Overlay, a: DictionaryObject, number: int | None) -> bool:
    """Draw a markup annotation that has no appearance; False when this kind cannot be drawn."""
    sub = a.get("/Subtype")
    if sub not in DRAWN:
        return False
    c = ov.canvas
    try:
        rect = rect_of(a["/Rect"])
    except (KeyError, TypeError, ValueError, IndexError):
        rect = None
    opacity = 1.0
    with contextlib.suppress(TypeError, ValueError):
        opacity = min(1.0, max(0.0, num(a.get("/CA", 1.0))))
    rgb: tuple[float, ...] | None  # stroke or fill colour; None: transparent
    c.saveState()
    try:
        if sub == "/Highlight":
            rgb = _color(a.get("/C"), (1.0, 1.0, 0.0)) or (1.0, 1.0, 0.0)
            c.setBlendMode("Multiply")
            c.setFillColorRGB(*rgb, alpha=opacity)
            for x0, y0, x1, y1 in _quads(a):
                c.rect(x0, y0, x1 - x0, y1 - y0, stroke=0, fill=1)
        elif sub in ("/Underline", "/StrikeOut", "/Squiggly"):
            default = {"/Underline": (0, 0.6, 0), "/StrikeOut": (0.85, 0, 0)}.get(
                str(sub), (0.2, 0.3, 0.9)
            )
            rgb = _color(a.get("/C"), default) or default
            c.setStrokeColorRGB(*rgb, alpha=opacity)
            for x0, y0, x1, y1 in _quads(a):
                h = y1 - y0
                c.setLineWidth(max(0.5, h / 14))
                if sub == "/StrikeOut":
                    c.line(x0, y0 + h / 2, x1, y0 + h / 2)
                elif sub == "/Underline":
                    c.line(x0, y0 + h / 14, x1, y0 + h / 14)
                else:
                    step, amp = max(2.0, h / 6), max(1.0, h / 12)
                    p = c.beginPath()
                    p.moveTo(x0, y0 + amp)
                    x, up = x0, False
                    while x < x1:
                        x = min(x1, x + step)
                        p.lineTo(x, y0 + (2 * amp if up else 0))
                        up = not up
                    c.drawPath(p, stroke=1, fill=0)
        elif sub in ("/Ink", "/Line", "/Polygon", "/PolyLine"):
            rgb = _color(a.get("/C"), (0.0, 0.0, 0.0))
            if rgb is None:
                return True  # transparent: nothing to show
            c.setStrokeColorRGB(*rgb, alpha=opacity)
            c.setLineWidth(_border_width(a))
            c.setLineCap(1)
            c.setLineJoin(1)
            if sub == "/Ink":
                paths = [_numbers(s) for s in obj(a.get("/InkList")) or []]
            elif sub == "/Line":
                paths = [_numbers(a.get("/L"))]
            else:
                paths = [_numbers(a.get("/Vertices"))]
            fill = _color(a.get("/IC"), None) if sub == "/Polygon" else None
            if fill is not None:
                c.setFillColorRGB(*fill, alpha=opacity)
            for pts in paths:
                if len(pts) < 2:
                    continue
                p = c.beginPath()
                p.moveTo(pts[0], pts[1])
                if len(pts) == 2:
                    p.lineTo(pts[0] + 0.01, pts[1])
                for i in range(2, len(pts) - 1, 2):
                    p.lineTo(pts[i], pts[i + 1])
                if sub == "/Polygon":
                    p.close()
                c.drawPath(p, stroke=1, fill=1 if fill is not None else 0)
        elif sub in ("/Square", "/Circle") and rect is not None:
            w = _border_width(a)
            rgb = _color(a.get("/C"), (0.0, 0.0, 0.0))
            fill = _color(a.get("/IC"), None)
            rd = _numbers(a.get("/RD")) or [0, 0, 0, 0]
            x0, y0 = rect[0] + rd[0] + w / 2, rect[1] + rd[1] + w / 2
            x1, y1 = rect[2] - rd[2] - w / 2, rect[3] - rd[3] - w / 2
            if rgb is not None:
                c.setStrokeColorRGB(*rgb, alpha=opacity)
            if fill is not None:
                c.setFillColorRGB(*fill, alpha=opacity)
            c.setLineWidth(w)
            stroke, filled = int(rgb is not None and w > 0), int(fill is not None)
            if sub == "/Square":
                c.rect(x0, y0, x1 - x0, y1 - y0, stroke=stroke, fill=filled)
            else:
                c.ellipse(x0, y0, x1, y1, stroke=stroke, fill=filled)
        elif sub == "/FreeText" and rect is not None:
            from ombuds_desktop.printed import fonts

            _, size, rgb = _da(text_of(a.get("/DA")))
            size = size or 10.0
            text = _clean(text_of(a.get("/Contents")))
            if not text and "/RC" in a:
                text = _clean(re.sub(r"<[^>]+>", " ", text_of(a.get("/RC"))))
            w = _border_width(a)
            border = _color(a.get("/C"), None)
            if w > 0:
                c.setStrokeColorRGB(*(border or (0, 0, 0)), alpha=opacity)
                c.setLineWidth(w)
                c.rect(rect[0], rect[1], rect[2] - rect[0], rect[3] - rect[1], stroke=1, fill=0)
            c.setFillColorRGB(*rgb, alpha=opacity)
            _text_block(c, text, rect, size, fonts.REGULAR, multiline=True, align=0)
        elif sub == "/Text" and rect is not None:
            _note_icon(c, rect[0], rect[3], _color(a.get("/C"), (1.0, 0.86, 0.2)))
        elif sub == "/Caret" and rect is not None:
            rgb = _color(a.get("/C"), (0.0, 0.0, 1.0)) or (0.0, 0.0, 1.0)
            c.setStrokeColorRGB(*rgb, alpha=opacity)
            c.setLineWidth(1)
            x0, y0, x1, y1 = rect
            c.lines([(x0, y0, (x0 + x1) / 2, y1), ((x0 + x1) / 2, y1, x1, y0)])
        elif sub == "/Stamp" and rect is not None:
            from ombuds_desktop.printed import fonts

            name = text_of(a.get("/Name")) or "Draft"
            label = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).upper()
            c.setStrokeColorRGB(0.75, 0.1, 0.1, alpha=opacity)
            c.setFillColorRGB(0.75, 0.1, 0.1, alpha=opacity)
            c.setLineWidth(2)
            x0, y0, x1, y1 = rect
            c.roundRect(x0 + 1, y0 + 1, x1 - x0 - 2, y1 - y0 - 2, 4, stroke=1, fill=0)
            size = max(4.0, min((y1 - y0) * 0.5, (x1 - x0 - 8) / max(1, len(label)) * 1.6))
            fonts.draw(
                c, (x0 + x1) / 2, (y0 + y1) / 2 - size * 0.35, label, fonts.BOLD, size, "center"
            )
    finally:
        c.restoreState()
    return True


def _note_icon(c: Any, x: float, top: float, rgb: tuple[float, ...] | None) -> None:
    """A sticky-note symbol: a folded yellow sheet with three lines."""
    rgb = rgb or (1.0, 0.86, 0.2)
    s = 18.0
    c.saveState()
    c.setFillColorRGB(*rgb)
    c.setStrokeColorRGB(0.35, 0.3, 0.1)
    c.setLineWidth(0.8)
    p = c.beginPath()
    p.moveTo(x, top)
    p.lineTo(x + s, top)
    p.lineTo(x + s, top - s + 5)
    p.lineTo(x + s - 5, top - s)
    p.lineTo(x, top - s)
    p.close()
    c.drawPath(p, stroke=1, fill=1)
    for k in range(3):
        y = top - 5 - k * 4
        c.line(x + 3, y, x + s - 3, y)
    c.restoreState()


def draw_marker(ov: Overlay, a: DictionaryObject, number: int) -> None:
    """A small numbered tag by an annotation whose comment is in the notes appendix."""
    from ombuds_desktop.printed import fonts

    try:
        x0, y0, x1, y1 = rect_of(a["/Rect"])
    except (KeyError, TypeError, ValueError, IndexError):
        return
    c = ov.canvas
    label = str(number)
    size = 6.5
    w = fonts.width(label, fonts.BOLD, size) + 4
    x = x0 + 19 if a.get("/Subtype") == "/Text" else x1
    y = y1 - 9
    bx0, _, bx1, by1 = ov.box
    x, y = min(max(x, bx0), bx1 - w), min(y, by1 - 9)
    c.saveState()
    c.setFillColorRGB(1.0, 0.95, 0.6)
    c.setStrokeColorRGB(0.35, 0.3, 0.1)
    c.setLineWidth(0.5)
    c.rect(x, y, w, 9, stroke=1, fill=1)
    c.setFillColorRGB(0, 0, 0)
    fonts.draw(c, x + 2, y + 2.2, label, fonts.BOLD, size)
    c.restoreState()


# -- form fields ---------------------------------------------------------------------------


def _text_block(
    c: Any,
    text: str,
    rect: tuple[float, float, float, float],
    size: float,
    font: str,
    *,
    multiline: bool,
    align: int,
    comb: int = 0,
) -> None:
    from ombuds_desktop.printed import fonts

    x0, y0, x1, y1 = rect
    w, h = x1 - x0, y1 - y0
    pad = 2.0
    if comb > 0:
        cell = w / comb
        size = size or max(4.0, min(12.0, h * 0.7, cell * 1.2))
        for i, ch in enumerate(_cells(text)[:comb]):
            y = y0 + (h - size) / 2 + size * 0.22
            fonts.draw(c, x0 + cell * (i + 0.5), y, ch, font, size, "center")
        return
    if multiline:
        size = size or 10.0
        while True:
            lines = fonts.wrap(text, font, size, max(w - 2 * pad, 4)) or [""]
            if len(lines) * size * 1.15 <= h - pad or size <= 4.0:
                break
            size = max(4.0, size - 0.5)
        y = y1 - pad - size
    else:
        text = " ".join(text.split("\n"))
        size = size or max(4.0, min(12.0, (h - 2) * 0.72))
        while size > 4.0 and fonts.width(text, font, size) > w - 2 * pad:
            size = max(4.0, size - 0.5)
        lines = [text]
        y = y0 + (h - size) / 2 + size * 0.22
    for line in lines:
        if y < y0 - size * 0.2:
            break
        tw = fonts.width(line, font, size)
        x = x0 + pad if align == 0 else (x0 + (w - tw) / 2 if align == 1 else x1 - pad - tw)
        # the fallback chain: an Arabic, Hebrew, CJK or Devanagari value is shaped and drawn
        # in the Noto font that has its glyphs (Noto Sans alone printed blank space)
        fonts.draw(c, x, y, line, font, size)
        y -= size * 1.15


def _cells(text: str) -> list[str]:
    """A comb field's cells: one character each, combining marks kept with their base."""
    cells: list[str] = []
    for ch in text:
        if cells and (unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Mc")):
            cells[-1] += ch
        else:
            cells.append(ch)
    return cells


def field_value_text(a: DictionaryObject) -> str:
    """The text a text or choice field shows (a choice's display text, not its export value)."""
    value = inherited(a, "/V")
    shown: dict[str, str] = {}
    opts = inherited(a, "/Opt")
    if isinstance(opts, ArrayObject):
        for item in opts:
            item = obj(item)
            if isinstance(item, ArrayObject) and len(item) >= 2:
                shown[text_of(item[0])] = text_of(item[1])
    if isinstance(value, ArrayObject):
        return "\n".join(shown.get(text_of(v), text_of(v)) for v in value)
    if shown and not isinstance(value, StreamObject):
        return shown.get(text_of(value), text_of(value))
    if isinstance(value, StreamObject):  # rich value in a stream: its text
        try:
            return value.get_data().decode("utf-8", "replace")
        except Exception:
            return ""
    return text_of(value)


def _appearance_bytes(stream: StreamObject) -> bytes | None:
    """The decoded appearance, or None when it is too big to look at (decoded in bounds)."""
    raw = getattr(stream, "_data", b"") or b""
    if len(raw) > _MAX_APPEARANCE_BYTES:
        return None
    filters = obj(stream.get("/Filter"))
    if isinstance(filters, ArrayObject) and len(filters) == 1:
        filters = obj(filters[0])
    try:
        if filters in ("/FlateDecode", "/Fl"):
            d = zlib.decompressobj()
            data = d.decompress(raw, _MAX_APPEARANCE_BYTES)
            return None if d.unconsumed_tail else data
        if filters is None:
            return raw
        data = stream.get_data()
        return data if len(data) <= _MAX_APPEARANCE_BYTES else None
    except Exception:  # an unreadable appearance is treated as stale
        return b""


_SHOWS_TEXT = re.compile(rb"(?:\)|>|\])\s*(?:Tj|TJ|'|\")")
_PAINTS = re.compile(rb"(?:^|\s)(?:f\*?|F|B\*?|b\*?|S|s|Do|sh|Tj|TJ|BI)(?:\s|$)")


def shows_text(stream: StreamObject) -> bool:
    data = _appearance_bytes(stream)
    return data is None or bool(_SHOWS_TEXT.search(data))


_LITERAL = re.compile(rb"\(((?:[^()\\]|\\.)*)\)\s*(?:Tj|'|\")|\[((?:[^\]])*)\]\s*TJ")


def _stale_text(stream: StreamObject, value: str) -> bool:
    """The appearance does not show the field's value (empty, or an older value).

    Only literal strings are compared, and only for plain ASCII values; when
    that cannot tell (hex strings, other scripts), a drawn appearance is trusted.
    """
    data = _appearance_bytes(stream)
    if data is None:
        return False
    shown = bool(_SHOWS_TEXT.search(data))
    if not value.strip():
        return shown  # it still shows text the field no longer has
    if not shown:
        return True
    if not value.isascii() or b"<" in data.replace(b"<<", b""):
        return False
    drawn = b"".join(
        re.sub(rb"\((.*?)\)|[^()]", lambda m: m.group(1) or b"", m.group(2))
        if m.group(2)
        else m.group(1)
        for m in _LITERAL.finditer(data)
    )
    squeeze = re.compile(rb"[^A-Za-z0-9]")
    want = squeeze.sub(b"", value.encode("ascii"))[:24]
    return bool(want) and want not in squeeze.sub(b"", drawn)


def paints(stream: StreamObject) -> bool:
    data = _appearance_bytes(stream)
    return data is None or bool(_PAINTS.search(data))


def button_states(a: DictionaryObject) -> tuple[list[str], str]:
    """The widget's on-state names and the state its field's value selects."""
    ap = obj(a.get("/AP"))
    on: list[str] = []
    if isinstance(ap, DictionaryObject):
        for key in ("/N", "/D"):
            states = obj(ap.get(key))
            if isinstance(states, DictionaryObject) and not isinstance(states, StreamObject):
                on += [str(k) for k in states if k != "/Off" and str(k) not in on]
    value = inherited(a, "/V")
    state = str(value) if isinstance(value, NameObject) else ("/" + text_of(value) if value else "")
    if on:
        return on, state if state in on else "/Off"
    return ["/Yes"], "/Yes" if state not in ("", "/Off") else "/Off"


def _embedded_font(
    a: DictionaryObject, acroform: DictionaryObject | None, name: str | None, text: str
) -> tuple[Any, list[float], int, bytes] | None:
    """The field's own font when it is embedded, whole, and can show ``text``.

    Returns (font reference, widths, first char, encoded text).  Subset fonts
    are not used: a subset may lack the glyphs the new value needs.
    """
    if name is None:
        return None
    dr = inherited(a, "/DR")
    if dr is None and acroform is not None:
        dr = obj(acroform.get("/DR"))
    fonts_dict = obj(obj(dr).get("/Font")) if isinstance(obj(dr), DictionaryObject) else None
    if not isinstance(fonts_dict, DictionaryObject) or name not in fonts_dict:
        return None
    ref = fonts_dict.raw_get(name)
    font = obj(ref)
    if not isinstance(font, DictionaryObject) or font.get("/Subtype") not in (
        "/TrueType",
        "/Type1",
    ):
        return None
    if re.match(r"^/[A-Z]{6}\+", str(font.get("/BaseFont", ""))):
        return None
    desc = obj(font.get("/FontDescriptor"))
    if not isinstance(desc, DictionaryObject) or not any(
        k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")
    ):
        return None
    if obj(font.get("/Encoding")) != "/WinAnsiEncoding":
        return None
    try:
        encoded = text.encode("cp1252")
    except UnicodeEncodeError:
        return None
    widths = _numbers(font.get("/Widths"))
    first = int(num(font.get("/FirstChar", 0)))
    if not widths or any(
        not (first <= b < first + len(widths)) or not widths[b - first] for b in encoded if b != 32
    ):
        return None
    return ref, widths, first, encoded


def _pdf_string(data: bytes) -> bytes:
    return b"(" + data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def draw_widget(
    ov: Overlay, a: DictionaryObject, acroform: DictionaryObject | None, need: bool
) -> bool | None:
    """Draw a form field's value.

    Returns True when drawn here, False when the stored appearance should be
    used instead, None when there is nothing to draw.
    """
    from ombuds_desktop.printed import fonts

    kind = inherited(a, "/FT")
    flags = int(num(inherited(a, "/Ff") or 0))
    try:
        rect = rect_of(a["/Rect"])
    except (KeyError, TypeError, ValueError, IndexError):
        return None
    x0, y0, x1, y1 = rect
    if x1 - x0 <= 0 or y1 - y0 <= 0:
        return None
    normal = _normal(a)
    if kind == "/Btn":
        if flags & _BTN_PUSH:
            return False if normal is not None else None
        on, state = button_states(a)
        stored = _state_stream(a, state)
        if not need and stored is not None and (state == "/Off" or paints(stored)):
            a[NameObject("/AS")] = NameObject(state)
            return False
        _background(ov, a, rect)
        if state == "/Off":
            return True
        c = ov.canvas
        c.saveState()
        _, _, rgb = _da(text_of(inherited(a, "/DA") or ""))
        c.setFillColorRGB(*rgb)
        c.setStrokeColorRGB(*rgb)
        s = min(x1 - x0, y1 - y0)
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        if flags & _BTN_RADIO:
            c.circle(cx, cy, s * 0.25, stroke=0, fill=1)
        else:
            c.setLineWidth(max(0.8, s * 0.12))
            c.setLineCap(1)
            c.setLineJoin(1)
            p = c.beginPath()
            p.moveTo(cx - s * 0.3, cy)
            p.lineTo(cx - s * 0.08, cy - s * 0.25)
            p.lineTo(cx + s * 0.32, cy + s * 0.3)
            c.drawPath(p, stroke=1, fill=0)
        c.restoreState()
        return True
    if kind not in ("/Tx", "/Ch"):
        return False if normal is not None else None
    text = _clean(field_value_text(a))
    stale = normal is None or _stale_text(normal, text)
    if not need and not stale:
        return False
    _background(ov, a, rect)
    if not text.strip():
        return True
    if kind == "/Tx" and flags & _TX_PASSWORD:
        text = "•" * len(text)
    da = text_of(inherited(a, "/DA") or (acroform.get("/DA") if acroform else None) or "")
    font_name, size, rgb = _da(da)
    q = inherited(a, "/Q")
    if q is None and acroform is not None:
        q = obj(acroform.get("/Q"))
    align = int(num(q)) if q is not None else 0
    multiline = (
        kind == "/Ch" and not (flags & _CH_COMBO) or bool(kind == "/Tx" and flags & _TX_MULTILINE)
    )
    comb = 0
    if kind == "/Tx" and flags & _TX_COMB:
        max_len = inherited(a, "/MaxLen")
        comb = int(num(max_len)) if max_len is not None else 0
    own = (
        None if multiline or comb or "\n" in text else _embedded_font(a, acroform, font_name, text)
    )
    if own is not None:
        ref, widths, first, encoded = own
        size = size or max(4.0, min(12.0, (y1 - y0 - 2) * 0.72))
        tw = sum(widths[b - first] if first <= b < first + len(widths) else 0 for b in encoded)
        tw = tw * size / 1000
        x = x0 + 2 if align == 0 else (x0 + (x1 - x0 - tw) / 2 if align == 1 else x1 - 2 - tw)
        y = y0 + (y1 - y0 - size) / 2 + size * 0.22
        res = f"/OmbF{len(ov.raw_fonts)}"
        ov.raw_fonts[res] = ref
        ov.raw.append(
            f"q {rgb[0]:.3f} {rgb[1]:.3f} {rgb[2]:.3f} rg BT {res} {size:.2f} Tf "
            f"{x:.2f} {y:.2f} Td ".encode()
            + _pdf_string(encoded)
            + b" Tj ET Q"
        )
        return True
    c = ov.canvas
    c.saveState()
    p = c.beginPath()
    p.rect(x0, y0, x1 - x0, y1 - y0)
    c.clipPath(p, stroke=0, fill=0)
    c.setFillColorRGB(*rgb)
    _text_block(c, text, rect, size, fonts.REGULAR, multiline=multiline, align=align, comb=comb)
    c.restoreState()
    return True


def _background(ov: Overlay, a: DictionaryObject, rect: tuple[float, float, float, float]) -> None:
    mk = obj(a.get("/MK"))
    if not isinstance(mk, DictionaryObject):
        return
    bg, bc = _color(mk.get("/BG"), None), _color(mk.get("/BC"), None)
    if bg is None and bc is None:
        return
    c = ov.canvas
    c.saveState()
    w = _border_width(a)
    if bg is not None:
        c.setFillColorRGB(*bg)
    if bc is not None:
        c.setStrokeColorRGB(*bc)
        c.setLineWidth(w)
    x0, y0, x1, y1 = rect
    c.rect(
        x0 + w / 2,
        y0 + w / 2,
        x1 - x0 - w,
        y1 - y0 - w,
        stroke=int(bc is not None and w > 0),
        fill=int(bg is not None),
    )
    c.restoreState()


def _normal(a: DictionaryObject) -> StreamObject | None:
    ap = obj(a.get("/AP"))
    if not isinstance(ap, DictionaryObject) or "/N" not in ap:
        return None
    normal = obj(ap["/N"])
    if isinstance(normal, StreamObject):
        return normal
    if isinstance(normal, DictionaryObject):
        state = a.get("/AS")
        if state is not None and state in normal:
            s = obj(normal[state])
            return s if isinstance(s, StreamObject) else None
    return None


def _state_stream(a: DictionaryObject, state: str) -> StreamObject | None:
    ap = obj(a.get("/AP"))
    normal = obj(ap.get("/N")) if isinstance(ap, DictionaryObject) else None
    if isinstance(normal, DictionaryObject) and not isinstance(normal, StreamObject):
        s = obj(normal.get(state))
        return s if isinstance(s, StreamObject) else None
    return None
