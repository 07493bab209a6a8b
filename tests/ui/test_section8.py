"""Section 8 lists each document by description, category and file name, with its page
count or a lock mark; every attachment problem is shown once; a dropped folder is refused
with a clear message."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image
from pypdf import PdfWriter
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QLabel

from ombuds_desktop.draft.model import Draft
from ombuds_desktop.formdef import load_edition


def pdf_bytes(pages: int, password: str | None = None) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(612, 792)
    if password:
        writer.encrypt(user_password=password, owner_password=None, algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def jpeg_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (300, 400), (200, 180, 160)).save(out, "JPEG")
    return out.getvalue()


def go_s8(window):
    window.nav.setCurrentRow(window.page_ids.index("s8"))
    return window.pages[window.page_ids.index("s8")]


def add(qtbot, window, path: Path) -> None:
    before = len(window.draft.attachments)
    window.attachments.add_files([path])
    qtbot.waitUntil(lambda: len(window.draft.attachments) == before + 1, timeout=20000)


def describe(window, row: int, category: str, text: str) -> None:
    editor = window.attachments
    editor.list.setCurrentRow(row)
    editor.category.setCurrentIndex(editor.category.findData(category))
    editor.description.setText(text)
    editor.description.textEdited.emit(text)


def three_documents(qtbot, window, tmp_path: Path) -> None:
    files = {
        "receipt-notice.pdf": pdf_bytes(3),
        "protected-letter.pdf": pdf_bytes(2, password="s3cret"),
        "phone-photo.jpg": jpeg_bytes(),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        add(qtbot, window, tmp_path / name)


def visible_texts(widget) -> list[str]:
    return [lb.text() for lb in widget.findChildren(QLabel) if lb.isVisible() and lb.text()]


def test_documents_show_description_category_file_name_pages_and_lock(
    qtbot, state, open_window, tmp_path
):
    draft = Draft(form=load_edition().key)
    state.vault.save_draft(draft)
    w = open_window(draft)
    go_s8(w)
    three_documents(qtbot, w, tmp_path)
    describe(w, 0, "uscis-notice", "I-797C receipt notice for Form I-485")
    items = [w.attachments.list.item(i).text() for i in range(3)]

    first = items[0].splitlines()
    assert first[0] == "I-797C receipt notice for Form I-485"
    category = load_edition().category("uscis-notice").label
    assert category in first[1] and "receipt-notice.pdf" in first[1]
    assert "3 pages" in first[2]

    assert "protected-letter.pdf" in items[1]
    assert "🔒" in items[1] and "password-protected" in items[1]
    assert "page" not in items[1].splitlines()[2]
    assert "phone-photo.jpg" in items[2] and "1 page" in items[2]
    # Not yet described: the list says so, and still names the file.
    assert items[2].startswith("No description yet")
    assert "(no description yet)" not in "".join(items)


def test_each_attachment_problem_is_shown_once(qtbot, state, open_window, tmp_path):
    draft = Draft(form=load_edition().key)
    state.vault.save_draft(draft)
    w = open_window(draft)
    page = go_s8(w)
    three_documents(qtbot, w, tmp_path)
    w.revalidate()
    page.show_findings(w.findings)
    texts = "\n".join(visible_texts(page))
    for name in ("receipt-notice.pdf", "protected-letter.pdf", "phone-photo.jpg"):
        message = f"{name}: a short description is needed"
        assert texts.count(message) == 1, texts

    # Negative: once described, the message is gone.
    describe(w, 0, "uscis-notice", "Receipt notice")
    w.revalidate()
    page.show_findings(w.findings)
    texts = "\n".join(visible_texts(page))
    assert "receipt-notice.pdf: a short description" not in texts
    assert texts.count("phone-photo.jpg: a short description is needed") == 1


def drop(widget, urls: list[QUrl]) -> None:
    mime = QMimeData()
    mime.setUrls(urls)
    pos = QPointF(20, 20)  # the QPointF constructor (the QPoint one is deprecated in Qt 6.12)
    enter = QDragEnterEvent(
        pos, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier(0)
    )
    QApplication.sendEvent(widget, enter)
    assert enter.isAccepted()
    event = QDropEvent(
        pos,
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier(0),
    )
    QApplication.sendEvent(widget, event)


def test_dropping_a_folder_says_what_to_do(qtbot, state, open_window, tmp_path, monkeypatch):
    draft = Draft(form=load_edition().key)
    state.vault.save_draft(draft)
    w = open_window(draft)
    go_s8(w)
    shown: list[str] = []
    monkeypatch.setattr(
        "ombuds_desktop.ui.attachments.show_error", lambda _p, _t, text: shown.append(str(text))
    )
    folder = tmp_path / "Client evidence"
    folder.mkdir()
    (folder / "inside.pdf").write_bytes(pdf_bytes(1))
    drop(w.attachments, [QUrl.fromLocalFile(str(folder))])
    qtbot.waitUntil(lambda: bool(shown), timeout=20000)
    assert "“Client evidence” is a folder" in shown[0]
    assert "Traceback" not in shown[0] and w.draft.attachments == []

    # Negative: a file dropped the same way is added.
    shown.clear()
    drop(w.attachments, [QUrl.fromLocalFile(str(folder / "inside.pdf"))])
    qtbot.waitUntil(lambda: len(w.draft.attachments) == 1, timeout=20000)
    assert shown == []
