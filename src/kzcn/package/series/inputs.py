"""What a series is derived from, read as text and never refused: table rows, sources, resolutions.

A derived table is built by the release from validated data, but the quality report derives it
from whatever the curated files hold (its job is to show broken data too), so a row whose cell
does not parse is skipped here, never fatal; `kzcn validate` is what reports it. The
resolutions file is the curated record of decisions (validation/resolutions.yaml); only its
`prefer` entries choose a figure, and they are read within the package (paths.contain).
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from ..descriptor import Package, Resource

RESOLUTIONS = "validation/resolutions.yaml"


@dataclass(frozen=True)
class Prefer:
    """One `prefer` decision: entry number in the file (1-based), its rule, its rows, the row to use."""

    number: int
    rule: str
    rows: tuple[str, ...]
    prefer: str

    @property
    def label(self) -> str:
        return f"{RESOLUTIONS} #{self.number} ({self.rule}: prefer {self.prefer})"


def read_rows(resource: Resource) -> list[dict[str, str]]:
    """The table's rows as {field: text}; [] when the file cannot be read at all."""
    from ..paths import read_regular

    if resource.refused:
        return []
    try:
        text = read_regular(resource.path).decode("utf-8-sig")
        reader = csv.DictReader(io.StringIO(text, newline=""))
        return [{k: (v or "") for k, v in row.items() if isinstance(k, str)} for row in reader]
    except (OSError, UnicodeDecodeError, csv.Error):
        return []


def day(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text and len(text) == 10 else None
    except ValueError:
        return None


def sources_by_id(package: Package) -> dict[str, dict[str, str]]:
    if "sources" not in package.table_names:
        return {}
    return {r.get("source_id", ""): r for r in read_rows(package.resource("sources"))}


def prefer_decisions(package: Package, table: str) -> list[Prefer]:
    """The `prefer` entries of validation/resolutions.yaml for `table`, in file order.

    A missing or unreadable file means no decisions (the validator reports a faulty one); an
    entry without the keys a decision needs is skipped the same way."""
    from ..descriptor import read_structured
    from ..paths import contain
    from ...errors import TargetError

    try:
        path = contain(package.root, RESOLUTIONS, "resolutions file", package.trusted)
        if not path.is_file():
            return []
        data = read_structured(path)
    except TargetError:
        return []
    out = []
    entries = data.get("resolutions")
    for i, entry in enumerate(entries if isinstance(entries, list) else []):
        if not isinstance(entry, dict) or entry.get("decision") != "prefer" or entry.get("table") != table:
            continue
        rows, prefer = entry.get("rows"), entry.get("prefer")
        if not isinstance(rows, list) or not isinstance(prefer, str):
            continue
        out.append(Prefer(number=i + 1, rule=str(entry.get("rule", "")), prefer=prefer,
                          rows=tuple(str(r) for r in rows)))
    return out
