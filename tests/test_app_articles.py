"""AppTest of app_pages/articles.py: the list, one article highlighted and escaped, what was stripped."""
import pytest
from conftest import A1, A2, A4, no_errors, run_page

PAGE = "app_pages/articles.py"


def article_html(at) -> str:
    return at.html[-1].proto.body


def test_app_articles_lists_and_opens_the_newest(sample_store):
    at = run_page(PAGE)
    assert no_errors(at) == []
    assert list(at.dataframe[0].value["article_id"]) == [A4, A2, "c3c3c3c3c3c3c3c3", A1]
    assert at.get_by_key("articles_article").value == A4
    body = article_html(at)
    for words, kind in [("Putin", "actor"), ("Pyongyang", "place"), ("June 19, 2024", "date"),
                        ("more than 11,000 containers", "quantity"), ("visited", "event")]:
        assert f'title="{kind}: ' in body and f">{words}</mark>" in body


@pytest.mark.parametrize("query, expected", [({"article": A1}, A1), ({"article": A2, "source": "Reuters"}, A2),
                                             ({"article": "../../etc/passwd"}, A4)])
def test_app_articles_query_param_selects_the_article(sample_store, query, expected):
    at = run_page(PAGE, query=query)
    assert no_errors(at) == []
    assert at.get_by_key("articles_article").value == expected
    assert at.query_params["article"] == expected


def test_app_articles_text_is_escaped_and_boilerplate_shown_apart(sample_store):
    at = run_page(PAGE, query={"article": A2})
    assert "Read also" not in article_html(at)  # stripped text is not part of the cleaned text
    stripped = at.dataframe[1].value
    assert stripped.to_dict("records") == [{"kind": "boilerplate", "reason": "teaser 'Read also:'",
                                           "text": "<b>Read also:</b> Kim's armoured train."}]
    at.get_by_key("articles_show_stripped").set_value(True).run()
    body = article_html(at)
    assert "&lt;b&gt;Read also:&lt;/b&gt; Kim&#x27;s armoured train." in body and "<b>Read" not in body


@pytest.mark.parametrize("query, n_listed", [({}, 4), ({"source": "Yonhap"}, 2), ({"q": "Kharkiv"}, 1)])
def test_app_articles_filters_change_the_list(sample_store, query, n_listed):
    at = run_page(PAGE, query=query)
    assert len(at.dataframe[0].value) == n_listed
