"""The status every save computes (the drafts list's) is cheap, and its shortcuts change nothing.

The benchmark (benchmarks/bench_vault.py) measures the save; these tests pin the shortcuts:
the glyph pre-check is one scan, the rules an edition supports are remembered per edition
object, the filings look the edition's parts up once, and the status stops at the first
error (it needs nothing more).  Before (cProfile, a full draft):
the glyph pre-check, a Python loop per character, was two thirds of the status.
"""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from ombuds_desktop import formdef
from ombuds_desktop.draft import Draft, facts
from ombuds_desktop.formdef import load_form_key
from ombuds_desktop.samples import sample_names
from ombuds_desktop.validation import applicable_rules, glyphs
from ombuds_desktop.validation.engine import has_error
from ombuds_desktop.validation.findings import has_errors
from ombuds_desktop.validation.status import draft_status

from .conftest import EDITION, TODAY, edition_without, sample, validate
from .test_scenarios import SCENARIOS


def _by_ranges(text: str) -> bool:
    """What QUICK_RANGES say, character by character (the definition)."""
    return all(any(a <= ord(ch) < b for a, b in glyphs.QUICK_RANGES) for ch in text)


def test_the_quick_glyph_check_agrees_with_its_ranges() -> None:
    edges = {c for a, b in glyphs.QUICK_RANGES for c in (a - 1, a, b - 1, b) if c >= 0}
    points = sorted(edges | set(range(0, 0x2200)) | set(range(0x2200, 0x110000, 331)))
    assert [c for c in points if glyphs._quick(chr(c)) != _by_ranges(chr(c))] == []
    rng = random.Random(7)
    for _ in range(3000):
        text = "".join(chr(rng.choice(points)) for _ in range(rng.randint(0, 6)))
        assert glyphs._quick(text) == _by_ranges(text), ascii(text)
    assert glyphs._quick("Nguyễn Thị Ánh — 12 Hidden Lane")  # Vietnamese, a dash: quick
    assert not glyphs._quick("Ana 😀")  # an emoji: the fonts are asked
    assert not glyphs._quick("a\ud800")  # a lone surrogate is not quick either


def test_applicable_rules_are_remembered_per_edition_object() -> None:
    full = load_form_key(EDITION)
    active, skipped = applicable_rules(full)
    active.clear()  # the caller's lists are its own
    assert applicable_rules(full)[0] and applicable_rules(full)[1] == skipped
    lacking = edition_without("s2.explanation")  # another object: its own answer
    assert "R13" not in applicable_rules(lacking)[0]
    assert "R13" in applicable_rules(full)[0]


def test_filings_name_a_missing_part_as_before() -> None:
    draft = sample()
    assert facts.filings(draft)  # the sample has filings
    edition = load_form_key(draft.form)
    parts = dict(edition.meanings["filing_parts"])
    del parts["receipt_date"]
    patched = replace(edition, meanings={**edition.meanings, "filing_parts": parts})
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(formdef, "load_form_key", lambda key: patched)
        with pytest.raises(facts.EditionFactError, match="has no filing_parts.receipt_date"):
            facts.filings(draft)


def _cases() -> list[tuple[str, Draft, tuple[Draft, ...]]]:
    """(id, draft, related) for every sample, every scenario, and unfinished variants."""
    out: list[tuple[str, Draft, tuple[Draft, ...]]] = []
    for name in sample_names():
        out.append((name, sample(name), ()))
        unfinished = sample(name)
        unfinished.values.pop("s2.explanation", None)
        out.append((f"{name}-no-explanation", unfinished, ()))
        only_rules = sample(name)
        only_rules.values["s5.phone"] = "555-0100"
        out.append((f"{name}-short-phone", only_rules, ()))
    out += [(c.id, c.build(), tuple(c.family())) for c in SCENARIOS]
    return out


def test_the_status_stops_at_the_first_error_with_the_same_answer() -> None:
    cases = _cases()
    answers = {}
    for case_id, draft, related in cases:
        full = has_errors(validate(draft, related=related))
        quick = has_error(draft, today=TODAY, related=related)
        assert quick == full, case_id
        expected = (
            draft.status
            if draft.status in ("submitted", "resolved")
            else ("draft" if full else "ready")
        )
        assert draft_status(draft, today=TODAY, related=related) == expected, case_id
        answers[full] = case_id
    assert set(answers) == {True, False}  # both answers are exercised
