"""`kzcn.validate(target)`: every layer on every table of a data package, all findings in one report.

Layer 1 (kzcn.structure) reads each CSV file's bytes: encoding, line endings, quoting, ragged
and blank rows, the header. Layer 2 (kzcn.schema_checks) checks the header against the schema,
every cell against its field, unique and primary keys, then foreign keys across tables. Layer 3
(kzcn.rules, written separately) runs the cross-table consistency rules of `validation/rules.yaml`
over typed pandas frames indexed by line. Nothing stops at the first error: a table that cannot
be read is reported and the others are still checked.

The target is this repository (default), a folder holding a datapackage.yaml/.json, or any
descriptor file, so the same engine validates other people's packages. Only `open_package` and a
rules file given by hand can make validation impossible (exit 2); everything else about the data
is a finding (exit 1 on errors).
"""
from __future__ import annotations

import codecs
import hashlib
import time
from collections import Counter
from pathlib import Path

import numpy as np

from . import catalogue as cat
from ..errors import UsageError
from .findings import ERROR, WARNING, Report
from ..package.descriptor import Package, Resource, open_package

CSV_FORMATS = {"csv", "tsv", "txt"}
HASHES = {"md5", "sha1", "sha256", "sha512"}


# ----------------------------------------------------------------------------- one table

def _where(res: Resource) -> dict:
    return {"resource": res.name, "path": res.relpath}


def _file_checks(res: Resource, data: bytes, where: dict) -> list:
    """bytes and hash the descriptor declares (frictionless: byte-count, hash-count)."""
    out = []
    declared = res.descriptor.get("bytes")
    if isinstance(declared, int) and not isinstance(declared, bool) and declared != len(data):
        out.append(cat.make("byte-count", **where, actual=len(data), expected=declared))
    declared = res.descriptor.get("hash")
    if isinstance(declared, str) and declared:
        algo, _, digest = declared.partition(":") if ":" in declared else ("md5", "", declared)
        algo = algo.lower()
        if algo not in HASHES:
            out.append(cat.make("schema-error", **where, detail=f"hash algorithm {algo!r} is not supported "
                                f"(use one of {', '.join(sorted(HASHES))}); the hash is not checked"))
        else:
            actual = hashlib.new(algo, data).hexdigest()
            if actual != digest.lower():
                out.append(cat.make("hash-count", **where, algorithm=algo, actual=actual, expected=digest))
    return out


def _declared_encoding(res: Resource) -> str | None:
    enc = res.descriptor.get("encoding")
    if not isinstance(enc, str) or not enc:
        return None
    try:
        name = codecs.lookup(enc).name
    except LookupError:
        return enc
    return None if name in ("utf-8", "utf-8-sig") else name


def _format_problem(res: Resource) -> str | None:
    rel = res.relpath.lower()
    if "://" in rel:
        return None
    fmt = str(res.descriptor.get("format") or "").lower()
    for ext in (".gz", ".zip", ".bz2", ".xz", ".zst"):
        if rel.endswith(ext) or res.descriptor.get("compression"):
            return f"{res.relpath}: compressed resources are not read by this validator; not checked"
    suffix = Path(rel).suffix.lstrip(".")
    if fmt and fmt not in CSV_FORMATS:
        return f"{res.relpath}: format {fmt!r} is not CSV; not checked"
    if not fmt and suffix and suffix not in CSV_FORMATS:
        return f"{res.relpath}: a .{suffix} file is not CSV; not checked"
    return None


def _empty_table(res: Resource):
    """A table with no rows (an empty file): nothing to check, but foreign keys into it find
    nothing, as frictionless reports them."""
    from .schema_checks import check_cells, check_header
    from .structure import _empty_parsed

    schema = res.schema if isinstance(res.schema, dict) else {}
    fields = [f for f in (schema.get("fields") or []) if isinstance(f, dict) and isinstance(f.get("name"), str)]
    parsed = _empty_parsed(None, len(fields), [], "fast")
    return check_cells(parsed, check_header(None, fields, schema, len(fields), {}), schema, {})


def check_table(res: Resource):
    """Layers 1 and 2 (except foreign keys) on one resource: (TableCheck or None, findings, stats)."""
    from .schema_checks import check_cells, check_header, formula_findings, key_findings, schema_problems
    from .structure import check_encoding, dialect_of, parse_csv

    where = _where(res)
    stats = {"path": res.relpath, "rows": 0}
    if "://" in res.relpath:
        return None, [cat.make("scheme-error", **where, detail=(
            f"{res.relpath}: remote files are not fetched (no network); not checked"))], stats
    problem = _format_problem(res)
    if problem:
        return None, [cat.make("format-error", **where, detail=problem)], stats
    try:
        data = res.path.read_bytes()
    except FileNotFoundError:
        return None, [cat.make("scheme-error", **where, detail=f"{res.relpath}: file not found")], stats
    except OSError as exc:
        return None, [cat.make("source-error", **where, detail=f"{res.relpath}: cannot read: {exc.strerror or exc}")], stats
    stats["bytes"] = len(data)
    findings = _file_checks(res, data, where)

    legacy = _declared_encoding(res)
    if legacy:
        try:
            data = data.decode(legacy).encode("utf-8")
            findings.append(cat.make("encoding-error", severity=WARNING, line=1, **where, detail=(
                f"the descriptor declares encoding {legacy}; the file was read as such, "
                f"but UTF-8 is what every reader expects: convert it")))
        except (UnicodeDecodeError, LookupError) as exc:
            findings.append(cat.make("encoding-error", **where, detail=(
                f"the file cannot be read as its declared encoding {legacy}: {exc}")))
            return None, findings, stats
    offset, enc_findings, fatal = check_encoding(data, where)
    findings += enc_findings
    if fatal:
        return None, findings, stats
    if len(data) <= offset:
        findings.append(cat.make("source-error", line=1, **where, detail=f"{res.relpath}: the file is empty"))
        return _empty_table(res), findings, stats

    dialect, problems = dialect_of(res.descriptor, res.relpath)
    for p in problems:
        findings.append(cat.make("format-error", severity=WARNING, **where, detail=p))
    schema = res.schema if isinstance(res.schema, dict) else {}
    findings += schema_problems(schema, where)
    fields = [f for f in (schema.get("fields") or []) if isinstance(f, dict) and isinstance(f.get("name"), str)]
    declared = bool(fields)
    # "" is missing for every field (the default): read it as null at once, no copies later
    dialect.empty_is_null = all("" in [str(m) for m in (f.get("missingValues", schema.get("missingValues", [""])) or [])]
                                for f in fields) if fields else "" in [str(m) for m in schema.get("missingValues", [""])]
    holder = [data]
    del data  # parse_csv lets go of the bytes before pyarrow parses (see structure.parse_csv)
    parsed = parse_csv(holder, offset, dialect, len(fields), where, path=None if legacy else res.path)
    findings += parsed.findings
    stats.update(rows=parsed.n_rows, fields=parsed.width, lines=parsed.total_lines, parse=parsed.path_taken)
    if parsed.labels == [] and parsed.n_rows == 0:
        findings.append(cat.make("source-error", line=1, **where,
                                 detail=f"{res.relpath}: the file has neither a header nor rows"))
        return _empty_table(res), findings, stats
    if not declared:  # no schema: infer one as frictionless does, and check against it
        from ..package.infer import infer_schema

        schema = {**schema, **infer_schema(parsed, dialect.header)}
        fields, declared = schema["fields"], True
        stats["schema"] = "inferred"
    dialect_raw = res.descriptor.get("dialect") if isinstance(res.descriptor.get("dialect"), dict) else {}
    header = check_header(parsed.labels, fields, schema, parsed.width, where, declared=declared,
                          ignore_case=dialect_raw.get("caseSensitiveHeader") is False,
                          inferred=stats.get("schema") == "inferred")
    findings += header.findings
    check = check_cells(parsed, header, schema, where)
    findings += check.findings
    check.findings = []
    findings += formula_findings(check, where)
    findings += key_findings(check, schema, where)
    for key, actual in (("rows", parsed.n_rows), ("fields", len(fields) or parsed.width)):
        declared_n = res.descriptor.get(key)
        if isinstance(declared_n, int) and not isinstance(declared_n, bool) and declared_n != actual:
            findings.append(cat.make(f"{key[:-1]}-count", **where, actual=actual, expected=declared_n))
    return check, findings, stats


# ----------------------------------------------------------------------------- typed frames

def typed_frame(check, res: Resource):
    """The rows of a table without structural faults (not blank, not ragged) as a typed DataFrame.

    The index is the line of each row in its file as an editor shows it (header = line 1); a
    cell that failed its type is NA. Columns follow the schema, dtypes as `kzcn.load` gives them.
    attrs["unreadable"] maps a field to the lines whose cell has text that became NA (a type or
    enum error that layer 2 reports): NA there does not mean blank.
    """
    return TypedTable(check, res).to_frame()


class TypedTable:
    """The columns of `typed_frame`, each converted the first time it is asked for.

    Layer 3 reads a handful of columns of a large table; converting (and, when rows must be
    dropped or put back in file order, copying) all of them cost a third of a second and
    100 MB per million rows. `index`, `columns`, `column(name)` and `to_frame()` are what the
    rules' RuleTable needs.
    """

    def __init__(self, check, res: Resource):
        import pandas as pd
        import pyarrow as pa

        self.check, self.res = check, res
        keep = ~(check.blank | check.ragged) if check.parsed.n_rows else np.zeros(0, dtype=bool)
        idx = np.flatnonzero(keep)
        lines = check.parsed.lines
        if len(idx) > 1 and not np.all(np.diff(lines[idx]) > 0):  # keep the frame in file order
            idx = idx[np.argsort(lines[idx], kind="stable")]
        self._idx = idx
        contiguous = len(idx) < 2 or bool(np.all(np.diff(idx) == 1))
        # rows pyarrow could not take (ragged, blank) sit after the others and are left out here,
        # so the rows kept are usually one run: a zero-copy slice instead of a copy of each column
        self._slice = (int(idx[0]) if len(idx) else 0, len(idx)) if contiguous and not keep.all() else None
        self._take = None if (keep.all() and contiguous) or self._slice is not None else pa.array(idx, pa.int64())
        self.index = pd.Index(check.parsed.lines[idx].astype(np.int64))
        self.fields = [f for f in res.schema.get("fields") or [] if isinstance(f, dict) and "name" in f]
        self.columns = pd.Index([f["name"] for f in self.fields])
        self._by_name = {f["name"]: f for f in self.fields}
        self._series: dict = {}
        self._unreadable: dict = {}
        self.attrs = {"name": res.name, "path": res.relpath, "primary_key": res.primary_key}

    def __len__(self) -> int:
        return len(self.index)

    def __getitem__(self, key):
        """frame[name] -> the column; frame[[names]] -> a DataFrame of those; else the frame's own."""
        if isinstance(key, str) and key in self._by_name:
            return self.column(key)
        if isinstance(key, list) and all(isinstance(k, str) and k in self._by_name for k in key):
            import pandas as pd

            return pd.DataFrame({k: self.column(k) for k in key}, index=self.index, copy=False)
        return self.to_frame()[key]

    def __getattr__(self, name):
        """Anything else a DataFrame has (the whole frame is then built once)."""
        if name.startswith("_") or name in ("check", "res", "index", "fields", "columns", "attrs"):
            raise AttributeError(name)
        return getattr(self.to_frame(), name)

    def column(self, name: str):
        series = self._series.get(name)
        if series is not None:
            return series
        import pandas as pd

        from ..package.dtypes import arrow_to_pandas, pandas_dtype

        f = self._by_name[name]
        cast = self.check.casts.get(name)
        if cast is None:
            series = pd.Series(index=self.index, dtype=pandas_dtype(f))
        else:
            take, idx, part = self._take, self._idx, self._slice
            if part is not None:
                values, filled = cast.values.slice(*part), ~cast.missing[part[0]:part[0] + part[1]]
            elif take is not None:
                values, filled = cast.values.take(take), ~cast.missing[idx]
            else:
                values, filled = cast.values, ~cast.missing
            series = pd.Series(arrow_to_pandas(values, f), index=self.index, copy=False)
            # cells with text that became NA (a type or enum error, reported by layer 2): not blank
            lost = filled & series.isna().to_numpy()
            if lost.any():
                self._unreadable[name] = tuple(self.index.to_numpy()[lost].tolist())
        self._series[name] = series
        return series

    def unreadable_lines(self, name: str) -> tuple:
        self.column(name)
        return self._unreadable.get(name, ())

    def to_frame(self):
        frame = self.__dict__.get("_frame")
        if frame is None:
            import pandas as pd

            columns = {f["name"]: self.column(f["name"]) for f in self.fields}
            frame = self._frame = pd.DataFrame(columns, index=self.index, copy=False)
            frame.attrs.update({**self.attrs, "unreadable": dict(self._unreadable)})
        return frame


class LazyFrames(dict):
    """table name -> typed DataFrame, each built the first time a rule asks for it.

    A plain dict to its users (`frames[name]`, `.get`, `.items()`), so layer 3 never pays for
    converting a large table that no rule reads.
    """

    def __init__(self, builders: dict):
        super().__init__({name: None for name in builders})
        self._builders = builders

    def __getitem__(self, name):
        value = dict.__getitem__(self, name)
        if value is None:
            value = self._builders[name]()
            dict.__setitem__(self, name, value)
        return value

    def get(self, name, default=None):
        return self[name] if name in self else default

    def values(self):
        return [self[k] for k in self]

    def items(self):
        return [(k, self[k]) for k in self]

    def copy(self):
        return dict(self.items())


# ----------------------------------------------------------------------------- the run

def resolve_rules(package: Package, rules) -> Path | None:
    """The rules file: given by hand (must exist), else validation/rules.yaml beside the descriptor."""
    if rules is not None:
        path = Path(rules)
        if not path.is_file():
            raise UsageError(f"{rules}: rules file not found")
        return path
    default = package.root / "validation" / "rules.yaml"
    return default if default.is_file() else None


def _run_rules(package: Package, frames: dict, rules_path: Path | None, stats: dict) -> list:
    if rules_path is None:
        stats["status"] = "no rules file"
        return []
    try:
        from .rules import run_rules
    except ImportError as exc:
        stats["status"] = f"skipped: kzcn.rules is not importable ({exc})"
        return []
    found = list(run_rules(package, frames, rules_path) or [])
    stats["status"] = "ran"
    stats["findings"] = len(found)
    return found


def _sort_key(f):
    """File, line, then cell findings by column before the row's own (keys), as frictionless orders them."""
    number = getattr(f, "field_number", None)
    return (f.path or "", f.line if f.line is not None else -1, getattr(f, "row", None) or 0,
            number is None and f.line is not None, number or 0, f.code)


def use_batch_memory_pool() -> str | None:
    """For a one-shot process (the CLI): Arrow's jemalloc pool, returning freed memory at once.

    Arrow's default pool (mimalloc) keeps memory it has freed for reuse, so a run's peak
    resident memory includes every buffer it ever dropped; jemalloc with no decay delay gives
    it back to the system as it goes: 65 MB less at the peak on a million-row table, same
    speed. Process-wide, so only a command calls it, never `kzcn.validate()`. Returns the
    pool's name, or None where this pyarrow has no jemalloc (the default pool stays).
    """
    try:
        import pyarrow as pa

        pool = pa.jemalloc_memory_pool()
        pa.jemalloc_set_decay_ms(0)
        pa.set_memory_pool(pool)
        return pool.backend_name
    except Exception:  # noqa: BLE001 - NotImplementedError / ArrowNotImplementedError: not built in
        return None


def _import_rules_meanwhile() -> None:
    """Import pandas and the rule kinds in a background thread while layers 1 and 2 run.

    Layer 3 needs pandas, whose import costs about 0.4 s; reading and checking the files
    spends most of its time in pyarrow and numpy kernels that release the GIL, so on a second
    core the import is done by the time the rules start. The layers' own modules are imported
    first, so the two threads never import the same module. An import that fails here fails
    again, and is reported, where the rules import it.
    """
    import threading

    def work():
        try:
            from ..package import dtypes  # noqa: F401
            from .rules import config
            from .rules import registry  # noqa: F401
        except Exception:  # noqa: BLE001 - reported by _run_rules when it imports them itself
            pass

    threading.Thread(target=work, name="kzcn-import-rules", daemon=True).start()


def validate(target=None, rules=None, strict: bool = False) -> Report:
    """Validate a data package (default: this dataset); a Report with every finding of every layer."""
    from ..package import infer
    from . import schema_checks
    from . import structure  # noqa: F401 - before the background import starts
    from .schema_checks import foreign_key_findings

    started = time.perf_counter()
    package = open_package(target)
    rules_path = resolve_rules(package, rules)
    if rules_path is not None:
        _import_rules_meanwhile()
    findings: list = []
    checks: dict = {}
    table_stats: dict = {}
    for res in package.resources:
        check, found, tstats = check_table(res)
        findings += found
        table_stats[res.name] = tstats
        if check is not None:
            checks[res.name] = check
    known = set(package.table_names)
    for res in package.resources:
        if res.name in checks:
            findings += foreign_key_findings(checks[res.name], res.name, res.schema, checks, known, _where(res))
    findings.sort(key=_sort_key)

    rule_stats: dict = {"file": _relative(rules_path, package.root) if rules_path else None}
    by_name = {r.name: r for r in package.resources}
    frames = LazyFrames({name: (lambda c=check, r=by_name[name]: TypedTable(c, r)) for name, check in checks.items()})
    findings += _run_rules(package, frames, rules_path, rule_stats)

    severity = Counter(f.severity for f in findings)
    stats = {
        "package": _relative(package.descriptor_path, package.root),
        "tables": table_stats,
        "rows": sum(t.get("rows", 0) for t in table_stats.values()),
        "findings": {
            "errors": severity.get(ERROR, 0),
            "warnings": severity.get(WARNING, 0),
            "by_code": dict(sorted(Counter(f.code for f in findings).items())),
            "by_severity": {ERROR: severity.get(ERROR, 0), WARNING: severity.get(WARNING, 0)},
        },
        "layers": {"structure": "ran", "schema": "ran", "rules": rule_stats},
        "strict": bool(strict),
        "elapsed_seconds": round(time.perf_counter() - started, 3),
    }
    return Report(findings=findings, stats=stats)


def _relative(path: Path, root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        return str(path)
