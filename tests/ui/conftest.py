"""Real Qt widgets on a real (passphrase-protected) vault in a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QLoggingCategory, QSettings, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from ombuds_desktop.draft import read_draft_file
from ombuds_desktop.formdef import load_edition
from ombuds_desktop.samples import write_sample
from ombuds_desktop.validation.status import prepare_import

PASSPHRASE = "correct horse battery staple"


def type_text(qtbot, widget, text: str) -> None:
    """Type like a keyboard would; characters QTest cannot synthesise (ễ, Ż) arrive as an
    input method delivers them, as key events carrying the text."""
    for ch in text:
        if ord(ch) < 128:
            qtbot.keyClicks(widget, ch)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(
                    widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch)
                )


@pytest.fixture
def state(qapp, tmp_path: Path):
    from ombuds_desktop.ui.app import AppState, Settings, describe_for_list
    from ombuds_desktop.ui.style import style_sheet
    from ombuds_desktop.vault import Vault

    if qapp.styleSheet() != style_sheet():  # setting it again re-polishes every live widget
        qapp.setStyleSheet(style_sheet())
    QLoggingCategory.setFilterRules("qt.pdf.bookmarks.warning=false")
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    app_state = AppState(tmp_path / "data", settings)
    app_state.vault, app_state.recovery_code = Vault.create(
        app_state.data_dir, passphrase=PASSPHRASE, describe=describe_for_list
    )
    app_state.passphrase_protected = True
    yield app_state
    app_state.shutdown(qapp)
    if app_state.vault is not None:
        app_state.vault.close()


@pytest.fixture
def import_sample(state, tmp_path: Path):
    def load(name: str):
        path = write_sample(name, tmp_path / "samples" / name)
        return state.vault.import_draft(prepare_import(read_draft_file(path)), path.parent)

    return load


@pytest.fixture
def open_window(qtbot, state):
    from ombuds_desktop.ui.draft_window import DraftWindow

    def make(draft):
        window = DraftWindow(
            state.vault,
            state.vault.load_draft(draft.id),
            load_edition(),
            state.settings,
            app_state=state,
        )
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    return make
