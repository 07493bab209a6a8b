"""The wizard shows names and descriptions in every script the packet prints (issue 12, Why 6).

Qt shapes and orders text itself (HarfBuzz, bidi); what it needs is a font with the
glyphs.  The app registers its shipped Noto fonts at start, so the check here is
that no character of the text is drawn with the missing-glyph box (glyph 0), and
that a real widget shows ink where the text is.
"""

from __future__ import annotations

import unicodedata

import pytest
from PySide6.QtGui import QColor, QTextLayout
from PySide6.QtWidgets import QLabel, QLineEdit

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
