"""The frame every page shares after its heading: the re-analyse notice, the sidebar filters
and their counts, saved views and the evidence panel.

The dashboard is Streamlit's folder-based multipage app: `dashboard.py` is the Overview and
each file of `pages/` is one more page. Every page script starts with `ui.frame.begin(title)`
(tab title, page links, heading) and then `start(title)`, so a page opened from a bookmark
draws the same frame as one reached by a link, and no page relies on another having run.
"""
from __future__ import annotations

import streamlit as st

from ui import data, evidence, review, sidebar, widgets
from ui.frame import url_path


def start(title: str, *, keeps_article: bool = False) -> data.View:
    """Draw the shared frame for the page `title` and return the corpus view its filters select.

    `keeps_article` is for the Articles page: elsewhere the chosen article's URL parameter is
    dropped, so a shared link does not carry a stale article along.
    """
    data.offer_reanalyse()
    options, store_path, _ = data.corpus()
    filters = sidebar.render(options, title)
    view = data.current_view(filters)
    sidebar.render_counts(view.query("count_events"), view.query("count_events", filtered=False), filters)
    sidebar.render_saved_views(store_path, url_path(title), filters)
    if not keeps_article:
        st.query_params.pop(widgets.ARTICLE_PARAM, None)
    # The evidence panel (a drawer over the right of the page) when a row was clicked.
    evidence.open_from_url(view.rows)
    evidence.panel(view.rows, review.controls)
    return view
