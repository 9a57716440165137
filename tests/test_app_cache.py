"""The caches shared by every session: the Overview is computed once per store version and
filters, and no page modifies the shared (uncopied) corpus tables."""
from __future__ import annotations

import pandas as pd
import pytest
from conftest import no_errors, run_page, sample_tables

PAGES = [None, "pages/timeline.py", "pages/map.py", "pages/actors.py", "pages/quantities.py", "pages/tables.py",
         "pages/articles.py"]


@pytest.mark.parametrize("query", [{}, {"source": "Yonhap"}])
def test_no_page_modifies_the_shared_tables(sample_store, query):
    import ui.data

    for page in PAGES:
        at = run_page(page, query=query)
        assert no_errors(at) == []
    shared = ui.data.corpus_tables(sample_store, sample_store.path, sample_store.version())
    for name, expected in sample_tables().items():
        pd.testing.assert_frame_equal(shared[name], expected, obj=name)


def test_overview_is_computed_once_per_version_and_filters_for_all_sessions(sample_store, monkeypatch):
    import ui.data

    calls = []
    real = ui.data.QUERIES["active_actors"]

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setitem(ui.data.QUERIES, "active_actors", counting)
    for _ in range(3):  # three visitors, same (no) filters
        assert no_errors(run_page()) == []
    assert len(calls) == 1
    for _ in range(2):  # two visitors with one filter
        assert no_errors(run_page(query={"source": "Yonhap"})) == []
    assert len(calls) == 2
    sample_store._version = "2"  # the store changed: computed again
    assert no_errors(run_page()) == []
    assert len(calls) == 3
