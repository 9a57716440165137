"""The Timeline page's story queries (core.query.sql.timeline, story_dates, story_page,
hidden_stories) give what the page drew from the whole story list (views.stories, largest,
stories_per_month, focus_range, hidden.hidden_rows), on the sample, the seeds and synthetic
corpora, under many filters."""
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import sample_tables
from test_query_sql import DATE_ONLY, prepared_store, random_filters

from benchmarks.bench_dashboard import synthetic_tables
from core.corpus.build import extract_tables
from core.query import filters as flt
from core.query import hidden, sql, views

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
BY = (["n_articles", "when", "story_id"], [False, False, True])  # the chart's choice (pages/timeline.py)


def every_story(tables: dict[str, pd.DataFrame], filters: flt.Filters) -> pd.DataFrame:
    """The whole story list of `filters`, as the page used to read it."""
    shown = flt.filter_tables(tables, filters)
    return views.stories(shown["events"], shown["articles"])


def same_rows(got: pd.DataFrame, want: pd.DataFrame, what: str) -> None:
    """`got` equals `want` (views.stories' rows); none, with the same columns, when `want` has none
    (views.stories orders an empty frame's columns otherwise)."""
    if want.empty:
        assert got.empty and set(got.columns) == set(want.columns), what
    else:
        pd.testing.assert_frame_equal(got, want, obj=what)


def assert_same_stories(con, tables: dict[str, pd.DataFrame], filters: flt.Filters, n: int, limit: int) -> None:
    """Every part of sql.timeline (and the pages of story_page, hidden_stories) equals what
    the pandas views made of the whole story list under `filters`."""
    s = every_story(tables, filters)
    relaxed = every_story(tables, hidden.without_dates(filters))
    parts = views.timeline_parts(sql.timeline(con, filters, n=n, limit=limit))
    dated = s["when"].notna().to_numpy(dtype=bool)
    drawn = views.largest(s, n, *BY, among=dated)
    same_rows(parts["chart"], drawn.reset_index(drop=True), f"chart {filters}")
    same_rows(parts["page"], s.iloc[:limit].reset_index(drop=True), f"page {filters}")
    dates = parts["dates"]
    assert int(dates["n_stories"].sum()) == len(s)
    assert int(dates.loc[dates["when"].notna(), "n_stories"].sum()) == int(dated.sum())
    for lo, hi in [(filters.date_from, filters.date_to), (None, None), ("2022-03-01", "2023-06-30")]:
        got, year_only = views.stories_per_month(dates, lo, hi)
        want, want_year_only = views.stories_per_month(s, lo, hi)
        assert year_only == want_year_only
        pd.testing.assert_frame_equal(got, want, check_dtype=not want.empty, obj=f"per month {filters}")
    assert views.focus_range(dates["when"], counts=dates["n_stories"]) == views.focus_range(s["when"])
    info = hidden.hidden_counts(dates, parts["relaxed"], filters=filters, noun="event")
    want_info, want_rows = hidden.hidden_rows(s, relaxed, key="story_id", when="when", filters=filters, noun="event")
    if len(s):  # the years are only told (explain_empty) when nothing is shown
        want_info = hidden.Hidden(**{**want_info.__dict__, "outside_years": ()})
    assert info == want_info, filters
    for first in (0, limit):
        page = sql.story_page(con, filters, offset=first, limit=limit)
        same_rows(page, s.iloc[first:first + limit].reset_index(drop=True), f"page {first} {filters}")
        rows = sql.hidden_stories(con, filters, offset=first, limit=limit)
        want = want_rows.iloc[first:first + limit].reset_index(drop=True)
        same_rows(rows, want.astype({"hidden": rows["hidden"].dtype}), f"hidden {first} {filters}")


@pytest.fixture(scope="module")
def seed_tables():
    tables, errors = extract_tables([SEEDS], cache_dir="none")
    assert errors == []
    return tables


def test_sql_stories_match_the_story_list_on_the_sample():
    tables = sample_tables()
    con = sql.connect_frames(tables)
    for filters in [*random_filters(tables, 20, seed=11), flt.Filters(date_to="2023-12-31"),
                    flt.Filters(actors=("Kim Jong Un",), date_from="2024-01-01", date_to="2024-12-31")]:
        for n, limit in [(1000, 500), (2, 2)]:
            assert_same_stories(con, tables, filters, n, limit)


def test_sql_stories_match_the_story_list_on_the_seeds(seed_tables):
    con = sql.connect_frames(seed_tables)
    for filters in random_filters(seed_tables, 15, seed=12):
        assert_same_stories(con, seed_tables, filters, 3, 4)


@pytest.mark.parametrize("n_events, seed", [(400, 13), (3000, 14)])
def test_sql_stories_match_the_story_list_on_synthetic_corpora(n_events, seed):
    tables = synthetic_tables(n_events, seed=seed)
    con = sql.connect_frames(tables)
    for filters in [*random_filters(tables, 10, seed=seed), *DATE_ONLY]:
        assert_same_stories(con, tables, filters, 40, 25)


def test_sql_stories_unfiltered_parts_come_from_the_prepared_folder(tmp_path):
    tables = synthetic_tables(600, seed=15)
    corpus, prepared = prepared_store(tmp_path, tables)
    con = sql.connect_parquet(corpus, prepared)
    kept = sql.prepared_result(con, "timeline", flt.Filters(), sql.PREPARED["timeline"])
    assert kept is not None and set(kept["part"]) == {"chart", "page", "dates", "relaxed"}
    # A date range alone compares with the whole corpus: its counts are the prepared ones.
    year = views.timeline_parts(sql.timeline(con, flt.Filters(date_from="2023-01-01", date_to="2023-12-31")))
    pd.testing.assert_frame_equal(year["relaxed"], views.timeline_parts(kept)["dates"])
    assert_same_stories(con, tables, flt.Filters(date_from="2023-01-01", date_to="2023-12-31"), 1000, 500)


def test_views_focus_range_counts_stand_for_repeated_dates():
    rng = np.random.default_rng(16)
    for _ in range(30):
        days = pd.Series(pd.to_datetime("2020-01-01") + pd.to_timedelta(rng.integers(0, 3000, 8), unit="D"))
        counts = pd.Series(rng.integers(1, 6, 8))
        expanded = days.repeat(counts).reset_index(drop=True)
        assert views.focus_range(days, counts=counts) == views.focus_range(expanded)
    one_day = pd.Series(pd.to_datetime(["2024-05-01"] * 6))
    lo, hi = views.focus_range(one_day)
    assert (lo, hi) == (pd.Timestamp("2024-04-16"), pd.Timestamp("2024-05-16"))
    assert views.focus_range(one_day.iloc[:1], counts=pd.Series([6])) == (lo, hi)
