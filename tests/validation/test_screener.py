"""The "Before you file" screener: proceed, caution, or likely outside the office's scope."""

from __future__ import annotations

import pytest

from ombuds_desktop.validation import Finding, ScreenResult, screen
from ombuds_desktop.validation.screener import (
    CAUTION_OUTCOME,
    OUTCOME_TEXT,
    OUTSIDE,
    PROCEED,
    UNANSWERED,
)

from .conftest import GOOD_SAMPLES, attach, sample, validate


def _set(**values):
    def change(draft):
        for key, value in values.items():
            draft.values[key.replace("__", ".")] = value

    return change


def _expedite_denied_in_1a(draft):
    draft.values["s1a.actions"].append(
        {"channel": "expedite", "date": "2026-11-02", "expedite_outcome": "denied"}
    )


def _first_contact_recent(draft):
    draft.values["s1a.actions"] = [{"channel": "e_request", "date": "2026-11-02"}]


def _lockbox_too_early(draft):
    draft.values["s3.filings"] = [
        {"form_number": "I-360", "no_receipt": True, "delivered_on": "2026-11-02", "primary": True}
    ]
    draft.values["app.scr.statutory_time"] = True  # keep R3 out of it
    attach(draft, "delivery-proof", "USPS tracking record")


def _expedite_not_asked(draft):
    draft.values["s2.reasons"] = ["expedite"]
    draft.values["s2.expedite_criteria"] = ["humanitarian"]
    attach(draft, "expedite-evidence", "Letter from the treating physician")


def _unpublished_recent(draft):
    draft.values["app.scr.pt_published"] = False
    draft.values["s3.filings"][0]["receipt_date"] = "2026-07-01"


OUTSIDE_CASES = {
    "R3-within-processing-time": _set(app__scr__pt_inquiry_date="2024-12-01"),
    "R4-under-six-months": _unpublished_recent,
    "R6-expedite-denied": _expedite_denied_in_1a,
    "R8-legal-advice": _set(app__scr__legal_advice=True),
    "R9-not-uscis": _set(app__scr__involves_uscis=False),
    "R11-change-decision": _set(app__scr__change_decision=True, app__scr__clear_error=False),
}

CAUTION_CASES = {
    "R1-try-uscis-first": _set(s1__contacted_uscis=False),
    "R2-too-soon": _first_contact_recent,
    "R10-congress-30-days": _set(app__scr__congress_date="2026-11-10"),
    "R31-lockbox-too-early": _lockbox_too_early,
    "R7-no-uscis-expedite": _expedite_not_asked,
}


@pytest.mark.parametrize("name", GOOD_SAMPLES)
def test_complete_samples_proceed(name):
    result = screen(validate(sample(name)))
    assert result == ScreenResult(PROCEED, ())
    assert result.text.startswith("Proceed")


@pytest.mark.parametrize("code", sorted(OUTSIDE_CASES))
def test_cannot_help_rules_make_it_likely_outside_scope(code):
    draft = sample("vawa-self")
    OUTSIDE_CASES[code](draft)
    result = screen(validate(draft))
    assert result.outcome == OUTSIDE
    assert code in [f.code for f in result.reasons]
    assert all(f.severity == "warning" for f in result.reasons)
    assert "few exceptions" in result.text and "You may still file" in result.text


@pytest.mark.parametrize("code", sorted(CAUTION_CASES))
def test_not_yet_rules_give_a_caution(code):
    draft = sample("vawa-self")
    CAUTION_CASES[code](draft)
    result = screen(validate(draft))
    assert result.outcome == CAUTION_OUTCOME, result.reasons
    assert code in [f.code for f in result.reasons]
    assert result.text == OUTCOME_TEXT[CAUTION_OUTCOME]
    assert "contact USCIS first or to wait" in result.text


def test_outside_scope_wins_over_caution_and_lists_both():
    draft = sample("vawa-self")
    draft.values["app.scr.legal_advice"] = True
    draft.values["app.scr.congress_date"] = "2026-11-10"
    result = screen(validate(draft))
    assert result.outcome == OUTSIDE
    assert [f.code for f in result.reasons] == ["R8-legal-advice", "R10-congress-30-days"]


def test_errors_and_info_do_not_change_the_outcome():
    draft = sample("vawa-self")
    draft.values["s5.phone"] = "555-01"  # a field error
    draft.values["app.scr.expedite_denied"] = "pending"
    draft.values["s2.reasons"] = ["expedite"]  # R7 evidence error, but asked USCIS first
    draft.values["s2.expedite_criteria"] = ["humanitarian"]
    draft.values["s1a.actions"].append(
        {"channel": "expedite", "date": "2026-08-10", "expedite_outcome": "pending"}
    )
    findings = validate(draft)
    assert "R7-expedite-evidence-missing" in {f.code for f in findings}
    assert screen(findings) == ScreenResult(PROCEED, ())


def test_the_mistakes_sample_is_likely_outside_scope():
    result = screen(validate(sample("mistakes")))
    assert result.outcome == OUTSIDE
    assert {"R6-expedite-denied", "R8-legal-advice", "R11-change-decision"} <= {
        f.code for f in result.reasons
    }


def _finding(code, severity="warning"):
    return Finding("app", None, severity, code, "A message.")


@pytest.mark.parametrize(
    "code, severity",
    [
        ("R6-exceptional", "info"),  # the R6 info note is not the "cannot help" warning
        ("R27-statutory-examples", "info"),
        ("R8-legal-advice", "info"),  # only warnings count
        ("R13-third-parties", "warning"),  # "R1-" must not match R13
        ("R12-error-evidence-missing", "error"),
        ("R7-expedite-evidence-missing", "error"),
        ("R40-edition-expired", "warning"),
    ],
)
def test_findings_the_screener_ignores(code, severity):
    assert screen([_finding(code, severity)]).outcome == PROCEED


@pytest.mark.parametrize(
    "code, outcome",
    [
        ("R1-try-uscis-first", CAUTION_OUTCOME),
        ("R10-congress-30-days", CAUTION_OUTCOME),
        ("R11-change-decision", OUTSIDE),
        ("R3-within-processing-time", OUTSIDE),
        ("R31-lockbox-first", CAUTION_OUTCOME),
    ],
)
def test_prefixes_are_matched_whole(code, outcome):
    assert screen([_finding(code)]).outcome == outcome


def test_no_findings_proceed():
    assert screen([]) == ScreenResult(PROCEED, ())
    assert ScreenResult(PROCEED, ()).text == OUTCOME_TEXT[PROCEED]


def test_an_empty_draft_is_not_screened_yet():
    """With nothing answered the screener must not say "Proceed"."""
    from ombuds_desktop.draft.model import Draft
    from ombuds_desktop.formdef import load_edition

    result = screen(validate(Draft(form=load_edition().key)))
    assert result.outcome == UNANSWERED
    assert not result.text.startswith("Proceed") and "answer the questions" in result.text


def test_one_unanswered_screening_question_keeps_the_verdict_open():
    draft = sample("vawa-self")
    del draft.values["app.scr.legal_advice"]
    assert screen(validate(draft)).outcome == UNANSWERED
    draft.values["app.scr.legal_advice"] = True  # a "cannot help" answer still shows at once
    draft.values["app.scr.pt_published"] = None
    assert screen(validate(draft)).outcome == OUTSIDE
