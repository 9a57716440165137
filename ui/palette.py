"""The dashboard's one palette: colours, marker symbols and line dashes for event types,
event statuses, actor types and countries.

Every colour keeps a contrast of at least 3:1 against the page background (WCAG 2.1 non-text
contrast) and stays apart from every other colour of its set (CIEDE2000 ≥ 15) for normal
vision and in deuteranopia and protanopia simulations (Machado et al. 2009, full severity);
tests/test_palette.py computes both. Colour is never the only cue: each event type also has a
marker symbol and a line dash, each actor type a marker symbol. A type keeps its colour when
data is added, since the maps are fixed here rather than drawn from a sequence in data order.
"""
from __future__ import annotations

from core.vocab import EventType, Status

BACKGROUND = "#ffffff"  # .streamlit/config.toml theme.backgroundColor
MAP_LAND = "#f2f0eb"  # the map's land fill, the lightest colour a map marker sits on
TEXT = "#1f2933"  # theme.textColor
MUTED = "#5b6776"  # secondary lines and outlines (4.9:1 on white)

# Chosen by a farthest-point search over sRGB for the largest smallest CIEDE2000 difference
# in the three simulations, then tuned by hand; "other" is a neutral grey.
PALETTE = ("#2288ff", "#449977", "#663377", "#ee5500", "#aa1111", "#773344", "#1a1aff", "#6b7280")
TYPE_COLORS: dict[str, str] = dict(zip(tuple(EventType), PALETTE, strict=True))
TYPE_SYMBOLS: dict[str, str] = {
    EventType.VISIT: "circle", EventType.MEETING: "square", EventType.AGREEMENT: "diamond",
    EventType.TRANSFER: "triangle-up", EventType.STRIKE: "x", EventType.STATEMENT: "star",
    EventType.TRANSPORT: "hexagon", EventType.OTHER: "cross",
}
TYPE_DASHES: dict[str, str] = {
    EventType.VISIT: "solid", EventType.MEETING: "dot", EventType.AGREEMENT: "dashdot",
    EventType.TRANSFER: "solid", EventType.STRIKE: "dash", EventType.STATEMENT: "dot",
    EventType.TRANSPORT: "longdash", EventType.OTHER: "longdashdot",
}
# Planned events must look different from reported ones: hollow markers; denied: a cross.
STATUS_SYMBOLS: dict[str, str] = {Status.REPORTED: "circle", Status.PLANNED: "circle-open",
                                  Status.ALLEGED: "diamond", Status.DENIED: "x"}
ACTOR_TYPE_SYMBOLS: dict[str, str] = {"person": "circle", "state": "square", "organisation": "diamond",
                                      "media": "triangle-up"}
ACTOR_TYPE_COLORS: dict[str, str] = {"state": PALETTE[0], "person": PALETTE[3], "organisation": PALETTE[2],
                                     "media": PALETTE[1]}
# Bars have no marker: a fill pattern is their second cue.
ACTOR_TYPE_PATTERNS: dict[str, str] = {"state": "", "person": "/", "organisation": ".", "media": "x"}
OTHER = "other"  # the country bucket for countries past the palette and unknown ones


def country_colors(countries) -> dict[str, str]:
    """A colour per country in `countries` (most important first): the palette's colours in
    order for the first seven, grey for the rest and for OTHER. Assumes the caller passes a
    stable order (e.g. by events, then name), so a country keeps its colour between runs."""
    named = [c for c in dict.fromkeys(countries) if c and c != OTHER]
    colours = {c: PALETTE[i] for i, c in enumerate(named[: len(PALETTE) - 1])}
    return {**colours, OTHER: PALETTE[-1]}


def color_of(mapping: dict[str, str], key: object) -> str:
    """`mapping[key]`, or the neutral grey for a key the palette does not know."""
    return mapping.get(str(key), PALETTE[-1])
