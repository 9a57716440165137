"""Articles in, corpus tables out: cached per-article analysis, then the corpus-level tables.

`analyse_articles` runs the extraction (`core.extract.pipeline`) on every article the cache
does not hold; `aggregate` derives the corpus tables (actors, places, links, story ids) from
the per-article ones; `extract_tables` does both for files and folders.
"""
from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pandas as pd

from core import PIPELINE_VERSION, schema
from core.corpus.cache import SEED_RESULTS, SEEDS, ResultCache
from core.corpus.distributed import Connection, Workers, analyse_on_dask
from core.corpus.geocode import Geocoder, enabled_from_env, fill_coordinates
from core.corpus.links import build_links
from core.corpus.stories import assign_stories
from core.corpus.tables import actors_table, places_table
from core.errors import IngestError, NewsdashError
from core.extract.ingest import read_paths
from core.extract.model_id import installed_model_id
from core.extract.nlp import load_nlp
from core.extract.pipeline import PER_ARTICLE, analyse, frames
from core.model import Article


class RefusedArticle(IngestError):
    """An article the analysis refused (it crashed a worker, or the pipeline raised on it twice
    on Dask): unlike a file that cannot be read, this may be a passing failure."""


class ArticlesRefused(NewsdashError):
    """Some articles could not be analysed (they crashed a worker, or the pipeline raised on them
    twice on Dask): `tables` holds the others' rows, `refused` (article_id, reason) the rest."""

    def __init__(self, tables: dict[str, pd.DataFrame], refused: list[tuple[str, str]]):
        self.tables = tables
        self.refused = refused
        super().__init__("; ".join(f"{aid}: {reason}" for aid, reason in refused))


def analyse_articles(articles: list[Article], *, progress=None, cache_dir=None, nlp=None,
                     workers: Workers | None = None, refused: list | None = None,
                     connection: Connection | None = None) -> dict[str, pd.DataFrame]:
    """The per-article tables (articles, mentions, events, event_actors, quantities), rows in
    the order of `articles`.

    Every article not in the cache is parsed, in-process in one batched `nlp.pipe` run, or as
    Dask tasks when `workers` (a core.corpus.distributed.Workers plan; default in-process) says
    so (on `connection` when the caller opened one ahead); the cache is read before and
    written after, here. `progress(done, total)` is called as
    articles finish. `cache_dir=None` uses the default cache folder, `cache_dir="none"`
    disables caching. Articles refused on Dask (see `analyse_on_dask`) are left out of the
    tables and appended to `refused` as (article_id, reason); without a `refused` list they
    raise ArticlesRefused, which carries the other articles' tables.
    """
    version = f"{PIPELINE_VERSION}/{installed_model_id()}"
    cache = ResultCache(cache_dir, version)
    # the seeds' entries shipped with the repo: read-only, and off with the cache ("none" means fresh rows)
    shipped = ResultCache(SEED_RESULTS if cache.enabled else "none", version)
    workers = workers or Workers()
    total = len(articles)
    results: dict[str, dict] = {}
    todo = []
    for a in articles:
        hit = cache.get(a)
        if hit is None:
            hit = shipped.get(a)
        if hit is not None:
            results[a.article_id] = hit
        else:
            todo.append(a)
    done = len(results)
    if progress:
        progress(done, total)
    failed: list[tuple[str, str]] = []
    if workers.use_dask(len(todo)):
        def step(n):
            nonlocal done
            done += n
            if progress:
                progress(done, total)
        rows_of, failed = analyse_on_dask(todo, workers, progress=step, connection=connection)
        by_id = {a.article_id: a for a in todo}
        for aid, rows in rows_of.items():
            cache.put(by_id[aid], rows)
            results[aid] = rows
    elif todo:
        nlp = nlp or load_nlp()  # not loaded at all when everything is cached
        for article, rows in analyse(todo, nlp):
            cache.put(article, rows)
            results[article.article_id] = rows
            done += 1
            if progress:
                progress(done, total)
    merged: dict[str, list[dict]] = {k: [] for k in PER_ARTICLE}
    seen = set()
    for a in articles:
        if a.article_id in seen or a.article_id not in results:
            continue  # the same text twice in one batch is one article; a refused one has no rows
        seen.add(a.article_id)
        for k in PER_ARTICLE:
            merged[k].extend(results[a.article_id][k])
    tables = frames(merged)
    if failed:
        if refused is None:
            raise ArticlesRefused(tables, failed)
        refused.extend(failed)
    return tables


def write_seed_results(seeds: Path = SEEDS, folder: Path = SEED_RESULTS) -> int:
    """Analyse the articles in `seeds` afresh (no cache) and write their result cache entries to
    `folder` (emptied first), the entries analyse_articles serves a new store's seeding from;
    returns how many read back. Raises NewsdashError when a seed cannot be read."""
    articles, errors = read_paths([seeds])
    if errors:
        raise NewsdashError("; ".join(str(e) for e in errors))
    cache = ResultCache(folder, f"{PIPELINE_VERSION}/{installed_model_id()}")
    shutil.rmtree(folder, ignore_errors=True)  # entries of older versions or removed seeds go
    rows = list(analyse(articles, load_nlp()))
    for article, article_rows in rows:
        cache.put(article, article_rows)
    return sum(cache.get(article) is not None for article, _ in rows)


def aggregate(tables: dict[str, pd.DataFrame],
              located: dict[str, tuple[float, float] | None] | None = None) -> dict[str, pd.DataFrame]:
    """All eight tables from the per-article ones: adds actors, places, links and story ids
    (`located`: coordinates of place names looked up already, see `build_links`)."""
    out = {k: tables[k] for k in PER_ARTICLE}
    out["events"] = schema.validate("events", assign_stories(tables["events"], tables["event_actors"]))
    out["actors"] = schema.validate("actors", actors_table(tables["mentions"], tables["articles"]))
    out["places"] = schema.validate("places", places_table(tables["mentions"]))
    out["links"] = schema.validate("links", build_links(out["events"], out["places"], located))
    return out


def place_names(events: pd.DataFrame) -> list[str]:
    """The origins and destinations of `events` (sorted, once each): the names links are drawn between."""
    return sorted({str(v) for col in ("origin", "destination") for v in events[col].dropna()})


def extract_tables(inputs, *, progress=None, cache_dir=None, nlp=None, geocode=None, warn=None,
                   workers: Workers | None = None):
    """(tables, errors) for the files and folders in `inputs`: every table as a DataFrame, and
    an IngestError for each input that could not be read or article that could not be analysed
    (the rest still goes through).

    `workers` says where the analysis runs (see `analyse_articles`; default in-process).
    `geocode` (default: NEWSDASH_GEOCODER=nominatim) looks up places the offline gazetteer
    has no coordinates for; its failures go to `warn(message)`, never stop the extraction.
    """
    workers = workers or Workers()
    # Dask workers take seconds to start and load the model: they start while the inputs are read
    connection = Connection(workers) if workers.use_dask_for(inputs) else None
    refused: list[tuple[str, str]] = []
    closing = None
    try:
        articles, errors = read_paths(list(inputs))
        per_article = analyse_articles(articles, progress=progress, cache_dir=cache_dir, nlp=nlp,
                                       workers=workers, refused=refused, connection=connection)
        located = None
        if connection is not None:
            # the workers have the gazetteer loaded, this process has not
            located = connection.located(place_names(per_article["events"]))
            # the workers take a second or more to stop: let them while the corpus tables are built
            closing = threading.Thread(target=connection.close, name="newsdash-close-cluster")
            closing.start()
        tables = aggregate(per_article, located)
    finally:
        if closing is not None:
            closing.join()
        if connection is not None:
            connection.close()  # a no-op once closed; closes it on an error before the thread started
    file_of = {a.article_id: a.file for a in articles}
    errors += [RefusedArticle(file_of[aid], reason) for aid, reason in refused]
    if geocode or (geocode is None and enabled_from_env()):
        places, warnings = fill_coordinates(tables["places"], Geocoder())
        tables["places"] = places
        tables["links"] = schema.validate("links", build_links(tables["events"], places, located))
        for w in warnings:
            if warn:
                warn(w)
    return tables, errors
