"""AES-GCM records and chunked streams: round trips and every way to tamper."""

from __future__ import annotations

import io
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ombuds_desktop.vault import crypto

KEY = bytes(range(32))
AAD = crypto.record_aad("revision", "draft-1/1", 1)


def test_record_round_trip_and_fresh_nonce() -> None:
    a = crypto.seal(KEY, b"Maria Testperson", AAD)
    b = crypto.seal(KEY, b"Maria Testperson", AAD)
    assert a != b and a[1:13] != b[1:13]
    assert crypto.unseal(KEY, a, AAD) == b"Maria Testperson"


@pytest.mark.parametrize(
    "other",
    [
        crypto.record_aad("revision", "draft-2/1", 1),  # another row
        crypto.record_aad("summary", "draft-1/1", 1),  # another kind
        crypto.record_aad("revision", "draft-1/1", 2),  # another schema
        crypto.record_aad("revision", "draft-1/2", 1),  # another revision
    ],
)
def test_record_bound_to_its_context(other: bytes) -> None:
    blob = crypto.seal(KEY, b"x", AAD)
    with pytest.raises(crypto.DecryptionError):
        crypto.unseal(KEY, blob, other)


def test_record_tamper_truncate_wrong_key() -> None:
    blob = bytearray(crypto.seal(KEY, b"hello world", AAD))
    blob[20] ^= 1
    for bad in (bytes(blob), bytes(blob[:10]), b""):
        with pytest.raises(crypto.DecryptionError):
            crypto.unseal(KEY, bad, AAD)
    with pytest.raises(crypto.DecryptionError):
        crypto.unseal(os.urandom(32), crypto.seal(KEY, b"x", AAD), AAD)


def test_aad_encoding_is_unambiguous() -> None:
    assert crypto.associated_data("ab", "c") != crypto.associated_data("a", "bc")


def _encrypt(data: bytes, chunk: int = 16, stream_id: str = "d/b") -> bytes:
    out = io.BytesIO()
    info = crypto.encrypt_stream(KEY, stream_id, io.BytesIO(data), out, chunk_size=chunk)
    assert info.size == len(data)
    return out.getvalue()


def _decrypt(blob: bytes, stream_id: str = "d/b") -> bytes:
    return crypto.DecryptingReader(KEY, stream_id, io.BytesIO(blob)).readall()


@pytest.mark.parametrize("size", [0, 1, 15, 16, 17, 32, 100])
def test_stream_round_trip(size: int) -> None:
    data = os.urandom(size)
    blob = _encrypt(data)
    assert _decrypt(blob) == data
    with io.BufferedReader(crypto.DecryptingReader(KEY, "d/b", io.BytesIO(blob))) as r:
        assert b"".join(iter(lambda: r.read(5), b"")) == data
    out = io.BytesIO()
    assert crypto.decrypt_stream(KEY, "d/b", io.BytesIO(blob), out).size == size
    assert out.getvalue() == data


@settings(max_examples=40, deadline=None)
@given(st.lists(st.binary(max_size=40), max_size=8))
def test_writer_matches_reader(parts: list[bytes]) -> None:
    out = io.BytesIO()
    w = crypto.EncryptingWriter(KEY, "s", out, chunk_size=16)
    for p in parts:
        w.write(p)
    w.close()
    assert _decrypt(out.getvalue(), "s") == b"".join(parts)


def _record_size(chunk: int = 16) -> int:
    return crypto.NONCE_BYTES + chunk + crypto.TAG_BYTES


def test_stream_truncated_at_chunk_boundary_is_detected() -> None:
    blob = _encrypt(os.urandom(48))
    header = 9
    cut = blob[: header + 2 * _record_size()]  # drop the final chunk exactly
    with pytest.raises(crypto.DecryptionError):
        _decrypt(cut)


def test_stream_extended_reordered_or_flipped_is_detected() -> None:
    blob = _encrypt(os.urandom(48))
    header, rec = 9, _record_size()
    chunks = [blob[header + i * rec : header + (i + 1) * rec] for i in range(3)]
    with pytest.raises(crypto.DecryptionError):
        _decrypt(blob + chunks[0])  # appended chunk
    with pytest.raises(crypto.DecryptionError):
        _decrypt(blob[:header] + chunks[1] + chunks[0] + chunks[2])  # swapped
    flipped = bytearray(blob)
    flipped[-3] ^= 0x40
    with pytest.raises(crypto.DecryptionError):
        _decrypt(bytes(flipped))
    with pytest.raises(crypto.DecryptionError):
        _decrypt(blob, stream_id="other/blob")  # moved to another attachment
    with pytest.raises(crypto.DecryptionError):
        _decrypt(blob[:5])


def test_stream_error_factory() -> None:
    class Boom(Exception):
        pass

    bad = bytearray(_encrypt(b"abc"))
    bad[-1] ^= 1
    with pytest.raises(Boom):
        crypto.DecryptingReader(KEY, "d/b", io.BytesIO(bytes(bad)), error_factory=Boom).read()


def test_derived_keys_differ() -> None:
    assert crypto.derive_key(KEY, "blob", "a") != crypto.derive_key(KEY, "blob", "b")
    assert crypto.derive_key(KEY, "profiles") != crypto.derive_key(KEY, "audit-mac")
