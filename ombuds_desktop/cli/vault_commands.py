"""``ombuds-desktop vault ...`` and ``ombuds-desktop drafts ...``: the vault from the command line.

Exit codes: 0 done, 2 bad input (unknown id, unreadable file, wrong passphrase
or recovery code), 3 a vault problem the user must act on (key not in the
keyring, keyring locked, damaged data, disk full or read-only, vault busy).

Passphrases are never taken as arguments (they would end up in the shell
history and the process list): ``--passphrase-file FILE`` (or
``$OMBUDS_PASSPHRASE_FILE``), or a prompt when a terminal is attached.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ombuds_desktop.cli.common import EXIT_INPUT, CliError, print_json, read_draft_arg
from ombuds_desktop.draft import dumps
from ombuds_desktop.vault import (
    ArchiveError,
    AttachmentRefusedError,
    DiskFullError,
    InvalidDraftError,
    KeyringUnavailableError,
    NotFoundError,
    PassphraseRequiredError,
    ReadOnlyError,
    RecoveryCodeError,
    StorageError,
    Vault,
    VaultBusyError,
    VaultError,
    VaultExistsError,
    VaultNotFoundError,
    WrongPassphraseError,
)
from ombuds_desktop.vault import archive as archive_mod
from ombuds_desktop.vault import paths as vault_paths

EXIT_VAULT = 3
ENV_PASSPHRASE_FILE = "OMBUDS_PASSPHRASE_FILE"
_INPUT_ERRORS = (
    NotFoundError,
    AttachmentRefusedError,
    InvalidDraftError,
    WrongPassphraseError,
    RecoveryCodeError,
    ArchiveError,
    PassphraseRequiredError,
    VaultNotFoundError,
    VaultExistsError,
)


def vault_cli_error(exc: VaultError) -> CliError:
    return CliError(str(exc), EXIT_INPUT if isinstance(exc, _INPUT_ERRORS) else EXIT_VAULT)


def _data_dir() -> Path:
    return vault_paths.default_data_dir()


def _read_secret_file(path: str, what: str) -> str:
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise CliError(f"{what} file {path}: no such file") from None
    except OSError as exc:
        raise CliError(f"{what} file {path}: cannot be read ({exc.strerror})") from None
    if len(data) > 4096:
        raise CliError(f"{what} file {path} is {len(data)} bytes; expected one line")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CliError(f"{what} file {path} is not UTF-8 text") from None
    if text.endswith("\n"):
        text = text[:-1]
    if text.endswith("\r"):
        text = text[:-1]
    if not text:
        raise CliError(f"{what} file {path} is empty")
    return text


def _passphrase_arg(args: argparse.Namespace) -> str | None:
    path = getattr(args, "passphrase_file", None) or os.environ.get(ENV_PASSPHRASE_FILE)
    return _read_secret_file(path, "passphrase") if path else None


def _prompt(prompt: str, *, confirm: bool = False) -> str | None:
    if not sys.stdin.isatty():
        return None
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass("Type it again: ") != first:
        raise CliError("the two passphrases differ; nothing was changed")
    return first


RESCUE_ERRORS = (DiskFullError, ReadOnlyError, VaultBusyError, StorageError)


def open_vault(args: argparse.Namespace, *, read_only: bool = False, rescue: bool = False) -> Vault:
    """Unlock the vault for one command.

    ``read_only``: list, show, revisions, check and packet open the vault in
    the rescue mode straight away (nothing written, never waits for a writer).
    ``rescue``: a command that normally writes (export records an audit entry)
    falls back to read-only when the disk is full or read-only or another
    process holds the write lock, and says so on stderr.
    """
    # what the list shows (status, client, forms, receipts) is the rules', not storage's
    from ombuds_desktop.validation.status import describe_draft

    passphrase = _passphrase_arg(args)

    def attempt(pp: str | None) -> Vault:
        if read_only:
            return Vault.open(_data_dir(), passphrase=pp, read_only=True, describe=describe_draft)
        if not rescue:
            return Vault.open(_data_dir(), passphrase=pp, describe=describe_draft)
        try:
            return Vault.open(
                _data_dir(), passphrase=pp, busy_timeout_ms=2000, describe=describe_draft
            )
        except RESCUE_ERRORS as exc:
            vault = Vault.open(_data_dir(), passphrase=pp, read_only=True, describe=describe_draft)
            sys.stderr.write(
                f"ombuds-desktop: note: opened the vault read-only ({str(exc).split(':')[0]}"
                "); nothing is written, so this export is not recorded in the audit log.\n"
            )
            return vault

    try:
        return attempt(passphrase)
    except PassphraseRequiredError as exc:
        typed = _prompt("Vault passphrase: ")
        if typed is None:
            raise vault_cli_error(exc) from None
        try:
            return attempt(typed)
        except VaultError as exc2:
            raise vault_cli_error(exc2) from None
    except VaultError as exc:
        raise vault_cli_error(exc) from None


@contextlib.contextmanager
def vault_session(
    args: argparse.Namespace, *, read_only: bool = False, rescue: bool = False
) -> Iterator[Vault]:
    """The vault for one command: its errors become one-line CLI errors; always closed."""
    vault = open_vault(args, read_only=read_only, rescue=rescue)
    for problem in vault.freshness_problems:
        sys.stderr.write(f"ombuds-desktop: WARNING: {problem}.\n")
    if vault.freshness_problems:
        sys.stderr.write(
            "ombuds-desktop: you can read and export, but changes are paused. If you restored "
            "a backup on purpose, run `ombuds-desktop vault accept-state`; otherwise look for "
            "the newer copy of the data folder.\n"
        )
    try:
        yield vault
    except VaultError as exc:
        raise vault_cli_error(exc) from None
    finally:
        vault.close()


def _print_recovery_code(code: str) -> None:
    sys.stdout.write(
        "\nRECOVERY CODE (shown only this once):\n\n"
        f"    {code}\n\n"
        "Print it or write it down and keep it away from this computer (a safe, the firm's\n"
        "password manager). It opens the vault on a new computer or if the key in the\n"
        "system keyring is lost: ombuds-desktop vault recover --recovery-code-file FILE\n"
    )


# --------------------------------------------------------------------------- vault


def cmd_init(args: argparse.Namespace) -> int:
    passphrase = _passphrase_arg(args)
    try:
        try:
            vault, code = Vault.create(_data_dir(), passphrase=passphrase)
        except KeyringUnavailableError as exc:
            if sys.stdin.isatty():
                sys.stderr.write(f"ombuds-desktop: {exc}\n")
            typed = _prompt("New vault passphrase: ", confirm=True)
            if typed is None:
                raise CliError(f"{exc}", EXIT_INPUT) from None
            vault, code = Vault.create(_data_dir(), passphrase=typed)
    except VaultError as exc:
        raise vault_cli_error(exc) from None
    protection = "the system keyring" if vault.protection == "keyring" else "your passphrase"
    leftovers = vault.check_files().unknown_files
    vault.close()
    sys.stdout.write(
        f"Created the vault in {vault.data_dir}; its key is protected by {protection}.\n"
    )
    if leftovers:
        sys.stdout.write(
            f"Note: {len(leftovers)} encrypted document file(s) of an earlier vault are in "
            f"{vault_paths.blob_root(vault.data_dir)}. They were left in place: restore that "
            "vault's vault.sqlite3 to read them again (`ombuds-desktop vault check` lists them).\n"
        )
    if args.recovery_code_out:
        out = Path(args.recovery_code_out)
        try:
            with os.fdopen(vault_paths.create_private_file(out), "w") as fh:
                fh.write(code + "\n")
        except OSError as exc:
            sys.stderr.write(
                f"ombuds-desktop: could not write {out} ({exc.strerror}); "
                "the code is printed below instead\n"
            )
        else:
            sys.stdout.write(
                f"The recovery code was written to {out} (mode 0600). Print it, "
                "store it safely, then delete that file.\n"
            )
            return 0
    _print_recovery_code(code)
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    try:
        info = Vault.info(_data_dir())
    except VaultError as exc:
        raise vault_cli_error(exc) from None
    if args.json:
        print_json(info.to_json())
        return 0
    if not info.exists:
        sys.stdout.write(
            f"No vault in {info.data_dir}. Create one with `ombuds-desktop vault init`.\n"
        )
        return 0
    protection = {"keyring": "system keyring", "passphrase": "passphrase"}.get(
        info.protection or "", "none (use the recovery code)"
    )
    lines = [
        f"Vault folder:    {info.data_dir}",
        f"Vault id:        {info.vault_id}",
        f"Created:         {info.created}",
        f"Key protection:  {protection}" + (f" ({info.keyring_note})" if info.keyring_note else ""),
        f"Recovery code:   {'set' if info.recovery_code_set else 'NOT SET'}",
        f"Keyring backend: {info.keyring_backend or 'none usable'}",
        f"Drafts:          {info.drafts} (+{info.in_trash} in the trash)",
        f"Attachments:     {info.attachments} ({info.attachment_bytes / 1048576:.1f} MB encrypted)",
        f"Profiles:        {info.profiles}",
        f"Database:        {info.database_bytes / 1048576:.1f} MB, schema {info.schema_version}",
    ]
    if info.unknown_files:
        lines.append(
            f"Unknown files:   {info.unknown_files} in blobs/ that this database does not "
            "know (left in place; see `ombuds-desktop vault check`)"
        )
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


def cmd_recover(args: argparse.Namespace) -> int:
    code = _read_secret_file(args.recovery_code_file, "recovery code")
    new_pp = None
    if args.new_passphrase_file:
        new_pp = _read_secret_file(args.new_passphrase_file, "new passphrase")
    elif args.passphrase_file or os.environ.get(ENV_PASSPHRASE_FILE):
        new_pp = _passphrase_arg(args)
    try:
        try:
            vault = Vault.recover(_data_dir(), code, new_passphrase=new_pp)
        except KeyringUnavailableError as exc:
            typed = _prompt("No usable keyring. New vault passphrase: ", confirm=True)
            if typed is None:
                raise CliError(f"{exc}", EXIT_VAULT) from None
            vault = Vault.recover(_data_dir(), code, new_passphrase=typed)
    except VaultError as exc:
        raise vault_cli_error(exc) from None
    protection = "the system keyring" if vault.protection == "keyring" else "your new passphrase"
    vault.close()
    sys.stdout.write(
        f"Recovered the vault in {vault.data_dir}; its key is now protected by "
        f"{protection}. The recovery code stays valid.\n"
    )
    return 0


def _progress_line(stage: str, done: int, total: int) -> None:
    if sys.stderr.isatty() or done == total:
        end = "\n" if done == total else "\r"
        sys.stderr.write(f"  {stage}: {done}/{total}{end}")


def cmd_rotate(args: argparse.Namespace) -> int:
    with vault_session(args) as vault:
        if args.resume:
            n = vault.continue_rotation(_progress_line)
            sys.stdout.write(f"Finished re-encrypting the documents ({n} file(s) this run).\n")
            return 0
        new_pp = (
            _read_secret_file(args.new_passphrase_file, "new passphrase")
            if args.new_passphrase_file
            else None
        )
        to = args.to or ("passphrase" if new_pp else None)
        if to == "passphrase" and new_pp is None:
            new_pp = _prompt("New vault passphrase: ", confirm=True)
        report = vault.rotate_key(
            new_passphrase=new_pp,
            to=to,
            reencrypt_documents=args.reencrypt_documents,
            progress=_progress_line,
        )
        protection = "system keyring" if vault.protection == "keyring" else "passphrase"
        sys.stdout.write(
            f"The vault has a new key ({protection}): {report.drafts} draft(s) were given new "
            "keys and every record was re-encrypted"
            + (f", and {report.documents} document file(s)" if args.reencrypt_documents else "")
            + ". The old passphrase, keyring entry and recovery code no longer open what is "
            "saved from now on. Backups made before now still open with the old ones.\n"
        )
        if not args.reencrypt_documents:
            sys.stdout.write(
                "Document files keep their keys; if the passphrase leaked, run again with "
                "--reencrypt-documents.\n"
            )
        if report.audit_problem:
            sys.stderr.write(
                f"ombuds-desktop: warning: the audit log had failed its check before the "
                f"rotation ({report.audit_problem}).\n"
            )
        _print_recovery_code(report.recovery_code)
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    with vault_session(args, read_only=True) as vault:
        check = vault.verify_audit()
        entries = vault.audit_log(args.limit)
    if args.json:
        print_json(
            {
                "ok": check.ok,
                "problem": check.problem,
                "entries": [
                    {"seq": e.seq, "ts": e.ts, "event": e.event, "draft_id": e.draft_id}
                    for e in entries
                ],
            }
        )
    else:
        for e in entries:
            sys.stdout.write(f"{e.seq:>6}  {e.ts}  {e.event:<16} {e.draft_id or ''}\n")
        sys.stdout.write(
            f"audit log: {'intact' if check.ok else 'TAMPERED: ' + str(check.problem)}"
            f" ({check.entries} entries)\n"
        )
    return 0 if check.ok else EXIT_VAULT


def cmd_check(args: argparse.Namespace) -> int:
    """Everything the vault can check about itself, in words; changes nothing."""
    with vault_session(args, read_only=True) as vault:
        integrity = vault.integrity_check()
        files = vault.check_files()
        audit_check = vault.verify_audit()
        fresh = list(vault.freshness_problems)
    if args.json:
        print_json(
            {
                "database": integrity,
                "files": files.to_json(),
                "audit": {"ok": audit_check.ok, "problem": audit_check.problem},
                "freshness": fresh,
            }
        )
    else:
        out = [f"Database file:  {integrity}"]
        verdict = "intact" if audit_check.ok else f"TAMPERED: {audit_check.problem}"
        out.append(f"Audit log:      {verdict}")
        out.append("Freshness:      " + ("as last seen on this computer" if not fresh else ""))
        out.extend(f"  - {p}" for p in fresh)
        out.append(
            f"Documents:      {len(files.missing)} missing, {len(files.unknown_files)} unknown "
            f"file(s) ({files.unknown_bytes / 1048576:.1f} MB), "
            f"{files.unsaved_drafts} never-saved draft(s)"
        )
        out.extend(f"  missing: attachment {b}" for b in files.missing)
        out.extend(f"  unknown (left in place): {f}" for f in files.unknown_files)
        if files.unknown_files:
            out.append(
                "  Unknown files may belong to another copy of the database (a backup, a "
                "database moved aside); they are never deleted automatically."
            )
        sys.stdout.write("\n".join(out) + "\n")
    healthy = integrity == "ok" and audit_check.ok and not fresh and not files.missing
    return 0 if healthy else EXIT_VAULT


def cmd_accept_state(args: argparse.Namespace) -> int:
    """After restoring a genuine backup: accept the vault as it is now."""
    with vault_session(args) as vault:
        if not vault.freshness_problems:
            sys.stdout.write("Nothing to accept: the vault is as this computer last saw it.\n")
            return 0
        if not args.yes:
            answer = None
            if sys.stdin.isatty():
                answer = input("Continue with this (older) state of the vault? [y/N] ")
            if (answer or "").strip().lower() not in ("y", "yes"):
                raise CliError(
                    "not accepted; nothing was changed (confirm with --yes, or answer y)"
                )
        vault.accept_current_state()
    sys.stdout.write(
        "Accepted: this state of the vault is now the one this computer expects; changes "
        "work again and the audit log records that you accepted it.\n"
    )
    return 0


# --------------------------------------------------------------------------- drafts


def cmd_list(args: argparse.Namespace) -> int:
    with vault_session(args, read_only=True) as vault:
        rows = (
            vault.search(args.search, trash=args.trash)
            if args.search
            else vault.list_drafts(trash=args.trash)
        )
    if args.json:
        print_json([s.to_json() for s in rows])
        return 0
    if not rows:
        sys.stdout.write("(no drafts)\n" if not args.trash else "(the trash is empty)\n")
        return 0
    table = [("ID", "CLIENT", "FORMS AND RECEIPTS", "STATUS", "FAMILY", "UPDATED")]
    for s in rows:
        table.append(
            (
                s.id,
                s.client or "(no name yet)",
                s.forms_and_receipts or "-",
                s.status,
                (s.family_group or "-")[:8],
                s.updated[:16].replace("T", " "),
            )
        )
    widths = [min(max(len(r[i]) for r in table), 40) for i in range(len(table[0]))]
    for row in table:
        sys.stdout.write(
            "  ".join(c[:w].ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() + "\n"
        )
    return 0


def cmd_correction_copy(args: argparse.Namespace) -> int:
    """The GUI's "Make a correction copy": a new editable draft; prints its id."""
    with vault_session(args) as vault:
        source = vault.load_draft(args.id)
        if source.status not in ("submitted", "resolved"):
            raise CliError(
                f"draft {args.id} has not been submitted; edit it directly (a correction "
                "copy is for a request already sent)"
            )
        twin = vault.correction_copy(args.id)
    sys.stdout.write(twin.id + "\n")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    with vault_session(args, read_only=True) as vault:
        draft = vault.load_draft(args.id, args.revision)
    sys.stdout.write(dumps(draft))
    return 0


def cmd_revisions(args: argparse.Namespace) -> int:
    with vault_session(args, read_only=True) as vault:
        revs = vault.revisions(args.id)
    if args.json:
        print_json([{"revision": r.revision, "saved_at": r.saved_at} for r in revs])
    else:
        for r in revs:
            sys.stdout.write(f"{r.revision:>5}  {r.saved_at}\n")
    return 0


def _archive_passphrase(args: argparse.Namespace, *, new: bool) -> str:
    """The archive's own passphrase; never silently the vault passphrase."""
    if args.archive_passphrase_file:
        return _read_secret_file(args.archive_passphrase_file, "archive passphrase")
    typed = _prompt("Archive passphrase (not the vault passphrase): ", confirm=new)
    if typed is None:
        raise CliError(
            "an archive needs its own passphrase: give it with --archive-passphrase-file "
            "FILE (the vault passphrase is not used for archives, so that whoever receives "
            "the archive cannot attack the vault passphrase)"
        )
    return typed


def cmd_import(args: argparse.Namespace) -> int:
    src = Path(args.file)
    is_archive = src.is_file() and archive_mod.is_archive(src)
    if is_archive:
        passphrase = _archive_passphrase(args, new=False)
    else:
        draft, base_dir = read_draft_arg(args.file)
    from ombuds_desktop.validation.status import prepare_import

    with vault_session(args) as vault:
        if is_archive:
            drafts = vault.import_archive(src, passphrase, again=args.again)
        else:
            drafts = [
                vault.import_draft(
                    prepare_import(draft), base_dir, allow_from=args.allow_files_from or ()
                )
            ]
    for d in drafts:
        sys.stdout.write(d.id + "\n")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if out.is_dir():
        raise CliError(f"--out {out} is a folder; give a file name")
    if args.family and not args.archive:
        raise CliError("--family needs --archive (a family is exported as one archive)")
    passphrase = _archive_passphrase(args, new=True) if args.archive else None
    with vault_session(args, rescue=True) as vault:
        if passphrase is not None:
            ids = vault.family_ids(args.id) if args.family else [args.id]
            vault.export_archive(ids, out, passphrase)
            sys.stdout.write(
                f"Wrote {len(ids)} draft(s) to {out} (encrypted with the archive passphrase).\n"
            )
        else:
            att_dir = f"{out.stem}-attachments"
            draft, _ = vault.materialize_draft(
                args.id, out.parent or Path("."), json_name=out.name, attachments_dir=att_dir
            )
            if not vault.read_only:
                vault.record_event("export", args.id)
            extra = (
                f" and {len(draft.attachments)} attachment(s) in {out.parent / att_dir}"
                if draft.attachments
                else ""
            )
            sys.stderr.write(
                f"ombuds-desktop: warning: {out}{extra} is NOT encrypted: it holds "
                "the client's data in plain text. Keep it off shared folders and "
                "delete it when done, or use --archive for a passphrase-protected "
                "file.\n"
            )
            sys.stdout.write(f"Wrote {out}\n")
    return 0


def _simple(action: str) -> Callable[[argparse.Namespace], int]:
    def handler(args: argparse.Namespace) -> int:
        with vault_session(args) as vault:
            if action == "delete":
                vault.delete_draft(args.id)
                sys.stdout.write(
                    f"Moved draft {args.id} to the trash "
                    f"(`ombuds-desktop drafts restore {args.id}` brings it back).\n"
                )
            elif action == "restore":
                vault.restore_draft(args.id)
                sys.stdout.write(f"Restored draft {args.id} from the trash.\n")
            elif action == "purge":
                report = vault.purge_draft(args.id)
                sys.stdout.write(
                    f"Purged draft {args.id}: its revisions, key and "
                    f"{report.attachments_removed} attachment(s) are gone from "
                    "the vault files. Backups made before now still hold it.\n"
                )
                if not report.wal_truncated:
                    sys.stderr.write(
                        "ombuds-desktop: note: another Ombuds Desktop window kept "
                        "the write-ahead log open; it is cleared when that window "
                        "closes the vault.\n"
                    )
            elif action == "restore-revision":
                rev = vault.restore_revision(args.id, args.revision)
                sys.stdout.write(
                    f"Revision {args.revision} of draft {args.id} is current "
                    f"again (saved as revision {rev}).\n"
                )
        return 0

    return handler


# --------------------------------------------------------------------------- wiring


def register(subparsers: Any) -> None:
    """Add the ``vault`` and ``drafts`` command groups to the main parser."""
    pp = argparse.ArgumentParser(add_help=False)
    pp.add_argument(
        "--passphrase-file",
        metavar="FILE",
        help="read the vault passphrase from FILE (also $OMBUDS_PASSPHRASE_FILE)",
    )

    vault = subparsers.add_parser(
        "vault",
        help="create, inspect and recover the encrypted vault",
        description="The encrypted vault that holds the drafts.",
    )
    vsub = vault.add_subparsers(dest="vault_command", metavar="ACTION", required=True)

    p = vsub.add_parser("init", parents=[pp], help="create the vault; prints the recovery code")
    p.add_argument(
        "--recovery-code-out",
        metavar="FILE",
        help="write the recovery code to FILE (0600) instead of printing it",
    )
    p.set_defaults(handler=cmd_init)

    p = vsub.add_parser(
        "status", help="where the vault is and how it is protected (no client data)"
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_status)

    p = vsub.add_parser(
        "recover", parents=[pp], help="open the vault with the recovery code and protect it again"
    )
    p.add_argument("--recovery-code-file", metavar="FILE", required=True)
    p.add_argument(
        "--new-passphrase-file",
        metavar="FILE",
        help="protect the key with this passphrase instead of the system keyring",
    )
    p.set_defaults(handler=cmd_recover)

    p = vsub.add_parser(
        "rotate-key",
        parents=[pp],
        help="replace the vault key and every draft key, re-encrypt every record; prints a "
        "new recovery code",
    )
    p.add_argument(
        "--to",
        choices=("keyring", "passphrase"),
        help="switch the protection (default: keep the current kind)",
    )
    p.add_argument("--new-passphrase-file", metavar="FILE", help="the new passphrase")
    p.add_argument(
        "--reencrypt-documents",
        action="store_true",
        help="also re-encrypt every document file (after a leaked passphrase); resumable",
    )
    p.add_argument(
        "--resume",
        action="store_true",
        help="finish an interrupted --reencrypt-documents run",
    )
    p.add_argument(
        "--new-recovery-code",
        action="store_true",
        help=argparse.SUPPRESS,  # a rotation always makes a new recovery code now
    )
    p.set_defaults(handler=cmd_rotate)

    p = vsub.add_parser(
        "check",
        parents=[pp],
        help="check the database, the audit log, freshness and the document files "
        "(changes nothing)",
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_check)

    p = vsub.add_parser(
        "accept-state",
        parents=[pp],
        help="after restoring a genuine backup: accept the vault's current state",
    )
    p.add_argument("--yes", action="store_true", help="confirm without asking")
    p.set_defaults(handler=cmd_accept_state)

    p = vsub.add_parser("audit", parents=[pp], help="show and verify the audit log")
    p.add_argument("--json", action="store_true")
    p.add_argument("--limit", type=int, default=None, metavar="N", help="only the last N entries")
    p.set_defaults(handler=cmd_audit)

    drafts = subparsers.add_parser(
        "drafts",
        help="list, show, import and export stored drafts",
        description="The drafts stored in the encrypted vault.",
    )
    dsub = drafts.add_subparsers(dest="drafts_command", metavar="ACTION", required=True)

    p = dsub.add_parser("list", parents=[pp], help="the drafts, with client and receipts")
    p.add_argument("--json", action="store_true")
    p.add_argument("--trash", action="store_true", help="list the trash instead")
    p.add_argument("--search", metavar="TEXT", help="only drafts matching every word of TEXT")
    p.set_defaults(handler=cmd_list)

    p = dsub.add_parser("show", parents=[pp], help="print a draft as interchange JSON")
    p.add_argument("id")
    p.add_argument("--revision", type=int, default=None, metavar="N")
    p.set_defaults(handler=cmd_show)

    p = dsub.add_parser(
        "correction-copy",
        parents=[pp],
        help="a new editable draft with the answers and documents of a submitted one; "
        "prints its id",
    )
    p.add_argument("id")
    p.set_defaults(handler=cmd_correction_copy)

    p = dsub.add_parser("revisions", parents=[pp], help="the kept revisions of a draft")
    p.add_argument("id")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_revisions)

    p = dsub.add_parser(
        "restore-revision", parents=[pp], help="make an older revision current again"
    )
    p.add_argument("id")
    p.add_argument("revision", type=int)
    p.set_defaults(handler=_simple("restore-revision"))

    ap = argparse.ArgumentParser(add_help=False)
    ap.add_argument(
        "--archive-passphrase-file",
        metavar="FILE",
        help="the archive's own passphrase (required for archives; never the vault passphrase)",
    )

    p = dsub.add_parser(
        "import",
        parents=[pp, ap],
        help="import an interchange JSON (with its attachment files) or an "
        "archive; prints the new id(s)",
    )
    p.add_argument("file")
    p.add_argument(
        "--again",
        action="store_true",
        help="import an archive this vault already imported once more (as new drafts)",
    )
    p.add_argument(
        "--allow-files-from",
        action="append",
        metavar="DIR",
        help="also read attachment files from DIR (by default only files inside the draft "
        "file's folder are read); repeat for several folders",
    )
    p.set_defaults(handler=cmd_import)

    p = dsub.add_parser(
        "export",
        parents=[pp, ap],
        help="export a draft as plain JSON (warns) or as an encrypted archive",
    )
    p.add_argument("id")
    p.add_argument("--out", metavar="FILE", required=True)
    p.add_argument(
        "--archive",
        action="store_true",
        help="a single passphrase-protected file with the attachments",
    )
    p.add_argument(
        "--family", action="store_true", help="with --archive: the whole family group of the draft"
    )
    p.set_defaults(handler=cmd_export)

    for name, helptext in (
        ("delete", "move a draft to the trash"),
        ("restore", "bring a draft back from the trash"),
        ("purge", "destroy a draft, its history and attachments for good"),
    ):
        p = dsub.add_parser(name, parents=[pp], help=helptext)
        p.add_argument("id")
        p.set_defaults(handler=_simple(name))
