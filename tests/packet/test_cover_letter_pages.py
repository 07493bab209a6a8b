"""Issue 14: a cover letter that runs over carries a continuation header and no orphan page.

Read from the rendered letter's text (pdftotext), page by page, for every
length of the enclosure list from 1 to 70 items (short and wrapping ones), so
each place a page can break is tried.
"""

from __future__ import annotations

import re

import pytest

from ombuds_desktop.packet import PacketOptions, build_packet
from ombuds_desktop.packet.cover_letter import KEEP_TOGETHER, build_letter, render_letter
from ombuds_desktop.validation import acknowledge, validate_draft

from .support import BUILD_DATE, Case, make_pdf, page_texts, pdftotext

HEADER = re.compile(r"Letter to the CIS Ombudsman, continued, page (\d+)")


def _item(k: int) -> str:
    long = " with a certified English translation and the envelope it came in" * (k % 4 == 0)
    return f"Exhibit {k}: Made-up notice Encl{k:03d}x{long}"


def _items_on(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"Encl(\d{3})x", text)]


def _letter_pdf(case: Case, definition, n: int) -> bytes:
    """The cover letter of ``case`` listing ``n`` made-up enclosures."""
    letter = build_letter(
        case.draft,
        definition,
        today=BUILD_DATE,
        enclosures=[_item(k) for k in range(1, n + 1)],
        signature_enclosed="page",
    )
    return render_letter(letter, case.draft).pdf


def _letter_pages(case: Case, definition, n: int) -> list[str]:
    return page_texts(_letter_pdf(case, definition, n))


def _check(pages: list[str], n: int) -> None:
    seen: list[int] = []
    for number, text in enumerate(pages, 1):
        head = HEADER.search(text)
        if number == 1:
            assert head is None, "the first page is the letter itself"
        else:  # every later page says whose letter it continues, and which page it is
            assert head is not None and int(head.group(1)) == number, text[:200]
            assert "Re: Łukasz Żółć" in text
        items = _items_on(text)
        seen += items
        if "Enclosures" in text:
            assert len(items) >= min(KEEP_TOGETHER, n), (number, items)
        if number > 1:  # never a page of header and footer only
            assert items or len(text.split()) > 40, text
    assert seen == list(range(1, n + 1))
    if len(pages) > 1:
        assert len(_items_on(pages[-1])) >= KEEP_TOGETHER or "Sincerely" in pages[-1]


def test_enclosure_lists_of_every_length(case, definition):
    lengths = {}
    for n in range(1, 71):
        pages = _letter_pages(case, definition, n)
        _check(pages, n)
        lengths[n] = len(pages)
    assert lengths[1] == 1  # negative case: a short letter has one page and no header
    assert lengths[70] >= 3  # the sweep did cross two page breaks


@pytest.mark.slow
def test_packet_with_many_exhibits_has_a_continued_cover_letter(tmp_path):
    case = Case(tmp_path / "case", standard=False)
    case.add(
        "g28", "Form G-28 on file with USCIS", "g28.pdf", make_pdf(["G-28"]), date="2024-11-04"
    )
    for k in range(1, 36):
        case.add("other", f"Made-up notice Encl{k:03d}x", f"doc{k}.pdf", make_pdf([f"Doc {k}"]))
    findings = validate_draft(case.draft, today=BUILD_DATE, base_dir=case.root)
    acknowledge(case.draft, findings, ["all"])
    packet = build_packet(case.draft, case.root, options=PacketOptions(build_date=BUILD_DATE))
    letter = packet.part("cover_letter")
    assert letter is not None and letter.count >= 2
    text = pdftotext(packet.pdf, first=1, last=letter.count)
    pages = text.split("\f")[:-1]
    exhibits = [_items_on(p) for p in pages]
    assert sum(exhibits, []) == list(range(1, 36))
    for number, page in enumerate(pages[1:], 2):
        assert f"continued, page {number}" in page
        assert len(exhibits[number - 1]) >= KEEP_TOGETHER


@pytest.mark.parametrize(
    "family",
    [
        "Okonkwo-Halvorsen " * 8,  # about 150 characters
        "Nguyễn-Trần Thị Ánh Phương " * 5,
        "عبد الرحمن بن محمد الهاشمي " * 5,
    ],
    ids=["latin-150", "vietnamese-135", "arabic-135"],
)
def test_continuation_header_of_a_long_name_stays_on_the_page(case, definition, family):
    from ombuds_desktop.draft import facts

    from .stampcheck import word_boxes

    case.draft.values[facts.field_id(case.draft, "client_name")] = {
        "family": family.strip(),
        "given": "Ana",
        "middle": "",
    }
    for n in (30, 60):
        pdf = _letter_pdf(case, definition, n)
        pages = page_texts(pdf)
        assert len(pages) >= 2
        seen = [k for p in pages for k in _items_on(p)]
        assert seen == list(range(1, n + 1))
        for number, page in enumerate(word_boxes(pdf)[1:], 2):
            head = [w for w in page.words if w.y0 < 120]  # the continuation header
            assert head, number
            for w in head:
                assert w.x0 >= 18 and w.x1 <= page.width - 18, (number, w)
