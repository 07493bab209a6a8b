"""The packet commands, run as a user runs them (in-process runner), including ``demo``."""

from __future__ import annotations

import json
import os

import pytest

from ombuds_desktop.cli.testing import CliResult, run_cli
from ombuds_desktop.draft import facts, read_draft_file
from ombuds_desktop.samples import sample_names

from .support import make_encrypted_pdf, page_texts, pdftotext, qpdf_check


def run(*args: str, env: dict[str, str] | None = None) -> CliResult:
    """``ombuds-desktop ARGS`` in-process (tests/conftest.py's runner), outside any vault."""
    full = {k: v for k, v in os.environ.items() if k != "OMBUDS_DATA_DIR"}
    full.update(QT_QPA_PLATFORM="offscreen", **(env or {}))
    return run_cli(*args, env=full, replace_env=True)


def test_packet_command_writes_pdf_and_manifest(case, tmp_path):
    draft = case.save()
    out = tmp_path / "out" / "packet.pdf"
    r = run("packet", str(draft), "--out", str(out), "--date", "2026-11-24", "--acknowledge", "all")
    assert r.returncode == 0, r.stderr
    assert "pages" in r.stdout and "sha256" in r.stdout
    qpdf_check(out.read_bytes())
    manifest = json.loads((out.parent / "packet.manifest.json").read_text())
    assert manifest["output"]["sha256"] in r.stdout


def test_packet_command_refuses_errors_then_allows_a_draft(case, tmp_path):
    case.draft.values["s2.explanation"] = ""
    draft = case.save()
    out = tmp_path / "p.pdf"
    r = run("packet", str(draft), "--out", str(out), "--date", "2026-11-24")
    assert r.returncode == 1
    assert "--allow-draft" in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert not out.exists()
    r = run("packet", str(draft), "--out", str(out), "--date", "2026-11-24", "--allow-draft")
    assert r.returncode == 0, r.stderr
    assert "DRAFT - NOT READY TO FILE" in r.stdout
    assert all("DRAFT - NOT READY TO FILE" in t for t in page_texts(out.read_bytes()))


def test_packet_command_names_bad_evidence_and_the_way_out(case, tmp_path):
    case.add("other", "Locked statement", "locked.pdf", make_encrypted_pdf("pw"), id="bad-1")
    draft = case.save()
    out = tmp_path / "p.pdf"
    r = run("packet", str(draft), "--out", str(out), "--date", "2026-11-24", "--acknowledge", "all")
    assert r.returncode == 2
    assert "locked.pdf" in r.stderr and "--password bad-1=" in r.stderr
    assert "Traceback" not in r.stderr
    r = run(
        "packet",
        str(draft),
        "--out",
        str(out),
        "--date",
        "2026-11-24",
        "--password",
        "bad-1=pw",
        "--bates",
        "ZZ-",
        "--acknowledge",
        "all",
    )
    assert r.returncode == 0, r.stderr
    assert "ZZ-000001" in pdftotext(out.read_bytes())


def test_signature_page_and_exports(case, tmp_path):
    draft = case.save()
    sig = tmp_path / "sig.pdf"
    r = run("signature-page", str(draft), "--out", str(sig), "--date", "2026-11-24")
    assert r.returncode == 0, r.stderr
    assert "To be signed by hand, in ink" in pdftotext(sig.read_bytes())
    r = run(
        "export",
        str(draft),
        "--upload-dir",
        str(tmp_path / "up"),
        "--date",
        "2026-11-24",
        "--acknowledge",
        "all",
    )
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "up" / "copy-sheet.pdf").exists()
    r = run(
        "export",
        str(draft),
        "--eml",
        str(tmp_path / "e.eml"),
        "--date",
        "2026-11-24",
        "--acknowledge",
        "all",
    )
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "e.eml").read_bytes().count(b"X-Unsent: 1") == 1
    r = run(
        "export",
        str(draft),
        "--mail",
        str(tmp_path / "m.pdf"),
        "--date",
        "2026-11-24",
        "--acknowledge",
        "all",
    )
    assert r.returncode == 0, r.stderr
    qpdf_check((tmp_path / "m.pdf").read_bytes())


def test_missing_draft_is_one_line(tmp_path):
    r = run("packet", str(tmp_path / "nope.json"), "--out", str(tmp_path / "x.pdf"))
    assert r.returncode == 2
    assert "no such file" in r.stderr and "Traceback" not in r.stderr


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    r = run("demo", "--out", str(out), "--date", "2026-11-24")
    assert r.returncode == 0, r.stderr
    return out


@pytest.mark.slow
def test_demo_layout_is_the_contract(demo):
    for name in sample_names():
        folder = demo / name
        draft = read_draft_file(folder / "draft" / f"{name}.json")
        packet = (folder / "packet.pdf").read_bytes()
        qpdf_check(packet)
        assert (folder / "signature-page.pdf").exists() == facts.wet_ink_required(draft), name
        assert (folder / "upload" / "copy-sheet.pdf").exists()
        assert any(p.name.startswith("01_") for p in (folder / "upload").iterdir())
        emails = sorted(p.name for p in folder.glob("email*.eml"))
        assert emails == ["email.eml"] or emails[0] == "email-part1.eml"
        qpdf_check((folder / "mail.pdf").read_bytes())
        watermarked = "DRAFT - NOT READY TO FILE" in pdftotext(packet)
        assert watermarked == (name == "mistakes"), name
    assert list(demo.glob("family-*-email.eml"))


def test_packet_from_a_vault_draft_id(case, tmp_path):
    """With --data-dir, DRAFT may be a vault draft id; attachments are read in memory."""
    data_dir, secret = tmp_path / "vault", tmp_path / "passphrase.txt"
    secret.write_text("made-up passphrase for tests 7001\n")
    env = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    common = ["--data-dir", str(data_dir)]

    def vault_run(*args: str) -> CliResult:
        return run(*common, *args, "--passphrase-file", str(secret), env=env)

    assert vault_run("vault", "init").returncode == 0
    imported = vault_run("drafts", "import", str(case.save()))
    assert imported.returncode == 0, imported.stderr
    draft_id = imported.stdout.strip().splitlines()[-1]
    out = tmp_path / "from-vault.pdf"
    r = vault_run(
        "packet", draft_id, "--out", str(out), "--date", "2026-11-24", "--acknowledge", "all"
    )
    assert r.returncode == 0, r.stderr
    text = pdftotext(out.read_bytes())
    assert "RECEIPT NOTICE MSC2490077701" in text and "AFFIDAVIT PAGE TWO" in text
    r = vault_run("packet", "no-such-draft", "--out", str(out))
    assert r.returncode == 2 and "no-such-draft" in r.stderr
