"""The long session (see long_session.py) as a test, in its own process.

``OMBUDS_LONG_SESSION_PYTHON=/path/to/python`` runs it with another interpreter (it
needs the project installed there); ``OMBUDS_LONG_SESSION_CHARS`` changes how much is
typed (at least 20,000 in CI).  tests/packaging/test_wheel.py runs it too, with the other
supported Python and the app installed from the wheel.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).with_name("long_session.py")
MIN_CHARS = 20000


def run_long_session(python: str, tmp_path: Path, env: dict[str, str] | None = None) -> dict:
    """Run the session with ``python``; its result, after asserting it went well."""
    chars = max(MIN_CHARS, int(os.environ.get("OMBUDS_LONG_SESSION_CHARS", str(MIN_CHARS))))
    env = dict(env or os.environ, QT_QPA_PLATFORM="offscreen", TMPDIR=str(tmp_path))
    done = subprocess.run(
        [python, str(SCRIPT), "--chars", str(chars)],
        capture_output=True,
        text=True,
        timeout=900,
        env=env,
        cwd=tmp_path,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    assert lines, f"the session died (exit {done.returncode}):\n{done.stderr[-4000:]}"
    result = json.loads(lines[-1])
    assert result["problems"] == [], "\n".join(result["problems"])
    assert done.returncode == 0, done.stderr[-4000:]
    assert result["typed"] >= chars
    assert result["fields_checked"] >= 20
    return result


@pytest.mark.slow
def test_a_long_session_types_20000_characters_without_a_warning(tmp_path):
    python = os.environ.get("OMBUDS_LONG_SESSION_PYTHON") or sys.executable
    run_long_session(python, tmp_path)
