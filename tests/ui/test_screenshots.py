"""Screenshots of every window and section, for people to look at.

Each run writes PNGs to a temporary folder (or to ``OMBUDS_SCREENSHOTS``, e.g.
``docs/images`` for the README).  The assertions catch the failures a person
would see at once: a blank grab, fonts missing, an error state without words.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit

from ombuds_desktop.ui.home import HomeWindow


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("OMBUDS_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def distinct_colours(image) -> int:
    step = max(1, image.width() // 60)
    return len(
        {
            QColor(image.pixel(x, y)).name()
            for x in range(0, image.width(), step)
            for y in range(0, image.height(), step)
        }
    )


def save(widget, path: Path) -> None:
    for _ in range(3):  # let pending layout requests run, as the event loop would
        QApplication.processEvents()
    image = widget.grab().toImage()
    assert image.width() > 400 and distinct_colours(image) > 3, f"{path.name} looks blank"
    assert image.save(str(path))


def test_every_section_of_a_vawa_draft(qtbot, state, import_sample, open_window, shots):
    window = open_window(import_sample("vawa-self"))
    window.resize(1180, 860)
    for i, page_id in enumerate(window.page_ids):
        window.nav.setCurrentRow(i)
        qtbot.wait(20)
        save(window, shots / f"ui-vawa-{i:02d}-{page_id.strip('_')}.png")
    assert len(list(shots.glob("ui-vawa-*.png"))) == len(window.page_ids)


def test_error_states_are_written_out(qtbot, state, import_sample, open_window, shots):
    window = open_window(import_sample("mistakes"))
    window.resize(1180, 860)
    window.jump_to("s5", "s5.phone")
    page = window.pages[window.page_ids.index("s5")]
    phone = next(r for r in page.rows if r.field.id == "s5.phone")
    assert phone.problems.isVisible() and phone.problems.text().startswith("✖ Error:")
    assert phone.property("severity") == "error"
    save(window, shots / "ui-errors-s5.png")
    qtbot.wait(20)
    for row in page.rows:  # nothing squeezed below its natural height (overlapping text)
        if row.isVisible():
            for line in row.editor.findChildren(QLineEdit):
                if isinstance(line.parent(), QComboBox):
                    continue  # an editable list box's own line edit
                assert line.height() >= line.minimumSizeHint().height(), row.field.id
            if row.problems.isVisible():
                label = row.problems
                assert label.height() >= label.heightForWidth(label.width()), row.field.id
    window.nav.setCurrentRow(len(window.pages) - 1)
    save(window, shots / "ui-errors-review.png")


def test_drafts_home(qtbot, state, import_sample, shots):
    for name in (
        "vawa-self",
        "attorney-employer",
        "asylee-attorney",
        "family-parent",
        "family-child-a",
        "family-child-b",
    ):
        import_sample(name)
    home = HomeWindow(state)
    qtbot.addWidget(home)
    home.resize(1100, 520)
    home.show()
    qtbot.waitExposed(home)
    save(home, shots / "ui-home.png")
    home.close()


def test_packet_preview(qtbot, state, import_sample, open_window, shots):
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
    save(preview, shots / "ui-preview.png")
