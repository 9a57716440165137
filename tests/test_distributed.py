"""Extraction on Dask workers (core/corpus/distributed.py): the same tables as in-process, through
`--scheduler` too, and an article that crashes its worker is refused while the others go through.

One real LocalCluster (2 worker processes on 127.0.0.1) serves the module; its workers are given
the test-only crash marker in their environment.
"""
from __future__ import annotations

import os
import subprocess
import sys
from multiprocessing import resource_tracker
from pathlib import Path

import dask
import pandas as pd
import psutil
import pytest
from distributed import LocalCluster

from core.corpus import distributed as distributed_mod
from core.corpus.build import ArticlesRefused, aggregate, analyse_articles, extract_tables
from core.corpus.distributed import (
    CLUSTER_CONFIG,
    CRASH_MARKER_ENV,
    ClusterError,
    Connection,
    Workers,
    fork_server_ahead,
    task_batches,
)
from core.corpus.export import write_tables
from core.corpus.links import build_links
from core.extract.geo import locate
from core.extract.ingest import article_from_text, read_paths

ROOT = Path(__file__).resolve().parents[1]
CRASH = "qzx-worker-crash-7f3a"  # no real article contains this


@pytest.fixture(scope="module")
def scheduler():
    """The address of a 2-process LocalCluster whose workers exit on an article holding CRASH."""
    with dask.config.set(CLUSTER_CONFIG):  # the nanny sets `env` in every worker it (re)starts
        cluster = LocalCluster(n_workers=2, processes=True, threads_per_worker=1, host="127.0.0.1",
                               dashboard_address=":0", env={CRASH_MARKER_ENV: CRASH})
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close()


def assert_same_tables(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    assert set(a) == set(b)
    for name in a:
        pd.testing.assert_frame_equal(a[name].reset_index(drop=True), b[name].reset_index(drop=True), obj=name)


def test_cli_extract_on_a_scheduler_writes_the_in_process_tables(scheduler, tmp_path):
    proc = subprocess.Popen([sys.executable, "-m", "core", "extract", "seeds", "--cache", "none",
                             "--out", str(tmp_path / "dask"), "--scheduler", scheduler],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # meanwhile, the in-process run (workers=1) of the same command, written the same way
    tables, errors = extract_tables([ROOT / "seeds"], cache_dir="none", workers=Workers(count=1))
    write_tables(tables, tmp_path / "one")
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0 and not errors, err
    one = sorted(p.name for p in (tmp_path / "one").glob("*.csv"))
    assert "events.csv" in one and one == sorted(p.name for p in (tmp_path / "dask").glob("*.csv"))
    for name in one:
        assert (tmp_path / "one" / name).read_text() == (tmp_path / "dask" / name).read_text(), name
    assert len(tables["articles"]) == 5 and len(tables["events"]) > 0


def test_dev_set_tables_are_the_same_on_one_and_two_workers(scheduler, dev_extraction):
    articles, errors = read_paths([ROOT / "tests" / "dev" / "articles"])
    assert not errors and len(articles) == 24
    seen = []
    on_dask = aggregate(analyse_articles(articles, cache_dir="none", workers=Workers(scheduler=scheduler),
                                         progress=lambda done, total: seen.append((done, total))))
    in_process = dev_extraction[1]  # the same articles analysed in-process (workers=1), once per session
    assert_same_tables(in_process, on_dask)
    assert list(on_dask["articles"]["article_id"]) == [a.article_id for a in articles]  # input order
    assert seen[0] == (0, 24) and seen[-1] == (24, 24) and len(seen) > 2  # a bar that moves


def test_an_article_that_crashes_its_worker_twice_is_refused_and_the_others_go_through(scheduler):
    texts = ["Kim Jong Un visited Vladivostok on April 25, 2019.",
             f"Russia shipped rockets to Pyongyang. {CRASH}",
             "Sergei Shoigu met Kim Jong Un in Pyongyang on July 26, 2023.",
             "North Korea sent 12,000 troops to Russia, Seoul said on Friday."]
    articles = [article_from_text(t, file=f"a{i}.txt", published="2025-01-10") for i, t in enumerate(texts)]
    refused: list = []
    tables = analyse_articles(articles, cache_dir="none", refused=refused,
                              workers=Workers(scheduler=scheduler, task_size=2))
    assert [aid for aid, _ in refused] == [articles[1].article_id]
    assert "crashed a Dask worker process twice" in refused[0][1]
    assert list(tables["articles"]["article_id"]) == [articles[i].article_id for i in (0, 2, 3)]
    assert (tables["events"]["article_id"] == articles[2].article_id).any()
    with pytest.raises(ArticlesRefused) as caught:  # without a list to report to, it raises, rows attached
        analyse_articles(articles[:2], cache_dir="none", workers=Workers(scheduler=scheduler))
    assert list(caught.value.tables["articles"]["article_id"]) == [articles[0].article_id]


def test_rows_lost_with_their_worker_are_analysed_again_not_waited_for_forever(scheduler, monkeypatch):
    from distributed import Future

    texts = ["Kim Jong Un visited Vladivostok on April 25, 2019.",
             "Sergei Shoigu met Kim Jong Un in Pyongyang on July 26, 2023.",
             "North Korea sent 12,000 troops to Russia, Seoul said on Friday."]
    articles = [article_from_text(t, file=f"l{i}.txt", published="2025-01-10") for i, t in enumerate(texts)]
    fetched = Future.result
    lost: list = []

    def result(self, timeout=None):
        if not lost:  # the first finished task's rows: gone with its worker before they were fetched
            lost.append(self.key)
            raise TimeoutError("lost")
        return fetched(self, timeout=timeout)

    monkeypatch.setattr(Future, "result", result)
    refused: list = []
    tables = analyse_articles(articles, cache_dir="none", refused=refused,
                              workers=Workers(scheduler=scheduler, task_size=2))
    assert lost and refused == []
    assert sorted(tables["articles"]["article_id"]) == sorted(a.article_id for a in articles)
    monkeypatch.undo()
    assert_same_tables(tables, analyse_articles(articles, cache_dir="none", workers=Workers(scheduler=scheduler)))


def test_a_local_cluster_is_started_and_stopped_without_leaving_processes():
    articles = [article_from_text("Kim Jong Un visited Vladivostok on April 25, 2019.", file="v.txt"),
                article_from_text("Sergei Shoigu met Kim Jong Un in Pyongyang on July 26, 2023.", file="s.txt")]
    before = {p.pid for p in psutil.Process().children(recursive=True)}
    tables = analyse_articles(articles, cache_dir="none", workers=Workers(count=2, in_process_below=0))
    assert_same_tables(analyse_articles(articles, cache_dir="none"), tables)
    left = [p for p in psutil.Process().children(recursive=True) if p.pid not in before and p.is_running()
            and p.status() != psutil.STATUS_ZOMBIE]
    assert left == []


def test_an_unreachable_scheduler_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(distributed_mod, "CONNECT_TIMEOUT", 2)  # nothing listens on port 9: no need to wait 10 s
    article = article_from_text("Kim Jong Un visited Vladivostok on April 25, 2019.", file="v.txt")
    with pytest.raises(ClusterError, match=r"cannot reach the Dask scheduler at tcp://127\.0\.0\.1:9"):
        analyse_articles([article], cache_dir="none", workers=Workers(scheduler="tcp://127.0.0.1:9"))


def test_small_batches_stay_in_process_unless_a_scheduler_is_given():
    assert not Workers(count=2).use_dask(29)
    assert Workers(count=2).use_dask(30)
    assert not Workers(count=1).use_dask(1000)
    assert Workers(count=1, scheduler="tcp://127.0.0.1:8786").use_dask(1)
    assert not Workers(scheduler="tcp://127.0.0.1:8786").use_dask(0)


def test_tasks_are_consecutive_batches_that_spread_over_the_workers():
    items = list(range(50))
    assert [len(b) for b in task_batches(items, 24, 2)] == [13, 10, 7, 5, 4, 3, 2, 2, 1, 1, 1, 1]
    assert [x for b in task_batches(items, 24, 2) for x in b] == items
    assert task_batches(items[:3], 24, 2) == [[0], [1], [2]]
    many = task_batches(items * 20, 24, 2)
    assert [x for b in many for x in b] == items * 20
    sizes = [len(b) for b in many]
    assert sizes[0] == 24 and sizes == sorted(sizes, reverse=True) and sizes[-3:] == [1, 1, 1]
    assert os.environ.get(CRASH_MARKER_ENV) is None  # the marker never leaks out of the cluster fixture


def test_extract_tables_starts_its_local_cluster_before_reading_and_leaves_no_process(tmp_path):
    before = {p.pid for p in psutil.Process().children(recursive=True)}
    on_dask, errors = extract_tables([ROOT / "seeds"], cache_dir="none", workers=Workers(count=2, in_process_below=0))
    in_process, _ = extract_tables([ROOT / "seeds"], cache_dir="none", workers=Workers(count=1))
    assert not errors
    assert_same_tables(in_process, on_dask)
    left = [p for p in psutil.Process().children(recursive=True) if p.pid not in before and p.is_running()
            and p.status() != psutil.STATUS_ZOMBIE]
    assert left == []


def test_a_worker_whose_warm_up_fails_still_starts(monkeypatch):
    def no_model():
        raise ImportError("no model")

    monkeypatch.setattr(distributed_mod, "warm_up", no_model)
    assert distributed_mod.dask_setup(None) is None  # the first task meets the error and reports it


def test_local_workers_are_forked_from_a_server_that_loaded_the_model_and_are_all_gone_after():
    resource_tracker.ensure_running()  # multiprocessing's helper, kept for the life of any process starting others
    before = {p.pid for p in psutil.Process().children(recursive=True)}
    conn = Connection(Workers(count=2))
    try:
        conn.client.wait_for_workers(2, timeout=300)
        parents = set(conn.client.run(os.getppid).values())
        assert len(parents) == 1 and os.getpid() not in parents  # one server forked both
        server = psutil.Process(parents.pop())
        assert "forkserver" in " ".join(server.cmdline()) and server.ppid() == os.getpid()
        # forked with the model in memory: a worker's first parse loads nothing
        loaded = conn.client.run(lambda: sys.modules["core.extract.nlp"].load_nlp.cache_info().currsize)
        assert set(loaded.values()) == {1}
        assert set(conn.client.run(lambda: os.environ.get("OMP_NUM_THREADS")).values()) == {"1"}
        names = ["Pyongyang", "Russia", "Downing Street", "Qzxville"]
        assert conn.located(names) == {n: locate(n) for n in names}  # the gazetteer's answers, from a worker
        assert conn.located([]) == {}
    finally:
        conn.close()
    conn.close()  # twice is harmless
    left = [p for p in psutil.Process().children(recursive=True) if p.pid not in before and p.is_running()
            and p.status() != psutil.STATUS_ZOMBIE]
    assert left == []


def test_links_take_coordinates_from_places_first_then_from_names_located_elsewhere():
    events = pd.DataFrame({"event_id": ["e1", "e2"], "article_id": ["a", "b"], "type": ["visit", "visit"],
                           "origin": ["Pyongyang", "Atlantis"], "destination": ["Moscow", "Moscow"],
                           "date": ["2024-06-19", None]})
    places = pd.DataFrame({"name": ["Moscow"], "lat": [55.0], "lon": [37.0]})
    located = {"Moscow": (1.0, 1.0), "Atlantis": (10.0, 20.0), "Pyongyang": locate("Pyongyang")}
    links = build_links(events, places, located).set_index("origin")
    assert links.loc["Atlantis", ["origin_lat", "origin_lon"]].tolist() == [10.0, 20.0]  # located, not looked up
    assert links.loc["Atlantis", "destination_lat"] == 55.0  # the places table wins
    pd.testing.assert_frame_equal(build_links(events.iloc[:1], places, located), build_links(events.iloc[:1], places))


def fork_servers() -> list[psutil.Process]:
    return [p for p in psutil.Process().children() if "forkserver" in " ".join(p.cmdline())]


def test_the_fork_server_starts_ahead_only_for_a_local_cluster_and_ends_after():
    assert fork_servers() == []
    with fork_server_ahead(Workers(count=2, in_process_below=0), [ROOT / "seeds"]):
        assert len(fork_servers()) == 1
    assert fork_servers() == []
    for plan in (Workers(count=2), Workers(count=1, in_process_below=0),  # 5 seeds stay in-process
                 Workers(count=2, in_process_below=0, scheduler="tcp://127.0.0.1:9")):
        with fork_server_ahead(plan, [ROOT / "seeds"]):
            assert fork_servers() == []


def test_on_our_own_local_cluster_a_crashing_article_is_refused_and_its_worker_forked_again(monkeypatch):
    monkeypatch.setenv(CRASH_MARKER_ENV, CRASH)  # the fork server, and every worker forked from it, inherit it
    texts = ["Kim Jong Un visited Vladivostok on April 25, 2019.", f"Russia shipped rockets to Pyongyang. {CRASH}",
             "Sergei Shoigu met Kim Jong Un in Pyongyang on July 26, 2023."]
    articles = [article_from_text(t, file=f"c{i}.txt", published="2025-01-10") for i, t in enumerate(texts)]
    refused: list = []
    tables = analyse_articles(articles, cache_dir="none", refused=refused,
                              workers=Workers(count=2, in_process_below=0, task_size=2))
    assert [aid for aid, _ in refused] == [articles[1].article_id]
    assert "crashed a Dask worker process twice" in refused[0][1]
    assert sorted(tables["articles"]["article_id"]) == sorted(articles[i].article_id for i in (0, 2))
    assert fork_servers() == []
