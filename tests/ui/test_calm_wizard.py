"""A calm wizard: the wheel scrolls, the keyboard reaches every answer, a new draft is
not a wall of red, and messages never move the field under the pointer.

Driven with real events (wheel events at the control under the pointer, key presses),
never by calling slots.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QAccessible, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QRadioButton,
    QScrollBar,
    QTreeWidget,
    QWidget,
)

from ombuds_desktop.draft.model import Draft
from ombuds_desktop.formdef import load_edition
from ombuds_desktop.ui import draft_window as dw
from ombuds_desktop.ui.field_row import FieldRow
from ombuds_desktop.ui.section_page import SectionPage

from .conftest import type_text


def page(window, section_id: str) -> SectionPage:
    return window.pages[window.page_ids.index(section_id)]


def go(window, section_id: str) -> SectionPage:
    window.nav.setCurrentRow(window.page_ids.index(section_id))
    QApplication.processEvents()
    return page(window, section_id)


def row(window, field_id: str) -> FieldRow:
    section = load_edition().section_of(field_id)
    return next(r for r in page(window, section).rows if r.field.id == field_id)


def shown_problems(r: FieldRow) -> str:
    return r.problems.full_text if r.problems.isVisible() else ""


def wheel(widget: QWidget, notches: int = -1) -> None:
    """One turn of the wheel with the pointer over ``widget`` (delivered to the child
    actually under the pointer, as the window system would)."""
    centre = widget.rect().center()
    target = widget.childAt(centre) or widget
    pos = QPointF(target.mapFrom(widget, centre))
    event = QWheelEvent(
        pos,
        QPointF(target.mapToGlobal(pos.toPoint())),
        QPoint(0, 0),
        QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(target, event)


@pytest.fixture
def new_window(state, open_window):
    draft = Draft(form=load_edition().key)
    state.vault.save_draft(draft)
    window = open_window(draft)
    window.activateWindow()
    return window


def scrolled_to(scroll_page: SectionPage, r: FieldRow) -> int:
    """Scroll so the row is in the middle of the page; return the scroll position."""
    bar = scroll_page.verticalScrollBar()
    bar.setValue(max(0, r.y() - scroll_page.viewport().height() // 3))
    QApplication.processEvents()
    return bar.value()


# ---------------------------------------------------------------- the mouse wheel


@pytest.mark.parametrize(
    "section, field_id, child",
    [
        ("s5", "s5.address", "country"),  # an editable list box (Country → Vanuatu)
        ("s5", "s5.country_birth", "combo"),
        ("app", "app.role", "combo"),  # "Who is preparing this request?"
        ("s5", "s5.party_type", "radio"),
        ("app", "app.scr.legal_advice", "yesno"),
    ],
)
def test_the_wheel_scrolls_the_page_and_never_changes_an_answer(
    qtbot, new_window, section, field_id, child
):
    w = new_window
    p = go(w, section)
    r = row(w, field_id)
    editor = r.editor
    before = editor.value()
    start = scrolled_to(p, r)
    target = {
        "country": getattr(editor, "country", None),
        "combo": getattr(editor, "combo", None),
        "radio": next(iter(getattr(editor, "buttons", {}).values()), None),
        "yesno": getattr(editor, "yes", None),
    }[child]
    for _ in range(3):
        wheel(target, -1)
        QApplication.processEvents()
    assert editor.value() == before
    assert p.verticalScrollBar().value() > start, "the page did not scroll"
    # Tabbing into a list box is not clicking into it: the wheel still scrolls.
    if isinstance(target, QComboBox):
        scrolled_to(p, r)
        target.setFocus(Qt.FocusReason.TabFocusReason)
        wheel(target, -1)
        assert editor.value() == before


def test_the_wheel_changes_a_list_box_the_user_clicked_into(qtbot, new_window):
    w = new_window
    p = go(w, "s5")
    r = row(w, "s5.address")
    scrolled_to(p, r)
    country = r.editor.country
    qtbot.mouseClick(country.lineEdit(), Qt.MouseButton.LeftButton)
    assert country.hasFocus()
    index = country.currentIndex()
    wheel(country, -1)
    assert country.currentIndex() != index
    # ... and once the focus has moved on, it is protected again.
    row(w, "s5.phone").editor.line.setFocus()
    index = country.currentIndex()
    wheel(country, -1)
    assert country.currentIndex() == index


# ---------------------------------------------------------------- keyboard in radio groups


def test_no_can_be_chosen_from_the_keyboard(qtbot, new_window):
    w = new_window
    go(w, "app")
    editor = row(w, "app.scr.legal_advice").editor
    editor.yes.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(editor.yes, Qt.Key.Key_Right)
    assert editor.value() is False and editor.no.hasFocus()
    qtbot.keyClick(editor.no, Qt.Key.Key_Left)
    assert editor.value() is True and editor.yes.hasFocus()
    qtbot.keyClick(editor.yes, Qt.Key.Key_Down)
    assert editor.value() is False
    assert w.draft.values["app.scr.legal_advice"] is False  # a real answer, saved


def test_space_chooses_and_tab_leaves_the_group_in_one_step(qtbot, new_window):
    w = new_window
    go(w, "app")
    editor = row(w, "app.scr.involves_uscis").editor
    editor.yes.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(editor.yes, Qt.Key.Key_Space)
    assert editor.value() is True
    qtbot.keyClick(editor.yes, Qt.Key.Key_Right)
    assert editor.value() is False
    qtbot.keyClick(editor.no, Qt.Key.Key_Tab)
    focus = QApplication.focusWidget()
    assert focus not in (editor.yes, editor.no)
    assert row(w, "app.scr.change_decision").isAncestorOf(focus)
    # Shift+Tab comes back to the chosen answer, not to "Yes".
    qtbot.keyClick(focus, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is editor.no


def test_arrow_keys_move_the_choice_in_a_radio_group(qtbot, new_window):
    w = new_window
    go(w, "app")
    editor = row(w, "app.channel").editor
    ids = [o.id for o in editor.field.options]
    first = editor.buttons[ids[0]]
    first.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(first, Qt.Key.Key_Down)
    assert editor.value() == ids[1]
    qtbot.keyClick(editor.buttons[ids[1]], Qt.Key.Key_Down)
    assert editor.value() == ids[2]
    qtbot.keyClick(editor.buttons[ids[2]], Qt.Key.Key_Up)
    assert editor.value() == ids[1]
    tab_stops = [b for b in editor.buttons.values() if b.focusPolicy() & Qt.FocusPolicy.TabFocus]
    assert tab_stops == [editor.buttons[ids[1]]]


# ---------------------------------------------------------------- a calm new draft


def test_a_new_draft_is_not_a_wall_of_red(qtbot, new_window):
    w = new_window
    for pid in w.page_ids:
        if pid == dw.REVIEW_ID:
            continue
        p = page(w, pid)
        p.show_findings(w.shown_findings())
        red = [
            r.field.id
            for r in p.rows
            if "Error" in shown_problems(r) or "Warning" in shown_problems(r)
        ]
        assert red == [], f"{pid}: {red}"
    texts = [w.nav.item(i).text() for i in range(w.nav.count() - 1)]
    assert not any("✖" in t or "Errors" in t or "Complete" in t for t in texts), texts
    assert "Not started" in texts[w.page_ids.index("s1a")]
    assert "0 of 8 answered" in texts[w.page_ids.index("s5")], texts
    outcome = page(w, "app").outcome.text()
    assert not outcome.startswith("Proceed") and "Not screened yet" in outcome


def test_needs_an_answer_shows_after_leaving_the_field(qtbot, new_window):
    w = new_window
    go(w, "app")
    role = row(w, "app.role")
    role.editor.combo.setFocus(Qt.FocusReason.TabFocusReason)
    assert shown_problems(role) == ""
    qtbot.keyClick(role.editor.combo, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: shown_problems(role) != "", timeout=2000)
    text = shown_problems(role)
    assert text == "✖ Error: Choose one of the answers."  # the label is right above it
    assert shown_problems(row(w, "app.channel")) == ""  # not yet left: still calm
    assert "Errors: 1" in w.nav.item(0).text()


def test_needs_an_answer_shows_after_leaving_the_section_or_on_review(
    qtbot, new_window, monkeypatch
):
    w = new_window
    monkeypatch.setattr(dw, "confirm", lambda *a, **k: True)
    go(w, "s1")
    assert shown_problems(row(w, "s1.contacted_uscis")) == ""
    go(w, "s2")
    assert "Error" not in shown_problems(row(w, "s2.explanation"))
    go(w, "s1")
    assert shown_problems(row(w, "s1.contacted_uscis")) == "✖ Error: Choose Yes or No."
    assert "Errors: 1" in w.nav.item(w.page_ids.index("s1")).text()
    # Never visited: calm until the Review page has been seen.
    assert "Not started" in w.nav.item(w.page_ids.index("s5")).text()
    w.nav.setCurrentRow(len(w.pages) - 1)
    assert "Choose one of the answers." in shown_problems(go(w, "s5").rows[0])


def test_a_typed_mistake_shows_at_once(qtbot, new_window):
    w = new_window
    go(w, "s5")
    phone = row(w, "s5.phone")
    phone.editor.line.setFocus()
    type_text(qtbot, phone.editor.line, "555-01")
    qtbot.waitUntil(lambda: "Error" in shown_problems(phone), timeout=3000)
    assert not shown_problems(phone).startswith("✖ Error: Phone")


def test_without_label():
    from ombuds_desktop.ui.field_row import without_label

    assert without_label("Who is it?: this needs an answer.", "Who is it?") == (
        "This needs an answer."
    )
    assert without_label("Something else: x", "Who is it?") == "Something else: x"


# ---------------------------------------------------------------- the layout holds still


def test_messages_never_move_the_fields_below(qtbot, new_window):
    w = new_window
    w.resize(1180, 820)
    p = go(w, "s5")
    phone = row(w, "s5.phone")
    below = [r for r in p.rows if r.y() > phone.y()]
    assert below

    def positions():
        QApplication.processEvents()
        return [r.mapTo(p.widget(), QPoint(0, 0)).y() for r in [phone, *below]]

    before = positions()
    line = phone.editor.line
    line.setFocus()
    type_text(qtbot, line, "555-01")
    qtbot.waitUntil(lambda: "Error" in shown_problems(phone), timeout=3000)
    assert positions() == before
    type_text(qtbot, line, "23")  # a full number: the message goes away
    for _ in range(len("555-0123")):
        qtbot.keyClick(line, Qt.Key.Key_Backspace)
    type_text(qtbot, line, "(217) 555-0101")
    qtbot.waitUntil(lambda: shown_problems(phone) == "", timeout=3000)
    assert positions() == before
    # Leaving an unanswered required field (a message appears above) moves nothing.
    address = row(w, "s5.address")
    address.editor.lines["street"].setFocus()
    qtbot.keyClick(
        address.editor.lines["street"], Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier
    )
    line.setFocus()
    qtbot.waitUntil(lambda: "Type the address." in shown_problems(address), timeout=3000)
    assert positions() == before


# ---------------------------------------------------------------- keyboard and screen readers

INPUTS = (
    QLineEdit,
    QPlainTextEdit,
    QComboBox,
    QAbstractButton,
    QAbstractSpinBox,
    QListWidget,
    QTreeWidget,
)


def parents(widget: QWidget):
    parent = widget.parentWidget()
    while parent is not None:
        yield parent
        parent = parent.parentWidget()


def in_question(widget: QWidget) -> bool:
    return any(isinstance(p, FieldRow) for p in parents(widget))


def test_every_control_has_an_accessible_name(qtbot, state, import_sample, open_window):
    w = open_window(import_sample("vawa-self"))
    for i in range(len(w.pages)):
        w.nav.setCurrentRow(i)
    missing = []
    for widget in w.findChildren(QWidget):
        if not isinstance(widget, INPUTS) or widget.focusPolicy() == Qt.FocusPolicy.NoFocus:
            continue
        if isinstance(widget, QScrollBar) or isinstance(widget.parent(), QComboBox):
            continue  # parts of a scroll area or list box, named by their owner
        # What a screen reader says: the accessible name, or a button's own words.
        spoken = QAccessible.queryAccessibleInterface(widget).text(QAccessible.Text.Name)
        if not widget.accessibleName().strip() and not (
            isinstance(widget, QAbstractButton) and spoken.strip() and not in_question(widget)
        ):
            missing.append(f"{type(widget).__name__} {widget.objectName()} {spoken!r}")
        if in_question(widget) and isinstance(widget, QRadioButton | QCheckBox):
            question = next(p for p in parents(widget) if isinstance(p, FieldRow))
            if widget is not getattr(question, "help_button", None):
                assert widget.accessibleName().startswith(question.field.label), spoken
    assert missing == [], "\n".join(missing)


def test_the_focus_ring_is_in_the_style_sheet():
    from ombuds_desktop.ui.style import style_sheet

    sheet = style_sheet()
    for selector in (
        "QLineEdit:focus",
        "QComboBox:focus",
        "QRadioButton:focus",
        "QPushButton:focus",
    ):
        assert selector in sheet


def test_every_page_is_reachable_by_keyboard(qtbot, new_window, monkeypatch):
    w = new_window
    monkeypatch.setattr(dw, "confirm", lambda *a, **k: True)
    menus = {
        m.title().replace("&", ""): m
        for m in w.menuBar().findChildren(type(w.menuBar().addMenu("x")))
    }
    go_menu = menus["Go"]
    shortcuts = {a.text(): a.shortcut().toString() for a in go_menu.actions()}
    assert shortcuts["Next section"] == "Alt+Right" and shortcuts["Previous section"] == "Alt+Left"
    seen = [w.current_id]
    for _ in range(len(w.pages)):
        qtbot.keyClick(w, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
        seen.append(w.current_id)
    visible = [w.page_ids[r] for r in w._visible_rows()]
    assert [s for s in dict.fromkeys(seen)] == visible
    qtbot.keyClick(w, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert w.current_id == visible[-2]


def test_pages_are_scroll_areas_with_names(qtbot, new_window):
    for p in new_window.pages:
        if isinstance(p, QAbstractScrollArea):
            assert p.accessibleName()


# ---------------------------------------------------------------- screenshots to look at


def test_screenshots_of_a_new_draft_and_section_5_with_errors(qtbot, state, open_window, tmp_path):
    """``OMBUDS_SCREENSHOTS=docs/images`` writes ui-new-draft.png for the README."""
    import os
    from pathlib import Path

    folder = Path(os.environ.get("OMBUDS_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    draft = Draft(form=load_edition().key)
    state.vault.save_draft(draft)
    w = open_window(draft)
    w.resize(1180, 860)
    for _ in range(3):
        QApplication.processEvents()
    assert w.grab().save(str(folder / "ui-new-draft.png"))
    p = go(w, "s5")
    phone = row(w, "s5.phone")
    phone.editor.line.setFocus()
    type_text(qtbot, phone.editor.line, "555-01")
    email = row(w, "s5.email")
    email.editor.line.setFocus()
    type_text(qtbot, email.editor.line, "jose@@example")
    row(w, "s5.a_number").editor.line.setFocus()
    qtbot.waitUntil(lambda: "Error" in shown_problems(email), timeout=3000)
    p.ensureWidgetVisible(phone, 0, 200)
    for _ in range(3):
        QApplication.processEvents()
    assert w.grab().save(str(folder / "ui-errors-s5-calm.png"))


# ---------------------------------------------------------------- the reveal rule itself


def test_the_reveal_rule():
    from ombuds_desktop.ui.reveal import Reveal, value_at
    from ombuds_desktop.validation import Finding

    definition = load_edition()
    values = {
        "s3.filings": [{"receipt_number": "EAC249001234"}],
        "s5.address": {"postal_code": "1220"},
    }
    assert value_at(definition, values, "s3.filings[0].receipt_number") == "EAC249001234"
    assert value_at(definition, values, "s3.filings[1].receipt_number") is None
    assert value_at(definition, values, "s5.address.postal_code") == "1220"
    assert value_at(definition, values, "s5.phone") is None

    reveal = Reveal(definition)
    required = Finding(
        "s5", "s5.phone", "error", "required", "Daytime phone: this needs an answer."
    )
    typed = Finding("s3", "s3.filings[0].receipt_number", "error", "R41-receipt-format", "x")
    empty_rule = Finding("s8", "s8.documents", "error", "R34-no-documents", "x")
    section_error = Finding("s2", None, "error", "R99", "x")
    section_warning = Finding("app", None, "warning", "R40-edition-expired", "x")
    note = Finding("s2", "s2.explanation", "info", "R13-third-parties", "x")
    assert reveal.shown(
        [required, typed, empty_rule, section_error, section_warning, note], values
    ) == [typed, section_warning, note]
    assert reveal.leave_field("s5.phone") and not reveal.leave_field("s5.phone")
    assert reveal.shows(required, values)
    reveal.leave_section("s8")
    assert reveal.shows(empty_rule, values) and not reveal.shows(section_error, values)
    reveal.everything()
    assert reveal.shows(section_error, values)
    reopened = Reveal(definition)
    reopened.start(values)
    assert reopened.sections == {"s3", "s5"}


def test_the_screener_verdict_never_moves_the_questions(qtbot, new_window):
    w = new_window
    p = go(w, "app")
    legal = row(w, "app.scr.legal_advice")

    def positions():
        QApplication.processEvents()
        return [r.mapTo(p.widget(), QPoint(0, 0)).y() for r in p.rows if r.isVisible()]

    before = positions()
    assert p.outcome.text().startswith("Not screened yet")
    legal.editor.yes.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(legal.editor.yes, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: p.outcome.text().startswith("Likely outside"), timeout=3000)
    assert "legal advice" in p.outcome_reasons.text().lower()
    assert positions() == before


@pytest.mark.parametrize("field_id", ["s5.phone", "s5.email", "s5.dob", "s5.a_number"])
def test_a_very_long_answer_never_widens_the_page(qtbot, new_window, field_id):
    """Messages quote what was typed; a 300-character word must wrap, not push the page
    (and the window) wider than the screen."""
    w = new_window
    p = go(w, "s5")
    line = row(w, field_id).editor.line
    line.setFocus()
    line.setText("1/2/" + "7" * 300 if field_id == "s5.dob" else "x" * 300)
    row(w, "s5.email" if field_id != "s5.email" else "s5.phone").editor.line.setFocus()
    qtbot.wait(w.VALIDATE_MS + 200)
    assert p.widget().minimumSizeHint().width() <= p.viewport().width()
    assert not p.horizontalScrollBar().isVisible()
    assert w.minimumSizeHint().width() < 1400
