"""A keyring backend for subprocess tests: secrets in a JSON file named by an env variable.

Loaded with ``PYTHON_KEYRING_BACKEND=filekeyring.FileKeyring`` (``tests/vault``
on ``PYTHONPATH``).  ``OMBUDS_TEST_KEYRING_MODE=locked`` makes it behave like a
locked Secret Service collection.  Test use only: it stores secrets in plaintext.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import KeyringLocked, PasswordDeleteError


class FileKeyring(KeyringBackend):
    # Negative: keyring never picks a test backend on its own (it scans every subclass).
    priority = -1  # type: ignore[assignment]

    def _path(self) -> Path:
        return Path(os.environ["OMBUDS_TEST_KEYRING_FILE"])

    def _check(self) -> None:
        if os.environ.get("OMBUDS_TEST_KEYRING_MODE") == "locked":
            raise KeyringLocked("Failed to unlock the collection!")

    def _load(self) -> dict[str, str]:
        try:
            return json.loads(self._path().read_text())
        except FileNotFoundError:
            return {}

    def get_password(self, service: str, username: str) -> str | None:
        self._check()
        return self._load().get(f"{service}\x00{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        self._check()
        data = self._load()
        data[f"{service}\x00{username}"] = password
        self._path().write_text(json.dumps(data))

    def delete_password(self, service: str, username: str) -> None:
        self._check()
        data = self._load()
        if data.pop(f"{service}\x00{username}", None) is None:
            raise PasswordDeleteError(username)
        self._path().write_text(json.dumps(data))
