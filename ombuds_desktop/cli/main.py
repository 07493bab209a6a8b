"""``ombuds-desktop``: the command line, and the entry point of the app.

Each group of commands lives in its own module with a ``register(subparsers)``
function; this module wires them together and turns every expected failure
into a one-line message and an exit code: 0 fine, 1 validation errors (or a
packet refused because of them), 2 bad input or usage, 3 a vault problem
(key missing, keyring locked, damaged data, disk full or read-only, busy).
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence

from ombuds_desktop import __version__
from ombuds_desktop.cli.common import EXIT_INPUT, CliError

#: Modules that add sub-commands.  A module that is missing (not yet built)
#: is skipped, so the CLI never breaks because one part is absent.
COMMAND_MODULES = (
    "ombuds_desktop.cli.form_commands",
    "ombuds_desktop.cli.vault_commands",
    "ombuds_desktop.cli.packet_commands",
    "ombuds_desktop.cli.gui_commands",
    "ombuds_desktop.cli.edition_commands",
)


class _Parser(argparse.ArgumentParser):
    """argparse that exits 2 with one line, never a usage dump on stdout."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise CliError(f"{self.prog}: {message} (see --help)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="ombuds-desktop",
        description="Prepare DHS Form 7001 (CIS Ombudsman Request for Case Assistance) offline.",
    )
    parser.add_argument("--version", action="version", version=f"ombuds-desktop {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        default=None,
        help="where the encrypted vault lives (default: the user data folder; "
        "also OMBUDS_DATA_DIR)",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        module.register(subparsers)
    return parser


def _has_command(parser: argparse.ArgumentParser, name: str) -> bool:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return name in action.choices
    return False


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # pypdf logs every repair of a damaged evidence PDF; the packet reports what matters.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.data_dir:
            os.environ["OMBUDS_DATA_DIR"] = args.data_dir
        if args.command is None:  # no arguments: open the app when the GUI is installed
            args = parser.parse_args([*argv, "gui"]) if _has_command(parser, "gui") else args
        handler = getattr(args, "handler", None)
        if handler is None:
            parser.print_help()
            return 0
        return int(handler(args) or 0)
    except CliError as exc:
        sys.stderr.write(f"ombuds-desktop: {exc}\n")
        return exc.code
    except KeyboardInterrupt:
        sys.stderr.write("ombuds-desktop: interrupted\n")
        return 130
    except BrokenPipeError:
        return 0
    except MemoryError:
        sys.stderr.write("ombuds-desktop: out of memory while reading the input\n")
        return EXIT_INPUT


if __name__ == "__main__":
    sys.exit(main())
