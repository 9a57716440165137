"""The corrected tables: the automatic rows with the analysts' corrections log applied.

`apply_rows` is a pure function from the automatic per-article tables and the log
(core.corpus.review) to the corrected per-article tables (every event and figure with its
`review` value) and the orphans: corrections that found no row. Row corrections find their
row by their anchor (core.corpus.review.find_row); an orphaned edit or add is applied as a
hand-added row; nothing is ever dropped. `apply` does the same on all eight tables (the
corpus tables derived again from the corrected rows, so actors, places, links and stories
agree with them).
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable

import pandas as pd

from core import schema
from core.corpus.review import (
    NAME_TABLES,
    ROW_TABLES,
    active,
    find_row,
    known,
    loads,
    log_frame,
    period_start,
    with_review,
)
from core.extract.events import lexicon as event_lexicon
from core.vocab import Action, Category, EventType, MentionKind, Qualifier, Review, Status

# The review value a row keeps when several corrections touch it: the strongest wins.
RANK = {Review.AUTO: 0, Review.REVIEWED: 1, Review.CORRECTED: 2, Review.ADDED: 3}
SENTENCE_END = re.compile(r"[.!?](?=\s)|\n")


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """(start, end) of the sentence holding `text[start:end]`: from just after the previous
    sentence end (". ", "! ", "? " or a line break) to the next one."""
    s = 0
    for m in SENTENCE_END.finditer(text, 0, start):
        s = m.end()
    stop = SENTENCE_END.search(text, max(end - 1, s))
    e = stop.end() if stop and stop.group() != "\n" else (stop.start() if stop else len(text))
    while s < start and text[s].isspace():
        s += 1
    return s, max(e, end)


def _sentence(text: str, start: int, end: int, rows: list[dict], mentions: pd.DataFrame) -> dict:
    """The sentence fields of a hand-added row: those of an extracted row whose sentence holds
    the selection, else the sentence around it (its id from a mention in it, if any)."""
    for row in rows:
        s, e = row.get("sentence_start"), row.get("sentence_end")
        if known(s) and known(e) and int(s) <= start and end <= int(e):
            return {k: row.get(k) for k in ("sentence_id", "sentence_start", "sentence_end", "sentence")}
    s, e = sentence_around(text, start, end)
    inside = mentions[(mentions["start_char"] >= s) & (mentions["start_char"] < e)]["sentence_id"].dropna()
    return {"sentence_id": int(inside.iloc[0]) if len(inside) else None, "sentence_start": s, "sentence_end": e,
            "sentence": text[s:e]}


def _added_row(table: str, entry: dict, values: dict, aid: str, text: str, rows: list[dict],
               mentions: pd.DataFrame) -> dict:
    start, end = int(entry["start_char"]), int(entry["end_char"])
    sentence = _sentence(text, start, end, rows, mentions)
    cid = str(entry["correction_id"])[:8]
    base = {c: None for c in schema.columns(table)} | sentence | {
        "article_id": aid, "start_char": start, "end_char": end, "review": str(Review.ADDED)}
    fields = {k: v for k, v in values.items() if k != "actors"}
    if table == "events":
        type_ = fields.get("type") or EventType.OTHER
        return base | {"status": str(Status.REPORTED)} | fields | {
            "event_id": f"{aid}-h{cid}", "type": type_, "cameo": event_lexicon()["cameo"].get(type_, "00"),
            "trigger": text[start:end], "actors": ";".join(dict.fromkeys(a for a, _ in values.get("actors", []))),
            "evidence": json.dumps([[sentence["sentence_start"], sentence["sentence_end"]]])}
    return base | {"qualifier": str(Qualifier.EXACT), "category": str(Category.OTHER)} | fields | {
        "quantity_id": f"{aid}-h{cid}", "text": text[start:end]}


def _promote(row: dict, review: Review) -> None:
    if RANK[review] > RANK.get(Review(row.get("review") or Review.AUTO), 0):
        row["review"] = str(review)


def _edit(row: dict, values: dict) -> None:
    for k, v in values.items():
        if k != "actors":
            row[k] = v
    if row.get("date") and row.get("date_precision") and "date_precision" in values:
        row["date"] = period_start(str(row["date"]), str(row["date_precision"]))  # a coarser precision alone
    if "type" in values:
        row["cameo"] = event_lexicon()["cameo"].get(values["type"], "00")
    if "actors" in values:
        row["actors"] = ";".join(dict.fromkeys(a for a, _ in values["actors"])) or None
    _promote(row, Review.CORRECTED)


def apply_rows(tables: dict[str, pd.DataFrame], log: pd.DataFrame) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """The per-article `tables` (articles, mentions, events, event_actors, quantities; other
    tables pass through) with the corrections of `log` in force applied, and the orphans.

    Events and figures get their `review` value (auto unless a correction touched them). Row
    corrections apply first, in log order, then the corrections on names. Orphans are the log
    entries that found no row or name, with a `problem` column saying why; an orphaned edit is
    applied as a hand-added row, made of the row's values before the edit and the new ones.
    """
    out = dict(tables)
    for name in ROW_TABLES:
        out[name] = with_review(tables[name])
    todo = active(log)
    if todo.empty:
        return out, _orphans([], [])
    orphans: list[dict] = []
    problems: list[str] = []
    row_entries = todo[todo["table"].isin(ROW_TABLES)]
    if not row_entries.empty:
        out = _apply_row_entries(out, row_entries, orphans, problems)
    for entry in todo[todo["table"].isin(NAME_TABLES)].to_dict("records"):
        problem = _apply_name_entry(out, entry)
        if problem:
            orphans.append(entry)
            problems.append(problem)
    return out, _orphans(orphans, problems)


def _orphans(entries: list[dict], problems: list[str]) -> pd.DataFrame:
    return log_frame(entries).assign(problem=pd.Series(problems, dtype="string"))


def _apply_row_entries(out: dict, entries: pd.DataFrame, orphans: list, problems: list) -> dict:
    arts = out["articles"]
    aid_of = dict(zip(arts["content_hash"], arts["article_id"], strict=True))
    text_of = dict(zip(arts["article_id"], arts["text"], strict=True))
    touched = {aid_of[h] for h in entries["article_hash"] if h in aid_of}
    # Only the touched articles' rows are taken out as dicts; the rest stays vectorised.
    work: dict[str, dict[str, list[dict]]] = {}
    pos: dict[str, dict[str, float]] = {}
    for table in ROW_TABLES:
        df = out[table]
        mine = df["article_id"].isin(touched).to_numpy()
        rows = df[mine].assign(_pos=df.index[mine].astype(float)).to_dict("records")
        work[table] = {aid: [] for aid in touched}
        for r in rows:
            work[table][r["article_id"]].append(r)
        pos[table] = {aid: (max(r["_pos"] for r in rs) if rs else len(df) + 0.0) for aid, rs in work[table].items()}
    ea = out["event_actors"]
    event_ids = {r["event_id"] for rs in work["events"].values() for r in rs}
    actors_of: dict[str, list[list[str]]] = {}
    for eid, actor, role in ea[ea["event_id"].isin(event_ids)][["event_id", "actor", "role"]].itertuples(
            index=False, name=None):
        actors_of.setdefault(eid, []).append([actor, role])
    rejected_events: set[str] = set()
    n_added = 0
    for entry in entries.to_dict("records"):
        table, action = entry["table"], entry["action"]
        aid = aid_of.get(entry["article_hash"])
        if aid is None:
            orphans.append(entry)
            problems.append("the article is no longer in the store")
            continue
        rows = work[table][aid]
        after, before = loads(entry["after"]), loads(entry["before"])
        if action == Action.ADD:
            n_added += 1
            row = _added_row(table, entry, after, aid, text_of[aid], rows, out["mentions"])
            rows.append(row | {"_pos": pos[table][aid] + n_added * 1e-6})
            if table == "events":
                actors_of[row["event_id"]] = after.get("actors", [])
            continue
        i = find_row(rows, int(entry["start_char"]), int(entry["end_char"]), before if table == "events" else {})
        if i is None:
            orphans.append(entry)
            if action == Action.EDIT:
                problems.append("its row is gone: applied as a row added by hand")
                n_added += 1
                row = _added_row(table, entry, {**before, **after}, aid, text_of[aid], rows, out["mentions"])
                rows.append(row | {"_pos": pos[table][aid] + n_added * 1e-6})
                if table == "events":
                    actors_of[row["event_id"]] = {**before, **after}.get("actors", [])
            else:
                problems.append("its row is gone")
            continue
        row = rows[i]
        if action == Action.REJECT:
            rows.pop(i)
            if table == "events":
                rejected_events.add(row["event_id"])
        elif action == Action.REVIEW:
            _promote(row, Review.REVIEWED)
        else:
            _edit(row, after)
            if table == "events" and "actors" in after:
                actors_of[row["event_id"]] = after["actors"]
    for table in ROW_TABLES:
        df = out[table]
        keep = df[~df["article_id"].isin(touched)]
        rows = [r for rs in work[table].values() for r in rs]
        if table == "quantities":
            for r in rows:
                if r.get("event_id") in rejected_events:
                    r["event_id"] = None
        merged = pd.concat([keep.assign(_pos=keep.index.astype(float)),
                            pd.DataFrame(rows, columns=[*schema.columns(table), "_pos"])], ignore_index=True)
        out[table] = schema.validate(table, merged.sort_values("_pos", kind="stable").drop(columns="_pos"))
    events_now = out["events"]
    kept_events = set(events_now.loc[events_now["article_id"].isin(touched), "event_id"])
    new_ea = [{"event_id": eid, "actor": a, "role": r} for eid in events_now.loc[
        events_now["article_id"].isin(touched), "event_id"] for a, r in actors_of.get(eid, [])]
    untouched = ea[~ea["event_id"].isin(event_ids | kept_events)]
    merged = pd.concat([untouched, pd.DataFrame(new_ea, columns=schema.columns("event_actors"))], ignore_index=True)
    # in the order of their events, as the extraction writes them
    order = merged["event_id"].map(pd.Series(range(len(events_now)), index=events_now["event_id"])).to_numpy()
    out["event_actors"] = schema.validate("event_actors", merged.iloc[order.argsort(kind="stable")])
    return out


def _actors_column(events: pd.DataFrame, ea: pd.DataFrame, ids) -> pd.Series:
    """events.actors rebuilt from `ea` for the events `ids` (others unchanged)."""
    joined = ea[ea["event_id"].isin(ids)].groupby("event_id", sort=False)["actor"].agg(
        lambda s: ";".join(dict.fromkeys(s)))
    new = events["event_id"].map(joined)
    return events["actors"].where(~events["event_id"].isin(ids), new).astype("string")


def _mark(df: pd.DataFrame, mask) -> pd.DataFrame:
    """`df` with the rows of `mask` marked corrected (added rows stay added)."""
    mask = pd.Series(mask, index=df.index).fillna(False).astype(bool) & df["review"].isin(
        [Review.AUTO, Review.REVIEWED])
    return df.assign(review=df["review"].mask(mask, str(Review.CORRECTED)))


def _apply_name_entry(out: dict, entry: dict) -> str | None:
    """Apply one correction on a name in place (on `out`'s tables); the problem when it found
    nothing to change (the name is no longer in the corpus), else None."""
    table, action, target = entry["table"], entry["action"], str(entry["target"])
    after = loads(entry["after"])
    kind = MentionKind.ACTOR if table == "actors" else MentionKind.PLACE
    m = out["mentions"]
    ev, ea, qs = out["events"], out["event_actors"], out["quantities"]
    named = (m["kind"] == kind) & (m["name"] == target)
    if table == "actors":
        in_events = ea["actor"] == target
        claims = qs["claimant"] == target
    else:
        in_events = pd.Series(False, index=ea.index)
        claims = pd.Series(False, index=qs.index)
    ends = ("origin", "destination", "location")
    place_hits = (ev[list(ends)] == target).fillna(False) & (table == "places")
    if not (named.any() or in_events.any() or claims.fillna(False).any() or place_hits.to_numpy().any()):
        return f"no {table[:-1]} named {target!r} any more"
    if action == Action.SPLIT:
        named = named & (m["surface"] == after["alias"])
        sentences = set(zip(m.loc[named, "article_id"], m.loc[named, "sentence_id"], strict=True))
        others = set(zip(m.loc[(m["kind"] == kind) & (m["name"] == target) & ~named, "article_id"],
                         m.loc[(m["kind"] == kind) & (m["name"] == target) & ~named, "sentence_id"], strict=True))
        only_alias = sentences - others
        ev_key = pd.Series(list(zip(ev["article_id"], ev["sentence_id"], strict=True)), index=ev.index)
        ev_in = ev_key.isin(only_alias)
        q_in = pd.Series(list(zip(qs["article_id"], qs["sentence_id"], strict=True)), index=qs.index).isin(only_alias)
        if table == "actors":
            in_events = in_events & ea["event_id"].isin(set(ev.loc[ev_in, "event_id"]))
            claims = claims & q_in
        else:
            place_hits = place_hits & ev_in.to_numpy()[:, None]
        if not named.any():
            return f"no mention of {target!r} written {after['alias']!r} any more"
    if action == Action.EDIT:  # a place's coordinates or country
        out["mentions"] = m.assign(**{k: m[k].mask(named, v) for k, v in after.items()})
        return None
    new = after.get("name") if action != Action.NOT_ACTOR else None
    if new is None:
        out["mentions"] = m[~named].reset_index(drop=True)
    else:
        # Into a name the corpus already has: the mentions take on its type, codes and
        # coordinates, so the merged row is the one that stays (not whichever came first).
        kept = m[(m["kind"] == kind) & (m["name"] == new) & ~named]
        attrs = ("type", "country", "code") if table == "actors" else ("country", "lat", "lon")
        same = {c: m[c].mask(named, kept[c].iloc[0]) for c in attrs} if not kept.empty else {}
        out["mentions"] = m.assign(name=m["name"].mask(named, new), **same)
    if table == "actors":
        changed = set(ea.loc[in_events, "event_id"])
        ea = ea[~in_events] if new is None else ea.assign(actor=ea["actor"].mask(in_events, new)).drop_duplicates()
        out["event_actors"] = ea.reset_index(drop=True)
        ev = ev.assign(actors=_actors_column(ev, ea, changed))
        out["events"] = _mark(ev, ev["event_id"].isin(changed))
        claims = claims.fillna(False)
        out["quantities"] = _mark(qs.assign(claimant=qs["claimant"].mask(claims, new)), claims)
    else:
        cols = {c: ev[c].mask(place_hits[c], new) for c in ends}
        out["events"] = _mark(ev.assign(**cols), place_hits.any(axis=1))
    return None


def named_actors(log: pd.DataFrame) -> set[str]:
    """The actor names the corrections in force give by hand (events' actors, claimants, the
    new name of a merge, rename or split)."""
    names: set[str] = set()
    for table, after in zip(*(active(log)[c] for c in ("table", "after")), strict=True):
        values = loads(after)
        names.update(str(a) for a, _ in values.get("actors") or [])
        if values.get("claimant"):
            names.add(str(values["claimant"]))
        if table == "actors" and values.get("name"):
            names.add(str(values["name"]))
    return names


def with_named_actors(tables: dict[str, pd.DataFrame], names: set[str]) -> dict[str, pd.DataFrame]:
    """`tables` whose actors table also lists the actors of `names` (see named_actors) that no
    article mentions: type and codes unknown, no mentions, counted in the articles of their
    events and figures, so an actor an analyst named is one the filters and network offer."""
    ev, ea, qs, arts = tables["events"], tables["event_actors"], tables["quantities"], tables["articles"]
    known = set(tables["actors"]["name"].dropna())
    if not names - known:
        return tables
    used = pd.concat([
        ea.merge(ev[["event_id", "article_id"]], on="event_id")[["actor", "article_id"]],
        qs[["claimant", "article_id"]].rename(columns={"claimant": "actor"}),
    ]).dropna(subset=["actor"])
    new = used[used["actor"].isin(names - known)]
    if new.empty:
        return tables
    new = new.merge(arts[["article_id", "published"]], on="article_id", how="left")
    rows = new.groupby("actor", sort=True).agg(n_articles=("article_id", "nunique"), first_seen=("published", "min"),
                                               last_seen=("published", "max")).reset_index()
    rows = rows.rename(columns={"actor": "name"}).assign(aliases=rows["actor"], n_mentions=0)
    actors = pd.concat([tables["actors"], rows.reindex(columns=schema.columns("actors"))], ignore_index=True)
    return {**tables, "actors": schema.validate("actors", actors.sort_values("name", kind="stable"))}


def apply(tables: dict[str, pd.DataFrame], log: pd.DataFrame,
          aggregate: Callable) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """All eight tables with the corrections of `log` applied, and the orphans (see
    apply_rows): the per-article tables corrected, then the corpus tables (actors, places,
    links, story ids) derived again from them by `aggregate` (core.corpus.build.aggregate; passed in, so
    reading a store never imports the extraction pipeline)."""
    per_article = {k: tables[k] for k in ("articles", "mentions", "events", "event_actors", "quantities")}
    rows, orphans = apply_rows(per_article, log)
    return with_named_actors(aggregate(rows), named_actors(log)), orphans


