"""The page queries' shortcuts in core.query.sql (stories picked on event numbers, the Overview's
active actors counted from ear_ix's one-of-a-kind rows, an actor's events by the first row of
their ids (ev_ix fev), rows read from the date-sorted ev_rows, q_rows and lx_ix) give what the pandas views
give on a corpus made to hit their edge cases: stories of many events over several articles,
an actor in several roles of one event and in several events of a story or an article, events
without an article or a story, ties of precision and publication. Checked on frames and on a
prepared store. (Events sharing an id are left out: the pandas filters refuse them.)"""
import numpy as np
import pandas as pd
import pytest
from test_query_sql import DATE_ONLY, prepared_store, random_filters
from test_sql_stories import BY, every_story, same_rows

from benchmarks.bench_dashboard import synthetic_tables
from core import schema
from core.query import filters as flt
from core.query import sql, views


def awkward_tables(n_events: int, seed: int) -> dict[str, pd.DataFrame]:
    """synthetic_tables bent to the shortcuts' edge cases (see the module docstring)."""
    t = synthetic_tables(n_events, seed=seed)
    rng = np.random.default_rng(seed)
    ev, ea = t["events"].copy(), t["event_actors"].copy()
    # stories of 1 to 5 events, so some span several articles and outlets
    sizes = rng.integers(1, 6, n_events)
    ev["story_id"] = np.repeat([f"s{i}" for i in range(n_events)], sizes)[:n_events]
    ev.loc[rng.random(n_events) < 0.05, "story_id"] = None  # the event is its own story
    ev.loc[rng.random(n_events) < 0.03, "article_id"] = None  # no article: no outlet, not counted
    # ties: the same precision and publication, told apart by the event id
    ev.loc[rng.random(n_events) < 0.2, "date_precision"] = "day"
    # an actor again in another role of the same event
    again = ea.sample(frac=0.1, random_state=seed).assign(role="participant")
    ea = pd.concat([ea, again], ignore_index=True)
    # an actor in several events of one story and of one article
    ea.loc[rng.random(len(ea)) < 0.3, "actor"] = ea["actor"].iloc[0]
    t["events"], t["event_actors"] = schema.validate("events", ev), schema.validate("event_actors", ea)
    return t


def assert_same_pages(con, tables: dict[str, pd.DataFrame], filters: flt.Filters) -> None:
    """The shortcut queries equal their pandas views under `filters`."""
    shown = flt.filter_tables(tables, filters)
    ev, ea, art = shown["events"], shown["event_actors"], shown["articles"]
    sql.drop_kept_sets(con)
    assert sql.count_events(con, filters) == len(ev)
    assert sql.table_sizes(con, filters) == {name: len(shown[name]) for name in tables}, filters
    for name in ("events", "actors", "places", "links"):
        whole = shown[name].reset_index(drop=True)
        pd.testing.assert_frame_equal(sql.kept_table(con, filters, name), whole, obj=f"{name} {filters}")
        page = sql.kept_table(con, filters, name, offset=2, limit=3)
        pd.testing.assert_frame_equal(page, whole.iloc[2:5].reset_index(drop=True), obj=f"page of {name} {filters}")
    for actor in [*tables["actors"]["name"].head(4), "Nobody"]:
        pd.testing.assert_frame_equal(sql.actor_events(con, filters, actor=actor),
                                      views.actor_events(ev, ea, actor), obj=f"{actor} {filters}")
    for ids in [";".join(tables["events"]["event_id"].iloc[::11].head(6)), "none"]:
        pd.testing.assert_frame_equal(sql.events_with_ids(con, filters, ids=ids), views.events_with_ids(ev, ids))
    pd.testing.assert_frame_equal(sql.network_edges(con, filters), views.network_edges(ev, ea))
    pd.testing.assert_frame_equal(sql.active_actors(con, filters, n=15),
                                  views.active_actors(ev, ea, tables["actors"], n=15), obj=f"active {filters}")
    pd.testing.assert_frame_equal(sql.headline_figures(con, filters), views.headline_figures(shown["quantities"], art))
    pd.testing.assert_frame_equal(sql.quantity_series(con, filters), views.quantity_series(shown["quantities"], art))
    latest, every = sql.latest_events(con, filters, n=10), views.stories(ev, art).set_index("story_id")
    assert latest["when"].tolist() == views.latest_events(ev, art, n=10)["when"].tolist(), filters
    if len(latest):
        pd.testing.assert_frame_equal(latest, every.loc[latest["story_id"]].reset_index()[latest.columns])
    # the Timeline's parts (its hidden-rows note is left out: with stories spanning a date range's
    # edge its counts differ from pandas' already before these shortcuts)
    s = every_story(tables, filters)
    parts = views.timeline_parts(sql.timeline(con, filters, n=30, limit=20))
    dated = s["when"].notna().to_numpy(dtype=bool)
    same_rows(parts["chart"], views.largest(s, 30, *BY, among=dated).reset_index(drop=True), f"chart {filters}")
    same_rows(parts["page"], s.iloc[:20].reset_index(drop=True), f"page {filters}")
    assert int(parts["dates"]["n_stories"].sum()) == len(s)
    got, _ = views.stories_per_month(parts["dates"], None, None)
    pd.testing.assert_frame_equal(got, views.stories_per_month(s, None, None)[0], check_dtype=not s.empty)
    page = sql.story_page(con, filters, offset=20, limit=20)
    same_rows(page, s.iloc[20:40].reset_index(drop=True), f"page 2 {filters}")


@pytest.fixture(scope="module")
def awkward():
    return awkward_tables(1500, seed=21)


def test_sql_page_paths_the_corpus_hits_the_edge_cases(awkward):
    ev, ea = awkward["events"], awkward["event_actors"]
    story = ev["story_id"].fillna(ev["event_id"])
    per_story = ev.groupby(story)["article_id"].nunique()
    assert (per_story > 2).any() and (ev.groupby(story).size() > 2).any()
    assert ev["article_id"].isna().any() and ev["story_id"].isna().any()
    assert ea.duplicated(["event_id", "actor"]).any()


def test_sql_page_paths_match_pandas_on_frames(awkward):
    con = sql.connect_frames(awkward)
    for filters in [*random_filters(awkward, 12, seed=22), *DATE_ONLY[:4],
                    flt.Filters(actors=tuple(awkward["actors"]["name"].head(2)), date_from="2021-01-01",
                                date_to="2024-12-31", types=("transfer", "strike", "visit"))]:
        assert_same_pages(con, awkward, filters)


def test_sql_page_paths_match_pandas_on_a_prepared_store(tmp_path, awkward):
    corpus, prepared = prepared_store(tmp_path, awkward)
    con = sql.connect_parquet(corpus, prepared)  # the facts read sorted by date from the folder
    for filters in [*random_filters(awkward, 6, seed=23), DATE_ONLY[0]]:
        assert_same_pages(con, awkward, filters)


def test_sql_claim_labels_word_each_figure_as_views_does():
    # words with a digit are their own label (worded once per text), the others worded per row
    q = pd.DataFrame({"text": pd.array(["dozens of  missiles", "1,000 containers", None, "  ", "1,000  containers",
                                        "dozens of  missiles", "hundreds"], dtype="string"),
                      "value": [24.0, 1000.0, 5.0, 7.0, None, None, 200.0],
                      "value_max": [None, None, 9.0, None, None, None, None],
                      "qualifier": ["vague", "exact", "about", None, "exact", "vague", "vague"],
                      "unit": ["missile", "container", "shell", "drone", "container", "missile", "soldier"]})
    want = [views.claim_label(*row) for row in zip(*(q[c].to_numpy(dtype=object) for c in q.columns), strict=True)]
    assert list(sql._claim_labels(q)) == want
    assert want[:2] == ["dozens of missiles (est. 24)", "1,000 containers"]
