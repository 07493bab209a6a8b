"""The packaging tests build the frozen app; they are slow (about a minute) but always run."""

from __future__ import annotations


def pytest_configure(config) -> None:
    config.addinivalue_line(
        "markers",
        "slow: builds the PyInstaller folder (~1 min). `./dev test` and CI run it; deselect "
        "locally with -m 'not slow'.",
    )
