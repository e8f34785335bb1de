"""Layer 3 of `kzcn validate`: cross-table consistency rules, written as data in a rules file.

    run_rules(package, frames, rules_path) -> list[Finding]

Each rule in the file names a kind (a small function in this package, see registry.KINDS), its
parameters, a severity and a one-line rationale. Findings point at the row that is wrong (file,
line, field) with the values involved. A rule fails with its own severity only when the
intervals the qualifiers imply cannot be reconciled; when only the stated point values clash it
warns. Known findings resolved in the curated resolutions file are dropped; a resolution that
matches nothing is itself a warning, so the file cannot rot.

What lives here:
- config.py: the rules file (validation/rules.yaml) and its resolutions, loaded and checked;
  registry.py: every rule kind by name, with the parameters it takes.
- the kinds, one concept a module: agreement, change (absolute change), containment, growth,
  magnitude (incl. series), provenance, ranks, references, required, shares, siblings (parts added
  up within their whole), stocks (cumulative figures between statements), timing.
- matrix.py: the rule-family x table matrix (each rule's family, the reasons a cell stays empty).
- what the kinds share: context.py (RuleContext, NotApplicable, ParamError, cell helpers),
  ruletable.py (RuleTable: the typed frame as rules read it), selection.py (selecting and matching
  rows), quantities.py (stated figures and verdicts), intervals.py (what a qualifier implies, hard
  and soft), counterparts.py (judging a ratio against every pair of its basis), undated.py (dating
  a figure the source left undated), spans.py (the numbers a source span states) and wording.py
  (the qualifier its words give).

What it may import: kzcn.validate.findings (Finding, severities), kzcn.package (the package, its
descriptor and YAML reading), kzcn.errors, and pandas/numpy/pycountry/yaml (imported by the
modules that need them, never by this one at import time). Never kzcn.release, kzcn.report or
kzcn.cli: the rules are a layer of the validator, and nothing above it.
"""
from __future__ import annotations

from pathlib import Path

from ...errors import TargetError
from ..findings import ERROR, WARNING, Finding

__all__ = ["run_rules", "NOT_APPLICABLE", "RULE_ERROR", "RESOLUTION_UNMATCHED", "RESOLUTION_CHANGED"]

NOT_APPLICABLE = "rule-not-applicable"
RULE_ERROR = "rule-error"
RESOLUTION_UNMATCHED = "resolution-unmatched"
RESOLUTION_CHANGED = "resolution-value-changed"

# What to do about the findings the rule runner itself makes (a rule's own findings take their
# hint from the rule or its kind, registry.KINDS).
RUNNER_HINTS = {
    NOT_APPLICABLE: "add the table or field the rule reads, or remove the rule from validation/rules.yaml "
                    "if it does not apply to this package",
    RULE_ERROR: "a fault in the rule's code, not in the data: report it with this message; the other "
                "rules and layers still ran",
    RESOLUTION_UNMATCHED: "update the resolution's rule and rows in validation/resolutions.yaml, or remove it "
                          "if the conflict is gone",
    RESOLUTION_CHANGED: "check the row against its source: if the new figure is a slip, restore it; if it is right, "
                        "review the decision and pin the new figure (python -m kzcn.validate.rules.pin)",
}


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        return str(path)


def run_rules(package, frames, rules_path) -> list[Finding]:
    """Run every rule of rules_path over the typed frames (index = CSV line) of package.

    The resolutions file it names is held inside the rules file's folder unless the package
    was opened `trusted` (kzcn.package.paths)."""
    if rules_path is None:
        return []
    from .config import load_rules
    from .context import NotApplicable, ParamError, RuleContext
    from .registry import KINDS

    ruleset = load_rules(Path(rules_path), trusted=getattr(package, "trusted", False))
    frames = {name: _plain(frame) for name, frame in frames.items()}
    found: list[tuple[Finding, frozenset]] = []
    if ruleset.refused:
        found.append((Finding(code="scheme-error", severity=ERROR, path=_relative(Path(rules_path), package.root),
                              line=1, message=ruleset.refused), frozenset()))
    for rule in ruleset.rules:
        ctx = RuleContext(package, frames, rule)
        try:
            results = KINDS[rule.kind].function(frames, rule.params, ctx) or []
        except NotApplicable as exc:
            found.append((Finding(code=NOT_APPLICABLE, severity=WARNING, rule=rule.id,
                                  message=f"rule {rule.id} ({rule.kind}) skipped: {exc}",
                                  rule_rationale=rule.rationale, hint=RUNNER_HINTS[NOT_APPLICABLE]), frozenset()))
            continue
        except ParamError as exc:
            raise TargetError(f"{rule.where()}: rule {rule.id!r} ({rule.kind}): {exc}") from None
        except TargetError:
            raise
        except Exception as exc:  # a fault in a rule must not hide the other layers' findings
            found.append((Finding(code=RULE_ERROR, severity=ERROR, rule=rule.id,
                                  message=f"rule {rule.id} ({rule.kind}) could not run: {type(exc).__name__}: {exc}",
                                  rule_rationale=rule.rationale, hint=RUNNER_HINTS[RULE_ERROR]),
                          frozenset()))
            continue
        for f in results:
            found.append((f, ctx.rows_of.get(f, frozenset())))

    rationale = {r.id: r.rationale for r in ruleset.rules}
    kept: list[Finding] = []
    used: set[int] = set()
    stale: dict[int, list] = {}  # resolution -> its pinned rows whose figure changed
    for f, rows in found:
        hit = _resolved_by(ruleset.resolutions, f, rows)
        if hit is None:
            kept.append(f)
            continue
        used.add(hit)
        if hit not in stale:
            from .pins import changed_pins

            stale[hit] = changed_pins(package, frames, ruleset.resolutions[hit])
        if stale[hit]:
            kept.append(f)  # re-opened: the decision was made for other figures
    for i, changed in stale.items():
        if changed:
            kept.append(_changed(ruleset.resolutions[i], changed, package, rationale))
    for i, res in enumerate(ruleset.resolutions):
        if i not in used:
            kept.append(Finding(
                code=RESOLUTION_UNMATCHED, severity=WARNING, rule=res.rule,
                path=_relative(res.path, package.root), line=res.line,
                rule_rationale=rationale.get(res.rule), hint=RUNNER_HINTS[RESOLUTION_UNMATCHED],
                message=(f"resolution for rule {res.rule} on {res.table} rows {', '.join(res.rows)} matches no finding: "
                         f"the conflict is gone or the rows were renamed; update or remove it")))
    return sorted(kept, key=Finding.sort_key)


def _changed(res, changed, package, rationale) -> Finding:
    said = "; ".join(f"{row} was {pinned!r} and is now {now!r}" if now is not None else
                     f"{row} was {pinned!r} and has no figure now" for row, pinned, now in changed)
    return Finding(code=RESOLUTION_CHANGED, severity=WARNING, rule=res.rule, path=_relative(res.path, package.root),
                   line=res.line, rule_rationale=rationale.get(res.rule), hint=RUNNER_HINTS[RESOLUTION_CHANGED],
                   message=(f"resolution for rule {res.rule} on {res.table} ({res.decision}) was made for other "
                            f"figures: {said}; its finding is reported again"))


def _plain(frame):
    """The frame as rules read it (see ruletable.RuleTable): cell access by pandas' .at made a few
    hundred rows take seconds."""
    from .ruletable import RuleTable

    if frame is None:
        return None
    return RuleTable(frame)


def _resolved_by(resolutions, finding: Finding, rows: frozenset) -> int | None:
    """Index of the resolution covering this finding: same rule, its rows all named there."""
    if not rows or finding.code in (NOT_APPLICABLE, RULE_ERROR):
        return None
    for i, res in enumerate(resolutions):
        if res.rule != finding.rule:
            continue
        named = {(res.table, r) for r in res.rows}
        if rows <= named:
            return i
    return None
