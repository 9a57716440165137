"""History: the corrections log (who changed what, when, why), filtered, with a revert per
entry, and the corrections that no longer find their row."""
from ui import frame

frame.begin("History")  # first: the heading shows while the imports below load

import pandas as pd
import streamlit as st

from core.corpus import review as corrections
from core.errors import NewsdashError
from ui import data, evidence, layout, permissions, review

PER_PAGE = 25

view = layout.start("History")
store = data.corpus_store()
st.caption("Every correction made in the review panel or imported, newest first. A correction is kept with the "
           "article and the words it is anchored to, so it survives re-analysis; reverting adds an entry, "
           "nothing is ever deleted.")
log = corrections.described(store.corrections(), store.orphaned_corrections())
if st.session_state.get("history_notice"):
    st.success(st.session_state.pop("history_notice"))
if log.empty:
    st.info("No corrections yet: open any event or figure (a table row, a chart point) and correct it in the panel.")
    st.stop()

titles = view.tables["articles"].drop_duplicates("content_hash").set_index("content_hash")["title"]
texts = view.tables["articles"].drop_duplicates("content_hash").set_index("content_hash")["text"]
log = log.assign(when=pd.to_datetime(log["at"], errors="coerce", utc=True),
                 article=log["article_hash"].map(titles), words=[
                     texts.get(h, "")[int(s):int(e)] if isinstance(texts.get(h), str) and pd.notna(s) and pd.notna(e)
                     else "" for h, s, e in zip(log["article_hash"], log["start_char"], log["end_char"], strict=True)])
log["change"] = [review.change_text(a, b, f)
                 for a, b, f in zip(log["action"], log["before"], log["after"], strict=True)]
# Newest first; entries of the same second in reverse log order (the log is oldest first).
log = log.iloc[::-1].sort_values("when", ascending=False, na_position="last", kind="stable").reset_index(drop=True)

c1, c2, c3, c4, c5 = st.columns([2, 2, 2, 2, 3])
users = c1.multiselect("User", sorted(log["user"].dropna().unique()), key="history_users")
tables = c2.multiselect("Table", sorted(log["table"].dropna().unique()), key="history_tables")
actions = c3.multiselect("Action", sorted(log["action"].dropna().unique()), key="history_actions")
states = c4.multiselect("State", sorted(log["state"].dropna().unique()), key="history_states")
days = log["when"].dropna().dt.date
span = c5.date_input("Date", value=(days.min(), days.max()) if len(days) else (), key="history_dates",
                     format="YYYY-MM-DD")
shown = log
if users:
    shown = shown[shown["user"].isin(users)]
if tables:
    shown = shown[shown["table"].isin(tables)]
if actions:
    shown = shown[shown["action"].isin(actions)]
if states:
    shown = shown[shown["state"].isin(states)]
if isinstance(span, tuple) and len(span) == 2:
    day = shown["when"].dt.date
    shown = shown[day.isna() | ((day >= span[0]) & (day <= span[1]))]

st.header(f"{len(shown):,} of {len(log):,} corrections", anchor=False)
access = permissions.can_write()
if not access.allowed:
    permissions.read_only_notice(access)
cols = ["at", "user", "state", "table", "action", "article", "words", "change", "reason", "correction_id"]
table = shown[cols]
st.dataframe(table, hide_index=True, width="stretch", key="history_log", height=min(400, 38 + 35 * len(table)),
             column_config={"words": st.column_config.TextColumn("words", width="medium"),
                            "change": st.column_config.TextColumn("change", width="large"),
                            "correction_id": None})

if access.allowed:
    st.header("Revert a change", anchor=False)
    page_count = max(1, -(-len(shown) // PER_PAGE))
    page = st.number_input("Page", 1, page_count, 1, key="history_page") if page_count > 1 else 1
    entries = st.container(key="history_entries")
    for _, entry in shown.iloc[(page - 1) * PER_PAGE: page * PER_PAGE].iterrows():
        with entries.container(border=True, key=f"history_entry_{entry['correction_id']}"):
            left, right, show = st.columns([7, 1, 1], vertical_alignment="center")
            what = f"{entry['at']} · {entry['user']} · {entry['action']} {entry['table']}"
            words = f" · “{entry['words']}”" if entry["words"] else (f" · {entry['target']}"
                                                                     if isinstance(entry["target"], str) else "")
            left.text(what + words + (f" · {entry['change']}" if entry["change"] else ""))
            if entry["action"] == "revert" or entry["state"] == "reverted":
                right.caption(entry["state"])
            elif right.button("Revert", key=f"history_revert_{entry['correction_id']}"):
                try:
                    store.revert(entry["correction_id"], user=review.user(), reason="reverted from History")
                except NewsdashError as exc:
                    st.error(str(exc))
                else:
                    st.session_state["history_notice"] = f"Reverted: {what}."
                    st.rerun()
            if entry["table"] in evidence.ID_COLUMNS and isinstance(entry["article"], str) and show.button(
                    "Show", key=f"history_show_{entry['correction_id']}"):
                ids = view.tables["articles"].loc[view.tables["articles"]["content_hash"] == entry["article_hash"],
                                                  "article_id"]
                if len(ids):
                    evidence.show(entry["table"], [], anchor={"article_id": ids.iloc[0],
                                                              "start_char": int(entry["start_char"]),
                                                              "end_char": int(entry["end_char"])})
                    st.rerun()

st.header("Orphaned corrections", anchor=False)
orphans = log[log["state"] == "orphaned"]
if orphans.empty:
    st.caption("None: every correction found its row (or was applied as an added row).")
else:
    st.caption("These corrections no longer find the row they were made on (the article is gone, or its words "
               "changed). They are kept, never dropped: revert them, or correct the new row.")
    found = store.orphaned_corrections().set_index("correction_id")["problem"]
    st.dataframe(orphans.assign(problem=orphans["correction_id"].map(found))[
        ["at", "user", "table", "action", "article", "words", "change", "problem", "reason"]],
        hide_index=True, width="stretch", key="history_orphans")
