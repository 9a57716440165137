"""Articles in, tables out: the one place that runs the steps in order.

`analyse_articles` parses each article once (`nlp.pipe`, batched) and returns the per-article
tables; `aggregate` derives the corpus tables (actors, places, links, story ids) from them;
`extract_tables` does both for files and folders, with a cache keyed on content hash and
pipeline version so an unchanged corpus is not parsed twice.
"""
from __future__ import annotations

import bisect
import json

import pandas as pd

from core import PIPELINE_VERSION, schema
from core.attribution import attribution
from core.cache import ResultCache
from core.corpus_tables import actors_table, places_table
from core.dates import find_dates, iso
from core.events import drop_repeats, extract_events, merge_duplicates, resolve_sentence_dates
from core.geocode import Geocoder, enabled_from_env, fill_coordinates
from core.ingest import read_paths
from core.links import build_links
from core.mentions import find_mentions
from core.model import ANALYSED_KINDS, Article
from core.nlp import installed_model_id, load_nlp
from core.quantities import extract_quantities
from core.stories import assign_stories

PER_ARTICLE = ("articles", "mentions", "events", "event_actors", "quantities")
BATCH_SIZE = 16


def analyse_doc(article: Article, doc) -> dict[str, list[dict]]:
    """Rows of the per-article tables for one parsed article (pure: no I/O)."""
    kind = article.segment_lookup()
    skip = lambda off: kind(off) not in ANALYSED_KINDS  # noqa: E731
    sents = list(doc.sents)
    sent_of = _sentence_index([s.start_char for s in sents])

    mentions = find_mentions(doc, skip=skip, caption=lambda off: kind(off) == "caption")
    ref = article.reference_date or article.published
    dates_by_sent = {s.start_char: resolve_sentence_dates(s, ref, find_dates)
                     for s in sents if s.text.strip() and not skip(s.start_char)}
    events = extract_events(doc, mentions, dates_by_sent, skip=skip,
                            published=article.published if article.published_precision else None,
                            published_precision=article.published_precision)
    events = merge_duplicates(drop_repeats(events, kind))
    event_rows, actor_rows = _event_rows(article, events, sent_of)
    quantities = _without_repeats(extract_quantities(doc, skip=skip), kind)
    return {
        "articles": [_article_row(article, doc, skip)],
        "mentions": [_mention_row(article.article_id, m, sent_of, kind) for m in mentions],
        "events": event_rows,
        "event_actors": actor_rows,
        "quantities": _quantity_rows(article, doc, quantities, events, event_rows, mentions, sents, sent_of),
    }


def _article_row(article: Article, doc, skip) -> dict:
    return {
        "article_id": article.article_id, "file": article.file, "title": article.title,
        "source": article.source, "url": article.url, "published": iso(article.published),
        "published_precision": article.published_precision,
        "n_words": sum(1 for t in doc if not t.is_space and not t.is_punct and not skip(t.idx)),
        "content_hash": article.content_hash, "text": article.text,
        "segments": json.dumps([[s.start, s.end, s.kind, s.reason] for s in article.segments]),
    }


def _mention_row(aid: str, m, sent_of, kind) -> dict:
    return {
        "article_id": aid, "sentence_id": sent_of(m.start), "kind": m.kind, "name": m.name,
        "surface": m.surface, "start_char": m.start, "end_char": m.end,
        "in_caption": kind(m.start) == "caption",
        "type": m.actor.type if m.actor else None,
        "country": m.actor.country if m.actor else m.place.country if m.place else None,
        "code": m.actor.code if m.actor else None,
        "lat": m.place.lat if m.place else None, "lon": m.place.lon if m.place else None,
    }


def _event_rows(article: Article, events, sent_of) -> tuple[list[dict], list[dict]]:
    """(events rows, event_actors rows); event ids are the article id and a running number."""
    rows, actor_rows = [], []
    for n, e in enumerate(events):
        eid = f"{article.article_id}-e{n:03d}"
        rows.append({
            "event_id": eid, "story_id": None, "article_id": article.article_id,
            "sentence_id": sent_of(e.sent.start_char),
            "date": iso(e.date), "date_precision": e.precision if e.date else None,
            "type": e.type, "cameo": e.cameo, "status": e.status,
            "actors": ";".join(dict.fromkeys(a for a, _ in e.actors)),
            "origin": e.origin, "destination": e.destination, "location": e.location,
            "trigger": e.trigger.text, "start_char": e.trigger.idx, "end_char": e.trigger.idx + len(e.trigger),
            "sentence_start": e.sent.start_char, "sentence_end": e.sent.end_char,
            "sentence": article.text[e.sent.start_char:e.sent.end_char],
        })
        actor_rows += [{"event_id": eid, "actor": name, "role": role} for name, role in e.actors]
    return rows, actor_rows


def _without_repeats(quantities, kind) -> list:
    """`quantities` without headline or caption figures that the body gives too: one fact,
    counted once."""
    body = {(q.value, q.unit) for q in quantities if kind(q.start) == "body"}
    return [q for q in quantities if kind(q.start) == "body" or (q.value, q.unit) not in body]


def _quantity_rows(article, doc, quantities, events, event_rows, mentions, sents, sent_of) -> list[dict]:
    rows = []
    event_of_token = {}
    for e, row in zip(events, event_rows):
        event_of_token.setdefault(e.trigger.i, row)
    for n, q in enumerate(quantities):
        span = doc.char_span(q.start, q.end, alignment_mode="expand")
        sent = sents[sent_of(q.start)]
        event = _event_for(span, event_of_token)
        rows.append({
            "quantity_id": f"{article.article_id}-q{n:03d}", "article_id": article.article_id,
            "event_id": event["event_id"] if event else None,
            "sentence_id": sent_of(q.start), "value": q.value, "value_max": q.value_max,
            "qualifier": q.qualifier, "unit": q.unit, "category": q.category, "item": q.item,
            "claimant": _claimant(sent, mentions, events),
            "date": event["date"] if event else None,
            "date_precision": event["date_precision"] if event else None,
            "text": q.text, "start_char": q.start, "end_char": q.end,
            "sentence_start": q.sent_start, "sentence_end": q.sent_end,
            "sentence": article.text[q.sent_start:q.sent_end],
        })
    return rows


def _event_for(span, event_of_token: dict) -> dict | None:
    """The row of the event whose trigger governs `span`, or None."""
    if span is None:
        return None
    for t in [span.root, *span.root.ancestors]:
        if t.i in event_of_token:
            return event_of_token[t.i]
    return None


# "According to the investigation, ..." points back to the report the previous sentence
# named ("the SBU reported documented evidence"): its author is the claimant.
DOCUMENT_NOUNS = frozenset({"investigation", "report", "study", "data", "findings", "assessment",
                            "analysis", "document", "documents", "statement", "evidence", "probe",
                            "inquiry", "review", "estimate", "estimates", "figures", "intelligence"})


def _claimant(sent, mentions, events=()) -> str | None:
    """The canonical actor a sentence attributes its content to, if it names one.

    When the source is a document the text introduced just before ("the investigation"),
    the speaker of the latest statement in this or the previous sentence is the claimant.
    """
    src = attribution(sent)
    if src is None:
        return None
    inside = [m for m in mentions if m.kind == "actor" and src.start_char <= m.start < src.end_char]
    if not inside:
        if src.root.lemma_.lower() not in DOCUMENT_NOUNS and src.root.lower_ not in DOCUMENT_NOUNS:
            return None
        earlier = [e for e in events if e.type == "statement" and e.sent.start_char <= sent.start_char
                   and sent.start_char - e.sent.end_char < 3 and any(r == "source" for _, r in e.actors)]
        return next((n for n, r in earlier[-1].actors if r == "source"), None) if earlier else None
    # "US State Department spokesman Matthew Miller": the person, who is the head of the phrase.
    persons = [m for m in inside if m.actor and m.actor.type == "person"]
    return (persons[-1] if persons else inside[-1]).name


def _sentence_index(starts: list[int]):
    """A function offset -> index of the sentence holding it, given the sentences' starts."""
    return lambda off: max(0, bisect.bisect_right(starts, off) - 1)


def _frames(rows: dict[str, list[dict]]) -> dict[str, pd.DataFrame]:
    out = {}
    for name in PER_ARTICLE:
        df = pd.DataFrame(rows[name], columns=schema.columns(name)) if rows[name] else schema.empty(name)
        out[name] = schema.validate(name, df)
    return out


def analyse_articles(articles: list[Article], *, progress=None, cache_dir=None, nlp=None) -> dict[str, pd.DataFrame]:
    """The per-article tables (articles, mentions, events, event_actors, quantities).

    Parses every article not in the cache in one batched `nlp.pipe` run; `progress(done,
    total)` is called after each article. `cache_dir=None` uses the default cache folder,
    `cache_dir="none"` disables caching.
    """
    cache = ResultCache(cache_dir, f"{PIPELINE_VERSION}/{installed_model_id()}")
    total = len(articles)
    results: dict[str, dict] = {}
    todo = []
    for a in articles:
        hit = cache.get(a)
        if hit is not None:
            results[a.article_id] = hit
        else:
            todo.append(a)
    done = len(results)
    if progress:
        progress(done, total)
    if todo:
        nlp = nlp or load_nlp()  # not loaded at all when everything is cached
    texts = (a.analysed_text() for a in todo)
    for article, doc in zip(todo, nlp.pipe(texts, batch_size=BATCH_SIZE) if todo else ()):
        rows = analyse_doc(article, doc)
        cache.put(article, rows)
        results[article.article_id] = rows
        done += 1
        if progress:
            progress(done, total)
    merged = {k: [] for k in PER_ARTICLE}
    seen = set()
    for a in articles:
        if a.article_id in seen:
            continue  # the same text twice in one batch is one article
        seen.add(a.article_id)
        for k in PER_ARTICLE:
            merged[k].extend(results[a.article_id][k])
    return _frames(merged)


def aggregate(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """All eight tables from the per-article ones: adds actors, places, links and story ids."""
    out = {k: tables[k] for k in PER_ARTICLE}
    out["events"] = schema.validate("events", assign_stories(tables["events"], tables["event_actors"]))
    out["actors"] = schema.validate("actors", actors_table(tables["mentions"], tables["articles"]))
    out["places"] = schema.validate("places", places_table(tables["mentions"], out["events"]))
    out["links"] = schema.validate("links", build_links(out["events"], out["places"], tables["mentions"]))
    return out


def extract_tables(inputs, *, progress=None, cache_dir=None, nlp=None, geocode=None, warn=None):
    """(tables, errors) for the files and folders in `inputs`: every table as a DataFrame, and
    an IngestError for each input that could not be read (the rest still goes through).

    `geocode` (default: NEWSDASH_GEOCODER=nominatim) looks up places the offline gazetteer
    has no coordinates for; its failures go to `warn(message)`, never stop the extraction.
    """
    articles, errors = read_paths(list(inputs))
    tables = aggregate(analyse_articles(articles, progress=progress, cache_dir=cache_dir, nlp=nlp))
    if geocode or (geocode is None and enabled_from_env()):
        places, warnings = fill_coordinates(tables["places"], Geocoder())
        tables["places"] = places
        tables["links"] = schema.validate("links", build_links(tables["events"], places, tables["mentions"]))
        for w in warnings:
            if warn:
                warn(w)
    return tables, errors
