"""Form 7001 on paper: read back with pdftotext and pdffonts, as a reviewer would."""

from __future__ import annotations

import re
import tomllib
from io import BytesIO

import pytest
from pypdf import PdfReader

from ombuds_desktop import paths
from ombuds_desktop.draft import Draft
from ombuds_desktop.formdef import load_definition_file, load_form_key, parse_definition
from ombuds_desktop.packet.form_render import render_form
from ombuds_desktop.packet.layout import Rendered
from ombuds_desktop.printed.values import exhibit_label

from .support import NAMES, Case, pdffonts, pdftotext, qpdf_check, words


def _text(draft: Draft, definition) -> str:
    rendered = render_form(draft, definition)
    qpdf_check(rendered.pdf)
    return " ".join(pdftotext(rendered.pdf).split())


@pytest.fixture(scope="module")
def standard_form(tmp_path_factory) -> Rendered:
    """The form of the standard ``case``, unchanged: rendered once for the tests that only
    read it (tests that change the draft render their own)."""
    c = Case(tmp_path_factory.mktemp("form") / "case")
    return render_form(c.draft, load_form_key(c.draft.form))


@pytest.fixture(scope="module")
def standard_text(standard_form) -> str:
    """``_text`` of the standard form: checked with qpdf, words joined by single spaces."""
    qpdf_check(standard_form.pdf)
    return " ".join(pdftotext(standard_form.pdf).split())


def test_every_printed_section_heading_in_order(standard_text, definition):
    text = standard_text
    positions = [text.find(s.heading) for s in definition.sections if s.printed]
    assert -1 not in positions
    assert positions == sorted(positions)
    assert "Before you file" not in text  # the app-only section is never printed


def test_header_has_form_identity(standard_text, definition):
    text = standard_text
    for part in (
        definition.number,
        definition.title,
        f"OMB No. {definition.omb}",
        definition.edition_label,
    ):
        assert part in text


def test_values_and_non_latin_names_are_text(standard_text):
    text = standard_text
    for value in (
        "Żółć",
        "Łukasz",
        "Søren",
        "Ødegård",
        "MSC2490077701",
        "11/04/2024",
        "A208-555-031",
        "José Muñoz",
        "Nguyễn Thị Ánh",
        "Venezuela",
    ):
        assert value in text, value
    assert "2024-11-04" not in text  # dates print mm/dd/yyyy


def test_font_is_embedded_unicode_subset(standard_form):
    fonts = pdffonts(standard_form.pdf)
    assert fonts, "no fonts"
    for f in fonts:
        assert "NotoSans" in f["name"], f
        assert (f["emb"], f["sub"], f["uni"]) == ("yes", "yes", "yes"), f


def test_options_print_with_checked_and_empty_boxes(standard_form):
    text = pdftotext(standard_form.pdf)
    # the chosen reason is preceded by the bold X; the others are not
    assert "X Case outside published processing times" in " ".join(text.split())
    assert "X Lost file" not in " ".join(text.split())
    assert "Lost file, or a file transfer problem" in text


def test_hidden_fields_are_not_printed_but_hidden_section_keeps_heading(plain_case, definition):
    draft = plain_case.draft
    draft.values["app.role"] = "self"
    draft.values["s4.benefit_other"] = "SHOULD NOT PRINT 8812"  # hidden: benefit is not other
    text = _text(draft, definition)
    assert "SHOULD NOT PRINT 8812" not in text
    assert "Section 10. Consent for Attorney or Accredited Representative" in text
    assert "Not applicable to this request." in text


def test_field_marked_not_printed_is_not_printed(case, definition):
    case.draft.values["s9.capacity"] = "representative"
    case.draft.values["s9.client_consent_date"] = "2026-10-31"
    assert not definition.field("s9.client_consent_date").printed
    text = _text(case.draft, definition)
    assert "Date the client consented" not in text
    assert "10/31/2026" not in text


def test_mirror_prints_the_mirrored_answer(standard_text):
    text = standard_text
    assert "X Attorney" in text  # Section 7 mirrors app.role = attorney


def test_signature_lines_only(standard_form):
    rendered = standard_form
    text = pdftotext(rendered.pdf)
    assert "Signature of applicant or petitioner" in text
    assert "Signature of attorney or accredited representative" in text
    for page in PdfReader(BytesIO(rendered.pdf)).pages:  # no images: nothing pasted
        xobjects = page.get("/Resources", {}).get("/XObject", {})
        assert not xobjects


def test_wet_ink_note_when_required(case, definition):
    from ombuds_desktop.packet.signature_page import wet_ink_notes

    notes = wet_ink_notes(case.draft, "abc")
    text = " ".join(pdftotext(render_form(case.draft, definition, section_notes=notes).pdf).split())
    assert "Wet-ink signature required (asylee)" in text
    assert (
        wet_ink_notes(Draft(form=case.draft.form, values={"app.client_category": ["none"]}), None)
        == {}
    )


def test_long_explanation_continues_on_addendum_and_nothing_is_lost(case, definition):
    # Distinct numbered words, so the explanation can be picked out of the page text.
    tokens = [f"{w}{i:03d}" for i in range(150) for w in ("alpha", "bravo", "Żółć")]
    explanation = " ".join(tokens[:240]) + "\n\n" + " ".join(tokens[240:])
    case.draft.values["s2.explanation"] = explanation
    rendered = render_form(case.draft, definition)
    qpdf_check(rendered.pdf)
    text = pdftotext(rendered.pdf)
    flat = " ".join(text.split())
    assert "Section 2, Item 6" in flat  # the addendum names the item as on USCIS forms
    assert "(continued on the addendum: Section 2, Item 6)" in text
    assert "continued (continued)" not in flat
    assert any(m.title.startswith("Addendum") for m in rendered.outline)
    found = [w for w in words(text) if re.fullmatch(r"(alpha|bravo|Żółć)\d{3}", w)]
    assert found == tokens  # every word, once, in order


def test_short_explanation_has_no_addendum(standard_form):
    rendered = standard_form
    text = pdftotext(rendered.pdf)
    assert "on the addendum" not in text and "Addendum" not in text
    assert not any(m.title.startswith("Addendum") for m in rendered.outline)


def test_group_rows_beyond_the_form_continue_on_addendum(case, definition):
    rows = [
        {
            "form_number": "I-485",
            "receipt_number": f"MSC24900777{i:02d}",
            "receipt_date": "2024-11-04",
            "primary": i == 0,
        }
        for i in range(6)
    ]
    case.draft.values["s3.filings"] = rows
    text = " ".join(pdftotext(render_form(case.draft, definition).pdf).split())
    assert "Rows 4–6 continue on the addendum: Section 3, Item 1." in text
    assert "Rows 4–6 continue on the addendum" in text
    for row in rows:
        assert row["receipt_number"] in text


def test_group_cell_overflow(case, definition):
    long = " ".join(f"reply{i:03d}" for i in range(400))
    case.draft.values["s1a.actions"][0]["result"] = long
    text = pdftotext(render_form(case.draft, definition).pdf)
    assert "Section 1A, Item 1, row 1, What USCIS said or did" in " ".join(text.split())
    assert [w for w in words(text) if w.startswith("reply")] == long.split()


def test_new_edition_needs_no_python_change(case, tmp_path):
    """A field and a section added to an edition file print without code changes."""
    source = paths.forms_dir() / "dhs-7001" / "2022-11.toml"
    data = tomllib.loads(source.read_text(encoding="utf-8"))
    data["form"]["edition_label"] = "Edition 01/01/2030"
    data["sections"][-1]["fields"].append(
        {"id": "s10.new_item", "type": "text", "label": "Brand-new item from the 2030 edition"}
    )
    data["sections"].append(
        {
            "id": "s11",
            "number": "11",
            "title": "Interpreter Certification",
            "provenance": "reconstructed",
            "fields": [{"id": "s11.language", "type": "text", "label": "Language interpreted"}],
        }
    )
    new = parse_definition(data, "test-2030.toml")
    case.draft.values["s10.new_item"] = "NEW VALUE 2030"
    case.draft.values["s11.language"] = "Vietnamese"
    text = _text(case.draft, new)
    for part in (
        "Edition 01/01/2030",
        "Brand-new item from the 2030 edition",
        "NEW VALUE 2030",
        "Section 11. Interpreter Certification",
        "Language interpreted",
        "Vietnamese",
    ):
        assert part in text


def test_installed_edition_loads(definition):
    path = paths.forms_dir() / "dhs-7001" / "2022-11.toml"
    assert load_definition_file(path).omb == definition.omb


@pytest.mark.parametrize("name", NAMES)
def test_each_name_renders(name, tmp_path, definition):
    family, given = name.split(" ", 1)[::-1] if name != "Nguyễn Thị Ánh" else ("Nguyễn", "Thị Ánh")
    c = Case(
        tmp_path / "n",
        standard=False,
        values={"s5.name": {"family": family, "given": given, "middle": ""}},
    )
    rendered = render_form(c.draft, definition)
    assert not rendered.missing_glyphs
    text = " ".join(pdftotext(rendered.pdf).split())
    assert family in text and given in text


def test_missing_glyphs_are_reported(case, definition):
    # Chinese prints (the CJK fallback font); an emoji and a rare ideograph do not
    case.draft.values["s2.explanation"] = "Name in Chinese: 王小明 𠀋 😀"
    assert render_form(case.draft, definition).missing_glyphs == {"𠀋", "😀"}


def test_exhibit_labels():
    assert [exhibit_label(i, "letters") for i in (0, 1, 25, 26, 27)] == ["A", "B", "Z", "AA", "AB"]
    assert [exhibit_label(i, "numbers") for i in (0, 9)] == ["1", "10"]


def test_draft_with_no_answers_still_renders(definition, tmp_path):
    rendered = render_form(Draft(form="dhs-7001/2022-11"), definition)
    qpdf_check(rendered.pdf)
    assert "(client name not entered)" in pdftotext(rendered.pdf)


def test_wrongly_typed_values_do_not_crash(case, definition):
    case.draft.values.update(
        {
            "s2.reasons": "processing_time",
            "s3.filings": "nonsense",
            "s5.name": "Plain String Name",
            "s5.address": ["x"],
            "s1a.actions": [None, 3],
        }
    )
    qpdf_check(render_form(case.draft, definition).pdf)
