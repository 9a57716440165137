"""Group event rows that report the same real-world event under one story id."""
from __future__ import annotations

import hashlib
from datetime import date

import pandas as pd

from core.vocab import Precision, Role, precision_rank


def _story_id(*parts) -> str:
    return "s" + hashlib.sha1("|".join(str(p) for p in parts).encode()).hexdigest()[:10]


def assign_stories(events: pd.DataFrame, event_actors: pd.DataFrame) -> pd.DataFrame:
    """`events` with `story_id` set.

    Dated rows of one type are one story when their dates fit each other (the finer inside
    the coarser's period: "June 2024" and "June 18, 2024") and they share a source or target
    actor, or an end of the movement. Participants are left out: one outlet names the
    delegation's members, another only its leader. An undated row, or one with no actor and no
    place, is a story of its own, since nothing ties it to another report. Ids are stable: a
    story is named after its finest row.
    """
    out = events.copy()
    if out.empty:
        return out
    main = event_actors[event_actors["role"].isin([Role.SOURCE, Role.TARGET])]
    actors_of = main.groupby("event_id")["actor"].agg(frozenset).to_dict()
    cols = out[["event_id", "type", "date", "date_precision", "origin", "destination"]].astype(object)
    rows = list(cols.where(cols.notna(), None).itertuples(index=False, name=None))
    order = sorted(range(len(rows)), key=lambda i: (rows[i][2] is None, precision_rank(rows[i][3]), i))
    # Rows are taken finest date first, so a row can only join a story of its own precision
    # (same period) or one of a finer row inside its period: found by (key, period) lookups,
    # with "any story in this month / year" entries for the coarser rows.
    seen: dict[tuple, str] = {}
    story_of: list[str | None] = [None] * len(rows)
    for i in order:
        eid, type_, d, precision, origin, dest = rows[i]
        # sorted: a frozenset's order changes with each process's string hashing, and the first
        # key that finds a story decides which one a row joins
        keys = [(type_, "actor", a) for a in sorted(actors_of.get(eid, ()))] + \
               [(type_, "end", e) for e in (origin, dest) if e]
        if d is None or not keys:
            story_of[i] = _story_id(eid)  # nothing ties it to another report
            continue
        start = date.fromisoformat(d[:10])
        month, year = (Precision.MONTH, start.year, start.month), (Precision.YEAR, start.year)
        inside = {Precision.DAY: (start,), Precision.MONTH: (start, month),
                  Precision.YEAR: (start.year, year)}.get(precision, (start,))
        found = next((seen[(k, p)] for k in keys for p in inside if (k, p) in seen), None)
        sid = found or _story_id(type_, d, precision, sorted(actors_of.get(eid, ())), origin, dest)
        story_of[i] = sid
        own = start if precision != Precision.YEAR else start.year
        for k in keys:
            for p in (own, month, year):
                seen.setdefault((k, p), sid)
    out["story_id"] = story_of
    return out
