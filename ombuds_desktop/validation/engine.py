"""Validate a draft, one section or whole, against its form edition.

``validate_draft`` is the single entry point used by the CLI, the wizard
(live, per section), the vault (status) and the packet (watermark, wet-ink
page).  It is pure: the clock is passed in, nothing is written.  Checks that need
more than the draft and its edition (the official PDF the packet will fill) are
passed in as data by the caller (``official=``), never looked up here.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Protocol

from ombuds_desktop.dates import try_iso
from ombuds_desktop.draft import facts
from ombuds_desktop.draft.files import check_attachment_path
from ombuds_desktop.draft.interchange import resolve_attachment_path
from ombuds_desktop.draft.model import Draft
from ombuds_desktop.formdef import FormDefinition, load_form_key
from ombuds_desktop.formdef.conditions import section_shown
from ombuds_desktop.validation.fields import FieldChecker
from ombuds_desktop.validation.findings import Finding, sort_findings
from ombuds_desktop.validation.glyphs import unprintable_findings
from ombuds_desktop.validation.rules import RULES, Context


class OfficialChecks(Protocol):
    """The official form the packet will fill, already read by the caller
    (``ombuds_desktop.official.target.OfficialTarget``): what it cannot show as the
    draft says it, as findings.  No I/O: the parsed form and mapping are its data."""

    def findings(self, draft: Draft, definition: FormDefinition) -> list[Finding]: ...


@dataclass(frozen=True, slots=True)
class SkippedRule:
    id: str
    missing: tuple[str, ...]


#: applicable_rules per edition, by identity (definitions are frozen; hashing one would cost
#: more than the lookup saves).  Each save validates for the list's status: asked every time.
_APPLICABLE: dict[int, tuple[FormDefinition, tuple[str, ...], tuple[SkippedRule, ...]]] = {}


def applicable_rules(definition: FormDefinition) -> tuple[list[str], list[SkippedRule]]:
    """Which rules this edition supports, and which it cannot (fields missing)."""
    known = _APPLICABLE.get(id(definition))
    if known is None or known[0] is not definition:
        active, skipped = [], []
        for spec in RULES:
            missing = tuple(f for f in spec.needs if not definition.has_field(f))
            if missing:
                skipped.append(SkippedRule(spec.id, missing))
            else:
                active.append(spec.id)
        if len(_APPLICABLE) >= 16:
            _APPLICABLE.clear()
        known = _APPLICABLE[id(definition)] = (definition, tuple(active), tuple(skipped))
    return list(known[1]), list(known[2])


def _definition_for(draft: Draft, definition: FormDefinition | None) -> FormDefinition:
    if definition is not None:
        return definition
    return load_form_key(draft.form)


def _unknown_fields(draft: Draft, definition: FormDefinition) -> Iterator[Finding]:
    section_ids = {s.id for s in definition.sections}
    for key in sorted(draft.values):
        if definition.has_field(key):
            continue
        prefix = key.split(".")[0]
        yield Finding(
            prefix if prefix in section_ids else "app",
            key,
            "error",
            "unknown-field",
            f'"{key}" is not a field of {definition.number} ({definition.edition}). '
            "Check the spelling of the field id; the value is kept but not used.",
        )


def _attachment_findings(
    draft: Draft,
    definition: FormDefinition,
    base_dir: Path | None,
    allow: Sequence[str | os.PathLike[str]] = (),
) -> Iterator[Finding]:
    ids = {a.id for a in draft.attachments}
    translated = {a.translation_of for a in draft.attachments if a.translation_of}
    for i, att in enumerate(draft.attachments):
        path = f"s8.documents[{i}]"
        name = att.description or att.original_name or f"Attachment {i + 1}"
        if definition.category(att.category) is None:
            yield Finding(
                "s8",
                f"{path}.category",
                "error",
                "attachment-category-unknown",
                f'{name}: "{att.category}" is not a document category; use one of '
                + ", ".join(definition.category_ids())
                + ".",
            )
        if not att.description.strip():
            yield Finding(
                "s8",
                f"{path}.description",
                "error",
                "required",
                f"{att.original_name or f'Attachment {i + 1}'}: a short description is "
                "needed; it is printed on the exhibit index.",
            )
        if att.date and try_iso(att.date) is None:
            yield Finding(
                "s8",
                f"{path}.date",
                "error",
                "date-format",
                f"{name}: the document date {att.date!r} is not a YYYY-MM-DD date.",
            )
        if att.path.startswith("vault:"):
            pass
        elif base_dir is not None:
            # The path boundary first: a file outside the draft file's folder is neither
            # opened nor even looked for (whether it exists is not the draft's business).
            _real, problem = check_attachment_path(i, att.path, base_dir, allow)
            if problem is not None and problem.kind == "missing":
                file = resolve_attachment_path(att, base_dir)
                yield Finding(
                    "s8",
                    f"{path}.path",
                    "error",
                    "attachment-file-missing",
                    f'{name}: the file "{att.path}" was not found (looked in '
                    f"{file.parent}). Re-attach it or correct the path.",
                )
            elif problem is not None:
                yield Finding(
                    "s8", f"{path}.path", "error", "attachment-path-refused", problem.message
                )
        if att.translation_of and att.translation_of not in ids:
            yield Finding(
                "s8",
                f"{path}.translation_of",
                "error",
                "translation-orphan",
                f"{name}: it is marked as the translation of a document that is not attached.",
            )
        if att.foreign_language and att.id not in translated:
            yield Finding(
                "s8",
                path,
                "error",
                "translation-missing",
                f"{name} is not in English: attach a full English translation with "
                "the translator's certificate of competence, and mark it as the "
                "translation of this document.",
            )


def validate_draft(
    draft: Draft,
    definition: FormDefinition | None = None,
    *,
    today: date | None = None,
    related: Sequence[Draft] = (),
    base_dir: Path | None = None,
    sections: Sequence[str] | None = None,
    allow_files_from: Sequence[str | os.PathLike[str]] = (),
    official: OfficialChecks | None = None,
) -> list[Finding]:
    """All findings for ``draft`` (or only those of ``sections``), in form order.

    ``related`` are the user's other drafts (for family and duplicate rules);
    ``base_dir`` is the folder a draft file's attachment paths are relative to
    (None skips the file-exists check, e.g. for vault drafts); a path outside
    it and outside ``allow_files_from`` is reported as refused, not looked at.
    ``official`` is the official form the packet will fill (None: the typeset form);
    its ``official-*`` warnings are acknowledged like any other.
    """
    definition = _definition_for(draft, definition)
    findings = list(
        _raw_findings(draft, definition, today or date.today(), related, base_dir, allow_files_from)
    )
    if official is not None:
        findings.extend(official.findings(facts.with_forced_answers(draft), definition))
    findings = _explained_requirements(findings)
    if sections is not None:
        wanted = set(sections)
        findings = [f for f in findings if f.section in wanted]
    return sort_findings(_dedupe(findings), [s.id for s in definition.sections])


def has_error(
    draft: Draft,
    definition: FormDefinition | None = None,
    *,
    today: date | None = None,
    related: Sequence[Draft] = (),
) -> bool:
    """Whether :func:`validate_draft` would report an error, stopping at the first one.

    What the drafts list's status needs, computed at every save: an unfinished draft
    stops early.  The same answer as ``has_errors(validate_draft(...))``: what
    validate_draft does after collecting (dropping a bare "required" that a rule
    explains, duplicates) always leaves an error where there was one.
    """
    definition = _definition_for(draft, definition)
    found = _raw_findings(draft, definition, today or date.today(), related, None, ())
    return any(f.severity == "error" for f in found)


def _raw_findings(
    draft: Draft,
    definition: FormDefinition,
    today: date,
    related: Sequence[Draft],
    base_dir: Path | None,
    allow_files_from: Sequence[str | os.PathLike[str]],
) -> Iterator[Finding]:
    """Every finding in the order checked, as they are found (not sorted or de-duplicated)."""
    draft = facts.with_forced_answers(draft)
    values = draft.values
    for section in definition.sections:
        if not section_shown(section, values):
            continue
        checker = FieldChecker(section.id, values, today)
        for f in section.fields:
            yield from checker.check_field(f, values.get(f.id), f.id)
    yield from _unknown_fields(draft, definition)
    yield from _attachment_findings(draft, definition, base_dir, allow_files_from)
    yield from unprintable_findings(draft, definition)
    ctx = Context(draft, definition, today, tuple(related), base_dir)
    active = set(applicable_rules(definition)[0])
    for spec in RULES:
        if spec.id in active:
            yield from spec.check(ctx)


def validate_section(
    draft: Draft, section_id: str, definition: FormDefinition | None = None, **kwargs: object
) -> list[Finding]:
    return validate_draft(draft, definition, sections=[section_id], **kwargs)  # type: ignore[arg-type]


def _explained_requirements(findings: list[Finding]) -> list[Finding]:
    """Drop the bare "this needs an answer" where a rule says why the answer is needed."""
    explained = {f.field for f in findings if f.code.startswith("R") and f.severity == "error"}
    return [f for f in findings if not (f.code == "required" and f.field in explained)]


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen, out = set(), []
    for f in findings:
        key = (f.field, f.code, f.message)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out
