"""Timeline: stories over time, coloured by type, one row per type or per actor."""
import plotly.express as px
import streamlit as st

from core.query import views
from ui import layout, widgets


def draw_timeline(points):
    """The story scatter: x date, y row, colour type, marker by status."""
    points = points.assign(sentence_wrapped=widgets.hover_text(points["sentence"]),
                           title=widgets.hover_text(points["title"]),
                           sources=widgets.hover_text(points["sources"]), row=widgets.plot_text(points["row"]))
    fig = px.scatter(
        points, x="when", y="row", color="type", symbol="status", symbol_map=widgets.STATUS_SYMBOLS,
        hover_name="title", custom_data=["story_id"],
        hover_data={"when": "|%d %b %Y", "status": True, "sources": True, "n_articles": True,
                    "sentence_wrapped": True, "row": False, "type": False},
        labels={"when": "date", "row": "", "sentence_wrapped": "sentence", "n_articles": "articles"},
        color_discrete_map=widgets.TYPE_COLORS, category_orders={"status": list(views.STATUS_ORDER)},
    )
    fig.update_traces(marker=dict(size=13, line=dict(width=1.5)))
    fig.update_layout(height=max(320, 46 * points["row"].nunique() + 140), legend_title_text="",
                      hoverlabel=dict(align="left"))
    if focus := views.focus_range(points["when"]):
        fig.update_xaxes(range=list(focus))
        st.caption("Zoomed on most events; double-click the chart to see all dates.")
    widgets.plot(fig, key="timeline_chart")


def draw_per_month(per_month, dates):
    """Event mentions per month (views.events_per_period), stacked by type; opens on the
    range the story `dates` focus on."""
    if per_month.empty:
        return
    bars = px.bar(per_month, x="period", y="n_events", color="type", labels={"period": "month", "n_events": "events"},
                  color_discrete_map=widgets.TYPE_COLORS)
    bars.update_layout(height=220, showlegend=False, title="Event mentions per month")
    if focus := views.focus_range(dates):
        bars.update_xaxes(range=list(focus))
    widgets.plot(bars, key="timeline_month_chart")


view = layout.start("Timeline")
st.title("Timeline")
st.caption("Each point is a story: events that several articles report appear once, with their sources. "
           "Hollow markers are planned events; crosses are denied.")
by = st.segmented_control("One row per", ["type", "actor"], default="type", key="timeline_rows")
story_rows = view.query("stories")
points = views.timeline_points(story_rows, by=by or "type")
if points.empty:
    widgets.empty_notice("dated events", view.filters)
else:
    draw_timeline(points)
    draw_per_month(view.query("events_per_month"), story_rows["date"])

st.header(f"{len(story_rows):,} stories")
widgets.evidence_table(story_rows, key="timeline_stories", filters=view.filters, table="events",
                       columns=["date", "date_precision", "type", "status", "actors", "location", "sentence",
                                "sources", "n_articles"])
