"""The map, the network and the page frame in headless Chromium (network closed), served on
this file's own port: clicking an arc lists its events, clicking a node filters every page,
every page has its own tab title and headings in order, the keyboard skips to the content
with a visible focus ring, the date boxes show whole dates."""
from __future__ import annotations

import itertools
import re

import conftest
import pytest
from conftest import build_sample_store, streamlit_server
from test_browser import TIMEOUT, chart, events_line, open_page, wait_idle

PORT = 8642  # this file's server, apart from test_browser.py's
PAGE_PATHS = ["", "timeline", "map", "actors", "quantities", "tables", "articles", "add_articles"]

@pytest.fixture(scope="module")
def own_server(tmp_path_factory, monkeypatch_module):
    store = tmp_path_factory.mktemp("sample_map") / "store"
    build_sample_store(store)
    monkeypatch_module.setattr(conftest, "free_port", lambda: PORT)
    with streamlit_server(store, tmp_path_factory.mktemp("logs") / "map.log") as url:
        yield url


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as mp:
        yield mp


def test_clicking_an_arc_lists_its_events(own_server, page):
    open_page(page, own_server, "map")
    plot = chart(page, "map_chart")
    plot.locator(".main-svg").first.wait_for(timeout=TIMEOUT)
    page.wait_for_timeout(800)
    # The clickable middle of the strike arc: its trace is the one named "strike link".
    names = page.evaluate("() => document.querySelector('.st-key-map_chart .js-plotly-plot').data.map(t => t.name)")
    strike = names.index("strike link")
    target = plot.locator(".scattergeo, .trace.scattergeo").nth(strike).locator("path.point").first
    target.wait_for(timeout=TIMEOUT)
    plot.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    box = target.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_function("document.querySelector('[data-testid=\"stMain\"]').innerText"
                           ".includes('Events of Moscow → Kharkiv (strike)')", timeout=TIMEOUT)
    wait_idle(page)
    # The table's accessible copy (the grid itself is drawn on a canvas): one event, the strike's.
    rows = page.locator(".st-key-map_link_events table").first
    assert rows.get_attribute("aria-rowcount") == "2"  # a header and one event
    assert "strike" in rows.text_content() and "Kharkiv" in rows.text_content()
    assert "map_link=Moscow" in page.url  # the chosen link is part of the URL
    assert page.blocked == []


def test_clicking_a_node_filters_every_page(own_server, page):
    open_page(page, own_server, "actors")
    assert events_line(page) == (6, 6)
    plot = chart(page, "actors_network")
    plot.locator(".main-svg").first.wait_for(timeout=TIMEOUT)
    page.wait_for_timeout(800)
    names = page.evaluate(
        "() => document.querySelector('.st-key-actors_network .js-plotly-plot').data[0].customdata.map(r => r[0])")
    target = plot.locator(".scatterlayer .trace").first.locator("path.point").nth(names.index("Ukraine"))
    plot.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    box = target.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_function("document.querySelector('[data-testid=\"stSidebar\"]').innerText.includes('2 of 6 events')",
                           timeout=TIMEOUT)
    wait_idle(page)
    assert "actor=Ukraine" in page.url
    page.locator('[data-testid="stSidebar"] a', has_text="Timeline").click()
    page.wait_for_url(re.compile(r"/timeline"), timeout=TIMEOUT)
    wait_idle(page)
    assert events_line(page) == (2, 6)  # the actor filter came along


HEADINGS_JS = """() => [...document.querySelectorAll('[data-testid="stMain"] :is(h1, h2, h3, h4)')]
    .filter(h => h.offsetParent !== null).map(h => Number(h.tagName[1]))"""


def test_every_page_has_its_own_title_and_headings_in_order(own_server, page):
    titles = []
    for path in PAGE_PATHS:
        open_page(page, own_server, path)
        titles.append(page.title())
        levels = page.evaluate(HEADINGS_JS)
        assert levels[0] == 1 and all(b - a <= 1 for a, b in itertools.pairwise(levels)), (path, levels)
    assert len(set(titles)) == len(PAGE_PATHS), titles
    assert page.blocked == []


RING_JS = """() => { const e = document.activeElement, s = getComputedStyle(e);
    return {text: e.textContent, style: s.outlineStyle, width: parseFloat(s.outlineWidth)}; }"""


def test_keyboard_skips_to_the_content_and_sees_where_it_is(own_server, page):
    open_page(page, own_server, "map")
    presses = 0
    while presses < 4:
        page.keyboard.press("Tab")
        presses += 1
        if page.evaluate("() => document.activeElement.textContent") == "Skip to main content":
            break
    assert presses == 1  # Streamlit's own skip link comes first (the content took 25 presses)
    # The next stop, a page link, has no focus ring of Streamlit's own: the stylesheet's shows.
    page.keyboard.press("Tab")
    ring = page.evaluate(RING_JS)
    assert ring["text"].endswith("Overview") and ring["style"] == "solid" and ring["width"] >= 2
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.dataset.testid") == "stMain"


# The box draws a date as "2024 - 01 - 15" (spaces around the dashes); it needs room for that
# text in the box's font, the box's padding (16 px a side) and its calendar button (40 px).
TEXT_AND_ROOM_JS = """(root) => {
    const s = getComputedStyle(root.querySelector('input')), c = document.createElement("canvas").getContext("2d");
    c.font = `${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
    return [c.measureText("2024 - 01 - 15").width + 2 * 16 + 40, root.getBoundingClientRect().width];
}"""


def test_date_boxes_show_the_whole_date(own_server, page):
    open_page(page, own_server, "", "?from=2024-01-15&to=2024-12-31")
    boxes = page.locator('[data-testid="stSidebar"] [data-testid="stDateInput"] input')
    assert [boxes.nth(i).input_value() for i in range(boxes.count())] == ["2024-01-15", "2024-12-31"]
    widgets = page.locator('[data-testid="stSidebar"] [data-testid="stDateInput"]')
    for i in range(widgets.count()):  # nothing cut off: the box is wide enough for the whole date
        needed, width = page.evaluate(TEXT_AND_ROOM_JS, widgets.nth(i).element_handle())
        assert needed <= width, (needed, width)
