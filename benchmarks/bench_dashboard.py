"""Benchmark of the dashboard on a large synthetic corpus store, in one run.

    .venv/bin/python benchmarks/bench_dashboard.py [--events 100000] [--repeat 3] [--pandas]
        [--no-apptest] [--no-browser] [--port 8611] [--render-timeout 120]
    .venv/bin/python benchmarks/bench_dashboard.py --seeds [--port 8611]

Builds N synthetic events (with articles, actors, 3 mentions per event, a figure per 5 events,
links in proportion), writes them as a corpus store (manifest + gen/1/corpus/*.parquet) and
times sql.prepare (what the dashboard's first connection to a store version computes once).
Then, in a fresh process that holds only what the dashboard holds, it reports: opening the
store (DuckDB views over the Parquet and prepared files, the filter choices, the event count),
each kind of filter change (the sidebar's event count cold, and the Overview's summary), each
page's queries as ui.data asks them, unfiltered and under two filters (each run timed as a
first view after a filter change: sql's kept sets dropped and the event count run first,
untimed, as the sidebar runs it), the process's peak
resident memory, and a first AppTest render. Last, each page's first render in headless
Chromium (/usr/bin/chromium, every non-localhost request aborted): on a cold server (a new
`streamlit run` per page) and on a warm one (the Overview drawn once before, each page in a
new browser session), timed from navigation until the page's heading and first chart are
drawn, then from a click on each page's sidebar link in one browser (an analyst going from
page to page), with the server's resident memory. benchmarks/bench_streamlit_floor.py times
the same first render for a page with nothing but Streamlit's own elements (the floor).
`--seeds` instead starts the app on a new store (it seeds itself from seeds/ with a progress
bar, with an empty result cache) and times that very first start until the Overview's heading
and first chart, then the pages. `--pandas` also times the previous pure-pandas path in the
building process.
Targets at 1,000,000 events: open < 3 s, filter change < 100 ms, page queries < 300 ms,
resident memory < 1.5 GB; first render < 2 s (on the seed store). Not a test: it prints
tables and exits 1 when a target is missed.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "benchmarks"), str(REPO / "tests")]

from core import schema  # noqa: E402
from core.query import filters as flt  # noqa: E402
from core.query import sql, views  # noqa: E402

TARGETS_MS = {"open": 3000, "filter": 100, "page": 300}
TARGET_RSS_MB = 1536
TARGET_RENDER_S = 2.0

TYPES = ["visit", "meeting", "agreement", "transfer", "strike", "statement", "transport", "other"]
STATUSES = ["reported", "planned", "alleged", "denied"]
REVIEW = ["auto", "corrected", "added", "reviewed"]
OUTLETS = ["Yonhap", "Reuters", "AP", "Kyiv Independent", "KCNA", "TASS", "NK News", "BBC", None]
PLACES = {"Pyongyang": ("PRK", 39.03, 125.75), "Moscow": ("RUS", 55.75, 37.62), "Vladivostok": ("RUS", 43.12, 131.89),
          "Kharkiv": ("UKR", 49.99, 36.23), "Seoul": ("KOR", 37.57, 126.98), "Rason": ("PRK", 42.26, 130.3),
          "Khabarovsk": ("RUS", 48.48, 135.08), "Kyiv": ("UKR", 50.45, 30.52)}
WORDS = ["shipped", "containers", "missiles", "shells", "delegation", "visited", "treaty", "summit", "strike",
         "drones", "artillery", "rail", "port", "ammunition", "officials", "said", "according", "to", "intelligence",
         "reported", "talks", "cooperation", "military"]
CATEGORIES = {"container": "container", "missile": "missile", "round": "munition", "soldier": "personnel"}


def synthetic_tables(n_events: int, seed: int = 0) -> dict[str, pd.DataFrame]:
    """Schema-valid tables with `n_events` events: 1 article per 20 events, 1-3 actors per
    event, 3 mentions per event, 1 figure per 5 events; dates 2020-2025, mixed precision."""
    rng = np.random.default_rng(seed)
    n_articles, n_actors = max(n_events // 20, 1), 400
    article_ids = np.array([f"{i:016x}" for i in range(n_articles)])
    published = pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 2000, n_articles), unit="D")
    articles = pd.DataFrame({
        "article_id": article_ids, "file": [f"a{i}.txt" for i in range(n_articles)],
        "title": [f"Article {i}" for i in range(n_articles)],
        "source": rng.choice(np.array(OUTLETS, dtype=object), n_articles),
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
    date = np.where(precision == "month", days.strftime("%Y-%m-01"),
                    np.where(precision == "year", days.strftime("%Y-01-01"), days.strftime("%Y-%m-%d")))
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
        "article_id": article_ids[ev_article], "sentence_id": rng.integers(0, 40, n_events), "date": date,
        "date_end": None,
        "date_precision": precision, "type": rng.choice(TYPES, n_events), "cameo": "04",
        "status": rng.choice(STATUSES, n_events, p=[0.7, 0.15, 0.1, 0.05]),
        "actors": joined.reindex(event_ids).to_numpy(),
        "origin": rng.choice(place_names, n_events), "destination": rng.choice(place_names, n_events), "location": None,
        "trigger": "visited", "start_char": 0, "end_char": 7, "sentence_start": 0, "sentence_end": 80,
        "sentence": rng.choice(np.array(sentences, dtype=object), n_events), "evidence": "[[0, 80]]",
    })
    n_q = n_events // 5
    q_event = rng.integers(0, n_events, n_q)
    units = rng.choice(list(CATEGORIES), n_q)
    quantities = pd.DataFrame({
        "quantity_id": np.char.add("q", np.arange(n_q).astype(str)),
        "article_id": events["article_id"].to_numpy()[q_event],
        "event_id": event_ids[q_event], "sentence_id": events["sentence_id"].to_numpy()[q_event],
        "value": rng.integers(1, 20000, n_q).astype(float), "value_max": None,
        "qualifier": rng.choice(["exact", "about", "more_than"], n_q), "unit": units,
        "category": [CATEGORIES[u] for u in units], "item": None,
        "claimant": actor_names[rng.integers(0, n_actors, n_q)],
        "date": events["date"].to_numpy()[q_event], "date_precision": precision[q_event], "since": None,
        "text": "1,000 containers",
        "start_char": 0, "end_char": 5, "sentence_start": 0, "sentence_end": 80,
        "sentence": events["sentence"].to_numpy()[q_event],
    })
    n_m = 3 * n_events
    m_event = rng.integers(0, n_events, n_m)
    is_place = rng.random(n_m) < 0.3
    mentions = pd.DataFrame({
        "article_id": events["article_id"].to_numpy()[m_event],
        "sentence_id": events["sentence_id"].to_numpy()[m_event],
        "kind": np.where(is_place, "place", "actor"),
        "name": np.where(is_place, rng.choice(place_names, n_m), actor_names[rng.integers(0, n_actors, n_m)]),
        "surface": "x", "start_char": 0, "end_char": 1, "in_caption": False, "type": None, "country": None,
        "code": None,
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
    # review values from their own generator, so the other columns stay as they were drawn
    review_rng = np.random.default_rng(seed + 1)
    for table in (events, quantities):
        table["review"] = review_rng.choice(REVIEW, len(table), p=[0.85, 0.05, 0.02, 0.08])
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


def after_filter_change_ms(con, filters: flt.Filters, fn, repeat: int) -> float:
    """Median wall time of `fn()` (ms) over `repeat` runs, each as the first view of a page after
    a change to `filters`: every kept set sql keeps is dropped, then the sidebar's event count
    runs (untimed, as the app runs it first; it keeps the filters' kept events), then `fn` is timed."""
    times = []
    for _ in range(repeat):
        sql.drop_kept_sets(con)
        sql.count_events(con, filters)
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def filter_cases(actors: tuple[str, ...]) -> dict[str, flt.Filters]:
    """One filter change of each kind the sidebar offers, plus all at once."""
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


def ask(con, name: str, filters: flt.Filters, **kwargs):
    """Page query `name` as ui.data.page_query answers it (before its cache): the prepared
    unfiltered result when there is one, else the query."""
    kept = sql.prepared_result(con, name, filters, kwargs)
    return kept if kept is not None else sql.page_queries()[name](con, filters, **kwargs)


# What each page asks core.query.sql for on a run (ui/data.py caches each by version and filters).
PAGES = {
    "overview": lambda con, f: (ask(con, "summary", f), ask(con, "summary", flt.Filters()),
                                ask(con, "headline_figures", f), ask(con, "active_actors", f, n=10),
                                ask(con, "latest_events", f, n=10)),
    "timeline": lambda con, f: ask(con, "timeline", f, n=1000, limit=500),  # widgets.CHART_MAX, PAGE_ROWS
    "actors: network": lambda con, f: ask(con, "network_edges", f),
    "quantities": lambda con, f: ask(con, "quantity_series", f),
    # The pages that list tables (ui.data.View.shown: sql.kept_table per table, when filtered).
    "map: places, links, a link's events": lambda con, f: (
        shown(con, f, "places"), links := shown(con, f, "links"),
        ask(con, "events_with_ids", f, ids=links["event_ids"].iloc[0] if len(links) else "")),
    "actors: table, an actor's events": lambda con, f: (
        actors := shown(con, f, "actors"),
        ask(con, "actor_events", f, actor=actors["name"].iloc[0] if len(actors) else "")),
    "articles: listing, an article's rows": lambda con, f: (
        ask(con, "count_articles", f), listing := ask(con, "article_listing", f, offset=0, limit=500),
        [sql.rows_with(con, name, "article_id", listing["article_id"].head(1))
         for name in ("articles", "mentions", "events", "quantities")]),
    # The Tables page past 100,000 rows: each table's count, and the first page of events.
    "tables: counts, a page of events": lambda con, f: (
        ask(con, "table_sizes", f),
        ask(con, "table_page", f, table="events", offset=0, limit=500)),
}


def shown(con, filters: flt.Filters, table: str):
    """ui.data.View.shown[table]: the filtered table from SQL; unfiltered, the stored table
    (read here through DuckDB; the server reads its Parquet file once per version)."""
    return sql.kept_table(con, filters, table)


def write_store(tables: dict[str, pd.DataFrame], folder: Path) -> Path:
    """A corpus store at `folder` holding `tables` as generation 1 (no raw articles)."""
    import core
    from core.corpus.store import FORMAT, manifest_entries, now_iso, write_tables
    from core.extract.nlp import installed_model_id

    write_tables(folder / "gen" / "1" / "corpus", tables)
    manifest = {"format": FORMAT, "pipeline_version": core.PIPELINE_VERSION, "model": installed_model_id(),
                "generation": 1, "commit": "bench", "updated": now_iso(), "seed_pending": False,
                "articles": manifest_entries(tables["articles"], now_iso())}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM), in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def apptest_ms(store: Path, page: str | None) -> float:
    """Wall time of a first render of dashboard.py (and `page`) in AppTest on `store`, cold caches."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    os.environ["NEWSDASH_STORE"] = str(store)
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=600)
    start = time.perf_counter()
    at.run()
    if page:
        at.switch_page(page).run()
    elapsed = (time.perf_counter() - start) * 1000
    if at.exception:
        raise RuntimeError(at.exception[0].value)
    return elapsed


# The pages in Chromium: (URL path, key of the chart the page draws first, or None: its heading).
BROWSER_PAGES = (("", "overview_actors_chart"), ("timeline", "timeline_chart"), ("map", "map_chart"),
                 ("actors", "actors_network"), ("quantities", "quantities_chart"), ("tables", None), ("articles", None))
# The sidebar link of each page (ui.frame.PAGES), for the in-app visits.
LINK_LABELS = {"": "Overview", "timeline": "Timeline", "map": "Map", "actors": "Actors", "quantities": "Quantities",
               "tables": "Tables & downloads", "articles": "Articles"}
DRAWN_JS = """(key) => !!document.querySelector('h1')
    && (!key || !!document.querySelector('.st-key-' + key + ' .js-plotly-plot .main-svg'))"""
HEADING_JS = "() => !!document.querySelector('h1')"
PATH_JS = "(path) => location.pathname.replace(/\\/$/, '').split('/').pop() === path"
# A page without chart is drawn: its heading (`label`) shows and no element of the page before is left.
SETTLED_JS = """(label) => [...document.querySelectorAll('h1')].some((h) => h.textContent.trim() === label)
    && !document.querySelector('[data-stale="true"]')"""
# The page's script run has ended (Streamlit's own mark on its root element).
IDLE_JS = "() => document.querySelector('[data-testid=\"stApp\"]')?.dataset.testScriptState === 'notRunning'"
PROGRESS_JS = "() => !!document.querySelector('[data-testid=\"stProgress\"], [data-testid=\"stSpinner\"]')"


@contextlib.contextmanager
def served(store: Path, port: int | None):
    """`streamlit run dashboard.py` on `store` at 127.0.0.1:`port` (a free one when None);
    yields (base URL, server pid) once it answers, stops it after."""
    from bench_load import REPO as _repo
    from conftest import free_port, stop_server, wait_for_health

    port = port or free_port()
    env = {**os.environ, "NEWSDASH_STORE": str(store), "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    cmd = [sys.executable, "-m", "streamlit", "run", str(_repo / "dashboard.py"), "--server.headless", "true",
           "--server.port", str(port), "--server.address", "127.0.0.1", "--server.fileWatcherType", "none"]
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_for_health(f"http://127.0.0.1:{port}", proc, timeout=120)
            yield f"http://127.0.0.1:{port}", proc.pid
        finally:
            stop_server(proc)


def time_page(pw, url: str, key: str | None, timeout_s: float) -> tuple[float | None, float | None]:
    """Seconds from navigating a new browser to `url` until its heading is drawn, and until its
    chart `key` is drawn too (the heading's time for a page without chart); None past
    `timeout_s`. A browser of its own, closed after, so a page still drawing a huge chart
    cannot slow the next measurement."""
    from bench_load import CHROMIUM, CHROMIUM_ARGS, new_context

    browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    page = new_context(browser).new_page()
    heading = None
    try:
        start = time.perf_counter()
        page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
        page.wait_for_function(HEADING_JS, timeout=timeout_s * 1000)
        heading = time.perf_counter() - start
        page.wait_for_function(DRAWN_JS, arg=key, timeout=max(timeout_s - heading, 1) * 1000)
        return heading, time.perf_counter() - start
    except Exception:  # a timeout: reported as such
        return heading, None
    finally:
        browser.close()


def in_app_visits(pw, url: str, timeout_s: float) -> dict[str, float | None]:
    """Seconds from a click on each page's sidebar link until the page is drawn (its first chart,
    else its heading with no element of the page before left) and its script run has ended, in
    one browser that opened the Overview first: an analyst going from page to page, Streamlit's
    frontend already loaded. None past `timeout_s`. On return every page's run has ended (the
    server's memory is then measured after the work of every page)."""
    from bench_load import CHROMIUM, CHROMIUM_ARGS, new_context

    browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    times: dict[str, float | None] = {}
    try:
        page = new_context(browser).new_page()
        page.goto(url + "/", wait_until="commit", timeout=timeout_s * 1000)
        page.wait_for_function(DRAWN_JS, arg=BROWSER_PAGES[0][1], timeout=timeout_s * 1000)
        for path, key in (*BROWSER_PAGES[1:], BROWSER_PAGES[0]):
            page.wait_for_timeout(500)  # the page before settles (its late elements, idle callbacks)
            start = time.perf_counter()
            page.locator('[data-testid="stSidebar"] a', has_text=LINK_LABELS[path]).first.click()
            try:
                page.wait_for_function(PATH_JS, arg=path, timeout=timeout_s * 1000)
                if key:
                    page.wait_for_function(DRAWN_JS, arg=key, timeout=timeout_s * 1000)
                else:
                    page.wait_for_function(SETTLED_JS, arg=LINK_LABELS[path], timeout=timeout_s * 1000)
                page.wait_for_function(IDLE_JS, timeout=timeout_s * 1000)
                times[path] = time.perf_counter() - start
            except Exception:  # a timeout: reported as such
                times[path] = None
    finally:
        browser.close()
    return times


def browser_renders(store: Path, port: int | None, timeout_s: float, fresh: bool = False) -> int:
    """Print each page's first render in headless Chromium on `store`: on a cold server (a new
    server per page, the page its first request) and on a warm one (after the Overview was
    drawn once, each page in a new browser); with `fresh` (a store not yet seeded) first the very first
    start: until the progress bar shows and until the first heading. Returns missed targets."""
    from bench_load import CHROMIUM, CHROMIUM_ARGS, new_context, rss_mb
    from playwright.sync_api import sync_playwright

    missed = 0
    with sync_playwright() as pw:
        if fresh:
            with served(store, port) as (url, _pid):
                browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
                page = new_context(browser).new_page()
                start = time.perf_counter()
                page.goto(url + "/", wait_until="commit", timeout=600_000)
                page.wait_for_function(f"() => ({PROGRESS_JS[6:]}) || ({HEADING_JS[6:]})", timeout=600_000)
                shown = time.perf_counter() - start
                page.wait_for_function(HEADING_JS, timeout=600_000)
                heading = time.perf_counter() - start
                page.wait_for_function(DRAWN_JS, arg=BROWSER_PAGES[0][1], timeout=600_000)
                chart = time.perf_counter() - start
                browser.close()
            print(f"\nvery first start on a fresh store (seeded by the app): progress shown after {shown:.1f} s, "
                  f"first heading after {heading:.1f} s (target < 5 s), first chart after {chart:.1f} s")
            missed += heading > 5
        cold = {}
        for path, key in BROWSER_PAGES:
            with served(store, port) as (url, _pid):
                cold[path] = time_page(pw, f"{url}/{path}", key, timeout_s)
        with served(store, port) as (url, pid):
            time_page(pw, url + "/", BROWSER_PAGES[0][1], timeout_s)  # warms the server's caches
            warm = {path: time_page(pw, f"{url}/{path}", key, timeout_s) for path, key in BROWSER_PAGES}
            linked = in_app_visits(pw, url, timeout_s)
            rss = rss_mb(pid)
    print(f"\n{'first render in Chromium (s)':28} {'cold: heading':>14} {'chart':>7} "
          f"{'warm: heading':>14} {'chart':>7} {'by link':>8}")
    for path, _key in BROWSER_PAGES:
        row = [*cold[path], *warm[path], linked[path]]
        missed += any(v is None or v > TARGET_RENDER_S for v in row)
        cells = [f"{v:.2f}" if v is not None else f"> {timeout_s:.0f}" for v in row]
        print(f"{path or 'overview':28} {cells[0]:>14} {cells[1]:>7} {cells[2]:>14} {cells[3]:>7} {cells[4]:>8}")
    print(f"(target < {TARGET_RENDER_S} s. cold: a new server and a new browser per page; warm: a new browser per "
          "page; by link: from a click on the page's sidebar link, in the browser that drew the page before. "
          f"The server's resident memory after these visits: {rss:,.0f} MB)")
    return missed


def serve(store: Path, repeat: int, apptest: bool) -> int:
    """The dashboard's side: open the store, change filters, run each page's queries; print
    the figures and return the number of missed targets."""
    missed = 0
    start = time.perf_counter()
    corpus = store / "gen" / "1" / "corpus"
    con = sql.connect_parquet(corpus, sql.prepare(corpus))
    options = sql.filter_options(con)
    n_events = sql.count_events(con, flt.Filters())
    open_ms = (time.perf_counter() - start) * 1000
    missed += open_ms > TARGETS_MS["open"]
    print(f"open the store (DuckDB views, filter choices, {n_events:,} events counted): {open_ms:.0f} ms\n")

    print(f"{'filter change (cold)':36} {'events kept':>12} {'count ms':>9} {'+ summary ms':>13}")
    cases = filter_cases(options.actors[:2])
    for name, filters in cases.items():
        sql.drop_kept_sets(con)
        cold = time.perf_counter()
        kept = sql.count_events(con, filters)
        count_ms = (time.perf_counter() - cold) * 1000
        summary_ms = after_filter_change_ms(con, filters, lambda filters=filters: sql.corpus_summary(con, filters),
                                            repeat)
        missed += count_ms > TARGETS_MS["filter"]
        print(f"{name:36} {kept:>12,} {count_ms:>9.1f} {summary_ms:>13.1f}")

    print(f"\n{'page queries (median ms, each run cold)':36} {'unfiltered':>11} {'1 year':>9} {'all filters':>12}")
    for page, run in PAGES.items():
        row = [after_filter_change_ms(con, f, lambda run=run, f=f: run(con, f), repeat) for f in
               (flt.Filters(), cases["date range (1 year)"], cases["all of the above"])]
        missed += max(row) > TARGETS_MS["page"]
        print(f"{page:36} {row[0]:>11.1f} {row[1]:>9.1f} {row[2]:>12.1f}")
    print("(each run as a first view of the page after a filter change: the filters' kept sets dropped, the "
          "sidebar's\n event count run untimed, which keeps the kept events; then the page's queries timed)")

    if apptest:
        print(f"\n{'AppTest first render (cold caches)':36} {'ms':>11}")
        # Every chart draws at most widgets.CHART_MAX points, whatever the corpus' size.
        pages = (("overview", None), ("timeline", "pages/timeline.py"), ("actors", "pages/actors.py"),
                 ("quantities", "pages/quantities.py"), ("tables", "pages/tables.py"))
        for label, page in pages:
            print(f"{label:36} {apptest_ms(store, page):>11.0f}")
    rss = peak_rss_mb()
    missed += rss > TARGET_RSS_MB
    print(f"\npeak resident memory of this process: {rss:,.0f} MiB (target < {TARGET_RSS_MB:,} MiB)")
    return missed


def pandas_figures(tables: dict[str, pd.DataFrame], repeat: int) -> None:
    """The previous path: filter index, filter_tables and views over in-memory pandas tables."""
    start = time.perf_counter()
    index = flt.filter_index(tables)
    print(f"[pandas] filter index: {(time.perf_counter() - start) * 1000:.0f} ms")
    for name, filters in filter_cases(tuple(tables["actors"]["name"][:2])).items():
        filter_ms = median_ms(lambda filters=filters: flt.filter_tables(tables, filters, index), repeat)
        print(f"[pandas] filter: {name:28} {filter_ms:>9.1f} ms")
    aggregations = {
        "overview: headline figures": lambda: views.headline_figures(tables["quantities"], tables["articles"]),
        "overview: active actors":
            lambda: views.active_actors(tables["events"], tables["event_actors"], tables["actors"]),
        "timeline: stories": lambda: views.stories(tables["events"], tables["articles"]),
        "actors: network edges": lambda: views.network_edges(tables["events"], tables["event_actors"]),
        "quantities: series": lambda: views.quantity_series(tables["quantities"], tables["articles"]),
    }
    for name, fn in aggregations.items():
        print(f"[pandas] {name:36} {median_ms(fn, 1):>9.1f} ms")
    print(f"[pandas] peak resident memory of the building process: {peak_rss_mb():,.0f} MiB\n")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pandas", action="store_true", help="also time the previous pure-pandas path")
    parser.add_argument("--no-apptest", action="store_true", help="skip the AppTest render timings")
    parser.add_argument("--no-browser", action="store_true", help="skip the first renders in Chromium")
    parser.add_argument("--seeds", action="store_true",
                        help="instead: a fresh store seeded by the served app, then its pages in Chromium")
    parser.add_argument("--port", type=int, default=None, help="the served app's port (default: a free one)")
    parser.add_argument("--render-timeout", type=float, default=120, help="seconds a page may take to draw")
    parser.add_argument("--store", type=Path, default=None,
                        help="time an existing store written by this benchmark (no build)")
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)  # the child process: a built store
    args = parser.parse_args(argv)
    if args.serve:
        return min(serve(args.serve, args.repeat, not args.no_apptest), 1)

    with tempfile.TemporaryDirectory(prefix="bench_dashboard_") as tmp:
        if args.seeds:
            # a fresh machine: no result cache either (else the seeds' cached rows would be timed)
            os.environ["NEWSDASH_CACHE"] = str(Path(tmp) / "cache")
            code = min(browser_renders(Path(tmp) / "seeded", args.port, args.render_timeout, fresh=True), 1)
            print("all targets met" if code == 0 else "some targets MISSED (see above)")
            return code
        start = time.perf_counter()
        if args.store:
            store, tables = args.store, None
        else:
            tables = synthetic_tables(args.events)
            store = write_store(tables, Path(tmp) / "store")
            print(f"built and wrote {len(tables['events']):,} events, {len(tables['articles']):,} articles, "
                  f"{len(tables['mentions']):,} mentions, {len(tables['quantities']):,} figures "
                  f"in {time.perf_counter() - start:.1f} s")
        start = time.perf_counter()
        sql.prepare(store / "gen" / "1" / "corpus")
        print(f"prepared the query facts and unfiltered page results (once per store version, "
              f"by the first server to open it): {time.perf_counter() - start:.1f} s\n")
        if args.pandas and tables is not None:
            pandas_figures(tables, args.repeat)
        del tables
        child = [sys.executable, __file__, "--serve", str(store), "--repeat", str(args.repeat)]
        code = subprocess.run(child + (["--no-apptest"] if args.no_apptest else []), check=False).returncode
        if not args.no_browser:
            code = max(code, min(browser_renders(store, args.port, args.render_timeout), 1))
    print("all targets met" if code == 0 else "some targets MISSED (see above)")
    return code


if __name__ == "__main__":
    raise SystemExit(main())
