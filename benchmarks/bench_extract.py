"""Extraction throughput as a user meets it: whole `python -m core extract` processes against a
bare single-process `spacy.load` + `nlp.pipe` on the same texts, on 1 and 2 workers, and the
warm re-run (every article in the result cache) against the cold one.

usage: python benchmarks/bench_extract.py [N]   (default: 300)

Builds a corpus of N articles by varying the seed and dev articles (figures, months and names
changed so no two texts are the same), writes them as .txt files, then times, each as a fresh
process (imports and model loads included, as a user pays them):
  - bare:   spacy.load + nlp.pipe over the texts (one process, one core);
  - cold 1: python -m core extract DIR --out OUT --cache none --workers 1   (target >= 0.85x bare)
  - cold 2: python -m core extract DIR --out OUT --cache none --workers 2   (target >= 1.5x bare)
  - fill:   the same with --cache C (cold, filling the cache), then
  - warm:   the same again, every article read from the cache        (target >= 50x faster than cold)
Throughput ratios are bare time / run time (higher is better). One run each: on a shared machine
report the load averages printed with the figures. Each line also gives the CPU seconds the run
used (its process and every process it started, e.g. Dask workers): on a busy machine wall times
stretch, the CPU a run needs much less.
"""
from __future__ import annotations

import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.extract.ingest import read_paths  # noqa: E402
from core.extract.model_id import MODEL_MODULES  # noqa: E402

SEEDS = ROOT / "seeds"
DEV = ROOT / "tests" / "dev" / "articles"
PEOPLE = ["Sergei Ivanov", "Olga Petrova", "Pak Myong Ho", "Ri Son Gwon", "Anna Kowalski",
          "Dmitry Volkov", "Kim Yong Chol", "Maria Sokolova", "Jang Song Il", "Pavel Orlov"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
# The bare baseline: the installed model, nothing of ours, texts read from the same files.
BARE = """
import importlib.util, pathlib, sys, spacy
name = next(m for m in {models!r} if importlib.util.find_spec(m))
nlp = spacy.load(name)
texts = [p.read_text(encoding="utf-8") for p in sorted(pathlib.Path(sys.argv[1]).glob("*.txt"))]
for _ in nlp.pipe(texts, batch_size=16):
    pass
"""


def vary(text: str, rng: random.Random, n: int) -> str:
    """A variant of `text`: figures scaled, month names shifted, a person renamed, a tag added."""
    text = re.sub(r"\b(\d{2,3}(?:,\d{3})*)\b(?! years)",
                  lambda m: f"{int(int(m.group(1).replace(',', '')) * rng.uniform(0.5, 2.0)):,}", text)
    shift = rng.randrange(12)
    text = re.sub(r"\b(" + "|".join(MONTHS) + r")\b",
                  lambda m: MONTHS[(MONTHS.index(m.group(1)) + shift) % 12], text)
    text = text.replace("Grigoriy Rapota", rng.choice(PEOPLE)).replace("Kazbek Taysaev", rng.choice(PEOPLE))
    return text + f"\n\nThe analysts' note number {n} was filed on {date(2024, 1, 1) + timedelta(days=n % 700)}.\n"


def write_corpus(n: int, folder: Path, seed: int = 7) -> list[str]:
    """Write `n` varied seed and dev articles to `folder` as .txt files; returns their texts."""
    rng = random.Random(seed)
    base, _ = read_paths([SEEDS, DEV])
    folder.mkdir(parents=True, exist_ok=True)
    texts = []
    for i in range(n):
        texts.append(vary(base[i % len(base)].text, rng, i))
        (folder / f"bench_{i:05d}.txt").write_text(texts[-1], encoding="utf-8")
    return texts


def children_cpu() -> float:
    """CPU seconds (user + system) used so far by the finished child processes and theirs."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


CPU: dict[str, float] = {}  # CPU seconds of each timed command, by its label


def timed(cmd: list[str], label: str) -> float:
    """Seconds the process `cmd` took (run from the repo root; its CPU seconds go to CPU[label]);
    raises when it fails."""
    cpu = children_cpu()
    t = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    took = time.perf_counter() - t
    CPU[label] = children_cpu() - cpu
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stderr[-2000:]}")
    return took


def extract(folder: Path, out: Path, cache: str, workers: int, label: str) -> float:
    return timed([sys.executable, "-m", "core", "extract", str(folder), "--out", str(out),
                  "--cache", cache, "--workers", str(workers)], label)


def loads() -> str:
    return "/".join(f"{x:.2f}" for x in os.getloadavg())


def same_tables(a: Path, b: Path) -> bool:
    """True when folders `a` and `b` hold the same CSV files, byte for byte."""
    names = sorted(p.name for p in a.glob("*.csv"))
    return bool(names) and names == sorted(p.name for p in b.glob("*.csv")) \
        and all((a / n).read_bytes() == (b / n).read_bytes() for n in names)


def main(argv):
    n = int(argv[0]) if argv else 300
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        texts = write_corpus(n, tmp / "articles")
        n_words = sum(len(t.split()) for t in texts)
        print(f"N={n} articles, {n_words:,} words; {os.cpu_count()} cores; load averages (1/5/15 min) {loads()}")
        bare = timed([sys.executable, "-c", BARE.format(models=MODEL_MODULES), str(tmp / "articles")], "bare")
        print(f"  bare spacy.load + nlp.pipe   {bare:7.1f} s  {n_words / bare:8,.0f} words/s"
              f"                 cpu {CPU['bare']:6.1f} s")
        cold = {}
        for w in (1, 2):
            cold[w] = extract(tmp / "articles", tmp / f"out{w}", "none", w, f"cold{w}")
            target = 0.85 if w == 1 else 1.5
            print(f"  cold, {w} worker{'s' if w > 1 else ' '}             {cold[w]:7.1f} s"
                  f"  {n_words / cold[w]:8,.0f} words/s  {bare / cold[w]:.2f}x bare  cpu {CPU[f'cold{w}']:6.1f} s"
                  f"  (target >= {target}x; load {loads()})")
        fill = extract(tmp / "articles", tmp / "outc", str(tmp / "cache"), 2, "fill")
        warm = extract(tmp / "articles", tmp / "outw", str(tmp / "cache"), 2, "warm")
        print(f"  cold, 2 workers, fills cache {fill:7.1f} s                               cpu {CPU['fill']:6.1f} s")
        print(f"  warm re-run (all cached)     {warm:7.2f} s  {fill / warm:.0f}x faster than cold "
              f"({min(cold.values()) / warm:.0f}x the best cold --cache none run)  (target >= 50x)"
              f"  cpu {CPU['warm']:.2f} s")
        print(f"  tables of 1 and 2 workers identical: {same_tables(tmp / 'out1', tmp / 'out2')}; "
              f"warm re-run's identical to the cold run's: {same_tables(tmp / 'out1', tmp / 'outw')}")
    print(f"load averages after: {loads()}")


if __name__ == "__main__":
    main(sys.argv[1:])
