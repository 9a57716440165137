"""The corpus commands through `subprocess`: add, list, remove, rebuild, export.

Most runs patch a cheap fake pipeline into the child process (tests/test_store.py's); one
runs `python -m core` with the real pipeline end to end.
"""
from __future__ import annotations

import csv
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from core import schema

ROOT = Path(__file__).resolve().parents[1]
FAKE_RUNNER = f"""
import sys
sys.path.insert(0, {str(ROOT / 'tests')!r})
import test_store
from core.corpus import store
store.default_analyse = test_store.fake_analyse
store.default_aggregate = test_store.fake_aggregate
from core.cli import main
sys.exit(main(sys.argv[1:]))
"""
VISIT = "Kim Jong Un visited Vladivostok on April 25, 2019 and met Vladimir Putin."
SHELLS = "North Korea sent about 1 million artillery shells to Russia, Seoul said on Friday."


def run(*args, store=None, fake=True, env=None, timeout=120) -> subprocess.CompletedProcess:
    """Run the CLI with `args` (and --store `store`), returning the finished process."""
    argv = [*args, *(["--store", str(store)] if store else [])]
    cmd = [sys.executable, "-c", FAKE_RUNNER, *argv] if fake else [sys.executable, "-m", "core", *argv]
    full_env = {k: v for k, v in os.environ.items() if k != "NEWSDASH_STORE"}
    full_env.update({"PYTHONPATH": str(ROOT), **(env or {})})
    return subprocess.run(cmd, cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=timeout)


def write_inputs(folder: Path) -> Path:
    """`folder`, made, holding two articles, an empty file and a binary file."""
    folder.mkdir()
    (folder / "visit.txt").write_text(f"Kim in Vladivostok\n\n{VISIT}\n")
    (folder / "shells.txt").write_text(f"Shells for Russia\n\n{SHELLS}\n")
    (folder / "empty.txt").write_text("")
    (folder / "blob.txt").write_bytes(b"\x00\x01\x02\xff" * 64)
    return folder


@pytest.fixture
def inputs(tmp_path):
    """Two articles, an empty file and a binary file."""
    return write_inputs(tmp_path / "in")


@pytest.fixture(scope="module")
def filled_once(tmp_path_factory):
    """A store holding the two articles of `inputs`, added by the CLI once for this file."""
    folder = write_inputs(tmp_path_factory.mktemp("filled") / "in")
    store = folder.parent / "store"
    done = run("add", str(folder / "visit.txt"), str(folder / "shells.txt"), "--empty", store=store)
    assert done.returncode == 0, done.stderr
    return store


@pytest.fixture
def filled(tmp_path, filled_once):
    """A store holding the two articles of `inputs`: this test's own copy of `filled_once`
    (the store keeps no path of its own, so a copied folder is a store like the one added to)."""
    store = tmp_path / "store"
    shutil.copytree(filled_once, store)
    return store


def list_lines(store) -> list[list[str]]:
    done = run("list", store=store)
    assert done.returncode == 0, done.stderr
    return [line.split("\t") for line in done.stdout.splitlines()]


def test_cli_add_stores_what_it_can_and_fails_on_refused(tmp_path, inputs):
    store = tmp_path / "store"
    done = run("add", str(inputs), "--empty", store=store)
    assert done.returncode == 1
    added = [line.split("\t") for line in done.stdout.splitlines() if line.startswith("added")]
    assert sorted(a[2] for a in added) == ["shells.txt", "visit.txt"]
    refused = sorted(line.split("\t")[1] for line in done.stderr.splitlines() if line.startswith("refused"))
    assert refused == ["blob.txt", "empty.txt"]
    assert done.stdout.splitlines()[-1] == f"2 added, 0 duplicates, 2 refused; 2 articles in {store}"
    assert len(list_lines(store)) == 2


def test_cli_list_prints_one_line_per_article_and_nothing_else(filled):
    lines = list_lines(filled)
    assert sorted(line[2] for line in lines) == ["Kim in Vladivostok", "Shells for Russia"]
    assert all(len(line) == 4 and len(line[0]) == 16 for line in lines)


def test_cli_add_again_reports_duplicates(filled, inputs):
    done = run("add", str(inputs / "visit.txt"), store=filled)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].startswith("duplicate\t")
    assert "0 added, 1 duplicates, 0 refused" in done.stdout
    assert len(list_lines(filled)) == 2


def test_cli_remove_by_prefix_and_unknown(filled):
    first, second = list_lines(filled)
    done = run("remove", first[0][:6], "zzzz", store=filled)
    assert done.returncode == 1
    assert done.stdout.splitlines()[0] == f"removed\t{first[0]}"
    assert "unknown\tzzzz" in done.stderr
    assert list_lines(filled) == [second]


def test_cli_export_writes_the_extract_files(filled, tmp_path):
    out = tmp_path / "csv"
    done = run("export", "--out", str(out), store=filled)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{t}.csv" for t in schema.TABLES)
    for name in schema.TABLES:
        with open(out / f"{name}.csv", newline="") as fh:
            assert next(csv.reader(fh)) == schema.columns(name)


def test_cli_export_neutralises_formulas(tmp_path):
    src = tmp_path / "formula.txt"
    src.write_text('=HYPERLINK("http://evil.example","click")\n\n' + VISIT + "\n")
    store, out = tmp_path / "store", tmp_path / "csv"
    assert run("add", str(src), "--empty", store=store).returncode == 0
    assert run("export", "--out", str(out), store=store).returncode == 0
    with open(out / "articles.csv", newline="") as fh:
        row = next(csv.DictReader(fh))
    assert row["title"].startswith("'=HYPERLINK") and row["text"].startswith("'=HYPERLINK")


def test_cli_rebuild(filled):
    before = list_lines(filled)
    done = run("rebuild", store=filled)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == f"2 articles re-processed, 0 kept unchanged; 2 articles in {filled}"
    assert list_lines(filled) == before


def prepared_line(stderr: str) -> str:
    return next(line for line in stderr.splitlines() if line.startswith("prepared the dashboard's queries"))


def current_corpus(store) -> Path:
    manifest = json.loads((store / "manifest.json").read_text())
    return store / "gen" / str(manifest["generation"]) / "corpus"


def test_cli_add_and_rebuild_prepare_the_new_store_version_for_the_dashboard(tmp_path, inputs):
    from core.query import sql

    store = tmp_path / "store"
    done = run("add", str(inputs / "visit.txt"), "--empty", store=store)
    assert done.returncode == 0, done.stderr
    first = current_corpus(store)
    assert (sql.prepared_folder(first) / "done").exists()
    assert f"for store version {first.parent.name}-" in prepared_line(done.stderr)
    assert done.stdout.splitlines()[-1] == f"1 added, 0 duplicates, 0 refused; 1 articles in {store}"
    done = run("rebuild", store=store)
    assert done.returncode == 0, done.stderr
    second = current_corpus(store)
    assert second != first and (sql.prepared_folder(second) / "done").exists()
    assert f"for store version {second.parent.name}-" in prepared_line(done.stderr)
    # the dashboard's connection then serves the kept summary, the same as one computed afresh
    kept = sql.prepared_result(sql.connect_parquet(second, sql.prepare(second)), "summary", sql.Filters(), {})
    assert kept is not None and kept == sql.corpus_summary(sql.connect_parquet(second), sql.Filters())


def test_cli_add_to_an_empty_store_prepares_nothing(tmp_path):
    store = tmp_path / "store"
    blob = tmp_path / "blob.txt"
    blob.write_bytes(b"\x00\x01" * 64)
    done = run("add", str(blob), "--empty", store=store)
    assert done.returncode == 1
    assert "prepared the dashboard" not in done.stderr and "warning: could not prepare" not in done.stderr


def test_cli_store_from_environment(tmp_path, inputs):
    store = tmp_path / "envstore"
    done = run("add", str(inputs / "visit.txt"), "--empty", env={"NEWSDASH_STORE": str(store)})
    assert done.returncode == 0, done.stderr
    assert (store / "manifest.json").exists()
    assert len(run("list", env={"NEWSDASH_STORE": str(store)}).stdout.splitlines()) == 1


def test_cli_add_unreachable_url_is_refused_and_store_kept(filled):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    before = list_lines(filled)
    done = run("add", f"http://127.0.0.1:{port}/article.html", "--timeout", "2", "--allow-private-urls", store=filled)
    assert done.returncode == 1
    assert f"refused\thttp://127.0.0.1:{port}/article.html\t" in done.stderr and "connection refused" in done.stderr
    assert list_lines(filled) == before


@pytest.mark.parametrize("url, reason", [
    ("http://127.0.0.1:{port}/secret.txt", "127.0.0.1, a loopback address"),
    ("http://169.254.169.254/latest/meta-data/", "169.254.169.254, a link-local address"),
    ("http://10.0.0.1/", "10.0.0.1, a private address"),
    ("file:///etc/passwd", "no such file or folder"),
])
def test_cli_add_internal_url_is_refused_and_nothing_stored(filled, url, reason):
    served = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            served.append(self.path)
            body = b"the secret text of an internal service, which must never be stored"
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        before = list_lines(filled)
        raw_before = sorted(p.name for p in (filled / "raw").iterdir())
        url = url.format(port=httpd.server_port)
        done = run("add", url, "--timeout", "2", store=filled)
        assert done.returncode == 1
        assert reason in done.stderr and "0 added" in done.stdout
        assert list_lines(filled) == before and sorted(p.name for p in (filled / "raw").iterdir()) == raw_before
        assert served == []  # refused on resolution: nothing was asked of the server
        if url.startswith("http://127.0.0.1"):
            done = run("add", url, "--allow-private-urls", store=filled)  # a user who means it
            assert done.returncode == 0, done.stderr
            assert served == ["/secret.txt"] and len(list_lines(filled)) == len(before) + 1
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_cli_unusable_store_is_a_clear_error(tmp_path):
    store = tmp_path / "store"
    store.mkdir()
    (store / "manifest.json").write_text("{broken")
    done = run("list", store=store)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("error: ") and "cannot be read" in done.stderr


def test_cli_real_pipeline_end_to_end(tmp_path):
    store, out = tmp_path / "store", tmp_path / "csv"
    seed = sorted((ROOT / "seeds").glob("*.txt"))[0]
    done = run("add", str(seed), "--empty", store=store, fake=False)
    assert done.returncode == 0, done.stderr
    assert "1 added, 0 duplicates, 0 refused" in done.stdout
    lines = run("list", store=store, fake=False).stdout.splitlines()
    assert len(lines) == 1 and lines[0].split("\t")[0] in done.stdout
    assert run("export", "--out", str(out), store=store, fake=False).returncode == 0
    manifest = json.loads((store / "manifest.json").read_text())
    assert manifest["pipeline_version"] and manifest["model"] != "none"
    with open(out / "events.csv", newline="") as fh:
        events = list(csv.DictReader(fh))
    assert events and all(e["article_id"] == lines[0].split("\t")[0] for e in events)


# ---------------------------------------------------------------- trash, lock waits, concurrent writers


def test_cli_remove_trash_restore_purge(filled):
    before = list_lines(filled)
    first = before[0][0]
    done = run("remove", first[:8], "--user", "carol", store=filled)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == f"removed\t{first}"
    trash = run("trash", store=filled).stdout.splitlines()
    assert len(trash) == 1
    article_id, removed_at, removed_by, _, title = trash[0].split("\t")
    assert (article_id, removed_by, title) == (first, "carol", before[0][2]) and removed_at.endswith("Z")
    assert list_lines(filled) == before[1:]
    done = run("restore", first[:6], "abcd", store=filled)
    assert done.returncode == 1 and done.stdout.splitlines()[0] == f"restored\t{first}"
    assert "unknown\tabcd" in done.stderr
    assert list_lines(filled) == before and run("trash", store=filled).stdout == ""
    run("remove", before[0][0], before[1][0], env={"NEWSDASH_USER": "dave"}, store=filled)
    assert [line.split("\t")[2] for line in run("trash", store=filled).stdout.splitlines()] == ["dave", "dave"]
    done = run("purge", before[1][0], store=filled)
    assert done.returncode == 0 and done.stdout.splitlines()[0] == f"purged\t{before[1][0]}"
    assert [line.split("\t")[0] for line in run("trash", store=filled).stdout.splitlines()] == [first]
    done = run("purge", store=filled)
    assert done.stdout.splitlines() == [f"purged\t{first}", f"1 deleted for good; 0 left in the trash of {filled}"]
    assert run("trash", store=filled).stdout == "" and list_lines(filled) == []
    assert not list((filled / "trash").iterdir()) and not list((filled / "raw").iterdir())


def test_cli_busy_store_is_a_clear_error_after_the_wait(filled):
    from filelock import FileLock

    first = list_lines(filled)[0][0]
    with FileLock(str(filled / ".lock")):
        done = run("remove", first, "--wait", "0.5", store=filled)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("error: ") and "busy: another process is writing" in done.stderr
    assert "Traceback" not in done.stderr
    assert len(list_lines(filled)) == 2


def many_inputs(folder: Path, n: int, tag: str) -> Path:
    folder.mkdir()
    for i in range(n):
        (folder / f"{tag}{i:02d}.txt").write_text(
            f"Item {tag} {i}\n\nKim Jong Un met envoy {tag} number {i} in Pyongyang.\n")
    return folder


def assert_consistent(path: Path) -> list[str]:
    """Every listed article has its raw file, no raw file is unlisted, and the tables hold
    exactly the listed articles; returns the listed ids."""
    from test_store import make_store

    s = make_store(path)
    ids = s.ids()
    assert sorted(p.stem for p in (path / "raw").glob("*.json")) == sorted(ids)
    assert s.missing_raw() == []
    tables = s.tables()
    assert sorted(tables["articles"]["article_id"]) == sorted(ids)
    assert sorted(tables["events"]["article_id"]) == sorted(ids)
    assert not [p for p in path.rglob("*") if p.name.endswith(".tmp") or p.name.startswith(".tmp-")]
    return ids


def start_writer_then(first_args, second_args, store, tmp_path):
    """Run `first_args` (its analysis held 3 s), and `second_args` once the first is analysing;
    both processes' results."""
    mark = tmp_path / "analysing"
    env = {k: v for k, v in os.environ.items() if k != "NEWSDASH_STORE"}
    env.update({"PYTHONPATH": str(ROOT), "FAKE_ANALYSE_SLEEP": "3", "FAKE_ANALYSE_MARK": str(mark)})
    first = subprocess.Popen([sys.executable, "-c", FAKE_RUNNER, *first_args, "--store", str(store)], cwd=ROOT, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for _ in range(600):
        if mark.exists() or first.poll() is not None:
            break
        time.sleep(0.05)
    assert mark.exists(), first.communicate()[1]
    second = run(*second_args, store=store)
    out, err = first.communicate(timeout=120)
    return subprocess.CompletedProcess(first.args, first.returncode, out, err), second


def test_cli_add_and_rebuild_at_once_lose_nothing(filled, tmp_path):
    folder = many_inputs(tmp_path / "fifty", 50, "f")
    add, rebuild = start_writer_then(["add", str(folder)], ["rebuild"], filled, tmp_path)
    assert add.returncode == 0, add.stderr
    assert rebuild.returncode == 0, rebuild.stderr
    assert "50 added" in add.stdout
    assert len(assert_consistent(filled)) == 52
    again = run("rebuild", store=filled)
    assert again.returncode == 0 and "52 articles re-processed, 0 kept unchanged" in again.stdout


def test_cli_add_and_remove_at_once_lose_nothing(filled, tmp_path):
    folder = many_inputs(tmp_path / "twenty", 20, "t")
    gone, kept = (line[0] for line in list_lines(filled))
    add, remove = start_writer_then(["add", str(folder)], ["remove", gone], filled, tmp_path)
    assert add.returncode == 0, add.stderr
    assert remove.returncode == 0, remove.stderr
    ids = assert_consistent(filled)
    assert len(ids) == 21 and kept in ids and gone not in ids
    assert [line.split("\t")[0] for line in run("trash", store=filled).stdout.splitlines()] == [gone]
    assert run("restore", gone, store=filled).returncode == 0
    assert len(assert_consistent(filled)) == 22


def test_cli_default_wait_is_the_stores_lock_timeout():
    from core.cli import DEFAULT_WAIT
    from core.corpus.store import LOCK_TIMEOUT

    assert DEFAULT_WAIT == LOCK_TIMEOUT
