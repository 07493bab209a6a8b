"""docs/rules.md is generated from the rule registry and current (issue 13, item 7)."""

from __future__ import annotations

from ombuds_desktop import paths
from ombuds_desktop.validation.rule_docs import DOCS, emitted, rules_markdown
from ombuds_desktop.validation.rules import RULES

from .conftest import run_main


def test_every_rule_is_documented_with_why_and_source_and_reports_something():
    assert set(DOCS) == {r.id for r in RULES}
    for spec in RULES:
        assert emitted(spec), spec.id
        assert DOCS[spec.id].why and DOCS[spec.id].source.startswith(("HTS", "TIPS", "REF")), (
            spec.id
        )


def test_docs_rules_md_is_current(capsys):
    path = paths.app_root() / "docs" / "rules.md"
    assert path.read_text(encoding="utf-8") == rules_markdown(), (
        "docs/rules.md is stale: run `ombuds-desktop rules --markdown > docs/rules.md`"
    )
    code, out, _ = run_main(capsys, "rules", "--markdown")
    assert code == 0 and out == rules_markdown()
    assert "## R24: Do not list family members' receipt numbers" in out
    assert "warning `R20-signed-scan-missing`" in out


def test_rules_lists_each_rule_with_its_severities(capsys):
    code, out, _ = run_main(capsys, "rules")
    assert code == 0 and len(out.splitlines()) == len(RULES)
    assert out.splitlines()[0].startswith("R1 ")
