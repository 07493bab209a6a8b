"""Evaluate the ``shown_if`` / ``required_if`` conditions of a form edition.

Pure functions over plain values, used alike by validation, the wizard (to
show and hide widgets) and the PDF renderer (to skip hidden fields).  A hidden
field keeps its value in the draft (nothing typed is ever thrown away); it is
just not validated or printed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ombuds_desktop.formdef.model import Condition, FieldDef, Section


def is_filled(value: Any) -> bool:
    """True when an answer has been given (False and 0 count as answers)."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, dict):
        return any(is_filled(v) for v in value.values())
    if isinstance(value, list | tuple):
        return len(value) > 0
    return True


def _lookup(ref: str, values: Mapping[str, Any], row: Mapping[str, Any] | None) -> Any:
    if ref.startswith("."):
        return (row or {}).get(ref[1:])
    return values.get(ref)


def evaluate(
    cond: Condition, values: Mapping[str, Any], row: Mapping[str, Any] | None = None
) -> bool:
    """Evaluate ``cond`` against draft ``values`` (and the current group ``row``)."""
    if cond.op == "all":
        return all(evaluate(c, values, row) for c in cond.children)
    if cond.op == "any":
        return any(evaluate(c, values, row) for c in cond.children)
    if cond.op == "not":
        return not evaluate(cond.children[0], values, row)
    assert cond.field is not None
    actual = _lookup(cond.field, values, row)
    if cond.op == "equals":
        return actual == cond.value and type(actual) is type(cond.value)
    if cond.op == "in":
        return isinstance(actual, str | int | bool) and actual in cond.value
    if cond.op == "includes":
        return isinstance(actual, list) and cond.value in actual
    if cond.op == "includes_any":
        return isinstance(actual, list) and any(v in actual for v in cond.value)
    if cond.op == "filled":
        return is_filled(actual) is bool(cond.value)
    raise ValueError(f"unknown condition operator {cond.op!r}")


def section_shown(section: Section, values: Mapping[str, Any]) -> bool:
    return section.shown_if is None or evaluate(section.shown_if, values)


def field_shown(
    field: FieldDef, values: Mapping[str, Any], row: Mapping[str, Any] | None = None
) -> bool:
    return field.shown_if is None or evaluate(field.shown_if, values, row)


def field_required(
    field: FieldDef, values: Mapping[str, Any], row: Mapping[str, Any] | None = None
) -> bool:
    if not field_shown(field, values, row):
        return False
    if field.required:
        return True
    return field.required_if is not None and evaluate(field.required_if, values, row)
