"""Per-article results on disk, keyed by content and pipeline version.

An unchanged article is never parsed twice: its rows come back from here. The key covers
everything that changes the rows (text hash, metadata, pipeline and model version), so a
new pipeline version simply misses the old entries.
"""
from __future__ import annotations

import hashlib
import json
import os
import pickle
import tempfile
from pathlib import Path

from core.model import Article


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
        if not self.enabled:
            return None
        try:
            with self._path(article).open("rb") as f:
                return pickle.load(f)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
            return None

    def put(self, article: Article, rows) -> None:
        """Store `rows` atomically; a cache that cannot be written is skipped, not an error."""
        if not self.enabled:
            return
        path = self._path(article)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as f:
                pickle.dump(rows, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except OSError:
            pass
