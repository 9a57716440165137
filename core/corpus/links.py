"""Origin -> destination links aggregated from events, for the map."""
from __future__ import annotations

import pandas as pd

from core import schema
from core.extract.geo import distance_km, locate


def build_links(events: pd.DataFrame, places: pd.DataFrame,
                located: dict[str, tuple[float, float] | None] | None = None) -> pd.DataFrame:
    """One row per (origin, destination, type) over the events that have both ends.

    Coordinates come from the places table when the place was seen there, else from the
    offline gazetteer (states at their capital): from `located` when it holds the name (what
    `core.extract.geo.locate` answered for it elsewhere, e.g. on a Dask worker that has the
    gazetteer loaded), else looked up here.
    """
    moves = events.dropna(subset=["origin", "destination"])
    moves = moves[moves["origin"] != moves["destination"]]
    if moves.empty:
        return schema.empty("links")
    known = {name: (lat, lon) for name, lat, lon in places[["name", "lat", "lon"]].itertuples(index=False, name=None)
             if pd.notna(lat)}
    located = located or {}

    def where(name: str) -> tuple[float, float] | None:
        return located[name] if name not in known and name in located else locate(name, known=known)

    rows = []
    for (origin, dest, type_), grp in moves.groupby(["origin", "destination", "type"], sort=True):
        a, b = where(str(origin)), where(str(dest))
        dates = grp["date"].dropna()
        rows.append({
            "origin": origin, "destination": dest, "type": type_,
            "n_events": len(grp), "n_articles": grp["article_id"].nunique(),
            "first_date": dates.min() if len(dates) else None,
            "last_date": dates.max() if len(dates) else None,
            "origin_lat": a[0] if a else None, "origin_lon": a[1] if a else None,
            "destination_lat": b[0] if b else None, "destination_lon": b[1] if b else None,
            "distance_km": distance_km(a, b),
            "event_ids": ";".join(grp["event_id"]),
        })
    return pd.DataFrame(rows, columns=schema.columns("links"))
