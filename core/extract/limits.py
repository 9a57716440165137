"""How much one input may hold: bytes per file, articles per file, characters per article.

One unit for sizes everywhere (CLI, uploader, messages): the mebibyte, 1 MiB = 1,048,576 bytes.
Each limit can be raised with an environment variable; a malformed setting falls back to the
default rather than refusing every input.
"""
from __future__ import annotations

import os

MIB = 1024 * 1024
DEFAULT_MAX_BYTES = 10 * MIB
ENV_MAX_BYTES = "NEWSDASH_MAX_BYTES"
DEFAULT_MAX_ARTICLES = 10_000  # per input file (JSON lines): past that a file is a dump, not a batch
ENV_MAX_ARTICLES = "NEWSDASH_MAX_ARTICLES"
# spaCy's Language.max_length: a longer text raises E088 inside the pipeline, so refuse it at ingest.
MAX_CHARS = 1_000_000


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if raw:
        try:
            return int(float(raw))
        except ValueError:
            pass
    return default


def max_bytes_limit(max_bytes: int | None = None) -> int:
    """The size limit of one input in bytes: `max_bytes` when given, else $NEWSDASH_MAX_BYTES,
    else 10 MiB."""
    return int(max_bytes) if max_bytes is not None else _env_int(ENV_MAX_BYTES, DEFAULT_MAX_BYTES)


def max_articles_limit(max_articles: int | None = None) -> int:
    """The most articles one input file may hold: `max_articles`, else $NEWSDASH_MAX_ARTICLES,
    else 10,000."""
    return int(max_articles) if max_articles is not None else _env_int(ENV_MAX_ARTICLES, DEFAULT_MAX_ARTICLES)


def size_text(n: int) -> str:
    """`n` bytes for people: '10.0 MiB' from 1 MiB up, else '1,234 bytes'."""
    return f"{n / MIB:.1f} MiB" if n >= MIB else f"{n:,} bytes"
