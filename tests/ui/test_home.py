"""The drafts home: list, search, trash and restore, family duplicate, lock and unlock."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from ombuds_desktop.ui import home as home_module
from ombuds_desktop.ui.home import HomeWindow
from ombuds_desktop.vault import VaultError

from .conftest import PASSPHRASE


@pytest.fixture
def home(qtbot, state, import_sample):
    for name in ("vawa-self", "attorney-employer", "family-parent", "family-child-a"):
        import_sample(name)
    window = HomeWindow(state)
    state.home = window
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.close()


def clients(window) -> list[str]:
    return sorted(window.proxy.index(r, 0).data() for r in range(window.proxy.rowCount()))


def test_lists_drafts_and_searches_as_you_type(qtbot, home):
    assert clients(home) == [
        "Amina Haddad",
        "Brightline Robotics LLC",
        "Thị Ánh Nguyễn",
        "Yusuf Haddad",
    ]
    qtbot.keyClicks(home.search, "WAC25")
    qtbot.waitUntil(lambda: clients(home) == ["Brightline Robotics LLC"], timeout=2000)
    home.search.clear()
    qtbot.keyClicks(home.search, "nobody at all")
    qtbot.waitUntil(lambda: home.views.currentIndex() == 1, timeout=2000)
    assert "No draft matches" in home.empty.text()


def test_empty_vault_shows_a_helpful_empty_state(qtbot, state):
    window = HomeWindow(state)
    qtbot.addWidget(window)
    assert window.views.currentIndex() == 1
    assert "Ctrl+N" in window.empty.text()


def test_delete_to_trash_and_restore(qtbot, home, monkeypatch):
    monkeypatch.setattr(home_module, "confirm", lambda *a, **k: True)
    home.search.setText("Brightline")
    home.refresh()
    home.table.selectRow(0)
    home.delete_selected()
    home.search.clear()
    home.refresh()
    assert "Brightline Robotics LLC" not in clients(home)
    home.act_trash.setChecked(True)
    home.toggle_trash()
    assert clients(home) == ["Brightline Robotics LLC"]
    home.table.selectRow(0)
    home.restore_selected()
    home.act_trash.setChecked(False)
    home.toggle_trash()
    assert "Brightline Robotics LLC" in clients(home)


def test_duplicate_for_family_member_links_the_group(qtbot, home):
    home.search.setText("Nguyễn")
    home.refresh()
    home.table.selectRow(0)
    original = home.selected_id()
    window = home.open_draft(original)
    window.close()
    home.duplicate_selected()
    twin_id = next(i for i in home.windows)
    twin = home.state.vault.load_draft(twin_id)
    first = home.state.vault.load_draft(original)
    assert twin.family_group and twin.family_group == first.family_group
    assert twin.values.get("s5.address") == first.values["s5.address"]
    assert "s5.name" not in twin.values
    home.windows[twin_id].close()


def test_new_draft_opens_the_wizard(qtbot, home):
    home.new_draft()
    assert len(home.windows) == 1
    window = next(iter(home.windows.values()))
    assert window.current_id == "app"
    window.close()
    assert not home.windows


def test_lock_hides_everything_and_passphrase_unlocks(qtbot, state, home):
    window = home.open_draft(home.proxy.index(0, 0).data(Qt.ItemDataRole.UserRole))
    window.draft.values["s5.phone"] = "(217) 555-0199"
    window.dirty = True
    state.lock()
    assert state.vault is None and state.locked
    assert home.model.rowCount() == 0 and not home.windows
    qtbot.waitUntil(lambda: not home.isVisible(), timeout=2000)  # once the lock is on screen
    with pytest.raises(VaultError, match="locked"):  # an action outliving the lock says so
        state.unlocked_vault()
    screen = state.lock_screen
    qtbot.addWidget(screen)
    screen.passphrase.setText("not the passphrase")
    assert not screen.unlock()
    assert "does not open" in screen.problem.text()
    screen.passphrase.setText(PASSPHRASE)
    assert screen.unlock()
    assert state.vault is not None and home.isVisible() and home.model.rowCount() == 4
    saved = state.vault.load_draft(window.draft.id)
    assert saved.values["s5.phone"] == "(217) 555-0199"  # saved before locking


def test_the_list_shows_client_forms_and_receipts_computed_at_each_save(qtbot, state, home):
    """Storage stores what the app describes at each save (it reads no form definition):
    after unlocking as the lock screen does, a saved change shows in the list."""
    state.lock()
    screen = state.lock_screen
    qtbot.addWidget(screen)
    screen.passphrase.setText(PASSPHRASE)
    assert screen.unlock()
    home.search.setText("Nguyễn")
    home.refresh()
    assert [home.proxy.index(0, c).data() for c in range(3)] == [
        "Thị Ánh Nguyễn",
        "I-360 EAC2490012345",
        "Ready",
    ]
    draft = state.vault.load_draft(home.proxy.index(0, 0).data(Qt.ItemDataRole.UserRole))
    draft.values["s5.name"] = {"family": "Nguyễn", "given": "Lan", "middle": ""}
    draft.values["s3.filings"][0]["receipt_number"] = "EAC2490054321"
    state.vault.save_draft(draft)
    home.search.setText("EAC2490054321")
    home.refresh()
    assert [home.proxy.index(0, c).data() for c in range(2)] == [
        "Lan Nguyễn",
        "I-360 EAC2490054321",
    ]
    assert state.vault.summary(draft.id).receipts == ("EAC2490054321",)


def test_idle_lock_uses_the_wall_clock(qtbot, state, home):
    state.settings.set("idle_lock_minutes", 1)
    state.activity.last_input -= 30
    state.check_idle()
    assert not state.locked
    state.activity.last_input -= 31
    state.check_idle()
    assert state.locked
    qtbot.addWidget(state.lock_screen)


def test_clipboard_is_cleared_only_if_it_still_holds_our_copy(qtbot, qapp, state):
    clipboard = qapp.clipboard()
    clipboard.setText("A201-555-014")
    state._clip_text = "A201-555-014"  # what _clipboard_changed records for a copy made here
    state.clear_clipboard()
    assert clipboard.text() == ""
    clipboard.setText("something the user copied in another program")
    state._clip_text = "ours"
    state.clear_clipboard()
    assert clipboard.text() == "something the user copied in another program"


def test_a_copy_made_in_the_app_is_cleared_after_the_timeout(qtbot, qapp, state, home):
    state.settings.set("clipboard_clear_seconds", 1)
    state.watch_clipboard()
    home.search.setFocus()
    qapp.clipboard().setText("EAC2490012345")
    qtbot.waitUntil(lambda: state._clip_text == "EAC2490012345", timeout=2000)
    qtbot.waitUntil(lambda: qapp.clipboard().text() == "", timeout=4000)


def test_screen_lock_signal_locks_the_app(qtbot, state, home):
    """A screen saver's ActiveChanged(true) on the session bus locks at once."""
    from PySide6.QtDBus import QDBusConnection, QDBusMessage

    bus = QDBusConnection.sessionBus()
    if not bus.isConnected():
        pytest.skip("no D-Bus session bus here; ./dev test and CI run inside one")
    assert "org.freedesktop.ScreenSaver" in state.session.start()
    message = QDBusMessage.createSignal(
        "/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver", "ActiveChanged"
    )
    message.setArguments([False])
    assert bus.send(message)
    qtbot.wait(300)
    assert not state.locked  # the screen saver going off is not a reason to lock
    message = QDBusMessage.createSignal(
        "/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver", "ActiveChanged"
    )
    message.setArguments([True])
    assert bus.send(message)
    qtbot.waitUntil(lambda: state.locked, timeout=5000)
    qtbot.addWidget(state.lock_screen)


# ---------------------------------------------------------------- import boundary (issue 10)


def _draft_naming_outside_file(tmp_path):
    """A sample draft file whose first attachment is moved to a folder of its own."""
    from ombuds_desktop.draft import dumps, read_draft_file, resolve_attachment_path
    from ombuds_desktop.samples import write_sample

    src = write_sample("vawa-self", tmp_path / "received" / "vawa")
    draft = read_draft_file(src)
    inside = resolve_attachment_path(draft.attachments[0], src.parent)
    outside = tmp_path / "elsewhere" / "statement.pdf"
    outside.parent.mkdir()
    outside.write_bytes(inside.read_bytes())
    draft.attachments[0].path = str(outside)
    src.write_text(dumps(draft), encoding="utf-8")
    return src, outside


def _finish(qtbot, op) -> None:
    from ombuds_desktop.ui.operations import Operation

    if op is not None:
        qtbot.waitUntil(lambda: not Operation._running, timeout=20000)
        qtbot.wait(100)


def _errors(monkeypatch) -> list[str]:
    """Error boxes, recorded instead of shown (old code showed one and waited forever)."""
    errors: list[str] = []
    monkeypatch.setattr(home_module, "show_error", lambda _p, _t, msg: errors.append(str(msg)))
    return errors


def test_import_lists_outside_files_and_cancel_imports_nothing(qtbot, home, tmp_path, monkeypatch):
    from .modal import answer

    errors = _errors(monkeypatch)

    src, outside = _draft_naming_outside_file(tmp_path)
    before = len(home.state.vault.list_drafts())
    seen: list[str] = []
    answer(qtbot, "Files outside the draft's folder", "Cancel", seen)
    op = home.import_path(src)
    _finish(qtbot, op)
    assert op is None and errors == []
    assert seen and str(outside) in seen[0]
    assert len(home.state.vault.list_drafts()) == before


def test_import_with_these_files_reads_them_into_the_vault(qtbot, home, tmp_path, monkeypatch):
    from ombuds_desktop.vault import blob_id_of

    from .modal import answer

    errors = _errors(monkeypatch)

    src, outside = _draft_naming_outside_file(tmp_path)
    before = {d.id for d in home.state.vault.list_drafts()}
    seen: list[str] = []
    answer(qtbot, "Files outside the draft's folder", "Import with these files", seen)
    _finish(qtbot, home.import_path(src))
    assert errors == [] and seen and str(outside) in seen[0]
    new = [d for d in home.state.vault.list_drafts() if d.id not in before]
    assert len(new) == 1
    stored = home.state.vault.load_draft(new[0].id).attachments[0]
    assert home.state.vault.read_attachment(blob_id_of(stored)) == outside.read_bytes()


def test_import_inside_the_folder_asks_nothing(qtbot, home, tmp_path, monkeypatch):
    from ombuds_desktop.samples import write_sample

    asked: list[str] = []
    monkeypatch.setattr(home_module, "confirm", lambda *a, **k: asked.append(a[1]) or False)
    before = len(home.state.vault.list_drafts())
    _finish(qtbot, home.import_path(write_sample("vawa-self", tmp_path / "ok" / "vawa")))
    assert asked == []
    assert len(home.state.vault.list_drafts()) == before + 1


def test_import_refuses_a_fifo_without_asking(qtbot, home, tmp_path, monkeypatch):
    import os

    from ombuds_desktop.draft import dumps, read_draft_file

    src, _outside = _draft_naming_outside_file(tmp_path)
    draft = read_draft_file(src)
    os.mkfifo(src.parent / "pipe.pdf")
    draft.attachments[0].path = "pipe.pdf"
    src.write_text(dumps(draft), encoding="utf-8")
    asked: list[str] = []
    errors = _errors(monkeypatch)
    monkeypatch.setattr(home_module, "confirm", lambda *a, **k: asked.append(a[1]) or True)
    before = len(home.state.vault.list_drafts())
    _finish(qtbot, home.import_path(src))
    assert asked == [] and "named pipe" in errors[0] and "pipe.pdf" in errors[0]
    assert len(home.state.vault.list_drafts()) == before


# ------------------------------------------------------------------ purge with a reader


def _all_ids(state) -> list[str]:
    vault = state.vault
    return [s.id for s in vault.list_drafts() + vault.list_drafts(trash=True)]


def _trash_and_select(qtbot, home, client: str, seen: list[str]) -> str:
    """Move ``client``'s draft to the trash (confirming as a user does) and select it there."""
    from .modal import answer

    home.act_trash.setChecked(False)
    home.toggle_trash()
    home.search.setText(client)
    home.refresh()
    home.table.selectRow(0)
    draft_id = home.selected_id()
    answer(qtbot, "Move to the trash?", "Move to trash", seen)
    home.act_delete.trigger()  # as from the File menu
    home.search.clear()
    home.act_trash.setChecked(True)
    home.toggle_trash()
    home.table.selectRow(0)
    assert home.selected_id() == draft_id
    assert home.act_purge.isEnabled()
    return draft_id


def test_purge_while_another_program_reads_the_vault_never_freezes(qtbot, home, state):
    """A second connection holding a read snapshot used to make the purge wait out SQLite's
    busy timeout twice (~20 s) on the UI thread; now the window keeps painting and says
    truthfully what happened: purged, the journal is wiped later."""
    import sqlite3
    import time

    from PySide6.QtCore import QTimer

    from ombuds_desktop.vault import paths

    from .modal import answer

    seen: list[str] = []
    gone = _trash_and_select(qtbot, home, "Brightline", seen)
    reader = sqlite3.connect(paths.db_path(state.vault.data_dir))
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM revisions").fetchone()  # holds a snapshot

    ticks: list[float] = [time.monotonic()]
    timer = QTimer(interval=50)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start()
    notes: list[str] = []
    try:
        answer(qtbot, "Purge for good?", "Purge for good", seen)
        answer(qtbot, "purgeJournalNote", "OK", notes)
        home.act_purge.trigger()  # as from the File menu
        qtbot.waitUntil(lambda: bool(notes), timeout=15000)
        ticks.append(time.monotonic())
    finally:
        timer.stop()
        reader.rollback()
        reader.close()
    gaps = [b - a for a, b in zip(ticks, ticks[1:], strict=False)]
    assert max(gaps) < 1.0, f"the window froze for {max(gaps):.1f} s"
    assert "Purged" in notes[0] and "another program" in notes[0]
    assert gone not in _all_ids(state)
    assert clients(home) == []  # the trash list no longer shows it

    # The reader is gone: the next purge wipes the journal too, with no note.
    other = _trash_and_select(qtbot, home, "Amina", seen)
    home.statusBar().clearMessage()
    answer(qtbot, "Purge for good?", "Purge for good", seen)
    home.act_purge.trigger()
    qtbot.waitUntil(lambda: "Purged" in home.statusBar().currentMessage(), timeout=15000)
    assert other not in _all_ids(state)
    assert len(notes) == 1
    wal = paths.db_path(state.vault.data_dir).with_name("vault.sqlite3-wal")
    assert not wal.exists() or wal.stat().st_size == 0
