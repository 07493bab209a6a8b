"""Validation: field checks from the form definition plus the Ombudsman's rules R1–R43."""

from ombuds_desktop.validation.acknowledge import (
    acknowledge,
    set_acknowledged,
    unacknowledged_warnings,
)
from ombuds_desktop.validation.engine import applicable_rules, validate_draft, validate_section
from ombuds_desktop.validation.findings import Finding, has_errors, sort_findings
from ombuds_desktop.validation.screener import ScreenResult, screen

__all__ = [
    "Finding",
    "acknowledge",
    "set_acknowledged",
    "unacknowledged_warnings",
    "ScreenResult",
    "applicable_rules",
    "has_errors",
    "screen",
    "sort_findings",
    "validate_draft",
    "validate_section",
]
