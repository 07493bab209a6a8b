"""No plaintext client data may reach the data folder or the temp folder.

Distinctive made-up names, an A-Number, receipt numbers and attachment file
names go through every operation (in this process and through the CLI), then
every byte under the data dir and the temp dir is scanned for them in UTF-8,
UTF-16 and other spellings.
"""

from __future__ import annotations

import json
import os
import tempfile
import unicodedata
from pathlib import Path

import pytest

from ombuds_desktop.draft import Attachment, Submission, dumps, read_draft_file
from ombuds_desktop.formdef import load_edition
from ombuds_desktop.validation.status import describe_draft
from ombuds_desktop.vault import RepresentativeProfile, Vault, blob_id_of

from .support import make_draft, run_cli

CANARIES = [
    "Zephyrine",
    "Quillfeather",
    "Oyelaran",  # client
    "Xiomburu",  # family member
    "Thịcanary",
    "Ánhcanary",  # accented client (Vietnamese-style, made up)
    "987654321",  # A-Number digits (A987654321)
    "WAC9988776655",
    "LIN7766554433",  # receipt numbers
    "Wolfsbane",  # representative
    "trafficking_declaration",
    "Zephyrine_passport",  # attachment file names
    "Hiddenvale Crescent",  # street
]

#: What a family member's draft takes over (the edition decides).
SHARED = load_edition().family_shared_fields()


def _variants(word: str) -> set[bytes]:
    out: set[bytes] = set()
    for form in {
        word,
        word.lower(),
        word.upper(),
        unicodedata.normalize("NFD", word),
        unicodedata.normalize("NFC", word),
    }:
        for enc in ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le"):
            out.add(form.encode(enc))
        out.add(json.dumps(form).encode())  # \\u escapes
    return out


def _scan(roots: list[Path]) -> list[str]:
    found = []
    variants = {w: _variants(w) for w in CANARIES}
    for root in roots:
        for path in root.rglob("*"):
            if not path.is_file():
                continue
            for part in path.relative_to(root).parts:
                for word in CANARIES:
                    if word.lower() in part.lower():
                        found.append(f"{word} in the name {path}")
            data = path.read_bytes()
            for word, forms in variants.items():
                if any(f in data for f in forms):
                    found.append(f"{word} inside {path}")
    return found


@pytest.fixture
def scanned_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    tmp = tmp_path / "tmpdir"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    return tmp


def _client_draft(src: Path) -> tuple[Path, str]:
    """An interchange draft file with two attachments, as a paralegal would hand it over."""
    draft = make_draft(
        "Zephyrine Ánhcanary",
        "Quillfeather-Oyelaran Thịcanary",
        a_number="A987654321",
        receipt="WAC9988776655",
    )
    draft.values["s3.filings"].append({"form_number": "I-765", "receipt_number": "LIN7766554433"})
    draft.values["s5.address"]["street"] = "7 Hiddenvale Crescent"
    draft.values["s10.name"] = {"family": "Wolfsbane", "given": "Ada"}
    (src / "files").mkdir(parents=True)
    (src / "files" / "Zephyrine_passport.pdf").write_bytes(
        b"%PDF-1.7 Zephyrine Quillfeather A987654321 " + os.urandom(3000)
    )
    (src / "files" / "trafficking_declaration.txt").write_text(
        "Declaration of Zephyrine Quillfeather-Oyelaran, A987654321, Hiddenvale Crescent\n" * 50,
        encoding="utf-16",
    )
    draft.attachments = [
        Attachment(
            category="identity",
            description="passport of Zephyrine",
            path="files/Zephyrine_passport.pdf",
        ),
        Attachment(
            category="evidence",
            description="trafficking declaration",
            path="files/trafficking_declaration.txt",
        ),
    ]
    path = src / "Zephyrine Quillfeather.json"
    path.write_text(dumps(draft), encoding="utf-8")
    return path, draft.id


def test_canaries_never_reach_data_or_temp(
    tmp_path: Path, scanned_tmp: Path, file_keyring_env: dict[str, str]
) -> None:
    data_dir = tmp_path / "data"
    src = tmp_path / "src"  # plaintext input the user owns: not scanned
    out = tmp_path / "plain-out"  # plaintext exports the user asked for: not scanned
    draft_file, _ = _client_draft(src)
    env = {**file_keyring_env, "OMBUDS_DATA_DIR": str(data_dir), "TMPDIR": str(scanned_tmp)}
    passfile = src / "archive-pass.txt"
    passfile.write_text("a long archive passphrase\n")

    # CLI: init, import (with attachments), list, show, search, archive export/import.
    assert run_cli(env, "vault", "init").returncode == 0
    done = run_cli(env, "drafts", "import", str(draft_file))
    assert done.returncode == 0, done.stderr
    cli_id = done.stdout.strip()
    listed = run_cli(env, "drafts", "list", "--json")
    assert "Zephyrine" in listed.stdout  # decrypted for the user, on stdout only
    assert "Zephyrine" in run_cli(env, "drafts", "show", cli_id).stdout
    assert run_cli(env, "drafts", "list", "--search", "quillfeather").returncode == 0
    archive = scanned_tmp / "export.omba"  # an encrypted archive may sit in temp
    assert (
        run_cli(
            env,
            "drafts",
            "export",
            cli_id,
            "--out",
            str(archive),
            "--archive",
            "--archive-passphrase-file",
            str(passfile),
        ).returncode
        == 0
    )
    assert (
        run_cli(
            env, "drafts", "import", str(archive), "--archive-passphrase-file", str(passfile)
        ).returncode
        == 0
    )
    assert run_cli(env, "vault", "status").returncode == 0

    # API: everything the GUI does.
    with Vault.open(data_dir, describe=describe_draft) as vault:
        draft = read_draft_file(draft_file)
        stored = vault.import_draft(draft, draft_file.parent)
        loaded = vault.load_draft(stored.id)
        for i in range(5):
            loaded.values["s9.statement"] = f"Zephyrine Quillfeather statement {i}"
            vault.save_draft(loaded)
        extra = src / "Zephyrine_passport_page2.pdf"
        extra.write_bytes(b"Zephyrine " * 200_000)  # 2 MB: several chunks
        vault.attach_file(loaded, extra, category="identity", description="Zephyrine page 2")
        vault.save_draft(loaded)
        assert vault.search("zephyrine")
        twin = vault.duplicate_for_family(stored.id, SHARED)
        twin.values["s5.name"] = {"family": "Xiomburu", "given": "Quillfeather"}
        vault.save_draft(twin)
        vault.save_profile(
            RepresentativeProfile(
                name="Ada Wolfsbane", organization="Wolfsbane Hiddenvale Crescent"
            )
        )
        vault.record_submission(stored.id, Submission("mail", "2025-02-01", "WAC9988776655"))
        vault.list_submissions(stored.id)
        vault.restore_revision(stored.id, 2)
        vault.delete_draft(twin.id)
        vault.list_drafts(trash=True)
        vault.restore_draft(twin.id)
        blob = blob_id_of(loaded.attachments[0])
        assert blob is not None
        vault.read_attachment(blob)
        vault.export_attachment(blob, out.parent / "one-attachment.pdf")
        vault.materialize_draft(stored.id, out)
        family_archive = scanned_tmp / "family.omba"
        vault.export_archive(vault.family_ids(stored.id), family_archive, "another long phrase")
        vault.import_archive(family_archive, "another long phrase")
        vault.record_event("print", stored.id)
        vault.rotate_key()
        code = vault.new_recovery_code()
        vault.purge_draft(cli_id)
        vault.verify_audit()
    assert (out / "draft.json").exists()  # the plaintext export did happen, outside the scan
    with Vault.recover(data_dir, code) as vault:
        assert any("Zephyrine" in s.client for s in vault.list_drafts())

    leaks = _scan([data_dir, scanned_tmp])
    assert leaks == [], leaks
    assert any(data_dir.rglob("*")) and any(p.is_file() for p in data_dir.rglob("*"))


def test_scanner_finds_a_planted_canary(tmp_path: Path) -> None:
    """The scan itself works: a plaintext canary in any encoding is found."""
    (tmp_path / "a").write_bytes("x zephyrine y".encode("utf-16-le"))
    (tmp_path / "b").write_bytes("THỊCANARY".encode())
    (tmp_path / "Xiomburu.bin").write_bytes(b"")
    found = _scan([tmp_path])
    assert len(found) == 3
