"""Review: findings wrap instead of ending in "…", "Where" speaks the edition's labels,
and the wet-ink reminder changes once the signed scan is attached."""

from __future__ import annotations

import re

from PySide6.QtCore import QRect, Qt

from ombuds_desktop.formdef import load_edition

INTERNAL_ID = re.compile(r"\b(?:s\d+[a-z]?|app)\.[a-z_]+")


def open_review(window):
    window.nav.setCurrentRow(len(window.pages) - 1)
    window.review.refresh()
    return window.review


def children(tree):
    for i in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(i)
        top.setExpanded(True)
        for j in range(top.childCount()):
            yield top.child(j)


def test_where_uses_labels_and_sections_never_ids(qtbot, state, import_sample, open_window):
    draft = state.vault.load_draft(import_sample("vawa-self").id)
    draft.values["s3.filings"][0]["receipt_number"] = "EAC12"
    draft.values.pop("app.scr.expedite_denied", None)
    state.vault.save_draft(draft)
    w = open_window(draft)
    review = open_review(w)
    wheres = {item.text(1) for item in children(review.tree)}
    assert "Section 3, Filing 1 › Receipt number" in wheres
    label = load_edition().field("app.scr.expedite_denied").label
    assert f"Before you file, {label}" in wheres
    assert not [x for x in wheres if INTERNAL_ID.search(x)], wheres
    # The jump still goes to the field: the id is kept as data, not shown.
    ids = {item.data(0, Qt.ItemDataRole.UserRole)[1] for item in children(review.tree)}
    assert "s3.filings[0].receipt_number" in ids


def test_long_findings_wrap_and_are_never_cut_off(qtbot, state, import_sample, open_window):
    draft = state.vault.load_draft(import_sample("vawa-self").id)
    draft.values.pop("app.scr.expedite_denied", None)
    draft.values["s3.filings"][0]["receipt_number"] = "EAC12"
    state.vault.save_draft(draft)
    w = open_window(draft)
    w.resize(1000, 800)
    review = open_review(w)
    qtbot.wait(50)
    tree = review.tree
    assert tree.textElideMode() == Qt.TextElideMode.ElideNone
    fm = tree.fontMetrics()
    wrapped = 0
    for item in children(tree):
        for col in (0, 1):
            text = item.text(col)
            rect = tree.visualItemRect(item)
            width = tree.columnWidth(col) - (2 * tree.indentation() if col == 0 else 0) - 16
            need = fm.boundingRect(QRect(0, 0, width, 100_000), Qt.TextFlag.TextWordWrap, text)
            assert rect.height() >= need.height(), (text, rect.height(), need.height())
            if fm.horizontalAdvance(text) > tree.columnWidth(col):
                wrapped += 1
                assert rect.height() >= 2 * fm.lineSpacing()
    assert wrapped, "the test needs at least one finding longer than its column"


def test_signed_scan_attached_no_longer_asks_to_print(qtbot, state, import_sample, open_window):
    draft = state.vault.load_draft(import_sample("vawa-self").id)
    assert any(a.category == "signed-section-9" for a in draft.attachments)
    w = open_window(draft)
    review = open_review(w)
    summary = review.summary.text()
    assert "signed in ink is attached" in summary
    assert "print the signature page" not in summary.lower()
    assert not [i for i in children(review.tree) if "Print the signature page" in i.text(0)]

    # Negative: without the scan, Review asks for it.
    w.close()
    draft = state.vault.load_draft(draft.id)
    draft.attachments = [a for a in draft.attachments if a.category != "signed-section-9"]
    state.vault.save_draft(draft)
    w2 = open_window(state.vault.load_draft(draft.id))
    summary = open_review(w2).summary.text()
    assert "print the signature page" in summary.lower()


def test_review_page_keeps_qt_window_method(qtbot, state, import_sample, open_window):
    """The page's draft window is its own attribute: ``QWidget.window()`` (used by key and
    click helpers to activate the top-level window) still works on the Review page."""
    draft = state.vault.load_draft(import_sample("vawa-self").id)
    w = open_window(draft)
    review = open_review(w)
    assert review.window() is w.window()
    assert review.draft_window is w
