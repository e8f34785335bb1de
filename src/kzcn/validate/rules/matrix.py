"""The rule-family x table matrix: which rules check each family on each figure table, or why none can.

Rules used to follow the rows they were written with, so whole tables went unchecked by whole
families and nobody could see it. The matrix makes the gaps visible: every figure table
(config.FIGURE_TABLES) against every family of the matrix (config.MATRIX_FAMILIES), each cell
naming its rules (from each rule's `family` and `table`) or the reason it cannot apply (the
`not_applicable` mapping of rules.yaml). The README's copy is generated from here, and a test
fails when a cell has neither — or both, since a stated reason that a rule contradicts is stale.
"""
from __future__ import annotations

from pathlib import Path

from .config import FIGURE_TABLES, MATRIX_FAMILIES, RuleSet, load_rules


def rule_tables(rule) -> list[str]:
    """The tables a rule checks, as its params name them (one table or a list)."""
    tables = rule.params.get("table", rule.params.get("tables"))
    if tables is None:
        return []
    return [t for t in (tables if isinstance(tables, list) else [tables]) if isinstance(t, str)]


def cells(ruleset: RuleSet) -> dict[tuple[str, str], list[str]]:
    """(family, table) -> the ids of the rules of that family checking that table, in file order."""
    out: dict[tuple[str, str], list[str]] = {(f, t): [] for f in MATRIX_FAMILIES for t in FIGURE_TABLES}
    for rule in ruleset.rules:
        for table in rule_tables(rule):
            if (rule.family, table) in out:
                out[(rule.family, table)].append(rule.id)
    return out


def problems(ruleset: RuleSet) -> list[str]:
    """Cells with neither a rule nor a reason, and cells with both, in words."""
    found = []
    for (family, table), ids in cells(ruleset).items():
        reason = ruleset.not_applicable.get(family, {}).get(table)
        if not ids and reason is None:
            found.append(f"{family} x {table}: no rule, and no reason in not_applicable why none can apply")
        elif ids and reason is not None:
            found.append(f"{family} x {table}: rules {', '.join(ids)} apply, yet not_applicable says {reason!r}; "
                         f"drop the reason")
    return found


def markdown_matrix(path: Path | str) -> str:
    """The README's matrix: a row per family, a column per figure table."""
    ruleset = load_rules(path)
    grid = cells(ruleset)
    head = "| family | " + " | ".join(f"`{t}`" for t in FIGURE_TABLES) + " |"
    lines = [head, "|---" * (len(FIGURE_TABLES) + 1) + "|"]
    for family in MATRIX_FAMILIES:
        row = []
        for table in FIGURE_TABLES:
            ids = grid[(family, table)]
            reason = ruleset.not_applicable.get(family, {}).get(table)
            if ids:
                row.append("<br>".join(f"`{i}`" for i in ids))
            elif reason:
                row.append("n/a: " + reason.replace("|", "/"))
            else:
                row.append("**missing**")
        lines.append(f"| {family.replace('_', ' ')} | " + " | ".join(row) + " |")
    return "\n".join(lines) + "\n"
