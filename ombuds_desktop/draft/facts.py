"""Facts derived from a draft's answers, shared by validation, the packet and the UI.

These are the few places where code names field ids of the form.  The ids are
the stable contract of the edition files (see ``forms/README.md``); an edition
that renames one must keep the old id or update this module and its tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ombuds_desktop.dates import try_iso
from ombuds_desktop.draft.model import Draft

PROTECTED_CATEGORIES = ("t", "u", "vawa", "asylee", "refugee")
REPRESENTATIVE_ROLES = ("attorney", "accredited_rep")
CONSENT_ROLES = ("beneficiary", "family", "congressional", "other_preparer")
CATEGORY_LABELS = {"t": "T", "u": "U", "vawa": "VAWA", "asylee": "asylee", "refugee": "refugee"}


def person_name(value: Any, *, family_first: bool = False) -> str:
    """A person-name value as one line ("Given Middle Family", or "Family, Given Middle")."""
    if not isinstance(value, dict):
        return str(value or "").strip()
    family = str(value.get("family") or "").strip()
    given = " ".join(str(value.get(k) or "").strip() for k in ("given", "middle")).strip()
    if family_first:
        return ", ".join(p for p in (family, given) if p)
    return " ".join(p for p in (given, family) if p)


@dataclass(frozen=True, slots=True)
class Filing:
    index: int
    form_number: str
    receipt_number: str
    receipt_date: str | None
    primary: bool
    no_receipt: bool
    delivered_on: str | None


def filings(draft: Draft) -> list[Filing]:
    rows = draft.get("s3.filings") or []
    out = []
    for i, row in enumerate(rows if isinstance(rows, list) else []):
        if not isinstance(row, dict):
            continue
        out.append(
            Filing(
                i,
                str(row.get("form_number") or "").strip(),
                str(row.get("receipt_number") or "").strip(),
                row.get("receipt_date") or None,
                row.get("primary") is True,
                row.get("no_receipt") is True,
                row.get("delivered_on") or None,
            )
        )
    return out


def primary_filing(draft: Draft) -> Filing | None:
    rows = filings(draft)
    marked = [f for f in rows if f.primary]
    if marked:
        return marked[0]
    return rows[0] if len(rows) == 1 else None


def role(draft: Draft) -> str | None:
    return draft.get("app.role")


def categories(draft: Draft) -> list[str]:
    raw = draft.get("app.client_category") or []
    return [c for c in raw if c in PROTECTED_CATEGORIES] if isinstance(raw, list) else []


def is_represented(draft: Draft) -> bool:
    return role(draft) in REPRESENTATIVE_ROLES


def wet_ink_required(draft: Draft) -> bool:
    """R20: T, U, VAWA, asylee and refugee clients sign Section 9 in wet ink."""
    return bool(categories(draft))


def mail_only_required(draft: Draft) -> bool:
    """R21: a protected-category client with no attorney or accredited representative."""
    return bool(categories(draft)) and not is_represented(draft)


def deadline_dates(draft: Draft) -> list[date]:
    """The USCIS due dates entered in "Before you file", earliest first (valid dates only)."""
    rows = draft.get("app.deadlines") or []
    if not isinstance(rows, list):
        return []
    return sorted(d for d in (try_iso(r.get("due_date")) for r in rows if isinstance(r, dict)) if d)


def statutory_due(draft: Draft) -> date | None:
    """The date a statutory or regulatory processing time requires USCIS to act by."""
    if draft.get("app.scr.statutory_time") is not True:
        return None
    return try_iso(draft.get("app.scr.statutory_due"))


def forced_answers(draft: Draft) -> dict[str, Any]:
    """Answers the rules fix, which the wizard sets for the user (R21: mail only)."""
    return {"s5.mail_only": True} if mail_only_required(draft) else {}


def apply_forced_answers(draft: Draft) -> list[str]:
    """Set the answers the rules fix, in place; the ids that changed.

    Used by every entry point (validation, the packet, import, the window), so
    a draft file without the forced answer is judged as the law reads it.
    """
    changed = [k for k, v in forced_answers(draft).items() if draft.values.get(k) != v]
    for key in changed:
        draft.values[key] = forced_answers(draft)[key]
    return changed


def with_forced_answers(draft: Draft) -> Draft:
    """``draft`` itself when nothing is forced, else a copy with the forced answers set."""
    if all(draft.values.get(k) == v for k, v in forced_answers(draft).items()):
        return draft
    fixed = draft.copy()
    apply_forced_answers(fixed)
    return fixed


def client_name(draft: Draft) -> str:
    if draft.get("s5.party_type") == "organization":
        return str(draft.get("s5.org_name") or "").strip()
    return person_name(draft.get("s5.name"))


def receipt_numbers(draft: Draft) -> list[str]:
    return [f.receipt_number for f in filings(draft) if f.receipt_number]


def forms_and_receipts(draft: Draft) -> str:
    """ "I-360 EAC2212345678; I-765 …" for lists, headers and cover letters."""
    parts = []
    for f in filings(draft):
        part = " ".join(p for p in (f.form_number, f.receipt_number) if p)
        if part:
            parts.append(part)
    return "; ".join(parts)
