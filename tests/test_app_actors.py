"""AppTest of pages/actors.py."""
import pytest
from conftest import no_errors, plotly_specs, run_page

PAGE = "pages/actors.py"


def test_app_actors_table_network_and_events(sample_store):
    at = run_page(PAGE)
    assert no_errors(at) == []
    actors = at.dataframe[0].value
    assert list(actors["name"])[:3] == ["Russia", "North Korea", "Vladimir Putin"]
    assert list(actors.columns)[:4] == ["name", "type", "country", "code"]
    nodes = plotly_specs(at)["actors_network"]["data"][0]
    assert sorted(nodes["text"]) == ["Kim Jong Un", "North Korea", "Russia", "Ukraine", "Vladimir Putin"]
    assert len(plotly_specs(at)["actors_network"]["layout"]["annotations"]) == 4  # one arrow per edge


@pytest.mark.parametrize("actor, n_events, roles", [
    ("Russia", 4, ["target", "target", "source", "target"]),  # by date, undated last
    ("Ukraine", 2, ["target", "participant"]),
])
def test_app_actors_choosing_an_actor_shows_their_events(sample_store, actor, n_events, roles):
    at = run_page(PAGE)
    at.get_by_key("actors_selected").set_value(actor).run()
    events = at.get_by_key("actors_events").value
    assert (len(events), list(events["role"])) == (n_events, roles)


@pytest.mark.parametrize("query, n_actors", [({}, 7), ({"source": "Kyiv Independent"}, 2), ({"type": "visit"}, 5)])
def test_app_actors_filters_change_rows(sample_store, query, n_actors):
    at = run_page(PAGE, query=query)
    assert no_errors(at) == []
    assert len(at.dataframe[0].value) == n_actors


def legend(at) -> dict[str, list[str]]:
    """Legend entries of the network by group (country, type)."""
    out: dict[str, list[str]] = {}
    for t in plotly_specs(at)["actors_network"]["data"][1:]:
        out.setdefault(t["legendgroup"], []).append(t["name"])
    return out


def test_app_actors_network_colours_by_country_and_shapes_by_type(sample_store):
    at = run_page(PAGE)
    nodes = plotly_specs(at)["actors_network"]["data"][0]
    by_name = {row[0]: c for row, c in zip(nodes["customdata"], nodes["marker"]["color"], strict=True)}
    assert by_name["Russia"] == by_name["Vladimir Putin"] != by_name["North Korea"] == by_name["Kim Jong Un"]
    shape = {row[0]: s for row, s in zip(nodes["customdata"], nodes["marker"]["symbol"], strict=True)}
    assert shape["Russia"] == "square" and shape["Vladimir Putin"] == "circle"
    groups = legend(at)
    assert set(groups["country"]) >= {"RUS", "PRK", "UKR"} and set(groups["type"]) == {"state", "person"}


def test_app_actors_minimum_events_slider_comes_from_the_url(sample_store):
    every = plotly_specs(run_page(PAGE))["actors_network"]["data"][0]
    at = run_page(PAGE, query={"actors_min_events": "2"})
    assert at.get_by_key("actors_min_events").value == 2
    busy = plotly_specs(at)["actors_network"]["data"][0]
    n_events = {row[0]: int(row[3]) for row in every["customdata"]}
    assert sorted(row[0] for row in busy["customdata"]) == sorted(n for n, k in n_events.items() if k >= 2)
    assert len(busy["customdata"]) < len(every["customdata"])


def test_app_actors_events_open_on_the_filtered_actor(sample_store):
    at = run_page(PAGE, query={"actor": "Ukraine"})
    assert at.get_by_key("actors_selected").value == "Ukraine"  # not the most mentioned actor
    assert list(at.get_by_key("actors_events").value["role"]) == ["target", "participant"]
