"""Map: places on a world map, arcs for the links between them; choosing a link lists its events."""
import plotly.graph_objects as go
import streamlit as st

from core.query import views
from ui import layout, widgets

view = layout.start("Map")
st.title("Map")
st.caption("Places the articles name, and arcs for the movements and strikes between them "
           "(width grows with the number of events). Country outlines are served by this app: no network needed.")
places = views.map_places(view.shown["places"])
arcs = views.link_arcs(view.shown["links"])
if places.empty and arcs.empty:
    widgets.empty_notice("located places", view.filters)
    st.stop()

colours = widgets.TYPE_COLORS
fig = go.Figure()
for _, arc in arcs.iterrows():
    fig.add_trace(go.Scattergeo(
        lat=[arc["origin_lat"], arc["destination_lat"]], lon=[arc["origin_lon"], arc["destination_lon"]],
        mode="lines", line=dict(width=arc["width"], color=colours.get(arc["type"], "#555")),
        opacity=0.75, hoverinfo="skip", showlegend=False,
    ))
for type_, group in arcs.groupby("type", sort=True):
    fig.add_trace(go.Scattergeo(
        lat=group["mid_lat"], lon=group["mid_lon"], mode="markers", name=f"{type_} link",
        marker=dict(size=9, symbol="diamond", color=colours.get(type_, "#555"), line=dict(width=1, color="white")),
        customdata=widgets.plot_cells(group[["label", "n_events", "n_articles", "first_date", "last_date"]]),
        hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]} events in %{customdata[2]} articles"
                      "<br>%{customdata[3]} → %{customdata[4]}<extra></extra>",
    ))
fig.add_trace(go.Scattergeo(
    lat=places["lat"], lon=places["lon"], mode="markers+text", name="places", text=widgets.plot_text(places["name"]),
    textposition="top center", textfont=dict(size=11, color="#2b3440"),
    marker=dict(size=6 + 3 * places["n_mentions"].astype(float).clip(upper=8), color="#34495e", opacity=0.85),
    customdata=widgets.plot_cells(places[["name", "country", "n_mentions", "n_articles"]]),
    hovertemplate="<b>%{customdata[0]}</b> (%{customdata[1]})<br>"
                  "%{customdata[2]} mentions in %{customdata[3]} articles<extra></extra>",
))
fig.update_geos(projection_type="natural earth", showcountries=True, countrycolor="#9aa5b1", showland=True,
                landcolor="#f2f0eb", showocean=True, oceancolor="#e6eef5", showlakes=True, lakecolor="#e6eef5",
                lataxis_range=[20, 72], lonaxis_range=[10, 150],
                resolution=110)
fig.update_layout(height=560, legend=dict(orientation="h", y=-0.02))
widgets.plot(fig, key="map_chart")

st.subheader("Links")
if arcs.empty:
    widgets.empty_notice("links between located places", view.filters)
    st.stop()
table = arcs[["label", "n_events", "n_articles", "first_date", "last_date", "distance_km"]]
st.dataframe(table, hide_index=True, width="stretch", column_config=widgets.column_config(table, "links"))
choice = st.selectbox("Show the events of a link", arcs["label"], key="map_link")
chosen = arcs[arcs["label"] == choice].iloc[0]
widgets.evidence_table(view.query("events_with_ids", ids=chosen["event_ids"]), key="map_link_events",
                       filters=view.filters, table="events",
                       columns=["date", "type", "status", "actors", "origin", "destination", "sentence"])
