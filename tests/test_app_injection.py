"""Text is text: titles, outlets, file names, claimants and actor names carrying Markdown,
LaTeX and HTML are shown as plain text on every page (AppTest).

Every element Streamlit renders as Markdown (titles, captions, alerts, widget labels and help)
must not hold the raw markup; st.html bodies and plotly labels must hold it escaped.
"""
from __future__ import annotations

import html
import re

import pytest
from conftest import A1, A2, A3, A4, no_errors, page_html, plotly_specs, run_page, sample_tables

from ui import plain

INJECT = r"x ![pix](http://127.0.0.1:8999/pixel.png) [Click here](http://evil/phish) **bold** :red[x] $\LaTeX$"
HTML_INJECT = "<b>b</b><a href='http://evil/a'>a</a><img src='http://127.0.0.1:8999/i.png'>"
ACTOR = "Ukraine"
INJECTED_ACTOR = f"Ukraine {INJECT} {HTML_INJECT}"
# Raw markup that must never reach a Markdown-rendered field.
MARKDOWN_RAW = ["![pix](", "[Click here](", "**bold**", ":red[x]", "$\\LaTeX$", "<b>b</b>", "<a href", "<img"]
HTML_RAW = ["<b>b</b>", "<a href='http://evil", "<img src='http://127.0.0.1:8999", '<img src="http://127.0.0.1:8999',
            'href="http://evil']
PAGES = [None, "pages/timeline.py", "pages/map.py", "pages/actors.py", "pages/quantities.py", "pages/tables.py",
         "pages/articles.py"]
# Element types whose content is data shown as plain text (or checked apart: html, plotly charts,
# which ui.chart draws with a v2 component, "bidi_component").
DATA_TYPES = {"arrow_data_frame", "dataframe", "table", "html", "plotly_chart", "bidi_component", "text", "code",
              "json"}


def injected_tables() -> dict:
    """sample_tables() with every article's title, outlet and file name, every claimant and
    the actor Ukraine's name carrying markup, and a few empty cells the charts show."""
    t = sample_tables()
    t["articles"] = t["articles"].assign(
        title=[f"{INJECT} {i}" for i in range(len(t["articles"]))], source=f"Outlet {INJECT}",
        file=[f"{INJECT} {HTML_INJECT}.txt" for _ in range(len(t["articles"]))])
    t["quantities"] = t["quantities"].assign(claimant=t["quantities"]["claimant"].where(
        t["quantities"]["claimant"].isna(), f"Claimant {INJECT}"))
    rename = {ACTOR: INJECTED_ACTOR}
    t["actors"] = t["actors"].assign(name=t["actors"]["name"].replace(rename),
                                     aliases=t["actors"]["aliases"].replace(rename))
    t["mentions"] = t["mentions"].assign(name=t["mentions"]["name"].replace(rename))
    t["event_actors"] = t["event_actors"].assign(actor=t["event_actors"]["actor"].replace(rename))
    t["events"] = t["events"].assign(actors=t["events"]["actors"].str.replace(ACTOR, INJECTED_ACTOR, regex=False))
    # Missing values in what the charts' hover shows (escaping must not trip on them).
    t["places"] = t["places"].assign(country=t["places"]["country"].where(t["places"]["name"] != "Kharkiv", None))
    t["links"] = t["links"].assign(first_date=None)
    t["actors"] = t["actors"].assign(country=t["actors"]["country"].where(t["actors"]["name"] != "Kremlin", None))
    return t


@pytest.fixture
def tables():  # overrides conftest's sample corpus for sample_store
    return injected_tables()


def walk(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from walk(child)


def proto_strings(message) -> list[str]:
    """Every string field of a protobuf message, recursively."""
    out = []
    for _field, value in message.ListFields():
        values = value if isinstance(value, (list, tuple)) or type(value).__name__.startswith("Repeated") else [value]
        for v in values:
            if isinstance(v, str):
                out.append(v)
            elif hasattr(v, "ListFields"):
                out.extend(proto_strings(v))
    return out


def markdown_fields(at) -> list[str]:
    """The text of every field the browser renders as Markdown: whole markdown-like elements,
    and the label and help of widgets (their options are plain text)."""
    out = []
    for node in walk(at._tree):
        proto, kind = getattr(node, "proto", None), getattr(node, "type", None)
        if proto is None or kind in DATA_TYPES or not hasattr(proto, "ListFields"):
            continue
        if hasattr(proto, "options") or hasattr(proto, "label"):
            out += [getattr(proto, "label", ""), getattr(proto, "help", ""), getattr(proto, "placeholder", "")]
        else:
            out += proto_strings(proto)
    return [s for s in out if s]


def live_markup(field: str) -> list[str]:
    """The raw markers in a Markdown field once its backslash-escaped characters are dropped
    (an escaped character is shown as itself, so it cannot start markup)."""
    unescaped = re.sub(r"\\.", "", field)
    return [raw for raw in MARKDOWN_RAW if raw in unescaped]


def json_strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in json_strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in json_strings(v)]
    return []


@pytest.mark.parametrize("page", PAGES)
def test_injected_markup_stays_text_on_every_page(sample_store, page):
    at = run_page(page)
    assert no_errors(at) == []
    for field in markdown_fields(at):
        assert not live_markup(field), field
    for body in (h.proto.body for h in at.get("html")):
        assert not [raw for raw in HTML_RAW if raw in body], body
    charts = plotly_specs(at)
    assert charts or page in ("pages/tables.py", "pages/articles.py"), "a chart page drew no chart"
    for spec in charts.values():
        for s in json_strings(spec):
            assert not [raw for raw in HTML_RAW if raw in s], s


@pytest.mark.parametrize("article", [A1, A2, A3, A4])
def test_articles_page_shows_title_and_caption_as_text(sample_store, article):
    at = run_page("pages/articles.py", query={"article": article})
    assert no_errors(at) == []
    heading, caption = (h.proto.body for h in page_html(at)[:2])
    assert heading.startswith("<h2") and f">{html.escape(INJECT)} " in heading
    assert html.escape(f"source: Outlet {INJECT}") in caption and html.escape(f"{INJECT} {HTML_INJECT}.txt") in caption
    assert "Click here" not in " ".join(s.value for s in at.header)  # not in a Markdown heading


def test_actors_page_empty_notice_escapes_the_actor_name(sample_store):
    at = run_page("pages/actors.py")
    names = list(at.get_by_key("actors_selected").options)
    assert any("Click here" in n for n in names)  # the chooser lists the name as plain text
    at.get_by_key("actors_selected").set_value(INJECTED_ACTOR).run()
    assert no_errors(at) == []
    for field in markdown_fields(at):
        assert not live_markup(field), field


def test_md_renders_every_character_and_escapes_every_marker():
    text = INJECT + " http://evil.example/x www.evil.example ed@evil.example\n# heading\n    code"
    escaped = plain.md(text)
    assert "\n" not in escaped and "\\#" in escaped
    # No bare URL or email left for GFM's autolinks (they act after escapes are resolved).
    unescaped = escaped.replace("\\", "")
    for pattern in ["://", "www.", "@e"]:
        assert pattern not in unescaped
    # Without the escapes and word joiners it is the text (line breaks as spaces).
    assert unescaped.replace(plain.WORD_JOINER, "") == text.replace("\n", " ").replace("\\", "")
