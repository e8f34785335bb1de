"""The summary page's charts: matplotlib (Agg) drawn to inline SVG, with the rows behind each.

Each chart function takes the report's typed frames (kzcn.report.frames: enum columns as text,
numbers and dates typed, bad cells missing; the derived trade_series among them) and returns a Chart: the SVG, a caption that says
what was selected and what was left out, and the rows plotted (so the page can show the numbers
beside the picture). Sparse or missing data never raises: the chart says what is missing.

Output is deterministic for the same data: sorted inputs, a fixed SVG hash salt per chart, no
date in the SVG metadata, text kept as text (so a browser, and a test, can read the labels).
matplotlib is imported inside the functions; only `kzcn report` pays for it.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

import pandas as pd

SCALE = {"one": 1.0, "thousand": 1e3, "ten_thousand": 1e4, "million": 1e6, "hundred_million": 1e8,
         "billion": 1e9, "trillion": 1e12}
BASES = (("kz_statistics", "Kazakh statistics"), ("cn_customs", "Chinese customs"))
COLORS = {"kz_statistics": "#1f77b4", "cn_customs": "#d62728"}
LEVEL_COLORS = {"national": "#1f77b4", "subnational": "#ff7f0e"}
STATUS_COLORS = ["#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#d62728", "#7f7f7f", "#17becf"]
KIND_MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]


@dataclass
class Chart:
    id: str
    title: str
    svg: str
    caption: str
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    data: list[dict] = field(default_factory=list)  # the plotted numbers, unrounded (bars, ranges)
    empty: bool = False


def _pyplot():
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def _svg(fig, chart_id: str) -> str:
    import matplotlib

    plt = _pyplot()
    buf = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": f"kzcn-{chart_id}", "svg.fonttype": "none",
                                "svg.id": f"chart-{chart_id}-svg"}):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    plt.close(fig)
    text = buf.getvalue()
    text = text[text.index("<svg"):]  # drop the XML declaration and DOCTYPE: the SVG goes inline
    # make the ids unique in a page that holds several charts
    text = re.sub(r'id="(?!chart-)([^"]+)"', rf'id="{chart_id}-\1"', text)
    text = re.sub(r'url\(#(?!chart-)([^)]+)\)', rf'url(#{chart_id}-\1)', text)
    text = re.sub(r'xlink:href="#(?!chart-)([^"]+)"', rf'xlink:href="#{chart_id}-\1"', text)
    return text.replace("<svg ", f'<svg role="img" aria-label="{chart_id} chart" ', 1)


def _empty_chart(chart_id: str, title: str, message: str, caption: str) -> Chart:
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7.5, 2.2))
    ax.set_axis_off()
    ax.set_title(title, loc="left", fontsize=11)
    ax.text(0.5, 0.45, message, ha="center", va="center", fontsize=10, color="#57606a", wrap=True)
    return Chart(chart_id, title, _svg(fig, chart_id), caption, empty=True)


def _has(frame, *columns) -> bool:
    return frame is not None and all(c in frame.columns for c in columns)


def _num(x) -> str:
    if pd.isna(x):
        return ""
    return f"{x:,.2f}".rstrip("0").rstrip(".") if abs(x) < 1000 else f"{x:,.0f}"


# --- trade on both bases ---------------------------------------------------------------------

TRADE_SELECTION = ("trade_series rows with flow turnover, reporter KZ, partner all of China, all goods, "
                   "a whole calendar year, in USD")
PREFERENCE_RULE = ("Each bar is the preferred figure of trade_series: the row a `prefer` decision in "
                   "validation/resolutions.yaml names, else the first in the default order (exact before "
                   "qualified; the more reliable source; a statistical or official release before other "
                   "sources, before a quoted speaker; the latest publication; the lowest id). The thin line "
                   "spans the lowest to the highest statement of that figure; the table names the rule that "
                   "chose each bar.")


def full_year_turnover(series: pd.DataFrame | None) -> pd.DataFrame:
    """KZ–CN turnover, whole years, USD, on the two bases: one preferred figure per year and basis."""
    columns = ["year", "basis", "usd_bn", "low_bn", "high_bn", "qualifier", "n", "id", "by"]
    cols = ("reporter_basis", "reporter_scope", "partner_scope", "flow", "commodity_group", "period_label",
            "unit", "value", "low", "high", "preferred_trade_id", "preferred_by")
    if not _has(series, *cols):
        return pd.DataFrame(columns=columns)
    f = series
    sel = ((f["flow"] == "turnover") & (f["partner_scope"] == "CN") & (f["reporter_scope"] == "KZ")
           & (f["commodity_group"] == "all_goods") & f["reporter_basis"].isin([b for b, _ in BASES])
           & (f["unit"] == "USD") & f["value"].notna() & f["period_label"].str.fullmatch(r"\d{4}"))
    f = f[sel.fillna(False)]
    out = pd.DataFrame({
        "year": f["period_label"].astype(int),
        "basis": f["reporter_basis"].astype(str),
        "usd_bn": f["value"].astype(float) / 1e9,
        "low_bn": f["low"].astype(float) / 1e9,
        "high_bn": f["high"].astype(float) / 1e9,
        "qualifier": f["qualifier"].astype(str) if "qualifier" in f.columns else "",
        "n": f["n_statements"].astype(int) if "n_statements" in f.columns else 1,
        "id": f["preferred_trade_id"].astype(str),
        "by": f["preferred_by"].astype(str),
    }, columns=columns)
    return out.sort_values(["year", "basis"]).reset_index(drop=True)


def trade_chart(series: pd.DataFrame | None) -> Chart:
    chart_id, title = "trade", "Kazakhstan–China trade turnover by year, on both statistical bases"
    rows = full_year_turnover(series)
    caption = (f"{TRADE_SELECTION}. {PREFERENCE_RULE} The gap between the bases is the difference in how "
               f"each side records the same trade.")
    if rows.empty:
        return _empty_chart(chart_id, title, "No whole-year turnover figures on the Kazakh-statistics or "
                            "Chinese-customs basis yet.", caption)
    plt = _pyplot()
    years = sorted(rows["year"].unique())
    fig, ax = plt.subplots(figsize=(8.5, 3.8))
    width = 0.38
    bars = {}
    for i, (basis, label) in enumerate(BASES):
        sub = rows[rows["basis"] == basis]
        xs, hs, lo, hi = [], [], [], []
        for r in sub.itertuples():
            bars[(basis, r.year)] = r.usd_bn
            xs.append(years.index(r.year) + (i - 0.5) * width)
            hs.append(r.usd_bn)
            lo.append(max(r.usd_bn - r.low_bn, 0.0))
            hi.append(max(r.high_bn - r.usd_bn, 0.0))
        if xs:
            ax.bar(xs, hs, width, label=label, color=COLORS[basis])
            ax.errorbar(xs, hs, yerr=[lo, hi], fmt="none", ecolor="#333333", elinewidth=1, capsize=3)
            for x, h in zip(xs, hs):
                ax.text(x, h / 2, _num(h), ha="center", va="center", fontsize=7.5, color="white")
    top = max(rows["high_bn"].max(), rows["usd_bn"].max(), 1.0)
    for j, year in enumerate(years):
        kz, cn = bars.get(("kz_statistics", year)), bars.get(("cn_customs", year))
        if kz and cn:
            ax.text(j, max(kz, cn) + top * 0.06, f"gap {(cn - kz) / kz:+.0%}", ha="center", fontsize=8, color="#333333")
    ax.set_xticks(range(len(years)), [str(y) for y in years])
    ax.set_ylim(0, top * 1.2)
    ax.set_ylabel("USD billion")
    ax.set_title(title, loc="left", fontsize=11)
    ax.legend(frameon=False, fontsize=8, loc="upper left")
    ax.spines[["top", "right"]].set_visible(False)
    label = dict(BASES)
    table = [[str(r.year), label.get(r.basis, r.basis), _num(r.usd_bn), f"{_num(r.low_bn)}–{_num(r.high_bn)}",
              str(r.n), r.qualifier, r.id, r.by] for r in rows.itertuples()]
    data = [{"year": int(r.year), "reporter_basis": r.basis, "value": r.usd_bn * 1e9, "low": r.low_bn * 1e9,
             "high": r.high_bn * 1e9, "preferred_trade_id": r.id, "preferred_by": r.by} for r in rows.itertuples()]
    return Chart(chart_id, title, _svg(fig, chart_id), caption,
                 ["year", "basis", "USD billion", "statements' range", "statements", "qualifier", "row",
                  "chosen by"], table, data=data)


# --- meetings ----------------------------------------------------------------------------------

def meetings_chart(frame: pd.DataFrame | None) -> Chart:
    chart_id, title = "meetings", "Meetings per year, by level"
    caption = "meetings rows counted by the year of their date, split by level (national, subnational)."
    if not _has(frame, "date", "level"):
        return _empty_chart(chart_id, title, "The meetings table has no date or level column.", caption)
    f = frame[frame["date"].notna()]
    if f.empty:
        return _empty_chart(chart_id, title, "No dated meetings yet.", caption)
    counts = (pd.DataFrame({"year": f["date"].dt.year.astype(int), "level": f["level"].fillna("unknown").astype(str)})
              .value_counts().unstack(fill_value=0).sort_index())
    years = list(range(int(counts.index.min()), int(counts.index.max()) + 1))
    counts = counts.reindex(years, fill_value=0)
    levels = [lv for lv in ("national", "subnational") if lv in counts.columns] + sorted(
        c for c in counts.columns if c not in ("national", "subnational"))
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(8.5, 3.2))
    bottom = [0] * len(years)
    for lv in levels:
        vals = counts[lv].tolist()
        ax.bar([str(y) for y in years], vals, 0.6, bottom=bottom, label=lv, color=LEVEL_COLORS.get(lv, "#7f7f7f"))
        bottom = [b + v for b, v in zip(bottom, vals)]
    ax.set_ylabel("meetings")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_title(title, loc="left", fontsize=11)
    ax.legend(frameon=False, fontsize=8, loc="upper left")
    ax.spines[["top", "right"]].set_visible(False)
    table = [[str(y)] + [str(int(counts.at[y, lv])) for lv in levels] + [str(int(counts.loc[y].sum()))] for y in years]
    return Chart(chart_id, title, _svg(fig, chart_id), caption, ["year", *levels, "total"], table)


# --- project portfolio statements --------------------------------------------------------------

def portfolio_chart(frame: pd.DataFrame | None) -> Chart:
    chart_id, title = "portfolio", "Project portfolio statements over time"
    caption = ("project_portfolios rows by statement date: the count officials gave (top) and the value "
               "in USD billion (bottom), colour by status, marker by what is counted. Each point is a "
               "statement as made, with its own qualifier; statements about different programmes differ.")
    if not _has(frame, "statement_date", "item_count"):
        return _empty_chart(chart_id, title, "The project_portfolios table has no statement_date or item_count column.", caption)
    f = frame[frame["statement_date"].notna()].copy()
    if f.empty:
        return _empty_chart(chart_id, title, "No dated portfolio statements yet.", caption)
    f["usd_bn"] = float("nan")
    if _has(f, "value", "scale", "unit"):
        usd = (f["unit"] == "USD").fillna(False) & f["value"].notna()
        f.loc[usd, "usd_bn"] = (f.loc[usd, "value"].astype(float)
                                * f.loc[usd, "scale"].map(SCALE).fillna(1e9).astype(float) / 1e9)
    status = f["status"].fillna("unknown").astype(str) if "status" in f.columns else pd.Series("unknown", index=f.index)
    kind = f["item_kind"].fillna("items").astype(str) if "item_kind" in f.columns else pd.Series("items", index=f.index)
    f["_status"], f["_kind"] = status, kind
    f = f.sort_values(["statement_date", "_status", "_kind"], kind="stable")
    statuses = sorted(f["_status"].unique())
    kinds = sorted(f["_kind"].unique())
    plt = _pyplot()
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(8.5, 5.2), sharex=True)
    for si, st in enumerate(statuses):
        for ki, kd in enumerate(kinds):
            sub = f[(f["_status"] == st) & (f["_kind"] == kd)]
            if sub.empty:
                continue
            style = dict(color=STATUS_COLORS[si % len(STATUS_COLORS)], marker=KIND_MARKERS[ki % len(KIND_MARKERS)],
                         linestyle="none", markersize=6, alpha=0.85)
            counted = sub[sub["item_count"].notna()]
            if not counted.empty:
                top.plot(counted["statement_date"], counted["item_count"].astype(float), **style)
            valued = sub[sub["usd_bn"].notna()]
            if not valued.empty:
                bottom.plot(valued["statement_date"], valued["usd_bn"], **style)
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], color=STATUS_COLORS[i % len(STATUS_COLORS)], marker="o", linestyle="none", label=s)
               for i, s in enumerate(statuses)]
    handles += [Line2D([], [], color="#555555", marker=KIND_MARKERS[i % len(KIND_MARKERS)], linestyle="none", label=k)
                for i, k in enumerate(kinds)]
    top.legend(handles=handles, frameon=False, fontsize=7.5, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    top.set_ylabel("count")
    bottom.set_ylabel("USD billion")
    top.set_title(title, loc="left", fontsize=11)
    for ax in (top, bottom):
        ax.spines[["top", "right"]].set_visible(False)
        ax.set_ylim(bottom=0)
    if f["usd_bn"].notna().sum() == 0:
        bottom.text(0.5, 0.5, "no values in USD stated", transform=bottom.transAxes, ha="center", color="#57606a")
    id_col = f.columns[0]
    table = []
    for d in f.to_dict("records"):
        count = "" if pd.isna(d.get("item_count")) else str(int(d["item_count"]))
        cq = d.get("count_qualifier")
        vq = d.get("value_qualifier")
        table.append([d["statement_date"].strftime("%Y-%m-%d"), str(d.get("programme", "") or ""), d["_kind"], d["_status"],
                      count + ("" if pd.isna(cq) or cq in ("exact", None) else f" ({cq})"),
                      _num(d["usd_bn"]) + ("" if pd.isna(d["usd_bn"]) or pd.isna(vq) or vq == "exact" else f" ({vq})"),
                      str(d[id_col])])
    return Chart(chart_id, title, _svg(fig, chart_id), caption,
                 ["stated", "programme", "counts", "status", "count", "USD billion", "row"], table)


def all_charts(frames: dict) -> list[Chart]:
    return [trade_chart(frames.get("trade_series")), meetings_chart(frames.get("meetings")),
            portfolio_chart(frames.get("project_portfolios"))]
