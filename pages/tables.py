"""Tables & downloads: every table, filtered and documented, as CSV files or one ZIP snapshot.

On screen each table opens readable (ids hidden, dates as precise as known, actors as lists
with roles); the events and quantities CSVs carry each row's article title, outlet, URL,
publication date and actors with roles; every file is named for the filters it holds."""
from ui import frame

frame.begin("Tables & downloads")  # first: the heading shows while the imports below load

import dataclasses
from datetime import UTC, datetime

import pandas as pd
import streamlit as st

import core
from core import schema
from core.corpus import export
from core.query import hidden
from ui import data, evidence, hidden_note, layout, urlstate, widgets

ORDER = ["events", "actors", "quantities", "places", "links", "articles", "event_actors", "mentions"]
ENRICHED = ("events", "quantities")



def table_frames(view: data.View) -> dict[str, tuple[pd.DataFrame, pd.DataFrame]]:
    """Per table, (what the screen shows: export.readable, what its CSV holds: enriched for
    events and quantities) of the view's filtered tables; computed once per store version and
    filters (data.per_view), shared, never modified. For a corpus of at most LAZY_ROWS rows."""
    articles, event_actors = view.tables["articles"], view.tables["event_actors"]
    return {name: (export.readable(view.shown[name], name, articles, event_actors), csv_frame(view, name))
            for name in ORDER}


def csv_frame(view: data.View, name: str) -> pd.DataFrame:
    """The view's filtered table `name` as its CSV holds it (events and quantities enriched);
    for a corpus of at most LAZY_ROWS rows (large_csv past it)."""
    df = view.shown[name]
    return export.enrich(df, view.tables["articles"], view.tables["event_actors"]) if name in ENRICHED else df


def context(df: pd.DataFrame, name: str, rows) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(articles, event_actors) as export.readable and export.enrich read them for the rows
    `df` of the table `name`: the rows' articles and their events' actors, got by `rows(table,
    column, values)` (View.rows, or sql.rows_with read now); empty for a table those leave as it
    is. A corpus too large to read its articles and event_actors whole."""
    if name not in export.LEADING:
        return schema.empty("articles"), schema.empty("event_actors")

    def ids(column: str) -> list[str]:
        return list(dict.fromkeys(df[column].dropna().astype(str))) if column in df.columns else []
    return rows("articles", "article_id", ids("article_id")), rows("event_actors", "event_id", ids("event_id"))


def large_csv(view: data.View, name: str):
    """A function making the CSV frame of the filtered table `name` when a download is clicked,
    read then and not kept, its articles and actors too (a corpus too large to keep every table
    in memory)."""
    def make() -> pd.DataFrame:
        df = data.uncached_table(view, name)
        if name not in ENRICHED:
            return df
        return export.enrich(df, *context(df, name, lambda *asked: data.uncached_rows(view, *asked)))
    return make


view = layout.start("Tables & downloads")
filtered = view.filters.is_active()
st.caption("Every table as the filters leave it. CSV files are safe to open in a spreadsheet: cells that would "
           "run as a formula start with an apostrophe. The events and quantities files also carry each row's "
           "article (title, outlet, URL, publication date) and its actors with their roles.")

sizes = view.query("table_sizes")
# A corpus past LAZY_ROWS rows is listed a page at a time from SQL and its files made when asked.
small = sum(sizes.values()) <= widgets.LAZY_ROWS
frames = data.per_view(table_frames, view) if small else None
now = datetime.now(UTC)
manifest = {
    "created": now.isoformat(timespec="seconds"),
    "filters": view.filters.summary(),
    "filtered": filtered,
    "corpus": {"store": view.store_path, "version": view.version,
               **{name: view.query("table_sizes", filtered=False)[name] for name in ("articles", "events")}},
    "pipeline_version": core.PIPELINE_VERSION,
}


def snapshot() -> bytes:
    """The ZIP of every filtered table (as their CSVs hold them), the corrections and the manifest."""
    downloads = {name: frames[name][1] if frames else large_csv(view, name)() for name in ORDER}
    return export.snapshot_zip(downloads, manifest, corrections=data.corpus_store().corrections())


st.download_button("Download all tables (ZIP with manifest.json)", data=snapshot() if small else snapshot,
                   mime="application/zip", file_name=widgets.export_name("snapshot", view.filters, ext="zip"),
                   key="tables_zip", icon=":material/folder_zip:", type="primary")

for name, tab in zip(ORDER, st.tabs([f"{n} ({sizes[n]:,})" for n in ORDER], on_change="rerun",
                                                    **urlstate.bound("tables_tab")), strict=True):
    with tab:
        if frames:
            df = frames[name][0]
            widgets.csv_download(frames[name][1], table=name, filters=view.filters, key=f"tables_csv_{name}")
        else:
            widgets.csv_download(large_csv(view, name), rows=sizes[name], table=name, filters=view.filters,
                                 key=f"tables_csv_{name}")
            per_page = widgets.PAGE_ROWS
            first = widgets.page_start(sizes[name], key=f"tables_page_{name}", noun=name, rows=per_page)
            rows = view.query("table_page", table=name, offset=first, limit=per_page)
            df = export.readable(rows, name, *context(rows, name, view.rows))
        # Rows taller than 4rem (64 px) let Streamlit wrap text cells: whole sentences, not their first words.
        st.dataframe(df, hide_index=True, width="stretch", key=f"tables_df_{name}", row_height=104, height=640,
                     selection_mode="single-row",
                     on_select=evidence.on_table_select(f"tables_df_{name}", df, name)  # events, figures: the panel
                     if name in evidence.ID_COLUMNS else "ignore",
                     column_config=widgets.column_config(df, name))
        if name == "events" and frames:  # event rows, as listed: the filters without their dates give the hidden ones
            relaxed = dataclasses.replace(view, filters=hidden.without_dates(view.filters)).shown["events"]
            hidden_note.hidden_note(view, None, view.shown["events"], key="event_id", when="date", noun="event",
                                    widget_key="tables_hidden", relaxed=relaxed, chart=False,
                                    columns=["date", "date_precision", "type", "status", "actors", "sentence"])
        with st.expander("Column descriptions"):
            st.table({"column": list(schema.describe(name)), "meaning": list(schema.describe(name).values())})
