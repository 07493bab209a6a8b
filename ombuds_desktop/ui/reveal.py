"""Which findings the wizard shows now: a calm wizard, not a wall of red.

Validation always finds every problem (the Review page lists them all).  Under the
fields, a problem about an *empty* answer ("this needs an answer") waits until the
user has left that field or that section, or has been to the Review page.  Problems
with what the user typed, warnings about the section and notes show at once.

Pure Python (no Qt), so the rule is easy to test and to read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ombuds_desktop.formdef.conditions import is_filled
from ombuds_desktop.formdef.model import FormDefinition
from ombuds_desktop.validation import Finding

_STEP = re.compile(r"\[(\d+)\]|\.([^.\[]+)")


def value_at(definition: FormDefinition, values: Mapping[str, Any], path: str) -> Any:
    """The answer at a finding's path ("s3.filings[0].receipt_number"), or None."""
    top = _top_field(definition, path)
    if top is None:
        return None
    value: Any = values.get(top)
    for index, key in _STEP.findall(path[len(top) :]):
        if index:
            value = (
                value[int(index)] if isinstance(value, list) and int(index) < len(value) else None
            )
        else:
            value = value.get(key) if isinstance(value, Mapping) else None
        if value is None:
            return None
    return value


def _top_field(definition: FormDefinition, path: str) -> str | None:
    candidates = [path] + [path[:i] for i, ch in enumerate(path) if ch in ".["]
    for candidate in sorted(candidates, key=len, reverse=True):
        if definition.has_field(candidate):
            return candidate
    return None


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix + ".") or path.startswith(prefix + "[")


@dataclass
class Reveal:
    """What the user has done that lets the "needs an answer" errors show."""

    definition: FormDefinition
    fields: set[str] = field(default_factory=set)
    sections: set[str] = field(default_factory=set)

    def start(self, values: Mapping[str, Any], attachments: bool = False) -> None:
        """A draft reopened with answers in a section: that section was worked on."""
        for section in self.definition.sections:
            if any(
                is_filled(values.get(f.id)) or (attachments and f.type == "attachments")
                for f in section.fields
            ):
                self.sections.add(section.id)

    def leave_field(self, path: str) -> bool:
        if not path or path in self.fields:
            return False
        self.fields.add(path)
        return True

    def leave_section(self, section_id: str) -> bool:
        if section_id in self.sections:
            return False
        self.sections.add(section_id)
        return True

    def everything(self) -> None:
        """After the Review page, every problem shows where it is."""
        self.sections.update(s.id for s in self.definition.sections)

    def shows(self, finding: Finding, values: Mapping[str, Any]) -> bool:
        if finding.severity == "info" or finding.section in self.sections:
            return True
        if finding.field is None:
            return finding.severity != "error"
        if any(_under(finding.field, p) for p in self.fields):
            return True
        if finding.code == "required":
            return False
        return is_filled(value_at(self.definition, values, finding.field))

    def shown(self, findings: Iterable[Finding], values: Mapping[str, Any]) -> list[Finding]:
        return [f for f in findings if self.shows(f, values)]
