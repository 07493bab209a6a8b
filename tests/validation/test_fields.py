"""Field-level checks driven by the edition file: presence, type, format, rows, conditions.

Each test changes one value of a complete sample and checks the finding on
that field path (code, severity, and the value named in the message), or
that a good variant of the value passes without a finding.
"""

from __future__ import annotations

import pytest

from ombuds_desktop.formdef import load_form_key

from .conftest import (
    EDITION,
    GOOD_SAMPLES,
    SENTENCE,
    altered_edition,
    codes,
    errors,
    expect,
    field_def,
    on_field,
    sample,
    validate,
)

#: Rule codes that are emitted by the field checks (formats on entry).
FIELD_LEVEL_RULE_CODES = (
    "R41-receipt-",
    "R41-a-number-format",
    "R41-account-format",
    "R41-srmt-format",
    "R42-future-date",
)


def field_findings(findings, path):
    """Field-check findings on ``path`` or its parts (``s5.address.state``, ``[0].x``)."""
    return [
        f
        for f in findings
        if f.field
        and (f.field == path or f.field.startswith((path + ".", path + "[")))
        and (not f.code.startswith("R") or f.code.startswith(FIELD_LEVEL_RULE_CODES))
    ]


# --------------------------------------------------------------------- dates


@pytest.mark.parametrize("good", ["1991-04-17", "2024-02-29", "1900-01-01", "2026-11-24"])
def test_date_good(vawa, good):
    vawa.values["s5.dob"] = good
    assert field_findings(validate(vawa), "s5.dob") == []


@pytest.mark.parametrize(
    "bad, words",
    [
        ("04/17/1991", "stored as 1991-04-17"),  # typed as mm/dd/yyyy: say how it is stored
        ("17/04/1991", "no month 17"),  # never read as dd/mm/yyyy
        ("1991-4-17", "YYYY-MM-DD"),
        ("19910417", "YYYY-MM-DD"),
        ("1991-04-17T00:00", "YYYY-MM-DD"),
        ("April 17, 1991", "YYYY-MM-DD"),
        ("2026-02-29", "not a real date"),
        ("1991-04-31", "not a real date"),
        ("1991-13-01", "not a real date"),
    ],
)
def test_date_bad(vawa, bad, words):
    vawa.values["s5.dob"] = bad
    expect(validate(vawa), "date-format", "error", "s5.dob", "Date of birth", words)


def test_date_of_the_wrong_type_is_reported(vawa):
    vawa.values["s5.dob"] = 19910417
    expect(validate(vawa), "date-format", "error", "s5.dob", "19910417")


def test_date_before_1900(vawa):
    vawa.values["s5.dob"] = "1899-12-31"
    expect(validate(vawa), "date-implausible", "error", "s5.dob", "12/31/1899")


@pytest.mark.parametrize(
    "path, setter",
    [
        ("s5.dob", lambda d: d.values.__setitem__("s5.dob", "2026-11-25")),
        (
            "app.scr.pt_checked_on",
            lambda d: d.values.__setitem__("app.scr.pt_checked_on", "2026-11-25"),
        ),
        (
            "s3.filings[0].receipt_date",
            lambda d: d.values["s3.filings"][0].__setitem__("receipt_date", "2026-11-25"),
        ),
        (
            "s1a.actions[0].date",
            lambda d: d.values["s1a.actions"][0].__setitem__("date", "2026-11-25"),
        ),
    ],
)
def test_not_future_dates(vawa, path, setter):
    setter(vawa)
    expect(validate(vawa), "R42-future-date", "error", path, "11/25/2026", "11/24/2026")


def test_future_dates_allowed_where_they_make_sense(vawa):
    vawa.values["app.deadlines"] = [{"kind": "rfe", "due_date": "2027-01-15"}]
    vawa.values["s2.reasons"] = ["processing_time", "removal"]
    vawa.values["s2.hearing_date"] = "2027-01-20"
    findings = validate(vawa)
    assert field_findings(findings, "app.deadlines") == []
    assert field_findings(findings, "s2.hearing_date") == []


# ----------------------------------------------------------- phone and e-mail


@pytest.mark.parametrize(
    "good",
    [
        "(217) 555-0142",
        "217-555-0142",
        "2175550142",
        "+1 217 555 0142",
        "+52 33 1234 5678",
        "+44 20 7946 0958",
    ],
)
def test_phone_good(vawa, good):
    vawa.values["s5.phone"] = good
    assert field_findings(validate(vawa), "s5.phone") == []


@pytest.mark.parametrize("bad", ["555-01", "call me", "+1 217 555 01420", "12"])
def test_phone_bad(vawa, bad):
    vawa.values["s5.phone"] = bad
    expect(validate(vawa), "phone-format", "error", "s5.phone", f'"{bad}"', "(202) 555-0143")


def test_phone_possible_but_not_in_use_is_a_warning(vawa):
    vawa.values["s5.phone"] = "(123) 456-7890"  # no area code 123
    expect(validate(vawa), "phone-unusual", "warning", "s5.phone", "(123) 456-7890")


@pytest.mark.parametrize(
    "good", ["client@mail.example", "first.last+tag@sub.mail.example", "ÁNH@mail.example"]
)
def test_email_good(parent, good):
    parent.values["s5.email"] = good
    assert field_findings(validate(parent), "s5.email") == []


@pytest.mark.parametrize(
    "bad",
    [
        "amina.haddad@",
        "amina",
        "a@b",
        "amina haddad@mail.example",
        "amina@@mail.example",
        "@mail.example",
    ],
)
def test_email_bad(parent, bad):
    parent.values["s5.email"] = bad
    expect(
        validate(parent),
        "email-format",
        "error",
        "s5.email",
        f'"{bad}"',
        "not a usable e-mail address",
    )


# ------------------------------------------------------------------ addresses


US = {
    "street": "1200 Example Avenue",
    "unit": "Apt 4B",
    "city": "Springfield",
    "state": "IL",
    "postal_code": "62701",
    "country": "US",
}


@pytest.mark.parametrize(
    "change",
    [
        {"state": "il"},
        {"state": "DC", "postal_code": "20528-0180"},
        {"state": "PR", "city": "San Juan", "postal_code": "00901"},
        {"state": "GU", "city": "Hagatna", "postal_code": "96910"},
        {"country": None},  # no country: a U.S. address
        {"country": "us"},
        {"unit": ""},
        # military mail (APO/FPO): Armed Forces Europe, Pacific, Americas
        {"street": "Unit 2050 Box 4190", "city": "APO", "state": "AE", "postal_code": "09096"},
        {"street": "PSC 455 Box 1", "city": "FPO", "state": "AP", "postal_code": "96540"},
        {"street": "Unit 8000 Box 1", "city": "DPO", "state": "aa", "postal_code": "34020"},
    ],
)
def test_us_address_good(vawa, change):
    vawa.values["s5.address"] = {**US, **change}
    assert field_findings(validate(vawa), "s5.address") == []


@pytest.mark.parametrize(
    "change, code, path, words",
    [
        ({"state": "XX"}, "state-unknown", "s5.address.state", '"XX"'),
        ({"state": "Illinois"}, "state-unknown", "s5.address.state", '"Illinois"'),
        ({"state": ""}, "required", "s5.address.state", "state is missing"),
        ({"state": None}, "required", "s5.address.state", "state is missing"),
        ({"postal_code": "6270"}, "zip-format", "s5.address.postal_code", '"6270"'),
        ({"postal_code": "627011234"}, "zip-format", "s5.address.postal_code", "ZIP+4"),
        ({"postal_code": "62701-12"}, "zip-format", "s5.address.postal_code", '"62701-12"'),
        ({"postal_code": "62-01"}, "zip-format", "s5.address.postal_code", '"62-01"'),
        ({"postal_code": "６２７０１"}, "zip-format", "s5.address.postal_code", "5 digits"),
        ({"postal_code": " "}, "required", "s5.address.postal_code", "ZIP code is missing"),
        ({"street": ""}, "required", "s5.address.street", "street address is missing"),
        ({"city": None}, "required", "s5.address.city", "city is missing"),
        ({"country": "ZZ"}, "country-unknown", "s5.address.country", '"ZZ"'),
        ({"country": "USA"}, "country-unknown", "s5.address.country", "two-letter"),
        ({"zip": "62701"}, "wrong-type", "s5.address", "'zip'"),
    ],
)
def test_us_address_bad(vawa, change, code, path, words):
    vawa.values["s5.address"] = {**US, **change}
    expect(validate(vawa), code, "error", path, "Mailing address", words)


def test_military_codes_are_not_bar_jurisdictions(employer):
    employer.values["s10.bar"] = [{"jurisdiction": "AE", "bar_number": "5550123"}]
    expect(validate(employer), "state-unknown", "error", "s10.bar[0].jurisdiction", '"AE"')


@pytest.mark.parametrize(
    "address",
    [
        {"street": "Calle Ficticia 12", "city": "Guadalajara", "country": "MX"},
        {
            "street": "Calle Ficticia 12",
            "city": "Guadalajara",
            "state": "Jalisco",
            "postal_code": "44100",
            "country": "mx",
        },
        {
            "street": "12 Sample Road",
            "city": "Toronto",
            "state": "ON",
            "postal_code": "M5V 2T6",
            "country": "CA",
        },
    ],
)
def test_foreign_address_needs_no_us_state_or_zip(vawa, address):
    vawa.values["s5.address"] = address
    assert field_findings(validate(vawa), "s5.address") == []


def test_foreign_address_still_needs_street_and_city(vawa):
    vawa.values["s5.address"] = {"city": "Guadalajara", "country": "MX"}
    expect(validate(vawa), "required", "error", "s5.address.street")


def test_address_missing_entirely(vawa):
    del vawa.values["s5.address"]
    expect(validate(vawa), "required", "error", "s5.address", "Mailing address")


# ------------------------------------------------------- country and US state


@pytest.mark.parametrize("good", ["VN", "vn", "MX", "SV"])
def test_country_good(vawa, good):
    vawa.values["s5.country_birth"] = good
    assert field_findings(validate(vawa), "s5.country_birth") == []


@pytest.mark.parametrize("bad", ["Vietnam", "XX", "VNM", "V"])
def test_country_bad(vawa, bad):
    vawa.values["s5.country_birth"] = bad
    expect(validate(vawa), "country-unknown", "error", "s5.country_birth", f'"{bad}"')


@pytest.mark.parametrize("good", ["NY", "ny", "DC", "PR", "VI"])
def test_us_state_good(employer, good):
    employer.values["s10.bar"] = [{"jurisdiction": good, "bar_number": "5550123"}]
    assert field_findings(validate(employer), "s10.bar") == []


@pytest.mark.parametrize("bad", ["New York", "XX", "N.Y."])
def test_us_state_bad(employer, bad):
    employer.values["s10.bar"] = [{"jurisdiction": bad, "bar_number": "5550123"}]
    expect(
        validate(employer),
        "state-unknown",
        "error",
        "s10.bar[0].jurisdiction",
        f'"{bad}"',
        "Bar admissions, row 1, Jurisdiction",
    )


# --------------------------------------------------------------- person names


@pytest.mark.parametrize(
    "name",
    [
        {"family": "Nguyễn", "given": "Thị Ánh", "middle": ""},
        {"family": "Żółć", "given": "Łukasz"},
        {"family": "Ødegård", "given": "Søren", "middle": None},
        {"family": "O'Brien-Mbeki", "given": "Thandiwe", "middle": "Nomsa"},
    ],
)
def test_person_name_good(vawa, name):
    vawa.values["s5.name"] = name
    vawa.values["s9.signer_name"] = dict(name)
    assert field_findings(validate(vawa), "s5.name") == []


@pytest.mark.parametrize(
    "name, missing",
    [
        ({"family": "Nguyễn", "given": ""}, "given"),
        ({"family": "Nguyễn"}, "given"),
        ({"family": "  ", "given": "Thị Ánh"}, "family"),
        ({"given": "Thị Ánh", "middle": "Lan"}, "family"),
    ],
)
def test_person_name_needs_family_and_given(vawa, name, missing):
    vawa.values["s5.name"] = name
    expect(
        validate(vawa), "required", "error", f"s5.name.{missing}", f"the {missing} name is missing"
    )


def test_person_name_unknown_part(vawa):
    vawa.values["s5.name"] = {"family": "Nguyễn", "given": "Thị Ánh", "nickname": "Ánh"}
    expect(validate(vawa), "wrong-type", "error", "s5.name", "'nickname'")


def test_person_name_missing_entirely(vawa):
    vawa.values["s5.name"] = {"family": "", "given": "", "middle": ""}
    expect(validate(vawa), "required", "error", "s5.name", "Full name")


# ---------------------------------------------------------------- identifiers


def test_receipt_number_normalised(vawa):
    vawa.values["s3.filings"][0]["receipt_number"] = "eac-24-900-12345"
    expect(validate(vawa), "normalized", "info", "s3.filings[0].receipt_number", "EAC2490012345")


@pytest.mark.parametrize(
    "bad, words",
    [
        ("EAC249001234", "12 characters"),
        ("EAC24900123456", "14 characters"),
        ("E1C2490012345", 'starts with "E1C"'),
        ("EACX490012345", 'has "X490012345" after the letters'),
        ("2490012345", "10 characters"),
    ],
)
def test_receipt_number_bad_shape(vawa, bad, words):
    vawa.values["s3.filings"][0]["receipt_number"] = bad
    expect(
        validate(vawa),
        "R41-receipt-format",
        "error",
        "s3.filings[0].receipt_number",
        f'"{bad}"',
        words,
        "EAC2190012345",
    )


def test_receipt_number_unknown_prefix_is_a_warning(vawa):
    vawa.values["s3.filings"][0]["receipt_number"] = "ZZZ2490012345"
    findings = validate(vawa)
    expect(findings, "R41-receipt-prefix", "warning", "s3.filings[0].receipt_number", "ZZZ")
    assert errors(findings) == []


def _receipt_paths():
    """(sample, field path, value) for every receipt number the samples hold and show."""
    definition = load_form_key(EDITION)
    out = []
    for name in (*GOOD_SAMPLES, "mistakes"):
        draft = sample(name)
        for i, row in enumerate(draft.values.get("s3.filings", [])):
            if row.get("receipt_number"):
                out.append((name, f"s3.filings[{i}].receipt_number"))
        if draft.values.get("s10.g28_receipt") and definition.has_field("s10.g28_receipt"):
            out.append((name, "s10.g28_receipt"))
    return out


@pytest.mark.parametrize("name, path", _receipt_paths())
def test_receipt_number_cut_to_12_characters_is_an_error(name, path):
    draft = sample(name)
    if path.startswith("s3.filings"):
        row = draft.values["s3.filings"][int(path.split("[")[1].split("]")[0])]
        cut = row["receipt_number"] = row["receipt_number"][:12]
    else:
        cut = draft.values[path] = draft.values[path][:12]
    found = [f for f in errors(validate(draft)) if f.field == path]
    assert [f.code for f in found] == ["R41-receipt-format"], found
    assert f'"{cut}"' in found[0].message


def test_every_sample_holds_a_receipt_number_to_cut():
    assert {name for name, _ in _receipt_paths()} == {*GOOD_SAMPLES, "mistakes"}


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("A201555014", "201555014"),
        ("A-201-555-014", "201555014"),
        ("12345678", "012345678"),
        ("A1234567", "001234567"),
    ],
)
def test_a_number_normalised(vawa, typed, stored):
    vawa.values["s5.a_number"] = typed
    expect(validate(vawa), "normalized", "info", "s5.a_number", stored)


def test_a_number_already_stored_form_passes(vawa):
    assert field_findings(validate(vawa), "s5.a_number") == []


@pytest.mark.parametrize(
    "bad, words",
    [
        ("A12-345", "has 5"),
        ("A1234567890", "has 10"),
        ("B12345678", "other characters"),
        ("EAC2490012345", "other characters"),
    ],
)
def test_a_number_bad(vawa, bad, words):
    vawa.values["s5.a_number"] = bad
    expect(validate(vawa), "R41-a-number-format", "error", "s5.a_number", f'"{bad}"', words)


@pytest.mark.parametrize("good", ["123456789012", "1234-5678-9012", "1234 5678 9012"])
def test_account_number_good(vawa, good):
    vawa.values["s5.uscis_account"] = good
    assert not errors(field_findings(validate(vawa), "s5.uscis_account"))


@pytest.mark.parametrize(
    "bad, words",
    [
        ("A201555014", "looks like an A-Number"),
        ("201555014", "looks like an A-Number"),
        ("12345678901", "has 11 digits"),
        ("1234567890123", "has 13 digits"),
    ],
)
def test_account_number_bad(vawa, bad, words):
    vawa.values["s5.uscis_account"] = bad
    expect(
        validate(vawa),
        "R41-account-format",
        "error",
        "s5.uscis_account",
        f'"{bad}"',
        "12 digits",
        words,
    )


def test_srmt_reference_too_long(vawa):
    vawa.values["s1a.actions"][0]["reference"] = "SRMT-" + "9" * 40
    findings = validate(vawa)
    expect(findings, "R41-srmt-format", "error", "s1a.actions[0].reference", "45")


@pytest.mark.parametrize("good", ["SRMT-2026-0804-7731", "any free text 123", "x" * 40])
def test_srmt_reference_has_no_fixed_format(vawa, good):
    vawa.values["s1a.actions"][0]["reference"] = good
    assert field_findings(validate(vawa), "s1a.actions[0].reference") == []


# ------------------------------------------------------------ choices, text


def test_single_choice_unknown_option(vawa):
    vawa.values["app.channel"] = "fax"
    expect(validate(vawa), "unknown-option", "error", "app.channel", '"fax"', "online")


def test_multiple_choice_unknown_option(vawa):
    vawa.values["s2.reasons"] = ["processing_time", "slow"]
    expect(validate(vawa), "unknown-option", "error", "s2.reasons", '"slow"')


def test_exclusive_option(vawa):
    vawa.values["app.client_category"] = ["vawa", "none"]
    expect(validate(vawa), "exclusive-option", "error", "app.client_category", '"None of these"')


def test_exclusive_option_alone_is_fine(employer):
    assert employer.values["app.client_category"] == ["none"]
    assert field_findings(validate(employer), "app.client_category") == []


def test_multiple_choice_required_needs_at_least_one(vawa):
    vawa.values["s2.reasons"] = []
    expect(validate(vawa), "required", "error", "s2.reasons", "needs an answer")


def test_text_too_long(vawa):
    vawa.values["s4.benefit_type"] = "other"
    vawa.values["s4.benefit_other"] = "b" * 201
    expect(validate(vawa), "too-long", "error", "s4.benefit_other", "at most 200", "has 201")


def test_text_at_the_limit(vawa):
    vawa.values["s4.benefit_type"] = "other"
    vawa.values["s4.benefit_other"] = "b" * 200
    assert field_findings(validate(vawa), "s4.benefit_other") == []


def test_yes_no_false_is_an_answer(vawa):
    vawa.values["s1.contacted_uscis"] = False
    assert field_findings(validate(vawa), "s1.contacted_uscis") == []


def test_required_yes_no_missing(vawa):
    del vawa.values["app.scr.legal_advice"]
    expect(validate(vawa), "required", "error", "app.scr.legal_advice", "legal advice")


# ---------------------------------------------------------------- groups


def test_group_rows_max(vawa):
    vawa.values["s1a.actions"] = [{"channel": "case_status", "date": "2026-10-01"}] * 11
    expect(validate(vawa), "rows-max", "error", "s1a.actions", "at most 10", "there are 11")


def test_group_rows_at_max(vawa):
    vawa.values["s1a.actions"] = [{"channel": "case_status", "date": "2026-10-01"}] * 10
    assert "rows-max" not in codes(validate(vawa))


def test_group_rows_min():
    def two_bar_rows(data):
        field_def(data, "s10.bar")["min_rows"] = 2

    edition = altered_edition(two_bar_rows)
    draft = sample("attorney-employer")
    expect(
        validate(draft, definition=edition),
        "rows-min",
        "error",
        "s10.bar",
        "at least 2",
        "there are 1",
    )
    draft.values["s10.bar"].append({"jurisdiction": "NJ", "bar_number": "0555"})
    assert "rows-min" not in codes(validate(draft, definition=edition))


def test_required_group_empty(vawa):
    vawa.values["s3.filings"] = []
    expect(validate(vawa), "required", "error", "s3.filings", "at least one row")


def test_group_row_required_subfield(vawa):
    del vawa.values["s3.filings"][0]["form_number"]
    expect(
        validate(vawa),
        "required",
        "error",
        "s3.filings[0].form_number",
        "Applications and petitions pending with USCIS related to this request, row 1, "
        "USCIS form number",
    )


def test_expedite_outcome_required_only_for_an_expedite_row(vawa):
    vawa.values["s1a.actions"].append({"channel": "expedite", "date": "2026-11-02"})
    expect(
        validate(vawa),
        "required",
        "error",
        "s1a.actions[2].expedite_outcome",
        "row 3, Outcome of the expedite request",
    )


def test_expedite_outcome_not_required_nor_checked_for_other_rows(vawa):
    vawa.values["s1a.actions"][0]["expedite_outcome"] = "granted?"  # hidden in this row
    findings = validate(vawa)
    assert [f for f in findings if f.field and "expedite_outcome" in f.field] == []


def test_expedite_outcome_is_checked_in_an_expedite_row(vawa):
    vawa.values["s1a.actions"].append(
        {"channel": "expedite", "date": "2026-11-02", "expedite_outcome": "granted?"}
    )
    expect(
        validate(vawa), "unknown-option", "error", "s1a.actions[2].expedite_outcome", '"granted?"'
    )


def test_receipt_number_and_date_required_unless_no_receipt(vawa):
    row = vawa.values["s3.filings"][0]
    del row["receipt_number"], row["receipt_date"]
    findings = validate(vawa)
    expect(findings, "required", "error", "s3.filings[0].receipt_number")
    expect(findings, "required", "error", "s3.filings[0].receipt_date")
    assert on_field(findings, "s3.filings[0].delivered_on") == []


def test_no_receipt_row_needs_the_delivery_date_instead(vawa):
    vawa.values["s3.filings"][0] = {"form_number": "I-360", "no_receipt": True, "primary": True}
    findings = validate(vawa)
    expect(findings, "required", "error", "s3.filings[0].delivered_on")
    assert on_field(findings, "s3.filings[0].receipt_number") == []
    assert on_field(findings, "s3.filings[0].receipt_date") == []


def test_group_row_unknown_field_is_reported_and_kept(vawa):
    vawa.values["s3.filings"][0]["priority_date"] = "2024-01-01"
    findings = validate(vawa)
    expect(
        findings, "unknown-field", "error", "s3.filings[0].priority_date", '"priority_date"', "kept"
    )
    assert vawa.values["s3.filings"][0]["priority_date"] == "2024-01-01"


# --------------------------------------------------------- hidden fields


def test_hidden_field_is_neither_required_nor_validated(vawa):
    vawa.values["s4.benefit_other"] = "x" * 500  # hidden: benefit type is not "other"
    vawa.values["s2.hearing_date"] = "next spring"  # hidden: no removal reason
    vawa.values["app.scr.clear_error"] = "maybe"  # hidden: change_decision is no
    findings = validate(vawa)
    for path in ("s4.benefit_other", "s2.hearing_date", "app.scr.clear_error"):
        assert on_field(findings, path) == [], path
    assert errors(findings) == []
    assert vawa.values["s2.hearing_date"] == "next spring"  # kept


def test_shown_field_is_required_and_validated(vawa):
    vawa.values["s4.benefit_type"] = "other"
    expect(validate(vawa), "required", "error", "s4.benefit_other", "Other benefit")


def test_hidden_section_is_not_validated(vawa):
    # Section 10 is only for attorneys and accredited representatives
    vawa.values["s10.email"] = "not an address"
    vawa.values["s10.bar"] = "NY 123"
    findings = validate(vawa)
    assert [f for f in findings if f.section == "s10"] == []
    assert errors(findings) == []


def test_shown_section_is_required(vawa):
    vawa.values["app.role"] = "attorney"
    findings = validate(vawa)
    for path in (
        "s10.rep_type",
        "s10.name",
        "s10.firm",
        "s10.address",
        "s10.phone",
        "s10.email",
        "s10.g28_status",
        "s10.g28_form",
    ):
        expect(findings, "required", "error", path)


@pytest.mark.parametrize(
    "mail_only, role, required",
    [
        (False, "self", True),
        (True, "self", False),
        (False, "attorney", False),
        (False, "parent", True),
        (None, "self", False),
    ],
)
def test_email_required_unless_mail_only(parent, mail_only, role, required):
    del parent.values["s5.email"]
    parent.values["s5.mail_only"] = mail_only
    parent.values["app.role"] = role
    found = [f for f in validate(parent) if f.field == "s5.email"]
    assert [f.code for f in found] == (["required"] if required else [])


# ------------------------------------------------- unknown fields, wrong types


@pytest.mark.parametrize(
    "key, section",
    [
        ("s5.nickname", "s5"),
        ("s3.priority_date", "s3"),
        ("zz.comment", "app"),
        ("app.notes", "app"),
    ],
)
def test_unknown_field_is_reported_and_kept(vawa, key, section):
    vawa.values[key] = "something"
    found = expect(
        validate(vawa), "unknown-field", "error", key, f'"{key}"', "kept", "DHS Form 7001"
    )
    assert found.section == section
    assert vawa.values[key] == "something"


@pytest.mark.parametrize(
    "field_id, value, expected",
    [
        ("app.scr.legal_advice", "no", "yes or no"),
        ("app.scr.legal_advice", 0, "yes or no"),
        ("app.role", ["self"], "one option id"),
        ("s2.reasons", "processing_time", "a list of option ids"),
        ("app.client_category", ["vawa", 3], "a list of option ids"),
        ("s5.name", "Nguyễn Thị Ánh", "a name"),
        ("s5.name", {"family": "Nguyễn", "given": 7}, "a name"),
        ("s5.address", "1200 Example Avenue, Springfield IL", "an address"),
        ("s3.filings", {"form_number": "I-360"}, "a list of rows"),
        ("s3.filings", ["I-360 EAC2490012345"], "a list of rows"),
        ("s5.phone", 2175550142, "text"),
        ("s5.a_number", 201555014, "text"),
        ("s5.country_birth", ["VN"], "text"),
        ("s2.explanation", {"text": "long"}, "text"),
    ],
)
def test_wrong_type_is_reported_not_crashed(vawa, field_id, value, expected):
    vawa.values[field_id] = value
    found = expect(validate(vawa), "wrong-type", "error", field_id, expected)
    assert "the draft holds" in found.message or "unknown" in found.message


WRONG_VALUES = [123, 1.5, True, "text", ["x"], {"a": 1}, [{"a": 1}], [1, 2], {"family": 5}]


@pytest.mark.parametrize("name", ["vawa-self", "attorney-employer", "family-child-a"])
def test_no_value_of_any_type_in_any_field_crashes_validation(name):
    definition = load_form_key(EDITION)
    related = [sample("family-parent"), sample("vawa-self")]
    related[1].id, related[1].status = "earlier", "submitted"
    for field in definition.all_fields():
        targets = [None] + [sub.id for sub in field.fields]
        for sub in targets:
            for value in WRONG_VALUES:
                draft = sample(name)
                if sub is None:
                    draft.values[field.id] = value
                else:
                    rows = draft.values.get(field.id)
                    rows = [dict(r) for r in rows] if isinstance(rows, list) and rows else [{}]
                    rows[0][sub] = value
                    draft.values[field.id] = rows
                findings = validate(draft, related=related)
                assert all(SENTENCE.match(f.message) for f in findings), (field.id, sub, value)


def test_section_filter_returns_only_that_section(vawa):
    vawa.values["s5.phone"] = "555-01"
    vawa.values["s2.explanation"] = "short"
    findings = validate(vawa, sections=["s5"])
    assert {f.section for f in findings} == {"s5"}
    expect(findings, "phone-format", "error", "s5.phone")
