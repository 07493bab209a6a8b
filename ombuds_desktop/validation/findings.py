"""What validation reports: one :class:`Finding` per problem or applied rule."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SEVERITIES = ("error", "warning", "info")
_RANK = {s: i for i, s in enumerate(SEVERITIES)}


@dataclass(frozen=True, slots=True)
class Finding:
    """One message about a draft.

    ``section`` is a section id of the form definition (``"s3"``), ``field`` a
    field path with repeat indexes (``"s3.filings[1].receipt_number"``) or None
    for the section or draft as a whole.  ``code`` is stable: tools and tests
    match on it, never on the wording of ``message``.
    """

    section: str
    field: str | None
    severity: str
    code: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "section": self.section,
            "field": self.field,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
        }

    @property
    def key(self) -> str:
        """Identity used to acknowledge a warning (stored in the draft)."""
        return f"{self.code}@{self.field or self.section}"


def sort_findings(findings: list[Finding], section_order: list[str]) -> list[Finding]:
    order = {s: i for i, s in enumerate(section_order)}
    return sorted(findings, key=lambda f: (order.get(f.section, len(order)), _RANK[f.severity]))


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)
