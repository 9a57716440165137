"""AppTest of pages/timeline.py past a chart's and a table page's size: the chart draws the
largest stories and says so, the table reads each page of stories from SQL."""
import re

from conftest import no_errors, plotly_specs, run_page

PAGE = "pages/timeline.py"


def test_app_timeline_draws_the_largest_and_pages_the_table(sample_store, monkeypatch):
    from ui import widgets

    # The sample's five stories stand in for a large corpus: 3 drawn, 2 a page.
    monkeypatch.setattr(widgets, "CHART_MAX", 3)
    monkeypatch.setattr(widgets, "PAGE_ROWS", 2)
    at = run_page(PAGE)
    assert no_errors(at) == []
    markers = [t for t in plotly_specs(at)["timeline_chart"]["data"] if t.get("meta") != "span"]
    assert sum(len(t["x"]) for t in markers) == 3
    captions = [re.sub(r"\\(.)", r"\1", c.value) for c in at.caption]
    assert any("Showing the 3 largest dated stories of 4" in c for c in captions)
    assert at.header[0].value == "5 stories"
    pages = []
    for page in (1, 2, 3):
        at.number_input(key="timeline_stories_page").set_value(page).run()
        assert no_errors(at) == []
        pages.append(list(at.get_by_key("timeline_stories").value["date"].fillna("undated")))
    assert pages == [["2023-09-13", "2023-10-01"], ["2024-01-06", "2024-06-19"], ["undated"]]
