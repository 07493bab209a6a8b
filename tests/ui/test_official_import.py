"""The mapping view: the official field, its tooltip, a crop of its page, the draft answer."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from ombuds_desktop.formdef import load_edition
from ombuds_desktop.official.mapping import load_mapping
from ombuds_desktop.official.store import list_imports
from tests.official import forms


@pytest.fixture
def definition():
    return load_edition()


@pytest.fixture
def dialog(qtbot, tmp_path, definition):
    from ombuds_desktop.ui.official_import import open_mapping_dialog

    specs = [
        *forms.edition_b(),
        forms.Spec("Name1", "text", 2, (330, 600, 150, 18), "Name"),
    ]
    pdf = tmp_path / "official.pdf"
    pdf.write_bytes(forms.build(specs))
    d = open_mapping_dialog(None, pdf, definition, tmp_path / "data")
    assert not isinstance(d, str), d
    qtbot.addWidget(d)
    d.show()
    return d


def _row(d, short: str) -> int:
    return next(i for i, f in enumerate(d._fields) if f.short_name == short)


def test_rows_show_field_tooltip_proposal_and_confidence(dialog) -> None:
    d = dialog
    assert d.table.rowCount() == 25
    r = _row(d, "P5_L1a_LastName")
    assert d.table.item(r, 1).text() == "Last name"
    assert d.combos[r].currentText() == "Section 5, Full name (family, given, middle) › Family name"
    assert d.table.item(r, 3).text() == "1.00"
    r = _row(d, "P2_L2_Explain")
    assert d.table.item(r, 3).text().endswith("check")
    r = _row(d, "Name1")
    assert d.combos[r].currentText() == "(not mapped)"
    assert "1 not mapped" in d.header.text() and "typeset form" in d.header.text()


def test_selecting_a_row_shows_the_page_around_the_field(dialog, qtbot) -> None:
    d = dialog
    r = _row(d, "Pt9_SignerName")
    rect = d.table.visualItemRect(d.table.item(r, 0))
    qtbot.mouseClick(d.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    pix = d.crop.pixmap()
    assert pix is not None and not pix.isNull()
    assert d.crop.toolTip() == "Page 3"
    img = pix.toImage()
    red = sum(
        1
        for x in range(0, img.width(), 2)
        for y in range(0, img.height(), 2)
        if img.pixelColor(x, y).red() > 180 and img.pixelColor(x, y).green() < 60
    )
    assert red > 20  # the field is outlined on its page


def test_choose_the_answer_with_the_keyboard_and_save(dialog, qtbot, tmp_path) -> None:
    d = dialog
    r = _row(d, "Name1")
    combo = d.combos[r]
    combo.setFocus()
    target = combo.findText("Section 9, Printed name of signer")
    assert target > 1
    for _ in range(target):
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentText() == "Section 9, Printed name of signer"
    assert d.table.item(r, 3).text() == "set by you"
    assert "0 not mapped" in d.header.text()
    # Name1 and Pt9_SignerName now both show the signer: allowed (the form may repeat it).
    qtbot.mouseClick(d.save_button, Qt.MouseButton.LeftButton)
    assert d.result() == d.DialogCode.Accepted
    found, problems = list_imports(tmp_path / "data")
    assert problems == [] and len(found) == 1
    m = load_mapping(found[0].folder / "mapping.toml")
    assert m.confirmed and m.entry("form1[0].#subform[0].Name1[0]").target == "s9.signer_name"


def test_unusable_pdf_is_one_line(tmp_path, definition) -> None:
    from ombuds_desktop.ui.official_import import open_mapping_dialog

    pdf = tmp_path / "xfa.pdf"
    pdf.write_bytes(forms.xfa_only())
    msg = open_mapping_dialog(None, pdf, definition, tmp_path / "data")
    assert isinstance(msg, str) and msg.startswith("xfa.pdf: ") and "XFA" in msg


def test_vault_menu_has_the_import_action(qtbot, state) -> None:
    from ombuds_desktop.ui.home import HomeWindow

    w = HomeWindow(state)
    qtbot.addWidget(w)
    assert w.act_official.text() == "Import official form…"
    assert w.act_official in w.menuBar().actions()[1].menu().actions()


def _print_signature_page(qtbot, window, monkeypatch, out) -> str:
    """Ctrl+Shift+P in the draft window, the print dialog set to "print to file"."""
    import subprocess

    from PySide6.QtWidgets import QDialog

    from ombuds_desktop.ui import preview

    class PrintToFile(preview.QPrintDialog):
        def exec(self):
            self.printer().setOutputFileName(str(out))
            return QDialog.DialogCode.Accepted

    monkeypatch.setattr(preview, "QPrintDialog", PrintToFile)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)  # fmt: skip
    assert out.exists()
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    return " ".join(text.split())


OFFICIAL_FOOTER = "DHS Form 7001 (11/02/22) Page 3 of 3"  # form A's own Section 9 page


def test_print_signature_page_is_typeset_without_an_official_form(
    qtbot, state, import_sample, open_window, monkeypatch, tmp_path
) -> None:
    w = open_window(state.vault.load_draft(import_sample("asylee-attorney").id))
    text = _print_signature_page(qtbot, w, monkeypatch, tmp_path / "sig.pdf")
    assert "To be signed by hand, in ink" in text and OFFICIAL_FOOTER not in text


def test_print_signature_page_is_the_official_section_9_once_imported(
    qtbot, state, import_sample, open_window, monkeypatch, tmp_path, definition
) -> None:
    from ombuds_desktop.official.store import import_official
    from tests.official.conftest import form_a

    import_official(form_a(), definition, state.data_dir, accept=True)
    w = open_window(state.vault.load_draft(import_sample("asylee-attorney").id))
    text = _print_signature_page(qtbot, w, monkeypatch, tmp_path / "sig.pdf")
    assert OFFICIAL_FOOTER in text and "To be signed by hand, in ink" not in text
    assert "Signature page " in text  # the page id in its margin
