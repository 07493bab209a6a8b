"""The GUI leaves no client data behind: not in temp files, caches, settings or the vault.

A made-up client with distinctive names goes through the wizard: autosave,
attachments with thumbnails, a packet build and its preview, the signature
page, lock and unlock.  Then every file under the temp, cache, settings and
data folders is scanned for the names, in several encodings.
"""

from __future__ import annotations

import json
import tempfile
import unicodedata
from pathlib import Path

from ombuds_desktop.ui import draft_window, preview
from ombuds_desktop.ui.app import AppState, Settings

from .conftest import PASSPHRASE

CANARIES = ["Vesperine", "Ozymandrova", "Quorrelle", "918273645", "EAC2611223344"]


def variants(word: str) -> set[bytes]:
    out: set[bytes] = set()
    for form in {word, word.lower(), word.upper(), unicodedata.normalize("NFD", word)}:
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            out.add(form.encode(encoding))
        out.add(json.dumps(form).encode())
    return out


def scan(roots: list[Path]) -> list[str]:
    found = []
    forms = {w: variants(w) for w in CANARIES}
    for root in roots:
        for path in [root] if root.is_file() else root.rglob("*"):
            if any(w.lower() in path.name.lower() for w in CANARIES):
                found.append(f"name: {path}")
            if path.is_file():
                data = path.read_bytes()
                found += [f"{w} in {path}" for w, fs in forms.items() if any(f in data for f in fs)]
    return found


def test_a_whole_session_leaves_no_plaintext(
    qtbot, qapp, tmp_path, monkeypatch, import_sample, open_window
):
    temp, cache = tmp_path / "tmp", tmp_path / "cache"
    temp.mkdir()
    cache.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    monkeypatch.setattr(preview, "print_pdf", lambda *_a: True)
    # warnings not acknowledged: build the draft copy the window offers (no modal dialog)
    monkeypatch.setattr(draft_window, "confirm", lambda *a, **k: True)

    draft = import_sample("vawa-self")
    window = open_window(draft)
    values = window.draft.values
    values["s5.name"] = {"family": "Ozymandrova", "given": "Vesperine", "middle": "Quorrelle"}
    values["s9.signer_name"] = dict(values["s5.name"])
    values["s5.a_number"] = "918273645"
    values["s3.filings"][0]["receipt_number"] = "EAC2611223344"
    window.pages[window.page_ids.index("s5")].load(window.draft)
    assert window.save_now()
    window.nav.setCurrentRow(window.page_ids.index("s8"))  # thumbnails rendered in memory
    assert window.print_signature_page()
    window.build_packet()
    qtbot.waitUntil(lambda: window.last_packet is not None, timeout=90000)
    window.preview.close()
    window.close()

    state = window.app_state
    assert isinstance(state, AppState) and isinstance(state.settings, Settings)
    state.lock()
    qtbot.addWidget(state.lock_screen)
    state.lock_screen.passphrase.setText(PASSPHRASE)
    assert state.lock_screen.unlock()

    state.settings.q.sync()
    found = scan([temp, cache, state.data_dir, Path(state.settings.q.fileName())])
    assert found == []
    # The scanner does find a name where there is one (so an empty result means something).
    (temp / "probe.txt").write_text("Vesperine", encoding="utf-16")
    assert scan([temp])
