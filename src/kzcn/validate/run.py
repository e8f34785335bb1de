"""`kzcn.validate(target)`: every layer on every table of a data package, all findings in one report.

Layer 1 (kzcn.validate.structure) reads each CSV file's bytes: encoding, line endings, quoting,
ragged and blank rows, the header. Layer 2 (kzcn.validate.schema) checks the header against the schema,
every cell against its field, unique and primary keys, then foreign keys across tables. Layer 3
(kzcn.validate.rules, written separately) runs the cross-table consistency rules of `validation/rules.yaml`
over typed pandas frames indexed by line. Nothing stops at the first error: a table that cannot
be read is reported and the others are still checked.

This module only puts the layers in order: layers 1 and 2 on one table are `check_table`
(kzcn.validate.table), the typed frames handed to layer 3 are kzcn.validate.frames.

The target is a folder holding a datapackage.yaml/.json or any descriptor file, so the same engine
validates other people's packages; with none, the package around the current folder (found upward,
like git; see kzcn.package.descriptor), never the data the code was installed with. The report
states which descriptor it read (stats.descriptor, absolute). Only `open_package` and a
rules file given by hand can make validation impossible (exit 2); everything else about the data
is a finding (exit 1 on errors).
"""
from __future__ import annotations

import time
from collections import Counter
from functools import partial
from pathlib import Path

from ..errors import UsageError
from .findings import ERROR, WARNING, Finding, Report
from .frames import LazyFrames, TypedTable
from ..package.descriptor import Package, open_package
from .table import _where, check_table


DEFAULT_RULES = "validation/rules.yaml"


def resolve_rules(package: Package, rules) -> Path | None:
    """The rules file: given by hand (must exist), else validation/rules.yaml beside the descriptor.

    The default one is a package file, so it must stay inside the package (paths.contain);
    UnsafePath otherwise, which `validate` reports as a finding."""
    from ..package.paths import contain

    if rules is not None:
        path = Path(rules)
        if not path.is_file():
            raise UsageError(f"{rules}: rules file not found")
        return path
    default = package.root / DEFAULT_RULES
    if not default.exists() and not default.is_symlink():
        return None
    return contain(package.root, DEFAULT_RULES, "rules file", package.trusted)


def input_files(package: Package, rules=None) -> set[Path]:
    """Every file a run over `package` reads: an output among them would destroy data."""
    files = {package.descriptor_path.resolve()}
    for res in package.resources:
        files.add(res.path.resolve())
        files.update(part.resolve() for _, part in res.parts)  # every file of a multi-file table
        for key in ("schema", "dialect"):
            if isinstance(res.descriptor.get(key), str):
                files.add((package.root / res.descriptor[key]).resolve())
    folder = package.root / "validation"
    if folder.is_dir():
        files.update(p.resolve() for p in folder.iterdir() if p.is_file())
    if rules is None and (package.root / DEFAULT_RULES).is_file():
        rules = package.root / DEFAULT_RULES
    if rules is not None:
        path = Path(rules)
        files.add(path.resolve())
        from .rules.config import resolutions_file

        resolutions = resolutions_file(path, trusted=package.trusted)
        if resolutions is not None:
            files.add(Path(resolutions).resolve())
    return files


def _run_rules(package: Package, frames: dict, rules_path: Path | None, stats: dict) -> list:
    if rules_path is None:
        stats["status"] = "no rules file"
        return []
    from .lazypandas import restore

    restore()  # the rules build pandas frames from Arrow: pyarrow must know pandas from here on
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
        from .lazypandas import import_pyarrow

        pa = import_pyarrow()
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


def validate(target=None, rules=None, strict: bool = False, limits=None, trusted: bool = False,
             engine: str = "local", workers: int | None = None, scheduler: str | None = None,
             chunk_size=None, on_findings=None) -> Report:
    """Validate a data package (default: the one around the current folder); a Report with every
    finding of every layer.

    `engine="dask"` checks the tables (and the files of multi-file tables) as tasks on a Dask
    cluster: a new local one of `workers` processes, or the one at `scheduler` (an address such
    as tcp://host:8786); the report is the same as the default engine's ("local", this process).
    kzcn.validate.engines says which engines exist and what each needs.

    Within `limits` (kzcn.package.limits; default: the current ones): files, headers and YAML
    are bounded where they are read, and at most `findings_per_code` findings are listed per
    code per resource, the rest counted (kzcn.validate.budget). Every path the package names
    must stay inside it (kzcn.package.paths) unless `trusted`: one that does not is a
    scheme-error finding and is never read. A CSV file larger than `chunk_size` (bytes, or a
    size such as "64MB"; default kzcn.validate.stream.DEFAULT_CHUNK; 0: never) is checked in
    chunks of about that size, in bounded memory, with the same findings (kzcn.validate.stream).
    `on_findings(list)` is called with findings as each stage finds them (kzcn.validate.emit)."""
    from ..package import limits as bounds
    from . import budget
    from .stream import DEFAULT_CHUNK, parse_size

    from .engines import engine_for

    chunk = DEFAULT_CHUNK if chunk_size is None else (0 if chunk_size in (0, "0") else parse_size(chunk_size))
    with bounds.using(limits) as active, engine_for(engine, workers, scheduler, active) as tables:
        token = budget.start(active.findings_per_code)
        try:
            return _validate(target, rules, strict, budget.current(), trusted, tables, chunk, on_findings)
        finally:
            budget.finish(token)


def check_tables(package: Package, keep_all: bool = True, chunk_size: int = 0, emit=None,
                 rules_path: Path | None = None) -> tuple[dict, dict, list]:
    """Layers 1 and 2 (foreign keys aside) on every table, one after another, in this process:
    ({name: TableCheck}, {name: stats}, findings in resource order).

    The single-process engine; kzcn.validate.engines.dask runs the same `check_table` on a
    cluster and returns the same three things (`keep_all`: whether layer 3 will read whole
    typed tables, or only the key columns foreign keys need). A CSV file larger than
    `chunk_size` is streamed (kzcn.validate.stream), keeping the typed rows of the fields the
    rules file at `rules_path` may read (frames.fields_rules_read); `emit` hands each table's
    findings on."""
    from ..package.names import resource_keys
    from .frames import fields_rules_read
    from .stream.table import referenced_fields, streamable

    checks: dict = {}
    table_stats: dict = {}
    findings: list = []
    for res, key in zip(package.resources, resource_keys([r.name for r in package.resources])):
        keep = fields_rules_read(rules_path, res) if chunk_size and streamable(res, chunk_size) else ()
        check, found, tstats = check_table(res, chunk_size, referenced_fields(package.resources, res.name)
                                           if chunk_size else (), keep=keep)
        findings += found
        if emit is not None:
            emit.table(found, check.parsed.locate if check is not None else None)
        table_stats[key] = tstats  # a duplicate name keeps its own stats (kzcn.package.names)
        if check is not None:
            checks[res.name] = check
    return checks, table_stats, findings


def _streamed_frame(check, res, cap: int):
    """What layer 3 reads of a streamed table: the columns its chunks kept, the rest (if a rule
    asks for one) from the whole table read again."""
    kept = getattr(check, "kept", None)
    if kept is None:
        return _whole_frame(res, cap)
    from .frames import KeptTable

    return KeptTable(kept, res, lambda: _whole_frame(res, cap))


def _whole_frame(res, cap: int):
    """The typed frame of a table that was streamed: the rules need its rows, so it is read
    whole here, under a budget of its own (its findings are already counted)."""
    from . import budget

    token = budget.start(cap)
    try:
        check = check_table(res)[0]
    finally:
        budget.finish(token)
    return TypedTable(check, res)


def _validate(target, rules, strict: bool, spent, trusted: bool = False, engine=None, chunk_size: int = 0,
              on_findings=None) -> Report:
    from ..package.paths import UnsafePath
    from ..package import infer
    from . import schema
    from . import structure  # noqa: F401 - before the background import starts
    from .schema import foreign_key_findings

    started = time.perf_counter()
    package = open_package(target, trusted=trusted)
    findings: list = []
    try:
        rules_path = resolve_rules(package, rules)
    except UnsafePath as exc:
        rules_path = None
        findings.append(Finding(code="scheme-error", severity=ERROR, path=DEFAULT_RULES, message=str(exc)))
    if rules_path is not None:
        _import_rules_meanwhile()
    from .emit import Emitter

    emit = Emitter(on_findings) if on_findings is not None else None
    tables = check_tables if engine is None else engine
    checks, table_stats, found = tables(package, keep_all=rules_path is not None, chunk_size=chunk_size, emit=emit,
                                        rules_path=rules_path)
    findings += found
    known = set(package.table_names)
    for res in package.resources:
        if res.name in checks:
            own = getattr(checks[res.name], "foreign_key_findings", None)  # a streamed table reads its rows back
            found = (own or partial(foreign_key_findings, checks[res.name]))(
                res.name, res.schema, checks, known, _where(res))
            findings += found
            if emit is not None:
                emit.more(found, {res.name: checks[res.name].parsed.locate} if checks[res.name].parsed.locate else None)
    from .descriptor import descriptor_findings, merge

    findings = merge(descriptor_findings(package), findings, package)
    findings.sort(key=_sort_key)

    rule_stats: dict = {"file": _relative(rules_path, package.root) if rules_path else None}
    by_name = {r.name: r for r in package.resources}
    frames = LazyFrames({name: (lambda c=check, r=by_name[name]: _streamed_frame(c, r, spent.cap) if getattr(c, "streamed", False)
                                else TypedTable(c, r)) for name, check in checks.items()})
    found = _run_rules(package, frames, rules_path, rule_stats)
    findings += found
    if emit is not None:
        emit.more(found, {n: c.parsed.locate for n, c in checks.items() if c.parsed.locate is not None})
    from .locate import relocate  # rows of several files or inline data: each finding to its own place

    findings = relocate(findings, {n: c.parsed.locate for n, c in checks.items() if c.parsed.locate is not None})

    from .budget import cap_report

    findings, truncated, totals = cap_report(findings, spent)
    if emit is not None:
        emit.rest(findings)
    by_severity = Counter()
    by_code = Counter()
    for (sev, code), n in totals.items():
        by_severity[sev] += n
        by_code[code] += n
    severity = by_severity
    stats = {
        "package": _relative(package.descriptor_path, package.root),
        "descriptor": str(package.descriptor_path.resolve()),
        "tables": table_stats,
        "rows": sum(t.get("rows", 0) for t in table_stats.values()),
        "findings": {
            "errors": severity.get(ERROR, 0),
            "warnings": severity.get(WARNING, 0),
            "by_code": dict(sorted(by_code.items())),
            "by_severity": {ERROR: severity.get(ERROR, 0), WARNING: severity.get(WARNING, 0)},
            **({"truncated": truncated, "listed_per_code": spent.cap} if truncated else {}),
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
