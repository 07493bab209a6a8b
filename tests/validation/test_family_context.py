"""Family context in every entry point (issue 13, item 1).

The tip sheet: "Please do not list your family member(s)' receipt numbers on
your form."  A shared receipt number is reported on the draft it does not
belong to, naming the owner; the owner's own draft stays clean.  The core, the
``validate`` command (files with ``--family``, or a vault id), ``packet`` from a
vault id and the window all apply the rule the same way.
"""

from __future__ import annotations

import json

import pytest

from ombuds_desktop.validation.family import receipt_owner, vault_family

from .conftest import (
    TODAY,
    expect,
    import_into,
    rule_codes,
    run_main,
    sample,
    validate,
    write_draft,
)

MOTHER_RECEIPT = "IOE0912345678"  # family-parent's own I-485


def _child_listing_mothers_receipt():
    """Yusuf's draft lists his own I-485 (primary) and, wrongly, his mother's."""
    child = sample("family-child-a")
    child.values["s3.filings"].append(
        {
            "form_number": "I-485",
            "receipt_number": "IOE-09-123-45678",
            "receipt_date": "2024-12-02",
            "primary": False,
        }
    )
    return child


def test_shared_receipt_is_reported_on_the_childs_draft_naming_the_mother():
    mother, child = sample("family-parent"), _child_listing_mothers_receipt()
    expect(
        validate(child, related=[mother]),
        "R24-family-receipt",
        "error",
        "s3.filings[1].receipt_number",
        MOTHER_RECEIPT,
        "Amina Haddad",
    )


def test_the_owners_draft_stays_clean():
    mother, child = sample("family-parent"), _child_listing_mothers_receipt()
    findings = validate(mother, related=[child, sample("family-child-b")])
    assert not rule_codes(findings, "R24")
    assert [f for f in findings if f.severity == "error"] == []


def test_owner_is_the_draft_where_the_receipt_is_the_primary_filing():
    mother, child = sample("family-parent"), _child_listing_mothers_receipt()
    assert receipt_owner(MOTHER_RECEIPT, [child, mother]) is mother
    assert receipt_owner(MOTHER_RECEIPT, [mother, child]) is mother


def test_undecidable_owner_is_a_warning_on_both_drafts_never_an_error():
    """The same number as the filing both requests are about: one of them is wrong."""
    mother, child = sample("family-parent"), sample("family-child-a")
    child.values["s3.filings"][0]["receipt_number"] = MOTHER_RECEIPT
    assert receipt_owner(MOTHER_RECEIPT, [child, mother]) is None
    for me, other, name in ((child, mother, "Amina Haddad"), (mother, child, "Yusuf Haddad")):
        findings = validate(me, related=[other])
        expect(
            findings,
            "R24-family-receipt-unclear",
            "warning",
            "s3.filings[0].receipt_number",
            MOTHER_RECEIPT,
            name,
        )
        assert "R24-family-receipt" not in rule_codes(findings, "R24")


# ---------------------------------------------------------------- command line


def test_validate_takes_the_family_draft_files(tmp_path, capsys):
    mother = write_draft(tmp_path, sample("family-parent"), "mother")
    child = write_draft(tmp_path, _child_listing_mothers_receipt(), "child")
    code, out, _ = run_main(
        capsys,
        "validate",
        str(child),
        "--json",
        "--today",
        TODAY.isoformat(),
        "--family",
        str(mother),
    )
    found = {f["code"]: f for f in json.loads(out)}
    assert code == 1 and found["R24-family-receipt"]["severity"] == "error"
    assert "Amina Haddad" in found["R24-family-receipt"]["message"]
    code, out, _ = run_main(
        capsys,
        "validate",
        str(mother),
        "--json",
        "--today",
        TODAY.isoformat(),
        "--family",
        str(child),
    )
    assert not [f for f in json.loads(out) if f["code"].startswith("R24")]


def test_validate_refuses_a_family_file_of_another_family(tmp_path, capsys):
    stranger = sample("vawa-self")
    child = write_draft(tmp_path, _child_listing_mothers_receipt(), "child")
    other = write_draft(tmp_path, stranger, "stranger")
    code, out, err = run_main(capsys, "validate", str(child), "--family", str(other))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "--family" in err and "same family group" in err


@pytest.mark.slow
def test_validate_and_packet_from_a_vault_id_read_the_family_from_the_vault(
    tmp_path, capsys, vault_env
):
    import_into(vault_env, sample("family-parent"), tmp_path / "m", "mother")
    child = import_into(vault_env, _child_listing_mothers_receipt(), tmp_path / "c", "child")
    assert [d.id for d in vault_family(vault_env, child)] != []
    vault_env.close()
    code, out, _ = run_main(capsys, "validate", child.id, "--json", "--today", TODAY.isoformat())
    assert code == 1, out
    assert "R24-family-receipt" in {f["code"] for f in json.loads(out)}
    code, out, err = run_main(
        capsys, "packet", child.id, "--out", str(tmp_path / "p.pdf"), "--date", TODAY.isoformat()
    )
    assert code == 1 and "validation error" in err and not (tmp_path / "p.pdf").exists()
