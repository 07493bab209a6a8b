"""The keyring daemon stops while a draft is open (a crashed or logged-out keyring).

The test runs its own D-Bus session bus and GNOME keyring, so it can stop exactly the
daemon it started (by its process id) without touching anyone else's.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from ombuds_desktop.formdef import load_edition

from .conftest import type_text
from .modals import ModalDriver

pytestmark = pytest.mark.skipif(
    not (shutil.which("dbus-daemon") and shutil.which("gnome-keyring-daemon")),
    reason="needs dbus-daemon and gnome-keyring-daemon",
)


BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=/tmp</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


class PrivateKeyring:
    """A session bus and a keyring daemon of our own, started and stopped by pid."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        # A bus without service activation: a stopped keyring stays stopped (the stock
        # session bus would start a new, locked one that waits on an unlock prompt).
        config = folder.parent / "bus.conf"
        config.write_text(BUS_CONFIG, encoding="utf-8")
        self.bus = subprocess.Popen(
            ["dbus-daemon", f"--config-file={config}", "--nofork", "--print-address=1"],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.bus.stdout is not None
        self.address = self.bus.stdout.readline().strip()
        self.keyring: subprocess.Popen | None = None

    def env(self) -> dict[str, str]:
        return dict(
            os.environ, DBUS_SESSION_BUS_ADDRESS=self.address, XDG_DATA_HOME=str(self.folder)
        )

    def start_keyring(self) -> None:
        self.keyring = subprocess.Popen(
            ["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=self.env(),
        )
        assert self.keyring.stdin is not None
        self.keyring.stdin.write(b"test-pass")
        self.keyring.stdin.close()
        time.sleep(1.0)  # it registers on the bus

    def stop_keyring(self) -> None:
        if self.keyring is not None and self.keyring.poll() is None:
            self.keyring.terminate()
            self.keyring.wait(10)

    def close(self) -> None:
        self.stop_keyring()
        self.bus.terminate()
        self.bus.wait(10)


@pytest.fixture
def private_keyring(tmp_path, monkeypatch):
    (tmp_path / "xdg").mkdir()
    ring = PrivateKeyring(tmp_path / "xdg")
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", ring.address)
    monkeypatch.setenv("XDG_DATA_HOME", str(ring.folder))
    ring.start_keyring()
    yield ring
    ring.close()


@pytest.mark.slow
def test_stopping_the_keyring_while_a_draft_is_open(qtbot, tmp_path, private_keyring):
    from ombuds_desktop.draft.model import Draft
    from ombuds_desktop.ui.app import AppState, Settings, describe_for_list
    from ombuds_desktop.ui.draft_window import DraftWindow
    from ombuds_desktop.ui.home import HomeWindow
    from ombuds_desktop.vault import Vault

    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    state = AppState(tmp_path / "data", settings)
    # the key goes into our keyring
    state.vault, _code = Vault.create(state.data_dir, describe=describe_for_list)
    assert state.vault.protection == "keyring"
    home = HomeWindow(state)
    state.home = home
    qtbot.addWidget(home)
    draft = Draft(form=load_edition().key)
    state.vault.save_draft(draft)
    window = DraftWindow(state.vault, state.vault.load_draft(draft.id), load_edition(), settings)
    home.windows[draft.id] = window
    window.closed.connect(home._window_closed)
    window.show()
    section = load_edition().section_of("s2.explanation")
    window.nav.setCurrentRow(window.page_ids.index(section))
    page = window.pages[window.page_ids.index(section)]
    box = next(r for r in page.rows if r.field.id == "s2.explanation").editor.text
    box.setFocus()
    type_text(qtbot, box, "Typed before the keyring stopped. ")

    private_keyring.stop_keyring()
    type_text(qtbot, box, "And after it stopped.")
    assert window.save_now(), window.save_state.text()  # the open vault needs no keyring
    assert "After it stopped" not in state.vault.load_draft(draft.id).values["s2.explanation"]
    assert state.vault.load_draft(draft.id).values["s2.explanation"].endswith("after it stopped.")

    driver = ModalDriver()
    try:
        state.lock()
        screen = state.lock_screen
        assert not screen.unlock()  # no keyring to read the key from
        qtbot.waitUntil(lambda: bool(driver.seen), timeout=5000)
    finally:
        driver.stop()
    message = driver.texts()
    assert "keyring" in message and "recovery code" in message, message
    assert "unexpected" not in message
    assert state.locked and screen.isVisible()  # the app is still up, still locked

    private_keyring.start_keyring()  # the keyring is back (logged in again)
    assert screen.unlock()
    assert not state.locked
    saved = state.vault.load_draft(draft.id).values["s2.explanation"]
    assert saved == "Typed before the keyring stopped. And after it stopped."
