"""Articles: the list, and one article's cleaned text with what was extracted highlighted."""
from ui import frame

frame.begin("Articles")  # first: the heading shows while the imports below load

import streamlit as st

from core.query import views
from ui import article_view, evidence, layout, plain, widgets

view = layout.start("Articles", keeps_article=True)
articles = view.shown["articles"].sort_values("published", ascending=False, na_position="last")
listing = articles[["published", "title", "source", "n_words", "file", "article_id"]]
listing = listing.assign(**{c: listing[c].fillna("") for c in ("published", "title", "source", "file")})  # not "None"
st.caption(f"{len(articles):,} of {len(view.tables['articles']):,} articles match the filters. "
           "Choose one below, or follow an “open ›” link from any other page.")
st.dataframe(listing, hide_index=True, width="stretch", key="articles_list",
             column_config=widgets.column_config(listing, "articles"))

every = view.tables["articles"].set_index("article_id")
# Matching articles first, then the rest (so an "open ›" link to a filtered-out article still
# opens it); one set, built once: a set per id made this quadratic in the corpus size.
matching = set(articles["article_id"])
ids = list(articles["article_id"]) + [a for a in every.index if a not in matching]
wanted = st.query_params.get(widgets.ARTICLE_PARAM)
if wanted in every.index and st.session_state.get("articles_from_url") != wanted:
    st.session_state[widgets.ARTICLE_KEY] = wanted
    st.session_state["articles_from_url"] = wanted
if not ids:
    widgets.empty_notice("articles", view.filters)
    st.stop()


# `published · title · source` of every article, for the chooser (plain text), built in one
# pass: a row lookup per option costs seconds on a large corpus.
labels = {a: " · ".join(p for p in parts if isinstance(p, str) and p)
          for a, *parts in zip(every.index, every["published"], every["title"], every["source"], strict=True)}
chosen = st.selectbox("Article", ids, key=widgets.ARTICLE_KEY, format_func=labels.__getitem__)
st.query_params[widgets.ARTICLE_PARAM] = chosen
row = every.loc[chosen]
text = row["text"] if isinstance(row["text"], str) else ""

# Title, outlet and file name come from outside: shown as text, never as Markdown.
plain.heading(row["title"] if isinstance(row["title"], str) else chosen)
meta = [f"source: {row['source']}" if isinstance(row["source"], str) else None,
        f"published: {row['published']} ({row['published_precision']})" if isinstance(row["published"], str)
        else "publication date unknown",
        f"{row['n_words']} words", f"file: {row['file']}", f"id: {chosen}"]
plain.caption(" · ".join(m for m in meta if m))
if isinstance(row["url"], str) and row["url"].startswith(("http://", "https://")):
    st.link_button("Original page", row["url"])

stripped = views.stripped_segments(row["segments"], text)
show_stripped = st.toggle("Show stripped parts in place (greyed)", value=False, key="articles_show_stripped")
st.caption("Click an event or a figure in the text to review it beside the article.")
article_view.render(text, views.article_spans(chosen, text, view.tables), stripped, show_stripped=show_stripped,
                    links=evidence.highlight_links(chosen, view.tables))

st.header("Stripped as boilerplate", anchor=False)
if stripped.empty:
    st.caption("Nothing was stripped from this article.")
else:
    st.dataframe(stripped[["kind", "reason", "text"]], hide_index=True, width="stretch", key="articles_stripped")

ev = view.tables["events"][view.tables["events"]["article_id"] == chosen]
qs = view.tables["quantities"][view.tables["quantities"]["article_id"] == chosen]
st.header(f"Extracted from this article: {len(ev)} events, {len(qs)} figures", anchor=False)
st.dataframe(ev[["date", "type", "status", "actors", "trigger", "sentence"]], hide_index=True, width="stretch",
             key="articles_events", column_config=widgets.column_config(ev, "events"), selection_mode="single-row",
             on_select=evidence.on_table_select("articles_events", ev.reset_index(drop=True), "events"))
st.dataframe(qs[["text", "value", "qualifier", "unit", "category", "claimant", "date"]], hide_index=True,
             width="stretch", key="articles_quantities", column_config=widgets.column_config(qs, "quantities"),
             selection_mode="single-row",
             on_select=evidence.on_table_select("articles_quantities", qs.reset_index(drop=True), "quantities"))
