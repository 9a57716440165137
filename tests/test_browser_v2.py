"""Dashboard v2 in headless Chromium (its own server, port 8631): claims at the day they were
made with the period they cover, honest dates in the timeline's hover, the line that says what
a date filter hides, and the events CSV that names its article and actors' roles.

The corpus is the hand-made sample plus one article published on 20 May 2024 whose figure
covers the period since 2023, and one event known only to its year."""
from __future__ import annotations

import re

import pandas as pd
import pytest
from conftest import _event, _quantity, _rows, build_sample_store, sample_tables, streamlit_server
from test_browser import TIMEOUT, chart, open_page

A5 = "e5e5e5e5e5e5e5e5"
TEXT5 = ("South Korea said on Monday that North Korea has shipped about 7,000 containers to Russia since 2023. "
         "North Korea sent troops to Russia in 2023.")


def v2_tables() -> dict[str, pd.DataFrame]:
    """sample_tables() with article 5: a claim made on 20 May 2024 covering the period since
    2023 (no date of its own in the sentence but the statement's day), and a year-only event."""
    t = sample_tables()
    article = _rows("articles", [dict(article_id=A5, file="five.txt", title="Seoul counts the containers",
                                      source="Yonhap", url="https://example.org/five", published="2024-05-21",
                                      published_precision="day", n_words=30, content_hash=A5 * 4, text=TEXT5,
                                      segments="[]")])
    claim = _quantity(f"{A5}-q0", A5, None, TEXT5, 0, 7000.0, "about", "container", "container", "South Korea",
                      "2024-05-20", "day", "about 7,000 containers")
    claim["since"] = "2023-01-01"
    event = _event(f"{A5}-0", "s-troops", A5, TEXT5, 1, "2023-01-01", "year", "transfer", "reported",
                   ["North Korea", "Russia"], "sent")
    roles = [dict(event_id=f"{A5}-0", actor="North Korea", role="source"),
             dict(event_id=f"{A5}-0", actor="Russia", role="target")]
    return {**t,
            "articles": pd.concat([t["articles"], article], ignore_index=True),
            "quantities": pd.concat([t["quantities"], _rows("quantities", [claim])], ignore_index=True),
            "events": pd.concat([t["events"], _rows("events", [event])], ignore_index=True),
            "event_actors": pd.concat([t["event_actors"], _rows("event_actors", roles)], ignore_index=True)}


@pytest.fixture(scope="module")
def v2_server(tmp_path_factory):
    store = tmp_path_factory.mktemp("v2") / "store"
    build_sample_store(store, v2_tables())
    with streamlit_server(store, tmp_path_factory.mktemp("logs") / "v2.log") as url:
        yield url


def plot_data(page, key: str) -> list[dict]:
    """The traces plotly drew for the chart `key` (x values as ISO strings)."""
    chart(page, key).locator(".main-svg").first.wait_for(timeout=TIMEOUT)
    return page.evaluate(f"""() => document.querySelector('.st-key-{key} .js-plotly-plot').data.map(t => ({{
        meta: t.meta || null, name: t.name, x: Array.from(t.x || []).map(v => v === null ? null : String(v)),
        customdata: t.customdata ? Array.from(t.customdata).map(r => Array.from(r)) : null}}))""")


def hover_at(page, key: str, x: str, y: str) -> str:
    """Move the mouse onto the point (x, y) of the chart `key`; the hover box's text."""
    plot = chart(page, key)
    box = plot.bounding_box()
    px, py = page.evaluate(f"""() => {{
        const gd = document.querySelector('.st-key-{key} .js-plotly-plot'), L = gd._fullLayout;
        return [L.xaxis._offset + L.xaxis.d2p({x!r}), L.yaxis._offset + L.yaxis.d2p({y!r})]; }}""")
    page.mouse.move(box["x"] + px, box["y"] + py)
    hover = plot.locator(".hoverlayer .hovertext").first
    hover.wait_for(timeout=TIMEOUT)
    return " ".join((hover.text_content() or "").split())


def test_browser_v2_claim_plotted_when_made_with_its_period(v2_server, page):
    open_page(page, v2_server, "quantities")
    traces = plot_data(page, "quantities_chart")
    korea = [t for t in traces if t["name"] == "South Korea" and t["meta"] == "claims"]
    assert len(korea) == 1  # "about" and "more than" claims: one series
    assert any(x.startswith("2024-05-20") for x in korea[0]["x"])
    spans = [t for t in traces if t["meta"] == "span" and t["name"].startswith("South Korea")]
    assert [x[:10] for x in spans[0]["x"][:2]] == ["2023-01-01", "2024-05-20"]  # back to 2023
    text = hover_at(page, "quantities_chart", "2024-05-20", "7000")
    assert "about 7,000 containers" in text and "Seoul counts the containers" in text and "Yonhap" in text


def test_browser_v2_year_only_event_has_no_day_in_its_hover(v2_server, page):
    open_page(page, v2_server, "timeline")
    traces = plot_data(page, "timeline_chart")
    year_only = [(t, i) for t in traces if t["customdata"] for i, row in enumerate(t["customdata"])
                 if "(year only)" in str(row)]
    assert len(year_only) == 1
    trace, i = year_only[0]
    text = hover_at(page, "timeline_chart", trace["x"][i], "transfer")
    assert "2023 (year only)" in text
    assert not re.search(r"\b\d{1,2} [A-Z][a-z]{2} 2023\b", text)  # no day such as "01 Jan 2023"
    year_bar = next(t for t in traces if t["meta"] == "span" and t["name"] == "transfer: year range")
    assert [x[:10] for x in year_bar["x"] if x] == ["2023-01-01", "2024-01-01"]  # the whole year, not a day


def test_browser_v2_date_filter_says_what_it_hides(v2_server, page):
    open_page(page, v2_server, "timeline", "?from=2024-01-01")
    main = page.locator('[data-testid="stMain"]').inner_text()
    assert re.search(r"Not shown: \d+ events outside the dates, 1 undated", main)
    page.get_by_role("button", name="Show all dates").click()
    gone = "!document.querySelector('[data-testid=\"stMain\"]').innerText.includes('outside the dates')"
    page.wait_for_function(gone, timeout=TIMEOUT)
    assert "from=" not in page.url


def test_browser_v2_events_csv_names_article_and_roles(v2_server, page, tmp_path):
    open_page(page, v2_server, "tables", "?actor=Kim+Jong+Un")
    with page.expect_download(timeout=TIMEOUT) as info:
        page.get_by_role("button", name=re.compile(r"Download events CSV")).click()
    assert info.value.suggested_filename == "events_kim-jong-un.csv"
    path = tmp_path / "events.csv"
    info.value.save_as(path)
    events = pd.read_csv(path)
    assert {"article_title", "outlet", "url", "published", "actors_roles"} <= set(events.columns)
    row = events.iloc[0]
    assert (row["article_title"], row["outlet"], row["published"]) == ("Kim visits Moscow", "Yonhap", "2023-10-20")
    assert row["actors_roles"] == "Kim Jong Un (source); Russia (target)"
