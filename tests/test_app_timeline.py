"""AppTest of pages/timeline.py."""
import re

import pytest
from conftest import no_errors, plotly_specs, run_page


def unescaped(markdown: str) -> str:
    """Markdown escaped by ui.plain.md, read back as the words shown."""
    return re.sub(r"\\(.)", r"\1", markdown)


PAGE = "pages/timeline.py"


def markers(at) -> list[dict]:
    """The timeline chart's marker traces (the bars of imprecise dates left out)."""
    return [t for t in plotly_specs(at)["timeline_chart"]["data"] if t.get("meta") != "span"]


def points(at) -> dict[str, list]:
    """Trace name -> marker symbols of the timeline chart's marker traces."""
    return {t["name"]: t["marker"]["symbol"] for t in markers(at)}


def test_app_timeline_one_point_per_story(sample_store):
    at = run_page(PAGE)
    assert no_errors(at) == []
    stories = at.get_by_key("timeline_stories").value
    assert list(stories["date"].fillna("undated")) == ["2023-09-13", "2023-10-01", "2024-01-06", "2024-06-19",
                                                       "undated"]
    assert stories.loc[stories["date"] == "2024-06-19", "sources"].tolist() == ["Reuters; Yonhap"]
    assert sum(len(t["x"]) for t in markers(at)) == 4  # the undated story has no place on the axis
    assert any("1 event undated (listed in the table, not on the chart)" in unescaped(c.value) for c in at.caption)


def test_app_timeline_planned_events_look_different(sample_store):
    at = run_page(PAGE, query={"actor": "Vladimir Putin"})
    at.get_by_key("filters_sources").set_value(["Reuters"]).run()  # only the announcement: planned
    assert points(at) == {"visit, planned": "circle-open"}
    at.get_by_key("filters_sources").set_value([]).run()
    assert points(at) == {"visit, reported": "circle"}  # the visit done represents the story


@pytest.mark.parametrize("query, n_stories", [({}, 5), ({"type": "transfer"}, 2), ({"status": "alleged"}, 1),
                                              ({"to": "2023-12-31"}, 2)])
def test_app_timeline_filters_change_rows(sample_store, query, n_stories):
    at = run_page(PAGE, query=query)
    assert len(at.get_by_key("timeline_stories").value) == n_stories


def test_app_timeline_rows_by_actor(sample_store):
    at = run_page(PAGE)
    at.get_by_key("timeline_rows").set_value("actor").run()
    assert no_errors(at) == []
    rows = {y for t in markers(at) for y in t["y"]}
    assert rows == {"Kim Jong Un", "Russia", "North Korea", "Ukraine", "Vladimir Putin"}


def test_app_timeline_month_precise_event_is_a_month_wide_bar(sample_store):
    at = run_page(PAGE)
    spec = plotly_specs(at)["timeline_chart"]
    transfer = next(t for t in spec["data"] if t.get("meta") == "span" and t["name"].startswith("transfer"))
    assert transfer["x"][:2] == ["2023-10-01T00:00:00", "2023-11-01T00:00:00"]  # October 2023, the whole month
    labels = {lbl for t in markers(at) for lbl in (row[1] for row in t["customdata"])}
    assert "October 2023 (month only)" in labels and "13 Sep 2023" in labels


def test_app_timeline_says_what_the_dates_hide_and_widens(sample_store):
    at = run_page(PAGE, query={"to": "2023-12-31"})
    assert any("2 events outside the dates, 1 undated" in unescaped(c.value) for c in at.caption)
    at.get_by_key("timeline_hidden_widen").click().run()
    assert len(at.get_by_key("timeline_stories").value) == 5


def test_app_timeline_empty_result_explained(sample_store):
    at = run_page(PAGE, query={"actor": "Kim Jong Un", "from": "2024-01-01", "to": "2024-12-31"})
    assert [unescaped(i.value) for i in at.info] == ["Kim Jong Un in 2024 gives 0 events: 1 is in 2023."]


def test_app_timeline_monthly_bars_stay_in_the_range(sample_store):
    at = run_page(PAGE, query={"from": "2024-01-01"})
    bars = plotly_specs(at)["timeline_month_chart"]
    months = sorted(x for t in bars["data"] for x in t["x"])
    assert months[0] >= "2024-01-01" and bars["layout"]["xaxis"]["range"][0].startswith("2024-01-01")
