"""The evidence panel (ui/evidence.py, ui/article_view.evidence_html): a table row, a headline
card or a chart point opens a drawer with the article's title, outlet, date and URL and its
text, the row's sentence and words marked apart from the other highlights."""
import re

import pandas as pd
from conftest import A2, A4, no_errors, run_page

from ui import article_view, evidence

NO_STRIPPED = pd.DataFrame(columns=["start", "end", "kind", "reason"])


def panel_html(at) -> str:
    """The article text box of the open panel (the st.html holding its scroll script)."""
    bodies = [h.proto.body for h in at.html if evidence.ANCHOR in h.proto.body]
    assert len(bodies) == 1, "the evidence panel is not open"
    return bodies[0]


def marked_sentence(body: str) -> str:
    """The HTML inside the panel's sentence band."""
    return body.split(f'id="{evidence.ANCHOR}', 1)[1].split(">", 1)[1].split("</span>", 1)[0]


def words_of(fragment: str) -> str:
    """An HTML fragment's text (tags dropped, the escapes kept)."""
    return re.sub(r"<[^>]*>", "", fragment)


def panel_text(at) -> str:
    """Every st.html of the run, joined (header, fields and text of the panel)."""
    return "\n".join(h.proto.body for h in at.html)


def select_row(at, key: str, row: int):
    at.session_state[key] = {"selection": {"rows": [row], "columns": [], "cells": []}}
    return at.run()


def test_evidence_html_marks_sentence_and_words_apart():
    text = "Kim met Putin. Russia got 1,000 <shells> from Pyongyang. Then nothing."
    s0 = text.index("Russia")
    s1 = text.index(" Then")
    w0 = text.index("1,000")
    spans = pd.DataFrame({"start": [0, s0, w0, text.index("Pyongyang")],
                          "end": [3, s0 + 6, w0 + 5, text.index("Pyongyang") + 9],
                          "kind": ["actor", "actor", "quantity", "place"], "label": ["Kim", "Russia", "1,000", "P"]})
    body = article_view.evidence_html(text, spans, NO_STRIPPED, (s0, s1), (w0, text.index(" from")), anchor="x")
    inside = body.split('id="x"', 1)[1].split(">", 1)[1].split("</span>", 1)[0]
    assert 'title="the row\'s words">1,000 &lt;shells&gt;</mark>' in inside  # the row's words, escaped
    assert 'title="actor: Russia">Russia</mark>' in inside and 'title="place: P">Pyongyang</mark>' in inside
    assert 'title="quantity' not in body  # overlapped by the row's words: left out
    assert '>Kim</mark>' in body.split('id="x"')[0]  # other highlights stay outside the sentence
    assert words_of(body).replace("&lt;", "<").replace("&gt;", ">") == text  # every character once


def test_row_ids_lists_every_report_of_a_story_first_its_own():
    rows = pd.DataFrame({"event_id": ["e2", None], "event_ids": ["e1;e2;e3", None]})
    assert evidence.row_ids(rows, "events") == ["e2", "e1", "e3"]
    assert evidence.row_ids(pd.DataFrame({"quantity_id": ["q1"]}), "quantities") == ["q1"]


def test_selected_values_reads_customdata():
    state = {"selection": {"points": [{"customdata": ["s-1", "x"]}, {"customdata": "s-2"}, {"x": 1}]}}
    assert evidence.selected_values(state) == ["s-1", "s-2"]


def test_app_evidence_table_row_opens_the_panel_at_its_sentence(sample_store):
    at = run_page("pages/timeline.py")
    stories = at.get_by_key("timeline_stories").value
    i = [s.startswith("Putin visited Pyongyang") for s in stories["sentence"]].index(True)
    at = select_row(at, "timeline_stories", i)
    assert no_errors(at) == []
    body = panel_html(at)
    sentence = marked_sentence(body)
    assert "Putin" in sentence and "June 19, 2024" in sentence and "South Korea" not in sentence
    assert 'title="the row\'s words">visited</mark>' in sentence
    assert at.session_state[evidence.TARGET_KEY]["ids"][0].startswith(A4)
    assert "Putin in Pyongyang" in panel_text(at) and "Yonhap · published 2024-06-20" in panel_text(at)
    # The story's other report is offered too.
    assert at.selectbox(key=f"evidence_pick_{at.session_state[evidence.TARGET_KEY]['token']}").options[1]. \
        startswith("Reuters")
    # A rerun with the same selection does not reopen a panel the analyst closed.
    evidence_target = at.session_state[evidence.TARGET_KEY]
    assert evidence_target is not None
    del at.session_state[evidence.TARGET_KEY]
    at.run()
    assert evidence.TARGET_KEY not in at.session_state


def test_app_evidence_headline_card_opens_the_figure(sample_store):
    at = run_page()
    at.get_by_key("overview_headline_container").click().run()
    assert no_errors(at) == []
    body = panel_html(at)
    assert 'title="the row\'s words">more than 11,000 containers</mark>' in marked_sentence(body)


def test_app_evidence_chart_point_opens_its_story(sample_store):
    at = run_page("pages/timeline.py")
    at.session_state["timeline_chart"] = {"selection": {"points": [{"customdata": ["s-cont1"]}],
                                                        "point_indices": [0], "box": [], "lasso": []}}
    at.run()
    assert no_errors(at) == []
    assert words_of(marked_sentence(panel_html(at))) == "North Korea sent 1,000 containers to Russia in October 2023."


def test_app_evidence_quantities_chart_point(sample_store):
    at = run_page("pages/quantities.py")
    at.session_state["quantities_chart"] = {"selection": {"points": [{"customdata": [f"{A2}-q0"]}],
                                                          "point_indices": [0], "box": [], "lasso": []}}
    at.run()
    assert no_errors(at) == []
    assert 'title="the row\'s words">7,000 containers</mark>' in marked_sentence(panel_html(at))


def test_app_evidence_actor_bar_offers_the_actors_events(sample_store):
    at = run_page()
    at.session_state["overview_actors_chart"] = {"selection": {"points": [{"customdata": ["Vladimir Putin"]}],
                                                               "point_indices": [0], "box": [], "lasso": []}}
    at.run()
    assert no_errors(at) == []
    target = at.session_state[evidence.TARGET_KEY]
    assert target["table"] == "events" and len(target["ids"]) == 2  # Putin's visit, reported twice
    assert "Putin" in words_of(marked_sentence(panel_html(at)))


def test_app_evidence_month_bar_offers_its_events(sample_store):
    at = run_page("pages/timeline.py")
    at.session_state["timeline_month_chart"] = {"selection": {"points": [{"customdata": ["2024-06|visit"]}],
                                                              "point_indices": [0], "box": [], "lasso": []}}
    at.run()
    assert no_errors(at) == []
    assert sorted(at.session_state[evidence.TARGET_KEY]["ids"]) == [f"{A2}-0", f"{A4}-0"]


def test_header_shows_title_outlet_date_and_url_escaped():
    article = pd.Series({"article_id": "x", "title": "<b>Kim</b> & Putin", "source": "Yonhap",
                         "published": "2024-06-20", "published_precision": "day",
                         "url": "https://example.org/a?b=1&c=<2>"})
    head = evidence.header_html(article)
    assert "&lt;b&gt;Kim&lt;/b&gt; &amp; Putin" in head and "Yonhap · published 2024-06-20 (day)" in head
    assert 'href="https://example.org/a?b=1&amp;c=&lt;2&gt;"' in head
    assert "href" not in evidence.header_html(article.copy().replace({article["url"]: "javascript:alert(1)"}))
    assert "outlet unknown · publication date unknown" in evidence.header_html(pd.Series({"article_id": "x"}))


def test_dates_in_the_panel_are_as_precise_as_known():
    assert [evidence.date_text("2023-01-01", p) for p in ("day", "month", "year", None)] == \
        ["2023-01-01", "2023-01 (month only)", "2023 (year only)", "2023-01-01"]
