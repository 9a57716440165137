"""Group event rows that report the same real-world event under one story id."""
from __future__ import annotations

import hashlib

import pandas as pd


def story_key(type_: str, date: str | None, precision: str | None, actors: frozenset, ends: tuple) -> str:
    """A stable id for (type, date, main actors, origin/destination)."""
    raw = "|".join([type_, date or "", precision or "", ";".join(sorted(actors)), *[e or "" for e in ends]])
    return "s" + hashlib.sha1(raw.encode()).hexdigest()[:10]


def assign_stories(events: pd.DataFrame, event_actors: pd.DataFrame) -> pd.DataFrame:
    """`events` with `story_id` set.

    Two rows are one story when they have the same type, the same date and precision (or both
    none), the same source/target actors and the same ends. Participants are left out of the
    key: one outlet names the delegation's members, another only its leader.
    """
    out = events.copy()
    if out.empty:
        return out
    main = event_actors[event_actors["role"].isin(["source", "target"])]
    by_event = main.groupby("event_id")["actor"].agg(frozenset).to_dict()
    out["story_id"] = [
        story_key(r.type, _s(r.date), _s(r.date_precision), by_event.get(r.event_id, frozenset()),
                  (_s(r.origin), _s(r.destination)))
        for r in out.itertuples()
    ]
    return out


def _s(v):
    return None if pd.isna(v) else str(v)
