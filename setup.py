"""Build hook: ship ``forms/`` and ``resources/`` inside the installed ``ombuds_desktop`` package.

Why a hook: the repository keeps the form editions and the resources (fonts, samples, icons,
the .desktop file) at the top level, where users and firms know to look, but a wheel can only
carry files inside its packages.  ``build_py`` therefore copies both trees, whole and as they
are, to ``ombuds_desktop/forms`` and ``ombuds_desktop/resources`` in the build folder; a file
added under either tree (another font, another edition) is shipped without touching this file.
Editable installs (``./dev``) are left alone: there the package runs from the checkout and finds
the trees beside it.  ``ombuds_desktop/paths.py`` looks in both places; the PyInstaller build
(build.spec) keeps them beside the package too.  Everything else is in pyproject.toml.
"""

from __future__ import annotations

import os
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
PACKAGE = "ombuds_desktop"
DATA_TREES = ("forms", "resources")
SKIP_DIRS = {"__pycache__", ".git", ".mypy_cache", ".ruff_cache"}


def _tree_files(top: Path) -> list[Path]:
    """Every file under ``top``, without caches and hidden files, in a stable order."""
    files = []
    for folder, dirs, names in os.walk(top):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
        files += [Path(folder) / n for n in sorted(names) if not n.startswith(".")]
    return files


class BuildPyWithData(build_py):
    """``build_py`` that also copies the data trees into the package (not for editable)."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        for name in DATA_TREES:
            top = HERE / name
            if not top.is_dir():
                raise SystemExit(f"setup.py: {top} is missing; the app cannot run without it")
            for src in _tree_files(top):
                dst = Path(self.build_lib, PACKAGE, name, src.relative_to(top))
                self.mkpath(str(dst.parent))
                self.copy_file(str(src), str(dst), preserve_mode=False)

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        outputs = list(super().get_outputs(include_bytecode))
        if not getattr(self, "editable_mode", False):
            for name in DATA_TREES:
                top = HERE / name
                outputs += [
                    str(Path(self.build_lib, PACKAGE, name, src.relative_to(top)))
                    for src in _tree_files(top)
                ]
        return outputs


setup(cmdclass={"build_py": BuildPyWithData})
