"""Review shows what the imported official form cannot show (``official-*`` findings) under
the section they concern, with a check per warning like any other; the final packet waits
until each is ticked.  Without an official form there are none."""

from __future__ import annotations

from PySide6.QtCore import Qt

from ombuds_desktop.formdef import load_edition
from ombuds_desktop.official.store import import_official
from ombuds_desktop.ui import draft_window as dw
from ombuds_desktop.ui.review import ACK_ROLE
from ombuds_desktop.validation import unacknowledged_warnings
from tests.official.conftest import form_a

CODE = "official-no-export-value"


def _items(window):
    """(section heading, item) for every finding row of the Review list."""
    tree = window.review.tree
    for i in range(tree.topLevelItemCount()):
        parent = tree.topLevelItem(i)
        for j in range(parent.childCount()):
            yield parent.text(0), parent.child(j)


def _draft_with_wa(state, import_sample):
    """A complete draft whose state (WA) form A's state list lacks."""
    draft = state.vault.load_draft(import_sample("asylee-attorney").id)
    draft.values["s5.address"] = {**draft.values["s5.address"], "state": "WA"}
    state.vault.save_draft(draft)
    return draft


def _tick(qtbot, window, item) -> None:
    tree = window.review.tree
    tree.setCurrentItem(item)
    qtbot.keyClick(tree, Qt.Key.Key_Space)


def test_no_official_form_no_official_rows(qtbot, state, import_sample, open_window) -> None:
    w = open_window(_draft_with_wa(state, import_sample))
    w.jump_to("__review__", None)
    w.review.refresh()
    assert not [f for f in w.findings if f.code.startswith("official-")]
    assert not [i for _, i in _items(w) if "official form" in i.text(0)]


def test_official_warning_is_shown_ticked_and_then_the_packet_may_be_final(
    qtbot, state, import_sample, open_window, monkeypatch
) -> None:
    draft = _draft_with_wa(state, import_sample)
    import_official(form_a(), load_edition(), state.data_dir, accept=True)
    w = open_window(draft)
    w.jump_to("__review__", None)
    w.review.refresh()
    rows = [(h, i) for h, i in _items(w) if (f := i.data(0, ACK_ROLE)) and f.code == CODE]
    assert len(rows) == 1
    heading, item = rows[0]
    assert heading.startswith("Section 5")
    assert "official form" in item.text(0) and "'WA'" in item.text(0)
    assert item.checkState(0) == Qt.CheckState.Unchecked
    assert "State" in item.text(1)  # "Where": the field it concerns

    # Every other warning ticked: the official one still holds the final packet back.
    for _, other in list(_items(w)):
        f = other.data(0, ACK_ROLE)
        if f is not None and f.code != CODE:
            _tick(qtbot, w, other)
    assert [f.code for f in unacknowledged_warnings(w.findings, w.draft)] == [CODE]
    asked: list[str] = []
    monkeypatch.setattr(dw, "confirm", lambda *a, **k: asked.append(a[2]) or False)
    assert w.build_packet() is None
    assert asked and "1 warning(s) are not acknowledged" in asked[0]

    item = next(i for _, i in _items(w) if (f := i.data(0, ACK_ROLE)) and f.code == CODE)
    _tick(qtbot, w, item)
    assert unacknowledged_warnings(w.findings, w.draft) == []
    assert "Ready to build the final packet" in w.review.summary.text()
    assert w.save_now()
    assert unacknowledged_warnings(w.findings, state.vault.load_draft(draft.id)) == []


def test_importing_while_the_window_is_open_is_seen_on_the_next_check(
    qtbot, state, import_sample, open_window
) -> None:
    w = open_window(_draft_with_wa(state, import_sample))
    assert CODE not in {f.code for f in w.findings}
    import_official(form_a(), load_edition(), state.data_dir, accept=True)
    w.revalidate()
    assert CODE in {f.code for f in w.findings}
