"""Filling the official form: each value inside its box, marks drawn, overflow on the addendum."""

from __future__ import annotations

from io import BytesIO

import pikepdf
import pytest

from ombuds_desktop.official.plan import plan_fill
from ombuds_desktop.packet.official_fill import fill_official
from tests.official import forms, support
from tests.official.conftest import form_a

N = forms.full_name


def _rect(o, short):
    return o.field(N(short)).widgets[0].rect


def test_values_land_inside_their_fields(mapped, draft, definition) -> None:
    o, m = mapped
    filled = fill_official(form_a(), o, m, draft, definition)
    support.qpdf_check(filled.pdf)
    words = support.words(filled.pdf)
    expect = {
        "Pt5Line1_FamilyName": "Muñoz",
        "Pt5Line1_GivenName": "José",
        "Pt5Line1_MiddleName": "Andrés",
        "Pt5Line2_DateOfBirth": "02/28/1986",  # mm/dd/yyyy
        "Pt5Line4_City": "Miami",
        "Pt3Row1_FormNumber": "I-485",
        "Pt3Row1_ReceiptDate": "11/04/2024",
    }
    for short, text in expect.items():
        f = o.field(N(short))
        hits = [w for w in words if w[0] == f.page and w[5] == text]
        assert hits, (short, text)
        assert any(support.inside(w, _rect(o, short)) for w in hits), (short, hits)
    # A comb field: one digit per box, all inside the field, in order.
    rect = _rect(o, "Pt5Line3_ANumber")
    digits = [w for w in words if w[0] == 1 and support.inside(w, rect)]
    assert "".join(w[5] for w in sorted(digits, key=lambda w: w[1])) == "208555031"
    cell = (rect[2] - rect[0]) / 9
    for k, w in enumerate(sorted(digits, key=lambda w: w[1])):
        assert rect[0] + cell * k - 1 <= w[1] and w[3] <= rect[0] + cell * (k + 1) + 1
    # The long explanation wraps inside its multi-line box.
    ex = _rect(o, "Pt2Line2_Explanation")
    inside = [w for w in words if w[0] == 0 and support.inside(w, ex)]
    assert " ".join(w[5] for w in inside).startswith("Mr. Muñoz, an asylee")
    # No form fields, no XFA, no scripts left.
    with pikepdf.open(BytesIO(filled.pdf)) as pdf:
        assert "/AcroForm" not in pdf.Root
        assert not any("/Annots" in p.obj and len(p.obj.Annots) for p in pdf.pages)
    assert filled.pages == filled.form_pages == 3  # nothing overflowed: no addendum


def test_check_boxes_and_radio_show_their_own_marks(mapped, draft, definition) -> None:
    o, m = mapped
    draft.values["s5.family_box"] = True
    filled = fill_official(form_a(), o, m, draft, definition)
    p0, p1 = support.render(filled.pdf, 0), support.render(filled.pdf, 1)
    on, off = _rect(o, "Pt2_Reason1"), _rect(o, "Pt2_Reason2")  # processing_time chosen
    assert support.dark_fraction(p0, on) > 0.08
    assert support.dark_fraction(p0, off) < 0.02
    assert support.dark_fraction(p1, _rect(o, "Pt5Line5_FamilyBox")) > 0.08
    radio = o.field(N("Pt5_PartyType"))
    ind, org = (w.rect for w in radio.widgets)
    assert support.dark_fraction(p1, ind) > support.dark_fraction(p1, org) + 0.05


def test_unchecked_box_stays_empty(mapped, draft, definition) -> None:
    o, m = mapped
    draft.values["s5.family_box"] = False
    filled = fill_official(form_a(), o, m, draft, definition)
    assert (
        support.dark_fraction(support.render(filled.pdf, 1), _rect(o, "Pt5Line5_FamilyBox")) < 0.02
    )


@pytest.mark.slow
def test_overflow_and_extra_rows_reach_the_addendum(mapped, draft, definition, tmp_path) -> None:
    o, m = mapped
    long_text = " ".join(f"Sentence {i} of a long made-up explanation." for i in range(120))
    draft.values["s2.explanation"] = long_text
    draft.values["s3.filings"] = draft.values["s3.filings"] * 3
    filled = fill_official(form_a(), o, m, draft, definition)
    support.qpdf_check(filled.pdf)
    assert filled.pages > filled.form_pages == 3
    words = support.words(filled.pdf)
    ex = _rect(o, "Pt2Line2_Explanation")
    in_box = " ".join(w[5] for w in words if w[0] == 0 and support.inside(w, ex))
    assert in_box.startswith("See addendum, item")
    addendum = " ".join(w[5] for w in words if w[0] >= 3)
    assert "Addendum to DHS Form 7001" in addendum
    assert "Sentence 0 of" in addendum and "Sentence 119 of a long made-up explanation." in addendum
    assert "Filing 3" in addendum
    kinds = {p.kind for p in filled.plan.problems}
    assert kinds == {"overflow", "extra-rows"}
    # Look at it: page 1 with the marker, and the addendum.
    (tmp_path / "filled.pdf").write_bytes(filled.pdf)
    support.render(filled.pdf, 0, 60).save(tmp_path / "page1.png")


def test_comb_value_too_long_goes_to_the_addendum(mapped, draft, definition) -> None:
    o, m = mapped
    draft.values["s5.a_number"] = "2085550311"  # ten digits in a nine-box comb
    plan = plan_fill(o, m, draft, definition)
    assert plan.texts[N("Pt5Line3_ANumber")].startswith("See addendum, item")
    assert any(p.kind == "too-long" and p.path == "s5.a_number" for p in plan.problems)
    draft.values["s5.a_number"] = "208555031"
    plan = plan_fill(o, m, draft, definition)
    assert plan.texts[N("Pt5Line3_ANumber")] == "208555031"
    assert not any(p.path == "s5.a_number" for p in plan.problems)


def test_fill_refuses_a_mapping_of_another_pdf(mapped, draft, definition) -> None:
    from ombuds_desktop.official.errors import OfficialFormError

    o, m = mapped
    m.fingerprint = "0" * 64
    with pytest.raises(OfficialFormError, match="import the official PDF again"):
        fill_official(form_a(), o, m, draft, definition)


def test_answers_the_form_hides_are_not_printed(mapped, draft, definition) -> None:
    o, m = mapped
    assert plan_fill(o, m, draft, definition).texts[N("Pt5Line1_GivenName")] == "José"
    draft.values["s5.party_type"] = "organization"  # the person's name is now hidden
    draft.values["s5.org_name"] = "Made-Up Orchards LLC"
    plan = plan_fill(o, m, draft, definition)
    assert N("Pt5Line1_GivenName") not in plan.texts
    assert N("Pt5Line2_DateOfBirth") not in plan.texts
    assert plan.buttons[N("Pt5_PartyType")] == "Org"
