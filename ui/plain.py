"""Text from articles and file names shown as text: titles, outlets, file names, URLs,
sentences and actor names come from outside, and rendered as Markdown `![x](http://…)` makes
every viewer's browser fetch an address, `[x](http://…)` is a live link, `:red[x]` and `$…$`
restyle the page.

`heading` and `caption` draw such text through st.html with every character escaped (robust by
construction). `md` is for text that must sit inside a Markdown element (st.info, st.caption
mixed with our own words): escapes and breaks every construct Streamlit's Markdown knows.
"""
from __future__ import annotations

import html
import re

import streamlit as st

# Every ASCII punctuation character: CommonMark lets any of them be backslash-escaped, and
# escaping them all also covers Streamlit's extensions (:color[…] directives, :material/…:
# icons, $LaTeX$).
_PUNCT = re.compile(r"([!-/:-@\[-`{-~])")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029]+")
# GFM turns bare URLs and emails into links after escapes are resolved (on the text itself),
# so escaping cannot stop them: an invisible word joiner breaks the pattern instead.
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?<=\bwww)(?=\.)|(?<=@)", re.IGNORECASE)
WORD_JOINER = "\u2060"
CAPTION_STYLE = "font-size:0.875rem;opacity:0.65;margin:0 0 0.5rem 0;line-height:1.5;overflow-wrap:anywhere"
HEADING_STYLE = "font-size:1.7rem;font-weight:600;line-height:1.3;margin:1rem 0 0.25rem 0;overflow-wrap:anywhere"


def md(text: object) -> str:
    """`text` as Markdown source that renders as the text: every ASCII punctuation character
    backslash-escaped, bare URLs and emails broken by an invisible word joiner, line breaks
    turned into spaces and the ends stripped (no heading, list or code block can start).
    None gives ""."""
    if text is None:
        return ""
    flat = _LINE_BREAKS.sub(" ", str(text)).strip()
    return _PUNCT.sub(r"\\\1", _AUTOLINK.sub(WORD_JOINER, flat))


def heading(text: object) -> None:
    """A sub-heading whose every character is shown as written (escaped HTML, no Markdown)."""
    st.html(f'<h2 style="{HEADING_STYLE}">{html.escape(str(text))}</h2>')


def caption(text: object) -> None:
    """A small grey line whose every character is shown as written (escaped HTML, no Markdown)."""
    st.html(f'<div style="{CAPTION_STYLE}">{html.escape(str(text))}</div>')
