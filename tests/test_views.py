"""core.query.views: each page's figures computed from the hand-made corpus or tiny frames."""
import ast

import numpy as np
import pandas as pd
import pytest
from conftest import A1, A2, A3, A4, REPO

from core.query import views


@pytest.mark.parametrize("args, expected", [
    ((11000.0, None, "more_than", "container"), "more than 11,000 containers"),
    ((50.0, None, "about", "missile"), "about 50 missiles"),
    ((20.0, 30.0, "exact", "missile"), "20–30 missiles"),
    ((2.5, None, None, "kilometre"), "2.5 kilometres"),
    ((1.0, None, "exact", "casualty"), "1 casualty"),
    ((3.0, None, "exact", "casualty"), "3 casualties"),
    ((1000.0, None, "exact", "person"), "1,000 people"),
    ((24.0, None, "vague", "missile"), "an estimated 24 missiles"),  # "dozens": a stand-in, not a bound
    ((None, None, "exact", "shell"), ""),
])
def test_views_figure_label(args, expected):
    assert views.figure_label(*args) == expected


def test_views_corpus_summary(tables):
    s = views.corpus_summary(tables)
    assert s == {"n_articles": 4, "n_sources": 3, "n_events": 6, "n_stories": 5, "n_actors": 7, "n_places": 3,
                 "n_quantities": 4, "published": ("2023-10-20", "2024-06-20"),
                 "event_dates": ("2023-09-13", "2024-06-19")}


def test_views_headline_figures_are_latest_claims(tables):
    heads = views.headline_figures(tables["quantities"], tables["articles"])
    got = heads[["category", "label", "claimant", "dated_by", "quantity_id"]].to_dict("records")
    assert got == [
        {"category": "container", "label": "more than 11,000 containers", "claimant": "South Korea",
         "dated_by": "sentence", "quantity_id": f"{A4}-q0"},
        {"category": "missile", "label": "about 50 Hwasong-11 missiles", "claimant": "Kharkiv Prosecutor's Office",
         "dated_by": "sentence", "quantity_id": f"{A3}-q0"},
    ]


def test_views_quantity_series_dates_by_sentence_then_publication(tables):
    s = views.quantity_series(tables["quantities"], tables["articles"])
    got = s[["quantity_id", "when", "dated_by", "claimant"]]
    expected = pd.DataFrame({
        "quantity_id": [f"{A1}-q0", f"{A2}-q0", f"{A4}-q0", f"{A3}-q0"],
        "when": pd.to_datetime(["2023-10-01", "2024-03-01", "2024-06-20", "2024-01-06"]),
        "dated_by": ["sentence", "publication", "sentence", "sentence"],
        "claimant": [views.UNATTRIBUTED, "Ukraine", "South Korea", "Kharkiv Prosecutor's Office"],
    })
    pd.testing.assert_frame_equal(got.reset_index(drop=True), expected, check_dtype=False)


def test_views_stories_merge_reports_of_one_event(tables):
    s = views.stories(tables["events"], tables["articles"])
    got = s[["story_id", "date", "status", "n_articles", "sources", "article_id"]].to_dict("records")
    assert got == [
        {"story_id": "s-moscow", "date": "2023-09-13", "status": "reported", "n_articles": 1, "sources": "Yonhap",
         "article_id": A1},
        {"story_id": "s-cont1", "date": "2023-10-01", "status": "reported", "n_articles": 1, "sources": "Yonhap",
         "article_id": A1},
        {"story_id": "s-strike", "date": "2024-01-06", "status": "reported", "n_articles": 1,
         "sources": "Kyiv Independent", "article_id": A3},
        # Reported by two outlets; the most precisely dated report (the visit done) represents it.
        {"story_id": "s-putin", "date": "2024-06-19", "status": "reported", "n_articles": 2,
         "sources": "Reuters; Yonhap", "article_id": A4},
        {"story_id": "s-cont2", "date": None, "status": "alleged", "n_articles": 1, "sources": "Reuters",
         "article_id": A2},
    ]


@pytest.mark.parametrize("by, rows", [
    ("type", ["visit", "transfer", "strike", "visit"]),
    ("actor", ["Kim Jong Un", "Russia", "North Korea", "Russia", "Russia", "Ukraine", "Vladimir Putin", "North Korea"]),
])
def test_views_timeline_points_rows(tables, by, rows):
    points = views.timeline_points(views.stories(tables["events"], tables["articles"]), by=by)
    assert list(points["row"]) == rows


def test_views_timeline_points_rejects_unknown_rows(tables):
    with pytest.raises(ValueError, match="'place'"):
        views.timeline_points(views.stories(tables["events"], tables["articles"]), by="place")


def test_views_active_actors(tables):
    got = views.active_actors(tables["events"], tables["event_actors"], tables["actors"], n=3)
    assert got[["name", "type", "n_stories", "n_events", "n_articles"]].to_dict("records") == [
        {"name": "Russia", "type": "state", "n_stories": 4, "n_events": 4, "n_articles": 3},
        {"name": "North Korea", "type": "state", "n_stories": 3, "n_events": 4, "n_articles": 3},
        {"name": "Ukraine", "type": "state", "n_stories": 2, "n_events": 2, "n_articles": 2},
    ]


def test_views_network_edges_directed(tables):
    got = views.network_edges(tables["events"], tables["event_actors"])
    assert got[["source", "target", "type", "n_events"]].to_dict("records") == [
        {"source": "North Korea", "target": "Russia", "type": "transfer", "n_events": 2},
        {"source": "Vladimir Putin", "target": "North Korea", "type": "visit", "n_events": 2},
        {"source": "Kim Jong Un", "target": "Russia", "type": "visit", "n_events": 1},
        {"source": "Russia", "target": "Ukraine", "type": "strike", "n_events": 1},
    ]


def test_views_network_edges_pair_participants_without_direction():
    events = pd.DataFrame({"event_id": ["e1"], "type": ["meeting"]})
    event_actors = pd.DataFrame({"event_id": ["e1"] * 3, "actor": ["C", "A", "B"], "role": ["participant"] * 3})
    got = views.network_edges(events, event_actors)
    assert got[["source", "target", "n_events"]].to_dict("records") == [
        {"source": "A", "target": "B", "n_events": 1}, {"source": "A", "target": "C", "n_events": 1},
        {"source": "B", "target": "C", "n_events": 1},
    ]


def test_views_network_layout_is_deterministic_and_spread(tables):
    edges = views.network_edges(tables["events"], tables["event_actors"])
    nodes = views.network_nodes(edges, tables["actors"])
    a, b = views.network_layout(nodes, edges), views.network_layout(nodes, edges)
    pd.testing.assert_frame_equal(a, b)
    xy = a[["x", "y"]].to_numpy()
    gaps = np.linalg.norm(xy[:, None] - xy[None, :], axis=-1)[np.triu_indices(len(xy), 1)]
    assert np.isfinite(xy).all() and gaps.min() > 0.05


@pytest.mark.parametrize("points, expected", [
    ((0.0, 0.0, 0.0, 90.0), (0.0, 45.0)),
    ((10.0, 170.0, 10.0, -170.0), (10.1511, 180.0)),
    ((39.03, 125.75, 55.75, 37.62), (56.2243, 90.4747)),
])
def test_views_great_circle_midpoint(points, expected):
    lat, lon = views.great_circle_midpoint(*points)
    # expected: the normalised sum of the two unit vectors, computed independently
    assert (round(lat, 3), round(abs(lon), 3)) == (round(expected[0], 3), round(abs(expected[1]), 3))


def test_views_link_arcs(tables):
    arcs = views.link_arcs(tables["links"])
    assert list(arcs["label"]) == ["Pyongyang → Moscow (transfer)", "Moscow → Kharkiv (strike)"]
    assert list(arcs["width"]) == [3.5, 1.5]


def test_views_events_with_ids_and_actor_events(tables):
    assert list(views.events_with_ids(tables["events"], f"{A1}-1;{A2}-1")["event_id"]) == [f"{A1}-1", f"{A2}-1"]
    got = views.actor_events(tables["events"], tables["event_actors"], "Ukraine")
    assert got[["event_id", "role"]].to_dict("records") == [
        {"event_id": f"{A3}-0", "role": "target"}, {"event_id": f"{A2}-1", "role": "participant"},
    ]


@pytest.mark.parametrize("text, found", [
    ("He arrived on May 20 and left on 24 May 2024.", ["May 20", "24 May 2024"]),
    ("In Sept. 2023, then on Feb. 15-17, 2024 and 2024-06-19.", ["Sept. 2023", "Feb. 15-17, 2024", "2024-06-19"]),
    ("Mayday: 300 missiles, 12 shells.", []),
])
def test_views_date_spans(text, found):
    assert list(views.date_spans(text)["label"]) == found


def test_views_highlight_chunks_cover_text_once():
    text = "Putin met Kim in Pyongyang."
    spans = pd.DataFrame({"start": [0, 0, 17, 10, 12], "end": [5, 9, 26, 13, 20],
                          "kind": ["actor", "event", "place", "actor", "date"],
                          "label": ["Vladimir Putin", "meeting", "Pyongyang", "Kim Jong Un", "x"]})
    chunks = views.highlight_chunks(text, spans)
    assert chunks == [("Putin met", "event", "meeting"), (" ", None, None), ("Kim", "actor", "Kim Jong Un"),
                      (" in ", None, None), ("Pyongyang", "place", "Pyongyang"), (".", None, None)]
    assert "".join(c[0] for c in chunks) == text


def test_views_article_spans_of_an_article(tables):
    text = tables["articles"].set_index("article_id").at[A4, "text"]
    spans = views.article_spans(A4, text, tables)
    got = [(text[s:e], k) for s, e, k in spans[["start", "end", "kind"]].itertuples(index=False)]
    assert got == [("Putin", "actor"), ("visited", "event"), ("Pyongyang", "place"), ("June 19, 2024", "date"),
                   ("South Korea", "actor"), ("more than 11,000 containers", "quantity"), ("Russia", "actor")]


@pytest.mark.parametrize("segments, expected", [
    ('[[0, 5, "title", ""], [6, 12, "boilerplate", "teaser"], [13, 19, "byline", "By line"]]',
     [("boilerplate", "teaser", "Read a"), ("byline", "By line", "By Ann")]),
    ("not json", []),
    (None, []),
])
def test_views_stripped_segments(segments, expected):
    text = "Title\nRead a\nBy Ann\n"
    got = views.stripped_segments(segments, text)
    assert list(got[["kind", "reason", "text"]].itertuples(index=False, name=None)) == expected


def test_views_core_never_imports_streamlit():
    offenders = []
    for path in sorted((REPO / "core").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            if any(n.split(".")[0] == "streamlit" for n in names):
                offenders.append(path.name)
    assert offenders == []


def test_views_stories_break_ties_by_event_id_and_list_in_row_order():
    articles = pd.DataFrame({"article_id": ["a1", "a2"], "title": ["T1", "T2"], "source": ["Yonhap", ""],
                             "published": ["2024-06-20", None]})
    events = pd.DataFrame({
        "event_id": ["e3", "e4", "e1", "e2", "e6"], "story_id": ["s1", "s2", "s1", "s2", None],
        "article_id": ["a1", "a2", "a1", "a1", "a2"],
        "date": ["2024-06-01", "2024-06-09", "2024-06-01", "2024-06-10", None],
        "date_precision": ["month", "day", "month", "day", None], "status": "reported",
    })
    got = views.stories(events, articles)[["story_id", "event_id", "n_articles", "sources", "event_ids", "title"]]
    # s1: same precision and article, so the lower event id; s2: a known publication date wins.
    assert got.to_dict("records") == [
        {"story_id": "s1", "event_id": "e1", "n_articles": 1, "sources": "Yonhap", "event_ids": "e3;e1",
         "title": "T1"},
        {"story_id": "s2", "event_id": "e2", "n_articles": 2, "sources": "T2; Yonhap", "event_ids": "e4;e2",
         "title": "T1"},
        {"story_id": "e6", "event_id": "e6", "n_articles": 1, "sources": "T2", "event_ids": "e6", "title": "T2"},
    ]


def test_views_network_edges_list_each_event_once_in_order():
    events = pd.DataFrame({"event_id": ["e1", "e2", "e3"], "type": ["transfer", "transfer", "meeting"]})
    event_actors = pd.DataFrame({
        "event_id": ["e2", "e2", "e1", "e1", "e1", "e1", "e3", "e3", "e3", "e9"],
        "actor": ["A", "B", "A", "B", "C", "A", "B", "A", "A", "A"],
        "role": ["source", "target", "source", "target", "target", "source", "participant", "participant", "source",
                 "source"],
    })
    got = views.network_edges(events, event_actors)
    assert got.to_dict("records") == [
        {"source": "A", "target": "B", "type": "transfer", "n_events": 2, "event_ids": "e2;e1"},
        {"source": "A", "target": "B", "type": "meeting", "n_events": 1, "event_ids": "e3"},
        {"source": "A", "target": "C", "type": "transfer", "n_events": 1, "event_ids": "e1"},
    ]


def test_views_focus_range_opens_on_the_dense_period():
    dense = pd.Series(pd.date_range("2024-01-01", periods=30, freq="10D").strftime("%Y-%m-%d"))
    lo, hi = views.focus_range(pd.concat([pd.Series(["2000-01-01"]), dense]))
    assert pd.Timestamp("2023-12-01") < lo <= pd.Timestamp("2024-01-01") and hi >= pd.Timestamp("2024-10-17")
    assert views.focus_range(dense) is None  # nothing far off: show everything


def test_when_labels_word_every_row_as_when_label_does():
    start = pd.Series(pd.to_datetime(["2024-06-19", "2024-03-01", "2023-01-01", None, "2023-09-01", "2024-06-19"]))
    precision = pd.Series(["day", "month", "year", "day", "month", None], dtype="string")
    end = pd.Series(pd.to_datetime([None, None, None, None, "2024-02-26", "2024-06-01"]))
    got = views.when_labels(start, precision, end)
    want = [views.when_label(s, None if pd.isna(p) else p, e) for s, p, e in zip(start, precision, end, strict=True)]
    assert list(got) == want
    assert want[:5] == ["19 Jun 2024", "March 2024 (month only)", "2023 (year only)", "", "Sep 2023 – 26 Feb 2024"]
    assert list(views.when_labels(start, precision)) == [views.when_label(s, None if pd.isna(p) else p)
                                                          for s, p in zip(start, precision, strict=True)]


def test_largest_keeps_the_top_rows_in_table_order():
    frame = pd.DataFrame({"n": [1, 5, 3, 5, None], "name": list("abcde")}, index=[10, 11, 12, 13, 14])
    assert list(views.largest(frame, 2, ["n"], [False])["name"]) == ["b", "d"]  # a tie keeps table order
    assert list(views.largest(frame, 3, ["n", "name"], [False, False])["name"]) == ["b", "c", "d"]
    assert views.largest(frame, 5, ["n"], [False]) is frame  # few enough: all, as they were


def test_largest_among_some_rows_only():
    frame = pd.DataFrame({"n": [9, 5, 3, 4], "name": list("abcd")})
    among = np.array([False, True, True, True])
    assert list(views.largest(frame, 2, ["n"], [False], among=among)["name"]) == ["b", "d"]
    assert list(views.largest(frame, 3, ["n"], [False], among=among)["name"]) == ["b", "c", "d"]
