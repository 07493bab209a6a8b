"""``official-*`` warnings are findings like any other: ``validate_draft`` lists them when the
caller passes the official form the packet fills, and a final packet waits until each is
acknowledged (``--acknowledge`` on the command line, a tick on Review in the window)."""

from __future__ import annotations

import json

import pytest

from ombuds_desktop.official.store import import_official
from ombuds_desktop.official.target import packet_target
from ombuds_desktop.validation import acknowledge, unacknowledged_warnings, validate_draft
from tests.official.conftest import form_a
from tests.packet.support import BUILD_DATE, Case


def _wa(draft) -> None:
    """An answer form A cannot show: its state list has no WA."""
    draft.values["s5.address"] = {**draft.values["s5.address"], "state": "WA"}


def _official(findings):
    return [f for f in findings if f.code.startswith("official-")]


def test_validate_draft_lists_the_official_checks_passed_in(draft, definition, tmp_path) -> None:
    _wa(draft)
    assert _official(validate_draft(draft, definition, today=BUILD_DATE)) == []
    assert packet_target(definition, tmp_path) is None  # nothing imported: typeset
    import_official(form_a(), definition, tmp_path, accept=True)
    target = packet_target(definition, tmp_path)
    assert target is not None
    found = _official(validate_draft(draft, definition, today=BUILD_DATE, official=target))
    assert [(f.code, f.field, f.severity) for f in found] == [
        ("official-no-export-value", "s5.address.state", "warning")
    ]
    # A section filter keeps it with its section, like any finding.
    only_s2 = validate_draft(draft, definition, today=BUILD_DATE, official=target, sections=["s2"])
    assert _official(only_s2) == []


def test_a_complete_draft_has_no_official_findings(draft, definition, tmp_path) -> None:
    import_official(form_a(), definition, tmp_path, accept=True)
    target = packet_target(definition, tmp_path)
    assert _official(validate_draft(draft, definition, today=BUILD_DATE, official=target)) == []


def test_official_warning_is_acknowledged_like_the_others(draft, definition, tmp_path) -> None:
    _wa(draft)
    import_official(form_a(), definition, tmp_path, accept=True)
    findings = validate_draft(
        draft, definition, today=BUILD_DATE, official=packet_target(definition, tmp_path)
    )
    assert "official-no-export-value" in {f.code for f in unacknowledged_warnings(findings, draft)}
    acknowledge(draft, findings, ["official-no-export-value"])
    assert "official-no-export-value" not in {
        f.code for f in unacknowledged_warnings(findings, draft)
    }
    assert any(
        a.startswith("official-no-export-value@s5.address.state#") for a in draft.acknowledged
    )


def test_the_target_is_found_again_after_the_store_changes(definition, tmp_path) -> None:
    assert packet_target(definition, tmp_path) is None
    import_official(form_a(), definition, tmp_path, accept=True)
    first = packet_target(definition, tmp_path)
    assert first is not None and packet_target(definition, tmp_path) is first  # kept
    for folder in (tmp_path / "official").iterdir():
        (folder / "form.pdf").unlink()
    assert packet_target(definition, tmp_path) is None  # the PDF is gone: typeset again


def _warning_codes(cli, draft, data) -> set[str]:
    r = cli("--data-dir", data, "validate", draft, "--json", "--today", BUILD_DATE.isoformat())
    return {f["code"] for f in json.loads(r.stdout) if f["severity"] == "warning"}


def test_cli_validate_lists_it_only_with_an_official_form(cli, tmp_path, definition) -> None:
    case = Case(tmp_path / "case")
    _wa(case.draft)
    draft, data = case.save(), tmp_path / "data"
    assert "official-no-export-value" not in _warning_codes(cli, draft, data)
    import_official(form_a(), definition, data, accept=True)
    assert "official-no-export-value" in _warning_codes(cli, draft, data)


def test_cli_refuses_acknowledging_an_official_warning_the_draft_does_not_have(
    cli, tmp_path
) -> None:
    case = Case(tmp_path / "case")
    _wa(case.draft)
    draft, data, out = case.save(), tmp_path / "data", tmp_path / "p.pdf"
    args = ("packet", draft, "--out", out, "--date", BUILD_DATE.isoformat())
    r = cli("--data-dir", data, *args, "--acknowledge", "official-no-export-value")
    assert r.returncode != 0 and "is not one of this draft's warnings" in r.stderr
    assert "Traceback" not in r.stderr and not out.exists()


@pytest.mark.slow  # builds a whole packet
def test_cli_final_packet_waits_for_the_official_warning(cli, tmp_path, definition) -> None:
    case = Case(tmp_path / "case")
    _wa(case.draft)
    draft, data, out = case.save(), tmp_path / "data", tmp_path / "p.pdf"
    import_official(form_a(), definition, data, accept=True)
    others = sorted(_warning_codes(cli, draft, data) - {"official-no-export-value"})
    acks = [a for code in others for a in ("--acknowledge", code)]
    args = ("packet", draft, "--out", out, "--date", BUILD_DATE.isoformat())
    r = cli("--data-dir", data, *args, *acks)
    assert r.returncode != 0, r.stdout
    assert "warning: official-no-export-value [s5.address.state]" in r.stderr
    assert "1 warning(s) above are not acknowledged" in r.stderr and not out.exists()
    r = cli("--data-dir", data, *args, *acks, "--acknowledge", "official-no-export-value")
    assert r.returncode == 0, r.stderr
    assert "acknowledged: official-no-export-value" in r.stderr
    manifest = json.loads(out.with_name("p.manifest.json").read_text(encoding="utf-8"))
    assert manifest["form_source"]["kind"] == "official"
    acked = {a["code"]: a["acknowledged"] for a in manifest["warnings"]}
    assert acked["official-no-export-value"] is True
