"""Official PDFs from elsewhere are untrusted: odd structures are read or refused, never crash."""

from __future__ import annotations

from io import BytesIO

import pikepdf
import pytest

from ombuds_desktop.official.errors import OfficialFormError
from ombuds_desktop.official.mapping import dumps_mapping
from ombuds_desktop.official.propose import propose
from ombuds_desktop.official.reader import read_official
from ombuds_desktop.official.store import import_official, known_mapping
from ombuds_desktop.packet.official_fill import fill_official
from tests.official import support
from tests.official.conftest import form_a


def _edit(data: bytes, change) -> bytes:
    with pikepdf.open(BytesIO(data)) as pdf:
        change(pdf)
        out = BytesIO()
        pdf.save(out)
        return out.getvalue()


def test_hybrid_xfa_form_is_filled_through_its_acroform_and_the_xfa_dropped(
    definition, draft
) -> None:
    def add_xfa(pdf):
        pdf.Root.AcroForm.XFA = pdf.make_stream(b"<xdp:xdp/>")
        pdf.Root.AcroForm.NeedAppearances = True

    data = _edit(form_a(), add_xfa)
    o = read_official(data)
    assert o.has_xfa and len(o.fields) == 24
    m = propose(o, definition)
    filled = fill_official(data, o, m, draft, definition)
    support.qpdf_check(filled.pdf)
    with pikepdf.open(BytesIO(filled.pdf)) as pdf:
        assert "/AcroForm" not in pdf.Root
        assert not any(
            b"xdp:xdp" in o.read_bytes() for o in pdf.objects if isinstance(o, pikepdf.Stream)
        )


def test_a_loop_in_the_field_tree_is_read_once(definition) -> None:
    def loop(pdf):
        top = pdf.Root.AcroForm.Fields[0]
        top.Kids[0].Kids.append(top)  # a field that is its own grandchild

    o = read_official(_edit(form_a(), loop))
    assert len(o.fields) == 24


def test_fields_without_pages_or_rectangles_are_ignored(definition) -> None:
    def orphan(pdf):
        sub = pdf.Root.AcroForm.Fields[0].Kids[0]
        sub.Kids.append(pdf.make_indirect(pikepdf.Dictionary(T="Orphan[0]", FT=pikepdf.Name.Tx)))

    o = read_official(_edit(form_a(), orphan))
    assert o.field("form1[0].#subform[0].Orphan[0]") is None


def test_garbage_in_field_entries_does_not_crash() -> None:
    def garbage(pdf):
        sub = pdf.Root.AcroForm.Fields[0].Kids[0]
        sub.Kids[0].Ff = pikepdf.String("not a number")

    with pytest.raises(OfficialFormError, match="malformed"):
        read_official(_edit(form_a(), garbage))


def test_a_shipped_mapping_is_found_by_fingerprint(definition, tmp_path, monkeypatch) -> None:
    import shutil

    from ombuds_desktop import paths

    forms_copy = tmp_path / "forms"
    shutil.copytree(paths.forms_dir(), forms_copy)
    o = read_official(form_a())
    m = propose(o, definition)
    (forms_copy / "dhs-7001" / "2022-11.map.toml").write_text(dumps_mapping(m), encoding="utf-8")
    monkeypatch.setenv("OMBUDS_FORMS_DIR", str(forms_copy))
    found = known_mapping(o, definition, tmp_path / "data")
    assert found is not None and found[1] == "shipped" and found[0].confirmed
    result = import_official(form_a(), definition, tmp_path / "data")
    assert result.origin == "shipped" and result.saved is not None  # used without asking
