"""core.query.hidden and the timeline's honest dates (views.when_label, time_extents,
stories_per_month), on made-up rows."""
import pandas as pd
import pytest

from core.query import hidden, views
from core.query.filters import Filters

RELAXED = pd.DataFrame({"story_id": ["s1", "s2", "s3", "s4", "s5", "s6"],
                        "when": pd.to_datetime(["2023-03-01", "2023-05-01", "2024-02-01", None, None, "2024-07-01"])})


def test_hidden_counts_rows_outside_the_dates_and_undated():
    filters = Filters(actors=("Kim Jong Un",), date_from="2024-01-01", date_to="2024-12-31")
    shown = RELAXED[RELAXED["story_id"].isin(["s3", "s6"])]
    info, rows = hidden.hidden_rows(shown, RELAXED, key="story_id", when="when", filters=filters, noun="event")
    assert (info.outside, info.undated, info.outside_years) == (2, 2, (("2023", 2),))
    assert info.line() == "2 events outside the dates, 2 undated"
    assert sorted(rows["story_id"]) == ["s1", "s2", "s4", "s5"]
    assert set(rows["hidden"]) == {"outside the dates", "undated"}


def test_hidden_undated_without_a_date_range_are_off_the_chart_only():
    info, _ = hidden.hidden_rows(RELAXED, RELAXED, key="story_id", when="when", filters=Filters(), noun="event")
    assert info.line() == "2 events undated (listed in the table, not on the chart)"
    nothing, _ = hidden.hidden_rows(RELAXED.dropna(), RELAXED.dropna(), key="story_id", when="when",
                                    filters=Filters(), noun="event")
    assert not nothing.any() and nothing.line() == ""


def test_hidden_explains_an_empty_result():
    filters = Filters(actors=("Kim Jong Un",), date_from="2024-01-01", date_to="2024-12-31")
    info, _ = hidden.hidden_rows(RELAXED.iloc[:0], RELAXED.iloc[[0, 1, 3, 4, 5]], key="story_id", when="when",
                                 filters=filters, noun="event")
    assert hidden.explain_empty(info, filters) == (
        "Kim Jong Un in 2024 gives 0 events: 2 are undated, 2 are in 2023, 1 is in 2024.")
    assert hidden.without_dates(filters) == Filters(actors=("Kim Jong Un",))


@pytest.mark.parametrize("when, precision, end, expected", [
    ("2023-01-01", "year", None, "2023 (year only)"),
    ("2024-03-01", "month", None, "March 2024 (month only)"),
    ("2024-05-03", "day", None, "03 May 2024"),
    ("2023-09-01", "month", "2024-02-26", "Sep 2023 – 26 Feb 2024"),
    (None, None, None, ""),
])
def test_views_when_label_says_how_much_is_known(when, precision, end, expected):
    assert views.when_label(pd.Timestamp(when) if when else None, precision, end) == expected


def test_views_time_extents_give_months_and_years_their_width():
    got = views.time_extents(pd.Series(["2023-01-01", "2024-03-01", "2024-05-03", "2023-09-01"]),
                             pd.Series(["year", "month", "day", "month"]),
                             pd.Series([None, None, None, "2024-02-26"]))
    assert list(got["kind"]) == ["year", "month", "day", "period"]
    assert list(got["end"].dt.strftime("%Y-%m-%d")) == ["2024-01-01", "2024-04-01", "2024-05-03", "2024-02-26"]


def test_views_stories_per_month_honour_the_dates_and_leave_years_out():
    rows = pd.DataFrame({"date": ["2023-01-01", "2023-12-05", "2024-01-10", "2024-02-01", None],
                         "date_precision": ["year", "day", "day", "month", None],
                         "type": ["visit", "visit", "strike", "visit", "visit"]})
    counts, year_only = views.stories_per_month(rows, "2024-01-01", None)
    assert year_only == 1
    assert counts.assign(period=counts["period"].dt.strftime("%Y-%m")).to_dict("records") == [
        {"period": "2024-01", "type": "strike", "n_stories": 1}, {"period": "2024-02", "type": "visit", "n_stories": 1}]
