"""Opening a draft builds only the page it opens on; every other page is built when it is
first visited and then shows the draft as it is: the saved answers, the messages due, the
evidence list.  (Building all twelve pages at opening cost ~0.3 s a draft.)"""

from __future__ import annotations

from PySide6.QtCore import Qt

from ombuds_desktop.ui.draft_window import REVIEW_ID
from ombuds_desktop.ui.section_page import SectionPage


def built_sections(window) -> list[str]:
    return [
        pid
        for i, pid in enumerate(window.page_ids)
        if isinstance(window.pages.built_at(i), SectionPage)
    ]


def click_section(qtbot, window, section_id: str) -> None:
    """A mouse click on the section's entry in the list on the left."""
    item = window.nav.item(window.page_ids.index(section_id))
    window.nav.scrollToItem(item)
    qtbot.mouseClick(
        window.nav.viewport(),
        Qt.MouseButton.LeftButton,
        pos=window.nav.visualItemRect(item).center(),
    )
    assert window.current_id == section_id


def test_opening_a_draft_builds_only_the_page_it_opens_on(import_sample, open_window):
    draft = import_sample("vawa-self")
    window = open_window(draft)
    assert built_sections(window) == [window.current_id]
    assert len(window.pages) == len(window.page_ids) > 10


def test_pages_built_on_first_visit_show_the_saved_answers(
    qtbot, state, import_sample, open_window
):
    draft = import_sample("vawa-self")
    saved = state.vault.load_draft(draft.id).values
    window = open_window(draft)
    sections = [pid for pid in window.page_ids if pid != REVIEW_ID and window.nav.item(
        window.page_ids.index(pid)).flags() & Qt.ItemFlag.ItemIsEnabled]  # fmt: skip
    for pid in sections:
        click_section(qtbot, window, pid)
    click_section(qtbot, window, REVIEW_ID)
    assert set(built_sections(window)) == set(sections)
    # Each visit collected the page's answers into the draft: a page built empty or with
    # another draft's answers would have changed them.
    assert window.draft.values == saved
    name = window.pages[window.page_ids.index("s5")].rows[1]
    assert name.field.id == "s5.name" and name.editor.value() == saved["s5.name"]


def test_a_page_built_after_review_shows_its_problems(qtbot, import_sample, open_window):
    window = open_window(import_sample("mistakes"))
    click_section(qtbot, window, REVIEW_ID)  # Review reveals every message
    assert "s5" not in built_sections(window)
    click_section(qtbot, window, "s5")
    page = window.pages[window.page_ids.index("s5")]
    row = next(r for r in page.rows if r.field.id == "s5.a_number")
    assert row.problems.isVisible() and "A-Number" in row.problems.full_text


def test_the_evidence_editor_is_there_when_asked_for(import_sample, open_window):
    draft = import_sample("vawa-self")
    window = open_window(draft)
    editor = window.attachments
    assert editor is not None and editor.list.count() == len(draft.attachments) > 0
    assert window.attachments is editor  # built once
