"""``ombuds-desktop gui --smoke``: prove the app works on this machine, then exit.

Creates a throwaway passphrase-protected vault in a temporary folder (no
keyring needed), imports the made-up ``vawa-self`` sample, opens the drafts
window and the draft, visits every section, builds the packet in the
background, checks it is a PDF, and cleans up.  Exit 0 on success.
"""

from __future__ import annotations

import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path


def run_smoke(verbose: bool = False) -> int:
    from PySide6.QtCore import QCoreApplication, QSettings

    from ombuds_desktop.draft import read_draft_file
    from ombuds_desktop.samples import write_sample
    from ombuds_desktop.ui.app import AppState, Settings, describe_for_list, make_application
    from ombuds_desktop.ui.home import HomeWindow
    from ombuds_desktop.validation.status import prepare_import
    from ombuds_desktop.vault import Vault

    def say(message: str) -> None:
        if verbose:
            print(f"smoke: {message}", file=sys.stderr)

    started = time.perf_counter()
    app = make_application()
    work = Path(tempfile.mkdtemp(prefix="ombuds-smoke-"))
    failures: list[str] = []
    try:
        settings = Settings(QSettings(str(work / "settings.ini"), QSettings.Format.IniFormat))
        state = AppState(work / "vault", settings)
        state.vault, _code = Vault.create(
            state.data_dir, passphrase=secrets.token_urlsafe(24), describe=describe_for_list
        )
        sample = write_sample("vawa-self", work / "sample")
        draft = state.vault.import_draft(prepare_import(read_draft_file(sample)), sample.parent)
        say("vault created and sample imported")
        home = HomeWindow(state)
        state.home = home
        home.show()
        app.processEvents()
        if home.model.rowCount() != 1:
            failures.append("the drafts window does not list the sample")
        window = home.open_draft(draft.id)
        if window is None:
            raise RuntimeError("the sample draft did not open")
        for row in range(len(window.pages)):
            window.nav.setCurrentRow(row)
            app.processEvents()
        say(f"visited {len(window.pages)} pages")
        from ombuds_desktop.validation import acknowledge

        # The sample's warnings are known; a final packet needs each one acknowledged
        # (on Review in real use), and a smoke run has nobody to click the question.
        acknowledge(window.draft, window.findings, ["all"])
        results: list[object] = []
        operation = window.build_packet()
        deadline = time.monotonic() + 120
        while not results and operation is not None and time.monotonic() < deadline:
            if window.last_packet is not None:
                results.append(window.last_packet)
            app.processEvents()
            time.sleep(0.01)
        packet = window.last_packet
        if packet is None:
            failures.append("the packet was not built within 2 minutes")
        elif not packet.pdf.startswith(b"%PDF") or packet.pages < 5:
            failures.append("the packet is not a complete PDF")
        else:
            say(f"packet built: {packet.pages} pages")
        if window.preview is not None:
            window.preview.close()
        window.close()
        home.close()
        state.vault.close()
        QCoreApplication.processEvents()
    except Exception as exc:  # reported as a failed check, never a traceback
        failures.append(f"{type(exc).__name__}: {exc}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if failures:
        for failure in failures:
            print(f"smoke: FAILED: {failure}", file=sys.stderr)
        return 1
    print(f"smoke: OK ({time.perf_counter() - started:.1f} s)")
    return 0
