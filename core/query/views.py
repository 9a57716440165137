"""What each dashboard page shows, computed from the (filtered) tables in pure pandas.

One function per view: headline figures, stories for the timeline, network edges and a
layout, quantity series, map arcs, article highlights. Inputs are schema tables; outputs are
small DataFrames the pages hand to plotly or st.dataframe unchanged.
"""
from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from core.extract.dates import find_dates
from core.query.filters import arrow_strings, join_groups, period_days
from core.vocab import ANALYSED_KINDS, Category, Precision, Role, Status

HEADLINE_CATEGORIES = (Category.CONTAINER, Category.MISSILE, Category.MUNITION)
# A vague word ("dozens") is stored as a stand-in number (its lower bound): an estimate, never "at least".
QUALIFIER_WORDS = {"about": "about", "more_than": "more than", "less_than": "less than", "vague": "an estimated",
                   "exact": ""}
STATUS_ORDER = tuple(Status)
UNATTRIBUTED = "(unattributed)"


def as_datetime(values: pd.Series) -> pd.Series:
    """ISO date strings as datetimes (microsecond resolution, whatever the values); empty or
    malformed values become NaT."""
    return pd.to_datetime(values.astype("string"), errors="coerce", format="ISO8601").astype("datetime64[us]")


def corpus_summary(tables: dict[str, pd.DataFrame]) -> dict[str, object]:
    """Headline counts of `tables`: articles, outlets, events, stories, actors, places, and
    the first and last publication and event dates (ISO strings or None)."""
    articles, events = tables["articles"], tables["events"]

    def span(s: pd.Series) -> tuple[str | None, str | None]:
        s = s.dropna()
        return (str(s.min()), str(s.max())) if len(s) else (None, None)

    return {
        "n_articles": len(articles),
        "n_sources": int(articles["source"].dropna().nunique()),
        "n_events": len(events),
        "n_stories": int(events["story_id"].nunique()),
        "n_actors": len(tables["actors"]),
        "n_places": len(tables["places"]),
        "n_quantities": len(tables["quantities"]),
        "published": span(articles["published"]),
        "event_dates": span(events["date"]),
    }


IRREGULAR_PLURALS = {"person": "people", "man": "men", "child": "children"}


def plural(unit: str, value) -> str:
    """`unit` (a singular noun) in the plural unless `value` is exactly 1."""
    if value == 1 or not unit or not unit[-1:].isalpha():
        return unit
    if unit in IRREGULAR_PLURALS:
        return IRREGULAR_PLURALS[unit]
    if unit.endswith("y") and unit[-2:-1] not in "aeiou":
        return unit[:-1] + "ies"
    return unit if unit.endswith("s") else (unit + "es" if unit.endswith(("sh", "ch", "x")) else unit + "s")


QUALIFIER_SIGNS = {"about": "≈", "more_than": ">", "less_than": "<", "vague": "~"}


def short_figure(value, qualifier=None) -> str:
    """A figure in a few characters for a headline: "> 11,000", "≈ 50", "1.2M"."""
    if value is None or pd.isna(value):
        return "–"
    v = float(value)
    number = f"{v / 1e6:,.1f}M".replace(".0M", "M") if v >= 1e6 else f"{v:,.0f}" if v.is_integer() else f"{v:,.1f}"
    sign = QUALIFIER_SIGNS.get(qualifier, "") if isinstance(qualifier, str) else ""
    return f"{sign} {number}".strip()


def figure_label(value, value_max=None, qualifier=None, unit=None) -> str:
    """A figure in our words: "more than 11,000 containers", "20–30 missiles", "an estimated
    24 missiles" (a vague word's stand-in number)."""
    num = _number
    if value is None or pd.isna(value):
        return ""
    words = QUALIFIER_WORDS.get(qualifier, "") if isinstance(qualifier, str) else ""
    figure = num(value) if value_max is None or pd.isna(value_max) else f"{num(value)}–{num(value_max)}"
    parts = [words, figure, plural(unit, value) if isinstance(unit, str) else ""]
    return " ".join(p for p in parts if p)


def _number(v) -> str:
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.1f}"


def claim_label(words, value, value_max=None, qualifier=None, unit=None) -> str:
    """A claimed figure as the article wrote it, then our estimate when the words hold no
    number: "dozens of ballistic missiles (est. 24)", "more than 11,000 containers". Without
    words, figure_label."""
    if not isinstance(words, str) or not words.strip():
        return figure_label(value, value_max, qualifier, unit)
    words = " ".join(words.split())
    if value is None or pd.isna(value) or any(ch.isdigit() for ch in words):
        return words
    figure = _number(value) if value_max is None or pd.isna(value_max) else f"{_number(value)}–{_number(value_max)}"
    return f"{words} (est. {figure})"


def _publication_dates(frame: pd.DataFrame, articles: pd.DataFrame) -> pd.Series:
    return frame["article_id"].map(articles.drop_duplicates("article_id").set_index("article_id")["published"])


ARTICLE_COLUMNS = ("title", "source", "url", "published")


def quantity_series(quantities: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """The claimed figures ready to plot over time, one row per figure.

    `when` is the day the claim was made: the figure's own date (the statement's day), or
    its article's publication date when the sentence gives none (`dated_by` says which;
    `when_precision` how much of it is known); `since` (a datetime) starts the period a
    cumulative count covers; `claimant` is "(unattributed)" when nobody is named; `label` is
    the figure as written, with our estimate after words that hold no number (claim_label);
    title, source, url and published describe the article. Sorted by category, then date.
    """
    q = quantities.copy()
    pub = _publication_dates(q, articles)
    a = articles.drop_duplicates("article_id").set_index("article_id")
    q["dated_by"] = np.where(q["date"].notna(), "sentence", np.where(pub.notna(), "publication", "unknown"))
    q["when"] = as_datetime(q["date"].fillna(pub))
    own = q["date"].notna()
    q["when_precision"] = q["date_precision"].where(own, q["article_id"].map(a["published_precision"]))
    q["since"] = as_datetime(q["since"])
    q["claimant"] = q["claimant"].fillna(UNATTRIBUTED).replace("", UNATTRIBUTED)
    # Object arrays: iterating Arrow-backed columns element by element costs ~3 us a value.
    labels = [claim_label(w, v, m, ql, u) for w, v, m, ql, u
              in zip(*(q[c].to_numpy(dtype=object) for c in ("text", "value", "value_max", "qualifier", "unit")),
                     strict=True)]
    q["label"] = pd.Series(labels, index=q.index, dtype="str")  # str even when empty
    for col in ARTICLE_COLUMNS:
        q[col] = q["article_id"].map(a[col]).astype("string")
    cols = ["when", "category", "unit", "item", "value", "value_max", "qualifier", "label", "claimant",
            "dated_by", "when_precision", "since", "text", "article_id", "sentence_id", "sentence", "quantity_id",
            *ARTICLE_COLUMNS]
    return q[cols].sort_values(["category", "when", "value"], na_position="last").reset_index(drop=True)


def headline_figures(quantities: pd.DataFrame, articles: pd.DataFrame, categories=HEADLINE_CATEGORIES) -> pd.DataFrame:
    """For each of `categories`, the most recent claimed figure (largest on the same date).

    Only dated figures count. One row per category that has one, in `categories` order, with
    the columns of quantity_series.
    """
    return latest_figures(quantity_series(quantities, articles), categories)


def latest_figures(series: pd.DataFrame, categories=HEADLINE_CATEGORIES) -> pd.DataFrame:
    """headline_figures' rows of `series` (a quantity_series frame): per category of
    `categories`, its latest dated figure (largest on the same date), in `categories` order."""
    series = series[series["category"].isin(categories) & series["when"].notna()]
    latest = series.sort_values(["when", "value"]).groupby("category", sort=False).tail(1)
    order = {c: i for i, c in enumerate(categories)}
    return latest.sort_values("category", key=lambda s: s.map(order)).reset_index(drop=True)


def _first_of_each(groups: np.ndarray, keys: list) -> np.ndarray:
    """Per group 0..n-1 (n = groups.max() + 1), the position of its first row when rows are
    sorted by `keys` (arrays or Series; missing last, ties in row order).

    One stable pyarrow sort on (group, *keys): each group's first row is where it begins."""
    columns = {"group": pa.array(groups)}
    for i, key in enumerate(keys):
        columns[f"k{i}"] = arrow_strings(key) if isinstance(key, pd.Series) else pa.array(key)
    sort_keys = [(name, "ascending", "at_end") for name in columns]
    order = np.asarray(pc.sort_indices(pa.table(columns), sort_keys=sort_keys))
    g = groups[order]
    return order[np.r_[True, g[1:] != g[:-1]]]


def _count_distinct(groups: np.ndarray, values: pd.Series, n_groups: int) -> np.ndarray:
    """Per group 0..n_groups-1, how many distinct non-missing `values` its rows hold."""
    codes, uniques = pd.factorize(values)
    ok = codes >= 0
    pairs = pd.unique(groups[ok].astype(np.int64) * (len(uniques) + 1) + codes[ok])
    return np.bincount(pairs // (len(uniques) + 1), minlength=n_groups)


def _distinct_first_rows(groups: np.ndarray, values: pd.Series) -> np.ndarray:
    """True on the first row of each (group, value) pair, in row order."""
    codes, uniques = pd.factorize(values)
    return ~pd.Series(groups.astype(np.int64) * (len(uniques) + 1) + codes + 1).duplicated().to_numpy()


def _joined(groups: np.ndarray, values: pd.Series, n_groups: int, sep: str) -> pd.Series:
    """Per group 0..n_groups-1, its `values` joined by `sep` in row order, with their dtype."""
    joined = join_groups(groups, arrow_strings(values), n_groups, sep)
    return pd.Series(joined).astype(values.dtype)


def stories(events: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """One row per story (events sharing `story_id`), as it first appears.

    The representative row is the most precisely dated event of the story (then the earliest
    published article); `n_articles` and `sources` say who reported it, `event_ids` lists all
    its rows. Sorted by date, undated last.
    """
    if events.empty:
        cols = [*events.columns, "when", "title", "n_articles", "sources", "event_ids", "planned"]
        return pd.DataFrame(columns=cols)
    story_id = events["story_id"].fillna(events["event_id"])
    story, story_ids = pd.factorize(story_id)
    n = len(story_ids)
    # Undated rows rank after every precision.
    rank = events["date_precision"].map({p: p.rank for p in Precision}).fillna(len(Precision)).to_numpy(dtype=float)
    first = _first_of_each(story, [rank, _publication_dates(events, articles), events["event_id"]])
    a = articles.drop_duplicates("article_id").set_index("article_id")
    label = a["source"].where(a["source"].notna() & a["source"].ne(""), a["title"])
    src = events["article_id"].map(label).fillna(events["article_id"])
    distinct = _distinct_first_rows(story, src)
    out = events.iloc[first].drop(columns="story_id").reset_index(drop=True)
    out.insert(0, "story_id", story_id.iloc[first].reset_index(drop=True))
    out["n_articles"] = _count_distinct(story, events["article_id"], n)
    out["sources"] = _joined(story[distinct], src[distinct], n, "; ")
    out["event_ids"] = _joined(story, events["event_id"], n, ";")
    out["title"] = out["article_id"].map(a["title"])
    out["when"] = as_datetime(out["date"])
    out["planned"] = out["status"].eq(Status.PLANNED).fillna(False).astype(bool)
    return out.sort_values(["when", "story_id"], na_position="last").reset_index(drop=True)


def when_label(when, precision=None, end=None) -> str:
    """A date as precise as it is known: "19 Jun 2024", "March 2024 (month only)", "2023
    (year only)"; with a period end: "Sep 2023 – 26 Feb 2024". Empty when undated."""
    if when is None or pd.isna(when):
        return ""
    start = pd.Timestamp(when)
    if precision == Precision.YEAR:
        text = f"{start:%Y} (year only)"
    elif precision == Precision.MONTH:
        text = f"{start:%B %Y} (month only)"
    else:
        text = f"{start:%d %b %Y}"
    if end is None or pd.isna(end) or pd.Timestamp(end) <= start:
        return text
    first = f"{start:%Y}" if precision == Precision.YEAR else f"{start:%b %Y}" if precision == Precision.MONTH else text
    return f"{first} – {pd.Timestamp(end):%d %b %Y}"


def when_labels(start: pd.Series, precision: pd.Series, end: pd.Series | None = None) -> pd.Series:
    """when_label of every row (strings, empty when undated; on `start`'s index): `start`
    datetimes, `precision` their Precision values, `end` their period ends (None: no periods).
    Each distinct (start, precision, end) is worded once: a large corpus lists hundreds of
    thousands of rows over a few thousand days."""
    keys = pd.DataFrame({"s": pd.to_datetime(start).to_numpy(),
                         "p": pd.Series(precision).astype("string").to_numpy(dtype=object),
                         "e": (pd.to_datetime(end).to_numpy() if end is not None else np.full(len(start), None))})
    group = keys.groupby(["s", "p", "e"], dropna=False, sort=False).ngroup().to_numpy()
    _, first = np.unique(group, return_index=True)  # a row of each distinct key, by key number
    words = np.array([when_label(keys["s"].iat[i], _na_none(keys["p"].iat[i]), keys["e"].iat[i]) for i in first],
                     dtype=object)
    return pd.Series(words[group] if len(keys) else [], index=start.index, dtype=object)


def _na_none(value):
    """`value`, None when missing (when_label compares its precision to a Precision)."""
    return None if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)) else value


def largest(frame: pd.DataFrame, n: int, by: list[str], ascending: list[bool],
            among: np.ndarray | None = None) -> pd.DataFrame:
    """The `n` first rows of `frame` (of those where the boolean array `among` is true, when
    given) sorted by `by` (missing values last; ties in table order), kept in table order:
    what a chart draws of a corpus too large to draw whole. All those rows when they are at
    most `n` (`frame` itself when `among` is None)."""
    if among is not None and int(among.sum()) <= n:
        return frame[among]
    if len(frame) <= n:
        return frame
    # One stable pyarrow sort: pandas' multi-key sort_values takes seconds on 5e5 rows with a string key.
    columns = {f"k{i}": arrow_strings(frame[c]) if pd.api.types.is_string_dtype(frame[c].dtype) else
               pa.array(frame[c]) for i, c in enumerate(by)}
    order = pc.sort_indices(pa.table(columns), sort_keys=[(f"k{i}", "ascending" if up else "descending", "at_end")
                                                          for i, up in enumerate(ascending)])
    order = np.asarray(order)
    if among is not None:
        order = order[among[order]]
    return frame.iloc[np.sort(order[:n])]


def time_extents(dates: pd.Series, precision: pd.Series, date_end: pd.Series | None = None) -> pd.DataFrame:
    """Where each dated row sits on a time axis: `start`, `end` (datetimes; the period a
    month- or year-precise date stands for runs to the first day of the next one, a period
    to its `date_end`; a day has end == start), `kind` ("day", "month", "year" or "period")
    and `when_label` (when_label). Undated rows get NaT and an empty label."""
    first, last = period_days(dates, precision)
    start = pd.Series(first, index=dates.index).astype("datetime64[us]")
    end = pd.Series(last, index=dates.index).astype("datetime64[us]")
    prec = precision.astype("string").fillna(Precision.DAY)
    coarse = prec.isin([Precision.MONTH, Precision.YEAR]).to_numpy()
    end = end.where(~coarse, end + pd.Timedelta(days=1))
    kind = prec.where(start.notna(), "").astype(str)
    if date_end is not None:
        stop = as_datetime(date_end)
        spans = (stop > start).fillna(False).to_numpy(dtype=bool)
        end = end.where(~spans, stop)
        kind = kind.where(~spans, "period")
    else:
        stop = pd.Series(pd.NaT, index=dates.index)
    labels = when_labels(start, prec, stop)
    return pd.DataFrame({"start": start, "end": end, "kind": kind, "when_label": labels}, index=dates.index)


def timeline_points(story_rows: pd.DataFrame, *, by: str = "type") -> pd.DataFrame:
    """Dated stories with a `row` label: their type (by="type") or, one point per actor, the
    actor (by="actor"), and their time_extents (start, end, kind, when_label). Undated
    stories are left out (they have no place on a time axis)."""
    extents = time_extents(story_rows["date"], story_rows["date_precision"],
                           story_rows["date_end"] if "date_end" in story_rows.columns else None)
    dated = story_rows.join(extents)[story_rows["when"].notna()]
    if by == "actor":
        rows = dated.assign(row=dated["actors"].astype("string").str.split(";")).explode("row")
        rows["row"] = rows["row"].astype("string").str.strip()
        return rows[rows["row"].notna() & rows["row"].ne("")].reset_index(drop=True)
    if by != "type":
        raise ValueError(f"timeline rows are by 'type' or 'actor', not {by!r}")
    return dated.assign(row=dated["type"]).reset_index(drop=True)


def stories_per_month(story_rows: pd.DataFrame, date_from: str | None = None,
                      date_to: str | None = None) -> tuple[pd.DataFrame, int]:
    """(story counts per month and type, how many stories are left out for knowing only their
    year). Stories dated to a day, a month or a period count in the month they start; months
    outside `date_from`..`date_to` (ISO, inclusive) are dropped, so no bar starts before the
    chosen range. A row stands for `n_stories` stories when it has that column (timeline's
    "dates" rows), else for one. Columns: period (the month's first day), type, n_stories."""
    cols = ["period", "type", "n_stories"]
    when = as_datetime(story_rows["date"]) if len(story_rows) else pd.Series(dtype="datetime64[us]")
    weight = pd.Series(story_rows["n_stories"].to_numpy(dtype=np.int64) if "n_stories" in story_rows.columns
                       else np.ones(len(story_rows), dtype=np.int64), index=story_rows.index)
    year_only = story_rows["date_precision"].eq(Precision.YEAR).fillna(False).to_numpy(dtype=bool) & when.notna()
    n_year_only = int(weight[np.asarray(year_only, dtype=bool)].sum())
    keep = when.notna() & ~year_only
    month = when[keep].dt.to_period("M").dt.start_time.astype("datetime64[us]")
    if date_from:
        month = month[month >= pd.Timestamp(date_from).to_period("M").start_time]
    if date_to:
        month = month[month <= pd.Timestamp(date_to)]
    if month.empty:
        return pd.DataFrame(columns=cols), n_year_only
    counts = pd.DataFrame({"period": month, "type": story_rows.loc[month.index, "type"],
                           "n_stories": weight[month.index]})
    per_month = counts.groupby(["period", "type"])["n_stories"].sum().astype(np.int64).reset_index()
    return per_month[cols], n_year_only


def story_rows(parts: pd.DataFrame) -> pd.DataFrame:
    """The story rows of sql.timeline-shaped `parts` (a `part` column; all its rows, whatever
    their part), in views.stories' columns and dtypes, on a fresh index."""
    rows = parts.drop(columns=["part", "n_stories"], errors="ignore").reset_index(drop=True)
    return rows.astype({"n_articles": np.int64, "planned": bool})


def timeline_parts(parts: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """sql.timeline's frame split by part: "chart" and "page" (story rows, see story_rows),
    "dates" and "relaxed" (date, date_precision, type, n_stories, and `when`: the date as
    a datetime, as views.stories gives it)."""
    out = {}
    for part in ("chart", "page"):
        out[part] = story_rows(parts[parts["part"] == part])
    for part in ("dates", "relaxed"):
        rows = parts.loc[parts["part"] == part, ["date", "date_precision", "type", "n_stories"]]
        rows = rows.reset_index(drop=True).astype({"n_stories": np.int64})
        out[part] = rows.assign(when=as_datetime(rows["date"]))
    return out


def active_actors(events: pd.DataFrame, event_actors: pd.DataFrame, actors: pd.DataFrame, *,
                  n: int = 10) -> pd.DataFrame:
    """The `n` actors in the most stories of `events`, with type, country and event counts."""
    ea = event_actors.merge(events[["event_id", "story_id", "article_id"]], on="event_id")
    if ea.empty:
        return pd.DataFrame(columns=["name", "type", "country", "n_stories", "n_events", "n_articles"])
    counts = ea.groupby("actor").agg(
        n_stories=("story_id", "nunique"), n_events=("event_id", "nunique"), n_articles=("article_id", "nunique")
    )
    counts = counts.sort_values(["n_stories", "n_events"], ascending=False).head(n).reset_index(names="name")
    info = actors.drop_duplicates("name").set_index("name")
    counts.insert(1, "type", counts["name"].map(info["type"]))
    counts.insert(2, "country", counts["name"].map(info["country"]))
    return counts.sort_values(["n_stories", "n_events", "name"], ascending=[False, False, True]).reset_index(drop=True)


def latest_events(events: pd.DataFrame, articles: pd.DataFrame, *, n: int = 10) -> pd.DataFrame:
    """The `n` most recent dated stories, newest first."""
    s = stories(events, articles)
    return s[s["when"].notna()].sort_values("when", ascending=False).head(n).reset_index(drop=True)


def _among(values: pd.Series, allowed: pd.Series) -> np.ndarray:
    """True where `values` (strings) is one of `allowed`, as Series.isin but in one pyarrow
    call, fast on long lists (missing matches missing)."""
    return np.asarray(pc.is_in(arrow_strings(values), value_set=arrow_strings(allowed)), dtype=bool)


def network_edges(events: pd.DataFrame, event_actors: pd.DataFrame) -> pd.DataFrame:
    """Who acts on whom: one row per (source, target, event type) with its event count.

    Sources are paired with targets; an event with no source or no target pairs its actors
    with each other (alphabetical order, so an undirected pair is counted once).
    """
    ea = event_actors[_among(event_actors["event_id"], events["event_id"])].drop_duplicates()
    ea = ea.merge(events[["event_id", "type"]], on="event_id")
    src, tgt = ea[ea["role"] == Role.SOURCE], ea[ea["role"] == Role.TARGET]
    directed = src.merge(tgt[["event_id", "actor"]], on="event_id", suffixes=("_s", "_t"))
    rest = ea[~_among(ea["event_id"], directed["event_id"])]
    pairs = rest.merge(rest[["event_id", "actor"]], on="event_id", suffixes=("_s", "_t"))
    pairs = pairs[pairs["actor_s"] < pairs["actor_t"]]
    both = pd.concat([directed, pairs], ignore_index=True)
    both = both[both["actor_s"] != both["actor_t"]].dropna(subset=["actor_s", "actor_t", "type"])
    cols = ["source", "target", "type", "n_events", "event_ids"]
    if both.empty:
        return pd.DataFrame(columns=cols)
    group = both.groupby(["actor_s", "actor_t", "type"], sort=True).ngroup().to_numpy()
    n = int(group.max()) + 1
    distinct = _distinct_first_rows(group, both["event_id"])
    heads = np.full(n, -1)
    heads[group[::-1]] = np.arange(len(group))[::-1]
    edges = both.iloc[heads][["actor_s", "actor_t", "type"]].reset_index(drop=True)
    edges = edges.rename(columns={"actor_s": "source", "actor_t": "target"})
    edges["n_events"] = np.bincount(group[distinct], minlength=n)
    edges["event_ids"] = _joined(group[distinct], both["event_id"][distinct], n, ";")
    edges = edges.sort_values(["n_events", "source", "target"], ascending=[False, True, True])
    return edges.reset_index(drop=True)[cols]


def network_nodes(edges: pd.DataFrame, actors: pd.DataFrame, *, limit: int = 40) -> pd.DataFrame:
    """The `limit` actors with most events on `edges`: name, type, country, n_events."""
    ends = pd.concat([edges[["source", "n_events"]].rename(columns={"source": "name"}),
                      edges[["target", "n_events"]].rename(columns={"target": "name"})])
    activity = ends.groupby("name")["n_events"].sum().sort_values(ascending=False).head(limit)
    info = actors.drop_duplicates("name").set_index("name")
    nodes = activity.rename("n_events").reset_index()
    nodes["type"] = nodes["name"].map(info["type"])
    nodes["country"] = nodes["name"].map(info["country"])
    return nodes[["name", "type", "country", "n_events"]]


GRAVITY = 2.0


def network_layout(nodes: pd.DataFrame, edges: pd.DataFrame, *, iterations: int = 200, seed: int = 7) -> pd.DataFrame:
    """`nodes` with x, y positions from a Fruchterman–Reingold force layout (deterministic).

    Starts on a circle in node order, so the same graph always gets the same picture.
    """
    n = len(nodes)
    out = nodes.copy()
    if n == 0:
        return out.assign(x=pd.Series(dtype=float), y=pd.Series(dtype=float))
    angle = np.linspace(0, 2 * np.pi, n, endpoint=False)
    pos = np.c_[np.cos(angle), np.sin(angle)] + np.random.default_rng(seed).normal(0, 0.01, (n, 2))
    index = {name: i for i, name in enumerate(nodes["name"])}
    pairs = [(index[s], index[t]) for s, t in zip(edges["source"], edges["target"], strict=True)
             if s in index and t in index]
    k = 1.0 / math.sqrt(n)
    temp = 0.1
    for _ in range(iterations):
        delta = pos[:, None, :] - pos[None, :, :]
        dist = np.maximum(np.linalg.norm(delta, axis=-1), 1e-3)
        disp = (delta / dist[..., None] * (k * k / dist)[..., None]).sum(axis=1)
        for i, j in pairs:
            d = pos[i] - pos[j]
            dn = max(np.linalg.norm(d), 1e-3)
            f = d / dn * dn * dn / k
            disp[i] -= f
            disp[j] += f
        disp -= pos * (GRAVITY * k * np.linalg.norm(pos, axis=1))[:, None]  # keeps components together
        length = np.maximum(np.linalg.norm(disp, axis=1), 1e-6)
        pos += disp / length[:, None] * np.minimum(length, temp)[:, None]
        temp = max(temp * 0.97, 0.005)
    pos -= pos.mean(axis=0)
    out["x"], out["y"] = pos[:, 0], pos[:, 1]
    return out


def map_places(places: pd.DataFrame) -> pd.DataFrame:
    """Places with coordinates, most mentioned first."""
    located = places[places["lat"].notna() & places["lon"].notna()]
    return located.sort_values("n_mentions", ascending=False).reset_index(drop=True)


def great_circle_midpoint(lat1, lon1, lat2, lon2) -> tuple[float, float]:
    """The (lat, lon) halfway along the great circle between two points, in degrees."""
    p1, l1, p2, l2 = map(math.radians, (lat1, lon1, lat2, lon2))
    bx = math.cos(p2) * math.cos(l2 - l1)
    by = math.cos(p2) * math.sin(l2 - l1)
    lat = math.atan2(math.sin(p1) + math.sin(p2), math.sqrt((math.cos(p1) + bx) ** 2 + by**2))
    lon = l1 + math.atan2(by, math.cos(p1) + bx)
    return math.degrees(lat), (math.degrees(lon) + 540) % 360 - 180


def link_arcs(links: pd.DataFrame) -> pd.DataFrame:
    """Links with both ends located, plus `label`, `width` (grows with log of n_events) and
    the great-circle midpoint (`mid_lat`, `mid_lon`) where the arc's hover sits."""
    located = links.dropna(subset=["origin_lat", "origin_lon", "destination_lat", "destination_lon"]).copy()
    moves = ((located["origin_lat"] != located["destination_lat"])
             | (located["origin_lon"] != located["destination_lon"]))
    located = located[moves]
    located["label"] = located["origin"] + " → " + located["destination"] + " (" + located["type"] + ")"
    # Capped at 32 events: past that a thicker line only hides the map (a large corpus has thousands).
    located["width"] = 1.5 + 2.0 * np.log2(located["n_events"].astype(float).clip(lower=1, upper=32))
    ends = located[["origin_lat", "origin_lon", "destination_lat", "destination_lon"]].to_numpy(float)
    mids = [great_circle_midpoint(*row) for row in ends]
    located["mid_lat"] = [m[0] for m in mids]
    located["mid_lon"] = [m[1] for m in mids]
    return located.sort_values(["n_events", "label"], ascending=[False, True]).reset_index(drop=True)


def events_with_ids(events: pd.DataFrame, ids: str | list[str]) -> pd.DataFrame:
    """The rows of `events` whose event_id is in `ids` (a list or a ';'-joined string)."""
    wanted = ids.split(";") if isinstance(ids, str) else list(ids)
    return events[events["event_id"].isin(wanted)].reset_index(drop=True)


def actor_events(events: pd.DataFrame, event_actors: pd.DataFrame, actor: str) -> pd.DataFrame:
    """The events `actor` takes part in, with their role, sorted by date."""
    roles = event_actors[event_actors["actor"] == actor][["event_id", "role"]].drop_duplicates("event_id")
    out = events.merge(roles, on="event_id")
    return out.sort_values(["date", "event_id"], na_position="last").reset_index(drop=True)


HIGHLIGHT_KINDS = ("actor", "place", "quantity", "date", "event")


def date_spans(text: str) -> pd.DataFrame:
    """Written dates in `text`: start, end, kind="date", label (the words), at the offsets of
    the extraction's own recogniser (core.extract.dates.find_dates), vague ones ("recently") included."""
    rows = [(d.start, d.end, "date", d.text) for d in find_dates(text, None)]
    return pd.DataFrame(rows, columns=["start", "end", "kind", "label"])


def article_spans(article_id: str, text: str, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """What to highlight in one article: actor and place mentions, figures, event triggers and
    written dates, as start, end, kind, label (label: canonical name, figure or event type)."""
    m = tables["mentions"][tables["mentions"]["article_id"] == article_id]
    q = tables["quantities"][tables["quantities"]["article_id"] == article_id]
    e = tables["events"][tables["events"]["article_id"] == article_id]
    parts = [
        pd.DataFrame({"start": m["start_char"], "end": m["end_char"], "kind": m["kind"], "label": m["name"]}),
        pd.DataFrame({"start": q["start_char"], "end": q["end_char"], "kind": "quantity",
                      "label": [figure_label(*r)
                                for r in q[["value", "value_max", "qualifier", "unit"]].itertuples(index=False)]}),
        pd.DataFrame({"start": e["start_char"], "end": e["end_char"], "kind": "event",
                      "label": e["type"] + " (" + e["status"] + ")"}),
        date_spans(text),
    ]
    spans = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(len(p) for p in parts) else date_spans("")
    spans = spans.dropna(subset=["start", "end"]).astype({"start": int, "end": int})
    return spans.sort_values(["start", "end"]).reset_index(drop=True)


def highlight_chunks(text: str, spans: pd.DataFrame) -> list[tuple[str, str | None, str | None]]:
    """`text` cut into (piece, kind, label) chunks, kind None for plain text.

    Overlaps are resolved in favour of the span that starts first, then the longer one; a
    span overlapping an earlier kept one is dropped, so every character appears exactly once.
    """
    chunks: list[tuple[str, str | None, str | None]] = []
    pos = 0
    ordered = spans.assign(length=spans["end"] - spans["start"])
    ordered = ordered.sort_values(["start", "length"], ascending=[True, False])
    for start, end, kind, label in ordered[["start", "end", "kind", "label"]].itertuples(index=False):
        if start < pos or end > len(text) or end <= start:
            continue
        if start > pos:
            chunks.append((text[pos:start], None, None))
        chunks.append((text[start:end], kind, None if pd.isna(label) else str(label)))
        pos = end
    if pos < len(text):
        chunks.append((text[pos:], None, None))
    return chunks


def article_segments(segments_json: str | None, text: str) -> pd.DataFrame:
    """The article's segments (from the `segments` column) with their text: start, end, kind,
    reason, text. Malformed JSON gives an empty table, never an error."""
    cols = ["start", "end", "kind", "reason", "text"]
    try:
        raw = json.loads(segments_json) if isinstance(segments_json, str) and segments_json else []
    except ValueError:
        raw = []
    rows = []
    for seg in raw:
        if isinstance(seg, (list, tuple)) and len(seg) >= 3:
            start, end, kind = int(seg[0]), int(seg[1]), str(seg[2])
            reason = str(seg[3]) if len(seg) > 3 else ""
            rows.append((start, end, kind, reason, text[start:end]))
    return pd.DataFrame(rows, columns=cols)


def stripped_segments(segments_json: str | None, text: str) -> pd.DataFrame:
    """The segments not analysed (dateline, byline, boilerplate) with why, in text order."""
    segs = article_segments(segments_json, text)
    return segs[~segs["kind"].isin(list(ANALYSED_KINDS))].reset_index(drop=True)


def focus_range(dates: pd.Series, *, share: float = 0.8,
                counts: pd.Series | None = None) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The x-axis range a timeline opens on, or None to show everything.

    A few far-off dates ("24 years ago") would squeeze the rest into a sliver: when one gap
    between consecutive dates covers most of the span and at least `share` of the dates lie
    after it, the view opens on those (with a margin); zooming out still shows the rest.
    `counts` (on `dates`' index): how many dates each value stands for (one each when None).
    """
    weight = pd.Series(1 if counts is None else np.asarray(counts, dtype=np.int64), index=dates.index)
    known = dates.notna().to_numpy(dtype=bool)
    # Each distinct date once with how many there are: a large timeline's dates are few days.
    per_day = weight[known].groupby(pd.to_datetime(dates[known]).to_numpy()).sum().sort_index()
    total = int(per_day.sum())
    if total < 5:
        return None
    days, n = per_day.index, per_day.to_numpy()
    lo = hi = pd.Timestamp(days[0])  # one date only: every gap is nil and the view opens on it
    if len(days) > 1:
        gaps = np.diff(days.to_numpy())
        first = int(np.argmax(gaps)) + 1  # the first date after the widest gap
        widest, span = pd.Timedelta(gaps[first - 1]), pd.Timestamp(days[-1]) - pd.Timestamp(days[0])
        if widest * 3 < span * 2 or (total - int(n[:first].sum())) < share * total:
            return None
        lo, hi = pd.Timestamp(days[first]), pd.Timestamp(days[-1])
    pad = max((hi - lo) * 0.05, pd.Timedelta(days=15))
    return lo - pad, hi + pad
