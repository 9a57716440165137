"""AppTest of pages/timeline.py."""
import pytest
from conftest import no_errors, plotly_specs, run_page

PAGE = "pages/timeline.py"


def points(at) -> dict[str, list]:
    """Trace name -> marker symbols of the timeline chart's traces."""
    spec = plotly_specs(at)["timeline_chart"]
    return {t["name"]: t["marker"]["symbol"] for t in spec["data"]}


def test_app_timeline_one_point_per_story(sample_store):
    at = run_page(PAGE)
    assert no_errors(at) == []
    stories = at.get_by_key("timeline_stories").value
    assert list(stories["date"].fillna("undated")) == ["2023-09-13", "2023-10-01", "2024-01-06", "2024-06-19",
                                                       "undated"]
    assert stories.loc[stories["date"] == "2024-06-19", "sources"].tolist() == ["Reuters; Yonhap"]
    spec = plotly_specs(at)["timeline_chart"]
    assert sum(len(t["x"]) for t in spec["data"]) == 4  # the undated story has no place on the axis


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
    rows = {y for t in plotly_specs(at)["timeline_chart"]["data"] for y in t["y"]}
    assert rows == {"Kim Jong Un", "Russia", "North Korea", "Ukraine", "Vladimir Putin"}
