"""The DuckDB queries (core.query.sql) give, row for row, what the pandas filters and views
give, on the hand-made sample, the seeds and synthetic corpora, for many filter combinations."""
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import sample_tables

from benchmarks.bench_dashboard import synthetic_tables
from core.corpus.store import write_tables
from core.query import filters as flt
from core.query import sql, views

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def random_filters(tables: dict[str, pd.DataFrame], n: int, seed: int) -> list[flt.Filters]:
    """`n` filter combinations drawn from what the corpus holds (and a few values it does not)."""
    rng = np.random.default_rng(seed)
    actors = [*tables["actors"]["name"].dropna(), "Nobody"]
    types = [*tables["events"]["type"].dropna().unique(), "nothing"]
    statuses = list(tables["events"]["status"].dropna().unique())
    sources = [*tables["articles"]["source"].dropna().unique(), "Unknown Outlet"]
    days = pd.date_range("2019-06-01", "2025-12-31", freq="17D").strftime("%Y-%m-%d").tolist()
    words = [*(w for s in tables["events"]["sentence"].dropna().head(50) for w in s.split()[:4]), "CONTAINERS", "zzz"]

    def pick(values, k):
        if not values:
            return ()
        return tuple(rng.choice(np.array(values, dtype=object), size=min(k, len(values)), replace=False))

    out = []
    for _ in range(n):
        kw = {}
        if rng.random() < 0.4:
            kw["actors"] = pick(actors, int(rng.integers(1, 3)))
        if rng.random() < 0.4:
            a, b = sorted(rng.choice(days, 2))
            if rng.random() < 0.6:
                kw["date_from"], kw["date_to"] = a, b
            else:
                kw["date_from"], kw["date_to"] = (a, None) if rng.random() < 0.5 else (None, b)
        if rng.random() < 0.3:
            kw["types"] = pick(types, int(rng.integers(1, 3)))
        if rng.random() < 0.3:
            kw["statuses"] = pick(statuses, 1)
        if rng.random() < 0.3:
            kw["sources"] = pick(sources, int(rng.integers(1, 3)))
        if rng.random() < 0.3:
            kw["text"] = str(rng.choice(words)).strip(".,").lower() if rng.random() < 0.7 else str(rng.choice(words))
        out.append(flt.Filters(**kw))
    return [flt.Filters(), *out]


def assert_same(con, tables: dict[str, pd.DataFrame], filters: flt.Filters) -> None:
    """Every SQL result equals its pandas counterpart under `filters`."""
    if not filters.is_active():
        assert sql.filter_options(con) == flt.filter_options(tables)
    shown = flt.filter_tables(tables, filters)
    for name in sql.KEPT:
        assert sql.kept_rows(con, filters, name).tolist() == shown[name].index.tolist(), (name, filters)
    assert sql.count_events(con, filters) == len(shown["events"])
    assert sql.count_articles(con, filters) == len(shown["articles"])
    assert sql.table_sizes(con, filters) == {name: len(shown[name]) for name in tables}, filters
    for name in tables:
        whole = shown[name].reset_index(drop=True)
        pd.testing.assert_frame_equal(sql.kept_table(con, filters, name), whole, obj=f"{name} {filters}")
        page = sql.kept_table(con, filters, name, offset=1, limit=2)  # a page: the same rows, in the same order
        pd.testing.assert_frame_equal(page, whole.iloc[1:3].reset_index(drop=True), obj=f"page of {name} {filters}")
    assert sql.corpus_summary(con, filters) == views.corpus_summary(shown), filters
    # The Articles page's list: newest first, undated last, ties in table order; a page of it.
    listed = shown["articles"].sort_values("published", ascending=False, na_position="last", kind="stable")
    listed = listed[list(sql.LISTED)].reset_index(drop=True)
    pd.testing.assert_frame_equal(sql.article_listing(con, filters), listed, check_dtype=False, obj=f"list {filters}")
    pd.testing.assert_frame_equal(sql.article_listing(con, filters, offset=1, limit=2),
                                  listed.iloc[1:3].reset_index(drop=True), check_dtype=False)
    ev, art = shown["events"], shown["articles"]
    for actor in [*tables["actors"]["name"].head(3), "Nobody"]:
        pd.testing.assert_frame_equal(sql.actor_events(con, filters, actor=actor),
                                      views.actor_events(ev, shown["event_actors"], actor), obj=actor)
    for ids in [";".join(tables["events"]["event_id"].iloc[::7].head(5)), "nothing;at;all"]:
        pd.testing.assert_frame_equal(sql.events_with_ids(con, filters, ids=ids), views.events_with_ids(ev, ids))
    pd.testing.assert_frame_equal(sql.stories(con, filters), views.stories(ev, art))
    pd.testing.assert_frame_equal(sql.network_edges(con, filters), views.network_edges(ev, shown["event_actors"]))
    pd.testing.assert_frame_equal(sql.active_actors(con, filters),
                                  views.active_actors(ev, shown["event_actors"], tables["actors"]))
    pd.testing.assert_frame_equal(sql.headline_figures(con, filters), views.headline_figures(shown["quantities"], art))
    pd.testing.assert_frame_equal(sql.quantity_series(con, filters), views.quantity_series(shown["quantities"], art))
    # The latest stories: the same dates newest first, each row the pandas story of that id
    # (pandas breaks a tie between equal dates arbitrarily, the SQL by story id).
    latest, every = sql.latest_events(con, filters, n=10), views.stories(ev, art).set_index("story_id")
    expected = views.latest_events(ev, art, n=10)
    assert latest["when"].tolist() == expected["when"].tolist()
    if len(latest):
        again = every.loc[latest["story_id"]].reset_index()
        pd.testing.assert_frame_equal(latest, again[latest.columns])


@pytest.fixture(scope="module")
def seed_tables(seed_extraction):
    """The seeds' tables, extracted afresh once per test session (conftest's seed_extraction)."""
    return seed_extraction[1]


def test_query_sql_matches_pandas_on_the_sample():
    tables = sample_tables()
    con = sql.connect_frames(tables)
    for filters in random_filters(tables, 25, seed=1):
        assert_same(con, tables, filters)


def test_query_sql_matches_pandas_on_the_seeds(seed_tables):
    con = sql.connect_frames(seed_tables)
    for filters in random_filters(seed_tables, 25, seed=2):
        assert_same(con, seed_tables, filters)


@pytest.mark.parametrize("n_events, seed", [(400, 3), (3000, 4)])
def test_query_sql_matches_pandas_on_synthetic_corpora(n_events, seed):
    tables = synthetic_tables(n_events, seed=seed)
    con = sql.connect_frames(tables)
    for filters in random_filters(tables, 15, seed=seed):
        assert_same(con, tables, filters)


# A date range alone takes its own path (names seen read from dated sentence names, see sql.FACTS
# nd_ix): ranges starting or ending on a month's or a year's edge, where month- and year-precise
# periods begin and end, and open on either side.
DATE_ONLY = [flt.Filters(date_from="2023-01-01", date_to="2023-12-31"),
             flt.Filters(date_from="2022-01-31", date_to="2022-03-01"),
             flt.Filters(date_from="2021-02-28", date_to="2021-02-28"), flt.Filters(date_from="2021-03-01"),
             flt.Filters(date_to="2020-12-31"), flt.Filters(date_from="2024-06-30", date_to="2024-07-01"),
             flt.Filters(date_from="2030-01-01")]


def test_query_sql_matches_pandas_under_a_date_range_alone(seed_tables):
    tables = synthetic_tables(1500, seed=6)
    con = sql.connect_frames(tables)
    for filters in DATE_ONLY:
        assert_same(con, tables, filters)
    con = sql.connect_frames(seed_tables)
    for filters in DATE_ONLY[:3]:
        assert_same(con, seed_tables, filters)


def test_query_sql_reads_the_parquet_files_like_the_frames(tmp_path):
    tables = synthetic_tables(500, seed=5)
    write_tables(tmp_path, tables)
    con = sql.connect_parquet(tmp_path)
    for filters in random_filters(tables, 10, seed=5):
        assert_same(con, tables, filters)


def test_query_sql_user_values_are_parameters_not_sql():
    tables = sample_tables()
    con = sql.connect_frames(tables)
    hostile = flt.Filters(actors=("x'); DROP VIEW events; --",), text="%' OR 1=1 --", sources=("'",))
    assert sql.count_events(con, hostile) == 0
    assert "DROP" not in sql.filter_ctes(hostile) and "1=1" not in sql.filter_ctes(hostile)
    assert sql.count_events(con, flt.Filters()) == len(tables["events"])


def test_query_sql_rows_with_gives_the_rows_pandas_selects(tmp_path, seed_tables):
    tables = synthetic_tables(500, seed=7)
    write_tables(tmp_path, tables)
    for con, source in ((sql.connect_parquet(tmp_path), tables), (sql.connect_frames(seed_tables), seed_tables)):
        articles = list(source["articles"]["article_id"])
        events = list(source["events"]["event_id"])
        for table, column, values in (("events", "article_id", articles[:1]), ("mentions", "article_id", articles[3:9]),
                                      ("quantities", "article_id", articles[::2]), ("articles", "article_id", []),
                                      ("event_actors", "event_id", [*events[:40], "no such id"])):
            want = source[table][source[table][column].isin(values)].reset_index(drop=True)
            got = sql.rows_with(con, table, column, values)
            pd.testing.assert_frame_equal(got, want, check_dtype=False)
        assert len(sql.rows_with(con, "articles", "article_id", articles[:1])) == 1
    with pytest.raises(ValueError, match="no column"):
        sql.rows_with(con, "articles", "article_id = '' OR 1=1 --", ["x"])


def test_query_sql_the_dashboard_reads_a_store_without_importing_spacy():
    # spaCy costs about a second to import; a page view never analyses an article.
    code = ("import sys; import ui.data, core.query.sql, core.corpus.store; "
            "print(sorted(m for m in ('spacy', 'thinc', 'core.corpus.build') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[1])
    assert out.stdout.strip() == "[]"


def prepared_store(tmp_path, tables) -> tuple[Path, Path]:
    """`tables` written as a generation's corpus folder, and the folder sql.prepare made for it."""
    corpus = tmp_path / "gen" / "1" / "corpus"
    write_tables(corpus, tables)
    prepared = sql.prepare(corpus)
    assert prepared == sql.prepared_folder(corpus) and (prepared / "done").exists()
    return corpus, prepared


def assert_prepared_results_are_the_computed_ones(corpus: Path, prepared: Path) -> None:
    con, plain = sql.connect_parquet(corpus, prepared), sql.connect_parquet(corpus)
    for name, kwargs in sql.PREPARED.items():
        kept = sql.prepared_result(con, name, flt.Filters(), kwargs)
        computed = sql.page_queries()[name](plain, flt.Filters(), **kwargs)
        if isinstance(computed, dict):
            assert kept == computed, name
        elif computed.empty:
            assert kept is None, name  # not kept: computed again, cheaply
        else:
            pd.testing.assert_frame_equal(kept, computed, obj=name)
    # Only the unfiltered call with the pages' arguments is served from the folder.
    assert sql.prepared_result(con, "stories", flt.Filters(text="a"), {}) is None
    assert sql.prepared_result(con, "active_actors", flt.Filters(), {"n": 3}) is None
    assert sql.prepared_result(plain, "stories", flt.Filters(), {}) is None


def test_query_sql_prepared_folder_gives_the_same_results_on_a_synthetic_corpus(tmp_path):
    tables = synthetic_tables(800, seed=6)
    corpus, prepared = prepared_store(tmp_path, tables)
    assert_prepared_results_are_the_computed_ones(corpus, prepared)
    con = sql.connect_parquet(corpus, prepared)  # facts read from the folder: the same filtering
    for filters in random_filters(tables, 8, seed=6):
        assert_same(con, tables, filters)
    assert sql.prepare(corpus) == prepared  # made once: a second call finds it


def test_query_sql_prepared_folder_gives_the_same_results_on_the_seeds(tmp_path, seed_tables):
    corpus, prepared = prepared_store(tmp_path, seed_tables)
    assert_prepared_results_are_the_computed_ones(corpus, prepared)


def test_query_sql_prepare_returns_none_when_the_store_is_read_only(tmp_path, monkeypatch):
    corpus = tmp_path / "gen" / "1" / "corpus"
    write_tables(corpus, synthetic_tables(100, seed=7))

    def refused(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "mkdir", refused)  # (the tests may run as root, where chmod stops nothing)
    assert sql.prepare(corpus) is None
    assert not sql.prepared_folder(corpus).exists()
    assert sql.count_events(sql.connect_parquet(corpus), flt.Filters()) == 100


def test_query_sql_kept_sets_give_the_same_rows_as_computing_them_and_stay_bounded(monkeypatch):
    # Kept sets written once per filters (sql.KEPT_SETS) are read by the next queries: the same
    # results as pandas with room for only 2 of them (so most filters evict another's tables).
    tables = synthetic_tables(1200, seed=8)
    con = sql.connect_frames(tables)
    monkeypatch.setattr(sql, "KEPT_SETS", 2)
    many = random_filters(tables, 12, seed=8)
    for filters in [*many, *many[::-1]]:
        shown = flt.filter_tables(tables, filters)
        assert sql.count_events(con, filters) == len(shown["events"])
        assert sql.table_sizes(con, filters) == {name: len(shown[name]) for name in tables}, filters
        assert sql.corpus_summary(con, filters) == views.corpus_summary(shown), filters
        for name in ("actors", "places", "quantities"):
            pd.testing.assert_frame_equal(sql.kept_table(con, filters, name), shown[name].reset_index(drop=True))
        kept = sql.kept_set_tables(con)
        assert len({t.rsplit("_kept_", 1)[0] for t in kept}) <= 2, kept
    # Written only for filtered queries; all gone once dropped.
    assert sql.kept_set_tables(con)
    sql.drop_kept_sets(con)
    assert sql.kept_set_tables(con) == []
    sql.count_events(con, flt.Filters())
    assert sql.kept_set_tables(con) == []


def test_query_sql_kept_sets_are_shared_by_cursors_and_threads():
    tables = synthetic_tables(800, seed=9)
    con = sql.connect_frames(tables)
    many = random_filters(tables, 8, seed=9)[1:]
    expected = [(sql.count_events(con, f), sql.table_sizes(con, f)) for f in many]
    sql.drop_kept_sets(con)

    def ask(i: int):
        with con.cursor() as cur:
            f = many[i % len(many)]
            return sql.count_events(cur, f), sql.table_sizes(cur, f)

    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(ask, range(3 * len(many))))
    assert got == [expected[i % len(many)] for i in range(3 * len(many))]
    # one cursor wrote them, another reads them
    with con.cursor() as cur:
        assert sql.kept_set_tables(cur) == sql.kept_set_tables(con) != []


def test_query_sql_a_kept_set_dropped_under_a_query_is_computed_again(monkeypatch):
    tables = synthetic_tables(600, seed=10)
    con = sql.connect_frames(tables)
    filters = flt.Filters(types=("visit", "transfer"), date_from="2021-01-01")
    expected = len(flt.filter_tables(tables, filters)["events"])
    stale = sql.cached_ctes(con, filters, "SELECT count(*) AS n FROM kept_events")
    assert "_kept_" in stale
    sql.drop_kept_sets(con)  # another query evicted it after this one read its name
    monkeypatch.setattr(sql, "cached_ctes", lambda *_args: stale)
    assert sql.count_events(con, filters) == expected
