"""In headless Chromium: upload a file on the "Add articles" page of a live dashboard (its own
server, an empty store, the real pipeline) and see its events appear in the app."""
from __future__ import annotations

import re

import pytest
from conftest import streamlit_server
from playwright.sync_api import expect

from core.corpus.store import open_store

ARTICLE = """Belousov holds talks with Kim Jong Un in Pyongyang

Russian Defence Minister Andrei Belousov arrived in Pyongyang on November 29, 2024, and met North Korean leader Kim Jong Un, state media reported.

The two sides discussed military cooperation under the treaty signed in June, according to the Korean Central News Agency.
"""  # noqa: E501 - an article's paragraphs are one line each, as pasted text has them


@pytest.fixture(scope="module")
def empty_app(tmp_path_factory):
    """A `streamlit run dashboard.py` server on localhost over a new, empty store."""
    store = tmp_path_factory.mktemp("addstore") / "store"
    open_store(store, seed=False)
    log = tmp_path_factory.mktemp("addlogs") / "streamlit.log"
    with streamlit_server(store, log) as url:
        yield url, store


def test_browser_add_upload_shows_new_events(empty_app, page, tmp_path):
    url, store = empty_app
    upload = tmp_path / "belousov.txt"
    upload.write_text(ARTICLE)
    page.goto(url)
    expect(page.get_by_role("heading", name=re.compile("news overview"))).to_be_visible(timeout=60_000)
    sidebar = page.locator("[data-testid='stSidebar']")
    expect(sidebar.get_by_text("0 of 0 events")).to_be_visible()
    sidebar.get_by_role("link", name="Add articles").click()
    expect(page.get_by_role("heading", name="Add articles")).to_be_visible(timeout=30_000)

    page.locator("input[type='file']").set_input_files(str(upload))
    expect(page.get_by_text("belousov.txt")).to_be_visible()
    page.get_by_role("button", name="Add the files").click()
    expect(page.get_by_text("1 added, 0 already stored, 0 refused.")).to_be_visible(timeout=120_000)
    expect(page.get_by_role("heading", name="Stored articles (1)")).to_be_visible()
    counts = sidebar.get_by_text(re.compile(r"^[1-9]\d* of [1-9]\d* events$"))
    expect(counts).to_be_visible()

    sidebar.get_by_role("link", name="Overview").click()
    expect(page.get_by_text(re.compile(r"Corpus: 1 articles"))).to_be_visible(timeout=30_000)
    assert len(open_store(store, seed=False).tables()["events"]) >= 1
