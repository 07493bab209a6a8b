"""Tagged PDF (structure tree, reading order, artifacts) for the pages the app draws.

Why by hand: reportlab writes no structure, and the libraries that do
(platypus-free ones included) would mean redrawing every page; the renderers
already draw in reading order, so marking what they draw is a few operators.

Two halves:

* While a :class:`~ombuds_desktop.packet.layout.Sheet` draws, a :class:`Tagger`
  writes marked-content operators into the page (``/P <</MCID 3>> BDC … EMC``)
  and records the structure elements they belong to.  Everything not inside an
  element (rules, boxes, shading, running headers and footers) sits in
  ``/Artifact BMC … EMC``: the page is never "half tagged".  When the document
  is saved, each page gets a private ``/OmbTags`` entry: the whole part's
  structure as JSON (no text in it, only roles, MCIDs and alternate texts),
  its page number in the part, and its own content stream.
* When a PDF is written (:func:`finish`, called by ``assemble.clean_pdf``),
  the pages are found wherever they ended up (the packet merges parts and
  evidence and renumbers everything), the structure trees are joined under one
  ``Document`` in page order, MCIDs are tied to the pages through a fresh
  ParentTree / StructParents, the private entries are removed, and the catalog
  gets ``/Lang``, ``/MarkInfo`` and the tree.  Content streams added after
  drawing (packet stamps) become artifacts.  Evidence pages carry no
  ``/OmbTags`` and are left as they are (untagged).
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import zlib
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from io import BytesIO
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pikepdf
    from reportlab.pdfgen.canvas import Canvas

LANG = "en-US"
MARKER = "/OmbTags"
#: The markers this process wrote (id -> digest of the structure), so an input page that
#: carries a look-alike ``/OmbTags`` (hostile or not) is never taken for a drawn page.
#: Kept out of the PDF, which stays byte-for-byte reproducible; the newest few thousand.
_WRITTEN: OrderedDict[str, str] = OrderedDict()
_WRITTEN_MAX = 4096
_LOCK = threading.Lock()


def _remember(ident: str, tree: bytes) -> None:
    with _LOCK:
        _WRITTEN[ident] = hashlib.sha256(tree).hexdigest()
        _WRITTEN.move_to_end(ident)
        while len(_WRITTEN) > _WRITTEN_MAX:
            _WRITTEN.popitem(last=False)


def _ours(ident: str, tree: bytes) -> bool:
    with _LOCK:
        return _WRITTEN.get(ident) == hashlib.sha256(tree).hexdigest()


_FORMAT = 1


@dataclass(slots=True, eq=False)
class Elem:
    """A structure element: role, kids (elements or (page, mcid)), alternate texts."""

    role: str
    parent: Elem | None = None
    kids: list[Elem | tuple[int, int]] = field(default_factory=list)
    alt: str | None = None
    actual_text: str | None = None
    attrs: dict[str, Any] | None = None

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "S": self.role,
            "K": [k.as_json() if isinstance(k, Elem) else list(k) for k in self.kids],
        }
        if self.alt is not None:
            out["Alt"] = self.alt
        if self.actual_text is not None:
            out["ActualText"] = self.actual_text
        if self.attrs:
            out["A"] = self.attrs
        return out


_ARTIFACT = "artifact"


def _pdf_string(s: str) -> str:
    """A PDF text string literal in UTF-16BE hex (safe for any text in a content stream)."""
    return "<FEFF" + s.encode("utf-16-be").hex().upper() + ">"


class Tagger:
    """Marks what a canvas draws and records the structure (one per Sheet).

    At any time exactly one marked-content sequence is open on the page: the
    innermost content element's (with a fresh MCID) or an artifact.
    """

    def __init__(self, canvas: Canvas, *, enabled: bool = True) -> None:
        self.c = canvas
        #: False for a page-counting probe: the structure is recorded, nothing is written.
        self.enabled = enabled
        self.root = Elem("Document")
        # (element or None, kind): kind "content" owns marked content, "group" only
        # holds elements, "artifact" marks decoration.
        self._stack: list[tuple[Elem | None, str]] = []
        self._page = -1
        self._mcid = 0
        self._open: Elem | str | None = None

    # -- state ----------------------------------------------------------------------
    def _want(self) -> Elem | str:
        if self._stack:
            elem, kind = self._stack[-1]
            if kind == "content" and elem is not None:
                return elem
        return _ARTIFACT

    def _container(self) -> Elem:
        for elem, kind in reversed(self._stack):
            if elem is not None and kind != "artifact":
                return elem
        return self.root

    def _switch(self, target: Elem | str) -> None:
        if self._open is target:
            return
        if not self.enabled:
            self._open = target
            return
        if self._open is not None:
            self.c.addLiteral("EMC")
        if target == _ARTIFACT:
            self.c.addLiteral("/Artifact BMC")
        else:
            assert isinstance(target, Elem)
            target.kids.append((self._page, self._mcid))
            self.c.addLiteral(f"/{target.role} <</MCID {self._mcid}>> BDC")
            self._mcid += 1
        self._open = target

    @property
    def in_artifact(self) -> bool:
        """Inside an artifact everything is decoration, even what is tagged inside it."""
        return any(kind == "artifact" for _, kind in self._stack)

    @property
    def in_content(self) -> bool:
        """Whether drawing now lands in an element or an artifact (no automatic paragraph)."""
        return bool(self._stack) and self._stack[-1][1] != "group"

    # -- pages (called by Sheet) -------------------------------------------------------
    def begin_page(self) -> None:
        self._page += 1
        self._mcid = 0
        self._open = None

    def end_page(self) -> None:
        if self._open is not None and self.enabled:
            self.c.addLiteral("EMC")
        self._open = None

    @contextmanager
    def detached(self) -> Iterator[None]:
        """Draw outside the open elements (headers, footers), then go back to them."""
        saved, self._stack = self._stack, []
        self._switch(_ARTIFACT)
        try:
            yield
        finally:
            self._stack = saved
            if self._open is not None:  # not when the page ended inside
                self._switch(self._want())

    # -- the renderers' API ------------------------------------------------------------
    def element(
        self,
        role: str,
        *,
        alt: str | None = None,
        actual_text: str | None = None,
        attrs: dict[str, Any] | None = None,
        parent: Elem | None = None,
    ) -> Elem:
        """A new element under ``parent`` or the current one (order = creation).

        Inside an artifact the element is not part of the structure, nor is anything a
        probe or measuring sheet records (``parent`` may be the real sheet's element).
        """
        parent = parent or self._container()
        elem = Elem(role, parent, alt=alt, actual_text=actual_text, attrs=attrs)
        if not self.in_artifact and self.enabled:
            parent.kids.append(elem)
        return elem

    @contextmanager
    def tag(
        self,
        role: str | Elem,
        *,
        alt: str | None = None,
        actual_text: str | None = None,
        attrs: dict[str, Any] | None = None,
        parent: Elem | None = None,
    ) -> Iterator[Elem]:
        """What is drawn inside belongs to an element of ``role`` (or to a given element)."""
        elem = (
            role
            if isinstance(role, Elem)
            else self.element(role, alt=alt, actual_text=actual_text, attrs=attrs, parent=parent)
        )
        if self.in_artifact:
            yield elem
            return
        with self._inside(elem, "content", elem):
            yield elem

    @contextmanager
    def group(
        self, role: str | Elem, *, attrs: dict[str, Any] | None = None, parent: Elem | None = None
    ) -> Iterator[Elem]:
        """An element holding other elements (Table, TR, L, LI); its own drawing is decoration."""
        elem = role if isinstance(role, Elem) else self.element(role, attrs=attrs, parent=parent)
        if self.in_artifact:
            yield elem
            return
        with self._inside(elem, "group", _ARTIFACT):
            yield elem

    @contextmanager
    def artifact(self) -> Iterator[None]:
        """Decoration or pagination: not read aloud, not in the structure."""
        with self._inside(None, "artifact", _ARTIFACT):
            yield

    @contextmanager
    def _inside(self, elem: Elem | None, kind: str, marking: Elem | str) -> Iterator[None]:
        """Push one level (``kind``), mark what is drawn as ``marking``, and on leaving
        return to what the enclosing level wants."""
        self._stack.append((elem, kind))
        self._switch(marking)
        try:
            yield
        finally:
            self._stack.pop()
            self._switch(self._want())

    def tree_json(self) -> bytes:
        return json.dumps(
            {"v": _FORMAT, "K": [k.as_json() for k in self.root.kids if isinstance(k, Elem)]},
            sort_keys=True,
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode("utf-8")


# -- saving a drawn document ---------------------------------------------------------------


def embed(pdf: bytes, tagger: Tagger) -> bytes:
    """Attach the recorded structure to every page of a freshly drawn PDF (``/OmbTags``)."""
    import pikepdf

    tree = tagger.tree_json()
    with pikepdf.open(BytesIO(pdf)) as doc:
        # The document's own digest makes two parts with the same structure distinct.
        ident = hashlib.sha256(pdf).hexdigest()[:32]
        _remember(ident, tree)
        stream = doc.make_stream(zlib.compress(tree, 9))
        stream.Filter = pikepdf.Name.FlateDecode
        stream_ref = doc.make_indirect(stream)
        for i, page in enumerate(doc.pages):
            contents = page.obj.get("/Contents")
            marker = pikepdf.Dictionary(
                Tree=stream_ref, Page=i, Id=pikepdf.String(ident), Content=contents
            )
            page.obj[MARKER] = marker
        return _saved_as_drawn(doc)


# -- writing a PDF: join the trees ----------------------------------------------------------


@dataclass(slots=True)
class _Source:
    order: int
    tree: dict[str, Any]
    pages: dict[int, int] = field(default_factory=dict)  # part page -> final page index


_ROLE = re.compile(r"[A-Za-z][A-Za-z0-9]{0,15}")
_LIMIT = 100_000  # pages of a part, MCIDs of a page


def _read_tree(marker: Any) -> dict[str, Any] | None:
    """The structure a marker carries, or None when this process did not write it."""
    try:
        data = marker.Tree.read_bytes()
        tree = json.loads(data) if _ours(str(marker.Id), data) else None
    except (AttributeError, KeyError, TypeError, ValueError, RuntimeError):
        return None

    def ok(node: Any, depth: int) -> bool:
        if depth > 64 or not isinstance(node, dict) or not isinstance(node.get("K"), list):
            return False
        if depth and not (isinstance(node.get("S"), str) and _ROLE.fullmatch(node["S"])):
            return False
        for key in ("Alt", "ActualText"):
            if key in node and not isinstance(node[key], str):
                return False
        attrs = node.get("A", {})
        if not isinstance(attrs, dict) or not all(
            isinstance(k, str)
            and _ROLE.fullmatch(k)
            and (type(v) is int or (isinstance(v, str) and _ROLE.fullmatch(v)))
            for k, v in attrs.items()
        ):
            return False
        for k in node["K"]:
            if isinstance(k, dict):
                if not ok(k, depth + 1):
                    return False
            elif not (
                isinstance(k, list)
                and len(k) == 2
                and all(type(x) is int and 0 <= x < _LIMIT for x in k)
            ):
                return False
        return True

    return tree if tree is not None and ok(tree, 0) else None


def _first_page(node: dict[str, Any], where: dict[int, int]) -> int | None:
    best: int | None = None
    for k in node.get("K", []):
        p = _first_page(k, where) if isinstance(k, dict) else where.get(k[0])
        if p is not None and (best is None or p < best):
            best = p
    return best


def _painting(data: bytes) -> bool:
    return data.strip() not in (b"", b"q", b"Q")


def finish(pdf: pikepdf.Pdf, *, lang: str = LANG, figures: Mapping[int, str] | None = None) -> bool:
    """Build the document's structure from the pages' ``/OmbTags``; True when tagged.

    Call on the final PDF (after every page is in place); leaves a PDF whose
    pages carry no marker untouched.  ``figures`` maps pages the app made from
    a photo or scan (one image, ``/OmbIm``) to their alternate text: each
    becomes a Figure in the reading order.
    """
    import pikepdf

    sources: dict[str, _Source] = {}
    originals: dict[int, set[Any]] = {}  # final page -> its drawn content streams
    for i, page in enumerate(pdf.pages):
        # Left-overs of an input's own structure would point into a tree that is not there.
        if "/StructParents" in page.obj:
            del page.obj["/StructParents"]
        for annot in page.obj.get("/Annots", ()):
            if isinstance(annot, pikepdf.Dictionary) and "/StructParent" in annot:
                del annot["/StructParent"]
        marker = page.obj.get(MARKER)
        if marker is None:
            continue
        del page.obj[MARKER]
        ident = str(marker.get("/Id", ""))
        src = sources.get(ident)
        if src is None:
            tree = _read_tree(marker)
            if tree is None:
                continue  # not one of ours (an input's look-alike): left untagged
            src = _Source(len(sources), tree)
            sources[ident] = src
        part_page = marker.get("/Page")
        if not isinstance(part_page, int) or part_page in src.pages:
            continue  # the same drawn page twice: only the first is tagged
        src.pages[part_page] = i
        if "/Content" in marker:
            originals[i] = {marker.Content.objgen}
    for i, alt in sorted((figures or {}).items()):
        if drawn := _mark_figure(pdf, pdf.pages[i].obj):
            originals[i] = drawn
            tree = {"K": [{"S": "Figure", "Alt": alt, "K": [[0, 0]]}]}
            sources[f"figure {i}"] = _Source(len(sources), tree, {0: i})
    if not sources:
        return False

    # Top-level elements of every part, in the order their first page appears.
    tops: list[tuple[int, int, int, dict[str, Any], _Source]] = []
    for src in sources.values():
        for n, node in enumerate(src.tree.get("K", [])):
            first = _first_page(node, src.pages)
            if first is not None:
                tops.append((first, src.order, n, node, src))
    tops.sort(key=lambda t: t[:3])

    pages = [p.obj for p in pdf.pages]
    parents: dict[int, dict[int, Any]] = {}  # final page -> mcid -> element
    root = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot))
    document = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.StructElem, S=pikepdf.Name.Document, P=root, K=pikepdf.Array()
        )
    )

    def build(node: dict[str, Any], parent: Any, where: dict[int, int]) -> Any | None:
        elem = pdf.make_indirect(
            pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name("/" + node["S"]))
        )
        elem.P = parent
        kids = pikepdf.Array()
        refs: list[tuple[int, int]] = []
        for k in node.get("K", []):
            if isinstance(k, dict):
                child = build(k, elem, where)
                if child is not None:
                    kids.append(child)
                continue
            final = where.get(k[0])
            if final is None:
                continue
            refs.append((final, k[1]))
            parents.setdefault(final, {})[k[1]] = elem
            kids.append(pikepdf.Dictionary(Type=pikepdf.Name.MCR, Pg=pages[final], MCID=k[1]))
        if not len(kids):
            return None
        on = {p for p, _ in refs}
        if len(on) == 1:  # all its content on one page: plain MCIDs and /Pg
            elem.Pg = pages[on.pop()]
            kids = pikepdf.Array(
                [k.MCID if isinstance(k, pikepdf.Dictionary) and "/MCID" in k else k for k in kids]
            )
        elem.K = kids[0] if len(kids) == 1 else kids
        for key in ("Alt", "ActualText"):
            if node.get(key) is not None:
                elem[f"/{key}"] = pikepdf.String(node[key])
        if node.get("A"):
            attrs = pikepdf.Dictionary()
            for key, value in sorted(node["A"].items()):
                attrs[f"/{key}"] = pikepdf.Name("/" + value) if isinstance(value, str) else value
            elem.A = attrs
        return elem

    for _, _, _, node, src in tops:
        elem = build(node, document, src.pages)
        if elem is not None:
            document.K.append(elem)

    nums = pikepdf.Array()
    for n, final in enumerate(sorted(parents)):
        mcids = parents[final]
        arr = pikepdf.Array([mcids.get(m, None) for m in range(max(mcids) + 1)])
        nums.append(n)
        nums.append(pdf.make_indirect(arr))
        pages[final].StructParents = n
        pages[final].Tabs = pikepdf.Name.S
    root.K = document
    root.ParentTree = pdf.make_indirect(pikepdf.Dictionary(Nums=nums))
    root.ParentTreeNextKey = len(parents)
    pdf.Root.StructTreeRoot = root
    pdf.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
    pdf.Root.Lang = pikepdf.String(lang)
    _stamps_as_artifacts(pdf, pages, originals)
    return True


def reopen(data: bytes) -> bytes:
    """A PDF written by :func:`finish` with its structure put back on its pages.

    For merging a finished packet into another PDF (the mail export): the
    pages carry ``/OmbTags`` again, and the next :func:`finish` joins them.
    """
    import pikepdf

    with pikepdf.open(BytesIO(data)) as pdf:
        tree_root = pdf.Root.get("/StructTreeRoot")
        if tree_root is None:
            return data
        index = {p.obj.objgen: i for i, p in enumerate(pdf.pages)}

        def kids_of(e: Any) -> list[Any]:
            k = e.get("/K")
            return list(k) if isinstance(k, pikepdf.Array) else [] if k is None else [k]

        def node(e: Any, pg: Any) -> dict[str, Any]:
            pg = e.get("/Pg", pg)
            out: dict[str, Any] = {"S": str(e.S)[1:], "K": []}
            for k in kids_of(e):
                if isinstance(k, int):
                    out["K"].append([index[pg.objgen], k])
                elif "/MCID" in k:
                    out["K"].append([index[k.get("/Pg", pg).objgen], int(k.MCID)])
                elif "/S" in k:
                    out["K"].append(node(k, pg))
            for key in ("Alt", "ActualText"):
                if f"/{key}" in e:
                    out[key] = str(e[f"/{key}"])
            if "/A" in e:
                out["A"] = {
                    str(k)[1:]: str(v)[1:] if isinstance(v, pikepdf.Name) else int(v)
                    for k, v in e.A.items()
                }
            return out

        tops = [node(k, None) for d in kids_of(tree_root) for k in kids_of(d)]
        tree = json.dumps(
            {"v": _FORMAT, "K": tops}, sort_keys=True, ensure_ascii=False, separators=(",", ":")
        ).encode("utf-8")
        ident = hashlib.sha256(data).hexdigest()[:32]
        _remember(ident, tree)
        stream = pdf.make_stream(zlib.compress(tree, 9))
        stream.Filter = pikepdf.Name.FlateDecode
        stream_ref = pdf.make_indirect(stream)
        for i, page in enumerate(pdf.pages):
            if "/StructParents" in page.obj:
                del page.obj["/StructParents"]
                page.obj[MARKER] = pikepdf.Dictionary(
                    Tree=stream_ref, Page=i, Id=pikepdf.String(ident)
                )
        for key in ("/StructTreeRoot", "/MarkInfo"):
            del pdf.Root[key]
        return _saved_as_drawn(pdf)


def _saved_as_drawn(pdf: Any) -> bytes:
    """``pdf`` written out with its drawn streams passed through as they are (no decoding, no
    recompression) and a deterministic id."""
    import pikepdf

    out = BytesIO()
    pdf.save(
        out,
        compress_streams=False,
        stream_decode_level=pikepdf.StreamDecodeLevel.none,
        deterministic_id=True,
        fix_metadata_version=False,
    )
    return out.getvalue()


def _small_stream_with(item: Any, op: bytes) -> bool:
    import pikepdf

    return (
        isinstance(item, pikepdf.Stream)
        and int(item.get("/Length", 0)) <= 512
        and op in item.read_bytes()
    )


def _image_draw(xobjects: Any) -> bytes | None:
    """The operator that draws the app's own image on a page, or None.

    Either the image itself (``/OmbIm Do``) or, once the page is fitted above
    the stamp band (``exhibits.fit_to_letter``), the form XObject that holds
    it (``/OmbPage Do``, whose content is ``q … cm /OmbIm Do Q``).
    """
    if "/OmbIm" in xobjects:
        return b"/OmbIm Do"
    form = xobjects.get("/OmbPage")
    if (
        form is not None
        and form.get("/Subtype") == "/Form"
        and "/OmbIm" in form.get("/Resources", {}).get("/XObject", {})
        and _small_stream_with(form, b"/OmbIm Do")
    ):
        return b"/OmbPage Do"
    return None


def _mark_figure(pdf: pikepdf.Pdf, page: Any) -> set[Any]:
    """Put the app's own image page (``q … cm /OmbIm Do Q``, or the fitted form drawing
    it) in ``/Figure <</MCID 0>>``.

    Returns the streams that are now the figure (empty when the page is not one).
    """
    import pikepdf

    if MARKER in page or "/StructParents" in page:
        return set()
    op = _image_draw(page.get("/Resources", {}).get("/XObject", {}))
    if op is None:
        return set()
    contents = page.get("/Contents")
    items = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
    for n, item in enumerate(items):
        if _small_stream_with(item, op):
            begin = pdf.make_indirect(pdf.make_stream(b"/Figure <</MCID 0>> BDC\n"))
            end = pdf.make_indirect(pdf.make_stream(b"\nEMC\n"))
            page.Contents = pikepdf.Array([*items[:n], begin, item, end, *items[n + 1 :]])
            return {begin.objgen, item.objgen, end.objgen}
    return set()


def _stamps_as_artifacts(pdf: pikepdf.Pdf, pages: list[Any], originals: dict[int, Any]) -> None:
    """Streams added over a drawn page after it was drawn (stamps) are decoration."""
    import pikepdf

    wrapped: dict[tuple[int, int], Any] = {}
    for i, original in originals.items():
        page = pages[i]
        contents = page.get("/Contents")
        if not isinstance(contents, pikepdf.Array):
            continue
        items = []
        for item in contents:
            if item.objgen in original or item.objgen == (0, 0):
                items.append(item)
                continue
            key = item.objgen
            if key not in wrapped:
                data = item.read_bytes()
                wrapped[key] = (
                    pdf.make_indirect(pdf.make_stream(b"/Artifact BMC\n" + data + b"\nEMC\n"))
                    if _painting(data)
                    else item
                )
            items.append(wrapped[key])
        page.Contents = pikepdf.Array(items)
