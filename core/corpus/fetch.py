"""Bytes from the web: a resource's body and metadata, and the items of an RSS/Atom feed.

Nothing here turns a page into an article: core.extract.ingest does that for every input
(core.corpus.inputs joins the two). Every request has a short timeout and a hard deadline (the
request runs in a daemon thread, so even a DNS lookup that never answers cannot hang the
caller); only http(s) URLs are fetched (no file:, ftp: or data:, also not through a redirect);
bodies are capped at the size limit; and no internal address is ever connected to: every
host, the first and each of at most MAX_REDIRECTS redirects, is resolved and refused when an
address is loopback, private, link-local, multicast, reserved or unspecified, and the socket
connects to the very address that was checked (a second DNS answer cannot swap it).
`allow_private=True` lifts the address check for a user who means it (a local test server, an
intranet). Environment proxies are not used: the check must see the real destination.
Failures raise FetchError with a reason a user can act on.
"""
from __future__ import annotations

import http.client
import ipaddress
import queue
import re
import socket
import ssl
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit

import feedparser

from core.errors import FetchError, IngestError
from core.extract.ingest import fragment_text
from core.extract.limits import max_bytes_limit, size_text

USER_AGENT = "newsdash/0.1 (+https://github.com/; news-intelligence dashboard)"
ACCEPT = "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,*/*;q=0.5"
FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json"}
XML_TYPES = {"application/xml", "text/xml"}
FEED_SNIFF = re.compile(rb"<(rss|feed|rdf:RDF)[\s>]", re.I)
FEED_LIMIT = 50  # items per feed
MAX_REDIRECTS = 5
PRIVATE_HINT = "use --allow-private-urls (allow_private=True) if you mean to fetch from your own network"


@dataclass(frozen=True)
class Fetched:
    """A fetched resource: `url` is the final URL (after redirects), then its media type, charset
    and body, the URL asked for and the response headers."""

    url: str
    content_type: str
    charset: str | None
    data: bytes
    requested_url: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


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


def address_refusal(address: str) -> str | None:
    """Why the IP `address` must not be fetched from ('a loopback address', ...), or None when
    it is a public address. An IPv4 address mapped into IPv6 is judged as itself."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    for kind, flag in (("loopback", ip.is_loopback), ("link-local", ip.is_link_local),
                       ("multicast", ip.is_multicast), ("unspecified", ip.is_unspecified),
                       ("reserved", ip.is_reserved), ("private", ip.is_private or not ip.is_global)):
        if flag:
            return f"{'an' if kind[0] in 'aeiou' else 'a'} {kind} address"
    return None


def resolve(host: str, port: int) -> list[str]:
    """The IP addresses `host` resolves to, in the resolver's order (raises socket.gaierror)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def checked_addresses(host: str, port: int, *, allow_private: bool = False) -> list[str]:
    """The addresses of `host` that may be connected to. Raises FetchError when any of them is
    internal (unless `allow_private`): a host that also resolves inside is refused whole."""
    addresses = resolve(host, port)
    if not allow_private:
        for address in addresses:
            refusal = address_refusal(address)
            if refusal:
                raise FetchError(f"{host} resolves to {address}, {refusal}: internal addresses are not fetched "
                                 f"({PRIVATE_HINT})")
    return addresses


def connect(addresses: list[str], port: int, timeout, source_address=None) -> socket.socket:
    """A socket connected to the first of `addresses` that answers (the last error when none does)."""
    error: OSError | None = None
    for address in addresses:
        try:
            return socket.create_connection((address, port), timeout, source_address)
        except OSError as exc:
            error = exc
    raise error or OSError(f"no address to connect to for port {port}")


class CheckedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection that connects only to an address `checked_addresses` allowed."""

    allow_private = False
    # Set by HTTPConnection.__init__ but left out of typeshed's stubs.
    source_address: tuple[str, int] | None

    def connect(self):
        """Connect to the host, when `checked_addresses` allows it (else raises FetchError)."""
        addresses = checked_addresses(self.host, self.port, allow_private=self.allow_private)
        self.sock = connect(addresses, self.port, self.timeout, self.source_address)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class CheckedHTTPSConnection(http.client.HTTPSConnection):
    """An HTTPS connection that connects only to an address `checked_addresses` allowed
    (the certificate is still checked against the host name)."""

    allow_private = False
    # Set by HTTPSConnection.__init__ but left out of typeshed's stubs.
    source_address: tuple[str, int] | None
    _context: ssl.SSLContext

    def connect(self):
        """Connect with TLS to the host, when `checked_addresses` allows it (else raises FetchError)."""
        addresses = checked_addresses(self.host, self.port, allow_private=self.allow_private)
        sock = connect(addresses, self.port, self.timeout, self.source_address)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


class CheckedRedirectHandler(urllib.request.HTTPRedirectHandler):
    """Follows at most MAX_REDIRECTS redirects, each to an http(s) URL (its address is checked
    when the connection is made)."""

    max_redirections = MAX_REDIRECTS

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        """The request to follow the redirect with; raises FetchError for a non-http(s) target."""
        if urlsplit(newurl).scheme.lower() not in ("http", "https"):
            raise FetchError(f"{req.full_url}: redirected to {newurl}; only http:// and https:// URLs can be fetched")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def opener(*, allow_private: bool = False) -> urllib.request.OpenerDirector:
    """A urllib opener that speaks only http(s), without proxies, connecting only to addresses
    `checked_addresses` allows (all of them with `allow_private`)."""
    http_class: type[CheckedHTTPConnection] = type("Conn", (CheckedHTTPConnection,), {"allow_private": allow_private})
    https_class: type[CheckedHTTPSConnection] = type("Conn", (CheckedHTTPSConnection,),
                                                     {"allow_private": allow_private})
    context = ssl.create_default_context()

    class HTTP(urllib.request.HTTPHandler):
        def http_open(self, req):
            return self.do_open(http_class, req)

    class HTTPS(urllib.request.HTTPSHandler):
        def https_open(self, req):
            return self.do_open(https_class, req, context=context)

    director = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler({}),
        HTTP(),
        HTTPS(context=context),
        urllib.request.HTTPDefaultErrorHandler(),
        CheckedRedirectHandler(),
        urllib.request.HTTPErrorProcessor(),
        urllib.request.UnknownHandler(),
    ):
        director.add_handler(handler)
    return director


def failure_reason(exc: BaseException, timeout: float) -> str:
    """A short, actionable reason for a failed request."""
    if isinstance(exc, urllib.error.HTTPError):
        if "infinite loop" in str(exc.reason):
            return f"too many redirects (at most {MAX_REDIRECTS} are followed)"
        return f"HTTP error {exc.code} {exc.reason}"
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, FetchError):
        return str(reason)
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


def download(url: str, timeout: float, max_bytes: int, *, allow_private: bool = False) -> Fetched:
    """The resource at `url` (blocking; bounded by socket timeouts, not a deadline)."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": ACCEPT})
    with opener(allow_private=allow_private).open(request, timeout=timeout) as resp:
        final = checked_url(resp.geturl())
        length = resp.headers.get("Content-Length")
        if length and length.isdigit() and int(length) > max_bytes:
            raise FetchError(f"{url}: larger than the limit of {size_text(max_bytes)} ({size_text(int(length))})")
        data = resp.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise FetchError(f"{url}: larger than the limit of {size_text(max_bytes)}")
        return Fetched(final, resp.headers.get_content_type(), resp.headers.get_content_charset(), data,
                       requested_url=url, headers=dict(resp.headers.items()))


def fetch_url(url: str, *, timeout: float = 10, max_bytes: int | None = None, allow_private: bool = False) -> Fetched:
    """The resource at the http(s) `url`, within `timeout` seconds in all.

    Raises FetchError: not an http(s) URL, an internal address (unless `allow_private`), no
    network, timeout, HTTP error, too many redirects, too large.
    """
    url = checked_url(url)
    limit = max_bytes_limit(max_bytes)
    box: queue.Queue = queue.Queue(maxsize=1)

    def run():
        try:
            box.put((True, download(url, timeout, limit, allow_private=allow_private)))
        except BaseException as exc:  # handed to the caller's thread
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


# ---------------------------------------------------------------- feeds


def looks_like_feed(page: Fetched) -> bool:
    """True when `page` is an RSS/Atom feed (by media type, or XML whose root is a feed)."""
    if page.content_type in FEED_TYPES:
        return True
    head = page.data[:4096]
    return (page.content_type in XML_TYPES or head.lstrip().startswith(b"<?xml")) and bool(FEED_SNIFF.search(head))


def feed_entries(page: Fetched, *, limit: int | None = None) -> list[FeedEntry]:
    """The items of the RSS/Atom feed `page`, at most `limit` (default FEED_LIMIT).

    Raises IngestError when it is not a readable feed.
    """
    parsed = feedparser.parse(page.data,
                              response_headers={"content-location": page.url, "content-type": page.content_type})
    if not parsed.entries and (parsed.bozo or not parsed.feed):
        raise IngestError(page.url, f"not a readable RSS/Atom feed ({parsed.get('bozo_exception', 'no items')})")
    outlet = parsed.feed.get("title") or urlsplit(page.url).hostname
    entries = []
    for item in parsed.entries[: limit or FEED_LIMIT]:
        stamp = item.get("published_parsed") or item.get("updated_parsed")
        contents = [c.get("value", "") for c in item.get("content", [])]
        body = max([*contents, item.get("summary", "")], key=len)
        link = item.get("link")
        entries.append(FeedEntry(
            title=fragment_text(item.get("title", "")),
            link=link if link and re.match(r"^https?://", link, re.I) else None,
            published=date(*stamp[:3]) if stamp else None,
            source=outlet,
            text=fragment_text(body),
        ))
    return entries
