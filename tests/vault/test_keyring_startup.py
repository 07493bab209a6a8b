"""Choosing the keyring backend runs no compiler and no other program.

keyring's own detection imports every backend; its macOS backend calls
``ctypes.util.find_library`` at import, which on Linux runs ``ldconfig -p`` and gcc (leaving
files in /tmp) on every vault command.  Each case runs in a fresh interpreter, since the backend
is chosen once per process; an audit hook records every program the command starts.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .support import REPO

DRIVER = r"""
import ctypes.util, json, sys
spawned, looked_up = [], []
sys.addaudithook(lambda event, args: spawned.append(str(args[0])) if event in (
    "subprocess.Popen", "os.posix_spawn", "os.exec", "os.spawn") else None)
_find = ctypes.util.find_library
ctypes.util.find_library = lambda name: (looked_up.append(name), _find(name))[1]
from ombuds_desktop.cli.main import main
codes = [main(["--data-dir", sys.argv[2], *cmd.split()]) for cmd in sys.argv[3:]]
import keyring
with open(sys.argv[1], "w") as fh:
    json.dump({"codes": codes, "spawned": spawned, "find_library": looked_up,
               "backend": type(keyring.get_keyring()).__module__}, fh)
"""


def run_driver(tmp_path: Path, *commands: str, **env_extra: str) -> dict:
    report = tmp_path / "report.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("OMBUDS_")}
    env.pop("PYTHON_KEYRING_BACKEND", None)
    env.update({"PYTHONPATH": str(REPO), **env_extra})
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, str(report), str(tmp_path / "data"), *commands],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(report.read_text())


def _secret_service_running() -> bool:
    from keyring.backends import SecretService

    return sys.platform.startswith("linux") and bool(SecretService.Keyring.viable)


@pytest.mark.skipif(
    not _secret_service_running(), reason="no Secret Service in this session (./dev test has one)"
)
def test_vault_commands_with_the_secret_service_start_no_program(tmp_path: Path) -> None:
    code_file = tmp_path / "code.txt"
    report = run_driver(
        tmp_path, f"vault init --recovery-code-out {code_file}", "vault status", "drafts list"
    )
    assert report["codes"] == [0, 0, 0]
    assert report["backend"] == "keyring.backends.SecretService"
    assert report["find_library"] == []
    assert report["spawned"] == []


def test_a_configured_backend_is_still_honoured(tmp_path: Path) -> None:
    """PYTHON_KEYRING_BACKEND (and keyring's config file) keep keyring's own choice."""
    report = run_driver(
        tmp_path, "vault status", PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring"
    )
    assert report["backend"] == "keyring.backends.null"
