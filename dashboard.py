"""The news dashboard: `streamlit run dashboard.py`. The app's entry: it lists the pages
(app_pages/, one file each, run through st.navigation only), draws the shared sidebar filters
once per run, then runs the chosen page."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from ui import data, sidebar, widgets

HERE = Path(__file__).parent
PAGES = [
    st.Page("app_pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
    st.Page("app_pages/timeline.py", title="Timeline", icon=":material/timeline:", url_path="timeline"),
    st.Page("app_pages/map.py", title="Map", icon=":material/public:", url_path="map"),
    st.Page("app_pages/actors.py", title="Actors", icon=":material/groups:", url_path="actors"),
    st.Page("app_pages/quantities.py", title="Quantities", icon=":material/monitoring:", url_path="quantities"),
    st.Page("app_pages/tables.py", title="Tables & downloads", icon=":material/table:", url_path="tables"),
    st.Page("app_pages/articles.py", title="Articles", icon=":material/article:", url_path="articles"),
    st.Page("app_pages/add_articles.py", title="Add articles", icon=":material/add:", url_path="add_articles"),
]

# A local icon: a Material or emoji page icon makes the browser fetch it from a CDN.
st.set_page_config(page_title="Russia–DPRK news dashboard", page_icon=str(HERE / "static" / "favicon.png"), layout="wide")
data.offer_reanalyse()
options, _, _ = data.corpus()
filters = sidebar.render(options)
current = data.current_view(filters)
sidebar.render_counts(current.query("count_events"), current.query("count_events", filtered=False), filters)
page = st.navigation(PAGES)
if page.url_path != "articles":
    st.query_params.pop(widgets.ARTICLE_PARAM, None)
page.run()
