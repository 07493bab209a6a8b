"""Forced answers and derived status live in the core (issue 13, item 2).

HTS: T, U, VAWA, asylee and refugee applicants without an attorney are
written to "only via U.S. postal mail".  The answer is the law's, not the
user's: every entry point (validation, packet, import, window) applies it.
The status shown in ``drafts list`` is recomputed, never taken from a file.
"""

from __future__ import annotations

import json

import pytest

from ombuds_desktop.draft import facts
from ombuds_desktop.validation.status import derived_status, draft_status

from .conftest import (
    TODAY,
    errors,
    import_into,
    rule_codes,
    run_main,
    sample,
    validate,
    write_draft,
)


def _vawa_file_without_mail_only():
    draft = sample("vawa-self")
    draft.values.pop("s5.mail_only", None)
    return draft


def test_validation_forces_mail_only_for_an_unrepresented_vawa_client():
    draft = _vawa_file_without_mail_only()
    findings = validate(draft)
    assert "R21-mail-only-not-set" not in rule_codes(findings, "R21")
    assert errors(findings) == []
    assert "R21-mail-only" in rule_codes(findings, "R21")  # the note says why
    assert "s5.mail_only" not in draft.values  # the caller's draft is not changed


def test_mail_only_is_not_forced_with_an_attorney():
    draft = sample("asylee-attorney")
    draft.values["s5.mail_only"] = False
    assert facts.forced_answers(draft) == {}
    assert facts.with_forced_answers(draft) is draft


def test_validate_command_accepts_the_file_without_the_answer(tmp_path, capsys):
    path = write_draft(tmp_path, _vawa_file_without_mail_only(), "vawa")
    code, out, _ = run_main(capsys, "validate", str(path), "--json", "--today", TODAY.isoformat())
    assert code == 0, out
    assert "R21-mail-only-not-set" not in {f["code"] for f in json.loads(out)}


def test_packet_does_not_refuse_and_prints_mail_only(tmp_path):
    from ombuds_desktop.draft import read_draft_file
    from ombuds_desktop.packet import PacketOptions, build_packet
    from ombuds_desktop.samples import write_sample

    path = write_sample("vawa-self", tmp_path / "in")
    draft = read_draft_file(path)
    draft.values.pop("s5.mail_only", None)
    result = build_packet(draft, path.parent, options=PacketOptions(build_date=TODAY))
    assert not result.watermarked
    assert not [f for f in result.findings if f.code == "R21-mail-only-not-set"]


@pytest.mark.slow
def test_import_sets_the_forced_answer_and_recomputes_the_status(tmp_path, capsys, vault_env):
    stored = import_into(vault_env, _vawa_file_without_mail_only(), tmp_path / "a", "vawa")
    assert vault_env.load_draft(stored.id).values["s5.mail_only"] is True
    broken = sample("vawa-self")
    broken.status = "ready"  # the file claims it is ready ...
    broken.values["s2.explanation"] = ""  # ... but an answer is missing
    bad = import_into(vault_env, broken, tmp_path / "b", "broken")
    vault_env.close()
    code, out, _ = run_main(capsys, "drafts", "list", "--json")
    status = {row["id"]: row["status"] for row in json.loads(out)}
    assert code == 0 and status[bad.id] == "draft" and status[stored.id] == "ready"


def test_derived_status_keeps_what_the_user_recorded():
    draft = sample("vawa-self")
    draft.status = "submitted"
    draft.values["s2.explanation"] = ""
    assert draft_status(draft, today=TODAY) == "submitted"
    draft.status = "ready"
    assert draft_status(draft, today=TODAY) == "draft"
    assert derived_status(draft, []) == "ready"
