"""The CLI contract: ``ombuds-desktop vault ...`` / ``drafts ...`` (in-process runner)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ombuds_desktop.draft import Attachment, dumps

from .support import cli_env, make_draft, run_cli

CODE = re.compile(r"\b([0-9A-Z]{4}(?:-[0-9A-Z]{4}){6})\b")


def _one_line_error(done: object, code: int) -> str:
    err = done.stderr  # type: ignore[attr-defined]
    assert done.returncode == code, (done.stdout, err)  # type: ignore[attr-defined]
    assert "Traceback" not in err and err.startswith("ombuds-desktop: ")
    return err


def _draft_file(folder: Path) -> Path:
    draft = make_draft()
    (folder / "files").mkdir(parents=True, exist_ok=True)
    (folder / "files" / "receipt notice.pdf").write_bytes(b"%PDF-1.7 receipt notice")
    draft.attachments = [
        Attachment(
            category="receipt", description="receipt notice", path="files/receipt notice.pdf"
        )
    ]
    path = folder / "case.json"
    path.write_text(dumps(draft), encoding="utf-8")
    return path


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return cli_env(tmp_path, tmp_path / "data")


def test_full_cycle(env: dict[str, str], tmp_path: Path) -> None:
    done = run_cli(env, "vault", "status")
    assert done.returncode == 0 and "No vault" in done.stdout
    init = run_cli(env, "vault", "init")
    assert init.returncode == 0, init.stderr
    assert "system keyring" in init.stdout and CODE.search(init.stdout)
    code = CODE.search(init.stdout).group(1)  # type: ignore[union-attr]
    err = _one_line_error(run_cli(env, "vault", "init"), 2)
    assert "already exists" in err

    status = json.loads(run_cli(env, "vault", "status", "--json").stdout)
    assert status["protection"] == "keyring" and status["drafts"] == 0

    draft_file = _draft_file(tmp_path / "in")
    imported = run_cli(env, "drafts", "import", str(draft_file))
    assert imported.returncode == 0, imported.stderr
    draft_id = imported.stdout.strip()

    rows = json.loads(run_cli(env, "drafts", "list", "--json").stdout)
    assert [r["id"] for r in rows] == [draft_id]
    row = rows[0]
    assert row["client"] == "Maria Testperson" and row["receipts"] == ["EAC2212345678"]
    assert row["forms_and_receipts"] == "I-360 EAC2212345678"
    assert {"status", "family_group", "updated"} <= set(row)
    table = run_cli(env, "drafts", "list").stdout
    assert "Maria Testperson" in table and "EAC2212345678" in table
    assert "Maria" in run_cli(env, "drafts", "list", "--search", "maria").stdout
    assert "(no drafts)" in run_cli(env, "drafts", "list", "--search", "nobody").stdout

    shown = json.loads(run_cli(env, "drafts", "show", draft_id).stdout)
    assert shown["id"] == draft_id and shown["attachments"][0]["path"].startswith("vault:")
    assert shown["attachments"][0]["original_name"] == "receipt notice.pdf"

    status = run_cli(env, "vault", "status").stdout
    assert "Drafts:          1" in status and "Maria" not in status

    # plain export, with a warning, and back in
    plain = tmp_path / "out" / "plain.json"
    plain.parent.mkdir()
    done = run_cli(env, "drafts", "export", draft_id, "--out", str(plain))
    assert done.returncode == 0 and "NOT encrypted" in done.stderr
    exported = json.loads(plain.read_text())
    att = plain.parent / exported["attachments"][0]["path"]
    assert att.read_bytes() == b"%PDF-1.7 receipt notice"
    again = run_cli(env, "drafts", "import", str(plain))
    assert again.returncode == 0 and again.stdout.strip() != draft_id

    # archive
    passfile = tmp_path / "archive.pass"
    passfile.write_text("archive passphrase here\n")
    archive = tmp_path / "out" / "case.omba"
    done = run_cli(
        env,
        "drafts",
        "export",
        draft_id,
        "--out",
        str(archive),
        "--archive",
        "--archive-passphrase-file",
        str(passfile),
    )
    assert done.returncode == 0, done.stderr
    assert b"Maria" not in archive.read_bytes()
    done = run_cli(
        env, "drafts", "import", str(archive), "--archive-passphrase-file", str(passfile)
    )
    assert done.returncode == 0 and len(done.stdout.split()) == 1
    wrong = tmp_path / "wrong.pass"
    wrong.write_text("not the archive passphrase")
    err = _one_line_error(
        run_cli(env, "drafts", "import", str(archive), "--archive-passphrase-file", str(wrong)), 2
    )
    assert "passphrase is wrong" in err
    err = _one_line_error(
        run_cli(env, "drafts", "export", draft_id, "--out", str(tmp_path / "x.omba"), "--archive"),
        2,
    )
    assert "passphrase" in err
    assert len(json.loads(run_cli(env, "drafts", "list", "--json").stdout)) == 3

    # trash, restore, purge
    assert run_cli(env, "drafts", "delete", draft_id).returncode == 0
    assert draft_id not in run_cli(env, "drafts", "list").stdout
    assert draft_id in run_cli(env, "drafts", "list", "--trash").stdout
    assert run_cli(env, "drafts", "restore", draft_id).returncode == 0
    assert draft_id in run_cli(env, "drafts", "list").stdout
    done = run_cli(env, "drafts", "purge", draft_id)
    assert done.returncode == 0 and "Backups" in done.stdout
    err = _one_line_error(run_cli(env, "drafts", "show", draft_id), 2)
    assert draft_id in err

    # key rotation and recovery
    keyring_file = Path(env["OMBUDS_TEST_KEYRING_FILE"])
    before = {k for k in json.loads(keyring_file.read_text()) if not k.endswith("/seen")}
    rotated = run_cli(env, "vault", "rotate-key")
    assert rotated.returncode == 0, rotated.stderr
    assert "every record was re-encrypted" in rotated.stdout
    code = CODE.search(rotated.stdout).group(1)  # type: ignore[union-attr]  # a new code
    after = {k for k in json.loads(keyring_file.read_text()) if not k.endswith("/seen")}
    assert len(after) == 1 and after != before
    keyring_file.write_text("{}")
    err = _one_line_error(run_cli(env, "drafts", "list"), 3)
    assert "not in the system keyring" in err and "vault recover" in err
    code_file = tmp_path / "code.txt"
    code_file.write_text(code.lower() + "\n")
    done = run_cli(env, "vault", "recover", "--recovery-code-file", str(code_file))
    assert done.returncode == 0, done.stderr
    assert len(json.loads(run_cli(env, "drafts", "list", "--json").stdout)) == 2
    audit = run_cli(env, "vault", "audit")
    assert audit.returncode == 0 and "intact" in audit.stdout and "Maria" not in audit.stdout


def test_global_data_dir_option(tmp_path: Path) -> None:
    env = cli_env(tmp_path, tmp_path / "unused")
    env.pop("OMBUDS_DATA_DIR")
    where = tmp_path / "portable"
    assert run_cli(env, "--data-dir", str(where), "vault", "init").returncode == 0
    assert (where / "vault.sqlite3").exists() and not (tmp_path / "unused").exists()
    status = json.loads(run_cli(env, "--data-dir", str(where), "vault", "status", "--json").stdout)
    assert status["exists"] and status["data_dir"] == str(where)


def test_no_keyring_means_passphrase(tmp_path: Path) -> None:
    env = cli_env(
        tmp_path, tmp_path / "data", PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring"
    )
    err = _one_line_error(run_cli(env, "vault", "init"), 2)
    assert "passphrase" in err and "--passphrase-file" in err
    assert not (tmp_path / "data" / "vault.sqlite3").exists()
    passfile = tmp_path / "pass.txt"
    passfile.write_text("horse battery staple correct\n")
    short = tmp_path / "short.txt"
    short.write_text("short")
    err = _one_line_error(run_cli(env, "vault", "init", "--passphrase-file", str(short)), 3)
    assert "too short" in err
    init = run_cli(env, "vault", "init", "--passphrase-file", str(passfile))
    assert init.returncode == 0 and "passphrase" in init.stdout
    err = _one_line_error(run_cli(env, "drafts", "list"), 2)
    assert "--passphrase-file" in err
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("wrong battery staple horse")
    err = _one_line_error(run_cli(env, "drafts", "list", "--passphrase-file", str(wrong)), 2)
    assert "does not open this vault" in err
    env["OMBUDS_PASSPHRASE_FILE"] = str(passfile)
    draft_file = _draft_file(tmp_path / "in")
    assert run_cli(env, "drafts", "import", str(draft_file)).returncode == 0
    assert "Maria Testperson" in run_cli(env, "drafts", "list").stdout
    newpass = tmp_path / "new.txt"
    newpass.write_text("a different long passphrase")
    assert (
        run_cli(env, "vault", "rotate-key", "--new-passphrase-file", str(newpass)).returncode == 0
    )
    env["OMBUDS_PASSPHRASE_FILE"] = str(newpass)
    assert "Maria Testperson" in run_cli(env, "drafts", "list").stdout


def test_locked_keyring_message(env: dict[str, str]) -> None:
    assert run_cli(env, "vault", "init").returncode == 0
    env["OMBUDS_TEST_KEYRING_MODE"] = "locked"
    err = _one_line_error(run_cli(env, "drafts", "list"), 3)
    assert "locked" in err and "recover" in err
    assert "locked" in run_cli(env, "vault", "status").stdout


def test_bad_input(env: dict[str, str], tmp_path: Path) -> None:
    err = _one_line_error(run_cli(env, "drafts", "list"), 2)
    assert "vault init" in err
    assert run_cli(env, "vault", "init").returncode == 0
    _one_line_error(run_cli(env, "drafts", "show", "no-such-id"), 2)
    _one_line_error(run_cli(env, "drafts", "delete", "no-such-id"), 2)
    _one_line_error(run_cli(env, "drafts", "import", str(tmp_path / "missing.json")), 2)
    junk = tmp_path / "junk.json"
    junk.write_text("{not json")
    assert "not valid JSON" in _one_line_error(run_cli(env, "drafts", "import", str(junk)), 2)
    draft = make_draft()
    draft.attachments = [Attachment(category="x", description="", path="gone.pdf")]
    lost = tmp_path / "lost.json"
    lost.write_text(dumps(draft))
    assert "not found" in _one_line_error(run_cli(env, "drafts", "import", str(lost)), 2)
    assert run_cli(env, "drafts", "list", "--json").stdout.strip() == "[]"
    code = tmp_path / "code.txt"
    code.write_text("AAAA-BBBB")
    assert "7 groups" in _one_line_error(
        run_cli(env, "vault", "recover", "--recovery-code-file", str(code)), 2
    )
    _one_line_error(run_cli(env, "drafts"), 2)
    _one_line_error(run_cli(env, "drafts", "export", "x"), 2)
