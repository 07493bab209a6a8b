"""Checks before filling the official form, as findings on the draft.

These need the official PDF (its required flags, comb sizes and export values), so
``validation`` does not look them up: the caller finds the official form the packet
will fill (``target.packet_target``) and passes it to ``validate_draft(...,
official=target)``, which adds :func:`plan_findings`.  So the CLI, the window and the
packet all list them, and their warnings are acknowledged like any other.  They come
from the same :func:`plan.plan_fill` the filling uses, so a warning here is exactly
what the packet then does.
"""

from __future__ import annotations

from pathlib import Path

from ombuds_desktop.draft import Draft
from ombuds_desktop.formdef.model import FormDefinition
from ombuds_desktop.official.mapping import Mapping
from ombuds_desktop.official.plan import plan_fill
from ombuds_desktop.official.reader import OfficialForm
from ombuds_desktop.validation.findings import Finding

#: Problem kind -> (finding code, severity).
CODES = {
    "required-empty": ("official-required-empty", "warning"),
    "too-long": ("official-too-long", "warning"),
    "no-export-value": ("official-no-export-value", "warning"),
    "overflow": ("official-overflow", "info"),
    "extra-rows": ("official-extra-rows", "info"),
}


def plan_findings(
    official: OfficialForm, mapping: Mapping, draft: Draft, definition: FormDefinition
) -> list[Finding]:
    """What the official form cannot show as the draft says it, in words."""
    out = []
    for p in plan_fill(official, mapping, draft, definition).problems:
        code, severity = CODES[p.kind]
        section = definition.section_of(p.field_id) if p.field_id else definition.sections[0].id
        out.append(Finding(section, p.path, severity, code, p.message))
    return out


def official_findings(
    draft: Draft, definition: FormDefinition, data_dir: str | Path | None = None
) -> list[Finding]:
    """The checks for the official form the packet would use; none when it uses the typeset."""
    from ombuds_desktop.official.target import packet_target

    target = packet_target(definition, data_dir)
    return [] if target is None else target.findings(draft, definition)
