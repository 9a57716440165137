"""The dashboard in headless Chromium, served by `streamlit run`, with the network closed.

Every page opens without an error box and draws its charts (the map's country outlines
included, from the app's own static/ folder); a filter set in the sidebar narrows the view and
follows the analyst to another page; a downloaded CSV holds the rows shown. The seeded-corpus
test also keeps a screenshot of each page in docs/screenshots/.
"""
from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pandas as pd
import pytest
from conftest import REPO, build_sample_store, streamlit_server
from test_app_injection import INJECT, injected_tables

PAGES = [  # (url path, title, key of a chart the page must draw, or None)
    ("", "Russia – North Korea: news overview", "overview_actors_chart"),
    ("timeline", "Timeline", "timeline_chart"),
    ("map", "Map", "map_chart"),
    ("actors", "Actors", "actors_network"),
    ("quantities", "Quantities", "quantities_chart"),
    ("tables", "Tables & downloads", None),
    ("articles", "Articles", None),
    ("history", "History", None),
]
# Pictures are rewritten only when asked (NEWSDASH_SCREENSHOTS=1), so a test run leaves the tree clean.
SCREENSHOTS = REPO / "docs" / "screenshots" if os.environ.get("NEWSDASH_SCREENSHOTS") else None
ERROR_BOXES = '[data-testid="stException"], [data-testid="stAlertContentError"]'
TIMEOUT = 60_000


IDLE_JS = """() => !document.querySelector('[data-testid="stStatusWidget"]')
    && !document.querySelector('[data-testid="stSkeleton"]')
    && !document.querySelector('[data-stale="true"]')
    && document.querySelector('[data-testid="stSidebar"]')?.innerText.includes(' events')"""


def wait_idle(page) -> None:
    """Wait until the app has finished its run: no "Running…" status, no placeholder or stale
    element, the sidebar's event count drawn; twice, a moment apart, so a rerun is caught."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=TIMEOUT)
    for _ in range(2):
        page.wait_for_timeout(400)
        page.wait_for_function(IDLE_JS, timeout=TIMEOUT)
    page.wait_for_selector("h1", timeout=TIMEOUT)


def open_page(page, base: str, path: str, query: str = "") -> None:
    page.goto(f"{base}/{path}{query}", wait_until="domcontentloaded")
    wait_idle(page)


def chart(page, key: str):
    """The plotly chart drawn for the st.plotly_chart with `key`."""
    return page.locator(f".st-key-{key} .js-plotly-plot").first


def events_line(page) -> tuple[int, int]:
    """(n, N) from the sidebar's "n of N events" line."""
    text = page.locator('[data-testid="stSidebar"]').inner_text()
    n, total = re.search(r"([\d,]+) of ([\d,]+) events", text).groups()
    return int(n.replace(",", "")), int(total.replace(",", ""))


def check_page(page, title: str, key: str | None) -> None:
    """Assert the page shows `title`, no error box, and the chart `key` with drawn marks."""
    assert page.locator("h1").first.inner_text().strip() == title
    assert page.locator(ERROR_BOXES).count() == 0
    if key:
        plot = chart(page, key)
        plot.locator(".main-svg").first.wait_for(timeout=TIMEOUT)
        marks = plot.locator(".scatterlayer .trace, .barlayer .trace, .scattergeo, .point")
        # plotly draws its frame first; a map's marks follow once its outlines are fetched
        marks.first.wait_for(state="attached", timeout=TIMEOUT)
        assert marks.count() > 0


@pytest.mark.parametrize("path, title, key", PAGES)
def test_browser_every_page_renders(live_server, page, path, title, key):
    open_page(page, live_server, path)
    check_page(page, title, key)
    assert page.blocked == []  # nothing tried to leave localhost


def test_browser_map_draws_country_outlines_offline(live_server, page):
    fetched = []
    page.on("response", lambda r: fetched.append((r.url, r.status)) if r.url.endswith("world_110m.json") else None)
    open_page(page, live_server, "map")
    plot = chart(page, "map_chart")
    plot.locator(".geo .countries path, .geo path.country, .layer.countries path").first.wait_for(timeout=TIMEOUT)
    assert plot.locator(".layer.countries path, .countries path").count() > 0
    # Only the app's own copy (fetched once per map frame: the main map and its inset).
    assert fetched and {(u.removeprefix(live_server), s) for u, s in fetched} == {("/app/static/world_110m.json", 200)}
    assert plot.locator(".scattergeo").count() > 0  # markers and arcs are drawn too
    assert page.blocked == []


def test_browser_filter_follows_to_tables_and_download_has_its_rows(live_server, page, tmp_path):
    open_page(page, live_server, "")
    assert events_line(page) == (6, 6)
    search = page.get_by_label("Search sentences")
    search.fill("containers")
    search.press("Enter")
    page.wait_for_function("document.querySelector('[data-testid=\"stSidebar\"]').innerText.includes('2 of 6 events')",
                           timeout=TIMEOUT)
    wait_idle(page)
    assert "q=containers" in page.url
    page.locator('[data-testid="stSidebar"] a', has_text="Tables").click()
    page.wait_for_url(re.compile(r"/tables"), timeout=TIMEOUT)
    wait_idle(page)
    assert events_line(page) == (2, 6)  # the filter came along
    assert "q=containers" in page.url
    with page.expect_download(timeout=TIMEOUT) as info:
        page.get_by_role("button", name=re.compile(r"Download events CSV")).click()
    download = info.value
    assert download.suggested_filename == "events_q-containers.csv"  # named for what it holds
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    events = pd.read_csv(path)
    assert len(events) == 2 and events["sentence"].str.contains("containers").all()


def test_browser_bookmarked_url_restores_filters(live_server, page):
    open_page(page, live_server, "timeline", "?type=visit&source=Yonhap")
    assert events_line(page) == (2, 6)
    check_page(page, "Timeline", "timeline_chart")


def test_browser_seeded_corpus_screenshots(seeded_server, page):
    """The README's command on a fresh store: seeds analysed on first load; every page shown."""
    for path, title, key in PAGES:
        open_page(page, seeded_server, path)
        check_page(page, title, key)
        if key:
            page.wait_for_timeout(800)  # let plotly finish its transitions before the picture
        if SCREENSHOTS:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / f"{path or 'overview'}.png"), full_page=True)
    assert events_line(page)[1] > 0
    assert page.blocked == []


def test_browser_csv_download_is_readable(live_server, page):
    open_page(page, live_server, "tables")
    page.get_by_role("tab", name=re.compile(r"^articles")).click()
    with page.expect_download(timeout=TIMEOUT) as info:
        page.get_by_role("button", name=re.compile(r"Download articles CSV")).click()
    data = Path(info.value.path()).read_bytes()
    articles = pd.read_csv(io.BytesIO(data))
    assert len(articles) == 4 and articles["title"].str.startswith("'=").sum() == 1


# ------------------------------------------------------------------ hostile text, table toolbar

# Elements made from the injected titles, outlets, file names, claimants and actor name
# (everything the app draws itself -- nav links, its own bold line -- is left out).
INJECTED_ELEMENTS_JS = """() => ({
    img: [...document.querySelectorAll('img, image')].filter(e => /8999|pixel|i\\.png/.test(
        e.getAttribute('src') || e.getAttribute('href') || '')).length,
    a: [...document.querySelectorAll('a')].filter(e => /evil|8999|pixel/.test(
        e.getAttribute('href') || e.getAttribute('xlink:href') || '') || /Click here/.test(e.textContent)).length,
    strong: [...document.querySelectorAll('strong, b')].filter(e => /^(bold|b)$/.test(e.textContent.trim())).length,
    katex: document.querySelectorAll('.katex, math').length,
})"""


@pytest.fixture(scope="module")
def injected_server(tmp_path_factory):
    """The dashboard served live on the sample corpus whose titles, outlets, file names,
    claimants and one actor's name carry Markdown, LaTeX and HTML."""
    store = tmp_path_factory.mktemp("injected") / "store"
    build_sample_store(store, injected_tables())
    with streamlit_server(store, tmp_path_factory.mktemp("logs") / "injected.log") as url:
        yield url


@pytest.mark.parametrize("path, title, key", PAGES)
def test_browser_injected_markup_creates_no_element(injected_server, page, path, title, key):
    requested = []
    page.on("request", lambda r: requested.append(r.url) if ":8999" in r.url or "evil" in r.url else None)
    open_page(page, injected_server, path)
    check_page(page, title, key)
    if key:
        page.wait_for_timeout(800)  # plotly draws its labels after the page is idle
    assert page.evaluate(INJECTED_ELEMENTS_JS) == {"img": 0, "a": 0, "strong": 0, "katex": 0}
    assert requested == [] and page.blocked == []


def test_browser_articles_page_shows_the_injected_title_as_written(injected_server, page):
    open_page(page, injected_server, "articles")
    main = page.locator('[data-testid="stMain"]').inner_text()
    assert f"{INJECT} 3" in main  # the newest article's title, every character as written
    assert "source: Outlet " + INJECT in main
    assert page.evaluate(INJECTED_ELEMENTS_JS) == {"img": 0, "a": 0, "strong": 0, "katex": 0}


def test_browser_table_toolbar_offers_no_raw_csv_download(live_server, page):
    """The hover toolbar of a table would export raw cells (a title =cmd|… runs in a
    spreadsheet); the shipped config turns its export off, the page's buttons stay."""
    open_page(page, live_server, "tables")
    page.get_by_role("tab", name=re.compile(r"^articles")).click()
    table = page.locator('[data-testid="stDataFrame"]:visible').first
    table.hover()
    toolbar = page.locator('[data-testid="stElementToolbar"]:visible button')
    toolbar.first.wait_for(timeout=TIMEOUT)
    labels = {toolbar.nth(i).get_attribute("aria-label") for i in range(toolbar.count())}
    assert {"Search", "Fullscreen"} <= labels  # the toolbar is there ...
    assert not [label for label in labels if "download" in (label or "").lower()]  # ... without its download
    assert page.get_by_role("button", name=re.compile(r"Download articles CSV")).count() == 1
