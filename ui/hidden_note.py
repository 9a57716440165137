"""The line under a chart or table that says what the filters hide, with a way to show it:
a button that drops the date range and a list of the hidden rows; and the sentence that
explains an empty result."""
from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from core.query import hidden
from ui import data, plain, sidebar, widgets


def clear_dates() -> None:
    """Drop the sidebar's date range (a button callback: runs before the widgets are drawn)."""
    st.session_state[sidebar.KEYS["date_from"]] = None
    st.session_state[sidebar.KEYS["date_to"]] = None


def relaxed_rows(view: data.View, query: str) -> pd.DataFrame:
    """The page query `query` under the view's filters without their date range (cached)."""
    return data.page_query(query, view.store_path, view.version, hidden.without_dates(view.filters), ())


def hidden_note(view: data.View, query: str | None, shown: pd.DataFrame, *, key: str, when: str, noun: str,
                widget_key: str, columns: list[str], relaxed: pd.DataFrame | None = None,
                chart: bool = True) -> hidden.Hidden:
    """Under a chart or table of `shown` (rows of the page query `query`, or of `relaxed` when
    given: the same rows without the date range; matched on `key`, dated by `when`): one
    caption naming what the filters hide, a button widening the dates when the range hides
    rows, and the hidden rows (`columns` of them) in a collapsed list. Returns what is hidden."""
    if relaxed is None:
        if query is None:
            raise ValueError("hidden_note needs a page query or the relaxed rows")
        relaxed = relaxed_rows(view, query)
    info, rows = hidden.hidden_rows(shown, relaxed, key=key, when=when, filters=view.filters, noun=noun,
                                    chart=chart)
    if not info.any():
        return info
    _line(info, widget_key)
    with st.expander(f"Show the {len(rows):,} {hidden.plural(noun, len(rows))} left out"):
        _rows_list(widgets.page_of(rows, key=f"{widget_key}_page", noun=hidden.plural(noun, 2)), columns, widget_key)
    return info


def _line(info: hidden.Hidden, widget_key: str) -> None:
    """The caption naming what is hidden, and the button widening the dates when the range hides rows."""
    text, button = st.columns([5, 1], vertical_alignment="center")
    text.caption(plain.md(f"Not shown: {info.line()}."), help="What the filters or the time axis leave out")
    if info.outside:
        button.button("Show all dates", key=f"{widget_key}_widen", on_click=clear_dates,
                      help="Drop the date range in the sidebar")


def _rows_list(rows: pd.DataFrame, columns: list[str], widget_key: str) -> None:
    """The hidden rows' table: their reason, then those of `columns` they have."""
    cols = ["hidden", *[c for c in columns if c in rows.columns]]
    st.dataframe(rows[cols], hide_index=True, width="stretch", key=f"{widget_key}_list",
                 column_config=widgets.column_config(rows[cols]))


def counted_note(info: hidden.Hidden, rows_at: Callable[[int, int], pd.DataFrame], *, noun: str, widget_key: str,
                 columns: list[str]) -> None:
    """hidden_note for a view too large to hold its hidden rows: `info` says what is hidden
    (hidden.hidden_counts) and `rows_at(first, n)` gives `n` of the hidden rows from the
    `first` (with their `hidden` reason), asked only while the list is open."""
    if not info.any():
        return
    _line(info, widget_key)
    total = info.outside + info.undated
    box = st.expander(f"Show the {total:,} {hidden.plural(noun, total)} left out", key=f"{widget_key}_open",
                      on_change="rerun")
    with box:
        if box.open:
            first = widgets.page_start(total, key=f"{widget_key}_page", noun=hidden.plural(noun, 2),
                                       rows=widgets.PAGE_ROWS)
            _rows_list(rows_at(first, widgets.PAGE_ROWS), columns, widget_key)


def explain_empty(view: data.View, info: hidden.Hidden) -> None:
    """An info box saying why nothing matches (what the date range drops, by year)."""
    st.info(plain.md(hidden.explain_empty(info, view.filters)))
