"""What Streamlit's frontend alone costs a first render on this machine: the floor under the
dashboard's "first chart" figure of bench_dashboard.py.

    .venv/bin/python benchmarks/bench_streamlit_floor.py [--runs 7] [--port 8615]

Serves a throwaway app with the dashboard's own settings (.streamlit/, static/) and chart element
(ui.chart), in two forms, and times a new headless Chromium per visit from navigation until the
heading and until the chart are drawn (medians and ranges over --runs visits, alternating forms):
- "heading + chart": a page title and one three-bar chart, nothing else;
- "+ the dashboard's elements": the same with the kinds of element every dashboard page draws
  (nine page links; in the sidebar the filters' multiselects, date boxes, text box, select box,
  button, and the saved views' form in an expander; in the page metrics and a table).
Each kind of element is a script module the browser fetches and runs when the page first
draws one; in Chromium traces of the dashboard every element of a page, its chart included,
appears in the same frame, after the last of these modules has run. So the second row is about
the least a dashboard page's first chart can take in a new browser. Not a test: it prints figures.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "benchmarks"), str(REPO / "tests")]

APP = '''
import datetime

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ui import chart

st.set_page_config(page_title="floor", layout="wide")
full = st.query_params.get("full") == "1"
if full:
    with st.sidebar:
        for i in range(9):
            st.page_link("pages/other.py", label=f"Page {i}", icon=":material/dashboard:")
st.title("Heading")
if full:
    with st.sidebar:
        st.header("Filters")
        st.multiselect("Actors", ["Russia", "North Korea", "Ukraine"], placeholder="All actors")
        st.date_input("From", datetime.date(2024, 1, 1))
        st.date_input("To", datetime.date(2024, 12, 31))
        st.multiselect("Event types", ["visit", "transfer"], placeholder="All types")
        st.text_input("Search sentences")
        st.selectbox("Review", ["all", "reviewed"])
        st.button("Reset filters")
        with st.expander("Saved views"), st.form("views"):
            st.text_input("Name this view")
            st.form_submit_button("Save current view")
    for column, value in zip(st.columns(5), (5, 4, 30, 25, 12)):
        column.metric("Count", value)
figure = go.Figure(go.Bar(x=["a", "b", "c"], y=[1, 3, 2]))
chart.draw(figure, key="floor_chart", config={"displayModeBar": False}, on_select="ignore")
if full:
    st.dataframe(pd.DataFrame({"date": ["2024-06-19"], "type": ["visit"], "actors": ["Putin; Kim Jong Un"]}))
'''


def write_app(folder: Path) -> Path:
    """The throwaway app in `folder`, with the dashboard's settings and static files; returns its path."""
    (folder / "pages").mkdir()
    (folder / "pages" / "other.py").write_text('import streamlit as st\nst.title("Other")\n', encoding="utf-8")
    (folder / ".streamlit").symlink_to(REPO / ".streamlit")
    (folder / "static").symlink_to(REPO / "static")
    app = folder / "floor_app.py"
    app.write_text(APP, encoding="utf-8")
    return app


def main(argv=None) -> int:
    from bench_dashboard import time_page
    from conftest import free_port, stop_server, wait_for_health
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--port", type=int, default=None)
    args = parser.parse_args(argv)
    port = args.port or free_port()
    forms = {"heading + chart": "", "+ the dashboard's elements": "?full=1"}
    with tempfile.TemporaryDirectory(prefix="bench_floor_") as tmp:
        app = write_app(Path(tmp))
        env = {**os.environ, "PYTHONPATH": str(REPO), "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
        cmd = [sys.executable, "-m", "streamlit", "run", str(app), "--server.port", str(port)]
        with tempfile.TemporaryFile() as log:
            proc = subprocess.Popen(cmd, cwd=tmp, env=env, stdout=log, stderr=subprocess.STDOUT)
            try:
                url = f"http://127.0.0.1:{port}/"
                wait_for_health(url.rstrip("/"), proc, timeout=120)
                times: dict[str, list[tuple[float, float]]] = {name: [] for name in forms}
                with sync_playwright() as pw:
                    time_page(pw, url + "?full=1", "floor_chart", 60)  # the server's imports, untimed
                    for _ in range(args.runs):
                        for name, query in forms.items():
                            heading, drawn = time_page(pw, url + query, "floor_chart", 60)
                            if heading is None or drawn is None:
                                raise RuntimeError(f"{name}: not drawn within 60 s (server log: {log.name})")
                            times[name].append((heading, drawn))
            finally:
                stop_server(proc)
    print(f"\n{'a new browser per visit (s)':30} {'heading':>8} {'chart':>8} {'chart range':>13}")
    for name, rows in times.items():
        charts = [c for _, c in rows]
        print(f"{name:30} {statistics.median(h for h, _ in rows):>8.2f} {statistics.median(charts):>8.2f} "
              f"{min(charts):>6.2f}-{max(charts):.2f}")
    print(f"(medians of {args.runs} visits each, alternating; compare with bench_dashboard.py --seeds, warm)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
