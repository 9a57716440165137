"""Articles from files, folders, uploaded bytes, fetched web pages and strings.

Every document's bytes go through `read_document` (web pages too, by their media type), so
the same bytes give the same article whatever way they came in. `read_document`, `read_paths`,
`read_file` and `read_bytes` never raise for bad input: they return
`(articles, errors)`, every problem an `IngestError(source, reason)` naming the file (and the
line of a JSON-lines file), and the other inputs still go through. Formats by suffix:
  .txt   plain text (the headline on the first line, as saved from a page)
  .md    Markdown (front matter `title:`, `date:`, `source:`, `url:` is read; markup dropped)
  .html  main text via trafilatura (fallback: all visible text via lxml), meta date and title
  .htm
  .jsonl one JSON object a line: `title`, `text` (or `html`), optional `url`, `published`, `source`
Text is normalised first (NFC, "\\n" line endings, no trailing spaces, no stray control
characters); offsets, `content_hash` (sha256 of that text) and `article_id` (its first 16 hex
digits) refer to the normalised text. Limits (core.extract.limits): the size of a file, the
articles in one JSON-lines file, the characters the language model takes; an HTML page whose
text is lost in its markup is refused (`markup_refusal`). The only I/O is in `read_paths` and
`read_file`.
"""
from __future__ import annotations

import codecs
import hashlib
import html as html_entities
import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from core.errors import IngestError
from core.extract.cleaning import detect_source, segment_text
from core.extract.files import SUPPORTED_SUFFIXES, input_files
from core.extract.limits import (
    ENV_MAX_ARTICLES,
    ENV_MAX_BYTES,
    MAX_CHARS,
    max_articles_limit,
    max_bytes_limit,
    size_text,
)
from core.extract.published import find_published, parse_date_value
from core.model import Article
from core.vocab import Precision

KINDS = {".txt": "text", ".md": "markdown", ".html": "html", ".htm": "html", ".jsonl": "jsonl"}
HTML_TYPES = ("text/html", "application/xhtml+xml")
NO_TEXT = "no text"
TITLE_FALLBACK_CHARS = 120
CONTROL_SHARE_BINARY = 0.01  # more control characters than this share of the text: binary
CONTROL_MIN_BINARY = 5

_BOMS = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"),
)
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"), (b"%PDF-", "a PDF document"), (b"PK\x03\x04", "a ZIP archive"),
    (b"PK\x05\x06", "a ZIP archive"), (b"\x1f\x8b", "a gzip archive"), (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"), (b"GIF89a", "a GIF image"), (b"\x7fELF", "an executable"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an MS Office document"), (b"7z\xbc\xaf\x27\x1c", "a 7z archive"),
    (b"Rar!\x1a\x07", "a RAR archive"), (b"\xfd7zXZ\x00", "an xz archive"), (b"BZh", "a bzip2 archive"),
    (b"SQLite format 3\x00", "an SQLite database"), (b"\x28\xb5\x2f\xfd", "a zstd archive"),
    (b"OggS", "an Ogg media file"), (b"wOFF", "a font file"), (b"wOF2", "a font file"),
)
# C0 and C1 control characters other than tab and newline.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x85\x0b\x0c]")


def _too_large(size: int, limit: int) -> str:
    return f"file too large: {size_text(size)} (limit {size_text(limit)}; set {ENV_MAX_BYTES} to raise it)"


def normalise_text(text: str) -> str:
    """`text` in the form every offset and hash refers to: line endings "\\n", no byte-order
    mark or stray control characters, Unicode NFC, no trailing spaces on any line, no blank
    lines at either end."""
    text = _LINE_BREAKS.sub("\n", text).replace("\ufeff", "")
    text = unicodedata.normalize("NFC", _CONTROL.sub("", text))
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")


def content_hash(text: str) -> str:
    """sha256 hex digest of `text` in its normalised form (see `normalise_text`): the one hash
    of an article, so the same text read from any input, with any line endings, hashes alike."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


def _binary_kind(data: bytes) -> str | None:
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if data[4:8] == b"ftyp":
        return "a video or image container"
    if data.startswith(b"RIFF") and data[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return "a RIFF media file"
    return None


def decode_bytes(data: bytes, source: str, *, charset: str | None = None) -> str:
    """The text of a file's bytes: UTF-8 (with or without BOM), UTF-16/32 with a BOM, else the
    declared `charset` (a web server's) when the bytes are valid in it, else UTF-8, else
    cp1252 (Latin-1 for the bytes cp1252 leaves undefined). Raises IngestError for empty,
    whitespace-only and binary data (a known file signature, NUL bytes without a UTF-16 BOM,
    or many control characters)."""
    if not data:
        raise IngestError(source, "empty file")
    kind = _binary_kind(data)
    if kind:
        raise IngestError(source, f"binary file ({kind}), not text")
    encoding = next((enc for bom, enc in _BOMS if data.startswith(bom)), None)
    if encoding is None and charset:
        try:
            encoding = codecs.lookup(charset).name
            data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            encoding = None
    if encoding is None and b"\x00" in data:
        raise IngestError(source, "binary file (contains NUL bytes), not text")
    try:
        text = data.decode(encoding or "utf-8")
    except UnicodeDecodeError as exc:
        if encoding:
            raise IngestError(
                source, f"not valid {encoding.upper()} text although it starts with its byte-order mark") from exc
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
    controls = len(_CONTROL.findall(text))
    if controls >= CONTROL_MIN_BINARY and controls > CONTROL_SHARE_BINARY * len(text):
        raise IngestError(source, f"binary file ({controls:,} control characters), not text")
    if not text.replace("\ufeff", "").strip():
        raise IngestError(source, "empty file (only whitespace)")
    return text


def _first_sentence(text: str) -> str:
    line = next((ln.strip() for ln in text.split("\n") if ln.strip()), "")
    m = re.match(r"(.{20,}?[.!?])(?:\s|$)", line)
    head = m.group(1) if m else line
    return head if len(head) <= TITLE_FALLBACK_CHARS else head[:TITLE_FALLBACK_CHARS].rsplit(" ", 1)[0] + "…"


def _detected_title(text: str, segments) -> str | None:
    for seg in segments:
        if seg.kind == "title":
            return text[seg.start:seg.end].strip()
    return None


def _explicit_published(published, text: str, segments, today: date | None):
    """(published, precision, reference) from a caller's date: a day is its own reference; a
    month or year takes the text's pinned day as reference when it falls inside it."""
    found = parse_date_value(published)
    if not found:
        return None
    value, precision = found
    if precision == Precision.DAY:
        return value, precision, value
    _, _, ref = find_published(text, segments, today=today)
    same = ref and ref.year == value.year and (precision == Precision.YEAR or ref.month == value.month)
    return value, precision, ref if same else value


@dataclass(frozen=True)
class Hints:
    """What an input's container knows of an article (a feed item's title, date and outlet, a
    web page's host): used only where the article itself says nothing."""

    title: str | None = None
    published: object = None
    source: str | None = None


def _few_words(min_words: int) -> str:
    return f"no article text found (fewer than {min_words} words)"


def _build(text: str, *, file: str, title=None, published=None, source=None, url=None,
           meta_date=None, sitename=None, today: date | None = None, hints: Hints | None = None,
           min_words: int = 0) -> Article:
    text = normalise_text(text)
    if not text.strip():
        raise IngestError(file, _few_words(min_words) if min_words else NO_TEXT)
    if len(text) > MAX_CHARS:
        raise IngestError(file, f"text too long to analyse: {len(text):,} characters (the language model's limit "
                                f"is {MAX_CHARS:,}); split it into several articles")
    if min_words and len(text.split()) < min_words:
        raise IngestError(file, _few_words(min_words))
    hints = hints or Hints()
    title = " ".join(title.split()) if isinstance(title, str) and title.strip() else None
    segments = segment_text(text, title=title)
    dated = _explicit_published(published, text, segments, today) if published else None
    pub, precision, ref = dated or find_published(text, segments, html_meta_date=meta_date, today=today)
    if pub is None and hints.published:
        pub, precision, ref = _explicit_published(hints.published, text, segments, today) or (pub, precision, ref)
    digest = content_hash(text)
    return Article(
        article_id=digest[:16], file=file,
        title=title or _detected_title(text, segments) or hints.title or _first_sentence(text),
        text=text, segments=segments,
        source=source or detect_source(text, segments) or sitename or hints.source or None,
        url=url or None, published=pub, published_precision=precision, reference_date=ref, content_hash=digest,
    )


def article_from_text(text: str, *, file: str, title: str | None = None, published=None,
                      source: str | None = None, url: str | None = None, hints: Hints | None = None) -> Article:
    """An Article from plain text (or text already stripped of markup). `published` may be a
    date, a datetime or an ISO string ("2024-06-18", "2024-06"); fields given win over what is
    detected, `hints` fill in what neither gives. Raises IngestError when the text is empty or
    longer than the language model can analyse."""
    return _build(text, file=file, title=title, published=published, source=source, url=url, hints=hints)


# --- Markdown ---------------------------------------------------------------------------------

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_MD_RULES = (
    (re.compile(r"<(script|style)\b.*?</\1\s*>", re.S | re.I), ""),
    (re.compile(r"^```.*$|^~~~.*$", re.M), ""),
    (re.compile(r"^ {0,3}#{1,6}[ \t]+(.*?)[ \t#]*$", re.M), r"\1"),
    (re.compile(r"^ {0,3}(?:[=]{3,}|[-*_](?:[ \t]*[-*_]){2,})[ \t]*$", re.M), ""),
    (re.compile(r"^ {0,3}>[ \t]?", re.M), ""),
    (re.compile(r"^ {0,3}\[[^\]\n]+\]:[ \t]*\S+.*$", re.M), ""),
    (re.compile(r"!\[([^\]\n]*)\]\([^)\n]*\)"), r"\1"),
    (re.compile(r"\[([^\]\n]+)\]\([^)\n]*\)"), r"\1"),
    (re.compile(r"\[([^\]\n]+)\]\[[^\]\n]*\]"), r"\1"),
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<![\w_])_(?=\S)([^_\n]+?)(?<=\S)_(?![\w_])"), r"\1"),
    (re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"), r"\1"),
    (re.compile(r"`([^`\n]+)`"), r"\1"),
    (re.compile(r"</?[A-Za-z][^<>\n]*>"), ""),
)


def markdown_to_text(md: str) -> tuple[str, dict]:
    """(plain text, front-matter fields) of a Markdown document: headings, emphasis, links,
    images, code marks and HTML tags are dropped, their words kept."""
    meta = {}
    m = _FRONT_MATTER.match(md)
    if m:
        for line in m.group(1).split("\n"):
            key, sep, value = line.partition(":")
            if sep and value.strip():
                meta[key.strip().lower()] = value.strip().strip("'\"")
        md = md[m.end():]
    for pattern, repl in _MD_RULES:
        md = pattern.sub(repl, md)
    return md, meta


def article_from_markdown(md: str, *, file: str) -> Article:
    """An Article from a Markdown document (front matter: title, date/published, source, url)."""
    text, meta = markdown_to_text(md)
    return _build(text, file=file, title=meta.get("title"), published=meta.get("published") or meta.get("date"),
                  source=meta.get("source"), url=meta.get("url") or meta.get("link"))


# --- HTML -------------------------------------------------------------------------------------

_DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "svg", "object", "embed", "head", "nav",
              "button", "select", "input", "textarea", "form", "canvas", "video", "audio", "map")
_BLOCK_TAGS = frozenset((
    "p", "div", "br", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
    "section", "article", "header", "footer", "aside", "blockquote", "pre", "figure", "figcaption", "main",
    "address", "hr", "caption", "summary", "details", "time", "title",
))
_META_DATE_KEYS = (
    "article:published_time", "og:published_time", "og:article:published_time", "datepublished",
    "publishdate", "publish-date", "publish_date", "published_time", "pubdate", "date", "dc.date",
    "dc.date.issued", "dcterms.created", "dcterms.date", "dcterms.issued", "sailthru.date",
    "parsely-pub-date", "citation_publication_date", "article.published", "originalpublicationdate",
    "article_date_original", "ptime", "release_date",
)
_LEFTOVER_MARKUP = (
    re.compile(r"<\s*(script|style)\b.*?<\s*/\s*\1\s*>", re.S | re.I),
    re.compile(r"</?[A-Za-z][^<>]*>"),
)


def _parse_html(html: str):
    import lxml.html
    from lxml.etree import ParserError

    html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html)
    try:
        return lxml.html.document_fromstring(html)
    except (ParserError, ValueError):
        return None


def _json_ld_date(value) -> str | None:
    if isinstance(value, dict):
        if isinstance(value.get("datePublished"), str):
            return value["datePublished"]
        value = list(value.values())
    if isinstance(value, list):
        for item in value:
            found = _json_ld_date(item) if isinstance(item, (dict, list)) else None
            if found:
                return found
    return None


def html_meta_date(root) -> str | None:
    """The page's own publication date: article:published_time (and similar meta tags), else
    JSON-LD datePublished, else a <time datetime> (one marked as the publication first)."""
    metas = {}
    for el in root.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        if key and el.get("content") and key not in metas:
            metas[key] = el.get("content").strip()
    for key in _META_DATE_KEYS[:2]:
        if parse_date_value(metas.get(key)):
            return metas[key]
    for el in root.iter("script"):
        if (el.get("type") or "").lower() == "application/ld+json" and el.text:
            try:
                found = _json_ld_date(json.loads(el.text))
            except ValueError:
                continue
            if parse_date_value(found):
                return found
    for key in _META_DATE_KEYS[2:]:
        if parse_date_value(metas.get(key)):
            return metas[key]
    times = [el for el in root.iter("time") if el.get("datetime")]
    times.sort(key=lambda el: not (el.get("itemprop") == "datePublished" or el.get("pubdate") is not None))
    for el in times:
        if parse_date_value(el.get("datetime")):
            return el.get("datetime")
    return None


def _meta_content(root, *keys) -> str | None:
    for el in root.iter("meta"):
        key = (el.get("property") or el.get("name") or "").strip().lower()
        if key in keys and (el.get("content") or "").strip():
            return el.get("content").strip()
    return None


def html_to_text(root) -> str:
    """All visible text of a parsed page, one block element a paragraph (lxml fallback used when
    trafilatura finds no main text). Scripts, styles, forms and navigation are dropped."""
    for el in list(root.iter(*_DROP_TAGS)):
        if el.getparent() is not None:
            el.drop_tree()
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.lower() in _BLOCK_TAGS:
            el.text = "\n" + (el.text or "")
            el.tail = "\n" + (el.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().split("\n"))
    return "\n\n".join(line for line in lines if line)


def _trafilatura(html: str, url: str | None):
    """trafilatura's document (text, title, date, sitename) or None; it never raises here."""
    try:
        import trafilatura

        return trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_images=False,
            date_extraction_params={"extensive_search": False, "original_date": True})
    except Exception:  # a page trafilatura cannot handle falls back to lxml
        return None


def _strip_markup(text: str) -> str:
    for pattern in _LEFTOVER_MARKUP:
        text = pattern.sub("", text)
    return re.sub(r"[ \t]{2,}", " ", text)  # spaces are not significant in HTML


_TAG = re.compile(r"<[^<>]*>")
_ELEMENT = re.compile(r"<[A-Za-z]")
MARKUP_CHECK_MIN_WORDS = 20  # below this a page is too short to judge what the parser lost
MARKUP_KEPT_SHARE = 0.5  # the parsed page must hold at least this share of the page's words
MARKUP_CHECK_MIN_ELEMENTS = 10_000
ELEMENTS_PER_WORD = 1_000  # more elements than this per extracted word: markup, not an article


def _words_in_markup(html: str) -> int:
    """Words between the tags of `html` (a linear scan; no parser, so no parser's limits)."""
    return len(html_entities.unescape(_TAG.sub(" ", html)).split())


def markup_refusal(html: str, root, text: str) -> str | None:
    """Why the `text` extracted from page `html` (parsed as `root`) cannot stand for it, or None.

    Two ways a page's body is lost without a word: the parser gives up (elements nested deeper
    than libxml2 goes drop everything inside them), and a flood of markup around almost no text.
    """
    import lxml.html

    written = _words_in_markup(html)
    parsed = _words_in_markup(lxml.html.tostring(root, encoding="unicode")) if root is not None else 0
    if written >= MARKUP_CHECK_MIN_WORDS and parsed < MARKUP_KEPT_SHARE * written:
        return (f"the page's markup could not be read: only {parsed:,} of its {written:,} words survived parsing "
                "(elements nested too deeply?)")
    elements, words = len(_ELEMENT.findall(html)), len(text.split())
    if elements >= MARKUP_CHECK_MIN_ELEMENTS and words * ELEMENTS_PER_WORD < elements:
        plural = "" if words == 1 else "s"
        return f"{elements:,} elements of markup hold only {words:,} word{plural} of text: not an article"
    return None


def article_from_html(html: str | bytes, *, file: str, url: str | None = None, today: date | None = None,
                      hints: Hints | None = None, min_words: int = 0) -> Article:
    """An Article from an HTML page: the main text via trafilatura (all visible text via lxml when
    trafilatura finds none), headed by the page title; the publication date from the page's
    meta tags (see `html_meta_date`), else trafilatura's, else the text. Nothing of the markup
    (scripts, styles, attributes, tags) is left in the text. `hints` fill in what the page
    lacks. Raises IngestError when the page has no text (or fewer than `min_words` words), or
    when the text is a tiny part of the page (see `markup_refusal`)."""
    if isinstance(html, bytes):
        html = decode_bytes(html, file)
    root = _parse_html(html)
    doc = _trafilatura(html, url)
    get = (lambda k: getattr(doc, k, None)) if doc is not None else (lambda k: None)
    paragraphs = [" ".join(p.split()) for p in (get("text") or "").split("\n")]
    text = "\n\n".join(p for p in paragraphs if p)
    if not text.strip() and root is not None:
        text = html_to_text(_parse_html(html))
    text = _strip_markup(text)
    refusal = markup_refusal(html, root, text)
    if refusal:
        raise IngestError(file, refusal)
    title = get("title") or (root is not None and (_meta_content(root, "og:title", "twitter:title")
                                                   or root.findtext(".//title"))) or None
    title = " ".join(title.split()) if title else None
    if not text.strip():  # a title alone is not an article
        raise IngestError(file, _few_words(min_words) if min_words else NO_TEXT)
    if title and not text.lstrip().lower().startswith(title.lower()):
        text = f"{title}\n\n{text}"
    meta_date = (html_meta_date(root) if root is not None else None) or get("date")
    sitename = get("sitename") or (root is not None and _meta_content(root, "og:site_name")) or None
    return _build(text, file=file, title=title, url=url or get("url"), meta_date=meta_date,
                  sitename=sitename, today=today, hints=hints, min_words=min_words)


def fragment_text(fragment: str) -> str:
    """The text of an HTML fragment (a feed item's title or content), by `html_to_text`: scripts
    and styles dropped, block elements as paragraphs; text without markup is returned stripped."""
    import lxml.html
    from lxml.etree import ParserError

    if not fragment or not fragment.strip():
        return ""
    if "<" not in fragment:
        return fragment.strip()
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (ParserError, ValueError):
        return " ".join(_TAG.sub(" ", fragment).split())
    return html_to_text(root)


# --- JSON lines -------------------------------------------------------------------------------

def _iso_to_precision(d: date | None, precision: str | None) -> str | None:
    """`d` written only as far as `precision` knows it ("2024-05" for a month), or None."""
    if d is None:
        return None
    chars: dict[str | None, int] = {Precision.YEAR: 4, Precision.MONTH: 7}
    return d.isoformat()[:chars.get(precision, 10)]


def _jsonl_article(obj, file: str) -> Article:
    if not isinstance(obj, dict):
        raise ValueError("not a JSON object")
    for key in ("title", "text", "html", "url", "source"):
        if obj.get(key) is not None and not isinstance(obj[key], str):
            raise ValueError(f"'{key}' is not a string")
    text, html = obj.get("text") or "", obj.get("html") or ""
    if not text.strip() and not html.strip():
        raise ValueError("no text")
    published = obj.get("published") if isinstance(obj.get("published"), str) else None
    if not text.strip():
        art = article_from_html(html, file=file, url=obj.get("url"))
        if obj.get("title") or published or obj.get("source"):
            # The page's own date (meta tags) is kept unless the line gives one.
            published = published or _iso_to_precision(art.published, art.published_precision)
            art = _build(art.text, file=file, title=obj.get("title") or art.title, published=published,
                         source=obj.get("source") or art.source, url=art.url)
        return art
    return article_from_text(text, file=file, title=obj.get("title"), published=published,
                             source=obj.get("source"), url=obj.get("url"))


def articles_from_jsonl(text: str, name: str, *, label: str | None = None,
                        max_articles: int | None = None) -> tuple[list[Article], list[IngestError]]:
    """One Article per line of a JSON-lines document; a malformed line, or one without text,
    is an error naming `label:line` (label defaults to `name`) and the others still go through.
    A document of more lines than the article cap (`limits.max_articles_limit`) is refused
    whole, unread. Article.file is `name#L<line>`."""
    label = label or name
    cap = max_articles_limit(max_articles)
    count = sum(1 for line in text.split("\n") if line.strip())
    if count > cap:
        return [], [IngestError(label, f"{count:,} articles in one file (limit {cap:,}; split the file, or set "
                                       f"{ENV_MAX_ARTICLES} to raise it)")]
    articles, errors = [], []
    for n, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(IngestError(f"{label}:{n}", f"not valid JSON ({exc.msg} at column {exc.colno})"))
            continue
        try:
            articles.append(_jsonl_article(obj, f"{name}#L{n}"))
        except (ValueError, IngestError) as exc:
            errors.append(IngestError(f"{label}:{n}", getattr(exc, "reason", str(exc))))
    if not articles and not errors:
        errors.append(IngestError(label, "no JSON lines"))
    return articles, errors


# --- Entry points -----------------------------------------------------------------------------

def _looks_like_html(text: str) -> bool:
    return bool(re.match(r"\s*(?:<!doctype html|<html[\s>])", text[:1000], re.I))


def document_kind(name: str = "", content_type: str | None = None) -> str | None:
    """The format of a document: 'html', 'markdown', 'jsonl' or 'text', from a web resource's
    media type when given, else from `name`'s suffix; None when neither names a format read here."""
    if content_type:
        kinds = {"text/plain": "text", "text/markdown": "markdown", **dict.fromkeys(HTML_TYPES, "html")}
        return kinds.get(content_type)
    return KINDS.get(Path(name).suffix.lower())


def read_document(data: bytes, *, file: str, kind: str | None, label: str | None = None, charset: str | None = None,
                  url: str | None = None, hints: Hints | None = None, min_words: int = 0,
                  ) -> tuple[list[Article], list[IngestError]]:
    """(articles, errors) of one document's bytes: the one way every file, upload and fetched
    page becomes articles, so the same bytes give the same text and hash wherever they came from.

    `kind` is its `document_kind` (a text that is a whole HTML page is read as HTML whatever
    it is called; None reads as plain text); `file` labels the articles, `label` (default `file`) the errors about the
    whole document; `charset`, `url`, `hints` and `min_words` are what a web page adds. Never
    raises for bad input.
    """
    label = label or file
    try:
        text = decode_bytes(data, label, charset=charset)
        if kind == "jsonl":
            return articles_from_jsonl(text, file, label=label)
        if kind == "html" or _looks_like_html(text):
            return [article_from_html(text, file=file, url=url, hints=hints, min_words=min_words)], []
        if kind == "markdown":
            return [article_from_markdown(text, file=file)], []
        return [article_from_text(text, file=file, url=url, hints=hints)], []
    except IngestError as exc:
        return [], [exc]


def _unsupported(name: str) -> str:
    suffix = Path(name).suffix.lower() or "(none)"
    return f"unsupported file type {suffix} (supported: {', '.join(SUPPORTED_SUFFIXES)})"


def read_bytes(data: bytes, name: str, *, max_bytes: int | None = None) -> tuple[list[Article], list[IngestError]]:
    """Articles from an uploaded file's bytes; `name`'s suffix decides the format. Never raises
    for bad input: problems are returned as IngestErrors naming `name`."""
    limit = max_bytes_limit(max_bytes)
    if Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
        return [], [IngestError(name, _unsupported(name))]
    if len(data) > limit:
        return [], [IngestError(name, _too_large(len(data), limit))]
    return read_document(data, file=Path(name).name, kind=document_kind(name), label=name)


def read_file(path, *, max_bytes: int | None = None) -> tuple[list[Article], list[IngestError]]:
    """Articles from one file (I/O: reads it). The size is checked before reading, and no more
    than the limit is ever read, so a huge file is refused at once."""
    path = Path(path)
    label = str(path)
    limit = max_bytes_limit(max_bytes)
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        return [], [IngestError(label, _unsupported(path.name))]
    try:
        if not path.is_file():
            return [], [IngestError(label, "no such file" if not path.exists() else "not a regular file")]
        size = path.stat().st_size
        if size > limit:
            return [], [IngestError(label, _too_large(size, limit))]
        with path.open("rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        return [], [IngestError(label, f"cannot read ({exc.strerror or exc})")]
    if len(data) > limit:
        return [], [IngestError(label, _too_large(len(data), limit))]
    return read_document(data, file=path.name, kind=document_kind(path.name), label=label)


def read_paths(paths, *, max_bytes: int | None = None) -> tuple[list[Article], list[IngestError]]:
    """Articles from files and folders (I/O: reads them). Folders are walked recursively in
    sorted order, taking only supported suffixes; a file named explicitly with another suffix,
    a missing path or a folder without articles is an error (see core.extract.files.input_files).
    Never raises for bad input."""
    articles: list[Article] = []
    errors: list[IngestError] = []
    for entry in input_files(paths):
        if isinstance(entry, IngestError):
            errors.append(entry)
            continue
        got, bad = read_file(entry, max_bytes=max_bytes)
        articles += got
        errors += bad
    return articles, errors
