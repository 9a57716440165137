"""Corrections on names, corpus-wide: merge two actors into one, rename one, split an alias
off into an actor of its own, or mark a name as not an actor; the same for places, plus a
place's coordinates.

Each form writes one entry to the store's corrections log through ui.review.write (the same
path as the evidence panel's review: the signed-in user, all-or-nothing, a refused entry shown
as a message and nothing written). Core applies a name correction to every article and keeps
it across re-extraction (core.corpus.corrected). The forms are drawn only when
ui.permissions allows writes. After a write the app reruns: the store's version changed, so
every cached table and query is read again and every page shows the new names.
"""
from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st

from core.vocab import Action, MentionKind
from ui import data, permissions, review

NOTICE_KEY = "entity_review_notice"
# The action's label in the form -> the log's action, per table.
ACTIONS = {
    "actors": {"merge into another actor": Action.MERGE, "rename": Action.RENAME,
               "split an alias off": Action.SPLIT, "not an actor": Action.NOT_ACTOR},
    "places": {"merge into another place": Action.MERGE, "rename": Action.RENAME,
               "split an alias off": Action.SPLIT, "not a place": Action.NOT_ACTOR,
               "move (coordinates)": Action.EDIT},
}
KIND = {"actors": MentionKind.ACTOR, "places": MentionKind.PLACE}


def _text(v) -> str:
    return "" if v is None or pd.isna(v) else str(v)


def aliases(mentions: pd.DataFrame, table: str, name: str) -> list[str]:
    """The words the articles use for `name` of `table` ("actors" | "places"), sorted: the
    aliases a split can move off (pronouns and descriptions standing for it are not aliases)."""
    m = mentions[(mentions["kind"] == KIND[table]) & (mentions["name"] == name)]
    if "coref" in m:
        m = m[~m["coref"].fillna(False).astype(bool)]
    return sorted(set(m["surface"].dropna().astype(str)))


def entry(table: str, action: Action, target: str, values: dict, reason: str) -> dict | str:
    """The corrections-log entry the form describes, or a message saying what is missing (a
    new name left empty, a merge with no other name, a coordinate left empty)."""
    if not target:
        return f"Choose the {table[:-1]} to correct."
    if action in (Action.MERGE, Action.RENAME):
        name = _text(values.get("name")).strip()
        if not name:
            return "The new name is empty: type the name to use." if action == Action.RENAME else \
                f"Choose the {table[:-1]} to merge into."
        after = {"name": name}
    elif action == Action.SPLIT:
        after = {"alias": _text(values.get("alias")), "name": _text(values.get("name")).strip()}
        if not after["alias"]:
            return "Choose the alias to split off."
        if not after["name"]:
            return "The new name is empty: type the name the alias stands for."
    elif action == Action.EDIT:
        after = {k: _text(values.get(k)).strip() for k in ("lat", "lon")}
        if not all(after.values()):
            return "Give both lat and lon (decimal degrees, e.g. 39.03 and 125.75)."
        if _text(values.get("country")).strip():
            after["country"] = _text(values["country"]).strip()
    else:
        after = {}
    return {"table": table, "action": str(action), "target": target, "after": after, "reason": reason}


def _write(item: dict | str, message: str) -> None:
    """Write `item` (or show its problem); on success note `message` and rerun the app."""
    if isinstance(item, str):
        st.error(item)
        return
    if review.write([item]):
        st.session_state[NOTICE_KEY] = message
        st.rerun()


def _form(tables: Mapping[str, pd.DataFrame], rows: data.Rows, table: str) -> None:
    names = sorted(set(tables[table]["name"].dropna().astype(str)))
    key = f"entity_review_{table}"
    noun = table[:-1]
    notice = st.session_state.pop(NOTICE_KEY, None)
    if notice:
        st.success(notice)
    if not names:
        st.caption(f"No {table} to correct.")
        return
    label = st.radio("Action", list(ACTIONS[table]), horizontal=True, key=f"{key}_action")
    action = ACTIONS[table][label]
    target = st.selectbox(noun.capitalize(), names, key=f"{key}_target")
    values: dict = {}
    with st.form(f"{key}_form", border=False):
        if action == Action.MERGE:
            values["name"] = st.selectbox("Into", [n for n in names if n != target], index=None,
                                          placeholder=f"the {noun} that stays", key=f"{key}_into")
        elif action == Action.RENAME:
            values["name"] = st.text_input("New name", key=f"{key}_name")
        elif action == Action.SPLIT:
            values["alias"] = st.selectbox("Alias (as the articles write it)",
                                           aliases(rows("mentions", "name", [target]), table, target), index=None,
                                           key=f"{key}_alias")
            values["name"] = st.text_input(f"The {noun} it stands for (a new or an existing name)", key=f"{key}_name")
        elif action == Action.EDIT:
            row = tables[table][tables[table]["name"] == target].iloc[0]
            c1, c2, c3 = st.columns(3)
            values["lat"] = c1.text_input("lat (−90..90)", _text(row.get("lat")), key=f"{key}_lat_{target}")
            values["lon"] = c2.text_input("lon (−180..180)", _text(row.get("lon")), key=f"{key}_lon_{target}")
            values["country"] = c3.text_input("country (ISO3)", _text(row.get("country")),
                                              key=f"{key}_country_{target}")
        else:
            st.caption(f"“{target}” leaves the {table} table, the events and the figures of every article.")
        reason = st.text_input("reason (optional, kept in the log)", key=f"{key}_reason")
        save = st.form_submit_button("Save the correction", type="primary")
    if save:
        _write(entry(table, action, target, values, reason), f"Saved: {label} “{target}”.")


def _controls(tables: Mapping[str, pd.DataFrame], rows: data.Rows, table: str, title: str) -> None:
    access = permissions.can_write()
    if not access.allowed:  # read-only: no form at all
        return
    with st.expander(title):
        st.caption("Applies to every article, now and after re-extraction; History lists it and can revert it.")
        _form(tables, rows, table)


def actor_controls(tables: Mapping[str, pd.DataFrame], rows: data.Rows) -> None:
    """The "Correct actors" expander (merge, rename, split an alias off, not an actor) over the
    corpus's actors (`tables`: the view's unfiltered tables, of which only `actors` is read;
    an alias to split off is looked up in the mentions of that actor alone by `rows`,
    View.rows). Draws nothing when writes are not allowed."""
    _controls(tables, rows, "actors", "Correct actors")


def place_controls(tables: Mapping[str, pd.DataFrame], rows: data.Rows) -> None:
    """The "Correct places" expander (merge, rename, split an alias off, not a place, new
    coordinates) over the corpus's places (`tables`: the view's unfiltered tables, of which
    only `places` is read; an alias to split off is looked up in the mentions of that place
    alone by `rows`, View.rows). Draws nothing when writes are not allowed."""
    _controls(tables, rows, "places", "Correct places")
