"""Coordinates for names, offline: places from the gazetteer, states by their capital.

A link's end may be a city ("Vladivostok") or a state ("Russia", for a shipment to Russia);
a state is drawn at its capital, as wire maps of bilateral relations usually are.
"""
from __future__ import annotations

from geopy.distance import geodesic

from core.extract.gazetteer import capitals, load_gazetteer


def capital_of(iso3: str | None) -> tuple[float, float] | None:
    """(lat, lon) of the capital of the state with ISO alpha-3 code `iso3`, or None."""
    return capitals().get(iso3) if iso3 else None


def locate(name: str, *, known: dict[str, tuple[float, float]] | None = None) -> tuple[float, float] | None:
    """(lat, lon) for a place or state name: `known` first, then the gazetteer, else None."""
    if not name:
        return None
    if known and name in known:
        return known[name]
    gaz = load_gazetteer()
    place = gaz.listed_place(name)
    named = gaz.state_named(name)
    if place is None and named is not None:
        # a state's own name before the cities ("Jordan" is also a town in Hong Kong, "Mexico" one
        # in the Philippines); a capital's name ("La Paz") is still the city of that name
        coords = capital_of(named.country)
        if coords is not None:
            return coords
    if place is None:
        place = gaz.city(name)
    if place is not None and place.lat is not None and place.lon is not None:
        return (place.lat, place.lon)
    actor = gaz.actor(name)  # a seat of government with no city of its name ("Downing Street")
    return capital_of(actor.country) if actor is not None and actor.type == "state" else None


def distance_km(a: tuple[float, float] | None, b: tuple[float, float] | None) -> float | None:
    """Geodesic distance in km between two (lat, lon) points, or None if either is unknown."""
    if a is None or b is None:
        return None
    return round(geodesic(a, b).km, 1)
