"""core.extract.ingest: files, folders, bytes and strings to Articles; every bad input an IngestError."""
from __future__ import annotations

import hashlib
import json
import time
import unicodedata
from datetime import date

import pytest

import core.extract.ingest as ingest
from core.errors import IngestError
from core.extract.ingest import (
    SUPPORTED_SUFFIXES,
    article_from_html,
    article_from_text,
    articles_from_jsonl,
    normalise_text,
    read_bytes,
    read_file,
    read_paths,
)
from core.extract.limits import DEFAULT_MAX_BYTES

HEAD = "Russian delegation arrives in Pyongyang for talks"
BODY = ("MOSCOW (Reuters) - A Russian delegation arrived in Pyongyang on Monday for talks on trade and "
        "transport links, the foreign ministry said, adding that an agreement could be signed this week.")
TEXT = f"{HEAD}\n\nStatus: 18.06.2024 21:44\n\n{BODY}\n"


def errors_of(errors) -> list[tuple[str, str]]:
    return [(e.source, e.reason) for e in errors]


def one(data: bytes, name: str = "a.txt"):
    articles, errors = read_bytes(data, name)
    assert errors == [] and len(articles) == 1, errors_of(errors)
    return articles[0]


def refused(data: bytes, name: str = "a.txt") -> str:
    articles, errors = read_bytes(data, name)
    assert articles == [] and len(errors) == 1 and errors[0].source == name
    return errors[0].reason


# --- text, encodings, normalisation ----------------------------------------------------------

def test_ingest_plain_text_article_fields():
    art = one(TEXT.encode("utf-8"), "folder/a.txt")
    digest = hashlib.sha256(TEXT.rstrip("\n").encode("utf-8")).hexdigest()
    assert (art.file, art.title, art.source, art.published, art.published_precision, art.reference_date,
            art.content_hash, art.article_id, art.text) == (
        "a.txt", HEAD, "Reuters", date(2024, 6, 18), "day", date(2024, 6, 18), digest, digest[:16], TEXT.rstrip("\n"))


@pytest.mark.parametrize("encode", [
    lambda s: s.encode("utf-8"),
    lambda s: b"\xef\xbb\xbf" + s.encode("utf-8"),
    lambda s: s.encode("utf-16"),  # with its BOM, in the machine's byte order
    lambda s: b"\xff\xfe" + s.encode("utf-16-le"),
    lambda s: b"\xfe\xff" + s.encode("utf-16-be"),
    lambda s: s.encode("utf-32"),
], ids=["utf8", "utf8-bom", "utf16", "utf16le-bom", "utf16be-bom", "utf32"])
def test_ingest_encodings_give_the_same_article(encode):
    text = "Café talks in Pyongyang — “progress”\n\nThe delegation’s visit went well, officials said on Monday."
    assert one(encode(text)).text == text


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252"])
def test_ingest_latin1_and_cp1252_fall_back(encoding):
    text = "Café in Zürich\n\nThe minister's señor visit cost 5 €uros." if encoding == "cp1252" else \
        "Café in Zürich\n\nThe señor visit was planned, officials said."
    assert one(text.encode(encoding)).text == text


def test_ingest_normalisation_makes_equal_texts_one_id():
    nfd = unicodedata.normalize("NFD", "Café talks\r\n\r\nThe visit went well.   \r\nMore later.\t\n\n")
    variants = [nfd, "Café talks\n\nThe visit went well.\nMore later.",
                "\ufeffCafé talks\r\rThe visit went well.\rMore later."]
    arts = [article_from_text(v, file="x.txt") for v in variants]
    assert {a.text for a in arts} == {"Café talks\n\nThe visit went well.\nMore later."}
    assert len({a.article_id for a in arts}) == 1


def test_ingest_normalise_text_drops_stray_control_characters():
    assert normalise_text("a\x07b\x1b c \n\nd\x00") == "ab c\n\nd"


@pytest.mark.parametrize("data, reason", [
    (b"", "empty file"),
    (b"  \n\t\r\n  ", "empty file (only whitespace)"),
    (b"\xef\xbb\xbf \n", "empty file (only whitespace)"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "binary file (a PNG image), not text"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "binary file (a PDF document), not text"),
    (b"PK\x03\x04\x14\x00\x06\x00", "binary file (a ZIP archive), not text"),
    (b"Some text\x00\x00\x00 then nothing", "binary file (contains NUL bytes), not text"),
    (bytes(range(1, 32)) * 20 + b"tail text", "binary file (580 control characters), not text"),
])
def test_ingest_refuses_empty_and_binary_data(data, reason):
    assert refused(data) == reason


@pytest.mark.parametrize("name", ["a.pdf", "a.docx", "a", "notes.TXT.bak"])
def test_ingest_read_bytes_refuses_unsupported_suffixes(name):
    assert refused(b"text", name).startswith("unsupported file type")


def test_ingest_uppercase_suffix_is_supported():
    assert one(TEXT.encode(), "A.TXT").title == HEAD


# --- size limit -------------------------------------------------------------------------------

def test_ingest_50mb_file_is_refused_quickly_without_reading_it(tmp_path, monkeypatch):
    path = tmp_path / "big.txt"
    with path.open("wb") as fh:
        for _ in range(50):
            fh.write(b"North Korea and Russia. " * 43690 + b"\n")
    monkeypatch.delenv("NEWSDASH_MAX_BYTES", raising=False)
    read_calls = []
    monkeypatch.setattr(ingest, "read_document", lambda *a, **kw: read_calls.append(a) or ([], []))
    started = time.perf_counter()
    articles, errors = read_file(path)
    assert time.perf_counter() - started < 1.0
    assert (articles, read_calls, errors_of(errors)) == (
        [], [], [(str(path), "file too large: 50.0 MiB (limit 10.0 MiB; set NEWSDASH_MAX_BYTES to raise it)")])


def test_ingest_size_limit_from_argument_and_environment(tmp_path, monkeypatch):
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    size = path.stat().st_size
    monkeypatch.setenv("NEWSDASH_MAX_BYTES", "100")
    assert errors_of(read_file(path)[1]) == [(str(path), f"file too large: {size:,} bytes (limit 100 bytes; "
                                                         "set NEWSDASH_MAX_BYTES to raise it)")]
    assert read_bytes(TEXT.encode(), "a.txt")[1][0].reason.startswith("file too large")
    assert len(read_file(path, max_bytes=size)[0]) == 1
    monkeypatch.delenv("NEWSDASH_MAX_BYTES")
    assert ingest.max_bytes_limit() == DEFAULT_MAX_BYTES == 10 * 1024 * 1024


# --- files and folders ------------------------------------------------------------------------

def test_ingest_read_paths_walks_folders_sorted_and_reports_every_problem(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "a.md").write_text(f"# {HEAD}\n\n{BODY}\n", encoding="utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n")  # skipped in a folder walk
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / ".hidden.txt").write_text(TEXT, encoding="utf-8")
    named_png = tmp_path / "image.png"
    missing = tmp_path / "missing.txt"
    articles, errors = read_paths([tmp_path, named_png, missing])
    assert [a.file for a in articles] == ["a.md", "z.txt"]
    assert errors_of(errors) == [
        (str(tmp_path / "empty.txt"), "empty file"),
        (str(named_png), "unsupported file type .png (supported: .txt, .html, .htm, .md, .jsonl)"),
        (str(missing), "no such file or folder"),
    ]


def test_ingest_read_paths_accepts_one_path_and_reports_an_empty_folder(tmp_path):
    (tmp_path / "sub").mkdir()
    assert errors_of(read_paths(str(tmp_path / "sub"))[1]) == [
        (str(tmp_path / "sub"), "folder has no .txt, .html, .htm, .md, .jsonl files")]


def test_ingest_supported_suffixes():
    assert SUPPORTED_SUFFIXES == (".txt", ".html", ".htm", ".md", ".jsonl")


def test_ingest_markdown_front_matter_and_markup():
    md = (f"---\ntitle: {HEAD}\ndate: 2024-06-18\nsource: Example Wire\nurl: https://example.org/a\n---\n"
          f"# {HEAD}\n\n**Moscow** - A [Russian delegation](https://example.org) arrived on *Monday*, "
          "officials said.\n\n![Delegates at the airport](photo.jpg)\n")
    art = one(md.encode(), "a.md")
    assert (art.title, art.published, art.source, art.url, art.text) == (
        HEAD, date(2024, 6, 18), "Example Wire", "https://example.org/a",
        f"{HEAD}\n\nMoscow - A Russian delegation arrived on Monday, officials said.\n\nDelegates at the airport")


# --- explicit fields --------------------------------------------------------------------------

@pytest.mark.parametrize("published, expected", [
    ("2024-06-20", (date(2024, 6, 20), "day", date(2024, 6, 20))),
    (date(2024, 6, 20), (date(2024, 6, 20), "day", date(2024, 6, 20))),
    ("2024-06", (date(2024, 6, 1), "month", date(2024, 6, 18))),  # the date line's day is inside it
    ("2023", (date(2023, 1, 1), "year", date(2023, 1, 1))),
    ("not a date", (date(2024, 6, 18), "day", date(2024, 6, 18))),  # unreadable: detected instead
    (None, (date(2024, 6, 18), "day", date(2024, 6, 18))),
])
def test_ingest_article_from_text_explicit_fields_win(published, expected):
    art = article_from_text(TEXT, file="p.txt", title="Given title", published=published, source="Given",
                            url="https://example.org/x")
    assert (art.title, art.source, art.url, (art.published, art.published_precision, art.reference_date)) == (
        "Given title", "Given", "https://example.org/x", expected)


def test_ingest_article_from_text_month_takes_the_pinned_day_as_reference():
    art = article_from_text(f"{HEAD}\n\nThe delegation stays until Friday, May 24.", file="p.txt", published="2024-05")
    assert (art.published, art.published_precision, art.reference_date) \
        == (date(2024, 5, 1), "month", date(2024, 5, 24))


def test_ingest_article_from_text_refuses_empty_text():
    with pytest.raises(IngestError, match="no text"):
        article_from_text(" \n\n ", file="p.txt")


def test_ingest_title_falls_back_to_the_first_sentence():
    long_first = "A delegation arrived. " + "The talks covered trade and transport and much else besides. " * 6
    assert article_from_text(long_first, file="p.txt").title == "A delegation arrived."


# --- HTML -------------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html><html><head><title>Putin visits Pyongyang | Example News</title>
<meta property="og:site_name" content="Example News">
{meta}
<script>var tracking = 1; document.write('<p>injected</p>');</script>
<style>p {{ color: red }}</style></head>
<body onload="evil()"><nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article><h1>Putin visits Pyongyang</h1>{time}
<p onclick="alert('x')">Russian President Vladimir Putin arrived in Pyongyang on Tuesday for a two-day visit,
the Kremlin said, in his first trip to North Korea in 24 years.</p>
<p>North Korean leader Kim Jong Un met him at the airport, state media reported on Wednesday, and the two
leaders are expected to sign a partnership agreement.</p>
<p>Read also: Seoul summons Russian ambassador</p>
</article><footer>Copyright 2024 Example News</footer></body></html>"""


@pytest.mark.parametrize("meta, time_tag, expected", [
    ('<meta property="article:published_time" content="2024-06-19T01:15:00+09:00">', "", date(2024, 6, 19)),
    ('<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [{"@type": "NewsArticle", '
     '"datePublished": "2024-06-18T22:00:00+02:00"}]}</script>', "", date(2024, 6, 18)),
    ("", '<time datetime="2024-06-17T10:00:00Z">June 17</time>', date(2024, 6, 17)),
    ("", "", None),
])
def test_ingest_html_meta_dates(meta, time_tag, expected):
    art = article_from_html(PAGE.format(meta=meta, time=time_tag), file="p.html")
    assert (art.published, art.published_precision) == (expected, "day" if expected else None)


def test_ingest_html_main_text_title_and_source_without_markup():
    art = one(PAGE.format(meta="", time="").encode("utf-8"), "page.html")
    assert art.title == "Putin visits Pyongyang"
    assert art.source == "Example News"
    assert art.text.startswith("Putin visits Pyongyang\n\nRussian President Vladimir Putin arrived in Pyongyang")
    assert "Kim Jong Un met him at the airport" in art.analysed_text()
    assert "Read also" not in art.analysed_text()
    leftovers = [s for s in ("<", ">", "tracking", "injected", "color: red", "onclick", "alert", "evil", "Home |")
                 if s in art.text]
    assert leftovers == []


@pytest.mark.parametrize("html, expected", [
    ("<div><p>Broken <b>markup<p>Second paragraph <script>bad()</script>still here",
     "Broken markup\n\nSecond paragraph still here"),
    ("<html><body><p>Unclosed &amp; odd <i>tags</b> here</p></body>", "Unclosed & odd tags here"),
    ("Just text with a stray </p> tag and &lt;b&gt; entity", "Just text with a stray tag and entity"),
])
def test_ingest_malformed_html_still_yields_its_text(html, expected):
    assert one(html.encode(), "bad.html").text == expected


def test_ingest_html_falls_back_to_lxml_when_trafilatura_finds_nothing(monkeypatch):
    monkeypatch.setattr(ingest, "_trafilatura", lambda html, url: None)
    art = article_from_html(PAGE.format(meta="", time=""), file="p.html")
    assert art.text.startswith("Putin visits Pyongyang | Example News\n\nPutin visits Pyongyang\n\nRussian President")
    assert "tracking" not in art.text and "Home" not in art.text


def test_ingest_html_without_text_is_refused():
    assert refused(b"<html><head><script>x()</script></head><body></body></html>", "e.html") == "no text"


def test_ingest_txt_holding_a_whole_html_page_is_read_as_html():
    art = one(PAGE.format(meta="", time="").encode(), "saved.txt")
    assert art.title == "Putin visits Pyongyang" and "<" not in art.text


# --- JSON lines -------------------------------------------------------------------------------

def test_ingest_jsonl_good_lines_pass_and_bad_lines_are_named():
    lines = [
        json.dumps({"title": HEAD, "text": BODY, "url": "https://example.org/1", "published": "2024-06-18",
                    "source": "Example Wire"}),
        "{not json",
        "",
        json.dumps({"title": "No text here"}),
        json.dumps(["a", "list"]),
        json.dumps({"title": "Other", "text": "A second article about the bridge over the Tumen River."}),
        json.dumps({"title": 5, "text": "Numbers are not titles."}),
    ]
    articles, errors = read_bytes("\n".join(lines).encode(), "batch.jsonl")
    assert [(a.file, a.title, a.url, a.published, a.source) for a in articles] == [
        ("batch.jsonl#L1", HEAD, "https://example.org/1", date(2024, 6, 18), "Example Wire"),
        ("batch.jsonl#L6", "Other", None, None, None),
    ]
    assert errors_of(errors) == [
        ("batch.jsonl:2", "not valid JSON (Expecting property name enclosed in double quotes at column 2)"),
        ("batch.jsonl:4", "no text"),
        ("batch.jsonl:5", "not a JSON object"),
        ("batch.jsonl:7", "'title' is not a string"),
    ]


def test_ingest_jsonl_file_errors_name_the_path_and_line(tmp_path):
    path = tmp_path / "b.jsonl"
    path.write_text(json.dumps({"title": "T", "text": BODY}) + "\n[1,\n", encoding="utf-8")
    articles, errors = read_file(path)
    assert [a.file for a in articles] == ["b.jsonl#L1"]
    assert [e.source for e in errors] == [f"{path}:2"]


def test_ingest_jsonl_html_field_is_read_as_html():
    line = json.dumps({"html": PAGE.format(meta="", time=""), "published": "2024-06-18", "source": "Wire"})
    art = one(line.encode(), "h.jsonl")
    assert (art.title, art.published, art.source, "<" in art.text) == (
        "Putin visits Pyongyang", date(2024, 6, 18), "Wire", False)


# --- one path, one hash, bounded work ---------------------------------------------------------

def test_ingest_content_hash_is_of_the_normalised_text():
    assert ingest.content_hash("a  \r\nb\r\n") == ingest.content_hash("a\nb") == hashlib.sha256(b"a\nb").hexdigest()
    assert ingest.content_hash("a\nb") != ingest.content_hash("a\nc")


@pytest.mark.parametrize("name, content_type, kind", [
    ("a.txt", None, "text"), ("a.HTM", None, "html"), ("a.md", None, "markdown"), ("a.jsonl", None, "jsonl"),
    ("a.pdf", None, None), ("http://x/a.php", "text/html", "html"), ("http://x/a.html", "text/plain", "text"),
    ("http://x/", "application/xhtml+xml", "html"), ("http://x/a.png", "image/png", None),
])
def test_ingest_document_kind(name, content_type, kind):
    assert ingest.document_kind(name, content_type) == kind


def test_ingest_read_document_uses_a_declared_charset():
    data = "Визит Путина в Пхеньян: Ким Чен Ын встретил президента в аэропорту.".encode("cp1251")
    (art,), errors = ingest.read_document(data, file="p.txt", kind="text", charset="windows-1251")
    assert errors == [] and art.text.startswith("Визит Путина")
    (guessed,), _ = ingest.read_document(data, file="p.txt", kind="text")  # no charset: cp1252, as before
    assert not guessed.text.startswith("Визит")


@pytest.mark.parametrize("fragment, text", [
    ("<p>One.</p><p>Two <b>bold</b>.</p>", "One.\n\nTwo bold."),
    ("<p>Kept</p><script>alert(1)</script><style>p{}</style>", "Kept"),
    ("plain words", "plain words"),
    ("", ""),
])
def test_ingest_fragment_text(fragment, text):
    assert ingest.fragment_text(fragment) == text


def test_ingest_jsonl_over_the_article_cap_is_refused_whole(monkeypatch):
    data = "\n".join(json.dumps({"title": f"T{i}", "text": f"{BODY} ({i})"}) for i in range(5)).encode()
    monkeypatch.setenv("NEWSDASH_MAX_ARTICLES", "4")
    assert refused(data, "dump.jsonl") == ("5 articles in one file (limit 4; split the file, or set "
                                           "NEWSDASH_MAX_ARTICLES to raise it)")
    monkeypatch.setenv("NEWSDASH_MAX_ARTICLES", "5")
    assert len(read_bytes(data, "dump.jsonl")[0]) == 5
    monkeypatch.delenv("NEWSDASH_MAX_ARTICLES")
    assert ingest.max_articles_limit() == 10_000


def test_ingest_jsonl_cap_refuses_a_huge_file_quickly():
    data = b'{"text": "Kim visited Moscow."}\n' * 200_000
    started = time.perf_counter()
    articles, errors = read_bytes(data, "huge.jsonl", max_bytes=len(data))
    assert time.perf_counter() - started < 2.0
    assert articles == [] and errors_of(errors) == [
        ("huge.jsonl",
         "200,000 articles in one file (limit 10,000; split the file, or set NEWSDASH_MAX_ARTICLES to raise it)")]


def test_ingest_text_longer_than_the_model_takes_is_refused_with_a_clear_reason():
    from core.extract.limits import MAX_CHARS

    words = "Kim Jong Un visited Moscow and met Vladimir Putin.\n"
    long_text = words * (MAX_CHARS // len(words) + 1)
    reason = refused(long_text.encode(), "long.txt")
    assert reason.startswith(f"text too long to analyse: {len(long_text.strip()):,} characters")
    assert "1,000,000" in reason and "E088" not in reason
    fits = words * (MAX_CHARS // len(words) - 1)
    assert one(fits.encode(), "fits.txt").text == fits.strip()


STORY = "Kim Jong Un visited Moscow on Tuesday and met Vladimir Putin at the Kremlin. " * 20


@pytest.mark.parametrize("depth", [300, 100_000])
def test_ingest_body_lost_in_deep_markup_is_refused(depth):
    html = f"<html><head><title>Deep</title></head><body>{'<div>' * depth}{STORY}{'</div>' * depth}</body></html>"
    reason = refused(html.encode(), "deep.html")
    assert reason.startswith("the page's markup could not be read: only 1 of its 281 words survived parsing")


def test_ingest_one_word_in_a_flood_of_markup_is_refused():
    html = "<html><head><title>Deep</title></head><body>" + "<div>" * 100_000 + "Word" + "</div>" * 100_000
    assert refused(html.encode(), "flood.html") \
        == "100,004 elements of markup hold only 0 words of text: not an article"


def test_ingest_a_title_alone_is_not_an_article():
    page = b"<html><head><title>Only a title</title></head><body><div></div></body></html>"
    assert refused(page, "t.html") == "no text"


def test_ingest_shallow_nesting_keeps_its_text():
    html = f"<html><head><title>Nested</title></head><body>{'<div>' * 100}{STORY}{'</div>' * 100}</body></html>"
    assert "met Vladimir Putin at the Kremlin" in one(html.encode(), "nested.html").text


def test_jsonl_html_line_with_a_title_keeps_the_pages_meta_date():
    page = ('<html><head><meta property="article:published_time" content="2024-03-07T09:00:00Z">'
            '<title>Page title</title></head><body><article><p>'
            + "Officials met in the capital to talk about trade. " * 8
            + '</p></article></body></html>')
    line = json.dumps({"html": page, "title": "Given title"})
    articles, errors = articles_from_jsonl(line, "feed.jsonl")
    assert errors == []
    assert (articles[0].title, articles[0].published, articles[0].published_precision) == (
        "Given title", date(2024, 3, 7), "day")
