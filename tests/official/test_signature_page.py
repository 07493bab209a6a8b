"""The wet-ink Section 9 page on its own is the page the packet holds: the official form's
Section 9 when an imported, confirmed, fully mapped official form is used, else the
typeset page.  One core function chooses (``packet.official_form.wet_ink_page``); the CLI's
``signature-page``, the window's "Print the signature page" and the packet all call it."""

from __future__ import annotations

import pytest

from ombuds_desktop.official.store import import_official
from ombuds_desktop.packet import PacketOptions, build_packet
from ombuds_desktop.packet.exports import signature_page_pdf
from ombuds_desktop.packet.signature_page import page_id
from tests.official import support
from tests.official.conftest import confirmed_mapping, form_a
from tests.packet.support import BUILD_DATE, Case

OFFICIAL_HEADING = "DHS Form 7001 (11/02/22) Page 3 of 3"  # form A's own footer on its page 3
TYPESET_LINE = "To be signed by hand, in ink"  # the typeset page's instruction


def _text(pdf: bytes) -> str:
    return " ".join(w[5] for w in support.words(pdf))


def _options(data_dir) -> PacketOptions:
    return PacketOptions(build_date=BUILD_DATE, official_dir=str(data_dir))


def test_no_official_form_imported_gives_the_typeset_page(tmp_path, definition) -> None:
    case = Case(tmp_path / "case")
    text = _text(signature_page_pdf(case.draft, definition, _options(tmp_path / "data")))
    assert "To be signed by hand, in ink" in text
    assert OFFICIAL_HEADING not in text
    assert page_id(case.draft, BUILD_DATE) in text


def test_official_form_imported_gives_its_section_9_page(tmp_path, definition) -> None:
    data = tmp_path / "data"
    import_official(form_a(), definition, data, accept=True)
    case = Case(tmp_path / "case")
    pdf = signature_page_pdf(case.draft, definition, _options(data))
    support.qpdf_check(pdf)
    text = _text(pdf)
    assert OFFICIAL_HEADING in text
    assert TYPESET_LINE not in text
    assert "Żółć, Łukasz" in text  # filled for the client
    assert f"Signature page {page_id(case.draft, BUILD_DATE)}" in text


def test_an_official_form_for_another_data_folder_is_not_used(tmp_path, definition) -> None:
    import_official(form_a(), definition, tmp_path / "elsewhere", accept=True)
    case = Case(tmp_path / "case")
    text = _text(signature_page_pdf(case.draft, definition, _options(tmp_path / "data")))
    assert TYPESET_LINE in text and OFFICIAL_HEADING not in text


def test_cli_signature_page_follows_the_imported_official_form(cli, tmp_path, definition) -> None:
    case = Case(tmp_path / "case")
    draft = case.save()
    data, sig = tmp_path / "data", tmp_path / "sig.pdf"
    args = ("signature-page", draft, "--out", sig, "--date", BUILD_DATE.isoformat())
    r = cli("--data-dir", data, *args)
    assert r.returncode == 0, r.stderr
    assert TYPESET_LINE in _text(sig.read_bytes())
    pdf = tmp_path / "official.pdf"
    pdf.write_bytes(form_a())
    assert cli("--data-dir", data, "edition", "import", pdf, "--accept").returncode == 0
    r = cli("--data-dir", data, *args)
    assert r.returncode == 0, r.stderr
    text = _text(sig.read_bytes())
    assert OFFICIAL_HEADING in text and TYPESET_LINE not in text


@pytest.mark.slow  # a whole packet
def test_the_page_on_its_own_is_the_packets_page(tmp_path, definition) -> None:
    data = tmp_path / "data"
    import_official(form_a(), definition, data, accept=True)
    case = Case(tmp_path / "case")
    options = _options(data)
    packet = build_packet(case.draft, case.root, definition, options)
    assert packet.manifest["form_source"]["signature_page"] == "official"
    sig = packet.part("signature")
    in_packet = " ".join(w[5] for w in support.words(packet.pdf) if w[0] == sig.start)
    alone = _text(signature_page_pdf(case.draft, definition, options))
    # The packet stamps its page numbers in the margin; everything else is the same page.
    assert OFFICIAL_HEADING in alone
    assert set(alone.split()) <= set(in_packet.split())


def test_a_mapping_without_a_section_9_page_gives_the_typeset_page(draft, definition) -> None:
    """The official form is filled, but its mapping does not say which page is Section 9."""
    from dataclasses import replace
    from pathlib import Path

    from ombuds_desktop.official.target import OfficialTarget
    from ombuds_desktop.packet.official_form import official_parts, wet_ink_page

    o, m = confirmed_mapping(form_a(), definition)
    for number, source in ((m.signature_page, "official"), (None, "typeset")):
        target = OfficialTarget(Path(), o, replace(m, signature_page=number), form_a())
        parts, _ = official_parts(draft, definition, target)
        assert parts is not None  # the official form itself is used either way
        assert wet_ink_page(draft, definition, BUILD_DATE, parts).source == source
