"""The dashboard's shared filters and the tables they select, in pure pandas.

`Filters` is the one set of choices every page applies (actors, date range, event types,
statuses, outlets, free text); it round-trips through a URL query string. `filter_tables`
returns the eight schema tables narrowed to the events the filters select, so every page,
table and download shows the same slice. Vectorised throughout: a filter change on 100,000
events must take well under 100 ms (see benchmarks/bench_dashboard.py).
"""
from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Mapping

import numpy as np
import pandas as pd

# Query-string keys; short so a shared URL stays readable.
QUERY_KEYS = {
    "actors": "actor",
    "date_from": "from",
    "date_to": "to",
    "types": "type",
    "statuses": "status",
    "sources": "source",
    "text": "q",
}
MAX_TEXT = 200  # a search box, not a document
MAX_VALUES = 200  # per multi-valued key, so a hostile URL cannot blow up a run


@dataclass(frozen=True)
class Filters:
    """What the analyst narrowed the corpus to; empty fields select everything.

    Dates are ISO strings (YYYY-MM-DD), inclusive; an event is kept when its period (day,
    month or year, from `date_precision`) overlaps the range, and dropped when undated.
    Multi-valued fields keep a row that matches any of their values.
    """

    actors: tuple[str, ...] = ()
    date_from: str | None = None
    date_to: str | None = None
    types: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    text: str = ""

    def is_active(self) -> bool:
        """True when any filter narrows the corpus."""
        return self != Filters()

    def narrows_events(self) -> bool:
        """True when a filter other than `sources` is set (those select events, not outlets)."""
        return replace(self, sources=()).is_active()

    def to_query(self) -> dict[str, str | list[str]]:
        """The filters as query-string parameters, empty ones left out."""
        out: dict[str, str | list[str]] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value:
                out[QUERY_KEYS[f.name]] = list(value) if isinstance(value, tuple) else value
        return out

    def summary(self) -> dict[str, object]:
        """The set filters as a JSON-ready dict (for manifests and captions)."""
        return {f.name: (list(v) if isinstance(v, tuple) else v) for f in fields(self) if (v := getattr(self, f.name))}


def _as_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def _iso_or_none(values: list[str]) -> str | None:
    """The last value that parses as an ISO date, normalised; None when there is none."""
    for value in reversed(values):
        try:
            return date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            continue
    return None


def _unique(values: list[str]) -> tuple[str, ...]:
    cleaned = (v.strip() for v in values[:MAX_VALUES])
    return tuple(dict.fromkeys(v for v in cleaned if v))


def filters_from_query(params: Mapping[str, object]) -> Filters:
    """Filters read from query-string parameters (values may be a string or a list).

    Never raises: unparseable dates are ignored, text is trimmed to MAX_TEXT characters, and
    a `from` after `to` is swapped, so any URL opens a valid view.
    """
    get = {name: _as_list(params.get(key)) for name, key in QUERY_KEYS.items()}
    date_from, date_to = _iso_or_none(get["date_from"]), _iso_or_none(get["date_to"])
    if date_from and date_to and date_from > date_to:
        date_from, date_to = date_to, date_from
    text = get["text"][-1].strip()[:MAX_TEXT] if get["text"] else ""
    return Filters(
        actors=_unique(get["actors"]),
        date_from=date_from,
        date_to=date_to,
        types=_unique(get["types"]),
        statuses=_unique(get["statuses"]),
        sources=_unique(get["sources"]),
        text=text,
    )


def period_end(dates: pd.Series, precision: pd.Series) -> pd.Series:
    """The last day (ISO string) of each date's period: the date itself for day precision.

    Assumes month and year dates are the first day of their period (schema.DATE). Month ends
    are written as day 31: ISO strings compare as text, so "2024-06-31" sorts after every
    real June date and before July, which is all a range check needs.
    """
    d = dates.astype("string")
    p = precision.astype("string").fillna("day")
    month = d.str.slice(0, 7) + "-31"
    year = d.str.slice(0, 4) + "-12-31"
    return d.mask(p.eq("month"), month).mask(p.eq("year"), year)


def _true(n: int) -> np.ndarray:
    return np.ones(n, dtype=bool)


def _bool(values) -> np.ndarray:
    """A boolean numpy mask from a comparison result, NA counted as False."""
    return pd.array(values, dtype="boolean").to_numpy(dtype=bool, na_value=False)


def date_mask(dates: pd.Series, precision: pd.Series, filters: Filters) -> np.ndarray:
    """True where the period of a date overlaps the filters' range; undated rows fail a set range."""
    mask = _true(len(dates))
    if filters.date_from:
        mask &= _bool(period_end(dates, precision) >= filters.date_from)
    if filters.date_to:
        mask &= _bool(dates.astype("string") <= filters.date_to)
    return mask


def text_mask(texts: pd.Series, query: str) -> np.ndarray:
    """True where `texts` contain `query`, ignoring case (plain text, never a regex)."""
    if not query:
        return _true(len(texts))
    return _bool(texts.astype("string").str.contains(query, case=False, regex=False))


def source_article_ids(articles: pd.DataFrame, sources: tuple[str, ...]) -> pd.Series:
    """The ids of articles from any of `sources` (every article when `sources` is empty)."""
    if not sources:
        return articles["article_id"]
    return articles.loc[articles["source"].isin(sources), "article_id"]


def actor_event_ids(event_actors: pd.DataFrame, actors: tuple[str, ...]) -> pd.Series:
    """The ids of events that involve any of `actors`, in any role."""
    return event_actors.loc[event_actors["actor"].isin(actors), "event_id"]


def event_mask(events: pd.DataFrame, filters: Filters, *, event_actors: pd.DataFrame, articles: pd.DataFrame) -> np.ndarray:
    """True for each event row every filter keeps."""
    mask = _true(len(events))
    if filters.types:
        mask &= events["type"].isin(filters.types).to_numpy()
    if filters.statuses:
        mask &= events["status"].isin(filters.statuses).to_numpy()
    if filters.sources:
        mask &= events["article_id"].isin(source_article_ids(articles, filters.sources)).to_numpy()
    if filters.actors:
        mask &= events["event_id"].isin(actor_event_ids(event_actors, filters.actors)).to_numpy()
    if filters.date_from or filters.date_to:
        mask &= date_mask(events["date"], events["date_precision"], filters)
    if filters.text:
        mask[mask] = text_mask(events["sentence"][mask], filters.text)  # only where still needed
    return mask


def filter_events(events: pd.DataFrame, filters: Filters, *, event_actors: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """The events every filter keeps, in their original order."""
    return events[event_mask(events, filters, event_actors=event_actors, articles=articles)]


def _sentence_keys(df: pd.DataFrame) -> pd.MultiIndex:
    return pd.MultiIndex.from_arrays([df["article_id"], df["sentence_id"]])


def recount_entities(table: pd.DataFrame, mentions: pd.DataFrame, articles: pd.DataFrame, kind: str,
                     names=None) -> pd.DataFrame:
    """Rows of the actors or places `table` named in `mentions` (or, when given, in `names`),
    with counts recomputed on `mentions`.

    `n_mentions` and `n_articles` count only the given mentions; for actors, `first_seen` and
    `last_seen` span the publication dates of the given articles.
    """
    m = mentions[mentions["kind"] == kind]
    grouped = m.groupby("name", sort=False)
    counts = pd.DataFrame({"n_mentions": grouped.size(), "n_articles": grouped["article_id"].nunique()})
    keep = counts.index if names is None else pd.Index(list(names))
    out = table[table["name"].isin(keep)].copy()
    out["n_mentions"] = out["name"].map(counts["n_mentions"]).fillna(0).astype("Int64")
    out["n_articles"] = out["name"].map(counts["n_articles"]).fillna(0).astype("Int64")
    if "first_seen" in out.columns:
        pub = m[["name", "article_id"]].merge(articles[["article_id", "published"]], on="article_id", how="left")
        span = pub.dropna(subset=["published"]).groupby("name")["published"].agg(["min", "max"])
        out["first_seen"] = out["name"].map(span["min"]).astype("string")
        out["last_seen"] = out["name"].map(span["max"]).astype("string")
    return out.sort_values(["n_mentions", "name"], ascending=[False, True]).reset_index(drop=True)


def _days(dates: pd.Series) -> np.ndarray:
    """ISO date strings as day numbers (datetime64[D]); NaT where empty or malformed."""
    parsed = pd.to_datetime(dates.astype("string"), errors="coerce", format="%Y-%m-%d")
    return parsed.to_numpy(dtype="datetime64[D]")


def _period_days(dates: pd.Series, precision: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(first day, last day) of each date's period as datetime64[D] (NaT when undated)."""
    start = _days(dates)
    p = precision.astype("string").fillna("day").to_numpy()
    month_end = (start.astype("datetime64[M]") + 1).astype("datetime64[D]") - 1
    year_end = (start.astype("datetime64[Y]") + 1).astype("datetime64[D]") - 1
    end = np.where(p == "month", month_end, np.where(p == "year", year_end, start))
    return start, end


def _positions(keys: pd.Series, index: pd.Index) -> np.ndarray:
    """Position of each key in `index`; len(index) (a sentinel slot) where absent."""
    pos = index.get_indexer(keys.astype(object))
    return np.where(pos < 0, len(index), pos)


def _sentence_codes(article_pos: np.ndarray, sentence_id: pd.Series) -> np.ndarray:
    """One int64 per (article, sentence), comparable across tables."""
    sid = sentence_id.astype("Float64").fillna(-1).to_numpy(dtype=np.int64)
    return article_pos.astype(np.int64) * 1_000_003 + sid


def _contains(values, query: str) -> np.ndarray:
    """True where a pyarrow string array contains `query`, ignoring case."""
    import pyarrow.compute as pc

    return np.asarray(pc.fill_null(pc.match_substring(values, query, ignore_case=True), False), dtype=bool)


@dataclass(frozen=True, eq=False)
class FilterIndex:
    """Positions, day numbers and codes of a corpus, computed once, so a filter change is a
    handful of numpy operations (see filter_index). Arrays are aligned to the table rows."""

    n_articles: int
    art_source: pd.Series
    art_published: np.ndarray
    ev_start: np.ndarray
    ev_end: np.ndarray
    ev_article: np.ndarray
    ev_key: np.ndarray
    ev_sentence: object
    ea_event: np.ndarray
    ea_actor: pd.Categorical
    q_start: np.ndarray
    q_end: np.ndarray
    q_article: np.ndarray
    q_event: np.ndarray
    q_key: np.ndarray
    q_sentence: object
    m_article: np.ndarray
    m_key: np.ndarray
    m_actor: np.ndarray
    m_name: pd.Categorical
    link_row: np.ndarray
    link_event: np.ndarray


def filter_index(tables: dict[str, pd.DataFrame]) -> FilterIndex:
    """The FilterIndex of `tables` (pure; the dashboard caches it per corpus version)."""
    import pyarrow as pa

    articles, events, q, m = tables["articles"], tables["events"], tables["quantities"], tables["mentions"]
    art_index = pd.Index(articles["article_id"].astype(object))
    ev_index = pd.Index(events["event_id"].astype(object))
    ev_article = _positions(events["article_id"], art_index)
    q_article = _positions(q["article_id"], art_index)
    m_article = _positions(m["article_id"], art_index)
    published = articles["published"].reset_index(drop=True)
    pub_of_q = pd.Series(np.append(articles["published"].astype(object).to_numpy(), None)[q_article], index=q.index)
    prec = pd.Series(np.append(articles["published_precision"].astype(object).to_numpy(), None)[q_article], index=q.index)
    has_date = q["date"].notna()
    q_start, q_end = _period_days(q["date"].where(has_date, pub_of_q), q["date_precision"].where(has_date, prec))
    ev_start, ev_end = _period_days(events["date"], events["date_precision"])
    links = tables["links"]
    exploded = links["event_ids"].astype("string").fillna("").str.split(";").explode()
    return FilterIndex(
        n_articles=len(articles),
        art_source=articles["source"].reset_index(drop=True),
        art_published=np.append(_days(published), np.datetime64("NaT")),
        ev_start=ev_start, ev_end=ev_end, ev_article=ev_article,
        ev_key=_sentence_codes(ev_article, events["sentence_id"]),
        ev_sentence=pa.array(events["sentence"].astype(object), type=pa.string()),
        ea_event=_positions(tables["event_actors"]["event_id"], ev_index),
        ea_actor=pd.Categorical(tables["event_actors"]["actor"].astype(object)),
        q_start=q_start, q_end=q_end, q_article=q_article,
        q_event=_positions(q["event_id"], ev_index),
        q_key=_sentence_codes(q_article, q["sentence_id"]),
        q_sentence=pa.array(q["sentence"].astype(object), type=pa.string()),
        m_article=m_article, m_key=_sentence_codes(m_article, m["sentence_id"]),
        m_actor=(m["kind"] == "actor").to_numpy(dtype=bool, na_value=False),
        m_name=pd.Categorical(m["name"].astype(object)),
        link_row=exploded.index.to_numpy(), link_event=_positions(exploded, ev_index),
    )


def _in_range(start: np.ndarray, end: np.ndarray, filters: Filters) -> np.ndarray:
    """True where the period [start, end] overlaps the filters' dates (NaT never does)."""
    mask = ~np.isnat(start)
    if filters.date_from:
        mask &= end >= np.datetime64(filters.date_from, "D")
    if filters.date_to:
        mask &= start <= np.datetime64(filters.date_to, "D")
    return mask


def _with_sentinel(mask: np.ndarray) -> np.ndarray:
    return np.append(mask, False)


def _indexed_event_mask(events: pd.DataFrame, articles_ok: np.ndarray, filters: Filters, ix: FilterIndex) -> np.ndarray:
    mask = np.ones(len(events), dtype=bool)
    if filters.types:
        mask &= events["type"].isin(filters.types).to_numpy()
    if filters.statuses:
        mask &= events["status"].isin(filters.statuses).to_numpy()
    if filters.sources:
        mask &= articles_ok[ix.ev_article]
    if filters.actors:
        hit = np.zeros(len(events) + 1, dtype=bool)
        hit[ix.ea_event[ix.ea_actor.isin(filters.actors)]] = True
        mask &= hit[:-1]
    if filters.date_from or filters.date_to:
        mask &= _in_range(ix.ev_start, ix.ev_end, filters)
    if filters.text:
        where = np.flatnonzero(mask)
        mask[where] = _contains(ix.ev_sentence.take(where), filters.text)
    return mask


def _indexed_quantity_mask(tables, filters: Filters, ix: FilterIndex, articles_ok, ev_mask) -> np.ndarray:
    q = tables["quantities"]
    mask = np.ones(len(q), dtype=bool)
    if filters.sources:
        mask &= articles_ok[ix.q_article]
    if filters.date_from or filters.date_to:
        mask &= _in_range(ix.q_start, ix.q_end, filters)
    if filters.text:
        mask &= _contains(ix.q_sentence, filters.text)
    if filters.actors:
        involved = np.zeros(len(tables["events"]) + 1, dtype=bool)
        involved[ix.ea_event[ix.ea_actor.isin(filters.actors)]] = True
        named = ix.m_key[ix.m_actor & ix.m_name.isin(filters.actors)]
        mask &= q["claimant"].isin(filters.actors).to_numpy(dtype=bool, na_value=False) | involved[ix.q_event] | np.isin(ix.q_key, named)
    if filters.types or filters.statuses:
        mask &= _with_sentinel(ev_mask)[ix.q_event]
    return mask


_NAT_HIGH = np.iinfo(np.int64).max
_NAT_LOW = np.iinfo(np.int64).min


def _group_span(groups: np.ndarray, days: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Per group 0..n-1: (earliest, latest) of `days` (datetime64[D]), NaT where none."""
    as_int = days.astype("datetime64[D]").astype(np.int64)
    nat = np.isnat(days)
    low = np.full(n, _NAT_HIGH)
    high = np.full(n, _NAT_LOW)
    np.minimum.at(low, groups[~nat], as_int[~nat])
    np.maximum.at(high, groups[~nat], as_int[~nat])
    def iso(v, empty):
        out = np.datetime_as_string(np.where(v == empty, 0, v).astype("datetime64[D]")).astype(object)
        out[v == empty] = None
        return out
    return iso(low, _NAT_HIGH), iso(high, _NAT_LOW)


def _recount(table: pd.DataFrame, names: set, kept: np.ndarray, ix: FilterIndex, *, actor: bool) -> pd.DataFrame:
    """`table` rows named in `names`, counts recomputed over the mentions where `kept`."""
    sel = kept & (ix.m_actor if actor else ~ix.m_actor)
    codes = ix.m_name.codes[sel]
    n_cat = len(ix.m_name.categories)
    width = ix.n_articles + 1
    pairs = np.unique(codes.astype(np.int64) * width + ix.m_article[sel])
    pair_codes, pair_articles = pairs // width, pairs % width
    n_mentions = np.bincount(codes, minlength=n_cat)
    n_articles = np.bincount(pair_codes, minlength=n_cat)
    out = table[table["name"].isin(list(names))].copy()
    pos = ix.m_name.categories.get_indexer(out["name"].astype(object))
    found = pos >= 0
    safe = np.where(found, pos, 0)
    out["n_mentions"] = pd.array(np.where(found, n_mentions[safe], 0), dtype="Int64")
    out["n_articles"] = pd.array(np.where(found, n_articles[safe], 0), dtype="Int64")
    if "first_seen" in out.columns:
        first, last = _group_span(pair_codes, ix.art_published[pair_articles], n_cat)
        out["first_seen"] = pd.array(np.where(found, first[safe], None), dtype="string")
        out["last_seen"] = pd.array(np.where(found, last[safe], None), dtype="string")
    return out.sort_values(["n_mentions", "name"], ascending=[False, True]).reset_index(drop=True)


def _recount_links(links: pd.DataFrame, events: pd.DataFrame, ev_mask: np.ndarray, ix: FilterIndex) -> pd.DataFrame:
    """The links carrying kept events, counts, dates and event ids recomputed on them.
    Assumes a link lists each of its events once."""
    if links.empty:
        return links
    keep = _with_sentinel(ev_mask)[ix.link_event]
    rows, ev = ix.link_row[keep], ix.link_event[keep]
    if len(rows) == 0:
        return links.iloc[0:0]
    order = np.argsort(rows, kind="stable")
    rows, ev = rows[order], ev[order]
    starts = np.r_[0, np.flatnonzero(np.diff(rows)) + 1]
    link_rows = rows[starts]
    group = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(rows)]))
    width = ix.n_articles + 1
    pairs = np.unique(group.astype(np.int64) * width + ix.ev_article[ev])
    first, last = _group_span(group, ix.ev_start[ev], len(starts))
    ids = events["event_id"].astype(object).to_numpy()[ev]
    out = links.loc[link_rows].copy()
    out["n_events"] = np.diff(np.r_[starts, len(rows)])
    out["n_articles"] = np.bincount(pairs // width, minlength=len(starts))
    out["first_date"], out["last_date"] = first, last
    out["event_ids"] = [";".join(chunk) for chunk in np.split(ids, starts[1:])]
    return out.astype(links.dtypes.to_dict()).reset_index(drop=True)


def filter_tables(tables: dict[str, pd.DataFrame], filters: Filters, index: FilterIndex | None = None) -> dict[str, pd.DataFrame]:
    """The schema tables narrowed to what `filters` select; `tables` itself when none is set.

    events: every filter. event_actors: rows of kept events. quantities: from the chosen
    outlets, in range (their own date, else their article's), matching the text, tied to a
    selected actor (as claimant, through their event, or named in their sentence) and, when
    types or statuses are set, to a kept event.
    articles: from the chosen outlets and, when an event filter is set, only those that
    report a kept event or figure. mentions: of kept articles, and when an event filter is
    set, only in the sentences that carry kept events or figures. actors, places: those in
    these mentions, events (and figures' claimants), with counts recomputed over the kept
    articles. links: those carrying kept events, recounted. `index` (filter_index(tables))
    makes repeated calls fast; it is built when not given.
    """
    if not filters.is_active():
        return tables
    ix = index or filter_index(tables)
    articles = tables["articles"]
    src_ok = articles["source"].isin(filters.sources).to_numpy() if filters.sources else np.ones(len(articles), dtype=bool)
    articles_ok = _with_sentinel(src_ok)
    ev_mask = _indexed_event_mask(tables["events"], articles_ok, filters, ix)
    q_mask = _indexed_quantity_mask(tables, filters, ix, articles_ok, ev_mask)
    art_keep = src_ok.copy()
    if filters.narrows_events():
        reporting = np.zeros(len(articles) + 1, dtype=bool)
        reporting[ix.ev_article[ev_mask]] = True
        reporting[ix.q_article[q_mask]] = True
        art_keep &= reporting[:-1]
    in_articles = _with_sentinel(art_keep)[ix.m_article]
    m_keep = in_articles
    if filters.narrows_events():
        cited = np.concatenate([ix.ev_key[ev_mask], ix.q_key[q_mask]])
        m_keep = in_articles & np.isin(ix.m_key, cited)
    ev = tables["events"][ev_mask]
    quantities = tables["quantities"][q_mask]
    ea_keep = _with_sentinel(ev_mask)[ix.ea_event]
    event_actors = tables["event_actors"][ea_keep]
    mentions = tables["mentions"][m_keep]
    actor_names = {*ix.m_name[m_keep & ix.m_actor].unique().dropna(), *event_actors["actor"].dropna().unique(),
                   *quantities["claimant"].dropna().unique()}
    place_names = {*ix.m_name[m_keep & ~ix.m_actor].unique().dropna(),
                   *pd.unique(pd.concat([ev["origin"], ev["destination"], ev["location"]]).dropna())}
    return {
        "articles": articles[art_keep],
        "mentions": mentions,
        "events": ev,
        "event_actors": event_actors,
        "quantities": quantities,
        "actors": _recount(tables["actors"], actor_names, in_articles, ix, actor=True),
        "places": _recount(tables["places"], place_names, in_articles, ix, actor=False),
        "links": _recount_links(tables["links"], tables["events"], ev_mask, ix),
    }


@dataclass(frozen=True)
class FilterOptions:
    """The choices the filter widgets offer for a corpus."""

    actors: tuple[str, ...]
    actor_labels: dict[str, str]
    types: tuple[str, ...]
    statuses: tuple[str, ...]
    sources: tuple[str, ...]
    first_date: str | None
    last_date: str | None


def _sorted_values(series: pd.Series) -> tuple[str, ...]:
    return tuple(sorted(str(v) for v in series.dropna().unique() if str(v)))


def actor_label(name: str, type_: object, country: object) -> str:
    """`name (type, country)`, leaving out what is unknown."""
    extra = ", ".join(str(v) for v in (type_, country) if isinstance(v, str) and v)
    return f"{name} ({extra})" if extra else name


def filter_options(tables: dict[str, pd.DataFrame]) -> FilterOptions:
    """What each filter can choose from: actors by mentions (most first), the types, statuses
    and outlets present, and the span of event and publication dates."""
    actors = tables["actors"].sort_values(["n_mentions", "name"], ascending=[False, True])
    labels = {n: actor_label(n, t, c) for n, t, c in zip(actors["name"], actors["type"], actors["country"])}
    dates = pd.concat([tables["events"]["date"], tables["articles"]["published"], tables["quantities"]["date"]]).dropna()
    return FilterOptions(
        actors=tuple(actors["name"]),
        actor_labels=labels,
        types=_sorted_values(tables["events"]["type"]),
        statuses=_sorted_values(tables["events"]["status"]),
        sources=_sorted_values(tables["articles"]["source"]),
        first_date=str(dates.min()) if len(dates) else None,
        last_date=str(dates.max()) if len(dates) else None,
    )


def restrict_to_options(filters: Filters, options: FilterOptions) -> Filters:
    """`filters` without values the corpus does not offer (e.g. from an old bookmark)."""
    return replace(
        filters,
        actors=tuple(a for a in filters.actors if a in options.actor_labels),
        types=tuple(t for t in filters.types if t in options.types),
        statuses=tuple(s for s in filters.statuses if s in options.statuses),
        sources=tuple(s for s in filters.sources if s in options.sources),
    )
