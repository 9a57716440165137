"""core.query.geo: the fitted map view, curved arcs kept apart, labels that do not collide."""
import numpy as np
import pandas as pd
import pytest

from core.query import geo


def test_fit_view_frames_the_points_with_a_margin_and_a_minimum_span():
    view = geo.fit_view([55.75, 39.03, 49.99], [37.62, 125.75, 36.23])
    (south, north), (west, east) = view["lat_range"], view["lon_range"]
    assert south < 39.03 and north > 55.75 and west < 36.23 and east > 125.75
    assert east - west < 140  # fitted, not the whole world
    alone = geo.fit_view([39.0], [125.7])
    assert alone["lat_range"] == [35.0, 43.0] and alone["lon_range"] == [119.7, 131.7]
    assert geo.fit_view([], []) is None and geo.fit_view([None], [None]) is None


def test_labels_skip_points_too_close_to_a_more_important_one():
    view = geo.fit_view([43.1, 45.05, 37.57, 39.03], [131.9, 135.0, 126.98, 125.75])
    x, y = geo.screen_xy([43.1, 45.05, 37.57, 39.03], [131.9, 135.0, 126.98, 125.75], view, 1000, 600)
    assert x[0] < x[1] and y[0] > y[1]  # Vladivostok is west and south of Primorsky Krai's centre
    shown = geo.labelled(x, y, [1, 3, 2, 8], [600, 600, 600, 600], height=150)
    assert list(shown) == [False, True, False, True]  # Pyongyang, then Primorsky Krai; the others too close
    assert list(geo.labelled(x, y, [1, 3, 2, 8], [1, 1, 1, 1], height=1, gap=0)) == [True] * 4


def test_labels_side_by_side_clash_only_when_their_boxes_meet():
    x, y = [0, 100, 0], [0, 0, 40]
    assert list(geo.labelled(x, y, [3, 2, 1], [90, 90, 90], height=16, gap=6)) == [True, True, True]
    assert list(geo.labelled(x, y, [3, 2, 1], [120, 120, 120], height=16, gap=6)) == [True, False, True]
    assert list(geo.labelled(x, y, [3, 2, 1], [120, 120, 120], height=40, gap=6)) == [True, False, False]


def test_a_place_inside_a_city_is_shown_through_the_city():
    places = pd.DataFrame({"name": ["Kim Il Sung Square", "Pyongyang", "Moscow", "Sunan Airport"],
                           "lat": [39.0195, 39.034, 55.75, 39.22], "lon": [125.7527, 125.754, 37.62, 125.67],
                           "n_mentions": [5, 8, 1, 9]})
    parents = geo.containing_place(places, within_km=20)
    # The airport, 21 km out and more mentioned, is its own place; the square goes under the city.
    assert list(parents) == ["Pyongyang", "Pyongyang", "Moscow", "Sunan Airport"]


def arcs(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["origin", "destination", "type", "origin_lat", "origin_lon",
                                       "destination_lat", "destination_lon"])


def test_arcs_between_the_same_places_get_distinct_bulges():
    a = arcs([("North Korea", "Russia", "transfer", 39.0, 125.7, 55.7, 37.6),  # the capitals: the same places
              ("Pyongyang", "Moscow", "visit", 39.0, 125.7, 55.7, 37.6),
              ("Moscow", "Pyongyang", "visit", 55.7, 37.6, 39.0, 125.7),
              ("Moscow", "Kharkiv", "strike", 55.7, 37.6, 50.0, 36.2)])
    paths = geo.arc_paths(a)
    assert len(set(np.round(np.abs(paths["bend"]), 6))) == 4 - 1  # three lanes on one pair; a lone arc
    mids = paths[["mid_lat", "mid_lon"]].round(3).drop_duplicates()
    assert len(mids) == 4  # no two arcs share their clickable middle
    first = paths.iloc[0]
    assert (first["path_lat"][0], first["path_lon"][0]) == pytest.approx((39.0, 125.7))
    assert (first["path_lat"][-1], first["path_lon"][-1]) == pytest.approx((55.7, 37.6))  # ends where it goes


def test_curve_bulges_to_the_left_of_travel():
    lats, _ = geo.curve(0.0, 0.0, 0.0, 10.0, 0.2)  # eastwards along the equator
    assert lats[len(lats) // 2] == pytest.approx(2.0)  # left of east is north; 0.2 × 10 degrees
    lats, _ = geo.curve(0.0, 10.0, 0.0, 0.0, 0.2)  # westwards: left is south
    assert lats[len(lats) // 2] == pytest.approx(-2.0)


def test_in_view():
    view = geo.KOREA_FAR_EAST
    assert list(geo.in_view([39.0, 55.7], [125.7, 37.6], view)) == [True, False]


def test_fit_view_widens_the_short_side_to_the_screen_shape():
    view = geo.fit_view([39.0, 55.7], [37.6, 125.7], aspect=1.2)
    (south, north), (west, east) = view["lat_range"], view["lon_range"]
    assert south < 39.0 and north > 55.7 and (west, east) == (21.742, 141.558)  # lon: the data + 18 % each side
    y0, y1 = geo.mercator_y([south, north])
    assert np.radians(east - west) / (y1 - y0) == pytest.approx(1.2, rel=0.01)  # its box's shape in Mercator
    x, y = geo.screen_xy([south, north], [west, east], view, 1200, 1000)
    assert (x[0], x[1], y[0], y[1]) == pytest.approx((0, 1200, 1000, 0), abs=1)  # the frame fills the box


def test_a_label_that_does_not_fit_above_tries_below_then_beside():
    x, y = [0, 0, 300], [0, 12, 0]
    spots = geo.label_spots(x, y, [2, 1, 0], [80, 80, 80], height=16, gap=4, marker=6)
    assert list(spots) == ["top center", "bottom center", "top center"]
    crowded = geo.label_spots([0, 0, 0, 0, 0], [0, 0, 0, 0, 0], [5, 4, 3, 2, 1], [80] * 5, height=16, gap=4)
    assert list(crowded) == ["top center", "bottom center", "", "", ""]  # beside would touch above and below


def test_a_label_keeps_clear_of_obstacles_such_as_arc_markers():
    free = geo.label_spots([0], [0], [1], [80], height=16, gap=4, marker=6)
    blocked = geo.label_spots([0], [0], [1], [80], height=16, gap=4, marker=6, obstacles=([0], [-14], [14]))
    assert list(free) == ["top center"] and list(blocked) == ["bottom center"]
