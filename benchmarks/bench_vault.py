"""Vault speed: prints figures, the issue's targets, and ratios to floors measured in the same run.

Not a test (machines differ); run it by hand:

    .venv/bin/python benchmarks/bench_vault.py [--drafts 2000] [--attachment-mb 100] [--dir DIR]

Floors are what the same machine does without the vault's bookkeeping:
  * save:   raw AES-GCM of the same JSON + one durable SQLite INSERT/COMMIT (WAL, FULL);
  * open:   sqlite3.connect + the same PRAGMAs + one SELECT;
  * list:   raw AES-GCM decryption of as many small records as there are drafts;
  * attach: plain ``cryptography`` AES-GCM over the same bytes in the same 1 MiB chunks,
            alone and with the ciphertext written and fsynced (the I/O any store pays).
The keyring is an in-memory backend so keyring latency is excluded (as the issue asks);
the unlock with a passphrase (scrypt, deliberately slow) is shown separately.
The attachment runs in a child process so its peak memory can be measured on its own.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import keyring  # noqa: E402
import keyring.backend  # noqa: E402
from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # noqa: E402

from ombuds_desktop.draft import Draft  # noqa: E402
from ombuds_desktop.draft.interchange import draft_to_dict  # noqa: E402
from ombuds_desktop.validation.status import describe_draft  # noqa: E402
from ombuds_desktop.vault import Vault, crypto  # noqa: E402


class _MemoryKeyring(keyring.backend.KeyringBackend):
    priority = -1  # type: ignore[assignment]  # never chosen automatically

    def __init__(self) -> None:
        super().__init__()
        self.d: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.d.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.d[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.d.pop((service, username), None)


def full_draft(i: int) -> Draft:
    """A draft with every section answered (made-up data), about 6 KB of JSON."""
    name = {"family": f"Testperson{i}", "given": "Maria", "middle": "Elena"}
    address = {
        "street": f"{i} Hidden Lane",
        "unit": "Apt 2",
        "city": "Springfield",
        "state": "IL",
        "postal_code": "62701",
        "country": "US",
    }
    values = {
        "app.role": "attorney",
        "app.channel": "online",
        "app.client_category": ["vawa"],
        "s3.filings": [
            {
                "form_number": f,
                "receipt_number": f"EAC22{i:08d}"[:13],
                "receipt_date": "2024-03-01",
                "primary": n == 0,
            }
            for n, f in enumerate(("I-360", "I-765", "I-485"))
        ],
        "s5.name": name,
        "s5.a_number": f"A{200000000 + i}",
        "s5.address": address,
        "s5.phone": "+1 217 555 0100",
        "s5.email": "client@example.org",
        "s5.country_citizenship": "MX",
        "s6.dob": "1990-01-01",
        "s7.name": {"family": "Counsel", "given": "Ada"},
        "s7.organization": "Legal Aid",
        "s7.address": address,
        "s7.phone": "+1 217 555 0111",
        "s7.email": "ada@example.org",
        "s8.description": "The I-360 has been pending well beyond posted processing times. " * 40,
        "s8.efforts": "Called the contact center twice, submitted an e-request. " * 15,
        "s10.name": {"family": "Counsel", "given": "Ada"},
        "s10.bar": "IL 0000001",
    }
    return Draft(form="dhs-7001/2022-11", values=values)


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.2f} ms"


def line(label: str, value: str, target: str = "", ratio: str = "") -> None:
    print(f"  {label:<34} {value:>14}  {target:<16} {ratio}")


def bench_save(vault: Vault, work: Path, rounds: int) -> None:
    draft = full_draft(0)
    vault.save_draft(draft)
    times = []
    for n in range(rounds):
        draft.values["s5.phone"] = f"+1 217 555 {n:04d}"
        t = time.perf_counter()
        vault.save_draft(draft)
        times.append(time.perf_counter() - t)
    body = json.dumps(draft_to_dict(draft)).encode()
    conn = sqlite3.connect(work / "floor.sqlite3", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB)")
    key = crypto.new_key()
    floor = []
    for _ in range(rounds):
        t = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO t (body) VALUES (?)", (crypto.seal(key, body, b"aad"),))
        conn.execute("COMMIT")
        floor.append(time.perf_counter() - t)
    conn.close()
    p50, p95, f50 = pct(times, 50), pct(times, 95), pct(floor, 50)
    print(f"save a full draft ({len(body)} bytes of JSON, {rounds} saves)")
    line("p50", ms(p50), "", f"{p50 / f50:.1f}x the floor")
    line("p95", ms(p95), "target <= 15 ms", "OK" if p95 <= 0.015 else "OVER")
    line("floor p50 (AES-GCM + durable commit)", ms(f50))


def bench_open_list(data_dir: Path, count: int) -> None:
    t0 = time.perf_counter()
    with Vault.open(data_dir, describe=describe_draft) as vault:
        existing = len(vault.list_drafts())
        for i in range(existing, count):
            d = full_draft(i)
            with vault._store.write() as c:  # bulk load: one transaction per 200 would do too
                vault._drafts.save_in_tx(c, d, None, f"2025-01-01T00:00:{i % 60:02d}.{i:06d}Z")
    build = time.perf_counter() - t0
    opens, lists, searches = [], [], []
    for _ in range(7):
        t = time.perf_counter()
        vault = Vault.open(data_dir, describe=describe_draft)
        opens.append(time.perf_counter() - t)
        t = time.perf_counter()
        rows = vault.list_drafts()
        lists.append(time.perf_counter() - t)
        for q in ("testperson1234", "EAC22", "zzz-no-match", "maria i-765"):
            t = time.perf_counter()
            vault.search(q)
            searches.append(time.perf_counter() - t)
        vault.close()
    assert len(rows) >= count
    conn_times = []
    for _ in range(7):
        t = time.perf_counter()
        c = sqlite3.connect(data_dir / "vault.sqlite3", isolation_level=None)
        for pragma in (
            "busy_timeout=10000",
            "secure_delete=ON",
            "temp_store=MEMORY",
            "journal_mode=WAL",
            "synchronous=FULL",
        ):
            c.execute(f"PRAGMA {pragma}")
        c.execute("SELECT * FROM key_wraps").fetchall()
        c.close()
        conn_times.append(time.perf_counter() - t)
    key = crypto.new_key()
    aad = b"aad"
    sealed = [
        crypto.seal(
            key,
            json.dumps(
                {"client": f"Maria Testperson{i}", "forms_and_receipts": "I-360 EAC2212345678"}
            ).encode(),
            aad,
        )
        for i in range(count)
    ]
    t = time.perf_counter()
    for s in sealed:
        crypto.unseal(key, s, aad)
    dec_floor = time.perf_counter() - t
    o, li, se = statistics.median(opens), statistics.median(lists), statistics.median(searches)
    print(f"open, list and search ({len(rows)} drafts; built in {build:.1f} s)")
    line(
        "open (keyring latency excluded)",
        ms(o),
        "target <= 150 ms",
        f"{o / statistics.median(conn_times):.1f}x the floor",
    )
    line(
        "list (first, decrypts all)", ms(li), "target <= 250 ms", f"{li / dec_floor:.1f}x the floor"
    )
    line("search (cached summaries)", ms(se), "target <= 30 ms", "OK" if se <= 0.030 else "OVER")
    line("floor: connect + PRAGMAs + SELECT", ms(statistics.median(conn_times)))
    line(f"floor: AES-GCM decrypt x{count}", ms(dec_floor))


def bench_unlock_passphrase(work: Path) -> None:
    d = work / "pp-vault"
    v, _ = Vault.create(d, passphrase="benchmark passphrase long enough")
    v.close()
    t = time.perf_counter()
    Vault.open(d, passphrase="benchmark passphrase long enough").close()
    print("unlock with a passphrase (scrypt n=2^17, r=8: deliberately slow)")
    line("open with passphrase", ms(time.perf_counter() - t))


def _status_kb(field: str) -> int | None:
    try:
        for row in Path("/proc/self/status").read_text().splitlines():
            if row.startswith(field + ":"):
                return int(row.split()[1])
    except OSError:
        pass
    return None


def _reset_peak_rss() -> int:
    """Reset the peak-RSS mark (Linux) and return the current RSS in KiB."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return _status_kb("VmRSS") or 0


def _peak_rss() -> int:
    return _status_kb("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def attachment_child(data_dir: Path, src: Path) -> None:
    """Runs in its own process so its memory peak is its own: figures as JSON on stdout."""
    keyring.set_keyring(_MemoryKeyring())
    vault, _ = Vault.create(data_dir)
    draft = full_draft(0)
    vault.save_draft(draft)
    base_kb = _reset_peak_rss()  # scrypt during create raised the peak; start afresh
    t = time.perf_counter()
    stored = vault.store_attachment(draft.id, src)
    elapsed = time.perf_counter() - t
    peak_kb = _peak_rss()
    _reset_peak_rss()
    t = time.perf_counter()
    with vault.open_attachment(stored.blob_id) as fh:
        while fh.read(1 << 20):
            pass
    read_back = time.perf_counter() - t
    read_peak_kb = _peak_rss()
    vault.close()
    print(
        json.dumps(
            {
                "elapsed": elapsed,
                "base_kb": base_kb,
                "peak_kb": peak_kb,
                "read_back": read_back,
                "read_peak_kb": read_peak_kb,
                "size": stored.size,
            }
        )
    )


def _floors(src: Path, work: Path) -> tuple[float, float]:
    """(plain AES-GCM over the bytes, the same plus writing and fsyncing the ciphertext)."""
    aead = AESGCM(crypto.new_key())
    t = time.perf_counter()
    with open(src, "rb") as fh:
        while block := fh.read(1 << 20):
            aead.encrypt(os.urandom(12), block, None)
    compute = time.perf_counter() - t
    out_path = work / "floor.bin"
    t = time.perf_counter()
    with open(src, "rb") as fh, open(out_path, "wb") as out:
        while block := fh.read(1 << 20):
            nonce = os.urandom(12)
            out.write(nonce)
            out.write(aead.encrypt(nonce, block, None))
        out.flush()
        os.fsync(out.fileno())
    with_io = time.perf_counter() - t
    out_path.unlink()
    return compute, with_io


def bench_attachment(work: Path, mb: int) -> None:
    data_dir = work / "att" / "data"
    data_dir.parent.mkdir(parents=True)
    src = work / "attachment.bin"
    chunk = os.urandom(1 << 20)
    with open(src, "wb") as fh:
        for i in range(mb):
            fh.write(chunk[i % 7 :] + chunk[: i % 7])
    results, floors = [], []
    for _ in range(3):
        floors.append(_floors(src, work))
        done = subprocess.run(
            [
                sys.executable,
                __file__,
                "--attachment-child",
                str(data_dir),
                "--attachment-src",
                str(src),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
        import shutil

        shutil.rmtree(data_dir)
    r = min(results, key=lambda x: x["elapsed"])
    compute = min(f[0] for f in floors)
    with_io = min(f[1] for f in floors)
    size = r["size"]
    grow = (r["peak_kb"] - r["base_kb"]) / 1024
    print(f"encrypt + store a {mb} MB attachment (read, SHA-256, encrypt, write, fsync; best of 3)")
    line("time", f"{r['elapsed']:.2f} s", "", f"{size / r['elapsed'] / 1048576:.0f} MB/s")
    line(
        "vs plain AES-GCM (compute only)",
        f"{r['elapsed'] / compute:.2f}x",
        "target <= 3x",
        "OK" if r["elapsed"] / compute <= 3 else "OVER (disk write + fsync + hash)",
    )
    line(
        "vs plain AES-GCM + write + fsync",
        f"{r['elapsed'] / with_io:.2f}x",
        "target <= 3x",
        "OK" if r["elapsed"] / with_io <= 3 else "OVER",
    )
    line(
        "floor: plain AES-GCM, same bytes",
        f"{compute:.2f} s",
        "",
        f"{size / compute / 1048576:.0f} MB/s",
    )
    line(
        "floor: same + write + fsync",
        f"{with_io:.2f} s",
        "",
        f"{size / with_io / 1048576:.0f} MB/s",
    )
    line(
        "peak memory above baseline",
        f"{grow:.1f} MB",
        "target < 150 MB",
        "OK" if grow < 150 else "OVER",
    )
    line(
        "decrypting read-back",
        f"{r['read_back']:.2f} s",
        "",
        f"peak +{(r['read_peak_kb'] - r['base_kb']) / 1024:.1f} MB",
    )
    src.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drafts", type=int, default=2000)
    parser.add_argument("--saves", type=int, default=200)
    parser.add_argument("--attachment-mb", type=int, default=100)
    parser.add_argument(
        "--dir",
        help="work folder (default: a new temp folder; use the disk the vault will live on)",
    )
    parser.add_argument("--attachment-child", help=argparse.SUPPRESS)
    parser.add_argument("--attachment-src", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.attachment_child:
        attachment_child(Path(args.attachment_child), Path(args.attachment_src))
        return
    keyring.set_keyring(_MemoryKeyring())
    work = Path(tempfile.mkdtemp(prefix="bench-vault-", dir=args.dir))
    print(
        f"Ombuds Desktop vault benchmark ({work}; Python {sys.version.split()[0]}, "
        f"SQLite {sqlite3.sqlite_version})"
    )
    vault, _ = Vault.create(work / "data", describe=describe_draft)  # as the app saves
    bench_save(vault, work, args.saves)
    vault.close()
    bench_open_list(work / "data", args.drafts)
    bench_unlock_passphrase(work)
    bench_attachment(work, args.attachment_mb)
    import shutil

    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
