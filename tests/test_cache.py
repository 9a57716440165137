"""The result cache is on by default: `python -m core extract` without `--cache` fills the
folder NEWSDASH_CACHE names, and a second run over the same files parses nothing."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from core.corpus.cache import ResultCache, default_cache_dir

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
