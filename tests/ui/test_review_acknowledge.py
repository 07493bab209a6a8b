"""Review: one check per warning; the final packet waits until each is ticked (issue 13).

The window and the command line share ``unacknowledged_warnings``; ticks are
recorded in the draft (saved to the vault) and re-asked when a warning's text
changes.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from ombuds_desktop.ui import draft_window as dw
from ombuds_desktop.ui.review import ACK_ROLE
from ombuds_desktop.validation import unacknowledged_warnings


def _warning_items(window):
    tree = window.review.tree
    for i in range(tree.topLevelItemCount()):
        parent = tree.topLevelItem(i)
        for j in range(parent.childCount()):
            item = parent.child(j)
            if item.data(0, ACK_ROLE) is not None:
                yield item


def test_each_warning_has_a_check_and_the_final_packet_waits_for_all(
    qtbot, state, import_sample, open_window, monkeypatch
):
    draft = import_sample("vawa-self")
    w = open_window(state.vault.load_draft(draft.id))
    w.jump_to("__review__", None)
    w.review.refresh()
    warnings = [f for f in w.findings if f.severity == "warning"]
    items = list(_warning_items(w))
    assert warnings and len(items) == len(warnings)
    assert all(i.checkState(0) == Qt.CheckState.Unchecked for i in items)
    assert "tick it to acknowledge" in w.review.summary.text()
    review_row = w.nav.item(w.page_ids.index("__review__")).text()
    assert "ready" not in review_row and "to read and tick" in review_row

    asked = []
    monkeypatch.setattr(dw, "confirm", lambda *a, **k: asked.append(a[2]) or False)
    assert w.build_packet() is None  # declined: no build, back on Review
    assert asked and "not acknowledged" in asked[0]
    assert w.page_ids[w.stack.currentIndex()] == "__review__"

    tree = w.review.tree
    for item in list(_warning_items(w)):
        tree.setCurrentItem(item)
        qtbot.keyClick(tree, Qt.Key.Key_Space)
    assert unacknowledged_warnings(w.findings, w.draft) == []
    assert "Ready to build the final packet" in w.review.summary.text()
    assert w.nav.item(w.page_ids.index("__review__")).text().endswith("ready")
    assert w.save_now()
    stored = state.vault.load_draft(draft.id)
    assert unacknowledged_warnings(w.findings, stored) == []


def test_window_follows_an_edition_that_renames_a_field(
    qtbot, state, tmp_path, monkeypatch, open_window
):
    """A copy of the edition with s5.dob renamed: the window shows and saves the new field."""
    import shutil

    from ombuds_desktop import paths
    from ombuds_desktop.formdef import load_edition
    from ombuds_desktop.samples import load_sample

    forms = tmp_path / "forms"
    shutil.copytree(paths.forms_dir(), forms)
    text = (forms / "dhs-7001" / "2022-11.toml").read_text(encoding="utf-8")
    text = text.replace('id = "s5.dob"', 'id = "s5.birth_date"')
    text = text.replace('client_dob = "s5.dob"', 'client_dob = "s5.birth_date"')
    text = text.replace('edition = "2022-11"', 'edition = "2099-01"')
    (forms / "dhs-7001" / "2099-01.toml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("OMBUDS_FORMS_DIR", str(forms))
    load_edition.cache_clear()
    try:
        draft = load_sample("family-child-a")
        draft.form = "dhs-7001/2099-01"
        draft.values["s5.birth_date"] = draft.values.pop("s5.dob")
        draft.attachments = []
        state.vault.save_draft(draft)
        w = open_window(draft)
        assert w.definition.edition == "2099-01"
        page = w.pages[w.page_ids.index("s5")]
        paths_shown = {row.path for row in page.rows}
        assert "s5.birth_date" in paths_shown and "s5.dob" not in paths_shown
        assert not [f for f in w.findings if f.code == "unknown-field"]
    finally:
        load_edition.cache_clear()
