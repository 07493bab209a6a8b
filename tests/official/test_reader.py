"""Reading an official PDF: fields, flags, export values, marks; unusable files in words."""

from __future__ import annotations

import pytest

from ombuds_desktop.official.errors import OfficialFormError
from ombuds_desktop.official.reader import MAX_PDF_BYTES, read_official
from tests.official import forms
from tests.official.conftest import form_a, form_b


def test_every_field_with_its_type_tooltip_flags_and_place() -> None:
    o = read_official(form_a())
    specs = forms.edition_a()
    assert len(o.fields) == len(specs)
    for s in specs:
        f = o.field(forms.full_name(s.name))
        assert f is not None, s.name
        assert f.kind == ("text" if s.kind == "signature" else s.kind)
        assert f.tooltip == s.tooltip
        assert f.page == s.page
        x, y, w, h = s.rect
        assert f.widgets[0].rect == pytest.approx((x, y, x + w, y + h), abs=0.6)
        assert f.required is s.required
    name = forms.full_name
    assert o.field(name("Pt2Line2_Explanation")).multiline
    anum = o.field(name("Pt5Line3_ANumber"))
    assert anum.comb and anum.max_len == 9
    assert not o.field(name("Pt5Line1_FamilyName")).comb
    # Check boxes keep the export values the form gives them, not "Yes".
    assert o.field(name("Pt2_Reason1")).export_values == ("PT",)
    assert o.field(name("Pt5Line5_FamilyBox")).export_values == ("1",)
    radio = o.field(name("Pt5_PartyType"))
    assert radio.kind == "radio" and radio.export_values == ("Ind", "Org")
    assert len(radio.widgets) == 2
    state = o.field(name("Pt5Line4_State"))
    assert state.kind == "choice" and state.export_values == ("CA", "FL", "NY", "TX", "VA")


def test_edition_marks_from_the_text_layer() -> None:
    marks = read_official(form_a()).marks
    assert (marks.form_number, marks.omb, marks.edition, marks.expires) == (
        "DHS Form 7001",
        "1601-0004",
        "11/02/22",
        "09/30/2025",
    )


def test_no_marks_printed_says_so() -> None:
    data = forms.build(forms.edition_a()[:2], header="Request for Case Assistance")
    assert "no OMB number found" in read_official(data).marks.text()


def test_fingerprint_same_form_same_print_renamed_fields_other_print() -> None:
    assert (
        read_official(form_a()).fingerprint
        == read_official(forms.build(forms.edition_a())).fingerprint
    )
    assert read_official(form_a()).fingerprint != read_official(form_b()).fingerprint


def _message(data: bytes) -> str:
    with pytest.raises(OfficialFormError) as exc:
        read_official(data)
    msg = str(exc.value)
    assert "\n" not in msg and "Traceback" not in msg
    return msg


def test_xfa_only_form_is_named_and_the_way_out_given() -> None:
    msg = _message(forms.xfa_only())
    assert "XFA" in msg and "fillable (AcroForm) version" in msg


def test_flattened_form_is_named() -> None:
    msg = _message(forms.flattened())
    assert "no form fields" in msg and "flattened" in msg and "dhs.gov" in msg


def test_password_protected_form_is_named() -> None:
    assert "password" in _message(forms.encrypted(form_a()))


def test_not_a_pdf_damaged_and_too_large() -> None:
    assert "not a PDF" in _message(b"PK\x03\x04 this is a zip")
    assert "damaged" in _message(b"%PDF-1.7\n" + b"\x00garbage" * 50)
    assert "larger than any official form" in _message(b"%PDF-" + b" " * MAX_PDF_BYTES)


def test_form_without_hierarchy_reads_plain_names() -> None:
    o = read_official(forms.build(forms.edition_a(), hierarchy=False))
    assert o.field("Pt5Line1_FamilyName") is not None
    assert o.field("Pt5Line1_FamilyName").short_name == "Pt5Line1_FamilyName"
