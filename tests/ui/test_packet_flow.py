"""End to end in the GUI: attach files, build the packet in the background, check the PDF."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices

from ombuds_desktop.draft.model import Draft
from ombuds_desktop.formdef import load_edition
from ombuds_desktop.samples import stand_in_bytes
from ombuds_desktop.ui import packet_actions, preview
from ombuds_desktop.ui.section_page import SectionPage

from .modal import answer


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def go(window, section_id: str):
    window.nav.setCurrentRow(window.page_ids.index(section_id))
    return window.pages[window.page_ids.index(section_id)]


def attach(
    qtbot, window, tmp_path: Path, name: str, category: str, description: str, content: bytes
) -> None:
    go(window, "s8")
    editor = window.attachments
    before = len(window.draft.attachments)
    path = tmp_path / name
    path.write_bytes(content)
    editor.add_files([path])
    qtbot.waitUntil(lambda: len(window.draft.attachments) == before + 1, timeout=20000)
    editor.list.setCurrentRow(before)
    editor.category.setCurrentIndex(editor.category.findData(category))
    editor.description.setText(description)
    editor.description.textEdited.emit(description)
    assert window.draft.attachments[before].category == category


def acknowledge_warnings(qtbot, window):
    """Tick every warning on Review, by keyboard, as a user reading them would."""
    from ombuds_desktop.ui.review import ACK_ROLE

    window.jump_to("__review__", None)
    window.review.refresh()
    tree = window.review.tree
    for i in range(tree.topLevelItemCount()):
        parent = tree.topLevelItem(i)
        for j in range(parent.childCount()):
            item = parent.child(j)
            if item.data(0, ACK_ROLE) is not None and item.checkState(0) != Qt.CheckState.Checked:
                tree.setCurrentItem(item)
                qtbot.keyClick(tree, Qt.Key.Key_Space)
                assert item.checkState(0) == Qt.CheckState.Checked


def build(qtbot, window):
    window.last_packet = None
    if not [f for f in window.findings if f.severity == "error"]:
        acknowledge_warnings(qtbot, window)
    window.build_packet()
    qtbot.waitUntil(lambda: window.last_packet is not None, timeout=90000)
    window.preview.close()
    return window.last_packet


@pytest.fixture(autouse=True)
def no_external_programs(monkeypatch):
    """Opening the .eml in the system mail client cannot happen on a test machine."""
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    return opened


def test_vawa_client_signature_page_then_scan_then_final_packet(
    qtbot, state, import_sample, open_window, tmp_path, monkeypatch
):
    draft = import_sample("vawa-self")
    stored = state.vault.load_draft(draft.id)
    stored.attachments = [a for a in stored.attachments if a.category != "signed-section-9"]
    state.vault.save_draft(stored)
    w = open_window(stored)
    assert any(f.code == "R20-signed-scan-missing" for f in w.findings)

    # 1. Print the signature page for the client (captured instead of a real printer).
    printed = []
    monkeypatch.setattr(preview, "print_pdf", lambda _p, data, _t: printed.append(data) or True)
    assert w.print_signature_page()
    text = pdf_text(printed[0], tmp_path)
    assert "Nguyễn" in text and "EAC2490012345" in text
    assert "ink" in text.lower()

    # 2. The client signs in ink; the scan is attached as "signed Section 9".
    attach(
        qtbot,
        w,
        tmp_path,
        "scan.pdf",
        "signed-section-9",
        "Signed Section 9 (scan)",
        stand_in_bytes(".pdf", "signed-section-9", "Signed Section 9"),
    )
    w.revalidate()
    assert not [f for f in w.findings if f.severity == "error"]

    # 3. The final packet is built in the background and shown in the preview.
    result = build(qtbot, w)
    assert not result.watermarked
    text = pdf_text(result.pdf, tmp_path)
    assert "DRAFT - NOT READY TO FILE" not in text
    assert "Nguyễn" in text and "Request for Case Assistance" in text

    # 4. The e-mail draft of the full packet.
    eml = tmp_path / "email.eml"
    monkeypatch.setattr(
        preview.QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(eml), ""))
    )
    view = preview.PreviewWindow(result, state.vault, w.draft, load_edition(), state.settings)
    qtbot.addWidget(view)
    seen: list[str] = []
    answer(qtbot, "emailSaved", "Close", seen)
    view.export_email()
    qtbot.waitUntil(lambda: bool(seen), timeout=30000)
    qtbot.waitUntil(lambda: eml.exists() or any(tmp_path.glob("email-part*.eml")), timeout=30000)
    raw = (eml if eml.exists() else sorted(tmp_path.glob("email-part*.eml"))[0]).read_bytes()
    assert b"X-Unsent: 1" in raw and b"cisombudsman@hq.dhs.gov" in raw


def test_attorney_for_employer_draft_packet_until_the_g28_is_attached(
    qtbot, state, import_sample, open_window, tmp_path, monkeypatch
):
    draft = import_sample("attorney-employer")
    stored = state.vault.load_draft(draft.id)
    stored.attachments = [a for a in stored.attachments if a.category != "g28"]
    state.vault.save_draft(stored)
    w = open_window(stored)
    assert [f.code for f in w.findings if f.severity == "error"] == ["R15-g28-missing"]
    page: SectionPage = go(w, "s8")
    assert "G-28" in w.attachments.needed.text()

    monkeypatch.setattr(packet_actions, "confirm", lambda *a, **k: True)
    result = build(qtbot, w)
    assert result.watermarked
    assert "DRAFT - NOT READY TO FILE" in pdf_text(result.pdf, tmp_path)

    attach(
        qtbot,
        w,
        tmp_path,
        "g28.pdf",
        "g28",
        "Form G-28 on file for Form I-129",
        stand_in_bytes(".pdf", "g28", "G-28"),
    )
    w.revalidate()
    assert not [f for f in w.findings if f.severity == "error"]
    assert not w.attachments.needed.isVisible()
    result = build(qtbot, w)
    assert not result.watermarked
    text = pdf_text(result.pdf, tmp_path)
    assert "Brightline Robotics LLC" in text and "Żółć" in text
    assert result.part("g28") is not None
    assert page is not None


def test_bad_files_are_refused_with_the_packets_message(
    qtbot, state, open_window, tmp_path, monkeypatch
):
    draft = Draft(form=load_edition().key)
    state.vault.save_draft(draft)
    w = open_window(draft)
    refused = []
    monkeypatch.setattr(
        "ombuds_desktop.ui.attachments.show_error", lambda _p, _t, text: refused.append(text)
    )
    go(w, "s8")
    fake = tmp_path / "notice.pdf"
    fake.write_bytes(b"this is not a PDF at all, whatever its name says" * 20)
    w.attachments.add_files([fake])
    qtbot.waitUntil(lambda: bool(refused), timeout=20000)
    assert "notice.pdf" in refused[0]
    assert w.draft.attachments == []


def test_mark_as_submitted_records_it_in_the_vault(
    qtbot, state, import_sample, open_window, monkeypatch
):
    w = open_window(import_sample("family-parent"))
    result = build(qtbot, w)
    view = preview.PreviewWindow(
        result,
        state.vault,
        w.draft,
        load_edition(),
        state.settings,
        on_submitted=w.reload_submission,
    )
    qtbot.addWidget(view)

    class Accepting(preview.SubmittedDialog):
        def exec(self):
            self.number.setText("CISOMB-2026-000123")
            return preview.QDialog.DialogCode.Accepted

    monkeypatch.setattr(preview, "SubmittedDialog", Accepting)
    view.mark_submitted()
    stored = state.vault.load_draft(w.draft.id)
    assert stored.status == "submitted"
    assert stored.submission.request_number == "CISOMB-2026-000123"
    assert w.draft.status == "submitted"
    assert any(f.code == "R39-after-submission" for f in w.findings)


def test_reordering_exhibits_sets_the_packet_order(qtbot, state, import_sample, open_window):
    w = open_window(import_sample("attorney-employer"))
    go(w, "s8")
    editor = w.attachments
    ids = [a.id for a in w.draft.attachments]
    editor.list.setCurrentRow(2)
    editor.move_selected(-1)
    assert [a.id for a in w.draft.attachments] == [ids[0], ids[2], ids[1]]
    assert w.draft.options["packet"]["exhibit_order"] == [ids[0], ids[2], ids[1]]
    result = build(qtbot, w)
    titles = [e.title for e in result.exhibits]
    assert titles[0].startswith("USCIS reply to service request")
