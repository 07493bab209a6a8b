"""Propose a mapping for an official PDF nobody has mapped yet.

Each official field is described by three texts: its tooltip (``/TU``, what screen
readers say; on government forms it usually repeats the printed label), its name
split into words (``Pt5Line1_FamilyName`` -> section 5, "family name") and the page
text printed just left of or above it.  Each fillable place of the edition (a field,
a part of a name or an address, an option of a choice, a column of a row) is
described by its labels.  Both are normalised (case, punctuation, plurals, the
synonyms forms use: "last name" = "family name", "Apt./Ste./Flr." = unit...) and
compared as sets of words, with a fuzzy match for single words (``difflib``: the
standard library is enough for a few hundred short labels, and adds no dependency).
The section number, when the tooltip or the name gives one, must agree.

Every pair gets a confidence in [0, 1].  Below :data:`LOW` or too close to a rival
(:data:`AMBIGUOUS`), the field is left unmapped for the user to decide; nothing is
ever guessed silently.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ombuds_desktop.formdef.model import (
    ADDRESS_PARTS,
    PERSON_NAME_PARTS,
    FieldDef,
    FormDefinition,
    Section,
)
from ombuds_desktop.official.mapping import FieldMap, Mapping
from ombuds_desktop.official.reader import OfficialField, OfficialForm

#: Below this a pair is not proposed.
LOW = 0.5
#: At or above this a pair is "confident"; between LOW and HIGH the user should look.
HIGH = 0.75
#: Two different places scoring within this of each other: ambiguous, left unmapped.
AMBIGUOUS = 0.04

SIGNATURE_SECTION = "s9"  # the section the client signs (a stable id, as in packet/)

_PART_WORDS = {
    "family": "family name last name",
    "given": "given name first name",
    "middle": "middle name",
    "street": "street number and name address",
    "unit": "apt ste flr unit",
    "city": "city or town",
    "state": "state province",
    "postal_code": "zip code postal code",
    "country": "country",
}

_STOP_WORDS = (
    "a an the of or and if any to for this is in on by with your you enter provide "
    "please type print who what which that are be was has have his her their its applicable"
)
_STOP = frozenset(_STOP_WORDS.split())

_PHRASES = (
    (r"\ba[\s.-]*(?:number|no|#)\b", " anumber "),
    (r"\balien\s+(?:registration\s+)?number\b", " anumber "),
    (r"\bdate\s+of\s+birth\b|\bdob\b|\bbirth\s*date\b", " birth date "),
    (r"\be[\s-]*mail\b", " email "),
    (r"\bzip\s*code\b|\bpostal\s*code\b", " zip "),
    (r"\bapt\b|\bste\b|\bflr\b|\bsuite\b|\bapartment\b|\bfloor\b", " unit "),
    (r"\btelephone\b|\btel\b|\bphone\s+number\b|\bdaytime\b", " phone "),
    (r"\blast\s+name\b|\bsurname\b", " family name "),
    (r"\bfirst\s+name\b", " given name "),
    (r"\bmiddle\s+initial\b|\bmi\b", " middle name "),
    (r"\bin\s+care\s+of\b|\bc/o\b", " careof "),
    (r"\bu\.?\s?s\.?\b", " us "),
)
_WORDS = {
    "last": "family",
    "first": "given",
    "town": "city",
    "province": "state",
    "organisation": "organization",
    "org": "organization",
    "company": "organization",
    "firm": "organization",
    "addr": "address",
    "rcpt": "receipt",
    "tel": "phone",
    "mobile": "phone",
    "cell": "phone",
    "dt": "date",
    "nbr": "number",
    "num": "number",
    "no": "number",
    "explain": "explanation",
    "describe": "explanation",
    "description": "explanation",
    "postal": "zip",
    "ste": "unit",
}


@lru_cache(maxsize=20000)
def words(text: str) -> frozenset[str]:
    """Normalised content words of a label, tooltip or field name."""
    t = text.lower()
    for rx, rep in _PHRASES:
        t = re.sub(rx, rep, t)
    out = set()
    for w in re.findall(r"[a-z0-9]+", t):
        w = _WORDS.get(w, w)
        if len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
            w = w[:-1]
        if w in _STOP or w.isdigit() or len(w) < 2:
            continue
        out.add(w)
    return frozenset(out)


@lru_cache(maxsize=200000)
def _same(a: str, b: str) -> bool:
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    if len(short) >= 3 and long_.startswith(short):
        return True  # "Ind" for "individual", "Org" for "organization"
    if min(len(a), len(b)) < 5:
        return False
    return difflib.SequenceMatcher(None, a, b).ratio() >= 0.85


@lru_cache(maxsize=200000)
def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """How much two word sets say the same: Dice mixed with containment, fuzzy words."""
    if not a or not b:
        return 0.0
    common = sum(1 for x in a if any(_same(x, y) for y in b))
    common = min(common, len(b))
    dice = 2 * common / (len(a) + len(b))
    contain = common / min(len(a), len(b))
    return 0.6 * dice + 0.4 * contain


# -- describing an official field -------------------------------------------------------

_SECTION_IN_TEXT = re.compile(
    r"\b(?:section|sec|part|pt)\.?\s*(\d{1,2}[a-z]?)\b|^\s*(\d{1,2}[a-z]?)\.\s", re.IGNORECASE
)
_SECTION_IN_NAME = re.compile(
    r"(?:^|[^A-Za-z])(?:[Pp][Tt]|[Pp]art|[Pp]|[Ss]ec|[Ss]ection|[Ss])(\d{1,2}(?:[A-Za-z](?![a-z]))?)"
    r"(?=[Ll]ine|[Ll]\d|_|[A-Z]|$)"
)
_ROW_IN_TEXT = re.compile(r"\b(?:row|line item|entry)\s*(\d{1,2})\b", re.IGNORECASE)
_ROW_IN_NAME = re.compile(r"(?:row|r)(\d{1,2})(?=[_A-Z]|$)", re.IGNORECASE)
_ITEM_NOISE = re.compile(
    r"\b(?:section|sec|part|pt|item|line|number|no)\.?\s*\d{1,2}[a-z]?\b\.?|^\s*\d{1,2}[a-z]?\.\s*"
    r"|\b(?:row|entry)\s*\d{1,2}\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Described:
    field: OfficialField
    sources: tuple[frozenset[str], ...]  # tooltip, name, nearby text (non-empty ones)
    all_words: frozenset[str]
    section: str | None  # "5", "1a"
    row: int | None  # 0-based row of a repeating group


def _name_words(short: str) -> str:
    s = re.sub(
        r"(?:\b|_)(?:[Pp][Tt]|[Pp]art|[Ss]ec|[Ss]ection)\d{1,2}(?:[A-Za-z](?![a-z]))?"
        r"(?:[Ll]ine\d{1,2}(?:[A-Za-z](?![a-z]))?)?_?",
        " ",
        short,
    )
    s = re.sub(r"(?i)(?:^|_)(?:p\d{1,2}|s\d{1,2}[a-z]?|l(?:ine)?\d{1,2}[a-z]?)(?=_|$)", " ", s)
    s = re.sub(r"(?i)(?:row|r)\d{1,2}(?=_|[A-Z]|$)", " ", s)
    s = re.sub(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|[_.#\-]", " ", s)
    s = re.sub(r"\d+", " ", s)
    return s


def describe(f: OfficialField) -> Described:
    tip = f.tooltip
    section = None
    m = _SECTION_IN_TEXT.search(tip)
    if m:
        section = (m.group(1) or m.group(2)).lower()
    else:
        m = _SECTION_IN_NAME.search(f.short_name)
        if m:
            section = m.group(1).lower()
    row = None
    m = _ROW_IN_TEXT.search(tip) or _ROW_IN_NAME.search(f.short_name)
    if m:
        row = int(m.group(1)) - 1
    clean_tip = _ITEM_NOISE.sub(" ", tip)
    sources = [words(clean_tip), words(_name_words(f.short_name)), words(f.nearby)]
    kept = tuple(s for s in sources if s)
    return Described(f, kept, frozenset().union(*kept) if kept else frozenset(), section, row)


# -- the places of the edition -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Slot:
    """A place in the draft an official field can show."""

    target: str  # path; a group column has "{row}" where the row goes
    kind: str  # value | option | choice
    primary: frozenset[str]
    context: frozenset[str]
    section: str  # the section's printed number, lower case ("5", "1a")
    field: FieldDef
    option: Any = None
    group_max: int | None = None


def slots(definition: FormDefinition) -> list[Slot]:
    out: list[Slot] = []
    for section in definition.sections:
        if not section.printed:
            continue
        for f in section.fields:
            if not f.printed:
                continue
            if f.is_group:
                for sub in f.fields:
                    if sub.printed:
                        ctx = words(f"{f.label} {f.row_label} {section.title}")
                        out += _field_slots(
                            section, sub, f"{f.id}[{{row}}].{sub.id}", ctx, f.max_rows
                        )
            else:
                out += _field_slots(section, f, f.id, words(section.title), None)
    return out


def _field_slots(
    section: Section, f: FieldDef, path: str, ctx: frozenset[str], group_max: int | None
) -> list[Slot]:
    num = section.number.lower()
    label = words(f.label)
    if f.type in ("attachments", "signature"):
        return []
    out = [Slot(path, "value", label, ctx, num, f, group_max=group_max)]
    if f.type in ("person_name", "address"):
        parts = PERSON_NAME_PARTS if f.type == "person_name" else ADDRESS_PARTS
        for p in parts:
            out.append(
                Slot(
                    f"{path}.{p}",
                    "value",
                    words(_PART_WORDS[p]),
                    label | ctx,
                    num,
                    f,
                    group_max=group_max,
                )  # fmt: skip
            )
    if f.type in ("single_choice", "multiple_choice"):
        for o in f.options:
            out.append(Slot(path, "option", words(o.label), label | ctx, num, f, o.id, group_max))
        if f.type == "single_choice":
            out.append(Slot(path, "choice", label, ctx, num, f, group_max=group_max))
    if f.type == "yes_no":
        out.append(Slot(path, "option", label, ctx, num, f, True, group_max))
        out.append(Slot(path, "choice", label, ctx, num, f, group_max=group_max))
    return out


_PARTED = {"person_name": PERSON_NAME_PARTS, "address": ADDRESS_PARTS}
_PART_VOCAB = {
    t: frozenset().union(*(words(_PART_WORDS[p]) for p in parts)) - {"name", "address", "number"}
    for t, parts in _PARTED.items()
}

_KINDS = {
    "text": ("value",),
    "choice": ("choice", "value"),
    "checkbox": ("option",),
    "radio": ("choice",),
}


@dataclass(frozen=True, slots=True)
class Candidate:
    score: float
    slot: Slot
    target: str
    choices: dict[str, str]
    why: str

    @property
    def key(self) -> tuple[str, Any]:
        """What two official fields may not both fill."""
        return (self.target, self.slot.option if self.slot.kind == "option" else None)


def _score(d: Described, slot: Slot) -> tuple[float, dict[str, str]]:
    f = d.field
    if slot.kind not in _KINDS.get(f.kind, ()):
        return 0.0, {}
    if slot.field.type == "multiple_choice" and slot.kind == "value" and f.kind != "text":
        return 0.0, {}
    primary = max((similarity(s, slot.primary) for s in d.sources), default=0.0)
    context = similarity(d.all_words, slot.primary | slot.context)
    score = 0.8 * primary + 0.2 * context
    choices: dict[str, str] = {}
    if slot.kind == "choice":
        choices, agree = _choices(f, slot.field)
        if not choices:
            return 0.0, {}
        score = 0.5 * score + 0.5 * agree
    if (
        slot.kind == "value"
        and slot.field.type in _PARTED
        and slot.target.endswith(slot.field.id.rpartition(".")[2])
        and d.all_words & _PART_VOCAB[slot.field.type]
    ):
        score *= 0.6  # "City or town" is the city, not the whole address
    if d.section is not None:
        if d.section == slot.section:
            score = min(1.0, score + 0.15)
        else:
            score *= 0.5
    if slot.group_max is not None and d.row is not None and d.row >= slot.group_max:
        return 0.0, {}
    return score, choices


def _choices(f: OfficialField, fdef: FieldDef) -> tuple[dict[str, str], float]:
    """Option id -> export value, and how well the export values matched the options."""
    exports = list(f.export_values)
    shown = {o[0]: o[1] for o in f.options}
    if fdef.type == "yes_no":
        ids = [("yes", "yes y true"), ("no", "no n false")]
    else:
        ids = [(o.id, f"{o.label} {o.id.replace('_', ' ')}") for o in fdef.options]
    out: dict[str, str] = {}
    total = 0.0
    for opt_id, text in ids:
        best, best_export = 0.0, ""
        for e in exports:
            s = similarity(words(f"{e} {shown.get(e, '')}"), words(text))
            if e.lower() == opt_id.lower():
                s = 1.0
            if s > best:
                best, best_export = s, e
        if best >= LOW and best_export not in out.values():
            out[opt_id] = best_export
            total += best
    if not ids:
        return {}, 0.0
    return out, total / len(ids)


def propose(official: OfficialForm, definition: FormDefinition) -> Mapping:
    """A mapping with a confidence per pair; doubtful fields are left unmapped, with why."""
    places = slots(definition)
    described = [describe(f) for f in official.fillable]
    best: dict[str, list[Candidate]] = {}
    entries: dict[str, FieldMap] = {}
    for d in described:
        f = d.field
        skip = _skip_reason(f, d)
        if skip:
            entries[f.name] = FieldMap(f.name, skip=skip, why="not filled by the app")
            continue
        cands: list[Candidate] = []
        for slot in places:
            score, choices = _score(d, slot)
            if score < LOW:
                continue
            row = d.row if d.row is not None else 0
            target = slot.target.replace("{row}", str(row))
            cands.append(Candidate(round(score, 3), slot, target, choices, _why(d)))
        cands.sort(key=lambda c: -c.score)
        best[f.name] = cands
    # Strongest pairs first; a place is given to one official field only.
    taken: set[tuple[str, Any]] = set()
    order = sorted(best, key=lambda n: -(best[n][0].score if best[n] else 0.0))
    for name in order:
        of = official.field(name)
        assert of is not None
        cands = [c for c in best[name] if c.key not in taken]
        if not cands:
            low = best[name][0] if best[name] else None
            entries[name] = FieldMap(
                name,
                confidence=0.0,
                why="no field of the edition matches"
                + (f" (best: {low.target}, taken)" if low else ""),
            )
            continue
        top = cands[0]
        rival = next((c for c in cands[1:] if c.key != top.key), None)
        if rival is not None and top.score - rival.score < AMBIGUOUS and top.score < 0.95:
            entries[name] = FieldMap(
                name,
                confidence=round(top.score, 2),
                why=f"ambiguous: {_where(top)} or {_where(rival)}",
            )
            continue
        taken.add(top.key)
        entries[name] = _entry(of, top)
    fields = [entries[f.name] for f in official.fillable]
    mapping = Mapping(
        form=definition.key,
        fingerprint=official.fingerprint,
        fields=fields,
        marks=official.marks,
        pdf_sha256=official.sha256,
    )
    mapping.signature_page = signature_page(official, mapping)
    return mapping


def _entry(f: OfficialField, c: Candidate) -> FieldMap:
    conf = round(min(c.score, 1.0), 2)
    if c.slot.kind == "option":
        on = f.export_values[0] if f.export_values else "Yes"
        opt = c.slot.option
        return FieldMap(f.name, c.target, option=opt, on=on, confidence=conf, why=c.why)
    if c.slot.kind == "choice":
        return FieldMap(f.name, c.target, choices=c.choices, confidence=conf, why=c.why)
    fmt = ""
    if c.slot.field.type == "a_number" and (f.comb or (f.max_len or 99) <= 9):
        fmt = "digits"
    return FieldMap(f.name, c.target, format=fmt, confidence=conf, why=c.why)


def _where(c: Candidate) -> str:
    return c.target + (f" = {c.slot.option}" if c.slot.kind == "option" else "")


def _why(d: Described) -> str:
    if d.field.tooltip:
        return f"tooltip {d.field.tooltip[:80]!r}"
    if d.field.nearby:
        return f"page text {d.field.nearby[:80]!r}"
    return f"name {d.field.short_name!r}"


def _skip_reason(f: OfficialField, d: Described) -> str:
    if f.kind == "signature" or "signature" in d.all_words and "date" not in d.all_words:
        return "a signature: signed by hand, in ink"
    text = f"{f.tooltip} {f.short_name}".lower()
    if "office use" in text or "officeuse" in text or "barcode" in text:
        return "for the agency's use"
    return ""


def signature_page(official: OfficialForm, mapping: Mapping) -> int | None:
    """The 0-based page of the official Section 9: where its fields, or its title, are."""
    pages: Counter[int] = Counter()
    for e in mapping.fields:
        f = official.field(e.name)
        if f is None:
            continue
        if e.target.startswith(f"{SIGNATURE_SECTION}.") or (e.skip and "signature" in e.skip):
            pages[f.page] += 1
    if pages:
        return pages.most_common(1)[0][0]
    for i, text in enumerate(official.page_text):
        if re.search(r"\bSection\s+9\b", text):
            return i
    return None


def summary(mapping: Mapping) -> dict[str, int]:
    """Counts for messages: mapped, confident, to check, left empty on purpose, undecided."""
    mapped = mapping.mapped()
    return {
        "fields": len(mapping.fields),
        "mapped": len(mapped),
        "confident": sum(1 for f in mapped if (f.confidence or 1.0) >= HIGH),
        "check": sum(1 for f in mapped if f.confidence is not None and f.confidence < HIGH),
        "skipped": sum(1 for f in mapping.fields if f.skip),
        "undecided": sum(1 for f in mapping.fields if not f.decided),
    }


# -- what the user may choose instead (the mapping view) ----------------------------------


@dataclass(frozen=True, slots=True)
class Place:
    """One draft answer an official field can be set to show, in the user's words."""

    label: str
    target: str
    option: Any = None
    kind: str = "value"


def places_for(f: OfficialField, definition: FormDefinition, rows: int = 5) -> list[Place]:
    """Every place of the edition this kind of official field can show (rows of a group:
    the first ``rows``), labelled as findings label fields."""
    out: list[Place] = []
    kinds = _KINDS.get(f.kind, ())
    for slot in slots(definition):
        if slot.kind not in kinds:
            continue
        if slot.field.type == "multiple_choice" and slot.kind == "value" and f.kind != "text":
            continue
        limit = min(rows, slot.group_max or rows) if "{row}" in slot.target else 1
        for r in range(limit):
            target = slot.target.replace("{row}", str(r))
            label = definition.where(target)
            if slot.kind == "option":
                opt = slot.option
                shown = (
                    {True: "Yes", False: "No"}[opt]
                    if isinstance(opt, bool)
                    else slot.field.option_label(str(opt))
                )
                label = f"{label} = {shown}"
            out.append(Place(label, target, slot.option, slot.kind))
    return out


def entry_for(f: OfficialField, place: Place, definition: FormDefinition) -> FieldMap:
    """The mapping entry that makes ``f`` show ``place`` (export values from the PDF)."""
    from ombuds_desktop.official.mapping import resolve

    t = resolve(definition, place.target)
    if place.kind == "option":
        on = f.export_values[0] if f.export_values else "Yes"
        return FieldMap(f.name, place.target, option=place.option, on=on, why="set by you")
    if place.kind == "choice":
        choices, _ = _choices(f, t.definition)
        return FieldMap(f.name, place.target, choices=choices, why="set by you")
    fmt = (
        "digits"
        if t.definition.type == "a_number" and not t.part and (f.comb or (f.max_len or 99) <= 9)
        else ""
    )
    return FieldMap(f.name, place.target, format=fmt, why="set by you")
