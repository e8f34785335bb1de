"""Read validation/rules.yaml and validation/resolutions.yaml into checked, line-numbered records.

The rules are data a curator edits by hand, so a slip there (an unknown kind, a misspelt
parameter, a severity of "fatal") must be named with file and line before anything runs —
a rule that silently checks nothing is worse than no rule.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ...errors import TargetError

RULE_KEYS = ("id", "kind", "params", "severity", "rationale")
# Optional: `hint`, what a curator should do about a finding, when the kind's own hint
# (registry.KINDS) does not fit this rule; `family`, optional in a rules file of one's own (the
# loader checks it when given) — the repository's rules.yaml states it for every rule, and a test
# holds it to that.
RULE_OPTIONAL_KEYS = ("hint", "family")
OPTIONAL_RULE_KEYS = RULE_OPTIONAL_KEYS
# The rule families of the README's matrix (one row each, a column per figure table), and the
# families outside it: what a rule checks, whatever kind of function checks it.
MATRIX_FAMILIES = ("sources_agree", "magnitude_plausible", "part_within_whole", "parts_add_up", "growth_matches",
                   "share_matches", "rank_consistent", "cumulative_not_shrinking", "date_order",
                   "not_after_publication")
# `vocabulary`: a row's own use of the 0.3.0 vocabulary (a range's ends in order, among_top on ranks only).
FAMILIES = MATRIX_FAMILIES + ("references", "required", "provenance", "vocabulary")
FIGURE_TABLES = ("trade_volumes", "indicators", "project_portfolios", "projects", "targets")
SEVERITIES = ("error", "warning")
ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
DECISIONS = ("prefer", "both_stand", "accept")
RESOLUTION_KEYS = ("rule", "table", "rows", "decision", "prefer", "reason", "source", "values")
RESOLUTION_REQUIRED = ("rule", "table", "rows", "decision", "reason", "source")


@dataclass(frozen=True)
class Rule:
    """One consistency rule as written in the rules file."""

    id: str
    kind: str
    params: dict
    severity: str
    rationale: str
    path: Path
    line: int
    hint: str | None = None  # as written in the rules file; see `advice` for the one a finding carries
    family: str | None = None

    def where(self) -> str:
        return f"{self.path}:{self.line}"

    @property
    def advice(self) -> str:
        """What to do about this rule's findings: its own hint, else its kind's."""
        from .registry import GENERIC_HINT, KINDS

        spec = KINDS.get(self.kind)
        return self.hint or (spec.hint if spec is not None else "") or GENERIC_HINT


@dataclass(frozen=True)
class Resolution:
    """A curated decision about a known finding: which row is preferred, or that both stand."""

    rule: str
    table: str
    rows: tuple[str, ...]
    decision: str
    prefer: str | None
    reason: str
    source: str
    path: Path
    line: int
    # {row: figure text} the decision was made for (pins.py); None: not pinned, matched by rows alone
    values: dict | None = None


@dataclass
class RuleSet:
    rules: list[Rule]
    resolutions: list[Resolution] = field(default_factory=list)
    resolutions_path: Path | None = None
    # {family: {table: reason}}: the cells of the matrix a family cannot apply to, and why
    not_applicable: dict = field(default_factory=dict)
    refused: str | None = None  # why the resolutions file named was not read (kzcn.package.paths)


def _parse(path: Path):
    """YAML text -> (data, node) so that every list item can be given its line."""
    import yaml

    from ...package.descriptor import read_text, yaml_error
    from ...package.yamlfast import compose, safe_load

    text = read_text(path, "rules file")
    try:
        node = compose(text)
        data = safe_load(text)
    except yaml.YAMLError as exc:
        raise yaml_error(path, exc) from None
    except RecursionError:
        raise TargetError(f"{path}: nested too deeply to read") from None
    return data, node


def _item_lines(node, key: str) -> list[int]:
    """Line (1-based) of each item of the top-level list under `key`."""
    if node is None or not hasattr(node, "value") or not isinstance(node.value, list):
        return []
    for k, v in node.value:
        if getattr(k, "value", None) == key and isinstance(getattr(v, "value", None), list):
            return [item.start_mark.line + 1 for item in v.value]
    return []


def _pairs_of(node) -> list:
    """The (key, value) nodes of a mapping node; nothing for any other node."""
    items = getattr(node, "value", None)
    if not isinstance(items, list) or not all(isinstance(i, tuple) and len(i) == 2 for i in items):
        return []
    return items


def _cell_lines(node, key: str) -> dict:
    """Line (1-based) of the top-level `key`, of each family under it and of each (family, table) cell."""
    lines: dict = {}
    for k, v in _pairs_of(node):
        if getattr(k, "value", None) != key:
            continue
        lines[key] = k.start_mark.line + 1
        for fk, fv in _pairs_of(v):
            lines[fk.value] = fk.start_mark.line + 1
            for tk, _ in _pairs_of(fv):
                lines[(fk.value, tk.value)] = tk.start_mark.line + 1
    return lines


def _top_mapping(path: Path, data, allowed: tuple[str, ...], required: str) -> dict:
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise TargetError(f"{path}:1: expected a mapping with a '{required}' list at the top, found {type(data).__name__}")
    unknown = sorted(set(map(str, data)) - set(allowed))
    if unknown:
        raise TargetError(f"{path}:1: unknown top-level key(s) {', '.join(unknown)}; allowed: {', '.join(allowed)}")
    items = data.get(required, [])
    if items is None:
        items = []
    if not isinstance(items, list):
        raise TargetError(f"{path}:1: '{required}' must be a list, found {type(items).__name__}")
    return data


def load_rules(path: Path | str, trusted: bool = False) -> RuleSet:
    """Read and check a rules file; raise TargetError naming file and line at the first fault.

    The resolutions file it names must lie beside it or below (kzcn.package.paths.contain),
    unless `trusted`."""
    from .registry import KINDS

    path = Path(path)
    data, node = _parse(path)
    data = _top_mapping(path, data, ("rules", "resolutions", "not_applicable"), "rules")
    lines = _item_lines(node, "rules")
    rules: list[Rule] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(data.get("rules") or []):
        line = lines[i] if i < len(lines) else 1
        where = f"{path}:{line}"
        if not isinstance(item, dict):
            raise TargetError(f"{where}: a rule must be a mapping with {', '.join(RULE_KEYS)}")
        missing = [k for k in RULE_KEYS if k not in item]
        if missing:
            raise TargetError(f"{where}: rule {item.get('id', '#' + str(i + 1))!r} lacks {', '.join(missing)}")
        extra = sorted(set(map(str, item)) - set(RULE_KEYS) - set(RULE_OPTIONAL_KEYS))
        if extra:
            raise TargetError(f"{where}: rule {item['id']!r} has unknown key(s) {', '.join(extra)}; "
                              f"allowed: {', '.join(RULE_KEYS + RULE_OPTIONAL_KEYS)}")
        rid = item["id"]
        if not isinstance(rid, str) or not ID_PATTERN.match(rid):
            raise TargetError(f"{where}: rule id {rid!r} must be lower-case words joined by hyphens")
        if rid in seen:
            raise TargetError(f"{where}: rule id {rid!r} is used twice (first at line {seen[rid]})")
        seen[rid] = line
        kind = item["kind"]
        if not isinstance(kind, str) or kind not in KINDS:
            raise TargetError(f"{where}: rule {rid!r} has unknown kind {kind!r}; known kinds: {', '.join(sorted(KINDS))}")
        severity = item["severity"]
        if severity not in SEVERITIES:
            raise TargetError(f"{where}: rule {rid!r} severity must be error or warning, found {severity!r}")
        rationale = item["rationale"]
        if not isinstance(rationale, str) or not rationale.strip() or "\n" in rationale.strip():
            raise TargetError(f"{where}: rule {rid!r} needs a one-line rationale")
        hint = item.get("hint")
        if hint is not None and (not isinstance(hint, str) or not hint.strip() or "\n" in hint.strip()):
            raise TargetError(f"{where}: rule {rid!r} hint must be one line of text (what to do about a finding)")
        params = item["params"]
        if params is None:
            params = {}
        if not isinstance(params, dict):
            raise TargetError(f"{where}: rule {rid!r} params must be a mapping, found {type(params).__name__}")
        spec = KINDS[kind]
        missing = [k for k in spec.required if k not in params]
        if missing:
            raise TargetError(f"{where}: rule {rid!r} ({kind}) lacks parameter(s) {', '.join(missing)}")
        extra = sorted(set(map(str, params)) - set(spec.required) - set(spec.optional))
        if extra:
            allowed = ", ".join(list(spec.required) + list(spec.optional))
            raise TargetError(f"{where}: rule {rid!r} ({kind}) has unknown parameter(s) {', '.join(extra)}; "
                              f"allowed: {allowed}")
        family = item.get("family")
        if family is not None and family not in FAMILIES:
            raise TargetError(f"{where}: rule {rid!r} has unknown family {family!r}; known families: {', '.join(FAMILIES)}")
        rules.append(Rule(rid, kind, params, severity, rationale.strip(), path, line,
                          hint=hint.strip() if hint is not None else None, family=family))

    ruleset = RuleSet(rules, not_applicable=_not_applicable(path, data.get("not_applicable"),
                                                            _cell_lines(node, "not_applicable")))
    ref = data.get("resolutions")
    if ref is not None:
        if not isinstance(ref, str) or not ref.strip():
            raise TargetError(f"{path}:1: 'resolutions' must be the path of the resolutions file")
        from ...package.paths import contain

        try:
            rpath = contain(path.parent, ref.strip(), "resolutions file", trusted)
        except TargetError as exc:  # named as a finding by run_rules; nothing is read
            ruleset.refused = str(exc)
            return ruleset
        ruleset.resolutions = load_resolutions(rpath, {r.id for r in rules})
        ruleset.resolutions_path = rpath
    return ruleset


def resolutions_file(path: Path | str, trusted: bool = False) -> Path | None:
    """The resolutions file a rules file names, if it names one inside its folder; None otherwise
    or when the rules file cannot be read (load_rules says why). Without importing the rule kinds
    (pandas): `kzcn validate --output` needs it to know every input before the run."""
    from ...package.paths import contain

    path = Path(path)
    try:
        data, _ = _parse(path)
        ref = data.get("resolutions") if isinstance(data, dict) else None
        if not isinstance(ref, str) or not ref.strip():
            return None
        return contain(path.parent, ref.strip(), "resolutions file", trusted)
    except Exception:  # noqa: BLE001 - unreadable or refused: the run itself reports it
        return None


def _not_applicable(path: Path, data, lines: dict) -> dict:
    """{family: {table: reason}}, checked: a matrix family, a figure table, a one-line reason."""
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise TargetError(f"{path}:{lines.get('not_applicable', 1)}: 'not_applicable' must map a family to "
                          f"{{table: reason}}, found {type(data).__name__}")
    out: dict[str, dict[str, str]] = {}
    for family, cells in data.items():
        where = f"{path}:{lines.get(family, 1)}"
        if family not in MATRIX_FAMILIES:
            raise TargetError(f"{where}: not_applicable names family {family!r}; "
                              f"matrix families: {', '.join(MATRIX_FAMILIES)}")
        if not isinstance(cells, dict) or not cells:
            raise TargetError(f"{where}: not_applicable.{family} must map a table to the reason the family cannot apply")
        for table, reason in cells.items():
            where = f"{path}:{lines.get((family, table), 1)}"
            if table not in FIGURE_TABLES:
                raise TargetError(f"{where}: not_applicable.{family} names table {table!r}; "
                                  f"figure tables: {', '.join(FIGURE_TABLES)}")
            if not isinstance(reason, str) or not reason.strip() or "\n" in reason.strip():
                raise TargetError(f"{where}: not_applicable.{family}.{table} needs a one-line reason")
            out.setdefault(family, {})[table] = reason.strip()
    return out


def load_resolutions(path: Path | str, rule_ids: set[str] | None = None) -> list[Resolution]:
    """Read and check the curated resolutions of known conflicts."""
    path = Path(path)
    data, node = _parse(path)
    data = _top_mapping(path, data, ("resolutions",), "resolutions")
    lines = _item_lines(node, "resolutions")
    out: list[Resolution] = []
    for i, item in enumerate(data.get("resolutions") or []):
        line = lines[i] if i < len(lines) else 1
        where = f"{path}:{line}"
        if not isinstance(item, dict):
            raise TargetError(f"{where}: a resolution must be a mapping with {', '.join(RESOLUTION_REQUIRED)}")
        missing = [k for k in RESOLUTION_REQUIRED if k not in item or item[k] in (None, "", [])]
        if missing:
            raise TargetError(f"{where}: resolution lacks {', '.join(missing)}")
        extra = sorted(set(map(str, item)) - set(RESOLUTION_KEYS))
        if extra:
            raise TargetError(f"{where}: resolution has unknown key(s) {', '.join(extra)}; allowed: {', '.join(RESOLUTION_KEYS)}")
        for key in ("reason", "source", "table", "rule"):
            if not isinstance(item[key], str):
                raise TargetError(f"{where}: {key} must be text")
        if rule_ids is not None and item["rule"] not in rule_ids:
            raise TargetError(f"{where}: resolution names rule {item['rule']!r}, which the rules file does not define")
        rows = item["rows"]
        if isinstance(rows, str):
            rows = [rows]
        if not isinstance(rows, list) or not all(isinstance(r, str) and r for r in rows):
            raise TargetError(f"{where}: rows must be a list of row identifiers (primary-key values)")
        decision = item["decision"]
        if not isinstance(decision, str) or decision not in DECISIONS:
            raise TargetError(f"{where}: decision must be one of {', '.join(DECISIONS)}, found {decision!r}")
        prefer = item.get("prefer")
        if decision == "prefer":
            if prefer not in rows:
                raise TargetError(f"{where}: decision prefer needs 'prefer: <row>' naming one of the rows {rows}")
        elif prefer is not None:
            raise TargetError(f"{where}: 'prefer' is only meaningful with decision: prefer")
        for key in ("reason", "source", "table", "rule"):
            if not isinstance(item[key], str):
                raise TargetError(f"{where}: {key} must be text")
        out.append(Resolution(item["rule"], item["table"], tuple(rows), decision, prefer,
                              item["reason"].strip(), item["source"].strip(), path, line,
                              values=_pinned(where, item.get("values"), rows)))
    return out


def _pinned(where: str, values, rows: list[str]) -> dict | None:
    """A resolution's `values`: {row: "figure text"} for rows it names (see pins.py)."""
    if values is None:
        return None
    if not isinstance(values, dict) or not values:
        raise TargetError(f"{where}: values must map a row to the figure it was decided on, "
                          f"e.g. {{{rows[0]}: \"41 billion USD\"}}")
    out = {}
    for row, figure in values.items():
        if not isinstance(row, str) or row not in rows:
            raise TargetError(f"{where}: values names row {row!r}, which is not one of the rows {rows}")
        if isinstance(figure, bool) or not isinstance(figure, (str, int, float)) or not str(figure).strip():
            raise TargetError(f"{where}: values of {row} must be the row's figure as text (\"41 billion USD\"), "
                              f"found {figure!r}")
        out[row] = str(figure).strip()
    return out


def markdown_table(path: Path | str) -> str:
    """The README's table of consistency rules, generated from the rules file so the two agree."""
    ruleset = load_rules(path)
    lines = ["| rule (finding code) | family | kind | severity | why |", "|---|---|---|---|---|"]
    for r in ruleset.rules:
        family = (r.family or "").replace("_", " ")
        lines.append(f"| `{r.id}` | {family} | {r.kind} | {r.severity} | {r.rationale.replace('|', '/')} |")
    return "\n".join(lines) + "\n"
