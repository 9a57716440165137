"""One article in, its rows out: the one place that runs the extraction steps in order.

`analyse_doc` turns one parsed article into the rows of the per-article tables (articles,
mentions, events, event_actors, quantities); `analyse` parses a batch with `nlp.pipe` and
yields each article's rows. Caching and the corpus-level tables live in `core.corpus.build`.
"""
from __future__ import annotations

import bisect
import json

import pandas as pd

from core import schema
from core.extract.claims import figure_claims
from core.extract.dates import find_dates, iso
from core.extract.events import drop_repeats, extract_events, merge_duplicates, merge_retellings, resolve_sentence_dates
from core.extract.mentions import find_mentions
from core.extract.nlp import sentence_bounds, sentences, span_text, word_offsets
from core.extract.quantities import KEY_CATEGORIES, extract_quantities
from core.model import ANALYSED_KINDS, Article
from core.vocab import Precision

PER_ARTICLE = ("articles", "mentions", "events", "event_actors", "quantities")
BATCH_SIZE = 16


def analyse_doc(article: Article, doc) -> dict[str, list[dict]]:
    """Rows of the per-article tables for one parsed article (pure: no I/O)."""
    kind = article.segment_lookup()
    skip = _skip_lookup(article, kind)
    sents = list(sentences(doc))
    sent_of = _sentence_index([s.start_char for s in sents])

    mentions = find_mentions(doc, skip=skip)
    ref = article.reference_date or article.published
    dates_by_sent = {s.start_char: resolve_sentence_dates(s, ref, find_dates)
                     for s in sents if span_text(s).strip() and not skip(s.start_char)}
    events = extract_events(doc, mentions, dates_by_sent, skip=skip,
                            published=article.published if article.published_precision else None,
                            published_precision=article.published_precision)
    events = merge_retellings(merge_duplicates(drop_repeats(events, kind)))
    event_rows, actor_rows = _event_rows(article, events, sent_of)
    quantities = _without_repeats(extract_quantities(doc, skip=skip), kind)
    claims = figure_claims(doc, quantities, mentions, dates_by_sent, article.published,
                           article.published_precision)
    quantities, claims = _one_row_per_claim(quantities, claims)
    return {
        "articles": [_article_row(article, doc, skip)],
        "mentions": [_mention_row(article.article_id, m, sent_of, kind) for m in mentions],
        "events": event_rows,
        "event_actors": actor_rows,
        "quantities": _quantity_rows(article, doc, quantities, claims, events, event_rows, sents, sent_of),
    }


def _skip_lookup(article: Article, kind):
    """A function offset -> True when the segment there is not analysed (`kind(offset)` not in
    ANALYSED_KINDS), read from a table of the text's characters: the steps ask it for nearly
    every token, several times."""
    segs = sorted(article.segments, key=lambda s: s.start)
    skipped = bytearray(len(article.text) + 1)
    for i, seg in enumerate(segs):
        # as segment_lookup: an offset belongs to the last segment starting at or before it
        end = min(seg.end, segs[i + 1].start) if i + 1 < len(segs) else seg.end
        if seg.kind not in ANALYSED_KINDS and seg.start < end:
            lo, hi = max(0, seg.start), min(end, len(skipped))
            skipped[lo:hi] = b"\x01" * max(0, hi - lo)
    size = len(skipped)
    return lambda off: bool(skipped[off]) if 0 <= off < size else kind(off) not in ANALYSED_KINDS


def _article_row(article: Article, doc, skip) -> dict:
    return {
        "article_id": article.article_id, "file": article.file, "title": article.title,
        "source": article.source, "url": article.url, "published": iso(article.published),
        "published_precision": article.published_precision,
        "n_words": sum(1 for off in word_offsets(doc) if not skip(off)),
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
        "coref": m.coref,
    }


def _event_rows(article: Article, events, sent_of) -> tuple[list[dict], list[dict]]:
    """(events rows, event_actors rows); event ids are the article id and a running number."""
    rows, actor_rows = [], []
    for n, e in enumerate(events):
        eid = f"{article.article_id}-e{n:03d}"
        s_start, s_end = sentence_bounds(e.sent)
        rows.append({
            "event_id": eid, "story_id": None, "article_id": article.article_id,
            "sentence_id": sent_of(e.sent.start_char),
            "date": iso(e.date), "date_precision": e.precision if e.date else None,
            "date_end": iso(e.date_end) if e.date else None,
            "type": e.type, "cameo": e.cameo, "status": e.status,
            "actors": ";".join(dict.fromkeys(a for a, _ in e.actors)),
            "origin": e.origin, "destination": e.destination, "location": e.location,
            "trigger": e.trigger.text, "start_char": e.trigger.idx, "end_char": e.trigger.idx + len(e.trigger),
            "sentence_start": s_start, "sentence_end": s_end, "sentence": article.text[s_start:s_end],
            "evidence": json.dumps([list(_trimmed(e.sent.doc, span)) for span in e.spans()]),
        })
        actor_rows += [{"event_id": eid, "actor": name, "role": role} for name, role in e.actors]
    return rows, actor_rows


def _without_repeats(quantities, kind) -> list:
    """`quantities` without headline or caption figures that the body gives too: one fact,
    counted once."""
    body = {(q.value, q.category) for q in quantities if kind(q.start) == "body"}
    return [q for q in quantities if kind(q.start) == "body" or (q.value, q.category) not in body]


def _one_row_per_claim(quantities, claims) -> tuple[list, list]:
    """`quantities` and their `claims` without a key figure that repeats one stated before by
    the same claimant (the lead and the body telling one estimate): one fact, one row."""
    seen, keep_q, keep_c = set(), [], []
    for q, c in zip(quantities, claims, strict=True):
        key = (q.value, q.value_max, q.category, c.claimant)
        if q.category in KEY_CATEGORIES and c.claimant is not None and q.qualifier != "vague" and key in seen:
            continue
        seen.add(key)
        keep_q.append(q)
        keep_c.append(c)
    return keep_q, keep_c


def _quantity_rows(article, doc, quantities, claims, events, event_rows, sents, sent_of) -> list[dict]:
    rows = []
    event_of_token: dict[int, dict] = {}
    for e, row in zip(events, event_rows, strict=True):
        event_of_token.setdefault(e.trigger.i, row)
    for n, (q, claim) in enumerate(zip(quantities, claims, strict=True)):
        span = doc.char_span(q.start, q.end, alignment_mode="expand")
        sent = sents[sent_of(q.start)]
        s_start, s_end = sentence_bounds(sent)
        event = _event_for(span, event_of_token)
        day, precision, since = iso(claim.date), claim.precision if claim.date else None, iso(claim.since)
        if event is not None and event["date_end"] and since is None:
            # a figure of an event spanning a period counts since its start and holds at its end
            since = event["date"]
            if day is None:
                day, precision = event["date_end"], _end_precision(event["date_end"])
        elif day is None and event is not None and claim.claimant is None and claim.since is None:
            # a figure no one claims holds for the event it counts; a running total has no day
            day, precision = event["date"], event["date_precision"]
        rows.append({
            "quantity_id": f"{article.article_id}-q{n:03d}", "article_id": article.article_id,
            "event_id": event["event_id"] if event else None,
            "sentence_id": sent_of(q.start), "value": q.value, "value_max": q.value_max,
            "qualifier": q.qualifier, "unit": q.unit, "category": q.category, "item": q.item,
            "claimant": claim.claimant, "date": day, "date_precision": precision, "since": since,
            "text": q.text, "start_char": q.start, "end_char": q.end,
            "sentence_start": s_start, "sentence_end": s_end, "sentence": article.text[s_start:s_end],
        })
    return rows


def _end_precision(end: str) -> str:
    """Precision of a period's end date (ISO): month-precise dates are stored as the 1st."""
    return Precision.MONTH if end.endswith("-01") else Precision.DAY


def _trimmed(doc, span: tuple[int, int]) -> tuple[int, int]:
    """The sentence offsets `span` narrowed to the sentence's words (see `sentence_bounds`)."""
    sent = doc.char_span(span[0], span[1], alignment_mode="expand")
    return sentence_bounds(sent) if sent is not None and len(sent) else span


def _event_for(span, event_of_token: dict) -> dict | None:
    """The row of the event whose trigger governs `span`, or None."""
    if span is None:
        return None
    for t in [span.root, *span.root.ancestors]:
        if t.i in event_of_token:
            return event_of_token[t.i]
    return None


def _sentence_index(starts: list[int]):
    """A function offset -> index of the sentence holding it, given the sentences' starts."""
    return lambda off: max(0, bisect.bisect_right(starts, off) - 1)


def frames(rows: dict[str, list[dict]]) -> dict[str, pd.DataFrame]:
    """The per-article tables as schema-checked DataFrames, from lists of row dicts."""
    out = {}
    for name in PER_ARTICLE:
        df = pd.DataFrame(rows[name], columns=schema.columns(name)) if rows[name] else schema.empty(name)
        out[name] = schema.validate(name, df)
    return out


def analyse(articles: list[Article], nlp):
    """(article, rows) for each of `articles`, parsed in one batched `nlp.pipe` run."""
    texts = (a.analysed_text() for a in articles)
    for article, doc in zip(articles, nlp.pipe(texts, batch_size=BATCH_SIZE), strict=True):
        rows = analyse_doc(article, doc)
        # The per-Doc caches (sentence Spans) point back at the Doc: dropped, the Doc and its
        # arrays are freed as soon as it is done with, not at the cycle collector's next pass.
        doc.user_data.clear()
        yield article, rows

