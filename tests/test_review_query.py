"""The review filter ("reviewed only" / "needs review") in the URL, in pandas and in SQL, and
the reviewed share the Overview shows."""
from __future__ import annotations

import numpy as np
import pytest

from benchmarks.bench_dashboard import synthetic_tables
from core.corpus import review
from core.query import filters as flt
from core.query import sql


@pytest.fixture(scope="module")
def synthetic():
    tables = synthetic_tables(3000, seed=5)
    return tables, sql.connect_frames(tables)


def test_review_filter_round_trips_through_the_url():
    f = flt.Filters(review="needs_review", types=("visit",))
    assert f.to_query() == {"type": ["visit"], "review": "needs_review"}
    assert flt.filters_from_query(f.to_query()) == f
    assert flt.filters_from_query({"review": "reviewed"}).review == "reviewed"
    assert flt.filters_from_query({"review": "'; DROP TABLE"}) == flt.Filters()
    assert flt.Filters(review="reviewed").is_active() and flt.Filters(review="reviewed").narrows_events()


@pytest.mark.parametrize("scope", ["reviewed", "needs_review"])
@pytest.mark.parametrize("extra", [{}, {"types": ("visit", "transfer")}, {"date_from": "2022-01-01"},
                                   {"sources": ("Yonhap",)}])
def test_review_filter_sql_matches_pandas(synthetic, scope, extra):
    tables, con = synthetic
    filters = flt.Filters(review=scope, **extra)
    shown = flt.filter_tables(tables, filters)
    for name in sql.KEPT:
        assert sql.kept_rows(con, filters, name).tolist() == shown[name].index.tolist(), name
    want_auto = scope == "needs_review"
    for name in ("events", "quantities"):
        assert len(shown[name]) and set(shown[name]["review"] == "auto") == {want_auto}
    counts = sql.review_counts(con, filters).set_index("table")
    expected = review.counts(shown)
    for name in ("events", "quantities"):
        assert counts.loc[name, ["auto", "corrected", "added", "reviewed"]].tolist() == list(expected[name].values())


def test_review_counts_give_the_reviewed_share(synthetic):
    tables, con = synthetic
    counts = sql.review_counts(con, flt.Filters()).set_index("table")
    events = tables["events"]["review"]
    assert counts.loc["events", "total"] == len(events)
    assert counts.loc["events", "n_reviewed"] == int((events != "auto").sum())
    assert counts.loc["events", "share"] == pytest.approx(float(np.mean(events != "auto")))
    empty = sql.review_counts(con, flt.Filters(text="no sentence says this"))
    assert empty["total"].tolist() == [0, 0] and empty["share"].tolist() == [0.0, 0.0]
