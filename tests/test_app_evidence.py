"""AppTest of the evidence panel (ui/evidence.py): a table row, a headline card or a chart
point opens a drawer with the article's title, outlet, date and URL and its text, the row's
sentence and words marked apart."""
from conftest import A4, no_errors, run_page

from ui import evidence


def panel_html(at) -> str:
    """The article text box of the open panel (the st.html holding its scroll script)."""
    bodies = [h.proto.body for h in at.html if evidence.ANCHOR in h.proto.body]
    assert len(bodies) == 1, "the evidence panel is not open"
    return bodies[0]


def select_row(at, key: str, row: int):
    at.session_state[key] = {"selection": {"rows": [row], "columns": [], "cells": []}}
    return at.run()


def test_app_evidence_table_row_opens_the_panel_at_its_sentence(sample_store):
    at = run_page("pages/timeline.py")
    stories = at.get_by_key("timeline_stories").value
    i = [s.startswith("Putin visited Pyongyang") for s in stories["sentence"]].index(True)
    at = select_row(at, "timeline_stories", i)
    assert no_errors(at) == []
    body = panel_html(at)
    sentence = body.split(f'id="{evidence.ANCHOR}')[1].split("</span>", 1)[0]
    assert "Putin" in sentence and "June 19, 2024" in sentence
    assert 'title="the row\'s words">visited</mark>' in body
    assert at.session_state[evidence.TARGET_KEY]["ids"][0].startswith(A4)
