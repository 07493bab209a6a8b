"""Fixtures for the packet tests: a case folder with evidence, fixed build options."""

from __future__ import annotations

import json
import logging
import shutil

import pytest

from ombuds_desktop.formdef import load_form_key
from ombuds_desktop.packet import PacketOptions

from .support import BUILD_DATE, Case

for tool in ("qpdf", "pdftotext", "pdffonts", "pdfinfo"):
    if shutil.which(tool) is None:  # pragma: no cover - CI installs them (./dev test)
        raise RuntimeError(f"the packet tests need {tool} (apt-get install qpdf poppler-utils)")


@pytest.fixture(autouse=True)
def _quiet_pypdf():
    """pypdf logs every repair of the deliberately broken test files; keep output readable."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


@pytest.fixture
def definition():
    return load_form_key("dhs-7001/2022-11")


@pytest.fixture
def options():
    return PacketOptions(build_date=BUILD_DATE)


@pytest.fixture
def case(tmp_path):
    """A clean (error-free) attorney case for a T/U/VAWA/asylee/refugee client."""
    c = Case(tmp_path / "case")
    assert c.errors() == []
    return c


@pytest.fixture(scope="session")
def standard_case(tmp_path_factory):
    """``case`` made once a run, for the tests that only read it or its ``standard_packet``:
    read-only (a test that changes its case takes its own ``case``)."""
    c = Case(tmp_path_factory.mktemp("standard") / "case")
    assert c.errors() == []
    return c


@pytest.fixture(scope="session")
def standard_packet(standard_case):
    """The packet of ``standard_case`` with the default options, built once a run for the
    tests that only read it; tests about a build (determinism, progress, options) build
    their own."""
    from ombuds_desktop.packet import build_packet

    return build_packet(
        standard_case.draft, standard_case.root, options=PacketOptions(build_date=BUILD_DATE)
    )


@pytest.fixture(scope="session")
def standard_upload(standard_case, tmp_path_factory):
    """The online-upload folder of ``standard_case`` (default options), written once a run for
    the tests that only read it."""
    from ombuds_desktop.packet.exports import export_upload_folder

    folder = tmp_path_factory.mktemp("standard-upload") / "up"
    options = PacketOptions(build_date=BUILD_DATE)
    return export_upload_folder(standard_case.draft, folder, standard_case.root, options=options)


@pytest.fixture
def plain_case(tmp_path):
    """A clean case whose client needs no wet-ink signature."""
    c = Case(tmp_path / "plain", wet_ink=False)
    assert c.errors() == []
    return c


@pytest.fixture(scope="session")
def corpus(made_once):
    """Inputs made by real producers (LibreOffice, Ghostscript, img2pdf, ...), once a run (the
    workers of a parallel run share them: tests/conftest.py, ``made_once``)."""
    from .producers import build_corpus

    def make(folder):
        made = build_corpus(folder / "files")
        index = {name: str(path.relative_to(folder)) for name, path in made.items()}
        (folder / "index.json").write_text(json.dumps(index), encoding="utf-8")

    folder = made_once("real-producers", make)
    index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    return {name: folder / rel for name, rel in index.items()}
