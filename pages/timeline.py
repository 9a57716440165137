"""Timeline: stories over time, coloured by type, one row per type or per actor. A date known
only to the month or year is drawn as a bar of that width, a period as a bar from its start to
its end; the marker in its middle carries the type and status, the hover says how much of the
date is known."""
from ui import frame

frame.begin("Timeline", charts="basic")  # first: the heading shows while the imports below load

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from core.query import hidden, views
from ui import evidence, hidden_note, layout, urlstate, widgets

# Bar thickness by what a bar stands for: a year under a month stays visible, both under a day's marker.
BAR_WIDTH = {"year": 6, "period": 9, "month": 14}


def with_positions(points: pd.DataFrame) -> pd.DataFrame:
    """`points` with `mid`, where the marker sits: the day, or the middle of a month, year or
    period (the bar under it shows the whole width)."""
    return points.assign(mid=points["start"] + (points["end"] - points["start"]) / 2)


def period_bars(points: pd.DataFrame) -> list:
    """One trace per type of the month-, year- and period-wide bars (drawn behind the markers)."""
    wide = points[points["kind"].isin(["month", "year", "period"])]
    traces = []
    for (kind, type_), group in wide.groupby(["kind", "type"], sort=True):
        xs, ys = [], []
        for s, e, r in zip(group["start"], group["end"], group["row"], strict=True):
            xs += [s, e, None]
            ys += [r, r, None]
        line = dict(width=BAR_WIDTH[kind], color=widgets.TYPE_COLORS.get(type_, "#888"))
        traces.append(go.Scatter(x=xs, y=ys, mode="lines", line=line, opacity=0.35, hoverinfo="skip",
                                 showlegend=False, name=f"{type_}: {kind} range", meta="span"))
    return traces


def draw_timeline(points):
    """The story scatter: x date, y row, colour type, marker by status; bars for imprecise dates."""
    points = with_positions(points).assign(
        sentence_wrapped=widgets.hover_text(points["sentence"]), title=widgets.hover_text(points["title"]),
        sources=widgets.hover_text(points["sources"]), row=widgets.plot_text(points["row"]))
    fig = px.scatter(
        points, x="mid", y="row", color="type", symbol="status", symbol_map=widgets.STATUS_SYMBOLS,
        hover_name="title", custom_data=["story_id"],
        hover_data={"when_label": True, "status": True, "sources": True, "n_articles": True,
                    "sentence_wrapped": True, "row": False, "type": False, "mid": False},
        labels={"when_label": "date", "row": "", "sentence_wrapped": "sentence", "n_articles": "articles"},
        color_discrete_map=widgets.TYPE_COLORS, category_orders={"status": list(views.STATUS_ORDER)},
    )
    fig.update_traces(marker=dict(size=13, line=dict(width=1.5)))
    fig = go.Figure(data=[*period_bars(points), *fig.data], layout=fig.layout)  # bars under the markers
    fig.update_layout(height=max(320, 46 * points["row"].nunique() + 140), legend_title_text="",
                      hoverlabel=dict(align="left"), xaxis_title="date")
    if focus := views.focus_range(points["start"]):
        fig.update_xaxes(range=list(focus))
        st.caption("Zoomed on most events; double-click the chart to see all dates.")
    widgets.plot(fig, key="timeline_chart", opens=("events", points, "story_id"))
    if (points["kind"] != "day").any():
        st.caption("Bars: events known only to the month or year, and periods (“since last September”).")


def draw_per_month(dates, filters):
    """Stories per month, stacked by type, within the chosen dates; year-only stories are
    counted apart (a month bar would place them in January). `dates`: the stories per date,
    precision and type (views.timeline_parts' "dates")."""
    per_month, year_only = views.stories_per_month(dates, filters.date_from, filters.date_to)
    if per_month.empty:
        return
    bars = px.bar(per_month.assign(bar=evidence.month_key(per_month["period"], per_month["type"])), x="period",
                  y="n_stories", color="type", color_discrete_map=widgets.TYPE_COLORS, custom_data=["bar"],
                  labels={"period": "month", "n_stories": "stories"})
    bars.update_layout(height=240, legend_title_text="", title="Stories per month")
    if filters.date_from or filters.date_to:
        lo = pd.Timestamp(filters.date_from) if filters.date_from else per_month["period"].min()
        hi = pd.Timestamp(filters.date_to) if filters.date_to else per_month["period"].max() + pd.offsets.MonthEnd(1)
        bars.update_xaxes(range=[lo, hi])
    elif focus := views.focus_range(dates["when"], counts=dates["n_stories"]):
        bars.update_xaxes(range=list(focus))
    widgets.plot(bars, key="timeline_month_chart",
                 opens=("events", evidence.events_in_months(lambda: view.shown["events"])))
    widgets.chart_data(per_month.assign(month=per_month["period"].dt.strftime("%Y-%m"))[["month", "type", "n_stories"]],
                       key="timeline_month_data", label="Stories per month as a table")
    if year_only:
        verb = "is" if year_only == 1 else "are"
        st.caption(f"{year_only:,} {hidden.plural('event', year_only)} known only to the year {verb} not in the "
                   "monthly bars (a month bar would put a year-only date in January).")


view = layout.start("Timeline")
st.caption("Each point is a story: events that several articles report appear once, with their sources. "
           "Hollow markers are planned events; crosses are denied.")
by = st.segmented_control("One row per", ["type", "actor"], default="type", **urlstate.bound("timeline_rows"))
# Only what the page shows comes from SQL: the chart's stories (the largest: most articles, then
# the latest), the table's first page, and per date the stories counted (the notes, the bars).
parts = views.timeline_parts(view.query("timeline", n=widgets.CHART_MAX, limit=widgets.PAGE_ROWS))
dates = parts["dates"]
n_stories = int(dates["n_stories"].sum())
drawn = parts["chart"]
points = views.timeline_points(drawn, by=by or "type")
info = hidden.hidden_counts(dates, parts["relaxed"], filters=view.filters, noun="event")
if not n_stories:
    if info.any():
        hidden_note.explain_empty(view, info)
    else:
        widgets.empty_notice("events", view.filters)
elif points.empty:
    widgets.empty_notice("dated events", view.filters)
else:
    draw_timeline(points)
    widgets.capped_note(len(drawn), int(dates.loc[dates["when"].notna(), "n_stories"].sum()), "dated stories",
                        "largest")
    draw_per_month(dates, view.filters)
hidden_note.counted_note(info, lambda first, rows: view.query("hidden_stories", offset=first, limit=rows),
                         noun="event", widget_key="timeline_hidden",
                         columns=["date", "date_precision", "type", "status", "actors", "sentence", "sources"])

st.header(f"{n_stories:,} stories")
first = widgets.page_start(n_stories, key="timeline_stories_page", noun="stories", rows=widgets.PAGE_ROWS)
# The first page came with the chart; another is read alone.
listed = parts["page"] if first == 0 else view.query("story_page", offset=first, limit=widgets.PAGE_ROWS)
# `when` says how much of the date is known ("2023 (year only)"); `date` stays for sorting.
extents = views.time_extents(listed["date"], listed["date_precision"], listed.get("date_end"))
widgets.evidence_table(listed.assign(when=extents["when_label"].where(extents["when_label"] != "", "undated")),
                       key="timeline_stories", filters=view.filters, table="events",
                       columns=["when", "type", "status", "actors", "location", "sentence", "sources", "n_articles",
                                "date"])
