"""The first-run profile is checked like Section 10; closing the lock screen quits."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from ombuds_desktop.ui.home import HomeWindow
from ombuds_desktop.ui.settings import ProfileDialog, edit_profile

from .modals import ModalDriver


def fill(qtbot, line, text: str) -> None:
    line.setFocus()
    line.selectAll()
    qtbot.keyClicks(line, text)


def save_button(dialog: ProfileDialog):
    box = dialog.findChild(QDialogButtonBox)
    return box.button(QDialogButtonBox.StandardButton.Save)


def test_profile_with_a_bad_zip_and_email_is_not_saved(qtbot, state):
    """Typed as on first run: the dialog stays open and says what is wrong; fixed, it saves."""
    dialog = ProfileDialog(None)
    qtbot.addWidget(dialog)
    dialog.show()
    for line, text in (
        (dialog.name, "Dana Whitfield"),
        (dialog.organization, "Whitfield Law PLLC"),
        (dialog.street, "100 Example Street"),
        (dialog.city, "Boston"),
        (dialog.state, "MA"),
        (dialog.zip, "1027"),
        (dialog.phone, "(617) 555-0143"),
        (dialog.email, "dana@whitfieldlaw"),
    ):
        fill(qtbot, line, text)
    driver = ModalDriver()
    try:
        qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(driver.seen), timeout=5000)
    finally:
        driver.stop()
    text = driver.texts()
    assert "not saved" in text
    assert '"1027" is not' in text and "ZIP" in text
    assert '"dana@whitfieldlaw" is not a usable e-mail address' in text
    assert dialog.isVisible() and dialog.result() == 0

    fill(qtbot, dialog.zip, "02108")
    fill(qtbot, dialog.email, "dana@whitfieldlaw.example")
    qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)
    assert dialog.result() == 1  # accepted
    saved = state.vault.save_profile(dialog.result_profile())
    assert saved.address["postal_code"] == "02108"


def test_a_profile_with_only_a_name_is_fine(qtbot, state, monkeypatch):
    from ombuds_desktop.ui import settings

    def run(self):
        self.show()
        fill(qtbot, self.name, "Samuel Okafor-Reyes")
        qtbot.mouseClick(save_button(self), Qt.MouseButton.LeftButton)
        return self.result()

    monkeypatch.setattr(settings.ProfileDialog, "exec", run)
    profile = edit_profile(None, state, None)
    assert profile is not None and profile.name == "Samuel Okafor-Reyes"


@pytest.fixture
def quits(monkeypatch):
    """Calls of QApplication.quit (the test's application must keep running)."""
    from ombuds_desktop.ui import lock

    calls: list[int] = []
    monkeypatch.setattr(lock.QApplication, "quit", staticmethod(lambda: calls.append(1)))
    return calls


@pytest.fixture
def home(qtbot, state):
    """The drafts window, on screen, with Ctrl+L wired to the lock as run_app wires it."""
    window = HomeWindow(state)
    state.home = window
    window.lock_requested.connect(state.lock)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.windowHandle().isExposed(), timeout=2000)
    return window


def test_closing_the_lock_screen_quits_the_app(qtbot, state, home, quits):
    state.lock()
    screen = state.lock_screen
    qtbot.waitUntil(lambda: not home.isVisible(), timeout=2000)  # once the lock is on screen
    # Not left to "quit on last window closed": another top-level window (the hidden
    # drafts window, a tool tip) keeps that from firing, as it did on X11.
    screen.close()  # the window's close button
    assert quits == [1]
    assert state.locked and state.vault is None


def test_unlocking_closes_the_lock_screen_without_quitting(qtbot, state, home, quits):
    from .conftest import PASSPHRASE

    state.lock()
    screen = state.lock_screen
    qtbot.keyClicks(screen.passphrase, PASSPHRASE)
    qtbot.keyClick(screen.passphrase, Qt.Key.Key_Return)
    assert not state.locked and home.isVisible()
    qtbot.waitUntil(lambda: not screen.isVisible(), timeout=2000)  # once home is on screen
    assert quits == []


def test_ctrl_l_keeps_a_window_on_screen_and_shows_no_client(qtbot, state, import_sample, home):
    """Ctrl+L while searching: the drafts window goes only once the lock screen is on
    screen. Hiding it first left seconds (a busy window manager maps a new window late) with
    no window of ours, where a wheel turn fell through to the desktop and switched virtual
    desktops, so the lock screen opened out of sight (the GUI monkey, seed 23)."""
    from PySide6.QtCore import QEvent, QObject

    import_sample("vawa-self")
    seen: dict[str, object] = {}

    class Watch(QObject):
        def eventFilter(self, watched, event):  # noqa: N802 - Qt override
            if event.type() == QEvent.Type.Hide and "home hidden" not in seen:
                screen = getattr(state, "lock_screen", None)
                handle = screen.windowHandle() if screen is not None else None
                seen["home hidden"] = handle is not None and handle.isExposed()
                seen["locked"] = state.locked and state.vault is None
                seen["rows"] = home.model.rowCount()
                seen["search"] = home.search.text()
                seen["heading"] = home.heading.text()
            return False

    watch = Watch()
    home.installEventFilter(watch)
    qtbot.keyClick(home, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(home.search, "Nguy")
    qtbot.waitUntil(lambda: home.model.rowCount() == 1, timeout=2000)
    qtbot.keyClick(home.search, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(home.search, "555-0100")
    qtbot.keyClick(home.search, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert state.locked and state.vault is None
    screen = state.lock_screen
    qtbot.addWidget(screen)
    qtbot.waitUntil(lambda: not home.isVisible(), timeout=2000)
    # When the drafts window went, the lock screen was already on screen; up to then the
    # drafts window showed nothing of any client, with the vault closed.
    assert seen == {
        "home hidden": True,
        "locked": True,
        "rows": 0,
        "search": "",
        "heading": "",
    }
    qtbot.wait(300)  # the search timer, had it survived, would fire now
    assert screen.isVisible() and screen.windowHandle().isExposed()
    assert not home.isVisible() and home.model.rowCount() == 0

    # Unlocking: the lock screen goes only once the drafts window is back on screen.
    from .conftest import PASSPHRASE

    class WatchLock(QObject):
        def eventFilter(self, watched, event):  # noqa: N802 - Qt override
            if event.type() == QEvent.Type.Hide and "lock hidden" not in seen:
                seen["lock hidden"] = home.isVisible() and home.windowHandle().isExposed()
            return False

    watch_lock = WatchLock()
    screen.installEventFilter(watch_lock)
    qtbot.keyClicks(screen.passphrase, PASSPHRASE)
    qtbot.keyClick(screen.passphrase, Qt.Key.Key_Return)
    assert not state.locked and state.vault is not None
    # While it waits, a second press of Unlock opens nothing again.
    vault = state.vault
    assert not screen.button.isEnabled() and not screen.passphrase.isEnabled()
    assert screen.unlock() and state.vault is vault
    qtbot.waitUntil(lambda: not screen.isVisible(), timeout=2000)
    assert seen["lock hidden"] is True
    assert home.isVisible() and home.model.rowCount() == 1


def test_a_lock_screen_not_yet_on_screen_leaves_the_emptied_drafts_window_up(qtbot, state, home):
    """Until the window manager shows the lock screen, the drafts window stays, emptied."""
    qtbot.waitUntil(lambda: home.windowHandle().isExposed(), timeout=2000)
    from ombuds_desktop.ui import lock

    # A window manager that has not got to the new window yet: no expose arrives.
    late: list[lock.LockScreen] = []

    def held_back(self):
        late.append(self)

    original = lock.LockScreen._announce
    lock.LockScreen._announce = held_back
    try:
        state.lock()
        qtbot.wait(200)
        assert home.isVisible() and home.model.rowCount() == 0
        assert "locked" in home.empty.text() and not home.act_new.isEnabled()
        original(state.lock_screen)  # the window manager catches up
    finally:
        lock.LockScreen._announce = original
    qtbot.addWidget(state.lock_screen)
    assert late and not home.isVisible()


def test_a_drafts_window_that_never_comes_on_screen_does_not_keep_the_lock_up(
    qtbot, state, home, quits, monkeypatch
):
    """After unlocking, the lock screen waits for the drafts window to be on screen, but not
    for ever: minimized (or on another desktop) it may never be exposed."""
    from PySide6.QtGui import QWindow

    from ombuds_desktop.ui import lock

    from .conftest import PASSPHRASE

    monkeypatch.setattr(lock.LockScreen, "WAIT_FOR_DRAFTS_MS", 300)
    state.lock()
    screen = state.lock_screen
    qtbot.waitUntil(lambda: not home.isVisible(), timeout=2000)
    # A window manager that keeps the drafts window off screen: never exposed.
    monkeypatch.setattr(QWindow, "isExposed", lambda self: self is screen.windowHandle())
    qtbot.keyClicks(screen.passphrase, PASSPHRASE)
    qtbot.keyClick(screen.passphrase, Qt.Key.Key_Return)
    assert not state.locked and screen.isVisible() and not screen.button.isEnabled()
    qtbot.waitUntil(lambda: not screen.isVisible(), timeout=3000)
    assert quits == [] and state.vault is not None
