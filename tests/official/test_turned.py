"""Official PDFs with turned pages (/Rotate 90, 180, 270) and crop boxes away from the
origin: each value is written inside its field's box as the page is shown, upright, and
check marks show; the wet-ink page keeps its page id in the bottom margin as shown.

``forms.turned`` saves form A the way a designer who drew it on turned pages would: shown,
every page looks exactly like form A's, so the boxes as shown are form A's rectangles and
``pdftotext -bbox`` (which reports words as the page is shown) is checked against them."""

from __future__ import annotations

from pathlib import Path

import pytest

from ombuds_desktop.official.reader import read_official
from ombuds_desktop.official.target import OfficialTarget
from ombuds_desktop.packet.official_fill import fill_official
from ombuds_desktop.packet.official_form import official_parts, wet_ink_page
from tests.official import forms, support
from tests.official.conftest import confirmed_mapping, form_a
from tests.packet.support import BUILD_DATE

N = forms.full_name

TURNS = [
    pytest.param({0: 90, 1: 90, 2: 90}, (0.0, 0.0), id="rotate-90"),
    pytest.param({0: 270, 1: 270, 2: 270}, (0.0, 0.0), id="rotate-270"),
    pytest.param({0: 180, 1: 0, 2: 90}, (0.0, 0.0), id="mixed"),
    pytest.param({}, (35.0, -50.0), id="crop-offset"),
    pytest.param({0: 90, 1: 270, 2: 270}, (-12.0, 48.0), id="turned-and-offset"),
]

EXPECT = {
    "Pt5Line1_FamilyName": "Muñoz",
    "Pt5Line1_GivenName": "José",
    "Pt5Line1_MiddleName": "Andrés",
    "Pt5Line2_DateOfBirth": "02/28/1986",
    "Pt5Line4_City": "Miami",
    "Pt3Row1_FormNumber": "I-485",
    "Pt3Row1_ReceiptDate": "11/04/2024",
}


@pytest.fixture(scope="module")
def plain():
    return read_official(form_a())


def _shown_rect(plain, short):
    return plain.field(N(short)).widgets[0].rect  # form A: shown exactly as drawn


@pytest.mark.parametrize(("turns", "offset"), TURNS)
def test_reader_sees_the_boxes_as_shown(turns, offset, plain, definition) -> None:
    o, m = confirmed_mapping(forms.turned(form_a(), turns, offset), definition)
    assert o.fingerprint == plain.fingerprint  # same fields: the same mapping applies
    assert [o.rotation(i) for i in range(3)] == [turns.get(i, 0) for i in range(3)]
    for f in plain.fields:
        turned = o.field(f.name)
        assert turned is not None
        for shown, w in zip((o.shown(w) for w in turned.widgets), f.widgets, strict=True):
            assert shown == pytest.approx(w.rect, abs=0.01), f.name
    # The proposal reads the same labels: every field mapped as on the plain form.
    plain_map = {e.name: e.target for e in confirmed_mapping(form_a(), definition)[1].fields}
    assert {e.name: e.target for e in m.fields} == plain_map


@pytest.mark.parametrize(("turns", "offset"), TURNS)
def test_values_land_upright_inside_their_boxes_as_shown(
    turns, offset, plain, draft, definition
) -> None:
    data = forms.turned(form_a(), turns, offset)
    o, m = confirmed_mapping(data, definition)
    filled = fill_official(data, o, m, draft, definition)
    support.qpdf_check(filled.pdf)
    words = support.words(filled.pdf, shown=True)
    for short, text in EXPECT.items():
        page = plain.field(N(short)).widgets[0].page
        hits = [w for w in words if w[0] == page and w[5] == text]
        assert hits, (short, text, [w for w in words if w[0] == page])
        rect = _shown_rect(plain, short)
        assert any(support.inside(w, rect) for w in hits), (short, hits, rect)
        for w in hits:  # upright: wider than tall (sideways text would be a column)
            assert w[3] - w[1] > w[4] - w[2], (short, w)
    # A comb field: one digit per box, in reading order, inside the field.
    rect = _shown_rect(plain, "Pt5Line3_ANumber")
    digits = sorted((w for w in words if w[0] == 1 and support.inside(w, rect)), key=lambda w: w[1])
    assert "".join(w[5] for w in digits) == "208555031"
    # The multi-line explanation wraps inside its box, from its top line down.
    ex = _shown_rect(plain, "Pt2Line2_Explanation")
    inside = sorted((w for w in words if w[0] == 0 and support.inside(w, ex)),
                    key=lambda w: (-w[4], w[1]))  # fmt: skip
    assert " ".join(w[5] for w in inside).startswith("Mr. Muñoz, an asylee")


@pytest.mark.parametrize(("turns", "offset"), TURNS[:2] + TURNS[3:])
def test_check_marks_show_in_their_boxes_as_shown(turns, offset, plain, draft, definition) -> None:
    data = forms.turned(form_a(), turns, offset)
    o, m = confirmed_mapping(data, definition)
    draft.values["s5.family_box"] = True
    filled = fill_official(data, o, m, draft, definition)
    p0, p1 = (support.render(filled.pdf, i, shown=True) for i in (0, 1))
    on, off = _shown_rect(plain, "Pt2_Reason1"), _shown_rect(plain, "Pt2_Reason2")
    assert support.dark_fraction(p0, on) > 0.08
    assert support.dark_fraction(p0, off) < 0.02
    assert support.dark_fraction(p1, _shown_rect(plain, "Pt5Line5_FamilyBox")) > 0.08


@pytest.mark.parametrize(("turns", "offset"), TURNS)
def test_wet_ink_page_id_is_in_the_bottom_margin_as_shown(
    turns, offset, plain, draft, definition
) -> None:
    data = forms.turned(form_a(), turns, offset)
    o, m = confirmed_mapping(data, definition)
    assert m.signature_page == 2
    parts, _ = official_parts(draft, definition, OfficialTarget(Path(), o, m, data))
    assert parts is not None
    page = wet_ink_page(draft, definition, BUILD_DATE, parts)
    assert page.source == "official"
    support.qpdf_check(page.page.pdf)
    words = support.words(page.page.pdf, shown=True)
    ids = [w for w in words if w[5] == page.page_id + "."]
    assert ids, words
    w = ids[0]
    assert 0 <= w[1] < w[3] <= 612 and 0 <= w[2] < w[4] <= 40  # bottom margin, on the page
    assert w[3] - w[1] > w[4] - w[2]  # upright
    signer = _shown_rect(plain, "Pt9_SignerName")
    assert any(x[5] == "Muñoz," and support.inside(x, signer) for x in words)
