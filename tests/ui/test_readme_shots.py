"""The README's pictures of Section 8, Review and the preview.

Written to a temporary folder, or to ``OMBUDS_SCREENSHOTS`` (``docs/images``) to refresh
the README.  Besides "not blank", each checks the faults a reader would see: a list entry
or finding cut off, labels overlapping.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton

from .test_screenshots import save


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("OMBUDS_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def settle(qtbot) -> None:
    for _ in range(3):
        QApplication.processEvents()
    qtbot.wait(50)


def assert_labels_fit(widget) -> None:
    """Every visible word-wrapped label is as tall as its text; buttons show their text."""
    for label in widget.findChildren(QLabel):
        if label.isVisible() and label.wordWrap() and label.text():
            assert label.height() >= label.heightForWidth(label.width()), label.text()[:60]
    for button in widget.findChildren(QPushButton):
        if button.isVisible() and button.text():
            assert button.width() >= button.minimumSizeHint().width(), button.text()


def test_section8_with_three_documents(qtbot, state, import_sample, open_window, shots):
    w = open_window(import_sample("vawa-self"))
    w.resize(1180, 860)
    w.nav.setCurrentRow(w.page_ids.index("s8"))
    settle(qtbot)
    editor = w.attachments
    assert editor.list.count() == 3
    fm = editor.list.fontMetrics()
    for i in range(3):
        item = editor.list.item(i)
        rect = editor.list.visualItemRect(item)
        lines = item.text().splitlines()
        assert len(lines) == 3 and "." in lines[1]  # description / category · file / facts
        assert rect.height() >= len(lines) * fm.lineSpacing(), item.text()
        widest = max(fm.horizontalAdvance(line) for line in lines)
        assert rect.width() >= widest + editor.list.iconSize().width(), item.text()
    assert_labels_fit(w.pages[w.page_ids.index("s8")])
    save(w, shots / "ui-section8.png")


def test_review(qtbot, state, import_sample, open_window, shots):
    draft = state.vault.load_draft(import_sample("vawa-self").id)
    draft.values["s3.filings"][0]["receipt_number"] = "EAC24900"
    state.vault.save_draft(draft)
    w = open_window(draft)
    w.resize(1180, 860)
    w.nav.setCurrentRow(len(w.pages) - 1)
    settle(qtbot)
    tree = w.review.tree
    for i in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(i)
        top.setExpanded(True)
        for j in range(top.childCount()):
            item = top.child(j)
            rect = tree.visualItemRect(item)
            for col in (0, 1):
                width = tree.columnWidth(col) - (2 * tree.indentation() if col == 0 else 0) - 16
                need = tree.fontMetrics().boundingRect(
                    QRect(0, 0, width, 100_000), Qt.TextFlag.TextWordWrap, item.text(col)
                )
                assert rect.height() >= need.height(), item.text(col)
    assert_labels_fit(w.review)
    save(w, shots / "ui-review.png")


def test_preview(qtbot, state, import_sample, open_window, shots):
    from ombuds_desktop.ui.preview import PreviewWindow
    from ombuds_desktop.validation import acknowledge

    window = open_window(import_sample("vawa-self"))
    acknowledge(window.draft, window.findings, ["all"])  # the final packet needs them read
    window.build_packet()
    qtbot.waitUntil(lambda: window.last_packet is not None, timeout=90000)
    window.preview.close()
    preview = PreviewWindow(
        window.last_packet, state.vault, window.draft, window.definition, state.settings
    )
    qtbot.addWidget(preview)
    preview.resize(1180, 860)
    preview.show()
    qtbot.waitExposed(preview)
    qtbot.waitUntil(lambda: preview.bookmarks.rowCount() >= 4, timeout=10000)
    qtbot.wait(300)  # QtPdf renders pages asynchronously
    assert preview.menuBar().isVisible()
    tree, fm = preview.tree, preview.tree.fontMetrics()
    model = tree.model()

    def rows(parent):
        for r in range(model.rowCount(parent)):
            index = model.index(r, 0, parent)
            yield index
            yield from rows(index)

    from PySide6.QtCore import QModelIndex

    for index in rows(QModelIndex()):  # bookmark titles wrap, never end in "…"
        text = str(index.data())
        rect = tree.visualRect(index)
        need = fm.boundingRect(QRect(0, 0, rect.width(), 100_000), Qt.TextFlag.TextWordWrap, text)
        assert rect.height() >= need.height() - 2, text
    save(preview, shots / "ui-preview.png")
