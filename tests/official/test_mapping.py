"""The mapping as data: TOML that round-trips, targets checked against the edition."""

from __future__ import annotations

import pytest

from ombuds_desktop.official.errors import OfficialFormError
from ombuds_desktop.official.mapping import (
    FieldMap,
    dumps_mapping,
    load_mapping,
    mapping_from_dict,
    resolve,
)
from ombuds_desktop.official.propose import propose
from ombuds_desktop.official.reader import read_official
from tests.official.conftest import form_a


def test_toml_round_trip(definition, tmp_path) -> None:
    m = propose(read_official(form_a()), definition)
    m.confirmed = True
    path = tmp_path / "m.toml"
    path.write_text(dumps_mapping(m), encoding="utf-8")
    back = load_mapping(path, definition)
    assert back.fields == m.fields
    assert (back.form, back.fingerprint, back.marks, back.confirmed, back.signature_page) == (
        m.form,
        m.fingerprint,
        m.marks,
        True,
        m.signature_page,
    )


def test_odd_names_and_values_survive_toml(tmp_path) -> None:
    from ombuds_desktop.official.mapping import Mapping

    m = Mapping("dhs-7001/2022-11", "f" * 64, [
        FieldMap('a "quoted"\\name\twith tab', "s5.dob", confidence=0.5),
        FieldMap("radio", "s5.party_type",
                 choices={"individual": "1 Ind", "organization": "Org\u00e9"}),
        FieldMap("box", "s5.family_box", option=True, on="Oui"),
    ])  # fmt: skip
    path = tmp_path / "m.toml"
    path.write_text(dumps_mapping(m), encoding="utf-8")
    assert load_mapping(path).fields == m.fields


@pytest.mark.parametrize(
    ("target", "ok"),
    [
        ("s5.name.family", True),
        ("s3.filings[2].receipt_date", True),
        ("s5.address.postal_code", True),
        ("s2.reasons", True),
        ("s5.name.nickname", False),
        ("s3.filings[2].colour", False),
        ("s3.filings[99].receipt_date", False),
        ("s5.dob[0].x", False),
        ("s8.documents", False),
        ("s99.nothing", False),
    ],
)
def test_targets_are_checked_against_the_edition(definition, target, ok) -> None:
    if ok:
        assert resolve(definition, target).path == target
    else:
        with pytest.raises(OfficialFormError, match="import the official PDF again"):
            resolve(definition, target)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({}, "format must be"),
        ({"format": "ombuds-desktop-official-map/1", "form": "x"}, "fingerprint is missing"),
        (
            {"format": "ombuds-desktop-official-map/1", "form": "x", "fingerprint": "f",
             "fields": [{"name": "a", "colour": 1}]},
            "unknown keys: colour",
        ),
        (
            {"format": "ombuds-desktop-official-map/1", "form": "x", "fingerprint": "f",
             "fields": [{"name": "a"}, {"name": "a"}]},
            "mapped twice",
        ),
        (
            {"format": "ombuds-desktop-official-map/1", "form": "x", "fingerprint": "f",
             "fields": [{"name": "a", "format": "roman"}]},
            "format must be one of",
        ),
    ],
)  # fmt: skip
def test_bad_mappings_are_refused_in_words(data, words) -> None:
    with pytest.raises(OfficialFormError, match=words):
        mapping_from_dict(data)


def test_not_toml_and_other_edition(definition, tmp_path) -> None:
    p = tmp_path / "bad.toml"
    p.write_text("this is = = not toml", encoding="utf-8")
    with pytest.raises(OfficialFormError, match="not valid TOML"):
        load_mapping(p)
    m = propose(read_official(form_a()), definition)
    m.form = "dhs-7001/2019-03"
    p.write_text(dumps_mapping(m), encoding="utf-8")
    with pytest.raises(OfficialFormError, match="is for dhs-7001/2019-03"):
        load_mapping(p, definition)
