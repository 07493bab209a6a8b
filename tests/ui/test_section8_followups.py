"""Section 8 follow-ups to issue 12: sizes in the packet's decimal megabytes, and removing
a document also forgets its leave-out, password and order entries."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import Qt

from ombuds_desktop.draft.model import Attachment, Draft
from ombuds_desktop.formdef import load_edition
from ombuds_desktop.packet import MB, PacketOptions
from ombuds_desktop.packet.options import megabytes

from .modal import answer
from .test_attachment_sources import blob_file
from .test_section8 import add, go_s8


def noise_png(side: int) -> bytes:
    """A PNG that does not compress: its size is about 3 bytes a pixel."""
    out = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(out, "PNG")
    return out.getvalue()


# -- sizes ------------------------------------------------------------------------------------


def test_sizes_and_budget_are_decimal_megabytes(qtbot, state, open_window, tmp_path: Path):
    """1,267,xxx bytes is "1.3 MB" (not 1.2 MiB) and is over a 1.25 MB budget."""
    state.settings.set("email_budget_mb", 1.25)
    draft = Draft(form=load_edition().key)
    state.vault.save_draft(draft)
    w = open_window(draft)
    go_s8(w)
    big = tmp_path / "scan.png"
    big.write_bytes(noise_png(650))
    size = big.stat().st_size
    assert 1_250_000 < size < 1_300_000 < 1.25 * 1048576 + 50_000
    add(qtbot, w, big)
    item = w.attachments.list.item(0).text()
    assert megabytes(size) == "1.3 MB" and "1.3 MB" in item, item
    meter = w.attachments.meter.text()
    assert meter.startswith("Over budget: 1.3 MB of"), meter
    assert w.attachments.budget == int(1.25 * MB)


def test_a_document_under_the_budget_is_not_over(qtbot, state, open_window, tmp_path: Path):
    state.settings.set("email_budget_mb", 1.25)
    draft = Draft(form=load_edition().key)
    state.vault.save_draft(draft)
    w = open_window(draft)
    go_s8(w)
    small = tmp_path / "photo.png"
    small.write_bytes(noise_png(100))  # ~30 KB
    add(qtbot, w, small)
    size = small.stat().st_size
    assert f"{round(size / 1000)} KB" in w.attachments.list.item(0).text()
    assert not w.attachments.meter.text().startswith("Over budget")


# -- removing a document ----------------------------------------------------------------------


def _draft_with_three() -> Draft:
    a, b, c = (
        Attachment(category="other", description=d, path=f"files/{d}.pdf", id=f"att-{d}")
        for d in ("a", "b", "c")
    )
    c.translation_of = b.id
    draft = Draft(form=load_edition().key, attachments=[a, b, c])
    draft.options["packet"] = {
        "exhibit_order": ["att-c", "att-b", "att-a"],
        "skip": ["att-b", "att-a"],
        "passwords": {"att-b": "pw", "att-c": "pw2"},
        "label_style": "letters",
    }
    return draft


def test_removing_an_attachment_forgets_its_entries():
    draft = _draft_with_three()
    removed = draft.remove_attachment("att-b")
    assert removed is not None and removed.id == "att-b"
    assert [a.id for a in draft.attachments] == ["att-a", "att-c"]
    assert draft.attachment("att-c").translation_of is None
    packet = draft.options["packet"]
    assert packet["exhibit_order"] == ["att-c", "att-a"]
    assert packet["skip"] == ["att-a"]
    assert packet["passwords"] == {"att-c": "pw2"}
    assert packet["label_style"] == "letters"
    options = PacketOptions(skip=frozenset(packet["skip"]), passwords=packet["passwords"])
    options.check_attachment_ids(a.id for a in draft.attachments)  # nothing unknown


def test_removing_an_unknown_attachment_changes_nothing():
    draft = _draft_with_three()
    before = draft.copy()
    assert draft.remove_attachment("att-zz") is None
    assert draft.attachments == before.attachments and draft.options == before.options


@pytest.mark.slow
def test_window_remove_then_export_and_build(
    qtbot, state, import_sample, open_window, monkeypatch, tmp_path: Path
):
    """Build without a broken document, remove it in Section 8 with the mouse, then export
    the upload files from the open preview and build again: neither refuses a stale id."""
    from ombuds_desktop.ui import draft_window, packet_actions, preview

    draft = import_sample("attorney-employer")
    stored = state.vault.load_draft(draft.id)
    gone = next(a for a in stored.attachments if a.category == "service-request")
    blob_file(state.data_dir, gone).unlink()
    w = open_window(stored)
    monkeypatch.setattr(packet_actions, "confirm", lambda *a, **k: True)  # draft copy: yes
    monkeypatch.setattr(preview, "confirm", lambda *a, **k: True)
    monkeypatch.setattr(draft_window, "confirm", lambda *a, **k: True)
    errors: list[str] = []
    monkeypatch.setattr(preview, "show_error", lambda _p, _t, exc: errors.append(str(exc)))
    done: list[str] = []
    monkeypatch.setattr(preview.QMessageBox, "information", lambda _p, _t, text: done.append(text))

    seen: list[str] = []
    answer(qtbot, "leaveOutDialog", "Build without it", seen)
    w.build_packet()
    qtbot.waitUntil(lambda: w.last_packet is not None, timeout=90000)
    assert {a.id for a in w.last_packet.plan.skipped} == {gone.id}

    # Section 8: select the broken document and click Remove.
    go_s8(w)
    editor = w.attachments
    row = next(
        i
        for i in range(editor.list.count())
        if editor.list.item(i).data(Qt.ItemDataRole.UserRole) == gone.id
    )
    editor.list.scrollToItem(editor.list.item(row))
    rect = editor.list.visualItemRect(editor.list.item(row))
    qtbot.mouseClick(editor.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert editor.list.currentRow() == row
    qtbot.mouseClick(editor.remove_button, Qt.MouseButton.LeftButton)
    assert w.draft.attachment(gone.id) is None
    assert gone.id not in (w.draft.options.get("packet") or {}).get("exhibit_order", [])

    # The open preview exports without the removed document's leave-out entry.
    folder = tmp_path / "upload"
    folder.mkdir()
    monkeypatch.setattr(preview.QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    op = w.preview.export_upload()
    assert op is not None
    qtbot.waitUntil(lambda: bool(errors or done), timeout=90000)
    assert not errors, errors
    assert any(folder.iterdir())

    # Building again: no dialog about the removed document, nothing left out.
    w.preview.close()
    w.last_packet = None
    w.build_packet()
    qtbot.waitUntil(lambda: w.last_packet is not None, timeout=90000)
    assert not w.last_packet.plan.skipped
    assert len(seen) == 1
