"""The first thing every page draws: its tab title, the page links and its heading.

Kept apart from ui.layout, and light (Streamlit only): a page calls `begin` before it imports
pandas, plotly or the corpus, so on a server's first visit the heading is in the browser while
those imports and the store's opening still run (on the seed store a cold server's first page
spent 0.7 s importing before anything was drawn).
"""
from __future__ import annotations

from pathlib import Path

import streamlit as st
import streamlit.delta_generator

from ui import chart

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


def begin(title: str, heading: str | None = None, *, charts: str | None = None) -> None:
    """Draw the tab title and icon, the stylesheet, the page links and the page's heading
    (`heading`, else `title`); for a page with charts, start loading the plotly.js bundle
    `charts` (a key of ui.chart.BUNDLES). The first call of every page script, before
    ui.layout.start."""
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
    if charts:
        chart.preload(charts)
    st.title(heading or title)
