"""Issue 14: QtPdf reads the packet's bookmarks without a warning.

QtPdf logged "bookmark with invalid location and/or zoom" for every outline
entry (the destinations were ``/Fit``, which has no location).  The packet,
the mail PDF and a packet with a landscape page are loaded in
``QPdfDocument`` + ``QPdfBookmarkModel`` (offscreen) while Qt's messages are
captured; every bookmark must also land on the page and at the top of it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QLoggingCategory, QModelIndex, qInstallMessageHandler
from PySide6.QtPdf import QPdfBookmarkModel, QPdfDocument

from ombuds_desktop.draft import read_draft_file
from ombuds_desktop.packet import PacketOptions, build_packet
from ombuds_desktop.packet.exports import export_mail
from ombuds_desktop.samples import write_sample
from ombuds_desktop.validation import acknowledge, validate_draft

BUILD_DATE = "2026-11-24"


def _bookmarks(qapp, path: Path) -> tuple[list[tuple[str, int, float, float]], list[str]]:
    """(title, page, x, y) of every bookmark as QtPdf reads it, and Qt's messages meanwhile."""
    messages: list[str] = []

    def handler(_kind, _context, message) -> None:
        messages.append(message)

    QLoggingCategory.setFilterRules("qt.pdf.bookmarks.warning=true\nqt.pdf.bookmarks.debug=false")
    previous = qInstallMessageHandler(handler)
    try:
        doc = QPdfDocument()
        assert doc.load(str(path)) == QPdfDocument.Error.None_
        model = QPdfBookmarkModel()
        model.setDocument(doc)
        qapp.processEvents()
        out: list[tuple[str, int, float, float]] = []

        def walk(parent: QModelIndex) -> None:
            for row in range(model.rowCount(parent)):
                index = model.index(row, 0, parent)
                title = model.data(index, int(QPdfBookmarkModel.Role.Title))
                page = model.data(index, int(QPdfBookmarkModel.Role.Page))
                where = model.data(index, int(QPdfBookmarkModel.Role.Location))
                out.append((title, page, where.x(), where.y()))
                walk(index)

        walk(QModelIndex())
        model.setDocument(None)
        doc.close()
    finally:
        qInstallMessageHandler(previous)
        QLoggingCategory.setFilterRules("qt.pdf.bookmarks.warning=false")
    return out, messages


def _sample(name: str, tmp_path: Path):
    path = write_sample(name, tmp_path / name)
    draft = read_draft_file(path)
    findings = validate_draft(draft, base_dir=path.parent)
    acknowledge(draft, findings, ["all"])
    from datetime import date

    options = PacketOptions(build_date=date.fromisoformat(BUILD_DATE))
    return draft, path.parent, options


@pytest.mark.slow
def test_packet_and_mail_bookmarks_load_in_qtpdf_without_warnings(qapp, tmp_path):
    draft, base, options = _sample("asylee-attorney", tmp_path)
    packet = build_packet(draft, base, options=options)
    pdf = tmp_path / "packet.pdf"
    pdf.write_bytes(packet.pdf)
    marks, messages = _bookmarks(qapp, pdf)
    assert not [m for m in messages if "bookmark" in m.lower()], messages
    assert len(marks) >= 8
    titles = [t for t, *_ in marks]
    assert "Cover letter" in titles and "Exhibit index" in titles
    for part in packet.parts:  # each part's bookmark opens its first page, at the top
        (page, x, y) = next((p, x, y) for t, p, x, y in marks if t == part.title)
        assert page == part.start and x == 0 and y == 0, (part.title, page, x, y)

    mail = export_mail(draft, tmp_path / "mail.pdf", base, options=options, packet=packet)
    marks, messages = _bookmarks(qapp, mail.path)
    assert not [m for m in messages if "bookmark" in m.lower()], messages
    assert marks[0][:2] == ("Mailing sheet (do not enclose)", 0)
    assert all(0 <= p < mail.pages for _, p, _, _ in marks)


def test_the_check_sees_a_fit_destination(qapp, tmp_path):
    """Negative case: a /Fit bookmark (what the packet had) is reported by the same check."""
    from pypdf import PdfWriter
    from pypdf.generic import Fit

    w = PdfWriter()
    w.add_blank_page(612, 792)
    w.add_outline_item(title="Fit", page_number=0, fit=Fit.fit())
    path = tmp_path / "fit.pdf"
    with open(path, "wb") as fh:
        w.write(fh)
    _, messages = _bookmarks(qapp, path)
    assert any("invalid location" in m for m in messages), messages
