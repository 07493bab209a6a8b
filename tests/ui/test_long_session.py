"""The long session (see long_session.py) as a test, in its own process.

``OMBUDS_LONG_SESSION_PYTHON=/path/to/python`` runs it with another interpreter (it
needs the project installed there), e.g. to try Python 3.12 and 3.13 side by side;
``OMBUDS_LONG_SESSION_CHARS`` changes how much is typed (at least 20,000 in CI).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).with_name("long_session.py")


@pytest.mark.slow
def test_a_long_session_types_20000_characters_without_a_warning(tmp_path):
    python = os.environ.get("OMBUDS_LONG_SESSION_PYTHON") or sys.executable
    chars = max(20000, int(os.environ.get("OMBUDS_LONG_SESSION_CHARS", "20000")))
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", TMPDIR=str(tmp_path))
    done = subprocess.run(
        [python, str(SCRIPT), "--chars", str(chars)],
        capture_output=True,
        text=True,
        timeout=900,
        env=env,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    assert lines, f"the session died (exit {done.returncode}):\n{done.stderr[-4000:]}"
    result = json.loads(lines[-1])
    assert result["problems"] == [], "\n".join(result["problems"])
    assert done.returncode == 0, done.stderr[-4000:]
    assert result["typed"] >= chars
    assert result["fields_checked"] >= 20
