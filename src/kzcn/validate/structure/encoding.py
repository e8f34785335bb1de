"""Whether a file's bytes are UTF-8 text, and what they look like when they are not.

Layer 1 reads only UTF-8. Before any record is split, the bytes are checked once: a UTF-8 byte
order mark (a warning, skipped), a UTF-16/32 one (fatal), or bytes that are not UTF-8 at all,
named by the legacy code page they most likely are so the finding says how to convert them.
"""
from __future__ import annotations

import numpy as np

from .. import catalogue as cat

BOM = b"\xef\xbb\xbf"


def _utf8_ok(data: bytes) -> bool:
    """Validate UTF-8 without building a str (Arrow checks the bytes in place)."""
    try:
        import pyarrow as pa

        offsets = pa.py_buffer(np.array([0, len(data)], dtype=np.int64).tobytes())
        pa.Array.from_buffers(pa.large_string(), 1, [None, offsets, pa.py_buffer(data)]).validate(full=True)
        return True
    except Exception:  # ArrowInvalid: not UTF-8 (or Arrow missing: fall back to Python)
        try:
            data.decode("utf-8")
            return True
        except UnicodeDecodeError:
            return False


def _looks_utf16(data: bytes) -> str | None:
    head = data[:4096]
    if len(head) >= 4:
        even, odd = head[0::2], head[1::2]
        if odd.count(0) > len(odd) * 0.3 and even.count(0) < len(even) * 0.05:
            return "UTF-16 (little-endian)"
        if even.count(0) > len(even) * 0.3 and odd.count(0) < len(odd) * 0.05:
            return "UTF-16 (big-endian)"
    return None


def guess_legacy_encoding(data: bytes) -> str:
    """Name the single-byte encoding the bytes most likely are (by trying decodes, no dependency).

    Cyrillic text in cp1251 is runs of bytes 0xC0-0xFF (whole words); Western text in latin-1 or
    cp1252 has high bytes one at a time between ASCII letters. KOI8-R, the other Cyrillic code
    page, puts lower-case letters at 0xC0-0xDF where cp1251 has upper case, so which of the two
    decodings gives mostly lower-case letters decides between them.
    """
    utf16 = _looks_utf16(data)
    if utf16:
        return utf16
    arr = np.frombuffer(data, dtype=np.uint8)
    high = arr >= 0x80
    n_high = int(high.sum())
    if n_high == 0:
        return "ASCII with control bytes"
    neighbour = np.zeros_like(high)
    neighbour[1:] |= high[:-1]
    neighbour[:-1] |= high[1:]
    in_runs = int((high & neighbour).sum()) / n_high
    letters = int(((arr >= 0xC0)).sum()) / n_high
    if in_runs > 0.5 and letters > 0.6:
        sample = bytes(arr[high][:2000])
        lower_1251 = sum(ch.islower() for ch in sample.decode("cp1251", "replace"))
        lower_koi8 = sum(ch.islower() for ch in sample.decode("koi8_r", "replace"))
        return "KOI8-R (Cyrillic)" if lower_koi8 > lower_1251 else "cp1251 (Windows Cyrillic)"
    try:
        data.decode("cp1252")
        return "cp1252 or latin-1 (Western European)"
    except UnicodeDecodeError:
        return "latin-1 (ISO-8859-1)"


def check_encoding(data: bytes, where: dict) -> tuple[int, list, bool]:
    """(offset where the text starts, findings, fatal): BOMs, UTF-16, a legacy encoding."""
    findings = []
    if data.startswith(BOM):
        findings.append(cat.make("byte-order-mark", line=1, **where))
        data_start = 3
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        kind = "UTF-32" if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")) else "UTF-16"
        findings.append(cat.make("encoding-error", line=1, **where,
                                 detail=f"the file is {kind} (it starts with a {kind} byte order mark); save it as UTF-8"))
        return 0, findings, True
    else:
        data_start = 0
    if _utf8_ok(data if not data_start else memoryview(data)[data_start:].tobytes()):
        return data_start, findings, False
    try:
        data[data_start:].decode("utf-8")
        pos = 0
    except UnicodeDecodeError as exc:
        pos = exc.start + data_start
    line = data.count(b"\n", 0, pos) + 1
    bad = data[pos:pos + 4]
    guess = guess_legacy_encoding(data[data_start:])
    findings.append(cat.make("encoding-error", line=line, **where, detail=(
        f"the file is not UTF-8: byte {pos} (line {line}, bytes {bad.hex(' ')}) is not valid UTF-8; "
        f"the bytes look like {guess}; convert the file to UTF-8")))
    return data_start, findings, True
