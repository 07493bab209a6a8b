"""Warnings are acknowledged before a final packet (issue 13, item 5).

dhs-7001.md §3: "WARN: the user must acknowledge it; the acknowledgement is
stored in the draft, never printed."  It is re-asked when the warning's text
changes, and the packet's manifest records which warnings were acknowledged.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from ombuds_desktop.draft import dumps, read_draft_file
from ombuds_desktop.samples import write_sample
from ombuds_desktop.validation import acknowledge, set_acknowledged, unacknowledged_warnings

from .conftest import TODAY, run_main, sample, validate


def _with_congress_warning(days_ago: int = 10):
    draft = sample("vawa-self")
    draft.values["app.scr.congress_date"] = (TODAY - timedelta(days=days_ago)).isoformat()
    return draft


def test_every_warning_starts_unacknowledged_and_is_acknowledged_by_code():
    draft = _with_congress_warning()
    findings = validate(draft)
    open_codes = {f.code for f in unacknowledged_warnings(findings, draft)}
    assert "R10-congress-30-days" in open_codes
    assert open_codes == {f.code for f in findings if f.severity == "warning"}
    chosen = acknowledge(draft, findings, ["R10-congress-30-days"])
    assert [f.code for f in chosen] == ["R10-congress-30-days"]
    assert "R10-congress-30-days" not in {f.code for f in unacknowledged_warnings(findings, draft)}
    acknowledge(draft, findings, ["all"])
    assert unacknowledged_warnings(findings, draft) == []


def test_a_changed_warning_text_is_asked_again():
    draft = _with_congress_warning(10)
    acknowledge(draft, validate(draft), ["all"])
    assert unacknowledged_warnings(validate(draft), draft) == []
    draft.values["app.scr.congress_date"] = (TODAY - timedelta(days=5)).isoformat()  # new date
    again = unacknowledged_warnings(validate(draft), draft)
    assert [f.code for f in again] == ["R10-congress-30-days"]
    set_acknowledged(draft, again[0])
    assert unacknowledged_warnings(validate(draft), draft) == []
    assert sum(a.startswith("R10-congress-30-days@") for a in draft.acknowledged) == 1


def test_an_acknowledgement_survives_the_next_days_while_the_facts_stay_the_same():
    """Day counts are not in the wording, so a warning is not re-asked every morning."""
    draft = sample("vawa-self")
    draft.values["app.deadlines"] = [{"kind": "rfe", "due_date": "2027-01-15"}]
    draft.values["s3.filings"] = [
        {"form_number": "I-360", "no_receipt": True, "delivered_on": "2026-11-02"}
    ]
    acknowledge(draft, validate(draft), ["all"])
    later = validate(draft, today=TODAY + timedelta(days=3))
    assert {"R29-deadline", "R31-lockbox-too-early"} <= {f.code for f in later}
    assert unacknowledged_warnings(later, draft) == []


def test_unknown_code_is_refused_and_errors_cannot_be_acknowledged():
    draft = _with_congress_warning()
    findings = validate(draft)
    with pytest.raises(ValueError, match="not one of this draft's warnings"):
        acknowledge(draft, findings, ["R99-nothing"])
    draft.values["s2.explanation"] = ""
    error = next(f for f in validate(draft) if f.severity == "error")
    with pytest.raises(ValueError, match="only warnings"):
        set_acknowledged(draft, error)


@pytest.mark.slow
def test_packet_command_needs_each_warning_acknowledged_and_records_it(tmp_path, capsys):
    path = write_sample("vawa-self", tmp_path / "case")
    draft = read_draft_file(path)
    draft.values["app.scr.congress_date"] = (TODAY - timedelta(days=10)).isoformat()
    path.write_text(dumps(draft), encoding="utf-8")
    out = tmp_path / "packet.pdf"
    base = ["packet", str(path), "--out", str(out), "--date", TODAY.isoformat()]

    code, _, err = run_main(capsys, *base)
    assert code == 1 and not out.exists()
    assert "warning: R10-congress-30-days" in err and "--acknowledge" in err.splitlines()[-1]
    assert "Traceback" not in err

    code, _, err = run_main(capsys, *base, "--acknowledge", "R99-nothing")
    assert code == 2 and "R10-congress-30-days" in err and not out.exists()

    code, _, err = run_main(capsys, *base, "--acknowledge", "R10-congress-30-days")
    assert code == 1 and not out.exists()  # the other warnings are still open
    code, _, err = run_main(capsys, *base, "--acknowledge", "all")
    assert code == 0, err
    assert "acknowledged: R40-edition-expired" in err
    manifest = json.loads((tmp_path / "packet.manifest.json").read_text())
    assert manifest["warnings"] and all(w["acknowledged"] for w in manifest["warnings"])
    assert "R10-congress-30-days" in {w["code"] for w in manifest["warnings"]}
    stored = read_draft_file(path)
    assert any(a.startswith("R10-congress-30-days@") for a in stored.acknowledged)

    out.unlink()
    code, _, err = run_main(capsys, *base)  # recorded in the draft: not asked again
    assert code == 0, err
