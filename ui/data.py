"""The corpus as the pages see it: the store, its tables (cached by store version), and the
filtered slice (cached by version and filters).

The tables and their filtered slices are shared by every session without a copy (copying a
large corpus out of the cache on every run was most of a page load's server time): pages and
views read them and build new frames, never modify them in place.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from core.corpus.store import Store, StoreError, open_store, store_path
from core.query import filters as flt

# A page waits this long for another writer (a CLI rebuild may hold the lock for minutes),
# then says so instead of hanging the visitor's session.
LOCK_TIMEOUT = 5.0
BUSY_MESSAGE = "The store is busy (another process is writing); try again in a moment."


@dataclass(frozen=True)
class View:
    """What every page reads: all tables, the filtered ones, the filters and the store."""

    tables: dict[str, pd.DataFrame]
    shown: dict[str, pd.DataFrame]
    filters: flt.Filters
    options: flt.FilterOptions
    store_path: str
    version: str


def _seed_with_progress(path: str) -> None:
    """Open (create and seed) the store at `path`, drawing a progress bar while articles are
    analysed; the bar appears only when there is analysis to do."""
    slot = st.empty()

    def progress(done: int, total: int) -> None:
        slot.progress(done / max(total, 1), text=f"Processing the corpus: article {done} of {total}…")

    with st.spinner("Opening the corpus (the first run analyses the seed articles)…"):
        open_store(path, progress=progress, lock_timeout=LOCK_TIMEOUT)
    slot.empty()


@st.cache_resource(show_spinner=False)
def _store_at(path: str) -> Store:
    return open_store(path, lock_timeout=LOCK_TIMEOUT)


def corpus_store() -> Store:
    """The corpus store (env NEWSDASH_STORE, else the user data folder's newsdash/store), created and
    seeded on first use.

    Stops the page with an error when the folder cannot be used as a store.
    """
    path = str(store_path())
    try:
        probe = Store(path)
        if not probe.exists() or probe.manifest().get("seed_pending"):
            _seed_with_progress(path)
        return _store_at(path)
    except StoreError as exc:
        st.error(f"The corpus store cannot be opened: {exc}")
        st.stop()


@st.cache_resource(show_spinner="Reading the corpus tables…", max_entries=4)
def corpus_tables(_store, path: str, version: str) -> dict[str, pd.DataFrame]:
    """All eight tables of the store at `path` as of `version` (the cache key); shared, read-only."""
    return _store.tables()


@st.cache_data(show_spinner=False, max_entries=4)
def corpus_options(_tables, path: str, version: str) -> flt.FilterOptions:
    """The filter choices for the store at `path` as of `version`."""
    return flt.filter_options(_tables)


@st.cache_resource(show_spinner=False, max_entries=4)
def corpus_index(_tables, path: str, version: str) -> flt.FilterIndex:
    """The filter index of the store at `path` as of `version` (shared, read-only)."""
    return flt.filter_index(_tables)


@st.cache_resource(show_spinner=False, max_entries=32)
def filtered_tables(_tables, path: str, version: str, filters: flt.Filters) -> dict[str, pd.DataFrame]:
    """The tables of the store at `path`, `version`, narrowed by `filters`; shared, read-only."""
    if not filters.is_active():
        return _tables
    return flt.filter_tables(_tables, filters, corpus_index(_tables, path, version))


@st.cache_resource(show_spinner=False, max_entries=64)
def _per_view(name: str, path: str, version: str, filters: flt.Filters, _fn, _view):
    return _fn(_view)


def per_view(fn, view: View):
    """`fn(view)`, computed once per store version and filters and shared by every session
    (a second visitor with the same filters costs a cache look-up). `fn` must be a named
    module-level function of the View alone; its result is shared, not copied: read it, never
    modify it (draw a cached figure with widgets.plot(..., style=False))."""
    return _per_view(f"{fn.__module__}.{fn.__qualname__}", view.store_path, view.version, view.filters, fn, view)


def corpus() -> tuple[dict[str, pd.DataFrame], flt.FilterOptions, str, str]:
    """(tables, filter options, store path, version) of the current store, from the cache."""
    store = corpus_store()
    path, version = str(getattr(store, "path", "")), store.version()
    tables = corpus_tables(store, path, version)
    return tables, corpus_options(tables, path, version), path, version


def offer_reanalyse() -> None:
    """When the stored tables were made by another pipeline version or model, say so and offer
    a button that re-analyses every article with a progress bar (reads never re-analyse)."""
    if st.session_state.get("reanalyse_summary"):
        st.success(st.session_state.pop("reanalyse_summary"))
    store = corpus_store()
    try:
        stale = store.stale()
    except StoreError:
        return
    if not stale:
        return
    notice, button = st.columns([5, 1], vertical_alignment="center")
    notice.warning("The tables were made by an older pipeline version — Re-analyse to bring them up to date "
                   "(every stored article is analysed again).")
    if button.button("Re-analyse", key="reanalyse_button", type="primary"):
        slot = st.empty()

        def progress(done: int, total: int) -> None:
            slot.progress(done / max(total, 1), text=f"Re-analysing: article {done} of {total}…")

        try:
            with st.spinner("Re-analysing every stored article…"):
                report = store.rebuild(progress=progress)
        except StoreError as exc:
            slot.empty()
            st.error(f"The store could not be re-analysed: {exc}")
            return
        slot.empty()
        st.session_state["reanalyse_summary"] = report.summary()
        st.rerun()


def current_view(filters: flt.Filters) -> View:
    """The View for `filters` (assumed already restricted to the corpus' options)."""
    tables, options, path, version = corpus()
    shown = filtered_tables(tables, path, version, filters)
    return View(tables, shown, filters, options, path, version)
