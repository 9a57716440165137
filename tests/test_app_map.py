"""AppTest of pages/map.py: offline outlines, arcs, and the events of a chosen link."""
import json
import xml.etree.ElementTree as ET

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


def geos(at) -> set[str]:
    return {k for k in plotly_specs(at)["map_chart"]["layout"] if k.startswith("geo")}


def test_app_map_is_fitted_to_its_places_with_an_inset_and_arrowheads(sample_store):
    at = run_page(PAGE)
    spec = plotly_specs(at)["map_chart"]
    assert geos(at) == {"geo", "geo2"}
    south, north = spec["layout"]["geo"]["lataxis"]["range"]
    west, east = spec["layout"]["geo"]["lonaxis"]["range"]
    assert south < 39.0 < 55.75 < north and west < 36.23 and 125.75 < east < 180  # not the whole world
    arrows = [t for t in spec["data"] if t.get("marker", {}).get("symbol") == "arrow"]
    assert len(arrows) == 2 and all(t["marker"]["angleref"] == "previous" for t in arrows)  # one per arc
    mids = {t["name"]: t["marker"]["symbol"] for t in spec["data"] if str(t.get("name", "")).endswith(" link")}
    assert mids == {"strike link": "x", "transfer link": "triangle-up"}  # a shape per type, besides colour


def test_app_map_settings_come_from_the_url(sample_store):
    at = run_page(PAGE, query={"map_inset": "false", "map_link": "Moscow → Kharkiv (strike)"})
    assert no_errors(at) == []
    assert geos(at) == {"geo"}
    assert at.get_by_key("map_link").value == "Moscow → Kharkiv (strike)"


def test_app_map_downloads_geojson_and_kml_of_the_shown_rows(sample_store, media_files):
    at = run_page(PAGE, query={"source": "Yonhap"})
    files = {b.proto.label: media_files.read(b) for b in at.get("download_button")}
    (gname, gdata), (kname, kdata) = files["Places and links as GeoJSON"], files["Places and links as KML"]
    assert gname.endswith(".geojson") and kname.endswith(".kml")
    features = json.loads(gdata)["features"]
    assert [f["geometry"]["type"] for f in features if f["properties"]["kind"] == "link"] == ["LineString"]
    assert ET.fromstring(kdata).tag == "{http://www.opengis.net/kml/2.2}kml"
