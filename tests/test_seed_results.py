"""The seeds' analysis shipped in seeds/analysis: current, used by a new store, and never by `--cache none`."""
from __future__ import annotations

import pandas as pd
import pytest

from core.corpus import build
from core.corpus.cache import SEED_RESULTS, ResultCache
from core.corpus.store import open_store
from core.extract.model_id import installed_model_id
from core.extract.pipeline import PER_ARTICLE, frames

REGENERATE = "stale: run `.venv/bin/python -m core seeds-cache` and commit seeds/analysis"


def no_parse():
    raise AssertionError("the seeds were parsed: the shipped analysis was not used")


def test_shipped_seed_analysis_matches_a_fresh_run(seed_extraction):
    articles, fresh = seed_extraction
    shipped = ResultCache(SEED_RESULTS, f"{build.PIPELINE_VERSION}/{installed_model_id()}")
    rows = [shipped.get(a) for a in articles]
    assert all(r is not None for r in rows), f"an entry is missing for this pipeline version and model; {REGENERATE}"
    served = build.aggregate(frames({k: [row for r in rows for row in r[k]] for k in PER_ARTICLE}))
    assert sorted(served) == sorted(fresh)
    for name, table in fresh.items():
        try:
            pd.testing.assert_frame_equal(served[name], table)
        except AssertionError as exc:
            raise AssertionError(f"seeds/analysis table {name} differs from a fresh analysis ({REGENERATE})") from exc
    entries = sorted(SEED_RESULTS.rglob("*.pkl"))
    assert len(entries) == len(articles), f"entries of no current seed are shipped; {REGENERATE}"


def test_a_new_store_is_seeded_without_parsing(tmp_path, monkeypatch, seed_extraction):
    monkeypatch.setenv("NEWSDASH_CACHE", str(tmp_path / "cache"))  # a fresh machine: an empty result cache
    monkeypatch.setattr(build, "load_nlp", no_parse)
    seen = []
    store = open_store(tmp_path / "store", progress=lambda done, total: seen.append((done, total)))
    assert sorted(store.ids()) == sorted(a.article_id for a in seed_extraction[0])
    assert seen and seen[-1] == (5, 5)
    fresh = seed_extraction[1]["events"]
    columns = [c for c in fresh.columns if c != "review"]  # the store fills in the review state
    pd.testing.assert_frame_equal(store.tables()["events"][columns].reset_index(drop=True),
                                  fresh[columns].reset_index(drop=True), check_dtype=False)


def test_no_cache_or_another_pipeline_version_parses_afresh(monkeypatch, seed_extraction):
    articles = seed_extraction[0][:1]
    monkeypatch.setattr(build, "load_nlp", no_parse)
    with pytest.raises(AssertionError, match="were parsed"):
        build.analyse_articles(articles, cache_dir="none")
    monkeypatch.setattr(build, "PIPELINE_VERSION", "another")
    with pytest.raises(AssertionError, match="were parsed"):
        build.analyse_articles(articles)
