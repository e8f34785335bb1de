"""The CSV dialect a resource declares, read once from its descriptor.

A dialect says how a file's bytes split into cells (delimiter, quote, escape, header row). Both
parse paths take it as given, so it lives apart from them; it also says whether the fast byte
scan's model of quoting applies (`Dialect.fast`) and how Python's csv module is to read it.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass


@dataclass
class Dialect:
    """The CSV dialect of a resource (Table Schema/Data Package `dialect`)."""

    delimiter: str = ","
    quote: str | None = '"'
    header: bool = True
    double_quote: bool = True
    escape: str | None = None
    skip_initial_space: bool = False
    comment: str | None = None
    empty_is_null: bool = False  # read "" as null (the schema's missing values include "" for every field)

    @property
    def fast(self) -> bool:
        """Whether the byte scan's model of quoting applies (RFC 4180 quoting, one-byte ASCII)."""
        d, q = self.delimiter, self.quote
        return (self.double_quote and self.escape is None and not self.skip_initial_space and self.comment is None
                and len(d) == 1 and ord(d) < 128 and d not in "\r\n"
                and (q is None or (len(q) == 1 and ord(q) < 128 and q not in "\r\n" and q != d)))

    def csv_kwargs(self) -> dict:
        kw = dict(delimiter=self.delimiter, doublequote=self.double_quote, skipinitialspace=self.skip_initial_space,
                  strict=False)
        if self.quote is None:
            kw["quoting"] = csv.QUOTE_NONE
        else:
            kw["quotechar"] = self.quote
        if self.escape:
            kw["escapechar"] = self.escape
        return kw


def dialect_of(descriptor: dict, relpath: str) -> tuple[Dialect, list[str]]:
    """The dialect a resource declares (v1 or v2 keys, or frictionless's nested `csv`), and problems."""
    problems: list[str] = []
    raw = descriptor.get("dialect") or {}
    if not isinstance(raw, dict):
        return Dialect(), [f"dialect must be a mapping, found {type(raw).__name__}"]
    if isinstance(raw.get("csv"), dict):
        raw = {**raw, **raw["csv"]}
    d = Dialect()
    if relpath.lower().endswith(".tsv") or descriptor.get("format") == "tsv":
        d.delimiter = "\t"
    if "delimiter" in raw:
        d.delimiter = str(raw["delimiter"])
    if "quoteChar" in raw:
        d.quote = raw["quoteChar"] if isinstance(raw["quoteChar"], str) and raw["quoteChar"] else (
            None if not raw["quoteChar"] else str(raw["quoteChar"]))
    if raw.get("quoteChar") is None and "quoteChar" in raw:
        d.quote = None
    if "doubleQuote" in raw:
        d.double_quote = bool(raw["doubleQuote"])
    if raw.get("escapeChar"):
        d.escape = str(raw["escapeChar"])
    if "skipInitialSpace" in raw:
        d.skip_initial_space = bool(raw["skipInitialSpace"])
    if raw.get("commentChar"):
        d.comment = str(raw["commentChar"])
    if "header" in raw:
        d.header = bool(raw["header"])
    rows = raw.get("headerRows")
    if rows not in (None, [1], 1):
        problems.append(f"dialect headerRows {rows!r} is not supported (only a header on row 1); "
                        f"the first row is read as the header")
    for name, value in (("escapeChar", d.escape), ("commentChar", d.comment)):
        if value is not None and len(value) != 1:
            problems.append(f"dialect {name} {value!r} must be one character; ignored")
            setattr(d, "escape" if name == "escapeChar" else "comment", None)
    if len(d.delimiter) != 1:
        problems.append(f"dialect delimiter {d.delimiter!r} must be one character; ',' is used")
        d.delimiter = ","
    if d.quote is not None and (not isinstance(d.quote, str) or len(d.quote) != 1):
        problems.append(f"dialect quoteChar {d.quote!r} must be one character; '\"' is used")
        d.quote = '"'
    return d, problems
