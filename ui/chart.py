"""The dashboard's chart element: a plotly figure drawn by a partial plotly.js bundle.

Streamlit's own plotly element loads the whole of plotly.js (4.7 MB): on the 2-core reference
machine a new browser spends 1.2-1.4 s fetching and running it before the first chart, which
put every chart page's first chart near 3 s. The dashboard only draws bars, scatters and maps,
which two of plotly.js's official partial bundles cover (static/plotly-basic.min.js: bar, pie,
scatter; static/plotly-geo.min.js: scatter, scattergeo, choropleth; 0.3-0.4 s each). This
element (a Streamlit v2 component, ui/chart.js) draws a figure with the smaller bundle that has
all its traces and reports selections in the shape st.plotly_chart does
(`{"selection": {"points": [{"customdata": ..., ...}], ...}}`). A figure with any other trace
falls back to st.plotly_chart.
"""
from __future__ import annotations

from pathlib import Path

import streamlit as st

# Partial bundles of plotly.js 4.1.1 (npm plotly.js-basic-dist-min and plotly.js-geo-dist-min,
# MIT, licence in static/), the version plotly.py bundles; smallest first.
BUNDLES = {"basic": ("app/static/plotly-basic.min.js", frozenset({"bar", "pie", "scatter"})),
           "geo": ("app/static/plotly-geo.min.js", frozenset({"scatter", "scattergeo", "choropleth"}))}

_element = st.components.v2.component(
    "newsdash_chart", html='<div class="newsdash-chart"></div>',
    js=Path(__file__).with_name("chart.js").read_text(encoding="utf-8"),
    # In the page's own DOM: plotly styles its charts with rules it adds to the document.
    isolate_styles=False)


def bundle_for(trace_types: set[str]) -> str | None:
    """The URL of the smallest bundle that draws every trace type of `trace_types`, None when
    none does."""
    return next((url for url, drawn in BUNDLES.values() if trace_types <= drawn), None)


def preload(bundle: str) -> None:
    """Start loading the plotly.js bundle named `bundle` (a key of BUNDLES) in the browser with
    the page's first elements, from an empty element in the sidebar (hidden by ui/layout.css).
    Streamlit mounts it together with or before the page's charts; measured against loading the
    bundle with the first chart, it is as fast or faster (map 2.33 vs 2.75 s)."""
    with st.sidebar:
        _element(key="chart_bundle_preload", data={"preload": BUNDLES[bundle][0]})


def draw(fig, *, key: str | None, config: dict, on_select):
    """Draw the plotly figure `fig` across the page's width; returns its selection state (a
    dict-like `{"selection": {"points": [...]}}`, empty before any selection). `on_select`:
    "ignore", "rerun" or a callback run when the selection changes, as for st.plotly_chart."""
    bundle = bundle_for({trace.type for trace in fig.data})
    if bundle is None:
        return st.plotly_chart(fig, config=config, width="stretch", key=key, on_select=on_select,
                               selection_mode=("points",))
    selectable = on_select != "ignore"
    callbacks = {"on_selection_change": on_select if callable(on_select) else _rerun} if selectable else {}
    data = {"figure": fig.to_json(), "bundle": bundle, "config": config, "selectable": selectable}
    return _element(key=key, data=data, height="content", **callbacks)


def _rerun() -> None:
    """A selection callback that does nothing: the change itself reruns the page."""
