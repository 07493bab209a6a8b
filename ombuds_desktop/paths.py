"""Where the app's shipped data lives (form definitions, fonts, samples, icons).

The repository keeps ``forms/`` and ``resources/`` at the top level, beside the package.  A wheel
(``pip install``) carries them inside the package: setup.py copies them to
``ombuds_desktop/forms`` and ``ombuds_desktop/resources`` at build time.  So there are two
places, and ``app_root`` is the one function that knows both:

- installed from a wheel: inside the package;
- a checkout or editable install (``./dev``): beside the package;
- the PyInstaller folder (build.spec): beside the package, in ``_internal/`` (= ``sys._MEIPASS``).

``OMBUDS_FORMS_DIR`` overrides the forms folder (tests, firms that ship their own edition files).
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def app_root() -> Path:
    """The folder holding ``forms/`` and ``resources/``: the package's own, else its parent."""
    for root in (_PACKAGE, _PACKAGE.parent):
        if (root / "forms").is_dir() and (root / "resources").is_dir():
            return root
    return _PACKAGE  # nothing installed: error messages then name where a wheel puts them


def forms_dir() -> Path:
    override = os.environ.get("OMBUDS_FORMS_DIR")
    return Path(override) if override else app_root() / "forms"


def resources_dir() -> Path:
    return app_root() / "resources"
