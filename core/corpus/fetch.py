"""Articles from the web: a page's main text and metadata, or the items of an RSS/Atom feed.

Every request has a short timeout and a hard deadline (the request runs in a daemon thread, so
even a DNS lookup that never answers cannot hang the caller), only http(s) URLs are fetched
(no file:, ftp: or data:, also not through a redirect), and bodies are capped at the store's
size limit. Failures raise FetchError with a reason a user can act on.
"""
from __future__ import annotations

import http.client
import queue
import re
import socket
import ssl
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from core.errors import FetchError, IngestError
from core.model import Article

USER_AGENT = "newsdash/0.1 (+https://github.com/; news-intelligence dashboard)"
FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json"}
XML_TYPES = {"application/xml", "text/xml"}
FEED_SNIFF = re.compile(rb"<(rss|feed|rdf:RDF)[\s>]", re.I)
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
FEED_LIMIT = 50  # items per feed
FEED_DEADLINE = 120.0  # seconds for all of a feed's pages; later items use the feed's own text
MIN_WORDS = 15  # fewer words on a page is a menu or an error page, not an article
BLOCK_TAGS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section", "article"}


@dataclass(frozen=True)
class Fetched:
    """A fetched resource: the final URL (after redirects), its media type, charset and body."""

    url: str
    content_type: str
    charset: str | None
    data: bytes


@dataclass(frozen=True)
class FeedEntry:
    """One feed item: title, link, date (when the feed gives one), outlet and the text it carries."""

    title: str
    link: str | None
    published: date | None
    source: str | None
    text: str


# ---------------------------------------------------------------- fetching


def checked_url(url: str) -> str:
    """`url` stripped, when it is an http(s) URL with a host; raises FetchError otherwise."""
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise FetchError(f"{url or '(empty)'}: only http:// and https:// URLs can be fetched")
    return url


def opener() -> urllib.request.OpenerDirector:
    """A urllib opener that speaks only http(s) (redirects to other schemes fail)."""
    director = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(context=ssl.create_default_context()),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPRedirectHandler(),
        urllib.request.HTTPErrorProcessor(),
        urllib.request.UnknownHandler(),
    ):
        director.add_handler(handler)
    return director


def failure_reason(exc: BaseException, timeout: float) -> str:
    """A short, actionable reason for a failed request."""
    if isinstance(exc, urllib.error.HTTPError):
        return f"HTTP error {exc.code} {exc.reason}"
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, socket.gaierror):
        return "the host name cannot be resolved (no network, or a wrong address)"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused (nothing is listening at that address)"
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return f"no answer within {timeout:g} s (no network, or the server is down)"
    if isinstance(reason, ssl.SSLError):
        return f"secure connection failed: {reason}"
    if isinstance(reason, OSError) and reason.errno is not None:
        return f"network error: {reason.strerror or reason}"
    return f"cannot fetch: {reason}"


def download(url: str, timeout: float, max_bytes: int) -> Fetched:
    """The resource at `url` (blocking; bounded by socket timeouts, not a deadline)."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,*/*;q=0.5"})
    with opener().open(request, timeout=timeout) as resp:
        final = resp.geturl()
        checked_url(final)
        length = resp.headers.get("Content-Length")
        if length and length.isdigit() and int(length) > max_bytes:
            raise FetchError(f"{url}: larger than the {max_bytes:,} byte limit ({int(length):,} bytes)")
        data = resp.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise FetchError(f"{url}: larger than the {max_bytes:,} byte limit")
        return Fetched(final, resp.headers.get_content_type(), resp.headers.get_content_charset(), data)


def fetch_url(url: str, *, timeout: float = 10, max_bytes: int | None = None) -> Fetched:
    """The resource at the http(s) `url`, within `timeout` seconds in all.

    Raises FetchError: not an http(s) URL, no network, timeout, HTTP error, too large.
    """
    url = checked_url(url)
    limit = max_bytes or DEFAULT_MAX_BYTES
    box: queue.Queue = queue.Queue(maxsize=1)

    def run():
        try:
            box.put((True, download(url, timeout, limit)))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
            box.put((False, exc))

    # A daemon thread: if the deadline passes (a DNS lookup hanging, a server dripping bytes)
    # the caller gets its error at once and the thread dies with its socket timeout.
    threading.Thread(target=run, name=f"fetch {url[:60]}", daemon=True).start()
    try:
        ok, value = box.get(timeout=timeout + 0.5)
    except queue.Empty:
        raise FetchError(f"{url}: no answer within {timeout:g} s (no network, or the server is down)") from None
    if ok:
        return value
    if isinstance(value, FetchError):
        raise value
    if isinstance(value, (urllib.error.URLError, OSError, http.client.HTTPException, ValueError)):
        raise FetchError(f"{url}: {failure_reason(value, timeout)}") from value
    raise value


# ---------------------------------------------------------------- pages


def looks_like_feed(page: Fetched) -> bool:
    """True when `page` is an RSS/Atom feed (by media type, or XML whose root is a feed)."""
    if page.content_type in FEED_TYPES:
        return True
    head = page.data[:4096]
    return (page.content_type in XML_TYPES or head.lstrip().startswith(b"<?xml")) and bool(FEED_SNIFF.search(head))


def page_text(page: Fetched) -> str:
    """The body of a plain-text `page`, decoded (declared charset, else UTF-8, else Latin-1)."""
    for encoding in (page.charset, "utf-8", "cp1252", "latin-1"):
        if not encoding:
            continue
        try:
            return page.data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return page.data.decode("utf-8", "replace")


def parse_date(value) -> date | None:
    """An ISO date string (trafilatura's format, maybe with a time) as a date, else None."""
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", str(value or ""))
    if not match:
        return None
    try:
        return date(*map(int, match.groups()))
    except ValueError:
        return None


def page_article(page: Fetched, *, fallback: FeedEntry | None = None) -> Article:
    """The article on the web `page`: main text, title, date and outlet (trafilatura).

    `fallback` (the feed item that linked the page) fills in what the page lacks. Raises
    IngestError when the page is not HTML or text, or has no article text.
    """
    import trafilatura

    from core.extract.ingest import article_from_text

    if page.content_type == "text/plain":
        text, title, published, source = page_text(page), None, None, None
    elif page.content_type in ("text/html", "application/xhtml+xml") or page.data.lstrip()[:1] == b"<":
        doc = trafilatura.bare_extraction(page.data, url=page.url, with_metadata=True, include_comments=False, include_images=False)
        text = (getattr(doc, "text", None) or "").strip() if doc else ""
        title = getattr(doc, "title", None) if doc else None
        published = parse_date(getattr(doc, "date", None)) if doc else None
        source = (getattr(doc, "sitename", None) or getattr(doc, "hostname", None)) if doc else None
    else:
        raise IngestError(page.url, f"not a web page (content type {page.content_type})")
    if fallback:
        title, published, source = title or fallback.title, published or fallback.published, source or fallback.source
    if not text.strip() or (page.content_type != "text/plain" and len(text.split()) < MIN_WORDS):
        raise IngestError(page.url, f"no article text found on the page (fewer than {MIN_WORDS} words)")
    return article_from_text(text, file=page.url, title=title or None, published=published, source=source or urlsplit(page.url).hostname, url=page.url)


def fetch_article(url: str, *, timeout: float = 10, max_bytes: int | None = None) -> Article:
    """The article at `url`. Raises FetchError (network) or IngestError (no article there)."""
    return page_article(fetch_url(url, timeout=timeout, max_bytes=max_bytes))


# ---------------------------------------------------------------- feeds


def html_text(fragment: str) -> str:
    """The text of an HTML fragment (a feed item's content): scripts and styles dropped,
    block elements on lines of their own."""
    import lxml.html
    from lxml import etree

    if not fragment or not fragment.strip():
        return ""
    if "<" not in fragment:
        return fragment.strip()
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return re.sub(r"<[^>]*>", " ", fragment).strip()
    for bad in root.xpath("//script|//style|//noscript|//iframe"):
        bad.drop_tree()
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.lower() in BLOCK_TAGS:
            el.tail = "\n\n" + (el.tail or "")
    text = root.text_content()
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def feed_entries(page: Fetched, *, limit: int | None = None) -> list[FeedEntry]:
    """The items of the RSS/Atom feed `page`, at most `limit` (default FEED_LIMIT).

    Raises IngestError when it is not a readable feed.
    """
    import feedparser

    parsed = feedparser.parse(page.data, response_headers={"content-location": page.url, "content-type": page.content_type})
    if not parsed.entries and (parsed.bozo or not parsed.feed):
        raise IngestError(page.url, f"not a readable RSS/Atom feed ({parsed.get('bozo_exception', 'no items')})")
    outlet = parsed.feed.get("title") or urlsplit(page.url).hostname
    entries = []
    for item in parsed.entries[: limit or FEED_LIMIT]:
        stamp = item.get("published_parsed") or item.get("updated_parsed")
        contents = [c.get("value", "") for c in item.get("content", [])]
        body = max(contents + [item.get("summary", "")], key=len)
        link = item.get("link")
        entries.append(FeedEntry(
            title=html_text(item.get("title", "")),
            link=link if link and re.match(r"^https?://", link, re.I) else None,
            published=date(*stamp[:3]) if stamp else None,
            source=outlet,
            text=html_text(body),
        ))
    return entries


def entry_article(entry: FeedEntry, feed_url: str) -> Article:
    """The article made of the text a feed item carries. Raises IngestError when it has none."""
    from core.extract.ingest import article_from_text

    label = entry.link or f"{feed_url}#{entry.title[:60]}"
    if not entry.text.strip():
        raise IngestError(label, "the item's page could not be read and the feed carries no text for it")
    return article_from_text(entry.text, file=label, title=entry.title or None, published=entry.published, source=entry.source, url=entry.link)


def feed_articles(page: Fetched, *, timeout: float = 10, max_bytes: int | None = None, limit: int | None = None,
                  deadline: float = FEED_DEADLINE) -> tuple[list[Article], list[IngestError]]:
    """(articles, errors) for the items of feed `page`.

    Each item's linked page is fetched for the full text; when that fails, or `deadline`
    seconds have passed for the whole feed, the item's own text in the feed is used instead.
    Items with neither are errors. Raises IngestError when `page` is not a feed.
    """
    start = time.monotonic()
    articles, errors = [], []
    for entry in feed_entries(page, limit=limit):
        article = None
        if entry.link and time.monotonic() - start < deadline:
            try:
                article = page_article(fetch_url(entry.link, timeout=timeout, max_bytes=max_bytes), fallback=entry)
            except (FetchError, IngestError):
                article = None
        try:
            articles.append(article or entry_article(entry, page.url))
        except IngestError as exc:
            errors.append(exc)
    return articles, errors
