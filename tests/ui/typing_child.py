"""A real app process that types steadily into a draft until it is killed.

Run as ``python typing_child.py DATA_DIR DRAFT_ID FIELD_ID INTERVAL_MS``; the vault
passphrase comes from ``OMBUDS_TEST_PASSPHRASE``.  It opens the draft's window,
focuses the field and types one character every INTERVAL_MS through QTest key
events, printing ``typed N`` after each key so the parent knows what was typed
when it sends SIGKILL.  It never stops on its own (the parent kills it).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from ombuds_desktop.formdef import load_edition  # noqa: E402
from ombuds_desktop.ui.app import describe_for_list  # noqa: E402
from ombuds_desktop.ui.draft_window import DraftWindow  # noqa: E402
from ombuds_desktop.vault import Vault  # noqa: E402

TEXT = "The receipt notice was mailed to an old address and never arrived. "


def main() -> int:
    data_dir, draft_id, field_id, interval = sys.argv[1:5]
    app = QApplication([])
    vault = Vault.open(
        Path(data_dir),
        passphrase=os.environ["OMBUDS_TEST_PASSPHRASE"],
        describe=describe_for_list,
    )
    definition = load_edition()
    window = DraftWindow(vault, vault.load_draft(draft_id), definition)
    window.show()
    section = definition.section_of(field_id)
    window.nav.setCurrentRow(window.page_ids.index(section))
    page = window.pages[window.page_ids.index(section)]
    row = next(r for r in page.rows if r.field.id == field_id)
    target = row.editor.text
    target.setFocus()
    target.moveCursor(target.textCursor().MoveOperation.End)
    typed = 0

    def key() -> None:
        nonlocal typed
        QTest.keyClicks(target, TEXT[typed % len(TEXT)])
        typed += 1
        sys.stdout.write(f"typed {typed}\n")
        sys.stdout.flush()

    timer = QTimer()
    timer.timeout.connect(key)
    timer.start(int(interval))
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
