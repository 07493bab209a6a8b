"""The CLI contract: validate / schema / sample, exit codes and JSON shape."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ombuds_desktop import __version__

TODAY = ["--today", "2026-11-24"]


def findings(proc) -> list[dict]:
    data = json.loads(proc.stdout)
    assert isinstance(data, list)
    for f in data:
        assert {"section", "field", "severity", "code", "message"} <= set(f)
    return data


def test_version(cli):
    proc = cli("--version")
    assert proc.returncode == 0 and __version__ in proc.stdout.decode()


def test_sample_list_names_every_required_sample(cli):
    names = cli("sample", "--list").stdout.decode().split()
    for required in (
        "attorney-employer",
        "vawa-self",
        "asylee-attorney",
        "family-parent",
        "family-child-a",
        "family-child-b",
        "mistakes",
    ):
        assert required in names


def test_vawa_sample_piped_reports_wet_ink_and_mail_only(cli):
    text = cli("sample", "vawa-self").stdout
    proc = cli("validate", "-", "--json", *TODAY, stdin=text)
    assert proc.returncode == 0, proc.stderr
    codes = {f["code"]: f for f in findings(proc)}
    assert codes["R20-wet-ink"]["severity"] == "info"
    assert codes["R21-mail-only"]["severity"] == "info"
    assert not [f for f in findings(proc) if f["severity"] == "error"]


def test_attorney_sample_without_g28_reports_error(cli):
    doc = json.loads(cli("sample", "attorney-employer").stdout)
    doc["attachments"] = [a for a in doc["attachments"] if a["category"] != "g28"]
    proc = cli("validate", "-", "--json", *TODAY, stdin=json.dumps(doc).encode())
    assert proc.returncode == 1
    errors = [f for f in findings(proc) if f["severity"] == "error"]
    assert [f["code"] for f in errors] == ["R15-g28-missing"]
    assert "G-28" in errors[0]["message"]


@pytest.mark.parametrize(
    "name",
    [
        "attorney-employer",
        "vawa-self",
        "asylee-attorney",
        "family-parent",
        "family-child-a",
        "family-child-b",
    ],
)
def test_receipt_cut_to_12_characters_names_the_field(cli, name):
    doc = json.loads(cli("sample", name).stdout)
    doc["values"]["s3.filings"][0]["receipt_number"] = doc["values"]["s3.filings"][0][
        "receipt_number"
    ][:12]
    proc = cli("validate", "-", "--json", *TODAY, stdin=json.dumps(doc).encode())
    assert proc.returncode == 1
    errors = [f for f in findings(proc) if f["severity"] == "error"]
    assert any(
        f["field"] == "s3.filings[0].receipt_number" and "12 characters" in f["message"]
        for f in errors
    )


def test_mistakes_reports_many_understandable_errors(cli):
    proc = cli("validate", "-", "--json", *TODAY, stdin=cli("sample", "mistakes").stdout)
    assert proc.returncode == 1
    errors = [f for f in findings(proc) if f["severity"] == "error"]
    assert len(errors) >= 20
    for f in errors:
        assert len(f["message"]) > 30 and "invalid input" not in f["message"].lower()


def test_sample_out_writes_draft_and_stand_ins_that_validate(cli, tmp_path: Path):
    proc = cli("sample", "vawa-self", "--out", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    draft = tmp_path / "vawa-self.json"
    doc = json.loads(draft.read_text(encoding="utf-8"))
    for att in doc["attachments"]:
        assert (tmp_path / att["path"]).stat().st_size > 500
    ok = cli("validate", str(draft), *TODAY)
    assert ok.returncode == 0, ok.stdout.decode()
    (tmp_path / doc["attachments"][0]["path"]).unlink()
    missing = cli("validate", str(draft), "--json", *TODAY)
    assert missing.returncode == 1
    assert "attachment-file-missing" in {f["code"] for f in findings(missing)}


def test_section_filter(cli):
    proc = cli(
        "validate", "-", "--json", "--section", "s3", *TODAY, stdin=cli("sample", "mistakes").stdout
    )
    assert {f["section"] for f in findings(proc)} == {"s3"}
    bad = cli("validate", "-", "--section", "s99", stdin=cli("sample", "mistakes").stdout)
    assert bad.returncode == 2 and b"s99" in bad.stderr


def test_schema_is_json_schema(cli):
    proc = cli("schema")
    schema = json.loads(proc.stdout)
    assert proc.returncode == 0 and schema["$schema"].endswith("2020-12/schema")
    assert "s3.filings" in schema["properties"]["values"]["properties"]


@pytest.mark.parametrize(
    "payload",
    [
        b"not json at all",
        b"\x00\x01\x02\x03binary junk\xff\xfe",
        b'{"format_version": 1, "form": "dhs-7001/2022-11", "values": "wrong"}',
        b'{"format_version": 1, "form": "dhs-7001/1999-01", "values": {}}',
        b"",
    ],
)
def test_bad_input_exits_2_with_one_line_and_no_traceback(cli, payload):
    proc = cli("validate", "-", stdin=payload)
    assert proc.returncode == 2
    err = proc.stderr.decode()
    assert err.startswith("ombuds-desktop: ") and err.count("\n") == 1
    assert "Traceback" not in err and proc.stdout == b""


def test_wrong_types_and_unknown_fields_are_findings_not_crashes(cli):
    doc = {
        "format_version": 1,
        "form": "dhs-7001/2022-11",
        "values": {
            "s5.party_type": "individual",
            "s5.dob": 19910417,
            "s5.name": "just a string",
            "s9.bogus": True,
        },
    }
    proc = cli("validate", "-", "--json", stdin=json.dumps(doc).encode())
    assert proc.returncode == 1
    codes = {(f["field"], f["code"]) for f in findings(proc)}
    assert ("s9.bogus", "unknown-field") in codes
    assert ("s5.name", "wrong-type") in codes
    assert ("s5.dob", "date-format") in codes


def test_fifty_megabyte_file_is_refused(cli, tmp_path: Path):
    big = tmp_path / "big.json"
    with open(big, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    proc = cli("validate", str(big))
    assert proc.returncode == 2 and b"50.0 MB" in proc.stderr and b"Traceback" not in proc.stderr


def test_unknown_command_and_missing_file(cli, tmp_path: Path):
    proc = cli("frobnicate")
    assert proc.returncode == 2 and b"Traceback" not in proc.stderr
    proc = cli("validate", str(tmp_path / "nope.json"))
    assert proc.returncode == 2 and b"no such file" in proc.stderr
    proc = cli("sample", "nobody")
    assert proc.returncode == 2 and b"vawa-self" in proc.stderr
