"""Tables to CSV files and bytes, safe to open in a spreadsheet."""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from core import schema
from core.corpus import review
from core.vocab import Precision

# A spreadsheet runs a cell starting with these as a formula (CSV injection); a leading
# apostrophe makes it plain text and is what OWASP recommends.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """`value` with a leading apostrophe when a spreadsheet would run it as a formula.

    Numbers are left alone: a negative number is not a formula.
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of `df` whose text cells are neutralised for spreadsheets."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise, na_action="ignore")
    return out


def csv_bytes(df: pd.DataFrame) -> bytes:
    """`df` as UTF-8 CSV bytes, formula cells neutralised."""
    return safe_frame(df).to_csv(index=False).encode("utf-8")


def write_tables(tables: dict[str, pd.DataFrame], out_dir) -> list[Path]:
    """Write each schema table in `tables` to `out_dir/<name>.csv`; returns the paths written.

    Tables are validated first, so every file has the documented columns in order. Each file
    is written to a temporary name and renamed, so a reader never sees half a file.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in schema.TABLES:
        if name not in tables:
            continue
        df = schema.validate(name, review.with_review(tables[name]) if name in review.ROW_TABLES else tables[name])
        path = out / f"{name}.csv"
        tmp = path.with_suffix(".csv.tmp")
        tmp.write_bytes(csv_bytes(df))
        tmp.replace(path)
        written.append(path)
    return written


# Filters in the order a file name lists them, and how a value is introduced.
NAME_PARTS = (("actors", ""), ("types", ""), ("statuses", ""), ("sources", ""), ("text", "q-"))
MAX_NAME = 60  # characters of filter words before a file name switches to a short hash


def slug(text: str) -> str:
    """`text` as a file-name word: lower case letters, digits and single hyphens."""
    words = re.sub(r"[^a-z0-9]+", "-", unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore")
                   .decode().lower())
    return words.strip("-")


def export_filename(table: str, filters: dict | None = None, ext: str = "csv") -> str:
    """The download name of `table` under `filters` (a Filters.summary() dict: actors,
    date_from, date_to, types, statuses, sources, text), saying what the file holds:
    `events_kim-jong-un_2024-01-01_2024-12-31.csv`, `events_all.csv` unfiltered. When the
    filter words run long they are cut and a short hash of all the filters is added, so two
    views never share a name."""
    filters = filters or {}
    words = []
    for key, prefix in NAME_PARTS:
        values = filters.get(key) or []
        for value in [values] if isinstance(values, str) else values:
            if slug(value):
                words.append(prefix + slug(value))
    middle = "_".join(words)
    if len(middle) > MAX_NAME:
        digest = hashlib.sha1(json.dumps(filters, sort_keys=True, default=str).encode()).hexdigest()[:8]
        middle = middle[:MAX_NAME].rstrip("-_") + "_" + digest
    start, end = filters.get("date_from"), filters.get("date_to")
    dates = f"{start}_{end}" if start and end else f"from-{start}" if start else f"to-{end}" if end else ""
    parts = [table, *(p for p in (middle, dates) if p)]
    return "_".join(parts if len(parts) > 1 else [table, "all"]) + f".{ext}"


ENRICHED = ("article_title", "outlet", "url", "published", "actors_roles")


def actor_roles(df: pd.DataFrame, event_actors: pd.DataFrame) -> pd.Series:
    """Per row of `df` (events or quantities), its actors with their part: ["Kim Jong Un
    (source)", "Russia (target)"], from `event_actors` by `event_id`; a quantity's claimant
    comes first as "(claimant)". Rows without any get an empty list."""
    events = df["event_id"] if "event_id" in df.columns else pd.Series(None, index=df.index, dtype="object")
    # Only the rows of these events are grouped (a page of a table need not group millions).
    wanted = pa.array(events.astype("string").dropna().unique().astype(object), type=pa.string())
    mine = np.asarray(pc.is_in(pa.array(event_actors["event_id"].astype("string")), value_set=wanted).fill_null(False),
                      dtype=bool)
    ea = event_actors[mine].dropna(subset=["event_id", "actor"]).drop_duplicates(["event_id", "actor", "role"])
    labels = ea["actor"].astype(str) + " (" + ea["role"].fillna("participant").astype(str) + ")"
    by_event = labels.groupby(ea["event_id"].astype(str), sort=False).agg(list)
    lists = [list(by_event.get(e, [])) if isinstance(e, str) else [] for e in events]
    if "claimant" in df.columns:
        lists = [([f"{c} (claimant)"] if isinstance(c, str) and c else []) + [x for x in roles if not x.startswith(
            f"{c} (")] for c, roles in zip(df["claimant"], lists, strict=True)]
    return pd.Series(lists, index=df.index, dtype="object")


def enrich(df: pd.DataFrame, articles: pd.DataFrame, event_actors: pd.DataFrame) -> pd.DataFrame:
    """`df` (events or quantities rows) with what a reader of the CSV needs beside them:
    article_title, outlet, url, published (from `articles` by article_id) and actors_roles
    ("Kim Jong Un (source); Russia (target)"), appended after the table's own columns."""
    a = articles.drop_duplicates("article_id").set_index("article_id")
    out = df.copy()
    for col, source in zip(ENRICHED[:4], ("title", "source", "url", "published"), strict=True):
        out[col] = out["article_id"].map(a[source]).astype("string")
    out["actors_roles"] = pd.Series(["; ".join(r) for r in actor_roles(df, event_actors)], index=df.index,
                                    dtype="string")
    return out


# What a reader looks at first in each table on screen; the other columns follow.
LEADING = {"events": ["when", "type", "status", "actors_roles", "sentence", "location", "origin", "destination",
                      "article_title", "outlet", "published"],
           "quantities": ["text", "category", "claimant", "actors_roles", "when", "since", "sentence", "article_title",
                          "outlet", "published"]}


def readable(df: pd.DataFrame, table: str, articles: pd.DataFrame, event_actors: pd.DataFrame) -> pd.DataFrame:
    """`df` (rows of the schema table `table`) as a reader should see it on screen: events and
    quantities enriched (enrich) with their actors as lists with roles and a `when` that says
    how much of the date is known ("2023 (year only)"), their telling columns first; empty text
    cells empty rather than "None". The frame's own columns are all kept (hide them in the view)."""
    out = df.copy()
    if table in LEADING:
        out = enrich(out, articles, event_actors)
        out["actors_roles"] = actor_roles(df, event_actors)
        end = out["date_end"] if "date_end" in out.columns else None
        out["when"] = [_when_text(d, p, e) for d, p, e in zip(out["date"], out["date_precision"],
                                                              end if end is not None else [None] * len(out),
                                                              strict=True)]
        lead = [c for c in LEADING[table] if c in out.columns]
        out = out[lead + [c for c in out.columns if c not in lead]]
    for col in out.columns:
        if pd.api.types.is_string_dtype(out[col]) and col != "actors_roles":
            out[col] = out[col].astype(object).where(out[col].notna(), "")
    return out


def _when_text(date, precision, end) -> str:
    """An ISO date as precise as it is known: "2024-06-19", "2024-03 (month only)", "2023 (year
    only)", "2023-09 – 2024-02-26" for a period, "undated" without one."""
    if not isinstance(date, str) or not date:
        return "undated"
    text = date[:4] + " (year only)" if precision == Precision.YEAR else date[:7] + " (month only)" \
        if precision == Precision.MONTH else date
    if isinstance(end, str) and end and end > date:
        return f"{text.split(' (')[0]} – {end}"
    return text


def write_corrections(log: pd.DataFrame, path) -> Path:
    """Write the corrections `log` to `path` as CSV (neutralised, as every export; import
    reads it back as it was), through a temporary file; returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".csv.tmp")
    tmp.write_bytes(csv_bytes(schema.validate(review.LOG, log)))
    tmp.replace(path)
    return path


def snapshot_zip(tables: dict[str, pd.DataFrame], manifest: dict, corrections: pd.DataFrame | None = None) -> bytes:
    """A ZIP holding each table in `tables` as `<name>.csv` (neutralised, as csv_bytes; events
    and figures with their `review` column), the `corrections` log (when given) as
    corrections.csv, and `manifest` as `manifest.json`, with a `files` entry listing each CSV
    and its row count and, when events or figures are in it, a `review` entry counting their
    auto, corrected, added and reviewed rows."""
    import io
    import json
    import zipfile

    buffer = io.BytesIO()
    files = {}
    tables = {k: review.with_review(v) if k in review.ROW_TABLES else v for k, v in tables.items()}
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, df in tables.items():
            zf.writestr(f"{name}.csv", csv_bytes(df))
            files[f"{name}.csv"] = len(df)
        if corrections is not None:
            zf.writestr("corrections.csv", csv_bytes(schema.validate(review.LOG, corrections)))
            files["corrections.csv"] = len(corrections)
        every = review.counts({k: tables.get(k, schema.empty(k)) for k in review.ROW_TABLES})
        counted = {k: n for k, n in every.items() if k in tables}
        extra = {"review": counted} if counted else {}
        zf.writestr("manifest.json", json.dumps({**manifest, "files": files, **extra},
                                                indent=2, ensure_ascii=False, default=str))
    return buffer.getvalue()
