"""An article's text with its extracted spans highlighted, rendered as escaped HTML."""
from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from core.query import views

COLOURS = {
    "actor": "#d6e4f0", "place": "#dcefd9", "quantity": "#fbe3c4", "date": "#efe0f5", "event": "#f7d6d6",
}
STRIPPED_STYLE = "color:#8a8f98;text-decoration:line-through;background:#f4f4f4"


def legend() -> str:
    """The colour legend as HTML."""
    items = "".join(f'<span style="background:{c};padding:1px 6px;margin-right:8px;border-radius:3px">{k}</span>'
                    for k, c in COLOURS.items())
    return f'<div style="font-size:0.85rem;margin-bottom:0.5rem">{items}</div>'


def chunk_html(piece: str, kind: str | None, label: str | None, *, show_stripped: bool) -> str:
    """One chunk of article text as HTML; every character of `piece` is escaped."""
    text = html.escape(piece)
    if kind is None:
        return text
    if kind == "stripped":
        if not show_stripped:
            return ""
        return f'<span style="{STRIPPED_STYLE}" title="stripped: {html.escape(label or "", quote=True)}">{text}</span>'
    tip = html.escape(f"{kind}: {label}" if label else kind, quote=True)
    return (f'<mark style="background:{COLOURS.get(kind, "#eee")};padding:0 2px;border-radius:2px" title="{tip}">'
            f'{text}</mark>')


def article_html(text: str, spans: pd.DataFrame, stripped: pd.DataFrame, *, show_stripped: bool) -> str:
    """The article as HTML: highlights from `spans`, `stripped` segments hidden or greyed."""
    cut = pd.DataFrame({"start": stripped["start"], "end": stripped["end"], "kind": "stripped",
                        "label": stripped["kind"] + " " + stripped["reason"].fillna("")})
    # Stripped segments go first so that, starting where a mention would, they win the overlap.
    all_spans = pd.concat([cut, spans], ignore_index=True) if len(cut) else spans
    body = "".join(chunk_html(p, k, lab, show_stripped=show_stripped)
                   for p, k, lab in views.highlight_chunks(text, all_spans))
    return (f'{legend()}<div style="white-space:pre-wrap;line-height:1.6;font-size:1rem;max-width:60rem;'
            f'border:1px solid #e3e6ea;border-radius:6px;padding:1rem 1.2rem;background:#fff">{body}</div>')


def render(text: str, spans: pd.DataFrame, stripped: pd.DataFrame, *, show_stripped: bool) -> None:
    """Draw the highlighted article."""
    st.html(article_html(text, spans, stripped, show_stripped=show_stripped))
