"""Names and descriptions in every script a client's documents use, on every generated page.

Issue 12, Why 6: an Arabic description printed as empty space on the tab, the
index, the cover letter and Section 8, and ``validate`` said nothing.  Each
part is rendered with a name and a description in one script and read back
as a reviewer would: ``pdftotext`` (the words survive), ``pdffonts`` (fonts
embedded as subsets with a Unicode map) and pixels (the Arabic tab is not
blank).  All names are made up.
"""

from __future__ import annotations

import subprocess
import tempfile
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from ombuds_desktop.packet import PacketOptions, build_packet
from ombuds_desktop.packet.cover_letter import build_letter, render_letter
from ombuds_desktop.packet.form_render import render_form
from ombuds_desktop.packet.index import IndexRow, PartRow, render_index, render_tabs
from ombuds_desktop.packet.layout import PAGE_H, PAGE_W, Rendered, Sheet, missing_glyph_notes
from ombuds_desktop.packet.signature_page import render_signature_page
from ombuds_desktop.printed import fonts
from ombuds_desktop.validation import validate_draft
from ombuds_desktop.validation.glyphs import CODE

from .support import BUILD_DATE, Case, make_pdf, pdffonts, pdftotext, qpdf_check

ARABIC = "شهادة ميلاد (birth certificate)"

#: script -> (document description, client's family name, given name)
SCRIPTS: dict[str, tuple[str, str, str]] = {
    "arabic": (ARABIC, "الحسيني", "فاطمة"),
    "hebrew": ("תעודת לידה (birth certificate)", "כהן", "מרים"),
    "cyrillic": ("Свидетельство о рождении", "Иванова", "Анна"),
    "greek": ("Πιστοποιητικό γέννησης", "Παπαδοπούλου", "Ελένη"),
    "devanagari": ("जन्म प्रमाणपत्र (birth certificate)", "शर्मा", "प्रिया"),
    "chinese": ("出生证明 (birth certificate)", "王", "小明"),
    "japanese": ("出生届受理証明書 (birth certificate)", "山田", "はなこ"),
    "korean": ("출생증명서 (birth certificate)", "김", "민준"),
    # typed with combining diacritics (decomposed), as some keyboards and scanners send it
    "vietnamese": (
        unicodedata.normalize("NFD", "Giấy khai sinh của Nguyễn Thị Ánh"),
        unicodedata.normalize("NFD", "Trần"),
        unicodedata.normalize("NFD", "Thị Ánh"),
    ),
}
RTL = {"arabic", "hebrew"}


def _norm(text: str) -> str:
    """pdftotext output compared by letters: presentation forms folded, bidi marks dropped."""
    text = unicodedata.normalize("NFKC", text)
    return " ".join("".join(ch for ch in text if unicodedata.category(ch) != "Cf").split())


def _words_present(expected: str, text: str, script: str) -> None:
    """Every word of ``expected`` is in ``text`` (right-to-left words in either order)."""
    got = _norm(text)
    for word in _norm(expected).split():
        word = word.strip("()")
        if not word:
            continue
        ok = word in got or (script in RTL and word[::-1] in got)
        assert ok, f"{word!r} missing from {got!r}"


def _fonts_ok(pdf: bytes) -> list[str]:
    """The packet's own fonts (the evidence files bring their own Helvetica) are all subsets."""
    found = [f for f in pdffonts(pdf) if f["name"] != "Helvetica"]
    for f in found:
        assert (f["emb"], f["sub"], f["uni"]) == ("yes", "yes", "yes"), f
    return [f["name"].split("+")[-1] for f in found]


def _case(tmp_path: Path, script: str) -> Case:
    desc, family, given = SCRIPTS[script]
    name = {"family": family, "given": given, "middle": ""}
    # The applicant signs Section 9 for themselves: the same name (rule R45).
    case = Case(tmp_path / script, values={"s5.name": name, "s9.signer_name": dict(name)})
    case.add("other", desc, "birth.pdf", make_pdf(["BIRTH CERTIFICATE"]), date="2001-02-03")
    return case


def _parts(case: Case, definition) -> dict[str, Rendered]:
    desc = case.draft.attachments[-1].description
    letter = build_letter(
        case.draft,
        definition,
        today=BUILD_DATE,
        enclosures=[f"Exhibit E: {desc}"],
        signature_enclosed="page",
    )
    return {
        "tab": render_tabs([("E", desc, "2001-02-03")]),
        "index": render_index(
            case.draft,
            definition,
            [PartRow("Cover letter", "1")],
            [IndexRow("E", desc, "Birth certificate", "2001-02-03", "9-9", "ab" * 32)],
        ),
        "cover letter": render_letter(letter, case.draft),
        "form": render_form(case.draft, definition),
        "signature page": render_signature_page(case.draft, definition, printed_on=BUILD_DATE),
    }


@pytest.mark.parametrize("script", list(SCRIPTS))
def test_each_script_prints_on_every_part(tmp_path, definition, script):
    case = _case(tmp_path, script)
    desc, family, given = SCRIPTS[script]
    for part, rendered in _parts(case, definition).items():
        assert rendered.missing_glyphs == set(), (part, rendered.missing_glyphs)
        qpdf_check(rendered.pdf)
        names = _fonts_ok(rendered.pdf)
        assert all(n.startswith("NotoSans") for n in names), (part, names)
        text = pdftotext(rendered.pdf)
        if part != "signature page":  # the signature page prints names, not documents
            _words_present(desc, text, script)
        if part != "tab":  # a tab prints the document, not the client
            _words_present(f"{given} {family}", text, script)
    assert case.draft.attachments[-1].description == desc
    assert not [f for f in validate_draft(case.draft, today=BUILD_DATE) if f.code == CODE]


@pytest.mark.parametrize(
    ("script", "font"),
    [
        ("arabic", "NotoSansArabic"),
        ("hebrew", "NotoSansHebrew"),
        ("devanagari", "NotoSansDevanagari"),
        ("chinese", "NotoSansCJK"),
        ("korean", "NotoSansCJK"),
    ],
)
def test_the_scripts_font_is_embedded(tmp_path, definition, script, font):
    rendered = render_tabs([("E", SCRIPTS[script][0], None)])
    names = _fonts_ok(rendered.pdf)
    assert any(n.startswith(font) for n in names), names
    assert any(n.startswith("NotoSans-") for n in names), names  # "(birth certificate)"


def _png(pdf: bytes, page: int = 1) -> Image.Image:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-f", str(page), "-l", str(page), "-", f"{tmp}/p"],
            input=pdf,
            check=True,
            capture_output=True,
            timeout=60,
        )
        (png,) = Path(tmp).glob("p*.png")
        return Image.open(png).convert("L").copy()


def _dark_pixels(img: Image.Image, box: tuple[float, float, float, float]) -> int:
    """Dark pixels inside ``box`` given in PDF points (x0, y0, x1, y1 from the bottom left)."""
    sx, sy = img.width / PAGE_W, img.height / PAGE_H
    x0, y0, x1, y1 = box
    crop = img.crop((int(x0 * sx), int((PAGE_H - y1) * sy), int(x1 * sx), int((PAGE_H - y0) * sy)))
    return sum(crop.histogram()[:128])


def test_arabic_tab_is_not_blank():
    """The regression of Why 6: the Arabic title on the tab printed as empty space."""
    title_band = (72, PAGE_H * 0.58 - 20, PAGE_W - 72, PAGE_H * 0.58 + 8)
    arabic = _png(render_tabs([("A", "شهادة ميلاد", None)]).pdf)
    assert _dark_pixels(arabic, title_band) > 60
    # and the band is empty when there is no title: the check looks at the right place
    empty = _png(render_tabs([("A", "", None)]).pdf)
    assert _dark_pixels(empty, title_band) == 0


def test_arabic_is_shaped_and_right_to_left():
    runs = fonts._layout("شهادة ميلاد", fonts.REGULAR)
    assert {r.font for r in runs} == {"OmbudsArabic", fonts.REGULAR}  # words and the space
    # joined (contextual) forms are narrower than the isolated letters side by side
    isolated = sum(fonts._layout(ch, fonts.REGULAR)[0].width for ch in "شهادة ميلاد" if ch != " ")
    assert fonts.width("شهادةميلاد", fonts.REGULAR, 1) < isolated
    # visual order: the first word of the Arabic text is drawn at the right
    first, *_, last = fonts._layout("شهادة ميلاد", fonts.REGULAR)
    assert "ش" not in str(first.text) or first is last
    # mixed text keeps the English reading order (left to right) around the Arabic
    mixed = fonts._layout(ARABIC, fonts.REGULAR)
    assert mixed[0].font == "OmbudsArabic" and "birth" in str(mixed[-1].text)


def test_latin_text_is_drawn_as_before():
    """Plain text needs no shaping: one run in the primary font, no /ActualText span."""
    for text in ("Nguyễn Thị Ánh", "Łukasz Żółć", "Свидетельство", "Πιστοποιητικό"):
        (run,) = fonts._layout(text, fonts.REGULAR)
        assert run.font == fonts.REGULAR and run.text == text
    s = Sheet(title="t")
    s.text(72, 700, "José Muñoz")
    assert not any("ActualText" in line for line in s.c._code)
    s.text(72, 680, ARABIC)
    assert any("ActualText" in line for line in s.c._code)


def test_devanagari_word_break_keeps_vowel_signs_with_their_letter():
    word = "प्रमाणपत्रप्रमाणपत्रप्रमाणपत्र"
    pieces = fonts._break_word(word, fonts.REGULAR, 12, 30)
    assert "".join(pieces) == word and len(pieces) > 1
    for piece in pieces:
        assert not unicodedata.combining(piece[0])
        assert unicodedata.category(piece[0]) not in ("Mn", "Mc")


def test_combining_diacritics_compose_and_position():
    text = fonts.clean(SCRIPTS["vietnamese"][1])
    assert text == "Trần"
    # a base + mark with no precomposed form is shaped (the mark placed by the font)
    (run,) = fonts._layout("q\u0303", fonts.REGULAR)
    assert fonts.width("q\u0303", fonts.REGULAR, 10) == pytest.approx(
        fonts.width("q", fonts.REGULAR, 10)
    )
    assert run.font == fonts.REGULAR


# -- missing glyphs: validate names the field, the build notes it ----------------------------


def test_unprintable_characters_are_named_per_field(tmp_path):
    case = Case(
        tmp_path / "c", values={"s5.name": {"family": "王𠀋", "given": "Ann", "middle": ""}}
    )
    case.add("other", "Birth certificate 😀", "b.pdf", make_pdf(), date="2001-02-03")
    found = {f.field: f for f in validate_draft(case.draft, today=BUILD_DATE) if f.code == CODE}
    n = len(case.draft.attachments) - 1
    assert set(found) == {"s5.name.family", f"s8.documents[{n}].description"}
    assert found[f"s8.documents[{n}].description"].severity == "warning"
    assert "cannot be printed: U+1F600" in found[f"s8.documents[{n}].description"].message
    assert "U+2000B" in found["s5.name.family"].message
    assert "王" not in found["s5.name.family"].message.split("printed:")[1]
    assert fonts.unprintable("ok 王 شهادة 😀 𠀋") == ["U+1F600", "U+2000B"]


def test_printable_text_gives_no_finding(case):
    assert fonts.unprintable(" ".join(" ".join(v) for v in SCRIPTS.values())) == []
    assert not [f for f in validate_draft(case.draft, today=BUILD_DATE) if f.code == CODE]


def test_rendered_parts_report_what_printed_blank():
    rendered = render_tabs([("A", "Photo 😀", None)])
    assert rendered.missing_glyphs == {"😀"}
    (note,) = missing_glyph_notes(rendered, None)
    assert "U+1F600" in note
    assert missing_glyph_notes(render_tabs([("A", ARABIC, None)])) == []


@pytest.mark.slow
def test_packet_with_every_script(tmp_path):
    """One whole packet: every description on tab, index, cover letter and Section 8."""
    case = _case(tmp_path, "arabic")
    for script, (desc, _, _) in SCRIPTS.items():
        if script != "arabic":
            case.add("other", desc, f"{script}.pdf", make_pdf([script.upper()]))
    case.add("other", "Photo 😀 of the family", "emoji.pdf", make_pdf(["EMOJI"]))
    result = build_packet(
        case.draft, case.root, options=PacketOptions(build_date=date(2026, 11, 24))
    )
    qpdf_check(result.pdf)
    names = _fonts_ok(result.pdf)
    for font in ("NotoSansArabic", "NotoSansHebrew", "NotoSansDevanagari", "NotoSansCJK"):
        assert any(n.startswith(font) for n in names), (font, names)
    text = pdftotext(result.pdf)
    for script, (desc, _, _) in SCRIPTS.items():
        _words_present(desc, text, script)
    assert any("U+1F600" in n for n in result.notes), result.notes


def test_quick_ranges_need_no_font_because_noto_sans_has_them_all():
    from ombuds_desktop.validation.glyphs import QUICK_RANGES

    fonts.register()
    covered = fonts._coverage[fonts.REGULAR]
    for a, b in QUICK_RANGES:
        for cp in range(max(a, 0x20), b):
            if unicodedata.category(chr(cp)) not in ("Cc", "Cf", "Cn", "Zl", "Zp"):
                assert cp in covered, hex(cp)


_MIXED = st.text(
    alphabet=st.sampled_from(
        list("abc XYZ 123 ().,-")
        + list("شهادةميلاد١٢٣")
        + list("תעודה")
        + list("प्रमाणपत्र")
        + list("王小明はなこ김민준")
        + ["\u0303", "\u200c", "\u200d", "😀", "\n"]
    ),
    max_size=60,
)


@settings(max_examples=60, deadline=None)
@given(_MIXED)
def test_any_mix_of_scripts_draws_wraps_and_loses_nothing(text):
    s = Sheet(title="t")
    for align in ("left", "center", "right"):
        s.text(300, 400, text, align=align)
    assert fonts.width(text.replace("\n", " "), fonts.REGULAR, 10) >= 0
    lines = fonts.wrap_lines(text, fonts.REGULAR, 9, 60)
    expected = " ".join(fonts.clean(text).split())
    assert " ".join(fonts.rest_of(lines, 0).split()) == expected
