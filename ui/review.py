"""The review controls of the evidence panel: edit, reject or confirm the row shown, add a
missed figure or event by its words, undo this session's last change.

Every write goes through the store's corrections log (core.corpus.review via Store.correct /
Store.revert): a correction is anchored to the article's content hash and the row's evidence
span, so it survives re-extraction. The controls are drawn only when ui.permissions allows
writes. A refused correction (a date that does not parse, a value that is not a number, an
empty actor) is shown as a message and nothing is written.

Adding by words: Streamlit cannot read a text selection in the browser, so the analyst types
(or pastes) the exact words; they are looked for in the row's sentence first, then in the
whole article, and when they occur more than once the occurrence is chosen from a list with
its context. The offsets are those of the found words.
"""
from __future__ import annotations

import json
from collections.abc import Callable

import pandas as pd
import streamlit as st

from core.errors import NewsdashError
from core.query import views
from core.vocab import Category, EventType, Precision, Role, Status
from ui import data, evidence, permissions

DONE_KEY = "review_done"  # this session's correction ids, newest last (for "Undo")
NOTICE_KEY = "review_notice"
QUALIFIERS = tuple(views.QUALIFIER_WORDS)
REJECT_REASONS = {"events": ("not an event", "duplicate of another row", "wrong article"),
                  "quantities": ("not a figure", "duplicate of another row", "wrong article")}
ROLES = tuple(Role)


def _text(v) -> str:
    return "" if v is None or (not isinstance(v, (list, tuple)) and pd.isna(v)) else str(v)


def _choice(options, current) -> int | None:
    """The index of `current` among `options` (None when it is not one of them)."""
    options = [str(o) for o in options]
    return options.index(str(current)) if _text(current) in options else None


def user() -> str | None:
    """The signed-in user's email when the app has sign-in, else None (the store then uses
    NEWSDASH_USER or the OS user)."""
    info = permissions._user()
    return info.get("email") if info.get("is_logged_in") else None


def actor_roles(tables: dict[str, pd.DataFrame], event_id: str) -> pd.DataFrame:
    """The actors of an event with their roles (columns actor, role), as stored."""
    ea = tables["event_actors"]
    return ea[ea["event_id"] == event_id][["actor", "role"]].drop_duplicates().reset_index(drop=True)


def changed(before: dict, after: dict) -> dict:
    """The fields of `after` whose value differs from `before` (blank and missing are equal)."""
    def norm(v):
        if isinstance(v, list):
            return v
        t = _text(v).strip()
        return t
    return {k: v for k, v in after.items() if norm(v) != norm(before.get(k))}


# ------------------------------------------------------------------ writing


def write(entries: list[dict]) -> list[str] | None:
    """Append `entries` to the corrections log; returns their ids, or None when the store
    refused them (the reason is shown, nothing is written)."""
    try:
        ids = data.corpus_store().correct(entries, user=user())
    except NewsdashError as exc:  # ReviewError, StoreBusy: a clear message, nothing written
        st.error(str(exc))
        return None
    st.session_state.setdefault(DONE_KEY, []).extend(ids)
    return ids


def anchor(tables: dict[str, pd.DataFrame], row: pd.Series) -> dict:
    """Where the panel finds a row again after a correction changed it: its article and words."""
    return {"article_id": row["article_id"], "start_char": int(row["start_char"]), "end_char": int(row["end_char"])}


def done(message: str, table: str, ids: list[str], at: dict | None = None) -> None:
    """After a write: note `message` for the next run, keep the panel on the row, redraw the app."""
    st.session_state[NOTICE_KEY] = message
    evidence.show(table, ids, anchor=at)
    st.rerun()


def undo() -> None:
    """Revert this session's last correction."""
    ids = st.session_state.get(DONE_KEY, [])
    if not ids:
        return
    last = ids[-1]
    try:
        data.corpus_store().revert(last, user=user(), reason="undo")
    except NewsdashError as exc:
        st.error(str(exc))
        return
    ids.pop()
    st.session_state[NOTICE_KEY] = "The last change was undone."
    st.rerun()


# ------------------------------------------------------------------ forms


def event_form(tables: dict[str, pd.DataFrame], row: pd.Series, key: str) -> tuple[dict, dict]:
    """The edit fields of an event; returns (before, after) as field -> value."""
    c1, c2, c3 = st.columns(3)
    kind = c1.selectbox("type", list(EventType), index=_choice(EventType, row.get("type")), key=f"{key}_type")
    status = c2.selectbox("status", list(Status), index=_choice(Status, row.get("status")), key=f"{key}_status")
    precision = c3.selectbox("precision", list(Precision), index=_choice(Precision, row.get("date_precision")),
                             key=f"{key}_precision")
    d1, d2 = st.columns(2)
    date = d1.text_input("date (YYYY, YYYY-MM or YYYY-MM-DD)", _text(row.get("date")), key=f"{key}_date")
    date_end = d2.text_input("until (a period's end; optional)", _text(row.get("date_end")), key=f"{key}_date_end")
    p1, p2, p3 = st.columns(3)
    origin = p1.text_input("origin", _text(row.get("origin")), key=f"{key}_origin")
    destination = p2.text_input("destination", _text(row.get("destination")), key=f"{key}_destination")
    location = p3.text_input("location", _text(row.get("location")), key=f"{key}_location")
    roles = actor_roles(tables, row["event_id"]) if _text(row.get("event_id")) else pd.DataFrame(
        columns=["actor", "role"])
    edited = st.data_editor(
        roles, num_rows="dynamic", hide_index=True, width="stretch", key=f"{key}_actors",
        column_config={"actor": st.column_config.TextColumn("actor", required=True),
                       "role": st.column_config.SelectboxColumn("role", options=list(ROLES), required=True)})
    # An empty name is kept, so the store refuses it with a clear message.
    actors = [[_text(a).strip(), _text(r) or str(Role.PARTICIPANT)]
              for a, r in zip(edited["actor"], edited["role"], strict=True) if _text(a).strip() or _text(r)]
    before = {"type": row.get("type"), "status": row.get("status"), "date_precision": row.get("date_precision"),
              "date": row.get("date"), "date_end": row.get("date_end"), "origin": row.get("origin"),
              "destination": row.get("destination"), "location": row.get("location"),
              "actors": [[_text(a), _text(r)] for a, r in zip(roles["actor"], roles["role"], strict=True)]}
    after = {"type": kind, "status": status, "date_precision": precision, "date": date.strip(),
             "date_end": date_end.strip(), "origin": origin.strip(), "destination": destination.strip(),
             "location": location.strip(), "actors": actors}
    return before, after


def figure_form(row: pd.Series, key: str) -> tuple[dict, dict]:
    """The edit fields of a figure; returns (before, after) as field -> value (numbers as
    typed: the store checks them)."""
    def num(v) -> str:
        t = _text(v)
        return t[:-2] if t.endswith(".0") else t

    c1, c2, c3 = st.columns(3)
    value = c1.text_input("value", num(row.get("value")), key=f"{key}_value")
    value_max = c2.text_input("up to (a range's top; optional)", num(row.get("value_max")), key=f"{key}_value_max")
    qualifier = c3.selectbox("qualifier", QUALIFIERS, index=_choice(QUALIFIERS, row.get("qualifier")),
                             format_func=lambda q: views.QUALIFIER_WORDS.get(q) or "exact", key=f"{key}_qualifier")
    u1, u2, u3 = st.columns(3)
    unit = u1.text_input("unit", _text(row.get("unit")), key=f"{key}_unit")
    category = u2.selectbox("category", list(Category), index=_choice(Category, row.get("category")),
                            key=f"{key}_category")
    item = u3.text_input("item", _text(row.get("item")), key=f"{key}_item")
    w1, w2, w3 = st.columns(3)
    claimant = w1.text_input("claimant", _text(row.get("claimant")), key=f"{key}_claimant")
    date = w2.text_input("date (when claimed)", _text(row.get("date")), key=f"{key}_date")
    since = w3.text_input("since (period start)", _text(row.get("since")), key=f"{key}_since")
    fields = ("value", "value_max", "qualifier", "unit", "category", "item", "claimant", "date", "since")
    before = {f: (num(row.get(f)) if f in ("value", "value_max") else row.get(f)) for f in fields}
    after = {"value": value.strip(), "value_max": value_max.strip(), "qualifier": qualifier, "unit": unit.strip(),
             "category": category, "item": item.strip(), "claimant": claimant.strip(), "date": date.strip(),
             "since": since.strip()}
    return before, after


FORMS: dict[str, Callable] = {"events": lambda tables, row, key: event_form(tables, row, key),
                              "quantities": lambda tables, row, key: figure_form(row, key)}


def edit_controls(tables: dict[str, pd.DataFrame], table: str, row: pd.Series) -> None:
    """Edit, confirm or reject the row shown."""
    rid = _text(row.get(evidence.ID_COLUMNS[table]))
    key = f"review_{table}_{rid}"
    with st.form(f"{key}_form", border=False):
        before, after = FORMS[table](tables, row, key)
        reason = st.text_input("reason (optional, kept in the log)", key=f"{key}_reason")
        save = st.form_submit_button("Save the correction", type="primary")
    if save:
        diff = changed(before, after)
        if not diff:
            st.info("Nothing changed.")
        else:
            at = anchor(tables, row)
            if write([{"table": table, "action": "edit", "row_id": rid, "after": diff, "reason": reason}]):
                done(f"Saved: {', '.join(diff)}.", table, [rid], at)
    left, right = st.columns(2)
    if left.button("Confirm: correct as shown", key=f"{key}_confirm", icon=":material/check:"):
        at = anchor(tables, row)
        if write([{"table": table, "action": "review", "row_id": rid, "reason": "confirmed"}]):
            done("Marked as reviewed.", table, [rid], at)
    with right.popover("Reject…", icon=":material/block:"):
        why = st.radio("Why", REJECT_REASONS[table], key=f"{key}_reject_reason")
        if st.button("Reject this row", key=f"{key}_reject", type="primary"):
            at = anchor(tables, row)
            if write([{"table": table, "action": "reject", "row_id": rid, "reason": why}]):
                done("Rejected: the row leaves every page (Undo brings it back).", table, [rid], at)


def occurrences(text: str, words: str, within: tuple[int, int] | None = None) -> list[int]:
    """Start offsets of `words` in `text` (inside `within`=(start, end) when given and found
    there, else anywhere), in order. Empty words: none."""
    words = words.strip()
    if not words:
        return []

    def find(lo: int, hi: int) -> list[int]:
        out, at = [], text.find(words, lo, hi)
        while at >= 0:
            out.append(at)
            at = text.find(words, at + 1, hi)
        return out

    if within is not None:
        inside = find(*within)
        if inside:
            return inside
    return find(0, len(text))


def add_controls(tables: dict[str, pd.DataFrame], table: str, row: pd.Series | None, article_id: str) -> None:
    """Add a figure or an event the extraction missed, by its exact words in the article."""
    arts = tables["articles"]
    match = arts[arts["article_id"] == article_id]
    if match.empty:
        return
    article = match.iloc[0]
    text = _text(article["text"])
    key = f"review_add_{article_id}"
    kind = st.radio("Add", ["figure", "event"], horizontal=True, key=f"{key}_kind")
    words = st.text_input("Its exact words, as in the article (e.g. “dozens of ballistic missiles”)",
                          key=f"{key}_words")
    sentence = None
    if row is not None and pd.notna(row.get("sentence_start")):
        sentence = (int(row["sentence_start"]), int(row["sentence_end"]))
    found = occurrences(text, words, sentence)
    if not words.strip():
        return
    if not found:
        st.warning("These words are not in the article (they must match exactly, capitals and punctuation too).")
        return

    def context(at: int) -> str:
        lo, hi = max(0, at - 40), min(len(text), at + len(words.strip()) + 40)
        return f"…{text[lo:at]}[{text[at:at + len(words.strip())]}]{text[at + len(words.strip()):hi]}…"

    start = found[0]
    if len(found) > 1:
        start = st.selectbox(f"The words occur {len(found)} times: which one?", found, format_func=context,
                             key=f"{key}_which")
    else:
        st.caption(context(start).replace("\n", " "))
    end = start + len(words.strip())
    target = "quantities" if kind == "figure" else "events"
    blank = pd.Series({"article_id": article_id, "start_char": start, "end_char": end})
    with st.form(f"{key}_form", border=False):
        _, after = FORMS[target](tables, blank, f"{key}_{target}")
        reason = st.text_input("reason (optional)", key=f"{key}_reason")
        add = st.form_submit_button(f"Add this {kind}", type="primary")
    if add:
        fields = {k: v for k, v in after.items() if v not in ("", [], None)}
        at = {"article_id": article_id, "start_char": start, "end_char": end}
        if write([{"table": target, "action": "add", "article_hash": _text(article.get("content_hash")),
                   "start_char": start, "end_char": end, "after": fields, "reason": reason}]):
            done(f"Added a {kind}.", target, [], at)


def controls(tables: dict[str, pd.DataFrame], table: str, row: pd.Series | None, article_id: str | None) -> None:
    """The review part of the evidence panel for `row` of `table` (None: the row is gone, as
    after a reject; only Undo and Add are offered). Hidden when writes are not allowed."""
    notice = st.session_state.pop(NOTICE_KEY, None)
    if notice:
        st.success(notice)
    access = permissions.can_write()
    if not access.allowed:
        st.caption("Review is off: " + access.reason)
        return
    if st.session_state.get(DONE_KEY) and st.button("Undo my last change", key="review_undo",
                                                    icon=":material/undo:"):
        undo()
    if row is not None:
        with st.expander("Correct, confirm or reject this " + ("event" if table == "events" else "figure"),
                         expanded=True):
            edit_controls(tables, table, row)
    if article_id:
        with st.expander("Add a figure or event the extraction missed"):
            add_controls(tables, table, row, article_id)


def _loads(value) -> dict:
    try:
        out = json.loads(value) if isinstance(value, str) and value else {}
    except ValueError:
        return {}
    return out if isinstance(out, dict) else {}


def _short(v) -> str:
    if isinstance(v, list):  # actors: [[name, role], ...]
        return "; ".join(":".join(map(str, x)) if isinstance(x, (list, tuple)) else str(x) for x in v)
    return "–" if v is None or v == "" else str(v)


def change_text(action: str, before, after) -> str:
    """What a log entry changed, in words: "date: 2024-06-19 → 2024-06-18" per edited field,
    the new values of an added row, the new name of a merge or rename."""
    b, a = _loads(before), _loads(after)
    if action == "edit":
        return "; ".join(f"{k}: {_short(b.get(k))} → {_short(v)}" for k, v in a.items() if b.get(k) != v)
    return "; ".join(f"{k}: {_short(v)}" for k, v in a.items())


def log_json(value) -> str:
    """A before/after value of the log as short text."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return value
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    return _text(value)
