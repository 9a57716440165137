"""The corpus store: articles kept on disk with their extracted tables, safe to share.

Layout of a store folder:

    manifest.json                         what is stored: the commit point of every change
    raw/<article_id>.json                 each article as read (before analysis), to re-process it
    gen/<n>/per_article/<table>.parquet   the five per-article tables of every stored article
    gen/<n>/corpus/<table>.parquet        the eight aggregated tables the dashboard shows
    trash/<removal>/                      articles removed at once: entries.json (who, when, what),
                                          raw/<article_id>.json and per_article/<table>.parquet
    corrections.jsonl                     the analysts' corrections, an append-only log (one JSON
                                          entry a line; see core.corpus.review)
    .lock                                 held by whoever commits a change

Every change writes a new generation folder, then replaces manifest.json (temporary file +
os.replace), so a crash at any point leaves the previous state readable. Readers take no
lock. Analysis runs outside the lock; the commit re-reads the manifest under the lock and
merges, so two processes adding at once both keep their articles.

Every file in the store is written under the lock, as part of a commit: raw files of an add
are written only once its analysis is done, just before the manifest that names them. So
whoever holds the lock knows that anything the manifest does not name (a raw file, a newer
generation, a temporary file or folder) is a leftover of a killed writer, and deletes it: at
every commit and when the store is opened. Removed articles go to the trash, from which
`restore` brings them back unchanged and `purge` deletes them.

Articles are content-addressed: the id is the first 16 hex digits of the content hash, so the
same text added twice is a duplicate, and an edited text is a new article (the old one stays
until removed: nothing is ever dropped on a guess).

The per-article tables are kept as the pipeline made them; the corpus tables of a generation
are the per-article ones with the corrections log applied (core.corpus.corrected), so every
reader, the dashboard's DuckDB queries over the Parquet files included, sees the corrected
rows. A correction writes the log (under the lock), then a new generation whose per-article
files are links to the previous ones; every other commit (add, remove, restore, rebuild)
applies the whole log again, so no correction is lost when a new pipeline re-extracts.
"""
from __future__ import annotations

import builtins
import contextlib
import copy
import getpass
import json
import os
import re
import shutil
import time
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
import platformdirs
from filelock import FileLock, Timeout

import core
from core import schema
from core.corpus import corrected, export, review
from core.corpus.cache import SEEDS
from core.errors import NewsdashError, ReviewError
from core.extract.ingest import content_hash, read_paths
from core.extract.limits import max_bytes_limit
from core.extract.model_id import installed_model_id
from core.model import Article, Segment

# Outside the repository, in the user's data folder (e.g. ~/.local/share/newsdash/store on Linux).
DEFAULT_PATH = Path(platformdirs.user_data_dir("newsdash", appauthor=False)) / "store"
STORE_ENV = "NEWSDASH_STORE"
FORMAT = 1
PER_ARTICLE = ("articles", "mentions", "events", "event_actors", "quantities")
ARTICLE_ID_RE = re.compile(r"^[0-9a-f]{16}$")
LIST_COLUMNS = ["article_id", "published", "title", "source", "file"]
LOCK_TIMEOUT = 600.0  # a rebuild of a large corpus holds the lock for minutes
KEEP_GENERATIONS = 2  # the previous one stays for readers that read the old manifest
USER_ENV = "NEWSDASH_USER"
CORRECTIONS = "corrections.jsonl"
TRASH_COLUMNS = ["article_id", "published", "title", "source", "file", "removed_by", "removed_at"]


class StoreError(NewsdashError, OSError):
    """The store folder cannot be used (corrupt manifest, busy lock, not a store)."""


class StoreBusy(StoreError):
    """Another process held the store's lock for longer than this writer would wait."""


@dataclass
class AddReport:
    """What an add did, per input: added (id, file, title), duplicates (file, existing id),
    refused (file, reason)."""

    added: list[tuple[str, str, str]] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)

    def extend(self, other: AddReport) -> AddReport:
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
        rows: list[tuple[str, str, str | None, str]] = [(f, "added", i, t) for i, f, t in self.added]
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


def in_article_order(tables: dict[str, pd.DataFrame], ids) -> dict[str, pd.DataFrame]:
    """The per-article `tables` with each article's rows grouped in the order of `ids` (rows
    within an article keep their order; event_actors follow their event's article)."""
    rank = {aid: i for i, aid in enumerate(ids)}
    event_article = dict(zip(tables["events"]["event_id"], tables["events"]["article_id"], strict=True))
    out = {}
    for name in PER_ARTICLE:
        df = tables[name]
        owner = df["article_id"] if "article_id" in df.columns else df["event_id"].map(event_article)
        key = owner.map(rank).astype("float").fillna(len(rank)).to_numpy()
        out[name] = df.iloc[key.argsort(kind="stable")].reset_index(drop=True)
    return out


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
    return df.sort_values(
        ["published", "title", "article_id"], na_position="last", kind="stable"
    ).reset_index(drop=True)


def manifest_entries(articles_table: pd.DataFrame, added_at: str) -> dict[str, dict]:
    """Manifest entries (hash, file, title, published, source, added) from an articles table."""
    entries = {}
    for row in articles_table.to_dict("records"):
        clean = {k: (None if pd.isna(v) else v) for k, v in row.items()
                 if k in ("content_hash", "file", "title", "published", "source")}
        entries[str(row["article_id"])] = {**clean, "added": added_at}
    return entries


def failure_reason(exc: BaseException) -> str:
    """The refusal reason for an article the pipeline raised `exc` on."""
    return f"analysis failed: {type(exc).__name__}: {exc}"


def now_iso() -> str:
    """The current UTC time, ISO 8601 to the second."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def current_user(user=None) -> str:
    """Who is making a change: `user`, else env NEWSDASH_USER, else the OS user ('unknown'
    when none can be found)."""
    name = str(user or os.environ.get(USER_ENV) or "").strip()
    if not name:
        try:
            name = getpass.getuser()
        except (KeyError, OSError):
            name = "unknown"
    return safe_label(name)[:100]


def valid_ids(article_ids) -> list[str]:
    """The well-formed article ids among `article_ids`, stripped, in order, once each."""
    return [a for a in dict.fromkeys(str(i).strip() for i in article_ids) if ARTICLE_ID_RE.match(a)]


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


def link_or_copy(src: Path, dst: Path) -> None:
    """Make `dst` a hard link to `src` (a copy where links are not supported), replacing `dst`
    atomically. Store files are never changed in place, so sharing one is safe."""
    tmp = dst.with_name(f".{dst.name}.{uuid.uuid4().hex[:12]}.tmp")
    try:
        try:
            os.link(src, tmp)
        except OSError:
            shutil.copyfile(src, tmp)
        os.replace(tmp, dst)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_json(path: Path, data) -> None:
    """Write `data` as UTF-8 JSON to `path`, atomically."""
    write_atomic(path, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))


def read_tables(folder: Path, names) -> dict[str, pd.DataFrame]:
    """The Parquet tables `names` in `folder`, validated against the schema."""
    # events and figures written before the review column existed read as not reviewed
    return {name: schema.validate(name, review.with_review(df) if name in review.ROW_TABLES else df)
            for name in names for df in [pd.read_parquet(folder / f"{name}.parquet")]}


def write_tables(folder: Path, tables: dict[str, pd.DataFrame]) -> None:
    """Write each table to `folder/<name>.parquet` (the folder is new and private)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, df in tables.items():
        schema.validate(name, df).to_parquet(folder / f"{name}.parquet", index=False)


# ---------------------------------------------------------------- the store


def default_analyse(articles, *, progress=None, workers=None):
    """core.corpus.build.analyse_articles (loads spaCy on first use), on the `workers` plan
    (default in-process). A module-level name so tests can swap in a cheap pipeline. Imports
    core.corpus.build (and with it spaCy, about a second) only here: reading a store never
    needs it."""
    from core.corpus import build

    return build.analyse_articles(articles, progress=progress, workers=workers)


def default_aggregate(tables):
    """core.corpus.build.aggregate (imported on first use, like default_analyse)."""
    from core.corpus import build

    return build.aggregate(tables)


class Store:
    """A corpus store folder (see the module docstring). Create it with `open_store`.

    `analyse(articles, progress=)` returns the five per-article tables (given `workers=` too when
    the store has a core.corpus.distributed.Workers plan) and `aggregate(tables)`
    the eight corpus tables; both default to core.corpus.build's, and tests pass cheap ones.
    `pipeline_version` and `model` are what the stored tables must have been made with; a
    store made with others is stale (`stale()`): its tables are still read as they are, and
    `rebuild()` (or the next change) re-processes it from its raw articles.
    `lock_timeout` is how many seconds a write waits for another writer before it raises
    StoreBusy (the dashboard passes a few seconds, the CLI keeps the long default).
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
        workers=None,
    ):
        self.path = store_path(path)
        self.workers = workers
        self.analyse = analyse or default_analyse
        self.aggregate = aggregate or default_aggregate
        self.pipeline_version = pipeline_version or core.PIPELINE_VERSION
        self._model = model
        self.max_bytes = max_bytes if max_bytes is not None else max_bytes_limit()
        self.lock_timeout = lock_timeout
        self.lock = FileLock(str(self.path / ".lock"), timeout=lock_timeout)
        self._cache: tuple[str, dict[str, pd.DataFrame]] | None = None
        self._orphans: tuple[str, pd.DataFrame] | None = None

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

    def ids(self) -> builtins.list[str]:
        """The ids of the stored articles."""
        return list(self.manifest()["articles"])

    def tables(self) -> dict[str, pd.DataFrame]:
        """All eight corpus tables (validated copies), as stored: with the analysts' corrections
        applied (events and figures carry their `review` value). Never re-processes: when the
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

    def generation_folder(self, m: dict, part: str) -> Path:
        """The folder of `part` ("corpus" or "per_article") of the generation manifest `m` names
        (it exists only when `m["generation"]` is not 0)."""
        return self.path / "gen" / str(m["generation"]) / part

    def _read_generation(self, m: dict, part: str, names) -> dict[str, pd.DataFrame]:
        if m["generation"] == 0:
            return empty_tables(names)
        return read_tables(self.generation_folder(m, part), names)

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
        # raw files are written at the commit, under the lock: a refused article leaves none
        committed, dupes = self._commit(add=tables, articles=analysed)
        titles = dict(zip(tables["articles"]["article_id"], tables["articles"]["title"], strict=True))
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

    def _analyse(
        self, articles: builtins.list[Article], progress
    ) -> tuple[dict[str, pd.DataFrame], builtins.list[tuple[str, str]]]:
        """The per-article tables of `articles`, and (id, reason) for any the pipeline failed on.

        The batch is analysed at once; if that raises, one by one, so one bad article does not
        cost the others.
        """
        from core.corpus.build import ArticlesRefused  # spaCy: only once there is something to analyse

        plan = {"workers": self.workers} if self.workers is not None else {}
        try:
            return concat_tables([self.analyse(copy.deepcopy(articles), progress=progress, **plan)]), []
        except ArticlesRefused as exc:  # analysed on Dask: the culprits are already isolated
            return concat_tables([exc.tables]), exc.refused
        except Exception as exc:  # any pipeline failure is isolated below
            if len(articles) == 1:
                return concat_tables([]), [(articles[0].article_id, failure_reason(exc))]
        parts, failed = [], []
        for i, art in enumerate(articles):
            try:
                parts.append(self.analyse([copy.deepcopy(art)], progress=None, **plan))
            except Exception as exc:
                failed.append((art.article_id, failure_reason(exc)))
            if progress:
                progress(i + 1, len(articles))
        return concat_tables(parts), failed

    # ------------------------------------------------------------ removing, rebuilding

    def remove(self, article_ids, *, user=None, lock_timeout: float | None = None) -> builtins.list[str]:
        """Move the stored articles `article_ids` to the trash (their raw file and rows, with
        who removed them, `user` else current_user(), and when); returns the ids removed
        (unknown or malformed ids are ignored). `restore` undoes it, `purge` makes it final."""
        wanted = valid_ids(article_ids)
        if not wanted:
            return []
        with self._locked(lock_timeout):
            m = self.manifest()
            present = [a for a in wanted if a in m["articles"]]
            if present:
                self._to_trash(m, present, current_user(user))
                self._commit_locked(m, remove_ids=present)
        return present

    def rebuild(self, *, progress=None, lock_timeout: float | None = None) -> RebuildReport:
        """Re-process every stored article from its raw article, with this pipeline. An article
        whose raw file is missing or unreadable, or which the pipeline fails on, keeps its rows."""
        report = RebuildReport()
        with self._locked(lock_timeout):
            m = self.manifest()
            merged, report.kept = self._reprocess(m, list(m["articles"]), progress)
            self._write_generation(m, merged, m["articles"], added_at=None)
            kept = {aid for aid, _ in report.kept}
            report.rebuilt = [aid for aid in m["articles"] if aid not in kept]
        return report

    def missing_raw(self) -> builtins.list[tuple[str, str]]:
        """(id, reason) of each stored article whose raw file is missing: it stays listed with
        its rows, but cannot be re-processed by a rebuild or a new pipeline version."""
        raw = self.path / "raw"
        return [(aid, f"raw file raw/{aid}.json is missing: the article cannot be re-processed")
                for aid in self.manifest()["articles"] if not (raw / f"{aid}.json").exists()]

    # ------------------------------------------------------------ the trash

    @property
    def trash_path(self) -> Path:
        """The trash folder of the store (one sub-folder per removal)."""
        return self.path / "trash"

    def trash(self) -> pd.DataFrame:
        """One row per article in the trash (TRASH_COLUMNS: id, published, title, source, file,
        removed_by, removed_at), most recently removed first."""
        rows = []
        for aid, (_, data) in self._trashed(self.manifest()["articles"]).items():
            entry = data["articles"][aid].get("entry") or {}
            rows.append({"article_id": aid, **{c: entry.get(c) for c in LIST_COLUMNS[1:]},
                         "removed_by": data.get("removed_by"), "removed_at": data.get("removed_at")})
        df = pd.DataFrame(rows, columns=TRASH_COLUMNS).astype("string")
        return df.sort_values(
            ["removed_at", "article_id"], ascending=[False, True], kind="stable"
        ).reset_index(drop=True)

    def restore(self, article_ids, *, lock_timeout: float | None = None) -> builtins.list[str]:
        """Bring the articles `article_ids` back from the trash with the rows they had (re-analysed
        from their raw file when the pipeline or model changed meanwhile), each in its former
        place; returns the ids restored. Ids not in the trash are ignored, and so is an article
        the new pipeline fails on (it stays in the trash)."""
        wanted = valid_ids(article_ids)
        if not wanted:
            return []
        with self._locked(lock_timeout):
            m = self.manifest()
            trashed = self._trashed(m["articles"])
            by_batch: dict[Path, tuple[dict, builtins.list[str]]] = {}
            for aid in (a for a in wanted if a in trashed):
                folder, data = trashed[aid]
                by_batch.setdefault(folder, (data, []))[1].append(aid)
            parts, entries, positions = [], {}, {}
            for folder, (data, ids) in by_batch.items():
                tables, ok = self._trash_rows(folder, data, ids)
                parts.append(tables)
                for aid in ok:
                    entries[aid] = data["articles"][aid]["entry"]
                    positions[aid] = data["articles"][aid].get("position")
                    raw = folder / "raw" / f"{aid}.json"
                    if raw.exists():  # raw files are written under the lock, just before the manifest
                        link_or_copy(raw, self.path / "raw" / f"{aid}.json")
            if not entries:
                return []
            order = list(m["articles"])
            at = {aid: pos if isinstance(pos, int) else len(order) for aid, pos in positions.items()}
            for aid in sorted(entries, key=lambda a: at[a]):
                order.insert(min(at[aid], len(order)), aid)
            # the commit's garbage collection drops the restored articles from the trash
            self._commit_locked(m, add=concat_tables(parts), order=order, extra_entries=entries)
            listed = self.manifest()["articles"]
        return [aid for aid in wanted if aid in entries and aid in listed]

    def purge(self, article_ids=None, *, lock_timeout: float | None = None) -> builtins.list[str]:
        """Delete the articles `article_ids` (all when None) from the trash for good; returns
        the ids purged."""
        with self._locked(lock_timeout):
            trashed = self._trashed(self.manifest()["articles"])
            ids = sorted(trashed) if article_ids is None else [a for a in valid_ids(article_ids) if a in trashed]
            self._drop_from_trash(set(ids))
        return ids

    def _trash_batches(self) -> builtins.list[tuple[Path, dict]]:
        """(folder, entries.json data) of each removal in the trash, oldest first (a folder whose
        entries cannot be read is skipped, and left alone)."""
        out = []
        for folder in sorted(self.trash_path.iterdir()) if self.trash_path.exists() else []:
            if folder.name.startswith(".") or not folder.is_dir():
                continue
            try:
                data = json.loads((folder / "entries.json").read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if isinstance(data, dict) and isinstance(data.get("articles"), dict):
                out.append((folder, data))
        return out

    def _trashed(self, listed) -> dict[str, tuple[Path, dict]]:
        """Article id -> (folder, data) of its latest removal, for each article in the trash that
        is not `listed` (a listed one is the leftover of an interrupted remove or restore)."""
        found = {}
        for folder, data in self._trash_batches():  # oldest first: a later removal wins
            for aid in data["articles"]:
                if ARTICLE_ID_RE.match(aid) and aid not in listed:
                    found[aid] = (folder, data)
        return found

    def _to_trash(self, m: dict, ids: builtins.list[str], user: str) -> None:
        """Write the raw files (hard links) and rows of the stored articles `ids`, with who
        removed them and when, as one new folder of the trash (written aside and renamed into
        place). The commit that follows drops them from the store; should it never happen, the
        copy is a leftover, cleaned as such. Caller holds the lock."""
        rows = drop_articles(self._read_generation(m, "per_article", PER_ARTICLE), set(m["articles"]) - set(ids))
        position = {aid: i for i, aid in enumerate(m["articles"])}
        tmp = self.trash_path / f".tmp-{uuid.uuid4().hex[:12]}"
        try:
            write_tables(tmp / "per_article", rows)
            (tmp / "raw").mkdir()
            for aid in ids:
                raw = self.path / "raw" / f"{aid}.json"
                if raw.exists():
                    link_or_copy(raw, tmp / "raw" / raw.name)
            write_json(tmp / "entries.json", {
                "removed_by": user, "removed_at": now_iso(),
                "pipeline_version": m["pipeline_version"], "model": m["model"],
                "articles": {aid: {"entry": m["articles"][aid], "position": position[aid]} for aid in ids},
            })
            os.rename(tmp, self.trash_path / f"{time.time_ns():020d}-{uuid.uuid4().hex[:8]}")
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)

    def _trash_rows(
        self, folder: Path, data: dict, ids: builtins.list[str]
    ) -> tuple[dict[str, pd.DataFrame], builtins.list[str]]:
        """The per-article rows of the trashed articles `ids` of the removal in `folder`, and the
        ids they cover: as removed when made by this pipeline and model, else re-analysed from
        the raw files (an article without a readable raw file, or that fails, is left out)."""
        if data.get("pipeline_version") == self.pipeline_version and data.get("model") == self.model:
            rows = read_tables(folder / "per_article", PER_ARTICLE)
            return drop_articles(rows, set(rows["articles"]["article_id"]) - set(ids)), list(ids)
        articles = []
        for aid in ids:
            try:
                raw = (folder / "raw" / f"{aid}.json").read_text(encoding="utf-8")
                articles.append(article_from_json(json.loads(raw)))
            except (OSError, ValueError, KeyError, TypeError):
                continue
        tables, failed = self._analyse(articles, None)
        failed_ids = {aid for aid, _ in failed}
        return tables, [a.article_id for a in articles if a.article_id not in failed_ids]

    def _drop_from_trash(self, ids: set[str]) -> None:
        """Take the articles `ids` out of every removal in the trash (a removal left with none
        is deleted). Caller holds the lock."""
        for folder, data in self._trash_batches():
            gone = [aid for aid in data["articles"] if aid in ids]
            if len(gone) == len(data["articles"]):
                shutil.rmtree(folder, ignore_errors=True)
            elif gone:
                kept = {a: e for a, e in data["articles"].items() if a not in ids}
                write_json(folder / "entries.json", {**data, "articles": kept})
                for aid in gone:
                    (folder / "raw" / f"{aid}.json").unlink(missing_ok=True)

    def export(self, out_dir) -> builtins.list[Path]:
        """Write the eight corpus tables as CSV files to `out_dir` (as `extract` does), and
        corrections.csv when analysts corrected anything."""
        paths = export.write_tables(self.tables(), out_dir)
        log = self.corrections()
        if not log.empty:
            paths.append(export.write_corrections(log, Path(out_dir) / "corrections.csv"))
        return paths

    # ------------------------------------------------------------ corrections

    @property
    def corrections_path(self) -> Path:
        """The store's corrections log (JSON lines)."""
        return self.path / CORRECTIONS

    def corrections(self) -> pd.DataFrame:
        """The corrections log (schema table "corrections"), oldest entry first; empty when
        no one corrected anything. Raises ReviewError when the file is damaged."""
        try:
            data = self.corrections_path.read_bytes()
        except FileNotFoundError:
            return schema.empty(review.LOG)
        return review.from_jsonl(data, str(self.corrections_path))

    def correct(self, entries, *, user=None, lock_timeout: float | None = None) -> builtins.list[str]:
        """Check the corrections `entries` (dicts: see core.corpus.review.new_entries) against
        the current tables and append them to the log, by `user` (else current_user()); returns
        their ids. The corrected tables are a new store version. All or nothing: a bad entry
        raises ReviewError and nothing is written."""
        with self._locked(lock_timeout):
            m = self.manifest()
            new = review.new_entries(entries, self.tables(), user=current_user(user), at=now_iso())
            log, added = review.merge_logs(self.corrections(), new)
            if added:
                self._commit_corrections(m, log)
        return list(new["correction_id"])

    def revert(self, correction_id: str, *, user=None, reason: str = "", lock_timeout: float | None = None) -> str:
        """Append an entry undoing the correction `correction_id` (the rows go back to what
        they were without it; reverting a revert brings it back); returns the new entry's id.
        Raises ReviewError when the log has no such entry."""
        with self._locked(lock_timeout):
            m = self.manifest()
            log = self.corrections()
            new = review.revert_entry(log, correction_id, user=current_user(user), at=now_iso(), reason=reason)
            merged, _ = review.merge_logs(log, new)
            self._commit_corrections(m, merged)
        return str(new["correction_id"].iloc[0])

    def orphaned_corrections(self) -> pd.DataFrame:
        """The corrections in force that found no row or name in the current tables (the log's
        columns and `problem`: why). An orphaned edit is shown as a row added by hand; nothing
        is dropped from the log."""
        m = self.manifest()
        key = f"{m['generation']}-{m['commit']}-{self.corrections_path.stat().st_mtime_ns}" \
            if self.corrections_path.exists() else None
        if key is None:
            return corrected.apply_rows(empty_tables(PER_ARTICLE), schema.empty(review.LOG))[1]
        if self._orphans and self._orphans[0] == key:
            return self._orphans[1].copy()
        _, orphans = corrected.apply_rows(self._read_generation(m, "per_article", PER_ARTICLE), self.corrections())
        self._orphans = (key, orphans)
        return orphans.copy()

    def export_corrections(self, path) -> Path:
        """Write the corrections log to `path`: JSON lines when it ends in .jsonl, else CSV (as
        in the snapshot ZIP). Returns the path."""
        path = Path(path)
        if path.suffix.lower() == ".jsonl":
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, review.to_jsonl(self.corrections()))
            return path
        return export.write_corrections(self.corrections(), path)

    def import_corrections(self, path, *, lock_timeout: float | None = None) -> tuple[int, int]:
        """Append the corrections in `path` (corrections.csv, .jsonl, or a snapshot ZIP) that
        the log does not hold yet; returns (added, skipped as already there). Idempotent. A
        malformed file, or one with corrections of articles this store never held (another
        corpus), raises ReviewError and nothing is written."""
        incoming = review.read_log_file(path)
        with self._locked(lock_timeout):
            m = self.manifest()
            known = {e.get("content_hash") for e in m["articles"].values()}
            known |= {d["articles"][aid].get("entry", {}).get("content_hash")
                      for aid, (_, d) in self._trashed(m["articles"]).items()}
            hashes = set(incoming["article_hash"].dropna()) - {""}
            if foreign := sorted(hashes - known):
                raise ReviewError(f"{path}: {len(foreign)} of the {len(hashes)} articles its corrections are about "
                                  f"are not in this store (first: {foreign[0][:16]}): corrections of another corpus; "
                                  "nothing imported")
            log, added = review.merge_logs(self.corrections(), incoming)
            if added:
                self._commit_corrections(m, log)
        return added, len(incoming) - added

    def _commit_corrections(self, m: dict, log: pd.DataFrame) -> None:
        """Write `log` as the corrections log, then a new generation: the same per-article files
        (linked) and the corpus tables with the log applied. The manifest keeps its pipeline
        version and model (a correction re-processes nothing). Caller holds the lock."""
        write_atomic(self.corrections_path, review.to_jsonl(log))
        self._orphans = None
        if not m["generation"]:
            return
        src = self.generation_folder(m, "per_article")
        corpus = self._corpus(read_tables(src, PER_ARTICLE))

        def fill(tmp: Path) -> None:
            (tmp / "per_article").mkdir(parents=True)
            for name in PER_ARTICLE:
                link_or_copy(src / f"{name}.parquet", tmp / "per_article" / f"{name}.parquet")
            write_tables(tmp / "corpus", corpus)

        self._stage_generation(int(m["generation"]) + 1, fill)
        manifest = {**m, "generation": int(m["generation"]) + 1, "commit": uuid.uuid4().hex[:12], "updated": now_iso(),
                    "corrections": len(log)}
        write_json(self.manifest_path, manifest)
        self._cache = None
        self._collect_garbage(manifest)

    # ------------------------------------------------------------ committing

    def _stage_generation(self, gen: int, fill) -> None:
        """Make generation folder `gen`: `fill(folder)` writes it in a private folder, which is
        then renamed into place, so a reader or a crash never sees half a generation. The
        manifest naming it is the caller's to write. Caller holds the lock."""
        gen_root = self.path / "gen"
        tmp = gen_root / f".tmp-{uuid.uuid4().hex[:12]}"
        try:
            fill(tmp)
            final = gen_root / str(gen)
            if final.exists():  # left by a crash after the rename but before the manifest
                shutil.rmtree(final)
            os.rename(tmp, final)
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)

    @contextlib.contextmanager
    def _locked(self, timeout: float | None = None):
        """Hold the store's file lock (re-entrant within this Store), waiting at most `timeout`
        seconds (default: this Store's lock_timeout); StoreBusy when another writer holds it."""
        self.path.mkdir(parents=True, exist_ok=True)
        wait = self.lock_timeout if timeout is None else timeout
        try:
            self.lock.acquire(timeout=wait)
        except Timeout as exc:
            raise StoreBusy(f"{self.path} is busy: another process is writing to it (waited {wait:g} s; "
                            f"lock {self.lock.lock_file}); try again when it has finished") from exc
        try:
            yield
        finally:
            self.lock.release()

    def _commit(
        self, *, add: dict[str, pd.DataFrame], articles: builtins.list[Article]
    ) -> tuple[builtins.list[str], dict[str, str]]:
        """Merge the analysed `add` tables of `articles` into the store under the lock, writing
        their raw files there (so no one collects them before the manifest names them).

        Returns the ids committed, and for articles someone else stored meanwhile
        id -> existing id (they become duplicates).
        """
        add_ids = [a.article_id for a in articles]
        with self._locked():
            m = self.manifest()
            known = {e.get("content_hash"): aid for aid, e in m["articles"].items()}
            hashes = dict(zip(add["articles"]["article_id"], add["articles"]["content_hash"], strict=True))
            dupes = {}
            for aid in add_ids:
                if aid in m["articles"]:
                    dupes[aid] = aid
                elif hashes.get(aid) in known:
                    dupes[aid] = known[hashes[aid]]
            fresh = [aid for aid in add_ids if aid not in dupes]
            if fresh:
                for art in articles:
                    if art.article_id in fresh:
                        self._write_raw(art)
                self._commit_locked(m, add=drop_articles(add, set(add_ids) - set(fresh)))
        return fresh, dupes

    def _commit_locked(self, m: dict, *, add: dict[str, pd.DataFrame] | None = None, remove_ids=(),
                       extra_entries: dict | None = None, order: builtins.list[str] | None = None) -> None:
        """Write the next generation: the current per-article tables minus `remove_ids` plus
        `add` (whose manifest entries may be given in `extra_entries`), articles in `order` when
        given, re-processing everything when the stored tables are stale (an article whose raw
        file is missing keeps its rows: see missing_raw). Caller holds the lock."""
        entries = {aid: e for aid, e in m["articles"].items() if aid not in set(remove_ids)}
        if self.stale(m) and entries:
            current, _ = self._reprocess(m, list(entries), None)
        else:
            current = drop_articles(self._read_generation(m, "per_article", PER_ARTICLE), remove_ids)
        merged = concat_tables([current, add]) if add is not None else current
        if order is not None:
            merged = in_article_order(merged, order)
        self._write_generation(m, merged, {**entries, **(extra_entries or {})}, added_at=now_iso())

    def _reprocess(
        self, m: dict, ids: builtins.list[str], progress
    ) -> tuple[dict[str, pd.DataFrame], builtins.list[tuple[str, str]]]:
        """The per-article tables of stored articles `ids` re-analysed from their raw files, and
        (id, reason) of those that keep their stored rows instead: raw file missing or
        unreadable, or the pipeline failed on them. Caller holds the lock."""
        articles, kept = [], []
        for aid in ids:
            try:
                articles.append(self.raw_article(aid))
            except KeyError:
                kept.append((aid, f"raw file raw/{aid}.json is missing"))
            except (ValueError, TypeError) as exc:
                kept.append((aid, f"raw file raw/{aid}.json is unreadable: {exc!r}"))
        tables, failed = self._analyse(articles, progress)
        kept += failed
        keep = {aid for aid, _ in kept}
        old = self._read_generation(m, "per_article", PER_ARTICLE) if keep and m["generation"] else None
        kept_rows = drop_articles(old, set(m["articles"]) - keep) if old else concat_tables([])
        return concat_tables([kept_rows, tables]), kept

    def _write_generation(
        self, m: dict, per_article: dict[str, pd.DataFrame], entries: dict, *, added_at: str | None
    ) -> None:
        """Write `per_article` and its corpus tables as generation n+1 and commit the manifest.

        `entries` are the kept manifest entries; articles in the tables without one get a new
        entry (added `added_at`). Caller holds the lock.
        """
        gen = int(m["generation"]) + 1
        ids = list(dict.fromkeys(per_article["articles"]["article_id"].tolist()))
        new_entries = manifest_entries(per_article["articles"], added_at or now_iso())
        articles = {aid: {**new_entries[aid], "added": entries.get(aid, new_entries[aid])["added"]} for aid in ids}
        corpus = self._corpus(per_article)

        def fill(tmp: Path) -> None:
            write_tables(tmp / "per_article", per_article)
            write_tables(tmp / "corpus", corpus)

        self._stage_generation(gen, fill)
        manifest = {
            "format": FORMAT,
            "pipeline_version": self.pipeline_version,
            "model": self.model,
            "generation": gen,
            "commit": uuid.uuid4().hex[:12],
            "updated": now_iso(),
            "seed_pending": m.get("seed_pending", False),
            "corrections": len(self.corrections()),  # log entries these tables apply
            "articles": articles,
        }
        write_json(self.manifest_path, manifest)
        self._cache = None
        self._collect_garbage(manifest)

    def _corpus(self, per_article: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
        if per_article["articles"].empty:
            return empty_tables()
        log = self.corrections()
        rows, _ = corrected.apply_rows(per_article, log)
        corpus = corrected.with_named_actors(self.aggregate({k: v.copy() for k, v in rows.items()}),
                                             corrected.named_actors(log))
        return {name: schema.validate(name, corpus[name]) for name in schema.TABLES}

    def _collect_garbage(self, m: dict) -> None:
        """Delete what manifest `m` does not need: generations older than the previous one,
        generations newer than its own, raw files of articles it does not list, trash copies of
        articles it lists, and every temporary file or folder. Caller holds the lock, so these
        are leftovers (of removed articles or of a killed writer), never a write in progress."""
        gen, listed = int(m["generation"]), m["articles"]
        for pattern in (".manifest.json.*.tmp", f".{CORRECTIONS}.*.tmp"):
            for tmp in self.path.glob(pattern):
                tmp.unlink(missing_ok=True)
        for folder in list((self.path / "gen").iterdir()) if (self.path / "gen").exists() else []:
            name = folder.name
            if name.startswith(".tmp-") or (name.isdigit() and not gen - KEEP_GENERATIONS < int(name) <= gen):
                shutil.rmtree(folder, ignore_errors=True)
        for raw in list((self.path / "raw").iterdir()) if (self.path / "raw").exists() else []:
            if raw.name.endswith(".tmp") or (raw.suffix == ".json" and raw.stem not in listed):
                raw.unlink(missing_ok=True)
        for item in list(self.trash_path.iterdir()) if self.trash_path.exists() else []:
            if item.name.startswith(".tmp-"):
                shutil.rmtree(item, ignore_errors=True)
            elif item.is_dir():
                for tmp in item.glob(".*.tmp"):
                    tmp.unlink(missing_ok=True)
        self._drop_from_trash(set(listed))

    def recover(self) -> bool:
        """Clean the leftovers of a killed writer (see _collect_garbage) when no one is writing;
        returns False (and leaves everything) when the store is busy or its manifest unreadable:
        the writer holding the lock cleans at its own commit."""
        if not self.exists():
            return False
        try:
            with self._locked(timeout=0):
                m = self.manifest()
                self._collect_garbage(m)
                self._catch_up_corrections(m)
        except StoreError:
            return False
        return True

    def _catch_up_corrections(self, m: dict) -> None:
        """Apply the log entries a killed writer appended without writing the tables that show
        them (the log is written first); a damaged log is left for `corrections()` to report.
        Caller holds the lock."""
        try:
            log = self.corrections()
        except ReviewError:
            return
        if m["generation"] and m.get("corrections", len(log)) != len(log):
            self._commit_corrections(m, log)

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
    articles (a model run), else empty. Leftovers of a killed writer are cleaned first (when
    no one is writing). `kwargs` go to `Store` (analyse, aggregate, lock_timeout, ...).
    """
    store = Store(path, **kwargs)
    store.recover()
    if not store.exists():
        if store.path.exists() and any(p for p in store.path.iterdir() if p.name != ".lock"):
            raise StoreError(f"{store.path} is not empty and not a corpus store; refusing to use it")
        store.create(seed=seed)
    store.seed(progress=progress)
    return store
