"""Analyst corrections (issue 11): checked values, anchored log entries, the corrected tables,
rebuilds that keep every correction, reverts, concurrent writers, exports and imports, bad input.

The store runs a cheap fake pipeline (tests/review_fake.py) with the real corpus aggregation,
so actors, places, links and stories are derived from the corrected rows as in production."""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import review_fake
from review_fake import make_store

from core import schema
from core.corpus import build, corrected, export, review
from core.corpus.links import build_links
from core.corpus.store import Store, with_identity
from core.errors import ReviewError
from core.model import Article
from core.query import sql

ROOT = Path(__file__).resolve().parents[1]
A = ("Putin visited Pyongyang on June 19 and met Kim Jong Un. KCNA reported the talks. "
     "North Korea shipped 11,000 containers and dozens of missiles to Russia. "
     "Foreign Affairs said North Korea shipped 11,000 containers.")
B = "Kim Jong Un met Putin in Vladivostok. The Korean Central News Agency said North Korea shipped 24 missiles."
MISSED = "dozens of missiles"


def articles() -> list[Article]:
    return [Article(article_id="", file="a.txt", title="A", text=A, published=date(2024, 6, 19), source="Yonhap"),
            Article(article_id="", file="b.txt", title="B", text=B, published=date(2023, 9, 13), source="TASS")]


@pytest.fixture(autouse=True)
def first_version():
    review_fake.VERSION[0] = 1
    yield
    review_fake.VERSION[0] = 1


def new_store(path) -> Store:
    store = make_store(path)
    store.add_articles(articles())
    return store


@pytest.fixture
def store(tmp_path):
    return new_store(tmp_path / "store")


def event_at(tables, text: str, word: str, nth: int = 0) -> pd.Series:
    """The event row whose trigger starts at the `nth` `word` of `text`."""
    start = [i for i in range(len(text)) if text.startswith(word, i)][nth]
    ev = tables["events"]
    return ev[ev["start_char"] == start].iloc[0]


def hash_of(tables, text: str) -> str:
    arts = tables["articles"]
    return str(arts.loc[arts["text"] == text, "content_hash"].iloc[0])


def the_corrections(store: Store) -> dict[str, str]:
    """The issue's corrections, made by two analysts: correct an event's actors and date,
    reject a duplicate, add a missed figure by its words, merge two actors; also mark the
    'reported' event alleged and confirm a figure. Returns name -> correction id."""
    t = store.tables()
    visit, first_ship = event_at(t, A, "visited"), event_at(t, A, "shipped", 0)
    dup, told = event_at(t, A, "shipped", 1), event_at(t, A, "reported")
    figure = t["quantities"][t["quantities"]["text"] == "24 missiles"].iloc[0]
    start = A.index(MISSED)
    ids = store.correct([
        {"table": "events", "action": "edit", "row_id": visit["event_id"], "reason": "he received Putin",
         "after": {"date": "August 2024", "actors": [["Kim Jong Un", "source"], ["Vladimir Putin", "target"]]}},
        {"table": "events", "action": "reject", "row_id": dup["event_id"], "target": first_ship["event_id"],
         "reason": "duplicate"},
        {"table": "quantities", "action": "add", "article_hash": hash_of(t, A), "start_char": start,
         "end_char": start + len(MISSED),
         "after": {"value": "24", "unit": "missile", "qualifier": "vague", "category": "missile"}},
    ], user="ann")
    ids += store.correct([
        {"table": "actors", "action": "merge", "target": "KCNA", "after": {"name": "Korean Central News Agency"}},
        {"table": "events", "action": "edit", "row_id": told["event_id"], "after": {"status": "alleged"}},
        {"table": "quantities", "action": "review", "row_id": figure["quantity_id"]},
    ], user="bob")
    return dict(zip(["edit", "reject", "add", "merge", "status", "confirm"], ids, strict=True))


def assert_corrected(tables: dict[str, pd.DataFrame], told_review: str = "corrected") -> None:
    """The tables show every correction of `the_corrections`, and the corpus tables agree
    (`told_review`: the review value of the event marked alleged)."""
    ev, ea, qs = tables["events"], tables["event_actors"], tables["quantities"]
    visit = event_at(tables, A, "visited")
    assert (visit["date"], visit["date_precision"], visit["actors"], visit["review"]) == (
        "2024-08-01", "month", "Kim Jong Un;Vladimir Putin", "corrected")
    assert ea[ea["event_id"] == visit["event_id"]][["actor", "role"]].values.tolist() == [
        ["Kim Jong Un", "source"], ["Vladimir Putin", "target"]]
    second = A.index("shipped", A.index("shipped") + 1)
    assert second not in set(ev["start_char"][ev["article_id"] == visit["article_id"]])
    assert len(ev[ev["type"] == "transfer"]) == 2  # one in each article
    added = qs[qs["text"] == MISSED]
    assert len(added) == 1
    row = added.iloc[0]
    assert (row["value"], row["unit"], row["qualifier"], row["category"], row["review"]) == (
        24.0, "missile", "vague", "missile", "added")
    assert MISSED in row["sentence"] and row["sentence"].startswith("North Korea shipped")
    assert qs.loc[qs["text"] == "24 missiles", "review"].tolist() == ["reviewed"]
    told = event_at(tables, A, "reported")
    assert (told["status"], told["actors"], told["review"]) == ("alleged", "Korean Central News Agency", told_review)
    # the merge: corpus-wide, in every table
    assert "KCNA" not in set(tables["actors"]["name"]) and "KCNA" not in set(ea["actor"])
    kcna = tables["actors"].set_index("name").loc["Korean Central News Agency"]
    assert set(kcna["aliases"].split(";")) == {"KCNA", "Korean Central News Agency"} and kcna["n_articles"] == 2
    assert set(tables["actors"]["name"]) == set(tables["mentions"].query("kind == 'actor'")["name"])
    pd.testing.assert_frame_equal(tables["links"], schema.validate("links", build_links(ev, tables["places"])))
    assert set(ev["story_id"].dropna()) and not ev["story_id"].isna().any()


# ---------------------------------------------------------------- values


@pytest.mark.parametrize("value, expected", [
    ("2024-08-13", ("2024-08-13", "day")), ("August 2024", ("2024-08-01", "month")),
    ("13 Aug 2024", ("2024-08-13", "day")), ("2024", ("2024-01-01", "year")), (" 2023 ", ("2023-01-01", "year")),
])
def test_review_parse_date_reads_days_months_and_years(value, expected):
    assert review.parse_date(value) == expected


@pytest.mark.parametrize("value", ["soon", "", None, "2024-13-45", "yesterday", "August 2024 and May 2025"])
def test_review_parse_date_refuses_what_is_not_one_date(value):
    with pytest.raises(ReviewError, match=r"date_end: .* is not a date"):
        review.parse_date(value, "date_end")


def test_review_numbers_names_and_fields_are_checked():
    assert review.parse_number("11,000", "value") == 11000.0
    for bad in ("many", "nan", "inf", True, None):
        with pytest.raises(ReviewError, match=r"value: .* not a"):
            review.parse_number(bad, "value")
    assert review.parse_actors("Kim Jong Un:source; Putin") == [["Kim Jong Un", "source"], ["Putin", "participant"]]
    with pytest.raises(ReviewError, match="actors: the name is empty"):
        review.parse_actors([["  ", "source"]])
    with pytest.raises(ReviewError, match="'boss' is not a role"):
        review.parse_actors([["Kim", "boss"]])
    with pytest.raises(ReviewError, match="'trigger' cannot be corrected"):
        review.clean_fields("events", {"trigger": "x"})
    with pytest.raises(ReviewError, match="value_max: 5 is below value 10"):
        review.clean_fields("quantities", {"value": 10, "value_max": 5})
    with pytest.raises(ReviewError, match="category: 'tanks' is not one of"):
        review.clean_fields("quantities", {"category": "tanks"})
    assert review.clean_fields("events", {"date": "2024-08-13", "date_precision": "month"}) == {
        "date": "2024-08-01", "date_precision": "month"}
    with pytest.raises(ReviewError, match="lat: 95 is outside"):
        review.clean_fields("places", {"lat": 95})


def test_review_find_row_prefers_the_largest_overlap_then_the_same_type_in_the_sentence():
    rows = [{"start_char": 0, "end_char": 5, "type": "visit", "sentence_start": 0, "sentence_end": 40},
            {"start_char": 4, "end_char": 12, "type": "meeting", "sentence_start": 0, "sentence_end": 40}]
    assert review.find_row(rows, 3, 10, {}) == 1
    assert review.find_row(rows, 20, 25, {}) is None
    assert review.find_row(rows, 20, 25, {"type": "meeting"}) == 1
    assert review.find_row(rows, 50, 55, {"type": "meeting"}) is None


def test_review_sentence_around_a_selection():
    text = "First one. North Korea shipped dozens of missiles to Russia. Last one."
    s, e = corrected.sentence_around(text, text.index("dozens"), text.index("dozens") + 6)
    assert text[s:e] == "North Korea shipped dozens of missiles to Russia."


def test_review_active_entries_follow_reverts_of_reverts():
    log = review.log_frame([
        {"correction_id": "a" * 16, "at": "1", "table": "events", "action": "review"},
        {"correction_id": "b" * 16, "at": "2", "table": "events", "action": "revert", "target": "a" * 16},
    ])
    assert review.active(log).empty
    again = review.log_frame([*log.to_dict("records"),
                              {"correction_id": "c" * 16, "at": "3", "table": "events", "action": "revert",
                               "target": "b" * 16}])
    assert review.active(again)["correction_id"].tolist() == ["a" * 16]


# ---------------------------------------------------------------- the store


def test_review_corrections_show_in_every_table_after_reopening(store):
    auto = store.tables()
    assert set(auto["events"]["review"]) == {"auto"} and "KCNA" in set(auto["actors"]["name"])
    ids = the_corrections(store)
    assert len(set(ids.values())) == 6
    reopened = make_store(store.path)
    tables = reopened.tables()
    assert_corrected(tables)
    assert reopened.orphaned_corrections().empty
    log = reopened.corrections()
    assert log["user"].tolist() == ["ann"] * 3 + ["bob"] * 3
    assert log.set_index("correction_id").loc[ids["reject"], "target"] == event_at(auto, A, "shipped")["event_id"]
    before = json.loads(log.set_index("correction_id").loc[ids["edit"], "before"])
    assert before["actors"] == [["Vladimir Putin", "source"], ["Kim Jong Un", "target"]]
    # the automatic rows are kept as the pipeline made them
    assert set(reopened.per_article_tables()["events"]["review"]) == {"auto"}
    # the dashboard's DuckDB queries read the generation's Parquet files: corrected too
    m = reopened.manifest()
    con = sql.connect_parquet(reopened.path / "gen" / str(m["generation"]) / "corpus")
    assert sql.count_events(con, sql.Filters()) == len(tables["events"])
    got = sql.review_counts(con, sql.Filters()).set_index("table")
    expected = review.counts(tables)
    for name in ("events", "quantities"):
        assert got.loc[name, ["auto", "corrected", "added", "reviewed"]].tolist() == list(expected[name].values())
    assert got.loc["quantities", "share"] == pytest.approx(2 / 4)  # the added and the confirmed figure


def test_review_rebuild_with_a_new_pipeline_version_keeps_every_correction(store, monkeypatch):
    ids = the_corrections(store)
    old_ids = set(store.tables()["events"]["event_id"])
    review_fake.VERSION[0] = 2  # numbering, trigger spans change; "reported" is no longer an event
    monkeypatch.setattr("core.PIPELINE_VERSION", "99.0-test")
    newer = make_store(store.path)
    assert newer.pipeline_version == "99.0-test" and newer.stale()
    newer.rebuild()
    assert not newer.stale()
    tables = newer.tables()
    assert set(tables["events"]["event_id"]) != old_ids  # re-extracted
    assert event_at(tables, A, "visited")["trigger"] == "visited Pyongyang"
    assert_corrected(tables, told_review="added")
    # the edit of the event that is gone: listed as orphaned, and applied as a hand-added row
    orphans = newer.orphaned_corrections()
    assert orphans["correction_id"].tolist() == [ids["status"]]
    assert "applied as a row added by hand" in orphans["problem"].iloc[0]
    told = event_at(tables, A, "reported")
    assert (told["review"], told["trigger"], told["type"]) == ("added", "reported", "statement")
    assert len(newer.corrections()) == 6  # nothing dropped from the log


def test_review_revert_restores_the_automatic_rows(store, tmp_path):
    ids = the_corrections(store)
    plain = new_store(tmp_path / "plain").tables()
    store.revert(ids["edit"], user="ann", reason="wrong")
    visit, auto = event_at(store.tables(), A, "visited"), event_at(plain, A, "visited")
    pd.testing.assert_series_equal(visit, auto, check_names=False)
    for name in ("reject", "add", "merge", "status", "confirm"):
        store.revert(ids[name])
    tables = store.tables()
    for name in schema.TABLES:
        pd.testing.assert_frame_equal(tables[name], plain[name], obj=name)
    log = store.corrections()
    assert len(log) == 12 and review.active(log).empty
    states = review.described(log, store.orphaned_corrections())["state"].tolist()
    assert states == ["reverted"] * 6 + ["revert"] * 6
    # reverting the revert brings the correction back
    revert_of_edit = log[(log["action"] == "revert") & (log["target"] == ids["edit"])]["correction_id"].iloc[0]
    store.revert(revert_of_edit)
    assert event_at(store.tables(), A, "visited")["review"] == "corrected"
    with pytest.raises(ReviewError, match="no correction 'ffff'"):
        store.revert("ffff")


WRITER = """
import sys
sys.path.insert(0, {tests!r})
from review_fake import make_store
s = make_store({path!r})
rows = s.tables()["events"]["event_id"].tolist()
for i in range({n}):
    s.correct([{{"table": "events", "action": "review", "row_id": rows[(i + {offset}) % len(rows)],
                 "reason": "writer {tag} pass " + str(i)}}], user="{tag}")
"""


def test_review_two_processes_writing_corrections_at_once_lose_nothing(store):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-c", WRITER.format(tests=str(ROOT / "tests"), path=str(store.path),
                                                                   n=6, tag=tag, offset=offset)],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for tag, offset in (("w1", 0), ("w2", 3))]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    log = store.corrections()
    assert sorted(log["reason"]) == sorted(f"writer {t} pass {i}" for t in ("w1", "w2") for i in range(6))
    assert log["correction_id"].is_unique
    assert len(store.tables()["events"]) == 9 and set(store.tables()["events"]["review"]) == {"reviewed"}


# ---------------------------------------------------------------- exports and imports


def test_review_zip_carries_the_corrections_and_reimporting_it_reproduces_the_tables(store, tmp_path):
    the_corrections(store)
    tables, log = store.tables(), store.corrections()
    data = export.snapshot_zip(tables, {"store": "x"}, log)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = set(zf.namelist())
        manifest = json.loads(zf.read("manifest.json"))
        csvs = {n: pd.read_csv(zf.open(n)) for n in names if n.endswith(".csv")}
    assert names == {f"{n}.csv" for n in schema.TABLES} | {"corrections.csv", "manifest.json"}
    assert manifest["files"]["corrections.csv"] == 6
    assert manifest["review"]["events"] == {"auto": 6, "corrected": 2, "added": 0, "reviewed": 0}
    assert manifest["review"]["quantities"] == {"auto": 2, "corrected": 0, "added": 1, "reviewed": 1}
    for name in ("events", "quantities"):
        assert list(csvs[f"{name}.csv"].columns) == schema.columns(name)
        assert csvs[f"{name}.csv"]["review"].notna().all()
    zip_path = tmp_path / "snapshot.zip"
    zip_path.write_bytes(data)
    fresh = new_store(tmp_path / "fresh")
    assert fresh.import_corrections(zip_path) == (6, 0)
    again = fresh.tables()
    for name in schema.TABLES:
        pd.testing.assert_frame_equal(again[name], tables[name], obj=name)
    pd.testing.assert_frame_equal(fresh.corrections(), log)
    version = fresh.version()
    assert fresh.import_corrections(zip_path) == (0, 6)  # idempotent: the same entries are one entry
    assert fresh.version() == version


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_review_export_and_import_files_round_trip(store, tmp_path, suffix):
    the_corrections(store)
    path = store.export_corrections(tmp_path / f"mine{suffix}")
    fresh = new_store(tmp_path / "fresh")
    assert fresh.import_corrections(path) == (6, 0)
    assert fresh.import_corrections(path) == (0, 6)
    pd.testing.assert_frame_equal(fresh.corrections(), store.corrections())
    assert_corrected(fresh.tables())


def test_review_export_csv_is_neutralised_and_imports_as_written(store, tmp_path):
    t = store.tables()
    store.correct([{"table": "events", "action": "review", "row_id": t["events"]["event_id"].iloc[0],
                    "reason": "=HYPERLINK(\"http://x\")"}])
    path = store.export_corrections(tmp_path / "c.csv")
    assert "'=HYPERLINK" in path.read_text(encoding="utf-8")
    fresh = new_store(tmp_path / "fresh")
    fresh.import_corrections(path)
    assert fresh.corrections()["reason"].tolist() == ["=HYPERLINK(\"http://x\")"]


def unchanged(store: Store):
    """A check that nothing was written to `store` since this call."""
    version, log = store.version(), store.corrections()

    def check():
        assert store.version() == version
        pd.testing.assert_frame_equal(store.corrections(), log)
    return check


def test_review_bad_import_files_are_refused_with_nothing_written(store, tmp_path):
    the_corrections(store)
    check = unchanged(store)
    good = store.export_corrections(tmp_path / "good.csv").read_text(encoding="utf-8")
    cases = {
        "garbage.csv": ("not,a,corrections\nfile,at,all\n", "not a corrections file"),
        "bad_action.csv": (good.replace(",merge,", ",explode,"), "unknown action 'explode'"),
        "bad_json.csv": (good.replace('"{""name"": ""Korean Central News Agency""}"', '"{oops"'),
                         "before/after are not JSON"),
        "broken.jsonl": ('{"correction_id": \n', "line 1: not JSON"),
        "broken.zip": ("PK not really", "not a ZIP file"),
    }
    for name, (content, message) in cases.items():
        path = tmp_path / name
        path.write_text(content, encoding="utf-8")
        with pytest.raises(ReviewError, match=message) as err:
            store.import_corrections(path)
        assert name in str(err.value)
    with pytest.raises(ReviewError, match="cannot be read"):
        store.import_corrections(tmp_path / "missing.csv")
    check()


def test_review_corrections_of_another_corpus_are_refused(store, tmp_path):
    other = make_store(tmp_path / "other")
    other.add_articles([Article(article_id="", file="c.txt", title="C", text="Putin visited Moscow.",
                                published=date(2024, 1, 2))])
    other.correct([{"table": "events", "action": "review", "row_id": other.tables()["events"]["event_id"].iloc[0]}])
    path = other.export_corrections(tmp_path / "other.csv")
    check = unchanged(store)
    with pytest.raises(ReviewError, match=r"other.csv: 1 of the 1 articles .* another corpus"):
        store.import_corrections(path)
    check()


def test_review_bad_edits_are_refused_with_nothing_written(store):
    t = store.tables()
    eid = event_at(t, A, "visited")["event_id"]
    qid = t["quantities"]["quantity_id"].iloc[0]
    the_corrections(store)
    check = unchanged(store)
    bad = [
        ({"table": "events", "action": "edit", "row_id": eid, "after": {"date": "sometime soon"}},
         "correction 2: date: 'sometime soon' is not a date"),
        ({"table": "quantities", "action": "edit", "row_id": qid, "after": {"value": "lots"}},
         "value: 'lots' is not a number"),
        ({"table": "events", "action": "edit", "row_id": eid, "after": {"actors": [["", "source"]]}},
         "actors: the name is empty"),
        ({"table": "actors", "action": "rename", "target": "Kim Jong Un", "after": {"name": " "}},
         "name: the name is empty"),
        ({"table": "events", "action": "edit", "row_id": "nope"}, "events: no row 'nope'"),
        ({"table": "quantities", "action": "add", "article_hash": hash_of(t, A), "start_char": 5, "end_char": 10_000,
          "after": {"value": 3, "unit": "missile"}}, "not inside the article text"),
        ({"table": "quantities", "action": "add", "article_hash": "0" * 64, "start_char": 0, "end_char": 3,
          "after": {"value": 3, "unit": "missile"}}, "no stored article"),
        ({"table": "events", "action": "merge", "target": "x"}, "applies to actors and places"),
        ({"table": "actors", "action": "merge", "target": "Nobody", "after": {"name": "X"}}, "no actor named 'Nobody'"),
        ({"table": "links", "action": "edit"}, "table 'links' cannot be corrected"),
    ]
    for entry, message in bad:
        with pytest.raises(ReviewError, match=message):
            # a good entry in the same batch is not written either
            store.correct([{"table": "events", "action": "review", "row_id": eid}, entry])
    check()
    assert_corrected(store.tables())  # nothing lost


# ---------------------------------------------------------------- names and places


def test_review_not_an_actor_split_and_places(store):
    t = store.tables()
    assert "Foreign Affairs" in set(t["actors"]["name"])
    store.correct([
        {"table": "actors", "action": "not_actor", "target": "Foreign Affairs", "reason": "a section name"},
        {"table": "actors", "action": "split", "target": "Vladimir Putin",
         "after": {"alias": "Putin", "name": "Putin (unclear)"}},
        {"table": "places", "action": "rename", "target": "Pyongyang", "after": {"name": "Pyongyang City"}},
        {"table": "places", "action": "edit", "target": "Vladivostok", "after": {"lat": 43.1, "lon": 131.9}},
    ])
    t = store.tables()
    actors = set(t["actors"]["name"])
    assert "Foreign Affairs" not in actors and "Foreign Affairs" not in set(t["event_actors"]["actor"])
    said = event_at(t, A, "said")
    assert (said["actors"], said["review"]) == ("North Korea", "corrected")
    assert "Vladimir Putin" not in actors and "Putin (unclear)" in actors  # every mention was "Putin"
    visit = event_at(t, A, "visited")
    assert (visit["destination"], visit["review"]) == ("Pyongyang City", "corrected")
    places = t["places"].set_index("name")
    assert "Pyongyang" not in places.index and places.loc["Vladivostok", "lat"] == 43.1
    assert set(t["links"]["destination"]) == {"Pyongyang City"}
    assert store.orphaned_corrections().empty
    store.revert(store.corrections()["correction_id"].iloc[2])
    assert event_at(store.tables(), A, "visited")["destination"] == "Pyongyang"


def test_review_name_correction_whose_name_is_gone_is_an_orphan(store):
    store.correct([{"table": "actors", "action": "rename", "target": "KCNA", "after": {"name": "K"}},
                   {"table": "actors", "action": "merge", "target": "Russia", "after": {"name": "Russian Federation"}}])
    log = review.log_frame([*store.corrections().to_dict("records")])
    # the same log over tables without Russia: the merge finds nothing, and says so
    rows = store.per_article_tables()
    rows["mentions"] = rows["mentions"][rows["mentions"]["name"] != "Russia"]
    rows["event_actors"] = rows["event_actors"][rows["event_actors"]["actor"] != "Russia"]
    _, orphans = corrected.apply_rows(rows, log)
    assert orphans["target"].tolist() == ["Russia"] and "no actor named 'Russia'" in orphans["problem"].iloc[0]


def test_review_extract_csvs_have_the_review_column(tmp_path):
    """Tables made without a store (`extract`) are all automatic, and their CSVs say so."""
    tables = build.aggregate(review_fake.fake_analyse([with_identity(a) for a in articles()]))
    assert tables["events"]["review"].isna().all()  # the extraction never reviews
    export.write_tables(tables, tmp_path)
    for name in review.ROW_TABLES:
        df = pd.read_csv(tmp_path / f"{name}.csv")
        assert list(df.columns) == schema.columns(name) and set(df["review"]) == {"auto"}


def test_review_a_writer_killed_between_the_log_and_the_tables_is_caught_up_on_open(store):
    """The log is written first: entries whose tables were never written are applied when the
    store is next opened."""
    the_corrections(store)
    log, m = store.corrections(), store.manifest()
    extra = review.new_entries([{"table": "actors", "action": "not_actor", "target": "Foreign Affairs"}],
                               store.tables(), user="ann", at="2026-01-01T00:00:00Z")
    merged, _ = review.merge_logs(log, extra)
    store.corrections_path.write_bytes(review.to_jsonl(merged))  # ... and the writer dies here
    assert store.manifest() == m and "Foreign Affairs" in set(store.tables()["actors"]["name"])
    reopened = make_store(store.path)
    assert reopened.manifest()["generation"] == m["generation"] + 1
    assert "Foreign Affairs" not in set(reopened.tables()["actors"]["name"])
    assert_corrected(reopened.tables())


def test_review_store_export_writes_the_corrections_beside_the_tables(store, tmp_path):
    assert "corrections.csv" not in {p.name for p in store.export(tmp_path / "plain")}
    the_corrections(store)
    paths = {p.name: p for p in store.export(tmp_path / "reviewed")}
    assert set(paths) == {f"{n}.csv" for n in schema.TABLES} | {"corrections.csv"}
    assert len(pd.read_csv(paths["corrections.csv"])) == 6
    events = pd.read_csv(paths["events.csv"])
    assert events["review"].value_counts().to_dict() == {"auto": 6, "corrected": 2}


def test_review_an_actor_named_by_hand_is_in_the_actors_table(store):
    t = store.tables()
    store.correct([{"table": "events", "action": "edit", "row_id": event_at(t, B, "met")["event_id"],
                    "after": {"actors": [["Kim Jong Un", "source"], ["Sergei Shoigu", "target"]]}}])
    actors = store.tables()["actors"].set_index("name")
    assert (actors.loc["Sergei Shoigu", "n_articles"], actors.loc["Sergei Shoigu", "n_mentions"]) == (1, 0)
    assert actors.loc["Sergei Shoigu", "first_seen"] == "2023-09-13"
    assert "Vladimir Putin" in actors.index  # still mentioned elsewhere


def test_review_place_split_precision_alone_and_figure_fields(store):
    t = store.tables()
    store.correct([
        {"table": "places", "action": "split", "target": "Pyongyang", "after": {"alias": "Pyongyang", "name": "PY"}},
        {"table": "events", "action": "edit", "row_id": event_at(t, A, "visited")["event_id"],
         "after": {"date_precision": "year"}},
        {"table": "quantities", "action": "edit", "row_id": t["quantities"]["quantity_id"].iloc[0],
         "after": {"claimant": "Russia", "value_max": "12000", "date": "2024"}},
    ])
    t = store.tables()
    visit = event_at(t, A, "visited")
    assert visit[["date", "date_precision", "destination", "review"]].tolist() == ["2024-01-01", "year", "PY",
                                                                                 "corrected"]
    assert t["places"]["name"].tolist() == ["PY", "Vladivostok"]
    figure = t["quantities"].iloc[0]
    assert figure[["claimant", "value", "value_max", "date", "date_precision", "review"]].tolist() == [
        "Russia", 11000.0, 12000.0, "2024-01-01", "year", "corrected"]
