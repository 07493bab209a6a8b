"""``edition import`` and ``edition list``: the official fillable PDF and its mapping.

The same core functions as the window's "Import official form…" (``ombuds_desktop.official``).
Nothing is sent anywhere: the PDF is read, and with ``--accept`` (or ``--mapping``) a copy of
it and its mapping are kept in the data folder (``--data-dir``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ombuds_desktop.cli.common import EXIT_OK, CliError, print_json
from ombuds_desktop.formdef import FormDefinition, FormDefinitionError, load_edition
from ombuds_desktop.official.errors import OfficialFormError
from ombuds_desktop.official.mapping import FieldMap, Mapping, dumps_mapping, load_mapping
from ombuds_desktop.official.propose import HIGH, summary


def _definition(edition: str | None) -> FormDefinition:
    try:
        return load_edition(edition=edition)
    except FormDefinitionError as exc:
        raise CliError(str(exc)) from None


def target_words(definition: FormDefinition, entry: FieldMap) -> str:
    """Where an official field's value comes from, in the user's words."""
    if entry.skip:
        return f"left empty: {entry.skip}"
    if not entry.target:
        return f"NOT MAPPED ({entry.why or 'no match'})"
    try:
        where = definition.where(entry.target)
    except (KeyError, ValueError):
        where = entry.target
    if entry.option is not None:
        fdef = definition.field(entry.target) if definition.has_field(entry.target) else None
        label = (
            {True: "Yes", False: "No"}.get(entry.option, "")
            if isinstance(entry.option, bool)
            else (fdef.option_label(str(entry.option)) if fdef else str(entry.option))
        )
        where += f" = {label} (checked as {entry.on!r})"
    elif entry.choices:
        where += " (" + ", ".join(f"{k} as {v!r}" for k, v in entry.choices.items()) + ")"
    return where


def _mark_warnings(mapping: Mapping, definition: FormDefinition) -> list[str]:
    out = []
    omb = mapping.marks.omb
    if omb and definition.omb and omb != definition.omb:
        out.append(
            f"the PDF says OMB {omb}, the edition file {definition.key} says {definition.omb}: "
            "check that this is the form you mean"
        )
    if mapping.marks.form_number and definition.number not in mapping.marks.form_number:
        out.append(
            f"the PDF says it is {mapping.marks.form_number}, not {definition.number}: check "
            "that this is the form you mean"
        )
    return out


def cmd_import(args: argparse.Namespace) -> int:
    from ombuds_desktop.official.store import import_official, read_pdf_file

    definition = _definition(args.edition)
    edited = None
    try:
        data = read_pdf_file(Path(args.pdf))
        if args.mapping:
            edited = load_mapping(Path(args.mapping), definition)
        result = import_official(data, definition, accept=args.accept, mapping=edited)
    except OfficialFormError as exc:
        raise CliError(f"{args.pdf}: {exc}") from None
    official, mapping = result.official, result.mapping
    if args.write_proposal:
        try:
            Path(args.write_proposal).write_text(dumps_mapping(mapping), encoding="utf-8")
        except OSError as exc:
            raise CliError(f"cannot write {args.write_proposal}: {exc.strerror}") from None
    counts = summary(mapping)
    undecided = mapping.undecided(official)
    if args.json:
        print_json(
            {
                "fingerprint": official.fingerprint,
                "marks": _marks(mapping),
                "form": mapping.form,
                "origin": result.origin,
                "saved": str(result.saved) if result.saved else None,
                "confirmed": mapping.confirmed,
                "fully_mapped": mapping.fully_mapped(official),
                "counts": counts,
                "fields": [
                    {
                        "name": e.name,
                        "kind": f.kind if (f := official.field(e.name)) else "",
                        "tooltip": f.tooltip if f else "",
                        "target": e.target,
                        "option": e.option,
                        "choices": e.choices,
                        "skip": e.skip,
                        "confidence": e.confidence,
                        "why": e.why,
                    }
                    for e in mapping.fields
                ],
            }
        )
        return EXIT_OK
    out = sys.stdout
    out.write(f"Official form: {official.marks.text()}\n")
    out.write(
        f"{len(official.fillable)} fields on {official.pages} page(s); "
        f"fingerprint {official.fingerprint[:16]}\n"
    )
    origin = {
        "proposal": "Proposed mapping (no mapping known for this PDF)",
        "imported": "Mapping imported before",
        "shipped": "Mapping shipped with Ombuds Desktop",
        "edited": "Mapping from " + str(args.mapping),
    }[result.origin]
    out.write(
        f"{origin}, to edition {mapping.form}: {counts['mapped']} mapped "
        f"({counts['confident']} confident, {counts['check']} to check), "
        f"{counts['skipped']} left empty on purpose, {counts['undecided']} not mapped\n\n"
    )
    out.write(f"  {'CONF':>5}  {'OFFICIAL FIELD':<44} DRAFT FIELD\n")
    for e in mapping.fields:
        f = official.field(e.name)
        conf = "  -- " if e.confidence is None or not e.target else f"{e.confidence:5.2f}"
        flag = "  <- check" if e.target and e.confidence is not None and e.confidence < HIGH else ""
        short = f.short_name if f else e.name
        kind = f" ({f.kind})" if f else ""
        out.write(f"  {conf}  {(short + kind):<44} {target_words(definition, e)}{flag}\n")
        if f and f.tooltip:
            out.write(f"  {'':>5}    tooltip: {f.tooltip[:100]}\n")
    out.write("\n")
    for w in _mark_warnings(mapping, definition):
        out.write(f"warning: {w}\n")
    if result.saved:
        out.write(f"Saved in {result.saved}.\n")
        if undecided:
            out.write(
                f"{len(undecided)} field(s) are not mapped, so packets keep using the typeset "
                "form: write the mapping with --write-proposal FILE, complete it, and import "
                "again with --mapping FILE.\n"
            )
        else:
            out.write("Packets for this edition now use the official form.\n")
    else:
        out.write(
            "Not saved. Run again with --accept to use this mapping as it stands, or write it "
            "with --write-proposal FILE, correct it, and import with --mapping FILE.\n"
        )
    return EXIT_OK


def _marks(mapping: Mapping) -> dict[str, Any]:
    m = mapping.marks
    return {"form_number": m.form_number, "omb": m.omb, "edition": m.edition, "expires": m.expires}


def cmd_list(args: argparse.Namespace) -> int:
    from ombuds_desktop.official.store import list_imports

    found, problems = list_imports()
    rows = []
    for imp in found:
        m = imp.mapping
        c = summary(m)
        status = (
            "used for packets"
            if m.confirmed and not c["undecided"]
            else ("not confirmed" if not m.confirmed else f"{c['undecided']} field(s) not mapped")
        )
        rows.append((imp, m, c, status))
    if args.json:
        print_json(
            [
                {
                    "id": imp.folder.name,
                    "form": m.form,
                    "marks": _marks(m),
                    "fields": c["fields"],
                    "mapped": c["mapped"],
                    "skipped": c["skipped"],
                    "undecided": c["undecided"],
                    "confirmed": m.confirmed,
                    "status": status,
                }
                for imp, m, c, status in rows
            ]
        )
    else:
        out = sys.stdout
        if not rows:
            out.write(
                "No official form imported: packets use the typeset form. Import one with "
                "`ombuds-desktop edition import PDF`.\n"
            )
        for imp, m, c, status in rows:
            out.write(
                f"{imp.folder.name}  {m.form}  {m.marks.text()}\n"
                f"    {c['mapped']} of {c['fields']} fields mapped, {c['skipped']} left empty on "
                f"purpose, {c['undecided']} not mapped: {status}\n"
            )
    for p in problems:
        sys.stderr.write(f"ombuds-desktop: cannot read an imported form: {p}\n")
    return EXIT_OK


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "edition",
        help="the official fillable DHS Form 7001 PDF: import it, list imported forms",
    )
    sub = p.add_subparsers(dest="edition_command", metavar="COMMAND", parser_class=type(p))
    p.set_defaults(handler=lambda a: (p.print_help(), EXIT_OK)[1])

    imp = sub.add_parser(
        "import",
        help="read an official fillable PDF and propose (or apply) its mapping to the draft's "
        "fields; nothing is sent anywhere",
    )
    imp.add_argument("pdf", metavar="PDF", help="the official fillable PDF, as downloaded")
    imp.add_argument(
        "--accept",
        action="store_true",
        help="save the proposal as it stands (with the PDF) in the data folder",
    )
    imp.add_argument("--mapping", metavar="FILE", help="use this (edited) mapping file and save it")
    imp.add_argument(
        "--write-proposal", metavar="FILE", help="write the mapping as TOML, to edit by hand"
    )
    imp.add_argument("--edition", default=None, help="form edition (default: newest installed)")
    imp.add_argument("--json", action="store_true", help="print the mapping as JSON")
    imp.set_defaults(handler=cmd_import)

    ls = sub.add_parser("list", help="each imported official form, its marks and mapping")
    ls.add_argument("--json", action="store_true", help="print as JSON")
    ls.set_defaults(handler=cmd_list)
