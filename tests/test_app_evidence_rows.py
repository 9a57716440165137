"""The evidence drawer reads only the rows it shows (ui.evidence.target_tables over View.rows),
never a whole corpus table: at a million events `View.tables` cost seconds and a gigabyte.
What it draws is what it drew over the whole tables."""
from __future__ import annotations

import pandas as pd
import pytest
from conftest import no_errors, run_page, served_sample_store
from test_app_evidence import marked_sentence, panel_html, words_of
from test_app_review import VISIT, form_key, open_visit, visit

from core.query import views
from ui import data, evidence, review


@pytest.fixture
def store(tmp_path, monkeypatch):
    """A real store holding the sample corpus, writes allowed; whole tables refused."""
    yield from served_sample_store(tmp_path, monkeypatch)


def no_whole_tables(monkeypatch) -> None:
    def refuse(self):
        raise AssertionError("a whole corpus table was read")
    monkeypatch.setattr(data.View, "tables", property(refuse))


def test_drawer_and_review_controls_read_no_whole_table(store, monkeypatch):
    no_whole_tables(monkeypatch)
    at = open_visit(run_page("pages/timeline.py"))
    # The article's header, the visit's actors with roles in the review form, the Add form.
    assert "Putin in Pyongyang" in "".join(h.proto.body for h in at.get("html"))
    actors = at.get_by_key(f"{form_key(at)}_actors").value
    assert sorted(zip(actors["actor"], actors["role"], strict=True)) == [("North Korea", "target"),
                                                                         ("Vladimir Putin", "source")]
    assert at.get_by_key(f"review_add_{visit(store)['article_id']}_words") is not None


def test_link_opens_the_drawer_without_whole_tables(store, monkeypatch):
    no_whole_tables(monkeypatch)
    event_id = visit(store)["event_id"]
    at = run_page("pages/timeline.py", query={evidence.OPEN_PARAM: f"events:{event_id}"})
    assert no_errors(at) == []
    assert words_of(marked_sentence(panel_html(at))) == VISIT
    assert at.session_state[evidence.TARGET_KEY]["ids"] == [event_id]
    # An id of no row: a notice, no drawer.
    at = run_page("pages/timeline.py", query={evidence.OPEN_PARAM: "events:no-such-event"})
    assert no_errors(at) == [] and evidence.TARGET_KEY not in at.session_state


def rows_over(tables: dict[str, pd.DataFrame], asked: list):
    """View.rows over whole `tables` (rows in table order), noting each table asked."""
    def rows(table: str, column: str, values) -> pd.DataFrame:
        asked.append(table)
        frame = tables[table]
        return frame[frame[column].astype("string").isin([str(v) for v in values])].reset_index(drop=True)
    return rows


def test_target_tables_show_what_the_whole_tables_show(tables):
    """For every event and figure (and a story of two reports, and an anchor whose id is gone),
    the drawer's rows, the article, its highlights and the event's actors are the same over
    target_tables as over the whole tables."""
    targets = [{"table": t, "ids": [i], "token": 1} for t, col in evidence.ID_COLUMNS.items()
               for i in tables[t][col]]
    two = list(tables["events"].groupby("story_id")["event_id"].agg(list).loc[lambda s: s.map(len) > 1].iloc[0])
    first = tables["events"].iloc[0]
    anchor = {"article_id": first["article_id"], "start_char": int(first["start_char"]),
              "end_char": int(first["end_char"])}
    targets += [{"table": "events", "ids": two, "token": 1}, {"table": "events", "ids": [], "anchor": anchor,
                                                               "token": 1}]
    for tgt in targets:
        asked: list = []
        mine = evidence.target_tables(rows_over(tables, asked), tgt)
        got = evidence.rows_of(mine, tgt["table"], tgt["ids"], tgt.get("anchor"))
        want = evidence.rows_of(tables, tgt["table"], tgt["ids"], tgt.get("anchor"))
        assert not want.empty
        pd.testing.assert_frame_equal(got, want, check_dtype=False)
        assert evidence.target_article(tgt, mine) == evidence.target_article(tgt, tables)
        for _, row in want.iterrows():
            aid = row["article_id"]
            arts, every = mine["articles"], tables["articles"]
            assert arts[arts["article_id"] == aid].iloc[0].equals(every[every["article_id"] == aid].iloc[0])
            text = every.set_index("article_id").loc[aid, "text"]
            pd.testing.assert_frame_equal(views.article_spans(aid, text, mine), views.article_spans(aid, text, tables))
            if tgt["table"] == "events":
                pd.testing.assert_frame_equal(review.actor_roles(mine, row["event_id"]),
                                              review.actor_roles(tables, row["event_id"]))
        assert set(asked) <= {"articles", "events", "quantities", "mentions", "event_actors"}
        with pytest.raises(KeyError):
            mine["actors"]
