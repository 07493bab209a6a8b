"""The preview: a menu bar reachable from the keyboard, a vector Letter signature page
(the CLI's), a warning before a DRAFT packet becomes an e-mail, and an honest message
when no mail program can be started."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QDialog

from ombuds_desktop.formdef import load_edition
from ombuds_desktop.packet import build_packet
from ombuds_desktop.packet.exports import signature_page_pdf
from ombuds_desktop.packet.sources import vault_reader
from ombuds_desktop.ui import packet_actions, preview

from .modal import answer

CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def make_view(qtbot, state, draft, *, allow_draft: bool = False):
    definition = load_edition()
    options = packet_actions.packet_options(draft, state.settings, allow_draft=allow_draft)
    result = build_packet(draft, None, definition, options, read_bytes=vault_reader(state.vault))
    view = preview.PreviewWindow(result, state.vault, draft, definition, state.settings)
    qtbot.addWidget(view)
    view.show()
    view.activateWindow()
    qtbot.waitExposed(view)
    qtbot.waitUntil(view.isActiveWindow, timeout=3000)
    return view


def save_to(monkeypatch, path: Path) -> list[str]:
    asked: list[str] = []

    def fake(_parent, title, *_a, **_k):
        asked.append(title)
        return str(path), ""

    monkeypatch.setattr(preview.QFileDialog, "getSaveFileName", staticmethod(fake))
    return asked


def assert_vector_letter(path: Path) -> None:
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    rows = fonts.stdout.splitlines()[2:]
    assert rows and all(re.search(r"\byes\b", r) for r in rows), fonts.stdout  # embedded
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    assert "612 x 792 pts" in info.stdout, info.stdout
    assert path.stat().st_size < 300_000


@pytest.fixture
def vawa(state, import_sample):
    return state.vault.load_draft(import_sample("vawa-self").id)


def test_every_action_is_in_the_menu_bar_with_a_shortcut(qtbot, state, vawa, tmp_path, monkeypatch):
    view = make_view(qtbot, state, vawa)
    menus = [a.menu() for a in view.menuBar().actions() if a.menu()]
    titles = [m.title().replace("&", "") for m in menus]
    assert titles == ["File", "Signature page", "Export", "Submission"]
    actions = [a for m in menus for a in m.actions() if not a.isSeparator()]
    assert len(actions) >= 8 and all(not a.shortcut().isEmpty() for a in actions)

    # Ctrl+S saves the packet, from the keyboard.
    out = tmp_path / "packet.pdf"
    save_to(monkeypatch, out)
    qtbot.keyClick(view, Qt.Key.Key_S, CTRL)
    assert out.read_bytes() == view.result.pdf
    assert out.with_suffix(".manifest.json").exists()

    # Alt+F opens the File menu.
    qtbot.keyClick(view, Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: menus[0].isVisible(), timeout=3000)
    qtbot.keyClick(menus[0], Qt.Key.Key_Escape)


def test_signature_page_is_the_clis_vector_letter_page(qtbot, state, vawa, tmp_path, monkeypatch):
    view = make_view(qtbot, state, vawa)
    out = tmp_path / "sig.pdf"
    save_to(monkeypatch, out)
    qtbot.keyClick(view, Qt.Key.Key_G, CTRL_SHIFT)
    assert out.exists()
    assert out.read_bytes() == signature_page_pdf(
        vawa, load_edition(), packet_actions.packet_options(vawa, state.settings)
    )
    assert_vector_letter(out)

    # Printing (here: the print dialog's "print to file") sends the same vector page.
    printed = tmp_path / "printed.pdf"

    class PrintToFile(preview.QPrintDialog):
        def exec(self):
            self.printer().setOutputFileName(str(printed))
            return QDialog.DialogCode.Accepted

    monkeypatch.setattr(preview, "QPrintDialog", PrintToFile)
    qtbot.keyClick(view, Qt.Key.Key_P, CTRL_SHIFT)
    assert printed.exists()
    assert_vector_letter(printed)

    # Negative: the print dialog cancelled prints nothing.
    printed.unlink()

    class Cancelled(preview.QPrintDialog):
        def exec(self):
            return QDialog.DialogCode.Rejected

    monkeypatch.setattr(preview, "QPrintDialog", Cancelled)
    qtbot.keyClick(view, Qt.Key.Key_P, CTRL_SHIFT)
    assert not printed.exists()


@pytest.mark.slow
def test_draft_packet_email_needs_confirmation_and_reports_no_mail_program(
    qtbot, state, import_sample, tmp_path, monkeypatch
):
    draft = state.vault.load_draft(import_sample("attorney-employer").id)
    draft.attachments = [a for a in draft.attachments if a.category != "g28"]
    state.vault.save_draft(draft)
    view = make_view(qtbot, state, draft, allow_draft=True)
    assert view.result.watermarked
    eml = tmp_path / "email.eml"
    asked = save_to(monkeypatch, eml)
    opened: list[object] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or False)

    # Cancel at the warning: nothing is asked, nothing written.
    seen: list[str] = []
    answer(qtbot, "This packet is a draft", "Cancel", seen)
    qtbot.keyClick(view, Qt.Key.Key_E, CTRL_SHIFT)
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert "DRAFT - NOT READY TO FILE" in seen[0]
    assert asked == [] and not eml.exists()

    # Confirm: the e-mail is saved, and the message says no mail program was started.
    seen.clear()
    answer(qtbot, "This packet is a draft", "Create the draft e-mail anyway", seen)
    told: list[str] = []
    answer(qtbot, "emailSaved", "Copy the folder path", told)
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow, timeout=3000)
    qtbot.keyClick(view, Qt.Key.Key_E, CTRL_SHIFT)
    qtbot.waitUntil(lambda: bool(told), timeout=60000)
    assert "DRAFT" in seen[0]
    assert opened, "the mail program was tried"
    assert "No mail program could be started" in told[0]
    assert "opened in your mail program" not in told[0]
    assert eml.exists() or list(tmp_path.glob("email*.eml"))
    qtbot.waitUntil(lambda: QGuiApplication.clipboard().text() == str(tmp_path), timeout=3000)


def test_final_packet_email_opens_without_warning(qtbot, state, vawa, tmp_path, monkeypatch):
    view = make_view(qtbot, state, vawa)
    assert not view.result.watermarked
    save_to(monkeypatch, tmp_path / "email.eml")
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: True)
    told: list[str] = []
    answer(qtbot, "emailSaved", "Close", told)
    view.act_email.trigger()
    qtbot.waitUntil(lambda: bool(told), timeout=60000)
    assert "handed to your mail program" in told[0]
    # the VAWA self-petitioner entered no e-mail address: the message says why From is empty
    assert "no From address" in told[0] and "Section 5" in told[0]


def test_mail_packet_of_a_vault_draft_carries_the_original_section_9(
    qtbot, state, vawa, tmp_path, monkeypatch
):
    """Issue 14: the mail export is built again for mail, reading the files from the vault."""
    view = make_view(qtbot, state, vawa)
    mail = tmp_path / "mail.pdf"
    save_to(monkeypatch, mail)
    told: list[str] = []
    answer(qtbot, "Done", "OK", told)
    qtbot.keyClick(view, Qt.Key.Key_L, CTRL_SHIFT)
    qtbot.waitUntil(lambda: bool(told), timeout=60000)
    assert "mail packet" in told[0], told
    text = " ".join(
        subprocess.run(["pdftotext", str(mail), "-"], capture_output=True, text=True).stdout.split()
    )
    assert "Enclose the ORIGINAL Section 9 page signed by hand, in ink" in text
    assert "The original Section 9 consent, signed by hand in ink, is enclosed" in text
    assert "(scan of the page signed in ink)" not in text  # the scan itself is left out
