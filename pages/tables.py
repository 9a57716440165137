"""Tables & downloads: every table, filtered and documented, as CSV files or one ZIP snapshot."""
from datetime import UTC, datetime

import streamlit as st

import core
from core import schema
from core.corpus import export
from ui import data, evidence, layout, widgets

ORDER = ["events", "actors", "quantities", "places", "links", "articles", "event_actors", "mentions"]

view = layout.start("Tables & downloads")
filtered = view.filters.is_active()
st.title("Tables & downloads")
st.caption("Every table as the filters leave it. CSV files are safe to open in a spreadsheet: cells that would "
           "run as a formula start with an apostrophe.")

now = datetime.now(UTC)
manifest = {
    "created": now.isoformat(timespec="seconds"),
    "filters": view.filters.summary(),
    "filtered": filtered,
    "corpus": {"store": view.store_path, "version": view.version, "articles": len(view.tables["articles"]),
               "events": len(view.tables["events"])},
    "pipeline_version": core.PIPELINE_VERSION,
}
snapshot = export.snapshot_zip({name: view.shown[name] for name in ORDER}, manifest,
                               corrections=data.corpus_store().corrections())
st.download_button("Download all tables (ZIP with manifest.json)", data=snapshot, mime="application/zip",
                   file_name=widgets.export_name("snapshot", filtered).replace(".csv", ".zip"),
                   key="tables_zip", icon=":material/folder_zip:", type="primary")

for name, tab in zip(ORDER, st.tabs([f"{n} ({len(view.shown[n]):,})" for n in ORDER]), strict=True):
    with tab:
        df = view.shown[name]
        widgets.csv_download(df, table=name, filtered=filtered, key=f"tables_csv_{name}")
        st.dataframe(df, hide_index=True, width="stretch", key=f"tables_df_{name}", selection_mode="single-row",
                     on_select=evidence.on_table_select(f"tables_df_{name}", df, name)  # events, figures: the panel
                     if name in evidence.ID_COLUMNS else "ignore",
                     column_config=widgets.column_config(df, name))
        with st.expander("Column descriptions"):
            st.table({"column": list(schema.describe(name)), "meaning": list(schema.describe(name).values())})
