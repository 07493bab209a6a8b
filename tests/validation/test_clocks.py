"""The right clock for each case (issue 13, item 3).

Receipt date (processing times), lockbox delivery date (HTS: "more than 30
business days ... since your package was delivered to a USCIS lockbox"),
statutory processing times (HTS: "unless there is a statutory or regulatory
processing time requirement"), the 60/90-day contact rule, the 30-day
congressional rule and deadlines each use their own date.
"""

from __future__ import annotations

from datetime import timedelta

from ombuds_desktop.dates import add_business_days, format_us
from ombuds_desktop.formdef import load_form_key
from ombuds_desktop.packet.cover_letter import build_letter
from ombuds_desktop.validation import screen

from .conftest import EDITION, TODAY, attach, codes, detach, expect, rule_codes, sample, validate


def _iso(days_ago: int) -> str:
    return (TODAY - timedelta(days=days_ago)).isoformat()


def _awaiting_receipt(business_days: int, *, lockbox_emailed: bool):
    """An I-130 package at the lockbox with no receipt notice (Amina Haddad, self)."""
    draft = sample("family-parent")
    delivered = next(  # `business_days` business days before TODAY (a Tuesday)
        d
        for d in (TODAY - timedelta(days=n) for n in range(1, 200))
        if add_business_days(d, business_days) == TODAY
    )
    draft.values["s3.filings"] = [
        {"form_number": "I-130", "no_receipt": True, "delivered_on": delivered.isoformat()}
    ]
    draft.values["app.scr.pt_published"] = False
    draft.values.pop("app.scr.pt_inquiry_date", None)
    draft.values.pop("app.scr.pt_checked_on", None)
    draft.values["s2.reasons"] = ["not_received"]
    actions = [{"channel": "contact_center", "date": _iso(5), "result": "No record yet."}]
    if lockbox_emailed:
        actions.append({"channel": "lockbox_email", "date": _iso(3), "result": "No reply."})
    draft.values["s1a.actions"] = actions
    detach(draft, "uscis-notice", "service-request")
    attach(draft, "delivery-proof", "Courier delivery confirmation and copy of the package")
    return draft


def test_no_receipt_notice_is_judged_by_the_lockbox_rule_not_six_months():
    findings = validate(_awaiting_receipt(45, lockbox_emailed=True))
    assert not rule_codes(findings, "R4") and not rule_codes(findings, "R3")
    assert not rule_codes(findings, "R31")
    assert "R2-too-soon" not in codes(findings)  # the lockbox e-mail was days ago: fine
    assert "R34-no-uscis-document" not in codes(findings)  # no notice can exist yet
    assert screen(findings).outcome == "proceed"


def test_no_receipt_notice_before_30_business_days_is_too_early_for_the_lockbox():
    findings = validate(_awaiting_receipt(20, lockbox_emailed=False))
    expect(findings, "R31-lockbox-too-early", "warning", "s3.filings[0].delivered_on", "30")
    assert not rule_codes(findings, "R4")
    assert screen(findings).outcome == "caution"


def test_no_receipt_notice_after_30_business_days_asks_for_the_lockbox_email_first():
    findings = validate(_awaiting_receipt(45, lockbox_emailed=False))
    expect(findings, "R31-lockbox-first", "warning", "s3.filings[0].delivered_on", "lockbox")


def test_receipt_date_not_delivery_date_starts_the_six_months():
    draft = _awaiting_receipt(45, lockbox_emailed=True)
    row = draft.values["s3.filings"][0]
    row.update(no_receipt=False, receipt_number="IOE0912399999", receipt_date=_iso(60))
    draft.values["s2.reasons"] = ["processing_time"]
    found = expect(validate(draft), "R4-under-six-months", "warning", "app.scr.pt_published")
    assert format_us(TODAY - timedelta(days=60)) in found.message  # the receipt date


# ------------------------------------------------------------- statutory times


def _l1_past_statutory_time(reason: str = "processing_time"):
    """An L-1 petition (I-129) within published times but past its statutory time."""
    draft = sample("attorney-employer")
    draft.values["s3.filings"][0]["receipt_date"] = _iso(50)
    draft.values["app.scr.pt_inquiry_date"] = _iso(400)  # within published times
    draft.values["app.scr.statutory_time"] = True
    draft.values["app.scr.statutory_due"] = _iso(20)
    draft.values["s1a.actions"] = [
        {"channel": "e_request", "date": _iso(15), "reference": "SRMT-1", "result": "Pending."}
    ]
    draft.values["s2.reasons"] = [reason]
    return draft


def test_l1_past_its_statutory_time_gets_no_60_day_or_published_time_warning():
    findings = validate(_l1_past_statutory_time("statutory_time"))
    assert "R2-too-soon" not in codes(findings)
    assert not rule_codes(findings, "R3") and not rule_codes(findings, "R44")
    assert screen(findings).outcome == "proceed"


def test_statutory_reason_exists_and_is_asked_for_when_the_time_has_passed():
    definition = load_form_key(EDITION)
    assert "statutory" in definition.field("s2.reasons").option_label("statutory_time")
    findings = validate(_l1_past_statutory_time("processing_time"))
    expect(
        findings,
        "R44-statutory-reason",
        "warning",
        "s2.reasons",
        format_us(TODAY - timedelta(days=20)),
        "statutory or regulatory processing time",
    )


def test_within_the_statutory_time_is_a_caution_with_its_date():
    draft = _l1_past_statutory_time("statutory_time")
    draft.values["app.scr.statutory_due"] = (TODAY + timedelta(days=10)).isoformat()
    findings = validate(draft)
    expect(
        findings,
        "R44-within-statutory-time",
        "warning",
        "app.scr.statutory_due",
        format_us(TODAY + timedelta(days=10)),
    )
    assert screen(findings).outcome == "caution"


def test_cover_letter_says_the_statutory_time_passed_not_outside_published_times():
    draft = _l1_past_statutory_time("statutory_time")
    letter = build_letter(
        draft, load_form_key(EDITION), today=TODAY, enclosures=[], signature_enclosed=None
    )
    text = " ".join(letter.paragraphs)
    assert "statutory or regulatory processing time" in text
    assert format_us(TODAY - timedelta(days=20)) in text
    assert "outside published processing times" not in text


# --------------------------------------------------- contact and congress clocks


def test_checking_case_status_is_not_a_contact_for_the_90_day_rule():
    draft = sample("attorney-employer")
    draft.values["s1a.actions"] = [
        {"channel": "e_request", "date": _iso(120), "reference": "SRMT-2", "result": "Pending."},
        {"channel": "case_status", "date": _iso(2), "result": "Case is being actively reviewed."},
    ]
    expect(
        validate(draft),
        "R2-no-recent-contact",
        "warning",
        "s1a.actions",
        format_us(TODAY - timedelta(days=120)),
    )


def test_the_60_day_wait_does_not_apply_to_an_expedite():
    draft = sample("attorney-employer")
    draft.values["s1a.actions"] = [
        {"channel": "expedite", "date": _iso(10), "expedite_outcome": "pending", "result": "Asked."}
    ]
    draft.values["s2.reasons"] = ["expedite"]
    draft.values["s2.expedite_criteria"] = ["financial_loss"]
    attach(draft, "expedite-evidence", "Letter from the company's bank")
    assert "R2-too-soon" not in codes(validate(draft))
    draft.values["s2.reasons"] = ["processing_time"]
    assert "R2-too-soon" in codes(validate(draft))


def test_a_congressional_inquiry_recorded_in_1a_starts_the_30_days():
    draft = sample("attorney-employer")
    draft.values["s1a.actions"].append(
        {"channel": "congressional", "date": _iso(10), "result": "Caseworker wrote to USCIS."}
    )
    expect(
        validate(draft),
        "R10-congress-30-days",
        "warning",
        "app.scr.congress_date",
        format_us(TODAY + timedelta(days=20)),
    )


def test_a_typographic_error_is_not_held_to_processing_times():
    draft = sample("attorney-employer")
    draft.values["s3.filings"][0]["receipt_date"] = _iso(30)  # inside published times
    assert rule_codes(validate(draft), "R3")
    draft.values["s2.reasons"] = ["typo"]
    attach(draft, "typo-document", "Approval notice with the misspelled name")
    assert not rule_codes(validate(draft), "R3")
