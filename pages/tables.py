"""Tables & downloads: every table, filtered and documented, as CSV files or one ZIP snapshot.

On screen each table opens readable (ids hidden, dates as precise as known, actors as lists
with roles); the events and quantities CSVs carry each row's article title, outlet, URL,
publication date and actors with roles; every file is named for the filters it holds."""
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
    filters (data.per_view), shared, never modified."""
    articles, event_actors = view.tables["articles"], view.tables["event_actors"]
    return {name: (export.readable(view.shown[name], name, articles, event_actors),
                   export.enrich(view.shown[name], articles, event_actors) if name in ENRICHED else view.shown[name])
            for name in ORDER}


view = layout.start("Tables & downloads")
filtered = view.filters.is_active()
st.title("Tables & downloads")
st.caption("Every table as the filters leave it. CSV files are safe to open in a spreadsheet: cells that would "
           "run as a formula start with an apostrophe. The events and quantities files also carry each row's "
           "article (title, outlet, URL, publication date) and its actors with their roles.")

frames = data.per_view(table_frames, view)
downloads = {name: frames[name][1] for name in ORDER}
now = datetime.now(UTC)
manifest = {
    "created": now.isoformat(timespec="seconds"),
    "filters": view.filters.summary(),
    "filtered": filtered,
    "corpus": {"store": view.store_path, "version": view.version, "articles": len(view.tables["articles"]),
               "events": len(view.tables["events"])},
    "pipeline_version": core.PIPELINE_VERSION,
}
snapshot = export.snapshot_zip(downloads, manifest, corrections=data.corpus_store().corrections())
st.download_button("Download all tables (ZIP with manifest.json)", data=snapshot, mime="application/zip",
                   file_name=widgets.export_name("snapshot", view.filters, ext="zip"),
                   key="tables_zip", icon=":material/folder_zip:", type="primary")

for name, tab in zip(ORDER, st.tabs([f"{n} ({len(view.shown[n]):,})" for n in ORDER], on_change="rerun",
                                                    **urlstate.bound("tables_tab")), strict=True):
    with tab:
        df = frames[name][0]
        widgets.csv_download(downloads[name], table=name, filters=view.filters, key=f"tables_csv_{name}")
        # Rows taller than 4rem (64 px) let Streamlit wrap text cells: whole sentences, not their first words.
        st.dataframe(df, hide_index=True, width="stretch", key=f"tables_df_{name}", row_height=104, height=640,
                     selection_mode="single-row",
                     on_select=evidence.on_table_select(f"tables_df_{name}", df, name)  # events, figures: the panel
                     if name in evidence.ID_COLUMNS else "ignore",
                     column_config=widgets.column_config(df, name))
        if name == "events":  # event rows, as listed: the filters without their dates give the hidden ones
            relaxed = dataclasses.replace(view, filters=hidden.without_dates(view.filters)).shown["events"]
            hidden_note.hidden_note(view, None, view.shown["events"], key="event_id", when="date", noun="event",
                                    widget_key="tables_hidden", relaxed=relaxed, chart=False,
                                    columns=["date", "date_precision", "type", "status", "actors", "sentence"])
        with st.expander("Column descriptions"):
            st.table({"column": list(schema.describe(name)), "meaning": list(schema.describe(name).values())})
