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
# A highlight that opens the evidence panel: the mark keeps its colour, a dotted underline and
# the hand cursor say it can be clicked.
LINK_STYLE = "color:inherit;text-decoration:none;cursor:pointer"
LINKED_MARK = ";border-bottom:2px dotted #7a4b4b"


def legend() -> str:
    """The colour legend as HTML."""
    items = "".join(f'<span style="background:{c};padding:1px 6px;margin-right:8px;border-radius:3px">{k}</span>'
                    for k, c in COLOURS.items())
    return f'<div style="font-size:0.85rem;margin-bottom:0.5rem">{items}</div>'


def chunk_html(piece: str, kind: str | None, label: str | None, *, show_stripped: bool,
               href: str | None = None) -> str:
    """One chunk of article text as HTML; every character of `piece` is escaped. A highlight
    with `href` is a link to it (same tab), the href escaped as an attribute."""
    text = html.escape(piece)
    if kind is None:
        return text
    if kind == "stripped":
        if not show_stripped:
            return ""
        return f'<span style="{STRIPPED_STYLE}" title="stripped: {html.escape(label or "", quote=True)}">{text}</span>'
    tip = html.escape(f"{kind}: {label}" if label else kind, quote=True)
    style = f"background:{COLOURS.get(kind, '#eee')};padding:0 2px;border-radius:2px"
    if href is None:
        return f'<mark style="{style}" title="{tip}">{text}</mark>'
    return (f'<a href="{html.escape(href, quote=True)}" target="_self" style="{LINK_STYLE}" '
            f'data-testid="newsdash-highlight-link"><mark style="{style}{LINKED_MARK}" '
            f'title="{tip} · click to review">{text}</mark></a>')


def article_html(text: str, spans: pd.DataFrame, stripped: pd.DataFrame, *, show_stripped: bool,
                 links: dict[tuple[str, int, int], str] | None = None) -> str:
    """The article as HTML: highlights from `spans`, `stripped` segments hidden or greyed; a
    highlight whose (kind, start, end) is in `links` is a link to its value."""
    cut = pd.DataFrame({"start": stripped["start"], "end": stripped["end"], "kind": "stripped",
                        "label": stripped["kind"] + " " + stripped["reason"].fillna("")})
    # Stripped segments go first so that, starting where a mention would, they win the overlap.
    all_spans = pd.concat([cut, spans], ignore_index=True) if len(cut) else spans
    links = links or {}
    pieces, pos = [], 0
    for p, k, lab in views.highlight_chunks(text, all_spans):
        href = links.get((k, pos, pos + len(p))) if k is not None else None
        pieces.append(chunk_html(p, k, lab, show_stripped=show_stripped, href=href))
        pos += len(p)
    body = "".join(pieces)
    return (f'{legend()}<div style="white-space:pre-wrap;line-height:1.6;font-size:1rem;max-width:60rem;'
            f'border:1px solid #e3e6ea;border-radius:6px;padding:1rem 1.2rem;background:#fff">{body}</div>')


def render(text: str, spans: pd.DataFrame, stripped: pd.DataFrame, *, show_stripped: bool,
           links: dict[tuple[str, int, int], str] | None = None) -> None:
    """Draw the highlighted article (`links` as for article_html)."""
    st.html(article_html(text, spans, stripped, show_stripped=show_stripped, links=links))


# The evidence panel marks the row's sentence and, inside it, the row's own words apart from
# every other highlight: a band behind the sentence, an outlined bold mark on the words.
SENTENCE_STYLE = "background:#fff1a8;box-shadow:0 0 0 3px #fff1a8;border-radius:2px"
WORDS_STYLE = "background:#ffd23f;outline:2px solid #8a5a00;font-weight:700;padding:0 2px;border-radius:2px"


def _slice(text: str, spans: pd.DataFrame, lo: int, hi: int) -> list[tuple[str, str | None, str | None]]:
    """highlight_chunks of text[lo:hi] with the spans lying wholly inside it."""
    inside = spans[(spans["start"] >= lo) & (spans["end"] <= hi)]
    return views.highlight_chunks(text[lo:hi], inside.assign(start=inside["start"] - lo, end=inside["end"] - lo))


def evidence_html(text: str, spans: pd.DataFrame, stripped: pd.DataFrame, sentence: tuple[int, int],
                  words: tuple[int, int] | None, *, anchor: str) -> str:
    """The article as HTML with `sentence` (start, end offsets) wrapped in a band with id
    `anchor` and `words` (the row's own span, inside or outside the sentence; None: none)
    marked apart from the other highlights of `spans`, which are kept elsewhere. Stripped
    segments are hidden. Spans crossing the sentence's edges or overlapping the words are left
    out, so every character appears once. Assumes 0 <= start <= end <= len(text)."""
    s0, s1 = max(0, min(sentence[0], len(text))), max(0, min(sentence[1], len(text)))
    s1 = max(s0, s1)
    cut = pd.DataFrame({"start": stripped["start"], "end": stripped["end"], "kind": "stripped",
                        "label": stripped["kind"]})
    all_spans = pd.concat([cut, spans], ignore_index=True) if len(cut) else spans
    all_spans = all_spans[~((all_spans["start"] < s0) & (all_spans["end"] > s0))
                          & ~((all_spans["start"] < s1) & (all_spans["end"] > s1))]
    if words is not None and words[1] > words[0]:
        w0, w1 = words
        all_spans = all_spans[(all_spans["end"] <= w0) | (all_spans["start"] >= w1)]
        hit = pd.DataFrame({"start": [w0], "end": [w1], "kind": ["words"], "label": ["the row's words"]})
        all_spans = pd.concat([all_spans, hit], ignore_index=True)

    def piece(p: str, kind: str | None, label: str | None) -> str:
        if kind == "words":
            return f'<mark style="{WORDS_STYLE}" title="the row\'s words">{html.escape(p)}</mark>'
        return chunk_html(p, kind, label, show_stripped=False)

    before, middle, after = ("".join(piece(*c) for c in _slice(text, all_spans, lo, hi))
                             for lo, hi in ((0, s0), (s0, s1), (s1, len(text))))
    marked = f'<span id="{html.escape(anchor, quote=True)}" style="{SENTENCE_STYLE}" title="the row\'s sentence">'
    return (f'<div style="white-space:pre-wrap;line-height:1.6;font-size:0.95rem">'
            f'{before}{marked}{middle}</span>{after}</div>')
