"""A cheap, deterministic fake pipeline for the review tests: events from a few trigger words,
actors and places from small name lists, figures from "<digits> <noun>s". Setting
`VERSION[0] = 2` (or env FAKE_REVIEW_V2=1) imitates a new pipeline version: event and figure
numbering changes, triggers take one more word, and "reported" is no longer an event."""
from __future__ import annotations

import json
import os
import re

import pandas as pd

from core import schema
from core.corpus import build
from core.corpus import store as store_mod
from core.corpus.corrected import sentence_around
from core.corpus.store import open_store

VERSION = [1]
TRIGGERS = {"visited": "visit", "met": "meeting", "shipped": "transfer", "reported": "statement", "said": "statement"}
ACTORS = {"Putin": ("Vladimir Putin", "person", "RUS"), "Vladimir Putin": ("Vladimir Putin", "person", "RUS"),
          "Kim Jong Un": ("Kim Jong Un", "person", "PRK"), "North Korea": ("North Korea", "state", "PRK"),
          "Russia": ("Russia", "state", "RUS"), "KCNA": ("KCNA", "media", "PRK"),
          "Korean Central News Agency": ("Korean Central News Agency", "media", "PRK"),
          "Foreign Affairs": ("Foreign Affairs", "organisation", None)}
PLACES = {"Pyongyang": (39.03, 125.75), "Vladivostok": (43.12, 131.89), "Moscow": (55.75, 37.62)}
FIGURE = re.compile(r"\b(\d[\d,]*) (missile|container|shell|soldier)s?\b")


def _v2() -> bool:
    return VERSION[0] == 2 or os.environ.get("FAKE_REVIEW_V2") == "1"


def _names(text: str, table: dict) -> list[tuple[int, int, str]]:
    """(start, end, surface) of each name of `table` in `text`, longest first where they overlap."""
    hits = []
    for surface in sorted(table, key=len, reverse=True):
        for m in re.finditer(rf"\b{re.escape(surface)}\b", text):
            if all(m.end() <= s or m.start() >= e for s, e, _ in hits):
                hits.append((m.start(), m.end(), surface))
    return sorted(hits)


def fake_analyse(articles, *, progress=None, workers=None):
    """The five per-article tables of `articles` (see the module docstring)."""
    rows = {k: [] for k in store_mod.PER_ARTICLE}
    v2 = _v2()
    for a in articles:
        text, aid = a.text, a.article_id
        rows["articles"].append({
            "article_id": aid, "file": a.file, "title": a.title, "source": a.source, "url": a.url,
            "published": a.published.isoformat() if a.published else None,
            "published_precision": "day" if a.published else None, "n_words": len(text.split()),
            "content_hash": a.content_hash, "text": text, "segments": "[]"})
        starts = [0] + [m.end() + 1 for m in re.finditer(r"[.!?](?=\s)", text)]
        sent_of = lambda pos, starts=starts: sum(1 for s in starts if s <= pos) - 1  # noqa: E731
        actors = _names(text, ACTORS)
        places = _names(text, PLACES)
        for s, e, surface in actors:
            name, type_, country = ACTORS[surface]
            rows["mentions"].append({"article_id": aid, "sentence_id": sent_of(s), "kind": "actor", "name": name,
                                     "surface": surface, "start_char": s, "end_char": e, "in_caption": False,
                                     "type": type_, "country": country, "code": None, "lat": None, "lon": None,
                                     "coref": False})
        for s, e, surface in places:
            lat, lon = PLACES[surface]
            rows["mentions"].append({"article_id": aid, "sentence_id": sent_of(s), "kind": "place", "name": surface,
                                     "surface": surface, "start_char": s, "end_char": e, "in_caption": False,
                                     "type": None, "country": None, "code": None, "lat": lat, "lon": lon,
                                     "coref": False})
        triggers = [m for m in re.finditer(r"\b(" + "|".join(TRIGGERS) + r")\b", text)
                    if not (v2 and m.group() == "reported")]
        events = []
        for m in triggers:
            ss, se = sentence_around(text, m.start(), m.end())
            names = [ACTORS[x][0] for s, e, x in actors if ss <= s < se]
            where = [x for s, e, x in places if ss <= s < se]
            end = m.end() + (len(text[m.end():].split(" ", 2)[1]) + 1 if v2 and " " in text[m.end():] else 0)
            events.append({c: None for c in schema.columns("events")} | {
                "article_id": aid, "sentence_id": sent_of(m.start()), "date": a.published.isoformat(),
                "date_precision": "day", "type": TRIGGERS[m.group()], "cameo": "00", "status": "reported",
                "actors": ";".join(dict.fromkeys(names)) or None,
                "destination": where[0] if where and m.group() == "visited" else None,
                "origin": "Moscow" if where and m.group() == "visited" else None,
                "trigger": text[m.start():end], "start_char": m.start(), "end_char": end,
                "sentence_start": ss, "sentence_end": se, "sentence": text[ss:se], "evidence": json.dumps([[ss, se]]),
                "_actors": list(dict.fromkeys(names))})
        if v2:
            events.reverse()
        for n, ev in enumerate(events):
            ev["event_id"] = f"{aid}-e{n:03d}"
            for i, name in enumerate(ev.pop("_actors")):
                rows["event_actors"].append({"event_id": ev["event_id"], "actor": name,
                                             "role": "source" if i == 0 else "target"})
            rows["events"].append(ev)
        figures = list(FIGURE.finditer(text))
        if v2:
            figures.reverse()
        for n, m in enumerate(figures):
            ss, se = sentence_around(text, m.start(), m.end())
            rows["quantities"].append({c: None for c in schema.columns("quantities")} | {
                "quantity_id": f"{aid}-q{n:03d}", "article_id": aid, "sentence_id": sent_of(m.start()),
                "value": float(m.group(1).replace(",", "")), "qualifier": "exact", "unit": m.group(2),
                "category": "missile" if m.group(2) == "missile" else "other", "date": a.published.isoformat(),
                "date_precision": "day", "text": m.group(), "start_char": m.start(), "end_char": m.end(),
                "sentence_start": ss, "sentence_end": se, "sentence": text[ss:se]})
    return {k: schema.validate(k, pd.DataFrame(v, columns=schema.columns(k))) for k, v in rows.items()}


def make_store(path, **kwargs):
    """A store at `path` on the fake pipeline and the real corpus aggregation."""
    return open_store(path, seed=False, analyse=fake_analyse, aggregate=build.aggregate, model="fake", **kwargs)
