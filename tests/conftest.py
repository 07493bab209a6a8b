"""Test-wide setup: Qt offscreen, the cheap key derivation, the CLI runner, the suite's time.

- Qt runs offscreen; tests never touch the user's real data folder.
- Every test derives vault keys with cheap scrypt parameters (n=2**14, the lowest the vault
  accepts), since full-strength scrypt (128 MiB, ~0.4 s per derivation) in every UI and CLI test
  made the suite minutes slower; new wraps share one salt and derived keys are remembered in
  the process.  scrypt itself is the same code path; tests about the shipped parameters and
  random salts opt out with ``@pytest.mark.real_kdf``.
- ``cli``: the one runner of the command line (``ombuds_desktop.cli.testing.run_cli``):
  in-process by default, ``in_process=False`` for tests about the process boundary.
- The parallel run (``./dev test`` uses pytest-xdist on every core): the longest tests start
  first, so they overlap with everything else; ``made_once`` makes an expensive input (the
  real-producer corpus, the wheel) once a run, shared by every worker.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

#: Test files started first, longest first (on the 2-core machine, lightly loaded: the frozen
#: build ~65 s, the wheel 30-60 s on each of two Pythons, the typing session ~20 s; much more
#: under load).  With two workers they overlap with each other and with the rest of the suite
#: instead of ending it; every other ``slow`` test comes next, then the rest in collection order.
LONGEST_FIRST = (
    "tests/packaging/test_frozen_build.py",
    "tests/packaging/test_wheel.py",
    "tests/ui/test_long_session.py",
)


@pytest.hookimpl(trylast=True)  # after any reordering plugin (pytest-randomly)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The longest first; a stable sort, so the order is the same on every worker."""

    def rank(item: pytest.Item) -> int:
        path = item.nodeid.split("::", 1)[0]
        if path in LONGEST_FIRST:
            return LONGEST_FIRST.index(path)
        return len(LONGEST_FIRST) + (0 if item.get_closest_marker("slow") else 1)

    items.sort(key=rank)


@pytest.fixture(scope="session")
def made_once(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    """``made_once(name, make)``: the folder ``name``, filled by ``make(folder)`` once a run.

    Under pytest-xdist every worker has its own session, so a session fixture alone would make
    the same thing once per worker: the folder lives in the run's temporary folder, shared by
    the workers, and a lock makes one of them build it while the others wait for it.  A build
    that fails is not marked as made: the next caller starts again from an empty folder.
    """
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):  # basetemp is <the run's folder>/popen-gwN
        base = base.parent

    def get(name: str, make: Callable[[Path], object]) -> Path:
        folder = base / name
        with open(base / f"{name}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not (base / f"{name}.made").exists():
                shutil.rmtree(folder, ignore_errors=True)
                folder.mkdir()
                make(folder)
                (base / f"{name}.made").touch()
        return folder

    return get


#: Cheap scrypt: the vault's floor (keys.MIN_SCRYPT_N), so stored wraps are still accepted,
#: also by the app and the CLI in a separate process.
CHEAP_SCRYPT = {"n": 2**14, "r": 8, "p": 1}
#: The salt of every new wrap in a test process (see ``_cheap_kdf``).
TEST_SALT = base64.b64encode(b"ombuds-test-salt").decode()
#: (secret, parameters) -> key: scrypt is a pure function, so a derivation done once in this
#: process is reused.  Only results are kept; bad parameters raise every time.
_derived: dict[tuple[bytes, str], bytes] = {}


@pytest.fixture(autouse=True)
def _cheap_kdf(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap, remembered key derivations.

    Even at the floor a derivation costs 50-100 ms here, and the quick loop made ~460 of them
    (20 s of CPU): most are the same passphrase over and over, in a new vault each time.  So
    new wraps get one fixed salt and the derived keys are remembered.  Random salts, the
    shipped costs and scrypt itself are tested with ``@pytest.mark.real_kdf``.
    """
    if request.node.get_closest_marker("real_kdf"):
        return
    from ombuds_desktop.vault import keys

    real = keys.scrypt_kek

    def remembered(secret: bytes, params: dict[str, Any]) -> bytes:
        try:
            key = (bytes(secret), json.dumps(params, sort_keys=True))
        except (TypeError, ValueError):  # not JSON: let the vault say what is wrong
            return real(secret, params)
        if key not in _derived:
            _derived[key] = real(secret, params)
        return _derived[key]

    monkeypatch.setattr(keys, "PASSPHRASE_SCRYPT", dict(CHEAP_SCRYPT))
    monkeypatch.setattr(keys, "RECOVERY_SCRYPT", dict(CHEAP_SCRYPT))
    monkeypatch.setattr(keys, "scrypt_kek", remembered)
    monkeypatch.setattr(
        keys, "_scrypt_params", lambda base: {"kdf": "scrypt", **base, "salt": TEST_SALT}
    )


@pytest.fixture
def cli() -> Callable[..., object]:
    """``cli(*args, stdin=, env=, text=True, in_process=True)`` -> CliResult."""
    from ombuds_desktop.cli.testing import run_cli

    return run_cli


#: A modal dialog no test answers within this many seconds is closed and fails the test:
#: otherwise one unexpected "Are you sure?" hangs the whole suite (and CI) until it times out.
MODAL_GRACE_S = 30.0


@pytest.fixture(autouse=True)
def _no_unanswered_modal() -> object:
    import sys

    if "PySide6.QtWidgets" not in sys.modules:  # a test without Qt: nothing to watch
        yield
        return
    import time

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    app = QApplication.instance()
    if app is None:
        yield
        return
    seen: dict[int, float] = {}
    stuck: list[str] = []

    def check() -> None:
        modal = QApplication.activeModalWidget()
        if modal is None:
            seen.clear()
            return
        first = seen.setdefault(id(modal), time.monotonic())
        if time.monotonic() - first < MODAL_GRACE_S:
            return
        text = modal.text() if isinstance(modal, QMessageBox) else ""
        stuck.append(f"{modal.windowTitle()!r}: {text}")
        seen.pop(id(modal), None)
        modal.reject() if hasattr(modal, "reject") else modal.close()

    timer = QTimer()
    timer.setInterval(500)
    timer.timeout.connect(check)
    timer.start()
    yield
    timer.stop()
    if stuck:
        pytest.fail(
            "a modal dialog nobody answered was closed after "
            f"{MODAL_GRACE_S:.0f} s: " + "; ".join(stuck)
        )
