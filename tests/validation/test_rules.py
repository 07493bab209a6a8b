"""The CIS Ombudsman's rules R1–R43 (dhs-7001.md §3): one positive and one negative test each.

Every test starts from a complete sample that validates without errors on
TODAY (11/24/2026) and changes one thing.  Positive tests check the code,
severity, field and the specific values in the message; negative tests use
a close variant (often the boundary) where the rule must stay quiet.
"""

from __future__ import annotations

from copy import deepcopy
from datetime import date

import pytest

from ombuds_desktop.draft.model import Submission
from ombuds_desktop.formdef import load_form_key
from ombuds_desktop.validation import applicable_rules, validate_section
from ombuds_desktop.validation.rules import RULES

from .conftest import (
    EDITION,
    GOOD_SAMPLES,
    SENTENCE,
    TODAY,
    attach,
    codes,
    detach,
    edition_without,
    errors,
    expect,
    find,
    find_all,
    on_field,
    rule_codes,
    sample,
    validate,
)

# --------------------------------------------------------------- the samples


@pytest.mark.parametrize("name", GOOD_SAMPLES)
def test_complete_samples_have_no_errors(name):
    findings = validate(sample(name))
    assert errors(findings) == []
    assert all(SENTENCE.match(f.message) for f in findings)


def test_family_samples_have_no_errors_when_validated_together():
    family = [sample(n) for n in ("family-parent", "family-child-a", "family-child-b")]
    for draft in family:
        assert errors(validate(draft, related=family)) == []


def test_mistakes_sample_has_many_errors_all_in_full_sentences():
    findings = validate(sample("mistakes"))
    assert len(errors(findings)) >= 20
    for f in findings:
        assert SENTENCE.match(f.message), f
        assert "invalid input" not in f.message.lower(), f
        assert len(f.message.split()) >= 5, f


def test_every_rule_r1_to_r45_is_registered_each_with_its_own_function():
    """R27 has a rule of its own (R3 emitted it before); R44 statutory time; R45 signer;
    R46 reconstructed wording."""
    ids = [r.id for r in RULES]
    assert sorted(ids, key=lambda i: int(i[1:])) == [f"R{n}" for n in range(1, 47)]
    assert len({r.check for r in RULES}) == len(RULES)
    active, skipped = applicable_rules(load_form_key(EDITION))
    assert active == ids and skipped == []


def test_a_rule_is_skipped_when_the_edition_lacks_its_fields():
    edition = edition_without("s2.explanation")
    active, skipped = applicable_rules(edition)
    assert "R13" not in active and "R35" not in active
    assert {s.id: s.missing for s in skipped}["R13"] == ("s2.explanation",)
    findings = validate(sample(), definition=edition)
    assert not rule_codes(findings, "R13") and not rule_codes(findings, "R35")
    # the value is still in the draft: reported as an unknown field, and kept
    expect(findings, "unknown-field", "error", "s2.explanation", "s2.explanation")


def test_validation_is_pure():
    draft = sample("mistakes")
    before = deepcopy(draft)
    validate(draft)
    assert draft == before


# --------------------------------------------------------------------- R1


def test_r1_not_contacted_uscis(vawa):
    vawa.values["s1.contacted_uscis"] = False
    vawa.values["s1a.actions"] = [{"channel": "carrier pigeon", "date": "yesterday"}]
    findings = validate(vawa)
    expect(
        findings,
        "R1-try-uscis-first",
        "warning",
        "s1.contacted_uscis",
        "try to resolve the issue with USCIS first",
        "1-800-375-5283",
    )
    # Section 1A is hidden then: its old rows are kept but neither checked nor used
    assert not [f for f in findings if f.field and f.field.startswith("s1a.actions[")]
    assert not rule_codes(findings, "R2")
    assert vawa.values["s1a.actions"][0]["channel"] == "carrier pigeon"


def test_r1_contacted_but_no_action_recorded(vawa):
    vawa.values["s1a.actions"] = []
    findings = validate(vawa)
    expect(findings, "R1-try-uscis-first", "warning", "s1.contacted_uscis")
    expect(findings, "required", "error", "s1a.actions", "at least one row")


def test_r1_quiet_when_uscis_was_contacted_and_recorded(vawa):
    assert not rule_codes(validate(vawa), "R1")


# --------------------------------------------------------------------- R2


def _actions(draft, *dates):
    draft.values["s1a.actions"] = [{"channel": "e_request", "date": d} for d in dates]
    return draft


def test_r2_no_contact_in_the_last_90_days(vawa):
    findings = validate(_actions(vawa, "2026-07-01", "2026-08-25"))  # 91 days ago
    expect(findings, "R2-no-recent-contact", "warning", "s1a.actions", "08/25/2026", "90 days")


def test_r2_contact_exactly_90_days_ago_is_recent(vawa):
    findings = validate(_actions(vawa, "2026-07-01", "2026-08-26"))  # 90 days ago
    assert not rule_codes(findings, "R2")


def test_r2_first_contact_under_60_days_ago_names_the_60_day_date(vawa):
    findings = validate(_actions(vawa, "2026-10-01", "2026-11-02"))
    expect(findings, "R2-too-soon", "warning", "s1a.actions", "10/01/2026", "11/30/2026")


def test_r2_first_contact_exactly_60_days_ago_is_enough(vawa):
    findings = validate(_actions(vawa, "2026-09-25", "2026-11-02"))
    assert not rule_codes(findings, "R2")


# ---------------------------------------------------------------- R3 and R27


def test_r3_within_published_processing_time_and_r27_examples(vawa):
    vawa.values["app.scr.pt_inquiry_date"] = "2024-12-01"  # receipt 12/10/2024 is later
    findings = validate(vawa)
    expect(
        findings,
        "R3-within-processing-time",
        "warning",
        "app.scr.pt_inquiry_date",
        "I-360 EAC2490012345",
        "12/10/2024",
        "12/01/2024",
        "few exceptions",
    )
    expect(
        findings,
        "R27-statutory-examples",
        "info",
        "app.scr.statutory_time",
        "I-360",
        "N-400",
        "I-129",
        "such as",
    )


def test_r3_receipt_on_the_inquiry_date_is_outside_processing_time(vawa):
    vawa.values["app.scr.pt_inquiry_date"] = "2024-12-10"
    findings = validate(vawa)
    assert not rule_codes(findings, "R3") and not rule_codes(findings, "R27")


def test_r3_and_r27_quiet_for_a_statutory_processing_time(vawa):
    vawa.values["app.scr.pt_inquiry_date"] = "2024-12-01"
    vawa.values["app.scr.statutory_time"] = True
    findings = validate(vawa)
    assert not rule_codes(findings, "R3") and not rule_codes(findings, "R27")


# --------------------------------------------------------------------- R4


def _unpublished(draft, receipt_date):
    draft.values["app.scr.pt_published"] = False
    draft.values["s3.filings"][0]["receipt_date"] = receipt_date
    return draft


def test_r4_no_published_time_and_under_six_months(vawa):
    findings = validate(_unpublished(vawa, "2026-06-01"))
    expect(
        findings,
        "R4-under-six-months",
        "warning",
        "app.scr.pt_published",
        "06/01/2026",
        "12/01/2026",
        "I-360 EAC2490012345",
    )


def test_r4_quiet_once_six_calendar_months_have_passed(vawa):
    findings = validate(_unpublished(vawa, "2026-05-24"))  # six months on 11/24/2026
    assert not rule_codes(findings, "R4")
    # and the hidden processing-time dates are no longer checked by R3 or R5
    assert not rule_codes(findings, "R3") and not rule_codes(findings, "R5")


# --------------------------------------------------------------------- R5


def test_r5_processing_times_checked_more_than_30_days_ago(vawa):
    vawa.values["app.scr.pt_checked_on"] = "2026-10-24"
    findings = validate(vawa)
    expect(
        findings,
        "R5-recheck-processing-times",
        "info",
        "app.scr.pt_checked_on",
        "10/24/2026",
        "30 days",
    )


def test_r5_quiet_when_checked_30_days_ago(vawa):
    vawa.values["app.scr.pt_checked_on"] = "2026-10-25"
    assert not rule_codes(validate(vawa), "R5")


# --------------------------------------------------------------------- R6


def test_r6_expedite_denied_in_the_screener(vawa):
    vawa.values["app.scr.expedite_denied"] = "denied"
    findings = validate(vawa)
    expect(
        findings,
        "R6-expedite-denied",
        "warning",
        "app.scr.expedite_denied",
        "denied an expedite request",
        "few exceptions",
    )
    expect(findings, "R6-exceptional", "info", "app.scr.expedite_denied", "exceptional")


def test_r6_expedite_denied_in_section_1a(vawa):
    vawa.values["s1a.actions"].append(
        {"channel": "expedite", "date": "2026-11-02", "expedite_outcome": "denied"}
    )
    expect(validate(vawa), "R6-expedite-denied", "warning", "app.scr.expedite_denied")


@pytest.mark.parametrize("outcome", ["pending", "approved", "no_response"])
def test_r6_quiet_when_the_expedite_was_not_denied(vawa, outcome):
    vawa.values["app.scr.expedite_denied"] = "pending"
    vawa.values["s1a.actions"].append(
        {"channel": "expedite", "date": "2026-11-02", "expedite_outcome": outcome}
    )
    assert not rule_codes(validate(vawa), "R6")


# --------------------------------------------------------------------- R7


def _expedite_reason(draft):
    draft.values["s2.reasons"] = ["expedite"]
    draft.values["s2.expedite_criteria"] = ["humanitarian"]
    return draft


def test_r7_expedite_reason_without_uscis_request_or_evidence(vawa):
    findings = validate(_expedite_reason(vawa))
    expect(findings, "R7-no-uscis-expedite", "warning", "s1a.actions", "Only USCIS can expedite")
    expect(
        findings,
        "R7-expedite-evidence-missing",
        "error",
        "s8.documents",
        "Evidence for the expedite criteria",
        "medical records",
    )


def test_r7_quiet_with_uscis_expedite_request_and_evidence(vawa):
    _expedite_reason(vawa)
    vawa.values["s1a.actions"].append(
        {"channel": "expedite", "date": "2026-11-02", "expedite_outcome": "pending"}
    )
    attach(vawa, "expedite-evidence", "Letter from the treating physician")
    findings = validate(vawa)
    assert not rule_codes(findings, "R7")
    assert errors(findings) == []


def test_r7_quiet_without_the_expedite_reason(vawa):
    detach(vawa, "expedite-evidence")
    assert not rule_codes(validate(vawa), "R7")


# ------------------------------------------------------------------ R8, R9


def test_r8_legal_advice(vawa):
    vawa.values["app.scr.legal_advice"] = True
    expect(
        validate(vawa),
        "R8-legal-advice",
        "warning",
        "app.scr.legal_advice",
        "cannot give legal advice",
    )


def test_r8_quiet_when_not_seeking_legal_advice(vawa):
    assert vawa.values["app.scr.legal_advice"] is False
    assert not rule_codes(validate(vawa), "R8")


def test_r9_not_a_uscis_issue(vawa):
    vawa.values["app.scr.involves_uscis"] = False
    expect(validate(vawa), "R9-not-uscis", "warning", "app.scr.involves_uscis", "EOIR", "ICE")


def test_r9_quiet_for_a_uscis_issue(vawa):
    assert not rule_codes(validate(vawa), "R9")


# -------------------------------------------------------------------- R10


def test_r10_congressional_inquiry_under_30_days_ago(vawa):
    vawa.values["app.scr.congress_date"] = "2026-11-01"
    expect(
        validate(vawa),
        "R10-congress-30-days",
        "warning",
        "app.scr.congress_date",
        "11/01/2026",
        "12/01/2026",
        "30 calendar days",
    )


def test_r10_quiet_30_calendar_days_after_the_inquiry(vawa):
    vawa.values["app.scr.congress_date"] = "2026-10-25"
    assert not rule_codes(validate(vawa), "R10")


# ------------------------------------------------------------------ R11, R12


def test_r11_changing_a_decision_without_clear_error(vawa):
    vawa.values["app.scr.change_decision"] = True
    vawa.values["app.scr.clear_error"] = False
    expect(
        validate(vawa),
        "R11-change-decision",
        "warning",
        "app.scr.clear_error",
        "clear error of fact or law",
    )


def test_r11_quiet_when_the_decision_rests_on_a_clear_error(vawa):
    vawa.values["app.scr.change_decision"] = True
    vawa.values["app.scr.clear_error"] = True
    assert not rule_codes(validate(vawa), "R11")


def test_r12_clear_error_answer_needs_proof(vawa):
    vawa.values["app.scr.change_decision"] = True
    vawa.values["app.scr.clear_error"] = True
    expect(
        validate(vawa),
        "R12-error-evidence-missing",
        "error",
        "s8.documents",
        "Documents showing a USCIS error",
        "why it is an error",
    )


def test_r12_clear_error_reason_needs_proof(vawa):
    vawa.values["s2.reasons"] = ["clear_error"]
    expect(validate(vawa), "R12-error-evidence-missing", "error", "s8.documents")


def test_r12_quiet_with_the_error_evidence_attached(vawa):
    vawa.values["s2.reasons"] = ["clear_error"]
    vawa.values["app.scr.change_decision"] = True
    vawa.values["app.scr.clear_error"] = True
    attach(vawa, "uscis-error-evidence", "Rejection notice and the original filing")
    assert not rule_codes(validate(vawa), "R12")


def test_r12_ignores_a_hidden_clear_error_answer(vawa):
    # answered "clear error: yes", then changed "change a decision" back to no:
    # the clear-error question is hidden, so its old answer must not demand proof
    vawa.values["app.scr.change_decision"] = False
    vawa.values["app.scr.clear_error"] = True
    assert not rule_codes(validate(vawa), "R12")


# ------------------------------------------------------------------ R13, R14


def test_r13_third_party_note_on_the_explanation(vawa):
    expect(
        validate(vawa), "R13-third-parties", "info", "s2.explanation", "designated school officials"
    )


def test_r13_not_in_another_sections_findings(vawa):
    assert not rule_codes(validate_section(vawa, "s5", today=TODAY), "R13")


def test_r14_no_urging_note(vawa):
    expect(validate(vawa), "R14-no-urging", "info", None, "cannot urge USCIS")


def test_r14_not_in_a_single_sections_findings(vawa):
    findings = validate_section(vawa, "s2", today=TODAY)
    assert not rule_codes(findings, "R14")
    assert {f.section for f in findings} == {"s2"}


# -------------------------------------------------------------------- R15


def test_r15_attorney_without_g28(employer):
    detach(employer, "g28")
    expect(
        validate(employer),
        "R15-g28-missing",
        "error",
        "s8.documents",
        "Form G-28 on file with USCIS",
    )


def test_r15_g28_submitted_but_not_accepted_needs_proof(employer):
    employer.values["s10.g28_status"] = "submitted"
    detach(employer, "g28")
    expect(
        validate(employer), "R15-g28-missing", "error", "s8.documents", "proof of its submission"
    )


def test_r15_quiet_with_proof_of_submission(employer):
    employer.values["s10.g28_status"] = "submitted"
    detach(employer, "g28")
    attach(employer, "g28-proof-of-submission", "USPS delivery record of the G-28")
    assert not rule_codes(validate(employer), "R15")


def test_r15_quiet_when_no_representative_files(vawa):
    assert not rule_codes(validate(vawa), "R15")


def test_r15_incomplete_section_10_is_an_error(employer):
    del employer.values["s10.firm"]
    employer.values["s10.bar"] = []
    findings = validate(employer)
    expect(findings, "required", "error", "s10.firm", "Law firm")
    expect(findings, "required", "error", "s10.bar", "at least one row")


# -------------------------------------------------------------------- R16


def test_r16_g28_for_another_form(employer):
    employer.values["s10.g28_form"] = "I-130"
    expect(validate(employer), "R16-g28-form-mismatch", "error", "s10.g28_form", "I-130", "I-129")


@pytest.mark.parametrize("typed", ["I-129", "i129", "I 129", " i-129 "])
def test_r16_form_numbers_compare_after_normalising(employer, typed):
    employer.values["s10.g28_form"] = typed
    assert not rule_codes(validate(employer), "R16")


def test_r16_g28_receipt_differs_from_the_primary_receipt(employer):
    employer.values["s10.g28_receipt"] = "WAC2510054322"
    expect(
        validate(employer),
        "R16-g28-receipt-mismatch",
        "warning",
        "s10.g28_receipt",
        "WAC2510054322",
        "WAC2510054321",
    )


def test_r16_g28_receipt_with_dashes_matches(employer):
    employer.values["s10.g28_receipt"] = "wac-25-100-54321"
    assert not rule_codes(validate(employer), "R16")


def test_r16_quiet_when_no_representative_files(vawa):
    vawa.values["s10.g28_form"] = "I-130"  # left over, and Section 10 is hidden
    assert not rule_codes(validate(vawa), "R16")


# -------------------------------------------------------------------- R17


def test_r17_representative_signature_without_a_representative(vawa):
    vawa.values["s9.capacity"] = "representative"
    vawa.values["s9.client_consent_date"] = "2026-11-10"
    expect(validate(vawa), "R17-not-representative", "error", "s9.capacity", "G-28")


def test_r17_representative_may_sign_for_the_client(employer):
    assert employer.values["s9.capacity"] == "representative"
    assert not rule_codes(validate(employer), "R17")


def test_r17_representative_signature_needs_the_client_consent_date(employer):
    del employer.values["s9.client_consent_date"]
    expect(validate(employer), "required", "error", "s9.client_consent_date")


# -------------------------------------------------------------------- R18


def test_r18_communication_limit_when_someone_else_files(employer):
    expect(validate(employer), "R18-communication", "info", None, "written consent")


def test_r18_quiet_when_the_applicant_files(vawa):
    assert not rule_codes(validate(vawa), "R18")


# -------------------------------------------------------------------- R19


def _preparer(draft, role):
    draft.values["app.role"] = role
    draft.values["s7.consent_on_file"] = True
    draft.values["s7.organization"] = "Office of Representative Example"
    return draft


@pytest.mark.parametrize("role", ["family", "congressional", "other_preparer"])
def test_r19_preparer_needs_the_applicants_written_consent(child, role):
    findings = validate(_preparer(child, role))
    expect(
        findings,
        "R19-consent-missing",
        "error",
        "s8.documents",
        "Written consent of the applicant or petitioner",
    )


@pytest.mark.parametrize("role", ["family", "congressional", "other_preparer"])
def test_r19_quiet_with_the_consent_attached(child, role):
    attach(_preparer(child, role), "consent", "Signed consent of the applicant")
    findings = validate(child)
    assert not rule_codes(findings, "R19")
    assert errors(findings) == []


def test_r19_beneficiary_needs_the_petitioners_consent(child):
    _preparer(child, "beneficiary")
    expect(
        validate(child),
        "R19-consent-missing",
        "error",
        "s8.documents",
        "Consent of the petitioner (employer or family sponsor)",
    )


def test_r19_quiet_with_the_petitioners_consent(child):
    attach(_preparer(child, "beneficiary"), "petitioner-consent", "Petitioner's consent letter")
    assert not rule_codes(validate(child), "R19")


def test_r19_consent_not_on_file_is_an_error(child):
    attach(_preparer(child, "family"), "consent", "Signed consent of the applicant")
    child.values["s7.consent_on_file"] = False
    expect(validate(child), "R19-consent-not-on-file", "error", "s7.consent_on_file")


def test_r19_consent_question_must_be_answered(child):
    attach(_preparer(child, "family"), "consent", "Signed consent of the applicant")
    del child.values["s7.consent_on_file"]
    expect(validate(child), "required", "error", "s7.consent_on_file")


def test_r19_quiet_for_a_parent_of_a_child_under_18(child):
    assert not rule_codes(validate(child), "R19")


def test_r19_parent_of_an_adult_needs_consent_like_a_family_member(child):
    child.values["s5.dob"] = "2008-01-15"
    expect(validate(child), "R19-consent-missing", "error", "s8.documents")


# -------------------------------------------------------------------- R20


def test_r20_wet_ink_scan_missing_for_online_filing(vawa):
    detach(vawa, "signed-section-9")
    findings = validate(vawa)
    expect(
        findings,
        "R20-signed-scan-missing",
        "error",
        "s8.documents",
        "Signed Section 9 (wet-ink signature, scanned)",
    )
    expect(
        findings, "R20-wet-ink", "info", "s9.signature", "VAWA", "in ink", "upload it in Section 8"
    )


def test_r20_once_the_scan_is_attached_it_no_longer_asks_to_print(vawa):
    findings = validate(vawa)
    assert "R20-signed-scan-missing" not in codes(findings)
    expect(findings, "R20-wet-ink", "info", "s9.signature", "scan of the signed page is attached")
    assert not any("Print the signature page" in f.message for f in findings)


def test_r20_mailed_original_needs_no_scan(vawa):
    detach(vawa, "signed-section-9")
    vawa.values["app.channel"] = "mail"
    findings = validate(vawa)
    assert "R20-signed-scan-missing" not in codes(findings)
    expect(findings, "R20-wet-ink", "info", "s9.signature", "mail the original signed page")


def test_r20_representative_signature_for_a_protected_client(asylee):
    asylee.values["s9.capacity"] = "representative"
    asylee.values["s9.client_consent_date"] = "2026-11-10"
    expect(
        validate(asylee),
        "R20-representative-signs",
        "warning",
        "s9.capacity",
        "asylee",
        "personally",
    )


def test_r20_quiet_for_other_clients(employer):
    assert employer.values["app.client_category"] == ["none"]
    assert not rule_codes(validate(employer), "R20")


# -------------------------------------------------------------------- R21


def test_r21_mail_only_is_noted_for_an_unrepresented_protected_client(vawa):
    expect(validate(vawa), "R21-mail-only", "info", "s5.mail_only", "VAWA", "only by U.S. mail")


def test_r21_mail_only_is_forced_not_reported(vawa):
    """The law decides mail-only; the core sets it for every entry point (issue 13)."""
    vawa.values["s5.mail_only"] = False
    vawa.values["s5.email"] = "client@mail.example"
    findings = validate(vawa)
    assert rule_codes(findings, "R21") == {"R21-mail-only"}
    assert errors(findings) == []


def test_r21_address_must_match_uscis_records(vawa):
    vawa.values["s5.address_matches_uscis"] = False
    expect(
        validate(vawa),
        "R21-address-must-match",
        "error",
        "s5.address_matches_uscis",
        "address in USCIS systems",
    )


def test_r21_quiet_when_an_attorney_files(asylee):
    assert asylee.values["s5.mail_only"] is False
    assert not rule_codes(validate(asylee), "R21")


def test_r21_accredited_representative_only_is_a_warning(asylee):
    asylee.values["app.role"] = "accredited_rep"
    asylee.values["s10.rep_type"] = "accredited_rep"
    asylee.values["s10.accreditation_org"] = "Example Immigrant Legal Services"
    asylee.values["s10.accreditation_date"] = "2021-05-01"
    asylee.values["s5.address_matches_uscis"] = False
    findings = validate(asylee)
    assert rule_codes(findings, "R21") == {"R21-accredited-rep-only"}
    expect(findings, "R21-accredited-rep-only", "warning", None, "accredited")


# -------------------------------------------------------------------- R22


def test_r22_section_5_names_the_attorney(asylee):
    asylee.values["s10.name"] = {"family": " muñoz", "given": "JOSÉ  ", "middle": "Andrés"}
    expect(
        validate(asylee), "R22-not-applicant", "error", "s5.name", "José Andrés Muñoz", "Section 10"
    )


def test_r22_section_5_names_the_beneficiary(vawa):
    vawa.values["s6.has_beneficiary"] = True
    vawa.values["s6.name"] = dict(vawa.values["s5.name"])
    expect(validate(vawa), "R22-not-applicant", "error", "s5.name", "beneficiary in Section 6")


def test_r22_section_5_names_the_requesting_beneficiary(child):
    attach(_preparer(child, "beneficiary"), "petitioner-consent", "Petitioner's consent")
    child.values["s7.name"] = dict(child.values["s5.name"])
    expect(validate(child), "R22-not-applicant", "error", "s5.name", "requester in Section 7")


def test_r22_quiet_for_different_people(asylee):
    asylee.values["s10.name"] = {"family": "Muñoz", "given": "José", "middle": ""}  # no middle
    assert not rule_codes(validate(asylee), "R22")


def test_r22_quiet_when_section_6_is_not_used(vawa):
    vawa.values["s6.name"] = dict(vawa.values["s5.name"])  # left over while hidden
    assert not rule_codes(validate(vawa), "R22")


# -------------------------------------------------------------------- R23


def test_r23_family_box_without_a_linked_draft(vawa):
    vawa.values["s5.family_box"] = True
    findings = validate(vawa)
    expect(findings, "R23-create-linked", "info", "s5.family_box", "separate DHS Form 7001")
    expect(findings, "R23-link-requests", "info", "s5.family_box", "cisombudsman@hq.dhs.gov")


def test_r23_linked_family_draft_only_gets_the_after_submission_note(parent):
    findings = validate(parent, related=[sample("family-child-a")])
    assert rule_codes(findings, "R23") == {"R23-link-requests"}


def test_r23_same_person_twice_in_a_family_group(parent, child):
    child.values["s5.name"] = dict(parent.values["s5.name"])
    child.values["s5.dob"] = parent.values["s5.dob"]
    expect(
        validate(parent, related=[child]), "R23-same-person", "warning", "s5.name", "Amina Haddad"
    )


def test_r23_quiet_without_the_family_box(vawa):
    assert not rule_codes(validate(vawa), "R23")


# -------------------------------------------------------------------- R24


def test_r24_family_members_receipt_number_listed(parent, child):
    child.values["s3.filings"].append(
        {"form_number": "I-485", "receipt_number": "ioe-09-123-45678", "primary": False}
    )  # the parent's, as an extra row
    expect(
        validate(child, related=[parent]),
        "R24-family-receipt",
        "error",
        "s3.filings[1].receipt_number",
        "IOE0912345678",
        "Amina Haddad",
    )


def test_r24_quiet_for_own_receipt_numbers(parent, child):
    assert not rule_codes(validate(child, related=[parent, sample("family-child-b")]), "R24")


def test_r24_quiet_for_a_draft_outside_the_family_group(parent, child):
    child.values["s3.filings"][0]["receipt_number"] = "IOE0912345678"
    parent.family_group = "another-family"
    assert not rule_codes(validate(child, related=[parent]), "R24")


# -------------------------------------------------------------------- R25


def _earlier_request(status="submitted"):
    """The same request (vawa-self) filed earlier, as another draft of the user."""
    other = sample("vawa-self")
    other.id = "earlier-request"
    other.status = status
    return other


def test_r25_duplicate_of_a_submitted_request(vawa):
    expect(
        validate(vawa, related=[_earlier_request()]),
        "R25-duplicate",
        "warning",
        "s3.filings[0].receipt_number",
        "EAC2490012345",
    )


def test_r25_quiet_when_the_other_request_was_not_submitted(vawa):
    assert not rule_codes(validate(vawa, related=[_earlier_request("ready")]), "R25")


def test_r25_quiet_for_a_different_reason(vawa):
    other = _earlier_request()
    other.values["s2.reasons"] = ["not_received"]
    assert not rule_codes(validate(vawa, related=[other]), "R25")


def test_r25_ignores_the_draft_itself(vawa):
    vawa.status = "submitted"
    assert not rule_codes(validate(vawa, related=[vawa]), "R25")


# -------------------------------------------------------------------- R26


def test_r26_parent_signs_for_someone_who_is_18(child):
    child.values["s5.dob"] = "2008-11-20"  # 18 on the signing date 11/20/2026
    expect(
        validate(child),
        "R26-not-a-minor",
        "error",
        "s9.capacity",
        "11/20/2008",
        "is 18 on 11/20/2026",
    )


def test_r26_parent_signs_for_a_child_one_day_short_of_18(child):
    child.values["s5.dob"] = "2008-11-21"
    assert not rule_codes(validate(child), "R26")


def test_r26_without_a_signing_date_today_counts(child):
    del child.values["s9.date"]
    child.values["s5.dob"] = "2008-11-24"
    expect(validate(child), "R26-not-a-minor", "error", "s9.capacity", "is 18 on 11/24/2026")


def test_r26_child_age_unknown(child):
    del child.values["s5.dob"]
    findings = validate(child)
    expect(findings, "R26-child-age-unknown", "error", "s5.dob", "under 18")
    # the rule says why the date is needed, so the bare "this needs an answer" is dropped
    assert [f.code for f in on_field(findings, "s5.dob")] == ["R26-child-age-unknown"]


# -------------------------------------------------------------------- R28


def _removal(draft, hearing):
    draft.values["s2.reasons"] = ["removal"]
    draft.values["s2.hearing_date"] = hearing
    return attach(draft, "hearing-notice", "Notice of hearing in removal proceedings")


def test_r28_hearing_more_than_six_months_away(vawa):
    findings = validate(_removal(vawa, "2027-05-25"))
    expect(findings, "R28-hearing-far", "warning", "s2.hearing_date", "05/25/2027", "six months")


def test_r28_hearing_exactly_six_months_away_is_within(vawa):
    assert not rule_codes(validate(_removal(vawa, "2027-05-24")), "R28")


def test_r28_hearing_in_the_past(vawa):
    expect(
        validate(_removal(vawa, "2026-11-01")),
        "R28-hearing-past",
        "warning",
        "s2.hearing_date",
        "11/01/2026",
    )


def test_r28_hearing_notice_missing(vawa):
    detach(_removal(vawa, "2027-01-15"), "hearing-notice")
    expect(
        validate(vawa),
        "R28-hearing-notice-missing",
        "warning",  # its document category is reconstructed (issue 13)
        "s8.documents",
        "Immigration court hearing notice",
    )


def test_r28_hearing_date_is_required(vawa):
    _removal(vawa, "2027-01-15")
    del vawa.values["s2.hearing_date"]
    expect(validate(vawa), "R28-hearing-date-missing", "error", "s2.hearing_date", "six months")


def test_r28_quiet_without_the_removal_reason(vawa):
    vawa.values["s2.hearing_date"] = "2030-01-01"  # hidden, left over
    findings = validate(vawa)
    assert not rule_codes(findings, "R28")
    assert on_field(findings, "s2.hearing_date") == []


# -------------------------------------------------------------------- R29


def test_r29_nearest_upcoming_deadline(vawa):
    vawa.values["app.deadlines"] = [
        {"kind": "appeal", "due_date": "2027-03-01"},
        {"kind": "rfe", "due_date": "2027-01-15"},
        {"kind": "noid", "due_date": "2026-10-01"},
    ]
    findings = validate(vawa)
    expect(
        findings,
        "R29-deadline",
        "warning",
        "app.deadlines",
        "01/15/2027",
        "does not change your appeal and motion rights",
    )
    assert "R29-deadline-note" not in codes(findings)


def test_r29_deadline_already_passed(vawa):
    vawa.values["app.deadlines"] = [{"kind": "rfe", "due_date": "2026-10-01"}]
    expect(validate(vawa), "R29-deadline", "warning", "app.deadlines", "was due on 10/01/2026")


def test_r29_without_deadlines_only_the_note(vawa):
    findings = validate(vawa)
    assert rule_codes(findings, "R29") == {"R29-deadline-note"}
    expect(findings, "R29-deadline-note", "info", None, "extend any USCIS deadlines")


# ------------------------------------------------------------------ R30, R31


def _no_receipt(draft, delivered_on):
    draft.values["s3.filings"] = [
        {"form_number": "I-360", "no_receipt": True, "delivered_on": delivered_on, "primary": True}
    ]
    return attach(draft, "delivery-proof", "USPS tracking record and copy of the package")


def test_r30_no_receipt_notice_needs_delivery_proof(vawa):
    detach(_no_receipt(vawa, "2026-09-01"), "delivery-proof")
    expect(
        validate(vawa),
        "R30-delivery-proof-missing",
        "error",
        "s8.documents",
        "Delivery confirmation with a copy of the submission to USCIS",
    )


def test_r30_quiet_with_delivery_proof(vawa):
    assert not rule_codes(validate(_no_receipt(vawa, "2026-09-01")), "R30")


def test_r31_too_early_for_a_lockbox_inquiry(vawa):
    findings = validate(_no_receipt(vawa, "2026-11-02"))
    expect(
        findings,
        "R31-lockbox-too-early",
        "warning",
        "s3.filings[0].delivered_on",
        "30 business days",
        "11/02/2026",
        "12/16/2026",
    )


def test_r31_business_days_skip_federal_holidays(vawa):
    # 10/13/2026 -> 11/24/2026 is 30 weekdays but 29 business days (Veterans Day)
    findings = validate(_no_receipt(vawa, "2026-10-13"))
    expect(
        findings,
        "R31-lockbox-too-early",
        "warning",
        "s3.filings[0].delivered_on",
        "federal holidays excluded",
        "11/25/2026",
    )


def test_r31_after_30_business_days_email_the_lockbox_first(vawa):
    findings = validate(_no_receipt(vawa, "2026-10-12"))  # Columbus Day; 30 days since
    expect(
        findings,
        "R31-lockbox-first",
        "warning",
        "s3.filings[0].delivered_on",
        "30 business days",
        "10/12/2026",
        "lockboxsupport@uscis.dhs.gov",
    )


def test_r31_quiet_after_a_lockbox_email(vawa):
    _no_receipt(vawa, "2026-09-01")
    vawa.values["s1a.actions"].append({"channel": "lockbox_email", "date": "2026-10-30"})
    assert not rule_codes(validate(vawa), "R31")


def test_r31_quiet_when_the_receipt_notice_came(vawa):
    vawa.values["s3.filings"][0]["delivered_on"] = "2026-11-02"  # hidden, left over
    assert not rule_codes(validate(vawa), "R31")


# -------------------------------------------------------------------- R32


def test_r32_refugee_contact(parent):
    parent.values["app.client_category"] = ["refugee"]
    expect(
        validate(parent),
        "R32-refugee-contact",
        "info",
        "s1a.actions",
        "refugeeaffairsinquiries@uscis.dhs.gov",
    )


def test_r32_quiet_after_the_refugee_channel_was_tried(parent):
    parent.values["app.client_category"] = ["refugee"]
    parent.values["s1a.actions"].append({"channel": "refugee_email", "date": "2026-10-15"})
    assert not rule_codes(validate(parent), "R32")


def test_r32_tuvawa_contact(vawa):
    vawa.values["s1a.actions"] = vawa.values["s1a.actions"][:1]  # drop the VAWA-unit letter
    expect(validate(vawa), "R32-tuvawa-contact", "info", "s1a.actions", "T, U and VAWA")


def test_r32_quiet_after_the_tuvawa_channel_was_tried(vawa):
    assert not rule_codes(validate(vawa), "R32")


# -------------------------------------------------------------------- R33


def test_r33_single_filing_prompts_for_related_filings(vawa):
    expect(validate(vawa), "R33-related-filings", "info", "s3.filings", "never a family member")


def test_r33_quiet_with_several_filings(vawa):
    vawa.values["s3.filings"].append(
        {"form_number": "I-765", "receipt_number": "EAC2490012346", "receipt_date": "2024-12-10"}
    )
    assert not rule_codes(validate(vawa), "R33")


# -------------------------------------------------------------------- R34


def test_r34_no_documents(vawa):
    vawa.attachments = []
    vawa.values["app.channel"] = "mail"  # so R20 needs no scan
    findings = validate(vawa)
    expect(findings, "R34-no-documents", "error", "s8.documents", "No supporting documents")
    assert "R34-no-uscis-document" not in codes(findings)


def test_r34_no_uscis_notice_or_response(vawa):
    detach(vawa, "uscis-notice", "service-request")
    expect(validate(vawa), "R34-no-uscis-document", "warning", "s8.documents", "USCIS notice")


@pytest.mark.parametrize("keep", ["uscis-notice", "service-request"])
def test_r34_quiet_with_either_uscis_document(vawa, keep):
    detach(vawa, *({"uscis-notice", "service-request"} - {keep}))
    assert not rule_codes(validate(vawa), "R34")


# -------------------------------------------------------------------- R35


def test_r35_short_explanation(vawa):
    vawa.values["s2.explanation"] = "x" * 99
    expect(validate(vawa), "R35-explanation-short", "warning", "s2.explanation", "99 characters")


def test_r35_quiet_at_100_characters(vawa):
    vawa.values["s2.explanation"] = "  " + "x" * 100 + "  "
    assert not rule_codes(validate(vawa), "R35")


def test_r35_empty_explanation_is_an_error(vawa):
    vawa.values["s2.explanation"] = "   "
    findings = validate(vawa)
    expect(findings, "required", "error", "s2.explanation", "Explanation")
    assert not rule_codes(findings, "R35")


# ---------------------------------------------------------------- R36, R37


@pytest.mark.parametrize("channel", ["email", "mail"])
def test_r36_email_or_mail_is_slower(vawa, channel):
    vawa.values["app.channel"] = channel
    expect(
        validate(vawa),
        "R36-manual-entry",
        "info",
        "app.channel",
        "two to three weeks",
        "express mail",
    )


def test_r36_quiet_online(vawa):
    assert not rule_codes(validate(vawa), "R36")


def _abroad(draft):
    draft.values["s5.address"] = {
        "street": "Calle Ficticia 12",
        "city": "Guadalajara",
        "state": "Jalisco",
        "postal_code": "44100",
        "country": "mx",
    }
    return draft


def test_r37_client_abroad_filing_online(vawa):
    expect(validate(_abroad(vawa)), "R37-abroad", "info", "app.channel", "cisombudsman@hq.dhs.gov")


def test_r37_quiet_when_abroad_and_filing_by_email(vawa):
    _abroad(vawa).values["app.channel"] = "email"
    assert not rule_codes(validate(vawa), "R37")


def test_r37_quiet_in_the_united_states(vawa):
    assert not rule_codes(validate(vawa), "R37")


# ---------------------------------------------------------------- R38, R39


def test_r38_client_moved(vawa):
    vawa.values["app.moved"] = True
    expect(validate(vawa), "R38-address-change", "info", "s5.address", "AR-11", "EOIR")


def test_r38_quiet_when_not_moved(vawa):
    vawa.values["app.moved"] = False
    assert not rule_codes(validate(vawa), "R38")


def test_r39_after_submission(vawa):
    vawa.status = "submitted"
    vawa.submission = Submission("online", "2026-11-23", "CISOMB-2026-004512")
    expect(
        validate(vawa),
        "R39-after-submission",
        "info",
        None,
        "CISOMB-2026-004512",
        "cisombudsman@hq.dhs.gov",
    )


def test_r39_without_a_request_number_yet(vawa):
    vawa.submission = Submission("mail", "2026-11-23")
    expect(validate(vawa), "R39-after-submission", "info", None, "the CIS Ombudsman request number")


def test_r39_quiet_before_submission(vawa):
    assert not rule_codes(validate(vawa), "R39")


# -------------------------------------------------------------------- R40


@pytest.mark.parametrize("today", [date(2025, 10, 1), TODAY])
def test_r40_edition_expired(vawa, today):
    expect(
        validate(vawa, today=today),
        "R40-edition-expired",
        "warning",
        None,
        "expired on 09/30/2025",
        "DHS Form 7001",
    )


def test_r40_quiet_on_the_expiration_date(vawa):
    assert not rule_codes(validate(vawa, today=date(2025, 9, 30)), "R40")


# -------------------------------------------------------------------- R46


def test_r46_reconstructed_wording_is_an_app_note(vawa):
    """The filed pages no longer say it (issue 14), so the validation notes must."""
    expect(validate(vawa), "R46-reconstructed-wording", "info", None, "reconstructed", "consent")


def test_r46_quiet_for_an_official_edition(vawa):
    import tomllib

    from ombuds_desktop import paths
    from ombuds_desktop.formdef.loader import parse_definition

    source = paths.forms_dir() / "dhs-7001" / "2022-11.toml"
    data = tomllib.loads(source.read_text(encoding="utf-8"))
    del data["form"]["reconstructed_note"]
    data["consent"]["provenance"] = "official"
    official = parse_definition(data, "official.toml")
    assert not rule_codes(validate(vawa, definition=official), "R46")


# -------------------------------------------------------------------- R41


def test_r41_a_number_is_really_receipt_digits(vawa):
    vawa.values["s3.filings"][0]["receipt_number"] = "EAC0201555014"  # A-Number 201555014
    expect(validate(vawa), "R41-a-number-confused", "warning", "s5.a_number", "different numbers")


def test_r41_a_number_is_really_the_account_number(vawa):
    vawa.values["s5.uscis_account"] = "0002-0155-5014"
    expect(validate(vawa), "R41-a-number-confused", "warning", "s5.a_number")


def test_r41_quiet_for_distinct_identifiers(vawa):
    vawa.values["s5.uscis_account"] = "1234-5678-9012"
    findings = validate(vawa)
    assert not rule_codes(findings, "R41")
    assert errors(findings) == []


def test_r41_quiet_without_an_a_number(vawa):
    del vawa.values["s5.a_number"]
    vawa.values["s3.filings"][0]["receipt_number"] = "EAC0201555014"
    assert not rule_codes(validate(vawa), "R41")


# -------------------------------------------------------------------- R42


def test_r42_receipt_date_before_birth(vawa):
    vawa.values["s5.dob"] = "2025-01-01"
    expect(
        validate(vawa),
        "R42-receipt-before-birth",
        "error",
        "s3.filings[0].receipt_date",
        "12/10/2024",
        "01/01/2025",
    )


def test_r42_receipt_date_on_the_birth_date_is_possible(vawa):
    vawa.values["s5.dob"] = "2024-12-10"
    assert not rule_codes(validate(vawa), "R42")


def test_r42_organisations_have_no_birth_date(employer):
    employer.values["s5.dob"] = "2030-01-01"  # hidden for an organization, left over
    findings = validate(employer)
    assert not rule_codes(findings, "R42")
    assert on_field(findings, "s5.dob") == []


def test_r42_receipt_date_more_than_15_years_ago(vawa):
    vawa.values["s3.filings"][0]["receipt_date"] = "2011-11-23"
    expect(
        validate(vawa),
        "R42-receipt-old",
        "warning",
        "s3.filings[0].receipt_date",
        "11/23/2011",
        "15 years",
    )


@pytest.mark.parametrize("received", ["2011-11-24", "2011-11-27", "2012-06-01"])
def test_r42_receipt_date_within_15_calendar_years(vawa, received):
    # 11/27/2011 is 5,476 days ago (more than 15 * 365), yet less than 15 years
    vawa.values["s3.filings"][0]["receipt_date"] = received
    assert not rule_codes(validate(vawa), "R42")


def test_r42_date_of_birth_in_the_future(vawa):
    vawa.values["s5.dob"] = "2026-11-25"
    expect(validate(vawa), "R42-future-date", "error", "s5.dob", "11/25/2026", "11/24/2026")


def test_r42_action_date_in_the_future(vawa):
    vawa.values["s1a.actions"][1]["date"] = "2026-12-01"
    expect(validate(vawa), "R42-future-date", "error", "s1a.actions[1].date", "12/01/2026", "row 2")


def test_r42_dates_of_today_are_not_in_the_future(vawa):
    vawa.values["s1a.actions"][1]["date"] = "2026-11-24"
    vawa.values["app.scr.pt_checked_on"] = "2026-11-24"
    assert not rule_codes(validate(vawa), "R42")


# -------------------------------------------------------------------- R43


def test_r43_no_fee(vawa):
    expect(validate(vawa), "R43-no-fee", "info", None, "does not charge a fee")


def test_r43_not_in_a_single_sections_findings(vawa):
    assert not rule_codes(validate_section(vawa, "s9", today=TODAY), "R43")


# ------------------------------------------------------------ wrong types in rules


@pytest.mark.parametrize(
    "field_id, value",
    [
        ("app.channel", ["online"]),
        ("app.client_category", "vawa"),
        ("s2.reasons", [{"id": "expedite"}]),
        ("s1a.actions", [{"channel": ["expedite"], "date": "2026-10-01"}]),
        ("s5.address", {"street": "1 Example St", "city": "Springfield", "country": 840}),
        ("app.deadlines", [{"kind": "rfe", "due_date": 20270115}]),
    ],
)
def test_rules_survive_values_of_the_wrong_type(vawa, field_id, value):
    vawa.values[field_id] = value
    findings = validate(vawa, related=[_earlier_request()])
    assert errors(findings), "the wrong type itself must be reported"
    assert find_all(findings, "wrong-type") or find_all(findings, "date-format")


def test_related_draft_with_malformed_reasons_does_not_break_r25(vawa):
    other = _earlier_request()
    other.values["s2.reasons"] = 7
    assert not rule_codes(validate(vawa, related=[other]), "R25")
    find(validate(vawa, related=[_earlier_request()]), "R25-duplicate")


def test_r16_exactly_one_primary_filing_when_several():
    draft = sample("vawa-self")
    rows = draft.values["s3.filings"]
    rows.append(
        {"form_number": "I-765", "receipt_number": "EAC2490012346", "receipt_date": "2024-12-10"}
    )
    assert "R16-primary-filing" not in codes(validate(draft))
    rows[0]["primary"] = False
    found = [f for f in validate(draft) if f.code == "R16-primary-filing"]
    assert found and found[0].severity == "error" and "2 filings and 0" in found[0].message
    rows[0]["primary"] = rows[1]["primary"] = True
    assert "2 filings and 2" in next(
        f.message for f in validate(draft) if f.code == "R16-primary-filing"
    )
