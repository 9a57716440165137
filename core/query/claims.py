"""The claim tracker: who claimed which figure when, grouped by claimant, organisation or state.

A claim sits at the day it was made (views.quantity_series `when`) and covers the period
from `since` to that day. A claimant is one series whatever the wording of its claims (the
qualifier is a marker, not a series); persons and bodies roll up to their organisation
(their state's government, military, judiciary, ... from the CAMEO-style actor code) and
to their state, from the actors table and, for names it lacks, the actor gazetteer.
"""
from __future__ import annotations

import zlib

import numpy as np
import pandas as pd

from core.data import load_json
from core.query.views import UNATTRIBUTED, largest, when_labels

LEVELS = ("claimant", "organisation", "state")
# The role part of an actor code (RUSGOV, PRKMIL) as the body it names within its state.
SECTORS = {"GOV": "government", "MIL": "military", "LEG": "legislature", "JUD": "judiciary", "SPY": "intelligence",
           "MED": "media", "PTY": "party", "OPP": "opposition", "NGO": "NGO", "BUS": "business"}
QUALIFIER_SYMBOLS = {"exact": "circle", "about": "diamond", "more_than": "triangle-up", "less_than": "triangle-down",
                     "vague": "square"}
ACTOR_COLUMNS = ["name", "type", "country", "code"]
ACTORS_SQL = "SELECT name, type, country, code FROM actors"


def gazetteer_actors() -> pd.DataFrame:
    """The actor gazetteer's states, persons and bodies as name, type, country, code."""
    data = load_json("actors.json")
    states = [(s["name"], "state", s["country"], s["country"]) for s in data["states"]]
    known = [(a["name"], a["type"], a.get("country"), a.get("code")) for a in data["actors"]]
    return pd.DataFrame(states + known, columns=ACTOR_COLUMNS)


def state_names(actors: pd.DataFrame) -> dict[str, str]:
    """Country code -> state name: the gazetteer's states, then the states of `actors`."""
    names = {code: name for name, code in zip(*_states(gazetteer_actors()), strict=True)}
    names.update(dict(zip(*reversed(_states(actors)), strict=True)))
    return names


def _states(actors: pd.DataFrame) -> tuple[list, list]:
    s = actors[actors["type"].eq("state").fillna(False) & actors["country"].notna()]
    return list(s["name"]), list(s["country"])


def claimant_groups(claimants, actors: pd.DataFrame) -> pd.DataFrame:
    """One row per distinct claimant: claimant, organisation, state (a level's series name).

    A state is its own organisation and state. A person or body with a code naming a role
    within a state (RUSGOV) belongs to that state's body ("Russia (government)"), and to the
    state. Names without a known state (international bodies, unknown names, unattributed
    figures) stand for themselves at every level. `actors` (name, type, country, code) comes
    first; the gazetteer fills in names it lacks.
    """
    names = pd.Series(pd.unique(pd.Series(list(claimants), dtype="string").dropna()), dtype="string")
    info = pd.concat([actors[ACTOR_COLUMNS], gazetteer_actors()]).drop_duplicates("name").set_index("name")
    states = state_names(actors)
    rows = []
    for name in names:
        kind, country, code = (info.loc[name, c] if name in info.index else None for c in ("type", "country", "code"))
        state = states.get(country) if isinstance(country, str) else None
        if name == UNATTRIBUTED or state is None:
            rows.append((name, name, name))
            continue
        role = code[3:] if isinstance(code, str) and code[:3] == country else ""
        organisation = state if kind == "state" or not role else f"{state} ({SECTORS.get(role, role.lower())})"
        rows.append((name, organisation, state))
    return pd.DataFrame(rows, columns=list(LEVELS), dtype="string")


def stable_colors(names, palette: list[str]) -> dict[str, str]:
    """A colour from `palette` per name, keyed by the name itself (a CRC32 slot), so a series
    keeps its colour when data is added; names that land on a taken slot take the next free
    one, in name order (only when more names than colours share a slot do colours repeat)."""
    taken: dict[int, str] = {}
    out = {}
    for name in sorted(set(names)):
        slot = zlib.crc32(name.encode("utf-8")) % len(palette)
        for step in range(len(palette)):
            if (slot + step) % len(palette) not in taken:
                slot = (slot + step) % len(palette)
                break
        taken[slot] = name
        out[name] = palette[slot]
    return out


def claim_points(series: pd.DataFrame, groups: pd.DataFrame, level: str = "claimant") -> pd.DataFrame:
    """The claims of `series` (views.quantity_series) ready to plot: undated ones dropped,
    `series_name` the claimant at `level` (see claimant_groups), `made` the day the claim was
    made, `span_start`/`span_end` the period it covers (since → made; empty when none or when
    `since` is not before it), `made_label` the honest date ("May 2024 (month only)"),
    `symbol` the marker of its qualifier. Sorted by category, series, made."""
    if level not in LEVELS:
        raise ValueError(f"claims are grouped by {', '.join(LEVELS)}, not {level!r}")
    out = series[series["when"].notna()].copy()
    groups = groups.drop_duplicates("claimant")
    lookup = pd.Series(groups[level].to_numpy(), index=groups["claimant"].to_numpy())
    out["series_name"] = out["claimant"].map(lookup).fillna(out["claimant"]).astype("string")
    out["made"] = out["when"]
    covers = out["since"].notna() & (out["since"] < out["made"])
    out["span_start"] = out["since"].where(covers)
    out["span_end"] = out["made"].where(covers)
    out["made_label"] = when_labels(out["made"], out["when_precision"])
    out["symbol"] = out["qualifier"].map(QUALIFIER_SYMBOLS).fillna("circle")
    return out.sort_values(["category", "series_name", "made", "value"]).reset_index(drop=True)


def step_lines(points: pd.DataFrame) -> pd.DataFrame:
    """Per category and series, its claims in the order made (what a step line joins):
    category, series_name, made, value; several claims on one day keep their order."""
    return points[["category", "series_name", "made", "value"]].sort_values(
        ["category", "series_name", "made"], kind="stable").reset_index(drop=True)


def covers_label(start, end) -> str:
    """The period a claim covers, in words: "Jan 2023 – 20 May 2024" (empty when none)."""
    if start is None or pd.isna(start) or end is None or pd.isna(end):
        return ""
    return f"{pd.Timestamp(start):%b %Y} – {pd.Timestamp(end):%d %b %Y}"


def claims_table(points: pd.DataFrame) -> pd.DataFrame:
    """The claims as the chart shows them, for the table under it, newest first: made_label,
    category, label, series_name, claimant, covers (covers_label), source, title, sentence,
    and the ids and `made` datetime behind them."""
    spans = (points["span_start"].notna() & points["span_end"].notna()).to_numpy(dtype=bool)
    covers = np.full(len(points), "", dtype=object)  # worded only where there is a period (few rows)
    covers[spans] = [covers_label(s, e) for s, e in zip(points["span_start"][spans], points["span_end"][spans],
                                                        strict=True)]
    out = points.assign(covers=covers)
    cols = ["made_label", "category", "label", "series_name", "claimant", "covers", "source", "title",
            "sentence", "article_id", "quantity_id", "made"]
    return out[cols].sort_values(["made", "category"], ascending=[False, True]).reset_index(drop=True)


def actor_info(con, filters=None) -> pd.DataFrame:
    """The corpus' actors (name, type, country, code) from the DuckDB connection `con`, for
    claimant_groups; `filters` is ignored (a claimant's group does not depend on them)."""
    return con.execute(ACTORS_SQL).df()[ACTOR_COLUMNS]


def chart_claims(points: pd.DataFrame, *, most: int, lines: int) -> pd.DataFrame:
    """What a claims chart draws of `points` (claim_points): the claims of the `lines` series
    with most claims (ties: the latest claim first, then name), the `most` most recent of them
    (then the largest), in `points`' order; `points` itself when within both limits."""
    if points.empty:
        return points
    counts = points.groupby("series_name", sort=True).agg(n=("made", "size"), last=("made", "max")).reset_index()
    if len(counts) > lines:
        busiest = counts.sort_values(["n", "last", "series_name"], ascending=[False, False, True], kind="stable")
        points = points[points["series_name"].isin(busiest["series_name"].head(lines))]
    return largest(points, most, ["made", "value"], [False, False])
