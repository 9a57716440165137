"""Add articles: upload files, paste text, fetch a URL or a feed; remove articles.

Article text, titles and file names come from outside: they are shown only in tables and
plain-text elements, never as Markdown or HTML.
"""
from ui import frame

frame.begin("Add articles")  # first: the heading shows while the imports below load

import math
import zlib

import pandas as pd
import streamlit as st

from core.corpus import inputs
from core.corpus.store import AddReport, StoreBusy
from core.extract.limits import size_text
from ui import data, layout, permissions

FILE_TYPES = ["txt", "html", "htm", "md", "jsonl"]
REPORT_KEY = "add_articles_report"

layout.start("Add articles")
store = data.corpus_store()
st.caption(f"Articles are kept in the corpus store `{store.path.name}` and appear in every view once processed. "
           f"Each file may be up to {size_text(store.max_bytes)}; the same text added twice is stored once.")


def progress_bar(label: str):
    """A Streamlit progress bar and the (done, total) callback that advances it."""
    bar = st.progress(0.0, text=label)

    def update(done: int, total: int) -> None:
        bar.progress(min(done / max(total, 1), 1.0), text=f"{label}: article {done} of {total}")

    return bar, update


def round_key(name: str) -> str:
    """The widget key `name` for this round: a new round gives an empty widget."""
    return f"{name}_{st.session_state.get('add_articles_round', 0)}"


def run_add(label: str, add) -> None:
    """Run `add(progress)` with a progress bar, keep its report for this session, and rerun
    so the new articles (and the emptied inputs) show everywhere at once."""
    bar, update = progress_bar(label)
    try:
        report = add(update)
    except StoreBusy:
        report = AddReport(refused=[("(this request)", data.BUSY_MESSAGE)])
    except Exception as exc:  # a page never raises on user input
        report = AddReport(refused=[("(this request)", f"{type(exc).__name__}: {exc}")])
    bar.empty()
    st.session_state[REPORT_KEY] = report
    st.session_state["add_articles_round"] = st.session_state.get("add_articles_round", 0) + 1
    st.rerun()


def show_report(report: AddReport) -> None:
    """The outcome of the last add: a one-line summary and one row per input."""
    counts = f"{len(report.added)} added, {len(report.duplicates)} already stored, {len(report.refused)} refused."
    if not report.ok:
        st.warning(counts)
    elif report.added:
        st.success(counts)
    else:
        st.info(counts)
    st.dataframe(report.to_frame(), hide_index=True, width="stretch",
                 column_config={"detail": st.column_config.TextColumn("title / reason", width="large")})


def write_then_rerun(write, done_key: str) -> None:
    """Run `write()` (a store change returning the ids it changed), note how many for the next
    run under `done_key`, and rerun with emptied widgets; a busy store is reported, not raised."""
    try:
        done = write()
    except StoreBusy:
        st.warning(data.BUSY_MESSAGE)
        return
    st.session_state[REPORT_KEY] = None
    st.session_state[done_key] = len(done)
    st.session_state["add_articles_round"] = st.session_state.get("add_articles_round", 0) + 1
    st.rerun()


def article_label(row) -> str:
    """'date · title · id' for a row of the listing or of the trash."""
    return f"{row.published if pd.notna(row.published) else 'undated'} · {row.title} · {row.article_id}"


def remove_controls(store) -> None:
    """Choose articles (or all), confirm, and move them to the trash."""
    listing = store.list()
    if listing.empty:
        st.info("The corpus is empty: add articles with the other tabs.")
    else:
        labels = {row.article_id: article_label(row) for row in listing.itertuples()}
        chosen = st.multiselect("Articles to remove", list(labels), format_func=labels.get,
                                key=round_key("add_articles_remove_choice"))
        everything = st.checkbox("Remove every article (start an empty corpus)",
                                 key=round_key("add_articles_remove_all"))
        ids = list(labels) if everything else chosen
        what = "every article" if everything else f"the {len(ids)} chosen article{'s' if len(ids) != 1 else ''}"
        # keyed by the choice, so a confirmation never carries over to another choice
        scope = "every" if everything else zlib.crc32("\n".join(ids).encode())
        confirmed = st.checkbox(f"I understand: {what} will leave every view (kept in the trash below, from which "
                                "they can be restored, until it is purged)",
                                key=round_key(f"add_articles_remove_confirm_{scope}"))
        if st.button(f"Remove {len(ids)} article{'s' if len(ids) != 1 else ''}", disabled=not (ids and confirmed),
                     key="add_articles_remove_button"):
            write_then_rerun(lambda: store.remove(ids), "add_articles_removed")
    if st.session_state.get("add_articles_removed") is not None:
        st.success(f"Moved {st.session_state.pop('add_articles_removed')} articles to the trash.")


def trash_controls(store) -> None:
    """The removed articles (who removed them, when) and a control to restore them."""
    trash = store.trash()
    st.markdown(f"**Trash ({len(trash)})**")
    if st.session_state.get("add_articles_restored") is not None:
        st.success(f"Restored {st.session_state.pop('add_articles_restored')} articles.")
    if trash.empty:
        st.caption("Removed articles are kept here until the trash is purged (`python -m core purge`).")
        return
    labels = {row.article_id: f"{article_label(row)} · removed by {row.removed_by} at {row.removed_at}"
              for row in trash.itertuples()}
    chosen = st.multiselect("Articles to restore", list(labels), format_func=labels.get,
                            key=round_key("add_articles_restore_choice"))
    if st.button(f"Restore {len(chosen)} article{'s' if len(chosen) != 1 else ''}", disabled=not chosen,
                 key="add_articles_restore_button"):
        write_then_rerun(lambda: store.restore(chosen), "add_articles_restored")


def show_stored() -> None:
    """The stored articles, as a plain-text table."""
    st.header(f"Stored articles ({len(store.ids())})")
    st.dataframe(store.list(), hide_index=True, width="stretch")


# Every write control below passes this one check (see ui/permissions.py).
access = permissions.can_write()
if not access.allowed:
    permissions.read_only_notice(access)
    show_stored()
    st.stop()

upload_tab, paste_tab, url_tab, remove_tab = st.tabs(
    ["Upload files", "Paste text", "From a URL or feed", "Remove articles"])

with upload_tab:
    files = st.file_uploader("Article files (plain text, HTML, Markdown, or JSON Lines with one article per line)",
                             type=FILE_TYPES, accept_multiple_files=True, key=round_key("add_articles_files"),
                             # The browser may count a MB as 10^6 bytes: never refuse what the store takes
                             # (the store's own check then refuses, with the limit in MiB).
                             max_upload_size=math.ceil(store.max_bytes / 1_000_000))
    if st.button("Add the files", disabled=not files, key="add_articles_upload_button", type="primary"):
        def add_files(update):
            report = AddReport()
            for f in files:
                report.extend(store.add_articles(*inputs.from_bytes(f.getvalue(), f.name, max_bytes=store.max_bytes),
                                                 progress=update))
            return report

        run_add("Processing the uploaded files", add_files)

with paste_tab:
    with st.form("add_articles_paste_form", clear_on_submit=False):
        text = st.text_area("Article text", height=240, key=round_key("add_articles_text"))
        left, middle, right = st.columns(3)
        title = left.text_input("Title (optional)", key="add_articles_title")
        published = middle.date_input("Published (optional)", value=None, key="add_articles_date", format="YYYY-MM-DD")
        source = right.text_input("Source (optional)", key="add_articles_source", placeholder="e.g. Yonhap")
        pasted = st.form_submit_button("Add the text", type="primary")
    if pasted:
        run_add("Processing the text", lambda update: store.add_articles(
            *inputs.from_text(text, title=title or None, published=published, source=source or None,
                              max_bytes=store.max_bytes), progress=update))

with url_tab:
    url = st.text_input("Page or RSS/Atom feed URL", key="add_articles_url", placeholder="https://…")
    st.caption("A page adds its main text, title, date and outlet; a feed adds each of its items. "
               "Requests time out after 10 seconds.")
    if st.button("Fetch and add", disabled=not url.strip(), key="add_articles_url_button", type="primary"):
        run_add("Fetching and processing", lambda update: store.add_articles(
            *inputs.from_url(url.strip(), timeout=10, max_bytes=store.max_bytes), progress=update))

with remove_tab:
    remove_controls(store)
    trash_controls(store)

report = st.session_state.get(REPORT_KEY)
if report is not None:
    st.header("Last addition")
    show_report(report)

show_stored()
