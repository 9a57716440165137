"""The news dashboard: `streamlit run dashboard.py`. This script is the Overview page (corpus
size and span, headline figures, most active actors, latest events); the other pages are the
files of pages/. Every page starts with `ui.layout.start`, which draws the shared frame."""
import plotly.express as px
import streamlit as st

from core.query import views
from ui import data, layout, palette, plain, widgets

HEADLINE_TITLES = {"container": "Containers", "missile": "Missiles", "munition": "Shells / rounds"}


def headline_card(col, row) -> None:
    """One headline figure: the latest claim, who made it and when, with its sentence."""
    with col.container(border=True):
        st.metric(HEADLINE_TITLES.get(row["category"], row["category"]),
                  views.short_figure(row["value"], row["qualifier"]),
                  help="The most recent claimed figure of this kind in the filtered corpus.")
        st.markdown(f"**{row['label']}**")  # our words for a number (views.figure_label), not article text
        st.caption(plain.md(f"claimed by {row['claimant']} · {row['when']:%d %b %Y} ({row['dated_by']} date)"))
        if st.button("Open source article ›", key=f"overview_headline_{row['category']}"):
            widgets.open_article(row["article_id"])


def actors_chart(active):
    """The most active actors as horizontal bars (names escaped: plotly reads HTML in labels)."""
    fig = px.bar(active.iloc[::-1].assign(name=widgets.plot_text(active["name"])), x="n_stories", y="name",
                 color="type", orientation="h", hover_data=["country", "n_events", "n_articles"],
                 labels={"n_stories": "stories", "name": ""},
                 color_discrete_map=palette.ACTOR_TYPE_COLORS, pattern_shape="type",
                 pattern_shape_map=palette.ACTOR_TYPE_PATTERNS)
    fig.update_layout(height=360, legend_title_text="", yaxis=dict(categoryorder="total ascending"))
    return widgets.styled(fig)


def overview_content(view: data.View) -> dict:
    """What the Overview draws for `view`: corpus summaries (filtered and whole), headline
    figures, the active-actors chart (None when no actor) and the latest events."""
    active = view.query("active_actors", n=10)
    return {"summary": view.query("summary"), "summary_all": view.query("summary", filtered=False),
            "heads": view.query("headline_figures"),
            "actors_chart": None if active.empty else actors_chart(active), "active": active,
            "latest": view.query("latest_events", n=10)}


def overview(view: data.View) -> None:
    """The Overview page for `view`: corpus size and span, headline figures, active actors, latest events."""
    # Computed once per store version and filters for every visitor (the server's main cost per page load).
    content = data.per_view(overview_content, view)
    s, s_all = content["summary"], content["summary_all"]
    st.title("Russia – North Korea: news overview")
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
            widgets.plot(content["actors_chart"], key="overview_actors_chart", style=False)
            widgets.chart_data(content["active"], key="overview_actors_data", label="These actors as a table")
    with right:
        st.header("Latest events")
        latest = content["latest"]
        if latest.empty:
            widgets.empty_notice("dated events", view.filters)
        else:
            widgets.evidence_table(latest, key="overview_latest", filters=view.filters, table="events",
                                   columns=["date", "type", "status", "actors", "sentence", "sources"])


overview(layout.start("Overview"))
