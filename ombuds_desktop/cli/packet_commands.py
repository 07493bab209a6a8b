"""``packet``, ``signature-page``, ``export``, ``family-email`` and ``demo``: the paper.

Exit codes: 0 written; 1 validation errors remain (build a watermarked draft
with ``--allow-draft``); 2 bad input (unreadable draft, unusable evidence,
bad option).  A draft is a JSON file, ``-`` for stdin, or, with
``--data-dir`` (or an existing vault), the id of a draft in the vault: its
attachments are then decrypted in memory only.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ombuds_desktop.cli.common import (
    EXIT_FINDINGS,
    EXIT_INPUT,
    EXIT_OK,
    CliError,
    date_option,
    definition_for,
    read_draft_arg,
)
from ombuds_desktop.draft import Attachment, Draft, facts
from ombuds_desktop.formdef import FormDefinition
from ombuds_desktop.packet import (
    MB,
    EvidenceProblems,
    NotReadyError,
    PacketError,
    PacketOptions,
    build_packet,
)
from ombuds_desktop.packet.errors import UnknownAttachmentIds
from ombuds_desktop.packet.exhibits import read_attachment
from ombuds_desktop.packet.exports import (
    export_eml,
    export_family_eml,
    export_mail,
    export_upload_folder,
    signature_page_pdf,
    write_atomic,
)
from ombuds_desktop.packet.options import megabytes
from ombuds_desktop.packet.signature_page import DRAFT_MARK
from ombuds_desktop.printed.fonts import FontMissingError
from ombuds_desktop.validation import (
    Finding,
    acknowledge,
    has_errors,
    unacknowledged_warnings,
    validate_draft,
)
from ombuds_desktop.validation.family import family_of, vault_family

ReadBytes = Callable[[Attachment], bytes]


# -- input ------------------------------------------------------------------------------


def _looks_like_id(arg: str) -> bool:
    return (
        arg != "-"
        and not Path(arg).exists()
        and "/" not in arg
        and "\\" not in arg
        and not arg.endswith(".json")
    )


def family_files(draft: Draft, paths: list[str] | None) -> list[Draft]:
    """The family members' draft files named with ``--family`` (R23-R25 need them)."""
    drafts = [read_draft_arg(p)[0] for p in paths or []]
    strangers = [p for p, d in zip(paths or [], drafts, strict=True) if not family_of(draft, [d])]
    if strangers:
        raise CliError(
            f"--family {strangers[0]}: that draft is not in the same family group as "
            f"{draft.id[:8]} (its family_group differs, or the draft has none); name only "
            "drafts of the same family"
        )
    return drafts


@contextlib.contextmanager
def _draft_source(
    arg: str, args: argparse.Namespace
) -> Iterator[tuple[Draft, Path | None, ReadBytes | None, list[Draft]]]:
    """A draft from a file, stdin, or the vault (attachments read in memory, never to disk).

    The fourth value is the draft's family group (other drafts): from the vault
    for a vault draft, always; from ``--family`` files for a draft file.
    """
    if not _looks_like_id(arg) or not (os.environ.get("OMBUDS_DATA_DIR") or _vault_exists()):
        draft, base_dir = read_draft_arg(arg)
        reader: ReadBytes | None = None
        if base_dir is None:  # stdin: no folder, so only --allow-files-from folders are read
            allow = allowed_folders(args)

            def from_stdin_draft(att: Attachment) -> bytes:
                return read_attachment(att, None, allow, from_draft_file=True)

            reader = from_stdin_draft
        yield draft, base_dir, reader, family_files(draft, getattr(args, "family", None))
        return
    from ombuds_desktop.cli.vault_commands import open_vault, vault_cli_error
    from ombuds_desktop.packet.sources import vault_reader
    from ombuds_desktop.vault import VaultError

    vault = open_vault(args, read_only=True)
    try:
        try:
            draft = vault.load_draft(arg)
            related = vault_family(vault, draft)
        except VaultError as exc:
            raise vault_cli_error(exc) from None
        if getattr(args, "family", None):
            raise CliError(
                "--family is for draft files; a vault draft's family is read from the vault"
            )
        yield draft, None, vault_reader(vault), related
    finally:
        vault.close()


def allowed_folders(args: argparse.Namespace) -> tuple[str, ...]:
    """The folders named with ``--allow-files-from`` (each must be an existing folder)."""
    folders = tuple(getattr(args, "allow_files_from", None) or ())
    for folder in folders:
        if not Path(folder).expanduser().is_dir():
            raise CliError(f"--allow-files-from {folder}: no such folder")
    return folders


def add_allow_files_from(p: argparse.ArgumentParser) -> None:
    """The same ``--allow-files-from DIR`` on every command that reads a draft file's files."""
    p.add_argument(
        "--allow-files-from",
        action="append",
        metavar="DIR",
        help="also read attachment files from this folder (repeatable); by default a "
        "draft file's attachments must be inside the draft file's own folder",
    )


def _vault_exists() -> bool:
    from ombuds_desktop.vault import Vault, default_data_dir

    return Vault.exists(default_data_dir())


def _passwords(items: list[str] | None) -> dict[str, str]:
    out = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise CliError("--password takes ATTACHMENT_ID=PASSWORD")
        out[key] = value
    return out


def _options(draft: Draft, args: argparse.Namespace) -> PacketOptions:
    overrides: dict[str, Any] = {}
    if getattr(args, "date", None):
        overrides["build_date"] = date_option(args.date, "--date")
    if getattr(args, "allow_draft", False):
        overrides["allow_draft"] = True
    if getattr(args, "labels", None):
        overrides["label_style"] = args.labels
    if getattr(args, "no_tabs", False):
        overrides["tab_pages"] = False
    if getattr(args, "bates", None) is not None:
        overrides["bates_prefix"] = args.bates
    for name in ("email_budget", "upload_budget"):
        value = getattr(args, name, None)
        if value is not None:
            overrides[name] = int(value * MB)  # decimal MB, as everywhere in the budgets
    if getattr(args, "max_dpi", None) is not None:
        overrides["color_dpi"] = args.max_dpi
    if getattr(args, "skip", None):
        overrides["skip"] = frozenset(args.skip)
    if getattr(args, "password", None):
        overrides["passwords"] = _passwords(args.password)
    if getattr(args, "allow_files_from", None):
        overrides["allow_files_from"] = allowed_folders(args)
    try:
        options = PacketOptions.from_draft(draft.options, **overrides)
        # A typo in --skip/--password is a wrong argument: said before anything else is asked.
        options.check_attachment_ids(a.id for a in draft.attachments)
    except (ValueError, UnknownAttachmentIds) as exc:
        raise CliError(str(exc)) from None
    return options


def _explain(exc: Exception) -> CliError:
    if isinstance(exc, NotReadyError):
        first = exc.findings[0].message if exc.findings else ""
        return CliError(
            f"{len(exc.findings)} validation error(s) remain (first: {first}); fix "
            "them (see 'ombuds-desktop validate'), or add --allow-draft to build a "
            'draft watermarked "DRAFT - NOT READY TO FILE"',
            EXIT_FINDINGS,
        )
    if isinstance(exc, EvidenceProblems):
        parts = []
        for p in exc.problems:
            hint = ""
            if p.attachment_id:
                hint = (
                    f" [give the password with --password {p.attachment_id}=...]"
                    if p.kind == "password"
                    else f" [leave it out with --skip {p.attachment_id}]"
                )
            parts.append(f"{p}{hint}")
        return CliError(f"cannot use {len(parts)} supporting document(s): " + "; ".join(parts))
    if isinstance(exc, FontMissingError):
        return CliError(str(exc))
    return CliError(str(exc))


def _notes(notes: list[str]) -> None:
    for note in notes:
        sys.stderr.write(f"note: {note}\n")


def _size(n: int) -> str:
    return megabytes(n)


def _write(path: Path, data: bytes) -> None:
    try:
        write_atomic(path, data)
    except OSError as exc:
        raise CliError(f"cannot write {path}: {exc.strerror}") from None


# -- commands ----------------------------------------------------------------------------


def _apply_acknowledgements(
    args: argparse.Namespace, draft: Draft, findings: list[Finding]
) -> list[Finding]:
    """Apply ``--acknowledge`` to the draft (in memory); each one is printed on stderr."""
    choices = list(getattr(args, "acknowledge", None) or [])
    if not choices:
        return []
    try:
        chosen = acknowledge(draft, findings, choices)
    except ValueError as exc:
        raise CliError(f"--acknowledge: {exc}") from None
    for f in chosen:
        sys.stderr.write(f"acknowledged: {f.code} [{f.field or f.section}] {f.message}\n")
    return chosen


def _unacknowledged_refusal(
    draft: Draft, findings: list[Finding], options: PacketOptions
) -> CliError | None:
    """A final packet needs every warning acknowledged; the open ones are printed first.

    So ``--acknowledge all`` is only ever given after the warnings were shown.
    """
    if has_errors(findings) or options.allow_draft:
        return None  # errors: NotReadyError says so; a watermarked draft needs no acks
    open_warnings = unacknowledged_warnings(findings, draft)
    if not open_warnings:
        return None
    for f in open_warnings:
        sys.stderr.write(f"warning: {f.code} [{f.field or f.section}] {f.message}\n")
    return CliError(
        f"{len(open_warnings)} warning(s) above are not acknowledged; read them, then add "
        "--acknowledge CODE for each (or --acknowledge all), or --allow-draft for a "
        "watermarked draft",
        EXIT_FINDINGS,
    )


def _record_acknowledgements(args: argparse.Namespace, draft: Draft) -> None:
    """Keep the acknowledgements in the draft: the vault draft, or the draft file."""
    arg = args.draft
    if arg == "-":
        sys.stderr.write(
            "note: the draft came from standard input; acknowledgements are "
            "recorded in the manifest only\n"
        )
        return
    if _looks_like_id(arg) and (os.environ.get("OMBUDS_DATA_DIR") or _vault_exists()):
        from ombuds_desktop.cli.vault_commands import vault_cli_error, vault_session
        from ombuds_desktop.vault import VaultError

        with vault_session(args) as vault:
            try:
                stored = vault.load_draft(arg)
                stored.acknowledged = list(draft.acknowledged)
                vault.save_draft(stored)
            except VaultError as exc:
                raise vault_cli_error(exc) from None
        return
    from ombuds_desktop.draft import dumps

    _write(Path(arg), dumps(draft).encode("utf-8"))


def _validate(
    draft: Draft,
    definition: FormDefinition,
    options: PacketOptions,
    base_dir: Path | None,
    related: list[Draft],
) -> list[Finding]:
    """The findings every build command checks: same date, family and allowed folders,
    and what the official form the packet fills (if any) cannot show."""
    from ombuds_desktop.official.target import packet_target

    return validate_draft(
        draft,
        definition,
        today=options.today(),
        base_dir=base_dir,
        related=related,
        allow_files_from=options.allow_files_from,
        official=packet_target(definition, options.official_dir),
    )


def cmd_packet(args: argparse.Namespace) -> int:
    with _draft_source(args.draft, args) as (draft, base_dir, read_bytes, related):
        definition = definition_for(draft.form)
        options = _options(draft, args)
        findings = _validate(draft, definition, options, base_dir, related)
        chosen = _apply_acknowledgements(args, draft, findings)
        refusal = _unacknowledged_refusal(draft, findings, options)
        result = None
        try:
            if refusal is None:
                result = build_packet(
                    draft,
                    base_dir,
                    definition,
                    options,
                    read_bytes=read_bytes,
                    related=related,
                    findings=findings,
                )
        except PacketError as exc:
            raise _explain(exc) from None
    if chosen:
        _record_acknowledgements(args, draft)
    if result is None:
        raise refusal or CliError("no packet was built")
    out = Path(args.out)
    _write(out, result.pdf)
    if not args.no_manifest:
        _write(out.with_name(out.stem + ".manifest.json"), result.manifest_json().encode("utf-8"))
    _notes(result.notes)
    state = " (DRAFT - NOT READY TO FILE)" if result.watermarked else ""
    sys.stdout.write(
        f"wrote {out} ({result.pages} pages, {_size(len(result.pdf))}){state}\n"
        f"sha256 {result.sha256}\n"
    )
    return EXIT_OK


def cmd_signature_page(args: argparse.Namespace) -> int:
    with _draft_source(args.draft, args) as (draft, base_dir, _, related):
        definition = definition_for(draft.form)
        options = _options(draft, args)
        findings = _validate(draft, definition, options, base_dir, related)
        data = signature_page_pdf(draft, definition, options, findings)
        errors = [f for f in findings if f.severity == "error"]
    out = Path(args.out)
    _write(out, data)
    if not facts.wet_ink_required(draft):
        sys.stderr.write(
            "note: this client's category does not require a wet-ink signature; "
            "the page was printed on request.\n"
        )
    if errors:
        sys.stderr.write(
            f"note: {len(errors)} validation error(s) remain, so the page is marked "
            f"{DRAFT_MARK!r}; fix them, then print a new signature page for the client.\n"
        )
    sys.stdout.write(f"wrote {out}\n")
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    with _draft_source(args.draft, args) as (draft, base_dir, read_bytes, related):
        definition = definition_for(draft.form)
        options = _options(draft, args)
        findings = _validate(draft, definition, options, base_dir, related)
        chosen = _apply_acknowledgements(args, draft, findings)
        refusal = _unacknowledged_refusal(draft, findings, options)
        if refusal is not None:
            if chosen:
                _record_acknowledgements(args, draft)
            raise refusal
        try:
            if args.upload_dir:
                up = export_upload_folder(
                    draft,
                    Path(args.upload_dir),
                    base_dir,
                    definition,
                    options,
                    read_bytes=read_bytes,
                    findings=findings,
                )
                _notes(up.notes)
                sys.stdout.write(
                    f"wrote {len(up.files)} upload file(s) and {up.copy_sheet.name} "
                    f"to {up.folder}\n"
                )
            elif args.eml:
                em = export_eml(
                    draft,
                    Path(args.eml),
                    base_dir,
                    definition,
                    options,
                    read_bytes=read_bytes,
                    findings=findings,
                )
                _notes((em.packet.notes if em.packet else []) + em.notes)
                for path, size in zip(em.paths, em.sizes, strict=True):
                    sys.stdout.write(f"wrote {path} ({_size(size)})\n")
            else:
                mail = export_mail(
                    draft,
                    Path(args.mail),
                    base_dir,
                    definition,
                    options,
                    read_bytes=read_bytes,
                    findings=findings,
                )
                _notes(mail.notes)
                sys.stdout.write(f"wrote {mail.path} ({mail.pages} pages)\n")
        except PacketError as exc:
            raise _explain(exc) from None
        except OSError as exc:
            raise CliError(f"cannot write the export: {exc.strerror or exc}") from None
    if chosen:
        _record_acknowledgements(args, draft)
    return EXIT_OK


def cmd_family_email(args: argparse.Namespace) -> int:
    drafts = [read_draft_arg(a)[0] for a in args.drafts]
    groups = {d.family_group for d in drafts}
    if len(groups) != 1 or None in groups:
        raise CliError("the drafts must all belong to the same family group (family_group)")
    options = _options(drafts[0], args)
    notes = export_family_eml(drafts, Path(args.out), definition_for(drafts[0].form), options)
    _notes(notes)
    sys.stdout.write(f"wrote {args.out}\n")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from ombuds_desktop.samples import sample_names, write_sample

    out = Path(args.out)
    built = date_option(args.date, "--date")
    families: dict[str, list[Draft]] = {}
    for name in sample_names():
        folder = out / name
        path = write_sample(name, folder / "draft")
        draft, base_dir = read_draft_arg(str(path))
        definition = definition_for(draft.form)
        overrides: dict[str, Any] = {"allow_draft": True}
        if built:
            overrides["build_date"] = built
        options = PacketOptions.from_draft(draft.options, **overrides)
        try:
            packet = build_packet(draft, base_dir, definition, options)
            _write(folder / "packet.pdf", packet.pdf)
            _write(folder / "packet.manifest.json", packet.manifest_json().encode("utf-8"))
            if facts.wet_ink_required(draft):
                _write(
                    folder / "signature-page.pdf",
                    signature_page_pdf(draft, definition, options, packet.findings),
                )
            export_upload_folder(
                draft, folder / "upload", base_dir, definition, options, findings=packet.findings
            )
            em = export_eml(
                draft, folder / "email.eml", base_dir, definition, options, packet=packet
            )
            export_mail(draft, folder / "mail.pdf", base_dir, definition, options, packet=packet)
        except PacketError as exc:
            raise CliError(f"sample {name}: {_explain(exc)}") from None
        if draft.family_group:
            families.setdefault(draft.family_group, []).append(draft)
        state = "DRAFT (validation errors remain)" if packet.watermarked else "ready to file"
        sys.stdout.write(
            f"{name}: packet.pdf {packet.pages} pages, {state}; {len(em.paths)} e-mail file(s)\n"
        )
    for group, members in sorted(families.items()):
        if len(members) > 1:
            target = out / f"family-{group.replace('-', '')[:8]}-email.eml"
            export_family_eml(members, target, options=PacketOptions(build_date=built))
            sys.stdout.write(f"{target.name}: links {len(members)} related requests\n")
    sys.stdout.write(f"demo written to {out}\n")
    return EXIT_OK


# -- registration ----------------------------------------------------------------------------


def _common(p: argparse.ArgumentParser, *, build: bool = True) -> None:
    p.add_argument(
        "--date",
        metavar="YYYY-MM-DD",
        help="build date printed on the pages (fixed for reproducible output)",
    )
    p.add_argument(
        "--passphrase-file", metavar="FILE", help="vault passphrase, when DRAFT is a vault draft id"
    )
    add_allow_files_from(p)
    if not build:
        return
    p.add_argument(
        "--acknowledge",
        action="append",
        metavar="CODE",
        help="acknowledge a warning (its code, e.g. R2-too-soon), repeatable; 'all' "
        "acknowledges every warning printed; recorded in the draft and the manifest",
    )
    p.add_argument(
        "--allow-draft",
        action="store_true",
        help="build even with validation errors; every page is watermarked "
        "DRAFT - NOT READY TO FILE",
    )
    p.add_argument(
        "--labels",
        choices=("letters", "numbers"),
        help="exhibit labels A, B, … (default) or 1, 2, …",
    )
    p.add_argument("--no-tabs", action="store_true", help="no tab page before each exhibit")
    p.add_argument(
        "--bates", metavar="PREFIX", help='Bates numbers (PREFIX000001) instead of "Page n of N"'
    )
    p.add_argument(
        "--max-dpi",
        type=int,
        metavar="DPI",
        help="maximum resolution of colour images (default 200)",
    )
    p.add_argument(
        "--skip",
        action="append",
        metavar="ATTACHMENT_ID",
        help="leave this supporting document out (repeatable)",
    )
    p.add_argument(
        "--password",
        action="append",
        metavar="ID=PASSWORD",
        help="password of a protected PDF (repeatable)",
    )


def register(subparsers: Any) -> None:
    # pypdf reports every repair of a damaged evidence file as a warning on stderr; the
    # commands report what matters to the user themselves ("note: ... was repaired").
    p = subparsers.add_parser("packet", help="build the filing packet PDF")
    p.add_argument("draft", help="draft JSON file, - for stdin, or a vault draft id")
    p.add_argument("--out", required=True, metavar="PACKET.pdf")
    p.add_argument(
        "--no-manifest",
        action="store_true",
        help="do not write PACKET.manifest.json (SHA-256 of inputs and output)",
    )
    p.add_argument(
        "--family",
        nargs="+",
        metavar="FILE",
        help="the draft files of the other family members (family rules R23-R25); "
        "a vault draft's family is read from the vault",
    )
    _common(p)
    p.set_defaults(handler=cmd_packet)

    p = subparsers.add_parser(
        "signature-page", help="print the wet-ink Section 9 signature page on its own"
    )
    p.add_argument("draft")
    p.add_argument("--out", required=True, metavar="SIG.pdf")
    _common(p, build=False)
    p.set_defaults(handler=cmd_signature_page)

    p = subparsers.add_parser("export", help="online-upload folder, e-mail draft or mail PDF")
    p.add_argument("draft")
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("--upload-dir", metavar="DIR")
    target.add_argument("--eml", metavar="FILE")
    target.add_argument("--mail", metavar="FILE")
    p.add_argument(
        "--email-budget", type=float, metavar="MB", help="largest e-mail message (default 10 MB)"
    )
    p.add_argument(
        "--upload-budget", type=float, metavar="MB", help="largest upload file (default 10 MB)"
    )
    _common(p)
    p.set_defaults(handler=cmd_export)

    p = subparsers.add_parser(
        "family-email", help="e-mail that links the related requests of a family"
    )
    p.add_argument("drafts", nargs="+", metavar="DRAFT")
    p.add_argument("--out", required=True, metavar="FILE.eml")
    p.add_argument("--date", metavar="YYYY-MM-DD")
    p.set_defaults(handler=cmd_family_email)

    p = subparsers.add_parser("demo", help="packets and exports of every built-in sample")
    p.add_argument("--out", required=True, metavar="DIR")
    p.add_argument("--date", metavar="YYYY-MM-DD")
    p.set_defaults(handler=cmd_demo)


__all__ = ["EXIT_INPUT", "register"]
