"""What a user hands in, sorted into articles: files and folders, uploaded bytes, pasted text,
page URLs and RSS/Atom feeds.

Every function returns `(articles, refusals)`, each refusal an IngestError naming the input and
the reason, and never raises for bad input or a failed fetch; the store then keeps the articles
(`Store.add_articles(articles, refusals)`). Bytes become articles in one place,
core.extract.ingest.read_document, whether they were read from a file, uploaded or fetched: the
same page uploaded and fetched gives the same text and the same content hash.
"""
from __future__ import annotations

import re
import time
from urllib.parse import urlsplit

from core.corpus import fetch
from core.corpus.fetch import FeedEntry, Fetched
from core.corpus.store import safe_label
from core.errors import FetchError, IngestError
from core.extract import ingest
from core.extract.ingest import Hints
from core.extract.limits import ENV_MAX_BYTES, max_bytes_limit, size_text
from core.model import Article

Result = tuple[list[Article], list[IngestError]]
MIN_PAGE_WORDS = 15  # fewer words on a web page is a menu or an error page, not an article
FEED_DEADLINE = 120.0  # seconds for all of a feed's pages; later items use the feed's own text
URL_RE = re.compile(r"^https?://", re.I)


def _refused(source, exc: Exception) -> Result:
    return [], [IngestError(safe_label(source), getattr(exc, "reason", None) or str(exc))]


# ---------------------------------------------------------------- files, uploads, text


def from_paths(paths, *, max_bytes: int | None = None) -> Result:
    """The articles of files and folders (core.extract.ingest.read_paths; I/O: reads them)."""
    return ingest.read_paths([str(p) for p in paths], max_bytes=max_bytes)


def from_bytes(data: bytes, name: str, *, max_bytes: int | None = None) -> Result:
    """The articles of one uploaded file's bytes; `name` (path parts dropped) picks the format."""
    return ingest.read_bytes(data, safe_label(name), max_bytes=max_bytes)


def from_text(text: str, *, title=None, published=None, source=None, max_bytes: int | None = None) -> Result:
    """Pasted `text` as one article, with an optional title, date and source."""
    label = safe_label(f"pasted: {title}" if title else "pasted text")
    limit = max_bytes_limit(max_bytes)
    if not (text or "").strip():
        return [], [IngestError(label, "empty text")]
    size = len(text.encode("utf-8"))
    if size > limit:
        return [], [IngestError(label, f"text too large: {size_text(size)} (limit {size_text(limit)}; "
                                       f"set {ENV_MAX_BYTES} to raise it)")]
    try:
        return [ingest.article_from_text(text, file=label, title=title or None, published=published or None,
                                         source=source or None)], []
    except IngestError as exc:
        return _refused(label, exc)


# ---------------------------------------------------------------- the web


def page_article(page: Fetched, *, hints: Hints | None = None) -> Article:
    """The article on the fetched web `page`, read as an uploaded file with the same bytes
    would be (core.extract.ingest.read_document); `hints` (a feed item's title, date and
    outlet) and the host name fill in what the page lacks. An HTML page needs MIN_PAGE_WORDS
    words. Raises IngestError when it is not HTML or text, or holds no article."""
    kind = ingest.document_kind(content_type=page.content_type)
    if kind is None and page.data.lstrip()[:1] == b"<":
        kind = "html"
    if kind not in ("html", "text", "markdown"):
        raise IngestError(page.url, f"not a web page (content type {page.content_type})")
    hints = hints or Hints()
    hints = Hints(hints.title, hints.published, hints.source or urlsplit(page.url).hostname)
    articles, errors = ingest.read_document(page.data, file=page.url, kind=kind, charset=page.charset, url=page.url,
                                            hints=hints, min_words=MIN_PAGE_WORDS if kind == "html" else 0)
    if errors:
        raise errors[0]
    return articles[0]


def fetch_article(url: str, *, timeout: float = 10, max_bytes: int | None = None,
                  allow_private: bool = False) -> Article:
    """The article at `url`. Raises FetchError (network, internal address) or IngestError (no article there)."""
    return page_article(fetch.fetch_url(url, timeout=timeout, max_bytes=max_bytes, allow_private=allow_private))


def entry_article(entry: FeedEntry, feed_url: str) -> Article:
    """The article made of the text a feed item carries. Raises IngestError when it has none."""
    label = entry.link or f"{feed_url}#{entry.title[:60]}"
    if not entry.text.strip():
        raise IngestError(label, "the item's page could not be read and the feed carries no text for it")
    return ingest.article_from_text(entry.text, file=label, title=entry.title or None, published=entry.published,
                                    source=entry.source, url=entry.link)


def feed_articles(page: Fetched, *, timeout: float = 10, max_bytes: int | None = None, limit: int | None = None,
                  deadline: float = FEED_DEADLINE, allow_private: bool = False) -> Result:
    """(articles, errors) for the items of feed `page`.

    Each item's linked page is fetched for the full text (its address checked like any other);
    when that fails, or `deadline` seconds have passed for the whole feed, the item's own text
    in the feed is used instead. Items with neither are errors. Raises IngestError when `page`
    is not a feed.
    """
    start = time.monotonic()
    articles, errors = [], []
    for entry in fetch.feed_entries(page, limit=limit):
        article = None
        if entry.link and time.monotonic() - start < deadline:
            try:
                linked = fetch.fetch_url(entry.link, timeout=timeout, max_bytes=max_bytes, allow_private=allow_private)
                article = page_article(linked, hints=Hints(entry.title, entry.published, entry.source))
            except (FetchError, IngestError):
                article = None
        try:
            articles.append(article or entry_article(entry, page.url))
        except IngestError as exc:
            errors.append(exc)
    return articles, errors


def from_url(url: str, *, timeout: float = 10, max_bytes: int | None = None, allow_private: bool = False) -> Result:
    """The article at `url`, or every item when it is an RSS/Atom feed. Only http(s) URLs of
    public addresses are fetched unless `allow_private`."""
    try:
        page = fetch.fetch_url(url, timeout=timeout, max_bytes=max_bytes, allow_private=allow_private)
        if fetch.looks_like_feed(page):
            return feed_articles(page, timeout=timeout, max_bytes=max_bytes, allow_private=allow_private)
        return [page_article(page)], []
    except (FetchError, IngestError) as exc:
        return _refused(url, exc)


def from_feed(url: str, *, timeout: float = 10, max_bytes: int | None = None, limit: int | None = None,
              allow_private: bool = False) -> Result:
    """The items of the RSS/Atom feed `url` (each item's page when reachable, else the text
    the feed carries)."""
    try:
        page = fetch.fetch_url(url, timeout=timeout, max_bytes=max_bytes, allow_private=allow_private)
        return feed_articles(page, timeout=timeout, max_bytes=max_bytes, limit=limit, allow_private=allow_private)
    except (FetchError, IngestError) as exc:
        return _refused(url, exc)


def from_inputs(inputs, *, timeout: float = 10, max_bytes: int | None = None, allow_private: bool = False) -> Result:
    """The articles of each of `inputs`: http(s) URLs are fetched, anything else is read as a path."""
    articles, errors = [], []
    paths = [i for i in inputs if not URL_RE.match(str(i))]
    for url in [str(i) for i in inputs if URL_RE.match(str(i))]:
        got, bad = from_url(url, timeout=timeout, max_bytes=max_bytes, allow_private=allow_private)
        articles += got
        errors += bad
    if paths:
        got, bad = from_paths(paths, max_bytes=max_bytes)
        articles += got
        errors += bad
    return articles, errors
