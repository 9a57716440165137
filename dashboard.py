"""The news dashboard: `streamlit run dashboard.py`. This script is the Overview page (corpus
size and span, headline figures, most active actors, latest events); the other pages are the
files of pages/. Every page starts with `ui.frame.begin` (its heading, drawn before the heavy imports) and
`ui.layout.start` (the shared frame)."""
from ui import frame

# First: the heading shows while the imports below load.
frame.begin("Overview", "Russia – North Korea: news overview", charts="basic")

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from core.query import views
from ui import data, evidence, layout, palette, plain, widgets

HEADLINE_TITLES = {"container": "Containers", "missile": "Missiles", "munition": "Shells / rounds"}


def headline_card(col, row) -> None:
    """One headline figure: the latest claim, who made it and when, with its sentence."""
    with col.container(border=True):
        st.metric(HEADLINE_TITLES.get(row["category"], row["category"]),
                  views.short_figure(row["value"], row["qualifier"]),
                  help="The most recent claimed figure of this kind in the filtered corpus.")
        st.markdown(f"**{plain.md(row['label'])}**")  # the article's words (views.claim_label): escaped
        made = views.when_label(row["when"], row["when_precision"])
        spans = pd.notna(row["since"]) and row["since"] < row["when"]
        covers = f" · covers since {row['since']:%b %Y}" if spans else ""
        st.caption(plain.md(f"claimed by {row['claimant']} · made {made} ({row['dated_by']} date){covers}"))
        st.button("Show the sentence ›", key=f"overview_headline_{row['category']}", on_click=evidence.show,
                  args=("quantities", [row["quantity_id"]]), help="Open the article at the sentence that gives it")


def actors_chart(active):
    """The most active actors as horizontal bars, one trace per actor type (names escaped:
    plotly reads HTML in labels). graph_objects, not plotly.express: importing express cost a
    cold server's first Overview a tenth of a second or more."""
    rows = active.iloc[::-1].assign(name=widgets.plot_text(active["name"]))
    fig = go.Figure(layout=dict(height=360, barmode="relative", legend=dict(title_text="", tracegroupgap=0),
                                xaxis_title_text="stories", yaxis=dict(title_text="", categoryorder="total ascending")))
    for type_, group in rows.groupby("type", sort=False):  # legend in order of appearance, as before
        label = widgets.plot_text(pd.Series([type_])).iloc[0]
        # customdata[0] is the (escaped) name, so a click opens the actor's events.
        fig.add_trace(go.Bar(
            x=group["n_stories"], y=group["name"], orientation="h", name=label, legendgroup=label,
            marker=dict(color=palette.ACTOR_TYPE_COLORS.get(type_, palette.MUTED),
                        pattern_shape=palette.ACTOR_TYPE_PATTERNS.get(type_, "")),
            customdata=np.c_[group["name"], widgets.plot_cells(group[["country", "n_events", "n_articles"]])],
            hovertemplate=f"<b>%{{y}}</b> ({label}, %{{customdata[1]}})<br>%{{x}} stories, "
                          "%{customdata[2]} events in %{customdata[3]} articles<extra></extra>"))
    return widgets.styled(fig)


def actor_events(view: data.View):
    """A chart-selection resolver: the ids of the filtered events of the clicked actors (the
    chart's points carry the escaped names)."""
    def resolve(labels: list) -> list[str]:
        shown = view.shown
        actors = shown["event_actors"]["actor"].drop_duplicates()
        names = actors[widgets.plot_text(actors).isin([str(v) for v in labels])]
        return [e for name in names
                for e in views.actor_events(shown["events"], shown["event_actors"], name)["event_id"]]
    return resolve


def review_line(counts) -> str:
    """How much of the (filtered) corpus analysts have reviewed, in words."""
    words = {"events": "events", "quantities": "figures"}
    parts = [f"{int(r.n_reviewed):,} of {int(r.total):,} {words.get(r.table, r.table)} ({r.share:.0%})"
             for r in counts.itertuples() if r.total]
    detail = [f"{int(counts[k].sum()):,} {k}" for k in ("corrected", "added", "reviewed") if int(counts[k].sum())]
    line = "Reviewed by an analyst: " + ("; ".join(parts) if parts else "nothing to review")
    return line + (f" ({', '.join(detail)})" if detail else "") + ". Correct any row from its evidence panel."


def overview_content(view: data.View) -> dict:
    """What the Overview draws for `view`: corpus summaries (filtered and whole), headline
    figures, the active-actors chart (None when no actor) and the latest events."""
    active = view.query("active_actors", n=10)
    return {"summary": view.query("summary"), "summary_all": view.query("summary", filtered=False),
            "heads": view.query("headline_figures"),
            "actors_chart": None if active.empty else actors_chart(active), "active": active,
            "latest": view.query("latest_events", n=10), "review": view.query("review_counts")}


def overview(view: data.View) -> None:
    """The Overview page for `view`: corpus size and span, headline figures, active actors, latest events."""
    # Computed once per store version and filters for every visitor (the server's main cost per page load).
    content = data.per_view(overview_content, view)
    s, s_all = content["summary"], content["summary_all"]
    first, last = s["published"]
    st.caption(f"Corpus: {s_all['n_articles']} articles from {s_all['n_sources']} outlets, "
               f"published {first or '?'} to {last or '?'} (as filtered) · store version {view.version}")
    c = st.columns(5)
    c[0].metric("Articles", f"{s['n_articles']:,}", help=f"of {s_all['n_articles']:,} in the corpus")
    c[1].metric("Outlets", f"{s['n_sources']:,}")
    c[2].metric("Stories", f"{s['n_stories']:,}",
                help=f"{s['n_events']:,} event mentions; a story reported by several articles counts once")
    c[3].metric("Actors", f"{s['n_actors']:,}")
    c[4].metric("Figures", f"{s['n_quantities']:,}", help="Claimed quantities (containers, missiles, shells, …)")
    st.caption(review_line(content["review"]))

    st.header("Headline figures")
    heads = content["heads"]
    if heads.empty:
        widgets.empty_notice("dated figures on containers, missiles or shells", view.filters)
    else:
        cols = st.columns(len(views.HEADLINE_CATEGORIES))
        for col, (_, row) in zip(cols, heads.iterrows(), strict=False):
            headline_card(col, row)

    left, right = st.columns([2, 3])
    with left:
        st.header("Most active actors")
        if content["actors_chart"] is None:
            widgets.empty_notice("actors", view.filters)
        else:
            widgets.plot(content["actors_chart"], key="overview_actors_chart", style=False,
                         opens=("events", actor_events(view)))
            widgets.chart_data(content["active"], key="overview_actors_data", label="These actors as a table")
    with right:
        st.header("Latest events")
        latest = content["latest"]
        if latest.empty:
            widgets.empty_notice("dated events", view.filters)
        else:
            widgets.evidence_table(widgets.listed(latest, "actors"), key="overview_latest", filters=view.filters,
                                   table="events",
                                   columns=["date", "type", "status", "actors", "sentence", "sources"])


overview(layout.start("Overview"))
