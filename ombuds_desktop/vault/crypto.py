"""AES-256-GCM for records and for streamed attachments.

Records: ``version byte || 96-bit random nonce || ciphertext+tag``.  The
associated data binds the format magic and version, the record kind, the
record id and the schema version, so a ciphertext copied into another row,
another kind of row or another draft fails to decrypt instead of silently
showing the wrong client's data.

Streams (attachments, portable archives): a header, then chunks of
``CHUNK_SIZE`` plaintext bytes, each sealed with its own random nonce and
associated data holding the header, the stream id, the chunk index and a
"final" flag.  Reordering, dropping, truncating or extending chunks therefore
fails authentication, and only one chunk is ever in memory.
"""

from __future__ import annotations

import hashlib
import io
import os
import struct
from collections.abc import Buffer, Callable
from dataclasses import dataclass
from typing import BinaryIO, Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"OMBV"
FORMAT_VERSION = 1
KEY_BYTES = 32
NONCE_BYTES = 12
TAG_BYTES = 16
CHUNK_SIZE = 1 << 20  # 1 MiB: small enough for memory, large enough for throughput
STREAM_MAGIC = b"OMBS"
_STREAM_HEADER = struct.Struct(">4sBI")  # magic, version, chunk size


class DecryptionError(Exception):
    """Authentication failed (wrong key, tampered, truncated or misplaced ciphertext).

    Low level: the vault turns it into a :class:`~.errors.TamperedDataError`
    that names the draft and says what to do.
    """


def new_key() -> bytes:
    return os.urandom(KEY_BYTES)


def _part(value: str | int | bytes) -> bytes:
    if isinstance(value, int):
        raw = value.to_bytes(8, "big", signed=True)
    elif isinstance(value, str):
        raw = value.encode("utf-8")
    else:
        raw = bytes(value)
    return len(raw).to_bytes(4, "big") + raw


def associated_data(*parts: str | int | bytes) -> bytes:
    """Unambiguous (length-prefixed) encoding of the context a ciphertext belongs to."""
    return MAGIC + bytes([FORMAT_VERSION]) + b"".join(_part(p) for p in parts)


def record_aad(kind: str, record_id: str, schema: int) -> bytes:
    return associated_data("record", kind, record_id, schema)


def seal(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    """Encrypt with a fresh random nonce; the result carries its version byte and nonce."""
    nonce = os.urandom(NONCE_BYTES)
    return bytes([FORMAT_VERSION]) + nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def unseal(key: bytes, blob: bytes, aad: bytes) -> bytes:
    if not blob or len(blob) < 1 + NONCE_BYTES + TAG_BYTES:
        raise DecryptionError("ciphertext too short")
    if blob[0] != FORMAT_VERSION:
        raise DecryptionError(f"unknown ciphertext version {blob[0]}")
    nonce = blob[1 : 1 + NONCE_BYTES]
    try:
        return AESGCM(key).decrypt(nonce, blob[1 + NONCE_BYTES :], aad)
    except InvalidTag:
        raise DecryptionError("authentication failed") from None


def derive_key(master: bytes, label: str, context: str = "") -> bytes:
    """A sub-key for one purpose, so one key is never used for two jobs."""
    info = associated_data("derive", label, context)
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=info).derive(master)


# --------------------------------------------------------------------------- streams


@dataclass(frozen=True, slots=True)
class StreamInfo:
    size: int  # plaintext bytes
    sha256: str  # of the plaintext
    chunks: int


def _chunk_aad(header: bytes, stream_id: str, index: int, final: bool) -> bytes:
    return associated_data("chunk", header, stream_id, index, b"\x01" if final else b"\x00")


class ByteSource(Protocol):
    """What a stream is read from: a binary file, a pipe, a tar member, a padded source."""

    def read(self, n: int = -1, /) -> bytes: ...


def _read_full(src: ByteSource, n: int) -> bytes:
    """Read exactly ``n`` bytes unless the stream ends (pipes may return short reads)."""
    data = src.read(n)
    if not data or len(data) == n:
        return data or b""
    parts = [data]
    got = len(data)
    while got < n:
        more = src.read(n - got)
        if not more:
            break
        parts.append(more)
        got += len(more)
    return b"".join(parts)


def _write_all(dst: BinaryIO, data: memoryview) -> None:
    """An unbuffered file may write less than asked; keep going (an error raises)."""
    done = 0
    while done < len(data):
        n = dst.write(data[done:])
        done += len(data) - done if n is None else n


def encrypt_stream(
    key: bytes,
    stream_id: str,
    src: ByteSource,
    dst: BinaryIO,
    *,
    chunk_size: int = CHUNK_SIZE,
    progress: Callable[[int], None] | None = None,
) -> StreamInfo:
    """Encrypt ``src`` into ``dst`` chunk by chunk (one chunk of look-ahead in memory).

    ``progress`` is called with the plaintext bytes done so far (the GUI's
    progress bar); it may raise to cancel.
    """
    header = _STREAM_HEADER.pack(STREAM_MAGIC, FORMAT_VERSION, chunk_size)
    dst.write(header)
    aead = AESGCM(key)
    digest = hashlib.sha256()
    # One reusable output buffer (nonce || ciphertext || tag): no per-chunk allocation.
    record = bytearray(NONCE_BYTES + chunk_size + TAG_BYTES)
    view = memoryview(record)
    current = _read_full(src, chunk_size)
    index = size = 0
    while True:
        following = _read_full(src, chunk_size) if len(current) == chunk_size else b""
        final = not following
        digest.update(current)
        nonce = os.urandom(NONCE_BYTES)
        end = NONCE_BYTES + len(current) + TAG_BYTES
        view[:NONCE_BYTES] = nonce
        aead.encrypt_into(
            nonce, current, _chunk_aad(header, stream_id, index, final), view[NONCE_BYTES:end]
        )
        _write_all(dst, view[:end])
        size += len(current)
        index += 1
        if progress is not None:
            progress(size)
        if final:
            return StreamInfo(size, digest.hexdigest(), index)
        current = following


class EncryptingWriter(io.RawIOBase):
    """A write-only file object that encrypts what is written, in the stream format.

    For producers that push data (``tarfile`` writing an archive).  One chunk
    is held back until more data arrives or :meth:`close`, which writes it
    with the "final" flag; forgetting ``close`` leaves an unreadable stream.
    """

    def __init__(
        self, key: bytes, stream_id: str, dst: BinaryIO, *, chunk_size: int = CHUNK_SIZE
    ) -> None:
        super().__init__()
        self._dst = dst
        self._aead = AESGCM(key)
        self._stream_id = stream_id
        self._chunk_size = chunk_size
        self._header = _STREAM_HEADER.pack(STREAM_MAGIC, FORMAT_VERSION, chunk_size)
        dst.write(self._header)
        self._pending = bytearray()
        self._index = 0

    def writable(self) -> bool:
        return True

    def _emit(self, data: bytes, final: bool) -> None:
        nonce = os.urandom(NONCE_BYTES)
        self._dst.write(nonce)
        self._dst.write(
            self._aead.encrypt(
                nonce, data, _chunk_aad(self._header, self._stream_id, self._index, final)
            )
        )
        self._index += 1

    def write(self, data: Buffer, /) -> int:
        size = memoryview(data).nbytes
        self._pending += data
        # Keep at least one byte back so the last chunk is always written by close().
        while len(self._pending) > self._chunk_size:
            self._emit(bytes(self._pending[: self._chunk_size]), False)
            del self._pending[: self._chunk_size]
        return size

    def close(self) -> None:
        if not self.closed:
            self._emit(bytes(self._pending), True)
            self._pending.clear()
        super().close()


class DecryptingReader(io.RawIOBase):
    """A read-only file object giving the plaintext of an encrypted stream.

    Every chunk is authenticated before any of its bytes are returned; a
    damaged chunk raises :class:`DecryptionError` from ``read``.  Only the
    current chunk is held in memory.  Not thread-safe (like any file object).
    """

    def __init__(
        self,
        key: bytes,
        stream_id: str,
        src: BinaryIO,
        *,
        close_source: bool = True,
        error_factory: Callable[[str], Exception] = DecryptionError,
    ) -> None:
        super().__init__()
        self._error = error_factory
        self._src = src
        self._close_source = close_source
        self._aead = AESGCM(key)
        self._stream_id = stream_id
        self._header = _read_full(src, _STREAM_HEADER.size)
        if len(self._header) != _STREAM_HEADER.size:
            raise self._error("stream header missing (file truncated)")
        magic, version, chunk_size = _STREAM_HEADER.unpack(self._header)
        if magic != STREAM_MAGIC or version != FORMAT_VERSION or not 0 < chunk_size <= 1 << 26:
            raise self._error("not an encrypted stream of a known version")
        self._record = NONCE_BYTES + chunk_size + TAG_BYTES
        self._index = 0
        self._buf = memoryview(b"")
        self._next = _read_full(src, self._record)
        self._done = False
        if not self._next:
            raise self._error("stream has no chunks (file truncated)")

    def readable(self) -> bool:
        return True

    def _advance(self) -> bool:
        if self._done:
            return False
        current = self._next
        self._next = _read_full(self._src, self._record)
        final = not self._next
        if len(current) < NONCE_BYTES + TAG_BYTES:
            raise self._error(f"chunk {self._index} is truncated")
        try:
            plain = self._aead.decrypt(
                current[:NONCE_BYTES],
                current[NONCE_BYTES:],
                _chunk_aad(self._header, self._stream_id, self._index, final),
            )
        except InvalidTag:
            raise self._error(
                f"chunk {self._index} failed authentication (modified, truncated or reordered)"
            ) from None
        self._index += 1
        self._done = final
        self._buf = memoryview(plain)
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        while not self._buf:
            if not self._advance():
                return 0
        n = min(len(buffer), len(self._buf))
        buffer[:n] = self._buf[:n]
        self._buf = self._buf[n:]
        return n

    def readall(self) -> bytes:
        parts = [bytes(self._buf)]
        self._buf = memoryview(b"")
        while self._advance():
            parts.append(bytes(self._buf))
            self._buf = memoryview(b"")
        return b"".join(parts)

    def close(self) -> None:
        if not self.closed and self._close_source:
            self._src.close()
        self._buf = memoryview(b"")
        super().close()


def decrypt_stream(
    key: bytes,
    stream_id: str,
    src: BinaryIO,
    dst: BinaryIO,
    *,
    progress: Callable[[int], None] | None = None,
) -> StreamInfo:
    """Decrypt a whole stream into ``dst`` (chunk by chunk) and return its size and hash."""
    reader = DecryptingReader(key, stream_id, src, close_source=False)
    digest = hashlib.sha256()
    size = 0
    while reader._advance():
        chunk = reader._buf
        reader._buf = memoryview(b"")
        digest.update(chunk)
        dst.write(chunk)
        size += len(chunk)
        if progress is not None:
            progress(size)
    return StreamInfo(size, digest.hexdigest(), reader._index)
