"""Quantities: the claimed figures, over time, by claimant and category."""
import pandas as pd
import plotly.express as px
import streamlit as st

from core.query import views
from ui import layout, widgets

view = layout.start("Quantities")
st.title("Quantities")
st.caption("Each point is a figure an article reports (containers shipped, missiles fired, …), at the date the "
           "sentence gives or, failing that, the article's publication date. Labels keep the qualifier "
           "(“more than”, “about”) so growing claims can be read with their caveats.")
series = view.query("quantity_series")
if series.empty:
    widgets.empty_notice("figures", view.filters)
    st.stop()
categories = sorted(series["category"].dropna().unique())
default = [c for c in views.HEADLINE_CATEGORIES if c in categories] or categories[:1]
chosen = st.multiselect("Categories", categories, default=default, key="quantities_categories")
log_y = st.toggle("Logarithmic scale", value=False, key="quantities_log")
plotted = series[series["category"].isin(chosen) & series["when"].notna()]
plotted = plotted.assign(text=widgets.hover_text(plotted["text"]),
                         claimant=widgets.hover_text(plotted["claimant"], width=60),
                         qualifier=plotted["qualifier"].map(views.QUALIFIER_WORDS).replace("", "exact").fillna("exact"))
if plotted.empty:
    st.info("No dated figures in these categories.")
else:
    fig = px.line(plotted, x="when", y="value", color="claimant", facet_row="category", markers=True, text="label",
                  symbol="qualifier", log_y=log_y, hover_name="label",
                  hover_data={"claimant": True, "dated_by": True, "text": True, "when": "|%d %b %Y", "value": False,
                              "label": False, "qualifier": False, "category": False},
                  labels={"when": "date", "value": "", "dated_by": "date from"},
                  color_discrete_sequence=px.colors.qualitative.Safe)
    fig.update_traces(textposition="top center", line=dict(dash="dot", width=1))
    fig.update_traces(cliponaxis=False, selector=dict(type="scatter"))  # many points are drawn as scattergl, without it
    pad = max((plotted["when"].max() - plotted["when"].min()) * 0.12, pd.Timedelta(days=45))
    fig.update_xaxes(range=[plotted["when"].min() - pad, plotted["when"].max() + pad])
    fig.update_yaxes(matches=None, rangemode="tozero" if not log_y else None)
    fig.for_each_annotation(lambda a: a.update(text=a.text.split("=")[-1]))
    fig.update_layout(height=max(320, 260 * len(chosen)), legend_title_text="claimant")
    widgets.plot(fig, key="quantities_chart")

st.header(f"{len(series):,} figures")
widgets.evidence_table(series, key="quantities_table", filters=view.filters, table="quantities",
                       columns=["when", "category", "label", "item", "claimant", "dated_by", "sentence"])
