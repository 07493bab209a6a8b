"""The proposal for an unknown official PDF: each test form maps at the expected confidence."""

from __future__ import annotations

from ombuds_desktop.official.propose import HIGH, LOW, propose, summary
from ombuds_desktop.official.reader import read_official
from tests.official import forms
from tests.official.conftest import form_a, form_b


def _expected(specs: list[forms.Spec], m, hierarchy: bool = True) -> None:
    for s in specs:
        e = m.entry(forms.full_name(s.name, hierarchy))
        assert e is not None, s.name
        assert e.target == s.expect, (s.name, e.target, e.why)
        if s.option is not None:
            assert e.option == s.option, s.name


def test_edition_a_every_field_confident(definition) -> None:
    o = read_official(form_a())
    m = propose(o, definition)
    _expected(forms.edition_a(), m)
    for e in m.mapped():
        assert e.confidence >= HIGH, (e.name, e.confidence)
    sig = m.entry(forms.full_name("Pt9_Signature"))
    assert sig.skip and "ink" in sig.skip
    assert summary(m)["undecided"] == 0
    assert m.signature_page == 2
    # Check boxes carry the form's own export values; the radio group its choices.
    assert m.entry(forms.full_name("Pt2_Reason1")).on == "PT"
    assert m.entry(forms.full_name("Pt5_PartyType")).choices == {
        "individual": "Ind",
        "organization": "Org",
    }
    assert m.entry(forms.full_name("Pt5Line3_ANumber")).format == "digits"


def test_renamed_edition_b_maps_by_names_and_page_text_at_lower_confidence(definition) -> None:
    m = propose(read_official(form_b()), definition)
    _expected(forms.edition_b(), m)
    explain = m.entry(forms.full_name("P2_L2_Explain"))
    assert LOW <= explain.confidence < HIGH  # no tooltip: the user should look at it
    assert m.entry(forms.full_name("P5_L1a_LastName")).confidence >= HIGH


def test_names_only_no_tooltips_no_labels(definition) -> None:
    specs = [
        forms.Spec(
            s.name,
            s.kind,
            s.page,
            s.rect,
            "",
            "",
            s.export,
            s.values,
            s.flags,
            s.maxlen,
            s.expect,
            s.option,
        )  # fmt: skip
        for s in forms.edition_a()
        if s.name.startswith("Pt5Line")
    ]
    m = propose(read_official(forms.build(specs, hierarchy=False)), definition)
    assert m.entry("Pt5Line1_FamilyName").target == "s5.name.family"
    assert m.entry("Pt5Line1_GivenName").target == "s5.name.given"
    assert m.entry("Pt5Line3_ANumber").target == "s5.a_number"


def test_unrelated_and_ambiguous_fields_are_left_unmapped(definition) -> None:
    specs = [
        forms.Spec("Pt12_FavoriteColour", "text", 0, (60, 600, 100, 18), "Favourite colour"),
        forms.Spec("Name1", "text", 0, (60, 560, 100, 18), "Name"),
        forms.Spec("Pt5Line1_FamilyName", "text", 0, (60, 520, 100, 18), "5. Family Name"),
    ]
    m = propose(read_official(forms.build(specs, hierarchy=False)), definition)
    assert not m.entry("Pt12_FavoriteColour").decided
    assert not m.entry("Name1").decided  # which person's name? not guessed
    assert m.entry("Name1").why
    assert m.entry("Pt5Line1_FamilyName").target == "s5.name.family"
    assert summary(m)["undecided"] == 2
    assert not m.fully_mapped()


def test_a_large_form_is_proposed_quickly(definition) -> None:
    import time

    specs = [
        forms.Spec(
            f"{s.name}_{k}",
            s.kind,
            s.page + 3 * k,
            s.rect,
            f"{s.tooltip} copy {k}",
            s.label,
            s.export,
            s.values,
            s.flags,
            s.maxlen,
        )  # fmt: skip
        for k in range(7)
        for s in forms.edition_a()
    ]
    o = read_official(forms.build(specs))
    start = time.perf_counter()
    m = propose(o, definition)
    assert time.perf_counter() - start < 20  # ~1 s here; words and pairs are cached
    assert len(m.fields) == 168
    # Seven copies of each field: only one may take each place of the draft.
    family = [e for e in m.fields if e.target == "s5.name.family"]
    assert len(family) == 1
