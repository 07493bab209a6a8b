"""What a mapped official PDF will show for a draft: values, check marks, the addendum.

:func:`plan_fill` decides, without writing anything, what each official field shows
and what goes to the addendum (a value longer than a comb or ``MaxLen`` field, text
that does not fit a box even at 6 pt, rows beyond the form's rows, a choice the
official PDF has no export value for).  The pre-fill checks (``checks.py``) read this
plan, and the packet's filling (``packet/official_fill.py``) writes exactly it, so
what the checks warn about is exactly what happens.  Text is measured in the fonts it
is drawn in (``printed/fonts.py``); nothing here draws or imports the packet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ombuds_desktop.dates import format_us
from ombuds_desktop.draft import Draft
from ombuds_desktop.formdef.model import FormDefinition
from ombuds_desktop.identifiers import format_a_number, normalize_a_number
from ombuds_desktop.official.mapping import FieldMap, Mapping, Target, resolve
from ombuds_desktop.official.reader import OfficialField, OfficialForm

MIN_SIZE = 6.0
MAX_SIZE = 10.0
PAD = 2.0
LEADING = 1.15


@dataclass(frozen=True, slots=True)
class Problem:
    """Something the official form cannot show as it is (a finding before filling)."""

    kind: str  # required-empty | too-long | no-export-value | overflow | extra-rows
    path: str  # draft path ("s5.a_number") or the official field name when no path
    field_id: str | None
    message: str


@dataclass(frozen=True, slots=True)
class AddendumItem:
    number: int
    where: str  # "Section 2, Explanation ..."
    text: str


@dataclass(slots=True)
class FillPlan:
    texts: dict[str, str] = field(default_factory=dict)  # official name -> text shown
    buttons: dict[str, str | None] = field(default_factory=dict)  # name -> on state / off
    addendum: list[AddendumItem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def add(self, where: str, text: str) -> int:
        n = len(self.addendum) + 1
        self.addendum.append(AddendumItem(n, where, text))
        return n


# -- values --------------------------------------------------------------------------


def _raw(draft: Draft, t: Target, definition: FormDefinition) -> Any:
    """The answer a target names, or None when the form would not show it (a section or
    field hidden by the draft's other answers keeps no stale value on the official form)."""
    from ombuds_desktop.formdef.conditions import field_shown, section_shown

    top = definition.field(t.field_id)
    if not section_shown(definition.section(definition.section_of(t.field_id)), draft.values):
        return None
    if not field_shown(top, draft.values):
        return None
    v = draft.get(top.mirror or t.field_id)
    if t.row is not None:
        if not isinstance(v, list) or t.row >= len(v) or not isinstance(v[t.row], dict):
            return None
        row = v[t.row]
        if not field_shown(t.definition, draft.values, row):
            return None
        v = row.get(t.sub or "")
    if t.part:
        v = v.get(t.part) if isinstance(v, dict) else None
    return v


def _text(value: Any, t: Target, entry: FieldMap, definition: FormDefinition) -> str:
    from ombuds_desktop.printed.values import country, display

    if value is None or value == "" or value == []:
        return ""
    fdef = t.definition
    fmt = entry.format
    if t.part:
        text = country(value) if t.part == "country" else str(value).strip()
    elif fdef.type == "a_number" and fmt in ("digits", "a_number"):
        digits = normalize_a_number(str(value))
        text = digits if fmt == "digits" else format_a_number(digits)
    elif fdef.type == "date" or fmt == "mm/dd/yyyy":
        text = format_us(value)
    else:
        text = display(fdef, value, definition)
    if fmt == "upper":
        text = text.upper()
    return " ".join(text.split()) if "\n" not in text else text.strip()


def _key(value: Any) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return str(value)


def _checked(value: Any, option: Any) -> bool:
    if isinstance(value, list):
        return option in value
    if isinstance(option, bool) or option in ("yes", "no"):
        want = option if isinstance(option, bool) else option == "yes"
        return value is want
    return bool(value == option)


# -- fitting -------------------------------------------------------------------------


def _da_size(da: str) -> float:
    m = re.search(r"([\d.]+)\s+Tf", da or "")
    try:
        return float(m.group(1)) if m else 0.0
    except ValueError:
        return 0.0


def fit(f: OfficialField, text: str, da_size: float = 0.0) -> tuple[float, list[str]] | None:
    """The font size and lines that show ``text`` in ``f``'s first box, or None if it
    cannot fit (then it goes to the addendum)."""
    from ombuds_desktop.printed import fonts

    fonts.register()
    if not f.widgets:
        return None
    box_w, h = f.widgets[0].size  # as the page is shown (a turned page swaps them)
    w = box_w - 2 * PAD
    if f.max_len and len(text) > f.max_len:
        return None
    start = da_size if da_size > 0 else (MAX_SIZE if f.multiline else min(MAX_SIZE, h * 0.7))
    start = max(start, MIN_SIZE)
    if f.comb:
        return (min(start, (w + 2 * PAD) / f.max_len * 1.2 if f.max_len else start), [text])
    size = start
    while size >= MIN_SIZE - 1e-6:
        if f.multiline:
            lines = fonts.wrap(text, fonts.REGULAR, size, w)
            if len(lines) * size * LEADING <= h - PAD:
                return size, lines
        elif "\n" not in text and fonts.width(text, fonts.REGULAR, size) <= w:
            return size, [text]
        size -= 0.5
    return None


# -- the plan -------------------------------------------------------------------------


def plan_fill(
    official: OfficialForm, mapping: Mapping, draft: Draft, definition: FormDefinition
) -> FillPlan:
    """What each official field shows, what goes to the addendum, and every problem."""
    plan = FillPlan()
    for entry in mapping.fields:
        f = official.field(entry.name)
        if f is None or not entry.target:
            continue
        t = resolve(definition, entry.target)
        value = _raw(draft, t, definition)
        where = definition.where(t.path)
        if f.kind == "checkbox":
            on = entry.on or (f.export_values[0] if f.export_values else "")
            checked = _checked(value, entry.option)
            if checked and on not in f.export_values:
                plan.problems.append(
                    Problem(
                        "no-export-value",
                        t.path,
                        t.field_id,
                        f"{where}: the official form's check box for this answer has no "
                        f"value {on!r}; the answer is written on the addendum instead",
                    )
                )
                plan.add(where, _text(value, t, entry, definition))
                checked = False
            plan.buttons[f.name] = on if checked else None
            if f.required and value in (None, "", []):
                _required(plan, f, t, where)
            continue
        if f.kind == "radio" or (f.kind == "choice" and entry.choices):
            if value in (None, "", []):
                plan.buttons[f.name] = None
                if f.required:
                    _required(plan, f, t, where)
                continue
            export = entry.choices.get(_key(value))
            if export is None or export not in f.export_values:
                shown = _text(value, t, entry, definition)
                plan.problems.append(
                    Problem(
                        "no-export-value",
                        t.path,
                        t.field_id,
                        f"{where}: the official form has no choice for {shown!r}; "
                        "it is written on the addendum instead",
                    )
                )
                n = plan.add(where, shown)
                plan.buttons[f.name] = None
                if f.kind == "choice":
                    plan.texts[f.name] = f"See addendum, item {n}."
                continue
            if f.kind == "radio":
                plan.buttons[f.name] = export
            else:
                plan.texts[f.name] = dict(f.options).get(export, export)
            continue
        text = _text(value, t, entry, definition)
        if not text:
            if f.required:
                _required(plan, f, t, where)
            continue
        if f.kind == "choice" and f.options:
            labels = {o[1] for o in f.options}
            if text not in labels and text not in dict(f.options):
                n = plan.add(where, text)
                plan.texts[f.name] = f"See addendum, item {n}."
                plan.problems.append(
                    Problem(
                        "no-export-value",
                        t.path,
                        t.field_id,
                        f"{where}: the official form's list has no choice {text!r}; it is "
                        f"written on the addendum (item {n})",
                    )
                )
                continue
        if fit(f, text) is None:
            if f.max_len and len(text) > f.max_len:
                kind, why = (
                    "too-long",
                    (
                        f"{len(text)} characters, more than the {f.max_len} the official "
                        f"form's {'boxes hold' if f.comb else 'field holds'}"
                    ),
                )
            else:
                kind, why = "overflow", "longer than the official form's box"
            n = plan.add(where, text)
            plan.texts[f.name] = f"See addendum, item {n}."
            plan.problems.append(
                Problem(
                    kind,
                    t.path,
                    t.field_id,
                    f"{where}: {why}; it continues on the addendum (item {n})",
                )  # fmt: skip
            )
        else:
            plan.texts[f.name] = text
    _extra_rows(plan, mapping, draft, definition)
    _unshown_options(plan, mapping, draft, definition)
    return plan


def _required(plan: FillPlan, f: OfficialField, t: Target, where: str) -> None:
    plan.problems.append(
        Problem(
            "required-empty",
            t.path,
            t.field_id,
            f"{where} is empty, and the official form marks this field as required",
        )
    )


def _extra_rows(plan: FillPlan, mapping: Mapping, draft: Draft, definition: FormDefinition) -> None:
    """Rows of a repeating group beyond the official form's rows go to the addendum."""
    from ombuds_desktop.printed.values import display

    rows: dict[str, set[int]] = {}
    for e in mapping.fields:
        if e.target and "[" in e.target:
            t = resolve(definition, e.target)
            rows.setdefault(t.field_id, set()).add(t.row or 0)
    for group_id, have in rows.items():
        values = draft.get(group_id)
        if not isinstance(values, list):
            continue
        group = definition.field(group_id)
        for i, row in enumerate(values):
            if i in have or not isinstance(row, dict):
                continue
            parts = [
                f"{sub.label}: {display(sub, row.get(sub.id), definition)}"
                for sub in group.fields
                if sub.printed and display(sub, row.get(sub.id), definition)
            ]
            where = definition.where(f"{group_id}[{i}]")
            n = plan.add(where, "; ".join(parts))
            plan.problems.append(
                Problem(
                    "extra-rows",
                    f"{group_id}[{i}]",
                    group_id,
                    f"{where}: the official form has {len(have)} rows for this; the row is "
                    f"printed on the addendum (item {n})",
                )
            )


def _unshown_options(
    plan: FillPlan, mapping: Mapping, draft: Draft, definition: FormDefinition
) -> None:
    """A chosen option whose check box the official form does not have (or was not mapped)."""
    boxes: dict[str, set[str]] = {}
    for e in mapping.fields:
        if e.target and e.option is not None and "[" not in e.target:
            boxes.setdefault(e.target, set()).add(_key(e.option))
    for target, have in boxes.items():
        t = resolve(definition, target)
        value = _raw(draft, t, definition)
        chosen = value if isinstance(value, list) else ([] if value in (None, "") else [value])
        for v in chosen:
            if _key(v) in have or t.definition.type == "yes_no":
                continue
            label = t.definition.option_label(str(v))
            where = definition.where(t.path)
            n = plan.add(where, label)
            plan.problems.append(
                Problem(
                    "no-export-value",
                    t.path,
                    t.field_id,
                    f"{where}: the official form has no check box for {label!r}; it is "
                    f"written on the addendum (item {n})",
                )
            )
