"""Articles: the list, and one article's cleaned text with what was extracted highlighted."""
from ui import frame

frame.begin("Articles")  # first: the heading shows while the imports below load

import pandas as pd
import streamlit as st

from core.query import sql, views
from ui import article_view, evidence, layout, plain, widgets

view = layout.start("Articles", keeps_article=True)
n_listed = view.query("count_articles")
st.caption(f"{n_listed:,} of {view.query('count_articles', filtered=False):,} articles match the filters. "
           "Choose one below, or follow an “open ›” link from any other page.")
# A page of the list at a time, from SQL: a corpus of 50,000 articles is never read whole.
first = widgets.page_start(n_listed, key="articles_page", noun="articles")
listing = view.query("article_listing", offset=first, limit=widgets.PAGE_ROWS)
listing = listing.assign(**{c: listing[c].fillna("") for c in ("published", "title", "source", "file")})  # not "None"
st.dataframe(listing, hide_index=True, width="stretch", key="articles_list",
             column_config=widgets.column_config(listing, "articles"))

wanted = st.query_params.get(widgets.ARTICLE_PARAM)
if wanted and st.session_state.get("articles_from_url") != wanted \
        and len(view.rows("articles", "article_id", [wanted])):
    st.session_state[widgets.ARTICLE_KEY] = wanted
    st.session_state["articles_from_url"] = wanted
# The listed articles, then the one already chosen when it is not listed (a link to a
# filtered-out article, a choice made on another page of the list) so the choice stays.
ids = list(listing["article_id"])
held = st.session_state.get(widgets.ARTICLE_KEY)
extra = view.rows("articles", "article_id", [held]) if isinstance(held, str) and held not in set(ids) else None
if extra is not None and len(extra):
    ids.append(held)
if not ids:
    widgets.empty_notice("articles", view.filters)
    st.stop()
if held in ids:  # set again: a chooser with other options is a new widget, which would start at its first
    st.session_state[widgets.ARTICLE_KEY] = held


# `published · title · source` of each choice (plain text).
shown = listing if extra is None else pd.concat([listing, extra[list(sql.LISTED)]], ignore_index=True)
labels = {a: " · ".join(p for p in parts if isinstance(p, str) and p)
          for a, *parts in zip(shown["article_id"], shown["published"], shown["title"], shown["source"], strict=True)}
chosen = st.selectbox("Article", ids, key=widgets.ARTICLE_KEY, format_func=labels.__getitem__)
st.query_params[widgets.ARTICLE_PARAM] = chosen
# The URL now names the chosen article: only another one there later is a new request (else the
# next run took this one for a link and undid the analyst's first choice).
st.session_state["articles_from_url"] = chosen
# The chosen article's own rows, read alone.
tables = {name: view.rows(name, "article_id", [chosen]) for name in ("articles", "mentions", "events", "quantities")}
row = tables["articles"].iloc[0]
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
article_view.render(text, views.article_spans(chosen, text, tables), stripped, show_stripped=show_stripped,
                    links=evidence.highlight_links(chosen, tables))

st.header("Stripped as boilerplate", anchor=False)
if stripped.empty:
    st.caption("Nothing was stripped from this article.")
else:
    st.dataframe(stripped[["kind", "reason", "text"]], hide_index=True, width="stretch", key="articles_stripped")

ev, qs = tables["events"], tables["quantities"]
st.header(f"Extracted from this article: {len(ev)} events, {len(qs)} figures", anchor=False)
st.dataframe(ev[["date", "type", "status", "actors", "trigger", "sentence"]], hide_index=True, width="stretch",
             key="articles_events", column_config=widgets.column_config(ev, "events"), selection_mode="single-row",
             on_select=evidence.on_table_select("articles_events", ev.reset_index(drop=True), "events"))
st.dataframe(qs[["text", "value", "qualifier", "unit", "category", "claimant", "date"]], hide_index=True,
             width="stretch", key="articles_quantities", column_config=widgets.column_config(qs, "quantities"),
             selection_mode="single-row",
             on_select=evidence.on_table_select("articles_quantities", qs.reset_index(drop=True), "quantities"))
