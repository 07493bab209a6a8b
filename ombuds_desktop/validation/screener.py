"""The "Before you file" screener: is this request within the CIS Ombudsman's reach?

It reads the same rule findings as everything else and sorts them into an
outcome.  It warns; it never blocks an attorney from preparing a request.
"""

from __future__ import annotations

from dataclasses import dataclass

from ombuds_desktop.validation.findings import Finding

#: Rules that say the office "CANNOT help" (with few exceptions).
OUTSIDE_SCOPE = ("R3-", "R4-", "R6-expedite-denied", "R8-", "R9-", "R11-")
#: Rules that say "not yet" or "try USCIS first".
CAUTION = ("R1-", "R2-", "R10-", "R31-", "R7-no-uscis-expedite", "R44-within-statutory-time")

#: The screening questions: while one of them is unanswered there is no verdict yet.
SCREENING_FIELDS = "app.scr."

PROCEED, CAUTION_OUTCOME, OUTSIDE = "proceed", "caution", "likely-outside-scope"
UNANSWERED = "not-screened-yet"
OUTCOME_TEXT = {
    UNANSWERED: "Not screened yet: answer the questions on this page to see whether the "
    "CIS Ombudsman can help with this request.",
    PROCEED: "Proceed: nothing found that puts this request outside the CIS Ombudsman's reach.",
    CAUTION_OUTCOME: "Caution: the CIS Ombudsman may ask you to contact USCIS first or to wait.",
    OUTSIDE: "Likely outside the CIS Ombudsman's scope (with few exceptions). You may still "
    "file; explain the exception in Section 2.",
}


@dataclass(frozen=True, slots=True)
class ScreenResult:
    outcome: str
    reasons: tuple[Finding, ...]

    @property
    def text(self) -> str:
        return OUTCOME_TEXT[self.outcome]


def screen(findings: list[Finding]) -> ScreenResult:
    outside = [f for f in findings if f.code.startswith(OUTSIDE_SCOPE) and f.severity == "warning"]
    caution = [f for f in findings if f.code.startswith(CAUTION) and f.severity == "warning"]
    unanswered = [
        f for f in findings if f.code == "required" and (f.field or "").startswith(SCREENING_FIELDS)
    ]
    if outside:
        return ScreenResult(OUTSIDE, tuple(outside + caution))
    if caution:  # a reason to wait is worth saying even before every question is answered
        return ScreenResult(CAUTION_OUTCOME, tuple(caution))
    if unanswered:  # never "Proceed" on questions nobody has answered
        return ScreenResult(UNANSWERED, ())
    return ScreenResult(PROCEED, ())
