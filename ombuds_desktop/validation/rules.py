"""The CIS Ombudsman's filing rules R1–R43 (``dhs-7001.md`` §3), one function each.

Each rule declares the field ids it reads; a rule whose fields an edition
lacks is skipped rather than guessed.  Severity follows the reference's rule
table: ERROR blocks a final packet, a missing required attachment is an
ERROR, WARN must be acknowledged, INFO only informs.  Messages say what is
wrong, what was entered and what to do.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ombuds_desktop import identifiers
from ombuds_desktop.dates import (
    add_business_days,
    add_months,
    age_on,
    business_days_between,
    format_us,
    try_iso,
)
from ombuds_desktop.draft import facts
from ombuds_desktop.draft.model import Draft
from ombuds_desktop.formdef.model import FormDefinition
from ombuds_desktop.validation.family import family_of, shared_receipts
from ombuds_desktop.validation.findings import Finding

_REQUIRED: Any = object()


@dataclass(frozen=True, slots=True)
class Context:
    draft: Draft
    definition: FormDefinition
    today: date
    related: Sequence[Draft] = ()  # other drafts the user keeps (family members first)
    base_dir: Path | None = None

    def get(self, field_id: str, default: Any = None) -> Any:
        return self.draft.values.get(field_id, default)

    def actions(self) -> list[dict[str, Any]]:
        """The 1A rows, with a channel that is a string (or None) and nothing stranger."""
        rows = self.get("s1a.actions") or []
        if self.get("s1.contacted_uscis") is False or not isinstance(rows, list):
            return []
        return [
            r
            for r in rows
            if isinstance(r, dict) and isinstance(r.get("channel"), (str, type(None)))
        ]

    def action_dates(self) -> list[date]:
        return sorted(d for d in (try_iso(r.get("date")) for r in self.actions()) if d)

    def reasons(self) -> list[str]:
        return _option_ids(self.get("s2.reasons"))

    def has_attachment(self, *categories: str) -> bool:
        return bool(self.draft.attachments_in(*categories))

    def family(self) -> list[Draft]:
        return family_of(self.draft, self.related)

    def meaning(self, key: str, default: Any = _REQUIRED) -> Any:
        """What the edition's [meanings] table says an option id or field means.

        A meaning the edition does not state fails loudly, unless a default is given.
        """
        if key in self.definition.meanings:
            return self.definition.meanings[key]
        if default is _REQUIRED:
            raise facts.EditionFactError(
                f"{self.definition.source}: the [meanings] table has no {key!r}"
            )
        return default

    def contact_dates(self) -> list[date]:
        """Dates of the 1A actions that are contacts with USCIS (the 60/90-day clock)."""
        contacts = set(self.meaning("uscis_contact_channels", ()))
        return sorted(
            d
            for d in (
                try_iso(r.get("date")) for r in self.actions() if r.get("channel") in contacts
            )
            if d
        )

    def congress_dates(self) -> list[date]:
        """Dates a member of Congress asked USCIS (the 30-day clock), from both places."""
        channel = self.meaning("congressional_channel")
        raw = [self.get("app.scr.congress_date")]
        raw += [r.get("date") for r in self.actions() if channel and r.get("channel") == channel]
        return sorted(d for d in map(try_iso, raw) if d)

    def statutory_due(self) -> date | None:
        return facts.statutory_due(self.draft)

    def past_statutory_time(self) -> bool:
        due = self.statutory_due()
        return due is not None and due < self.today

    def awaiting_receipt(self) -> bool:
        """The filing the request is about has no receipt notice yet (the lockbox clock)."""
        primary = facts.primary_filing(self.draft)
        return primary is not None and primary.no_receipt

    def timing_free(self) -> bool:
        """Every Section 2 reason stands on its own, whatever the processing time."""
        reasons = self.reasons()
        free = set(self.meaning("timing_free_reasons", ()))
        return bool(reasons) and all(r in free for r in reasons)

    def urgent(self) -> bool:
        return bool(set(self.reasons()) & set(self.meaning("urgent_reasons", ())))

    def used_channel(self, meaning_key: str) -> bool:
        channel = self.meaning(meaning_key)
        return bool(channel) and any(r.get("channel") == channel for r in self.actions())

    def email_to(self) -> str:
        """The CIS Ombudsman's e-mail address, from the edition's [channels] table."""
        return str(self.definition.channels.get("email_to") or "the CIS Ombudsman's e-mail address")

    def category_label(self, category_id: str) -> str:
        cat = self.definition.category(category_id)
        return cat.label if cat else category_id


def _option_ids(raw: Any) -> list[str]:
    """The string option ids of a multiple-choice value; anything else is ignored here."""
    return [v for v in raw if isinstance(v, str)] if isinstance(raw, list) else []


Rule = Callable[[Context], Iterator[Finding]]


@dataclass(frozen=True, slots=True)
class RuleSpec:
    id: str
    title: str
    needs: tuple[str, ...]
    check: Rule


RULES: list[RuleSpec] = []


def rule(rule_id: str, title: str, needs: tuple[str, ...] = ()) -> Callable[[Rule], Rule]:
    def register(fn: Rule) -> Rule:
        RULES.append(RuleSpec(rule_id, title, needs, fn))
        return fn

    return register


def F(section: str, field: str | None, severity: str, code: str, message: str) -> Finding:
    return Finding(section, field, severity, code, message)


def _primary_receipt_date(ctx: Context) -> tuple[date | None, str]:
    """The USCIS receipt date of the primary filing: the processing-time clock.

    A package delivered to the lockbox without a receipt notice has no receipt
    date; it is judged by the lockbox rule (R31), never by processing times.
    """
    primary = facts.primary_filing(ctx.draft)
    if primary is None or primary.no_receipt:
        return None, ""
    d = try_iso(primary.receipt_date)
    label = f"{primary.form_number} {primary.receipt_number}".strip() or "the primary filing"
    return d, label


# --------------------------------------------------------------------- screener


@rule(
    "R1",
    "Try USCIS first",
    ("s1.contacted_uscis", "s1a.actions"),
)
def r1(ctx: Context) -> Iterator[Finding]:
    contacted = ctx.get("s1.contacted_uscis")
    if contacted is False or (contacted is True and not ctx.actions()):
        yield F(
            "s1",
            "s1.contacted_uscis",
            "warning",
            "R1-try-uscis-first",
            "The CIS Ombudsman asks you to try to resolve the issue with USCIS first: check "
            "case status and processing times, submit an e-Request, use the USCIS online "
            "account or Ask Emma, or call the USCIS Contact Center (1-800-375-5283). "
            "Record each contact in Section 1A.",
        )


@rule(
    "R2",
    "Contacted USCIS in the last 90 days and waited 60",
    ("s1a.actions", "s1.contacted_uscis", "s2.reasons", "s3.filings", "app.scr.statutory_time"),
)
def r2(ctx: Context) -> Iterator[Finding]:
    dates = ctx.contact_dates()
    if not dates:
        return
    latest, earliest = dates[-1], dates[0]
    if (ctx.today - latest).days > 90:
        yield F(
            "s1a",
            "s1a.actions",
            "warning",
            "R2-no-recent-contact",
            f"The latest contact with USCIS in Section 1A was on {format_us(latest)}, more "
            "than 90 days ago. The CIS Ombudsman has asked that USCIS be contacted in the "
            "last 90 days; contact USCIS again and record it.",
        )
    # Waiting 60 days does not apply where another clock governs: an urgent reason
    # (expedite, removal hearing, aging out), a statutory time already passed, or a
    # filing with no receipt notice (the lockbox rule, R31).
    own_clock = ctx.urgent() or ctx.past_statutory_time() or ctx.awaiting_receipt()
    if (ctx.today - earliest).days < 60 and not own_clock:
        ready = earliest + timedelta(days=60)
        yield F(
            "s1a",
            "s1a.actions",
            "warning",
            "R2-too-soon",
            f"The first contact with USCIS on this issue was on {format_us(earliest)}; the "
            f"CIS Ombudsman has asked that USCIS be given at least 60 days, which is "
            f"reached on {format_us(ready)}.",
        )


def _within_published_time(ctx: Context) -> tuple[date, date, str] | None:
    """(receipt date, inquiry date, filing) when the case is inside published times."""
    if ctx.get("app.scr.pt_published") is not True or ctx.get("app.scr.statutory_time") is True:
        return None
    if ctx.timing_free():
        return None
    inquiry = try_iso(ctx.get("app.scr.pt_inquiry_date"))
    received, label = _primary_receipt_date(ctx)
    if inquiry is None or received is None or received <= inquiry:
        return None
    return received, inquiry, label


@rule(
    "R3",
    "Within published processing times",
    (
        "app.scr.pt_published",
        "app.scr.pt_inquiry_date",
        "app.scr.statutory_time",
        "s3.filings",
        "s2.reasons",
    ),
)
def r3(ctx: Context) -> Iterator[Finding]:
    within = _within_published_time(ctx)
    if within is None:
        return
    received, inquiry, label = within
    yield F(
        "app",
        "app.scr.pt_inquiry_date",
        "warning",
        "R3-within-processing-time",
        f"{label} was received on {format_us(received)}, after the USCIS 'receipt date for "
        f"a case inquiry' ({format_us(inquiry)}), so the case is within published "
        "processing times. With few exceptions the CIS Ombudsman cannot help until it is "
        "outside them.",
    )


@rule(
    "R27",
    "Processing-time exception examples",
    (
        "app.scr.pt_published",
        "app.scr.pt_inquiry_date",
        "app.scr.statutory_time",
        "s3.filings",
        "s2.reasons",
    ),
)
def r27(ctx: Context) -> Iterator[Finding]:
    if _within_published_time(ctx) is None:
        return
    yield F(
        "app",
        "app.scr.statutory_time",
        "info",
        "R27-statutory-examples",
        "Exceptions are filings with a statutory or regulatory processing time, such as "
        "Form I-360 for Special Immigrant Juveniles, Form N-400, and Form I-129 for L-1 "
        "petitions. If that applies, answer yes to the statutory-time question.",
    )


@rule(
    "R44",
    "Statutory or regulatory processing time",
    ("app.scr.statutory_time", "app.scr.statutory_due", "s2.reasons"),
)
def r44(ctx: Context) -> Iterator[Finding]:
    due = ctx.statutory_due()
    if due is None:
        return
    if due >= ctx.today:
        yield F(
            "app",
            "app.scr.statutory_due",
            "warning",
            "R44-within-statutory-time",
            f"The statutory or regulatory processing time runs until {format_us(due)}. "
            "Until then the case is not delayed, and with few exceptions the CIS Ombudsman "
            "cannot help.",
        )
        return
    reason = ctx.meaning("statutory_reason")
    if reason and reason not in ctx.reasons():
        label = _option_label(ctx, "s2.reasons", reason)
        yield F(
            "s2",
            "s2.reasons",
            "warning",
            "R44-statutory-reason",
            f"USCIS was required to act by {format_us(due)} under a statutory or regulatory "
            f'processing time, and that date has passed. Choose the reason "{label}" in '
            "Section 2 so the request (and its cover letter) says so, rather than that the "
            "case is outside published processing times.",
        )


def _option_label(ctx: Context, field_id: str, option_id: str) -> str:
    if not ctx.definition.has_field(field_id):
        return option_id
    return ctx.definition.field(field_id).option_label(option_id)


@rule(
    "R4",
    "No published time and under 6 months",
    ("app.scr.pt_published", "app.scr.statutory_time", "s3.filings", "s2.reasons"),
)
def r4(ctx: Context) -> Iterator[Finding]:
    if ctx.get("app.scr.pt_published") is not False:
        return
    if ctx.get("app.scr.statutory_time") is True or ctx.timing_free():
        return
    received, label = _primary_receipt_date(ctx)
    if received is None:
        return
    six = add_months(received, 6)
    if ctx.today < six:
        yield F(
            "app",
            "app.scr.pt_published",
            "warning",
            "R4-under-six-months",
            f"USCIS publishes no processing time for this filing, so the default is six "
            f"months. {label} was filed on {format_us(received)}; six months pass on "
            f"{format_us(six)}. With few exceptions the CIS Ombudsman cannot help before "
            "then.",
        )


@rule(
    "R5",
    "Stale processing-time check",
    ("app.scr.pt_checked_on", "app.scr.pt_published"),
)
def r5(ctx: Context) -> Iterator[Finding]:
    checked = try_iso(ctx.get("app.scr.pt_checked_on"))
    if checked and (ctx.today - checked).days > 30 and ctx.get("app.scr.pt_published") is True:
        yield F(
            "app",
            "app.scr.pt_checked_on",
            "info",
            "R5-recheck-processing-times",
            f"The USCIS processing-times page was checked on {format_us(checked)}, more "
            "than 30 days ago. Processing times change; check the page again before "
            "filing.",
        )


@rule(
    "R6",
    "Expedite denied",
    ("app.scr.expedite_denied", "s1.contacted_uscis", "s1a.actions"),
)
def r6(ctx: Context) -> Iterator[Finding]:
    denied_1a = any(
        r.get("channel") == ctx.meaning("expedite_channel")
        and r.get("expedite_outcome") == ctx.meaning("denied_outcome")
        for r in ctx.actions()
    )
    if ctx.get("app.scr.expedite_denied") == ctx.meaning("denied_outcome") or denied_1a:
        yield F(
            "app",
            "app.scr.expedite_denied",
            "warning",
            "R6-expedite-denied",
            "USCIS denied an expedite request on this filing. With few exceptions the CIS "
            "Ombudsman cannot help when USCIS has denied an expedite request.",
        )
        yield F(
            "app",
            "app.scr.expedite_denied",
            "info",
            "R6-exceptional",
            "In exceptional cases the CIS Ombudsman may ask USCIS for priority case "
            "assistance; explain why in Section 2 and attach the supporting documents.",
        )


@rule(
    "R7",
    "Expedite reason needs a USCIS request and evidence",
    ("s2.reasons", "s1.contacted_uscis", "s1a.actions"),
)
def r7(ctx: Context) -> Iterator[Finding]:
    if ctx.meaning("expedite_reason") not in ctx.reasons():
        return
    if not ctx.used_channel("expedite_channel"):
        yield F(
            "s1a",
            "s1a.actions",
            "warning",
            "R7-no-uscis-expedite",
            "Section 2 gives an expedite reason, but Section 1A records no expedite request "
            "to USCIS. Only USCIS can expedite; ask USCIS first and record the request.",
        )
    if not ctx.has_attachment("expedite-evidence"):
        yield F(
            "s8",
            "s8.documents",
            "error",
            "R7-expedite-evidence-missing",
            "Section 2 gives an expedite reason, so attach evidence for the expedite "
            "criteria (for example medical records or an eviction notice) in Section 8 "
            f'under "{ctx.category_label("expedite-evidence")}".',
        )


@rule("R8", "Legal advice", ("app.scr.legal_advice",))
def r8(ctx: Context) -> Iterator[Finding]:
    if ctx.get("app.scr.legal_advice") is True:
        yield F(
            "app",
            "app.scr.legal_advice",
            "warning",
            "R8-legal-advice",
            "The CIS Ombudsman cannot give legal advice. If the client mainly needs legal "
            "advice, this request is likely outside the office's scope.",
        )


@rule("R9", "Not a USCIS issue", ("app.scr.involves_uscis",))
def r9(ctx: Context) -> Iterator[Finding]:
    if ctx.get("app.scr.involves_uscis") is False:
        yield F(
            "app",
            "app.scr.involves_uscis",
            "warning",
            "R9-not-uscis",
            "The CIS Ombudsman can only help with issues that involve USCIS, not EOIR, CBP, "
            "ICE or the Department of State.",
        )


@rule(
    "R10",
    "Congressional inquiry within 30 days",
    ("app.scr.congress_date", "s1a.actions", "s1.contacted_uscis"),
)
def r10(ctx: Context) -> Iterator[Finding]:
    dates = ctx.congress_dates()
    if not dates:
        return
    inquiry = dates[-1]  # the latest inquiry starts the 30 days again
    eligible = inquiry + timedelta(days=30)
    if ctx.today < eligible:
        yield F(
            "app",
            "app.scr.congress_date",
            "warning",
            "R10-congress-30-days",
            f"A member of Congress asked USCIS about this on {format_us(inquiry)}. The CIS "
            f"Ombudsman cannot help until 30 calendar days have passed: file on or after "
            f"{format_us(eligible)}.",
        )


@rule("R11", "Changing a decision", ("app.scr.change_decision", "app.scr.clear_error"))
def r11(ctx: Context) -> Iterator[Finding]:
    if ctx.get("app.scr.change_decision") is True and ctx.get("app.scr.clear_error") is False:
        yield F(
            "app",
            "app.scr.clear_error",
            "warning",
            "R11-change-decision",
            "The CIS Ombudsman cannot help change a USCIS decision unless it rests on a "
            "clear error of fact or law. Consider an appeal or motion instead; filing here "
            "does not extend their deadlines.",
        )


@rule(
    "R12",
    "Clear-error claims need proof",
    ("s2.reasons", "app.scr.change_decision", "app.scr.clear_error"),
)
def r12(ctx: Context) -> Iterator[Finding]:
    claimed = (
        ctx.get("app.scr.change_decision") is True and ctx.get("app.scr.clear_error") is True
    ) or ctx.meaning("clear_error_reason") in ctx.reasons()
    if claimed and not ctx.has_attachment("uscis-error-evidence"):
        yield F(
            "s8",
            "s8.documents",
            "error",
            "R12-error-evidence-missing",
            "The request claims a USCIS error, so attach the documents that show it (the "
            "denial or rejection notice, a copy of the original submission, and any appeal "
            "or motion receipt) in Section 8 under "
            f'"{ctx.category_label("uscis-error-evidence")}", and say in Section 2 why '
            "it is an error.",
        )


@rule("R13", "Bad information from third parties", ("s2.explanation",))
def r13(ctx: Context) -> Iterator[Finding]:
    yield F(
        "s2",
        "s2.explanation",
        "info",
        "R13-third-parties",
        "The CIS Ombudsman cannot fix actions that resulted from bad information given by "
        "third parties, such as legal representatives or designated school officials.",
    )


@rule("R14", "The office will not urge USCIS")
def r14(ctx: Context) -> Iterator[Finding]:
    yield F(
        "app",
        None,
        "info",
        "R14-no-urging",
        "The CIS Ombudsman cannot urge USCIS to act on a pending application, petition or "
        "request; it brings problems to USCIS's attention and recommends solutions.",
    )


# -------------------------------------------------------------- representation


@rule(
    "R15",
    "Attorney or accredited representative needs a G-28",
    ("app.role", "s10.g28_status"),
)
def r15(ctx: Context) -> Iterator[Finding]:
    if not facts.is_represented(ctx.draft):
        return
    if ctx.get("s10.g28_status") == ctx.meaning("g28_submitted"):
        if not ctx.has_attachment("g28", "g28-proof-of-submission"):
            yield F(
                "s8",
                "s8.documents",
                "error",
                "R15-g28-missing",
                "USCIS has not yet accepted the Form G-28, so attach proof of its submission "
                "to USCIS in Section 8 (or the G-28 itself once accepted).",
            )
    elif not ctx.has_attachment("g28"):
        yield F(
            "s8",
            "s8.documents",
            "error",
            "R15-g28-missing",
            "An attorney or accredited representative is filing, so attach a copy of the "
            "Form G-28 on file with USCIS for the form this request is about in Section 8 "
            "(or proof of its submission if USCIS has not accepted it yet).",
        )


@rule(
    "R16",
    "The G-28 covers the same form",
    ("s10.g28_form", "s3.filings", "app.role", "s10.g28_receipt"),
)
def r16(ctx: Context) -> Iterator[Finding]:
    rows = facts.filings(ctx.draft)
    marked = [f for f in rows if f.primary]
    if len(rows) > 1 and len(marked) != 1:
        # The G-28 comparison and the processing-time rules need the primary filing.
        yield F(
            "s3",
            "s3.filings",
            "error",
            "R16-primary-filing",
            f"Section 3 lists {len(rows)} filings and {len(marked)} of them are marked as "
            "the filing this request is about. Mark exactly one: the G-28 and the "
            "processing-time checks are measured against it.",
        )
    if not facts.is_represented(ctx.draft):
        return
    primary = facts.primary_filing(ctx.draft)
    g28_form = str(ctx.get("s10.g28_form") or "").strip()
    if primary is None or not g28_form or not primary.form_number:
        return
    if identifiers.normalize_form_number(g28_form) != identifiers.normalize_form_number(
        primary.form_number
    ):
        yield F(
            "s10",
            "s10.g28_form",
            "error",
            "R16-g28-form-mismatch",
            f"The G-28 covers Form {g28_form}, but the filing this request is about "
            f"(Section 3) is Form {primary.form_number}. The CIS Ombudsman needs the G-28 "
            "on file for the same form.",
        )
    g28_receipt = identifiers.normalize_receipt_number(str(ctx.get("s10.g28_receipt") or ""))
    if (
        g28_receipt
        and primary.receipt_number
        and g28_receipt != identifiers.normalize_receipt_number(primary.receipt_number)
    ):
        yield F(
            "s10",
            "s10.g28_receipt",
            "warning",
            "R16-g28-receipt-mismatch",
            f"The G-28 was filed with receipt number {g28_receipt}, but the primary filing "
            f"in Section 3 is {primary.receipt_number}. Check that the G-28 covers this "
            "filing.",
        )


@rule(
    "R17",
    "Representative signs Section 9 for the client",
    ("s9.capacity", "app.role"),
)
def r17(ctx: Context) -> Iterator[Finding]:
    if ctx.get("s9.capacity") != ctx.meaning("representative_signer"):
        return
    if not facts.is_represented(ctx.draft):
        yield F(
            "s9",
            "s9.capacity",
            "error",
            "R17-not-representative",
            "Section 9 says an attorney or accredited representative signs for the client, "
            "but no attorney or accredited representative is filing this request (see "
            "'Who is preparing this request?'). Only a representative with a G-28 on file "
            "may sign Section 9 on the client's behalf.",
        )


@rule("R18", "Communication limit", ("app.role",))
def r18(ctx: Context) -> Iterator[Finding]:
    if facts.role(ctx.draft) not in (None, ctx.meaning("self_role")):
        yield F(
            "s7",
            None,
            "info",
            "R18-communication",
            "The CIS Ombudsman communicates only with the benefit requestor (the person who "
            "signed the form filed with USCIS) or the attorney, unless the benefit "
            "requestor gives written consent.",
        )


def _parent_of_adult(ctx: Context) -> bool:
    if not facts.is_role(ctx.draft, "parent_role"):
        return False
    dob = try_iso(ctx.get("s5.dob"))
    signed = try_iso(ctx.get("s9.date")) or ctx.today
    return dob is not None and age_on(dob, signed) >= 18


@rule(
    "R19",
    "Other preparers need written consent",
    ("app.role", "s5.dob", "s7.consent_on_file", "s9.date"),
)
def r19(ctx: Context) -> Iterator[Finding]:
    role = facts.role(ctx.draft)
    if not facts.needs_consent(ctx.draft) and not _parent_of_adult(ctx):
        return
    if role == ctx.meaning("beneficiary_role"):
        if not ctx.has_attachment("petitioner-consent", "consent"):
            yield F(
                "s8",
                "s8.documents",
                "error",
                "R19-consent-missing",
                "A beneficiary is preparing this request, so attach the petitioner's written "
                "consent (the employer or family sponsor) in Section 8 under "
                f'"{ctx.category_label("petitioner-consent")}".',
            )
    elif not ctx.has_attachment("consent"):
        yield F(
            "s8",
            "s8.documents",
            "error",
            "R19-consent-missing",
            "Someone other than the applicant or petitioner is preparing this request, so "
            "attach the applicant's or petitioner's written consent in Section 8 under "
            f'"{ctx.category_label("consent")}".',
        )
    if ctx.get("s7.consent_on_file") is False:
        yield F(
            "s7",
            "s7.consent_on_file",
            "error",
            "R19-consent-not-on-file",
            "The written consent of the applicant or petitioner must be included when "
            "someone else prepares the request; get it, attach it, and answer yes here.",
        )


# -------------------------------------------------------- protected categories


def _category_words(ctx: Context) -> str:
    names = [facts.category_label(ctx.draft, c) for c in facts.categories(ctx.draft)]
    return " / ".join(names)


@rule(
    "R20",
    "Wet-ink Section 9 for T, U, VAWA, asylee and refugee clients",
    ("app.client_category", "s9.capacity", "app.channel", "app.role"),
)
def r20(ctx: Context) -> Iterator[Finding]:
    if not facts.wet_ink_required(ctx.draft):
        return
    channel = ctx.get("app.channel")
    how = {
        ctx.meaning("online_channel"): "scan the signed page and upload it in Section 8 of "
        "the online form",
        ctx.meaning("email_channel"): "scan the signed page and send it with the completed form",
        ctx.meaning("mail_channel"): "mail the original signed page with the form",
    }.get(
        channel if isinstance(channel, str) else "",
        "scan it for online or e-mail filing, or mail the original",
    )
    scanned = channel in ("online", "email") and ctx.has_attachment("signed-section-9")
    yield F(
        "s9",
        "s9.signature",
        "info",
        "R20-wet-ink",
        f"This client ({_category_words(ctx)}) signs Section 9 by hand in ink. The scan of "
        f'the signed page is attached ("{ctx.category_label("signed-section-9")}"); keep '
        "the original. If the name or receipt numbers change, print and sign a new page."
        if scanned
        else f"This client ({_category_words(ctx)}) must sign Section 9 by hand in ink; "
        "electronic, typed, stamped or pasted signatures are not accepted. Print the "
        f"signature page, have the client sign and date it, then {how}. Keep the original.",
    )
    on_behalf = ctx.get("s9.capacity") == ctx.meaning(
        "representative_signer"
    ) and facts.is_represented(ctx.draft)
    electronic = (ctx.meaning("online_channel"), ctx.meaning("email_channel"))
    if channel in electronic and not ctx.has_attachment("signed-section-9"):
        if on_behalf:
            # The tip sheet lets a representative with a G-28 sign Section 9 for the
            # client; wanting the client's own ink as well is Ombuds Desktop's
            # conservative default, which the attorney may set aside.
            yield F(
                "s8",
                "s8.documents",
                "warning",
                "R20-signed-scan-missing",
                "No scan of a Section 9 page signed in ink by the client is attached. The "
                "tip sheet lets an attorney or accredited representative with a G-28 on file "
                "sign Section 9 on the client's behalf; whether that meets the wet-ink rule "
                f"for a {_category_words(ctx)} client is not settled, so Ombuds Desktop "
                "suggests attaching the client's own signed page as well, under "
                f'"{ctx.category_label("signed-section-9")}". Acknowledge this warning '
                "if you sign on the client's behalf only.",
            )
        else:
            yield F(
                "s8",
                "s8.documents",
                "error",
                "R20-signed-scan-missing",
                "Attach the scan of the Section 9 page the client signed in ink, under "
                f'"{ctx.category_label("signed-section-9")}". Print the signature page '
                "from Ombuds Desktop (it is ready before the rest of the packet).",
            )
    if ctx.get("s9.capacity") == ctx.meaning("representative_signer"):
        yield F(
            "s9",
            "s9.capacity",
            "warning",
            "R20-representative-signs",
            f"For a {_category_words(ctx)} client, Ombuds Desktop asks the client to sign "
            "Section 9 personally, in ink, even when a representative files. Whether a "
            "representative's signature on the client's behalf satisfies the wet-ink rule "
            "is not settled; the packet includes the client's signature page.",
        )


@rule(
    "R21",
    "Mail only, and the address must match USCIS records",
    ("app.client_category", "s5.mail_only", "s5.address_matches_uscis", "app.role"),
)
def r21(ctx: Context) -> Iterator[Finding]:
    if not facts.categories(ctx.draft):
        return
    if facts.is_role(ctx.draft, "accredited_role"):
        yield F(
            "s10",
            None,
            "warning",
            "R21-accredited-rep-only",
            "The CIS Ombudsman's page words the mail-only rule for T, U, VAWA, asylee and "
            "refugee clients as applying when there is no attorney; an accredited "
            "representative is filing. Consider confirming the client's mailing address "
            "with USCIS records anyway.",
        )
        return
    if not facts.mail_only_required(ctx.draft):
        return
    yield F(
        "s5",
        "s5.mail_only",
        "info",
        "R21-mail-only",
        f"This client ({_category_words(ctx)}) has no attorney or accredited representative, "
        "so the CIS Ombudsman will communicate only by U.S. mail, to the address in USCIS "
        "records. No confirmation e-mail will come; the request number arrives by mail.",
    )
    if ctx.get("s5.address_matches_uscis") is not True:
        yield F(
            "s5",
            "s5.address_matches_uscis",
            "error",
            "R21-address-must-match",
            "Confirm that the mailing address in Section 5 is the same as the address in "
            "USCIS systems. For this client the CIS Ombudsman writes only to that address; "
            "if it differs, update the address with USCIS first.",
        )


@rule(
    "R22",
    "Section 5 is the applicant or petitioner",
    (
        "s5.name",
        "s5.party_type",
        "s5.org_name",
        "s6.name",
        "s6.has_beneficiary",
        "s7.name",
        "s10.name",
        "app.role",
    ),
)
def r22(ctx: Context) -> Iterator[Finding]:
    if ctx.get("s5.party_type") == ctx.meaning("organization_party"):
        org = " ".join(str(ctx.get("s5.org_name") or "").casefold().split())
        beneficiary = _name_key(ctx.get("s6.name"))
        if org and ctx.get("s6.has_beneficiary") is True and org == beneficiary:
            yield F(
                "s5",
                "s5.org_name",
                "error",
                "R22-not-applicant",
                f"Section 5 names the organization {ctx.get('s5.org_name')!s}, which is the "
                "name of the beneficiary in Section 6. Section 5 must name the petitioning "
                "company or organization, never the beneficiary.",
            )
        return
    if ctx.get("s5.party_type") != ctx.meaning("individual_party"):
        return
    s5 = _name_key(ctx.get("s5.name"))
    if not s5:
        return
    others = [
        (
            "s10.name",
            "the attorney or accredited representative in Section 10",
            facts.is_represented(ctx.draft),
        ),
        ("s6.name", "the beneficiary in Section 6", ctx.get("s6.has_beneficiary") is True),
        (
            "s7.name",
            "the requester in Section 7",
            facts.is_role(ctx.draft, "beneficiary_role"),
        ),
    ]
    for field_id, who, applies in others:
        if applies and _name_key(ctx.get(field_id)) == s5:
            yield F(
                "s5",
                "s5.name",
                "error",
                "R22-not-applicant",
                f"Section 5 names {facts.person_name(ctx.get('s5.name'))}, who is also "
                f"{who}. Section 5 must name the applicant or petitioner, never the "
                "beneficiary, attorney or accredited representative.",
            )


def _name_key(value: Any) -> str:
    return " ".join(facts.person_name(value).casefold().split())


def _name_parts(value: Any) -> tuple[str, str]:
    """(given, family), case- and accent-folded, for comparing two spellings of a name."""

    def fold(text: Any) -> str:
        plain = unicodedata.normalize("NFKD", str(text or ""))
        return " ".join(
            "".join(c for c in plain if not unicodedata.combining(c)).casefold().split()
        )

    if not isinstance(value, dict):
        return "", fold(value)
    return fold(value.get("given")), fold(value.get("family"))


@rule(
    "R45",
    "The applicant who signs Section 9 is the person in Section 5",
    ("s9.capacity", "s9.signer_name", "s5.name", "s5.party_type"),
)
def r45(ctx: Context) -> Iterator[Finding]:
    if ctx.get("s9.capacity") != ctx.meaning("self_signer"):
        return
    if ctx.get("s5.party_type") != ctx.meaning("individual_party"):
        return
    signer, applicant = _name_parts(ctx.get("s9.signer_name")), _name_parts(ctx.get("s5.name"))
    if not any(signer) or not any(applicant) or signer == applicant:
        return
    shown = facts.person_name(ctx.get("s9.signer_name"))
    who = facts.person_name(ctx.get("s5.name"))
    if signer[0] != applicant[0] and signer[1] != applicant[1]:
        yield F(
            "s9",
            "s9.signer_name",
            "error",
            "R45-signer-not-applicant",
            f"Section 9 is signed by the applicant or petitioner, but the signer ({shown}) "
            f"is not the person in Section 5 ({who}). Only the applicant or petitioner can "
            "give this consent; correct the name, or choose who else signs (a parent of a "
            "child under 18, or the attorney on the client's behalf).",
        )
    else:
        yield F(
            "s9",
            "s9.signer_name",
            "warning",
            "R45-signer-name-differs",
            f"Section 9 is signed by the applicant or petitioner as {shown}, but Section 5 "
            f"names {who}. Use the same name in both places, as it appears in USCIS "
            "records, or acknowledge this warning if both are correct.",
        )


# ----------------------------------------------------------------- family


@rule(
    "R23",
    "One 7001 per family member",
    ("s5.family_box", "s5.name"),
)
def r23(ctx: Context) -> Iterator[Finding]:
    if ctx.get("s5.family_box") is not True:
        return
    if not ctx.draft.family_group:
        yield F(
            "s5",
            "s5.family_box",
            "info",
            "R23-create-linked",
            "File a separate DHS Form 7001 for each family member. Use 'Duplicate for a "
            "family member' to start a linked draft.",
        )
    yield F(
        "s5",
        "s5.family_box",
        "info",
        "R23-link-requests",
        "After every family member's request is submitted and has a CIS Ombudsman request "
        f"number, e-mail all the related request numbers to {ctx.email_to()} so the "
        "office can link them.",
    )
    me = _name_key(ctx.get("s5.name"))
    for other in ctx.family():
        if (
            me
            and _name_key(other.values.get("s5.name")) == me
            and other.values.get("s5.dob") == ctx.get("s5.dob")
        ):
            yield F(
                "s5",
                "s5.name",
                "warning",
                "R23-same-person",
                f"Another draft in this family group already names "
                f"{facts.person_name(ctx.get('s5.name'))} in Section 5. Each family member "
                "needs their own DHS Form 7001, one per person.",
            )


@rule("R24", "Do not list family members' receipt numbers", ("s3.filings",))
def r24(ctx: Context) -> Iterator[Finding]:
    family = ctx.family()
    if not family:
        return
    for filing, receipt, others, owner in shared_receipts(ctx.draft, family):
        path = f"s3.filings[{filing.index}].receipt_number"
        if owner is ctx.draft:
            continue  # this person's own filing; the family member's draft is told
        if owner is not None:
            who = facts.client_name(owner) or "another family member"
            yield F(
                "s3",
                path,
                "error",
                "R24-family-receipt",
                f"Receipt number {receipt} is {who}'s filing (the filing their request in "
                "the same family group is about). List only this person's own filings; the "
                "CIS Ombudsman asks that family members' receipt numbers not be listed. "
                "Remove this row; the office links the family's requests by their request "
                "numbers instead.",
            )
            continue
        names = ", ".join(facts.client_name(d) or "another family member" for d in others)
        yield F(
            "s3",
            path,
            "warning",
            "R24-family-receipt-unclear",
            f"Receipt number {receipt} is listed both here and on the draft for {names}, in "
            "the same family group. It belongs to only one of them: keep it on the draft "
            "of the person who filed it (mark it there as the filing the request is about) "
            "and remove it from the others.",
        )


@rule("R25", "Duplicate request", ("s3.filings", "s2.reasons"))
def r25(ctx: Context) -> Iterator[Finding]:
    primary = facts.primary_filing(ctx.draft)
    if primary is None or not primary.receipt_number:
        return
    mine = identifiers.normalize_receipt_number(primary.receipt_number)
    for other in ctx.related:
        if other.id == ctx.draft.id or other.status not in ("submitted", "resolved"):
            continue
        theirs = facts.primary_filing(other)
        overlap = set(ctx.reasons()) & set(_option_ids(other.values.get("s2.reasons")))
        if (
            theirs
            and identifiers.normalize_receipt_number(theirs.receipt_number) == mine
            and overlap
        ):
            yield F(
                "s3",
                f"s3.filings[{primary.index}].receipt_number",
                "warning",
                "R25-duplicate",
                f"A request about {mine} for the same reason was already submitted. The "
                "CIS Ombudsman checks for duplicates; file again only if the situation has "
                "changed, and mention the earlier request number.",
            )
            return


@rule(
    "R26",
    "A parent may complete the form for a child under 18",
    ("s9.capacity", "s5.dob", "s9.date"),
)
def r26(ctx: Context) -> Iterator[Finding]:
    if ctx.get("s9.capacity") != ctx.meaning("parent_signer"):
        return
    dob = try_iso(ctx.get("s5.dob"))
    signed = try_iso(ctx.get("s9.date")) or ctx.today
    if dob is None:
        yield F(
            "s5",
            "s5.dob",
            "error",
            "R26-child-age-unknown",
            "A parent signs Section 9, so enter the child's date of birth in Section 5: a "
            "parent may sign only for a child under 18.",
        )
    elif age_on(dob, signed) >= 18:
        yield F(
            "s9",
            "s9.capacity",
            "error",
            "R26-not-a-minor",
            f"A parent may sign only for a child under 18; the person in Section 5 (born "
            f"{format_us(dob)}) is {age_on(dob, signed)} on {format_us(signed)}. They sign "
            "for themselves, or the parent helps as a family member with their written "
            "consent.",
        )


# ------------------------------------------------------------ case details


@rule("R28", "Removal proceedings", ("s2.reasons", "s2.hearing_date"))
def r28(ctx: Context) -> Iterator[Finding]:
    if ctx.meaning("removal_reason") not in ctx.reasons():
        return
    hearing = try_iso(ctx.get("s2.hearing_date"))
    if hearing and hearing > add_months(ctx.today, 6):
        yield F(
            "s2",
            "s2.hearing_date",
            "warning",
            "R28-hearing-far",
            f"The hearing on {format_us(hearing)} is more than six months away. The CIS "
            "Ombudsman helps with removal cases when the hearing is within six months.",
        )
    if hearing and hearing < ctx.today:
        yield F(
            "s2",
            "s2.hearing_date",
            "warning",
            "R28-hearing-past",
            f"The hearing date {format_us(hearing)} has passed; check it.",
        )
    if hearing is None:
        yield F(
            "s2",
            "s2.hearing_date",
            "error",
            "R28-hearing-date-missing",
            "Enter the date of the immigration court hearing. The CIS Ombudsman helps with "
            "removal cases only when the hearing is scheduled within six months, and it "
            "prioritises requests by that date; without it the request cannot show that it "
            "qualifies.",
        )
    if not ctx.has_attachment("hearing-notice"):
        yield F(
            "s8",
            "s8.documents",
            "warning",
            "R28-hearing-notice-missing",
            "Section 2 gives removal proceedings as a reason; attaching the immigration "
            "court hearing notice in Section 8 under "
            f'"{ctx.category_label("hearing-notice")}" shows the hearing date. (The '
            "official pages do not require it; attach it if you have it.)",
        )


@rule(
    "R29",
    "Filing does not extend USCIS deadlines",
    ("app.deadlines",),
)
def r29(ctx: Context) -> Iterator[Finding]:
    phrase = ctx.definition.notes.get("deadline_note", "Filing does not extend USCIS deadlines.")
    due = facts.deadline_dates(ctx.draft)
    upcoming = [d for d in due if d >= ctx.today]
    if upcoming:
        yield F(
            "app",
            "app.deadlines",
            "warning",
            "R29-deadline",
            # No day count in the text: an acknowledgement stays valid until the date changes.
            f"A USCIS deadline is due on {format_us(upcoming[0])}. {phrase} Respond to USCIS "
            "by the due date.",
        )
    elif due:
        yield F(
            "app",
            "app.deadlines",
            "warning",
            "R29-deadline",
            f"A USCIS deadline was due on {format_us(due[-1])}. {phrase}",
        )
    else:
        yield F("app", None, "info", "R29-deadline-note", phrase)


@rule("R30", "No receipt notice", ("s3.filings",))
def r30(ctx: Context) -> Iterator[Finding]:
    if any(f.no_receipt for f in facts.filings(ctx.draft)) and not ctx.has_attachment(
        "delivery-proof"
    ):
        yield F(
            "s8",
            "s8.documents",
            "error",
            "R30-delivery-proof-missing",
            "A filing in Section 3 has no receipt notice yet, so attach the delivery "
            "confirmation and a copy of what was sent to USCIS in Section 8 under "
            f'"{ctx.category_label("delivery-proof")}".',
        )


@rule(
    "R31",
    "Lockbox 30 business days",
    ("s3.filings", "s1.contacted_uscis", "s1a.actions"),
)
def r31(ctx: Context) -> Iterator[Finding]:
    for filing in facts.filings(ctx.draft):
        delivered = try_iso(filing.delivered_on) if filing.no_receipt else None
        if delivered is None:
            continue
        path = f"s3.filings[{filing.index}].delivered_on"
        elapsed = business_days_between(delivered, ctx.today)
        if elapsed < 30:
            reached = add_business_days(delivered, 30)
            yield F(
                "s3",
                path,
                "warning",
                "R31-lockbox-too-early",
                f"The package was delivered on {format_us(delivered)}; 30 business days "
                f"(weekends and federal holidays excluded) pass on {format_us(reached)}. Wait "
                "until then before even a USCIS Lockbox inquiry.",
            )
        elif not ctx.used_channel("lockbox_channel"):
            yield F(
                "s3",
                path,
                "warning",
                "R31-lockbox-first",
                f"More than 30 business days have passed since delivery on "
                f"{format_us(delivered)} with no receipt notice. E-mail the USCIS Lockbox "
                "(lockboxsupport@uscis.dhs.gov) first and record it in Section 1A.",
            )


@rule(
    "R32",
    "Refugee and T/U/VAWA cases have their own USCIS contacts",
    ("app.client_category", "s1a.actions", "s1.contacted_uscis"),
)
def r32(ctx: Context) -> Iterator[Finding]:
    cats = set(facts.categories(ctx.draft))
    if cats & set(ctx.meaning("refugee_categories", ())) and not ctx.used_channel(
        "refugee_channel"
    ):
        yield F(
            "s1a",
            "s1a.actions",
            "info",
            "R32-refugee-contact",
            "Refugee applicants can e-mail USCIS at refugeeaffairsinquiries@uscis.dhs.gov "
            "from their registered e-mail address, or ask their Resettlement Support Center.",
        )
    if cats & set(ctx.meaning("tuvawa_categories", ())) and not ctx.used_channel("tuvawa_channel"):
        yield F(
            "s1a",
            "s1a.actions",
            "info",
            "R32-tuvawa-contact",
            "T, U and VAWA cases have dedicated USCIS e-mail and mailing addresses, listed "
            "on the CIS Ombudsman's FAQ page; try them before filing.",
        )


@rule("R33", "Include the person's related receipt numbers", ("s3.filings",))
def r33(ctx: Context) -> Iterator[Finding]:
    if len(facts.filings(ctx.draft)) == 1:
        yield F(
            "s3",
            "s3.filings",
            "info",
            "R33-related-filings",
            "If this person has other pending filings related to this issue, list them in "
            "Section 3 too (only their own, never a family member's).",
        )


@rule(
    "R34",
    "Supporting documentation is expected",
    ("s8.documents", "s3.filings"),
)
def r34(ctx: Context) -> Iterator[Finding]:
    if not ctx.draft.attachments:
        yield F(
            "s8",
            "s8.documents",
            "error",
            "R34-no-documents",
            "No supporting documents are attached. Attach the USCIS notices and USCIS "
            "responses to inquiries that show the problem (the CIS Ombudsman asks for "
            "supporting documentation with every request).",
        )
    elif not ctx.has_attachment("uscis-notice", "service-request") and not all(
        f.no_receipt for f in facts.filings(ctx.draft)
    ):
        # (no warning when no filing has a receipt notice: none can be attached)
        yield F(
            "s8",
            "s8.documents",
            "warning",
            "R34-no-uscis-document",
            "No USCIS notice or USCIS response to an inquiry is attached. These are the most "
            "useful documents for the CIS Ombudsman; attach them if you have them.",
        )


@rule("R35", "Explanation required", ("s2.explanation",))
def r35(ctx: Context) -> Iterator[Finding]:
    text = str(ctx.get("s2.explanation") or "").strip()
    if text and len(text) < 100:
        yield F(
            "s2",
            "s2.explanation",
            "warning",
            "R35-explanation-short",
            f"The explanation has {len(text)} characters. The CIS Ombudsman prioritises "
            "requests on Section 2: say what the difficulty is, what was filed and when, and "
            "what was done with USCIS.",
        )


@rule("R36", "E-mail or mail is slower", ("app.channel",))
def r36(ctx: Context) -> Iterator[Finding]:
    if ctx.get("app.channel") in (ctx.meaning("email_channel"), ctx.meaning("mail_channel")):
        note = ctx.definition.channels.get("manual_entry_note", "")
        yield F(
            "app",
            "app.channel",
            "info",
            "R36-manual-entry",
            f"{note} Online filing is faster when it is possible.",
        )


@rule("R37", "Outside the United States", ("s5.address", "app.channel"))
def r37(ctx: Context) -> Iterator[Finding]:
    address = ctx.get("s5.address")
    country = address.get("country") if isinstance(address, dict) else None
    country = country.upper() if isinstance(country, str) and country.strip() else "US"
    if country != "US" and ctx.get("app.channel") == ctx.meaning("online_channel"):
        yield F(
            "app",
            "app.channel",
            "info",
            "R37-abroad",
            "The client's address is outside the United States. If the online portal cannot "
            f"be reached from abroad, e-mail the completed form to {ctx.email_to()}.",
        )


@rule("R38", "Address change", ("app.moved",))
def r38(ctx: Context) -> Iterator[Finding]:
    if ctx.get("app.moved") is True:
        yield F(
            "s5",
            "s5.address",
            "info",
            "R38-address-change",
            "The client has moved or plans to move: change the address with USCIS (USPS "
            "forwarding does not, and mailing a Form AR-11 alone does not update pending "
            "applications); update EOIR separately if there is a court case; and e-mail "
            f"{ctx.email_to()} with the receipt numbers of all pending filings. "
            "Representatives update their own address through USCIS's G-28 page.",
        )


@rule("R39", "After submission")
def r39(ctx: Context) -> Iterator[Finding]:
    if ctx.draft.submission is None:
        return
    number = ctx.draft.submission.request_number or "the CIS Ombudsman request number"
    yield F(
        "app",
        None,
        "info",
        "R39-after-submission",
        f"After submission: add {ctx.email_to()} to your contacts; e-mail the office, "
        f"quoting {number}, if USCIS resolves the case, the address changes or a new "
        "attorney takes over; reply to the confirmation e-mail to send files that failed to "
        "upload.",
    )


@rule("R40", "Edition expired")
def r40(ctx: Context) -> Iterator[Finding]:
    d = ctx.definition
    if d.is_expired(ctx.today):
        yield F(
            "app",
            None,
            "warning",
            "R40-edition-expired",
            f"This edition of {d.number} ({d.edition_label or d.edition}) expired on "
            f"{format_us(d.expires)}; check dhs.gov for a newer edition before filing.",
        )


@rule(
    "R41",
    "Identifier cross-checks",
    ("s5.a_number", "s3.filings", "s5.uscis_account"),
)
def r41(ctx: Context) -> Iterator[Finding]:
    """Formats are checked per field; here: an A-Number that is really another identifier."""
    a_number = identifiers.normalize_a_number(str(ctx.get("s5.a_number") or ""))
    if not a_number:
        return
    receipt_digits = {
        r[3:] for r in map(identifiers.normalize_receipt_number, facts.receipt_numbers(ctx.draft))
    }
    account = identifiers.normalize_account_number(str(ctx.get("s5.uscis_account") or ""))
    if a_number.lstrip("0") and (
        a_number in receipt_digits
        or a_number.lstrip("0") in {d.lstrip("0") for d in receipt_digits}
        or (account and account.endswith(a_number))
    ):
        yield F(
            "s5",
            "s5.a_number",
            "warning",
            "R41-a-number-confused",
            "The A-Number matches the digits of a receipt number or of the USCIS online "
            "account number. These are different numbers; check the A-Number on the client's "
            "USCIS documents.",
        )


@rule(
    "R42",
    "Dates are plausible",
    ("s5.dob", "s3.filings", "s5.party_type"),
)
def r42(ctx: Context) -> Iterator[Finding]:
    individual = ctx.get("s5.party_type") == ctx.meaning("individual_party")
    dob = try_iso(ctx.get("s5.dob")) if individual else None
    for filing in facts.filings(ctx.draft):
        received = try_iso(filing.receipt_date)
        if received is None:
            continue
        path = f"s3.filings[{filing.index}].receipt_date"
        if dob and received < dob:
            yield F(
                "s3",
                path,
                "error",
                "R42-receipt-before-birth",
                f"The receipt date {format_us(received)} is before the date of birth in "
                f"Section 5 ({format_us(dob)}); one of them is wrong.",
            )
        elif add_months(received, 15 * 12) < ctx.today:
            yield F(
                "s3",
                path,
                "warning",
                "R42-receipt-old",
                f"The receipt date {format_us(received)} is more than 15 years ago; check "
                "the year.",
            )


@rule("R46", "Reconstructed wording of the edition")
def r46(ctx: Context) -> Iterator[Finding]:
    """The attorney learns it here, not from the filed pages (which speak to the Ombudsman)."""
    d = ctx.definition
    parts = [n] if (n := d.notes.get("reconstructed_note")) else []
    provenance = d.consent.get("provenance")
    if provenance and provenance != "official":
        parts.append(
            "The consent wording printed in Sections 9 and 10 is Ombuds Desktop's own, from the "
            f"CIS Ombudsman's published description ({provenance}); the official wording was "
            "not available."
        )
    if parts:
        yield F("app", None, "info", "R46-reconstructed-wording", " ".join(parts))


@rule("R43", "No fee")
def r43(ctx: Context) -> Iterator[Finding]:
    yield F(
        "app",
        None,
        "info",
        "R43-no-fee",
        ctx.definition.notes.get("fee_note", "The CIS Ombudsman does not charge a fee."),
    )
