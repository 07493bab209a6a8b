"""``made_once`` (tests/conftest.py): an expensive input is made once a run, however many
callers (parallel workers) ask for it at the same time, and a failed build is not taken as
made.  The callers here are threads: each opens the lock file itself, and Linux's ``flock``
locks belong to the open file, so they exclude one another as separate processes do."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest


def test_callers_at_the_same_time_share_one_build(made_once: Callable[..., Path]) -> None:
    name = f"shared-{uuid.uuid4().hex}"
    builds: list[int] = []
    got: list[Path] = []

    def make(folder: Path) -> None:
        builds.append(1)
        time.sleep(0.3)  # long enough for every other caller to arrive and wait
        (folder / "input.txt").write_text("made", encoding="utf-8")

    def call() -> None:
        got.append(made_once(name, make))

    threads = [threading.Thread(target=call) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert len(builds) == 1
    assert len(got) == 4 and len(set(got)) == 1
    assert (got[0] / "input.txt").read_text(encoding="utf-8") == "made"
    assert made_once(name, make) == got[0] and len(builds) == 1  # later callers too


def test_a_failed_build_is_made_again(made_once: Callable[..., Path]) -> None:
    name = f"flaky-{uuid.uuid4().hex}"

    def broken(folder: Path) -> None:
        (folder / "half.txt").write_text("half", encoding="utf-8")
        raise RuntimeError("producer missing")

    with pytest.raises(RuntimeError, match="producer missing"):
        made_once(name, broken)

    def good(folder: Path) -> None:
        (folder / "input.txt").write_text("made", encoding="utf-8")

    folder = made_once(name, good)
    assert sorted(p.name for p in folder.iterdir()) == ["input.txt"]  # no half-made leftovers
