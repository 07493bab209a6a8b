"""``edition import`` and ``edition list`` through the command line (in process)."""

from __future__ import annotations

import json

from tests.official import forms
from tests.official.conftest import form_a, form_b


def test_import_prints_the_proposal_and_saves_nothing_without_accept(cli, tmp_path) -> None:
    pdf = tmp_path / "official.pdf"
    pdf.write_bytes(form_b())
    data = tmp_path / "data"
    r = cli("--data-dir", data, "edition", "import", pdf)
    assert r.returncode == 0, r.stderr
    assert "OMB 1601-0004, edition 11/02/22, expires 09/30/2025" in r.stdout
    assert "23 mapped (22 confident, 1 to check)" in r.stdout
    assert "Section 5, Full name (family, given, middle) › Family name" in r.stdout
    assert "<- check" in r.stdout and "left empty: a signature" in r.stdout
    assert "Not saved" in r.stdout
    assert not (data / "official").exists()
    r = cli("--data-dir", data, "edition", "list")
    assert "No official form imported" in r.stdout


def test_accept_saves_and_list_shows_it(cli, tmp_path) -> None:
    pdf = tmp_path / "official.pdf"
    pdf.write_bytes(form_a())
    data = tmp_path / "data"
    r = cli("--data-dir", data, "edition", "import", pdf, "--accept")
    assert r.returncode == 0, r.stderr
    assert "Packets for this edition now use the official form." in r.stdout
    saved = list((data / "official").iterdir())
    assert len(saved) == 1 and (saved[0] / "form.pdf").read_bytes() == form_a()
    assert (saved[0] / "mapping.toml").stat().st_mode & 0o777 == 0o600
    r = cli("--data-dir", data, "edition", "list")
    assert "edition 11/02/22" in r.stdout
    assert "23 of 24 fields mapped, 1 left empty on purpose, 0 not mapped: used for packets" in (
        r.stdout
    )
    rows = json.loads(cli("--data-dir", data, "edition", "list", "--json").stdout)
    assert rows[0]["mapped"] == 23 and rows[0]["marks"]["omb"] == "1601-0004"
    # Importing the same PDF again finds the mapping made before.
    r = cli("--data-dir", data, "edition", "import", pdf)
    assert "Mapping imported before" in r.stdout


def test_edit_the_proposal_and_import_it(cli, tmp_path) -> None:
    specs = [
        forms.Spec("Name1", "text", 0, (60, 560, 100, 18), "Name"),
        forms.Spec("Pt5Line1_FamilyName", "text", 0, (60, 520, 100, 18), "5. Family Name"),
    ]
    pdf = tmp_path / "official.pdf"
    pdf.write_bytes(forms.build(specs, hierarchy=False))
    data, prop = tmp_path / "data", tmp_path / "proposal.toml"
    r = cli("--data-dir", data, "edition", "import", pdf, "--write-proposal", prop)
    assert "NOT MAPPED (ambiguous" in r.stdout
    text = prop.read_text(encoding="utf-8")
    text = text.replace('name = "Name1"\n', 'name = "Name1"\ntarget = "s9.signer_name"\n')
    prop.write_text(text, encoding="utf-8")
    r = cli("--data-dir", data, "edition", "import", pdf, "--mapping", prop)
    assert r.returncode == 0, r.stderr
    assert "Packets for this edition now use the official form." in r.stdout
    # A mistyped target is refused in words, and nothing is saved over the good mapping.
    prop.write_text(text.replace("s9.signer_name", "s9.signer_nam"), encoding="utf-8")
    r = cli("--data-dir", data, "edition", "import", pdf, "--mapping", prop)
    assert r.returncode == 2 and "s9.signer_nam" in r.stderr and "Traceback" not in r.stderr


def test_unusable_pdfs_one_line_each(cli, tmp_path) -> None:
    cases = {
        "xfa.pdf": (forms.xfa_only(), "XFA"),
        "flat.pdf": (forms.flattened(), "no form fields"),
        "locked.pdf": (forms.encrypted(form_a()), "password"),
        "notes.pdf": (b"just some text", "not a PDF"),
    }
    for name, (data, words) in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        r = cli("--data-dir", tmp_path / "d", "edition", "import", path)
        assert r.returncode == 2, name
        assert words in r.stderr and r.stderr.count("\n") == 1, r.stderr
    r = cli("--data-dir", tmp_path / "d", "edition", "import", tmp_path / "missing.pdf")
    assert r.returncode == 2 and "cannot read" in r.stderr
    r = cli("--data-dir", tmp_path / "d", "edition", "import", tmp_path)
    assert r.returncode == 2 and "folder" in r.stderr


def test_validate_reports_what_the_official_form_cannot_show(cli, tmp_path) -> None:
    from ombuds_desktop.samples import write_sample

    draft_path = write_sample("asylee-attorney", tmp_path / "case")
    text = draft_path.read_text(encoding="utf-8").replace('"FL"', '"WA"')
    draft_path.write_text(text, encoding="utf-8")
    data = tmp_path / "data"
    before = json.loads(cli("--data-dir", data, "validate", draft_path, "--json").stdout)
    assert not any(f["code"].startswith("official-") for f in before)
    pdf = tmp_path / "official.pdf"
    pdf.write_bytes(form_a())
    assert cli("--data-dir", data, "edition", "import", pdf, "--accept").returncode == 0
    after = json.loads(cli("--data-dir", data, "validate", draft_path, "--json").stdout)
    found = [f for f in after if f["code"] == "official-no-export-value"]
    assert [f["field"] for f in found] == ["s5.address.state"]
    assert found[0]["severity"] == "warning"
