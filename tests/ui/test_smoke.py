"""`ombuds-desktop gui --smoke`, the check every install and the frozen build run, must finish on
its own: it once waited forever on the "warnings not acknowledged" question nobody could answer."""

from __future__ import annotations

import os
import subprocess
import sys


def test_gui_smoke_finishes_and_builds_a_packet(tmp_path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)}
    run = subprocess.run(
        [sys.executable, "-m", "ombuds_desktop.cli.main", "gui", "--smoke", "--verbose"],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    out = run.stdout + run.stderr
    assert "packet built" in out and "smoke: OK" in out
