"""Helpers shared by the vault tests (imported by conftest.py and the test modules).

Every client name, A-Number and file name here is invented.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import keyring.backend
from keyring.errors import KeyringLocked, PasswordDeleteError

from ombuds_desktop.cli import testing as cli_testing
from ombuds_desktop.cli.testing import CliResult
from ombuds_desktop.draft import Draft

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
FORM = "dhs-7001/2022-11"


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A dict-backed keyring; ``locked = True`` makes it raise like a locked collection."""

    # Negative: keyring never picks a test backend on its own (it scans every subclass).
    priority = -1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}
        self.locked = False

    def _check(self) -> None:
        if self.locked:
            raise KeyringLocked("Failed to unlock the collection!")

    def get_password(self, service: str, username: str) -> str | None:
        self._check()
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._check()
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self._check()
        if self.entries.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


def make_draft(
    given: str = "Maria",
    family: str = "Testperson",
    *,
    a_number: str = "A123456789",
    receipt: str = "EAC2212345678",
    form_number: str = "I-360",
    **extra: Any,
) -> Draft:
    values: dict[str, Any] = {
        "app.role": "attorney",
        "app.channel": "online",
        "s5.name": {"family": family, "given": given},
        "s5.a_number": a_number,
        "s5.address": {
            "street": "12 Hidden Lane",
            "city": "Springfield",
            "state": "IL",
            "postal_code": "62701",
            "country": "US",
        },
        "s5.phone": "+1 217 555 0100",
        "s3.filings": [{"form_number": form_number, "receipt_number": receipt, "primary": True}],
        "s7.name": {"family": "Counsel", "given": "Ada"},
        "s10.name": {"family": "Counsel", "given": "Ada"},
    }
    values.update(extra)
    return Draft(form=FORM, values=values)


def cli_env(tmp_path: Path, data_dir: Path, **extra: str) -> dict[str, str]:
    """Environment for a CLI subprocess: a file keyring, its own temp dir, the repo on the path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OMBUDS_")}
    env.update(
        {
            "PYTHONPATH": os.pathsep.join([str(REPO), str(HERE)]),
            "PYTHON_KEYRING_BACKEND": "filekeyring.FileKeyring",
            "OMBUDS_TEST_KEYRING_FILE": str(tmp_path / "keyring.json"),
            "OMBUDS_DATA_DIR": str(data_dir),
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    env.update(extra)
    return env


def run_cli(
    env: dict[str, str], *args: str, input: str | None = None, timeout: float = 120
) -> CliResult:
    """The vault CLI with exactly ``env`` (in-process: tests/conftest.py's ``cli`` runner)."""
    return cli_testing.run_cli(*args, stdin=input, env=env, replace_env=True, timeout=timeout)
