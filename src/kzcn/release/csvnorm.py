"""Read a CSV's cells exactly as written, and write them back in one canonical byte form.

The release must have the same bytes whatever editor, operating system or git setting last
touched the curated files: UTF-8 without a byte-order mark, LF record ends, minimal quoting,
rows ordered by primary key. Cells are never reinterpreted (a number keeps its spelling):
only the bytes around them change. Both `kzcn build` and `kzcn diff` read through here, so a
release and a git revision are compared cell for cell on equal terms.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from ..errors import DataError
from ..package.order import sorted_positions


@dataclass(frozen=True)
class Table:
    """A CSV as text cells: the header and the data rows (blank lines dropped)."""

    header: list[str]
    rows: list[list[str]]


def parse_csv(data: bytes, where: str) -> Table:
    """Parse CSV bytes; `where` names the file in messages (path, or rev:path)."""
    # decoded as it is read: no file-sized str, nor io.StringIO's four-bytes-a-character copy
    stream = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")
    try:
        records = [r for r in csv.reader(stream, strict=True) if r]
    except UnicodeDecodeError:
        try:
            data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise DataError(f"{where}: line {line}: not UTF-8 (byte 0x{data[exc.start]:02x}); "
                            f"save the file as UTF-8 and run `kzcn validate`") from None
        raise
    except csv.Error as exc:
        raise DataError(f"{where}: not readable as CSV: {exc}; run `kzcn validate` for the exact line") from None
    if not records:
        return Table(header=[], rows=[])
    return Table(header=records[0], rows=records[1:])


def sort_rows(table: Table, schema: dict) -> list[list[str]]:
    """Rows ordered by the schema's primary key (stable: ties keep file order); none -> file order."""
    return [table.rows[i] for i in sorted_positions(table.rows, table.header, schema)]


def to_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    """The canonical form: UTF-8, no BOM, LF after every record, quotes only where needed."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


def normalise(data: bytes, schema: dict, where: str) -> tuple[bytes, int]:
    """Canonical bytes of a CSV and its number of data rows."""
    table = parse_csv(data, where)
    rows = sort_rows(table, schema)
    return to_bytes(table.header, rows), len(rows)
