"""After "Mark as submitted": the draft is read-only with a notice and a correction copy,
Review stops saying "Ready to build", and the drafts list shows the submission and follows
changes made by another process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from ombuds_desktop.draft import Submission
from ombuds_desktop.draft.model import Draft
from ombuds_desktop.formdef import load_edition
from ombuds_desktop.ui.app import describe_for_list
from ombuds_desktop.ui.home import HomeWindow
from ombuds_desktop.vault import Vault

from .conftest import PASSPHRASE

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def submitted(state, import_sample, name: str = "vawa-self") -> Draft:
    draft = import_sample(name)
    state.vault.record_submission(draft.id, Submission("email", "2026-11-20", "CISOMB-2026-000123"))
    return state.vault.load_draft(draft.id)


def review_summary(window) -> str:
    window.nav.setCurrentRow(len(window.pages) - 1)
    window.review.refresh()
    return window.review.summary.text()


def test_submitted_draft_opens_read_only_with_a_correction_copy(
    qtbot, state, import_sample, open_window
):
    draft = submitted(state, import_sample)
    w = open_window(draft)
    assert w.read_only and w.submitted_box.isVisible()
    notice = w.submitted_notice.text()
    assert "11/20/2026" in notice and "CISOMB-2026-000123" in notice and "read-only" in notice
    w.nav.setCurrentRow(w.page_ids.index("s5"))
    page = w.pages[w.page_ids.index("s5")]
    edits = [e for e in page.findChildren(QLineEdit) if e.isVisible()]
    assert edits and not any(e.isEnabled() for e in edits)
    revision = state.vault.current_revision(draft.id)
    qtbot.keyClicks(edits[0], "typed into a submitted draft")
    assert w.save_now() and state.vault.current_revision(draft.id) == revision

    summary = review_summary(w)
    assert "Ready to build" not in summary and "read-only" in summary
    assert "Ready" not in w.nav.item(len(w.pages) - 1).text()

    # Ctrl+Shift+C makes the correction copy, which opens editable.
    opened: list[str] = []
    w.open_requested.connect(opened.append)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow, timeout=3000)
    qtbot.keyClick(w, Qt.Key.Key_C, CTRL_SHIFT)
    qtbot.waitUntil(lambda: bool(opened), timeout=10000)
    copy = state.vault.load_draft(opened[0])
    assert copy.id != draft.id and copy.submission is None and copy.status == "draft"
    assert len(copy.attachments) == len(draft.attachments)
    w2 = open_window(copy)
    assert not w2.read_only and not w2.submitted_box.isVisible()
    assert "read-only" not in review_summary(w2)
    assert w2.review.build_button.text() == "Build packet…"


def test_unsubmitted_draft_is_editable(qtbot, state, import_sample, open_window):
    w = open_window(import_sample("vawa-self"))
    assert not w.read_only and not w.submitted_box.isVisible()
    assert not w.act_correction.isEnabled()
    assert w.make_correction_copy() is None


@pytest.fixture
def home(qtbot, state):
    window = HomeWindow(state)
    state.home = window
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.close()


def row_of(window, client: str) -> dict[str, str]:
    model = window.proxy
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    for r in range(model.rowCount()):
        values = [model.index(r, c).data() for c in range(model.columnCount())]
        if values[0] == client:
            return dict(zip(headers, values, strict=True))
    raise AssertionError(f"{client} not listed")


def test_drafts_list_shows_submission_columns(qtbot, state, import_sample, home):
    submitted(state, import_sample)
    import_sample("attorney-employer")
    home.refresh()
    row = row_of(home, "Thị Ánh Nguyễn")
    assert row["Submitted on"] == "11/20/2026"
    assert row["Submitted by"] == "E-mail"
    assert row["Ombudsman request number"] == "CISOMB-2026-000123"
    other = row_of(home, "Brightline Robotics LLC")
    assert other["Submitted on"] == other["Ombudsman request number"] == ""


def test_drafts_list_follows_a_second_vault_instance(qtbot, state, import_sample, home):
    assert home.proxy.rowCount() == 0
    assert not home.refresh_if_changed()  # nothing changed: no refresh
    other = Vault.open(state.data_dir, passphrase=PASSPHRASE, describe=describe_for_list)
    try:
        other.save_draft(Draft(form=load_edition().key))
    finally:
        other.close()
    qtbot.waitUntil(lambda: home.proxy.rowCount() == 1, timeout=5000)


@pytest.mark.slow
def test_drafts_list_follows_the_cli_in_another_process(qtbot, state, home, tmp_path: Path):
    from ombuds_desktop.samples import write_sample

    passfile = tmp_path / "pass.txt"
    passfile.write_text(PASSPHRASE)
    sample = write_sample("attorney-employer", tmp_path / "in")
    env = dict(os.environ, OMBUDS_PASSPHRASE_FILE=str(passfile))
    done = subprocess.run(
        [sys.executable, "-m", "ombuds_desktop", "--data-dir", str(state.data_dir)]
        + ["drafts", "import", str(sample)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    qtbot.waitUntil(lambda: home.proxy.rowCount() == 1, timeout=5000)
    assert row_of(home, "Brightline Robotics LLC")


@pytest.mark.slow
def test_cli_correction_copy_matches_the_window(state, import_sample, tmp_path: Path):
    draft = submitted(state, import_sample)
    fresh = import_sample("attorney-employer")
    passfile = tmp_path / "pass.txt"
    passfile.write_text(PASSPHRASE)
    env = dict(os.environ, OMBUDS_PASSPHRASE_FILE=str(passfile))

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "ombuds_desktop", "--data-dir", str(state.data_dir), *args],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
        )

    done = cli("drafts", "correction-copy", draft.id)
    assert done.returncode == 0, done.stderr
    copy = state.vault.load_draft(done.stdout.strip())
    assert copy.status == "draft" and copy.submission is None
    assert copy.values == draft.values
    # Negative: a draft not yet submitted is refused with a one-line reason.
    done = cli("drafts", "correction-copy", fresh.id)
    assert done.returncode != 0 and "has not been submitted" in done.stderr
    assert "Traceback" not in done.stderr
