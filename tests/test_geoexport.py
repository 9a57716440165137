"""core.corpus.geoexport: places and links as RFC 7946 GeoJSON and KML 2.2."""
import json
import math
import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from core.corpus import geoexport

KML = "{http://www.opengis.net/kml/2.2}"
HOSTILE = 'Kim <b>Il</b> Sung & "Square"\x01 <script>alert(1)</script>'


def places() -> pd.DataFrame:
    return pd.DataFrame([
        dict(name="Pyongyang", country="PRK", lat=39.03, lon=125.75, n_mentions=8, n_articles=3),
        dict(name=HOSTILE, country="PRK", lat=39.0195, lon=125.7527, n_mentions=1, n_articles=1),
        dict(name="Nowhere", country=None, lat=None, lon=None, n_mentions=2, n_articles=1),
    ]).astype({"n_mentions": "Int64", "lat": "Float64", "lon": "Float64"})


def links() -> pd.DataFrame:
    return pd.DataFrame([
        dict(origin="Pyongyang", destination="Moscow", type="transfer", n_events=2, origin_lat=39.03,
             origin_lon=125.75, destination_lat=55.75, destination_lon=37.62, event_ids="a-1;b-1"),
        dict(origin="Vladivostok", destination="Anchorage", type="visit", n_events=1, origin_lat=43.1,
             origin_lon=131.9, destination_lat=61.2, destination_lon=-149.9, event_ids="c-0"),
        dict(origin="Moscow", destination="Atlantis", type="visit", n_events=1, origin_lat=55.75,
             origin_lon=37.62, destination_lat=None, destination_lon=None, event_ids="d-0"),
    ]).astype({"n_events": "Int64"})


def valid_position(p) -> bool:
    return (isinstance(p, list) and len(p) == 2 and all(isinstance(v, int | float) and math.isfinite(v) for v in p)
            and -180 <= p[0] <= 180 and -90 <= p[1] <= 90)


def test_geojson_is_an_rfc7946_feature_collection_of_located_rows():
    doc = json.loads(geoexport.geojson_bytes(places(), links()))
    assert doc["type"] == "FeatureCollection" and "crs" not in doc
    kinds = [(f["type"], f["geometry"]["type"], f["properties"]["kind"]) for f in doc["features"]]
    assert kinds == [("Feature", "Point", "place")] * 2 + [("Feature", "LineString", "link"),
                                                           ("Feature", "MultiLineString", "link")]
    pyongyang = doc["features"][0]
    assert pyongyang["geometry"]["coordinates"] == [125.75, 39.03]  # longitude first
    assert pyongyang["properties"]["n_mentions"] == 8 and doc["features"][1]["properties"]["name"] == HOSTILE
    transfer = doc["features"][2]
    assert transfer["geometry"]["coordinates"] == [[125.75, 39.03], [37.62, 55.75]]  # origin → destination
    assert transfer["properties"]["event_ids"] == "a-1;b-1"
    for f in doc["features"]:
        g = f["geometry"]
        lines = {"Point": [[g["coordinates"]]], "LineString": [g["coordinates"]], "MultiLineString": g["coordinates"]}
        assert all(valid_position(p) for line in lines[g["type"]] for p in line)


def test_a_link_across_the_antimeridian_is_split_there():
    parts = geoexport.split_at_antimeridian([131.9, 43.1], [-149.9, 61.2])
    assert [p[0] for p in parts] == [[131.9, 43.1], [-180.0, parts[1][0][1]]]
    assert parts[0][1] == [180.0, parts[1][0][1]] and parts[1][1] == [-149.9, 61.2]
    assert 43.1 < parts[0][1][1] < 61.2
    assert geoexport.split_at_antimeridian([37.6, 55.7], [125.7, 39.0]) == [[[37.6, 55.7], [125.7, 39.0]]]


def test_kml_is_well_formed_kml22_with_text_escaped():
    raw = geoexport.kml_bytes(places(), links(), title="Map <filtered>")
    root = ET.fromstring(raw)  # raises on malformed XML or an unescaped character
    assert root.tag == f"{KML}kml" and raw.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    doc = root.find(f"{KML}Document")
    assert doc.find(f"{KML}name").text == "Map <filtered>"
    folders = {f.find(f"{KML}name").text: f.findall(f"{KML}Placemark") for f in doc.findall(f"{KML}Folder")}
    assert [p.find(f"{KML}name").text for p in folders["Places"]] == ["Pyongyang", HOSTILE.replace("\x01", "")]
    point = folders["Places"][0].find(f"{KML}Point/{KML}coordinates").text
    assert point == "125.75,39.03"
    line = folders["Links"][0].find(f"{KML}LineString/{KML}coordinates").text
    assert line == "125.75,39.03 37.62,55.75"
    assert len(folders["Links"][1].findall(f"{KML}MultiGeometry/{KML}LineString")) == 2
    data = {d.get("name"): d.find(f"{KML}value").text for d in folders["Links"][0].iter(f"{KML}Data")}
    assert data["n_events"] == "2" and data["type"] == "transfer"
    assert b"<script>" not in raw and b"<b>" not in raw


@pytest.mark.parametrize("maker", [geoexport.geojson_bytes, geoexport.kml_bytes])
def test_empty_tables_give_an_empty_valid_document(maker):
    empty_places, empty_links = places().iloc[0:0], links().iloc[0:0]
    out = maker(empty_places, empty_links)
    if maker is geoexport.geojson_bytes:
        assert json.loads(out) == {"type": "FeatureCollection", "features": []}
    else:
        assert ET.fromstring(out).find(f"{KML}Document") is not None
