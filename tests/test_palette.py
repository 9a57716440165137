"""The palette's contrast and colour-blind safety, computed here from published formulas.

Contrast: WCAG 2.1 relative luminance and contrast ratio; every colour needs ≥ 3:1 (non-text
contrast) against the page background and the map's land. Colour-blind safety: each colour
simulated for deuteranopia and protanopia with the Machado, Oliveira & Fernandes (2009)
matrices at severity 1.0 (applied to linear RGB), then every pair of colours compared with
CIEDE2000 (Sharma, Wu & Dalal 2005) in CIELAB (D65); every pair must differ by ≥ 15 in normal
vision and in both simulations (about 7 just-noticeable differences: apart at a glance).
"""
import itertools

import numpy as np
import pytest

import ui.widgets
from core.vocab import EventType
from ui import palette

MIN_CONTRAST = 3.0
MIN_DELTA_E = 15.0
MACHADO = {
    "protanopia": np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
}
SRGB_TO_XYZ = np.array([[0.4124564, 0.3575761, 0.1804375], [0.2126729, 0.7151522, 0.0721750],
                        [0.0193339, 0.1191920, 0.9503041]])
D65 = np.array([0.95047, 1.0, 1.08883])


def linear_rgb(hex_colour: str) -> np.ndarray:
    h = hex_colour.lstrip("#")
    c = np.array([int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)])
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def contrast(a: str, b: str) -> float:
    la, lb = sorted((float(linear_rgb(c) @ [0.2126, 0.7152, 0.0722]) for c in (a, b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def lab(hex_colour: str, simulation: str | None = None) -> tuple[float, float, float]:
    rgb = linear_rgb(hex_colour)
    if simulation:
        rgb = np.clip(MACHADO[simulation] @ rgb, 0, 1)
    xyz = SRGB_TO_XYZ @ rgb / D65
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


def ciede2000(lab1, lab2) -> float:
    (l1, a1, b1), (l2, a2, b2) = lab1, lab2
    c_bar = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    g = 0.5 * (1 - np.sqrt(c_bar**7 / (c_bar**7 + 25**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = np.hypot(a1p, b1), np.hypot(a2p, b2)
    h1p, h2p = np.degrees(np.arctan2(b1, a1p)) % 360, np.degrees(np.arctan2(b2, a2p)) % 360
    dh = 0.0 if c1p * c2p == 0 else (h2p - h1p + 180) % 360 - 180
    d_big_h = 2 * np.sqrt(c1p * c2p) * np.sin(np.radians(dh / 2))
    l_bar, cp_bar = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        h_bar = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        h_bar = (h1p + h2p) / 2
    else:
        h_bar = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (1 - 0.17 * np.cos(np.radians(h_bar - 30)) + 0.24 * np.cos(np.radians(2 * h_bar))
         + 0.32 * np.cos(np.radians(3 * h_bar + 6)) - 0.20 * np.cos(np.radians(4 * h_bar - 63)))
    d_theta = 30 * np.exp(-(((h_bar - 275) / 25) ** 2))
    r_c = 2 * np.sqrt(cp_bar**7 / (cp_bar**7 + 25**7))
    s_l = 1 + 0.015 * (l_bar - 50) ** 2 / np.sqrt(20 + (l_bar - 50) ** 2)
    s_c, s_h = 1 + 0.045 * cp_bar, 1 + 0.015 * cp_bar * t
    r_t = -np.sin(np.radians(2 * d_theta)) * r_c
    dl, dc, dhh = (l2 - l1) / s_l, (c2p - c1p) / s_c, d_big_h / s_h
    return float(np.sqrt(dl**2 + dc**2 + dhh**2 + r_t * dc * dhh))


@pytest.mark.parametrize("lab1, lab2, expected", [  # Sharma et al. (2005), Table 1, pairs 1, 17, 34
    ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
    ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
    ((2.0776, 0.0795, -1.135), (0.9033, -0.0636, -0.5514), 0.9082),
])
def test_ciede2000_matches_the_published_test_data(lab1, lab2, expected):
    assert ciede2000(lab1, lab2) == pytest.approx(expected, abs=1e-4)


def test_contrast_formula_gives_the_known_extremes():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # the well-known borderline grey


@pytest.mark.parametrize("colour", palette.PALETTE)
@pytest.mark.parametrize("background", [palette.BACKGROUND, palette.MAP_LAND])
def test_palette_colour_contrasts_at_least_3_to_1(colour, background):
    assert contrast(colour, background) >= MIN_CONTRAST


@pytest.mark.parametrize("simulation", [None, "deuteranopia", "protanopia"])
def test_palette_colours_stay_apart_in_colour_blind_simulations(simulation):
    diffs = {(a, b): ciede2000(lab(palette.TYPE_COLORS[a], simulation), lab(palette.TYPE_COLORS[b], simulation))
             for a, b in itertools.combinations(palette.TYPE_COLORS, 2)}
    closest = min(diffs, key=diffs.get)
    assert diffs[closest] >= MIN_DELTA_E, f"{closest} differ by {diffs[closest]:.1f} under {simulation}"


def test_simulation_merges_what_a_dichromat_cannot_tell_apart():
    """The check can fail: pure red and green (far apart for normal vision) come close in both."""
    normal = ciede2000(lab("#cc3333"), lab("#669900"))
    assert normal > 40
    assert all(ciede2000(lab("#cc3333", s), lab("#669900", s)) < normal / 2 for s in MACHADO)


def test_every_type_has_a_colour_a_symbol_and_a_dash_each_its_own():
    for mapping in (palette.TYPE_COLORS, palette.TYPE_SYMBOLS):
        assert set(mapping) == set(EventType) and len(set(mapping.values())) == len(EventType)
    assert set(palette.TYPE_DASHES) == set(EventType)
    assert ui.widgets.TYPE_COLORS is palette.TYPE_COLORS  # one palette, still importable from widgets


def test_country_colours_are_stable_and_bounded():
    colours = palette.country_colors(["RUS", "PRK", "UKR", "KOR", "USA", "CHN", "JPN", "IRN", "other"])
    assert colours["RUS"] == palette.PALETTE[0] and colours["JPN"] == palette.PALETTE[6]
    assert "IRN" not in colours and colours["other"] == palette.PALETTE[-1]
    assert palette.color_of(colours, "IRN") == palette.PALETTE[-1]


def test_actor_types_have_their_own_palette_colour_and_pattern():
    assert set(palette.ACTOR_TYPE_COLORS) == set(palette.ACTOR_TYPE_SYMBOLS) == set(palette.ACTOR_TYPE_PATTERNS)
    assert set(palette.ACTOR_TYPE_COLORS.values()) <= set(palette.PALETTE)  # so the checks above cover them
    assert len(set(palette.ACTOR_TYPE_COLORS.values())) == len(set(palette.ACTOR_TYPE_PATTERNS.values())) == 4
