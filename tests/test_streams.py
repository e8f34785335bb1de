"""kzcn.package.streams: which compression a file is read with, and decompression that never
passes its limit (the same bound as a plain file's bytes)."""
from __future__ import annotations

import bz2
import gzip
import io
import lzma
import zipfile

import pytest

from kzcn.package.streams import StreamError, TooBig, compression_of, decompress, inner_name

TEXT = b"id,name\n" + b"1,x\n" * 1000


def _zip(data: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("t.csv", data)
    return buf.getvalue()


PACK = {"gz": gzip.compress, "bz2": bz2.compress, "xz": lzma.compress, "zip": _zip}


@pytest.mark.parametrize("rel,declared,expected", [
    ("a.csv", None, (None, None)), ("a.csv.gz", None, ("gz", None)), ("A.CSV.XZ", None, ("xz", None)),
    ("a.csv.bz2", None, ("bz2", None)), ("a.csv.zip", None, ("zip", None)), ("a.bin", "gzip", ("gz", None)),
    ("a.csv.gz", "no", (None, None)), ("a.csv.zip", "zip", ("zip", None)),
])
def test_compression_is_declared_or_implied(rel, declared, expected):
    assert compression_of(rel, {"compression": declared} if declared else {}) == expected


def test_compressions_nobody_reads_are_named():
    assert "zstd" in compression_of("a.csv.zst", {})[1]
    assert "'rar'" in compression_of("a.csv", {"compression": "rar"})[1]


def test_inner_name_drops_only_the_compression_extension():
    assert inner_name("d/a.tsv.gz", "gz") == "d/a.tsv" and inner_name("a.bin", "gz") == "a.bin"
    assert inner_name("a.csv", None) == "a.csv"


@pytest.mark.parametrize("kind", sorted(PACK))
def test_each_kind_round_trips_and_stops_at_the_limit(kind):
    packed = PACK[kind](TEXT)
    assert decompress(packed, kind, "t", len(TEXT)) == TEXT  # exactly the limit is allowed
    # a zip member's declared size is refused before a byte is decompressed; streams stop at limit + 1
    said = f"declares {len(TEXT):,} bytes" if kind == "zip" else f"more than {len(TEXT) - 1:,} bytes"
    with pytest.raises(TooBig, match=said):
        decompress(packed, kind, "t", len(TEXT) - 1)


def test_a_zip_member_that_lies_about_its_size_still_stops_at_the_limit():
    packed = bytearray(_zip(TEXT))
    # the declared sizes in the central directory (offset 24: uncompressed size) say 10 bytes
    cd = packed.rfind(b"PK\x01\x02")
    packed[cd + 24:cd + 28] = (10).to_bytes(4, "little")
    with pytest.raises(StreamError):  # zipfile stops at the declared size (a bad CRC), or we stop at the limit
        decompress(bytes(packed), "zip", "t", 100)


@pytest.mark.parametrize("kind", ["gz", "bz2", "xz"])
def test_concatenated_members_are_one_stream(kind):
    packed = PACK[kind](TEXT[:100]) + PACK[kind](TEXT[100:])
    assert decompress(packed, kind, "t", 10 * len(TEXT)) == TEXT


@pytest.mark.parametrize("kind", sorted(PACK))
def test_a_truncated_stream_is_a_stream_error(kind):
    packed = PACK[kind](TEXT)
    with pytest.raises(StreamError, match="t: ") as caught:
        decompress(packed[: len(packed) // 2], kind, "t", 10 * len(TEXT))
    assert not isinstance(caught.value, TooBig)
