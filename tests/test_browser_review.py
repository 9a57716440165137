"""The evidence and review panel in headless Chromium (1400×1000), served by `streamlit run`:
clicking a table row, a chart point or a highlight in the Articles page's text opens the
article at the row's sentence, marked and in view without scrolling; a correction made in the
panel is still there after a reload."""
from __future__ import annotations

import pytest
from conftest import build_sample_store, streamlit_server
from test_browser import SCREENSHOTS, TIMEOUT, chart, open_page, wait_idle

from core.corpus.store import Store

# With NEWSDASH_SCREENSHOTS=1 the panel's pictures go to docs/screenshots/, like the pages' (test_browser).
SHOTS = SCREENSHOTS

# Where the marked sentence sits: inside its text box and inside the window, and how far the
# box was scrolled to get there.
SENTENCE_JS = """() => {
  const hit = document.querySelector('[role="dialog"] [id^="newsdash-evidence-sentence"]');
  if (!hit) return null;
  const box = hit.closest('[id^="newsdash-evidence-box"]');
  const h = hit.getBoundingClientRect(), b = box.getBoundingClientRect();
  return {text: hit.innerText, top: h.top, bottom: h.bottom, boxTop: b.top, boxBottom: b.bottom,
          scrolled: box.scrollTop, viewport: window.innerHeight};
}"""


def click_table_row(page, key: str, row: int) -> None:
    """Click the selection box of row `row` (0-based) of the st.dataframe with `key`."""
    grid = page.locator(f".st-key-{key} [data-testid='stDataFrameResizable']").first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 14, box["y"] + 35 * (row + 1) + 17)  # header and rows are 35 px high


def open_panel(page) -> dict:
    """Wait for the evidence drawer and its scroll, and return where the sentence sits."""
    page.wait_for_selector('[role="dialog"] [id^="newsdash-evidence-sentence"]', timeout=TIMEOUT)
    wait_idle(page)
    page.wait_for_timeout(600)  # the scroll script retries while the drawer slides in
    return page.evaluate(SENTENCE_JS)


def assert_in_view(where: dict) -> None:
    assert where["boxTop"] <= where["top"] and where["bottom"] <= where["boxBottom"], where
    assert where["top"] >= 0 and where["bottom"] <= where["viewport"], where


def test_browser_table_row_opens_the_article_at_its_sentence(seeded_server, page):
    open_page(page, seeded_server, "quantities")
    scrolled = []
    for row in range(4):  # seed articles are long: some of these sentences lie far below the top
        click_table_row(page, "quantities_table", row)
        where = open_panel(page)
        assert where and where["text"].strip()
        assert_in_view(where)
        scrolled.append(where["scrolled"])
        if SHOTS and where["scrolled"] > 0:  # one picture: a sentence far down its article, scrolled to
            page.screenshot(path=str(SHOTS / "evidence_panel.png"))
        page.keyboard.press("Escape")
        page.wait_for_selector('[role="dialog"]', state="detached", timeout=TIMEOUT)
        wait_idle(page)
    assert max(scrolled) > 0, "no sentence needed the text box scrolled: the test proves nothing"


def test_browser_chart_point_opens_the_article_at_its_sentence(live_server, page):
    open_page(page, live_server, "timeline")
    plot = chart(page, "timeline_chart")
    plot.locator(".scatterlayer .point").first.wait_for(timeout=TIMEOUT)
    plot.locator(".scatterlayer .point").first.click(force=True)
    where = open_panel(page)
    assert where and where["text"].strip()
    assert_in_view(where)


def test_browser_article_highlight_opens_the_panel_on_its_row(live_server, page):
    open_page(page, live_server, "articles", "?source=Reuters")  # the one Reuters article (a real store's ids)
    article = page.url.split("article=")[1].split("&")[0]
    link = page.locator("a[data-testid='newsdash-highlight-link']", has_text="7,000 containers")
    link.hover()
    if SHOTS:
        page.screenshot(path=str(SHOTS / "article_highlight_links.png"))
    link.click()
    page.wait_for_url(lambda url: "open=" in url, timeout=TIMEOUT)  # a link: the page loads again
    where = open_panel(page)
    assert "North Korea shipped 7,000 containers" in where["text"]
    words = panel(page).locator("[id^='newsdash-evidence-sentence'] mark[title=\"the row's words\"]")
    assert words.inner_text() == "7,000 containers"
    assert_in_view(where)
    if SHOTS:
        page.screenshot(path=str(SHOTS / "article_highlight_panel.png"))
    # The filter and the article came along; the one-off `open` is gone from the address.
    page.wait_for_function("() => !location.search.includes('open=')", timeout=TIMEOUT)
    assert f"article={article}" in page.url and "source=Reuters" in page.url
    page.keyboard.press("Escape")
    page.wait_for_selector('[role="dialog"]', state="detached", timeout=TIMEOUT)
    page.reload()
    wait_idle(page)
    assert page.locator('[role="dialog"]').count() == 0  # a reload does not reopen it


@pytest.mark.parametrize("row", [0])
def test_browser_panel_closes_and_stays_closed(live_server, page, row):
    open_page(page, live_server, "timeline")
    click_table_row(page, "timeline_stories", row)
    open_panel(page)
    page.keyboard.press("Escape")
    page.wait_for_selector('[role="dialog"]', state="detached", timeout=TIMEOUT)
    wait_idle(page)
    page.get_by_text("actor", exact=True).first.click()  # any other interaction reruns the page
    wait_idle(page)
    assert page.locator('[role="dialog"]').count() == 0


@pytest.fixture
def review_server(tmp_path_factory):
    """The dashboard on its own copy of the hand-made corpus, so corrections stay in this test."""
    store = tmp_path_factory.mktemp("review") / "store"
    build_sample_store(store)
    with streamlit_server(store, tmp_path_factory.mktemp("logs") / "review.log") as url:
        yield url, store


def panel(page):
    return page.locator('[role="dialog"]')


def test_browser_correction_in_the_panel_persists_after_reload(review_server, page):
    url, store = review_server
    open_page(page, url, "timeline")
    click_table_row(page, "timeline_stories", 3)  # 2024-06-19: Putin visited Pyongyang
    open_panel(page)
    date_box = panel(page).get_by_label("date (YYYY, YYYY-MM or YYYY-MM-DD)")
    date_box.fill("2024-06-18")
    panel(page).get_by_role("button", name="Save the correction").click()
    page.wait_for_selector('[role="dialog"] [data-testid="stAlertContentSuccess"]', timeout=TIMEOUT)
    wait_idle(page)
    if SHOTS:
        page.screenshot(path=str(SHOTS / "review_panel.png"))
    assert "2024-06-18" in panel(page).inner_text()
    assert list(Store(store).corrections()["action"]) == ["edit"]  # on disk, in the store's log
    page.reload()
    open_page(page, url, "timeline")
    assert page.locator('[role="dialog"]').count() == 0
    click_table_row(page, "timeline_stories", 3)
    open_panel(page)
    assert "2024-06-18" in panel(page).inner_text() and "corrected by an analyst" in panel(page).inner_text()
    page.keyboard.press("Escape")
    open_page(page, url, "history")
    if SHOTS:
        page.screenshot(path=str(SHOTS / "history.png"), full_page=True)
    assert "2024-06-18" in page.locator(".st-key-history_entries").inner_text()
