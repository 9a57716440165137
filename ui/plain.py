"""Text from articles and file names shown as text: the one escaping helper for Streamlit's
Markdown elements (st.markdown, st.caption, st.subheader, st.info, widget labels).

Titles, outlets, file names, URLs, sentences and actor names come from outside. Rendered as
Markdown, `![x](http://…)` makes every viewer's browser fetch an address, `[x](http://…)` is a
live link, `:red[x]` and `$…$` restyle the page. Prefer st.text / st.dataframe / st.html with
html.escape; where the text must sit inside a Markdown element, pass it through `md`.
"""
from __future__ import annotations

import re

# Every ASCII punctuation character: CommonMark lets any of them be backslash-escaped, and
# escaping them all also covers Streamlit's extensions (:color[…] directives, :material/…:
# icons, $LaTeX$) and GFM's bare-URL autolinks (the ':' and '.' no longer run together).
_PUNCT = re.compile(r"([!-/:-@\[-`{-~])")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029]+")


def md(text: object) -> str:
    """`text` as Markdown source that renders exactly as the text: every ASCII punctuation
    character backslash-escaped, line breaks turned into spaces and the ends stripped (no
    heading, list or code block can start). None gives ""."""
    if text is None:
        return ""
    return _PUNCT.sub(r"\\\1", _LINE_BREAKS.sub(" ", str(text)).strip())
