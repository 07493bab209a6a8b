"""Edition facts live only in the edition file (issue 13, item 6).

A rule declares the fields it reads (``needs``) so that an edition without
them skips the rule instead of guessing; here the reads are recorded through
the draft's own accessor and checked against ``needs``.  A copy of the
edition with a field renamed shows that the packet, the rules and the window
follow the edition file, or fail loudly when it contradicts itself.
"""

from __future__ import annotations

import shutil
import tomllib
from typing import Any

import pytest

from ombuds_desktop import paths
from ombuds_desktop.dates import format_us
from ombuds_desktop.draft.model import Draft
from ombuds_desktop.formdef import FormDefinitionError, load_edition, load_form_key
from ombuds_desktop.formdef.loader import parse_definition
from ombuds_desktop.validation.rules import RULES, Context

from .conftest import EDITION, GOOD_SAMPLES, TODAY, sample, validate


class RecordingValues(dict):
    """A draft's answers that remember every field id read."""

    def __init__(self, data: dict[str, Any], seen: set[str]) -> None:
        super().__init__(data)
        self.seen = seen

    def get(self, key: Any, default: Any = None) -> Any:
        self.seen.add(key)
        return super().get(key, default)

    def __getitem__(self, key: Any) -> Any:
        self.seen.add(key)
        return super().__getitem__(key)

    def __contains__(self, key: Any) -> bool:
        self.seen.add(key)
        return super().__contains__(key)


def _variants() -> list[Draft]:
    """Drafts that between them take every branch of the rules."""
    out = [sample(n) for n in GOOD_SAMPLES] + [sample("mistakes")]
    d = sample("family-child-a")
    d.values.update({"s9.capacity": "parent", "s9.date": "2026-11-20"})
    out.append(d)
    d = sample("vawa-self")
    d.values.update(
        {
            "s2.reasons": ["removal", "expedite", "clear_error", "statutory_time"],
            "s2.hearing_date": "2027-01-10",
            "app.scr.change_decision": True,
            "app.scr.clear_error": True,
            "app.scr.statutory_time": True,
            "app.scr.statutory_due": "2026-10-01",
            "app.scr.congress_date": "2026-11-10",
            "app.scr.expedite_denied": "denied",
            "app.moved": True,
            "app.deadlines": [{"kind": "rfe", "due_date": "2026-12-20"}],
            "s5.family_box": True,
        }
    )
    out.append(d)
    d = sample("asylee-attorney")
    d.values.update({"app.role": "accredited_rep", "s9.capacity": "representative"})
    d.values["s3.filings"] = [
        {"form_number": "I-130", "no_receipt": True, "delivered_on": "2026-09-01"}
    ]
    out.append(d)
    d = sample("attorney-employer")
    d.values.update({"app.role": "beneficiary", "s10.g28_status": "submitted"})
    out.append(d)
    d = sample("vawa-self")
    d.values.update({"app.scr.pt_published": False, "app.channel": "email"})
    d.values["s5.address"] = dict(d.values["s5.address"], country="MX")
    out.append(d)
    return out


def test_every_rule_reads_only_the_fields_it_declares_in_needs():
    definition = load_form_key(EDITION)
    undeclared: dict[str, set[str]] = {}
    for draft in _variants():
        family = [sample("family-parent")] if draft.family_group else []
        for spec in RULES:
            seen: set[str] = set()
            recorded = draft.copy()
            recorded.values = RecordingValues(draft.values, seen)
            ctx = Context(recorded, definition, TODAY, tuple(family), None)
            list(spec.check(ctx))
            extra = {f for f in seen if f not in spec.needs}
            if extra:
                undeclared.setdefault(spec.id, set()).update(extra)
    assert undeclared == {}


def test_the_ombudsmans_address_is_not_written_in_the_rules():
    source = (paths.app_root() / "ombuds_desktop" / "validation" / "rules.py").read_text()
    assert "cisombudsman@" not in source and "@hq.dhs.gov" not in source


# ------------------------------------------------------------- a renamed field


def _renamed_edition(tmp_path, monkeypatch, *, update_meanings: bool = True) -> str:
    """Install a copy of the edition as 2099-01 with s5.dob renamed to s5.birth_date."""
    forms = tmp_path / "forms"
    shutil.copytree(paths.forms_dir(), forms)
    src = forms / "dhs-7001" / "2022-11.toml"
    text = src.read_text(encoding="utf-8")
    text = text.replace('id = "s5.dob"', 'id = "s5.birth_date"')
    text = text.replace('edition = "2022-11"', 'edition = "2099-01"')
    if update_meanings:
        text = text.replace('client_dob = "s5.dob"', 'client_dob = "s5.birth_date"')
    (forms / "dhs-7001" / "2099-01.toml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("OMBUDS_FORMS_DIR", str(forms))
    load_edition.cache_clear()
    return "dhs-7001/2099-01"


@pytest.fixture(autouse=True)
def _fresh_edition_cache():
    load_edition.cache_clear()
    yield
    load_edition.cache_clear()


def _renamed_draft(key: str) -> Draft:
    draft = sample("family-child-a")
    draft.form = key
    draft.values["s5.birth_date"] = draft.values.pop("s5.dob")
    return draft


def test_cover_letter_and_signature_page_follow_a_renamed_field(tmp_path, monkeypatch):
    from ombuds_desktop.packet.cover_letter import build_letter
    from ombuds_desktop.packet.signature_page import filing_fingerprint

    key = _renamed_edition(tmp_path, monkeypatch)
    draft = _renamed_draft(key)
    letter = build_letter(
        draft, load_form_key(key), today=TODAY, enclosures=[], signature_enclosed=None
    )
    dob = format_us(draft.values["s5.birth_date"])
    assert ("Date of birth", dob) in letter.re_lines
    other = draft.copy()
    other.values["s5.birth_date"] = "2013-01-01"
    assert filing_fingerprint(draft) != filing_fingerprint(other)


def test_rules_follow_a_renamed_field_or_are_skipped_by_needs(tmp_path, monkeypatch):
    from ombuds_desktop.validation import applicable_rules

    key = _renamed_edition(tmp_path, monkeypatch)
    definition = load_form_key(key)
    active, skipped = applicable_rules(definition)
    assert "R26" in {s.id for s in skipped}  # reads s5.dob: skipped, not guessed
    draft = _renamed_draft(key)
    findings = validate(draft, definition=definition)
    assert not [f for f in findings if f.code == "unknown-field"]
    assert not [f for f in findings if f.field == "s5.dob"]


def test_an_edition_naming_a_missing_field_fails_loudly(tmp_path, monkeypatch):
    key = _renamed_edition(tmp_path, monkeypatch, update_meanings=False)
    with pytest.raises(FormDefinitionError, match=r"meanings\.fields\.client_dob.*s5\.dob"):
        load_form_key(key)


def test_option_meanings_are_read_from_the_edition():
    from ombuds_desktop.draft import facts

    draft = sample("vawa-self")
    data = tomllib.loads((paths.forms_dir() / "dhs-7001" / "2022-11.toml").read_text())
    data["meanings"]["category_short_labels"]["vawa"] = "Violence Against Women Act"
    definition = parse_definition(data, "altered")
    ctx = Context(draft, definition, TODAY)
    assert ctx.meaning("tuvawa_categories") == ["t", "u", "vawa"]
    assert facts.category_label(draft, "vawa") == "VAWA"  # the installed edition's word


def test_representative_profile_fills_the_fields_the_edition_names():
    from types import SimpleNamespace

    from ombuds_desktop.draft.profiles import apply_profile

    draft = sample("vawa-self")
    profile = SimpleNamespace(
        id="p1",
        name="Ada Q. Counsel",
        organization="Example Legal Aid",
        bar_admissions=["ny 1234567"],
        address={"street": "1 Example Plaza", "city": "Albany", "state": "NY"},
        phone="(518) 555-0199",
        email="ada@legal-aid.example",
        uscis_account="",
    )
    apply_profile(draft, profile)
    assert draft.values["s10.name"] == {"family": "Counsel", "given": "Ada", "middle": "Q."}
    assert draft.values["s10.rep_type"] == "attorney"
    assert draft.values["s10.bar"] == [{"jurisdiction": "NY", "bar_number": "1234567"}]
    assert draft.values["s10.phone"] == "(518) 555-0199"
    assert draft.representative_profile == "p1"
