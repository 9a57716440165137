"""Actors: who appears, how often, and who meets, visits, supplies or strikes whom. Clicking a
node in the network filters every page to that actor."""
from ui import frame

frame.begin("Actors", charts="basic")  # first: the heading shows while the imports below load

from dataclasses import replace

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from core.query import geo, views
from ui import entity_review, layout, palette, sidebar, urlstate, widgets

WIDTH_PX, HEIGHT_PX = 880, 540  # the chart's usual size at a 1400 px window, to judge label overlaps
LABEL_FONT = 12
TOP_LABELS = 15  # at most this many names written; the others on hover
NODE_ROOT_MAX, ARROW_ROOT_MAX = 6.0, 4.0  # node sizes and arrow widths stop growing at 36 and 16 events
EDGES_DRAWN = 150  # at most this many arrows (each an annotation: thousands take minutes to draw)


def spread(nodes: pd.DataFrame) -> pd.DataFrame:
    """`nodes` with each node's distance from the core (the median position) replaced by its
    rank among them (the angle kept), so a dense core is not squeezed by a few far-off pairs:
    for drawing only."""
    x, y = nodes["x"].to_numpy(float), nodes["y"].to_numpy(float)
    x, y = x - np.median(x), y - np.median(y)
    radius = np.hypot(x, y)
    if len(nodes) < 3 or radius.max() == 0:
        return nodes
    # sqrt: as many nodes per unit of area near the core as at the rim.
    ranked = np.sqrt((pd.Series(radius).rank(method="first").to_numpy() - 0.5) / len(nodes))
    scale = np.divide(ranked, radius, out=np.zeros_like(radius), where=radius > 0)
    return nodes.assign(x=x * scale, y=y * scale)


def node_labels(nodes: pd.DataFrame) -> tuple[pd.Series, np.ndarray]:
    """(the names written on the chart, where each sits): the most active nodes whose labels
    fit around them without overlapping; the others show on hover."""
    xs, ys = nodes["x"].to_numpy(float), nodes["y"].to_numpy(float)
    span_x, span_y = max(np.ptp(xs), 1e-9), max(np.ptp(ys), 1e-9)
    scale = min(WIDTH_PX / span_x, HEIGHT_PX / span_y) * 0.8  # the axes keep their aspect; legend and margins
    names = nodes["name"].astype(str)
    rank = nodes["n_events"].astype(float).rank(ascending=False, method="first").to_numpy()
    spots = geo.label_spots(xs * scale, -ys * scale, -rank, names.str.len() * LABEL_FONT * 0.6,
                            height=LABEL_FONT + 2, gap=3)
    spots = np.where(rank <= TOP_LABELS, spots, "")
    return names.where(spots != "", ""), np.where(spots == "", "top center", spots)


def scaled_root(counts: pd.Series, most: float) -> np.ndarray:
    """The square roots of `counts`, all shrunk alike so the largest is at most `most`: a big
    corpus (thousands of events per actor) keeps its nodes and arrows on the chart."""
    root = counts.astype(float).to_numpy() ** 0.5
    top = root.max() if len(root) else 0.0
    return root * (most / top) if top > most else root


def network_figure(nodes: pd.DataFrame, edges: pd.DataFrame) -> go.Figure:
    """Arrows from who acts to whom; nodes sized by events, coloured by country, shaped by
    actor type, with a legend for both."""
    pos = nodes.set_index("name")[["x", "y"]]
    drawn = edges[edges["source"].isin(pos.index) & edges["target"].isin(pos.index)]
    widths = 1 + scaled_root(drawn["n_events"], ARROW_ROOT_MAX)
    # All arrows set at once: add_annotation one by one re-validates every arrow before it
    # (quadratic: most of the page's run time at 49 arrows, 17 s at 150).
    fig = go.Figure(layout=dict(annotations=[
        dict(x=pos.at[t, "x"], y=pos.at[t, "y"], ax=pos.at[s, "x"], ay=pos.at[s, "y"], xref="x", yref="y", axref="x",
             ayref="y", showarrow=True, arrowhead=2, arrowsize=1, arrowwidth=w, arrowcolor="#8a9bb0",
             standoff=10, startstandoff=10, opacity=0.8)
        for s, t, w in zip(drawn["source"], drawn["target"], widths, strict=True)]))
    country = nodes["country"].where(nodes["country"].notna() & (nodes["country"] != ""), palette.OTHER)
    colours = palette.country_colors(country)  # nodes come most active first: stable colours
    country = country.where(country.isin(list(colours)), palette.OTHER)
    labels, spots = node_labels(nodes)
    fig.add_trace(go.Scatter(
        x=nodes["x"], y=nodes["y"], mode="markers+text", text=widgets.plot_text(labels), textposition=spots,
        textfont=dict(size=LABEL_FONT, color=palette.TEXT), showlegend=False,
        marker=dict(size=12 + 5 * scaled_root(nodes["n_events"], NODE_ROOT_MAX), color=country.map(colours),
                    symbol=nodes["type"].map(palette.ACTOR_TYPE_SYMBOLS).fillna("circle"),
                    line=dict(width=1.5, color="white")),
        customdata=widgets.plot_cells(nodes[["name", "type", "country", "n_events"]]),
        hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}, %{customdata[2]}<br>%{customdata[3]} events"
                      "<br><i>click to filter every page to this actor</i><extra></extra>",
    ))
    # Legend-only entries: a colour per country, a shape per actor type.
    for name in dict.fromkeys(country):
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=str(name), legendgroup="country",
                                 legendgrouptitle_text="Country", marker=dict(size=11, color=colours[name])))
    for type_ in dict.fromkeys(nodes["type"].dropna()):
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=str(type_), legendgroup="type",
                                 legendgrouptitle_text="Actor type",
                                 marker=dict(size=11, color=palette.MUTED,
                                             symbol=palette.ACTOR_TYPE_SYMBOLS.get(type_, "circle"))))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x")
    fig.update_layout(height=HEIGHT_PX, showlegend=True, legend=dict(groupclick="toggleitem"),
                      clickmode="event+select", dragmode=False)
    return fig


view = layout.start("Actors")
actors = view.shown["actors"].sort_values(["n_mentions", "name"], ascending=[False, True])
if actors.empty:
    widgets.empty_notice("actors", view.filters)
    st.stop()
cols = ["name", "type", "country", "code", "n_mentions", "n_articles", "first_seen", "last_seen", "aliases"]
shown = widgets.listed(actors[cols], "aliases")
st.dataframe(shown, hide_index=True, width="stretch", column_config=widgets.column_config(shown, "actors"))

st.header("Network")
st.caption("An arrow goes from who acts (visits, supplies, strikes, speaks) to whom it is aimed at; actors of "
           "an event with no clear direction are joined in alphabetical order. Node size: events; colour: "
           "country; shape: actor type. Click a node to filter every page to that actor.")
edges = view.query("network_edges")
nodes = views.network_nodes(edges, view.tables["actors"])
most = int(nodes["n_events"].max()) if len(nodes) else 1
least = st.slider("Minimum events per actor", 1, max(most, 2), 1, disabled=most < 2,
                  **urlstate.bound("actors_min_events"))
nodes = nodes[nodes["n_events"] >= least].reset_index(drop=True)
edges = edges[edges["source"].isin(nodes["name"]) & edges["target"].isin(nodes["name"])]
# The arrows drawn: the heaviest (most events); the table under the chart lists every one.
arrows = views.largest(edges, EDGES_DRAWN, ["n_events"], [False])
nodes = spread(views.network_layout(nodes, arrows))
if nodes.empty:
    widgets.empty_notice("events between two actors", view.filters)
else:
    event = widgets.plot(network_figure(nodes, arrows), key="actors_network", on_select="rerun")
    widgets.capped_note(len(arrows), len(edges), "links between these actors", "heaviest")
    # A click is applied once: clearing the filter afterwards is not undone by the lasting selection.
    pick = widgets.picked(event, nodes["name"])
    last = st.session_state.get("actors_last_pick")
    st.session_state["actors_last_pick"] = pick
    if pick and pick != last and view.filters.actors != (pick,):
        sidebar.request_filters(replace(view.filters, actors=(pick,)))
    widgets.chart_data(edges, key="actors_edges", label="The network as a table")

st.header("Events of an actor")
# Opens on the actor the filter names (e.g. Kim Jong Un rather than the most mentioned state).
wanted = next((a for a in view.filters.actors if a in set(actors["name"])), None)
if wanted and st.session_state.get("actors_selected_for") != view.filters.actors:
    st.session_state["actors_selected"] = wanted
st.session_state["actors_selected_for"] = view.filters.actors
who = st.selectbox("Actor", actors["name"], format_func=lambda n: view.options.actor_labels.get(n, n),
                   **urlstate.bound("actors_selected"))
their = view.query("actor_events", actor=who)
if their.empty:
    widgets.empty_notice(f"events involving {who}", view.filters)
else:
    widgets.evidence_table(their, key="actors_events", filters=view.filters, table="events",
                           columns=["date", "type", "status", "role", "actors", "sentence"])

entity_review.actor_controls(view.tables, view.rows)
