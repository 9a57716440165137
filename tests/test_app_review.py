"""The review panel and the History page under AppTest, on a real corpus store (the hand-made
sample): correcting an event's actor and date writes a correction that every page then shows;
a reject removes the row everywhere; Undo and History's revert bring the automatic row back;
without write permission no review control is drawn."""
from __future__ import annotations

import pandas as pd
import pytest
from conftest import no_errors, run_page, served_sample_store
from test_app_evidence import marked_sentence, panel_html, select_row, words_of

from ui import evidence, review

VISIT = "Putin visited Pyongyang on June 19, 2024."  # actors Vladimir Putin (source), North Korea (target)


def visit(store) -> pd.Series:
    """The event row of VISIT as the store now has it (the store names articles itself)."""
    events = store.tables()["events"]
    return events[events["sentence"] == VISIT].iloc[0]


@pytest.fixture
def store(tmp_path, monkeypatch):
    """A real store holding the sample corpus, served to the pages, writes allowed."""
    yield from served_sample_store(tmp_path, monkeypatch)


def open_visit(at):
    """Open the panel on Putin's visit from the Timeline's stories table."""
    stories = at.get_by_key("timeline_stories").value
    i = [s.startswith("Putin visited Pyongyang") for s in stories["sentence"]].index(True)
    at = select_row(at, "timeline_stories", i)
    assert no_errors(at) == []
    assert "visited" in words_of(marked_sentence(panel_html(at)))
    return at


def form_key(at) -> str:
    """The key prefix of the review form for the row the panel shows."""
    tgt = at.session_state[evidence.TARGET_KEY]
    return f"review_events_{tgt['ids'][0]}"


def submit(at, label: str):
    return next(b for b in at.button if b.label == label).click().run()


def test_app_review_correct_actor_and_date_shows_on_every_page(store):
    at = open_visit(run_page("pages/timeline.py"))
    key = form_key(at)
    at.get_by_key(f"{key}_date").set_value("2024-06-18")
    at.session_state[f"{key}_actors"] = {"edited_rows": {1: {"actor": "Kim Jong Un"}}, "added_rows": [],
                                         "deleted_rows": []}
    at = submit(at, "Save the correction")
    assert no_errors(at) == []
    log = store.corrections()
    assert list(log["action"]) == ["edit"] and list(log["user"]) == ["analyst-1"]
    row = visit(store)
    assert row["date"] == "2024-06-18" and "Kim Jong Un" in row["actors"] and row["review"] == "corrected"
    # Every page reads the corrected tables: the timeline's stories, the Tables page, the actor filter.
    at.switch_page("pages/timeline.py").run()
    stories = at.get_by_key("timeline_stories").value
    row = stories[stories["sentence"].str.startswith("Putin visited")].iloc[0]
    assert str(row["date"]).startswith("2024-06-18") and "Kim Jong Un" in row["actors"]
    at.switch_page("pages/tables.py").run()
    shown = at.get_by_key("tables_df_events").value
    assert "Kim Jong Un" in shown.loc[shown["sentence"] == VISIT, "actors"].iloc[0]


def test_app_review_reject_then_undo(store):
    at = open_visit(run_page("pages/timeline.py"))
    key = form_key(at)
    at.get_by_key(f"{key}_reject_reason").set_value("duplicate of another row")
    at = at.get_by_key(f"{key}_reject").click().run()
    assert no_errors(at) == []
    assert VISIT not in set(store.tables()["events"]["sentence"])
    assert list(store.corrections()["action"]) == ["reject"]
    at = at.get_by_key("review_undo").click().run()
    assert no_errors(at) == []
    assert visit(store)["review"] == "auto"
    assert list(store.corrections()["action"]) == ["reject", "revert"]


def test_app_review_history_reverts_an_entry(store):
    at = open_visit(run_page("pages/timeline.py"))
    key = form_key(at)
    at.get_by_key(f"{key}_status").set_value("alleged")
    at = submit(at, "Save the correction")
    assert visit(store)["status"] == "alleged"
    del at.session_state[evidence.TARGET_KEY]
    at.switch_page("pages/history.py").run()
    assert no_errors(at) == []
    log = at.dataframe[0].value
    assert list(log["action"]) == ["edit"] and list(log["user"]) == ["analyst-1"]
    entry = store.corrections()["correction_id"].iloc[0]
    at = at.get_by_key(f"history_revert_{entry}").click().run()
    assert no_errors(at) == []
    assert visit(store)["status"] == "reported"
    assert list(at.dataframe[0].value["state"]) == ["revert", "reverted"]
    at = at.get_by_key(f"history_show_{entry}").click().run()  # the entry's row in the evidence panel
    assert no_errors(at) == []
    assert words_of(marked_sentence(panel_html(at))) == VISIT
    assert "as extracted (not reviewed)" in "".join(h.proto.body for h in at.html)


def test_app_review_add_a_figure_by_its_words(store):
    at = open_visit(run_page("pages/timeline.py"))
    article = visit(store)["article_id"]
    add = f"review_add_{article}"
    at.get_by_key(f"{add}_kind").set_value("figure")
    at.get_by_key(f"{add}_words").set_value("June 19")  # stands in for words the extraction missed
    at.run()
    fkey = f"{add}_quantities"
    at.get_by_key(f"{fkey}_value").set_value("19")
    at.get_by_key(f"{fkey}_unit").set_value("day")
    at.get_by_key(f"{fkey}_category").set_value("other")
    at = submit(at, "Add this figure")
    assert no_errors(at) == []
    q = store.tables()["quantities"]
    added = q[q["review"] == "added"]
    assert len(added) == 1 and added["value"].iloc[0] == 19
    text = store.tables()["articles"].set_index("article_id").loc[article, "text"]
    assert text[int(added["start_char"].iloc[0]):int(added["end_char"].iloc[0])] == "June 19"


def test_app_review_hidden_without_write_permission(store, monkeypatch):
    monkeypatch.setenv("NEWSDASH_READONLY", "1")
    at = open_visit(run_page("pages/timeline.py"))
    assert not [b for b in at.button if b.label in ("Save the correction", "Reject this row")]
    assert any("Review is off" in c.value for c in at.caption)
    at.switch_page("pages/history.py").run()
    assert no_errors(at) == []
    assert not [b for b in at.button if b.label == "Revert"]


def test_app_review_confirm_counts_on_overview_and_filters(store):
    at = open_visit(run_page("pages/timeline.py"))
    at = at.get_by_key(f"{form_key(at)}_confirm").click().run()
    assert no_errors(at) == []
    assert visit(store)["review"] == "reviewed"
    del at.session_state[evidence.TARGET_KEY]
    at.get_by_key("filters_review").set_value("reviewed").run()
    assert list(at.get_by_key("timeline_stories").value["sentence"]) == [VISIT]
    assert at.query_params["review"] == "reviewed"
    at.switch_page("dashboard.py").run()
    assert any(c.value.startswith("Reviewed by an analyst: 1 of 1 events (100%)") for c in at.caption)
    at.get_by_key("filters_review").set_value("").run()
    assert any(c.value.startswith("Reviewed by an analyst: 1 of 6 events (17%)") for c in at.caption)


def test_occurrences_prefer_the_sentence_then_the_article():
    text = "Russia got 50 missiles. Later, 50 missiles more. Then 50 missiles again."
    second = text.index("Later")
    assert review.occurrences(text, "50 missiles", (second, text.index(" Then"))) == [text.index("50", second)]
    assert len(review.occurrences(text, "50 missiles", (0, 5))) == 3  # not in that sentence: the whole article
    assert review.occurrences(text, "  ", None) == [] and review.occurrences(text, "60 missiles", None) == []


def test_change_text_names_only_what_changed():
    before = '{"date": "2024-06-19", "date_precision": "day", "actors": [["Vladimir Putin", "source"]]}'
    after = '{"date": "2024-06-18", "date_precision": "day", "actors": [["Kim Jong Un", "source"]]}'
    assert review.change_text("edit", before, after) == \
        "date: 2024-06-19 → 2024-06-18; actors: Vladimir Putin:source → Kim Jong Un:source"
