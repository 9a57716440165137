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
