"""Run the real command line in a subprocess, as users and scripts do."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(sys.executable).parent / "ombuds-desktop"


def run_cli(
    *args: str, stdin: bytes | None = None, env: dict | None = None, timeout: float = 120
) -> subprocess.CompletedProcess:
    cmd = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "ombuds_desktop"]
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run(
        [*cmd, *args], input=stdin, capture_output=True, timeout=timeout, env=full_env
    )


@pytest.fixture
def cli():
    return run_cli
