"""The frame every page shares: its tab title, the page links, the re-analyse notice and the
sidebar filters.

The dashboard is Streamlit's folder-based multipage app: `dashboard.py` is the Overview and
each file of `pages/` is one more page. Every page script starts with `start(title)`, so a
page opened from a bookmark draws the same frame as one reached by a link, and no page relies
on another having run. The links are drawn here (`st.page_link`, with Streamlit's own list
hidden in .streamlit/config.toml) so they keep their order, names and icons.
"""
from __future__ import annotations

from pathlib import Path

import streamlit as st
import streamlit.delta_generator

from ui import data, evidence, review, sidebar, widgets

FAVICON = Path(__file__).resolve().parents[1] / "static" / "favicon.png"
# Focus ring and date box width. Streamlit draws its own "Skip to main content" link, the
# first stop of the Tab key.
STYLESHEET = Path(__file__).with_name("layout.css")
APP_NAME = "Russia–DPRK news"
PAGES = (
    ("dashboard.py", "Overview", ":material/dashboard:"),
    ("pages/timeline.py", "Timeline", ":material/timeline:"),
    ("pages/map.py", "Map", ":material/public:"),
    ("pages/actors.py", "Actors", ":material/groups:"),
    ("pages/quantities.py", "Quantities", ":material/monitoring:"),
    ("pages/tables.py", "Tables & downloads", ":material/table:"),
    ("pages/articles.py", "Articles", ":material/article:"),
    ("pages/add_articles.py", "Add articles", ":material/add:"),
    ("pages/history.py", "History", ":material/history:"),
)


def url_path(title: str) -> str:
    """The URL path of the page labelled `title` in PAGES ("" for the Overview and unknown titles)."""
    path = next((p for p, label, _ in PAGES if label == title), "dashboard.py")
    return "" if path == "dashboard.py" else Path(path).stem


def start(title: str, *, keeps_article: bool = False) -> data.View:
    """Draw the shared frame for the page `title` and return the corpus view its filters select.

    `keeps_article` is for the Articles page: elsewhere the chosen article's URL parameter is
    dropped, so a shared link does not carry a stale article along.
    """
    # Streamlit's first element in a process checks whether it runs in a Python REPL, to print
    # a "use streamlit run" warning: inspect.stack() over every loaded module, 0.1-0.25 s of a
    # cold server's first page. The dashboard is always served by `streamlit run`: skip it.
    streamlit.delta_generator._use_warning_has_been_displayed = True
    # A local icon: a Material or emoji page icon makes the browser fetch it from a CDN.
    st.set_page_config(page_title=f"{title} · {APP_NAME}", page_icon=str(FAVICON), layout="wide")
    st.html(STYLESHEET)
    with st.sidebar:
        for path, label, icon in PAGES:
            st.page_link(path, label=label, icon=icon)
    data.offer_reanalyse()
    options, store_path, _ = data.corpus()
    filters = sidebar.render(options, title)
    view = data.current_view(filters)
    sidebar.render_counts(view.query("count_events"), view.query("count_events", filtered=False), filters)
    sidebar.render_saved_views(store_path, url_path(title), filters)
    if not keeps_article:
        st.query_params.pop(widgets.ARTICLE_PARAM, None)
    # The evidence panel (a drawer over the right of the page) when a row was clicked.
    evidence.open_from_url(lambda: view.tables)
    evidence.panel(lambda: view.tables, review.controls)
    return view
