"""The dashboard's shared filters and the tables they select, in pure pandas.

`Filters` is the one set of choices every page applies (actors, date range, event types,
statuses, outlets, free text); it round-trips through a URL query string. `filter_tables`
returns the eight schema tables narrowed to the events the filters select, so every page,
table and download shows the same slice. The dashboard runs the same rules as SQL
(core.query.sql, tested row for row against filter_tables); this pandas version is their
reference and serves code that holds the tables in memory. Vectorised throughout.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import date

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from core.vocab import MentionKind, Precision, Review, ReviewScope

# Query-string keys; short so a shared URL stays readable.
QUERY_KEYS = {
    "actors": "actor",
    "date_from": "from",
    "date_to": "to",
    "types": "type",
    "statuses": "status",
    "sources": "source",
    "text": "q",
    "review": "review",
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
    # "reviewed": only events and figures an analyst has seen; "needs_review": only the others
    review: str = ""

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
    review = get["review"][-1].strip() if get["review"] else ""
    return Filters(
        actors=_unique(get["actors"]),
        date_from=date_from,
        date_to=date_to,
        types=_unique(get["types"]),
        statuses=_unique(get["statuses"]),
        sources=_unique(get["sources"]),
        text=text,
        review=review if review in set(ReviewScope) else "",
    )


def review_mask(rows: pd.DataFrame, scope: str) -> np.ndarray:
    """True for each row (events or figures) the review filter `scope` keeps (all when empty):
    reviewed = an analyst confirmed, corrected or added it; needs_review = still as extracted."""
    if not scope:
        return np.ones(len(rows), dtype=bool)
    auto = (rows["review"].fillna(Review.AUTO) == Review.AUTO).to_numpy(dtype=bool)
    return auto if scope == ReviewScope.NEEDS_REVIEW else ~auto


def _days(dates: pd.Series) -> np.ndarray:
    """ISO date strings as day numbers (datetime64[D]); NaT where empty or malformed."""
    parsed = pd.to_datetime(dates.astype("string"), errors="coerce", format="%Y-%m-%d")
    return parsed.to_numpy(dtype="datetime64[D]")


def period_days(dates: pd.Series, precision: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(first day, last day) of each date's period as datetime64[D] (NaT when undated)."""
    start = _days(dates)
    p = precision.astype("string").fillna(Precision.DAY).to_numpy()
    month_end = (start.astype("datetime64[M]") + 1).astype("datetime64[D]") - 1
    year_end = (start.astype("datetime64[Y]") + 1).astype("datetime64[D]") - 1
    end = np.where(p == Precision.MONTH, month_end, np.where(p == Precision.YEAR, year_end, start))
    return start, end


def _positions(keys: pd.Series, index: pd.Index) -> np.ndarray:
    """Position of each key in `index`; len(index) (a sentinel slot) where absent."""
    pos = index.get_indexer(pd.Index(keys.astype(object)))
    return np.where(pos < 0, len(index), pos)


def _sentence_keys(article_pos: np.ndarray, sentence_id: pd.Series) -> np.ndarray:
    """One int64 per (article, sentence), comparable across tables."""
    sid = sentence_id.astype("Float64").fillna(-1).to_numpy(dtype=np.int64)
    return article_pos.astype(np.int64) * 1_000_003 + sid


def _contains(values, query: str) -> np.ndarray:
    """True where a pyarrow string array contains `query`, ignoring case."""
    return np.asarray(pc.fill_null(pc.match_substring(values, query, ignore_case=True), False), dtype=bool)


def arrow_strings(values) -> pa.Array:
    """`values` (a Series or array of strings, missing allowed) as one pyarrow string array."""
    array = pa.array(pd.Series(values).astype("string"))
    array = array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array
    return array.cast(pa.large_string())


def join_groups(groups: np.ndarray, values, n_groups: int, sep: str) -> np.ndarray:
    """Per group 0..n_groups-1, its `values` (pyarrow strings aligned to `groups`) joined by
    `sep` in row order, as an object array; missing values are left out, and a group
    without any gets "". One pyarrow call instead of a Python join per group."""
    if values.null_count:
        valid = np.asarray(values.is_valid(), dtype=bool)
        groups, values = groups[valid], values.filter(pa.array(valid))
    order = np.argsort(groups, kind="stable")
    offsets = np.r_[0, np.cumsum(np.bincount(groups, minlength=n_groups))]
    lists = pa.LargeListArray.from_arrays(pa.array(offsets, type=pa.int64()), values.take(pa.array(order)))
    return np.asarray(pc.binary_join(lists, pa.scalar(sep, type=values.type)).to_pandas(), dtype=object)


def _codes(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """(a code per value, -1 where missing; the distinct values the codes point to)."""
    codes, uniques = pd.factorize(values)
    return codes, pd.Index(uniques)


def _selected(codes: np.ndarray, values: pd.Index, wanted) -> np.ndarray:
    """True where a code's value is one of `wanted`; a missing value (-1) never is."""
    flag = np.append(values.isin(list(wanted)), False)  # the last slot answers code -1
    return flag[codes]


@dataclass(frozen=True, eq=False)
class EntityIndex:
    """The actors or places table against the mentions of its kind, for recounting.

    `vocab` holds the table's distinct names; codes are positions in it, -1 when a name is
    not in the table. Mentions of other names cannot change the table, so they are left out.
    A pair is one (name, article) that some mention ties together; spans list the pairs
    with a known publication date, sorted by name then date."""

    n_vocab: int
    table_code: np.ndarray
    m_pos: np.ndarray
    m_code: np.ndarray
    m_pair: np.ndarray
    pair_code: np.ndarray
    span_pair: np.ndarray
    span_code: np.ndarray
    span_day: np.ndarray


def _entity_index(table: pd.DataFrame, names: pd.Series, of_kind: np.ndarray, m_article: np.ndarray,
                  art_published: np.ndarray) -> EntityIndex:
    vocab = pd.Index(pd.unique(table["name"].dropna()))
    code = vocab.get_indexer(pd.Index(names))
    pos = np.flatnonzero(of_kind & (code >= 0))
    width = len(art_published)
    m_pair, pair_keys = pd.factorize(code[pos].astype(np.int64) * width + m_article[pos])
    pair_keys = np.asarray(pair_keys, dtype=np.int64)
    pair_code, pair_article = pair_keys // width, pair_keys % width
    day = art_published[pair_article]
    dated = np.flatnonzero(~np.isnat(day))
    order = dated[np.lexsort((day[dated], pair_code[dated]))]
    return EntityIndex(
        n_vocab=len(vocab), table_code=vocab.get_indexer(pd.Index(table["name"])), m_pos=pos, m_code=code[pos],
        m_pair=m_pair, pair_code=pair_code, span_pair=order, span_code=pair_code[order], span_day=day[order],
    )


@dataclass(frozen=True, eq=False)
class FilterIndex:
    """Positions, day numbers and codes of a corpus, computed once, so a filter change is a
    handful of numpy operations (see filter_index). Arrays are aligned to the table rows.

    Codes (`*_code`) point into the matching `*_values` (-1: missing); `*_sent` are dense
    (article, sentence) codes shared by events, figures and mentions; `*_text` point into
    `texts`, the distinct sentences, so a text search reads each sentence once."""

    n_articles: int
    art_source_code: np.ndarray
    art_source_values: pd.Index
    art_published: np.ndarray
    ev_start: np.ndarray
    ev_end: np.ndarray
    ev_article: np.ndarray
    ev_sent: np.ndarray
    ev_text: np.ndarray
    ev_type_code: np.ndarray
    ev_type_values: pd.Index
    ev_status_code: np.ndarray
    ev_status_values: pd.Index
    ev_ids: pa.Array
    ea_event: np.ndarray
    ea_actor_code: np.ndarray
    ea_actor_values: pd.Index
    q_start: np.ndarray
    q_end: np.ndarray
    q_article: np.ndarray
    q_event: np.ndarray
    q_sent: np.ndarray
    q_text: np.ndarray
    q_claimant_code: np.ndarray
    q_claimant_values: pd.Index
    texts: pa.Array
    n_sentences: int
    m_article: np.ndarray
    m_sent: np.ndarray
    m_actor: np.ndarray
    m_name_code: np.ndarray
    m_name_values: pd.Index
    actors: EntityIndex
    places: EntityIndex
    actor_codes: tuple[np.ndarray, np.ndarray]  # (event_actors rows, figures' claimants)
    place_codes: tuple[np.ndarray, np.ndarray, np.ndarray]  # events' origin, destination, location
    link_row: np.ndarray
    link_event: np.ndarray
    link_group: np.ndarray
    link_pair: np.ndarray
    link_pair_group: np.ndarray


def _link_index(links: pd.DataFrame, ev_index: pd.Index, ev_article: np.ndarray,
                n_articles: int) -> dict[str, np.ndarray]:
    """Each (link, event) pair of `links`, sorted by link label, with dense link and
    (link, article) codes."""
    exploded = links["event_ids"].astype("string").fillna("").str.split(";").explode()
    order = np.argsort(exploded.index.to_numpy(), kind="stable")
    rows = exploded.index.to_numpy()[order]
    event = _positions(exploded, ev_index)[order]
    group = pd.factorize(rows)[0] if len(rows) else np.zeros(0, dtype=np.intp)
    width = n_articles + 1
    pair, pair_keys = pd.factorize(group.astype(np.int64) * width + np.append(ev_article, n_articles)[event])
    return {"link_row": rows, "link_event": event, "link_group": group, "link_pair": pair,
            "link_pair_group": np.asarray(pair_keys, dtype=np.int64) // width}


def filter_index(tables: dict[str, pd.DataFrame]) -> FilterIndex:
    """The FilterIndex of `tables` (pure; the dashboard caches it per corpus version)."""
    articles, events, q, m = tables["articles"], tables["events"], tables["quantities"], tables["mentions"]
    ea = tables["event_actors"]
    art_index = pd.Index(articles["article_id"].astype(object))
    ev_index = pd.Index(events["event_id"].astype(object))
    ev_article = _positions(events["article_id"], art_index)
    q_article = _positions(q["article_id"], art_index)
    m_article = _positions(m["article_id"], art_index)
    published = articles["published"].reset_index(drop=True)
    art_published = np.append(_days(published), np.datetime64("NaT"))
    # A trailing None answers the sentinel position of figures whose article is missing.
    pub_of_q = pd.Series(np.append(articles["published"].astype(object).to_numpy(), [None])[q_article],
                         index=q.index)
    prec = pd.Series(np.append(articles["published_precision"].astype(object).to_numpy(), [None])[q_article],
                     index=q.index)
    has_date = q["date"].notna()
    q_start, q_end = period_days(q["date"].where(has_date, pub_of_q), q["date_precision"].where(has_date, prec))
    ev_start, ev_end = period_days(events["date"], events["date_precision"])
    keys = np.concatenate([_sentence_keys(ev_article, events["sentence_id"]),
                           _sentence_keys(q_article, q["sentence_id"]),
                           _sentence_keys(m_article, m["sentence_id"])])
    sent, sent_keys = pd.factorize(keys)
    n_ev, n_q = len(events), len(q)
    text_code, texts = pd.factorize(pd.concat([events["sentence"], q["sentence"]], ignore_index=True))
    m_actor = (m["kind"] == MentionKind.ACTOR).to_numpy(dtype=bool, na_value=False)
    m_name_code, m_name_values = _codes(m["name"])
    actors, places = tables["actors"], tables["places"]
    actor_ix = _entity_index(actors, m["name"], m_actor, m_article, art_published)
    place_ix = _entity_index(places, m["name"], ~m_actor, m_article, art_published)
    actor_vocab = pd.Index(pd.unique(actors["name"].dropna()))
    place_vocab = pd.Index(pd.unique(places["name"].dropna()))
    origin, destination, location = (place_vocab.get_indexer(pd.Index(events[c]))
                                     for c in ("origin", "destination", "location"))
    art_source_code, art_source_values = _codes(articles["source"])
    ev_type_code, ev_type_values = _codes(events["type"])
    ev_status_code, ev_status_values = _codes(events["status"])
    ea_actor_code, ea_actor_values = _codes(ea["actor"])
    q_claimant_code, q_claimant_values = _codes(q["claimant"])
    return FilterIndex(
        n_articles=len(articles),
        art_source_code=art_source_code, art_source_values=art_source_values, art_published=art_published,
        ev_start=ev_start, ev_end=ev_end, ev_article=ev_article, ev_sent=sent[:n_ev], ev_text=text_code[:n_ev],
        ev_type_code=ev_type_code, ev_type_values=ev_type_values,
        ev_status_code=ev_status_code, ev_status_values=ev_status_values, ev_ids=arrow_strings(events["event_id"]),
        ea_event=_positions(ea["event_id"], ev_index), ea_actor_code=ea_actor_code, ea_actor_values=ea_actor_values,
        q_start=q_start, q_end=q_end, q_article=q_article, q_event=_positions(q["event_id"], ev_index),
        q_sent=sent[n_ev:n_ev + n_q], q_text=text_code[n_ev:], q_claimant_code=q_claimant_code,
        q_claimant_values=q_claimant_values, texts=arrow_strings(texts), n_sentences=len(sent_keys),
        m_article=m_article, m_sent=sent[n_ev + n_q:], m_actor=m_actor, m_name_code=m_name_code,
        m_name_values=m_name_values, actors=actor_ix, places=place_ix,
        actor_codes=(actor_vocab.get_indexer(pd.Index(ea["actor"])), actor_vocab.get_indexer(pd.Index(q["claimant"]))),
        place_codes=(origin, destination, location),
        **_link_index(tables["links"], ev_index, ev_article, len(articles)),
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


def _flags(n: int, *hits: np.ndarray) -> np.ndarray:
    """n booleans, True at every position in `hits`; position -1 or n (a sentinel) is ignored."""
    out = np.zeros(n + 1, dtype=bool)
    for h in hits:
        out[h] = True
    return out[:n]


def _text_hits(codes: np.ndarray, ix: FilterIndex, query: str) -> np.ndarray:
    """True where the sentence of each code contains `query`; each distinct sentence is
    searched once, and only those the codes use."""
    used = np.flatnonzero(_flags(len(ix.texts), codes))
    hit = np.zeros(len(ix.texts) + 1, dtype=bool)
    if len(used):
        hit[used] = _contains(ix.texts.take(used), query)
    return hit[codes]


def _actor_events(filters: Filters, ix: FilterIndex, n_events: int) -> np.ndarray:
    """True for each event (and False for the sentinel after them) that involves a chosen actor."""
    chosen = ix.ea_event[_selected(ix.ea_actor_code, ix.ea_actor_values, filters.actors)]
    return _with_sentinel(_flags(n_events, chosen))


def _indexed_event_mask(n_events: int, articles_ok: np.ndarray, filters: Filters, ix: FilterIndex) -> np.ndarray:
    mask = np.ones(n_events, dtype=bool)
    if filters.types:
        mask &= _selected(ix.ev_type_code, ix.ev_type_values, filters.types)
    if filters.statuses:
        mask &= _selected(ix.ev_status_code, ix.ev_status_values, filters.statuses)
    if filters.sources:
        mask &= articles_ok[ix.ev_article]
    if filters.actors:
        mask &= _actor_events(filters, ix, n_events)[:-1]
    if filters.date_from or filters.date_to:
        mask &= _in_range(ix.ev_start, ix.ev_end, filters)
    if filters.text:
        where = np.flatnonzero(mask)
        mask[where] = _text_hits(ix.ev_text[where], ix, filters.text)
    return mask


def _indexed_quantity_mask(n_events: int, filters: Filters, ix: FilterIndex, articles_ok, ev_mask) -> np.ndarray:
    mask = np.ones(len(ix.q_article), dtype=bool)
    if filters.sources:
        mask &= articles_ok[ix.q_article]
    if filters.date_from or filters.date_to:
        mask &= _in_range(ix.q_start, ix.q_end, filters)
    if filters.text:
        mask &= _text_hits(ix.q_text, ix, filters.text)
    if filters.actors:
        named = ix.m_sent[ix.m_actor & _selected(ix.m_name_code, ix.m_name_values, filters.actors)]
        mask &= (_selected(ix.q_claimant_code, ix.q_claimant_values, filters.actors)
                 | _actor_events(filters, ix, n_events)[ix.q_event] | _flags(ix.n_sentences, named)[ix.q_sent])
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


def _seen_span(ent: EntityIndex, seen: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per name code: (earliest, latest) publication date (ISO) of its `seen` pairs, None where none.

    The spans are sorted by name then date, so a name's first and last seen span are its ends."""
    idx = np.flatnonzero(seen[ent.span_pair])
    first = np.full(ent.n_vocab, None, dtype=object)
    last = np.full(ent.n_vocab, None, dtype=object)
    if len(idx):
        code = ent.span_code[idx]
        change = code[1:] != code[:-1]
        head, tail = idx[np.r_[True, change]], idx[np.r_[change, True]]
        first[ent.span_code[head]] = np.datetime_as_string(ent.span_day[head]).astype(object)
        last[ent.span_code[tail]] = np.datetime_as_string(ent.span_day[tail]).astype(object)
    return first, last


def _recount(table: pd.DataFrame, ent: EntityIndex, named: np.ndarray, kept: np.ndarray) -> pd.DataFrame:
    """`table` rows whose name code is `named`, counts recomputed over the mentions `kept`."""
    sel = kept[ent.m_pos]
    n_mentions = np.bincount(ent.m_code[sel], minlength=ent.n_vocab)
    seen = _flags(len(ent.pair_code), ent.m_pair[sel])
    n_articles = np.bincount(ent.pair_code[seen], minlength=ent.n_vocab)
    rows = _with_sentinel(named)[ent.table_code]
    code = ent.table_code[rows]
    out = table[rows].copy()
    out["n_mentions"] = pd.array(n_mentions[code], dtype="Int64")
    out["n_articles"] = pd.array(n_articles[code], dtype="Int64")
    if "first_seen" in out.columns:
        first, last = _seen_span(ent, seen)
        out["first_seen"] = pd.array(first[code], dtype="string")
        out["last_seen"] = pd.array(last[code], dtype="string")
    return out.sort_values(["n_mentions", "name"], ascending=[False, True]).reset_index(drop=True)


def _recount_links(links: pd.DataFrame, ev_mask: np.ndarray, ix: FilterIndex) -> pd.DataFrame:
    """The links carrying kept events, counts, dates and event ids recomputed on them.
    Assumes a link lists each of its events once."""
    if links.empty:
        return links
    keep = _with_sentinel(ev_mask)[ix.link_event]
    if not keep.any():
        return links.iloc[0:0]
    group, ev = ix.link_group[keep], ix.link_event[keep]
    n_groups = int(ix.link_group[-1]) + 1
    n_events = np.bincount(group, minlength=n_groups)
    pairs_kept = _flags(len(ix.link_pair_group), ix.link_pair[keep])
    n_articles = np.bincount(ix.link_pair_group[pairs_kept], minlength=n_groups)
    first, last = _group_span(group, ix.ev_start[ev], n_groups)
    ids = join_groups(group, ix.ev_ids.take(ev), n_groups, ";")
    carried = np.flatnonzero(n_events)
    out = links.loc[ix.link_row[np.searchsorted(ix.link_group, carried)]].copy()
    out["n_events"] = n_events[carried]
    out["n_articles"] = n_articles[carried]
    out["first_date"], out["last_date"] = first[carried], last[carried]
    out["event_ids"] = ids[carried]
    return out.astype(links.dtypes.to_dict()).reset_index(drop=True)


def filter_tables(tables: dict[str, pd.DataFrame], filters: Filters,
                  index: FilterIndex | None = None) -> dict[str, pd.DataFrame]:
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
    n_events = len(tables["events"])
    if filters.sources:
        src_ok = _selected(ix.art_source_code, ix.art_source_values, filters.sources)
    else:
        src_ok = np.ones(ix.n_articles, dtype=bool)
    articles_ok = _with_sentinel(src_ok)
    ev_mask = _indexed_event_mask(n_events, articles_ok, filters, ix) & review_mask(tables["events"], filters.review)
    q_mask = _indexed_quantity_mask(n_events, filters, ix, articles_ok, ev_mask)
    q_mask &= review_mask(tables["quantities"], filters.review)
    art_keep = src_ok
    if filters.narrows_events():
        art_keep = src_ok & _flags(ix.n_articles, ix.ev_article[ev_mask], ix.q_article[q_mask])
    in_articles = _with_sentinel(art_keep)[ix.m_article]
    m_keep = in_articles
    if filters.narrows_events():
        m_keep = in_articles & _flags(ix.n_sentences, ix.ev_sent[ev_mask], ix.q_sent[q_mask])[ix.m_sent]
    ea_keep = _with_sentinel(ev_mask)[ix.ea_event]
    ea_code, claimant_code = ix.actor_codes
    actor_names = _flags(ix.actors.n_vocab, ix.actors.m_code[m_keep[ix.actors.m_pos]], ea_code[ea_keep],
                         claimant_code[q_mask])
    place_names = _flags(ix.places.n_vocab, ix.places.m_code[m_keep[ix.places.m_pos]],
                         *(codes[ev_mask] for codes in ix.place_codes))
    return {
        "articles": tables["articles"][art_keep],
        "mentions": tables["mentions"][m_keep],
        "events": tables["events"][ev_mask],
        "event_actors": tables["event_actors"][ea_keep],
        "quantities": tables["quantities"][q_mask],
        "actors": _recount(tables["actors"], ix.actors, actor_names, in_articles),
        "places": _recount(tables["places"], ix.places, place_names, in_articles),
        "links": _recount_links(tables["links"], ev_mask, ix),
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
    labels = {n: actor_label(n, t, c)
              for n, t, c in zip(actors["name"], actors["type"], actors["country"], strict=True)}
    dates = pd.concat([tables["events"]["date"], tables["articles"]["published"],
                       tables["quantities"]["date"]]).dropna()
    return FilterOptions(
        actors=tuple(actors["name"]),
        actor_labels=labels,
        types=_sorted_values(tables["events"]["type"]),
        statuses=_sorted_values(tables["events"]["status"]),
        sources=_sorted_values(tables["articles"]["source"]),
        first_date=str(dates.min()) if len(dates) else None,
        last_date=str(dates.max()) if len(dates) else None,
    )


def unknown_values(filters: Filters, options: FilterOptions) -> dict[str, tuple[str, ...]]:
    """The values of `filters` the corpus does not offer, by field name (e.g. {"actors":
    ("Atlantis",)}); fields with none are left out. Empty when every value is known."""
    offered = {"actors": options.actor_labels, "types": options.types, "statuses": options.statuses,
               "sources": options.sources}
    unknown = {name: tuple(v for v in getattr(filters, name) if v not in values) for name, values in offered.items()}
    return {name: values for name, values in unknown.items() if values}


def restrict_with_report(filters: Filters, options: FilterOptions) -> tuple[Filters, dict[str, tuple[str, ...]]]:
    """(`filters` without the values the corpus does not offer, those values by field name),
    so a page can say which parts of a shared link it ignored."""
    dropped = unknown_values(filters, options)
    changes: dict[str, object] = {name: tuple(v for v in getattr(filters, name) if v not in values)
                                  for name, values in dropped.items()}
    kept = replace(filters, **changes)  # type: ignore[arg-type]
    return kept, dropped


def restrict_to_options(filters: Filters, options: FilterOptions) -> Filters:
    """`filters` without values the corpus does not offer (e.g. from an old bookmark)."""
    return restrict_with_report(filters, options)[0]
