"""AppTest of dashboard.py (Overview) and of the shared sidebar filters."""
from datetime import date

import pytest
from conftest import A4, events_line, no_errors, run_page

from ui import plain


def test_app_overview_shows_corpus_and_headlines(sample_store):
    at = run_page()
    assert no_errors(at) == []
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"Articles": "4", "Outlets": "3", "Stories": "5", "Actors": "7", "Figures": "4",
                       "Containers": "> 11,000", "Missiles": "≈ 50"}
    # The cards lead with the article's own words (escaped Markdown), the item's name kept.
    words = {f"**{plain.md(w)}**" for w in ("more than 11,000 containers", "about 50 Hwasong-11 missiles")}
    assert words <= {m.value for m in at.markdown}
    assert any("made 20 Jun 2024" in c.value for c in at.caption)
    assert len(at.get_by_key("overview_latest").value) == 4  # dated stories, each once
    assert events_line(at) == "**6 of 6 events**"


@pytest.mark.parametrize("query, line, articles, latest", [
    ({"source": "Reuters"}, "**2 of 6 events**", "1", 1),
    ({"actor": "Ukraine"}, "**2 of 6 events**", "2", 1),
    ({"type": ["visit", "strike"], "from": "2024-01-01"}, "**3 of 6 events**", "3", 2),
    ({"q": "containers"}, "**2 of 6 events**", "3", 1),
    ({"actor": "Atlantis", "from": "not a date"}, "**6 of 6 events**", "4", 4),  # a stale bookmark opens
])
def test_app_overview_query_params_restore_filters(sample_store, query, line, articles, latest):
    at = run_page(query=query)
    assert no_errors(at) == []
    shown = (events_line(at), at.metric[0].value, len(at.get_by_key("overview_latest").value))
    assert shown == (line, articles, latest)


def test_app_overview_query_params_fill_the_widgets(sample_store):
    at = run_page(query={"actor": ["Russia", "Ukraine"], "from": "2024-01-01", "to": "2024-06-30",
                         "status": "reported", "q": "Kharkiv"})
    assert at.get_by_key("filters_actors").value == ["Russia", "Ukraine"]
    dates = (at.get_by_key("filters_date_from").value, at.get_by_key("filters_date_to").value)
    assert dates == (date(2024, 1, 1), date(2024, 6, 30))
    assert at.get_by_key("filters_statuses").value == ["reported"]
    assert at.get_by_key("filters_text").value == "Kharkiv"
    assert events_line(at) == "**1 of 6 events**"


def test_app_overview_filters_write_the_url_and_reset_clears_them(sample_store):
    at = run_page()
    at.get_by_key("filters_types").set_value(["visit"]).run()
    at.get_by_key("filters_text").set_value("Putin").run()
    assert events_line(at) == "**2 of 6 events**"
    assert at.query_params == {"type": "visit", "q": "Putin"}
    at.get_by_key("filters_reset").click().run()
    assert (events_line(at), at.query_params) == ("**6 of 6 events**", {})


def test_app_overview_filters_survive_page_changes(sample_store):
    at = run_page()
    at.get_by_key("filters_sources").set_value(["Yonhap"]).run()
    for page in ["pages/timeline.py", "pages/map.py", "pages/tables.py"]:
        at.switch_page(page).run()
        assert no_errors(at) == []
        assert (events_line(at), at.query_params.get("source")) == ("**3 of 6 events**", "Yonhap")


def test_app_overview_headline_opens_its_article(sample_store):
    at = run_page()
    at.get_by_key("overview_headline_container").click().run()  # "Show the sentence ›" under the containers
    assert no_errors(at) == []
    assert at.session_state["evidence_target"]["table"] == "quantities"
    at.get_by_key("evidence_open_article").click().run()  # the evidence panel's link to the whole article
    assert no_errors(at) == []
    assert [t.value for t in at.title] == ["Articles"]
    assert at.get_by_key("articles_article").value == A4
    assert "evidence_target" not in at.session_state  # the panel closed
