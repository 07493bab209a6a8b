"""Size buckets: what the ciphertext sizes on disk no longer reveal.

Documents are padded inside the encryption to a bucket of their size (12.5 %
granularity above 64 KiB, at least 64 KiB), so the encrypted file size no
longer confirms a known document ("plaintext = size - 9 - 28 x chunks").
Records (revisions, summaries, profiles, document records) are padded with
JSON whitespace to 256-byte steps (12.5 % above 4 KiB), so name and field
lengths do not show.  The true size is kept inside the encrypted record.
"""

from __future__ import annotations

import hashlib
import io
from typing import IO

MIN_DOCUMENT_BUCKET = 64 * 1024
RECORD_STEP = 256


def _bucket(size: int, floor: int, step: int) -> int:
    if size <= floor:
        return floor
    granularity = max(step, 1 << max(size.bit_length() - 4, 0))  # 1/8 .. 1/16 of the size
    return -(-size // granularity) * granularity


def document_bucket(size: int) -> int:
    """The padded plaintext size of a document of ``size`` bytes."""
    return _bucket(size, MIN_DOCUMENT_BUCKET, 4096)


def pad_record(body: bytes) -> bytes:
    """JSON plus trailing spaces (which every JSON parser ignores) up to the bucket."""
    target = (
        _bucket(len(body), RECORD_STEP, RECORD_STEP)
        if len(body) > 4096
        else (-(-max(len(body), 1) // RECORD_STEP) * RECORD_STEP)
    )
    return body + b" " * (target - len(body))


class PaddedSource(io.RawIOBase):
    """Reads ``src`` then zero bytes up to the size bucket; hashes only the real bytes."""

    def __init__(self, src: IO[bytes]) -> None:
        super().__init__()
        self._src = src
        self._digest = hashlib.sha256()
        self.size = 0  # real bytes read
        self._eof = False
        self._pad_left = 0

    def readable(self) -> bool:
        return True

    @property
    def sha256(self) -> str:
        return self._digest.hexdigest()

    def read(self, n: int = -1) -> bytes:
        if not self._eof:
            data = self._src.read(n if n >= 0 else -1)
            if data:
                self._digest.update(data)
                self.size += len(data)
                return data
            self._eof = True
            self._pad_left = document_bucket(self.size) - self.size
        take = self._pad_left if n < 0 else min(n, self._pad_left)
        self._pad_left -= take
        return b"\0" * take


class LimitedReader(io.RawIOBase):
    """The first ``limit`` bytes of ``raw`` (the document without its padding)."""

    def __init__(self, raw: io.RawIOBase, limit: int) -> None:
        super().__init__()
        self._raw = raw
        self._left = limit
        self._drained = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self._left <= 0:
            if not self._drained:
                self._drained = True
                self.drain()
            return 0
        view = memoryview(buffer)[: min(len(buffer), self._left)]
        n = self._raw.readinto(view) or 0
        self._left -= n
        return n

    def drain(self) -> None:
        """Read (and so authenticate) the padding chunks too: a cut-off file is still caught."""
        while self._raw.read(1 << 20):
            pass

    def close(self) -> None:
        if not self.closed:
            self._raw.close()
        super().close()
