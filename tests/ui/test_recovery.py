"""Nothing typed is lost to a crash: the sealed recovery record, written while typing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from ombuds_desktop.draft.model import Draft
from ombuds_desktop.formdef import load_edition

from .conftest import PASSPHRASE, type_text
from .modals import ModalDriver

CHILD = Path(__file__).with_name("typing_child.py")
FIELD = "s2.explanation"


def editor(window, field_id: str):
    section = load_edition().section_of(field_id)
    window.nav.setCurrentRow(window.page_ids.index(section))
    page = window.pages[window.page_ids.index(section)]
    return next(r for r in page.rows if r.field.id == field_id).editor


def files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


def test_steady_typing_reaches_a_sealed_record_and_a_save_drops_it(
    qtbot, state, import_sample, open_window
):
    draft = import_sample("vawa-self")
    window = open_window(draft)
    box = editor(window, FIELD).text
    box.setFocus()
    box.moveCursor(box.textCursor().MoveOperation.End)
    words = " Then a second notice went missing too"
    started = time.monotonic()
    for ch in words:  # one key every 100 ms: autosave (800 ms pause) never runs
        type_text(qtbot, box, ch)
        qtbot.wait(100)
    assert time.monotonic() - started > 2 * window.RECOVERY_MS / 1000
    saved = state.vault.load_draft(draft.id).values[FIELD]
    assert not saved.endswith("too")  # the pause never came
    found = state.vault.load_recovery(draft.id)
    assert found is not None and found.base_revision == window.revision
    assert words[:-12] in found.draft.values[FIELD]
    records = files_under(Path(state.data_dir) / "recovery")
    assert len(records) == 1
    assert b"second notice" not in records[0].read_bytes()
    assert draft.id.encode() not in records[0].name.encode()
    # The pause: autosave writes a revision and the record goes.
    qtbot.waitUntil(
        lambda: state.vault.load_draft(draft.id).values[FIELD].endswith("too"), timeout=5000
    )
    assert state.vault.load_recovery(draft.id) is None
    assert files_under(Path(state.data_dir) / "recovery") == []
    window.close()


def test_nothing_to_recover_shows_no_notice(qtbot, state, import_sample, open_window):
    draft = import_sample("vawa-self")
    loaded = state.vault.load_draft(draft.id)
    state.vault.save_recovery(loaded, state.vault.current_revision(draft.id))  # the same
    window = open_window(draft)
    assert not window.recovery_notice.isVisible()
    assert window.recovered_from is None
    assert state.vault.load_recovery(draft.id) is None
    window.close()


def test_recovered_typing_on_an_older_revision_asks_first(qtbot, state, import_sample, open_window):
    draft = import_sample("vawa-self")
    typed = state.vault.load_draft(draft.id)
    typed.values[FIELD] = "typed in a window that crashed"
    state.vault.save_recovery(typed, state.vault.current_revision(draft.id))
    elsewhere = state.vault.load_draft(draft.id)
    elsewhere.values["s2.reason_other"] = "saved by the command line"
    state.vault.save_draft(elsewhere)

    driver = ModalDriver(["Keep the saved version"])
    try:
        window = open_window(draft)
    finally:
        driver.stop()
    assert "was saved elsewhere since" in driver.texts()
    assert window.draft.values[FIELD] != "typed in a window that crashed"
    assert state.vault.load_recovery(draft.id) is None
    window.close()

    state.vault.save_recovery(typed, 1)
    driver = ModalDriver(["Use the recovered typing"])
    try:
        window = open_window(draft)
    finally:
        driver.stop()
    assert window.recovery_notice.isVisible()
    qtbot.waitUntil(lambda: not window.dirty, timeout=5000)  # saved right after opening
    assert state.vault.load_draft(draft.id).values[FIELD] == "typed in a window that crashed"
    window.close()


def test_a_purged_draft_leaves_no_record(qtbot, state):
    draft = Draft(form=load_edition().key)
    draft.values[FIELD] = "made-up words"
    state.vault.save_draft(draft)
    state.vault.save_recovery(draft, 1)
    assert len(files_under(Path(state.data_dir) / "recovery")) == 1
    state.vault.purge_draft(draft.id)
    assert files_under(Path(state.data_dir) / "recovery") == []


@pytest.mark.slow
def test_kill_9_during_steady_typing_loses_at_most_a_second(
    qtbot, state, import_sample, open_window
):
    draft = import_sample("vawa-self")
    before = state.vault.load_draft(draft.id).values[FIELD]
    interval_ms = 40  # 25 keys a second, never an 800 ms pause
    env = dict(os.environ, OMBUDS_TEST_PASSPHRASE=PASSPHRASE, QT_QPA_PLATFORM="offscreen")
    child = subprocess.Popen(
        [sys.executable, str(CHILD), str(state.data_dir), draft.id, FIELD, str(interval_ms)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    times: dict[int, float] = {}
    ready = threading.Event()

    def read() -> None:
        assert child.stdout is not None
        for line in child.stdout:
            if line.startswith("ready"):
                ready.set()
            elif line.startswith("typed "):
                times[int(line.split()[1])] = time.monotonic()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert ready.wait(60), child.stderr.read() if child.poll() is not None else "no start"
        deadline = time.monotonic() + 60
        while len(times) < 150 and time.monotonic() < deadline:  # ~6 s of typing
            time.sleep(0.05)
        assert len(times) >= 150, "the child did not type"
    finally:
        killed_at = time.monotonic()
        child.send_signal(signal.SIGKILL)
        child.wait(10)
        reader.join(10)
    assert child.returncode == -signal.SIGKILL
    typed = max(times)

    window = open_window(draft)
    assert window.recovery_notice.isVisible()
    assert "Recovered unsaved typing from" in window.recovery_notice.text()
    text = window.draft.values[FIELD]
    assert text.startswith(before)
    kept = len(text) - len(before)
    assert kept <= typed + 1
    lost = [n for n in range(kept + 1, typed + 1)]
    assert kept > 0
    # Whatever was lost was typed in the last second or so (margin for a busy machine).
    oldest_lost = min((times[n] for n in lost if n in times), default=killed_at)
    assert killed_at - oldest_lost <= 1.5, (typed, kept)
    # It is a real revision now, and the record is gone.
    qtbot.waitUntil(lambda: not window.dirty, timeout=5000)
    assert state.vault.load_draft(draft.id).values[FIELD] == text
    assert state.vault.load_recovery(draft.id) is None
    window.close()
    for path in files_under(Path(state.data_dir)):
        assert b"never arrived" not in path.read_bytes(), path.name
