"""Fill Section 10 of a draft from a representative profile (reused across drafts).

A profile is plain data (the vault stores it encrypted); which answers it
fills is decided here, once, for the GUI and the CLI alike.
"""

from __future__ import annotations

from typing import Any

from ombuds_desktop.draft.model import Draft


def _name_parts(full: str) -> dict[str, str]:
    """ "Given Middle Family" as typed in a profile -> a person-name value."""
    words = full.split()
    if len(words) <= 1:
        return {"family": full.strip(), "given": "", "middle": ""}
    return {"family": words[-1], "given": words[0], "middle": " ".join(words[1:-1])}


def bar_rows(admissions: list[str]) -> list[dict[str, str]]:
    """ "NY 1234567" -> {"jurisdiction": "NY", "bar_number": "1234567"}."""
    rows = []
    for entry in admissions:
        jurisdiction, _, number = entry.strip().partition(" ")
        if jurisdiction:
            rows.append({"jurisdiction": jurisdiction.upper(), "bar_number": number.strip()})
    return rows


def profile_values(profile: Any) -> dict[str, Any]:
    """The Section 10 answers a profile provides (empty parts are left out)."""
    values: dict[str, Any] = {}
    if getattr(profile, "name", ""):
        values["s10.name"] = _name_parts(profile.name)
    if getattr(profile, "organization", ""):
        values["s10.firm"] = profile.organization
    admissions = list(getattr(profile, "bar_admissions", []) or [])
    if admissions:
        values["s10.rep_type"] = "attorney"
        values["s10.bar"] = bar_rows(admissions)
    elif getattr(profile, "accreditation", ""):
        values["s10.rep_type"] = "accredited_rep"
        values["s10.accreditation_org"] = profile.accreditation
    for attr, field_id in (
        ("address", "s10.address"),
        ("phone", "s10.phone"),
        ("email", "s10.email"),
        ("uscis_account", "s10.uscis_account"),
    ):
        value = getattr(profile, attr, None)
        if value:
            values[field_id] = dict(value) if isinstance(value, dict) else value
    return values


def apply_profile(draft: Draft, profile: Any) -> None:
    """Fill the draft's empty Section 10 answers from ``profile`` and remember which it used."""
    for key, value in profile_values(profile).items():
        if not draft.values.get(key):
            draft.values[key] = value
    draft.representative_profile = getattr(profile, "id", None)
