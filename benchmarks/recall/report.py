"""benchmarks/RECALL.md: the matrix, recall per class, where the catches point, and what was missed.

Why a file in the repository: the number is the team's baseline; each change to the rules reruns
`make recall` and the diff of this file shows what the change bought. Everything in it is computed
by the run it describes (seed, command, time, date), nothing is typed in.
"""
from __future__ import annotations

import datetime as _dt
import subprocess
from collections import Counter

from .matrix import FAMILIES, FIGURE_TABLES
from .mutations import CLASSES
from .run import summary


def _pct(got: int, n: int) -> str:
    return f"{100 * got / n:.0f}% (n={n})" if n else "–"


def _commit(root: str) -> str:
    try:
        return subprocess.run(["git", "-C", root, "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def render(result: dict, command: str) -> str:
    s = summary(result)
    now = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    out = [
        "# Recall of the consistency rules",
        "",
        "<!-- written by `make recall` (benchmarks/recall/); do not edit by hand -->",
        "",
        "Each mutation is one curator's slip, seeded into a fresh copy of the package (one CSV cell or",
        "a few cells of one row, every other byte unchanged), chosen only where it creates a real",
        "inconsistency of the family (benchmarks/recall/families.py is the judge). It is **caught** when",
        "`kzcn.validate` reports an error or warning (code, resource, line, field) that the curated data",
        "does not have. A cell applies when the table has the family's fields (read from its schema)",
        "and some curated row can be broken that way; otherwise it says why not.",
        "",
        f"- date: {now}; code at commit {_commit(result['root'])} (plus the working tree)",
        f"- command: `{command}`",
        f"- seed: {result['seed']}; mutations per applicable cell: {result['per_cell']}",
        f"- run time: {result['seconds']:.0f} s ({result['validations']} distinct mutated packages validated)",
        "",
        "## Findings on the curated data",
        "",
    ]
    if result["baseline"]:
        out += [f"- `{f.code}` {f.severity} {f.resource} line {f.line} {f.field}: {f.message}"
                for f in result["baseline"]]
    else:
        out.append("None: the unmutated package validates without errors or warnings.")
    out += ["", "## The matrix (recall, number of mutations)", "",
            "| family | " + " | ".join(FIGURE_TABLES) + " |", "|---|" + "---|" * len(FIGURE_TABLES)]
    for family in FAMILIES:
        row = []
        for table in FIGURE_TABLES:
            e = s["cells"].get((family.name, table))
            row.append(f"n/a: {e}" if isinstance(e, str) else f"**{_pct(e[0], e[1])}**")
        out.append(f"| {family.name} | " + " | ".join(row) + " |")
    total = [e for e in s["cells"].values() if not isinstance(e, str)]
    got, n = sum(e[0] for e in total), sum(e[1] for e in total)
    out += ["", f"All applicable cells together: {_pct(got, n)}.", "",
            "## Recall per mutation class", "", "| class | what | caught | recall |", "|---|---|---|---|"]
    for cls, what in CLASSES.items():
        g, k = s["classes"].get(cls, (0, 0))
        out.append(f"| `{cls}` | {what} | {g}/{k} | {_pct(g, k) if k else 'not drawn: no applicable cell has a row it breaks'} |")
    out += ["", "## Per cell: where the catches point, which rules caught, what was missed", "",
            "| family × table | caught | at the mutated row | elsewhere only | distinct real mutations per class | caught by | missed, for example |",
            "|---|---|---|---|---|---|---|"]
    for cell in result["cells"]:
        if cell.why:
            continue
        res = cell.results
        caught = [r for r in res if r[1]]
        at = sum(1 for r in caught if r[2])
        codes = Counter(c for r in caught for c in r[3])
        missed = list(dict.fromkeys(f"{m.about} (line {_line(result, m)})" for m, c, _, _ in res if not c))
        by_cls = Counter(m.cls for m, *_ in res)
        got_cls = Counter(m.cls for m, c, *_ in res if c)
        pool = ", ".join(f"{c}: {cell.pool[c]} ({got_cls[c]}/{by_cls[c]} caught)" for c in cell.pool)
        out.append(f"| {cell.family} × {cell.table} | {len(caught)}/{len(res)} | {at} | {len(caught) - at} | "
                   f"{pool} | {', '.join(f'`{c}` {k}' for c, k in codes.most_common(4)) or '–'} | "
                   f"{'; '.join(missed[:3]) or '–'} |")
    out += ["", "Rerun after changing the rules; `tests/test_recall.py` holds the floor of each cell below 95%.", ""]
    return "\n".join(out)


def _line(result, mut) -> str:
    return str(result["lines"][mut.table][mut.row]) if "lines" in result else "?"
