"""Every table the pipeline produces, declared once: its columns, their types and meaning.

`TABLES[name]` lists the columns in order; `validate(name, df)` checks a DataFrame at the
boundary (extract, store, export) and returns it with the declared column order and dtypes.
The dashboard shows `describe(name)` as the column help of each table.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pandas as pd

from core.errors import SchemaError


@dataclass(frozen=True)
class Column:
    """One table column: its name, pandas dtype and what it holds."""

    name: str
    dtype: Literal["string", "Int64", "Float64", "boolean"]
    doc: str


def _cols(*specs):
    return tuple(Column(*s) for s in specs)


ARTICLE_ID = ("article_id", "string", "Stable id of the article: the first 16 hex digits of its content hash.")
SENTENCE_ID = ("sentence_id", "Int64", "Index of the sentence within the article (0-based, in text order).")
SENTENCE = ("sentence", "string", "The sentence the row was extracted from, verbatim.")
SENT_START = ("sentence_start", "Int64", "Character offset of the sentence in the article text.")
SENT_END = ("sentence_end", "Int64", "Character offset just past the sentence in the article text.")
DATE = ("date", "string", "ISO date (YYYY-MM-DD); for month or year precision the first day of the period.")
PRECISION = ("date_precision", "string", "How much of `date` is known: day, month or year; empty when unknown.")
# Columns of both the per-mention rows and the corpus-level actors and places tables.
COUNTRY = ("country", "string", "ISO 3166-1 alpha-3 code of the actor's or place's country, if known.")
N_ARTICLES = ("n_articles", "Int64", "Articles that mention the actor or place.")
N_MENTIONS = ("n_mentions", "Int64", "Mentions in all articles.")

TABLES: dict[str, tuple[Column, ...]] = {
    "articles": _cols(
        ARTICLE_ID,
        ("file", "string", "File name (or URL / paste label) the article was read from."),
        ("title", "string", "Headline."),
        ("source", "string", "Outlet or news agency the text names (e.g. Yonhap, Reuters), if any."),
        ("url", "string", "URL of the article when known."),
        ("published", "string", "Publication date (ISO), from the page's date line or inferred from the text."),
        ("published_precision", "string", "day, month or year; empty when no date could be found."),
        ("n_words", "Int64", "Words in the analysed text (boilerplate excluded)."),
        ("content_hash", "string", "SHA-256 of the normalised article text; duplicates share it."),
        ("text", "string", "The article's full text; every offset in the other tables points into it."),
        ("segments", "string",
         "JSON list of [start, end, kind, reason]: title, dateline, body, caption, byline, boilerplate."),
    ),
    "mentions": _cols(
        ARTICLE_ID,
        SENTENCE_ID,
        ("kind", "string", "actor or place."),
        ("name", "string", "Canonical name of the actor or place."),
        ("surface", "string", "The words as written in the article."),
        ("start_char", "Int64", "Character offset of the mention in the article text."),
        ("end_char", "Int64", "Character offset just past the mention."),
        ("in_caption", "boolean", "True when the mention is in a photo caption."),
        ("type", "string", "Actors: person, organisation, media or state. Places: empty."),
        COUNTRY,
        ("code", "string", "Actors: CAMEO-style actor code. Places: empty."),
        ("lat", "Float64", "Places: latitude from the offline gazetteer. Actors: empty."),
        ("lon", "Float64", "Places: longitude. Actors: empty."),
        ("coref", "boolean", "True when the words are a pronoun or description ('he', 'the ministry') standing for "
                             "the actor named earlier; such words are not aliases of the actor."),
    ),
    "actors": _cols(
        ("name", "string", "Canonical name."),
        ("type", "string", "person, organisation, media or state."),
        COUNTRY,
        ("code", "string", "CAMEO-style actor code (country + role, e.g. RUSGOV, PRKMIL, UKRMED)."),
        ("aliases", "string", "Surface forms seen in the corpus, ';'-joined."),
        N_ARTICLES,
        N_MENTIONS,
        ("first_seen", "string", "Earliest publication date of an article that mentions the actor."),
        ("last_seen", "string", "Latest publication date of an article that mentions the actor."),
    ),
    "places": _cols(
        ("name", "string", "Canonical place name (below country level)."),
        COUNTRY,
        ("lat", "Float64", "Latitude (WGS 84) from the offline gazetteer; empty when unknown."),
        ("lon", "Float64", "Longitude (WGS 84)."),
        N_ARTICLES,
        N_MENTIONS,
    ),
    "events": _cols(
        ("event_id", "string", "Unique id of the event row: article id + running number."),
        ("story_id", "string",
         "Id shared by rows that report the same real-world event (type, date, actors) across articles."),
        ARTICLE_ID,
        SENTENCE_ID,
        DATE,
        PRECISION,
        ("date_end", "string",
         "ISO end of the period when the event spans one ('since last September': the statement's day); else empty."),
        ("type", "string", "visit, meeting, agreement, transfer, strike, statement, transport or other."),
        ("cameo", "string", "CAMEO root code of the event type (e.g. 04 consult, 19 fight)."),
        ("status", "string", "reported, planned, alleged or denied."),
        ("actors", "string", "Canonical names of the actors involved, ';'-joined (details in event_actors)."),
        ("origin", "string", "Place the movement starts from, if any."),
        ("destination", "string", "Place the movement goes to, if any."),
        ("location", "string", "Place where the event happens, if any."),
        ("trigger", "string", "The word that signals the event (e.g. visited, supplied)."),
        ("start_char", "Int64", "Character offset of the trigger in the article text."),
        ("end_char", "Int64", "Character offset just past the trigger."),
        SENT_START,
        SENT_END,
        SENTENCE,
        ("evidence", "string", "JSON list of [start, end] character spans of every sentence that tells the event, "
                               "the row's own sentence first (a retelling or a noun and verb of one event are one "
                               "row)."),
    ),
    "event_actors": _cols(
        ("event_id", "string", "The event (events.event_id)."),
        ("actor", "string", "Canonical actor name."),
        ("role", "string", "source (who acts or speaks), target (acted upon, met, supplied), or participant."),
    ),
    "quantities": _cols(
        ("quantity_id", "string", "Unique id: article id + running number."),
        ARTICLE_ID,
        ("event_id", "string", "The event the figure belongs to, if any."),
        SENTENCE_ID,
        ("value", "Float64", "The figure (lower bound for vague words: dozens=24, hundreds=200, several=3)."),
        ("value_max", "Float64", "Upper bound of a range, else empty."),
        ("qualifier", "string", "exact, about, more_than, less_than or vague."),
        ("unit", "string", "The counted noun, singular (container, missile, round, kilometre...)."),
        ("category", "string",
         "missile, container, munition, casualty, personnel, distance, duration, component or other."),
        ("item", "string", "The named item counted, if any (e.g. Hwasong-11)."),
        ("claimant", "string", "Who the article says the figure comes from (canonical actor), if anyone."),
        ("date", "string", "ISO day the figure holds for (the day of the statement or event that gives it), if known."),
        PRECISION,
        ("since", "string", "ISO start of the period a cumulative count covers ('since August'), else empty."),
        ("text", "string", "The words of the figure as written (e.g. 'more than 11,000 containers')."),
        ("start_char", "Int64", "Character offset of the figure in the article text."),
        ("end_char", "Int64", "Character offset just past the figure."),
        SENT_START,
        SENT_END,
        SENTENCE,
    ),
    "links": _cols(
        ("origin", "string", "Place (or state capital) the events go from."),
        ("destination", "string", "Place the events go to."),
        ("type", "string", "Event type of the linked events."),
        ("n_events", "Int64", "Events on this link."),
        ("n_articles", "Int64", "Articles reporting them."),
        ("first_date", "string", "Earliest event date on the link."),
        ("last_date", "string", "Latest event date on the link."),
        ("origin_lat", "Float64", "Latitude of the origin."),
        ("origin_lon", "Float64", "Longitude of the origin."),
        ("destination_lat", "Float64", "Latitude of the destination."),
        ("destination_lon", "Float64", "Longitude of the destination."),
        ("distance_km", "Float64", "Great-circle (geodesic) distance between the two, in km."),
        ("event_ids", "string", "The events on the link, ';'-joined."),
    ),
}


def columns(name: str) -> list[str]:
    """The column names of table `name`, in order."""
    return [c.name for c in TABLES[name]]


def describe(name: str) -> dict[str, str]:
    """Column name -> documentation, for table `name`."""
    return {c.name: c.doc for c in TABLES[name]}


def empty(name: str) -> pd.DataFrame:
    """An empty DataFrame with the columns and dtypes of table `name`."""
    return pd.DataFrame({c.name: pd.Series(dtype=c.dtype) for c in TABLES[name]})


def validate(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """`df` with table `name`'s columns in order, coerced to their dtypes.

    Raises SchemaError when a column is missing, an extra column is present, or a value cannot
    be coerced; never drops or invents data.
    """
    if name not in TABLES:
        raise SchemaError(f"no table named {name!r}")
    want = columns(name)
    missing = [c for c in want if c not in df.columns]
    extra = [c for c in df.columns if c not in want]
    if missing or extra:
        raise SchemaError(f"table {name}: missing columns {missing}, unexpected columns {extra}")
    out = df[want].copy()
    for col in TABLES[name]:
        try:
            if col.dtype == "string":
                out[col.name] = out[col.name].astype("string")
            else:
                out[col.name] = out[col.name].astype(col.dtype)
        except (TypeError, ValueError) as exc:
            raise SchemaError(f"table {name}, column {col.name}: {exc}") from exc
    return out.reset_index(drop=True)
