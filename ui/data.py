"""The corpus as the pages see it: the store, a DuckDB connection over its Parquet files
(one per store version), the page queries (cached by version and filters), and, only for the
pages that list whole tables, each pandas table and its filtered slice, read when first used.

The tables, their filtered slices and the page figures are shared by every session without a
copy: pages and views read them and build new frames, never modify them in place.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd
import streamlit as st

from core import schema
from core.corpus.store import Store, StoreError, open_store, read_tables, store_path
from core.query import claims, sql
from core.query import filters as flt

# A page waits this long for another writer (a CLI rebuild may hold the lock for minutes),
# then says so instead of hanging the visitor's session.
LOCK_TIMEOUT = 5.0
BUSY_MESSAGE = "The store is busy (another process is writing); try again in a moment."


class LazyTables(Mapping):
    """The schema tables by name, each got from `load(name)` on first access and kept."""

    def __init__(self, load):
        self._load, self._got = load, {}

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in schema.TABLES:
            raise KeyError(name)
        if name not in self._got:
            self._got[name] = self._load(name)
        return self._got[name]

    def __iter__(self):
        return iter(schema.TABLES)

    def __len__(self) -> int:
        return len(schema.TABLES)


# The rows of a whole table whose column holds one of the values: View.rows, or sql.rows_with
# read now (uncached_rows); what the evidence panel and the entity forms are given.
Rows = Callable[[str, str, list[str]], pd.DataFrame]


@dataclass(frozen=True)
class View:
    """What every page reads: the filters, the filter options and the store's version; the
    page queries (`query`), and, read on first use, all tables and the filtered ones."""

    filters: flt.Filters
    options: flt.FilterOptions
    store_path: str
    version: str

    @cached_property
    def tables(self) -> Mapping[str, pd.DataFrame]:
        """The eight tables of the store by name, each read on first use (once per version,
        shared): a page reads only the tables it shows."""
        return LazyTables(lambda name: corpus_table(corpus_store(), self.store_path, self.version, name))

    @cached_property
    def shown(self) -> Mapping[str, pd.DataFrame]:
        """The eight tables narrowed by the filters (filter_tables' rows and counts, computed by
        DuckDB per table on first use; a fresh index), or `tables` when no filter is set."""
        if not self.filters.is_active():
            return self.tables
        return LazyTables(lambda name: shown_table(self.store_path, self.version, self.filters, name))

    def rows(self, table: str, column: str, values) -> pd.DataFrame:
        """The rows of the whole table `table` (no filter) whose `column` holds one of `values`
        (sql.rows_with: only those rows read), from the cache; shared, never modify it in place.
        For a few rows of a table too large to read whole (`tables`) at a million events."""
        return table_rows(self.store_path, self.version, table, column, tuple(values))

    def query(self, name: str, *, filtered: bool = True, **kwargs):
        """The page query `name` (see QUERIES) of the filtered corpus (of the whole corpus
        when `filtered` is False), from the cache."""
        filters = self.filters if filtered else flt.Filters()
        return page_query(name, self.store_path, self.version, filters, tuple(sorted(kwargs.items())))


_MANIFESTS: dict[str, tuple[tuple, dict]] = {}


def manifest_of(store: Store) -> dict:
    """store.manifest(), parsed again only when the manifest file changes (its inode, size or
    modification time): a store of 50,000 articles has a manifest of megabytes, and every run
    asks for the store's version. Shared: read it, never modify it."""
    path = store.manifest_path
    try:
        stat = path.stat()
    except OSError:
        return store.manifest()  # raises the StoreError that says why
    key = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
    kept = _MANIFESTS.get(str(path))
    if kept is None or kept[0] != key:
        kept = (key, store.manifest())
        _MANIFESTS[str(path)] = kept
    return kept[1]


def store_version(store) -> str:
    """store.version(), from the manifest as manifest_of keeps it (a store without a manifest
    file, such as a test's, is asked directly)."""
    if not isinstance(store, Store):
        return store.version()
    try:
        m = manifest_of(store)
    except StoreError:
        return "none"
    return f"{m['generation']}-{m['commit']}"


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
        if not probe.exists() or manifest_of(probe).get("seed_pending"):
            _seed_with_progress(path)
        return _store_at(path)
    except StoreError as exc:
        st.error(f"The corpus store cannot be opened: {exc}")
        st.stop()


@st.cache_resource(show_spinner="Reading the corpus tables…", max_entries=2)
def corpus_tables(_store, path: str, version: str) -> dict[str, pd.DataFrame]:
    """All eight tables of the store at `path` as of `version` (the cache key); shared by
    every session, so never modified in place."""
    return _store.tables()


def corpus_folder(store, version: str) -> Path | None:
    """The Parquet folder of the store's corpus tables at `version`, None when there is none
    (an empty store, or a store that is not on disk)."""
    try:
        m = manifest_of(store) if isinstance(store, Store) else store.manifest()
    except (AttributeError, StoreError):
        return None
    folder = Path(store.path) / "gen" / str(m["generation"]) / "corpus"
    current = f"{m['generation']}-{m['commit']}" == version
    return folder if current and m["generation"] and folder.is_dir() else None


@st.cache_resource(show_spinner="Preparing the corpus for queries (once per change of the corpus)…", max_entries=2)
def corpus_connection(_store, path: str, version: str):
    """A DuckDB connection over the store at `path`, `version`: views over its Parquet files
    and over what sql.prepare keeps beside them (made here if missing), else a copy of its
    tables. Shared; use a cursor per query."""
    folder = corpus_folder(_store, version)
    if folder is not None:
        return sql.connect_parquet(folder, sql.prepare(folder))
    return sql.connect_frames(_store.tables())


QUERIES = {**sql.page_queries(), "actor_info": claims.actor_info}  # a module-level dict: tests count calls


# A resource, not data: a hit returns the shared result instead of unpickling a copy (a
# Timeline of 500,000 stories cost a fifth of a second per run just to copy). Pages read it and
# build new frames, never modify it in place.
@st.cache_resource(show_spinner=False, max_entries=128)
def page_query(name: str, path: str, version: str, filters: flt.Filters, kwargs: tuple):
    """QUERIES[name] of the store at `path`, `version` under `filters` (the cache key); the
    unfiltered result read from the prepared folder when it is kept there. Shared: never
    modify it in place."""
    con = corpus_connection(corpus_store(), path, version)
    with con.cursor() as cur:
        kept = sql.prepared_result(cur, name, filters, dict(kwargs))
        return kept if kept is not None else QUERIES[name](cur, filters, **dict(kwargs))


def read_rows(path: str, version: str, table: str, column: str, values) -> pd.DataFrame:
    """sql.rows_with of the store at `path` as of `version`, read now."""
    con = corpus_connection(corpus_store(), path, version)
    with con.cursor() as cur:
        return sql.rows_with(cur, table, column, values)


# read_rows kept per store version, table, column and values (a tuple): View.rows; shared.
table_rows = st.cache_resource(show_spinner=False, max_entries=64)(read_rows)


@st.cache_data(show_spinner=False, max_entries=4)
def corpus_options(path: str, version: str) -> flt.FilterOptions:
    """The filter choices for the store at `path` as of `version`."""
    con = corpus_connection(corpus_store(), path, version)
    with con.cursor() as cur:
        return sql.filter_options(cur)


@st.cache_resource(show_spinner="Reading the corpus tables…", max_entries=16)
def corpus_table(_store, path: str, version: str, name: str) -> pd.DataFrame:
    """The table `name` of the store at `path` as of `version` (the cache key), read alone
    from its Parquet file (else taken from all the tables); shared, never modified in place."""
    folder = corpus_folder(_store, version)
    try:
        if folder is not None:
            return read_tables(folder, [name])[name]
    except FileNotFoundError:  # a writer committed and pruned this generation meanwhile
        pass
    return corpus_tables(_store, path, version)[name]


@st.cache_resource(show_spinner=False, max_entries=64)
def shown_table(path: str, version: str, filters: flt.Filters, name: str) -> pd.DataFrame:
    """The table `name` of the store at `path`, `version`, narrowed by `filters` (see
    sql.kept_table; shared, never modified in place)."""
    con = corpus_connection(corpus_store(), path, version)
    with con.cursor() as cur:
        return sql.kept_table(cur, filters, name)


def uncached_table(view: View, name: str) -> pd.DataFrame:
    """The table `name` narrowed by the view's filters (sql.kept_table), read now and not kept:
    a download from a corpus too large to keep every table in memory."""
    con = corpus_connection(corpus_store(), view.store_path, view.version)
    with con.cursor() as cur:
        return sql.kept_table(cur, view.filters, name)


def uncached_rows(view: View, table: str, column: str, values) -> pd.DataFrame:
    """sql.rows_with of the view's store, read now and not kept (what View.rows caches): the
    articles and actors of a download's rows."""
    return read_rows(view.store_path, view.version, table, column, values)


@st.cache_resource(show_spinner=False, max_entries=64)
def _per_view(name: str, path: str, version: str, filters: flt.Filters, _fn, _view):
    return _fn(_view)


def per_view(fn, view: View):
    """`fn(view)`, computed once per store version and filters and shared by every session
    (a second visitor with the same filters costs a cache look-up). `fn` must be a named
    module-level function of the View alone; its result is shared, not copied: read it, never
    modify it (draw a cached figure with widgets.plot(..., style=False))."""
    return _per_view(f"{fn.__module__}.{fn.__qualname__}", view.store_path, view.version, view.filters, fn, view)


def corpus() -> tuple[flt.FilterOptions, str, str]:
    """(filter options, store path, version) of the current store, from the cache."""
    store = corpus_store()
    path, version = str(getattr(store, "path", "")), store_version(store)
    return corpus_options(path, version), path, version


def offer_reanalyse() -> None:
    """When the stored tables were made by another pipeline version or model, say so and offer
    a button that re-analyses every article with a progress bar (reads never re-analyse)."""
    if st.session_state.get("reanalyse_summary"):
        st.success(st.session_state.pop("reanalyse_summary"))
    store = corpus_store()
    try:
        stale = store.stale(manifest_of(store)) if isinstance(store, Store) else store.stale()
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
    options, path, version = corpus()
    return View(filters, options, path, version)
