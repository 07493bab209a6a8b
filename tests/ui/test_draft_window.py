"""The wizard, driven as a user drives it: typing, clicking, moving between sections."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import QAbstractButton, QApplication, QPushButton

from ombuds_desktop.draft.model import Draft
from ombuds_desktop.formdef import load_edition
from ombuds_desktop.ui import draft_window as dw
from ombuds_desktop.ui.section_page import SectionPage

from .conftest import type_text


def page(window, section_id: str) -> SectionPage:
    return window.pages[window.page_ids.index(section_id)]


def go(window, section_id: str) -> SectionPage:
    window.nav.setCurrentRow(window.page_ids.index(section_id))
    return page(window, section_id)


def row(window, field_id: str):
    section = load_edition().section_of(field_id)
    return next(r for r in page(window, section).rows if r.field.id == field_id)


def problems(window, field_id: str) -> str:
    r = row(window, field_id)
    return r.problems.text() if r.problems.isVisible() else ""


def click(qtbot, widget) -> None:
    """Click where a person would: on the box and label, not the empty stretch beside it."""
    pos = (
        QPoint(8, widget.height() // 2)
        if isinstance(widget, QAbstractButton) and not isinstance(widget, QPushButton)
        else widget.rect().center()
    )
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos)


def choose(qtbot, editor, option_id: str) -> None:
    """Pick an option the way the editor offers it: a radio button, or the list box."""
    if editor.combo is not None:
        editor.combo.setFocus()
        editor.combo.setCurrentIndex(editor.combo.findData(option_id))
    else:
        click(qtbot, editor.buttons[option_id])


def type_into(qtbot, line, text: str) -> None:
    line.setFocus()
    line.selectAll()
    type_text(qtbot, line, text)


@pytest.fixture
def new_window(state, open_window):
    draft = Draft(form=load_edition().key)
    state.vault.save_draft(draft)
    return open_window(draft)


def test_fonts_are_present(qapp):
    """Missing fonts make every glyph a box while tests still pass; guard against it."""
    assert QFontInfo(qapp.font()).family() != ""


def test_vawa_self_petitioner_typed_in(qtbot, state, new_window, monkeypatch):
    w = new_window
    monkeypatch.setattr(dw, "confirm", lambda *a, **k: True)
    go(w, "app")
    choose(qtbot, row(w, "app.role").editor, "self")
    click(qtbot, row(w, "app.client_category").editor.boxes["vawa"])
    choose(qtbot, row(w, "app.channel").editor, "online")
    for field_id, answer in (
        ("app.scr.legal_advice", "no"),
        ("app.scr.involves_uscis", "yes"),
        ("app.scr.change_decision", "no"),
        ("app.scr.pt_published", "no"),
    ):
        click(qtbot, getattr(row(w, field_id).editor, answer))
    choose(qtbot, row(w, "app.scr.expedite_denied").editor, "not_requested")
    # Section 10 is not needed when the client files for herself.
    assert w.nav.item(w.page_ids.index("s10")).data(Qt.ItemDataRole.UserRole) == "not-needed"

    # Section 3: a receipt number one digit short shows an error under the field ...
    go(w, "s3")
    group = row(w, "s3.filings").editor
    click(qtbot, group.add_button)
    box = group.row_boxes[0]
    sub = {r.field.id: r for r in box.rows}
    type_into(qtbot, sub["form_number"].editor.line, "I-360")
    type_into(qtbot, sub["receipt_number"].editor.line, "eac249001234")
    assert sub["receipt_number"].editor.line.text() == "EAC249001234"  # upper-cased as typed
    qtbot.waitUntil(lambda: "12 characters" in sub["receipt_number"].problems.text(), timeout=3000)
    assert sub["receipt_number"].problems.text().startswith("✖ Error:")
    # ... which disappears when it is fixed.
    qtbot.keyClicks(sub["receipt_number"].editor.line, "5")
    qtbot.waitUntil(lambda: not sub["receipt_number"].problems.isVisible(), timeout=3000)
    type_into(qtbot, sub["receipt_date"].editor.line, "12/10/2024")
    click(qtbot, sub["primary"].editor.yes)

    # Section 5: name, date of birth, address; mail-only is forced for this client.
    go(w, "s5")
    choose(qtbot, row(w, "s5.party_type").editor, "individual")
    name = row(w, "s5.name").editor
    type_into(qtbot, name.lines["family"], "Nguyễn")
    type_into(qtbot, name.lines["given"], "Thị Ánh")
    type_into(qtbot, row(w, "s5.dob").editor.line, "04/17/1991")
    address = row(w, "s5.address").editor
    type_into(qtbot, address.lines["street"], "1200 Example Avenue")
    type_into(qtbot, address.lines["city"], "Springfield")
    type_into(qtbot, address.lines["state"], "il")
    type_into(qtbot, address.lines["postal_code"], "62701")
    click(qtbot, row(w, "s5.address_matches_uscis").editor.no)
    qtbot.waitUntil(
        lambda: "same as the address in USCIS" in problems(w, "s5.address_matches_uscis"),
        timeout=3000,
    )
    assert w.draft.values["s5.mail_only"] is True
    click(qtbot, row(w, "s5.address_matches_uscis").editor.yes)
    qtbot.waitUntil(lambda: problems(w, "s5.address_matches_uscis") == "", timeout=3000)

    # Every change reaches the vault within about a second, with no Save button.
    def stored():
        return state.vault.load_draft(w.draft.id).values

    qtbot.waitUntil(lambda: stored().get("s5.address_matches_uscis") is True, timeout=3000)
    saved = stored()
    assert saved["s5.dob"] == "1991-04-17"
    assert saved["s5.name"]["family"] == "Nguyễn"
    assert saved["s5.address"]["state"] == "IL"
    assert saved["s3.filings"][0]["receipt_number"] == "EAC2490012345"
    assert saved["app.client_category"] == ["vawa"]

    # The review lists the wet-ink requirement.
    w.nav.setCurrentRow(len(w.pages) - 1)
    assert "signs Section 9 by hand in ink" in w.review.summary.text()


def test_next_with_errors_asks_and_can_stay(qtbot, new_window, monkeypatch):
    w = new_window
    go(w, "s1")
    asked = []
    monkeypatch.setattr(dw, "confirm", lambda *a, **k: asked.append(a[2]) or False)
    w.step(1)
    assert asked and "error" in asked[0]
    assert w.current_id == "s1"
    monkeypatch.setattr(dw, "confirm", lambda *a, **k: True)
    qtbot.keyClick(w, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert w.current_id == "s1a" or w.current_id == "s2"


def test_navigator_shows_state_in_words(qtbot, import_sample, open_window):
    w = open_window(import_sample("vawa-self"))
    texts = {pid: w.nav.item(i).text() for i, pid in enumerate(w.page_ids)}
    assert "Complete" in texts["s5"] and "✓" in texts["s5"]
    assert "Not needed" in texts["s10"]
    w.draft.values["s5.phone"] = "555-01"
    go(w, "s5").load(w.draft)
    w.revalidate()
    assert "Errors" in w.nav.item(w.page_ids.index("s5")).text()


def test_reopening_returns_to_the_section_left(qtbot, state, import_sample, open_window):
    draft = import_sample("attorney-employer")
    w = open_window(draft)
    go(w, "s6")
    w.close()
    again = open_window(draft)
    assert again.current_id == "s6"


def test_conditional_fields_and_sections_follow_answers(qtbot, import_sample, open_window):
    w = open_window(import_sample("vawa-self"))
    go(w, "s2")
    assert not row(w, "s2.hearing_date").isVisible()
    click(qtbot, row(w, "s2.reasons").editor.boxes["removal"])
    qtbot.waitUntil(lambda: row(w, "s2.hearing_date").isVisible(), timeout=2000)
    assert row(w, "s2.hearing_date").required_mark.text() == "(required)"
    go(w, "app")
    choose(qtbot, row(w, "app.role").editor, "attorney")
    qtbot.waitUntil(
        lambda: w.nav.item(w.page_ids.index("s10")).data(Qt.ItemDataRole.UserRole) != "not-needed",
        timeout=2000,
    )


def test_group_rows_add_and_remove(qtbot, import_sample, open_window):
    w = open_window(import_sample("vawa-self"))
    go(w, "s1a")
    group = row(w, "s1a.actions").editor
    assert len(group.row_boxes) == 2
    click(qtbot, group.add_button)
    assert len(group.row_boxes) == 3
    box = group.row_boxes[2]
    sub = {r.field.id: r for r in box.rows}
    assert not sub["expedite_outcome"].isVisible()
    sub["channel"].editor.combo.setCurrentIndex(sub["channel"].editor.combo.findData("expedite"))
    qtbot.waitUntil(lambda: sub["expedite_outcome"].isVisible(), timeout=2000)
    click(qtbot, group.row_boxes[0].remove_button)
    assert len(group.row_boxes) == 2 and group.row_boxes[0].title() == "Action 1"
    w.save_now()
    actions = w.vault.load_draft(w.draft.id).values["s1a.actions"]
    assert len(actions) == 2 and actions[1]["channel"] == "expedite"


def test_review_lists_findings_and_jumps_to_the_field(qtbot, import_sample, open_window):
    w = open_window(import_sample("mistakes"))
    w.nav.setCurrentRow(len(w.pages) - 1)
    tree = w.review.tree
    assert tree.topLevelItemCount() >= 8
    target = None
    for i in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(i)
        for j in range(top.childCount()):
            if top.child(j).data(0, Qt.ItemDataRole.UserRole)[1] == "s5.phone":
                target = top.child(j)
    assert target is not None and "phone" in target.text(0).lower()
    assert target.text(1).startswith("Section 5, ")  # words, not the field id
    w.review._activated(target)
    assert w.current_id == "s5"
    QApplication.processEvents()


def test_identifier_fields_normalise(qtbot, import_sample, open_window):
    w = open_window(import_sample("vawa-self"))
    go(w, "s5")
    editor = row(w, "s5.a_number").editor
    type_into(qtbot, editor.line, "a 12345678")
    editor.line.editingFinished.emit()
    assert editor.value() == "012345678"


def test_a_save_from_another_window_is_not_silently_overwritten(
    qtbot, state, import_sample, open_window, monkeypatch
):
    draft = import_sample("vawa-self")
    first, second = open_window(draft), open_window(draft)
    first.draft.values["s5.phone"] = "(217) 555-0101"
    assert first.save_now()
    second.draft.values["s5.phone"] = "(217) 555-0102"
    monkeypatch.setattr(dw, "confirm", lambda *a, **k: False)
    assert not second.save_now()
    assert state.vault.load_draft(draft.id).values["s5.phone"] == "(217) 555-0101"
    monkeypatch.setattr(dw, "confirm", lambda *a, **k: True)
    assert second.save_now()
    assert state.vault.load_draft(draft.id).values["s5.phone"] == "(217) 555-0102"
    revisions = state.vault.revisions(draft.id)
    assert len(revisions) >= 3  # both versions kept in the history


def test_family_members_receipt_numbers_are_checked_across_drafts(
    qtbot, state, import_sample, open_window
):
    parent = import_sample("family-parent")
    child = state.vault.load_draft(import_sample("family-child-a").id)
    mothers = dict(parent.values["s3.filings"][0], primary=False)
    child.values["s3.filings"].append(mothers)  # the mother's I-485, listed by mistake
    state.vault.save_draft(child)
    w = open_window(child)
    assert [f.severity for f in w.findings if f.code == "R24-family-receipt"] == ["error"]
    # the mother's own draft is right and stays clean (it was blamed as an error before)
    mother_window = open_window(parent)
    assert not [f for f in mother_window.findings if f.code.startswith("R24")]
