"""The wizard shows names and descriptions in every script the packet prints (issue 12, Why 6).

Qt shapes and orders text itself (HarfBuzz, bidi); what it needs is a font with the
glyphs.  The app registers its shipped Noto fonts at start, so the check here is
that no character of the text is drawn with the missing-glyph box (glyph 0), and
that a real widget shows ink where the text is.
"""

from __future__ import annotations

import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QTextLayout
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit

from ombuds_desktop.ui.app import install_fonts

TEXTS = {
    "arabic": "شهادة ميلاد (birth certificate) فاطمة الحسيني",
    "hebrew": "תעודת לידה מרים כהן",
    "cyrillic": "Свидетельство о рождении Анна Иванова",
    "greek": "Πιστοποιητικό γέννησης Ελένη",
    "devanagari": "जन्म प्रमाणपत्र प्रिया शर्मा",
    "chinese": "出生证明 王小明",
    "japanese": "出生届受理証明書 山田はなこ",
    "korean": "출생증명서 김민준",
    "vietnamese": unicodedata.normalize("NFD", "Giấy khai sinh Nguyễn Thị Ánh"),
}


@pytest.fixture(scope="module")
def families(qapp):
    return install_fonts(qapp)


def test_shipped_fonts_are_registered(families):
    assert families[0] == "Noto Sans"
    for family in ("Noto Sans Arabic", "Noto Sans Hebrew", "Noto Sans Devanagari"):
        assert family in families
    assert any("CJK" in f for f in families), families


@pytest.mark.parametrize("script", list(TEXTS))
def test_text_has_a_glyph_for_every_character(qapp, families, script):
    edit = QLineEdit()
    edit.setText(TEXTS[script])
    layout = QTextLayout(edit.text(), edit.font())
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    runs = layout.glyphRuns()
    assert runs
    for run in runs:
        assert 0 not in run.glyphIndexes(), (script, run.rawFont().familyName())
    assert edit.text() == TEXTS[script]  # nothing was changed on the way in


def test_arabic_label_shows_ink(qtbot, families):
    label = QLabel(TEXTS["arabic"])
    qtbot.addWidget(label)
    label.resize(label.sizeHint())
    label.show()
    qtbot.waitExposed(label)
    image = label.grab().toImage()
    background = label.palette().color(label.backgroundRole())
    inked = sum(
        1
        for x in range(0, image.width(), 2)
        for y in range(0, image.height(), 2)
        if QColor(image.pixel(x, y)) != background
    )
    assert inked > 50


_PROBE = """
import sys
from PySide6.QtGui import QTextLayout
from PySide6.QtWidgets import QApplication
app = QApplication([])
if sys.argv[1] == "install":
    from ombuds_desktop.ui.app import install_fonts
    install_fonts(app)
for text in sys.argv[2:]:
    layout = QTextLayout(text, app.font())
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    runs = layout.glyphRuns()
    ok = bool(runs) and all(0 not in r.glyphIndexes() and r.rawFont().familyName() for r in runs)
    print("ok" if ok else "boxes")
"""


@pytest.mark.slow
def test_a_machine_with_only_dejavu_shows_every_script(tmp_path):
    """A bare desktop (only DejaVu, as ./dev installs) shows boxes for Chinese and Korean
    unless the app registers its fonts; with them, every script has real glyphs."""
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        "<dir>/usr/share/fonts/truetype/dejavu</dir>"
        f"<cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>"
    )
    env = {**os.environ, "FONTCONFIG_FILE": str(conf), "QT_QPA_PLATFORM": "offscreen"}
    texts = list(TEXTS.values())

    def probe(mode: str) -> list[str]:
        result = subprocess.run(
            [sys.executable, "-c", _PROBE, mode, *texts],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.split()

    assert probe("install") == ["ok"] * len(texts)
    bare = dict(zip(TEXTS, probe("none"), strict=True))
    assert bare["chinese"] == bare["korean"] == "boxes"  # the check can fail


def test_wizard_shows_names_and_descriptions(qtbot, families, state, open_window, tmp_path):
    """The real draft window: an Arabic name in Section 5, descriptions in Section 8."""
    from ombuds_desktop.draft import Draft
    from ombuds_desktop.formdef import load_edition

    draft = Draft(
        form=load_edition().key,
        values={"s5.name": {"family": "الحسيني", "given": "فاطمة", "middle": ""}},
    )
    for script, text in TEXTS.items():
        file = tmp_path / f"{script}.pdf"
        file.write_bytes(b"%PDF-1.4\n%%EOF\n")
        state.vault.attach_file(draft, file, category="other", description=text)
    state.vault.save_draft(draft)
    window = open_window(draft)
    window.resize(1180, 860)
    folder = Path(os.environ.get("OMBUDS_SCREENSHOTS") or tmp_path)
    for section in ("s5", "s8"):
        window.nav.setCurrentRow(window.page_ids.index(section))
        for _ in range(3):
            QApplication.processEvents()
        image = window.grab().toImage()
        assert image.save(str(folder / f"ui-scripts-{section}.png"))
    edits = {e.text() for e in window.findChildren(QLineEdit)}
    assert "فاطمة" in edits and "الحسيني" in edits
