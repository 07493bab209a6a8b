"""Build the app with build.spec and check the frozen folder (scripts/build-app does both).

This runs in the normal suite (`./dev test`, hence CI).  It never skips: if the machine lacks
something the build or the frozen app needs, scripts/build-app exits non-zero with the reason,
and this test fails showing it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUILD_APP = ROOT / "scripts" / "build-app"


@pytest.mark.slow
def test_build_and_check_frozen_app(tmp_path: Path) -> None:
    assert BUILD_APP.is_file(), f"{BUILD_APP} is missing"
    assert os.access(BUILD_APP, os.X_OK), f"{BUILD_APP} is not executable"
    out_dir = tmp_path / "out"  # dist/ and build/ go here, never into the checkout

    started = time.monotonic()
    try:
        proc = subprocess.run(
            [str(BUILD_APP), str(out_dir)],
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=30 * 60,
        )
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"scripts/build-app did not finish in 30 minutes:\n{exc.output or ''}")
    elapsed = time.monotonic() - started
    output = proc.stdout

    tail = "\n".join(output.splitlines()[-60:])
    assert proc.returncode == 0, (
        f"scripts/build-app exited {proc.returncode} after {elapsed:.0f} s:\n{tail}"
    )
    # Every check the script makes reports itself; make sure none was silently left out.
    for check in (
        "--version",
        "--help lists every command group",
        "sample --list",
        "validate vawa-self",
        "validate mistakes",
        "validate holidays",
        "packet:",
        "gui --smoke, offscreen",
        "gui --smoke, xcb under Xvfb",
        "vault init with the OS keyring",
        "install-desktop-entry",
        "folder contents",
    ):
        assert f"build-app: ok: {check}" in output, f"check '{check}' did not run:\n{tail}"
    size = re.search(r"^build-app: size: (\d+) MiB .*budget (\d+) MiB", output, re.M)
    assert size, f"no size line:\n{tail}"
    assert int(size.group(1)) <= int(size.group(2))
    app = out_dir / "dist" / "ombuds-desktop" / "ombuds-desktop"
    assert app.is_file() and os.access(app, os.X_OK)
    print(
        f"frozen build: {size.group(1)} MiB (budget {size.group(2)} MiB), "
        f"build + checks {elapsed:.0f} s"
    )
    shutil.rmtree(out_dir, ignore_errors=True)  # ~240 MB; kept only when the test fails
