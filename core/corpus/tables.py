"""Corpus-level actor and place tables, derived from the mentions of every article."""
from __future__ import annotations

import pandas as pd

from core import schema


def _joined_set(values: pd.Series) -> str:
    return ";".join(sorted(set(values.dropna())))


def actors_table(mentions: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """One row per canonical actor: type, country, code, surface forms, counts, first/last seen."""
    m = mentions[mentions["kind"] == "actor"]
    if m.empty:
        return schema.empty("actors")
    m = m.merge(articles[["article_id", "published"]], on="article_id", how="left")
    # "he" or "the ministry" standing for an actor is not one of its names
    coref = m["coref"].fillna(False).astype(bool) if "coref" in m else pd.Series(False, index=m.index)
    m = m.assign(alias=m["surface"].where(~coref))
    g = m.groupby("name", sort=True)
    out = g.agg(type=("type", "first"), country=("country", "first"), code=("code", "first"),
                aliases=("alias", _joined_set), n_articles=("article_id", "nunique"),
                n_mentions=("surface", "size"), first_seen=("published", "min"),
                last_seen=("published", "max"))
    return out.reset_index()[schema.columns("actors")]


def places_table(mentions: pd.DataFrame) -> pd.DataFrame:
    """One row per place mentioned (below country level), with coordinates and counts."""
    m = mentions[mentions["kind"] == "place"]
    if m.empty:
        return schema.empty("places")
    out = m.groupby("name", sort=True).agg(
        country=("country", "first"), lat=("lat", "first"), lon=("lon", "first"),
        n_articles=("article_id", "nunique"), n_mentions=("surface", "size"))
    return out.reset_index()[schema.columns("places")]
