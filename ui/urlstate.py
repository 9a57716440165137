"""Page settings in the URL, so a link (and a saved view) reopens a page as it was left.

A page opts a widget in with one line: pass `**urlstate.bound(key)` to the widget, e.g.

    by = st.segmented_control("One row per", ["type", "actor"], default="type",
                              **urlstate.bound("timeline_rows"))
    tab = st.tabs(names, on_change="rerun", **urlstate.bound("tables_tab"))

The key becomes the URL parameter (?timeline_rows=actor). Streamlit keeps the two in step
(widget `bind="query-params"`): a link's value fills the widget, a change rewrites the URL, a
value equal to the default is left out and a value the widget does not offer is ignored. The
value cannot then be set through st.query_params, only through st.session_state[key] before
the widget is drawn. Keys are recorded per session so saved views know the page's settings
(see `settings`); prefix keys with the page's name so pages do not share a parameter.
"""
from __future__ import annotations

from datetime import date

import streamlit as st

BOUND = "urlstate_bound"  # session key: the keys bound so far, in order


def bound(key: str) -> dict:
    """Widget keyword arguments (`key`, `bind`) that keep the widget `key` in the URL."""
    keys = st.session_state.setdefault(BOUND, [])
    if key not in keys:
        keys.append(key)
    return {"key": key, "bind": "query-params"}


def as_param(value) -> list[str] | None:
    """A widget value as URL parameter values, the way Streamlit writes them; None when unset."""
    if value is None:
        return None
    if isinstance(value, bool):
        return ["true" if value else "false"]
    if isinstance(value, date):
        return [value.isoformat()]
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return [str(value)]


def settings() -> dict[str, list[str]]:
    """The bound widgets' current values this session (those the current page drew are in
    st.session_state), as URL parameters."""
    out = {}
    for key in st.session_state.get(BOUND, []):
        if key in st.session_state and (value := as_param(st.session_state[key])) is not None:
            out[key] = value
    return out
