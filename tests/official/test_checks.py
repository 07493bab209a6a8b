"""Checks before filling, as findings in words (positive and negative for each)."""

from __future__ import annotations

from ombuds_desktop.official.checks import official_findings, plan_findings
from ombuds_desktop.official.store import import_official
from tests.official.conftest import form_a


def _codes(findings) -> dict[str, str]:
    return {f.code: f.field for f in findings}


def test_complete_draft_has_no_findings(mapped, draft, definition) -> None:
    assert plan_findings(*mapped, draft, definition) == []


def test_required_field_left_empty(mapped, draft, definition) -> None:
    draft.values["s5.name"] = {"family": "", "given": "José", "middle": ""}
    found = plan_findings(*mapped, draft, definition)
    f = next(f for f in found if f.code == "official-required-empty")
    assert f.field == "s5.name.family" and f.section == "s5" and f.severity == "warning"
    assert "Family name" in f.message and "required" in f.message
    # The middle name is empty too, but the official form does not require it.
    assert [x.field for x in found if x.code == "official-required-empty"] == ["s5.name.family"]


def test_value_longer_than_the_comb(mapped, draft, definition) -> None:
    draft.values["s3.filings"][0]["receipt_number"] = "MSC24900777011"  # 14 in 13 boxes
    codes = _codes(plan_findings(*mapped, draft, definition))
    assert codes == {"official-too-long": "s3.filings[0].receipt_number"}


def test_choice_without_export_value(mapped, draft, definition) -> None:
    draft.values["s5.address"]["state"] = "WA"  # the official list has no WA
    found = plan_findings(*mapped, draft, definition)
    assert _codes(found) == {"official-no-export-value": "s5.address.state"}
    assert "'WA'" in found[0].message and "addendum" in found[0].message


def test_chosen_reason_without_a_check_box(mapped, draft, definition) -> None:
    draft.values["s2.reasons"] = ["processing_time", "systemic"]  # no box for "systemic"
    found = plan_findings(*mapped, draft, definition)
    assert _codes(found) == {"official-no-export-value": "s2.reasons"}
    assert "Systemic issue" in found[0].message


def test_findings_only_when_an_official_form_is_imported(draft, definition, tmp_path) -> None:
    draft.values["s5.address"]["state"] = "WA"
    assert official_findings(draft, definition, tmp_path) == []  # typeset form: no checks
    import_official(form_a(), definition, tmp_path, accept=True)
    assert _codes(official_findings(draft, definition, tmp_path)) == {
        "official-no-export-value": "s5.address.state"
    }
