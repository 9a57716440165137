"""core.query.filters: the query-string round trip and what each filter keeps, on the hand-made corpus."""
import numpy as np
import pandas as pd
import pytest
from conftest import A1, A2, A3, A4

from core.query import filters as flt
from core.query.filters import Filters


@pytest.mark.parametrize("filters", [
    Filters(),
    Filters(actors=("Kim Jong Un", "Russia"), types=("visit",)),
    Filters(date_from="2023-10-01", date_to="2024-06-30", statuses=("planned", "reported")),
    Filters(sources=("Yonhap",), text="containers & shells"),
])
def test_filters_query_round_trip(filters):
    assert flt.filters_from_query(filters.to_query()) == filters


@pytest.mark.parametrize("params, expected", [
    ({}, Filters()),
    ({"from": "yesterday", "to": "2024-13-01"}, Filters()),
    ({"from": "2024-06-30", "to": "2024-01-01"}, Filters(date_from="2024-01-01", date_to="2024-06-30")),
    ({"actor": "Russia", "type": ["visit", "visit", " ", "strike"]},
     Filters(actors=("Russia",), types=("visit", "strike"))),
    ({"q": ["old", "  new words  "]}, Filters(text="new words")),
    ({"q": "x" * 500}, Filters(text="x" * flt.MAX_TEXT)),
    ({"unknown": "1", "status": ["denied"]}, Filters(statuses=("denied",))),
])
def test_filters_from_query_never_fails(params, expected):
    assert flt.filters_from_query(params) == expected


@pytest.mark.parametrize("filters, expected", [
    (Filters(), [f"{A1}-0", f"{A1}-1", f"{A2}-0", f"{A2}-1", f"{A3}-0", f"{A4}-0"]),
    (Filters(types=("visit",)), [f"{A1}-0", f"{A2}-0", f"{A4}-0"]),
    (Filters(statuses=("planned",)), [f"{A2}-0"]),
    (Filters(actors=("Ukraine",)), [f"{A2}-1", f"{A3}-0"]),
    (Filters(sources=("Yonhap",)), [f"{A1}-0", f"{A1}-1", f"{A4}-0"]),
    # Month-precision dates are periods: June 2024 overlaps a range starting June 10.
    (Filters(date_from="2024-06-10"), [f"{A2}-0", f"{A4}-0"]),
    (Filters(date_to="2023-10-15"), [f"{A1}-0", f"{A1}-1"]),
    (Filters(date_from="2023-10-15", date_to="2023-12-31"), [f"{A1}-1"]),
    (Filters(text="CONTAINERS"), [f"{A1}-1", f"{A2}-1"]),
    (Filters(text="(x"), []),  # plain text, never a regex
    (Filters(actors=("Vladimir Putin",), statuses=("reported",)), [f"{A4}-0"]),
])
def test_filters_filter_tables_keeps_events(tables, filters, expected):
    kept = flt.filter_tables(tables, filters)["events"]
    assert list(kept["event_id"]) == expected


@pytest.mark.parametrize("filters, quantities, articles", [
    (Filters(actors=("South Korea",)), [f"{A4}-q0"], [A4]),
    (Filters(actors=("Russia",)), [f"{A1}-q0", f"{A2}-q0", f"{A3}-q0", f"{A4}-q0"], [A1, A2, A3, A4]),
    (Filters(types=("transfer",)), [f"{A1}-q0", f"{A2}-q0"], [A1, A2]),
    # A figure without a date of its own takes its article's publication date (A2: 2024-03-01).
    (Filters(date_from="2024-01-01"), [f"{A2}-q0", f"{A3}-q0", f"{A4}-q0"], [A2, A3, A4]),
    (Filters(sources=("Yonhap",)), [f"{A1}-q0", f"{A4}-q0"], [A1, A4]),
])
def test_filters_filter_tables_quantities_and_articles(tables, filters, quantities, articles):
    shown = flt.filter_tables(tables, filters)
    assert (list(shown["quantities"]["quantity_id"]), list(shown["articles"]["article_id"])) == (quantities, articles)


def test_filters_filter_tables_unfiltered_is_the_corpus(tables):
    assert flt.filter_tables(tables, Filters()) is tables


@pytest.mark.parametrize("filters", [
    Filters(actors=("Ukraine",)), Filters(types=("visit",), sources=("Yonhap",)), Filters(text="zzz")])
def test_filters_filter_tables_are_consistent(tables, filters):
    shown = flt.filter_tables(tables, filters)
    article_ids = set(shown["articles"]["article_id"])
    assert set(shown) == set(tables)
    assert set(shown["events"]["article_id"]) <= article_ids
    assert set(shown["mentions"]["article_id"]) <= article_ids
    assert set(shown["event_actors"]["event_id"]) == set(shown["events"]["event_id"])
    assert set(shown["actors"]["name"]) >= set(shown["mentions"].query("kind == 'actor'")["name"])
    assert set(shown["actors"]["name"]) >= set(shown["event_actors"]["actor"])
    for name, df in shown.items():
        assert list(df.columns) == list(tables[name].columns)


def test_filters_recount_entities_on_a_slice(tables):
    shown = flt.filter_tables(tables, Filters(sources=("Yonhap",)))
    got = shown["actors"][["name", "n_mentions", "n_articles", "first_seen", "last_seen"]]
    expected = pd.DataFrame({
        "name": ["Russia", "Kim Jong Un", "North Korea", "South Korea", "Vladimir Putin"],
        "n_mentions": [2, 1, 1, 1, 1], "n_articles": [2, 1, 1, 1, 1],
        "first_seen": ["2023-10-20", "2023-10-20", "2023-10-20", "2024-06-20", "2024-06-20"],
        "last_seen": ["2024-06-20", "2023-10-20", "2023-10-20", "2024-06-20", "2024-06-20"],
    }).astype({"n_mentions": "Int64", "n_articles": "Int64", "first_seen": "string", "last_seen": "string"})
    pd.testing.assert_frame_equal(got.reset_index(drop=True), expected, check_dtype=False)


def test_filters_recount_links_keeps_links_of_kept_events(tables):
    shown = flt.filter_tables(tables, Filters(sources=("Yonhap",)))
    got = shown["links"][["origin", "destination", "n_events", "n_articles", "first_date", "last_date", "event_ids"]]
    assert got.to_dict("records") == [{
        "origin": "Pyongyang", "destination": "Moscow", "n_events": 1, "n_articles": 1,
        "first_date": "2023-10-01", "last_date": "2023-10-01", "event_ids": f"{A1}-1",
    }]


@pytest.mark.parametrize("dates, precision, expected", [
    (["2024-06-01", "2024-06-19", "2024-01-01", None], ["month", "day", "year", None],
     [("2024-06-01", "2024-06-30"), ("2024-06-19", "2024-06-19"), ("2024-01-01", "2024-12-31"), (None, None)]),
])
def test_filters_period_days(dates, precision, expected):
    start, end = flt.period_days(pd.Series(dates, dtype="string"), pd.Series(precision, dtype="string"))
    def iso(d):
        return None if np.isnat(d) else str(d)
    assert [(iso(s), iso(e)) for s, e in zip(start, end, strict=True)] == expected


def test_filters_options_of_corpus(tables):
    options = flt.filter_options(tables)
    assert (options.types, options.statuses, options.sources, options.first_date, options.last_date) == (
        ("strike", "transfer", "visit"), ("alleged", "planned", "reported"), ("Kyiv Independent", "Reuters", "Yonhap"),
        "2023-09-13", "2024-06-20",
    )
    assert options.actors[0] == "Russia"
    assert options.actor_labels["Kim Jong Un"] == "Kim Jong Un (person, PRK)"


def test_filters_restrict_to_options_drops_unknown_values(tables):
    options = flt.filter_options(tables)
    asked = Filters(actors=("Russia", "Atlantis"), types=("visit", "picnic"), sources=("Nowhere",), text="x")
    assert flt.restrict_to_options(asked, options) == Filters(actors=("Russia",), types=("visit",), text="x")


@pytest.mark.parametrize("groups, values, n, expected", [
    ([1, 0, 1], ["a", "b", "c"], 3, ["b", "a;c", ""]),
    ([0, 0], ["x", None], 1, ["x"]),  # a missing value is left out
    ([], [], 2, ["", ""]),
])
def test_filters_join_groups_in_row_order(groups, values, n, expected):
    got = flt.join_groups(np.array(groups, dtype=np.intp), flt.arrow_strings(pd.Series(values, dtype="string")), n, ";")
    assert list(got) == expected


@pytest.mark.parametrize("filters", [
    Filters(actors=("Russia", "Ukraine")), Filters(text="containers"),
    Filters(date_from="2024-01-01", types=("visit", "strike")),
    Filters(sources=("Reuters",), statuses=("alleged",)), Filters(text="zzz"),
])
def test_filters_filter_tables_reuse_one_index(tables, filters):
    index = flt.filter_index(tables)
    first, again = flt.filter_tables(tables, filters, index), flt.filter_tables(tables, filters, index)
    fresh = flt.filter_tables(tables, filters)
    for name in tables:
        pd.testing.assert_frame_equal(first[name], fresh[name])
        pd.testing.assert_frame_equal(again[name], fresh[name])


def test_filters_text_search_keeps_figures_sharing_a_sentence(tables):
    shown = flt.filter_tables(tables, Filters(text="11,000 CONTAINERS"))
    assert (list(shown["events"]["event_id"]), list(shown["quantities"]["quantity_id"])) == ([], [f"{A4}-q0"])
