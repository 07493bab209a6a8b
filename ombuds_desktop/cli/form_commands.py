"""Commands about the form and drafts as files: ``validate``, ``schema``, ``sample``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ombuds_desktop.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    CliError,
    date_option,
    definition_for,
    print_json,
)
from ombuds_desktop.draft import Draft
from ombuds_desktop.draft.files import check_attachment_paths
from ombuds_desktop.draft.schema import draft_schema
from ombuds_desktop.formdef import FormDefinition, FormDefinitionError, load_edition
from ombuds_desktop.samples import SampleError, sample_names, sample_text, write_sample
from ombuds_desktop.validation import has_errors, screen, validate_draft
from ombuds_desktop.validation.acknowledge import is_acknowledged
from ombuds_desktop.validation.findings import Finding, sort_findings

_MARK = {"error": "ERROR", "warning": "WARNING", "info": "info"}


def cmd_validate(args: argparse.Namespace) -> int:
    from ombuds_desktop.cli.packet_commands import _draft_source, allowed_folders

    allow = allowed_folders(args)
    # A vault draft is decrypted with its family group, then the vault is closed again.
    with _draft_source(args.draft, args) as (draft, base_dir, _, related):
        pass
    definition = definition_for(draft.form)
    if args.section is not None:
        known = [s.id for s in definition.sections]
        if args.section not in known:
            raise CliError(
                f"--section {args.section!r} is not a section of this form; use one "
                f"of: {', '.join(known)}"
            )
    from ombuds_desktop.official.target import packet_target

    findings = validate_draft(
        draft,
        definition,
        today=date_option(args.today, "--today"),
        base_dir=base_dir,
        related=related,
        sections=[args.section] if args.section else None,
        allow_files_from=allow,  # outside the draft's folder and these: refused, not opened
        # What the imported official form (if the packet will fill one) cannot show.
        official=packet_target(definition),
    )
    if args.draft == "-" and args.section in (None, "s8"):
        # No folder: relative paths cannot be checked (as in the engine), but a path
        # elsewhere is read only from an --allow-files-from folder.
        findings += [
            Finding(
                "s8", f"s8.documents[{p.index}].path", "error", "attachment-path-refused", p.message
            )
            for p in check_attachment_paths(draft, None, allow)
            if p.allowable
        ]
    if args.section in (None, "s8"):  # the files themselves, as the packet build reads them
        from ombuds_desktop.packet.exhibits import evidence_findings

        findings = sort_findings(
            [*findings, *evidence_findings(draft, base_dir, allow=allow)],
            [s.id for s in definition.sections],
        )
    if args.json:
        print_json([f.to_dict() for f in findings])
    else:
        _print_findings(definition, findings, draft)
    return EXIT_FINDINGS if has_errors(findings) else EXIT_OK


def _print_findings(definition: FormDefinition, findings: list, draft: Draft) -> None:
    out = sys.stdout
    current = None
    for f in findings:
        if f.section != current:
            current = f.section
            out.write(f"\n{definition.section(f.section).heading}\n")
        where = f" [{f.field}]" if f.field else ""
        done = " (acknowledged)" if f.severity == "warning" and is_acknowledged(f, draft) else ""
        out.write(f"  {_MARK[f.severity]:<8} {f.code}{where}{done}\n           {f.message}\n")
    counts = {s: sum(1 for f in findings if f.severity == s) for s in _MARK}
    result = screen(findings)
    out.write(
        f"\n{counts['error']} error(s), {counts['warning']} warning(s), "
        f"{counts['info']} note(s).\nScreener: {result.text}\n"
    )


def cmd_rules(args: argparse.Namespace) -> int:
    from ombuds_desktop.validation.rule_docs import emitted, rules_markdown
    from ombuds_desktop.validation.rules import RULES

    if args.markdown:
        sys.stdout.write(rules_markdown())
        return EXIT_OK
    for spec in sorted(RULES, key=lambda r: int(r.id[1:])):
        severities = sorted({sev for sev, _ in emitted(spec)})
        sys.stdout.write(f"{spec.id:<4} {spec.title} ({', '.join(severities) or 'none'})\n")
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    try:
        definition = load_edition(edition=args.edition)
    except FormDefinitionError as exc:
        raise CliError(str(exc)) from None
    print_json(draft_schema(definition))
    return EXIT_OK


def cmd_sample(args: argparse.Namespace) -> int:
    if args.list:
        sys.stdout.write("".join(f"{name}\n" for name in sample_names()))
        return EXIT_OK
    if not args.name:
        raise CliError("name a sample (see `ombuds-desktop sample --list`)")
    try:
        if args.out:
            path = write_sample(args.name, Path(args.out))
            sys.stderr.write(f"wrote {path} and its attachment files\n")
        else:
            sys.stdout.write(sample_text(args.name))
    except SampleError as exc:
        raise CliError(str(exc)) from None
    except OSError as exc:
        raise CliError(f"cannot write to {args.out}: {exc.strerror}") from None
    return EXIT_OK


def register(subparsers: argparse._SubParsersAction) -> None:
    from ombuds_desktop.cli.packet_commands import add_allow_files_from

    p = subparsers.add_parser(
        "validate",
        help="check a draft against the form and the "
        "CIS Ombudsman's rules (exit 0 no errors, 1 errors, 2 bad input)",
    )
    p.add_argument(
        "draft",
        metavar="DRAFT",
        help="the draft file, - for standard input, or the id of a vault draft "
        "(its family group is then read from the vault)",
    )
    p.add_argument(
        "--family",
        nargs="+",
        metavar="FILE",
        help="the draft files of the other members of the draft's family group, so the "
        "family rules (R23-R25) can be applied",
    )
    p.add_argument(
        "--passphrase-file", metavar="FILE", help="vault passphrase, when DRAFT is a vault draft id"
    )
    add_allow_files_from(p)
    p.add_argument("--json", action="store_true", help="print the findings as JSON")
    p.add_argument("--section", metavar="ID", help="only this section (e.g. s3)")
    p.add_argument("--today", metavar="YYYY-MM-DD", help=argparse.SUPPRESS)
    p.set_defaults(handler=cmd_validate)

    p = subparsers.add_parser("rules", help="list the CIS Ombudsman's filing rules")
    p.add_argument(
        "--markdown", action="store_true", help="print docs/rules.md (what, severity, why, source)"
    )
    p.set_defaults(handler=cmd_rules)

    p = subparsers.add_parser("schema", help="print the JSON Schema of the draft format")
    p.add_argument("--edition", default=None, help="form edition (default: newest installed)")
    p.set_defaults(handler=cmd_schema)

    p = subparsers.add_parser("sample", help="print or write a built-in sample draft")
    p.add_argument("name", nargs="?", help="sample name")
    p.add_argument("--list", action="store_true", help="list the sample names")
    p.add_argument("--out", metavar="DIR", help="write DIR/NAME.json and stand-in attachments")
    p.set_defaults(handler=cmd_sample)
