"""Tagged PDF (issue 14): structure tree, /Lang, reading order, artifacts, read from the output.

Every check opens the written PDF: pdfinfo, qpdf, pdftotext, and the
structure tree walked with pikepdf; the text of each marked-content sequence
is read with pypdf's content-stream visitor.  veraPDF is not installed on
this machine (nor packaged for it), so no PDF/UA validator runs here and the
packet does not claim PDF/UA.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

import pikepdf
import pytest
from pypdf import PdfReader

from ombuds_desktop.draft import read_draft_file
from ombuds_desktop.formdef import load_form_key
from ombuds_desktop.packet import PacketOptions, build_packet, tagging
from ombuds_desktop.packet.exports import export_mail, signature_page_pdf
from ombuds_desktop.packet.layout import LEFT, Sheet
from ombuds_desktop.samples import sample_names, write_sample
from ombuds_desktop.validation import acknowledge, validate_draft

from .support import BUILD_DATE, make_annotated_pdf, make_pdf, pdfinfo, pdftotext, qpdf_check


# -- reading the output ------------------------------------------------------------------------
@dataclass
class Node:
    role: str
    parents: tuple[str, ...]
    mcrs: list[tuple[int, int]] = field(default_factory=list)
    text: str = ""
    attrs: dict[str, Any] = field(default_factory=dict)
    kids: list[Node] = field(default_factory=list)
    texts: dict[tuple[int, int], str] = field(default_factory=dict)  # per MCID
    points: dict[tuple[int, int], list[tuple[float, float]]] = field(default_factory=dict)

    def all_points(self) -> dict[tuple[int, int], list[tuple[float, float]]]:
        out = dict(self.points)
        for k in self.kids:
            out.update(k.all_points())
        return out

    def top_left(self, page: int) -> tuple[float, float] | None:
        """Where the block's text starts on ``page``: its highest line, leftmost there."""
        points = [xy for m, xys in self.all_points().items() if m[0] == page for xy in xys]
        if not points:
            return None
        top = max(y for _, y in points)
        return min(x for x, y in points if y >= top - 1), top


POSITIONS: dict[tuple[int, int], list[tuple[float, float]]] = {}


def marked_texts(data: bytes) -> tuple[dict[tuple[int, int], str], dict[int, str], dict[int, str]]:
    """(page, mcid) -> text; page -> artifact text; page -> text outside any marked content.

    Where each run of text starts, per (page, mcid), is left in ``POSITIONS``.  The reading
    is done once per PDF (``_read_marked``); every caller gets its own copies.
    """
    by_mcid, artifacts, loose, positions = _read_marked(data)
    POSITIONS.clear()
    POSITIONS.update({m: list(xys) for m, xys in positions.items()})
    return dict(by_mcid), dict(artifacts), dict(loose)


@functools.lru_cache(maxsize=8)
def _read_marked(
    data: bytes,
) -> tuple[
    dict[tuple[int, int], str],
    dict[int, str],
    dict[int, str],
    dict[tuple[int, int], tuple[tuple[float, float], ...]],
]:
    """What ``marked_texts`` reads from ``data`` (the pypdf content-stream walk is the slow
    part: ``check_parent_tree``, ``structure`` and the tests read the same PDF up to three
    times).  Cached; callers must not change what it returns (``marked_texts`` copies)."""
    reader = PdfReader(BytesIO(data))
    positions: dict[tuple[int, int], list[tuple[float, float]]] = {}
    by_mcid: dict[tuple[int, int], str] = {}
    artifacts: dict[int, str] = {}
    loose: dict[int, str] = {}
    for p, page in enumerate(reader.pages):
        stack: list[Any] = []

        def before(op: bytes, args: list[Any], cm: Any, tm: Any, stack: list[Any] = stack) -> None:
            if op == b"BDC":
                props = args[1]
                mcid = props.get("/MCID") if hasattr(props, "get") else None
                stack.append(("M", int(mcid)) if mcid is not None else None)
            elif op == b"BMC":
                stack.append(("A",) if args[0] == "/Artifact" else None)
            elif op == b"EMC":
                stack.pop()

        def text(
            t: str, cm: Any, tm: Any, font: Any, size: Any, p: int = p, stack: list[Any] = stack
        ) -> None:
            cur = next((m for m in reversed(stack) if m is not None), None)
            if cur is None:
                loose[p] = loose.get(p, "") + t
            elif cur[0] == "A":
                artifacts[p] = artifacts.get(p, "") + t
            else:
                by_mcid[(p, cur[1])] = by_mcid.get((p, cur[1]), "") + t
                if t.strip():
                    x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                    y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                    positions.setdefault((p, cur[1]), []).append((x, y))

        page.extract_text(visitor_operand_before=before, visitor_text=text)
        # every MCID on the page, even one around graphics only
        for op_args, op in _operations(page):
            if op == b"BDC" and hasattr(op_args[1], "get") and "/MCID" in op_args[1]:
                by_mcid.setdefault((p, int(op_args[1]["/MCID"])), "")
    return by_mcid, artifacts, loose, {m: tuple(xys) for m, xys in positions.items()}


def _operations(page: Any) -> list[tuple[list[Any], bytes]]:
    from pypdf.generic import ContentStream

    contents = page.get_contents()
    return [] if contents is None else ContentStream(contents, page.pdf).operations


PAINTING = {b"S", b"s", b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*", b"Tj", b"TJ", b"'", b'"'}
PAINTING |= {b"Do", b"sh", b"BI", b"INLINE IMAGE"}


def unmarked_painting(data: bytes, page: int) -> list[bytes]:
    """Operators that paint outside any marked-content sequence on ``page``."""
    reader = PdfReader(BytesIO(data))
    depth, out = 0, []
    for _, op in _operations(reader.pages[page]):
        if op in (b"BDC", b"BMC"):
            depth += 1
        elif op == b"EMC":
            depth -= 1
        elif op in PAINTING and depth == 0:
            out.append(op)
    assert depth == 0, "marked content is balanced"
    return out


def structure(data: bytes) -> list[Node]:
    """The structure tree in order (depth first), with each element's own text."""
    by_mcid, _, _ = marked_texts(data)
    out: list[Node] = []
    with pikepdf.open(BytesIO(data)) as pdf:
        index = {p.obj.objgen: i for i, p in enumerate(pdf.pages)}

        def walk(e: Any, parents: tuple[str, ...], pg: Any, up: Node | None = None) -> None:
            pg = e.get("/Pg", pg)
            node = Node(str(e.S)[1:], parents)
            if up is not None:
                up.kids.append(node)
            if "/A" in e:
                node.attrs = {str(k)[1:]: str(v) for k, v in e.A.items()}
            for key in ("ActualText", "Alt"):
                if f"/{key}" in e:
                    node.attrs[key] = str(e[f"/{key}"])
            out.append(node)
            k = e.get("/K")
            kids = list(k) if isinstance(k, pikepdf.Array) else [] if k is None else [k]
            for kid in kids:
                if isinstance(kid, int):
                    node.mcrs.append((index[pg.objgen], kid))
                elif "/MCID" in kid:
                    node.mcrs.append((index[kid.get("/Pg", pg).objgen], int(kid.MCID)))
                else:
                    walk(kid, (*parents, node.role), pg, node)
            node.texts = {m: by_mcid.get(m, "") for m in node.mcrs}
            node.points = {m: POSITIONS.get(m, []) for m in node.mcrs}
            node.text = " ".join(node.texts.values())

        walk(pdf.Root.StructTreeRoot.K, (), None)
    return out


def check_parent_tree(data: bytes) -> set[int]:
    """ParentTree, StructParents and the MCIDs in the content agree; the tagged pages."""
    by_mcid, _, _ = marked_texts(data)
    with pikepdf.open(BytesIO(data)) as pdf:
        root = pdf.Root.StructTreeRoot
        nums = list(root.ParentTree.Nums)
        tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        assert int(root.ParentTreeNextKey) == len(tree)
        index = {p.obj.objgen: i for i, p in enumerate(pdf.pages)}
        in_tree: set[tuple[int, int]] = set()
        owner: dict[tuple[int, int], tuple[int, int]] = {}

        def walk(e: Any, pg: Any) -> None:
            assert e.Type == "/StructElem"
            pg = e.get("/Pg", pg)
            k = e.get("/K")
            for kid in list(k) if isinstance(k, pikepdf.Array) else [k]:
                if isinstance(kid, int):
                    ref = (index[pg.objgen], kid)
                elif "/MCID" in kid:
                    ref = (index[kid.Pg.objgen], int(kid.MCID))
                else:
                    assert kid.P.objgen == e.objgen, "a kid's /P is its parent"
                    walk(kid, pg)
                    continue
                assert ref not in in_tree, f"MCID {ref} owned twice"
                in_tree.add(ref)
                owner[ref] = e.objgen

        for top in [root.K]:
            walk(top, None)
        tagged = set()
        for i, page in enumerate(pdf.pages):
            on_page = {ref for ref in by_mcid if ref[0] == i}
            if "/StructParents" not in page.obj:
                assert not {r for r in in_tree if r[0] == i}, f"page {i + 1} has no StructParents"
                continue
            tagged.add(i)
            assert page.obj.Tabs == "/S"
            arr = tree[int(page.obj.StructParents)]
            assert on_page == {r for r in in_tree if r[0] == i}, f"page {i + 1}: content != tree"
            for _, mcid in on_page:
                assert arr[mcid].objgen == owner[(i, mcid)], f"page {i + 1} MCID {mcid}"
            assert len(arr) == max(m for _, m in on_page) + 1
    return tagged


def catalog(data: bytes) -> dict[str, Any]:
    with pikepdf.open(BytesIO(data)) as pdf:
        root = pdf.Root
        return {
            "lang": str(root.get("/Lang", "")),
            "marked": bool(root.MarkInfo.Marked) if "/MarkInfo" in root else False,
            "tree": "/StructTreeRoot" in root,
            "display_title": bool(root.ViewerPreferences.DisplayDocTitle)
            if "/ViewerPreferences" in root
            else False,
            "title": str(pdf.docinfo.get("/Title", "")),
            "metadata": "/Metadata" in root,
        }


def norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


# -- building ------------------------------------------------------------------------------------
def sample_packet(name: str, tmp_path: Any) -> tuple[Any, Any, Any, Any]:
    """A built-in sample, built as a user would: every warning acknowledged."""
    path = write_sample(name, tmp_path / name)
    draft = read_draft_file(path)
    definition = load_form_key(draft.form)
    findings = validate_draft(draft, definition, today=BUILD_DATE, base_dir=path.parent)
    acknowledge(draft, findings, ["all"])
    options = PacketOptions.from_draft(draft.options, build_date=BUILD_DATE, allow_draft=True)
    packet = build_packet(draft, path.parent, definition, options)
    return packet, draft, definition, options


# -- the tests -----------------------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("name", sample_names())
def test_every_sample_packet_is_tagged(name, tmp_path):
    packet, _, definition, _ = sample_packet(name, tmp_path)
    data = packet.pdf
    qpdf_check(data)
    assert pdfinfo(data)["Tagged"] == "yes"
    cat = catalog(data)
    assert cat["lang"] == "en-US" and cat["marked"] and cat["tree"] and cat["display_title"]
    assert cat["title"].startswith(definition.number)
    assert not cat["metadata"], "no XMP: the packet does not claim PDF/UA"

    tagged = check_parent_tree(data)
    form = packet.part("form")
    assert form is not None
    drawn_parts = {"cover_letter", "form", "index"} | (
        set() if packet.plan.signed_scans else {"signature"}
    )
    generated = {
        i for p in packet.parts if p.part in drawn_parts for i in range(p.start, p.start + p.count)
    }
    generated |= {ex.start for ex in packet.exhibits}  # the tab pages
    assert generated <= tagged, "every drawn page (letter, form, signature, index) is tagged"

    nodes = structure(data)
    roles = {n.role for n in nodes}
    assert {"Document", "H1", "H2", "P", "Table", "TR", "TH", "TD", "L", "LI"} <= roles
    assert {"Lbl", "LBody", "Div", "TOC", "TOCI"} <= roles
    h1 = [norm(n.text) for n in nodes if n.role == "H1"]
    assert f"{definition.number} {definition.title}" in h1
    assert "Exhibit Index" in h1
    levels = [int(n.role[1]) for n in nodes if re.fullmatch(r"H\d", n.role)]
    assert levels[0] == 1, "the first heading is an H1 (PDF/UA-1 7.4.2)"
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), "no level skipped"
    on_form = range(form.start, form.start + form.count)
    headings = [norm(n.text) for n in nodes if n.role == "H2" and n.mcrs[0][0] in on_form]
    printed = [s.heading for s in definition.sections if s.printed]
    assert [h for h in headings if h in printed] == printed, "sections in order, each once"
    for n in nodes:
        if n.role in ("P", "H1", "H2", "H3", "LBody", "TOCI"):
            assert norm(n.text), f"an empty {n.role} (a blank box is decoration)"
        if n.role == "TH":
            assert n.attrs.get("Scope") in ("/Column", "/Row")
        if n.role in ("TR",):
            assert n.parents[-1] == "Table"
        if n.role in ("TH", "TD"):
            assert n.parents[-1] == "TR"
        if n.role == "LI":
            assert n.parents[-1] == "L"
        if n.role == "Lbl" and n.parents[-1] == "LI" and n.text.strip() in ("", "X"):
            assert n.attrs["ActualText"] == ("checked" if n.text.strip() == "X" else "not checked")

    # Nothing on a drawn page is outside the structure or an artifact; stamps are artifacts.
    by_mcid, artifacts, loose = marked_texts(data)
    for i in tagged:
        assert not loose.get(i, "").strip(), f"page {i + 1}: text outside the tags"
        assert not unmarked_painting(data, i), f"page {i + 1}: drawing neither tagged nor artifact"
        assert f"Page {i + 1} of {packet.pages}" in artifacts.get(i, ""), "the stamp"
        assert not any(
            f"Page {i + 1} of {packet.pages}" in t for (p, _), t in by_mcid.items() if p == i
        )


def _in_visual_order(blocks: list[Node], page: int, what: str) -> None:
    """Each block starts below the one before, on its row to its right, or in a column
    well to its right (the form's OMB box beside the title)."""
    points = [(b, b.top_left(page)) for b in blocks]
    points = [(b, xy) for b, xy in points if xy is not None]
    for (a, (ax, ay)), (b, (bx, by)) in zip(points, points[1:], strict=False):
        below = by < ay - 1.5
        right = abs(by - ay) <= 1.5 and bx > ax
        column = bx > ax + 150
        where = f"at ({bx:.0f}, {by:.0f}) read after {a.role} at ({ax:.0f}, {ay:.0f})"
        assert below or right or column, f"page {page + 1}, {what}: {b.role} {where}"


@pytest.mark.slow
@pytest.mark.parametrize("name", ["attorney-employer", "asylee-attorney"])
def test_form_pages_read_in_visual_order(name, tmp_path):
    """Walking the tree reads what pdftotext reads on the form's pages, top to bottom.

    pdftotext's own order is not the oracle for order: its column guessing reads
    the yes/no boxes at the right edge before the rows above them.  The order is
    checked against where the text is drawn (blocks top to bottom, a row's blocks
    left to right; table rows top to bottom, cells left to right); the words are
    checked against pdftotext: the same words, none lost, none added.
    """
    packet, _, _, _ = sample_packet(name, tmp_path)
    data = packet.pdf
    form = packet.part("form")
    nodes = structure(data)
    document = nodes[0]
    _, artifacts, _ = marked_texts(data)
    for page in range(form.start, form.start + form.count):
        _in_visual_order(document.kids, page, "top-level blocks")
        for n in nodes:
            if n.role == "Table":
                _in_visual_order(n.kids, page, "table rows")
            if n.role in ("TR", "Div"):
                row = n.kids if n.role == "TR" else [k for k in n.kids if k.role == "Lbl"][:1]
                _in_visual_order(row, page, f"{n.role} cells")
        tree_words = Counter(
            w for n in nodes for m in n.mcrs if m[0] == page for w in norm(n.texts[m]).split()
        )
        shown = Counter(norm(pdftotext(data, first=page + 1, last=page + 1)).split())
        shown.subtract(Counter(norm(artifacts.get(page, "")).split()))
        assert tree_words == +shown, f"page {page + 1}: tree words != pdftotext words"


def test_same_inputs_same_tagged_bytes(tmp_path):
    a, *_ = sample_packet("vawa-self", tmp_path / "a")
    b, *_ = sample_packet("vawa-self", tmp_path / "b")
    assert a.pdf == b.pdf


def test_signature_page_and_mail_export_are_tagged(tmp_path):
    packet, draft, definition, options = sample_packet("asylee-attorney", tmp_path)
    base = tmp_path / "asylee-attorney"

    page = signature_page_pdf(draft, definition, options)
    assert pdfinfo(page)["Tagged"] == "yes"
    check_parent_tree(page)
    nodes = structure(page)
    assert [n.role for n in nodes][:2] == ["Document", "P"]
    assert any(n.role == "H1" and "signature page" in n.text for n in nodes)
    assert any(n.role == "TH" and n.attrs.get("Scope") == "/Row" for n in nodes)
    assert not unmarked_painting(page, 0)

    mail = export_mail(draft, tmp_path / "mail.pdf", base, definition, options, packet=packet)
    data = mail.path.read_bytes()
    qpdf_check(data)
    assert pdfinfo(data)["Tagged"] == "yes"
    tagged = check_parent_tree(data)
    # The mail packet is built for mail (the original Section 9); a signed scan's pages
    # are left out of the printout, and every other page keeps its structure.
    used = mail.packet
    assert used is not None and used.signature_original
    slot = used.part("signature")
    left_out = (
        set(range(slot.start, slot.start + slot.count))
        if slot is not None and used.plan is not None and used.plan.signed_scans
        else set()
    )
    printed = [i for i in range(used.pages) if i not in left_out]
    assert check_parent_tree(used.pdf) - left_out == {printed[i - 1] for i in tagged if i}
    h1 = [norm(n.text) for n in structure(data) if n.role == "H1"]
    assert h1[0] == "Mailing sheet"
    assert f"{definition.number} {definition.title}" in h1, "the packet's structure came along"


def _commented_pdf() -> bytes:
    """A page with a square annotation carrying a comment (printed on a notes page)."""
    from pypdf import PdfWriter
    from pypdf.generic import NameObject

    w = PdfWriter(clone_from=PdfReader(BytesIO(make_annotated_pdf("COMMENT 6621"))))
    w.pages[0]["/Annots"][0].get_object()[NameObject("/Subtype")] = NameObject("/Square")
    out = BytesIO()
    w.write(out)
    return out.getvalue()


def test_evidence_pages_are_left_untagged_and_intact(case, definition, options, tmp_path):
    """A tagged evidence PDF keeps its text; its own tree is not carried (see README)."""
    sheet = Sheet(title="Evidence with its own tags")
    with sheet.tag("H1"):
        sheet.text(LEFT, 700, "TAGGED EVIDENCE HEADING 4471")
    sheet.paragraph("Body of the tagged evidence 8812.")
    drawn = sheet.finish().pdf
    with pikepdf.open(BytesIO(drawn)) as pdf:
        assert tagging.finish(pdf)
        out = BytesIO()
        pdf.save(out)
    tagged_source = out.getvalue()
    assert pdfinfo(tagged_source)["Tagged"] == "yes"
    case.add("other", "Tagged letter", "tagged.pdf", tagged_source)
    case.add("other", "Plain letter", "plain.pdf", make_pdf(["PLAIN EVIDENCE 5531"]))
    case.add("other", "Commented letter", "commented.pdf", _commented_pdf())
    packet = build_packet(case.draft, case.root, definition, options)
    data = packet.pdf
    qpdf_check(data)
    tagged = check_parent_tree(data)
    text = pdftotext(data)
    assert "TAGGED EVIDENCE HEADING 4471" in text and "PLAIN EVIDENCE 5531" in text
    pages = pdftotext(data).split("\f")
    for i, page_text in enumerate(pages[:-1]):
        if "TAGGED EVIDENCE HEADING" in page_text or "PLAIN EVIDENCE" in page_text:
            assert i not in tagged, "evidence pages are not claimed as tagged"
    nodes = structure(data)
    assert not any("TAGGED EVIDENCE" in n.text for n in nodes)
    # the notes page the app draws after an annotated document is tagged like its other pages
    notes = [n for n in nodes if n.role == "H1" and "Notes written on this document" in n.text]
    assert len(notes) == 1 and notes[0].mcrs[0][0] in tagged


def test_upload_files_of_evidence_alone_do_not_claim_tags(standard_upload):
    """Negative case: a PDF with no drawn page gets no structure tree; the copy sheet does."""
    result = standard_upload
    evidence_only = result.files[0].read_bytes()
    assert pdfinfo(evidence_only)["Tagged"] == "no"
    assert not catalog(evidence_only)["tree"]
    sheet = result.copy_sheet.read_bytes()
    assert pdfinfo(sheet)["Tagged"] == "yes"
    check_parent_tree(sheet)
    assert structure(sheet)[1].role == "H1"


def test_paragraph_across_a_page_break_is_one_element_and_footers_are_artifacts():
    def footer(page: int, total: int | None) -> str:
        return f"FOOTER {page}"

    sheet = Sheet(title="Break", footer=footer)
    sheet.y = 120
    sheet.paragraph(" ".join(f"word{i}" for i in range(200)), size=9.5)
    rendered = sheet.finish()
    w = pikepdf.new()
    source = pikepdf.open(BytesIO(rendered.pdf))
    w.pages.extend(source.pages)
    tagging.finish(w)
    out = BytesIO()
    w.save(out)
    data = out.getvalue()
    check_parent_tree(data)
    nodes = structure(data)
    paragraphs = [n for n in nodes if n.role == "P"]
    assert len(paragraphs) == 1
    assert {p for p, _ in paragraphs[0].mcrs} == {0, 1}
    assert "word0" in paragraphs[0].text and "word199" in paragraphs[0].text
    _, artifacts, loose = marked_texts(data)
    assert "FOOTER 1" in artifacts[0] and "FOOTER 2" in artifacts[1]
    assert not any(t.strip() for t in loose.values())


def test_photos_and_scans_are_figures_with_alternate_text(standard_packet):
    """Evidence the app turns from an image into a page is a Figure, described; its stamp is not."""
    packet = standard_packet
    data = packet.pdf
    tagged = check_parent_tree(data)
    figures = [n for n in structure(data) if n.role == "Figure"]
    assert len(figures) == 1
    (fig,) = figures
    page = fig.mcrs[0][0]
    assert page in tagged
    alt = fig.attrs["Alt"]
    assert alt.startswith("Exhibit ") and "p. 1 of 1" in alt
    assert "Letter from Nguyễn Thị Ánh (photo)" in alt and alt.endswith("(scanned image)")
    assert not unmarked_painting(data, page), "the image is the figure, the stamp an artifact"
    _, artifacts, _ = marked_texts(data)
    assert f"Page {page + 1} of {packet.pages}" in artifacts[page]
    # a PDF document's pages are not figures (nor tagged)
    pdf_pages = [i for i, t in enumerate(pdftotext(data).split("\f")) if "AFFIDAVIT TEXT" in t]
    assert pdf_pages and not set(pdf_pages) & tagged


def test_an_input_page_posing_as_a_drawn_page_is_not_believed(case, definition, options):
    """An evidence page carrying a look-alike /OmbTags marker stays untagged evidence."""
    import json

    page = pikepdf.new()
    page.add_blank_page(page_size=(612, 792))
    tree = json.dumps({"v": 1, "K": [{"S": "H1", "K": [[0, 0]]}]}).encode()
    content = b"/H1 <</MCID 0>> BDC BT /F1 24 Tf 72 700 Td (FORGED HEADING 3301) Tj ET EMC"
    p = page.pages[0]
    p.obj.Contents = page.make_stream(content)
    p.obj.Resources = pikepdf.Dictionary(
        Font=pikepdf.Dictionary(
            F1=pikepdf.Dictionary(
                Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
            )
        )
    )
    p.obj[tagging.MARKER] = pikepdf.Dictionary(
        Tree=page.make_stream(tree), Page=0, Id=pikepdf.String("f" * 32)
    )
    out = BytesIO()
    page.save(out)
    case.add("other", "Look-alike page", "lookalike.pdf", out.getvalue())
    packet = build_packet(case.draft, case.root, definition, options)
    data = packet.pdf
    qpdf_check(data)
    tagged = check_parent_tree(data)
    assert "FORGED HEADING 3301" in pdftotext(data)
    assert not any("FORGED" in n.text for n in structure(data))
    forged = [i for i, t in enumerate(pdftotext(data).split("\f")) if "FORGED HEADING" in t]
    assert forged and not set(forged) & tagged
    with pikepdf.open(BytesIO(data)) as pdf:
        assert not any(tagging.MARKER in pg.obj for pg in pdf.pages), "no marker is written out"


# -- with the paper work (keep-together, DRAFT mark, continued letters) -------------------------
def _finished(rendered_pdf: bytes) -> bytes:
    """One drawn part as the app writes it (the structure joined, as clean_pdf does)."""
    w = pikepdf.new()
    source = pikepdf.open(BytesIO(rendered_pdf))
    w.pages.extend(source.pages)
    tagging.finish(w)
    out = BytesIO()
    w.save(out)
    return out.getvalue()


def test_measuring_and_probe_sheets_write_no_marks_and_add_nothing_to_the_structure():
    """Keep-together draws blocks on a measuring sheet first: no marked content there, and an
    element of the real sheet handed to it gains no kids (else empty elements in the tree)."""
    real = Sheet(title="Real")
    with real.group("L") as lst:
        pass
    for other in (Sheet(title="", measuring=True), Sheet(title="", probe=True)):
        assert not other.tags.enabled
        with other.group("LI", parent=lst), other.tag("LBody"):
            other.text(LEFT, 500, "measured only")
        other.paragraph("measured too")
        assert b"BDC" not in other.c.getpdfdata() and b"BMC" not in other.c.getpdfdata()
    assert lst.kids == [], "nothing measured is in the real sheet's tree"
    # positive case: the real sheet records and marks what it draws
    with real.group("LI", parent=lst), real.tag("LBody"):
        real.text(LEFT, 500, "drawn")
    assert [k.role for k in lst.kids if isinstance(k, tagging.Elem)] == ["LI"]
    data = _finished(real.finish().pdf)
    assert [n.role for n in structure(data)] == ["Document", "L", "LI", "LBody"]


def test_continued_cover_letter_header_is_an_artifact_and_the_list_reads_on(case, definition):
    """A letter over two pages: its continuation header and "Enclosures (continued)" are
    decoration, the enclosures one list in order across the break."""
    from ombuds_desktop.packet.cover_letter import build_letter, render_letter

    items = [f"Exhibit {k}: Made-up notice Encl{k:03d}x" for k in range(1, 61)]
    letter = build_letter(
        case.draft, definition, today=BUILD_DATE, enclosures=items, signature_enclosed="page"
    )
    rendered = render_letter(letter, case.draft)
    assert rendered.pages >= 2
    data = _finished(rendered.pdf)
    check_parent_tree(data)
    assert not unmarked_painting(data, 1)
    _, artifacts, _ = marked_texts(data)
    assert "Letter to the CIS Ombudsman, continued, page 2" in artifacts[1]
    assert "Enclosures (continued)" in artifacts[1]
    nodes = structure(data)
    assert not any("continued, page" in n.text for n in nodes)
    lists = [n for n in nodes if n.role == "L"]
    assert len(lists) == 1
    entries = [k for k in lists[0].kids if k.role == "LI"]
    bodies = [norm(" ".join(b.text for b in e.kids if b.role == "LBody")) for e in entries]
    assert bodies == items, "one list, in order, across the page break"
    assert {p for e in entries for b in e.kids for p, _ in b.mcrs} == {0, 1}


def test_draft_signature_page_watermark_is_an_artifact_and_its_warning_is_read(case, definition):
    """The DRAFT watermark is decoration; the words saying not to sign are in the structure.
    The signature and date labels are one block (Div of two Lbl)."""
    from ombuds_desktop.packet.signature_page import DRAFT_MARK, render_signature_page

    for marked in (True, False):
        rendered = render_signature_page(
            case.draft, definition, printed_on=BUILD_DATE, draft_mark=marked
        )
        data = _finished(rendered.pdf)
        check_parent_tree(data)
        assert not unmarked_painting(data, 0)
        _, artifacts, _ = marked_texts(data)
        nodes = structure(data)
        texts = [norm(n.text) for n in nodes]
        assert any(n.role == "H1" and "signature page" in n.text for n in nodes)
        assert (norm(DRAFT_MARK) in norm(artifacts.get(0, ""))) is marked, "the watermark"
        assert any(t.startswith(f"{DRAFT_MARK}: this draft") for t in texts) is marked
        assert any("Do not sign: draft with validation errors" in t for t in texts) is marked
        divs = [n for n in nodes if n.role == "Div" and [k.role for k in n.kids] == ["Lbl"] * 2]
        assert len(divs) == 1 and "written by hand" in divs[0].kids[1].text


def test_item_numbers_are_part_of_the_form_labels(tmp_path):
    """USCIS item numbers ("2.a Family name") are read with their caption, in one Lbl."""
    packet, _, _, _ = sample_packet("attorney-employer", tmp_path)
    nodes = structure(packet.pdf)
    labels = [norm(n.text) for n in nodes if n.role == "Lbl"]
    assert any(re.match(r"\d+\.a Family name", t) for t in labels), labels[:20]
    signature = [t for t in labels if "Signature of" in t]
    assert signature and all(re.match(r"\d+\. Signature of", t) for t in signature)
