"""Fill Section 10 of a draft from a representative profile (reused across drafts).

A profile is plain data (the vault stores it encrypted); which answers it
fills is decided here, once, for the GUI and the CLI alike.
"""

from __future__ import annotations

from typing import Any

from ombuds_desktop.draft import facts
from ombuds_desktop.draft.model import Draft


def _name_parts(full: str) -> dict[str, str]:
    """ "Given Middle Family" as typed in a profile -> a person-name value."""
    words = full.split()
    if len(words) <= 1:
        return {"family": full.strip(), "given": "", "middle": ""}
    return {"family": words[-1], "given": words[0], "middle": " ".join(words[1:-1])}


def bar_rows(admissions: list[str], draft: Draft) -> list[dict[str, str]]:
    """ "NY 1234567" -> {"jurisdiction": "NY", "bar_number": "1234567"} (the edition's parts)."""
    parts = facts.meaning(draft, "bar_parts")
    rows = []
    for entry in admissions:
        jurisdiction, _, number = entry.strip().partition(" ")
        if jurisdiction:
            rows.append(
                {parts["jurisdiction"]: jurisdiction.upper(), parts["bar_number"]: number.strip()}
            )
    return rows


def profile_values(profile: Any, draft: Draft) -> dict[str, Any]:
    """The Section 10 answers a profile provides (empty parts are left out).

    Field ids and option ids come from the draft's edition ([meanings]).
    """
    fid = facts.field_id
    values: dict[str, Any] = {}
    if getattr(profile, "name", ""):
        values[fid(draft, "rep_name")] = _name_parts(profile.name)
    if getattr(profile, "organization", ""):
        values[fid(draft, "rep_firm")] = profile.organization
    admissions = list(getattr(profile, "bar_admissions", []) or [])
    if admissions:
        values[fid(draft, "rep_type")] = facts.meaning(draft, "attorney_rep_type")
        values[fid(draft, "rep_bar")] = bar_rows(admissions, draft)
    elif getattr(profile, "accreditation", ""):
        values[fid(draft, "rep_type")] = facts.meaning(draft, "accredited_rep_type")
        values[fid(draft, "rep_accreditation_org")] = profile.accreditation
    for attr, role in (
        ("address", "rep_address"),
        ("phone", "rep_phone"),
        ("email", "rep_email"),
        ("uscis_account", "rep_uscis_account"),
    ):
        value = getattr(profile, attr, None)
        if value:
            values[fid(draft, role)] = dict(value) if isinstance(value, dict) else value
    return values


def apply_profile(draft: Draft, profile: Any) -> None:
    """Fill the draft's empty Section 10 answers from ``profile`` and remember which it used."""
    for key, value in profile_values(profile, draft).items():
        if not draft.values.get(key):
            draft.values[key] = value
    draft.representative_profile = getattr(profile, "id", None)
