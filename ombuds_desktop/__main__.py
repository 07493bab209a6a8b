"""``python -m ombuds_desktop`` runs the same entry point as ``ombuds-desktop``."""

import sys

from ombuds_desktop.cli.main import main

sys.exit(main())
