"""Read a form edition from TOML and refuse anything malformed.

Every error names the file and the key at fault, because the people who edit
these files are paralegals and IT staff, not the authors of this code.
"""

from __future__ import annotations

import tomllib
from dataclasses import replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from ombuds_desktop import paths
from ombuds_desktop.formdef.model import (
    FIELD_TYPES,
    PROVENANCES,
    AttachmentCategory,
    Condition,
    FieldDef,
    FormDefinition,
    Option,
    Section,
)

DEFAULT_FORM = "dhs-7001"

_FIELD_KEYS = {
    "id",
    "type",
    "label",
    "help",
    "required",
    "required_if",
    "shown_if",
    "options",
    "options_provenance",
    "exclusive_option",
    "suggestions",
    "max_length",
    "min_rows",
    "max_rows",
    "row_label",
    "fields",
    "not_future",
    "printed",
    "family_shared",
    "mirror",
    "provenance",
    "pdf_lines",
    "pdf_rows",
    "pdf_columns",
    "item",
    "label_by",
}
_SECTION_KEYS = {
    "id",
    "number",
    "title",
    "provenance",
    "fields",
    "fields_provenance",
    "intro",
    "printed",
    "shown_if",
    "consent_text",
}
_CONDITION_OPS = ("equals", "in", "includes", "includes_any", "filled")


class FormDefinitionError(ValueError):
    """A form edition file is missing, unreadable or inconsistent."""

    def __init__(self, source: str, key: str, problem: str) -> None:
        self.source, self.key, self.problem = source, key, problem
        where = f"{source}: {key}: " if key else f"{source}: "
        super().__init__(where + problem)


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, key: str, problem: str) -> FormDefinitionError:
        return FormDefinitionError(self.source, key, problem)

    def get(
        self,
        table: dict[str, Any],
        key: str,
        where: str,
        kind: type | tuple[type, ...],
        default: Any = ...,
    ) -> Any:
        if key not in table:
            if default is ...:
                raise self.fail(f"{where}.{key}" if where else key, "is missing")
            return default
        value = table[key]
        if isinstance(value, bool) and kind in (int, (int,)):
            raise self.fail(f"{where}.{key}", "must be a number, not true/false")
        if not isinstance(value, kind):
            kinds = kind if isinstance(kind, tuple) else (kind,)
            names = " or ".join(k.__name__ for k in kinds)
            raise self.fail(f"{where}.{key}", f"must be {names}, got {type(value).__name__}")
        return value

    def provenance(self, table: dict[str, Any], key: str, where: str, default: Any = ...) -> Any:
        value = self.get(table, key, where, str, default)
        if value is not None and value not in PROVENANCES:
            raise self.fail(
                f"{where}.{key}",
                f"unknown provenance {value!r}; use one of " + ", ".join(PROVENANCES),
            )
        return value

    def date_value(self, table: dict[str, Any], key: str, where: str) -> date | None:
        raw = table.get(key)
        if raw is None:
            return None
        if isinstance(raw, date):
            return raw
        try:
            return date.fromisoformat(str(raw))
        except ValueError:
            raise self.fail(f"{where}.{key}", f"{raw!r} is not a YYYY-MM-DD date") from None

    def condition(self, raw: Any, where: str) -> Condition:
        if not isinstance(raw, dict) or not raw:
            raise self.fail(where, "a condition must be a table like {field = ..., equals = ...}")
        if "all" in raw or "any" in raw:
            op = "all" if "all" in raw else "any"
            items = raw[op]
            if set(raw) != {op} or not isinstance(items, list) or not items:
                raise self.fail(where, f"'{op}' must be the only key and hold a non-empty list")
            return Condition(
                op,
                children=tuple(
                    self.condition(c, f"{where}.{op}[{i}]") for i, c in enumerate(items)
                ),
            )
        if "not" in raw:
            if set(raw) != {"not"}:
                raise self.fail(where, "'not' must be the only key")
            return Condition("not", children=(self.condition(raw["not"], f"{where}.not"),))
        if "field" not in raw or not isinstance(raw["field"], str):
            raise self.fail(where, "a condition needs 'field' (a field id)")
        ops = [k for k in raw if k != "field"]
        if len(ops) != 1 or ops[0] not in _CONDITION_OPS:
            raise self.fail(
                where,
                "a condition needs exactly one of "
                + ", ".join(_CONDITION_OPS)
                + f"; got {', '.join(ops) or 'none'}",
            )
        op = ops[0]
        value = raw[op]
        if op in ("in", "includes_any") and not isinstance(value, list):
            raise self.fail(f"{where}.{op}", "must be a list")
        if op in ("in", "includes_any"):
            value = tuple(value)
        return Condition(op, field=raw["field"], value=value)

    def options(self, raw: Any, where: str) -> tuple[Option, ...]:
        if not isinstance(raw, list):
            raise self.fail(f"{where}.options", "must be a list of {id, label} tables")
        seen: set[str] = set()
        out = []
        for i, item in enumerate(raw):
            key = f"{where}.options[{i}]"
            if not isinstance(item, dict):
                raise self.fail(key, "must be a table {id = ..., label = ...}")
            oid = self.get(item, "id", key, str)
            if oid in seen:
                raise self.fail(key, f"duplicate option id {oid!r}")
            seen.add(oid)
            out.append(Option(oid, self.get(item, "label", key, str)))
        return tuple(out)

    def field(self, raw: Any, where: str, in_group: bool) -> FieldDef:
        if not isinstance(raw, dict):
            raise self.fail(where, "must be a table")
        unknown = sorted(set(raw) - _FIELD_KEYS)
        if unknown:
            raise self.fail(f"{where}.{unknown[0]}", "unknown key (typo?)")
        fid = self.get(raw, "id", where, str)
        where = f"{where} ({fid})"
        ftype = self.get(raw, "type", where, str)
        if ftype not in FIELD_TYPES:
            raise self.fail(
                f"{where}.type",
                f"unknown field type {ftype!r}; known types: " + ", ".join(sorted(FIELD_TYPES)),
            )
        if in_group and ftype in ("group", "attachments"):
            raise self.fail(f"{where}.type", f"a {ftype} cannot be inside a repeating group")
        options = self.options(raw["options"], where) if "options" in raw else ()
        if ftype in ("single_choice", "multiple_choice") and not options and "mirror" not in raw:
            raise self.fail(f"{where}.options", f"a {ftype} field needs options")
        if options and ftype not in ("single_choice", "multiple_choice"):
            raise self.fail(f"{where}.options", f"a {ftype} field cannot have options")
        exclusive = self.get(raw, "exclusive_option", where, str, None)
        if exclusive is not None and exclusive not in {o.id for o in options}:
            raise self.fail(f"{where}.exclusive_option", f"{exclusive!r} is not one of the options")
        subfields: tuple[FieldDef, ...] = ()
        if ftype == "group":
            raw_sub = self.get(raw, "fields", where, list)
            if not raw_sub:
                raise self.fail(f"{where}.fields", "a repeating group needs at least one field")
            subfields = tuple(
                self.field(s, f"{where}.fields[{i}]", True) for i, s in enumerate(raw_sub)
            )
            _no_duplicates(self, [s.id for s in subfields], f"{where}.fields")
        elif "fields" in raw:
            raise self.fail(f"{where}.fields", "only a repeating group has sub-fields")
        max_length = self.get(raw, "max_length", where, int, None)
        if max_length is not None and max_length <= 0:
            raise self.fail(f"{where}.max_length", "must be a positive number")
        min_rows = self.get(raw, "min_rows", where, int, 0)
        max_rows = self.get(raw, "max_rows", where, int, None)
        if max_rows is not None and max_rows < min_rows:
            raise self.fail(f"{where}.max_rows", "is smaller than min_rows")
        row_label = self.get(raw, "row_label", where, str, "")
        if row_label and ftype not in ("group", "attachments"):
            raise self.fail(f"{where}.row_label", "only a repeating group or attachments has rows")
        pdf_columns = tuple(self.get(raw, "pdf_columns", where, list, []))
        for col in pdf_columns:
            if col not in {s.id for s in subfields}:
                raise self.fail(f"{where}.pdf_columns", f"{col!r} is not a sub-field of this group")
        label_by = None
        if "label_by" in raw:
            spec = self.get(raw, "label_by", where, dict)
            source = self.get(spec, "field", f"{where}.label_by", str)
            labels = self.get(spec, "labels", f"{where}.label_by", dict)
            if not all(isinstance(v, str) for v in labels.values()):
                raise self.fail(f"{where}.label_by.labels", "every label must be text")
            label_by = (source, tuple((str(k), v) for k, v in labels.items()))
        return FieldDef(
            id=fid,
            type=ftype,
            label=self.get(raw, "label", where, str),
            help=self.get(raw, "help", where, str, ""),
            required=self.get(raw, "required", where, bool, False),
            required_if=(
                self.condition(raw["required_if"], f"{where}.required_if")
                if "required_if" in raw
                else None
            ),
            shown_if=(
                self.condition(raw["shown_if"], f"{where}.shown_if") if "shown_if" in raw else None
            ),
            options=options,
            options_provenance=self.provenance(raw, "options_provenance", where, None),
            exclusive_option=exclusive,
            suggestions=tuple(self.get(raw, "suggestions", where, list, [])),
            max_length=max_length,
            min_rows=min_rows,
            max_rows=max_rows,
            row_label=row_label,
            fields=subfields,
            not_future=self.get(raw, "not_future", where, bool, False),
            printed=self.get(raw, "printed", where, bool, True),
            family_shared=self.get(raw, "family_shared", where, bool, False),
            mirror=self.get(raw, "mirror", where, str, None),
            provenance=self.provenance(raw, "provenance", where, None),
            pdf_lines=self.get(raw, "pdf_lines", where, int, None),
            pdf_rows=self.get(raw, "pdf_rows", where, int, None),
            pdf_columns=pdf_columns,
            item=self.get(raw, "item", where, str, ""),
            label_by=label_by,
        )

    def section(self, raw: Any, where: str) -> Section:
        if not isinstance(raw, dict):
            raise self.fail(where, "must be a table")
        unknown = sorted(set(raw) - _SECTION_KEYS)
        if unknown:
            raise self.fail(f"{where}.{unknown[0]}", "unknown key (typo?)")
        sid = self.get(raw, "id", where, str)
        where = f"{where} ({sid})"
        fields = tuple(
            self.field(f, f"{where}.fields[{i}]", False)
            for i, f in enumerate(self.get(raw, "fields", where, list))
        )
        if self.get(raw, "printed", where, bool, True):
            fields = _numbered(fields)
        return Section(
            id=sid,
            number=self.get(raw, "number", where, str),
            title=self.get(raw, "title", where, str),
            provenance=self.provenance(raw, "provenance", where),
            fields=fields,
            fields_provenance=self.provenance(raw, "fields_provenance", where, None),
            intro=self.get(raw, "intro", where, str, ""),
            printed=self.get(raw, "printed", where, bool, True),
            shown_if=(
                self.condition(raw["shown_if"], f"{where}.shown_if") if "shown_if" in raw else None
            ),
            consent_text=self.get(raw, "consent_text", where, str, None),
        )


def _numbered(fields: tuple[FieldDef, ...]) -> tuple[FieldDef, ...]:
    """Item numbers for the printed fields, in order (an edition's own ``item`` wins)."""
    out, n = [], 0
    for f in fields:
        if f.printed:
            n += 1
            if not f.item:
                f = replace(f, item=str(n))
        out.append(f)
    return tuple(out)


def _no_duplicates(reader: _Reader, ids: list[str], where: str) -> None:
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            raise reader.fail(where, f"duplicate id {i!r}")
        seen.add(i)


def parse_definition(data: dict[str, Any], source: str) -> FormDefinition:
    """Turn the parsed TOML of an edition into a :class:`FormDefinition`."""
    r = _Reader(source)
    form = r.get(data, "form", "", dict)
    sections = tuple(
        r.section(s, f"sections[{i}]") for i, s in enumerate(r.get(data, "sections", "", list))
    )
    if not sections:
        raise r.fail("sections", "the form has no sections")
    _no_duplicates(r, [s.id for s in sections], "sections")

    fields: dict[str, FieldDef] = {}
    owner: dict[str, str] = {}
    for s in sections:
        for f in s.fields:
            if f.id in fields:
                raise r.fail(f"sections ({s.id}).fields ({f.id})", f"duplicate field id {f.id!r}")
            fields[f.id] = f
            owner[f.id] = s.id

    def check_condition(cond: Condition | None, where: str, group: FieldDef | None) -> None:
        if cond is None:
            return
        for ref in cond.field_refs():
            if ref.startswith("."):
                if group is None or group.subfield(ref[1:]) is None:
                    raise r.fail(
                        where,
                        f"condition refers to {ref!r}, which is not a field in "
                        "the same repeating group",
                    )
            elif ref not in fields:
                raise r.fail(where, f"condition refers to missing field {ref!r}")

    for s in sections:
        check_condition(s.shown_if, f"sections ({s.id}).shown_if", None)
        if s.consent_text and s.consent_text not in data.get("consent", {}):
            raise r.fail(
                f"sections ({s.id}).consent_text", f"no [consent] entry named {s.consent_text!r}"
            )
        for f in s.fields:
            where = f"sections ({s.id}).fields ({f.id})"
            check_condition(f.required_if, f"{where}.required_if", None)
            check_condition(f.shown_if, f"{where}.shown_if", None)
            if f.mirror is not None:
                target = fields.get(f.mirror)
                if target is None:
                    raise r.fail(f"{where}.mirror", f"mirrors missing field {f.mirror!r}")
                if target.type != f.type:
                    raise r.fail(
                        f"{where}.mirror",
                        f"type {f.type} differs from {f.mirror}'s type {target.type}",
                    )
            if f.label_by is not None:
                by = fields.get(f.label_by[0])
                if by is None:
                    raise r.fail(f"{where}.label_by", f"names missing field {f.label_by[0]!r}")
                for option, _ in f.label_by[1]:
                    if by.option(option) is None:
                        raise r.fail(
                            f"{where}.label_by.labels", f"{option!r} is not an option of {by.id}"
                        )
            for sub in f.fields:
                sub_where = f"{where}.fields ({sub.id})"
                check_condition(sub.required_if, f"{sub_where}.required_if", f)
                check_condition(sub.shown_if, f"{sub_where}.shown_if", f)

    meanings = data.get("meanings", {})
    if not isinstance(meanings, dict):
        raise r.fail("meanings", "must be a table")
    for role, field_id in dict(meanings.get("fields", {})).items():
        if field_id not in fields:
            raise r.fail(
                f"meanings.fields.{role}",
                f"names {field_id!r}, which is not a field of this edition; name the field "
                "that holds it now",
            )

    categories = []
    for i, raw in enumerate(r.get(data, "attachment_categories", "", list)):
        key = f"attachment_categories[{i}]"
        categories.append(
            AttachmentCategory(
                r.get(raw, "id", key, str),
                r.get(raw, "label", key, str),
                r.provenance(raw, "provenance", key),
            )
        )
    _no_duplicates(r, [c.id for c in categories], "attachment_categories")

    return FormDefinition(
        source=source,
        id=r.get(form, "id", "form", str),
        number=r.get(form, "number", "form", str),
        title=r.get(form, "title", "form", str),
        agency=r.get(form, "agency", "form", str, ""),
        omb=r.get(form, "omb", "form", str),
        edition=r.get(form, "edition", "form", str),
        edition_label=r.get(form, "edition_label", "form", str, ""),
        edition_provenance=r.provenance(form, "edition_provenance", "form", "official"),
        expires=r.date_value(form, "expires", "form"),
        sections=sections,
        attachment_categories=tuple(categories),
        channels=dict(data.get("channels", {})),
        consent=dict(data.get("consent", {})),
        meanings=dict(data.get("meanings", {})),
        notes={
            k: form[k] for k in ("fee_note", "deadline_note", "reconstructed_note") if k in form
        },
        _fields=fields,
        _field_section=owner,
    )


def load_definition_file(path: Path) -> FormDefinition:
    source = str(path)
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise FormDefinitionError(source, "", "file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise FormDefinitionError(source, "", f"not valid TOML ({exc})") from None
    return parse_definition(data, source)


def available_editions(form_id: str = DEFAULT_FORM) -> list[str]:
    folder = paths.forms_dir() / form_id
    return sorted(p.stem for p in folder.glob("*.toml"))


@lru_cache(maxsize=8)
def load_edition(form_id: str = DEFAULT_FORM, edition: str | None = None) -> FormDefinition:
    """Load an installed edition (the newest when ``edition`` is None)."""
    editions = available_editions(form_id)
    if edition is None:
        if not editions:
            raise FormDefinitionError(
                str(paths.forms_dir() / form_id), "", "no edition files installed"
            )
        edition = editions[-1]
    if edition not in editions:
        raise FormDefinitionError(
            str(paths.forms_dir() / form_id),
            "",
            f"edition {edition!r} of {form_id} is not installed "
            f"(installed: {', '.join(editions) or 'none'})",
        )
    return load_definition_file(paths.forms_dir() / form_id / f"{edition}.toml")


def load_form_key(key: str) -> FormDefinition:
    """Load the edition a draft names, e.g. ``"dhs-7001/2022-11"``."""
    form_id, _, edition = key.partition("/")
    return load_edition(form_id, edition or None)
