"""Places and links as GeoJSON (RFC 7946) and KML 2.2, for a GIS or Google Earth.

Pure functions from the `places` and `links` tables to bytes. Positions are [longitude,
latitude] in WGS 84 (RFC 7946 §3.1.1; no `crs` member); a link crossing the antimeridian is
split there into a MultiLineString (§3.1.9). Names and other text come from articles, so KML
text is XML-escaped and characters XML 1.0 cannot hold are dropped.
"""
from __future__ import annotations

import json
import re
from xml.sax.saxutils import escape

import pandas as pd

PLACE_PROPERTIES = ("name", "country", "n_mentions", "n_articles", "first_seen", "last_seen")
LINK_PROPERTIES = ("origin", "destination", "type", "n_events", "n_articles", "first_date", "last_date",
                   "distance_km", "event_ids")
KML_NAMESPACE = "http://www.opengis.net/kml/2.2"
# XML 1.0 forbids most control characters, even escaped.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _plain(value):
    """`value` as a JSON-ready scalar: numpy numbers to Python, missing values to None."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def _position(lon, lat) -> list[float] | None:
    """[lon, lat] rounded to 6 decimals (about 10 cm), or None when either is missing or out of range."""
    lon, lat = _plain(lon), _plain(lat)
    if lon is None or lat is None or not (-180 <= float(lon) <= 180 and -90 <= float(lat) <= 90):
        return None
    return [round(float(lon), 6), round(float(lat), 6)]


def split_at_antimeridian(start: list[float], end: list[float]) -> list[list[list[float]]]:
    """The segment start → end as one or two lines of [lon, lat], split where it crosses the
    antimeridian (the short way round, as a great-circle arc goes when |Δlon| > 180)."""
    (lon1, lat1), (lon2, lat2) = start, end
    if abs(lon2 - lon1) <= 180:
        return [[start, end]]
    east = lon1 > 0  # the start is east of Greenwich, so the line leaves through +180
    lon2_unwrapped = lon2 + 360 if east else lon2 - 360
    edge = 180.0 if east else -180.0
    share = (edge - lon1) / (lon2_unwrapped - lon1)
    lat_edge = round(lat1 + share * (lat2 - lat1), 6)
    return [[start, [edge, lat_edge]], [[-edge, lat_edge], end]]


def _properties(row: pd.Series, names) -> dict:
    return {n: _plain(row[n]) for n in names if n in row.index}


def place_features(places: pd.DataFrame) -> list[dict]:
    """A Point feature per located place (rows without coordinates are left out)."""
    out = []
    for _, row in places.iterrows():
        pos = _position(row.get("lon"), row.get("lat"))
        if pos:
            out.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": pos},
                        "properties": {"kind": "place", **_properties(row, PLACE_PROPERTIES)}})
    return out


def link_features(links: pd.DataFrame) -> list[dict]:
    """A LineString (or, across the antimeridian, MultiLineString) feature per link whose two
    ends are located, from origin to destination."""
    out = []
    for _, row in links.iterrows():
        start = _position(row.get("origin_lon"), row.get("origin_lat"))
        end = _position(row.get("destination_lon"), row.get("destination_lat"))
        if not (start and end):
            continue
        parts = split_at_antimeridian(start, end)
        geometry = ({"type": "LineString", "coordinates": parts[0]} if len(parts) == 1
                    else {"type": "MultiLineString", "coordinates": parts})
        out.append({"type": "Feature", "geometry": geometry,
                    "properties": {"kind": "link", **_properties(row, LINK_PROPERTIES)}})
    return out


def geojson(places: pd.DataFrame, links: pd.DataFrame) -> dict:
    """The places and links as one GeoJSON FeatureCollection (places first)."""
    return {"type": "FeatureCollection", "features": place_features(places) + link_features(links)}


def geojson_bytes(places: pd.DataFrame, links: pd.DataFrame) -> bytes:
    """geojson(places, links) as UTF-8 JSON bytes (media type application/geo+json)."""
    return json.dumps(geojson(places, links), ensure_ascii=False, allow_nan=False).encode("utf-8")


def xml_text(value) -> str:
    """`value` as text safe inside an XML element: escaped, characters XML cannot hold dropped."""
    return escape(_NOT_XML.sub("", "" if value is None else str(value)))


def _coordinates(points: list[list[float]]) -> str:
    return " ".join(f"{lon},{lat}" for lon, lat in points)


def _extended_data(properties: dict) -> str:
    cells = "".join(f'<Data name="{xml_text(k)}"><value>{xml_text(v)}</value></Data>'
                    for k, v in properties.items() if v is not None and k != "kind")
    return f"<ExtendedData>{cells}</ExtendedData>"


def _placemark(feature: dict) -> str:
    props, geometry = feature["properties"], feature["geometry"]
    if props["kind"] == "place":
        name = props.get("name")
        shape = f"<Point><coordinates>{_coordinates([geometry['coordinates']])}</coordinates></Point>"
    else:
        name = f"{props.get('origin')} → {props.get('destination')} ({props.get('type')})"
        lines = [geometry["coordinates"]] if geometry["type"] == "LineString" else geometry["coordinates"]
        strings = "".join(f"<LineString><tessellate>1</tessellate><coordinates>{_coordinates(line)}"
                          "</coordinates></LineString>" for line in lines)
        shape = strings if len(lines) == 1 else f"<MultiGeometry>{strings}</MultiGeometry>"
    return f"<Placemark><name>{xml_text(name)}</name>{_extended_data(props)}{shape}</Placemark>"


def kml_bytes(places: pd.DataFrame, links: pd.DataFrame, title: str = "Places and links") -> bytes:
    """The places and links as a KML 2.2 document (UTF-8): a folder of points, a folder of
    lines (tessellated, so they follow the globe), each with its table row as ExtendedData."""
    folders = []
    for label, features in (("Places", place_features(places)), ("Links", link_features(links))):
        folders.append(f"<Folder><name>{label}</name>{''.join(_placemark(f) for f in features)}</Folder>")
    doc = (f'<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="{KML_NAMESPACE}"><Document>'
           f"<name>{xml_text(title)}</name>{''.join(folders)}</Document></kml>\n")
    return doc.encode("utf-8")

