"""The clean rows of benchmarks/generate.py's tables: trade_volumes, sources and people.

Why a module of its own: what a valid row looks like (every cell valid against the real schemas,
every row valid against the per-row rules) is one job; breaking rows (generate_faults.py) and
writing the package (generate.py) are others. Deterministic: the same generator, the same rows.
"""
from __future__ import annotations

import calendar

import numpy as np

BASES = ["kz_statistics", "cn_customs", "third_party", "unspecified"]
PROVINCES = ["SD", "XJ", "BJ", "SH", "GD", "JS", "ZJ", "HA", "SC", "HE", "LN", "SN"]
FLOWS = ["turnover", "export", "import"]
GROUPS = ["all_goods", "agricultural", "grain", "non_commodity"]
QUALIFIERS = ["exact", "approximately", "more_than", "at_least", "less_than", "up_to"]
SHARE_REFS = ["kz_cn_trade", "kz_total_trade", "kz_total_exports", "kz_total_imports", "ca_cn_trade"]
VALUE_UNITS = ["USD", "USD", "USD", "CNY", "tonnes", "TEU"]
VALUE_SCALES = ["thousand", "million", "million", "billion"]
LANGS = ["en", "ru", "kk", "zh"]
KINDS = ["news", "official", "statistics", "dataset", "reference", "analysis"]
PUBLISHERS = ["The Astana Times", "Kazinform", "Xinhua", "Bureau of National Statistics", "China Customs"]
NOTES = ["Period read as the calendar year.", "Figure quoted by the press service.",
         'Called the "highest ever" by the speaker.', "See also the customs release, which differs."]


# ----------------------------------------------------------------------------- periods

def _periods() -> list[tuple[str, str]]:
    """Every period a figure may cover: calendar years, halves, quarters and months, 2005-2024."""
    out = []
    for y in range(2005, 2025):
        out.append((f"{y}-01-01", f"{y}-12-31"))
        out.append((f"{y}-01-01", f"{y}-06-30"))
        for q in range(4):
            m = 3 * q + 1
            out.append((f"{y}-{m:02d}-01", f"{y}-{m + 2:02d}-{calendar.monthrange(y, m + 2)[1]:02d}"))
        for m in range(1, 13):
            out.append((f"{y}-{m:02d}-01", f"{y}-{m:02d}-{calendar.monthrange(y, m)[1]:02d}"))
    return out


def _year_before(d: str) -> str:
    y, rest = d.split("-", 1)
    if rest == "02-29":
        rest = "02-28"
    return f"{int(y) - 1}-{rest}"



# ----------------------------------------------------------------------------- tables

def sources_rows(n: int, rng) -> list[list[str]]:
    rows = []
    days = rng.integers(0, 3650, n)
    base = np.datetime64("2015-01-01")
    for i in range(n):
        sid = f"src-{i + 1:05d}"
        published = str(base + np.timedelta64(int(days[i]), "D"))
        rows.append([sid, f"Trade report {i + 1}, with figures for Kazakhstan and China",
                     PUBLISHERS[i % len(PUBLISHERS)], f"https://example.org/reports/{i + 1}",
                     published, "day", LANGS[i % len(LANGS)], KINDS[i % len(KINDS)], "",
                     f"src-{i:05d}" if i and i % 97 == 0 else "", ""])
    return rows


def people_rows(n: int) -> list[list[str]]:
    return [[f"person-{i + 1:04d}", f"Person {i + 1:04d}", "KZ" if i % 2 else "CN",
             "" if i % 5 else "Role at the time given in the source."] for i in range(n)]


def trade_rows(n: int, n_sources: int, n_people: int, rng) -> list[list[str]]:
    """n clean rows: every cell valid against the schema, every row valid against the rules."""
    periods = _periods()
    pick = rng.integers(0, 1 << 30, size=(16, n))
    measure_draw = rng.random(n)
    values = rng.integers(1, 500_000, n)
    rows = []
    for i in range(n):
        p = pick[:, i]
        start, end = periods[p[0] % len(periods)]
        md = measure_draw[i]
        base_start = base_end = reference = ""
        if md < 0.85:
            measure, unit, scale = "value", VALUE_UNITS[p[1] % len(VALUE_UNITS)], VALUE_SCALES[p[2] % len(VALUE_SCALES)]
            value = f"{values[i] / 10:.1f}"
            span = f"reached ${value} {scale}" if unit == "USD" else f"{value} {scale} {unit}"
        elif md < 0.90:
            measure, unit, scale, reference = "share", "percent", "one", SHARE_REFS[p[1] % len(SHARE_REFS)]
            value = f"{values[i] % 1000 / 10:.1f}"
            span = f"{value}% of the total"
        elif md < 0.95:
            measure, unit, scale, reference = "rank", "rank", "one", "cn_regions"
            value = str(1 + values[i] % 31)
            span = f"ranked {value} among the regions"
        else:
            measure, unit, scale = "growth", "percent", "one"
            base_start, base_end = _year_before(start), _year_before(end)
            value = f"{values[i] % 900 / 10:.1f}"
            span = f"grew by {value}%, year on year"
        derived = p[3] % 20 == 0
        rows.append([
            f"tv-{i + 1:07d}",
            BASES[p[4] % len(BASES)],
            "KZ" if p[5] % 10 else "central_asia",
            "CN" if p[6] % 10 < 7 else f"CN-{PROVINCES[p[6] % len(PROVINCES)]}",
            FLOWS[p[7] % len(FLOWS)],
            GROUPS[p[8] % len(GROUPS)],
            start, end, measure, reference, base_start, base_end, value, "", scale, unit,
            QUALIFIERS[p[9] % len(QUALIFIERS)],
            "reported" if p[10] % 10 else "forecast",
            "true" if derived else "false",
            f"tv-{1 + p[11] % max(i, 1):07d} + tv-{1 + p[12] % max(i, 1):07d}" if derived else "",
            f"person-{1 + p[13] % n_people:04d}" if p[13] % 5 == 0 else "",
            f"src-{1 + p[14] % n_sources:05d}",
            span,
            f"KC-{p[15] % 1000:03d}" if p[15] % 3 == 0 else "",
            NOTES[p[15] % len(NOTES)] if p[15] % 10 == 1 else "",
        ])
    return rows
