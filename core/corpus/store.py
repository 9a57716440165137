"""The corpus store: articles kept on disk with their extracted tables, safe to share.

Layout of a store folder:

    manifest.json                         what is stored: the commit point of every change
    raw/<article_id>.json                 each article as read (before analysis), to re-process it
    gen/<n>/per_article/<table>.parquet   the five per-article tables of every stored article
    gen/<n>/corpus/<table>.parquet        the eight aggregated tables the dashboard shows
    .lock                                 held by whoever commits a change

Every change writes a new generation folder, then replaces manifest.json (temporary file +
os.replace), so a crash at any point leaves the previous state readable. Readers take no
lock. Analysis runs outside the lock; the commit re-reads the manifest under the lock and
merges, so two processes adding at once both keep their articles.

Articles are content-addressed: the id is the first 16 hex digits of the content hash, so the
same text added twice is a duplicate, and an edited text is a new article (the old one stays
until removed: nothing is ever dropped on a guess).
"""
from __future__ import annotations

import contextlib
import copy
import json
import os
import re
import shutil
import time
import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Callable

import pandas as pd
import platformdirs
from filelock import FileLock, Timeout

import core
from core import schema
from core.corpus import build, export
from core.errors import NewsdashError
from core.extract.ingest import content_hash, read_paths
from core.extract.limits import max_bytes_limit
from core.extract.nlp import installed_model_id
from core.model import Article, Segment

REPO = Path(__file__).resolve().parents[2]
# Outside the repository, in the user's data folder (e.g. ~/.local/share/newsdash/store on Linux).
DEFAULT_PATH = Path(platformdirs.user_data_dir("newsdash", appauthor=False)) / "store"
SEEDS = REPO / "seeds"
STORE_ENV = "NEWSDASH_STORE"
FORMAT = 1
PER_ARTICLE = ("articles", "mentions", "events", "event_actors", "quantities")
ARTICLE_ID_RE = re.compile(r"^[0-9a-f]{16}$")
LIST_COLUMNS = ["article_id", "published", "title", "source", "file"]
LOCK_TIMEOUT = 600.0  # a rebuild of a large corpus holds the lock for minutes
KEEP_GENERATIONS = 2  # the previous one stays for readers that read the old manifest


class StoreError(NewsdashError, OSError):
    """The store folder cannot be used (corrupt manifest, busy lock, not a store)."""


@dataclass
class AddReport:
    """What an add did, per input: added (id, file, title), duplicates (file, existing id),
    refused (file, reason)."""

    added: list[tuple[str, str, str]] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)

    def extend(self, other: "AddReport") -> "AddReport":
        """This report with `other`'s rows appended (mutates and returns self)."""
        self.added += other.added
        self.duplicates += other.duplicates
        self.refused += other.refused
        return self

    @property
    def ok(self) -> bool:
        """True when nothing was refused."""
        return not self.refused

    def summary(self) -> str:
        """One line: counts of added, duplicate and refused inputs."""
        return f"{len(self.added)} added, {len(self.duplicates)} duplicates, {len(self.refused)} refused"

    def to_frame(self) -> pd.DataFrame:
        """One row per input: file, outcome (added / duplicate / refused), article_id, detail."""
        rows = [(f, "added", i, t) for i, f, t in self.added]
        rows += [(f, "duplicate", i, f"already stored as {i}") for f, i in self.duplicates]
        rows += [(f, "refused", None, r) for f, r in self.refused]
        return pd.DataFrame(rows, columns=["file", "outcome", "article_id", "detail"]).astype("string")


@dataclass
class RebuildReport:
    """Articles re-processed, and those kept as they were (id, reason) because their raw
    article could not be read."""

    rebuilt: list[str] = field(default_factory=list)
    kept: list[tuple[str, str]] = field(default_factory=list)

    def summary(self) -> str:
        """One line: counts of rebuilt and kept articles."""
        return f"{len(self.rebuilt)} articles re-processed, {len(self.kept)} kept unchanged"


# ---------------------------------------------------------------- pure helpers


def store_path(path=None) -> Path:
    """The store folder: `path`, else env NEWSDASH_STORE, else the user data folder's
    newsdash/store (platformdirs: ~/.local/share/newsdash/store on Linux)."""
    return Path(path or os.environ.get(STORE_ENV) or DEFAULT_PATH).expanduser()


def safe_label(name) -> str:
    """`name` reduced to something safe to show and keep as a file label.

    URLs are kept whole; for anything else only the last path part is kept (so
    `../../etc/passwd` becomes `passwd`), and control characters are dropped.
    """
    text = str(name or "")
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")
    if not re.match(r"^https?://", text, re.I):
        text = re.split(r"[\\/]", text)[-1].strip().lstrip(".") or "unnamed"
    return text[:300]


def with_identity(article: Article) -> Article:
    """A copy of `article` with a content hash, the id derived from it and a safe file label."""
    out = copy.deepcopy(article)
    out.content_hash = out.content_hash or content_hash(out.text)
    out.article_id = out.content_hash[:16]
    out.file = safe_label(out.file)
    return out


def article_to_json(article: Article) -> dict:
    """`article` as a JSON-ready dict (dates as ISO strings, segments as lists)."""
    return {
        "article_id": article.article_id,
        "file": article.file,
        "title": article.title,
        "text": article.text,
        "segments": [[s.start, s.end, s.kind, s.reason] for s in article.segments],
        "source": article.source,
        "url": article.url,
        "published": article.published.isoformat() if article.published else None,
        "published_precision": article.published_precision,
        "reference_date": article.reference_date.isoformat() if article.reference_date else None,
        "content_hash": article.content_hash,
    }


def article_from_json(data: dict) -> Article:
    """The Article `article_to_json` wrote."""
    iso = lambda v: date.fromisoformat(v) if v else None  # noqa: E731
    return Article(
        article_id=data["article_id"],
        file=data["file"],
        title=data["title"],
        text=data["text"],
        segments=[Segment(*s) for s in data.get("segments", [])],
        source=data.get("source"),
        url=data.get("url"),
        published=iso(data.get("published")),
        published_precision=data.get("published_precision"),
        reference_date=iso(data.get("reference_date")),
        content_hash=data.get("content_hash", ""),
    )


def empty_tables(names=schema.TABLES) -> dict[str, pd.DataFrame]:
    """An empty table for each of `names`."""
    return {name: schema.empty(name) for name in names}


def drop_articles(tables: dict[str, pd.DataFrame], ids) -> dict[str, pd.DataFrame]:
    """The per-article `tables` without the rows of articles `ids` (event_actors by event)."""
    ids = set(ids)
    out = {}
    for name in PER_ARTICLE:
        df = tables[name]
        if "article_id" in df.columns:
            df = df[~df["article_id"].isin(ids)]
        out[name] = df
    out["event_actors"] = out["event_actors"][out["event_actors"]["event_id"].isin(out["events"]["event_id"])]
    return {name: df.reset_index(drop=True) for name, df in out.items()}


def concat_tables(parts: list[dict[str, pd.DataFrame]]) -> dict[str, pd.DataFrame]:
    """The per-article tables of `parts` stacked, validated against the schema."""
    out = {}
    for name in PER_ARTICLE:
        frames = [schema.validate(name, p[name]) for p in parts if name in p and len(p[name])]
        out[name] = schema.validate(name, pd.concat(frames, ignore_index=True)) if frames else schema.empty(name)
    return out


def listing(manifest: dict) -> pd.DataFrame:
    """One row per stored article (article_id, published, title, source, file), by date."""
    rows = [{"article_id": aid, **{c: e.get(c) for c in LIST_COLUMNS[1:]}} for aid, e in manifest["articles"].items()]
    df = pd.DataFrame(rows, columns=LIST_COLUMNS).astype("string")
    return df.sort_values(["published", "title", "article_id"], na_position="last", kind="stable").reset_index(drop=True)


def manifest_entries(articles_table: pd.DataFrame, added_at: str) -> dict[str, dict]:
    """Manifest entries (hash, file, title, published, source, added) from an articles table."""
    entries = {}
    for row in articles_table.to_dict("records"):
        clean = {k: (None if pd.isna(v) else v) for k, v in row.items() if k in ("content_hash", "file", "title", "published", "source")}
        entries[str(row["article_id"])] = {**clean, "added": added_at}
    return entries


def failure_reason(exc: BaseException) -> str:
    """The refusal reason for an article the pipeline raised `exc` on."""
    return f"analysis failed: {type(exc).__name__}: {exc}"


def now_iso() -> str:
    """The current UTC time, ISO 8601 to the second."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------- file I/O


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file and os.replace (never half a file)."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_json(path: Path, data) -> None:
    """Write `data` as UTF-8 JSON to `path`, atomically."""
    write_atomic(path, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))


def read_tables(folder: Path, names) -> dict[str, pd.DataFrame]:
    """The Parquet tables `names` in `folder`, validated against the schema."""
    return {name: schema.validate(name, pd.read_parquet(folder / f"{name}.parquet")) for name in names}


def write_tables(folder: Path, tables: dict[str, pd.DataFrame]) -> None:
    """Write each table to `folder/<name>.parquet` (the folder is new and private)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, df in tables.items():
        schema.validate(name, df).to_parquet(folder / f"{name}.parquet", index=False)


# ---------------------------------------------------------------- the store


def default_analyse(articles, *, progress=None):
    """core.corpus.build.analyse_articles (loads spaCy on first use). A module-level name so
    tests can swap in a cheap pipeline."""
    return build.analyse_articles(articles, progress=progress)


def default_aggregate(tables):
    """core.corpus.build.aggregate."""
    return build.aggregate(tables)


class Store:
    """A corpus store folder (see the module docstring). Create it with `open_store`.

    `analyse(articles, progress=)` returns the five per-article tables and `aggregate(tables)`
    the eight corpus tables; both default to core.corpus.build's, and tests pass cheap ones.
    `pipeline_version` and `model` are what the stored tables must have been made with; a
    store made with others is stale (`stale()`): its tables are still read as they are, and
    `rebuild()` (or the next change) re-processes it from its raw articles.
    """

    def __init__(
        self,
        path=None,
        *,
        analyse: Callable | None = None,
        aggregate: Callable | None = None,
        pipeline_version: str | None = None,
        model: str | None = None,
        max_bytes: int | None = None,
        lock_timeout: float = LOCK_TIMEOUT,
    ):
        self.path = store_path(path)
        self.analyse = analyse or default_analyse
        self.aggregate = aggregate or default_aggregate
        self.pipeline_version = pipeline_version or core.PIPELINE_VERSION
        self._model = model
        self.max_bytes = max_bytes if max_bytes is not None else max_bytes_limit()
        self.lock = FileLock(str(self.path / ".lock"), timeout=lock_timeout)
        self._cache: tuple[str, dict[str, pd.DataFrame]] | None = None

    def __repr__(self):
        return f"Store({str(self.path)!r})"

    @property
    def model(self) -> str | None:
        """The model recorded with the tables (core.extract.nlp.installed_model_id: no model load)."""
        if self._model is None:
            self._model = installed_model_id()
        return self._model

    # ------------------------------------------------------------ reading

    @property
    def manifest_path(self) -> Path:
        """The store's manifest.json (its presence makes the folder a store)."""
        return self.path / "manifest.json"

    def exists(self) -> bool:
        """True when the folder holds a store (its manifest)."""
        return self.manifest_path.exists()

    def manifest(self) -> dict:
        """The current manifest. Raises StoreError when it is missing or unreadable."""
        try:
            data = json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise StoreError(f"{self.path} is not a corpus store (no manifest.json)") from exc
        except (OSError, ValueError) as exc:
            raise StoreError(f"{self.manifest_path} cannot be read: {exc}") from exc
        if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("articles"), dict):
            raise StoreError(f"{self.manifest_path} is not a format-{FORMAT} store manifest")
        return data

    def version(self) -> str:
        """A string that changes whenever the stored content changes (a cache key)."""
        try:
            m = self.manifest()
        except StoreError:
            return "none"
        return f"{m['generation']}-{m['commit']}"

    def stale(self, manifest: dict | None = None) -> bool:
        """True when the stored tables were made by another pipeline version or model."""
        m = manifest or self.manifest()
        return bool(m["articles"]) and (m["pipeline_version"] != self.pipeline_version or m["model"] != self.model)

    def list(self) -> pd.DataFrame:
        """One row per stored article: article_id, published, title, source, file."""
        return listing(self.manifest())

    def ids(self) -> list[str]:
        """The ids of the stored articles."""
        return list(self.manifest()["articles"])

    def tables(self) -> dict[str, pd.DataFrame]:
        """All eight corpus tables (validated copies), as stored. Never re-processes: when the
        tables were made by another pipeline version or model they are returned all the same,
        and `stale()` says so (`rebuild()` re-processes them)."""
        for attempt in range(5):
            m = self.manifest()
            key = f"{m['generation']}-{m['commit']}"
            if self._cache and self._cache[0] == key:
                return {k: v.copy() for k, v in self._cache[1].items()}
            try:
                tables = self._read_generation(m, "corpus", schema.TABLES)
            except FileNotFoundError:
                # A writer replaced the manifest and pruned our generation meanwhile: re-read.
                time.sleep(0.05 * (attempt + 1))
                continue
            self._cache = (key, tables)
            return {k: v.copy() for k, v in tables.items()}
        raise StoreError(f"{self.path}: the store kept changing while being read; try again")

    def per_article_tables(self) -> dict[str, pd.DataFrame]:
        """The five per-article tables as stored (events without story ids)."""
        return self._read_generation(self.manifest(), "per_article", PER_ARTICLE)

    def raw_article(self, article_id: str) -> Article:
        """The stored raw article `article_id`. Raises KeyError when there is none."""
        if not ARTICLE_ID_RE.match(article_id or ""):
            raise KeyError(article_id)
        try:
            return article_from_json(json.loads((self.path / "raw" / f"{article_id}.json").read_text(encoding="utf-8")))
        except FileNotFoundError as exc:
            raise KeyError(article_id) from exc

    def _read_generation(self, m: dict, part: str, names) -> dict[str, pd.DataFrame]:
        if m["generation"] == 0:
            return empty_tables(names)
        return read_tables(self.path / "gen" / str(m["generation"]) / part, names)

    # ------------------------------------------------------------ adding

    def add_articles(self, articles, errors=(), *, progress=None) -> AddReport:
        """Store `articles` (analysed here); `errors` (IngestError) are reported as refused.

        Duplicates (same content as a stored article or an earlier one in the batch) are
        reported, not stored. An article the pipeline fails on is refused; the others are kept.
        """
        report = AddReport(refused=[(safe_label(e.source), e.reason) for e in errors])
        known = {e.get("content_hash"): aid for aid, e in self.manifest()["articles"].items()}
        new: dict[str, Article] = {}
        for art in articles:
            art = with_identity(art)
            if art.content_hash in known:
                report.duplicates.append((art.file, known[art.content_hash]))
            elif art.article_id in new:
                report.duplicates.append((art.file, art.article_id))
            else:
                new[art.article_id] = art
        if not new:
            return report
        tables, failed = self._analyse(list(new.values()), progress)
        report.refused += [(new[aid].file, reason) for aid, reason in failed]
        failed_ids = {aid for aid, _ in failed}
        analysed = [a for aid, a in new.items() if aid not in failed_ids]
        for art in analysed:  # a refused article leaves no raw file
            self._write_raw(art)
        committed, dupes = self._commit(add=tables, add_ids=[a.article_id for a in analysed])
        titles = dict(zip(tables["articles"]["article_id"], tables["articles"]["title"]))
        for art in analysed:
            if art.article_id in committed:
                report.added.append((art.article_id, art.file, str(titles.get(art.article_id) or art.title)))
            else:
                report.duplicates.append((art.file, dupes[art.article_id]))
        return report

    def _write_raw(self, article: Article) -> None:
        raw = self.path / "raw" / f"{article.article_id}.json"
        if not raw.exists():  # content-addressed: an existing file already holds this text
            write_json(raw, article_to_json(article))

    def _analyse(self, articles: list[Article], progress) -> tuple[dict[str, pd.DataFrame], list[tuple[str, str]]]:
        """The per-article tables of `articles`, and (id, reason) for any the pipeline failed on.

        The batch is analysed at once; if that raises, one by one, so one bad article does not
        cost the others.
        """
        try:
            return concat_tables([self.analyse(copy.deepcopy(articles), progress=progress)]), []
        except Exception as exc:  # noqa: BLE001 - any pipeline failure is isolated below
            if len(articles) == 1:
                return concat_tables([]), [(articles[0].article_id, failure_reason(exc))]
        parts, failed = [], []
        for i, art in enumerate(articles):
            try:
                parts.append(self.analyse([copy.deepcopy(art)], progress=None))
            except Exception as exc:  # noqa: BLE001
                failed.append((art.article_id, failure_reason(exc)))
            if progress:
                progress(i + 1, len(articles))
        return concat_tables(parts), failed

    # ------------------------------------------------------------ removing, rebuilding

    def remove(self, article_ids) -> list[str]:
        """Remove the stored articles `article_ids`; returns the ids that were removed
        (unknown or malformed ids are ignored)."""
        wanted = [a for a in dict.fromkeys(str(i).strip() for i in article_ids) if ARTICLE_ID_RE.match(a)]
        if not wanted:
            return []
        with self._locked():
            m = self.manifest()
            present = [a for a in wanted if a in m["articles"]]
            if present:
                self._commit_locked(m, remove_ids=present)
                for aid in present:
                    (self.path / "raw" / f"{aid}.json").unlink(missing_ok=True)
        return present

    def rebuild(self, *, progress=None) -> RebuildReport:
        """Re-process every stored article from its raw article, with this pipeline."""
        report = RebuildReport()
        with self._locked():
            m = self.manifest()
            articles, keep = [], []
            for aid in m["articles"]:
                try:
                    articles.append(self.raw_article(aid))
                except (KeyError, ValueError, TypeError) as exc:
                    keep.append(aid)
                    report.kept.append((aid, f"raw article unreadable: {exc!r}"))
            tables, failed = self._analyse(articles, progress)
            report.kept += [(aid, reason) for aid, reason in failed]
            keep += [aid for aid, _ in failed]
            old = self._read_generation(m, "per_article", PER_ARTICLE) if keep and m["generation"] else None
            kept_rows = drop_articles(old, set(m["articles"]) - set(keep)) if old else concat_tables([])
            merged = concat_tables([kept_rows, tables])
            self._write_generation(m, merged, m["articles"], added_at=None)
            report.rebuilt = [a.article_id for a in articles if a.article_id not in keep]
            self._collect_garbage(m["articles"])
        return report

    def export(self, out_dir) -> list[Path]:
        """Write the eight corpus tables as CSV files to `out_dir` (as `extract` does)."""
        return export.write_tables(self.tables(), out_dir)

    # ------------------------------------------------------------ committing

    @contextlib.contextmanager
    def _locked(self):
        """Hold the store's file lock (re-entrant within this Store); StoreError when busy."""
        self.path.mkdir(parents=True, exist_ok=True)
        try:
            self.lock.acquire()
        except Timeout as exc:
            raise StoreError(f"{self.path} is busy (another process holds {self.lock.lock_file})") from exc
        try:
            yield
        finally:
            self.lock.release()

    def _commit(self, *, add: dict[str, pd.DataFrame], add_ids: list[str]) -> tuple[list[str], dict[str, str]]:
        """Merge the analysed `add` tables into the store under the lock.

        Returns the ids committed, and for articles someone else stored meanwhile
        id -> existing id (they become duplicates).
        """
        with self._locked():
            m = self.manifest()
            known = {e.get("content_hash"): aid for aid, e in m["articles"].items()}
            hashes = dict(zip(add["articles"]["article_id"], add["articles"]["content_hash"]))
            dupes = {}
            for aid in add_ids:
                if aid in m["articles"]:
                    dupes[aid] = aid
                elif hashes.get(aid) in known:
                    dupes[aid] = known[hashes[aid]]
            fresh = [aid for aid in add_ids if aid not in dupes]
            if fresh:
                self._commit_locked(m, add=drop_articles(add, set(add_ids) - set(fresh)))
        return fresh, dupes

    def _commit_locked(self, m: dict, *, add: dict[str, pd.DataFrame] | None = None, remove_ids=()) -> None:
        """Write the next generation: the current per-article tables minus `remove_ids` plus
        `add`, re-processing everything when the stored tables are stale. Caller holds the lock."""
        entries = {aid: e for aid, e in m["articles"].items() if aid not in set(remove_ids)}
        if self.stale(m) and entries:
            current, _ = self._analyse([self.raw_article(aid) for aid in entries], None)
        else:
            current = drop_articles(self._read_generation(m, "per_article", PER_ARTICLE), remove_ids)
        merged = concat_tables([current, add]) if add is not None else current
        self._write_generation(m, merged, entries, added_at=now_iso())

    def _write_generation(self, m: dict, per_article: dict[str, pd.DataFrame], entries: dict, *, added_at: str | None) -> None:
        """Write `per_article` and its corpus tables as generation n+1 and commit the manifest.

        `entries` are the kept manifest entries; articles in the tables without one get a new
        entry (added `added_at`). Caller holds the lock.
        """
        gen = int(m["generation"]) + 1
        ids = list(dict.fromkeys(per_article["articles"]["article_id"].tolist()))
        new_entries = manifest_entries(per_article["articles"], added_at or now_iso())
        articles = {aid: {**new_entries[aid], "added": entries.get(aid, new_entries[aid])["added"]} for aid in ids}
        corpus = self._corpus(per_article)
        gen_root = self.path / "gen"
        tmp = gen_root / f".tmp-{uuid.uuid4().hex[:12]}"
        try:
            write_tables(tmp / "per_article", per_article)
            write_tables(tmp / "corpus", corpus)
            final = gen_root / str(gen)
            if final.exists():  # left by a crash after the rename but before the manifest
                shutil.rmtree(final)
            os.rename(tmp, final)
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)
        manifest = {
            "format": FORMAT,
            "pipeline_version": self.pipeline_version,
            "model": self.model,
            "generation": gen,
            "commit": uuid.uuid4().hex[:12],
            "updated": now_iso(),
            "seed_pending": m.get("seed_pending", False),
            "articles": articles,
        }
        write_json(self.manifest_path, manifest)
        self._cache = None
        self._prune_generations(gen)

    def _corpus(self, per_article: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
        if per_article["articles"].empty:
            return empty_tables()
        corpus = self.aggregate({k: v.copy() for k, v in per_article.items()})
        return {name: schema.validate(name, corpus[name]) for name in schema.TABLES}

    def _prune_generations(self, current: int) -> None:
        for folder in (self.path / "gen").iterdir():
            name = folder.name
            stale_tmp = name.startswith(".tmp-") and time.time() - folder.stat().st_mtime > 3600
            old = name.isdigit() and int(name) <= current - KEEP_GENERATIONS
            if stale_tmp or old:
                shutil.rmtree(folder, ignore_errors=True)

    def _collect_garbage(self, keep_ids) -> None:
        """Delete raw files of articles no longer stored and old temporary files."""
        for raw in (self.path / "raw").glob("*.json"):
            if raw.stem not in keep_ids:
                raw.unlink(missing_ok=True)
        for tmp in (self.path / "raw").glob(".*.tmp"):
            if time.time() - tmp.stat().st_mtime > 3600:
                tmp.unlink(missing_ok=True)

    # ------------------------------------------------------------ creating

    def create(self, *, seed: bool) -> None:
        """Make this folder an empty store (a no-op when it already is one). With `seed`,
        the manifest records that the seed articles are still to be added."""
        with self._locked():
            if self.exists():
                return
            (self.path / "raw").mkdir(parents=True, exist_ok=True)
            (self.path / "gen").mkdir(parents=True, exist_ok=True)
            write_json(self.manifest_path, {
                "format": FORMAT,
                "pipeline_version": self.pipeline_version,
                "model": self.model,
                "generation": 0,
                "commit": uuid.uuid4().hex[:12],
                "updated": now_iso(),
                "seed_pending": seed,
                "articles": {},
            })

    def seed(self, *, progress=None) -> AddReport | None:
        """Add the repo's seed articles if the store still waits for them; returns the report
        (None when there was nothing to do). The store waits until every seed was stored, so a
        failed seeding is retried on the next open; seeds already stored are duplicates."""
        if not self.manifest().get("seed_pending"):
            return None
        if SEEDS.exists():
            report = self.add_articles(*read_paths([SEEDS], max_bytes=self.max_bytes), progress=progress)
        else:
            report = AddReport()
        if report.refused:
            return report  # tried again on the next open (e.g. once the pipeline is fixed)
        with self._locked():
            m = self.manifest()
            if m.get("seed_pending"):
                write_json(self.manifest_path, {**m, "seed_pending": False})
        return report


def open_store(path=None, *, seed: bool = True, progress=None, **kwargs) -> Store:
    """The store at `path` (else env NEWSDASH_STORE, else the user data folder's newsdash/store).

    A folder that is not a store yet is created; with `seed` it starts with the repo's seed
    articles (a model run), else empty. `kwargs` go to `Store` (analyse, aggregate, ...).
    """
    store = Store(path, **kwargs)
    if not store.exists():
        if store.path.exists() and any(p for p in store.path.iterdir() if p.name != ".lock"):
            raise StoreError(f"{store.path} is not empty and not a corpus store; refusing to use it")
        store.create(seed=seed)
    store.seed(progress=progress)
    return store
