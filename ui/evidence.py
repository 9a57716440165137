"""The evidence panel: from any event or figure (a table row, a chart point, a headline card)
one click opens a drawer on the right of the page with the article's title, outlet,
publication date and URL, then the article text scrolled to the row's sentence, the sentence
and the row's own words marked apart from the other highlights.

What the panel shows lives in Session State (`TARGET_KEY`: the table and the row ids), set by
the selection callbacks below, which Streamlit runs before the page script, or by a link
carrying `?open=<table>:<id>` (the Articles page's highlights: HTML cannot call back into
Streamlit, so a click loads the page again with that parameter); `ui.layout.start` then opens
the drawer (`panel`) on every page while a target is set. Dismissing the drawer
clears the target. The review controls (ui/review.py) are drawn inside the same drawer.
"""
from __future__ import annotations

import html
import itertools
from collections.abc import Callable, Mapping
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from core.query import views
from ui import article_view, data

TARGET_KEY = "evidence_target"
SEEN_KEY = "evidence_seen"  # per table key, the last selection that opened the panel
ARTICLES_PAGE = "pages/articles.py"
ARTICLE_PARAM = "article"
ARTICLE_KEY = "articles_article"  # the Articles page's selectbox
ID_COLUMNS = {"events": "event_id", "quantities": "quantity_id"}
OPEN_PARAM = "open"  # ?open=events:<event_id>: a highlight's link opens the panel on that row
HIGHLIGHT_TABLES = {"event": "events", "quantity": "quantities"}  # article_spans kind -> table
BY_ARTICLE = ("articles", "events", "quantities", "mentions")  # what the drawer reads of the target's articles
REVIEW_WORDS = {"auto": "as extracted (not reviewed)", "corrected": "corrected by an analyst",
                "added": "added by an analyst", "reviewed": "confirmed by an analyst"}
PANEL_WIDTH = 720
TEXT_HEIGHT = 430  # px of article text: with the header above, the sentence sits well inside a 1000 px window
ANCHOR = "newsdash-evidence-sentence"
_tokens = itertools.count(1)
# Scroll the text box (not the page or the drawer) so the sentence sits a third of the way
# down; retried while the drawer is still being laid out.
SCROLL_JS = """<script>(function () {{
  var tries = 0;
  function go() {{
    var hit = document.getElementById("{anchor}"), box = document.getElementById("{box}");
    if (!hit || !box || box.clientHeight === 0) {{ if (tries++ < 60) setTimeout(go, 50); return; }}
    var top = hit.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop;
    box.scrollTop = Math.max(0, top - box.clientHeight / 3);
  }}
  go();
}})();</script>"""


def show(table: str, ids: list[str], *, anchor: dict | None = None) -> None:
    """Open the panel on the rows `ids` of `table` ("events" or "quantities"); the first is
    shown, the others offered in a chooser. `anchor` ({article_id, start_char, end_char})
    finds the row by its words when no id matches (a corrected or hand-added row). No ids and
    no anchor: nothing changes."""
    ids = [i for i in dict.fromkeys(ids) if isinstance(i, str) and i]
    if table in ID_COLUMNS and (ids or anchor):
        st.session_state[TARGET_KEY] = {"table": table, "ids": ids, "anchor": anchor, "token": next(_tokens)}


def close() -> None:
    """Close the panel (its target is forgotten)."""
    st.session_state.pop(TARGET_KEY, None)


def target() -> dict | None:
    """The panel's target: {"table", "ids", "token"}, or None when it is closed."""
    return st.session_state.get(TARGET_KEY)


def row_ids(rows: pd.DataFrame, table: str) -> list[str]:
    """The ids of `table` rows that `rows` cite, in order: a story's every report
    (`event_ids`, ';'-joined) when present, else the id column."""
    out: list[str] = []
    col = ID_COLUMNS.get(table, "")
    for _, row in rows.iterrows():
        many = row.get("event_ids") if table == "events" else None
        if isinstance(many, str) and many:
            first = row.get(col)
            rest = [i for i in many.split(";") if i and i != first]
            out += ([first] if isinstance(first, str) else []) + rest
        elif isinstance(row.get(col), str):
            out.append(row[col])
    return out


def highlight_refs(article_id: str, tables: dict[str, pd.DataFrame]) -> dict[tuple[str, int, int], str]:
    """The rows behind the article's event and figure highlights: {(kind, start, end):
    "table:id"} with kind as views.article_spans names it; rows sharing one span are
    ';'-joined ("events:a;b"), the panel then offers a chooser."""
    refs: dict[tuple[str, int, int], str] = {}
    for kind, table in HIGHLIGHT_TABLES.items():
        frame = tables[table]
        rows = frame[frame["article_id"] == article_id].dropna(subset=["start_char", "end_char"])
        for rid, start, end in zip(rows[ID_COLUMNS[table]], rows["start_char"], rows["end_char"], strict=True):
            if isinstance(rid, str) and rid:
                key = (kind, int(start), int(end))
                refs[key] = f"{refs[key]};{rid}" if key in refs else f"{table}:{rid}"
    return refs


def open_href(params: dict[str, list[str]], ref: str) -> str:
    """A link to the current page with the URL parameters `params` (so filters and settings
    are kept) and open=`ref`, relative ("?..."), every value percent-encoded; assumes the
    caller escapes it for an HTML attribute."""
    kept = {k: v for k, v in params.items() if k != OPEN_PARAM}
    return "?" + urlencode({**kept, OPEN_PARAM: ref}, doseq=True)


def highlight_links(article_id: str, tables: dict[str, pd.DataFrame]) -> dict[tuple[str, int, int], str]:
    """{(kind, start, end): link} for the article's event and figure highlights: each link is
    this page's URL (its parameters as they are now) plus open=<table>:<id>."""
    params = {k: st.query_params.get_all(k) for k in st.query_params}
    return {k: open_href(params, ref) for k, ref in highlight_refs(article_id, tables).items()}


def open_from_url(rows: data.Rows) -> None:
    """Open the panel on the rows the URL's `open=<table>:<id>[;<id>]` names, then drop the
    parameter: it asks for one opening, so a reload (or a link copied from the address bar)
    shows the page with the panel closed. Ids of no row of the corpus (`rows(table, column,
    values)`, View.rows, asked only when the parameter is there) are skipped; when none is left,
    a quiet notice says so."""
    ref = st.query_params.get(OPEN_PARAM)
    if ref is None:
        return
    del st.query_params[OPEN_PARAM]
    table, _, joined = ref.partition(":")
    ids = [i for i in dict.fromkeys(joined.split(";")) if i]
    if table in ID_COLUMNS and ids:
        known = set(rows(table, ID_COLUMNS[table], ids)[ID_COLUMNS[table]])
        if known:
            show(table, [i for i in ids if i in known])
            return
    st.toast("The row this link points to is not in the corpus any more.", icon=":material/link_off:")


def _changed(key: str, picked: list[int]) -> bool:
    """Whether the selection `picked` of the table `key` differs from the last one seen (and
    remember it): a selection opens the panel once, not on every rerun while it stays."""
    seen = st.session_state.setdefault(SEEN_KEY, {})
    if seen.get(key) == tuple(picked):
        return False
    seen[key] = tuple(picked)
    return True


def _picked(state) -> list[int]:
    selection = getattr(state, "selection", None) or (state or {}).get("selection") or {}
    return list(getattr(selection, "rows", None) or selection.get("rows", []) or [])


def open_selected(key: str, rows: pd.DataFrame, table: str | None, state) -> bool:
    """Open the panel on the row selected in the table `key` (showing `rows`, with the
    selection `state`) when the selection is new; returns whether it opened."""
    picked = [p for p in _picked(state) if p < len(rows)]
    if not _changed(key, picked) or not picked or table not in ID_COLUMNS:
        return False
    show(table, row_ids(rows.iloc[picked], table))
    return True


def on_table_select(key: str, rows: pd.DataFrame, table: str | None) -> Callable[[], None]:
    """A st.dataframe on_select callback for the table `key` showing `rows`: opens the panel
    on the selected row (a deselection leaves it as it is)."""
    def callback() -> None:
        open_selected(key, rows, table, st.session_state.get(key))
    return callback


def selected_values(state) -> list:
    """The first customdata value of each point a plotly selection state holds."""
    selection = getattr(state, "selection", None) or (state or {}).get("selection") or {}
    points = getattr(selection, "points", None) or selection.get("points", [])
    values = []
    for p in points:
        data = p.get("customdata")
        if isinstance(data, (list, tuple)) and data:
            values.append(data[0])
        elif isinstance(data, str):
            values.append(data)
    return values


def open_chart_selected(key: str, table: str, resolve: Callable[[list], list[str]], state) -> bool:
    """Open the panel on the points selected in the chart `key` (selection `state`) when the
    selection is new; returns whether it opened."""
    values = selected_values(state)
    if not _changed(key, [str(v) for v in values]) or not values:
        return False
    ids = resolve(values)
    show(table, ids)
    return bool(ids)


def on_chart_select(key: str, table: str, resolve: Callable[[list], list[str]]) -> Callable[[], None]:
    """A st.plotly_chart on_select callback for the chart `key`: the chart's points carry a
    value as their first customdata entry; `resolve(values)` turns the selected ones into ids
    of `table` rows, which the panel opens on."""
    def callback() -> None:
        open_chart_selected(key, table, resolve, st.session_state.get(key))
    return callback


def rows_by(rows: pd.DataFrame, column: str, table: str) -> Callable[[list], list[str]]:
    """A resolver for on_chart_select: the ids cited by the `rows` whose `column` holds a
    selected value (a chart point's customdata[0])."""
    def resolve(values: list) -> list[str]:
        return row_ids(rows[rows[column].astype("string").isin([str(v) for v in values])], table)
    return resolve


def month_key(dates: pd.Series, types: pd.Series) -> pd.Series:
    """"YYYY-MM|type" of each (date, type): the key a bar of events per month carries."""
    return views.as_datetime(dates).dt.strftime("%Y-%m").astype("string") + "|" + types.astype("string")


def events_in_months(events: Callable[[], pd.DataFrame]) -> Callable[[list], list[str]]:
    """A resolver for a chart of events per month and type whose bars carry month_key: the
    ids of `events()` (called on a click only) in the clicked bars."""
    def resolve(keys: list) -> list[str]:
        ev = events()
        return list(ev.loc[month_key(ev["date"], ev["type"]).isin([str(k) for k in keys]).fillna(False).to_numpy(),
                           "event_id"])
    return resolve


# ------------------------------------------------------------------ the drawer


def rows_of(tables: dict[str, pd.DataFrame], table: str, ids: list[str], anchor: dict | None = None) -> pd.DataFrame:
    """The rows of `tables[table]` with the given ids, in the order of `ids`; when none has,
    the rows of the anchor's article whose words overlap the anchor's span."""
    frame, col = tables[table], ID_COLUMNS[table]
    found = frame[frame[col].isin(ids)]
    if found.empty and anchor:
        found = frame[(frame["article_id"] == anchor["article_id"]) & (frame["start_char"] < anchor["end_char"])
                      & (frame["end_char"] > anchor["start_char"])]
        return found.reset_index(drop=True)
    order = {i: n for n, i in enumerate(ids)}
    return found.sort_values(col, key=lambda s: s.map(order)).reset_index(drop=True)


def date_text(date, precision) -> str:
    """A date as precise as it is known: "2024-06-19", "2023-10 (month only)", "2023 (year only)"."""
    d, p = _value(date), _value(precision)
    if p == "month":
        return f"{d[:7]} (month only)"
    if p == "year":
        return f"{d[:4]} (year only)"
    return d


def _value(v) -> str:
    if v is None or (not isinstance(v, (list, tuple)) and pd.isna(v)):
        return ""
    return str(v)


def fields(table: str, row: pd.Series) -> list[tuple[str, str]]:
    """What the row says, as (field, value) pairs for the panel (empty values left out)."""
    if table == "quantities":
        pairs = [("figure", views.figure_label(row.get("value"), row.get("value_max"), row.get("qualifier"),
                                               row.get("unit"))),
                 ("category", row.get("category")), ("item", row.get("item")), ("claimant", row.get("claimant")),
                 ("date", date_text(row.get("date"), row.get("date_precision"))),
                 ("since", row.get("since")), ("words", row.get("text"))]
    else:
        when = date_text(row.get("date"), row.get("date_precision"))
        if when and _value(row.get("date_end")):
            when += f" to {row['date_end']}"
        ends = (_value(row.get("origin")), _value(row.get("destination")))
        pairs = [("event", f"{_value(row.get('type'))} ({_value(row.get('status'))})"),
                 ("date", when or "undated"),
                 ("actors", _value(row.get("actors")).replace(";", "; ")),
                 ("from → to", f"{ends[0] or '?'} → {ends[1] or '?'}" if any(ends) else ""),
                 ("location", row.get("location")), ("words", row.get("trigger"))]
    review = _value(row.get("review"))
    if review:
        pairs.append(("review", REVIEW_WORDS.get(review, review)))
    return [(k, _value(v)) for k, v in pairs if _value(v)]


def fields_html(pairs: list[tuple[str, str]]) -> str:
    """(field, value) pairs as a small two-column table; every value escaped."""
    cells = "".join(f'<tr><th style="text-align:left;padding:1px 10px 1px 0;color:#56606b;font-weight:500;'
                    f'white-space:nowrap;vertical-align:top">{html.escape(k)}</th>'
                    f'<td style="padding:1px 0">{html.escape(v)}</td></tr>' for k, v in pairs)
    return f'<table style="border:none;font-size:0.9rem;margin:0">{cells}</table>'


def header_html(article: pd.Series) -> str:
    """The article's title, then outlet · publication date (precision) · URL, escaped; the URL
    a link only when it is http(s)."""
    title = _value(article.get("title")) or _value(article.get("article_id"))
    published = _value(article.get("published"))
    meta = [_value(article.get("source")) or "outlet unknown",
            f"published {published} ({_value(article.get('published_precision'))})" if published
            else "publication date unknown"]
    url = _value(article.get("url"))
    link = ""
    if url.startswith(("http://", "https://")):
        safe = html.escape(url, quote=True)
        link = (f'<div style="font-size:0.85rem;overflow-wrap:anywhere"><a href="{safe}" target="_blank" '
                f'rel="noopener noreferrer">{html.escape(url)}</a></div>')
    return (f'<div style="font-size:1.2rem;font-weight:600;line-height:1.3;overflow-wrap:anywhere">'
            f'{html.escape(title)}</div><div style="font-size:0.875rem;color:#56606b">'
            f'{html.escape(" · ".join(meta))}</div>{link}')


def text_html(tables: dict[str, pd.DataFrame], table: str, row: pd.Series, article: pd.Series, token: int) -> str:
    """The article text in a fixed-height scrolling box, the row's sentence and words marked,
    with the script that scrolls the box to the sentence."""
    text = _value(article.get("text"))
    spans = views.article_spans(row["article_id"], text, tables)
    stripped = views.stripped_segments(article.get("segments"), text)
    start = row.get("sentence_start")
    end = row.get("sentence_end")
    if pd.isna(start) or pd.isna(end):  # an old store without sentence offsets: find the sentence
        at = text.find(_value(row.get("sentence")))
        start, end = (at, at + len(_value(row.get("sentence")))) if at >= 0 else (0, 0)
    words = (int(row["start_char"]), int(row["end_char"])) \
        if pd.notna(row.get("start_char")) and pd.notna(row.get("end_char")) else None
    anchor, box = f"{ANCHOR}-{token}", f"newsdash-evidence-box-{token}"
    body = article_view.evidence_html(text, spans, stripped, (int(start), int(end)), words, anchor=anchor)
    return (f'{article_view.legend()}<div id="{box}" tabindex="0" aria-label="article text" '
            f'style="max-height:{TEXT_HEIGHT}px;overflow:auto;border:1px solid #d5dae0;border-radius:6px;'
            f'padding:0.6rem 0.9rem;background:#fff">{body}</div>' + SCROLL_JS.format(anchor=anchor, box=box))


def open_article(article_id: str) -> None:
    """Switch to the Articles page with `article_id` selected (filters stay in the session);
    the panel closes."""
    close()
    st.session_state[ARTICLE_KEY] = article_id
    st.switch_page(ARTICLES_PAGE, query_params={ARTICLE_PARAM: article_id})


def draw(tables: dict[str, pd.DataFrame], tgt: dict) -> pd.Series | None:
    """The panel's content for the target `tgt` over `tables`; returns the row shown (None
    when none of the target's rows is in the corpus any more)."""
    table = tgt["table"]
    rows = rows_of(tables, table, tgt["ids"], tgt.get("anchor"))
    if rows.empty:
        st.info("This row is no longer in the corpus (it was removed or re-extracted differently).")
        return None
    pick = 0
    if len(rows) > 1:
        arts = tables["articles"].drop_duplicates("article_id").set_index("article_id")["source"]
        labels = [f"{_value(arts.get(a)) or a} · {_value(s)[:70]}"
                  for a, s in zip(rows["article_id"], rows["sentence"], strict=True)]
        pick = st.selectbox(f"{len(rows)} reports of this {'story' if table == 'events' else 'selection'}",
                            range(len(rows)), format_func=labels.__getitem__, key=f"evidence_pick_{tgt['token']}")
    row = rows.iloc[pick]
    articles = tables["articles"]
    match = articles[articles["article_id"] == row["article_id"]]
    article = match.iloc[0] if len(match) else pd.Series({"article_id": row["article_id"]})
    st.html(header_html(article))
    st.html(fields_html(fields(table, row)))
    st.html(text_html(tables, table, row, article, tgt["token"] * 1000 + pick), unsafe_allow_javascript=True)
    if st.button("Open in the Articles page ›", key="evidence_open_article"):
        open_article(row["article_id"])
    return row


After = Callable[[dict[str, pd.DataFrame], str, "pd.Series | None", "str | None"], None]


def target_article(tgt: dict, tables: dict[str, pd.DataFrame]) -> str | None:
    """The article a target points into (from its anchor, else its first row), or None."""
    if tgt.get("anchor"):
        return tgt["anchor"]["article_id"]
    rows = rows_of(tables, tgt["table"], tgt["ids"])
    return None if rows.empty else str(rows["article_id"].iloc[0])


@st.dialog("Evidence", width=PANEL_WIDTH, position="right", on_dismiss=close)
def _drawer(tables: dict[str, pd.DataFrame], tgt: dict, after: After | None) -> None:
    row = draw(tables, tgt)
    if after is not None:
        after(tables, tgt["table"], row, str(row["article_id"]) if row is not None else target_article(tgt, tables))


def target_tables(rows: data.Rows, tgt: dict) -> Mapping[str, pd.DataFrame]:
    """The tables the drawer (draw) and its review controls read for the target `tgt`, each
    holding only what they look at: the articles of the target's rows (and of its anchor) with
    their events, figures and mentions, and the actors of those events; `rows(table, column,
    values)` (View.rows) reads them, each on first use. Other tables are not there (KeyError).
    On these, draw and review.controls show what they show over the whole tables, without
    reading a million events."""
    table, anchor = tgt["table"], tgt.get("anchor")
    found = rows(table, ID_COLUMNS[table], tgt["ids"]) if tgt["ids"] else None
    articles = [*(found["article_id"].dropna().astype(str) if found is not None else []),
                *([str(anchor["article_id"])] if anchor else [])]
    articles = list(dict.fromkeys(articles))

    def load(name: str) -> pd.DataFrame:
        if name in BY_ARTICLE:
            return rows(name, "article_id", articles)
        if name == "event_actors":
            return rows(name, "event_id", list(dict.fromkeys(tables["events"]["event_id"].dropna().astype(str))))
        raise KeyError(name)

    tables = data.LazyTables(load)
    return tables


def panel(rows: data.Rows, after: After | None = None) -> None:
    """Open the drawer when a target is set, over the target's rows and what goes with them
    (target_tables; `rows` is View.rows, asked only then); `after(tables, table, row,
    article_id)` draws more controls under the evidence (the review controls; row None when
    the row is gone)."""
    tgt = target()
    if tgt is not None:
        _drawer(target_tables(rows, tgt), tgt, after)
