"""The "Add articles" page under AppTest: upload, paste, URL, remove, hostile input.

The store is a real one in a temp folder; the pipeline is tests/test_store.py's cheap fake.
"""
from __future__ import annotations

import threading
import time
from datetime import date
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest
from test_store import TEXTS, art, fake_aggregate, fake_analyse, make_store

from core.corpus import fetch
from core.corpus import store as store_mod
from core.extract import limits

ROOT = Path(__file__).resolve().parents[1]
FEEDS = ROOT / "tests" / "data" / "feeds"
HOSTILE_HTML = (b"<html><head><title>Kim meets Shoigu</title><script>alert('pwned')</script></head>"
                b"<body><h1>Kim <b>meets</b> Shoigu</h1>"
                b"<p onmouseover=\"steal()\">Sergei Shoigu met Kim Jong Un in Pyongyang on Friday.</p>"
                b"<img src=x onerror=alert(1)><p>The talks covered the treaty.</p></body></html>")


@pytest.fixture
def store(tmp_path, monkeypatch):
    """A store with two articles, used by the page through NEWSDASH_STORE; fake pipeline."""
    monkeypatch.setattr(store_mod, "default_analyse", fake_analyse)
    monkeypatch.setattr(store_mod, "default_aggregate", fake_aggregate)
    path = tmp_path / "store"
    monkeypatch.setenv("NEWSDASH_STORE", str(path))
    s = make_store(path)
    s.add_articles([art(TEXTS[0], "one.txt", "One"), art(TEXTS[1], "two.txt", "Two")])
    st.cache_data.clear()
    st.cache_resource.clear()
    yield s
    st.cache_resource.clear()


def page() -> AppTest:
    """The page as the app runs it: opened from the Overview (dashboard.py)."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=30)
    at.run()
    at.switch_page("pages/add_articles.py").run()
    assert not at.exception, at.exception
    return at


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def report_rows(at: AppTest) -> list[tuple[str, str]]:
    """(file, outcome) of each row of the page's report table."""
    df = at.dataframe[0].value
    return list(zip(df["file"], df["outcome"], strict=True))


def all_text(at: AppTest) -> str:
    """Everything the page rendered as Markdown, captions, titles and alerts."""
    parts = [e.value for kind in ("markdown", "caption", "title", "header", "success", "warning", "info", "error")
             for e in getattr(at, kind)]
    return "\n".join(map(str, parts))


def test_app_add_page_lists_the_stored_articles(store):
    at = page()
    assert [t.label for t in at.tabs] == ["Upload files", "Paste text", "From a URL or feed", "Remove articles"]
    assert at.main.header[0].value == "Stored articles (2)"
    assert list(at.dataframe[0].value["title"]) == list(store.list()["title"])
    assert at.file_uploader[0].allowed_type == [".txt", ".html", ".htm", ".md", ".jsonl"]


def test_app_add_upload_reports_each_file(store):
    before = set(store.ids())
    at = page()
    at.file_uploader[0].set_value([
        ("visit.txt", TEXTS[2].encode(), "text/plain"),
        ("shoigu.html", HOSTILE_HTML, "text/html"),
        ("../../etc/passwd.txt", b"root:x:0:0:root:/root:/bin/bash\x00\x00\x00\xff\xfe" * 20, "text/plain"),
        ("again.txt", TEXTS[0].encode(), "text/plain"),
        ("empty.txt", b"", "text/plain"),
    ])
    at.run()
    button(at, "Add the files").click().run()
    assert not at.exception, at.exception
    rows = report_rows(at)
    assert sorted(rows) == sorted([("visit.txt", "added"), ("shoigu.html", "added"), ("passwd.txt", "refused"),
                                   ("again.txt", "duplicate"), ("empty.txt", "refused")])
    assert at.warning[0].value == "2 added, 1 already stored, 2 refused."
    assert before < set(store.ids()) and len(store.ids()) == 4
    assert at.main.header[-1].value == "Stored articles (4)"
    assert not at.file_uploader[0].value  # emptied for the next files
    stored = store.tables()["articles"]
    html_row = stored[stored["file"] == "shoigu.html"].iloc[0]
    assert "Sergei Shoigu met Kim Jong Un" in html_row["text"]
    for hostile in ("<script", "alert", "onmouseover", "onerror", "<b>"):
        assert hostile not in html_row["text"] and hostile not in html_row["title"]
        assert hostile not in all_text(at)
    written = {p.relative_to(store.path).parts[0] for p in store.path.rglob("*")}
    assert written <= {"manifest.json", ".lock", "raw", "gen"}
    assert list(store.path.parent.iterdir()) == [store.path]


def test_app_add_paste_with_title_date_and_source(store):
    at = page()
    at.text_area[0].set_value(TEXTS[2])
    at.text_input[0].set_value("Kim's armoured train")
    at.date_input[0].set_value(date(2023, 9, 12))
    at.text_input[1].set_value("KCNA")
    button(at, "Add the text").click().run()
    assert not at.exception, at.exception
    assert at.success[0].value == "1 added, 0 already stored, 0 refused."
    row = store.list().set_index("title").loc["Kim's armoured train"]
    assert (row["published"], row["source"]) == ("2023-09-12", "KCNA")


@pytest.mark.parametrize("text, reason", [("", "empty"), ("   \n\t ", "empty")])
def test_app_add_paste_nothing_is_refused(store, text, reason):
    version = store.version()
    at = page()
    at.text_area[0].set_value(text)
    button(at, "Add the text").click().run()
    assert not at.exception, at.exception
    assert report_rows(at) == [("pasted text", "refused")]
    assert reason in at.dataframe[0].value["detail"][0]
    assert store.version() == version


@pytest.fixture
def web():
    """A local HTTP server on 127.0.0.1 serving tests/data/feeds as they are."""
    handler = lambda *a, **kw: SimpleHTTPRequestHandler(*a, directory=str(FEEDS), **kw)  # noqa: E731
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


def test_app_add_from_url(store, web, monkeypatch):
    monkeypatch.setattr(fetch, "address_refusal", lambda address: None)  # the local test server is allowed
    at = page()
    at.text_input(key="add_articles_url").set_value(f"{web}/rail-shipments.html").run()
    button(at, "Fetch and add").click().run()
    assert not at.exception, at.exception
    assert report_rows(at) == [(f"{web}/rail-shipments.html", "added")]
    row = store.list().set_index("file").loc[f"{web}/rail-shipments.html"]
    assert row["title"] == "Satellite images show rail cars moving munitions from Rajin to Russia"


def test_app_add_internal_url_is_refused_and_nothing_stored(store, web):
    before, raw = store.list(), sorted((store.path / "raw").iterdir())
    at = page()
    at.text_input(key="add_articles_url").set_value(f"{web}/rail-shipments.html").run()
    button(at, "Fetch and add").click().run()
    assert not at.exception, at.exception
    assert report_rows(at) == [(f"{web}/rail-shipments.html", "refused")]
    assert "127.0.0.1, a loopback address" in at.dataframe[0].value["detail"][0]
    assert "Rajin" not in all_text(at)
    assert store.list().equals(before) and sorted((store.path / "raw").iterdir()) == raw


def test_app_add_unreachable_url_is_refused(store, web):
    before = store.list()
    at = page()
    at.text_input(key="add_articles_url").set_value("file:///etc/passwd").run()
    button(at, "Fetch and add").click().run()
    assert not at.exception, at.exception
    assert report_rows(at) == [("passwd", "refused")]
    assert "only http:// and https://" in at.dataframe[0].value["detail"][0]
    assert store.list().equals(before)


def checkbox(at: AppTest, starts: str):
    return next(c for c in at.checkbox if c.label.startswith(starts))


def test_app_add_remove_one_then_all(store):
    first, second = store.ids()
    at = page()
    at.multiselect[0].select(first).run()
    assert button(at, "Remove 1 article").disabled  # not before the confirmation
    checkbox(at, "I understand").check().run()
    checkbox(at, "Remove every article").check().run()
    assert button(at, "Remove 2 articles").disabled  # a confirmation does not carry over to another choice
    assert checkbox(at, "I understand").label.startswith("I understand: every article will leave every view")
    checkbox(at, "Remove every article").uncheck().run()
    checkbox(at, "I understand").check().run()
    button(at, "Remove 1 article").click().run()
    assert not at.exception, at.exception
    assert at.success[0].value == "Moved 1 articles to the trash."
    assert store.ids() == [second]
    checkbox(at, "Remove every article").check().run()
    assert button(at, "Remove 1 article").disabled  # the confirmation is asked again
    checkbox(at, "I understand").check().run()
    button(at, "Remove 1 article").click().run()
    assert store.ids() == []
    assert at.info[0].value == "The corpus is empty: add articles with the other tabs."
    assert sorted(store.trash()["article_id"]) == sorted([first, second])


def test_app_add_remove_then_restore_from_the_trash(store, monkeypatch):
    monkeypatch.setenv("NEWSDASH_USER", "erin")
    before = {name: df for name, df in store.tables().items()}
    first = store.ids()[0]
    at = page()
    at.multiselect[0].select(first).run()
    checkbox(at, "I understand").check().run()
    button(at, "Remove 1 article").click().run()
    assert len(store.ids()) == 1 and first not in store.ids()
    assert "**Trash (1)**" in [m.value for m in at.markdown]
    restore = next(m for m in at.multiselect if m.label == "Articles to restore")
    assert "removed by erin at" in restore.format_func(first)
    restore.select(first).run()
    button(at, "Restore 1 article").click().run()
    assert not at.exception, at.exception
    assert "Restored 1 articles." in [s.value for s in at.success]
    assert "**Trash (0)**" in [m.value for m in at.markdown]
    after = store.tables()
    for name, df in before.items():
        assert after[name].equals(df), name


def test_app_add_busy_store_says_so_within_seconds(store):
    from filelock import FileLock

    first = store.ids()[0]
    at = page()
    at.multiselect[0].select(first).run()
    checkbox(at, "I understand").check().run()
    with FileLock(str(store.path / ".lock")):
        start = time.monotonic()
        button(at, "Remove 1 article").click().run()
        waited = time.monotonic() - start
    assert not at.exception, at.exception
    assert 4 <= waited < 15
    assert [w.value for w in at.warning] == ["The store is busy (another process is writing); try again in a moment."]
    assert first in store.ids() and store.trash().empty


def test_app_add_busy_store_refuses_an_upload_with_the_reason(store):
    from filelock import FileLock

    before = store.list()
    at = page()
    at.file_uploader[0].set_value([("new.txt", TEXTS[2].encode(), "text/plain")])
    at.run()
    with FileLock(str(store.path / ".lock")):
        button(at, "Add the files").click().run()
    assert not at.exception, at.exception
    assert report_rows(at) == [("(this request)", "refused")]
    busy = "The store is busy (another process is writing); try again in a moment."
    assert at.dataframe[0].value["detail"][0] == busy
    assert store.list().equals(before)
    assert len(list((store.path / "raw").glob("*.json"))) == 2


def test_app_add_oversized_upload_is_refused(store, monkeypatch):
    monkeypatch.setenv("NEWSDASH_MAX_BYTES", "1000")
    st.cache_resource.clear()
    before = store.list()
    at = page()
    at.file_uploader[0].set_value([("big.txt", b"Kim visited Moscow. " * 100, "text/plain")])
    at.run()
    button(at, "Add the files").click().run()
    assert report_rows(at) == [("big.txt", "refused")]
    assert "limit" in at.dataframe[0].value["detail"][0]
    assert store.list().equals(before)


def test_app_add_sizes_are_in_mib(store):
    at = page()
    assert "up to 10.0 MiB" in at.caption[0].value
    assert at.file_uploader[0].proto.max_upload_size_mb * 1_000_000 >= store.max_bytes  # never below the store's


def test_app_add_streamlit_upload_limit_matches_the_store():
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] * 1024 * 1024 == limits.DEFAULT_MAX_BYTES
