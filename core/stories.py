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
    cols = [out[c].astype(object).where(out[c].notna(), None) for c in
            ("event_id", "type", "date", "date_precision", "origin", "destination")]
    out["story_id"] = [
        story_key(type_, d, p, by_event.get(eid, frozenset()), (o, dst))
        for eid, type_, d, p, o, dst in zip(*cols)
    ]
    return out
