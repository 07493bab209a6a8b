"""The packet uses the imported official form when it is fully mapped; otherwise the typeset."""

from __future__ import annotations

import pytest

from ombuds_desktop.official.store import import_official
from ombuds_desktop.packet import PacketOptions, build_packet
from tests.official import forms, support
from tests.official.conftest import form_a
from tests.packet.support import BUILD_DATE, Case

pytestmark = pytest.mark.slow  # whole packets (~5-10 s each on a shared machine)


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    d = tmp_path / "data"
    monkeypatch.setenv("OMBUDS_DATA_DIR", str(d))
    return d


def _build(case):
    return build_packet(case.draft, case.root, options=PacketOptions(build_date=BUILD_DATE))


def test_without_an_official_form_nothing_changes(tmp_path, data_dir) -> None:
    case = Case(tmp_path / "case")
    packet = _build(case)
    assert packet.manifest["form_source"] == {"kind": "typeset"}
    text = " ".join(w[5] for w in support.words(packet.pdf))
    assert "Pt5Line1" not in text


def test_official_form_filled_and_wet_ink_page_is_its_section_9(tmp_path, data_dir, definition):
    case = Case(tmp_path / "case")
    typeset = _build(case)
    import_official(form_a(), definition, data_dir, accept=True)
    packet = _build(case)
    support.qpdf_check(packet.pdf)
    src = packet.manifest["form_source"]
    assert src["kind"] == "official" and src["omb"] == "1601-0004"
    assert src["edition"] == "11/02/22" and src["signature_page"] == "official"
    form = packet.part("form")
    assert form.count == 3  # the official form's three pages, nothing overflowed
    words = support.words(packet.pdf)
    on_form = [w for w in words if form.start <= w[0] < form.start + form.count]
    assert any(w[5] == "Żółć" for w in on_form)  # the client's name, in the official form
    # The wet-ink page: the official Section 9 page, filled for the client, with its page id.
    sig = packet.part("signature")
    assert sig.count == 1
    sig_words = [w for w in words if w[0] == sig.start]
    sig_text = " ".join(w[5] for w in sig_words)
    assert "Section 9. Consent for Applicant/Petitioner" in sig_text
    assert "Żółć, Łukasz" in sig_text
    assert packet.signature_page_id and packet.signature_page_id in sig_text
    assert packet.pages != typeset.pages or packet.pdf != typeset.pdf


def test_not_fully_mapped_keeps_the_typeset_form(tmp_path, data_dir, definition) -> None:
    specs = [
        forms.Spec("Name1", "text", 0, (60, 560, 100, 18), "Name"),
        forms.Spec("Pt5Line1_FamilyName", "text", 0, (60, 520, 100, 18), "5. Family Name"),
    ]
    import_official(forms.build(specs, hierarchy=False), definition, data_dir, accept=True)
    case = Case(tmp_path / "case")
    assert _build(case).manifest["form_source"] == {"kind": "typeset"}


def test_same_inputs_same_packet_bytes(tmp_path, data_dir, definition) -> None:
    import_official(form_a(), definition, data_dir, accept=True)
    case = Case(tmp_path / "case")
    first, second = _build(case), _build(case)
    assert first.manifest["form_source"]["kind"] == "official"
    assert first.pdf == second.pdf


def test_official_pages_are_left_untagged_and_the_drawn_pages_tagged(
    tmp_path, data_dir, definition
) -> None:
    """The filled official form is not drawn by the layout engine: its pages carry no
    structure (nor left-over StructParents of the blank form); the cover letter and index do."""
    from tests.packet.support import pdfinfo
    from tests.packet.test_tagged import check_parent_tree, structure

    import_official(form_a(), definition, data_dir, accept=True)
    packet = _build(Case(tmp_path / "case"))
    assert packet.manifest["form_source"]["kind"] == "official"
    assert pdfinfo(packet.pdf)["Tagged"] == "yes"
    tagged = check_parent_tree(packet.pdf)
    form = packet.part("form")
    assert not tagged & set(range(form.start, form.start + form.count))
    letter = packet.part("cover_letter")
    assert letter is not None and letter.start in tagged
    assert any(n.role == "TOC" for n in structure(packet.pdf)), "the index is tagged"
