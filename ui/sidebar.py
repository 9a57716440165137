"""The shared sidebar filters: drawn on every page by ui.layout, kept in st.session_state (so
they survive page changes) and mirrored into st.query_params (so a view is a link)."""
from __future__ import annotations

from datetime import date

import streamlit as st

from core.query import filters as flt

PREFIX = "filters_"
KEYS = {
    "actors": PREFIX + "actors",
    "date_from": PREFIX + "date_from",
    "date_to": PREFIX + "date_to",
    "types": PREFIX + "types",
    "statuses": PREFIX + "statuses",
    "sources": PREFIX + "sources",
    "text": PREFIX + "text",
    "review": PREFIX + "review",
}
REVIEW_LABELS = {"": "All rows", "reviewed": "Reviewed by an analyst", "needs_review": "Needs review (as extracted)"}
RESTORED = PREFIX + "restored"  # set once the URL's filters have been read into the session
# A copy outside the widgets' keys: Streamlit drops a widget's state on runs that do not draw
# it (e.g. a page run on its own), and the filters must survive that.
SAVED = PREFIX + "saved"
PAGE = PREFIX + "page"  # the page that drew the widgets last


def _to_date(iso: str | None) -> date | None:
    return date.fromisoformat(iso) if iso else None


def write_state(filters: flt.Filters) -> None:
    """Put `filters` into the widgets' session-state keys (before the widgets are drawn)."""
    state = st.session_state
    state[KEYS["actors"]] = list(filters.actors)
    state[KEYS["date_from"]] = _to_date(filters.date_from)
    state[KEYS["date_to"]] = _to_date(filters.date_to)
    state[KEYS["types"]] = list(filters.types)
    state[KEYS["statuses"]] = list(filters.statuses)
    state[KEYS["sources"]] = list(filters.sources)
    state[KEYS["text"]] = filters.text
    state[KEYS["review"]] = filters.review


def current_filters() -> flt.Filters:
    """The filters the session's widgets hold (all empty before the sidebar first ran)."""
    state = st.session_state

    def iso(key: str) -> str | None:
        value = state.get(KEYS[key])
        return value.isoformat() if isinstance(value, date) else None

    params = {
        flt.QUERY_KEYS["actors"]: state.get(KEYS["actors"], []),
        flt.QUERY_KEYS["date_from"]: iso("date_from"),
        flt.QUERY_KEYS["date_to"]: iso("date_to"),
        flt.QUERY_KEYS["types"]: state.get(KEYS["types"], []),
        flt.QUERY_KEYS["statuses"]: state.get(KEYS["statuses"], []),
        flt.QUERY_KEYS["sources"]: state.get(KEYS["sources"], []),
        flt.QUERY_KEYS["text"]: state.get(KEYS["text"], ""),
        flt.QUERY_KEYS["review"]: state.get(KEYS["review"], "") or "",
    }
    return flt.filters_from_query(params)


def query_filters() -> flt.Filters:
    """The filters written in the page URL."""
    params = {key: st.query_params.get_all(key) for key in flt.QUERY_KEYS.values()}
    return flt.filters_from_query(params)


def sync_query_params(filters: flt.Filters) -> None:
    """Make the URL's filter parameters say `filters`, leaving other parameters alone.

    Only changed keys are written, so an unchanged view sends nothing to the browser.
    """
    wanted = filters.to_query()
    for key in flt.QUERY_KEYS.values():
        value = wanted.get(key)
        current = st.query_params.get_all(key)
        target = [] if value is None else ([value] if isinstance(value, str) else list(value))
        if current == target:
            continue
        if target:
            st.query_params[key] = target
        else:
            del st.query_params[key]


def reset_filters() -> None:
    """Clear every filter (a button callback, so it runs before the widgets are drawn)."""
    write_state(flt.Filters())


def restore_from_url(options: flt.FilterOptions, page: str) -> None:
    """On a session's first run, load the URL's filters into the widgets (values the corpus
    does not offer are dropped, so an old bookmark still opens); later, refill the widgets from
    the saved copy on a new page (each page's widgets are its own to Streamlit, so their state
    does not follow a page change) or when Streamlit dropped their state."""
    state = st.session_state
    if not state.get(RESTORED):
        write_state(flt.restrict_to_options(query_filters(), options))
        state[RESTORED] = True
    elif state.get(PAGE) != page or any(key not in state for key in KEYS.values()):
        write_state(flt.restrict_to_options(state.get(SAVED, flt.Filters()), options))
    state[PAGE] = page


def render(options: flt.FilterOptions, page: str = "") -> flt.Filters:
    """Draw the filter widgets in the sidebar of the page `page`; returns the filters they hold."""
    restore_from_url(options, page)
    sb = st.sidebar
    sb.header("Filters")
    sb.multiselect(
        "Actors", options.actors, key=KEYS["actors"], format_func=lambda n: options.actor_labels.get(n, n),
        placeholder="All actors", help="Events involving any of these actors (canonical names).",
    )
    first, last = _to_date(options.first_date), _to_date(options.last_date)
    c1, c2 = sb.columns(2)
    c1.date_input("From", key=KEYS["date_from"], format="YYYY-MM-DD",
                  help=f"Earliest date in the corpus: {first or 'none'}")
    c2.date_input("To", key=KEYS["date_to"], format="YYYY-MM-DD", help=f"Latest date in the corpus: {last or 'none'}")
    sb.multiselect("Event types", options.types, key=KEYS["types"], placeholder="All types")
    sb.multiselect("Status", options.statuses, key=KEYS["statuses"], placeholder="Any status")
    sb.multiselect("Sources", options.sources, key=KEYS["sources"], placeholder="All outlets")
    sb.text_input("Search sentences", key=KEYS["text"], max_chars=flt.MAX_TEXT, placeholder="e.g. containers")
    sb.selectbox("Review", list(REVIEW_LABELS), key=KEYS["review"], format_func=REVIEW_LABELS.__getitem__,
                 help="Events and figures an analyst has confirmed, corrected or added, or those nobody has yet.")
    filters = current_filters()
    st.session_state[SAVED] = filters
    sync_query_params(filters)
    return filters


def render_counts(n_shown: int, n_total: int, filters: flt.Filters) -> None:
    """The "n of N events" line and the reset button, under the filters."""
    sb = st.sidebar
    sb.markdown(f"**{n_shown:,} of {n_total:,} events**")
    sb.button("Reset filters", key=PREFIX + "reset", on_click=reset_filters, disabled=not filters.is_active(),
              width="stretch")
