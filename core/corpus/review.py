"""Analyst corrections: values and log entries checked before they are written, and log files.

A correction is one row of the `corrections` log (core/data/tables.json). A row correction
(edit, reject, add, review) is anchored to its article's content hash and the character span
of its evidence (an event's trigger, a figure's words, the words selected for an added row),
never to a row number, so it finds its row again after a new pipeline version re-extracts
the article: the row whose span overlaps the anchor (or, for an event, the row of the same type
in the sentence holding the anchor). A correction on a name (merge, rename, split an alias
off, not an actor / not a place, a place's coordinates) applies corpus-wide.

This module checks corrections and keeps the log (entries, reverts, files); applying the log
to the tables is core.corpus.corrected's job.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import re
import zipfile
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TypeGuard

import pandas as pd

from core import schema
from core.errors import ReviewError
from core.extract.dates import find_dates
from core.vocab import (
    NAME_ACTIONS,
    ROW_ACTIONS,
    Action,
    Category,
    EventType,
    Precision,
    Qualifier,
    Review,
    Role,
    Status,
)

LOG = "corrections"
ROW_TABLES = ("events", "quantities")
NAME_TABLES = ("actors", "places")
ID_COLUMN = {"events": "event_id", "quantities": "quantity_id"}
# What an analyst may change, per table (`date_precision` goes with `date`).
FIELDS = {
    "events": ("type", "date", "date_precision", "date_end", "status", "actors", "origin", "destination", "location"),
    "quantities": ("value", "value_max", "qualifier", "unit", "category", "item", "claimant", "date",
                   "date_precision", "since"),
    "places": ("lat", "lon", "country"),
}
CLOSED = {"type": EventType, "status": Status, "qualifier": Qualifier, "category": Category,
          "date_precision": Precision}
DATE_FIELDS = ("date", "date_end", "since")
NUMBER_FIELDS = ("value", "value_max", "lat", "lon")
MAX_TEXT = 2000  # a reason or a value, not a document


# ---------------------------------------------------------------- values


def parse_date(value, field: str = "date") -> tuple[str, str]:
    """(ISO first day, precision) of `value` ("2024-08-13", "August 2024", "13 Aug 2024", "2024"),
    read by core.extract.dates.find_dates. Raises ReviewError when `value` is not one whole date."""
    text = str(value if value is not None else "").strip()
    for probe, offset in ((text, 0), (f"in {text}", 3)):  # a bare year reads as a date after "in"
        hits = find_dates(probe, None) if text else []
        if len(hits) == 1 and hits[0].date is not None and hits[0].start == offset and hits[0].end == len(probe):
            return hits[0].date.isoformat(), str(hits[0].precision)
    raise ReviewError(f"{field}: {text!r} is not a date (write e.g. 2024-08-13, August 2024 or 2024)")


def parse_number(value, field: str) -> float:
    """`value` as a finite float. Raises ReviewError naming `field` when it is not a number."""
    if isinstance(value, bool):
        raise ReviewError(f"{field}: {value!r} is not a number")
    try:
        number = float(str(value).replace(",", "").strip()) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        raise ReviewError(f"{field}: {value!r} is not a number") from None
    if not math.isfinite(number):
        raise ReviewError(f"{field}: {value!r} is not a finite number")
    return number


def _text(value, field: str, *, required: bool = False) -> str | None:
    text = None if value is None else re.sub(r"\s+", " ", str(value)).strip()
    if not text:
        if required:
            raise ReviewError(f"{field}: the name is empty")
        return None
    if len(text) > MAX_TEXT:
        raise ReviewError(f"{field}: longer than {MAX_TEXT} characters")
    return text


def parse_actors(value) -> list[list[str]]:
    """[[name, role], ...] from a list of [name, role] pairs, {"name", "role"} dicts, bare names
    (participants) or "name:role; name" text. Raises ReviewError on an empty name or unknown role."""
    items = [p for p in value.split(";") if p.strip()] if isinstance(value, str) else list(value or [])
    out: list[list[str]] = []
    for item in items:
        if isinstance(item, dict):
            name, role = item.get("name"), item.get("role") or Role.PARTICIPANT
        elif isinstance(item, str):
            name, _, role = item.rpartition(":") if ":" in item else (item, "", Role.PARTICIPANT)
        elif isinstance(item, list | tuple) and len(item) == 2:
            name, role = item
        else:
            raise ReviewError(f"actors: {item!r} is not a name and a role")
        name = _text(name, "actors", required=True)
        try:
            role = Role(str(role).strip())
        except ValueError:
            raise ReviewError(f"actors: {role!r} is not a role ({', '.join(Role)})") from None
        if [name, role] not in out:
            out.append([str(name), str(role)])
    return out


def period_start(iso: str, precision: str) -> str:
    """The first day (ISO) of the period of `precision` holding the ISO day `iso`."""
    d = date.fromisoformat(iso)
    if precision == Precision.MONTH:
        d = d.replace(day=1)
    elif precision == Precision.YEAR:
        d = d.replace(month=1, day=1)
    return d.isoformat()


def clean_fields(table: str, values: dict) -> dict:
    """`values` (field -> new value) checked and normalised for `table`: dates to ISO (a `date`
    brings its precision unless one is given), numbers to floats, closed vocabularies checked,
    names stripped. Raises ReviewError naming the field and the value at fault."""
    if not isinstance(values, dict):
        raise ReviewError(f"{table}: the new values must be field -> value, not {values!r}")
    allowed = FIELDS.get(table, ())
    out: dict = {}
    for field, value in values.items():
        if field not in allowed:
            raise ReviewError(f"{table}: {field!r} cannot be corrected (fields: {', '.join(allowed) or 'none'})")
        empty = value is None or (isinstance(value, str) and not value.strip())
        if field in DATE_FIELDS:
            if empty:
                out[field] = None
                continue
            iso, precision = parse_date(value, field)
            out[field] = iso
            if field == "date":
                out.setdefault("date_precision", precision)
        elif field in NUMBER_FIELDS:
            if empty and field == "value":
                raise ReviewError(f"{table}: value is empty")
            out[field] = None if empty else parse_number(value, field)
        elif field == "actors":
            out[field] = parse_actors(value)
        elif field in CLOSED:
            if empty:
                out[field] = None
                continue
            try:
                out[field] = str(CLOSED[field](str(value).strip()))
            except ValueError:
                raise ReviewError(f"{field}: {value!r} is not one of {', '.join(CLOSED[field])}") from None
        elif field == "unit" and empty:
            raise ReviewError(f"{table}: unit is empty")
        else:
            out[field] = _text(value, field)
    if "date_precision" in values and out.get("date") is None and "date" in out:
        out["date_precision"] = None
    if out.get("date") and out.get("date_precision"):
        out["date"] = period_start(out["date"], out["date_precision"])
    if out.get("value") is not None and out.get("value_max") is not None and out["value_max"] < out["value"]:
        raise ReviewError(f"value_max: {out['value_max']:g} is below value {out['value']:g}")
    for field, low, high in (("lat", -90, 90), ("lon", -180, 180)):
        if out.get(field) is not None and not low <= out[field] <= high:
            raise ReviewError(f"{field}: {out[field]:g} is outside {low}..{high}")
    return out


# ---------------------------------------------------------------- log entries


def entry_id(entry: dict) -> str:
    """The stable id of a log entry: a hash of everything in it but the id."""
    keys = [c for c in schema.columns(LOG) if c != "correction_id"]
    payload = json.dumps([None if pd.isna(entry.get(k)) else entry.get(k) for k in keys], default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


def log_frame(rows: Iterable[dict]) -> pd.DataFrame:
    """Log entries (dicts) as a schema-checked `corrections` table."""
    rows = list(rows)
    if not rows:
        return schema.empty(LOG)
    return schema.validate(LOG, pd.DataFrame(rows, columns=schema.columns(LOG)))


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def loads(text) -> dict:
    """The JSON object in a log cell (`before`/`after`); {} when empty."""
    if text is None or (not isinstance(text, str) and pd.isna(text)) or not str(text).strip():
        return {}
    value = json.loads(text)
    if not isinstance(value, dict):
        raise ValueError(f"not a JSON object: {text!r}")
    return value


def _none(v):
    return None if v is None or (not isinstance(v, list | dict) and pd.isna(v)) else v


def _row_values(table: str, row: dict, event_actors: pd.DataFrame) -> dict:
    """The editable fields of `row` (an event's actors with their roles from `event_actors`)."""
    out = {f: _none(row.get(f)) for f in FIELDS[table] if f != "actors"}
    for f in NUMBER_FIELDS:
        if out.get(f) is not None:
            out[f] = float(out[f])
    if table == "events":
        mine = event_actors[event_actors["event_id"] == row["event_id"]]
        out["actors"] = [[str(a), str(r)] for a, r in zip(mine["actor"], mine["role"], strict=True)]
    return out


def _article_of(tables: dict, entry: dict) -> tuple[str, str]:
    """(article_id, text) of the article an entry names by `article_hash` or `article_id`."""
    arts = tables["articles"]
    if entry.get("article_hash"):
        hit = arts[arts["content_hash"] == str(entry["article_hash"])]
    elif entry.get("article_id"):
        hit = arts[arts["article_id"] == str(entry["article_id"])]
    else:
        raise ReviewError("the correction names no article (article_hash or article_id)")
    if hit.empty:
        raise ReviewError(f"no stored article {entry.get('article_hash') or entry.get('article_id')}")
    return str(hit["article_id"].iloc[0]), str(hit["text"].iloc[0])


def _span(entry: dict, text: str) -> tuple[int, int]:
    try:
        start, end = int(entry["start_char"]), int(entry["end_char"])
    except (KeyError, TypeError, ValueError):
        raise ReviewError("start_char and end_char must be whole numbers (the selected words' offsets)") from None
    if not 0 <= start < end <= len(text):
        raise ReviewError(f"span {start}..{end} is not inside the article text (0..{len(text)})")
    if not text[start:end].strip():
        raise ReviewError(f"span {start}..{end} selects no words")
    return start, end


def _locate(table: str, tables: dict, entry: dict) -> dict:
    """The current row an entry points at: by `row_id` (or `event_id` / `quantity_id`), else by
    its article and span. Raises ReviewError when there is none."""
    df = tables[table]
    rid = entry.get("row_id") or entry.get(ID_COLUMN[table])
    if rid:
        hit = df[df[ID_COLUMN[table]] == str(rid)]
        if hit.empty:
            raise ReviewError(f"{table}: no row {rid!r}")
        return hit.iloc[0].to_dict()
    aid, _ = _article_of(tables, entry)
    start, end = int(entry.get("start_char", -1)), int(entry.get("end_char", -1))
    rows = df[df["article_id"] == aid].to_dict("records")
    i = find_row(rows, start, end, {})
    if i is None:
        raise ReviewError(f"{table}: no row at {start}..{end} in article {aid}")
    return rows[i]


def new_entries(raw: Iterable[dict], tables: dict[str, pd.DataFrame], *, user: str, at: str) -> pd.DataFrame:
    """Log entries for the corrections `raw` asks for, checked against the current (corrected)
    `tables`; each dict has `table`, `action`, and:

    - edit, reject, review of an event or figure: `row_id` (its event_id / quantity_id), or
      `article_hash` (or `article_id`) with `start_char`, `end_char` inside its span; edit:
      `after` {field: value} (FIELDS); reject: optional `target` (the row it duplicates);
    - add: `article_hash` (or `article_id`), `start_char`, `end_char` of the selected words and
      `after` (an event needs `type`, a figure `value` and `unit`);
    - actors / places: `target` (the name) and for merge/rename `after` {"name"}, for split
      {"alias", "name"}, for a place's edit {"lat", "lon", "country"}; not_actor needs nothing;
    - `reason` (free text), optional.

    Raises ReviewError on the first bad one (nothing is written by anyone for a batch with one).
    """
    out = []
    for n, item in enumerate(raw, 1):
        try:
            out.append(_entry(dict(item), tables, user=user, at=at))
        except ReviewError as exc:
            raise ReviewError(f"correction {n}: {exc}") from None
        except (TypeError, ValueError) as exc:
            raise ReviewError(f"correction {n}: {exc}") from None
    return log_frame(out)


def _entry(item: dict, tables: dict, *, user: str, at: str) -> dict:
    table = str(item.get("table") or "")
    if table not in ROW_TABLES + NAME_TABLES:
        raise ReviewError(f"table {table!r} cannot be corrected (tables: {', '.join(ROW_TABLES + NAME_TABLES)})")
    try:
        action = Action(str(item.get("action") or ""))
    except ValueError:
        raise ReviewError(f"action {item.get('action')!r} is not one of {', '.join(Action)}") from None
    entry: dict = {"user": user, "at": at, "table": table, "action": str(action),
                   "reason": _text(item.get("reason"), "reason"), "before": "{}", "after": "{}"}
    after = item.get("after") or {}
    if table in ROW_TABLES:
        if action not in ROW_ACTIONS:
            raise ReviewError(f"{table}: {action} applies to actors and places, not to rows")
        if action == Action.ADD:
            aid, text = _article_of(tables, item)
            start, end = _span(item, text)
            values = clean_fields(table, after)
            needed = ["type"] if table == "events" else ["value", "unit"]
            if missing := [f for f in needed if values.get(f) is None]:
                raise ReviewError(f"{table}: a row added by hand needs {', '.join(missing)}")
            entry |= {"start_char": start, "end_char": end, "after": _json(values)}
        else:
            row = _locate(table, tables, item)
            aid = str(row["article_id"])
            entry |= {"start_char": int(row["start_char"]), "end_char": int(row["end_char"]),
                      "before": _json(_row_values(table, row, tables["event_actors"]))}
            if action == Action.EDIT:
                values = clean_fields(table, after)
                if not values:
                    raise ReviewError(f"{table}: an edit needs at least one new value")
                entry["after"] = _json(values)
            elif action == Action.REJECT and item.get("target"):
                entry["target"] = _text(item["target"], "target")
        arts = tables["articles"]
        entry["article_hash"] = str(arts.loc[arts["article_id"] == aid, "content_hash"].iloc[0])
        return entry | {"correction_id": entry_id(entry)}
    if action not in NAME_ACTIONS or (action == Action.EDIT and table != "places"):
        raise ReviewError(f"{table}: {action} is not an action on a name")
    target = _text(item.get("target"), "target", required=True)
    names = set(tables[table]["name"].dropna())
    if target not in names:
        raise ReviewError(f"{table}: no {table[:-1]} named {target!r}")
    if action in (Action.MERGE, Action.RENAME):
        values = {"name": _text(after.get("name"), "name", required=True)}
        if values["name"] == target:
            raise ReviewError(f"{table}: {target!r} cannot be merged into itself")
    elif action == Action.SPLIT:
        values = {"alias": _text(after.get("alias"), "alias", required=True),
                  "name": _text(after.get("name"), "name", required=True)}
    elif action == Action.EDIT:
        values = clean_fields(table, after)
        if not values:
            raise ReviewError(f"{table}: an edit needs at least one new value")
    else:
        values = {}
    entry |= {"target": target, "after": _json(values)}
    return entry | {"correction_id": entry_id(entry)}


def revert_entry(log: pd.DataFrame, correction_id: str, *, user: str, at: str, reason: str = "") -> pd.DataFrame:
    """The log entry that reverts `correction_id` (a revert of a revert restores the entry).
    Raises ReviewError when the log has no such entry."""
    hit = log[log["correction_id"] == str(correction_id)]
    if hit.empty:
        raise ReviewError(f"no correction {correction_id!r} in the log")
    first = hit.iloc[0]
    entry = {"user": user, "at": at, "table": first["table"], "action": str(Action.REVERT),
             "article_hash": first["article_hash"], "start_char": first["start_char"], "end_char": first["end_char"],
             "target": str(correction_id), "before": "{}", "after": "{}", "reason": _text(reason, "reason")}
    return log_frame([entry | {"correction_id": entry_id(entry)}])


def merge_logs(log: pd.DataFrame, new: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """`log` with the entries of `new` it does not hold yet (same correction_id = same entry)
    appended, and how many were appended."""
    fresh = new[~new["correction_id"].isin(set(log["correction_id"]))].drop_duplicates("correction_id")
    if fresh.empty:
        return log, 0
    return log_frame([*log.to_dict("records"), *fresh.to_dict("records")]), len(fresh)


def active(log: pd.DataFrame) -> pd.DataFrame:
    """The entries in force, in the order they apply (by time, then log order): reverted
    entries and the reverts themselves left out (reverting a revert brings its entry back)."""
    off: set[str] = set()
    # latest first: a revert counts unless a later revert undid it
    rows = zip(log["correction_id"], log["action"], log["target"], strict=True)
    for cid, action, target in reversed(list(rows)):
        if cid not in off and action == Action.REVERT:
            off.add(str(target))
    keep = log[(log["action"] != Action.REVERT) & ~log["correction_id"].isin(off)]
    return keep.sort_values("at", kind="stable")


# ---------------------------------------------------------------- reading and writing log files


def to_jsonl(log: pd.DataFrame) -> bytes:
    """The log as JSON lines (one entry per line, UTF-8)."""
    rows = log_frame(log.to_dict("records")).astype(object)
    rows = rows.where(rows.notna(), None)
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows.to_dict("records")).encode("utf-8")


def from_jsonl(data: bytes, source: str) -> pd.DataFrame:
    """The log in JSON-lines `data`. Raises ReviewError naming `source` and the line at fault."""
    rows = []
    for n, line in enumerate(data.decode("utf-8", errors="strict").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as exc:
            raise ReviewError(f"{source}, line {n}: not JSON ({exc})") from None
        if not isinstance(row, dict):
            raise ReviewError(f"{source}, line {n}: not a correction")
        rows.append(row)
    return checked_log(rows, source)


def _unneutralised(value):
    """A CSV cell as written before core.corpus.export.neutralise guarded it."""
    if isinstance(value, str) and len(value) > 1 and value[0] == "'" and value[1] in "=+-@\t\r":
        return value[1:]
    return value


def read_log_file(path) -> pd.DataFrame:
    """The corrections in `path`: corrections.csv (as exported), JSON lines (.jsonl), or a
    snapshot ZIP holding corrections.csv. Raises ReviewError naming the file and the problem."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReviewError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    try:
        if path.suffix.lower() == ".zip":
            try:
                with zipfile.ZipFile(io.BytesIO(data)) as zf:
                    data = zf.read("corrections.csv")
            except KeyError:
                raise ReviewError(f"{path}: the ZIP holds no corrections.csv") from None
            except zipfile.BadZipFile:
                raise ReviewError(f"{path}: not a ZIP file") from None
            return _from_csv(data, f"{path}:corrections.csv")
        if path.suffix.lower() in (".jsonl", ".json"):
            return from_jsonl(data, str(path))
        return _from_csv(data, str(path))
    except UnicodeDecodeError:
        raise ReviewError(f"{path}: not UTF-8 text") from None


def _from_csv(data: bytes, source: str) -> pd.DataFrame:
    reader = csv.DictReader(io.StringIO(data.decode("utf-8")))
    try:
        rows = [{k: _unneutralised(v) if v != "" else None for k, v in row.items()} for row in reader]
    except csv.Error as exc:
        raise ReviewError(f"{source}: not a CSV file ({exc})") from None
    if reader.fieldnames is None or set(schema.columns(LOG)) - set(reader.fieldnames):
        missing = sorted(set(schema.columns(LOG)) - set(reader.fieldnames or []))
        raise ReviewError(f"{source}: not a corrections file (missing columns: {', '.join(missing)})")
    return checked_log(rows, source)


def checked_log(rows: list[dict], source: str) -> pd.DataFrame:
    """`rows` as a corrections table, each checked: known table and action, JSON before/after,
    whole-number spans, an id. Raises ReviewError naming `source` and the entry at fault."""
    out = []
    for n, row in enumerate(rows, 1):
        where = f"{source}, entry {n}"
        if set(schema.columns(LOG)) - set(row):
            missing = sorted(set(schema.columns(LOG)) - set(row))
            raise ReviewError(f"{where}: not a correction (missing {', '.join(missing)})")
        if row.get("table") not in ROW_TABLES + NAME_TABLES:
            raise ReviewError(f"{where}: unknown table {row.get('table')!r}")
        if row.get("action") not in set(Action):
            raise ReviewError(f"{where}: unknown action {row.get('action')!r}")
        if not re.fullmatch(r"[0-9a-f]{16}", str(row.get("correction_id") or "")):
            raise ReviewError(f"{where}: bad correction_id {row.get('correction_id')!r}")
        try:
            loads(row.get("before"))
            loads(row.get("after"))
        except ValueError as exc:
            raise ReviewError(f"{where}: before/after are not JSON objects ({exc})") from None
        clean = dict(row)
        for col in ("start_char", "end_char"):
            value = row.get(col)
            if value is None or (isinstance(value, float) and math.isnan(value)) or value == "":
                clean[col] = None
                continue
            try:
                clean[col] = int(value)
            except (TypeError, ValueError):
                raise ReviewError(f"{where}: {col} {value!r} is not a whole number") from None
        if row["action"] in ROW_ACTIONS and row["table"] in ROW_TABLES and (
                not row.get("article_hash") or clean["start_char"] is None or clean["end_char"] is None):
            raise ReviewError(f"{where}: a row correction needs article_hash, start_char and end_char")
        out.append({c: clean.get(c) for c in schema.columns(LOG)})
    try:
        return log_frame(out)
    except ValueError as exc:
        raise ReviewError(f"{source}: {exc}") from None


# ---------------------------------------------------------------- anchors


def find_row(rows: list[dict], start: int, end: int, before: dict) -> int | None:
    """The index in `rows` (one article's rows of one table) of the row an anchor `start..end`
    points at: the one whose span overlaps it most (nearest start on a tie), else, when
    `before` names the row's type, the event of that type whose sentence holds the anchor."""
    best, best_key = None, None
    for i, row in enumerate(rows):
        s, e = row.get("start_char"), row.get("end_char")
        if s is None or e is None or pd.isna(s) or pd.isna(e):
            continue
        overlap = min(end, int(e)) - max(start, int(s))
        if overlap > 0:
            key = (overlap, -abs(int(s) - start))
            if best_key is None or key > best_key:
                best, best_key = i, key
    if best is not None or not before.get("type"):
        return best
    for i, row in enumerate(rows):
        s, e = row.get("sentence_start"), row.get("sentence_end")
        if row.get("type") == before["type"] and known(s) and known(e) and int(s) <= start < int(e):
            return i
    return None


def known(value) -> TypeGuard[int]:
    """True when a row's offset `value` is set (not None or NA)."""
    return value is not None and not pd.isna(value)


def with_review(df: pd.DataFrame) -> pd.DataFrame:
    """`df` (events or figures) with its `review` column, empty values read as auto (rows made
    before the column existed, or by the extraction, which never reviews)."""
    review = df["review"] if "review" in df.columns else pd.Series(pd.NA, index=df.index, dtype="string")
    return df.assign(review=review.astype("string").fillna(str(Review.AUTO)))


IN_FORCE, REVERTED, ORPHANED, REVERT = "in force", "reverted", "orphaned", "revert"


def described(log: pd.DataFrame, orphans: pd.DataFrame) -> pd.DataFrame:
    """`log` with `state` (in force, reverted, orphaned, or revert for the entries that undo
    another) and `anchor` (the article and span of a row correction, or the name acted on)."""
    in_force = set(active(log)["correction_id"])
    lost = set(orphans["correction_id"])
    state = [REVERT if a == Action.REVERT else ORPHANED if c in lost else IN_FORCE if c in in_force else REVERTED
             for c, a in zip(log["correction_id"], log["action"], strict=True)]
    anchor = [f"{str(h)[:16]}:{s}-{e}" if isinstance(h, str) and h and t not in NAME_TABLES else str(g or "")
              for h, s, e, t, g in zip(log["article_hash"], log["start_char"], log["end_char"], log["table"],
                                       log["target"].astype(object).where(log["target"].notna(), None),
                                       strict=True)]
    return log.assign(state=pd.Series(state, index=log.index, dtype="string"),
                      anchor=pd.Series(anchor, index=log.index, dtype="string"))


def counts(tables: dict[str, pd.DataFrame]) -> dict[str, dict[str, int]]:
    """Per table (events, quantities): rows per review value (auto, corrected, added, reviewed)."""
    out = {}
    for name in ROW_TABLES:
        values = with_review(tables[name])["review"].value_counts()
        out[name] = {str(r): int(values.get(str(r), 0)) for r in Review}
    return out
