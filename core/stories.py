"""Group event rows that report the same real-world event under one story id."""
from __future__ import annotations

import hashlib
from datetime import date

import pandas as pd

RANK = {"day": 0, "month": 1, "year": 2}


def _period(d: str, precision: str | None) -> tuple[date, date]:
    """First and last day of the period an ISO date of `precision` stands for."""
    start = date.fromisoformat(d[:10])
    if precision == "year":
        return date(start.year, 1, 1), date(start.year, 12, 31)
    if precision == "month":
        nxt = date(start.year + start.month // 12, start.month % 12 + 1, 1)
        return start, date.fromordinal(nxt.toordinal() - 1)
    return start, start


def _story_id(*parts) -> str:
    return "s" + hashlib.sha1("|".join(str(p) for p in parts).encode()).hexdigest()[:10]


def assign_stories(events: pd.DataFrame, event_actors: pd.DataFrame) -> pd.DataFrame:
    """`events` with `story_id` set.

    Dated rows of one type are one story when their dates fit each other (the finer inside
    the coarser's period: "June 2024" and "June 18, 2024") and they share a source or target
    actor, or an end of the movement. Participants are left out: one outlet names the
    delegation's members, another only its leader. An undated row, or one with no actor and no
    place, is a story of its own, since nothing ties it to another report. Ids are stable: a story is named after its finest row.
    """
    out = events.copy()
    if out.empty:
        return out
    main = event_actors[event_actors["role"].isin(["source", "target"])]
    actors_of = main.groupby("event_id")["actor"].agg(frozenset).to_dict()
    rows = out[["event_id", "type", "date", "date_precision", "origin", "destination"]].astype(object)
    rows = rows.where(rows.notna(), None)
    order = sorted(range(len(rows)), key=lambda i: (rows.iat[i, 2] is None, RANK.get(rows.iat[i, 3], 0), i))
    stories: dict[tuple, list[tuple]] = {}  # (type, key) -> [(period, story_id)]
    story_of = [None] * len(rows)
    for i in order:
        eid, type_, d, precision, origin, dest = rows.iloc[i]
        if d is None:
            story_of[i] = _story_id(eid)
            continue
        period = _period(d, precision)
        keys = [(type_, "actor", a) for a in actors_of.get(eid, ())] + \
               [(type_, "end", e) for e in (origin, dest) if e]
        if not keys:
            story_of[i] = _story_id(eid)  # nothing to tie it to another report
            continue
        found = None
        for key in keys:
            for (start, end), sid in stories.get(key, ()):
                if start <= period[0] and period[1] <= end or period[0] <= start and end <= period[1]:
                    found = sid
                    break
            if found:
                break
        sid = found or _story_id(type_, d, precision, sorted(actors_of.get(eid, ())), origin, dest)
        story_of[i] = sid
        for key in keys:
            stories.setdefault(key, []).append((period, sid))
    out["story_id"] = story_of
    return out
