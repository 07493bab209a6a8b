"""The CLI tests compare bytes: the root ``cli`` runner (tests/conftest.py), bytes output."""

from __future__ import annotations

import functools
from collections.abc import Callable

import pytest

from ombuds_desktop.cli.testing import run_cli


@pytest.fixture
def cli() -> Callable[..., object]:
    return functools.partial(run_cli, text=False)
