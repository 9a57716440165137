"""Corpus-level actor and place tables, derived from the mentions of every article."""
from __future__ import annotations

import pandas as pd

from core import schema


def _first(series: pd.Series):
    s = series.dropna()
    return s.iloc[0] if len(s) else None


def actors_table(mentions: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """One row per canonical actor: type, country, code, surface forms, counts, first/last seen."""
    m = mentions[mentions["kind"] == "actor"]
    if m.empty:
        return schema.empty("actors")
    m = m.merge(articles[["article_id", "published"]], on="article_id", how="left")
    rows = []
    for name, grp in m.groupby("name", sort=True):
        published = grp["published"].dropna()
        rows.append({
            "name": name,
            "type": grp["type"].mode().iloc[0] if grp["type"].notna().any() else None,
            "country": _first(grp["country"]), "code": _first(grp["code"]),
            "aliases": ";".join(sorted(set(grp["surface"]))),
            "n_articles": grp["article_id"].nunique(), "n_mentions": len(grp),
            "first_seen": published.min() if len(published) else None,
            "last_seen": published.max() if len(published) else None,
        })
    return pd.DataFrame(rows, columns=schema.columns("actors"))


def places_table(mentions: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """One row per place mentioned (below country level), with coordinates and counts."""
    m = mentions[mentions["kind"] == "place"]
    if m.empty:
        return schema.empty("places")
    rows = []
    for name, grp in m.groupby("name", sort=True):
        rows.append({
            "name": name, "country": _first(grp["country"]),
            "lat": _first(grp["lat"]), "lon": _first(grp["lon"]),
            "n_articles": grp["article_id"].nunique(), "n_mentions": len(grp),
        })
    return pd.DataFrame(rows, columns=schema.columns("places"))
