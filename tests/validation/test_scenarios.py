"""Realistic client situations, written from the CIS Ombudsman's pages (issue 13, item 8).

Each row is one situation an immigration attorney meets: every "can help"
and "cannot help" item of "How to Submit a Case Assistance Request" (HTS),
each protected category with and without a representative, families,
companies, the military, removal proceedings, congressional inquiries,
expedites, typographic errors and filings with no receipt notice yet.  Each
names the findings that must appear and those that must not, and, where the
pages decide it, whether the request can be filed as it stands (no error)
and what the screener says.  Every name is made up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import pytest

from ombuds_desktop.dates import add_business_days
from ombuds_desktop.draft.model import Draft
from ombuds_desktop.validation import screen

from .conftest import TODAY, attach, detach, sample, validate


def ago(days: int) -> str:
    return (TODAY - timedelta(days=days)).isoformat()


def ahead(days: int) -> str:
    return (TODAY + timedelta(days=days)).isoformat()


def business_days_before(n: int) -> str:
    d = next(
        TODAY - timedelta(days=k)
        for k in range(1, 300)
        if add_business_days(TODAY - timedelta(days=k), n) == TODAY
    )
    return d.isoformat()


# ------------------------------------------------------------------ base clients


def person(given: str, family: str, dob: str = "1985-06-01") -> dict:
    return {"name": {"family": family, "given": given, "middle": ""}, "dob": dob}


def self_filer(given: str = "Rosa", family: str = "Quintero", categories=("none",)) -> Draft:
    """An applicant filing for herself (the vawa-self sample, re-cast)."""
    d = sample("vawa-self")
    d.values["app.client_category"] = list(categories)
    d.values["s5.name"] = {"family": family, "given": given, "middle": ""}
    d.values["s9.signer_name"] = dict(d.values["s5.name"])
    if "none" in categories:
        detach(d, "signed-section-9")
        d.values["s5.mail_only"] = False
        d.values["s5.email"] = "client@mail.example"
    return d


def represented(categories=("none",), given: str = "Tomás", family: str = "Ibarra") -> Draft:
    """A client with an attorney and a G-28 on file (the asylee-attorney sample, re-cast)."""
    d = sample("asylee-attorney")
    d.values["app.client_category"] = list(categories)
    d.values["s5.name"] = {"family": family, "given": given, "middle": ""}
    d.values["s9.signer_name"] = dict(d.values["s5.name"])
    if "none" in categories:
        detach(d, "signed-section-9")
    return d


def employer() -> Draft:
    return sample("attorney-employer")


def with_values(d: Draft, **values) -> Draft:
    d.values.update({k.replace("__", "."): v for k, v in values.items()})
    return d


def reasons(d: Draft, *ids: str) -> Draft:
    d.values["s2.reasons"] = list(ids)
    return d


def contacts(d: Draft, *rows: tuple[str, int]) -> Draft:
    d.values["s1.contacted_uscis"] = True
    d.values["s1a.actions"] = [
        {"channel": ch, "date": ago(days), "result": "USCIS gave no answer."}
        | ({"expedite_outcome": "pending"} if ch == "expedite" else {})
        for ch, days in rows
    ]
    return d


def no_receipt_filing(d: Draft, business_days: int, *, proof: bool = True) -> Draft:
    d.values["s3.filings"] = [
        {
            "form_number": "I-130",
            "no_receipt": True,
            "delivered_on": business_days_before(business_days),
        }
    ]
    d.values["app.scr.pt_published"] = False
    for k in ("app.scr.pt_inquiry_date", "app.scr.pt_checked_on"):
        d.values.pop(k, None)
    detach(d, "uscis-notice", "service-request")
    if proof:
        attach(d, "delivery-proof", "Courier delivery confirmation and copy of the package")
    return reasons(d, "not_received")


def within_published_times(d: Draft) -> Draft:
    d.values["s3.filings"][0]["receipt_date"] = ago(40)
    d.values["app.scr.pt_inquiry_date"] = ago(300)
    return d


# ------------------------------------------------------------------- the table


@dataclass
class Scenario:
    id: str
    story: str
    build: Callable[[], Draft]
    must: set[str] = field(default_factory=set)
    must_not: set[str] = field(default_factory=set)
    can_file: bool | None = None  # no error left: a final packet can be built
    outcome: str | None = None  # the screener's outcome
    family: Callable[[], list[Draft]] = list


def _child_with_mothers_receipt() -> Draft:
    d = sample("family-child-a")
    d.values["s3.filings"].append(
        {"form_number": "I-485", "receipt_number": "IOE0912345678", "receipt_date": "2024-12-02"}
    )
    return d


def _family() -> list[Draft]:
    return [sample("family-parent"), sample("family-child-a"), sample("family-child-b")]


def _l1(due_days_ago: int, reason: str) -> Draft:
    d = within_published_times(employer())
    d = with_values(d, app__scr__statutory_time=True, app__scr__statutory_due=ago(due_days_ago))
    return reasons(contacts(d, ("e_request", 15)), reason)


SCENARIOS = [
    # --- "The most common types of cases we can help with" (HTS) -----------------------
    Scenario(
        "can-outside-processing-times",
        "I-360 pending long past the published time; e-Request and a call to USCIS.",
        lambda: self_filer(),
        must_not={"R3-within-processing-time", "R4-under-six-months", "R2-too-soon"},
        can_file=True,
        outcome="proceed",
    ),
    Scenario(
        "can-notice-not-received",
        "USCIS systems show an RFE was mailed; the client never got it.",
        lambda: attach(
            reasons(within_published_times(self_filer()), "not_received"),
            "uscis-request",
            "Case status print-out showing the RFE",
        ),
        must_not={"R3-within-processing-time"},
        can_file=True,
    ),
    Scenario(
        "can-card-returned-undeliverable",
        "USPS returned the green card to USCIS as undeliverable.",
        lambda: reasons(self_filer(), "not_received"),
        must_not={"R3-within-processing-time", "R34-no-uscis-document"},
        can_file=True,
    ),
    Scenario(
        "can-age-out",
        "A derivative child turns 21 next month (CSPA).",
        lambda: reasons(contacts(self_filer(), ("e_request", 20)), "age_out"),
        must_not={"R2-too-soon"},
        can_file=True,
    ),
    Scenario(
        "can-military",
        "The spouse of an active-duty soldier is deploying; I-485 stuck.",
        lambda: attach(reasons(self_filer(), "military"), "military-evidence", "Deployment orders"),
        must_not={"R3-within-processing-time"},
        can_file=True,
    ),
    Scenario(
        "can-improper-rejection-with-proof",
        "I-765 rejected for a missing signature that was there; proof attached.",
        lambda: attach(
            with_values(
                reasons(self_filer(), "clear_error"),
                app__scr__change_decision=True,
                app__scr__clear_error=True,
            ),
            "uscis-error-evidence",
            "Rejection notice and the signed page as filed",
        ),
        must_not={"R11-change-decision", "R12-error-evidence-missing"},
        can_file=True,
    ),
    Scenario(
        "can-improper-rejection-without-proof",
        "Claims a clear error but attaches nothing that shows it.",
        lambda: with_values(
            reasons(self_filer(), "clear_error"),
            app__scr__change_decision=True,
            app__scr__clear_error=True,
        ),
        must={"R12-error-evidence-missing"},
        can_file=False,
    ),
    Scenario(
        "can-typo-in-card",
        "The green card misspells the family name; within processing times is irrelevant.",
        lambda: attach(
            reasons(within_published_times(self_filer()), "typo"),
            "typo-document",
            "Card with the misspelled name",
        ),
        must_not={"R3-within-processing-time", "R27-statutory-examples"},
        can_file=True,
        outcome="proceed",
    ),
    Scenario(
        "can-removal-hearing-in-three-months",
        "Respondent with a master hearing in 3 months and an I-485 pending.",
        lambda: attach(
            with_values(reasons(represented(), "removal"), s2__hearing_date=ahead(90)),
            "hearing-notice",
            "Notice of hearing",
        ),
        must_not={"R28-hearing-far", "R28-hearing-date-missing", "R28-hearing-notice-missing"},
        can_file=True,
    ),
    Scenario(
        "can-lost-file",
        "The A-file was not transferred to the field office for the interview.",
        lambda: reasons(within_published_times(self_filer()), "lost_file"),
        must_not={"R3-within-processing-time"},
        can_file=True,
    ),
    Scenario(
        "can-expedite-with-request-and-evidence",
        "Medical emergency; expedite asked of USCIS 10 days ago; records attached.",
        lambda: attach(
            with_values(
                reasons(contacts(self_filer(), ("expedite", 10)), "expedite"),
                s2__expedite_criteria=["humanitarian"],
            ),
            "expedite-evidence",
            "Hospital letter",
        ),
        must_not={"R7-no-uscis-expedite", "R7-expedite-evidence-missing", "R2-too-soon"},
        can_file=True,
    ),
    Scenario(
        "can-systemic",
        "A pattern of lost biometrics appointments at one center.",
        lambda: reasons(within_published_times(represented()), "systemic"),
        must_not={"R3-within-processing-time"},
        can_file=True,
    ),
    # --- "With few exceptions, we CANNOT help if" (HTS) ---------------------------------
    Scenario(
        "cannot-within-published-times",
        "I-485 filed 40 days ago; the published time is much longer.",
        lambda: within_published_times(self_filer()),
        must={"R3-within-processing-time", "R27-statutory-examples"},
        can_file=True,
        outcome="likely-outside-scope",
    ),
    Scenario(
        "exception-l1-past-statutory-time",
        "L-1 petition within published times but past its statutory time.",
        lambda: _l1(20, "statutory_time"),
        must_not={"R3-within-processing-time", "R2-too-soon", "R44-statutory-reason"},
        can_file=True,
        outcome="proceed",
    ),
    Scenario(
        "exception-l1-wrong-reason",
        "Same L-1, but Section 2 says 'outside published processing times'.",
        lambda: _l1(20, "processing_time"),
        must={"R44-statutory-reason"},
        must_not={"R3-within-processing-time"},
    ),
    Scenario(
        "exception-n400-within-statutory-time",
        "N-400 interviewed; the statutory time has not run out yet.",
        lambda: _l1(-30, "statutory_time"),
        must={"R44-within-statutory-time"},
        outcome="caution",
    ),
    Scenario(
        "cannot-no-published-time-under-six-months",
        "A form USCIS publishes no time for, received two months ago.",
        lambda: with_values(
            self_filer(),
            app__scr__pt_published=False,
            s3__filings=[
                {
                    "form_number": "I-131",
                    "receipt_number": "EAC2690012345",
                    "receipt_date": ago(60),
                    "primary": True,
                }
            ],
        ),
        must={"R4-under-six-months"},
        outcome="likely-outside-scope",
    ),
    Scenario(
        "cannot-change-decision",
        "Wants a denial reversed on discretion, not a clear error.",
        lambda: with_values(
            self_filer(), app__scr__change_decision=True, app__scr__clear_error=False
        ),
        must={"R11-change-decision"},
        outcome="likely-outside-scope",
    ),
    Scenario(
        "cannot-expedite-denied",
        "USCIS denied the expedite; the client asks the Ombudsman to overrule it.",
        lambda: with_values(self_filer(), app__scr__expedite_denied="denied"),
        must={"R6-expedite-denied", "R6-exceptional"},
        outcome="likely-outside-scope",
    ),
    Scenario(
        "cannot-legal-advice",
        "The client mainly wants to know which visa to apply for.",
        lambda: with_values(self_filer(), app__scr__legal_advice=True),
        must={"R8-legal-advice"},
        outcome="likely-outside-scope",
    ),
    Scenario(
        "cannot-not-uscis",
        "The problem is a visa interview at a consulate (Department of State).",
        lambda: with_values(self_filer(), app__scr__involves_uscis=False),
        must={"R9-not-uscis"},
        outcome="likely-outside-scope",
    ),
    Scenario(
        "cannot-congress-under-30-days",
        "The congresswoman's office wrote to USCIS ten days ago.",
        lambda: with_values(self_filer(), app__scr__congress_date=ago(10)),
        must={"R10-congress-30-days"},
        outcome="caution",
    ),
    Scenario(
        "congress-after-30-days",
        "The congressional inquiry was 45 days ago and got no answer.",
        lambda: with_values(self_filer(), app__scr__congress_date=ago(45)),
        must_not={"R10-congress-30-days"},
        can_file=True,
    ),
    Scenario(
        "congress-inquiry-recorded-in-1a",
        "The caseworker's inquiry is recorded only as a Section 1A action.",
        lambda: contacts(self_filer(), ("e_request", 100), ("congressional", 12)),
        must={"R10-congress-30-days"},
    ),
    Scenario(
        "try-uscis-first",
        "Nothing has been asked of USCIS yet.",
        lambda: with_values(self_filer(), s1__contacted_uscis=False),
        must={"R1-try-uscis-first"},
        outcome="caution",
    ),
    # --- protected categories, with and without a representative ---------------------
    *[
        Scenario(
            f"{cat}-without-representative",
            f"A {cat.upper()} applicant files for herself.",
            (lambda cat=cat: self_filer("Ana", "Ruiz", categories=(cat,))),
            must={"R20-wet-ink", "R21-mail-only"},
            must_not={"R21-mail-only-not-set", "R20-signed-scan-missing"},
            can_file=True,
        )
        for cat in ("t", "u", "vawa", "asylee", "refugee")
    ],
    *[
        Scenario(
            f"{cat}-with-attorney",
            f"A {cat.upper()} applicant represented by an attorney, signing in ink herself.",
            (lambda cat=cat: represented(categories=(cat,))),
            must={"R20-wet-ink"},
            must_not={"R21-mail-only", "R21-address-must-match", "R20-signed-scan-missing"},
            can_file=True,
        )
        for cat in ("t", "u", "vawa", "asylee", "refugee")
    ],
    Scenario(
        "vawa-file-without-mail-only-answer",
        "A VAWA draft file that never answered 'mail only'.",
        lambda: (lambda d: (d.values.pop("s5.mail_only", None), d)[1])(
            self_filer(categories=("vawa",))
        ),
        must={"R21-mail-only"},
        must_not={"R21-mail-only-not-set"},
        can_file=True,
    ),
    Scenario(
        "u-address-not-matching-uscis",
        "U applicant without a lawyer who moved and has not told USCIS.",
        lambda: with_values(self_filer(categories=("u",)), s5__address_matches_uscis=False),
        must={"R21-address-must-match"},
        can_file=False,
    ),
    Scenario(
        "t-accredited-representative-only",
        "T applicant helped by an accredited representative, not an attorney.",
        lambda: with_values(
            represented(categories=("t",)),
            app__role="accredited_rep",
            s10__rep_type="accredited_rep",
            s10__accreditation_org="Example Refugee Services",
            s10__accreditation_date="2020-02-02",
        ),
        must={"R21-accredited-rep-only"},
    ),
    Scenario(
        "asylee-attorney-signs-on-behalf",
        "The attorney signs Section 9 for the asylee client, as the tip sheet allows.",
        lambda: detach(
            with_values(
                represented(categories=("asylee",)),
                s9__capacity="representative",
                s9__signer_name={"family": "Muñoz", "given": "José", "middle": ""},
                s9__client_consent_date=ago(5),
            ),
            "signed-section-9",
        ),
        must={"R20-signed-scan-missing", "R20-representative-signs"},
        can_file=True,  # warnings to acknowledge, no error
    ),
    Scenario(
        "refugee-without-scan-online",
        "Refugee filing online for himself, the ink-signed page not yet scanned.",
        lambda: detach(self_filer(categories=("refugee",)), "signed-section-9"),
        must={"R20-signed-scan-missing", "R32-refugee-contact"},
        can_file=False,
    ),
    # --- families ------------------------------------------------------------------------
    Scenario(
        "family-child-lists-mothers-receipt",
        "Yusuf's draft lists his mother Amina's I-485 receipt as well as his own.",
        _child_with_mothers_receipt,
        must={"R24-family-receipt"},
        can_file=False,
        family=lambda: [sample("family-parent"), sample("family-child-b")],
    ),
    Scenario(
        "family-mother-stays-clean",
        "Amina's own draft, next to the child's draft that wrongly lists her receipt.",
        lambda: sample("family-parent"),
        must={"R23-link-requests"},
        must_not={"R24-family-receipt", "R24-family-receipt-unclear"},
        can_file=True,
        family=lambda: [_child_with_mothers_receipt(), sample("family-child-b")],
    ),
    Scenario(
        "family-three-drafts-together",
        "Mother and two children, each with a separate 7001.",
        lambda: sample("family-child-b"),
        must_not={"R24-family-receipt", "R23-same-person"},
        can_file=True,
        family=_family,
    ),
    Scenario(
        "parent-signs-for-adult-child",
        "A mother signs for her son, who turned 18 last year.",
        lambda: with_values(sample("family-child-a"), s5__dob="2007-01-15", s9__capacity="parent"),
        must={"R26-not-a-minor"},
        can_file=False,
    ),
    Scenario(
        "parent-signs-for-minor",
        "A mother signs for her 12-year-old daughter.",
        lambda: with_values(sample("family-child-a"), s9__capacity="parent"),
        must_not={"R26-not-a-minor", "R26-child-age-unknown"},
        can_file=True,
    ),
    # --- companies -------------------------------------------------------------------------
    Scenario(
        "employer-petition-with-attorney",
        "A company's I-129 for an engineer, filed by its attorney.",
        employer,
        must_not={"R22-not-applicant", "R15-g28-missing"},
        can_file=True,
    ),
    Scenario(
        "employer-section-5-is-the-beneficiary",
        "Section 5 'organization' holds the engineer's name instead of the company's.",
        lambda: with_values(employer(), s5__org_name="Łukasz Żółć"),
        must={"R22-not-applicant"},
        can_file=False,
    ),
    Scenario(
        "beneficiary-prepares-without-consent",
        "The engineer prepares the request himself, without the company's consent.",
        lambda: detach(
            with_values(
                employer(),
                app__role="beneficiary",
                s7__consent_on_file=True,
                s7__name={"family": "Żółć", "given": "Łukasz", "middle": ""},
            ),
            "petitioner-consent",
            "consent",
        ),
        must={"R19-consent-missing"},
        can_file=False,
    ),
    Scenario(
        "g28-for-another-form",
        "The G-28 on file covers the I-140, the request is about the I-129.",
        lambda: with_values(employer(), s10__g28_form="I-140"),
        must={"R16-g28-form-mismatch"},
        can_file=False,
    ),
    Scenario(
        "congressional-caseworker-prepares-with-consent",
        "A congressman's caseworker prepares the request with the applicant's signed consent.",
        lambda: attach(
            with_values(
                self_filer(),
                app__role="congressional",
                s7__consent_on_file=True,
                s7__name={"family": "Whitlock", "given": "Dana", "middle": ""},
                s7__organization="Office of a Member of Congress",
            ),
            "consent",
            "Signed consent of the applicant",
        ),
        must={"R18-communication"},
        must_not={"R19-consent-missing", "R19-consent-not-on-file"},
        can_file=True,
    ),
    Scenario(
        "family-member-prepares-without-consent",
        "A cousin fills in the form for the applicant; no written consent.",
        lambda: with_values(
            self_filer(),
            app__role="family",
            s7__consent_on_file=False,
            s7__name={"family": "Quintero", "given": "Pablo", "middle": ""},
        ),
        must={"R19-consent-missing", "R19-consent-not-on-file"},
        can_file=False,
    ),
    # --- removal proceedings -----------------------------------------------------------
    Scenario(
        "removal-hearing-in-eight-months",
        "Hearing eight months away: outside the six-month window.",
        lambda: attach(
            with_values(reasons(represented(), "removal"), s2__hearing_date=ahead(240)),
            "hearing-notice",
            "Notice of hearing",
        ),
        must={"R28-hearing-far"},
    ),
    Scenario(
        "removal-hearing-date-missing",
        "Removal proceedings ticked, hearing date not entered.",
        lambda: reasons(represented(), "removal"),
        must={"R28-hearing-date-missing"},
        must_not={"required"},
        can_file=False,
    ),
    Scenario(
        "removal-without-hearing-notice",
        "Hearing in two months; the notice is not attached yet.",
        lambda: with_values(reasons(represented(), "removal"), s2__hearing_date=ahead(60)),
        must={"R28-hearing-notice-missing"},
        can_file=True,
    ),
    # --- expedites ----------------------------------------------------------------------
    Scenario(
        "expedite-without-evidence",
        "Eviction threatened; no eviction notice attached.",
        lambda: with_values(
            reasons(contacts(self_filer(), ("expedite", 20)), "expedite"),
            s2__expedite_criteria=["financial_loss"],
        ),
        must={"R7-expedite-evidence-missing"},
        can_file=False,
    ),
    Scenario(
        "expedite-never-asked-of-uscis",
        "Urgent, but no expedite request was made to USCIS.",
        lambda: attach(
            with_values(reasons(self_filer(), "expedite"), s2__expedite_criteria=["humanitarian"]),
            "expedite-evidence",
            "Doctor's letter",
        ),
        must={"R7-no-uscis-expedite"},
        outcome="caution",
    ),
    # --- no receipt notice yet --------------------------------------------------------
    Scenario(
        "no-receipt-20-business-days",
        "I-130 package delivered 20 business days ago; no receipt notice.",
        lambda: no_receipt_filing(self_filer(), 20),
        must={"R31-lockbox-too-early"},
        must_not={"R4-under-six-months", "R3-within-processing-time", "R34-no-uscis-document"},
        outcome="caution",
    ),
    Scenario(
        "no-receipt-45-business-days-lockbox-not-emailed",
        "45 business days, lockbox not yet e-mailed.",
        lambda: no_receipt_filing(self_filer(), 45),
        must={"R31-lockbox-first"},
        must_not={"R4-under-six-months"},
    ),
    Scenario(
        "no-receipt-45-business-days-lockbox-emailed",
        "45 business days, the lockbox e-mailed last week: now the Ombudsman can help.",
        lambda: contacts(no_receipt_filing(self_filer(), 45), ("lockbox_email", 7)),
        must_not={
            "R4-under-six-months",
            "R31-lockbox-first",
            "R31-lockbox-too-early",
            "R2-too-soon",
            "R34-no-uscis-document",
        },
        can_file=True,
        outcome="proceed",
    ),
    Scenario(
        "no-receipt-without-delivery-proof",
        "No receipt notice and no delivery confirmation attached.",
        lambda: no_receipt_filing(self_filer(), 45, proof=False),
        must={"R30-delivery-proof-missing"},
        can_file=False,
    ),
    # --- typographic errors in the form itself --------------------------------------------
    Scenario(
        "phone-without-area-code",
        "The client's phone typed as 555-0100.",
        lambda: with_values(self_filer(), s5__phone="555-0100"),
        must={"phone"},
        can_file=False,
    ),
    Scenario(
        "self-signer-is-someone-else",
        "Section 9 'signed by the applicant' names her sister.",
        lambda: with_values(self_filer(), s9__signer_name={"family": "Quintero", "given": "Lidia"}),
        must={"R45-signer-name-differs"},
    ),
    Scenario(
        "self-signer-unrelated-person",
        "Section 9 'signed by the applicant' names the paralegal.",
        lambda: with_values(self_filer(), s9__signer_name={"family": "Okoye", "given": "Ben"}),
        must={"R45-signer-not-applicant"},
        can_file=False,
    ),
    Scenario(
        "contact-rule-counts-only-contacts",
        "Status checked online yesterday; the last real contact with USCIS was 4 months ago.",
        lambda: contacts(self_filer(), ("e_request", 120), ("case_status", 1)),
        must={"R2-no-recent-contact"},
    ),
]


def _codes_with_field_checks(findings) -> set[str]:
    """Rule codes, plus the field a field check complains about (e.g. "phone")."""
    out = {f.code for f in findings}
    out |= {f.field.rsplit(".", 1)[-1] for f in findings if f.field and f.severity == "error"}
    return out


@pytest.mark.parametrize("case", SCENARIOS, ids=[s.id for s in SCENARIOS])
def test_scenario(case: Scenario):
    draft = case.build()
    findings = validate(draft, related=case.family())
    found = _codes_with_field_checks(findings)
    listing = "\n".join(f"  {f.severity:7} {f.code} [{f.field}] {f.message}" for f in findings)
    assert case.must <= found, f"{case.story}\nmissing {case.must - found}\n{listing}"
    assert not (case.must_not & {f.code for f in findings}), (
        f"{case.story}\nunexpected {case.must_not & {f.code for f in findings}}\n{listing}"
    )
    errors = [f for f in findings if f.severity == "error"]
    if case.can_file is True:
        assert errors == [], f"{case.story}\n{listing}"
    elif case.can_file is False:
        assert errors, f"{case.story}\n{listing}"
    if case.outcome is not None:
        assert screen(findings).outcome == case.outcome, f"{case.story}\n{listing}"


def test_the_table_covers_at_least_40_situations_with_unique_ids():
    assert len(SCENARIOS) >= 40
    assert len({s.id for s in SCENARIOS}) == len(SCENARIOS)
