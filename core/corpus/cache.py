"""Results on disk, keyed by content and pipeline version: per article, and per `extract` run.

An unchanged article is never parsed twice: its rows come back from `ResultCache`. The key
covers everything that changes the rows (text hash, metadata, pipeline and model version), so a
new pipeline version simply misses the old entries. `SEED_RESULTS` holds the seed articles'
entries, shipped with the repo (read-only; made by `python -m core seeds-cache`), so a new
store seeds itself without spaCy. `RunCache` keeps a whole run's tables,
keyed by its input files' bytes, so an unchanged batch is not even read again.
"""
from __future__ import annotations

import hashlib
import json
import os
import pickle
import tempfile
from datetime import date
from pathlib import Path

from core import PIPELINE_VERSION
from core.extract.files import input_files
from core.extract.limits import max_articles_limit, max_bytes_limit
from core.extract.model_id import installed_model_id
from core.model import Article

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
# The seeds' result cache entries in ResultCache's layout: a hit needs the same pipeline version,
# model, text and metadata, so they can only be stale if the code changed without a version bump
# (tests/test_seed_results.py catches that).
SEED_RESULTS = SEEDS / "analysis"


def default_cache_dir() -> Path:
    """The result cache folder: env NEWSDASH_CACHE, else ~/.cache/newsdash."""
    return Path(os.environ.get("NEWSDASH_CACHE") or Path.home() / ".cache" / "newsdash")


class ResultCache:
    """Pickled row dicts, one file per article and pipeline version. `path=None` (or "") uses
    `default_cache_dir()`; the string "none" (any case) disables the cache."""

    def __init__(self, path, version: str):
        # None means "the default folder", not the word "none": str(None) must not disable it.
        self.enabled = path is None or str(path).strip().lower() != "none"
        self.root = Path(path) if path and self.enabled else default_cache_dir()
        self.version = version

    def key(self, article: Article) -> str:
        """The cache key of `article`: a hash of the pipeline version, its text hash and its metadata."""
        meta = [self.version, article.content_hash, article.file, article.title, article.source,
                article.url, str(article.published), article.published_precision,
                str(article.reference_date)]
        return hashlib.sha256(json.dumps(meta).encode()).hexdigest()

    def _path(self, article: Article) -> Path:
        k = self.key(article)
        return self.root / k[:2] / f"{k}.pkl"

    def get(self, article: Article):
        """The cached rows for `article`, or None (also when the entry is unreadable)."""
        return _read_pickle(self._path(article)) if self.enabled else None

    def put(self, article: Article, rows) -> None:
        """Store `rows` atomically; a cache that cannot be written is skipped, not an error."""
        if self.enabled:
            _write_pickle(self._path(article), rows)


def _read_pickle(path: Path):
    try:
        with path.open("rb") as f:
            return pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        return None


def _write_pickle(path: Path, value) -> None:
    """Write `value` atomically; a cache that cannot be written is skipped, not an error."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass


def file_fingerprint(path: Path, limit: int) -> list:
    """What of the file at `path` decides its articles: its path as given and the sha256 of its
    bytes (its size alone when over `limit` bytes, which are refused unread; the error when it
    cannot be read)."""
    try:
        size = path.stat().st_size
        if size > limit:
            return [str(path), "size", size]
        with path.open("rb") as f:
            data = f.read(limit + 1)
    except OSError as exc:
        return [str(path), "error", str(exc)]
    return [str(path), hashlib.sha256(data).hexdigest()]


class RunCache:
    """Everything a whole `extract` run wrote (its CSV files' bytes and its report), keyed by
    every input file's bytes and by what else decides the tables: the pipeline and model
    versions, the input limits and the day (dates without a year are read relative to it).

    A re-run of the same inputs copies its tables back without reading, parsing or even
    importing the extraction (hundreds of articles in a fraction of a second); any changed
    byte of any input is a new key, and the per-article ResultCache still spares the unchanged
    articles. `path` as for ResultCache; "none" disables it."""

    def __init__(self, path):
        self.version = f"{PIPELINE_VERSION}/{installed_model_id()}"
        self.results = ResultCache(path, self.version)
        self.enabled = self.results.enabled

    def key(self, inputs) -> str:
        """The key of an `extract` run over the files and folders `inputs` (I/O: reads them)."""
        limit = max_bytes_limit()
        parts: list = [self.version, limit, max_articles_limit(), date.today().isoformat()]
        for e in input_files(list(inputs)):
            parts.append(["refused", str(e)] if isinstance(e, Exception) else file_fingerprint(e, limit))
        return hashlib.sha256(json.dumps(parts).encode()).hexdigest()

    def _path(self, key: str) -> Path:
        return self.results.root / "runs" / key[:2] / f"{key}.run"

    def get(self, key: str) -> dict | None:
        """The stored run ({"files": {name: bytes}, ...}), or None (also when unreadable)."""
        if not self.enabled:
            return None
        hit = _read_pickle(self._path(key))
        return hit if isinstance(hit, dict) and "files" in hit else None

    def put(self, key: str, run: dict) -> None:
        """Store `run` (a dict with "files": {name: bytes}); skipped when the cache is off."""
        if self.enabled:
            _write_pickle(self._path(key), run)
