"""Benchmark of the dashboard's filtering and aggregation on a large synthetic corpus.

    .venv/bin/python benchmarks/bench_dashboard.py [--events 100000] [--repeat 5]

Builds N synthetic events (with articles, actors, mentions, figures, links in proportion),
then reports the median time of: each kind of filter change (core.query.filters.filter_tables, what
every page calls), the per-page aggregations (core.query.views), and a first render of the Overview
and of the Timeline in AppTest. Target: a filter change under 100 ms at 100,000 events.
Not a test: it prints a table and exits 1 only when filtering misses the target.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from core import schema  # noqa: E402
from core.query import filters as flt  # noqa: E402
from core.query import views  # noqa: E402

TYPES = ["visit", "meeting", "agreement", "transfer", "strike", "statement", "transport", "other"]
STATUSES = ["reported", "planned", "alleged", "denied"]
OUTLETS = ["Yonhap", "Reuters", "AP", "Kyiv Independent", "KCNA", "TASS", "NK News", "BBC", None]
PLACES = {"Pyongyang": ("PRK", 39.03, 125.75), "Moscow": ("RUS", 55.75, 37.62), "Vladivostok": ("RUS", 43.12, 131.89),
          "Kharkiv": ("UKR", 49.99, 36.23), "Seoul": ("KOR", 37.57, 126.98), "Rason": ("PRK", 42.26, 130.3),
          "Khabarovsk": ("RUS", 48.48, 135.08), "Kyiv": ("UKR", 50.45, 30.52)}
WORDS = ("shipped containers missiles shells delegation visited treaty summit strike drones artillery rail port "
         "ammunition officials said according to intelligence reported talks cooperation military").split()
CATEGORIES = {"container": "container", "missile": "missile", "round": "munition", "soldier": "personnel"}


def synthetic_tables(n_events: int, seed: int = 0) -> dict[str, pd.DataFrame]:
    """Schema-valid tables with `n_events` events: 1 article per 20 events, 1-3 actors per
    event, 2 mentions per event, 1 figure per 5 events; dates 2020-2025, mixed precision."""
    rng = np.random.default_rng(seed)
    n_articles, n_actors = max(n_events // 20, 1), 400
    article_ids = np.array([f"{i:016x}" for i in range(n_articles)])
    published = pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 2000, n_articles), unit="D")
    articles = pd.DataFrame({
        "article_id": article_ids, "file": [f"a{i}.txt" for i in range(n_articles)],
        "title": [f"Article {i}" for i in range(n_articles)], "source": rng.choice(np.array(OUTLETS, dtype=object), n_articles),
        "url": None, "published": published.strftime("%Y-%m-%d"), "published_precision": "day",
        "n_words": rng.integers(200, 2000, n_articles), "content_hash": article_ids, "text": "", "segments": "[]",
    })
    actor_names = np.array([f"Actor {i}" for i in range(n_actors)])
    actors = pd.DataFrame({
        "name": actor_names, "type": rng.choice(["person", "organisation", "state", "media"], n_actors),
        "country": rng.choice(["RUS", "PRK", "UKR", "KOR", "USA"], n_actors), "code": "XXX", "aliases": actor_names,
        "n_articles": 1, "n_mentions": 1, "first_seen": "2020-01-01", "last_seen": "2025-06-01",
    })
    ev_article = rng.integers(0, n_articles, n_events)
    days = pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 2000, n_events), unit="D")
    precision = rng.choice(np.array(["day", "month", "year", None], dtype=object), n_events, p=[0.6, 0.25, 0.05, 0.1])
    date = np.where(precision == "month", days.strftime("%Y-%m-01"), np.where(precision == "year", days.strftime("%Y-01-01"), days.strftime("%Y-%m-%d")))
    date = np.where(pd.isna(precision), None, date)
    sentences = [" ".join(rng.choice(WORDS, 12)) + "." for _ in range(2000)]
    event_ids = np.char.add(np.char.add(article_ids[ev_article], "-"), np.arange(n_events).astype(str))
    n_roles = rng.integers(1, 4, n_events)
    ea_event = np.repeat(event_ids, n_roles)
    ea_actor = actor_names[rng.integers(0, n_actors, len(ea_event))]
    roles = np.array(["source", "target", "participant"])[np.concatenate([np.arange(k) for k in n_roles])]
    event_actors = pd.DataFrame({"event_id": ea_event, "actor": ea_actor, "role": roles})
    joined = event_actors.groupby("event_id", sort=False)["actor"].agg(";".join)
    place_names = np.array(list(PLACES))
    events = pd.DataFrame({
        "event_id": event_ids, "story_id": np.char.add("s", (np.arange(n_events) // 2).astype(str)),
        "article_id": article_ids[ev_article], "sentence_id": rng.integers(0, 40, n_events), "date": date, "date_end": None,
        "date_precision": precision, "type": rng.choice(TYPES, n_events), "cameo": "04",
        "status": rng.choice(STATUSES, n_events, p=[0.7, 0.15, 0.1, 0.05]), "actors": joined.reindex(event_ids).to_numpy(),
        "origin": rng.choice(place_names, n_events), "destination": rng.choice(place_names, n_events), "location": None,
        "trigger": "visited", "start_char": 0, "end_char": 7, "sentence_start": 0, "sentence_end": 80,
        "sentence": rng.choice(np.array(sentences, dtype=object), n_events),
    })
    n_q = n_events // 5
    q_event = rng.integers(0, n_events, n_q)
    units = rng.choice(list(CATEGORIES), n_q)
    quantities = pd.DataFrame({
        "quantity_id": np.char.add("q", np.arange(n_q).astype(str)), "article_id": events["article_id"].to_numpy()[q_event],
        "event_id": event_ids[q_event], "sentence_id": events["sentence_id"].to_numpy()[q_event],
        "value": rng.integers(1, 20000, n_q).astype(float), "value_max": None,
        "qualifier": rng.choice(["exact", "about", "more_than"], n_q), "unit": units,
        "category": [CATEGORIES[u] for u in units], "item": None, "claimant": actor_names[rng.integers(0, n_actors, n_q)],
        "date": events["date"].to_numpy()[q_event], "date_precision": precision[q_event], "since": None,
        "text": "1,000 containers",
        "start_char": 0, "end_char": 5, "sentence_start": 0, "sentence_end": 80, "sentence": events["sentence"].to_numpy()[q_event],
    })
    n_m = 2 * n_events
    m_event = rng.integers(0, n_events, n_m)
    is_place = rng.random(n_m) < 0.3
    mentions = pd.DataFrame({
        "article_id": events["article_id"].to_numpy()[m_event], "sentence_id": events["sentence_id"].to_numpy()[m_event],
        "kind": np.where(is_place, "place", "actor"),
        "name": np.where(is_place, rng.choice(place_names, n_m), actor_names[rng.integers(0, n_actors, n_m)]),
        "surface": "x", "start_char": 0, "end_char": 1, "in_caption": False, "type": None, "country": None, "code": None,
        "lat": None, "lon": None, "coref": False,
    })
    places = pd.DataFrame({"name": place_names, "country": [PLACES[p][0] for p in place_names],
                           "lat": [PLACES[p][1] for p in place_names], "lon": [PLACES[p][2] for p in place_names],
                           "n_articles": 1, "n_mentions": 1})
    moves = events[events["type"].isin(["transfer", "transport", "strike", "visit"])]
    links = moves.groupby(["origin", "destination", "type"]).agg(
        n_events=("event_id", "size"), n_articles=("article_id", "nunique"), first_date=("date", "min"),
        last_date=("date", "max"), event_ids=("event_id", ";".join)).reset_index()
    for end in ("origin", "destination"):
        links[f"{end}_lat"] = links[end].map(lambda p: PLACES[p][1])
        links[f"{end}_lon"] = links[end].map(lambda p: PLACES[p][2])
    links["distance_km"] = 1000.0
    raw = {"articles": articles, "mentions": mentions, "events": events, "event_actors": event_actors,
           "quantities": quantities, "actors": actors, "places": places, "links": links}
    return {name: schema.validate(name, df) for name, df in raw.items()}


def median_ms(fn, repeat: int) -> float:
    """Median wall time of `fn()` over `repeat` runs, in milliseconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def filter_cases(tables) -> dict[str, flt.Filters]:
    """One filter change of each kind the sidebar offers, plus all at once."""
    actors = tuple(tables["actors"]["name"][:2])
    return {
        "actors (2)": flt.Filters(actors=actors),
        "date range (1 year)": flt.Filters(date_from="2023-01-01", date_to="2023-12-31"),
        "event types (2)": flt.Filters(types=("transfer", "strike")),
        "status (1)": flt.Filters(statuses=("planned",)),
        "sources (2)": flt.Filters(sources=("Yonhap", "Reuters")),
        "text search": flt.Filters(text="containers"),
        "all of the above": flt.Filters(actors=actors, date_from="2021-01-01", date_to="2024-12-31",
                                        types=("transfer", "strike", "visit"), statuses=("reported",),
                                        sources=("Yonhap", "Reuters", "AP"), text="missiles"),
    }


def apptest_ms(tables, page: str | None) -> float:
    """Wall time of a first render of dashboard.py (and `page`) in AppTest, cold caches."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    import ui.data

    class Store:
        path, version = "memory://bench", staticmethod(lambda: "1")

        @staticmethod
        def tables():
            return tables

    ui.data.corpus_store = lambda: Store
    st.cache_data.clear()
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=300)
    start = time.perf_counter()
    at.run()
    if page:
        at.switch_page(page).run()
    elapsed = (time.perf_counter() - start) * 1000
    if at.exception:
        raise RuntimeError(at.exception[0].value)
    return elapsed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-apptest", action="store_true", help="skip the AppTest render timings")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    tables = synthetic_tables(args.events)
    print(f"built {len(tables['events']):,} events, {len(tables['articles']):,} articles, "
          f"{len(tables['mentions']):,} mentions, {len(tables['quantities']):,} figures "
          f"in {time.perf_counter() - start:.1f} s\n")

    start = time.perf_counter()
    index = flt.filter_index(tables)
    print(f"filter index (once per corpus version): {(time.perf_counter() - start) * 1000:.0f} ms\n")
    rows, worst = [], 0.0
    for name, filters in filter_cases(tables).items():
        shown = flt.filter_tables(tables, filters, index)
        all_ms = median_ms(lambda: flt.filter_tables(tables, filters, index), args.repeat)
        worst = max(worst, all_ms)
        rows.append((f"filter: {name}", len(shown["events"]), all_ms))
    print(f"{'filter change':32} {'events kept':>12} {'all tables ms':>14}")
    for name, kept, all_ms in rows:
        print(f"{name:32} {kept:>12,} {all_ms:>14.1f}")

    aggregations = {
        "overview: headline figures": lambda: views.headline_figures(tables["quantities"], tables["articles"]),
        "overview: active actors": lambda: views.active_actors(tables["events"], tables["event_actors"], tables["actors"]),
        "timeline: stories": lambda: views.stories(tables["events"], tables["articles"]),
        "timeline: events per month": lambda: views.events_per_period(tables["events"]),
        "actors: network edges": lambda: views.network_edges(tables["events"], tables["event_actors"]),
        "quantities: series": lambda: views.quantity_series(tables["quantities"], tables["articles"]),
        "map: arcs": lambda: views.link_arcs(tables["links"]),
        "filter options": lambda: flt.filter_options(tables),
    }
    print(f"\n{'aggregation (unfiltered corpus)':32} {'ms':>10}")
    for name, fn in aggregations.items():
        print(f"{name:32} {median_ms(fn, max(1, args.repeat // 2)):>10.1f}")

    if not args.no_apptest:
        print(f"\n{'AppTest first render (cold cache)':40} {'ms':>10}")
        for label, page in (("overview", None), ("timeline", "pages/timeline.py")):
            print(f"{label:40} {apptest_ms(tables, page):>10.0f}")

    verdict = "meets" if worst < 100 else "MISSES"
    print(f"\nslowest filter change over all tables: {worst:.1f} ms ({verdict} the 100 ms target)")
    return 0 if worst < 100 else 1


if __name__ == "__main__":
    raise SystemExit(main())
