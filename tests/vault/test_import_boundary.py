"""Issue 10, Why 2: a draft file may make `drafts import` read only files in its own folder.

Run through the real CLI (a subprocess) so exit codes and messages are what a
user sees; `validate` must report the same refusals.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from ombuds_desktop.draft import Attachment, dumps
from ombuds_desktop.vault import check_attachment_paths, intake

from .support import cli_env, make_draft, run_cli


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    env = cli_env(tmp_path, tmp_path / "data")
    assert run_cli(env, "vault", "init").returncode == 0
    return env


def _draft_file(folder: Path, *paths: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    draft = make_draft()
    draft.attachments = [
        Attachment(category="receipt", description="d", path=p, original_name="receipt.pdf")
        for p in paths
    ]
    out = folder / "case.json"
    out.write_text(dumps(draft), encoding="utf-8")
    return out


def _secret(tmp_path: Path) -> Path:
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir(exist_ok=True)
    secret.write_text("not for the vault")
    return secret


def _list(env: dict[str, str]) -> list[dict]:
    return json.loads(run_cli(env, "drafts", "list", "--json").stdout)


@pytest.mark.parametrize(
    "kind", ["absolute", "dotdot", "tilde", "symlink", "device", "fifo", "folder"]
)
def test_import_refuses_files_outside_the_folder(
    env: dict[str, str], tmp_path: Path, kind: str
) -> None:
    secret = _secret(tmp_path)
    folder = tmp_path / "in" / "case"
    folder.mkdir(parents=True)
    home = tmp_path / "home"
    (home / ".npmrc").parent.mkdir(parents=True, exist_ok=True)
    (home / ".npmrc").write_text("token")
    env = {**env, "HOME": str(home)}
    path = {
        "absolute": str(secret),
        "dotdot": "../../outside/secret.txt",
        "tilde": "~/.npmrc",
        "symlink": "link.pdf",
        "device": "/dev/zero",
        "fifo": "pipe.pdf",
        "folder": "sub",
    }[kind]
    if kind == "symlink":
        (folder / "link.pdf").symlink_to(secret)
    if kind == "fifo":
        os.mkfifo(folder / "pipe.pdf")
    if kind == "folder":
        (folder / "sub").mkdir()
    draft_file = _draft_file(folder, path)
    done = run_cli(env, "drafts", "import", str(draft_file), timeout=60)
    assert done.returncode != 0, done.stdout
    assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1
    assert path in done.stderr and "Nothing was imported" in done.stderr
    assert _list(env) == []
    checked = run_cli(env, "validate", str(draft_file), "--json")
    codes = [(f["code"], f["message"]) for f in json.loads(checked.stdout)]
    assert any(c == "attachment-path-refused" and path in m for c, m in codes), codes


def test_allow_files_from_names_the_trusted_folder(env: dict[str, str], tmp_path: Path) -> None:
    secret = _secret(tmp_path)
    draft_file = _draft_file(tmp_path / "in", str(secret))
    refused = run_cli(env, "drafts", "import", str(draft_file))
    assert refused.returncode == 2 and "--allow-files-from" in refused.stderr
    done = run_cli(
        env, "drafts", "import", str(draft_file), "--allow-files-from", str(secret.parent)
    )
    assert done.returncode == 0, done.stderr
    assert len(_list(env)) == 1
    # allowed folder or not, a device is never read
    dev = _draft_file(tmp_path / "in2", "/dev/zero")
    done = run_cli(env, "drafts", "import", str(dev), "--allow-files-from", "/dev")
    assert done.returncode != 0 and "device" in done.stderr


def test_files_inside_the_folder_import(env: dict[str, str], tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "files").mkdir(parents=True)
    (folder / "files" / "a.pdf").write_bytes(b"%PDF-1.7 a")
    (folder / "b.pdf").symlink_to(folder / "files" / "a.pdf")  # a link inside is fine
    draft_file = _draft_file(folder, "files/a.pdf", "b.pdf", "files/../files/a.pdf")
    done = run_cli(env, "drafts", "import", str(draft_file))
    assert done.returncode == 0, done.stderr
    checked = json.loads(run_cli(env, "validate", str(draft_file), "--json").stdout)
    assert not [f for f in checked if f["code"] == "attachment-path-refused"]


def test_size_limit_and_core_function(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "big.pdf").write_bytes(b"x" * 2048)
    (folder / "ok.pdf").write_bytes(b"x" * 10)
    draft = make_draft()
    draft.attachments = [
        Attachment(category="receipt", description="d", path="big.pdf"),
        Attachment(category="receipt", description="d", path="ok.pdf"),
        Attachment(category="receipt", description="d", path="/etc/passwd"),
    ]
    problems = check_attachment_paths(draft, folder, max_bytes=1024)
    assert [(p.index, p.kind) for p in problems] == [(0, "size"), (2, "location")]
    assert "big.pdf" in problems[0].message and "over the limit" in problems[0].message
    assert problems[1].allowable and not problems[0].allowable
    assert check_attachment_paths(draft, folder, ["/etc"], max_bytes=4096) == []


def test_open_checked_does_not_hang_on_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result: list[object] = []

    def attempt() -> None:
        try:
            intake.open_checked(str(fifo))
        except Exception as exc:  # noqa: BLE001 - the test inspects it
            result.append(exc)

    t = threading.Thread(target=attempt, daemon=True)
    t.start()
    t.join(5)
    assert not t.is_alive() and "named pipe" in str(result[0])
