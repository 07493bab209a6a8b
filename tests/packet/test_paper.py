"""Paper an intake officer and a meticulous attorney accept (issue 14): read from the OUTPUT.

Every check reads the generated PDF (word boxes from ``pdftotext -bbox``), never the code:
signatures stay on the page of what they sign, filed pages speak to the Ombudsman only,
long names in four scripts stay inside the printable area, the wet-ink page is marked
DRAFT exactly when the draft has errors, and the form carries item numbers.
"""

from __future__ import annotations

import functools
import os
import re
import tomllib
from collections.abc import Sequence
from datetime import date
from typing import Any

import pytest

from ombuds_desktop import paths
from ombuds_desktop.cli.testing import run_cli
from ombuds_desktop.draft import Draft, facts
from ombuds_desktop.formdef import FormDefinition, load_form_key
from ombuds_desktop.formdef.loader import FormDefinitionError, parse_definition
from ombuds_desktop.packet import PacketOptions, build_packet
from ombuds_desktop.packet.exports import signature_page_pdf
from ombuds_desktop.packet.form_render import render_form
from ombuds_desktop.packet.signature_page import page_id, render_signature_page, wet_ink_notes
from ombuds_desktop.printed.values import field_shown, section_shown
from ombuds_desktop.samples import load_sample, sample_names, write_sample
from ombuds_desktop.validation import validate_draft
from ombuds_desktop.validation.acknowledge import acknowledge
from ombuds_desktop.validation.findings import has_errors

from .paper_support import (
    LENGTHS,
    SCRIPTS,
    long_value,
    outside_printable,
    page_texts,
    word_boxes,
)
from .support import BUILD_DATE

SAMPLES = sample_names()


def _flat(text: str) -> str:
    return " ".join(text.split())


def _form(draft: Draft, definition: FormDefinition) -> bytes:
    """Form 7001 as the packet draws it (with its wet-ink note)."""
    draft = facts.with_forced_answers(draft)
    notes = wet_ink_notes(draft, page_id(draft, BUILD_DATE))
    return render_form(draft, definition, section_notes=notes).pdf


@functools.cache
def _sample_pages(name: str) -> tuple[str, ...]:
    """The page texts of sample ``name``'s form, unchanged: rendered once, read by many tests."""
    draft = load_sample(name)
    return tuple(page_texts(_form(draft, load_form_key(draft.form))))


@functools.cache
def _long_form(name: str, script: str, n: int) -> bytes:
    """Sample ``name``'s form with every name, firm, address and description ``n`` characters
    of ``script`` (``_lengthen``): rendered once, read by the tests of long values."""
    draft = _lengthen(load_sample(name), long_value(script, n))
    return _form(draft, load_form_key(draft.form))


def _pages_with(pages: Sequence[str], needle: str) -> list[int]:
    needle = _flat(needle)
    return [i for i, text in enumerate(pages) if needle in text]


def _line_pages(pages: Sequence[str], sig: Any, values: Any) -> list[int]:
    """Pages with the signature line ``sig`` ("4. Signature of …", not "14. Signature of …")."""
    label = re.escape(_flat(f"{sig.item}. {sig.label_for(values)}"))
    return [i for i, text in enumerate(pages) if re.search(rf"(?<![\d.]){label}", text)]


def _signature_sections(draft: Draft, definition: FormDefinition):
    """(section, consent text, signature field, date field) of each shown consent section."""
    for sec in definition.sections:
        if not sec.printed or not sec.consent_text or not section_shown(sec, draft.values):
            continue
        fields = [f for f in sec.fields if f.printed and field_shown(f, draft.values)]
        sig = next(f for f in fields if f.type == "signature")
        after = fields[fields.index(sig) + 1 :]
        date_field = after[0] if after and after[0].type == "date" else None
        yield sec, definition.consent[sec.consent_text], sig, date_field


def _lengthen(draft: Draft, value: str) -> Draft:
    """Every name, firm, address line and description of ``draft`` set to ``value``."""
    v = draft.values
    for key in ("s5.name", "s9.signer_name", "s10.name", "s7.name"):
        if isinstance(v.get(key), dict):
            v[key] = {**v[key], "family": value, "given": value}
    for key in ("s5.org_name", "s7.organization", "s10.firm"):
        if v.get(key):
            v[key] = value
    for key in ("s5.address", "s10.address", "s7.address"):
        if isinstance(v.get(key), dict):
            v[key] = {**v[key], "street": value, "city": value}
    for att in draft.attachments:
        att.description = value
    return draft


def _assert_kept_together(pages: Sequence[str], draft: Draft, definition: FormDefinition) -> None:
    for sec, consent, sig, date_field in _signature_sections(draft, definition):
        opening = " ".join(consent.split()[:12])
        consent_pages = _pages_with(pages, opening)
        assert len(consent_pages) == 1, (sec.id, consent_pages)
        page = consent_pages[0]
        # the closing words of the consent too: it is not split across the break
        assert _flat(" ".join(consent.split()[-6:])) in pages[page], sec.id
        assert _line_pages(pages, sig, draft.values) == [page], sec.id
        if date_field is not None:
            assert _flat(f"{date_field.label} (mm/dd/yyyy)") in pages[page], sec.id
        printed_name = next(
            (f for f in sec.fields if f.type == "person_name" and field_shown(f, draft.values)),
            None,
        )
        if printed_name is not None and sec.id == "s9":
            assert printed_name.label in pages[page], sec.id


# -- 1. keep together ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", SAMPLES)
def test_consent_and_its_signature_block_share_a_page(name, definition):
    draft = load_sample(name)
    _assert_kept_together(_sample_pages(name), draft, definition)


@pytest.mark.parametrize("script", sorted(SCRIPTS))
@pytest.mark.parametrize("name", SAMPLES)
def test_consent_and_signature_share_a_page_with_long_names(name, script, definition):
    draft = _lengthen(load_sample(name), long_value(script, 150))
    _assert_kept_together(page_texts(_long_form(name, script, 150)), draft, definition)


@pytest.mark.parametrize("name", SAMPLES)
def test_consent_and_signature_share_a_page_with_long_text(name, definition):
    """A long explanation and many filings push everything after them down the pages."""
    draft = load_sample(name)
    draft.values["s2.explanation"] = " ".join(f"word{i:04d}" for i in range(700))
    draft.values["s3.filings"] = [
        {"form_number": "I-485", "receipt_number": f"MSC24900777{i:02d}", "primary": i == 0}
        for i in range(5)
    ]
    _assert_kept_together(page_texts(_form(draft, definition)), draft, definition)


def test_a_consent_too_long_for_its_section_page_moves_next_to_its_signature(definition):
    """Section 10 with many bar admissions and long answers cannot fit on one page: its
    consent is then printed right above the signature line, still together."""
    draft = load_sample("attorney-employer")
    draft.values["s10.bar"] = [
        {"jurisdiction": "NY", "bar_number": f"{5550000 + i}"} for i in range(10)
    ]
    draft = _lengthen(draft, long_value("latin", 150))
    _assert_kept_together(page_texts(_form(draft, definition)), draft, definition)


@pytest.mark.parametrize("name", SAMPLES)
def test_every_group_of_choices_stays_on_one_page(name, definition):
    draft = facts.with_forced_answers(load_sample(name))
    pages = _sample_pages(name)  # _form forces the same answers
    for sec in definition.sections:
        if not sec.printed or not section_shown(sec, draft.values):
            continue
        for f in sec.fields:
            if f.type not in ("single_choice", "multiple_choice") or not f.printed:
                continue
            if not field_shown(f, draft.values) or not f.options:
                continue
            where = _pages_with(pages, f.numbered_label)
            assert len(where) == 1, (f.id, where)
            for opt in f.options:
                assert _flat(opt.label) in pages[where[0]], (f.id, opt.id)


@pytest.mark.parametrize("name", SAMPLES)
def test_no_page_holds_only_a_signature_line(name, definition):
    draft = load_sample(name)
    pages = _sample_pages(name)
    for sec, consent, sig, _ in _signature_sections(draft, definition):
        for page in _line_pages(pages, sig, draft.values):
            assert _flat(" ".join(consent.split()[:12])) in pages[page], (sec.id, page)


def test_section_heading_stays_with_its_first_field(definition):
    draft = load_sample("attorney-employer")
    pages = _sample_pages("attorney-employer")
    for sec in definition.sections:
        if not sec.printed or not section_shown(sec, draft.values):
            continue
        first = next(f for f in sec.fields if f.printed and field_shown(f, draft.values))
        at = _pages_with(pages, sec.heading)
        assert len(at) == 1, sec.heading
        assert _flat(first.numbered_label)[:40] in pages[at[0]], (sec.id, first.id)


# -- 2. filed pages speak to the Ombudsman only -------------------------------------------------


@pytest.mark.parametrize("name", SAMPLES)
def test_form_pages_carry_no_notes_to_the_attorney(name, definition):
    pages = _sample_pages(name)
    flat = " ".join(pages)
    assert "reconstructed" not in flat
    assert "official wording was not available" not in flat
    assert not re.search(r"\bR\d+\b", flat)
    assert not re.search(r"Draft [0-9a-f]{8}", flat)
    assert "(continued)" not in flat  # no empty continuation box when the text fitted
    for text in pages:
        assert "Prepared with Ombuds Desktop" in text  # the neutral provenance line
    assert definition.notes["deadline_note"][:60] in flat  # what the filer must know stays


@pytest.mark.slow
@pytest.mark.parametrize("name", ["asylee-attorney", "attorney-employer", "family-parent"])
def test_final_packet_has_no_rule_codes_or_draft_ids(name, tmp_path, definition):
    path = write_sample(name, tmp_path)
    from ombuds_desktop.draft import read_draft_file

    draft = read_draft_file(path)
    if facts.is_represented(draft):  # the case that printed "as rule R20 asks by default"
        draft.values["s9.capacity"] = "representative"
        draft.values["s9.signer_name"] = draft.values["s10.name"]
        draft.values["s9.client_consent_date"] = "2026-11-01"
    findings = validate_draft(draft, definition, today=BUILD_DATE, base_dir=tmp_path)
    assert not has_errors(findings), [f.message for f in findings if f.severity == "error"]
    acknowledge(draft, findings, ["all"])
    packet = build_packet(draft, tmp_path, definition, PacketOptions(build_date=BUILD_DATE))
    assert not packet.watermarked
    generated = [
        p for p in packet.parts if p.part in ("cover_letter", "form", "signature", "index")
    ]
    pages = page_texts(packet.pdf)
    for part in generated:
        for text in pages[part.start : part.start + part.count]:
            assert not re.search(r"\bR\d+\b", text), (part.part, text)
            assert not re.search(r"Draft [0-9a-f]{8}", text), part.part
            assert "reconstructed" not in text, part.part
            assert "DRAFT" not in text, part.part


def test_reconstructed_wording_is_still_told_to_the_attorney(definition):
    codes = {f.code for f in validate_draft(load_sample("vawa-self"), definition, today=BUILD_DATE)}
    assert "R46-reconstructed-wording" in codes


def test_addendum_heading_is_never_continued_twice(definition):
    draft = load_sample("asylee-attorney")
    draft.values["s2.explanation"] = " ".join(f"word{i:04d}" for i in range(1400))
    flat = _flat(" ".join(page_texts(_form(draft, definition))))
    assert "(continued on the addendum: Section 2, Item 6)" in flat
    assert "Section 2, Item 6 (continued)" in flat  # the addendum runs over a page
    assert "continued (continued)" not in flat and ", continued" not in flat


# -- 3. long text everywhere --------------------------------------------------------------------


@pytest.mark.parametrize("n", LENGTHS)
@pytest.mark.parametrize("script", sorted(SCRIPTS))
@pytest.mark.parametrize("name", ["attorney-employer", "asylee-attorney"])
def test_long_values_stay_inside_the_printable_area(name, script, n, definition):
    draft = _lengthen(load_sample(name), long_value(script, n))
    form = _long_form(name, script, n)
    sig = render_signature_page(draft, definition, printed_on=BUILD_DATE).pdf
    for what, pdf in (("form", form), ("signature page", sig)):
        bad = outside_printable(word_boxes(pdf))
        assert not bad, (what, [(w.page, w.text[:30], w.x0, w.x1, w.y1) for w in bad[:5]])


@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_long_name_prints_whole_on_the_signature_page(script, definition):
    name = long_value(script, 75)
    draft = _lengthen(load_sample("asylee-attorney"), name)
    text = "".join(page_texts(render_signature_page(draft, definition, printed_on=BUILD_DATE).pdf))
    squeezed = re.sub(r"\s+", "", text)
    assert re.sub(r"\s+", "", name) in squeezed  # wrapped or shrunk, never cut


@pytest.mark.slow
@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_long_values_in_a_whole_packet_stay_inside_the_printable_area(script, tmp_path, definition):
    path = write_sample("attorney-employer", tmp_path)
    from ombuds_desktop.draft import read_draft_file

    draft = _lengthen(read_draft_file(path), long_value(script, 150))
    options = PacketOptions(build_date=BUILD_DATE, allow_draft=True)
    packet = build_packet(draft, tmp_path, definition, options)
    # Every page, stamps included (page numbers, exhibit labels in the stamp band), and the
    # evidence pages too: nothing within 0.25" of the paper's edge.
    bad = outside_printable(word_boxes(packet.pdf))
    assert not bad, [(w.page, w.text[:30], w.x0, w.x1, w.y0, w.y1) for w in bad[:5]]


# -- 4. the wet-ink signature page --------------------------------------------------------------


def _opts() -> PacketOptions:
    return PacketOptions(build_date=BUILD_DATE)


def test_signature_page_of_an_invalid_draft_is_marked_draft(definition):
    draft = load_sample("mistakes")
    assert has_errors(validate_draft(draft, definition, today=BUILD_DATE))
    pdf = signature_page_pdf(draft, definition, _opts())
    flat = _flat(" ".join(page_texts(pdf)))
    assert "DRAFT - DO NOT SIGN" in flat
    assert "Do not give this page to the client to sign" in flat
    assert "Do not sign: draft with validation errors" in flat
    assert ", in ink Date" not in flat  # no signature line that looks ready to sign


def test_signature_page_of_a_valid_draft_has_no_draft_mark(definition):
    draft = load_sample("asylee-attorney")
    assert not has_errors(validate_draft(draft, definition, today=BUILD_DATE))
    flat = _flat(" ".join(page_texts(signature_page_pdf(draft, definition, _opts()))))
    assert "DRAFT" not in flat and "Do not sign" not in flat
    assert "Signature of applicant or petitioner, in ink" in flat


def test_signature_page_carries_the_least_personal_data(definition):
    draft = load_sample("asylee-attorney")
    flat = _flat(" ".join(page_texts(signature_page_pdf(draft, definition, _opts()))))
    assert facts.client_name(draft) in flat
    assert "Form I-485" in flat and "MSC2490077701" in flat
    assert page_id(draft, BUILD_DATE) in flat and definition.number in flat
    assert "A-Number" not in flat and "208-555-031" not in flat and "208555031" not in flat
    assert "Date of birth" not in flat and "02/28/1986" not in flat


def test_lines_are_labelled_for_who_signs(definition):
    """Section 9 ticked "Attorney … on the client's behalf": the form's line is the
    attorney's; the wet-ink page is still signed by the client, and says so."""
    draft = load_sample("asylee-attorney")
    draft.values["s9.capacity"] = "representative"
    draft.values["s9.signer_name"] = draft.values["s10.name"]
    draft.values["s9.client_consent_date"] = "2026-11-01"
    errors = [
        f for f in validate_draft(draft, definition, today=BUILD_DATE) if f.severity == "error"
    ]
    assert not errors, [f.message for f in errors]
    form = _flat(" ".join(page_texts(_form(draft, definition))))
    assert "Signature of attorney or accredited representative, on the client's behalf" in form
    assert "Signature of applicant or petitioner" not in form
    sig = _flat(" ".join(page_texts(signature_page_pdf(draft, definition, _opts()))))
    assert "Signature of applicant or petitioner, in ink" in sig
    draft.values["s9.capacity"] = "parent"
    form = _flat(" ".join(page_texts(_form(draft, definition))))
    assert "Signature of parent, for the child named in Section 5" in form


@pytest.mark.parametrize("name", ["family-parent", "family-child-a"])
def test_hand_written_date_lines_are_never_prefilled(name, definition):
    draft = load_sample(name)
    typed = draft.values["s9.date"]
    assert typed  # the samples carry a typed date
    shown = date.fromisoformat(typed).strftime("%m/%d/%Y")
    assert shown not in _flat(" ".join(page_texts(_form(draft, definition))))
    sig = signature_page_pdf(draft, definition, _opts())
    assert shown not in _flat(" ".join(page_texts(sig)))


# -- 5. item numbers ----------------------------------------------------------------------------


def test_form_prints_item_numbers_from_the_edition(definition):
    flat = _flat(" ".join(_sample_pages("attorney-employer")))
    s9 = definition.section("s9")
    capacity = next(f for f in s9.fields if f.id == "s9.capacity")
    assert capacity.item == "1"
    assert "1. Section 9 is signed by" in flat
    assert "2. Printed name of signer" in flat and "2.a Family name" in flat
    assert "6. Explanation of the difficulty" in flat


def _edition() -> dict[str, Any]:
    source = paths.forms_dir() / "dhs-7001" / "2022-11.toml"
    return tomllib.loads(source.read_text(encoding="utf-8"))


def test_item_numbers_follow_field_order_and_an_edition_may_set_them():
    data = _edition()
    s2 = next(s for s in data["sections"] if s["id"] == "s2")
    s2["fields"][0]["item"] = "1.a"
    d = parse_definition(data, "items.toml")
    items = [f.item for f in d.section("s2").fields]
    assert items[0] == "1.a" and items[1:] == [str(n) for n in range(2, len(items) + 1)]
    # the app-only section is never printed, so it has no item numbers
    assert all(not f.item for f in d.section("app").fields)
    # a field that is not printed takes no number
    s9 = [(f.id, f.item) for f in d.section("s9").fields]
    assert ("s9.client_consent_date", "") in s9


def test_label_by_must_name_options_of_its_field():
    data = _edition()
    s9 = next(s for s in data["sections"] if s["id"] == "s9")
    sig = next(f for f in s9["fields"] if f["id"] == "s9.signature")
    sig["label_by"]["labels"]["nobody"] = "Signature of nobody"
    with pytest.raises(FormDefinitionError, match="'nobody' is not an option of s9.capacity"):
        parse_definition(data, "bad.toml")


# -- the command line says why the page is marked ----------------------------------------------


def test_cli_signature_page_of_an_invalid_draft_is_marked_and_says_why(tmp_path):
    path = write_sample("mistakes", tmp_path)
    out = tmp_path / "sig.pdf"
    env = {k: v for k, v in os.environ.items() if k != "OMBUDS_DATA_DIR"}
    r = run_cli(
        "signature-page",
        str(path),
        "--out",
        str(out),
        "--date",
        "2026-11-24",
        env=env,
        replace_env=True,
    )
    assert r.returncode == 0, r.stderr
    assert "marked 'DRAFT - DO NOT SIGN'" in r.stderr
    assert "DRAFT - DO NOT SIGN" in " ".join(page_texts(out.read_bytes()))


def test_an_organizations_page_is_signed_by_its_official(definition):
    """A petitioning company signs through an official: the line says so, and the printed
    name is left for the official to write (a company's name is not a person's)."""
    draft = load_sample("attorney-employer")
    flat = _flat(" ".join(page_texts(signature_page_pdf(draft, definition, _opts()))))
    assert "Signature of authorized official of the petitioning organization, in ink" in flat
    assert "for Brightline Robotics LLC" in flat
    assert "Signature of applicant or petitioner" not in flat
