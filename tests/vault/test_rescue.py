"""Issue 10, Why 7: rescue modes.  On a full or read-only disk, or while another process
saves, the CLI still lists, shows and exports; reads never wait for a writer."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ombuds_desktop.draft import dumps

from .support import cli_env, make_draft, run_cli
from .test_faults import _fill, _tmpfs

pytestmark = pytest.mark.slow


def _setup(tmp_path: Path, data_dir: Path) -> tuple[dict[str, str], str, Path]:
    env = cli_env(tmp_path, data_dir)
    assert run_cli(env, "vault", "init").returncode == 0
    src = tmp_path / "in"
    src.mkdir()
    (src / "case.json").write_text(dumps(make_draft()), encoding="utf-8")
    done = run_cli(env, "drafts", "import", str(src / "case.json"))
    assert done.returncode == 0, done.stderr
    archive_pp = tmp_path / "archive.pass"
    archive_pp.write_text("a separate archive phrase")
    return env, done.stdout.strip(), archive_pp


def _reads_work(env: dict[str, str], draft_id: str, archive_pp: Path, out: Path) -> None:
    listed = run_cli(env, "drafts", "list", "--json", timeout=30)
    assert listed.returncode == 0, listed.stderr
    assert [r["id"] for r in json.loads(listed.stdout)] == [draft_id]
    shown = run_cli(env, "drafts", "show", draft_id, timeout=30)
    assert shown.returncode == 0 and "Testperson" in shown.stdout, shown.stderr
    done = run_cli(
        env,
        "drafts",
        "export",
        draft_id,
        "--out",
        str(out / "case.omba"),
        "--archive",
        "--archive-passphrase-file",
        str(archive_pp),
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert (out / "case.omba").stat().st_size > 0
    done = run_cli(env, "drafts", "export", draft_id, "--out", str(out / "plain.json"))
    assert done.returncode == 0, done.stderr


def test_read_only_disk(tmp_path: Path) -> None:
    with _tmpfs(tmp_path / "ro", "16m") as mnt:
        env, draft_id, archive_pp = _setup(tmp_path, mnt / "data")
        done = subprocess.run(["mount", "-o", "remount,ro", str(mnt)], capture_output=True)
        if done.returncode != 0:
            pytest.skip("cannot remount read-only here")
        try:
            out = tmp_path / "out"
            out.mkdir()
            _reads_work(env, draft_id, archive_pp, out)
            assert run_cli(env, "vault", "check").returncode in (0, 3)
        finally:
            subprocess.run(["mount", "-o", "remount,rw", str(mnt)], capture_output=True)


def test_full_disk(tmp_path: Path) -> None:
    with _tmpfs(tmp_path / "full", "8m") as mnt:
        env, draft_id, archive_pp = _setup(tmp_path, mnt / "data")
        filler = _fill(mnt)
        try:
            out = tmp_path / "out"
            out.mkdir()
            _reads_work(env, draft_id, archive_pp, out)
        finally:
            filler.unlink()


WRITER = """
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
c.execute("UPDATE meta SET value=value WHERE key='vault_id'")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
c.execute("ROLLBACK")
"""


def test_reads_do_not_wait_for_a_writer(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    env, draft_id, archive_pp = _setup(tmp_path, data_dir)
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(data_dir / "vault.sqlite3"), "40"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "locked"
        start = time.monotonic()
        shown = run_cli(env, "drafts", "show", draft_id, timeout=30)
        assert shown.returncode == 0, shown.stderr
        listed = run_cli(env, "drafts", "list", timeout=30)
        assert listed.returncode == 0, listed.stderr
        assert time.monotonic() - start < 8  # two process start-ups, no 10 s busy wait
        out = tmp_path / "out"
        out.mkdir()
        done = run_cli(
            env,
            "drafts",
            "export",
            draft_id,
            "--out",
            str(out / "case.omba"),
            "--archive",
            "--archive-passphrase-file",
            str(archive_pp),
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        assert "read-only" in done.stderr
    finally:
        writer.kill()
        writer.wait()
