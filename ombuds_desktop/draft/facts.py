"""Facts derived from a draft's answers, shared by validation, the packet and the UI.

Which field holds what, and what an option id means, is read from the draft's
edition file (its ``[meanings]`` table), never written here: a new edition
that renames a field says so in its own file, and code follows it.  A meaning
the edition does not state fails loudly (:class:`EditionFactError`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from ombuds_desktop.dates import try_iso
from ombuds_desktop.draft.model import Draft


class EditionFactError(LookupError):
    """The draft's edition does not say what code needs to know (a [meanings] entry)."""


@cache
def _formdef() -> Any:
    """The form-definition package, imported at first use (not with the draft package:
    storage reads drafts without the form definition) and then kept: every fact asks."""
    from ombuds_desktop import formdef

    return formdef


def edition_of(draft: Draft) -> Any:
    """The draft's edition; the newest installed one when that edition is not installed."""
    formdef = _formdef()
    try:
        return formdef.load_form_key(draft.form)
    except formdef.FormDefinitionError:
        return formdef.load_edition(draft.form.partition("/")[0] or "dhs-7001")


def meaning(draft: Draft, key: str) -> Any:
    meanings = edition_of(draft).meanings
    if key not in meanings:
        raise EditionFactError(
            f"the form edition {draft.form} does not say {key!r} in its [meanings] table"
        )
    return meanings[key]


def field_id(draft: Draft, role: str) -> str:
    """The id of the field that holds ``role`` (e.g. "client_dob" -> "s5.dob") in this edition."""
    fields = meaning(draft, "fields")
    if role not in fields:
        raise EditionFactError(
            f"the form edition {draft.form} does not name the field for {role!r} "
            "in [meanings.fields]"
        )
    return str(fields[role])


def value(draft: Draft, role: str, default: Any = None) -> Any:
    """The answer of the field that holds ``role``."""
    return draft.get(field_id(draft, role), default)


def _parts(draft: Draft, table: str, names: tuple[str, ...]) -> dict[str, str]:
    """The keys ``table`` names for each of ``names`` (one look at the edition for all)."""
    parts = meaning(draft, table)
    for part in names:
        if part not in parts:
            raise EditionFactError(f"the form edition {draft.form} has no {table}.{part}")
    return {part: str(parts[part]) for part in names}


def protected_categories(draft: Draft) -> tuple[str, ...]:
    return tuple(meaning(draft, "protected_categories"))


def category_label(draft: Draft, category: str) -> str:
    return str(meaning(draft, "category_short_labels").get(category, category))


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


_FILING_PARTS = tuple(p for p in Filing.__slots__ if p != "index")


def filings(draft: Draft) -> list[Filing]:
    rows = value(draft, "filings") or []
    k = _parts(draft, "filing_parts", _FILING_PARTS)
    out = []
    for i, row in enumerate(rows if isinstance(rows, list) else []):
        if not isinstance(row, dict):
            continue
        out.append(
            Filing(
                i,
                str(row.get(k["form_number"]) or "").strip(),
                str(row.get(k["receipt_number"]) or "").strip(),
                row.get(k["receipt_date"]) or None,
                row.get(k["primary"]) is True,
                row.get(k["no_receipt"]) is True,
                row.get(k["delivered_on"]) or None,
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
    raw = value(draft, "role")
    return raw if isinstance(raw, str) else None


def is_role(draft: Draft, meaning_key: str) -> bool:
    """Whether the preparer's role is the one the edition names ``meaning_key``."""
    wanted: object = meaning(draft, meaning_key)  # an option id, or anything a bad edition says
    return role(draft) == wanted


def categories(draft: Draft) -> list[str]:
    raw = value(draft, "categories") or []
    known = protected_categories(draft)
    return [c for c in raw if isinstance(c, str) and c in known] if isinstance(raw, list) else []


def is_represented(draft: Draft) -> bool:
    return role(draft) in meaning(draft, "representative_roles")


def needs_consent(draft: Draft) -> bool:
    """The preparer must include the applicant's (or petitioner's) written consent."""
    return role(draft) in meaning(draft, "consent_roles")


def wet_ink_required(draft: Draft) -> bool:
    """R20: T, U, VAWA, asylee and refugee clients sign Section 9 in wet ink."""
    return bool(categories(draft))


def mail_only_required(draft: Draft) -> bool:
    """R21: a protected-category client with no attorney or accredited representative."""
    return bool(categories(draft)) and not is_represented(draft)


def deadline_dates(draft: Draft) -> list[date]:
    """The USCIS due dates entered in "Before you file", earliest first (valid dates only)."""
    rows = value(draft, "deadlines") or []
    if not isinstance(rows, list):
        return []
    return sorted(d for d in (try_iso(r.get("due_date")) for r in rows if isinstance(r, dict)) if d)


def statutory_due(draft: Draft) -> date | None:
    """The date a statutory or regulatory processing time requires USCIS to act by."""
    if value(draft, "statutory_time") is not True:
        return None
    return try_iso(value(draft, "statutory_due"))


def forced_answers(draft: Draft) -> dict[str, Any]:
    """Answers the rules fix, which the wizard sets for the user (R21: mail only)."""
    return {field_id(draft, "mail_only"): True} if mail_only_required(draft) else {}


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
    if value(draft, "party_type") == meaning(draft, "organization_party"):
        return str(value(draft, "client_org") or "").strip()
    return person_name(value(draft, "client_name"))


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
