"""Tables to CSV files and bytes, safe to open in a spreadsheet."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from core import schema
from core.corpus import review

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


def write_corrections(log: pd.DataFrame, path) -> Path:
    """Write the corrections `log` to `path` as CSV (neutralised, as every export; import
    reads it back as it was), through a temporary file; returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".csv.tmp")
    tmp.write_bytes(csv_bytes(schema.validate(review.LOG, log)))
    tmp.replace(path)
    return path


def export_filename(table: str, when, filtered: bool) -> str:
    """The download name of `table` exported on `when` (a date or datetime):
    `events_2024-06-19_filtered.csv`, or `..._all.csv` for the whole corpus."""
    day = when.date() if hasattr(when, "date") and callable(when.date) else when
    return f"{table}_{day.isoformat()}_{'filtered' if filtered else 'all'}.csv"


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
