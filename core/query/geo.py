"""The map's geometry, in pure numpy/pandas: the view fitted to the places shown, curved arcs
that keep links of different types between the same two places apart, and which place names
to write so labels do not pile up.

Screen positions are estimated with an equirectangular projection of the fitted view (x from
longitude scaled by the cosine of the view's middle latitude): close enough to the map's
projection at the scale of a region to tell which labels would collide.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from core.extract.geo import distance_km

KOREA_FAR_EAST = {"lat_range": [33.0, 48.5], "lon_range": [122.0, 142.0]}  # the inset's fixed frame
MIN_SPAN = (8.0, 12.0)  # (lat, lon) degrees: one place alone still shows its surroundings
PAD = 0.18  # share of the span added on every side
BEND = 0.18  # a lone arc's bulge, as a share of its length
LANE = 0.14  # each further link between the same two places bulges this much more


def mercator_y(lat) -> np.ndarray:
    """Web-Mercator y (radians) of latitudes in degrees."""
    phi = np.radians(np.clip(np.asarray(lat, float), -85.0, 85.0))
    return np.log(np.tan(np.pi / 4 + phi / 2))


def _lat_of(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(y)) - math.pi / 2)


def fit_view(lats, lons, *, pad: float = PAD, min_span: tuple[float, float] = MIN_SPAN,
             aspect: float | None = None) -> dict | None:
    """{"lat_range": [south, north], "lon_range": [west, east]} framing every point with `pad`
    of the span around it and at least `min_span` degrees across, widened along its shorter
    side to the screen `aspect` (width / height, in a Mercator projection) when given, so the
    map fills its box; None when there is no point. Assumes the points do not straddle the
    antimeridian."""
    lat = pd.to_numeric(pd.Series(lats, dtype="object"), errors="coerce").dropna().to_numpy(float)
    lon = pd.to_numeric(pd.Series(lons, dtype="object"), errors="coerce").dropna().to_numpy(float)
    if not len(lat) or not len(lon):
        return None

    def frame(lo: float, hi: float, least: float) -> tuple[float, float]:
        margin = max((hi - lo) * pad, (least - (hi - lo)) / 2, 0.0)
        return lo - margin, hi + margin

    south, north = frame(float(lat.min()), float(lat.max()), min_span[0])
    west, east = frame(float(lon.min()), float(lon.max()), min_span[1])
    south, north = max(-85.0, south), min(85.0, north)
    if aspect:
        y0, y1 = (float(v) for v in mercator_y([south, north]))
        width, height = math.radians(east - west), y1 - y0
        if width / height < aspect:
            grow = math.degrees(height * aspect - width) / 2
            west, east = west - grow, east + grow
        else:
            grow = (width / aspect - height) / 2
            south, north = _lat_of(y0 - grow), _lat_of(y1 + grow)
    return {"lat_range": [round(max(-85.0, south), 3), round(min(85.0, north), 3)],
            "lon_range": [round(max(-180.0, west), 3), round(min(180.0, east), 3)]}


def screen_xy(lats, lons, view: dict, width: float, height: float) -> tuple[np.ndarray, np.ndarray]:
    """Approximate pixel positions (x right, y down) of points in a `width`×`height` Mercator
    map framed by `view` (see fit_view), scaling both axes alike as the map does."""
    (south, north), (west, east) = view["lat_range"], view["lon_range"]
    y0, y1 = (float(v) for v in mercator_y([south, north]))
    span_x, span_y = max(math.radians(east - west), 1e-9), max(y1 - y0, 1e-9)
    scale = min(width / span_x, height / span_y)
    x = np.radians(np.asarray(lons, float) - (west + east) / 2) * scale + width / 2
    y = ((y0 + y1) / 2 - mercator_y(lats)) * scale + height / 2
    return x, y


# Where a label may sit around its point (plotly textposition) and the offset of its box's
# centre from the point, in label heights (dy) and label half-widths (dx), tried in this order.
LABEL_SPOTS = (("top center", 0.0, -1.0), ("bottom center", 0.0, 1.0), ("middle right", 1.0, 0.0),
               ("middle left", -1.0, 0.0))


def label_spots(x, y, priority, widths, *, height: float = 16.0, gap: float = 6.0, marker: float = 10.0,
                obstacles: tuple | None = None) -> np.ndarray:
    """Where to write each point's label (a plotly textposition), "" where none fits: greedily
    by `priority` (highest first), the first spot of LABEL_SPOTS whose box (`widths[i]` wide,
    `height` high, `marker` pixels off the point) stays `gap` pixels clear of every label
    placed before it and of the `obstacles` (x, y, size) drawn there already, such as the
    markers of arcs, taken as squares of that size."""
    x, y, w = np.asarray(x, float), np.asarray(y, float), np.asarray(widths, float)
    ox, oy, osize = (np.asarray(v, float) for v in (obstacles or ([], [], [])))
    # Boxes taken so far (centre x, centre y, width, height): the obstacles first.
    bx, by, bw, bh = list(ox), list(oy), list(osize), list(osize)
    spots = np.full(len(x), "", dtype=object)
    for i in np.argsort(-np.asarray(priority, float), kind="stable"):
        for name, dx, dy in LABEL_SPOTS:
            cx = x[i] + dx * (w[i] / 2 + marker)
            cy = y[i] + dy * (height / 2 + marker)
            clash = ((np.abs(np.asarray(bx) - cx) < (np.asarray(bw) + w[i]) / 2 + gap)
                     & (np.abs(np.asarray(by) - cy) < (np.asarray(bh) + height) / 2 + gap))
            if not clash.any():
                spots[i] = name
                bx.append(cx)
                by.append(cy)
                bw.append(w[i])
                bh.append(height)
                break
    return spots


def labelled(x, y, priority, widths, *, height: float = 16.0, gap: float = 6.0) -> np.ndarray:
    """True for the points whose label is written above them: greedily by `priority` (highest
    first), a label (a box `widths[i]` wide and `height` high, centred over its point) is kept
    when it stays `gap` pixels clear of every label kept before."""
    x, y, w = np.asarray(x, float), np.asarray(y, float), np.asarray(widths, float)
    keep = np.zeros(len(x), dtype=bool)
    for i in np.argsort(-np.asarray(priority, float), kind="stable"):
        kept = np.flatnonzero(keep)
        clash = (np.abs(x[kept] - x[i]) < (w[kept] + w[i]) / 2 + gap) & (np.abs(y[kept] - y[i]) < height + gap)
        keep[i] = not clash.any()
    return keep


def containing_place(places: pd.DataFrame, *, within_km: float = 20.0) -> pd.Series:
    """For each place (rows with `name`, `lat`, `lon`, `n_mentions`), the name of the place
    it sits inside: a more-mentioned place within `within_km` (a square inside its city), else
    its own name. The most mentioned place of a cluster stands for it; ties go by name."""
    order = places.assign(_n=places["n_mentions"].astype(float).fillna(0)).sort_values(
        ["_n", "name"], ascending=[False, True])
    heads: list[tuple[str, float, float]] = []
    parent: dict = {}
    for idx, row in order.iterrows():
        point = (float(row["lat"]), float(row["lon"]))
        home = next((name for name, lat, lon in heads if (distance_km(point, (lat, lon)) or 0.0) <= within_km), None)
        if home is None:
            heads.append((row["name"], *point))
        parent[idx] = home or row["name"]
    return pd.Series(parent, dtype="object").reindex(places.index)


def curve(lat1: float, lon1: float, lat2: float, lon2: float, bend: float,
          n: int = 25) -> tuple[np.ndarray, np.ndarray]:
    """`n` points (lats, lons) of a quadratic Bézier from the first place to the second whose
    middle is pushed sideways by `bend` × the straight length (positive: to the left of the
    direction of travel), computed in a plane where a degree of longitude is shortened by the
    cosine of the middle latitude so the bulge looks the same in every direction."""
    k = max(math.cos(math.radians((lat1 + lat2) / 2)), 0.05)
    x1, y1, x2, y2 = lon1 * k, lat1, lon2 * k, lat2
    dx, dy = x2 - x1, y2 - y1
    cx, cy = (x1 + x2) / 2 - dy * bend * 2, (y1 + y2) / 2 + dx * bend * 2  # the control point: twice the bulge
    t = np.linspace(0.0, 1.0, n)
    xs = (1 - t) ** 2 * x1 + 2 * (1 - t) * t * cx + t**2 * x2
    ys = (1 - t) ** 2 * y1 + 2 * (1 - t) * t * cy + t**2 * y2
    return ys, xs / k


def arc_bends(arcs: pd.DataFrame) -> np.ndarray:
    """A bend per arc (rows with origin/destination coordinates and `type`): arcs joining the
    same two points, in either direction, get bulges of growing size, in type order, so none hides
    another; the sign keeps every bulge of a pair on the same side whichever way it points."""
    bends = np.zeros(len(arcs))
    # Ends are compared by position, not name: "North Korea" and "Pyongyang" both sit on the capital.
    ends = [arcs[f"{end}_lat"].astype(float).round(2).astype(str) + "," + arcs[f"{end}_lon"].astype(float).round(2)
            .astype(str) for end in ("origin", "destination")]
    forward = (ends[0] <= ends[1]).to_numpy()
    pair = np.where(forward, ends[0] + "|" + ends[1], ends[1] + "|" + ends[0])
    frame = pd.DataFrame({"pair": pair, "type": arcs["type"].astype(str).to_numpy(), "pos": np.arange(len(arcs))})
    for _, group in frame.sort_values(["pair", "type", "pos"]).groupby("pair", sort=False):
        for lane, pos in enumerate(group["pos"]):
            bends[pos] = (BEND + LANE * lane) * (1 if forward[pos] else -1)
    return bends


def arc_paths(arcs: pd.DataFrame, *, n: int = 25) -> pd.DataFrame:
    """`arcs` (views.link_arcs rows) with `bend`, the curve's points (`path_lat`, `path_lon`,
    lists from origin to destination) and its middle (`mid_lat`, `mid_lon`, where the arc's
    clickable marker sits)."""
    out = arcs.copy()
    out["bend"] = arc_bends(arcs) if len(arcs) else []
    ends = out[["origin_lat", "origin_lon", "destination_lat", "destination_lon", "bend"]].to_numpy(float)
    paths = [curve(a, b, c, d, e, n) for a, b, c, d, e in ends]
    out["path_lat"] = [list(p[0]) for p in paths]
    out["path_lon"] = [list(p[1]) for p in paths]
    out["mid_lat"] = [float(p[0][n // 2]) for p in paths]
    out["mid_lon"] = [float(p[1][n // 2]) for p in paths]
    return out


def in_view(lats, lons, view: dict) -> np.ndarray:
    """True for the points inside `view`'s frame."""
    lat, lon = np.asarray(lats, float), np.asarray(lons, float)
    (south, north), (west, east) = view["lat_range"], view["lon_range"]
    return (lat >= south) & (lat <= north) & (lon >= west) & (lon <= east)
