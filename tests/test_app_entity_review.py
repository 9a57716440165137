"""The "Correct actors" and "Correct places" forms under AppTest, on a real corpus store (the
hand-made sample): a merge leaves one actor on every page and one entry in the log; "not an
actor" removes the name; a place renamed and moved shows so on the Map; bad input is refused
with a clear message and nothing written; without write permission no form is drawn."""
from __future__ import annotations

import base64

import numpy as np
import pandas as pd
import pytest
from conftest import no_errors, plotly_specs, run_page, sample_tables, served_sample_store

from core.corpus import build, corrected, review
from ui import entity_review, sidebar

ACTORS, MAP = "pages/actors.py", "pages/map.py"


@pytest.fixture
def store(tmp_path, monkeypatch):
    """A real store holding the sample corpus, served to the pages, writes allowed."""
    yield from served_sample_store(tmp_path, monkeypatch)




def choose(at, table: str, action: str, target: str):
    """Pick the form's action and the name it acts on."""
    at.get_by_key(f"entity_review_{table}_action").set_value(action).run()
    at.get_by_key(f"entity_review_{table}_target").set_value(target).run()
    return at


def save(at):
    return next(b for b in at.button if b.label == "Save the correction").click().run()


def network_names(at) -> list[str]:
    return sorted(plotly_specs(at)["actors_network"]["data"][0]["text"])


def map_places(at) -> dict[str, tuple[float, float]]:
    places = next(t for t in plotly_specs(at)["map_chart"]["data"] if t.get("name") == "places")
    lat, lon = (numbers(places[k]) for k in ("lat", "lon"))
    return {n: (round(la, 4), round(lo, 4)) for n, la, lo in zip(places["text"], lat, lon, strict=True)}


def numbers(values) -> list[float]:
    """A plotly array as floats (plotly sends numpy arrays as base64 "bdata" typed arrays)."""
    if isinstance(values, dict):
        return [float(v) for v in np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"])]
    return [float(v) for v in values]


def test_app_entity_review_merge_two_actors_shows_one_everywhere(store):
    at = run_page(ACTORS)
    assert "Kim Jong Un" in network_names(at)
    at = choose(at, "actors", "merge into another actor", "Kim Jong Un")
    at.get_by_key("entity_review_actors_into").set_value("North Korea")
    at.get_by_key("entity_review_actors_reason").set_value("the state acts, not its leader")
    at = save(at)
    assert no_errors(at) == []
    log = store.corrections()
    assert list(zip(log["action"], log["target"], log["user"], strict=True)) == [("merge", "Kim Jong Un", "analyst-1")]
    assert '"North Korea"' in log["after"].iloc[0]
    assert any("Saved: merge into another actor “Kim Jong Un”" in s.value for s in at.success)
    names = list(at.dataframe[0].value["name"])
    assert "Kim Jong Un" not in names and names.count("North Korea") == 1
    assert network_names(at) == ["North Korea", "Russia", "Ukraine", "Vladimir Putin"]
    # Other pages: the Timeline's actor filter and its stories.
    at.switch_page("pages/timeline.py").run()
    assert no_errors(at) == []
    options = at.get_by_key(sidebar.KEYS["actors"]).options
    assert "North Korea (state, PRK)" in options and not [o for o in options if o.startswith("Kim Jong Un")]
    stories = at.get_by_key("timeline_stories").value
    assert not stories["actors"].fillna("").str.contains("Kim Jong Un").any()


def test_app_entity_review_not_an_actor_removes_the_name(store):
    at = choose(run_page(ACTORS), "actors", "not an actor", "Kremlin")
    at = save(at)
    assert no_errors(at) == []
    assert "Kremlin" not in set(store.tables()["actors"]["name"])
    assert "Kremlin" not in set(at.dataframe[0].value["name"])
    assert list(store.corrections()["action"]) == ["not_actor"]


def test_app_entity_review_rename_and_move_a_place_shows_on_the_map(store):
    at = run_page(MAP)
    assert map_places(at)["Pyongyang"] == (39.03, 125.75)
    at = choose(at, "places", "rename", "Kharkiv")
    at.get_by_key("entity_review_places_name").set_value("Kharkov")
    at = save(at)
    assert no_errors(at) == []
    at = choose(at, "places", "move (coordinates)", "Pyongyang")
    at.get_by_key("entity_review_places_lat_Pyongyang").set_value("39.02")
    at.get_by_key("entity_review_places_lon_Pyongyang").set_value("125.74")
    at = save(at)
    assert no_errors(at) == []
    places = map_places(at)
    assert sorted(places) == ["Kharkov", "Moscow", "Pyongyang"]
    assert places["Pyongyang"] == (39.02, 125.74) and places["Kharkov"] == (49.99, 36.23)
    assert list(store.corrections()["action"]) == ["rename", "edit"]
    assert "Moscow → Kharkov (strike)" in at.get_by_key("map_link").options  # the link follows the new name


@pytest.mark.parametrize("table, page, action, target, fields, message", [
    ("actors", ACTORS, "rename", "Kremlin", {"name": "  "}, "The new name is empty"),
    ("actors", ACTORS, "merge into another actor", "Kremlin", {}, "Choose the actor to merge into"),
    ("places", MAP, "move (coordinates)", "Moscow", {"lat_Moscow": "200"}, "lat: 200 is outside -90..90"),
    ("places", MAP, "move (coordinates)", "Moscow", {"lon_Moscow": "east"}, "lon"),
    ("places", MAP, "move (coordinates)", "Moscow", {"lat_Moscow": ""}, "Give both lat and lon"),
])
def test_app_entity_review_bad_input_is_refused_and_writes_nothing(store, table, page, action, target, fields,
                                                                   message):
    version = store.version()
    at = choose(run_page(page), table, action, target)
    for name, value in fields.items():
        at.get_by_key(f"entity_review_{table}_{name}").set_value(value)
    at = save(at)
    assert [e.value for e in at.exception] == []
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and message in errors[0]
    assert store.corrections().empty and store.version() == version


def test_app_entity_review_hidden_without_write_permission(store, monkeypatch):
    monkeypatch.setenv("NEWSDASH_READONLY", "1")
    for page, title in ((ACTORS, "Correct actors"), (MAP, "Correct places")):
        at = run_page(page)
        assert no_errors(at) == []
        assert title not in [e.label for e in at.expander]
        assert not [w for w in at.radio if (w.key or "").startswith("entity_review_")]


def test_entity_review_entry_and_aliases():
    assert entity_review.entry("actors", entity_review.Action.SPLIT, "Vladimir Putin",
                               {"alias": "Putin", "name": "Putin (alias)"}, "") == {
        "table": "actors", "action": "split", "target": "Vladimir Putin",
        "after": {"alias": "Putin", "name": "Putin (alias)"}, "reason": ""}
    assert entity_review.entry("actors", entity_review.Action.SPLIT, "Vladimir Putin", {"name": "X"}, "") == \
        "Choose the alias to split off."
    mentions = pd.DataFrame({"kind": ["actor", "actor", "actor", "place"], "name": ["A", "A", "A", "A"],
                             "surface": ["Mr A", "he", "A", "A town"], "coref": [False, True, False, False]})
    assert entity_review.aliases(mentions, "actors", "A") == ["A", "Mr A"]


def test_merge_into_an_existing_name_keeps_its_type_codes_and_coordinates():
    """Pure: merging a person into a state leaves the state (not whichever mention came
    first); a place merged into another takes its coordinates; a rename keeps its own."""
    tables = build.aggregate({k: sample_tables()[k] for k in ("articles", "mentions", "events", "event_actors",
                                                            "quantities")})
    log = review.new_entries([
        {"table": "actors", "action": "merge", "target": "Kim Jong Un", "after": {"name": "North Korea"}},
        {"table": "places", "action": "merge", "target": "Kharkiv", "after": {"name": "Moscow"}},
        {"table": "actors", "action": "rename", "target": "Kremlin", "after": {"name": "Russian presidency"}},
    ], tables, user="t", at="2026-12-01T00:00:00Z")
    out, orphans = corrected.apply(tables, log, build.aggregate)
    assert orphans.empty
    actors = out["actors"].set_index("name")
    assert "Kim Jong Un" not in actors.index
    assert tuple(actors.loc["North Korea", ["type", "country", "code", "n_mentions"]]) == ("state", "PRK", "PRK", 3)
    assert tuple(actors.loc["Russian presidency", ["type", "code"]]) == ("organisation", "RUSGOV")
    places = out["places"].set_index("name")
    assert "Kharkiv" not in places.index
    assert tuple(places.loc["Moscow", ["lat", "lon", "n_mentions"]]) == (55.75, 37.62, 2)


def test_app_entity_review_split_an_alias_off(store):
    at = choose(run_page(ACTORS), "actors", "split an alias off", "Vladimir Putin")
    assert at.get_by_key("entity_review_actors_alias").options == ["Putin"]
    at.get_by_key("entity_review_actors_alias").set_value("Putin")
    at.get_by_key("entity_review_actors_name").set_value("Putin (unclear)")
    at = save(at)
    assert no_errors(at) == []
    names = set(at.dataframe[0].value["name"])
    assert "Putin (unclear)" in names and "Vladimir Putin" not in names  # the sample writes him only "Putin"
    log = store.corrections()
    assert list(log["action"]) == ["split"] and '"alias": "Putin"' in log["after"].iloc[0]


@pytest.mark.parametrize("page, table, name, alias", [(ACTORS, "actors", "Vladimir Putin", "Putin"),
                                                      (MAP, "places", "Pyongyang", "Pyongyang")])
def test_app_entity_review_aliases_read_no_whole_mentions(store, monkeypatch, page, table, name, alias):
    """The split form finds a name's aliases in its own mentions (View.rows), not in the whole
    mentions table (millions of rows at a million events); the pages read only small tables
    whole (the map its links)."""
    from ui import data

    whole, small = data.View.tables, ("actors", "places", "links")

    def small_only(self):
        every = whole.__get__(self)
        return data.LazyTables(lambda t: every[t] if t in small else pytest.fail(f"{t} read whole"))
    monkeypatch.setattr(data.View, "tables", property(small_only))
    at = choose(run_page(page), table, "split an alias off", name)
    assert no_errors(at) == []
    assert at.get_by_key(f"entity_review_{table}_alias").options == entity_review.aliases(
        store.tables()["mentions"], table, name)
    assert alias in at.get_by_key(f"entity_review_{table}_alias").options
