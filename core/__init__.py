"""Turn news articles into tidy pandas tables of events, actors, quantities and places.

The package knows nothing of Streamlit: the dashboard only lays out what it computes.
`core.corpus.build.extract_tables(paths)` returns every table as a DataFrame.
"""
# Part of every cache key and of the store's manifest: bump it with any change to what the
# extraction outputs, so cached results and stored tables are recomputed.
PIPELINE_VERSION = "0.2.0"
