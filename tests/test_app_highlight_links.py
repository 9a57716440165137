"""The Articles page's event and figure highlights open the evidence panel (issue 11, item 4):
each is a link to the same page with `?open=<table>:<id>`, the URL's other parameters kept;
loading that URL opens the panel on the row and drops the parameter (AppTest)."""
import html
import re
from urllib.parse import parse_qs, urlparse

import pandas as pd
import pytest
from conftest import A1, A2, A4, no_errors, page_html, run_page
from test_app_evidence import marked_sentence, panel_html, words_of

from ui import article_view, evidence

PAGE = "pages/articles.py"
NO_STRIPPED = pd.DataFrame(columns=["start", "end", "kind", "reason"])


def article_body(at) -> str:
    """The highlighted article's st.html (the page's last one; the panel's come first)."""
    return page_html(at)[-1].proto.body


def links(body: str) -> dict[str, dict[str, list[str]]]:
    """{linked words: the link's query parameters} of every highlight link in `body`."""
    found = re.findall(r'<a href="([^"]*)"[^>]*><mark[^>]*>([^<]*)</mark></a>', body)
    return {words: parse_qs(urlparse(html.unescape(href)).query) for href, words in found}


def test_app_event_and_figure_highlights_link_to_their_rows_keeping_the_filters(sample_store):
    at = run_page(PAGE, query={"article": A2, "source": "Reuters"})
    assert no_errors(at) == []
    found = links(article_body(at))
    assert found == {"visit": {"article": [A2], "source": ["Reuters"], "open": [f"events:{A2}-0"]},
                     "shipped": {"article": [A2], "source": ["Reuters"], "open": [f"events:{A2}-1"]},
                     "7,000 containers": {"article": [A2], "source": ["Reuters"], "open": [f"quantities:{A2}-q0"]}}
    assert 'title="actor: Vladimir Putin">Putin</mark>' in article_body(at)  # actors and places stay plain marks


@pytest.mark.parametrize("table, row_id, words", [("events", f"{A4}-0", "visited"),
                                                  ("quantities", f"{A4}-q0", "more than 11,000 containers")])
def test_app_open_param_opens_the_panel_on_that_row_once(sample_store, table, row_id, words):
    at = run_page(PAGE, query={"article": A4, "open": f"{table}:{row_id}"})
    assert no_errors(at) == []
    assert at.session_state[evidence.TARGET_KEY]["ids"] == [row_id]
    assert f'title="the row\'s words">{words}</mark>' in marked_sentence(panel_html(at))
    assert "open" not in at.query_params and at.query_params["article"] == A4  # one opening, article kept
    assert at.get_by_key("articles_article").value == A4
    assert len(at.toast) == 0


def test_app_open_param_with_two_ids_offers_a_chooser(sample_store):
    at = run_page(PAGE, query={"article": A1, "open": f"events:{A1}-1;missing;{A1}-0"})
    assert no_errors(at) == []
    assert at.session_state[evidence.TARGET_KEY]["ids"] == [f"{A1}-1", f"{A1}-0"]
    assert "sent" in words_of(marked_sentence(panel_html(at)))


@pytest.mark.parametrize("value", ["events:no-such-event", "quantities:", "articles:" + A1, "nonsense",
                                   '<img src="http://127.0.0.1:8999/i.png">:x', "events:<script>alert(1)</script>"])
def test_app_unknown_open_param_is_ignored_with_a_quiet_notice(sample_store, value):
    at = run_page(PAGE, query={"article": A1, "open": value})
    assert no_errors(at) == []
    assert evidence.TARGET_KEY not in at.session_state
    assert not any(evidence.ANCHOR in h.proto.body for h in at.html)  # no panel
    assert [t.value for t in at.toast] == ["The row this link points to is not in the corpus any more."]
    assert "open" not in at.query_params and at.query_params["article"] == A1


def test_highlight_link_is_escaped_and_its_ids_percent_encoded():
    hostile = 'x"><img src=http://127.0.0.1:8999/i.png onerror=alert(1)>&y'
    href = evidence.open_href({"article": ["a&open=quantities:z"], "open": ["events:old"]}, f"events:{hostile}")
    assert parse_qs(urlparse(href).query) == {"article": ["a&open=quantities:z"], "open": [f"events:{hostile}"]}
    assert not set('"<> ') & set(href)  # percent-encoded: nothing can close the attribute
    text = "Kim <b>sent</b> shells."
    spans = pd.DataFrame({"start": [text.index("<b>")], "end": [text.index(" shells")], "kind": ["event"],
                          "label": ['transfer "><img src=x>']})
    body = article_view.article_html(text, spans, NO_STRIPPED, show_stripped=False,
                                     links={("event", text.index("<b>"), text.index(" shells")): '?a="><img src=x>'})
    assert '<a href="?a=&quot;&gt;&lt;img src=x&gt;"' in body
    assert ">&lt;b&gt;sent&lt;/b&gt;</mark></a>" in body and "<img" not in body and "<b>" not in body
