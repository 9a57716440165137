"""The dashboard in headless Chromium, served by `streamlit run`, with the network closed.

Every page opens without an error box and draws its charts (the map's country outlines
included, from the app's own static/ folder); a filter set in the sidebar narrows the view and
follows the analyst to another page; a downloaded CSV holds the rows shown. The seeded-corpus
test also keeps a screenshot of each page in docs/screenshots/.
"""
from __future__ import annotations

import io
import re

import pandas as pd
import pytest
from conftest import REPO

PAGES = [  # (url path, title, key of a chart the page must draw, or None)
    ("", "Russia – North Korea: news overview", "overview_actors_chart"),
    ("timeline", "Timeline", "timeline_chart"),
    ("map", "Map", "map_chart"),
    ("actors", "Actors", "actors_network"),
    ("quantities", "Quantities", "quantities_chart"),
    ("tables", "Tables & downloads", None),
    ("articles", "Articles", None),
]
SCREENSHOTS = REPO / "docs" / "screenshots"
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
    assert [(u.removeprefix(live_server), s) for u, s in fetched] == [("/app/static/world_110m.json", 200)]
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
    page.locator('[data-testid="stSidebarNav"] a', has_text="Tables").click()
    page.wait_for_url(re.compile(r"/tables"), timeout=TIMEOUT)
    wait_idle(page)
    assert events_line(page) == (2, 6)  # the filter came along
    assert "q=containers" in page.url
    with page.expect_download(timeout=TIMEOUT) as info:
        page.get_by_role("button", name=re.compile(r"Download events CSV")).click()
    download = info.value
    assert re.fullmatch(r"events_\d{4}-\d{2}-\d{2}_filtered\.csv", download.suggested_filename)
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
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for path, title, key in PAGES:
        open_page(page, seeded_server, path)
        check_page(page, title, key)
        if key:
            page.wait_for_timeout(800)  # let plotly finish its transitions before the picture
        page.screenshot(path=str(SCREENSHOTS / f"{path or 'overview'}.png"), full_page=True)
    assert events_line(page)[1] > 0
    assert page.blocked == []


def test_browser_csv_download_is_readable(live_server, page):
    open_page(page, live_server, "tables")
    page.get_by_role("tab", name=re.compile(r"^articles")).click()
    with page.expect_download(timeout=TIMEOUT) as info:
        page.get_by_role("button", name=re.compile(r"Download articles CSV")).click()
    data = open(info.value.path(), "rb").read()
    articles = pd.read_csv(io.BytesIO(data))
    assert len(articles) == 4 and articles["title"].str.startswith("'=").sum() == 1
