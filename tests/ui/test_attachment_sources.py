"""One attachment source for the GUI and the CLI: a stored document that is missing or
damaged in the vault is named in both, and the user can leave it out in both."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from ombuds_desktop.packet import PacketInputError
from ombuds_desktop.packet.sources import vault_reader
from ombuds_desktop.vault import blob_id_of
from ombuds_desktop.vault.paths import blob_root

from .conftest import PASSPHRASE
from .modal import answer


def blob_file(data_dir: Path, att) -> Path:
    blob = blob_id_of(att)
    assert blob is not None
    return blob_root(data_dir) / blob[:2] / blob


def break_two(state, draft):
    """Delete the encrypted file of one document and flip a byte in another's."""
    stored = state.vault.load_draft(draft.id)
    gone, bad = stored.attachments[0], stored.attachments[1]
    blob_file(state.data_dir, gone).unlink()
    path = blob_file(state.data_dir, bad)
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    path.write_bytes(bytes(raw))
    return stored, gone, bad


def run_cli(data_dir: Path, passfile: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env["OMBUDS_PASSPHRASE_FILE"] = str(passfile)
    return subprocess.run(
        [sys.executable, "-m", "ombuds_desktop", "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
    )


def test_the_core_reader_names_missing_and_damaged_documents(state, import_sample):
    draft = import_sample("attorney-employer")
    stored, gone, bad = break_two(state, draft)
    read = vault_reader(state.vault)
    with pytest.raises(PacketInputError) as missing:
        read(gone)
    assert missing.value.kind == "missing" and missing.value.attachment_id == gone.id
    assert missing.value.name == gone.original_name
    with pytest.raises(PacketInputError) as damaged:
        read(bad)
    assert damaged.value.kind == "damaged" and bad.original_name in str(damaged.value)
    assert read(stored.attachments[2]).startswith(b"%PDF") or read(stored.attachments[2])


@pytest.mark.slow
def test_cli_names_every_bad_document_and_builds_without_them(state, import_sample, tmp_path: Path):
    draft = import_sample("attorney-employer")
    _, gone, bad = break_two(state, draft)
    passfile = tmp_path / "pass.txt"
    passfile.write_text(PASSPHRASE)
    out = tmp_path / "packet.pdf"
    done = run_cli(state.data_dir, passfile, "packet", draft.id, "--out", str(out), "--allow-draft")
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert gone.original_name in done.stderr and bad.original_name in done.stderr
    assert f"--skip {gone.id}" in done.stderr and f"--skip {bad.id}" in done.stderr
    assert "missing from the vault" in done.stderr and "damaged in the vault" in done.stderr

    done = run_cli(
        state.data_dir,
        passfile,
        "packet",
        draft.id,
        "--out",
        str(out),
        "--allow-draft",
        "--skip",
        gone.id,
        "--skip",
        bad.id,
    )
    assert done.returncode == 0, done.stderr
    subprocess.run(["qpdf", "--check", str(out)], check=True, capture_output=True)


def answer_leave_out(qtbot, button_text: str, seen: list[str]) -> None:
    answer(qtbot, "leaveOutDialog", button_text, seen)


@pytest.mark.slow
def test_window_names_every_bad_document_and_builds_without_them(
    qtbot, state, import_sample, open_window, monkeypatch
):
    from ombuds_desktop.ui import packet_actions
    from ombuds_desktop.validation import acknowledge

    draft = import_sample("attorney-employer")
    stored, gone, bad = break_two(state, draft)
    w = open_window(stored)
    acknowledge(w.draft, w.findings, ["all"])  # a final packet needs its warnings read
    monkeypatch.setattr(packet_actions, "confirm", lambda *a, **k: True)  # draft copy: yes

    # Section 8 already marks both, through the same reader.
    w.nav.setCurrentRow(w.page_ids.index("s8"))
    items = [w.attachments.list.item(i) for i in range(w.attachments.list.count())]
    marked = {i.data(Qt.ItemDataRole.UserRole) for i in items if "⚠" in i.text()}
    assert marked == {gone.id, bad.id}
    tips = " ".join(i.toolTip() for i in items)
    assert "missing from the vault" in tips and "damaged in the vault" in tips

    # Cancel: nothing is built, and both documents were named in one dialog.
    seen: list[str] = []
    answer_leave_out(qtbot, "Cancel", seen)
    w.last_packet = None
    w.build_packet()
    qtbot.waitUntil(lambda: bool(seen), timeout=90000)
    assert gone.original_name in seen[0] and bad.original_name in seen[0]
    assert "missing from the vault" in seen[0] and "damaged in the vault" in seen[0]
    qtbot.wait(200)
    assert w.last_packet is None
    assert len(state.vault.load_draft(draft.id).attachments) == len(stored.attachments)

    # Build without them: the packet is built, and leaves both out.
    seen.clear()
    answer_leave_out(qtbot, "Build without them", seen)
    w.build_packet()
    qtbot.waitUntil(lambda: w.last_packet is not None, timeout=90000)
    w.preview.close()
    left_out = {a.id for a in w.last_packet.plan.skipped}
    assert left_out == {gone.id, bad.id}
    assert len(seen) == 1
