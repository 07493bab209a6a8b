"""Import… and Export… driven through the drafts window, with drafts that have documents.

Only the file pickers and passphrase prompts are replaced; every message box is
answered with a real click, and the results are checked in the vault and on disk.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from ombuds_desktop.draft import facts, read_draft_file, resolve_attachment_path
from ombuds_desktop.samples import write_sample
from ombuds_desktop.ui import export_dialog as export_module
from ombuds_desktop.ui import home as home_module
from ombuds_desktop.ui.home import HomeWindow
from ombuds_desktop.ui.operations import CancelToken, Operation, adapt_progress
from ombuds_desktop.vault import Vault, blob_id_of

from .modals import ModalDriver

ARCHIVE_PASSPHRASE = "an archive passphrase for tests"


@pytest.fixture
def home(qtbot, state):
    window = HomeWindow(state)
    state.home = window
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    yield window
    Operation.wait_all()
    window.close()


@pytest.fixture
def driver(qtbot):
    d = ModalDriver()
    yield d
    d.stop()


def press(qtbot, window, key: Qt.Key) -> None:
    """The menu shortcut, as typed (Ctrl+I, Ctrl+E)."""
    window.activateWindow()
    qtbot.keyClick(window, key, Qt.KeyboardModifier.ControlModifier)


def wait_idle(qtbot, timeout: int = 20000) -> None:
    qtbot.waitUntil(lambda: not Operation._running, timeout=timeout)
    qtbot.wait(100)  # the success box is shown from the finished slot


def pick_file(monkeypatch, path: Path) -> None:
    monkeypatch.setattr(home_module.QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))


def sample_file(tmp_path: Path, name: str) -> Path:
    return write_sample(name, tmp_path / "in" / name)


def documents(vault: Vault, draft_id: str) -> dict[str, bytes]:
    draft = vault.load_draft(draft_id)
    out = {}
    for att in draft.attachments:
        blob = blob_id_of(att)
        assert blob is not None, att.path
        out[att.original_name] = vault.read_attachment(blob)
    return out


def source_documents(path: Path) -> dict[str, bytes]:
    draft = read_draft_file(path)
    return {
        resolve_attachment_path(a, path.parent).name: resolve_attachment_path(
            a, path.parent
        ).read_bytes()
        for a in draft.attachments
    }


def test_import_a_draft_file_with_documents(qtbot, home, state, driver, tmp_path, monkeypatch):
    src = sample_file(tmp_path, "vawa-self")
    pick_file(monkeypatch, src)
    press(qtbot, home, Qt.Key.Key_I)
    wait_idle(qtbot)
    assert driver.seen == [], driver.texts()
    rows = state.vault.list_drafts()
    assert [r.client for r in rows] == [facts.client_name(read_draft_file(src))]
    assert not rows[0].damaged
    assert documents(state.vault, rows[0].id) == source_documents(src)
    assert home.proxy.rowCount() == 1
    assert "Imported 1 draft" in home.statusBar().currentMessage()


def make_archive(tmp_path: Path, names: list[str]) -> tuple[Path, dict[str, dict[str, bytes]]]:
    """An archive made by another vault (as a colleague's computer would)."""
    other, _code = Vault.create(tmp_path / "colleague", passphrase="colleague passphrase 1")
    expected = {}
    ids = []
    try:
        for name in names:
            src = sample_file(tmp_path, name)
            draft = other.import_draft(read_draft_file(src), src.parent)
            ids.append(draft.id)
            expected[draft.id] = source_documents(src)
        out = tmp_path / "from-colleague.ombuds"
        other.export_archive(ids, out, ARCHIVE_PASSPHRASE)
    finally:
        other.close()
    return out, expected


@pytest.mark.slow
def test_import_an_archive_with_documents(qtbot, home, state, driver, tmp_path, monkeypatch):
    archive, expected = make_archive(tmp_path, ["family-parent", "family-child-a"])
    pick_file(monkeypatch, archive)
    monkeypatch.setattr(home_module, "ask_passphrase", lambda *a, **k: ARCHIVE_PASSPHRASE)
    press(qtbot, home, Qt.Key.Key_I)
    wait_idle(qtbot)
    assert driver.seen == [], driver.texts()
    for draft_id, docs in expected.items():
        assert documents(state.vault, draft_id) == docs
    assert home.proxy.rowCount() == 2


@pytest.mark.slow
def test_wrong_archive_passphrase_is_a_clear_message(
    qtbot, home, state, driver, tmp_path, monkeypatch
):
    archive, _expected = make_archive(tmp_path, ["vawa-self"])
    pick_file(monkeypatch, archive)
    monkeypatch.setattr(home_module, "ask_passphrase", lambda *a, **k: "not the passphrase!")
    press(qtbot, home, Qt.Key.Key_I)
    wait_idle(qtbot)
    assert len(driver.seen) == 1
    assert "passphrase is wrong" in driver.seen[0][1]
    assert "unexpected" not in driver.texts()
    assert state.vault.list_drafts() == []


@pytest.mark.slow
def test_export_archive_with_documents(
    qtbot, home, state, driver, import_sample, tmp_path, monkeypatch
):
    draft = import_sample("attorney-employer")
    before = documents(state.vault, draft.id)
    home.refresh()
    home.table.selectRow(0)
    out = tmp_path / "out" / "export.ombuds"
    out.parent.mkdir()
    monkeypatch.setattr(
        export_module.QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), "")
    )
    monkeypatch.setattr(export_module, "ask_passphrase", lambda *a, **k: ARCHIVE_PASSPHRASE)
    driver.answers = ["Encrypted archive…", ""]
    press(qtbot, home, Qt.Key.Key_E)
    wait_idle(qtbot)
    qtbot.waitUntil(lambda: len(driver.seen) == 2, timeout=5000)
    assert driver.seen[1][0] == "Exported", driver.texts()
    assert out.is_file() and not list(out.parent.glob(".*part"))
    other, _ = Vault.create(tmp_path / "elsewhere", passphrase="another vault passphrase")
    try:
        (imported,) = other.import_archive(out, ARCHIVE_PASSPHRASE)
        assert documents(other, imported.id) == before
    finally:
        other.close()


def test_plain_export_with_documents(
    qtbot, home, state, driver, import_sample, tmp_path, monkeypatch
):
    draft = import_sample("vawa-self")
    before = documents(state.vault, draft.id)
    home.refresh()
    home.table.selectRow(0)
    folder = tmp_path / "plain"
    folder.mkdir()
    monkeypatch.setattr(
        export_module.QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder)
    )
    driver.answers = ["Plain files (unencrypted)…", "Export unencrypted", ""]
    press(qtbot, home, Qt.Key.Key_E)
    wait_idle(qtbot)
    qtbot.waitUntil(lambda: len(driver.seen) == 3, timeout=5000)
    assert driver.seen[2][0] == "Exported", driver.texts()
    exported = folder / "draft-1"
    doc = json.loads((exported / "draft.json").read_text(encoding="utf-8"))
    assert doc["id"] == draft.id
    on_disk = {}
    for att in doc["attachments"]:
        on_disk[Path(att["path"]).name.split("-", 1)[1]] = (exported / att["path"]).read_bytes()
    assert on_disk == before


# ---------------------------------------------------------------- the progress adapter


def test_every_progress_shape_reaches_the_dialog():
    got = []
    token = CancelToken()
    progress = adapt_progress(lambda *a: got.append(a), token, "Importing…")
    progress(3, 10, "Page 3")
    progress(4, 10)
    progress(done=5, total=10, message="five")
    progress(1_000_000)
    progress(2_000_000)
    progress(500_000)  # the next file
    progress()
    assert got[:3] == [(3, 10, "Page 3"), (4, 10, ""), (5, 10, "five")]
    assert got[3] == (0, 0, "Importing…\n1.0 MB done")
    assert got[5] == (0, 0, "Importing…\n2.5 MB done")
    assert got[6] == (0, 0, "")


def test_a_byte_count_callback_cancels_when_the_user_cancels():
    from ombuds_desktop.tasks import Cancelled

    token = CancelToken()
    progress = adapt_progress(lambda *a: None, token)
    progress(10)
    token.cancel()
    with pytest.raises(Cancelled):
        progress(20)
    progress(1, 2, "the packet builder checks the token itself")


def test_cancel_during_import_leaves_nothing(qtbot, home, state, tmp_path, monkeypatch):
    """A big document, cancelled while it is encrypted: no draft, no stored file."""
    src = sample_file(tmp_path, "vawa-self")
    draft = read_draft_file(src)
    big = resolve_attachment_path(draft.attachments[0], src.parent)
    with open(big, "ab") as fh:
        fh.write(os.urandom(64 * 1024 * 1024))
    draft.attachments[0].sha256 = None
    from ombuds_desktop.draft import dumps

    src.write_text(dumps(draft), encoding="utf-8")
    op = home.import_path(src)
    assert op is not None
    qtbot.wait(50)
    op.token.cancel()
    wait_idle(qtbot)
    assert state.vault.list_drafts() == []
    blobs = Path(state.vault.data_dir) / "blobs"
    assert not blobs.exists() or not [p for p in blobs.rglob("*") if p.is_file()]


# ---------------------------------------------------------------- another process imports


def run_cli(data_dir: Path, *args: str, tmp_path: Path) -> None:
    import subprocess
    import sys

    from .conftest import PASSPHRASE

    secret = tmp_path / "passphrase.txt"
    secret.write_text(PASSPHRASE, encoding="utf-8")
    env = dict(os.environ, OMBUDS_PASSPHRASE_FILE=str(secret))
    done = subprocess.run(
        [sys.executable, "-m", "ombuds_desktop", "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.slow
def test_a_draft_the_cli_imports_after_a_failed_import_is_not_damaged(
    qtbot, home, state, driver, tmp_path, monkeypatch
):
    """The GUI's failed import left the draft's key in its cache; the CLI then imported the
    same draft (same id, a new key) and the GUI called the good draft damaged."""
    from ombuds_desktop.draft import dumps

    good = sample_file(tmp_path, "vawa-self")
    bad_dir = tmp_path / "bad"
    bad = write_sample("vawa-self", bad_dir)
    draft = read_draft_file(bad)
    draft.attachments[-1].sha256 = "0" * 64  # the last document fails after the first are in
    bad.write_text(dumps(draft), encoding="utf-8")

    pick_file(monkeypatch, bad)
    press(qtbot, home, Qt.Key.Key_I)
    wait_idle(qtbot)
    assert len(driver.seen) == 1 and "SHA-256 does not match" in driver.seen[0][1]
    assert state.vault.list_drafts() == []

    run_cli(state.data_dir, "drafts", "import", str(good), tmp_path=tmp_path)
    home.refresh()
    (row,) = state.vault.list_drafts()
    assert row.id == draft.id and not row.damaged
    assert row.client == facts.client_name(draft)
    assert home.proxy.index(0, 0).data() == row.client
    window = home.open_draft(row.id)
    assert window is not None, driver.texts()
    assert len(driver.seen) == 1, driver.texts()
    assert documents(state.vault, row.id) == source_documents(good)
    window.close()
