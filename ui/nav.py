"""Keep every page running inside dashboard.py's st.navigation.

Streamlit starts in its classic multipage mode whenever a `pages/` folder sits next to the
entry script, until some run calls st.navigation. In that mode a URL such as /timeline (the
first request after a restart, or any AppTest page switch) runs the page file alone: no
sidebar filters, no navigation. Each page calls `ensure_entrypoint()` first; it switches the
process to st.navigation mode and reruns the same page through dashboard.py.
"""
from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def ensure_entrypoint() -> None:
    """Rerun through dashboard.py when Streamlit ran this page file on its own."""
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
