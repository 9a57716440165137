"""Fetching pages and feeds from a local HTTP server on 127.0.0.1: never the network.

Fetches from the local server pass allow_private=True (loopback is refused by default)."""
from __future__ import annotations

import threading
import time
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from core.corpus import fetch, inputs
from core.corpus.fetch import FeedEntry, Fetched
from core.errors import FetchError, IngestError
from core.extract.ingest import fragment_text

FEEDS = Path(__file__).parent / "data" / "feeds"
HITS: list[str] = []  # paths the local server was asked for
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
        HITS.append(path)
        if path.startswith("/hop/"):  # /hop/N redirects N times, then serves a text
            n = int(path.rsplit("/", 1)[1])
            if n == 0:
                return self.send_body(b"Kim Jong Un met Vladimir Putin in Vostochny.", TYPES[".txt"])
            self.send_response(302)
            self.send_header("Location", f"/hop/{n - 1}")
            self.end_headers()
            return None
        if path == "/to-local":
            self.send_response(302)
            self.send_header("Location", f"{base}/secret.txt")
            self.end_headers()
            return None
        if path == "/secret.txt":
            return self.send_body(b"the secret text of an internal service", TYPES[".txt"])
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
            atom = (FEEDS / "atom.xml").read_text().replace("{BASE}", base)
            return self.send_body(atom.encode(), "application/atom+xml")
        if path == "/plain.txt":
            return self.send_body(b"Kim Jong Un met Vladimir Putin in Vostochny on September 13, 2023.", TYPES[".txt"])
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
    page = fetch.fetch_url(f"{server}/moved", timeout=5, allow_private=True)
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
    ("/huge", "larger than the limit of 1,000,000 bytes"),
])
def test_fetch_bad_responses_are_fetch_errors(server, path, reason):
    with pytest.raises(FetchError, match=reason):
        fetch.fetch_url(server + path, timeout=5, max_bytes=1_000_000, allow_private=True)


@pytest.mark.parametrize("url, timeout, reason", [
    (None, 2, "connection refused"),  # nothing listens on the port
    ("http://newsdash-test.invalid/", 2, "cannot be resolved|no answer"),  # no such host / no DNS
    ("blackhole", 0.5, "no answer within 0.5 s"),  # connects, never answers: a dead link
])
def test_fetch_no_network_is_a_quick_clear_error(url, timeout, reason, blackhole):
    start = time.monotonic()
    with pytest.raises(FetchError, match=reason):
        fetch.fetch_url(blackhole if url == "blackhole" else url or closed_port_url(), timeout=timeout,
                        allow_private=True)
    assert time.monotonic() - start < timeout + 1.5


def test_fetch_slow_server_hits_the_deadline(server):
    start = time.monotonic()
    with pytest.raises(FetchError, match=r"no answer within 0\.5 s"):
        fetch.fetch_url(f"{server}/slow", timeout=0.5, allow_private=True)
    assert time.monotonic() - start < 2


# ---------------------------------------------------------------- no internal fetches


@pytest.mark.parametrize("address, refusal", [
    ("127.0.0.1", "a loopback address"), ("::1", "a loopback address"), ("::ffff:127.0.0.1", "a loopback address"),
    ("10.0.0.1", "a private address"), ("192.168.1.20", "a private address"), ("fd00::1", "a private address"),
    ("100.64.0.1", "a private address"), ("169.254.169.254", "a link-local address"),
    ("fe80::1", "a link-local address"),
    ("224.0.0.1", "a multicast address"), ("0.0.0.0", "an unspecified address"), ("240.0.0.1", "a reserved address"),
    ("93.184.216.34", None), ("2606:4700:4700::1111", None),
])
def test_fetch_address_refusal(address, refusal):
    assert fetch.address_refusal(address) == refusal


@pytest.fixture
def no_connect(monkeypatch):
    """Fails the test if any socket connection is attempted."""
    def connect(addresses, port, *args):
        raise AssertionError(f"connected to {addresses}:{port}")
    monkeypatch.setattr(fetch, "connect", connect)


@pytest.mark.parametrize("url, refusal", [
    ("http://127.0.0.1:{port}/lavrov-pyongyang.html", "127.0.0.1, a loopback address"),
    ("http://localhost:{port}/lavrov-pyongyang.html", "a loopback address"),
    ("http://[::1]:{port}/", "::1, a loopback address"),
    ("http://169.254.169.254/latest/meta-data/", "169.254.169.254, a link-local address"),
    ("http://10.0.0.1/", "10.0.0.1, a private address"),
    ("https://10.0.0.1/admin", "10.0.0.1, a private address"),
])
def test_fetch_internal_addresses_are_refused_before_connecting(server, no_connect, url, refusal):
    HITS.clear()
    port = server.rsplit(":", 1)[1]
    with pytest.raises(FetchError, match="internal addresses are not fetched") as info:
        fetch.fetch_url(url.format(port=port), timeout=2)
    assert refusal in str(info.value) and "--allow-private-urls" in str(info.value)
    assert HITS == []


def test_fetch_host_resolving_to_public_and_private_is_refused(monkeypatch, no_connect):
    monkeypatch.setattr(fetch, "resolve", lambda host, port: ["93.184.216.34", "10.1.2.3"])
    with pytest.raises(FetchError, match=r"10\.1\.2\.3, a private address"):
        fetch.fetch_url("http://mixed.example/", timeout=2)


@pytest.fixture
def public_host(monkeypatch, server):
    """'news.example' resolves to a public address, and connections to it reach the local
    server instead (so no traffic ever leaves 127.0.0.1); every other host resolves as usual."""
    port = int(server.rsplit(":", 1)[1])
    real_resolve, real_connect = fetch.resolve, fetch.connect
    monkeypatch.setattr(fetch, "resolve",
                        lambda host, p: ["93.184.216.34"] if host == "news.example" else real_resolve(host, p))

    def connect(addresses, p, *args):
        if addresses == ["93.184.216.34"]:
            return real_connect(["127.0.0.1"], port, *args)
        return real_connect(addresses, p, *args)

    monkeypatch.setattr(fetch, "connect", connect)
    return f"http://news.example:{port}"


def test_fetch_public_host_is_fetched(public_host):
    page = fetch.fetch_url(f"{public_host}/plain.txt", timeout=5)
    assert page.data.startswith(b"Kim Jong Un met Vladimir Putin")
    assert (page.url, page.requested_url) == (f"{public_host}/plain.txt", f"{public_host}/plain.txt")


def test_fetch_redirect_to_an_internal_address_is_refused(public_host):
    HITS.clear()
    with pytest.raises(FetchError, match=r"127\.0\.0\.1, a loopback address"):
        fetch.fetch_url(f"{public_host}/to-local", timeout=5)
    assert HITS == ["/to-local"]  # the internal page was never asked for
    articles, refusals = inputs.from_url(f"{public_host}/to-local", timeout=5)
    assert articles == [] and "internal addresses are not fetched" in refusals[0].reason


@pytest.mark.parametrize("hops, ok", [(5, True), (6, False)])
def test_fetch_follows_at_most_five_redirects(server, hops, ok):
    if ok:
        assert fetch.fetch_url(f"{server}/hop/{hops}", timeout=5, allow_private=True).url == f"{server}/hop/0"
    else:
        with pytest.raises(FetchError, match="too many redirects"):
            fetch.fetch_url(f"{server}/hop/{hops}", timeout=5, allow_private=True)


def test_fetch_same_page_fetched_and_uploaded_is_the_same_article(server):
    fetched = inputs.fetch_article(f"{server}/lavrov-pyongyang.html", timeout=5, allow_private=True)
    body = (FEEDS / "lavrov-pyongyang.html").read_text().replace("{BASE}", server).encode()
    (uploaded,), errors = inputs.from_bytes(body, "lavrov-pyongyang.html")
    assert errors == []
    assert (uploaded.text, uploaded.content_hash, uploaded.title, uploaded.published) == (
        fetched.text, fetched.content_hash, fetched.title, fetched.published)


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
def test_fetch_feed_fragment_text(fragment, text):
    assert fragment_text(fragment) == text


def test_fetch_feed_entries(server):
    page = fetch.fetch_url(f"{server}/feed.xml", timeout=5, allow_private=True)
    assert fetch.looks_like_feed(page)
    entries = fetch.feed_entries(page)
    outlet = "Eastern Wire – Asia"
    assert [(e.title, e.link, e.published, e.source) for e in entries] == [
        ("Lavrov arrives in Pyongyang for talks on treaty", f"{server}/lavrov-pyongyang.html", date(2024, 11, 28),
         outlet),
        ("Satellite images show rail cars moving munitions from Rajin to Russia", f"{server}/rail-shipments.html",
         date(2024, 3, 2), outlet),
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
    article = inputs.fetch_article(f"{server}/lavrov-pyongyang.html", timeout=5, allow_private=True)
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
        inputs.fetch_article(server + path, timeout=5, allow_private=True)


def test_fetch_plain_text_page(server):
    article = inputs.fetch_article(f"{server}/plain.txt", timeout=5, allow_private=True)
    assert "Kim Jong Un met Vladimir Putin in Vostochny" in article.text
    assert article.source == "127.0.0.1"


def test_fetch_feed_articles_use_pages_and_fall_back_to_feed_text(server):
    page = fetch.fetch_url(f"{server}/feed.xml", timeout=5, allow_private=True)
    articles, errors = inputs.feed_articles(page, timeout=5, allow_private=True)
    assert errors == []
    assert [(a.file, a.published) for a in articles] == [
        (f"{server}/lavrov-pyongyang.html", date(2024, 11, 29)),
        (f"{server}/rail-shipments.html", date(2024, 3, 2)),
        (f"{server}/gone/shoigu-kim.html", date(2024, 9, 13)),  # page gone: the feed's text
    ]
    assert "about 2,500 containers at the Rajin rail yard" in articles[1].text
    assert "Defence Minister No Kwang Chol" in articles[2].text and "alert" not in articles[2].text


def test_fetch_feed_articles_past_deadline_use_feed_text_only(server):
    page = fetch.fetch_url(f"{server}/feed.xml", timeout=5, allow_private=True)
    articles, errors = inputs.feed_articles(page, timeout=5, deadline=0, allow_private=True)
    assert errors == []
    assert [a.file for a in articles] == [f"{server}/lavrov-pyongyang.html", f"{server}/rail-shipments.html",
                                          f"{server}/gone/shoigu-kim.html"]
    assert "begins a two-day visit" in articles[0].text and "10,000 troops" not in articles[0].text


def test_fetch_entry_without_text_is_an_error():
    entry = FeedEntry(title="Only a title", link=None, published=None, source="X", text="")
    with pytest.raises(IngestError, match="carries no text"):
        inputs.entry_article(entry, "http://x/feed.xml")


def test_fetch_https_goes_through_the_checked_connection(blackhole, monkeypatch):
    """An https URL connects through CheckedHTTPSConnection: the address is checked, then TLS
    is attempted on the checked socket (a server that never answers the handshake times out)."""
    checked = []
    real = fetch.checked_addresses
    monkeypatch.setattr(fetch, "checked_addresses", lambda *a, **kw: checked.append(a) or real(*a, **kw))
    url = blackhole.replace("http://", "https://")
    with pytest.raises(FetchError, match=r"no answer within 0\.5 s|secure connection failed"):
        fetch.fetch_url(url, timeout=0.5, allow_private=True)
    assert checked == [("127.0.0.1", int(url.rsplit(":", 1)[1].strip("/")))]
    with pytest.raises(FetchError, match=r"127\.0\.0\.1, a loopback address"):
        fetch.fetch_url(url, timeout=0.5)
