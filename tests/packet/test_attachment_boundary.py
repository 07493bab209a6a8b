"""Issue 10, Why 2, for every reader: a draft file reads only files in its own folder.

`drafts import` already refused paths outside the draft file's folder; the
packet build, the exports and `validate` still read (or inspected) them.  Each
test uses real files, real symlinks, a real FIFO and /dev/zero.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from ombuds_desktop.cli.testing import CliResult
from ombuds_desktop.packet.errors import PacketInputError
from ombuds_desktop.packet.exhibits import evidence_findings, inspect_attachment, read_attachment

from .support import make_pdf, pdftotext
from .test_cli import run

SECRET = "SECRET OUTSIDE TEXT"
DATE = ("--date", "2026-11-24")


def _outside(tmp_path: Path) -> Path:
    secret = tmp_path / "outside" / "secret.pdf"
    secret.parent.mkdir(exist_ok=True)
    secret.write_bytes(make_pdf([SECRET]))
    return secret


def _point_at(case, raw: str) -> Path:
    """Point the affidavit (att-04) at ``raw`` and save the draft file."""
    case.draft.attachments[3].path = raw
    return case.save()


def _raw(kind: str, case, secret: Path) -> str:
    if kind == "absolute":
        return str(secret)
    if kind == "dotdot":
        return os.path.relpath(secret, case.root)
    link = case.root / "files" / "link.pdf"
    link.symlink_to(secret)
    return "files/link.pdf"


def _in_thread(call: Callable[[], CliResult], fifo: Path | None = None) -> CliResult:
    """Run ``call``; fail (instead of hanging the suite) if it blocks on the FIFO."""
    out: list[CliResult] = []
    worker = threading.Thread(target=lambda: out.append(call()), daemon=True)
    worker.start()
    worker.join(60)
    if worker.is_alive() and fifo is not None:
        with open(fifo, "wb"):  # unblock the reader so the thread can end
            pass
        worker.join(10)
        pytest.fail("reading the attachments blocked on a FIFO")
    assert out, "the command did not finish"
    return out[0]


@pytest.mark.parametrize("kind", ["absolute", "dotdot", "symlink"])
def test_packet_refuses_a_file_outside_the_folder_until_allowed(case, tmp_path, kind):
    secret = _outside(tmp_path)
    raw = _raw(kind, case, secret)
    draft = _point_at(case, raw)
    out = tmp_path / "p.pdf"
    for extra in ((), ("--allow-draft",)):
        r = run("packet", str(draft), "--out", str(out), *DATE, "--acknowledge", "all", *extra)
        assert r.returncode != 0, r.stdout
        last = r.stderr.strip().splitlines()[-1]  # before it: "acknowledged: ..." lines
        assert raw in last and "--allow-files-from" in last
        assert "Traceback" not in r.stderr
        assert not out.exists()
    r = run(
        "packet",
        str(draft),
        "--out",
        str(out),
        *DATE,
        "--acknowledge",
        "all",
        "--allow-files-from",
        str(secret.parent),
    )
    assert r.returncode == 0, r.stderr
    assert SECRET in pdftotext(out.read_bytes())


def test_exports_refuse_a_file_outside_the_folder_until_allowed(case, tmp_path):
    secret = _outside(tmp_path)
    draft = _point_at(case, str(secret))
    targets = {
        "--mail": tmp_path / "m.pdf",
        "--upload-dir": tmp_path / "up",
        "--eml": tmp_path / "e.eml",
    }
    for flag, target in targets.items():
        r = run("export", str(draft), flag, str(target), *DATE)
        assert r.returncode != 0, (flag, r.stdout)
        assert str(secret) in r.stderr and "Traceback" not in r.stderr
        assert not target.exists()
    allow = ("--allow-files-from", str(secret.parent))
    ack = ("--acknowledge", "all")  # the final mail PDF needs its warnings read
    r = run("export", str(draft), "--mail", str(targets["--mail"]), *DATE, *allow, *ack)
    assert r.returncode == 0, r.stderr
    assert SECRET in pdftotext(targets["--mail"].read_bytes())


def test_packet_from_stdin_refuses_absolute_paths(case, tmp_path):
    from ombuds_desktop.cli.testing import run_cli

    secret = _outside(tmp_path)
    draft = _point_at(case, str(secret))
    env = {k: v for k, v in os.environ.items() if k != "OMBUDS_DATA_DIR"}
    out = tmp_path / "p.pdf"
    args = ("packet", "-", "--out", str(out), *DATE, "--acknowledge", "all", "--allow-draft")
    r = run_cli(*args, stdin=draft.read_bytes(), env=env, replace_env=True)
    assert r.returncode != 0 and str(secret) in r.stderr, r.stderr
    assert not out.exists()


def test_validate_reports_the_refusal_and_does_not_inspect_the_file(case, tmp_path):
    secret = tmp_path / "outside" / "secret.pdf"
    secret.parent.mkdir()
    secret.write_bytes(b"not a pdf at all")  # inspecting it would say "damaged"/"wrong type"
    draft = _point_at(case, str(secret))
    r = run("validate", str(draft), "--json")
    findings = json.loads(r.stdout)
    at_3 = [f for f in findings if f["field"] and f["field"].startswith("s8.documents[3]")]
    assert [f["code"] for f in at_3] == ["attachment-path-refused"], at_3
    assert str(secret) in at_3[0]["message"] and "--allow-files-from" in at_3[0]["message"]
    allowed = run("validate", str(draft), "--json", "--allow-files-from", str(secret.parent))
    codes = {
        f["code"]
        for f in json.loads(allowed.stdout)
        if f["field"] and f["field"].startswith("s8.documents[3]")
    }
    assert "attachment-path-refused" not in codes
    assert any(c.startswith("evidence-") for c in codes), codes  # now inspected


def test_validate_does_not_say_whether_an_outside_file_exists(case, tmp_path):
    draft = _point_at(case, str(tmp_path / "nowhere" / "missing.pdf"))
    findings = json.loads(run("validate", str(draft), "--json").stdout)
    codes = {f["code"] for f in findings}
    assert "attachment-path-refused" in codes and "attachment-file-missing" not in codes


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_packet_and_validate_never_read_a_fifo_or_a_device(case, tmp_path, kind):
    if kind == "fifo":
        fifo = case.root / "files" / "pipe.pdf"
        os.mkfifo(fifo)
        raw, allow = "files/pipe.pdf", ()
    else:
        fifo, raw, allow = None, "/dev/zero", ("--allow-files-from", "/dev")
    draft = _point_at(case, raw)
    out = tmp_path / "p.pdf"
    r = _in_thread(
        lambda: run("packet", str(draft), "--out", str(out), *DATE, "--allow-draft", *allow),
        fifo,
    )
    assert r.returncode == 2 and raw in r.stderr and "Traceback" not in r.stderr
    assert ("named pipe" if kind == "fifo" else "device") in r.stderr
    checked = _in_thread(lambda: run("validate", str(draft), "--json", *allow), fifo)
    refused = [f for f in json.loads(checked.stdout) if f["code"] == "attachment-path-refused"]
    assert len(refused) == 1 and raw in refused[0]["message"]


def test_core_readers_apply_the_boundary(case, tmp_path):
    secret = _outside(tmp_path)
    draft = case.draft
    att = draft.attachments[3]
    att.path = str(secret)
    with pytest.raises(PacketInputError) as caught:
        read_attachment(att, case.root)
    assert str(secret) in str(caught.value) and caught.value.kind == "refused"
    assert read_attachment(att, case.root, allow=[secret.parent]).startswith(b"%PDF")
    assert inspect_attachment(att, case.root).problems[0].kind == "refused"
    assert inspect_attachment(att, case.root, allow=[secret.parent]).problems == []
    secret.write_bytes(b"not a pdf")
    assert evidence_findings(draft, case.root) == []  # refused: reported by the engine only
    assert evidence_findings(draft, case.root, allow=[secret.parent])
    # inside the folder nothing changes
    att.path = "files/g28.pdf"
    assert read_attachment(att, case.root).startswith(b"%PDF")


def test_allow_files_from_must_name_a_folder(case, tmp_path):
    draft = case.save()
    for command in (("validate",), ("export", "--mail", str(tmp_path / "m.pdf"))):
        r = run(command[0], str(draft), *command[1:], "--allow-files-from", str(tmp_path / "no"))
        assert (
            r.returncode == 2 and "--allow-files-from" in r.stderr and "no such folder" in r.stderr
        )
        assert "Traceback" not in r.stderr


def test_validate_from_stdin_reports_paths_it_would_not_read(case, tmp_path):
    from ombuds_desktop.cli.testing import run_cli

    secret = _outside(tmp_path)
    draft = _point_at(case, str(secret))
    env = {k: v for k, v in os.environ.items() if k != "OMBUDS_DATA_DIR"}

    def refused(*extra: str) -> list[str]:
        r = run_cli(
            "validate", "-", "--json", *extra, stdin=draft.read_bytes(), env=env, replace_env=True
        )
        return [
            f["message"] for f in json.loads(r.stdout) if f["code"] == "attachment-path-refused"
        ]

    assert any(str(secret) in m for m in refused())
    assert not any(str(secret) in m for m in refused("--allow-files-from", str(secret.parent)))
