"""The edition loader: the shipped edition is complete, broken files are refused by name."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from ombuds_desktop import paths
from ombuds_desktop.formdef import FormDefinitionError, load_edition, parse_definition
from ombuds_desktop.formdef.loader import load_definition_file
from ombuds_desktop.formdef.model import FIELD_TYPES

EDITION_FILE = paths.forms_dir() / "dhs-7001" / "2022-11.toml"


def raw() -> dict:
    with open(EDITION_FILE, "rb") as fh:
        return tomllib.load(fh)


def test_shipped_edition_has_every_section_in_form_order():
    d = load_edition("dhs-7001", "2022-11")
    printed = [s.number for s in d.sections if s.printed]
    assert printed == ["1", "1A", "2", "3", "4", "5", "6", "7", "8", "9", "10"]
    assert d.omb == "1601-0004"
    assert d.key == "dhs-7001/2022-11"
    assert str(d.expires) == "2025-09-30"
    assert d.sections[0].id == "app" and not d.sections[0].printed


def test_shipped_edition_has_provenance_and_required_categories():
    d = load_edition()
    for s in d.sections:
        assert s.provenance in ("official", "secondary", "reconstructed")
    for cat in (
        "g28",
        "g28-proof-of-submission",
        "uscis-notice",
        "service-request",
        "delivery-proof",
        "expedite-evidence",
        "consent",
        "signed-section-9",
        "other",
    ):
        assert d.category(cat) is not None, cat
    assert d.channels["email_to"] == "cisombudsman@hq.dhs.gov"
    assert d.channels["mailing_address"][-1] == "Washington, D.C. 20528"


def test_shipped_edition_uses_every_field_type_the_reference_lists():
    used = {f.type for f in load_edition().all_fields()}
    used |= {s.type for f in load_edition().all_fields() for s in f.fields}
    assert used == FIELD_TYPES


def _broken(mutate) -> FormDefinitionError:
    data = raw()
    mutate(data)
    with pytest.raises(FormDefinitionError) as info:
        parse_definition(data, "broken.toml")
    return info.value


def test_unknown_field_type_is_named():
    def mutate(d):
        d["sections"][1]["fields"][0]["type"] = "colour"

    err = _broken(mutate)
    assert "broken.toml" in str(err) and "s1.contacted_uscis" in str(err)
    assert "unknown field type 'colour'" in str(err)


def test_duplicate_field_id_is_named():
    def mutate(d):
        d["sections"][1]["fields"].append(dict(d["sections"][1]["fields"][0]))

    err = _broken(mutate)
    assert "duplicate field id 's1.contacted_uscis'" in str(err)


def test_condition_on_missing_field_is_named():
    def mutate(d):
        d["sections"][2]["fields"][0]["required_if"] = {"field": "s1.nope", "equals": True}

    err = _broken(mutate)
    assert "missing field 's1.nope'" in str(err) and "required_if" in err.key


def test_row_condition_outside_group_is_refused():
    def mutate(d):
        d["sections"][1]["fields"][0]["shown_if"] = {"field": ".channel", "equals": "x"}

    assert "same repeating group" in str(_broken(mutate))


def test_malformed_condition_is_refused():
    def mutate(d):
        d["sections"][1]["fields"][0]["shown_if"] = {"field": "app.role", "equals": 1, "in": []}

    assert "exactly one of" in str(_broken(mutate))


def test_choice_without_options_is_refused():
    def mutate(d):
        del d["sections"][0]["fields"][0]["options"]

    assert "needs options" in str(_broken(mutate))


def test_unknown_key_is_refused_as_a_typo():
    def mutate(d):
        d["sections"][1]["fields"][0]["requird"] = True

    err = _broken(mutate)
    assert "requird" in err.key and "unknown key" in str(err)


def test_wrong_value_type_is_named():
    def mutate(d):
        d["sections"][1]["fields"][0]["label"] = 7

    err = _broken(mutate)
    assert err.key.endswith(".label") and "must be str" in str(err)


def test_duplicate_section_and_bad_provenance():
    assert "duplicate id 's1'" in str(_broken(lambda d: d["sections"].append(d["sections"][1])))

    def bad_prov(d):
        d["sections"][1]["provenance"] = "rumour"

    assert "unknown provenance 'rumour'" in str(_broken(bad_prov))


def test_missing_form_table_and_bad_toml(tmp_path: Path):
    assert "form: is missing" in str(_broken(lambda d: d.pop("form")))
    bad = tmp_path / "bad.toml"
    bad.write_text("[form\nid=", encoding="utf-8")
    with pytest.raises(FormDefinitionError, match="bad.toml: not valid TOML"):
        load_definition_file(bad)
    with pytest.raises(FormDefinitionError, match="file not found"):
        load_definition_file(tmp_path / "absent.toml")


def test_new_edition_is_just_a_new_file(tmp_path: Path, monkeypatch):
    """A firm can drop in an edition file: it loads with no Python change."""
    folder = tmp_path / "dhs-7001"
    folder.mkdir()
    text = EDITION_FILE.read_text(encoding="utf-8")
    text = text.replace('edition = "2022-11"', 'edition = "2030-01"').replace(
        'title = "Reason(s) for Requesting Case Assistance"', 'title = "Why You Need Help"'
    )
    (folder / "2030-01.toml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("OMBUDS_FORMS_DIR", str(tmp_path))
    load_edition.cache_clear()
    try:
        d = load_edition("dhs-7001")
        assert d.edition == "2030-01"
        assert d.section("s2").title == "Why You Need Help"
        with pytest.raises(FormDefinitionError, match="not installed"):
            load_edition("dhs-7001", "2022-11")
    finally:
        load_edition.cache_clear()


def test_where_names_a_field_path_in_the_users_words():
    d = load_edition()
    assert d.where("s3.filings[0].receipt_number") == "Section 3, Filing 1 › Receipt number"
    label = d.field("app.scr.expedite_denied").label
    assert d.where("app.scr.expedite_denied") == f"Before you file, {label}"
    assert d.where("s8.documents[2].description") == "Section 8, Document 3 › Description"
    assert d.where(None, "s3") == "Section 3"
    # Negative: an unknown path shows no internal id, only the section it was reported in.
    assert d.where("s3.nonsense_field", "s3") == "Section 3"


def test_row_label_only_on_repeating_rows():
    def mutate(d):
        d["sections"][1]["fields"][0]["row_label"] = "Thing"

    err = _broken(mutate)
    assert "row_label" in str(err) and "repeating group" in str(err)
