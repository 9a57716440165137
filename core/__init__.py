"""Turn news articles into tidy pandas tables of events, actors, quantities and places.

The package knows nothing of Streamlit: the dashboard only lays out what it computes.
`extract_tables(paths)` is the one call that returns every table as a DataFrame.
"""
# Part of every cache key and of the store's manifest: bump it with any change to what the
# extraction outputs, so cached results and stored tables are recomputed.
PIPELINE_VERSION = "0.1.0"


def extract_tables(inputs, **kwargs):
    """Every table for the articles in `inputs` (see `core.pipeline.extract_tables`)."""
    from core.pipeline import extract_tables as _extract

    return _extract(inputs, **kwargs)
