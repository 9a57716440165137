"""Actors: who appears, how often, and who meets, visits, supplies or strikes whom."""
import plotly.graph_objects as go
import streamlit as st

from core.query import views
from ui import layout, widgets

view = layout.start("Actors")
st.title("Actors")
actors = view.shown["actors"].sort_values(["n_mentions", "name"], ascending=[False, True])
if actors.empty:
    widgets.empty_notice("actors", view.filters)
    st.stop()
cols = ["name", "type", "country", "code", "n_mentions", "n_articles", "first_seen", "last_seen", "aliases"]
st.dataframe(actors[cols], hide_index=True, width="stretch", column_config=widgets.column_config(actors, "actors"))

st.subheader("Network")
st.caption("An arrow goes from who acts (visits, supplies, strikes, speaks) to whom it is aimed at; actors of "
           "an event with no clear direction are joined in alphabetical order. Node size: events.")
edges = view.query("network_edges")
nodes = views.network_layout(views.network_nodes(edges, view.tables["actors"]), edges)
if nodes.empty:
    widgets.empty_notice("events between two actors", view.filters)
else:
    pos = nodes.set_index("name")[["x", "y"]]
    fig = go.Figure()
    for _, e in edges[edges["source"].isin(pos.index) & edges["target"].isin(pos.index)].iterrows():
        (x0, y0), (x1, y1) = pos.loc[e["source"]], pos.loc[e["target"]]
        fig.add_annotation(x=x1, y=y1, ax=x0, ay=y0, xref="x", yref="y", axref="x", ayref="y", showarrow=True,
                           arrowhead=2, arrowsize=1, arrowwidth=1 + e["n_events"] ** 0.5, arrowcolor="#8a9bb0",
                           standoff=10, startstandoff=10, opacity=0.8)
    fig.add_trace(go.Scatter(
        x=nodes["x"], y=nodes["y"], mode="markers+text", text=widgets.plot_text(nodes["name"]),
        textposition="top center",
        marker=dict(size=12 + 5 * nodes["n_events"].astype(float) ** 0.5, color="#2f6690",
                    line=dict(width=1, color="white")),
        customdata=widgets.plot_cells(nodes[["type", "country", "n_events"]]),
        hovertemplate="<b>%{text}</b><br>%{customdata[0]}, %{customdata[1]}<br>%{customdata[2]} events<extra></extra>",
    ))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x")
    fig.update_layout(height=520, showlegend=False)
    widgets.plot(fig, key="actors_network")
    st.dataframe(edges, hide_index=True, width="stretch", key="actors_edges")

st.subheader("Events of an actor")
who = st.selectbox("Actor", actors["name"], key="actors_selected",
                   format_func=lambda n: view.options.actor_labels.get(n, n))
their = view.query("actor_events", actor=who)
if their.empty:
    widgets.empty_notice(f"events involving {who}", view.filters)
else:
    widgets.evidence_table(their, key="actors_events", filters=view.filters, table="events",
                           columns=["date", "type", "status", "role", "actors", "sentence"])
