"""Severity reviewed against the seeds (issue 13, item 4).

Errors only where the CIS Ombudsman cannot accept the request as it stands;
a default the attorney may reasonably set aside is a warning to acknowledge.
"""

from __future__ import annotations

import pytest

from .conftest import (
    attach,
    codes,
    detach,
    errors,
    expect,
    find_all,
    on_field,
    rule_codes,
    sample,
    validate,
)


def _attorney_signs_for_asylee():
    """TIPS: "you can sign section 9 ... on behalf of your client"."""
    draft = sample("asylee-attorney")
    draft.values["s9.capacity"] = "representative"
    draft.values["s9.signer_name"] = dict(draft.values["s10.name"])
    draft.values["s9.client_consent_date"] = "2026-11-10"
    detach(draft, "signed-section-9")
    return draft


def test_attorney_signing_section_9_for_the_client_is_a_warning_not_a_block():
    findings = validate(_attorney_signs_for_asylee())
    expect(findings, "R20-signed-scan-missing", "warning", "s8.documents", "on the client's behalf")
    assert errors(findings) == []


def test_client_signing_without_the_scan_is_still_an_error():
    draft = sample("asylee-attorney")
    detach(draft, "signed-section-9")
    expect(validate(draft), "R20-signed-scan-missing", "error", "s8.documents", "in ink")


def _removal(hearing: str | None):
    draft = sample("asylee-attorney")
    draft.values["s2.reasons"] = ["removal"]
    if hearing:
        draft.values["s2.hearing_date"] = hearing
    else:
        draft.values.pop("s2.hearing_date", None)
    return draft


def test_hearing_notice_is_a_warning_because_its_category_is_reconstructed():
    findings = validate(_removal("2027-02-01"))
    expect(findings, "R28-hearing-notice-missing", "warning", "s8.documents", "hearing notice")
    assert errors(findings) == []
    attach(draft := _removal("2027-02-01"), "hearing-notice", "Notice of hearing")
    assert not rule_codes(validate(draft), "R28")


def test_missing_hearing_date_says_why_it_matters():
    findings = validate(_removal(None))
    expect(findings, "R28-hearing-date-missing", "error", "s2.hearing_date", "within six months")
    assert [f.code for f in on_field(findings, "s2.hearing_date")] == ["R28-hearing-date-missing"]


def test_section_5_organization_named_like_the_beneficiary_is_caught():
    draft = sample("attorney-employer")
    draft.values["s5.org_name"] = "  łukasz  ŻÓŁĆ "
    expect(validate(draft), "R22-not-applicant", "error", "s5.org_name", "beneficiary")
    assert not rule_codes(validate(sample("attorney-employer")), "R22")


@pytest.mark.parametrize("phone", ["555-0100", "555-01", "5550100"])
def test_phone_without_area_code_gets_the_10_digit_error(phone):
    draft = sample("vawa-self")
    draft.values["s5.phone"] = phone
    found = [f for f in on_field(validate(draft), "s5.phone") if f.severity == "error"]
    assert len(found) == 1 and "10 digits" in found[0].message, found


def test_a_full_us_phone_number_is_fine():
    draft = sample("vawa-self")
    draft.values["s5.phone"] = "(217) 555-0100"
    assert not [f for f in on_field(validate(draft), "s5.phone") if f.severity == "error"]


def test_section_9_self_signer_who_is_someone_else_is_an_error():
    draft = sample("asylee-attorney")
    draft.values["s9.signer_name"] = {"family": "Ferreira", "given": "Lucía", "middle": ""}
    expect(validate(draft), "R45-signer-not-applicant", "error", "s9.signer_name", "Lucía Ferreira")


def test_section_9_self_signer_spelled_differently_is_a_warning():
    draft = sample("asylee-attorney")
    draft.values["s9.signer_name"] = {"family": "Munoz Diaz", "given": "José", "middle": ""}
    expect(validate(draft), "R45-signer-name-differs", "warning", "s9.signer_name", "Muñoz")


def test_section_9_self_signer_with_accents_or_case_differences_is_the_same_person():
    draft = sample("asylee-attorney")
    draft.values["s9.signer_name"] = {"family": "MUNOZ", "given": "jose", "middle": ""}
    assert not rule_codes(validate(draft), "R45")
    assert "R45-signer-not-applicant" not in codes(validate(sample("attorney-employer")))
    assert find_all(validate(sample("vawa-self")), "R45-signer-name-differs") == []
