"""Where the app's shipped data lives (form definitions, fonts, icons).

The checkout layout keeps ``forms/`` and ``resources/`` beside the package; a
PyInstaller build puts them under ``sys._MEIPASS``.  ``OMBUDS_FORMS_DIR``
overrides the forms folder (tests, firms that ship their own edition files).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def app_root() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parent.parent


def forms_dir() -> Path:
    override = os.environ.get("OMBUDS_FORMS_DIR")
    return Path(override) if override else app_root() / "forms"


def resources_dir() -> Path:
    return app_root() / "resources"
