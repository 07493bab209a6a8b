"""A mapping from an official PDF's fields to an edition's fields, as data (TOML).

One mapping belongs to one official PDF, recognised by the fingerprint of its field
set (``reader.fingerprint``), and to one edition file (``form = "dhs-7001/2022-11"``).
Each ``[[fields]]`` entry names an official field and either a *target* in the draft
or a reason to leave it empty (``skip``)::

    [[fields]]
    name = "form1[0].#subform[0].Pt5Line1_FamilyName[0]"
    target = "s5.name.family"            # a part of a person name or an address
    [[fields]]
    name = "form1[0].#subform[0].Pt3Row2_ReceiptNumber[0]"
    target = "s3.filings[1].receipt_number"   # row 2 of a repeating group
    [[fields]]
    name = "form1[0].#subform[0].Pt2_Reason1[0]"
    target = "s2.reasons"
    option = "processing_time"           # a check box: checked when this option is chosen
    on = "PT"                            # ... and then set to this export value
    [[fields]]
    name = "form1[0].#subform[0].Pt5_PartyType[0]"
    target = "s5.party_type"
    choices = { individual = "Ind", organization = "Org" }   # radio group or list
    [[fields]]
    name = "form1[0].#subform[0].Pt9_Signature[0]"
    skip = "signed by hand, in ink"

``format`` overrides how a value is written: ``mm/dd/yyyy`` (dates, the default),
``digits`` (an A-Number as its nine digits), ``a_number`` (A123-456-789), ``upper``,
``text``.  Yes/no answers are ``yes``/``no`` in ``option`` and ``choices``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ombuds_desktop.formdef.model import (
    ADDRESS_PARTS,
    PERSON_NAME_PARTS,
    FieldDef,
    FormDefinition,
)
from ombuds_desktop.official.errors import OfficialFormError
from ombuds_desktop.official.reader import EditionMarks, OfficialForm

MAP_FORMAT = "ombuds-desktop-official-map/1"
FORMATS = ("", "mm/dd/yyyy", "digits", "a_number", "upper", "text")
MAX_MAP_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class FieldMap:
    """Where one official field takes its value from (or why it stays empty)."""

    name: str
    target: str = ""
    option: Any = None  # check box: the option id (or True/False) that checks it
    on: str = ""  # check box: its export value when checked
    choices: dict[str, str] = field(default_factory=dict)  # option id -> export value
    format: str = ""
    skip: str = ""
    confidence: float | None = None
    why: str = ""  # what the proposal matched (shown to the user, not used to fill)

    @property
    def decided(self) -> bool:
        return bool(self.target or self.skip)


@dataclass(frozen=True, slots=True)
class Target:
    """A resolved ``target``: the edition field, and the row and part inside its value."""

    field_id: str
    definition: FieldDef  # the field (or the group's sub-field) whose type formats the value
    row: int | None = None
    sub: str | None = None
    part: str | None = None

    @property
    def path(self) -> str:
        """The path as a finding names it ("s3.filings[1].receipt_number")."""
        p = self.field_id
        if self.row is not None:
            p += f"[{self.row}]"
            if self.sub:
                p += f".{self.sub}"
        if self.part:
            p += f".{self.part}"
        return p


@dataclass(slots=True)
class Mapping:
    """The whole mapping of one official PDF."""

    form: str
    fingerprint: str
    fields: list[FieldMap]
    marks: EditionMarks = field(default_factory=EditionMarks)
    pdf_sha256: str = ""
    confirmed: bool = False
    signature_page: int | None = None  # 0-based page of the official Section 9
    source: Path | None = None

    def entry(self, name: str) -> FieldMap | None:
        return next((f for f in self.fields if f.name == name), None)

    def mapped(self) -> list[FieldMap]:
        return [f for f in self.fields if f.target]

    def undecided(self, official: OfficialForm | None = None) -> list[str]:
        """Official fields with neither a target nor a reason to stay empty."""
        decided = {f.name for f in self.fields if f.decided}
        names = (
            [f.name for f in official.fillable]
            if official is not None
            else [f.name for f in self.fields]
        )
        return [n for n in names if n not in decided]

    def fully_mapped(self, official: OfficialForm | None = None) -> bool:
        return self.confirmed and not self.undecided(official)


# -- targets ------------------------------------------------------------------------


_ROW = re.compile(r"^(?P<base>[^\[\]]+)\[(?P<row>\d+)\](?:\.(?P<rest>.+))?$")


def resolve(definition: FormDefinition, target: str) -> Target:
    """The edition field a target names, or :class:`OfficialFormError` in words."""

    def bad(why: str) -> OfficialFormError:
        return OfficialFormError(
            f"the mapping names {target!r}, which {why} in edition {definition.key}; "
            "import the official PDF again to make a new mapping"
        )

    m = _ROW.match(target)
    if m:
        base, row, rest = m.group("base"), int(m.group("row")), m.group("rest") or ""
        if not definition.has_field(base) or not definition.field(base).is_group:
            raise bad("is not a repeating group")
        group = definition.field(base)
        if group.max_rows is not None and row >= group.max_rows:
            raise bad(f"has at most {group.max_rows} rows")
        sub_id, _, part = rest.partition(".")
        sub = group.subfield(sub_id) if sub_id else None
        if sub is None:
            raise bad("is not a column of that group")
        _check_part(sub, part, bad)
        return Target(base, sub, row, sub_id, part or None)
    field_id, part = target, ""
    while field_id and not definition.has_field(field_id):
        field_id, _, tail = field_id.rpartition(".")
        part = f"{tail}.{part}" if part else tail
    if not field_id:
        raise bad("is not a field")
    fdef = definition.field(field_id)
    if fdef.is_group or fdef.type in ("attachments", "signature"):
        raise bad("holds no single value")
    _check_part(fdef, part, bad)
    return Target(field_id, fdef, part=part or None)


def _check_part(fdef: FieldDef, part: str, bad: Any) -> None:
    if not part:
        return
    parts = {"person_name": PERSON_NAME_PARTS, "address": ADDRESS_PARTS}.get(fdef.type, ())
    if part not in parts:
        raise bad(f"has no part {part!r}")


# -- TOML ---------------------------------------------------------------------------


def load_mapping(path: Path, definition: FormDefinition | None = None) -> Mapping:
    """Read a mapping file; with ``definition``, check every target against the edition."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise OfficialFormError(f"cannot read the mapping {path.name}: {exc.strerror}") from None
    if len(raw) > MAX_MAP_BYTES:
        raise OfficialFormError(f"the mapping {path.name} is too large to be a mapping")
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise OfficialFormError(
            f"the mapping {path.name} is not valid TOML ({exc}); fix it or import the PDF again"
        ) from None
    mapping = mapping_from_dict(data, path.name)
    mapping.source = path
    if definition is not None:
        check_mapping(mapping, definition)
    return mapping


def mapping_from_dict(data: dict[str, Any], where: str = "the mapping") -> Mapping:
    def bad(why: str) -> OfficialFormError:
        return OfficialFormError(f"{where}: {why}; fix it or import the official PDF again")

    if data.get("format") != MAP_FORMAT:
        raise bad(f"format must be {MAP_FORMAT!r}")
    for key in ("form", "fingerprint"):
        if not isinstance(data.get(key), str) or not data[key]:
            raise bad(f"{key} is missing")
    marks = data.get("marks") or {}
    if not isinstance(marks, dict):
        raise bad("[marks] must be a table")
    entries = data.get("fields") or []
    if not isinstance(entries, list):
        raise bad("fields must be an array of tables")
    fields: list[FieldMap] = []
    seen: set[str] = set()
    for i, e in enumerate(entries, 1):
        if not isinstance(e, dict) or not isinstance(e.get("name"), str):
            raise bad(f"field entry {i} has no name")
        if e["name"] in seen:
            raise bad(f"field {e['name']!r} is mapped twice")
        seen.add(e["name"])
        unknown = set(e) - {
            "name", "target", "option", "on", "choices", "format", "skip", "confidence", "why"
        }  # fmt: skip
        if unknown:
            raise bad(f"field {e['name']!r} has unknown keys: {', '.join(sorted(unknown))}")
        choices = e.get("choices") or {}
        if not isinstance(choices, dict) or not all(isinstance(v, str) for v in choices.values()):
            raise bad(f"field {e['name']!r}: choices must map option ids to export values")
        fmt = str(e.get("format", ""))
        if fmt not in FORMATS:
            raise bad(f"field {e['name']!r}: format must be one of {', '.join(FORMATS[1:])}")
        conf = e.get("confidence")
        fields.append(
            FieldMap(
                name=e["name"],
                target=str(e.get("target", "")),
                option=e.get("option"),
                on=str(e.get("on", "")),
                choices={str(k): v for k, v in choices.items()},
                format=fmt,
                skip=str(e.get("skip", "")),
                confidence=float(conf) if isinstance(conf, int | float) else None,
                why=str(e.get("why", "")),
            )
        )
    sig = data.get("signature_page")
    return Mapping(
        form=data["form"],
        fingerprint=data["fingerprint"],
        fields=fields,
        marks=EditionMarks(**{k: str(marks.get(k, "")) for k in EditionMarks.__slots__}),
        pdf_sha256=str(data.get("pdf_sha256", "")),
        confirmed=bool(data.get("confirmed", False)),
        signature_page=sig if isinstance(sig, int) and sig >= 0 else None,
    )


def check_mapping(mapping: Mapping, definition: FormDefinition) -> None:
    """Every target must be a field of the edition the mapping names."""
    if mapping.form != definition.key:
        raise OfficialFormError(
            f"the mapping is for {mapping.form}, not {definition.key}; import the official "
            "PDF again for this edition"
        )
    for f in mapping.fields:
        if f.target:
            resolve(definition, f.target)


def dumps_mapping(mapping: Mapping) -> str:
    """The mapping as TOML (a small writer: the format only needs strings, numbers, tables)."""
    out = [
        "# Ombuds Desktop: which field of the official PDF takes which answer of the draft.",
        "# Made by `ombuds-desktop edition import`; safe to edit by hand (see README,",
        '# "Official form mode"). An entry with `skip` stays empty on purpose.',
        f"format = {_q(MAP_FORMAT)}",
        f"form = {_q(mapping.form)}",
        f"fingerprint = {_q(mapping.fingerprint)}",
        f"pdf_sha256 = {_q(mapping.pdf_sha256)}",
        f"confirmed = {'true' if mapping.confirmed else 'false'}",
    ]
    if mapping.signature_page is not None:
        out.append(f"signature_page = {mapping.signature_page}")
    out.append("\n[marks]")
    for key in EditionMarks.__slots__:
        out.append(f"{key} = {_q(getattr(mapping.marks, key))}")
    for f in mapping.fields:
        out.append("\n[[fields]]")
        out.append(f"name = {_q(f.name)}")
        if f.target:
            out.append(f"target = {_q(f.target)}")
        if f.option is not None:
            out.append(f"option = {_v(f.option)}")
        if f.on:
            out.append(f"on = {_q(f.on)}")
        if f.choices:
            inner = ", ".join(f"{_key(k)} = {_q(v)}" for k, v in f.choices.items())
            out.append(f"choices = {{ {inner} }}")
        if f.format:
            out.append(f"format = {_q(f.format)}")
        if f.skip:
            out.append(f"skip = {_q(f.skip)}")
        if f.confidence is not None:
            out.append(f"confidence = {f.confidence:.2f}")
        if f.why:
            out.append(f"why = {_q(f.why)}")
    return "\n".join(out) + "\n"


def _q(s: str) -> str:
    esc = s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    esc = "".join(c if ord(c) >= 0x20 and c != "\x7f" else f"\\u{ord(c):04x}" for c in esc)
    return f'"{esc}"'


def _key(k: str) -> str:
    return k if re.fullmatch(r"[A-Za-z0-9_-]+", k) else _q(k)


def _v(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return str(v)
    return _q(str(v))


def with_entry(mapping: Mapping, entry: FieldMap) -> Mapping:
    """A copy of the mapping with ``entry`` replacing the entry of the same name."""
    fields = [entry if f.name == entry.name else f for f in mapping.fields]
    if not any(f.name == entry.name for f in mapping.fields):
        fields.append(entry)
    return replace(mapping, fields=fields)
