"""Quantities: the claim tracker. Each claimed figure at the day it was made, the period it
covers drawn back from it, one step line per claimant (or its organisation, or its state)."""
from ui import frame

frame.begin("Quantities", charts="basic")  # first: the heading shows while the imports below load

import html

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots

from core.query import claims, hidden, views
from core.query import filters as flt
from ui import data, hidden_note, layout, palette, urlstate, widgets

LEVEL_NAMES = {"claimant": "who said it", "organisation": "their organisation", "state": "their state"}
QUALIFIER_NAMES = {"exact": "exact", "about": "about", "more_than": "more than", "less_than": "less than",
                   "vague": "vague word (estimate)"}
# Claimant colours: keyed by name (claims.stable_colors), so they hold when data is added.
PALETTE = palette.PALETTE  # the one palette: >= 3:1 on white, apart in colour-blind simulations
CHART_LINES = 12  # at most this many step lines drawn (the busiest): more are a tangle, and slow to draw


def hover_cells(points: pd.DataFrame) -> pd.DataFrame:
    """The escaped hover fields of each claim: its id, words, series, claimant, date, covered period,
    article title, outlet, sentence."""
    span = [f"covers {c}" if (c := claims.covers_label(s, e)) else "" for s, e in
            zip(points["span_start"], points["span_end"], strict=True)]
    return pd.DataFrame({
        "quantity_id": points["quantity_id"].astype(str),  # first: a click opens the evidence panel on it
        "label": widgets.hover_text(points["label"], width=70),
        # Who claimed it, and the line it is on when that is their organisation or state.
        "claimant": widgets.plot_text(points["claimant"]) + [
            "" if s == c else f" · on the line of {html.escape(s)}"
            for s, c in zip(points["series_name"], points["claimant"], strict=True)],
        "series": widgets.plot_text(points["series_name"]),
        "made": points["made_label"] + " (" + points["dated_by"].astype(str) + " date)",
        "span": span,
        "title": widgets.hover_text(points["title"], width=70),
        "source": widgets.plot_text(points["source"]),
        "sentence": widgets.hover_text(points["sentence"], width=80),
    })


HOVER = ("<b>%{customdata[1]}</b><br>claimed by %{customdata[2]}<br>made %{customdata[4]}"
         "<br>%{customdata[5]}<br><i>%{customdata[6]}</i> — %{customdata[7]}<br>%{customdata[8]}<extra></extra>")


def claims_chart(points: pd.DataFrame, categories: list[str], *, log_y: bool) -> go.Figure:
    """One panel per category; per series a step line through its claims in the order made,
    markers shaped by qualifier, and the period each claim covers as a faint bar back in time."""
    colors = claims.stable_colors(points["series_name"], list(PALETTE))
    fig = make_subplots(rows=len(categories), cols=1, shared_xaxes=True, vertical_spacing=0.08,
                        subplot_titles=[c.capitalize() for c in categories])
    seen: set[str] = set()
    for row, category in enumerate(categories, start=1):
        in_cat = points[points["category"] == category]
        for name, group in in_cat.groupby("series_name", sort=True):
            color, first = colors[name], name not in seen
            seen.add(name)
            spans = group[group["span_start"].notna()]
            if len(spans):
                xs, ys = [], []
                for s, e, v in zip(spans["span_start"], spans["span_end"], spans["value"], strict=True):
                    xs += [s, e, None]
                    ys += [v, v, None]
                fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", line=dict(color=color, width=7), opacity=0.3,
                                         name=f"{name}: period covered", legendgroup=name, showlegend=False,
                                         hoverinfo="skip", meta="span"), row=row, col=1)
            fig.add_trace(go.Scatter(
                x=group["made"], y=group["value"], mode="lines+markers", line_shape="hv",
                line=dict(color=color, width=1.5, dash="dot"), text=widgets.plot_text(group["label"]),
                marker=dict(symbol=list(group["symbol"]), size=11, color=color, line=dict(width=1, color="white")),
                name=widgets.plot_text(pd.Series([name])).iloc[0], legendgroup=name, showlegend=first,
                customdata=hover_cells(group).to_numpy(), hovertemplate=HOVER, meta="claims"), row=row, col=1)
    for symbol_name, symbol in claims.QUALIFIER_SYMBOLS.items():  # the marker key, once
        if symbol in set(points["symbol"]):
            fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=QUALIFIER_NAMES[symbol_name],
                                     marker=dict(symbol=symbol, color="#555", size=10), legendgroup="qualifier",
                                     legendgrouptitle_text="qualifier", meta="key"), row=1, col=1)
    lo = points[["made", "span_start"]].min().min()
    hi = points["made"].max()
    pad = max((hi - lo) * 0.08, pd.Timedelta(days=30))
    fig.update_xaxes(range=[lo - pad, hi + pad])
    fig.update_yaxes(type="log" if log_y else "linear", rangemode=None if log_y else "tozero")
    fig.update_layout(height=max(340, 300 * len(categories)), legend_title_text="", hoverlabel=dict(align="left"))
    return fig


view = layout.start("Quantities")
st.caption("Each claim sits at the day it was made (the day its sentence gives, else its article's publication "
           "day); a faint bar runs back over the period it covers (“since last year”). One step line per claimant; "
           "the marker's shape is the qualifier. Labels are the article's own words, with our estimate after "
           "words that hold no number.")
series = view.query("quantity_series")
if series.empty:
    info, _ = hidden.hidden_rows(series, hidden_note.relaxed_rows(view, "quantity_series"),
                                 key="quantity_id", when="when", filters=view.filters, noun="claim")
    if info.any():
        hidden_note.explain_empty(view, info)
    else:
        widgets.empty_notice("figures", view.filters)
    st.stop()
actors = data.page_query("actor_info", view.store_path, view.version, flt.Filters(), ())
groups = claims.claimant_groups(series["claimant"], actors)
# Offered from the claims without the date range, so the choice holds when the dates widen.
relaxed = hidden_note.relaxed_rows(view, "quantity_series")
categories = sorted(set(series["category"].dropna()) | set(relaxed["category"].dropna()))
default = [c for c in views.HEADLINE_CATEGORIES if c in categories] or categories[:1]
left, mid, right = st.columns([4, 4, 1], vertical_alignment="bottom")
chosen = left.multiselect("Categories", categories, default=default, **urlstate.bound("quantities_categories"))
level = mid.segmented_control("One line per", list(claims.LEVELS), default="claimant",
                              **urlstate.bound("quantities_level"),
                              format_func=LEVEL_NAMES.get,
                              help="A spokesman's claims join his ministry's, then his state's")
log_y = right.toggle("Log scale", value=False, **urlstate.bound("quantities_log"))
points = claims.claim_points(series[series["category"].isin(chosen)], groups, level or "claimant")
if points.empty:
    st.info("No dated figures in these categories.")
else:
    drawn = claims.chart_claims(points, most=widgets.CHART_MAX, lines=CHART_LINES)
    widgets.plot(claims_chart(drawn, [c for c in chosen if c in set(drawn["category"])], log_y=log_y),
                 key="quantities_chart", opens=("quantities", points, "quantity_id"))
    n_lines = drawn["series_name"].nunique()
    widgets.capped_note(len(drawn), len(points), f"claims (on the {n_lines:,} lines with most claims)"
                        if n_lines < points["series_name"].nunique() else "claims", "most recent")
hidden_note.hidden_note(view, "quantity_series", series, key="quantity_id", when="when", noun="claim",
                        widget_key="quantities_hidden", columns=["when", "category", "label", "claimant", "sentence"])

# The table follows the chart: its categories, its grouping, its dates.
table = claims.claims_table(points)
st.header(f"{len(table):,} claims" + (f" of {len(series):,} figures" if len(table) != len(series) else ""))
group_column = [] if (level or "claimant") == "claimant" else [LEVEL_NAMES[level or "claimant"]]
listed = widgets.page_of(table, key="quantities_table_page", noun="claims")
widgets.evidence_table(listed.rename(columns={"series_name": LEVEL_NAMES[level or "claimant"], "made_label": "made",
                                             "made": "made_on", "source": "outlet"}),
                       key="quantities_table", filters=view.filters, table="quantities",
                       columns=["made", "category", "label", *group_column, "claimant", "covers", "outlet",
                                "title", "sentence"])
