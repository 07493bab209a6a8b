"""Warnings the user has acknowledged (dhs-7001.md §3: "WARN: the user must acknowledge it").

A final packet needs every warning acknowledged.  An acknowledgement is
stored in the draft (``Draft.acknowledged``) as ``code@field#hash``, the hash
being of the warning's text: when the text changes (a new date, another
receipt number) the warning is asked again.  The CLI (``packet --acknowledge``)
and the window (a check per warning on Review) both go through here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import Any

from ombuds_desktop.draft.model import Draft
from ombuds_desktop.validation.findings import Finding

ALL = "all"


def text_hash(finding: Finding) -> str:
    return hashlib.sha256(finding.message.encode("utf-8")).hexdigest()[:16]


def token(finding: Finding) -> str:
    """What is stored in the draft for an acknowledged warning."""
    return f"{finding.key}#{text_hash(finding)}"


def warnings(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "warning"]


def is_acknowledged(finding: Finding, draft: Draft) -> bool:
    return token(finding) in set(draft.acknowledged)


def unacknowledged_warnings(findings: Sequence[Finding], draft: Draft) -> list[Finding]:
    """The warnings a final packet still needs acknowledged (text changed: asked again)."""
    done = set(draft.acknowledged)
    return [f for f in warnings(findings) if token(f) not in done]


def set_acknowledged(draft: Draft, finding: Finding, acknowledged: bool = True) -> None:
    """Record (or withdraw) the acknowledgement of one warning, in place."""
    if finding.severity != "warning":
        raise ValueError(f"{finding.code} is not a warning; only warnings are acknowledged")
    # An older acknowledgement of the same warning (other text) is replaced.
    kept = [a for a in draft.acknowledged if a.partition("#")[0] != finding.key]
    draft.acknowledged = [*kept, token(finding)] if acknowledged else kept


def acknowledge(draft: Draft, findings: Sequence[Finding], choices: Iterable[str]) -> list[Finding]:
    """Acknowledge warnings by code, key (``code@field``) or ``all``; returns those acknowledged.

    Raises ValueError naming a choice that matches no current warning.
    """
    current = warnings(findings)
    chosen: list[Finding] = []
    for choice in choices:
        matched = current if choice == ALL else [f for f in current if choice in (f.code, f.key)]
        if not matched and choice != ALL:
            known = ", ".join(sorted({f.code for f in current})) or "none"
            raise ValueError(
                f"{choice!r} is not one of this draft's warnings (current warnings: {known})"
            )
        chosen.extend(f for f in matched if f not in chosen)
    for f in chosen:
        set_acknowledged(draft, f)
    return chosen


def acknowledgement_records(findings: Sequence[Finding], draft: Draft) -> list[dict[str, Any]]:
    """For the packet's manifest: each current warning and whether it was acknowledged.

    The wording is not copied (it may name the client); its hash identifies it.
    """
    return [
        {
            "code": f.code,
            "field": f.field,
            "text_sha256_16": text_hash(f),
            "acknowledged": is_acknowledged(f, draft),
        }
        for f in warnings(findings)
    ]
