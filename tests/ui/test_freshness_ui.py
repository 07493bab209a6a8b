"""Issue 10 in the window: a rolled-back vault is reported when it is unlocked, saving waits
for the user's word, and accepting a restored backup is one explicit click."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ombuds_desktop.ui import app as app_module
from ombuds_desktop.vault import FreshnessError

from .conftest import PASSPHRASE

DB = ("vault.sqlite3", "vault.sqlite3-wal", "vault.sqlite3-shm", "vault.fresh")


def _roll_back(state, import_sample, tmp_path: Path) -> str:
    """Save, keep a copy of the folder's database, save again, put the old copy back."""
    draft = import_sample("vawa-self")
    data = Path(state.data_dir)
    state.vault.close()
    old = tmp_path / "older"
    old.mkdir()
    for name in DB:
        if (data / name).exists():
            shutil.copy2(data / name, old / name)
    state.vault = _open(data)
    newer = state.vault.load_draft(draft.id)
    newer.values["s5.address"] = {"street": "1 New Safe Road", "city": "Elsewhere"}
    state.vault.save_draft(newer)
    state.vault.close()
    state.vault = None
    for name in DB:
        (data / name).unlink(missing_ok=True)
        if (old / name).exists():
            shutil.copy2(old / name, data / name)
    return draft.id


def _open(data: Path):
    from ombuds_desktop.ui.app import describe_for_list
    from ombuds_desktop.vault import Vault

    return Vault.open(data, passphrase=PASSPHRASE, describe=describe_for_list)


@pytest.mark.parametrize("accept", [False, True])
def test_a_rolled_back_vault_is_reported_on_unlock(
    qtbot, state, import_sample, tmp_path, monkeypatch, accept
):
    draft_id = _roll_back(state, import_sample, tmp_path)
    asked: list[str] = []
    monkeypatch.setattr(app_module, "ask_passphrase", lambda *a, **k: PASSPHRASE)
    monkeypatch.setattr(
        app_module,
        "confirm",
        lambda _p, title, text, **k: asked.append(f"{title}\n{text}") or accept,
    )
    assert state.unlock(None)
    assert len(asked) == 1 and "older" in asked[0].lower()
    draft = state.vault.load_draft(draft_id)  # reading always works
    if accept:
        assert state.vault.freshness_problems == []
        state.vault.save_draft(draft)
    else:
        assert state.vault.freshness_problems
        with pytest.raises(FreshnessError):
            state.vault.save_draft(draft)


def test_a_fresh_vault_asks_nothing(qtbot, state, import_sample, monkeypatch):
    import_sample("vawa-self")
    state.vault.close()
    state.vault = None
    monkeypatch.setattr(app_module, "ask_passphrase", lambda *a, **k: PASSPHRASE)
    monkeypatch.setattr(app_module, "confirm", lambda *a, **k: pytest.fail("asked"))
    assert state.unlock(None)
    assert state.vault.freshness_problems == []


def test_a_window_on_a_paused_vault_opens_read_only(
    qtbot, state, import_sample, tmp_path, monkeypatch, open_window
):
    """Reading, printing and exporting work; typing is disabled and a banner says why, so
    nothing typed is lost to a save that cannot happen."""
    from PySide6.QtWidgets import QLineEdit

    from ombuds_desktop.ui import draft_window as dw

    draft_id = _roll_back(state, import_sample, tmp_path)
    monkeypatch.setattr(app_module, "ask_passphrase", lambda *a, **k: PASSPHRASE)
    monkeypatch.setattr(app_module, "confirm", lambda *a, **k: False)  # keep saving paused
    assert state.unlock(None)
    told: list[str] = []
    monkeypatch.setattr(dw, "show_error", lambda _p, title, *_a: told.append(title))
    window = open_window(state.vault.load_draft(draft_id))
    assert window.paused and window.submitted_box.isVisible()
    assert "paused" in window.submitted_notice.text() and "export" in window.submitted_notice.text()
    assert "read-only" in window.windowTitle()
    assert not window.correction_button.isVisible() and not window.act_correction.isEnabled()
    assert window.act_build.isEnabled() and window.act_signature.isEnabled()
    window.nav.setCurrentRow(window.page_ids.index("s5"))
    page = window.pages[window.page_ids.index("s5")]
    edits = [e for e in page.findChildren(QLineEdit) if e.isVisible()]
    assert edits and not any(e.isEnabled() for e in edits)
    before, revision = edits[0].text(), state.vault.current_revision(draft_id)
    qtbot.keyClicks(edits[0], "typed into a paused vault")
    assert edits[0].text() == before
    assert window.save_now() and told == [] and not window.dirty
    assert state.vault.current_revision(draft_id) == revision
    window.close()  # nothing unsaved: no question
    assert not window.isVisible()


def test_a_window_on_an_accepted_vault_is_editable(
    qtbot, state, import_sample, tmp_path, monkeypatch, open_window
):
    draft_id = _roll_back(state, import_sample, tmp_path)
    monkeypatch.setattr(app_module, "ask_passphrase", lambda *a, **k: PASSPHRASE)
    monkeypatch.setattr(app_module, "confirm", lambda *a, **k: True)  # a backup, restored
    assert state.unlock(None)
    window = open_window(state.vault.load_draft(draft_id))
    assert not window.paused and not window.submitted_box.isVisible()
    assert "read-only" not in window.windowTitle()
    window.draft.values["s2.explanation"] = "saved again"
    window.dirty = True
    assert window.save_now()
    assert state.vault.load_draft(draft_id).values["s2.explanation"] == "saved again"
