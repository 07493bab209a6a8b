"""``ombuds-desktop gui``: open the desktop app; ``--smoke`` runs a self-check and exits."""

from __future__ import annotations

import argparse
import os
import sys

from ombuds_desktop.cli.common import CliError


def cmd_gui(args: argparse.Namespace) -> int:
    if args.smoke and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        from ombuds_desktop.ui import app
    except ImportError as exc:  # e.g. missing libEGL on a bare machine
        raise CliError(
            f"the desktop app cannot start: {exc}. On Debian/Ubuntu install "
            "libegl1 libgl1 libxkbcommon0 libfontconfig1 (see the README)."
        ) from None
    if args.smoke:
        from ombuds_desktop.ui.smoke import run_smoke

        return run_smoke(verbose=args.verbose)
    return app.run_app(os.environ.get("OMBUDS_DATA_DIR"))


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("gui", help="open the desktop app (the default with no command)")
    p.add_argument(
        "--smoke",
        action="store_true",
        help="self-check: open the main window and a sample draft, visit every "
        "section, build its packet, exit 0 on success",
    )
    p.add_argument("--verbose", action="store_true", help=argparse.SUPPRESS)
    p.set_defaults(handler=cmd_gui)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(cmd_gui(argparse.Namespace(smoke=True, verbose=True)))
