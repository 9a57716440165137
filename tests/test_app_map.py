"""AppTest of pages/map.py: offline outlines, arcs, and the events of a chosen link."""
import pytest
from conftest import A1, A2, A3, REPO, no_errors, plotly_configs, plotly_specs, run_page

PAGE = "pages/map.py"


def test_app_map_draws_places_and_arcs_from_local_outlines(sample_store):
    at = run_page(PAGE)
    assert no_errors(at) == []
    assert plotly_configs(at)["map_chart"]["topojsonURL"] == "app/static/"
    assert (REPO / "static" / "world_110m.json").stat().st_size > 100_000
    traces = plotly_specs(at)["map_chart"]["data"]
    lines = [t for t in traces if t["mode"] == "lines"]
    assert sorted(t["line"]["width"] for t in lines) == [1.5, 3.5]  # width by number of events
    places = next(t for t in traces if t.get("name") == "places")
    assert sorted(places["text"]) == ["Kharkiv", "Moscow", "Pyongyang"]


@pytest.mark.parametrize("link, events", [
    ("Pyongyang → Moscow (transfer)", [f"{A1}-1", f"{A2}-1"]),
    ("Moscow → Kharkiv (strike)", [f"{A3}-0"]),
])
def test_app_map_choosing_a_link_lists_its_events(sample_store, link, events):
    at = run_page(PAGE)
    at.get_by_key("map_link").set_value(link).run()
    shown = at.get_by_key("map_link_events").value
    assert list(shown["article"].str.extract(r"article=(\w+)")[0]) == [e.split("-")[0] for e in events]


@pytest.mark.parametrize("query, n_links", [({}, 2), ({"source": "Yonhap"}, 1), ({"type": "visit"}, 0)])
def test_app_map_filters_change_links(sample_store, query, n_links):
    at = run_page(PAGE, query=query)
    assert no_errors(at) == []
    links = [s for s in at.get("selectbox") if s.key == "map_link"]  # the sidebar has a selectbox too (Review)
    assert (len(links[0].options) if links else 0) == n_links
