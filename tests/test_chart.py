"""ui.chart: which plotly.js bundle draws a figure, the bundles themselves, and the fallback to
st.plotly_chart (AppTest)."""
import json
import re

import plotly.offline
import pytest
from conftest import REPO, drawn_charts
from streamlit.testing.v1 import AppTest

from ui import chart


@pytest.mark.parametrize("types, bundle", [
    ({"bar"}, "app/static/plotly-basic.min.js"),
    ({"bar", "scatter"}, "app/static/plotly-basic.min.js"),
    ({"pie"}, "app/static/plotly-basic.min.js"),
    (set(), "app/static/plotly-basic.min.js"),
    ({"scattergeo", "scatter"}, "app/static/plotly-geo.min.js"),
    ({"choropleth"}, "app/static/plotly-geo.min.js"),
    ({"scattergl"}, None),  # no partial bundle has WebGL traces
    ({"scattergeo", "bar"}, None),  # nor both a map and bars
])
def test_the_smallest_bundle_that_has_every_trace(types, bundle):
    assert chart.bundle_for(types) == bundle


def test_the_bundles_are_served_and_match_the_plotly_js_of_plotly_py():
    # A plotly.py upgrade that changes plotly.js must bring new bundles along (figure JSON follows
    # the bundled plotly.js).
    version = plotly.offline.get_plotlyjs_version()
    for url, _traces in chart.BUNDLES.values():
        path = REPO / "static" / url.removeprefix("app/static/")
        head = path.read_text(encoding="utf-8")[:200]
        assert re.search(rf"plotly\.js \((basic|geo) - minified\) v{re.escape(version)}\b", head), (path, head)


def _page(trace: str):
    """A script drawing one figure with a `trace` trace through widgets.plot, clickable."""
    def script(trace):
        import plotly.graph_objects as go

        from ui import widgets
        fig = go.Figure(getattr(go, trace)(x=[1, 2], y=[3, 4], customdata=[["a"], ["b"]]))
        widgets.plot(fig, key="chart", on_select="rerun")
    return AppTest.from_function(script, kwargs={"trace": trace}, default_timeout=60)


def test_a_figure_a_bundle_draws_goes_to_the_light_element():
    at = _page("Scatter").run()
    assert not at.exception
    assert [el.key for el in at.get("plotly_chart")] == []
    (element,) = [el for el in at.get("bidi_component") if el.key == "chart"]
    data = json.loads(element.proto.json)
    assert data["bundle"] == "app/static/plotly-basic.min.js" and data["selectable"] is True
    assert drawn_charts(at)["chart"][0]["data"][0]["customdata"] == [["a"], ["b"]]


def test_a_figure_no_bundle_draws_falls_back_to_st_plotly_chart():
    at = _page("Scattergl").run()
    assert not at.exception
    assert [el.key for el in at.get("plotly_chart")] == ["chart"]
    assert "chart" not in [el.key for el in at.get("bidi_component")]
