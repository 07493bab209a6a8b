"""Issue 10, Why 9: ciphertext sizes and clear timestamps say less."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ombuds_desktop.vault import Vault, paths
from ombuds_desktop.vault.padding import document_bucket, pad_record

from .support import make_draft


def test_document_sizes_fall_into_buckets(vault: Vault, tmp_path: Path) -> None:
    draft = make_draft()
    sizes = []
    for n in (1000, 1200, 40_000):  # different documents, one size on disk
        src = tmp_path / f"d{n}.pdf"
        src.write_bytes(b"x" * n)
        att = vault.attach_file(draft, src, category="evidence")
        blob = att.path.removeprefix("vault:")
        sizes.append((paths.blob_root(vault.data_dir) / blob[:2] / blob).stat().st_size)
        assert vault.read_attachment(blob) == b"x" * n  # padding never shows
    assert len(set(sizes)) == 1
    assert document_bucket(1_000_000) == document_bucket(1_000_001)
    assert document_bucket(1_000_000) < 1_000_000 * 1.13


def test_record_sizes_and_timestamps(vault: Vault) -> None:
    a, b = make_draft("Al", "Li"), make_draft("Maximiliana", "Oyelaran-Featherstonehaugh")
    vault.save_draft(a)
    vault.save_draft(b)
    with sqlite3.connect(paths.db_path(vault.data_dir)) as c:
        bodies = [len(x) for (x,) in c.execute("SELECT body FROM revisions")]
        summaries = [len(x) for (x,) in c.execute("SELECT summary FROM drafts")]
        updated = [u for (u,) in c.execute("SELECT updated FROM drafts")]
        audit_ts = [t for (t,) in c.execute("SELECT ts FROM audit")]
    assert len(set(bodies)) == 1 and len(set(summaries)) == 1
    assert all(u.endswith(":00:00Z") for u in updated + audit_ts)
    assert (
        vault.list_drafts()[0].updated[14:16] != "" and ":00:00Z" not in vault.summary(a.id).updated
    )
    assert pad_record(b"{}").endswith(b" ") and len(pad_record(b"x" * 300)) == 512
