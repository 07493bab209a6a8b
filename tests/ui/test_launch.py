"""``run_app``: the drafts window appears first, then the vault is unlocked behind it.

The app runs in its own process (as a user starts it): its event loop and
quit must not touch the test session's shared QApplication.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from ombuds_desktop.draft import read_draft_file
from ombuds_desktop.samples import write_sample

REAL_KEYRING = not isinstance(keyring.get_keyring(), fail.Keyring)

SCRIPT = r"""
import json, sys
from PySide6.QtCore import QTimer
from ombuds_desktop.ui import app as app_module

seen, states = {}, []
original_unlock = app_module.AppState.unlock

def unlock(self, parent=None):
    states.append(self)
    seen["window shown before unlock"] = self.home is not None and self.home.isVisible()
    seen["text while unlocking"] = self.home.empty.text()
    return original_unlock(self, parent)

app_module.AppState.unlock = unlock
real_make_application = app_module.make_application

class StartsTheCheck:
    def __init__(self):
        self.app = real_make_application()
    def __getattr__(self, name):
        return getattr(self.app, name)
    def exec(self):
        def check_and_quit():
            try:
                seen["rows"] = states[0].home.model.rowCount()
                states[0].home.close()
            finally:
                self.app.quit()
        QTimer.singleShot(300, check_and_quit)
        QTimer.singleShot(20000, self.app.quit)  # never hang a test run
        return self.app.exec()

app_module.make_application = StartsTheCheck
seen["exit"] = app_module.run_app(sys.argv[1])
print(json.dumps(seen))
"""


@pytest.mark.skipif(
    not REAL_KEYRING, reason="needs a real Secret Service; ./dev test and CI run inside one"
)
def test_run_app_shows_the_window_then_fills_it_from_a_keyring_vault(tmp_path: Path):
    from ombuds_desktop.vault import Vault

    data = tmp_path / "data"
    vault, _code = Vault.create(data)  # key in the real (throwaway) keyring
    sample = write_sample("family-parent", tmp_path / "in")
    vault.import_draft(read_draft_file(sample), sample.parent)
    vault.close()
    env = {
        **os.environ,
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "QT_QPA_PLATFORM": "offscreen",
    }
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(data)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    seen = json.loads(proc.stdout.strip().splitlines()[-1])
    assert seen == {
        "window shown before unlock": True,
        "text while unlocking": "Unlocking your drafts…",
        "rows": 1,
        "exit": 0,
    }
