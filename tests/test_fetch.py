"""Fetching pages and feeds from a local HTTP server on 127.0.0.1: never the network."""
from __future__ import annotations

import threading
import time
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from core.corpus import fetch
from core.corpus.fetch import FeedEntry, Fetched
from core.errors import FetchError, IngestError

FEEDS = Path(__file__).parent / "data" / "feeds"
TYPES = {".html": "text/html; charset=utf-8", ".xml": "application/rss+xml", ".txt": "text/plain; charset=utf-8"}


class Handler(BaseHTTPRequestHandler):
    """Serves tests/data/feeds ({BASE} replaced by the server's URL) and a few bad routes."""

    def log_message(self, *args):  # keep pytest output clean
        pass

    def send_body(self, body: bytes, content_type: str, status: int = 200, length: int | None = None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(length if length is not None else len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        base = f"http://127.0.0.1:{self.server.server_port}"
        path = self.path.split("?")[0]
        if path == "/slow":
            time.sleep(3)
            return self.send_body(b"<p>late</p>", "text/html")
        if path == "/huge":
            return self.send_body(b"x" * 100, "text/html", length=50_000_000)
        if path == "/to-file":
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.end_headers()
            return None
        if path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/rail-shipments.html")
            self.end_headers()
            return None
        if path == "/atom.xml":
            return self.send_body((FEEDS / "atom.xml").read_text().replace("{BASE}", base).encode(), "application/atom+xml")
        if path == "/plain.txt":
            return self.send_body("Kim Jong Un met Vladimir Putin in Vostochny on September 13, 2023.".encode(), TYPES[".txt"])
        if path == "/image.png":
            return self.send_body(b"\x89PNG\r\n\x1a\n" + bytes(200), "image/png")
        if path == "/empty.html":
            return self.send_body(b"<html><body><nav>Home</nav></body></html>", TYPES[".html"])
        file = FEEDS / path.lstrip("/")
        if path.count("/") != 1 or not file.is_file():
            return self.send_body(b"<h1>Not found</h1>", "text/html", status=404)
        return self.send_body(file.read_text().replace("{BASE}", base).encode(), TYPES[file.suffix])


@pytest.fixture(scope="module")
def server():
    """The base URL of a local HTTP server serving the feed fixtures."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def blackhole():
    """The URL of a socket that accepts connections and never says a word."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(8)
        yield f"http://127.0.0.1:{s.getsockname()[1]}/"


def closed_port_url() -> str:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


# ---------------------------------------------------------------- fetching


def test_fetch_url_returns_body_type_and_final_url(server):
    page = fetch.fetch_url(f"{server}/moved", timeout=5)
    assert (page.url, page.content_type, page.charset) == (f"{server}/rail-shipments.html", "text/html", "utf-8")
    assert page.data.startswith(b"<!doctype html>")


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/x", "javascript:alert(1)", "", "not a url",
                                 "data:text/html,<p>hi</p>", "http:///nohost"])
def test_fetch_refuses_non_http_urls(url):
    with pytest.raises(FetchError, match="only http:// and https://"):
        fetch.fetch_url(url, timeout=1)


@pytest.mark.parametrize("path, reason", [
    ("/to-file", "Redirection to url .file:///etc/passwd. is not allowed"),
    ("/missing.html", "HTTP error 404"),
    ("/huge", "larger than the 1,000,000 byte limit"),
])
def test_fetch_bad_responses_are_fetch_errors(server, path, reason):
    with pytest.raises(FetchError, match=reason):
        fetch.fetch_url(server + path, timeout=5, max_bytes=1_000_000)


@pytest.mark.parametrize("url, timeout, reason", [
    (None, 2, "connection refused"),  # nothing listens on the port
    ("http://newsdash-test.invalid/", 2, "cannot be resolved|no answer"),  # no such host / no DNS
    ("blackhole", 0.5, "no answer within 0.5 s"),  # connects, never answers: a dead link
])
def test_fetch_no_network_is_a_quick_clear_error(url, timeout, reason, blackhole):
    start = time.monotonic()
    with pytest.raises(FetchError, match=reason):
        fetch.fetch_url(blackhole if url == "blackhole" else url or closed_port_url(), timeout=timeout)
    assert time.monotonic() - start < timeout + 1.5


def test_fetch_slow_server_hits_the_deadline(server):
    start = time.monotonic()
    with pytest.raises(FetchError, match="no answer within 0.5 s"):
        fetch.fetch_url(f"{server}/slow", timeout=0.5)
    assert time.monotonic() - start < 2


# ---------------------------------------------------------------- feeds


@pytest.mark.parametrize("content_type, body, expected", [
    ("application/rss+xml", b"<rss/>", True),
    ("application/atom+xml", b"", True),
    ("text/xml", b'<?xml version="1.0"?>\n<rss version="2.0"><channel/></rss>', True),
    ("application/octet-stream", b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">', True),
    ("text/xml", b'<?xml version="1.0"?><svg/>', False),
    ("text/html", b"<html><body>rss feed</body></html>", False),
])
def test_fetch_looks_like_feed(content_type, body, expected):
    assert fetch.looks_like_feed(Fetched("http://x/", content_type, None, body)) is expected


@pytest.mark.parametrize("fragment, text", [
    ("<p>One.</p><p>Two <b>bold</b>.</p>", "One.\n\nTwo bold."),
    ("<p>Kept</p><script>alert(1)</script><style>p{}</style>", "Kept"),
    ("<div onclick=\"x()\">Click&nbsp;me</div>", "Click me"),
    ("plain words", "plain words"),
    ("", ""),
    ("<p>unclosed <i>tags", "unclosed tags"),
])
def test_fetch_html_text(fragment, text):
    assert fetch.html_text(fragment) == text


def test_fetch_feed_entries(server):
    page = fetch.fetch_url(f"{server}/feed.xml", timeout=5)
    assert fetch.looks_like_feed(page)
    entries = fetch.feed_entries(page)
    outlet = "Eastern Wire – Asia"
    assert [(e.title, e.link, e.published, e.source) for e in entries] == [
        ("Lavrov arrives in Pyongyang for talks on treaty", f"{server}/lavrov-pyongyang.html", date(2024, 11, 28), outlet),
        ("Satellite images show rail cars moving munitions from Rajin to Russia", f"{server}/rail-shipments.html", date(2024, 3, 2), outlet),
        ("Shoigu meets Kim Jong Un in Pyongyang", f"{server}/gone/shoigu-kim.html", date(2024, 9, 13), outlet),
    ]
    assert entries[2].text == (
        "Sergei Shoigu, the secretary of Russia's Security Council, met North Korean leader Kim Jong Un in Pyongyang "
        "on Friday, state media said.\n\nThe two discussed \"strategic dialogue\" and the treaty signed in June, "
        "according to the Korean Central News Agency.\n\nShoigu arrived on Thursday and was received by Defence "
        "Minister No Kwang Chol."
    )
    assert len(fetch.feed_entries(page, limit=1)) == 1


def test_fetch_feed_entries_refuses_a_non_feed():
    with pytest.raises(IngestError, match="not a readable RSS/Atom feed"):
        fetch.feed_entries(Fetched("http://x/feed", "text/xml", None, b"<?xml version='1.0'?><rss><channel><title>x"))


# ---------------------------------------------------------------- articles (core.extract.ingest)


def test_fetch_page_article_takes_main_text_and_metadata(server):
    article = fetch.fetch_article(f"{server}/lavrov-pyongyang.html", timeout=5)
    assert (article.title, article.published, article.source, article.url, article.file) == (
        "Lavrov arrives in Pyongyang for talks on treaty", date(2024, 11, 29), "Eastern Wire",
        f"{server}/lavrov-pyongyang.html", f"{server}/lavrov-pyongyang.html",
    )
    assert "Russian Foreign Minister Sergei Lavrov arrived in Pyongyang on Friday" in article.text
    assert "more than 10,000 troops" in article.text
    for junk in ("dataLayer", "Privacy", "Search", "Opinion", "All rights reserved", "<"):
        assert junk not in article.text


@pytest.mark.parametrize("path, error, reason", [
    ("/image.png", IngestError, "not a web page"),
    ("/empty.html", IngestError, "no article text"),
    ("/missing.html", FetchError, "404"),
])
def test_fetch_article_refuses_what_is_not_an_article(server, path, error, reason):
    with pytest.raises(error, match=reason):
        fetch.fetch_article(server + path, timeout=5)


def test_fetch_plain_text_page(server):
    article = fetch.fetch_article(f"{server}/plain.txt", timeout=5)
    assert "Kim Jong Un met Vladimir Putin in Vostochny" in article.text
    assert article.source == "127.0.0.1"


def test_fetch_feed_articles_use_pages_and_fall_back_to_feed_text(server):
    articles, errors = fetch.feed_articles(fetch.fetch_url(f"{server}/feed.xml", timeout=5), timeout=5)
    assert errors == []
    assert [(a.file, a.published) for a in articles] == [
        (f"{server}/lavrov-pyongyang.html", date(2024, 11, 29)),
        (f"{server}/rail-shipments.html", date(2024, 3, 2)),
        (f"{server}/gone/shoigu-kim.html", date(2024, 9, 13)),  # page gone: the feed's text
    ]
    assert "about 2,500 containers at the Rajin rail yard" in articles[1].text
    assert "Defence Minister No Kwang Chol" in articles[2].text and "alert" not in articles[2].text


def test_fetch_feed_articles_past_deadline_use_feed_text_only(server):
    articles, errors = fetch.feed_articles(fetch.fetch_url(f"{server}/feed.xml", timeout=5), timeout=5, deadline=0)
    assert errors == []
    assert [a.file for a in articles] == [f"{server}/lavrov-pyongyang.html", f"{server}/rail-shipments.html",
                                          f"{server}/gone/shoigu-kim.html"]
    assert "begins a two-day visit" in articles[0].text and "10,000 troops" not in articles[0].text


def test_fetch_entry_without_text_is_an_error():
    entry = FeedEntry(title="Only a title", link=None, published=None, source="X", text="")
    with pytest.raises(IngestError, match="carries no text"):
        fetch.entry_article(entry, "http://x/feed.xml")
