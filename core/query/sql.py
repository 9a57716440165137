"""The dashboard's filters and page aggregations as SQL, run by an embedded DuckDB.

A connection (`connect_parquet` over a store generation's Parquet files, or `connect_frames`
over tables already in memory) exposes the eight schema tables as views with one extra
column, `_row`, the row's position in its table, so results can be matched to the pandas
tables and row order (which decides ties and joined lists) is the same as in pandas.

Beside them it holds FACTS: per row of events, figures, mentions and event-actors its integer
keys and parsed date periods (and the distinct sentences, lowercased), so no filter parses a
date or joins on an id string; the events, figures and network edges sorted by date (ev_rows,
q_rows, edge_ix), so the few rows a page shows of a date range are read from its row groups
alone; and the numbers the story queries rank and group on (ev_ix st, rk, w, dk). `prepare`
writes the facts, and every page query's unfiltered result, once per store version next to the
corpus files; a connection given that folder reads
them instead of computing them (opening a million-event store: 2 s -> 0.1 s), and
`prepared_result` serves the unfiltered pages from it.

Every query starts from `filter_ctes(filters)`: common table expressions for the events,
figures, articles, mentions and event-actor rows the filters keep, with the same rules as
core.query.filters.filter_tables (the reference the tests hold this module to).
`run` and the page queries read the kept rows through `cached_ctes`: the same expressions, but
the kept events, figures, sentences, articles and names a query needs are written once per
filters into tables of the connection's database and read back by the next queries (the app
counts the events on every filter change, then asks each page's queries under the same
filters); `drop_kept_sets` forgets them. `kept_table` gives any filtered table as
filter_tables does (actors, places and links counted again). User values only ever reach
DuckDB as named parameters. Aggregations return small pandas frames in the shape
core.query.views gives them.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
import threading
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from core import schema
from core.query import views
from core.query.filters import FilterOptions, Filters, actor_label
from core.vocab import Precision, Review, ReviewScope, Status

ROW = "_row"
MEMORY_LIMIT = "1GB"
STRING = pd.StringDtype(na_value=pd.NA)  # the schema's "string" dtype
# ISO day of a date string (NULL when empty or malformed), and the last day of its period.
MACROS = (
    "CREATE MACRO iso_day(s) AS CAST(try_strptime(s, '%Y-%m-%d') AS DATE)",
    f"CREATE MACRO period_end(d, p) AS CASE WHEN p = '{Precision.MONTH}' THEN last_day(d) "
    f"WHEN p = '{Precision.YEAR}' THEN make_date(year(d), 12, 31) ELSE d END",
    # The timeline's datetime: ISO day, month or year (pandas' format="ISO8601" reads all three).
    "CREATE MACRO iso_when(s) AS "
    "coalesce(try_strptime(s, '%Y-%m-%d'), try_strptime(s, '%Y-%m'), try_strptime(s, '%Y'))",
)


# Facts: per row of events, event_actors, mentions and figures, its integer keys and parsed
# dates, computed once per store version (written beside the corpus by `prepare`, else built
# in the connection), so the filters and page aggregations join and group on numbers and never
# parse a date string. Per event: its row, story, article (hash and row), (article, sentence),
# type, status, date and its period's first and last day; per figure the same, its date being
# its article's publication date when it has none; per event-actor row its event's row.
# hash() stands for a string in counts of distinct values (NULL kept NULL).
# A date precision's rank (views.stories: day, month, year, then undated), `{p}` the column.
PRECISION_RANK = (f"CASE {{p}} WHEN '{Precision.DAY}' THEN 0 WHEN '{Precision.MONTH}' THEN 1 "
                  f"WHEN '{Precision.YEAR}' THEN 2 ELSE 3 END")
KEYS = (
    "CREATE MACRO key_of(s) AS CASE WHEN s IS NULL THEN NULL ELSE hash(s) END",
    "CREATE MACRO sentence_key(a, s) AS hash(a, coalesce(s, -1))",
)
FIRST_ARTICLE = (f"(SELECT article_id, min({ROW}) AS art, arg_min(published, {ROW}) AS published, "
                 f"arg_min(published_precision, {ROW}) AS published_precision FROM articles GROUP BY article_id)")
FIRST_EVENT = f"(SELECT event_id, min({ROW}) AS ev FROM events GROUP BY event_id)"
# Per sentence, the numbers (FACTS names) of the names mentioned in it in an article of the
# corpus, and how many such mentions it holds.
SENTENCE_NAMES = ("sn AS (SELECT m.skey, list(DISTINCT n.id) FILTER (WHERE n.id IS NOT NULL) AS nm, count(*) AS n_m "
                  "FROM m_ix m LEFT JOIN names n ON n.name = m.name AND n.is_actor = m.is_actor "
                  "WHERE m.art IS NOT NULL GROUP BY m.skey)")
FACTS = {
    # Each distinct sentence (of events and figures) once, lowercased: a text search reads these.
    "texts": "SELECT row_number() OVER (ORDER BY ltext) AS tc, ltext FROM (SELECT DISTINCT lower(sentence) AS ltext "
             "FROM (SELECT sentence FROM events UNION ALL SELECT sentence FROM quantities) WHERE sentence IS NOT NULL)",
    "ev_ix": f"SELECT e.{ROW} AS ev, key_of(e.story_id) AS sid, key_of(e.article_id) AS aid, "
             f"sentence_key(e.article_id, e.sentence_id) AS skey, a.art, e.type, e.status, e.date, "
             f"iso_day(e.date) AS d0, period_end(iso_day(e.date), e.date_precision) AS d1, t.tc, e.review, "
             # what the timeline's stories group and rank on, read here pruned by dates
             f"coalesce(e.story_id, e.event_id) AS story, e.event_id, e.article_id, e.date_precision, "
             # the same as numbers: `st` numbers the stories in their ids' order; `rk` the events
             # in the order a story picks its representative row by (views.stories: precision,
             # publication, event id, row); `w` the timeline's datetime (iso_when)
             f"dense_rank() OVER (ORDER BY coalesce(e.story_id, e.event_id))::INTEGER AS st, "
             f"row_number() OVER (ORDER BY {PRECISION_RANK.format(p='e.date_precision')}, a.published NULLS LAST, "
             f"e.event_id NULLS LAST, e.{ROW})::INTEGER AS rk, iso_when(e.date) AS w, "
             # and `dk` numbers its (date, precision, type) (the Timeline's counts are grouped on it)
             f"dense_rank() OVER (ORDER BY e.date, e.date_precision, e.type)::INTEGER AS dk, "
             # the first row of its id (an event-actor row's event, ea_ix ev)
             f"f.ev AS fev "
             f"FROM events e LEFT JOIN {FIRST_EVENT} f ON f.event_id = e.event_id "
             f"LEFT JOIN {FIRST_ARTICLE} a ON a.article_id = e.article_id "
             f"LEFT JOIN texts t ON t.ltext = lower(e.sentence) ORDER BY e.{ROW}",
    # The events rows (their row as `ev`) with their dates, sorted by date (FACT_ORDER): the few
    # rows a page shows of a date range are read from its row groups alone (events.parquet may
    # be one row group: any row read from it decodes the whole file).
    "ev_rows": f"SELECT e.* EXCLUDE ({ROW}), e.{ROW} AS ev, i.d0, i.d1 FROM events e JOIN ev_ix i ON i.ev = e.{ROW}",
    # Each (date, precision, type) of events once, by its number in ev_ix.
    "dk_ix": "SELECT DISTINCT dk, date, date_precision, type FROM ev_ix",
    # With its event's story, article, type and dates: the actor queries need no join to ev_ix,
    # and a date range skips most rows before any join.
    "ea_ix": f"SELECT ea.{ROW} AS ea_row, e.ev, ea.actor, ea.role, i.sid, i.aid, i.type, i.d0, i.d1 "
             f"FROM event_actors ea JOIN {FIRST_EVENT} e ON e.event_id = ea.event_id JOIN ev_ix i ON i.ev = e.ev "
             f"ORDER BY ea.{ROW}",
    "q_ix": f"SELECT q.{ROW} AS q, a.art, e.ev, sentence_key(q.article_id, q.sentence_id) AS skey, q.claimant, "
            f"iso_day(CASE WHEN q.date IS NOT NULL THEN q.date ELSE a.published END) AS d0, "
            f"period_end(iso_day(CASE WHEN q.date IS NOT NULL THEN q.date ELSE a.published END), "
            f"CASE WHEN q.date IS NOT NULL THEN q.date_precision ELSE a.published_precision END) AS d1, t.tc, q.review "
            f"FROM quantities q LEFT JOIN {FIRST_ARTICLE} a ON a.article_id = q.article_id "
            f"LEFT JOIN texts t ON t.ltext = lower(q.sentence) "
            f"LEFT JOIN {FIRST_EVENT} e ON e.event_id = q.event_id ORDER BY q.{ROW}",
    # The figures rows (their row as `q`) with their dates (q_ix) and their article's columns
    # (its first row), sorted by date (FACT_ORDER): a date range's figures are read from its row
    # groups alone, without a join (quantities.parquet may be one row group: read whole).
    "q_rows": f"SELECT t.* EXCLUDE ({ROW}), t.{ROW} AS q, j.d0, j.d1, a.published AS _published, "
              f"a.published_precision AS _published_precision, "
              f"{', '.join(f'a.{c} AS _a_{c}' for c in views.ARTICLE_COLUMNS)} "
              f"FROM quantities t JOIN q_ix j ON j.q = t.{ROW} LEFT JOIN articles a ON a.{ROW} = j.art",
    # Per mention, the dates its sentence's events and figures span ([s_d0, s_d1]): a date range
    # keeps a mention only when one of them overlaps it, so this bound skips most mentions before
    # the join on sentences. Sorted by it, so the Parquet row groups' ranges skip the rest unread.
    "m_ix": f"SELECT m.{ROW} AS m_row, a.art, sentence_key(m.article_id, m.sentence_id) AS skey, "
            f"coalesce(m.kind = 'actor', FALSE) AS is_actor, m.name, iso_day(a.published) AS pday, env.s_d0, env.s_d1 "
            f"FROM mentions m LEFT JOIN {FIRST_ARTICLE} a ON a.article_id = m.article_id "
            f"LEFT JOIN (SELECT skey, min(d0) AS s_d0, max(d1) AS s_d1 FROM (SELECT skey, d0, d1 FROM ev_ix "
            f"UNION ALL SELECT skey, d0, d1 FROM q_ix) WHERE d0 IS NOT NULL GROUP BY skey) env "
            f"ON env.skey = sentence_key(m.article_id, m.sentence_id) ORDER BY env.s_d0 NULLS LAST, m.{ROW}",
    # Each (link, event id) of the links' event lists, in list order, with the event's row.
    # With the event's article row and dates, sorted by date (FACT_ORDER): a date range reads its
    # row groups alone, without a join.
    "lx_ix": f"SELECT l.lrow, l.pos, l.event_id, fe.ev, i.art, i.d0, i.d1 FROM (SELECT {ROW} AS lrow, "
             f"generate_subscripts(ids, 1) AS pos, "
             f"unnest(ids) AS event_id FROM (SELECT {ROW}, string_split(coalesce(event_ids, ''), ';') AS ids "
             f"FROM links)) l JOIN {FIRST_EVENT} fe ON fe.event_id = l.event_id JOIN ev_ix i ON i.ev = fe.ev "
             f"ORDER BY l.lrow, l.pos",
    # The places each event names (its origin, destination and location), one row each, with
    # the event's dates (a date range skips most rows before the join on kept events).
    "ev_places": f"SELECT p.ev, p.name, i.d0, i.d1 FROM (SELECT {ROW} AS ev, "
                 f"unnest([origin, destination, location]) AS name FROM events) p JOIN ev_ix i ON i.ev = p.ev",
    # The event-actor rows and actor mentions sorted by name (FACT_ORDER): a filter on actors
    # reads only the row groups of the chosen names.
    "ea_actor": "SELECT actor, ev, ea_row, role FROM ea_ix WHERE actor IS NOT NULL",
    "m_actor": "SELECT name, skey FROM m_ix WHERE is_actor AND name IS NOT NULL",
    # Each name the filtered slice can show (see _names_seen) once, by its side (actor or place),
    # numbered; and per event and per figure the numbers of the names it brings into the slice
    # when kept: those mentioned in its sentence (in an article of the corpus), and an event's
    # actors and places, a figure's claimant. A narrow filter then reads its names from its few
    # kept rows instead of joining every mention, event-actor and place row.
    "names": "SELECT row_number() OVER (ORDER BY name, is_actor)::INTEGER AS id, name, is_actor FROM ("
             "SELECT name, is_actor FROM m_ix WHERE name IS NOT NULL UNION SELECT actor, TRUE FROM ea_ix "
             "WHERE actor IS NOT NULL UNION SELECT name, FALSE FROM ev_places WHERE name IS NOT NULL "
             "UNION SELECT claimant, TRUE FROM q_ix WHERE claimant IS NOT NULL)",
    # Per article and name mentioned in it (actor or place; the name by its number in names):
    # how often, and the article's day. The actors and places tables are recounted under filters
    # from these (count(DISTINCT art) over every mention of the kept articles cost 60% of the
    # Actors table's query). Sorted by side (FACT_ORDER): the places' rows are read alone.
    "am_ix": "SELECT m.art, n.id AS nid, m.is_actor, count(*) AS n, any_value(m.pday) AS pday FROM m_ix m "
             "JOIN names n ON n.name = m.name AND n.is_actor = m.is_actor GROUP BY m.art, n.id, m.is_actor",
    # ea_ix once per (event, actor, role), at its first row, the actor by its number in names
    # (`an`: in the actors' names order): the network's edges are built on these (whether a row
    # is kept depends on its event only, so grouping first is the same).
    # Beside, for the Overview's most active actors: `first_ea` on the first row of each (event,
    # actor), and whether the actor is in that one event alone of its story (`one_s`) and of its
    # article (`one_a`) in the whole corpus: such a row counts its story or article once, so
    # only the others' stories and articles are counted distinct (most rows are such).
    "ear_ix": "WITH x AS (SELECT ev, actor, role, min(ea_row) AS r, any_value(type) AS type, any_value(d0) AS d0, "
              "any_value(d1) AS d1, any_value(sid) AS sid, any_value(aid) AS aid FROM ea_ix GROUP BY ev, actor, role), "
              "y AS (SELECT x.*, n.id AS an, row_number() OVER (PARTITION BY x.ev, n.id ORDER BY x.r) = 1 AS first_ea "
              "FROM x LEFT JOIN names n ON n.name = x.actor AND n.is_actor) "
              "SELECT y.ev, y.an, y.role, y.r, y.type, y.d0, y.d1, y.sid, y.aid, y.first_ea, s.one AS one_s, "
              "a.one AS one_a FROM y "
              "LEFT JOIN (SELECT an, sid, count(DISTINCT ev) = 1 AS one FROM y GROUP BY an, sid) s "
              "ON s.an IS NOT DISTINCT FROM y.an AND s.sid IS NOT DISTINCT FROM y.sid "
              "LEFT JOIN (SELECT an, aid, count(DISTINCT ev) = 1 AS one FROM y GROUP BY an, aid) a "
              "ON a.an IS NOT DISTINCT FROM y.an AND a.aid IS NOT DISTINCT FROM y.aid",
    # The network's edges of each event (views.network_edges: its source-target pairs, else every
    # pair of its actors), each once at its first (part, r1, r2) folded into one number k (rows
    # < 1e9), with the event's dates: whether an edge is kept depends on its event alone, so the
    # page only filters and counts these.
    "edge_ix": "WITH ea AS (SELECT ev, an, role, r, type, d0, d1 FROM ear_ix), "
               "directed AS (SELECT s.ev, s.an AS a_s, t.an AS a_t, s.type, 0 AS part, s.r AS r1, t.r AS r2, "
               "s.d0, s.d1 "
               "FROM ea s JOIN ea t ON s.ev = t.ev AND s.role = 'source' AND t.role = 'target'), "
               "rest AS (SELECT * FROM ea WHERE ev NOT IN (SELECT ev FROM directed)), "
               "pairs AS (SELECT x.ev, x.an AS a_s, y.an AS a_t, x.type, 1 AS part, x.r AS r1, y.r AS r2, x.d0, x.d1 "
               "FROM rest x JOIN rest y ON x.ev = y.ev AND x.an < y.an), "
               "both_ AS (SELECT * FROM directed UNION ALL SELECT * FROM pairs) "
               "SELECT a_s, a_t, type, ev, min(part * 1000000000000000000 + r1 * 1000000000 + r2) AS k, "
               "any_value(d0) AS d0, any_value(d1) AS d1 FROM both_ "
               "WHERE a_s <> a_t AND a_s IS NOT NULL AND a_t IS NOT NULL AND type IS NOT NULL "
               "GROUP BY a_s, a_t, type, ev",
    "ev_nm": f"WITH {SENTENCE_NAMES} SELECT i.ev, i.d0, i.d1, i.skey, coalesce(s.n_m, 0) AS n_m, "
             "list_distinct(flatten([coalesce(s.nm, []::INTEGER[]), "
             "coalesce(a.nm, []::INTEGER[]), coalesce(p.nm, []::INTEGER[])])) AS nm FROM ev_ix i "
             "LEFT JOIN sn s ON s.skey = i.skey "
             "LEFT JOIN (SELECT x.ev, list(DISTINCT n.id) AS nm FROM ea_ix x JOIN names n ON n.name = x.actor "
             "AND n.is_actor GROUP BY x.ev) a ON a.ev = i.ev "
             "LEFT JOIN (SELECT x.ev, list(DISTINCT n.id) AS nm FROM ev_places x JOIN names n ON n.name = x.name "
             "AND NOT n.is_actor GROUP BY x.ev) p ON p.ev = i.ev",
    "q_nm": f"WITH {SENTENCE_NAMES} SELECT j.q, j.d0, j.d1, j.skey, coalesce(s.n_m, 0) AS n_m, "
            "list_distinct(flatten([coalesce(s.nm, []::INTEGER[]), "
            "coalesce([c.id], []::INTEGER[])])) AS nm FROM q_ix j LEFT JOIN sn s ON s.skey = j.skey "
            "LEFT JOIN names c ON c.name = j.claimant AND c.is_actor",
    # Each name mentioned (actor or place) with the period of each dated event and figure of its
    # sentence, once: under a date range alone a mention is kept exactly when one of those
    # periods overlaps it (its article then holds a kept row too), so the names the slice still
    # shows are read from the few rows in range instead of from every mention (see _names_seen).
    "nd_ix": "SELECT DISTINCT m.name, m.is_actor, s.d0, s.d1 FROM (SELECT skey, d0, d1 FROM ev_ix "
             "UNION ALL SELECT skey, d0, d1 FROM q_ix) s JOIN m_ix m ON m.skey = s.skey "
             "WHERE s.d0 IS NOT NULL AND m.art IS NOT NULL",
}
# How `prepare` writes each fact sorted, in row groups of PREPARED_ROW_GROUP rows: by its date
# where it has one, so a date range reads only the row groups whose [min, max] dates overlap it
# (Parquet statistics), not the whole file. No query relies on a fact's row order.
FACT_ORDER = {"ev_ix": "d0 NULLS LAST, ev", "ev_rows": "d0 NULLS LAST, ev", "q_rows": "d0 NULLS LAST, q",
              "ea_ix": "d0 NULLS LAST, ea_row", "ear_ix": "d0 NULLS LAST, r", "q_ix": "d0 NULLS LAST, q",
              "edge_ix": "d0 NULLS LAST, ev",
              "m_ix": "s_d0 NULLS LAST, m_row", "ev_places": "d0 NULLS LAST, ev", "ev_nm": "d0 NULLS LAST, ev",
              "q_nm": "d0 NULLS LAST, q", "ea_actor": "actor, ev", "am_ix": "is_actor, nid, art",
              "lx_ix": "d0 NULLS LAST, lrow, pos",
              "m_actor": "name, skey", "nd_ix": "d0, d1, name, is_actor"}
PREPARED_ROW_GROUP = 16_384
# Facts a connection copies into memory from the prepared folder: the name lists, read for a few
# kept rows spread over the whole corpus, cost 70 ms to decode from Parquet (about 50 MB at a
# million events, a few ms to scan in memory).
IN_MEMORY = ("ev_nm", "q_nm", "dk_ix")


def _setup(con: duckdb.DuckDBPyConnection, facts: Path | None = None) -> duckdb.DuckDBPyConnection:
    """`con` with its settings, macros and facts: views over `facts/<name>.parquet` when given
    (see prepare), else tables computed here."""
    # Every query that needs an order says so (ORDER BY), so DuckDB need not keep scan order.
    con.execute("SET preserve_insertion_order = false")
    # The dashboard's server has a memory budget: past it DuckDB spills to a private temp folder.
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    con.execute(f"SET temp_directory = {_quoted(Path(tempfile.gettempdir()) / 'newsdash-duckdb')}")
    for statement in MACROS + KEYS:
        con.execute(statement)
    for name, select in FACTS.items():
        if facts is not None and name in IN_MEMORY:
            con.execute(f"CREATE TABLE {name} AS SELECT * FROM read_parquet({_quoted(facts / f'{name}.parquet')})")
        elif facts is not None:
            con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet({_quoted(facts / f'{name}.parquet')})")
        else:
            con.execute(f"CREATE TABLE {name} AS {select}")
    con.execute(f"CREATE TABLE _prepared AS SELECT {_quoted(facts) if facts else 'NULL'} AS folder")
    con.execute(f"CREATE TABLE _database AS SELECT '{uuid.uuid4().hex}' AS id")  # names its kept sets
    return con


def _quoted(path: Path) -> str:
    """`path` as a SQL string literal (the store's own path, never a user value)."""
    return "'" + str(path).replace("'", "''") + "'"


SQL_TYPES = {"string": "VARCHAR", "Int64": "BIGINT", "Float64": "DOUBLE", "boolean": "BOOLEAN"}  # schema.DTYPES


def _corpus_views(con: duckdb.DuckDBPyConnection, folder: Path) -> None:
    for name in schema.TABLES:
        path = Path(folder) / f"{name}.parquet"
        # A store written by an older version lacks the columns added since (e.g. `review`):
        # they read as empty, as Store.tables() reads them, rather than failing every query.
        described = con.execute(f"DESCRIBE SELECT * FROM read_parquet({_quoted(path)})").fetchall()
        present = {row[0] for row in described}
        missing = "".join(f", NULL::{SQL_TYPES[c.dtype]} AS {c.name}"
                          for c in schema.TABLES[name] if c.name not in present)
        con.execute(f"CREATE VIEW {name} AS SELECT * EXCLUDE (file_row_number){missing}, file_row_number AS {ROW} "
                    f"FROM read_parquet({_quoted(path)}, file_row_number = true)")


def connect_parquet(folder, prepared: Path | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection whose views read `folder/<table>.parquet` (a store
    generation's corpus folder) on demand; nothing is ever written. `prepared` is a folder
    `prepare` wrote for these tables (facts and unfiltered results read from it); without one
    the facts are computed here (seconds on a million events)."""
    con = duckdb.connect(":memory:")
    _corpus_views(con, Path(folder))
    return _setup(con, Path(prepared) if prepared is not None else None)


def connect_frames(tables: dict[str, pd.DataFrame]) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB database holding a copy of `tables` (schema DataFrames), each with
    its `_row` column. Tables, not registered views, so every cursor of it sees them."""
    con = duckdb.connect(":memory:")
    for name in schema.TABLES:
        df = tables.get(name, schema.empty(name))
        arrow = pa.Table.from_pandas(schema.validate(name, df), preserve_index=False)
        con.register("_arrow", arrow.append_column(ROW, pa.array(np.arange(len(df), dtype=np.int64))))
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM _arrow")
        con.unregister("_arrow")
    return _setup(con, None)


# ---------------------------------------------------------------- filters


def _params(filters: Filters) -> dict[str, object]:
    return {
        "actors": list(filters.actors), "types": list(filters.types), "statuses": list(filters.statuses),
        "sources": list(filters.sources), "text": filters.text.lower(),
        "date_from": date.fromisoformat(filters.date_from) if filters.date_from else None,
        "date_to": date.fromisoformat(filters.date_to) if filters.date_to else None,
    }


def _and(conds: list[str]) -> str:
    return " AND ".join(f"({c})" for c in conds) if conds else "TRUE"


TEXT_HITS = "SELECT tc FROM texts WHERE contains(ltext, $text)"  # each distinct sentence searched once
CHOSEN_ACTOR_EVENTS = "SELECT ev FROM ea_actor WHERE list_contains($actors, actor)"
SOURCE_ARTICLES = f"SELECT {ROW} FROM articles WHERE list_contains($sources, source)"


def _within(filters: Filters, alias: str, first: str, last: str) -> list[str]:
    """Conditions: the span [`alias`.`first`, `alias`.`last`] overlaps the filters' dates (none
    without a date range)."""
    conds = []
    if filters.date_from:
        conds.append(f"{alias}.{last} >= $date_from")
    if filters.date_to:
        conds.append(f"{alias}.{first} <= $date_to")
    return conds


def _dated(filters: Filters, alias: str) -> str:
    """SQL: the period [d0, d1] of facts row `alias` overlaps the filters' dates (undated never does)."""
    return " AND ".join([f"{alias}.d0 IS NOT NULL", *_within(filters, alias, "d0", "d1")])


def _kept_actor_rows(filters: Filters, alias: str) -> str:
    """SQL: the ea_ix (or ev_places, ev_ix) row `alias` belongs to a kept event; its event's dates are
    tested first (a necessary condition read from the row itself, so a date range skips most
    rows unjoined)."""
    kept = _kept(filters, f"{alias}.ev", "kept_events")
    if not (filters.date_from or filters.date_to):
        return kept
    if _dates_only(filters):  # kept_events are then exactly the events dated in range: no join
        return _dated(filters, alias)
    return f"{_dated(filters, alias)} AND {kept}"


def _dates_only(filters: Filters) -> bool:
    """True when `filters` set a date range and nothing else."""
    return bool(filters.date_from or filters.date_to) and not replace(filters, date_from=None,
                                                                      date_to=None).is_active()


def _event_conds(f: Filters) -> list[str]:
    """Conditions on ev_ix `i` (see FACTS) for the events `f` keeps (filter_tables' rules)."""
    conds = []
    if f.types:
        conds.append("list_contains($types, i.type)")
    if f.statuses:
        conds.append("list_contains($statuses, i.status)")
    if f.sources:
        conds.append(f"i.art IN ({SOURCE_ARTICLES})")
    if f.actors:
        conds.append(f"i.ev IN ({CHOSEN_ACTOR_EVENTS})")
    if f.date_from or f.date_to:
        conds.append(_dated(f, "i"))
    if f.text:
        conds.append(f"i.tc IN ({TEXT_HITS})")
    if f.review:
        conds.append(_review_cond("i", f.review))
    return conds


def _review_cond(alias: str, scope: str) -> str:
    """SQL: the row `alias` is one the review filter `scope` keeps (see filters.review_mask)."""
    op = "=" if scope == ReviewScope.NEEDS_REVIEW else "<>"
    return f"coalesce({alias}.review, '{Review.AUTO}') {op} '{Review.AUTO}'"


def _quantity_conds(f: Filters) -> list[str]:
    """Conditions on q_ix `j` for the figures `f` keeps (filter_tables' rules)."""
    conds = []
    if f.sources:
        conds.append(f"j.art IN ({SOURCE_ARTICLES})")
    if f.date_from or f.date_to:
        conds.append(_dated(f, "j"))  # a figure without its own date has its article's
    if f.text:
        conds.append(f"j.tc IN ({TEXT_HITS})")
    if f.actors:
        conds.append("coalesce(list_contains($actors, j.claimant), FALSE)"
                     f" OR coalesce(j.ev IN ({CHOSEN_ACTOR_EVENTS}), FALSE)"
                     " OR j.skey IN (SELECT skey FROM m_actor WHERE list_contains($actors, name))")
    if f.types or f.statuses:
        conds.append(f"j.ev IN (SELECT {ROW} FROM kept_events)")
    if f.review:
        conds.append(_review_cond("j", f.review))
    return conds


def _kept(filters: Filters, row: str, cte: str) -> str:
    """SQL: `row` is one of the rows `cte` keeps (TRUE, skipping the test, when nothing is filtered)."""
    return f"{row} IN (SELECT {ROW} FROM {cte})" if filters.is_active() else "TRUE"


# The ev_ix columns kept_evx holds beside the row.
KEPT_EVENT_COLUMNS = "i.art, i.skey, i.st, i.rk, i.w, i.aid, i.dk, i.d0, i.d1, i.fev"


def _kept_events_of(filters: Filters) -> str:
    """SQL source (alias-less) of the ev_ix rows (at least `ev` and KEPT_EVENT_COLUMNS) of the events
    `filters` keep: kept_evx (written once per filters) when filtered, else ev_ix whole."""
    if not filters.is_active():
        return "ev_ix"
    return f"(SELECT {ROW} AS ev, * EXCLUDE ({ROW}) FROM kept_evx)"


def _cte_bodies(filters: Filters) -> dict[str, str]:
    """filter_ctes' common table expressions by name: what follows `name AS` in the WITH clause."""
    f = filters
    art = [f"a.{ROW} IN ({SOURCE_ARTICLES})"] if f.sources else []
    mention = [f"m.art IN (SELECT {ROW} FROM kept_articles)"]
    if f.narrows_events():
        art.append(f"a.{ROW} IN (SELECT art FROM kept_events UNION ALL SELECT art FROM kept_quantities)")
        mention = [*_within(f, "m", "s_d0", "s_d1"), *mention, "m.skey IN (SELECT skey FROM kept_sentences)"]
    return {
        # with what the latest stories are picked on (st, rk, w: the Overview reads no other fact of them)
        "kept_events": f"MATERIALIZED (SELECT i.ev AS {ROW}, i.art, i.skey, i.st, i.rk, i.w FROM ev_ix i "
                       f"WHERE {_and(_event_conds(f))})",
        # The kept events with the numbers the story queries group and rank them on (see
        # KEPT_EVENT_COLUMNS), written when a page first needs them (not on every filter
        # change: the sidebar's count needs none of them), then read instead of the facts.
        # (on the filters' conditions, not on kept_events: the Timeline asks for the kept events
        # of the filters without their dates, whose kept_events nobody needs)
        "kept_evx": f"MATERIALIZED (SELECT i.ev AS {ROW}, {KEPT_EVENT_COLUMNS} FROM ev_ix i "
                    f"WHERE {_and(_event_conds(f))})",
        "kept_quantities": f"MATERIALIZED (SELECT j.q AS {ROW}, j.art, j.skey, j.claimant FROM q_ix j\n"
                           f"    WHERE {_and(_quantity_conds(f))})",
        "kept_sentences": "MATERIALIZED (SELECT skey FROM kept_events UNION SELECT skey FROM kept_quantities)",
        "kept_articles": f"MATERIALIZED (SELECT a.{ROW} FROM articles a WHERE {_and(art)})",
        "kept_mentions": f"(SELECT m.m_row AS {ROW}, m.is_actor, m.name FROM m_ix m WHERE {_and(mention)})",
        "kept_event_actors": f"(SELECT x.ea_row AS {ROW}, x.ev, x.actor, x.role FROM ea_ix x\n"
                             f"    WHERE {_kept_actor_rows(f, 'x')})",
        # the actor and place names the slice still shows (the actors and places tables' rows)
        "kept_names": f"MATERIALIZED ({_names_seen(f)})",
    }


def _with(bodies: dict[str, str]) -> str:
    return "WITH\n" + ",\n".join(f"{name} AS {body}" for name, body in bodies.items()) + "\n"


def filter_ctes(filters: Filters) -> str:
    """`WITH` clause defining kept_events, kept_quantities, kept_articles, kept_mentions and
    kept_event_actors (each: `_row` and its keys) for `filters`; parameters from params()."""
    return _with(_cte_bodies(filters))


def params(filters: Filters, sql: str) -> dict[str, object]:
    """The named parameters `sql` uses, from `filters` (DuckDB refuses unused ones)."""
    return {k: v for k, v in _params(filters).items() if f"${k}" in sql}


# ---------------------------------------------------------------- kept sets, once per filters
# The app asks for the event count on every filter change, then for each page's queries under
# the same filters: each query would compute the same kept rows again (under many filters that
# is most of its time). So the kept sets a query needs are written once per filters into
# tables of the connection's database (seen by every cursor of it), read by the next queries,
# the least recently used dropped past KEPT_SETS filters per database.
KEPT_SETS = 6
# in dependency order
MATERIALIZED = ("kept_events", "kept_evx", "kept_quantities", "kept_sentences", "kept_articles", "kept_names")


@dataclass
class _KeptSet:
    """The tables written for one filters value in one database (cte name -> table name)."""

    prefix: str
    tables: dict[str, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    dropped: bool = False


_KEPT_LOCK = threading.Lock()
_KEPT_SETS: dict[str, OrderedDict[Filters, _KeptSet]] = {}  # database id -> its kept sets, oldest first


def _database_id(con: duckdb.DuckDBPyConnection) -> str:
    (db,), = con.execute("SELECT id FROM _database").fetchall()
    return str(db)


def _needed(bodies: dict[str, str], sql_text: str) -> set[str]:
    """The names of `bodies` that `sql_text` uses, directly or through another's body."""
    needed: set[str] = set()
    todo = [sql_text]
    while todo:
        text = todo.pop()
        for name, body in bodies.items():
            if name not in needed and re.search(rf"\b{name}\b", text):
                needed.add(name)
                todo.append(body)
    return needed


def _drop(con: duckdb.DuckDBPyConnection, kept: _KeptSet) -> None:
    with kept.lock:
        kept.dropped = True
        for table in kept.tables.values():
            with contextlib.suppress(duckdb.Error):
                con.execute(f"DROP TABLE IF EXISTS {table}")
        kept.tables.clear()


def _kept_set(con: duckdb.DuckDBPyConnection, filters: Filters) -> _KeptSet:
    """The kept set of `filters` in `con`'s database (registered now if new, as the most recent),
    dropping the least recently used past KEPT_SETS."""
    db = _database_id(con)
    with _KEPT_LOCK:
        sets = _KEPT_SETS.setdefault(db, OrderedDict())
        kept = sets.get(filters)
        if kept is None:
            kept = sets[filters] = _KeptSet(f"_kept_{uuid.uuid4().hex[:12]}")
        sets.move_to_end(filters)
        old = [sets.popitem(last=False)[1] for _ in range(max(len(sets) - KEPT_SETS, 0))]
    for evicted in old:
        _drop(con, evicted)
    return kept


def drop_kept_sets(con: duckdb.DuckDBPyConnection) -> None:
    """Drop every kept set written in `con`'s database (the next query under any filters
    computes its kept rows again, as on a first view after a filter change)."""
    with _KEPT_LOCK:
        sets = _KEPT_SETS.pop(_database_id(con), OrderedDict())
    for kept in sets.values():
        _drop(con, kept)


def kept_set_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The names of the kept-set tables `con`'s database holds now (sorted)."""
    rows = con.execute("SELECT table_name FROM duckdb_tables() WHERE starts_with(table_name, '_kept_') "
                       "ORDER BY table_name").fetchall()
    return [r[0] for r in rows]


def cached_ctes(con: duckdb.DuckDBPyConnection, filters: Filters, body: str) -> str:
    """filter_ctes(filters) for a query whose SELECT is `body`, run on `con`: the same rows, but
    the materialized kept sets `body` needs read from tables written once per filters (see
    KEPT_SETS), computed now when missing. Unfiltered, filter_ctes itself (nothing to keep)."""
    bodies = _cte_bodies(filters)
    if not filters.is_active() or KEPT_SETS <= 0:
        return _with_needed(bodies, body)
    kept = _kept_set(con, filters)
    needed = _needed(bodies, body)
    with kept.lock:
        if kept.dropped:  # evicted meanwhile by another query: computed in this query alone
            return _with_needed(bodies, body)
        for name in MATERIALIZED:
            if name in needed and name not in kept.tables:
                table = f"{kept.prefix}_{name}"
                select = f"SELECT * FROM {name}"
                select = _with_needed({**bodies, **_read_back(kept)}, select) + select
                con.execute(f"CREATE TABLE {table} AS {select}", params(filters, select))
                kept.tables[name] = table
        return _with_needed({**bodies, **_read_back(kept)}, body)


def _with_needed(bodies: dict[str, str], body: str) -> str:
    """_with of the `bodies` that `body` needs (DuckDB parses and binds every CTE of a query:
    3-4 ms a query with them all)."""
    needed = _needed(bodies, body)
    # `body` may begin with ", name AS (...)": the clause must hold one expression at least
    return _with({name: text for name, text in bodies.items() if name in needed} or {"_none": "(SELECT 1)"})


def _read_back(kept: _KeptSet) -> dict[str, str]:
    """CTE bodies reading `kept`'s tables. NOT MATERIALIZED: DuckDB would otherwise copy a table
    read twice in a query into a CTE first (22 ms for a year's kept events at a million)."""
    return {name: f"NOT MATERIALIZED (SELECT * FROM {table})" for name, table in kept.tables.items()}


def _fetch(con: duckdb.DuckDBPyConnection, filters: Filters, body: str, fetch, values: dict | None = None):
    """fetch(relation) of `body` after cached_ctes under `filters` (and named parameters
    `values`); computed without the kept sets when one was dropped under it by another query."""
    for attempt in range(2):
        ctes = cached_ctes(con, filters, body) if attempt == 0 else filter_ctes(filters)
        sql_text = ctes + body
        try:
            return fetch(con.sql(sql_text, params={**params(filters, sql_text), **(values or {})} or None))
        except duckdb.CatalogException:
            if attempt or ctes == filter_ctes(filters):
                raise
    raise AssertionError("unreachable")


def run(con: duckdb.DuckDBPyConnection, filters: Filters, body: str) -> pd.DataFrame:
    """The result of `body` (a SELECT that may use the kept_* tables) under `filters`."""
    return _fetch(con, filters, body, lambda rel: rel.df())


def run_arrow(con: duckdb.DuckDBPyConnection, filters: Filters, body: str) -> pa.Table:
    """run's result as an Arrow table (long string columns convert much faster than to Python objects)."""
    return _fetch(con, filters, body, lambda rel: rel.to_arrow_table())


KEPT = {"events": "kept_events", "quantities": "kept_quantities", "articles": "kept_articles",
        "mentions": "kept_mentions", "event_actors": "kept_event_actors"}


def kept_rows(con: duckdb.DuckDBPyConnection, filters: Filters, table: str) -> np.ndarray:
    """Positions (int64, ascending) of the rows of `table` (one of KEPT) that `filters` keep."""
    return run(con, filters, f"SELECT {ROW} FROM {KEPT[table]} ORDER BY {ROW}")[ROW].to_numpy(dtype=np.int64)


def count_events(con: duckdb.DuckDBPyConnection, filters: Filters) -> int:
    """How many events `filters` keep."""
    return int(run(con, filters, "SELECT count(*) AS n FROM kept_events")["n"].iloc[0])


def count_articles(con: duckdb.DuckDBPyConnection, filters: Filters) -> int:
    """How many articles `filters` keep (the Articles page's count: table_sizes counts all
    eight tables, 0.2-0.5 s under filters at a million events)."""
    return int(run(con, filters, "SELECT count(*) AS n FROM kept_articles")["n"].iloc[0])


# Arrow types as the schema's pandas dtypes, so a fetched table needs no conversion.
SCHEMA_DTYPES = {pa.string(): STRING, pa.large_string(): STRING, pa.string_view(): STRING,
                 pa.int64(): pd.Int64Dtype(), pa.int32(): pd.Int64Dtype(), pa.float64(): pd.Float64Dtype(),
                 pa.bool_(): pd.BooleanDtype()}


def _select(table: str, replaced: dict[str, str]) -> str:
    """`table`'s columns in schema order as a SELECT list of `t.<column>`, except those in
    `replaced` (column: SQL expression)."""
    return ", ".join(f"{replaced[c]} AS {c}" if c in replaced else f"t.{c}" for c in schema.columns(table))


# Actors and places under filters: the rows of those the filtered slice still names, counted
# again over the mentions of the kept articles (see filter_tables and filters._recount).
ENTITY_COUNTS = f"""
, counts AS (SELECT n.name, c.* FROM (SELECT m.nid, sum(m.n)::BIGINT AS n_mentions, count(*) AS n_articles,
                                             min(m.pday) AS first_day, max(m.pday) AS last_day
                                      FROM am_ix m WHERE {{kind}} AND m.art IN (SELECT {ROW} FROM kept_articles)
                                      GROUP BY m.nid) c JOIN names n ON n.id = c.nid)
"""
# The names of the actors and places tables the filtered slice shows (see _names_seen).
NAMED = {"actors": "SELECT name FROM kept_names WHERE is_actor",
         "places": "SELECT name FROM kept_names WHERE NOT is_actor"}
RECOUNTED = {"n_mentions": "coalesce(c.n_mentions, 0)", "n_articles": "coalesce(c.n_articles, 0)",
             "first_seen": "strftime(c.first_day, '%Y-%m-%d')", "last_seen": "strftime(c.last_day, '%Y-%m-%d')"}

# The links' kept events, tested on their lx_ix row (so a date range reads its row groups only).
LINK_EVENTS = """
, kept_lx AS (SELECT i.lrow, i.pos, i.event_id, i.art, i.d0 FROM lx_ix i WHERE {kept}),
counts AS (SELECT lrow, count(*) AS n_events, count(DISTINCT coalesce(art, -1)) AS n_articles,
                  strftime(min(d0), '%Y-%m-%d') AS first_date, strftime(max(d0), '%Y-%m-%d') AS last_date,
                  string_agg(event_id, ';' ORDER BY pos) AS event_ids FROM kept_lx GROUP BY lrow)
"""


def _recounted_sql(filters: Filters, table: str) -> str:
    """SELECT of `table` (actors, places or links) as filter_tables recounts it under `filters`."""
    if table == "links":
        cols = _select("links", {c: f"c.{c}" for c in ("n_events", "n_articles", "first_date", "last_date",
                                                      "event_ids")})
        kept = LINK_EVENTS.replace("{kept}", _kept_actor_rows(filters, "i"))
        return kept + f"SELECT {cols} FROM links t JOIN counts c ON c.lrow = t.{ROW} ORDER BY t.{ROW}"
    named, kind = NAMED[table], ("m.is_actor" if table == "actors" else "NOT m.is_actor")
    cols = _select(table, {c: e for c, e in RECOUNTED.items() if c in schema.columns(table)})
    return (ENTITY_COUNTS.format(kind=kind) + f"SELECT {cols} FROM {table} t LEFT JOIN counts c ON c.name = t.name "
            f"WHERE t.name IN ({named}) ORDER BY n_mentions DESC, t.name, t.{ROW}")


def _kept_sql(filters: Filters, table: str) -> str:
    """The SELECT (after filter_ctes) of kept_table's rows, in its order."""
    if not filters.is_active():
        return f"SELECT t.* EXCLUDE ({ROW}) FROM {table} t ORDER BY t.{ROW}"
    if table == "events":  # from ev_rows: a date range's row groups alone
        return f"SELECT i.* EXCLUDE (ev, d0, d1) FROM ev_rows i WHERE {_kept_actor_rows(filters, 'i')} ORDER BY i.ev"
    if table in KEPT:
        return (f"SELECT t.* EXCLUDE ({ROW}) FROM {table} t WHERE t.{ROW} IN (SELECT {ROW} FROM {KEPT[table]}) "
                f"ORDER BY t.{ROW}")
    return _recounted_sql(filters, table)


def kept_table(con: duckdb.DuckDBPyConnection, filters: Filters, table: str, *, offset: int = 0,
               limit: int | None = None) -> pd.DataFrame:
    """filter_tables(tables, filters)[table] (any of the eight tables; a fresh index): the rows
    `filters` keep, in table order; actors, places and links counted again on them. With
    `limit`, only rows offset..offset+limit-1 of them (a page of a long table)."""
    body = _kept_sql(filters, table)
    if limit is not None:
        body += f" LIMIT {int(limit)} OFFSET {int(offset)}"  # every kept SELECT ends with its ORDER BY
    arrow = _fetch(con, filters, body, lambda rel: rel.to_arrow_table())
    return schema.validate(table, arrow.to_pandas(types_mapper=SCHEMA_DTYPES.get))


def rows_with(con: duckdb.DuckDBPyConnection, table: str, column: str, values) -> pd.DataFrame:
    """The rows of the whole schema table `table` (no filter) whose `column` holds one of
    `values`, in table order (a fresh index): one article's mentions, a page's articles. Only
    the matching rows are read, never the table into memory."""
    if column not in schema.columns(table):
        raise ValueError(f"{table} has no column {column!r}")
    values = list(dict.fromkeys(str(v) for v in values))
    # One value: an equality the Parquet scan skips row groups with (an article's events at a
    # million events: 55 ms); more: a semi join, whose keys also narrow the scan (500 articles'
    # events: 150 ms; list_contains read every row: 215 ms).
    match = (f"WHERE t.{column} = $value" if len(values) == 1 else
             f"SEMI JOIN (SELECT unnest($values) AS k) v ON t.{column} = v.k")
    body = f"SELECT t.* EXCLUDE ({ROW}) FROM {table} t {match} ORDER BY t.{ROW}"
    arrow = con.sql(body, params={"value": values[0]} if len(values) == 1 else {"values": values}).to_arrow_table()
    return schema.validate(table, arrow.to_pandas(types_mapper=SCHEMA_DTYPES.get))


LISTED = ("published", "title", "source", "n_words", "file", "article_id")  # the Articles page's list


def article_listing(con: duckdb.DuckDBPyConnection, filters: Filters, *, offset: int = 0,
                    limit: int | None = None) -> pd.DataFrame:
    """The LISTED columns of the articles `filters` keep, newest first (undated last, ties in
    table order); with `limit`, only rows offset..offset+limit-1 (a page of the list)."""
    kept = f"WHERE t.{ROW} IN (SELECT {ROW} FROM {KEPT['articles']})" if filters.is_active() else ""
    body = (f"SELECT {', '.join(f't.{c}' for c in LISTED)} FROM articles t {kept} "
            f"ORDER BY t.published DESC NULLS LAST, t.{ROW}")
    if limit is not None:
        body += f" LIMIT {int(limit)} OFFSET {int(offset)}"
    arrow = _fetch(con, filters, body, lambda rel: rel.to_arrow_table())
    return arrow.to_pandas(types_mapper=SCHEMA_DTYPES.get)


def table_sizes(con: duckdb.DuckDBPyConnection, filters: Filters) -> dict[str, int]:
    """How many rows kept_table gives of each of the eight tables under `filters`, in one query
    (the filters' kept rows computed once)."""
    if filters.is_active():
        entities = {"actors": f"(SELECT count(*) FROM actors WHERE name IN ({NAMED['actors']}))",
                    "places": f"(SELECT count(*) FROM places WHERE name IN ({NAMED['places']}))",
                    "links": f"(SELECT count(DISTINCT lrow) FROM lx_ix WHERE ev IN (SELECT {ROW} FROM kept_events))"}
    else:
        entities = {name: f"(SELECT count(*) FROM {name})" for name in ("actors", "places", "links")}
    counts = {**{name: f"(SELECT count(*) FROM {cte})" for name, cte in KEPT.items()}, **entities}
    if filters.narrows_events():
        # Mentions kept are those of the kept rows' sentences (see _names_seen): each sentence's
        # count read once from the kept rows' facts instead of joining every mention.
        counts["mentions"] = (f"(SELECT coalesce(sum(n_m), 0) FROM (SELECT DISTINCT skey, n_m FROM "
                              f"({_kept_rows_of_facts(filters, 'skey, n_m')})))")
    row = run(con, filters, "SELECT " + ", ".join(f"{sql} AS {name}" for name, sql in counts.items())).iloc[0]
    return {name: int(row[name]) for name in schema.TABLES}


def _events_frame(con: duckdb.DuckDBPyConnection, filters: Filters, body: str, values: dict,
                  extra: dict | None = None) -> pd.DataFrame:
    """The events rows `body` selects (t.* EXCLUDE _row, then the `extra` columns: name ->
    dtype) under `filters`, with `values` as its own named parameters, as a schema frame."""
    arrow = _fetch(con, filters, body, lambda rel: rel.to_arrow_table(), values)
    got = arrow.to_pandas(types_mapper=SCHEMA_DTYPES.get)
    out = schema.validate("events", got[schema.columns("events")])
    for name, dtype in (extra or {}).items():
        out[name] = got[name].astype(dtype)
    return out


def events_with_ids(con: duckdb.DuckDBPyConnection, filters: Filters, *, ids: str) -> pd.DataFrame:
    """views.events_with_ids of the filtered events: those whose id is in `ids` (';'-joined), in table order."""
    # Read from ev_rows: a date range's row groups alone, the other columns only for the hits.
    body = (f"SELECT i.* EXCLUDE (ev, d0, d1) FROM ev_rows i WHERE {_kept_actor_rows(filters, 'i')} "
            f"AND list_contains($ids, i.event_id) ORDER BY i.ev")
    return _events_frame(con, filters, body, {"ids": ids.split(";")})


def actor_events(con: duckdb.DuckDBPyConnection, filters: Filters, *, actor: str) -> pd.DataFrame:
    """views.actor_events of the filtered events and event-actor rows: the events `actor` takes
    part in with its (first) role, sorted by date then id."""
    # The actor's rows read from ea_actor (sorted by actor: its row groups alone); an event-actor
    # row belongs to the first event of its id (ea_ix ev), and every kept event of that id (ev_ix
    # fev) takes its role; the hits' rows are read from ev_rows (a date range's row groups alone).
    body = f"""
, roles AS MATERIALIZED (SELECT x.ev, arg_min(x.role, x.ea_row) AS role FROM ea_actor x
                         WHERE x.actor = $actor AND {_kept(filters, "x.ev", "kept_events")} GROUP BY x.ev),
hits AS MATERIALIZED (SELECT k.ev, r.role FROM {_kept_events_of(filters)} k JOIN roles r ON r.ev = k.fev)
SELECT i.* EXCLUDE (ev, d0, d1), h.role FROM ev_rows i JOIN hits h ON h.ev = i.ev
WHERE {_dated(filters, "i") if _has_dates(filters) else "TRUE"} AND i.ev IN (SELECT ev FROM hits)
ORDER BY i.date NULLS LAST, i.event_id NULLS LAST, i.ev"""
    return _events_frame(con, filters, body, {"actor": actor}, {"role": STRING})


# ---------------------------------------------------------------- overview


def _kept_rows_of_facts(filters: Filters, columns: str) -> str:
    """SELECT of `columns` of the ev_nm and q_nm rows of the kept events and figures."""
    figures = " AND ".join([*([_dated(filters, "j")] if filters.date_from or filters.date_to else []),
                            f"j.q IN (SELECT {ROW} FROM kept_quantities)"])
    return (f"SELECT {columns} FROM ev_nm e WHERE {_kept_actor_rows(filters, 'e')} "
            f"UNION ALL SELECT {columns} FROM q_nm j WHERE {figures}")


def _names_seen(filters: Filters) -> str:
    """SELECT of (name, is_actor) of each actor and place name the filtered slice still shows
    (see filter_tables), maybe more than once; queries read them from kept_names."""
    if filters.narrows_events() and not _dates_only(filters):
        # A mention is kept exactly when its sentence holds a kept event or figure (its article is
        # then kept too): each kept row's names are read from its own list (FACTS ev_nm, q_nm).
        kept_lists = _kept_rows_of_facts(filters, "nm")
        return f"SELECT name, is_actor FROM names WHERE id IN (SELECT unnest(nm) FROM ({kept_lists}))"
    if _dates_only(filters):  # the names of the sentences with a dated row in range (see FACTS nd_ix)
        mentioned = f"SELECT name FROM nd_ix n WHERE {{kind}} AND {_dated(filters, 'n')}"
    else:
        mentioned = "SELECT name FROM kept_mentions WHERE {kind}"
    actors = (mentioned.format(kind="is_actor") + " UNION SELECT actor FROM kept_event_actors "
              "UNION SELECT claimant FROM kept_quantities")
    places = (mentioned.format(kind="NOT is_actor") + " UNION SELECT p.name FROM ev_places p "
              f"WHERE {_kept_actor_rows(filters, 'p')}")
    return f"SELECT name, TRUE AS is_actor FROM ({actors}) UNION ALL SELECT name, FALSE FROM ({places})"


def corpus_summary(con: duckdb.DuckDBPyConnection, filters: Filters) -> dict[str, object]:
    """views.corpus_summary of the filtered tables, in one query."""
    if filters.is_active():
        n_actors = f"(SELECT count(*) FROM actors WHERE name IN ({NAMED['actors']}))"
        n_places = f"(SELECT count(*) FROM places WHERE name IN ({NAMED['places']}))"
    else:
        n_actors, n_places = "(SELECT count(*) FROM actors)", "(SELECT count(*) FROM places)"
    row = run(con, filters, f"""SELECT * FROM
  (SELECT count(*) AS n_articles, count(DISTINCT source) AS n_sources, min(published) AS pub_first,
          max(published) AS pub_last FROM articles WHERE {_kept(filters, ROW, "kept_articles")}),
  (SELECT count(*) AS n_events, count(DISTINCT sid) AS n_stories, min(date) AS ev_first, max(date) AS ev_last
   FROM ev_ix i WHERE {_kept_actor_rows(filters, "i")}),
  (SELECT count(*) AS n_quantities FROM kept_quantities),
  (SELECT {n_actors} AS n_actors, {n_places} AS n_places)
""").iloc[0]

    def text(v):
        return None if v is None or pd.isna(v) else str(v)

    counts = ("n_articles", "n_sources", "n_events", "n_stories", "n_actors", "n_places", "n_quantities")
    out: dict[str, object] = {k: int(row[k]) for k in counts}
    out["published"] = (text(row["pub_first"]), text(row["pub_last"]))
    out["event_dates"] = (text(row["ev_first"]), text(row["ev_last"]))
    return out


# The kept figures `{kept}` (`_row`) with their article's columns (q_rows), in table order; a
# date range (`{dated}`) reads its row groups alone.
QUANTITY_ROWS = f"""
SELECT r.* EXCLUDE (q, d0, d1) FROM q_rows r WHERE {{dated}} AND r.q IN (SELECT {ROW} FROM {{kept}}) ORDER BY r.q"""


def _quantity_rows(filters: Filters, kept: str) -> str:
    """QUANTITY_ROWS of the figures `kept` (a table or CTE of kept figures' rows) under `filters`."""
    return QUANTITY_ROWS.replace("{kept}", kept).replace("{dated}", _dated(filters, "r") if _has_dates(filters)
                                                            else "TRUE")


def _claim_labels(q: pd.DataFrame) -> np.ndarray:
    """views.claim_label of each figure of `q` (an object array). Words holding a digit are
    their own label whatever the numbers: each such distinct text is worded once and given to
    its rows at once; only the other rows are worded one by one."""
    codes, texts = pd.factorize(q["text"])
    worded = np.array([" ".join(str(t).split()) for t in texts] + [""], dtype=object)
    own = np.array([bool(str(t).strip()) and any(ch.isdigit() for ch in str(t)) for t in texts] + [False])
    mine = own[codes]  # code -1 (no text) reads the last, False
    out = np.empty(len(q), dtype=object)
    out[mine] = worded[codes[mine]]
    rest = np.flatnonzero(~mine)
    if len(rest):
        columns = (q[c].to_numpy(dtype=object)[rest] for c in ("text", "value", "value_max", "qualifier", "unit"))
        out[rest] = [views.claim_label(*row) for row in zip(*columns, strict=True)]
    return out


def quantity_series(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """views.quantity_series of the filtered figures: the SQL selects each figure with its
    article's columns, pandas words them as views.quantity_series does (the same rules, without
    its look-ups of articles by id strings: 0.5 s on a year of a million events)."""
    return _series(run_arrow(con, filters, _quantity_rows(filters, "kept_quantities")))


def _series(arrow: pa.Table) -> pd.DataFrame:
    """views.quantity_series' frame of QUANTITY_ROWS' result `arrow`."""
    got = arrow.to_pandas(types_mapper=SCHEMA_DTYPES.get)
    q = schema.validate("quantities", got[schema.columns("quantities")])
    pub = got["_published"]
    own = q["date"].notna()
    q["dated_by"] = np.where(own, "sentence", np.where(pub.notna(), "publication", "unknown"))
    q["when"] = views.as_datetime(q["date"].fillna(pub))
    q["when_precision"] = q["date_precision"].where(own, got["_published_precision"])
    q["since"] = views.as_datetime(q["since"])
    q["claimant"] = q["claimant"].fillna(views.UNATTRIBUTED).replace("", views.UNATTRIBUTED)
    q["label"] = pd.Series(_claim_labels(q), index=q.index, dtype="str")
    for col in views.ARTICLE_COLUMNS:
        q[col] = got[f"_a_{col}"].astype("string")
    cols = ["when", "category", "unit", "item", "value", "value_max", "qualifier", "label", "claimant",
            "dated_by", "when_precision", "since", "text", "article_id", "sentence_id", "sentence", "quantity_id",
            *views.ARTICLE_COLUMNS]
    return q[cols].sort_values(["category", "when", "value"], na_position="last").reset_index(drop=True)


def headline_figures(con: duckdb.DuckDBPyConnection, filters: Filters,
                     categories=views.HEADLINE_CATEGORIES) -> pd.DataFrame:
    """views.headline_figures of the filtered figures: per category, the latest dated figure
    (largest on the same date; the later row on a tie), picked in SQL, then read and worded
    as quantity_series does (only those few rows)."""
    # Each kept figure's date parsed once (q_rows: its article's publication at hand), then the
    # picked rows read whole.
    dated = _dated(filters, "r") if _has_dates(filters) else "TRUE"
    query = f"""
, picked AS MATERIALIZED (
    SELECT r.q FROM q_rows r
    WHERE {dated} AND {_kept(filters, "r.q", "kept_quantities")}
      AND list_contains({_literal_list(categories)}, r.category)
      AND iso_when(coalesce(r.date, r._published)) IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY r.category ORDER BY iso_when(coalesce(r.date, r._published)) DESC,
                                                                 r.value DESC NULLS FIRST, r.q DESC) = 1)
SELECT r.* EXCLUDE (q, d0, d1) FROM q_rows r WHERE {dated} AND r.q IN (SELECT q FROM picked) ORDER BY r.q"""
    return views.latest_figures(_series(run_arrow(con, filters, query)), categories)


def _literal_list(values) -> str:
    """A list of our own constants (never user values) as a SQL list literal."""
    return "[" + ", ".join("'" + str(v).replace("'", "''") + "'" for v in values) + "]"


def active_actors(con: duckdb.DuckDBPyConnection, filters: Filters, *, n: int = 10) -> pd.DataFrame:
    """views.active_actors of the filtered events (type and country from the whole actors table)."""
    # On ear_ix (see FACTS): an actor's distinct events are its first rows per event; its
    # distinct stories (articles) those of its rows alone in theirs, plus the others counted distinct.
    out = run_arrow(con, filters, f"""
, x AS MATERIALIZED (SELECT x.an, x.sid, x.aid, x.first_ea, x.one_s, x.one_a FROM ear_ix x
                      WHERE {_kept_actor_rows(filters, "x")} AND x.an IS NOT NULL),
counts AS (SELECT o.an, o.n_events, o.n_stories + coalesce(s.n, 0) AS n_stories,
                  o.n_articles + coalesce(a.n, 0) AS n_articles
           FROM (SELECT an, count(*) FILTER (WHERE first_ea) AS n_events,
                        count(*) FILTER (WHERE first_ea AND one_s AND sid IS NOT NULL) AS n_stories,
                        count(*) FILTER (WHERE first_ea AND one_a AND aid IS NOT NULL) AS n_articles
                 FROM x GROUP BY an) o
           LEFT JOIN (SELECT an, count(DISTINCT sid) AS n FROM x WHERE NOT one_s GROUP BY an) s ON s.an = o.an
           LEFT JOIN (SELECT an, count(DISTINCT aid) AS n FROM x WHERE NOT one_a GROUP BY an) a ON a.an = o.an
           ORDER BY n_stories DESC, n_events DESC, o.an LIMIT {int(n)})
SELECT m.name, i.type, i.country, c.n_stories, c.n_events, c.n_articles FROM counts c JOIN names m ON m.id = c.an
LEFT JOIN (SELECT name, type, country FROM actors QUALIFY row_number() OVER (PARTITION BY name ORDER BY {ROW}) = 1) i
  ON i.name = m.name
ORDER BY n_stories DESC, n_events DESC, c.an""").to_pandas(types_mapper=SCHEMA_DTYPES.get)
    if out.empty:
        return pd.DataFrame(columns=list(out.columns))
    out = out.astype({"name": STRING, "type": STRING, "country": STRING})
    return out.astype({c: np.int64 for c in ("n_stories", "n_events", "n_articles")})


# ---------------------------------------------------------------- timeline


STORY_SQL = f"""
, art AS (SELECT article_id, published, title,
                 CASE WHEN source IS NOT NULL AND source <> '' THEN source ELSE title END AS label
          FROM articles QUALIFY row_number() OVER (PARTITION BY article_id ORDER BY {ROW}) = 1),
ev AS (SELECT e.ev AS {ROW}, e.story, e.event_id, e.article_id, e.date,
              CASE e.date_precision WHEN '{Precision.DAY}' THEN 0 WHEN '{Precision.MONTH}' THEN 1
                   WHEN '{Precision.YEAR}' THEN 2 ELSE 3 END AS rank,
              art.published, art.title, coalesce(art.label, e.article_id) AS src
       FROM ev_ix e LEFT JOIN art ON art.article_id = e.article_id WHERE {{kept}}),
rep AS (SELECT story, {ROW} AS rep_row, title, iso_when(date) AS when_sql FROM ev
        QUALIFY row_number() OVER (PARTITION BY story
                                   ORDER BY rank, published NULLS LAST, event_id NULLS LAST, {ROW}) = 1)
"""

# Each story's outlets and events, from the event rows `{events}`, joined to its representative
# row in `{stories}`: one template for a page of stories and for all of them. An ordered
# string_agg costs a sort per group, so only stories of several outlets or events pay it (most
# have one: 45,054 stories of 49,101 events in a year at 300k events; 170 -> 22 ms of DuckDB time).
STORY_LISTS = """
srcs AS (SELECT story, src, min(_row) AS first_row FROM {events} GROUP BY story, src),
src_n AS (SELECT story, count(*) AS n, any_value(src) AS one FROM srcs GROUP BY story),
src_many AS (SELECT story, string_agg(src, '; ' ORDER BY first_row) AS sources FROM srcs
             WHERE story IN (SELECT story FROM src_n WHERE n > 1) GROUP BY story),
src_agg AS (SELECT n.story, CASE WHEN n.n = 1 THEN n.one ELSE m.sources END AS sources
            FROM src_n n LEFT JOIN src_many m USING (story)),
ev_n AS (SELECT story, count(DISTINCT article_id) AS n_articles, count(*) AS n, any_value(event_id) AS one
         FROM {events} GROUP BY story),
ev_many AS (SELECT story, string_agg(event_id, ';' ORDER BY _row) AS event_ids FROM {events}
            WHERE story IN (SELECT story FROM ev_n WHERE n > 1) GROUP BY story),
ev_agg AS (SELECT n.story, n.n_articles, CASE WHEN n.n = 1 THEN n.one ELSE m.event_ids END AS event_ids
           FROM ev_n n LEFT JOIN ev_many m USING (story)),
agg AS (SELECT c.story, c.rep_row, c.title, c.when_sql, ev_agg.n_articles, coalesce(src_agg.sources, '') AS sources,
        coalesce(ev_agg.event_ids, '') AS event_ids
        FROM {stories} c JOIN ev_agg USING (story) LEFT JOIN src_agg USING (story))
"""

STORY_AGG_ALL = "\n," + STORY_LISTS.replace("{events}", "ev").replace("{stories}", "rep")

# The representative event rows with their story's lists, in the order `{order}` says.
STORY_ROWS = f"""
SELECT e.* EXCLUDE ({ROW}, story_id), a.story, a.title AS story_title, a.n_articles, a.sources, a.event_ids
FROM agg a JOIN events e ON e.{ROW} = a.rep_row ORDER BY {{order}}
"""


def _stories(con: duckdb.DuckDBPyConnection, filters: Filters, agg_sql: str, order: str) -> pd.DataFrame:
    """views.stories' rows (representative event, lists, title, when, planned) of the stories
    `agg_sql` aggregates, sorted by `order` in SQL (iso_when is the timeline's `when`)."""
    story_sql = STORY_SQL.replace("{kept}", _kept_actor_rows(filters, "e"))
    return _stories_of(run_arrow(con, filters, story_sql + agg_sql + STORY_ROWS.format(order=order)))


def _stories_of(arrow: pa.Table) -> pd.DataFrame:
    """views.stories' frame of STORY_ROWS' result `arrow` (its columns, when empty)."""
    if arrow.num_rows == 0:
        return pd.DataFrame(columns=[*schema.columns("events"), "when", "title", "n_articles", "sources", "event_ids",
                                     "planned"])
    return _story_frame(arrow.to_pandas(types_mapper=SCHEMA_DTYPES.get))


def _story_frame(got: pd.DataFrame, n_articles=np.int64) -> pd.DataFrame:
    """views.stories' columns of `got` (STORY_ROWS' columns, a fresh index); `n_articles` of dtype
    `n_articles` (a nullable one when some rows are not stories)."""
    cols = schema.columns("events")
    ev = schema.validate("events", got.assign(story_id=got["story"])[cols])
    ev = ev[["story_id"] + [c for c in cols if c != "story_id"]]
    ev["n_articles"] = pd.array(got["n_articles"], dtype=n_articles)
    ev["sources"], ev["event_ids"], ev["title"] = got["sources"], got["event_ids"], got["story_title"]
    ev["when"] = views.as_datetime(ev["date"])
    ev["planned"] = ev["status"].eq(Status.PLANNED).fillna(False).astype(bool)
    return ev


def stories(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """views.stories of the filtered events and articles (sorted by date, undated last, then story id)."""
    return _stories(con, filters, STORY_AGG_ALL, "a.when_sql NULLS LAST, a.story")


# The events rows (events' columns, `_row`, `story` its story id, `src` its outlet or its
# article's title) of the kept event rows `{events}` (`_row`, `st`, `art`) of the stories
# `{stories}` selects, read once from ev_rows (within `{dated}`: a date range's row groups alone,
# when the rows are in it): a page's few stories are aggregated and shown from these.
FEW_EVENTS = f"""few_rows AS MATERIALIZED (SELECT f.{ROW}, f.art FROM {{events}} f WHERE f.st IN ({{stories}})),
few AS MATERIALIZED (
    SELECT i.* EXCLUDE (ev, d0, d1), i.ev AS {ROW}, coalesce(i.story_id, i.event_id) AS story,
           coalesce(CASE WHEN a.source IS NOT NULL AND a.source <> '' THEN a.source ELSE a.title END,
                    i.article_id) AS src
    FROM ev_rows i JOIN few_rows f ON f.{ROW} = i.ev LEFT JOIN articles a ON a.{ROW} = f.art WHERE {{dated}})"""
# The columns of STORY_ROWS of a story's row `e` of `few` (FEW_EVENTS) and its lists `a` (STORY_LISTS' agg).
FEW_STORY_ROW = (f"e.* EXCLUDE ({ROW}, story_id, story, src), a.story, a.title AS story_title, a.n_articles, "
                 f"a.sources, a.event_ids")

# The `{n}` latest dated stories of the kept events `{events}` (ev_ix rows), picked on numbers
# alone (ev_ix st, rk, w: each story's representative row is its event of least rk), in
# STORY_ROWS' columns; only the chosen stories' events are read (FEW_EVENTS).
LATEST_SQL = f"""
, kx AS NOT MATERIALIZED (SELECT ev AS {ROW}, st, rk, w, art FROM {{events}}),
chosen_st AS MATERIALIZED (
    SELECT k.st, k.{ROW} AS rep_row, k.w AS when_sql, k.art AS rep_art
    FROM (SELECT min(rk) AS rk FROM kx GROUP BY st) r JOIN kx k ON k.rk = r.rk
    WHERE k.w IS NOT NULL ORDER BY k.w DESC, k.st LIMIT {{n}}),
{FEW_EVENTS.replace("{events}", "kx").replace("{stories}", "SELECT st FROM chosen_st")},
chosen AS (SELECT c.rep_row, c.when_sql, f.story, t.title FROM chosen_st c JOIN few f ON f.{ROW} = c.rep_row
           LEFT JOIN articles t ON t.{ROW} = c.rep_art),""" + STORY_LISTS.replace("{events}", "few").replace(
    "{stories}", "chosen") + f"""
SELECT {FEW_STORY_ROW} FROM agg a JOIN few e ON e.{ROW} = a.rep_row ORDER BY a.when_sql DESC, a.story"""


def latest_events(con: duckdb.DuckDBPyConnection, filters: Filters, *, n: int = 10) -> pd.DataFrame:
    """views.latest_events of the filtered corpus: the `n` most recent dated stories (ties
    by story id), only their lists aggregated."""
    events = f"(SELECT {ROW} AS ev, st, rk, w, art FROM kept_events)" if filters.is_active() else "ev_ix"
    body = LATEST_SQL.replace("{events}", events).replace("{n}", str(int(n)))
    dated = _dated(filters, "i") if _has_dates(filters) else "TRUE"
    return _stories_of(run_arrow(con, filters, body.replace("{dated}", dated)))


# ---------------------------------------------------------------- the Timeline page

# The Timeline page's stories without the whole list, on numbers (ev_ix st, rk, w, dk). `ev_all`:
# the event rows the filters keep (those the filters without their dates keep, when
# `{in_range}` tests the dates, so one query also gives what the date range hides), read from
# `{events}` (see _kept_events_of); `ev`: those in range. `st`: each story of `ev` once (its
# number `st`), its representative row the event of least rk (STORY_SQL rep's order:
# precision, publication, event id, row), with its article row, datetime, date key and count of
# articles; `st_rel` the same over `ev_all`, with `kept` (an event of it is in range).
# Strings are read only where needed: ids, titles and outlets of the chosen stories alone.
TIMELINE_SQL = f"""
, ev_all AS NOT MATERIALIZED (SELECT e.ev AS {ROW}, e.st, e.rk, e.aid, e.art, e.w, e.dk, {{in_range}} AS in_range
                              FROM {{events}} e),
ev AS NOT MATERIALIZED (SELECT * FROM ev_all WHERE in_range),
st AS MATERIALIZED ({{pick_ev}}),
st_rel AS ({{pick_all}})
"""
# One row per story of `{events}` (see TIMELINE_SQL): its representative row is its event of
# least rk. Its count of distinct articles is told by the least and largest article key when it
# has at most two events or one article (most stories); counted only for the others.
STORY_PICK = """WITH g AS MATERIALIZED (SELECT st, count(*) AS n, min(aid) AS a0, max(aid) AS a1, min(rk) AS rk,
                                      bool_or(in_range) AS kept FROM {events} GROUP BY st)
SELECT g.st, CASE WHEN g.a0 IS NULL THEN 0 WHEN g.a0 = g.a1 THEN 1 WHEN g.n = 2 THEN 2 ELSE m.n END AS n_articles,
       g.kept, e._row AS rep_row, e.art AS rep_art, e.dk, e.w AS when_sql
FROM g JOIN {events} e ON e.rk = g.rk
LEFT JOIN (SELECT st, count(DISTINCT aid) AS n FROM {events}
           WHERE st IN (SELECT st FROM g WHERE n > 2 AND a0 <> a1) GROUP BY st) m ON m.st = g.st"""

# The stories `{which}` names (a SELECT of part, st), as STORY_ROWS' rows with their part;
# their lists aggregated over their events in `{events}` alone (FEW_EVENTS).
TIMELINE_ROWS = ",\nchosen_parts AS MATERIALIZED ({which}),\n" + FEW_EVENTS.replace(
    "{stories}", "SELECT st FROM chosen_parts") + f""",
chosen AS MATERIALIZED (SELECT s.*, r.story, a.title FROM {{stories}} s JOIN few r ON r.{ROW} = s.rep_row
                        LEFT JOIN articles a ON a.{ROW} = s.rep_art WHERE s.st IN (SELECT st FROM chosen_parts)),""" + \
    STORY_LISTS.replace("{events}", "few").replace("{stories}", "chosen") + f"""
SELECT p.part, {FEW_STORY_ROW}, a.when_sql
FROM chosen_parts p JOIN chosen c USING (st) JOIN agg a ON a.rep_row = c.rep_row JOIN few e ON e.{ROW} = a.rep_row"""

# Stories per (date, precision, type) of the representative row (undated ones too) of `{stories}`.
STORY_DATES = ("SELECT '{part}' AS part, d.date, d.date_precision, d.type, c.n_stories "
               "FROM (SELECT dk, count(*) AS n_stories FROM {stories} GROUP BY dk) c JOIN dk_ix d ON d.dk = c.dk")
DATE_COLUMNS = ["date", "date_precision", "type", "n_stories"]


def _has_dates(filters: Filters) -> bool:
    return bool(filters.date_from or filters.date_to)


def _story_query(filters: Filters, relaxed: bool, tail: str) -> tuple[Filters, str]:
    """The filters whose kept sets TIMELINE_SQL + `tail` (what to select of st, st_rel, ev and
    ev_all) reads, and that SQL: kept events of `filters`, or (`relaxed`) of `filters` without
    their dates, in_range testing them."""
    base = replace(filters, date_from=None, date_to=None) if relaxed else filters
    in_range = _dated(filters, "e") if relaxed and _has_dates(filters) else "TRUE"
    body = TIMELINE_SQL.replace("{events}", _kept_events_of(base)).replace("{in_range}", in_range)
    body = body.replace("{pick_ev}", STORY_PICK.replace("{events}", "ev"))
    body = body.replace("{pick_all}", STORY_PICK.replace("{events}", "ev_all"))
    # the rows of `ev` are in the filters' date range: their ids read from its row groups alone
    dated = _dated(filters, "i") if _has_dates(filters) else "TRUE"
    return base, body + tail.replace("{dated}", dated)


def _story_parts(con: duckdb.DuckDBPyConnection, filters: Filters, query: tuple[Filters, str]) -> pd.DataFrame:
    """The result of a _story_query of `filters`: a `part` column, the story rows' columns
    (views.stories'), and the date rows' `n_stories`; ordered by part then date (undated last)
    then story id. The kept sets come from cached_ctes (shared with the page's other queries)."""
    base, body = query
    body += " ORDER BY part, when_sql NULLS LAST, story, date NULLS LAST, date_precision, type"
    # a relaxed query's in_range tests the dates its base filters lack: their values passed along
    arrow = _fetch(con, base, body, lambda rel: rel.to_arrow_table(), params(filters, body))
    got = arrow.to_pandas(types_mapper=SCHEMA_DTYPES.get)
    out = _story_frame(got, n_articles=pd.Int64Dtype())
    out.insert(0, "part", got["part"].astype(STRING))
    out["n_stories"] = got["n_stories"].astype(pd.Int64Dtype()) if "n_stories" in got else pd.NA
    return out.astype({"n_stories": pd.Int64Dtype(), "planned": pd.BooleanDtype()})


def _story_tail(which: str, stories: str, events: str, dates: tuple[tuple[str, str], ...] = ()) -> str:
    """The SELECT after TIMELINE_SQL: TIMELINE_ROWS of `which`, then STORY_DATES of each
    (part, stories) of `dates`."""
    rows = TIMELINE_ROWS.format(which=which, stories=stories, events=events,
                                dated="{dated}" if events == "ev" else "TRUE")  # see _story_query
    return rows + "".join("\nUNION ALL BY NAME " + STORY_DATES.format(part=part, stories=source)
                          for part, source in dates)


def timeline(con: duckdb.DuckDBPyConnection, filters: Filters, *, n: int = 1000, limit: int = 500) -> pd.DataFrame:
    """What the Timeline page shows, in one query, as one frame with a `part` column (split by
    views.timeline_parts): "chart", the `n` largest dated stories (most articles, then latest,
    then story id; views.largest's choice) in views.stories' order; "page", its first `limit`
    stories; "dates", how many stories per (date, date_precision, type) of their
    representative row (undated included: the counts, the monthly bars and the zoom are
    read from these); "relaxed", the same of the filters without their date range (what the
    hidden-rows note compares with; the "dates" rows again when no range is set)."""
    which = (f"(SELECT 'chart' AS part, st FROM st WHERE when_sql IS NOT NULL "
             f"ORDER BY n_articles DESC, when_sql DESC, st LIMIT {int(n)}) UNION ALL "
             f"(SELECT 'page' AS part, st FROM st ORDER BY when_sql NULLS LAST, st LIMIT {int(limit)})")
    dated, dates_only = _has_dates(filters), _dates_only(filters)
    # A range alone: what the filters without it keep is the whole corpus (prepared, not grouped again).
    relaxed = dated and not dates_only
    dates = (("dates", "st"), ("relaxed", "st_rel")) if relaxed else (("dates", "st"),)
    out = _story_parts(con, filters, _story_query(filters, relaxed, _story_tail(which, "st", "ev", dates)))
    if not dated:
        again = out[out["part"] == "dates"].assign(part="relaxed")
    elif dates_only:
        again = story_dates(con, Filters()).assign(part="relaxed")
    else:
        return out
    return pd.concat([out, again.astype(out.dtypes[again.columns].to_dict())], ignore_index=True)


def story_dates(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """timeline's "dates" rows of `filters` (the unfiltered ones from the prepared folder when kept)."""
    kept = prepared_result(con, "story_dates", filters, {})
    if kept is not None:
        return kept
    return _story_parts(con, filters, _story_query(filters, False, _story_tail("SELECT NULL AS part, NULL AS st "
                                                                               "WHERE FALSE", "st", "ev",
                                                                               (("dates", "st"),))))


def story_page(con: duckdb.DuckDBPyConnection, filters: Filters, *, offset: int, limit: int) -> pd.DataFrame:
    """Rows offset..offset+limit-1 of views.stories of the filtered corpus (a page of the
    Timeline's table), only their lists aggregated."""
    which = (f"SELECT 'page' AS part, st FROM st ORDER BY when_sql NULLS LAST, st "
             f"LIMIT {int(limit)} OFFSET {int(offset)}")
    out = _story_parts(con, filters, _story_query(filters, False, _story_tail(which, "st", "ev")))
    return views.story_rows(out)


def hidden_stories(con: duckdb.DuckDBPyConnection, filters: Filters, *, offset: int, limit: int) -> pd.DataFrame:
    """Rows offset..offset+limit-1 of what the Timeline's chart leaves out, as
    core.query.hidden.hidden_rows lists them: the stories of the filters without their date
    range (views.stories' rows, in its order) that the range drops ("outside the dates") or
    that are undated, with that reason in `hidden`."""
    which = (f"SELECT 'hidden' AS part, st FROM st_rel WHERE NOT kept OR when_sql IS NULL "
             f"ORDER BY when_sql NULLS LAST, st LIMIT {int(limit)} OFFSET {int(offset)}")
    tail = _story_tail(which, "st_rel", "ev_all")
    out = views.story_rows(_story_parts(con, filters, _story_query(filters, True, tail)))
    return out.assign(hidden=np.where(out["when"].notna(), "outside the dates", "undated"))


# ---------------------------------------------------------------- actors


NETWORK_SQL = """
, firsts AS MATERIALIZED (SELECT x.a_s, x.a_t, x.type, x.ev, x.k FROM edge_ix x WHERE {kept}),
edges AS MATERIALIZED (SELECT a_s, a_t, type, count(*) AS n_events, any_value(ev) AS one FROM firsts
                       GROUP BY a_s, a_t, type),
-- the events' ids, read from ev_ix within the date range (its row groups only) when one is set
ids AS MATERIALIZED (SELECT e.ev, e.event_id FROM ev_ix e JOIN (SELECT DISTINCT ev FROM firsts) f ON f.ev = e.ev
                     WHERE {dated}),
-- an ordered string_agg sorts per group: only the edges of several events pay it (most have one)
many AS (SELECT f.a_s, f.a_t, f.type, string_agg(i.event_id, ';' ORDER BY f.k) AS ids FROM firsts f
         JOIN edges g ON g.a_s = f.a_s AND g.a_t = f.a_t AND g.type = f.type JOIN ids i ON i.ev = f.ev
         WHERE g.n_events > 1 GROUP BY f.a_s, f.a_t, f.type)
SELECT s.name AS source, t.name AS target, g.type, g.n_events,
       CASE WHEN g.n_events = 1 THEN o.event_id ELSE m.ids END AS event_ids
FROM edges g JOIN names s ON s.id = g.a_s JOIN names t ON t.id = g.a_t
LEFT JOIN many m ON m.a_s = g.a_s AND m.a_t = g.a_t AND m.type = g.type LEFT JOIN ids o ON o.ev = g.one
ORDER BY g.n_events DESC, g.a_s, g.a_t, g.type
"""


def network_edges(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """views.network_edges of the filtered events."""
    # A kept event's id is read from ev_ix, within the date range (its row groups only) when one is set.
    dated = _dated(filters, "e") if filters.date_from or filters.date_to else "TRUE"
    body = NETWORK_SQL.replace("{kept}", _kept_actor_rows(filters, "x")).replace("{dated}", dated)
    # through Arrow: a year's 100,000 edges convert to strings much faster than to Python objects
    out = run_arrow(con, filters, body).to_pandas(types_mapper=SCHEMA_DTYPES.get)
    if out.empty:
        return pd.DataFrame(columns=list(out.columns))
    return out.astype({"source": STRING, "target": STRING, "type": STRING, "n_events": np.int64, "event_ids": STRING})


# ---------------------------------------------------------------- filter choices


def review_counts(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """How much of the (filtered) corpus analysts have reviewed: one row per table (events,
    quantities) with its rows per review value (auto, corrected, added, reviewed), `total`,
    `n_reviewed` (every row an analyst has seen: all but auto) and `share` (n_reviewed / total,
    0 when empty)."""
    cols = ", ".join(f"count(*) FILTER (WHERE coalesce(x.review, '{Review.AUTO}') = '{r}') AS {r}" for r in Review)
    body = " UNION ALL ".join(
        f"SELECT '{name}' AS \"table\", {cols} FROM {name} x WHERE x.{ROW} IN (SELECT {ROW} FROM kept_{name})"
        for name in ("events", "quantities"))
    out = run(con, filters, body + ' ORDER BY "table"')
    out[[str(r) for r in Review]] = out[[str(r) for r in Review]].astype("int64")
    out["total"] = out[[str(r) for r in Review]].sum(axis=1)
    out["n_reviewed"] = out["total"] - out[str(Review.AUTO)]
    out["share"] = (out["n_reviewed"] / out["total"].where(out["total"] > 0)).fillna(0.0)
    return out.reset_index(drop=True)


def filter_options(con: duckdb.DuckDBPyConnection) -> FilterOptions:
    """filters.filter_options of the whole corpus, read with a few small queries."""
    actors = con.execute("SELECT name, type, country FROM actors "
                         f"ORDER BY n_mentions DESC NULLS LAST, name NULLS LAST, {ROW}").df()
    labels = {n: actor_label(n, t, c)
              for n, t, c in zip(actors["name"], actors["type"], actors["country"], strict=True)}

    def distinct(table: str, column: str) -> tuple[str, ...]:
        values = con.execute(f"SELECT DISTINCT {column} AS v FROM {table} WHERE {column} IS NOT NULL").df()["v"]
        return tuple(sorted(str(v) for v in values if str(v)))

    bounds = con.execute("SELECT min(d), max(d) FROM (SELECT date AS d FROM events UNION ALL "
                         "SELECT published FROM articles UNION ALL SELECT date FROM quantities)").fetchone()
    # An aggregate without GROUP BY always returns one row; None only satisfies the type.
    first, last = bounds if bounds is not None else (None, None)
    return FilterOptions(
        actors=tuple(actors["name"]), actor_labels=labels, types=distinct("events", "type"),
        statuses=distinct("events", "status"), sources=distinct("articles", "source"),
        first_date=None if first is None else str(first), last_date=None if last is None else str(last),
    )


# ---------------------------------------------------------------- prepared per store version

# Bumped whenever FACTS or a prepared query changes, so an older prepared folder is ignored.
PREPARED_FORMAT = 26
# The page queries whose unfiltered result is kept, with the arguments the pages call them with.
PREPARED = {"summary": {}, "headline_figures": {}, "active_actors": {"n": 10}, "latest_events": {"n": 10},
            "timeline": {"n": 1000, "limit": 500}, "story_dates": {}, "network_edges": {}, "quantity_series": {}}


def page_queries() -> dict:
    """The page queries by the name the pages ask for them (each `fn(con, filters, **kwargs)`)."""
    return {"count_events": count_events, "count_articles": count_articles, "events_with_ids": events_with_ids,
            "actor_events": actor_events,
            "table_sizes": table_sizes, "table_page": kept_table, "article_listing": article_listing,
            "summary": corpus_summary, "headline_figures": headline_figures,
            "active_actors": active_actors,
            "latest_events": latest_events, "stories": stories, "timeline": timeline, "story_dates": story_dates,
            "story_page": story_page, "hidden_stories": hidden_stories,
            "network_edges": network_edges, "quantity_series": quantity_series, "review_counts": review_counts}


def prepared_folder(folder) -> Path:
    """Where `prepare` keeps what it computes for the corpus folder `folder` (a store
    generation's `corpus`): beside it, so it goes when the generation goes."""
    return Path(folder).parent / f"prepared-{PREPARED_FORMAT}"


def prepare(folder) -> Path | None:
    """The prepared folder of the corpus Parquet files in `folder`, computing it first when
    missing: the FACTS as Parquet, and every PREPARED page query's unfiltered result (frames as
    Parquet, the summary as JSON). Seconds on a million events, once per store version; the
    tables never change under a generation, so it is never stale. Written to a private folder
    then renamed, so readers see all or nothing. Returns None when it cannot be written (a
    read-only store): then each connection computes the facts itself."""
    out = prepared_folder(folder)
    if (out / "done").exists():
        return out
    tmp = out.parent / f".prepared-tmp-{uuid.uuid4().hex[:12]}"
    try:
        tmp.mkdir()
    except OSError:
        return None
    try:
        con = duckdb.connect(":memory:")
        _corpus_views(con, Path(folder))
        _setup(con, None)
        con.execute("SET preserve_insertion_order = true")  # so COPY writes in FACT_ORDER
        for name in FACTS:
            order = f" ORDER BY {FACT_ORDER[name]}" if name in FACT_ORDER else ""
            con.execute(f"COPY (SELECT * FROM {name}{order}) TO {_quoted(tmp / f'{name}.parquet')} "
                        f"(FORMAT parquet, ROW_GROUP_SIZE {PREPARED_ROW_GROUP})")
        con.close()
        con = connect_parquet(folder, tmp)
        for name, fn in page_queries().items():
            if name not in PREPARED:
                continue
            result = fn(con, Filters(), **PREPARED[name])
            if isinstance(result, dict):
                (tmp / f"{name}.json").write_text(json.dumps(result), encoding="utf-8")
            elif len(result):  # an empty frame is cheap to compute and keeps its exact dtypes
                result.to_parquet(tmp / f"{name}.parquet", index=False)
        con.close()
        (tmp / "done").write_text("", encoding="utf-8")
        with contextlib.suppress(OSError):  # another process prepared it meanwhile: theirs is the same
            os.rename(tmp, out)
    except OSError:
        return None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out if (out / "done").exists() else None


def prepared_result(con: duckdb.DuckDBPyConnection, name: str, filters: Filters, kwargs: dict):
    """The kept unfiltered result of page query `name` (see PREPARED) when `con` reads a
    prepared folder, `filters` are empty and `kwargs` are those it was kept with; else None
    (compute it)."""
    if filters.is_active() or name not in PREPARED or {**PREPARED[name], **kwargs} != PREPARED[name]:
        return None
    (folder_name,), = con.execute("SELECT folder FROM _prepared").fetchall()
    if folder_name is None:
        return None
    folder = Path(folder_name)
    if (folder / f"{name}.json").exists():
        summary = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
        return {k: tuple(v) if isinstance(v, list) else v for k, v in summary.items()}
    if (folder / f"{name}.parquet").exists():
        return pd.read_parquet(folder / f"{name}.parquet")
    return None
