"""Map: places on a map fitted to them, with a Korea–Russian Far East inset; curved arcs with
arrowheads for the links between places, one lane per type; clicking an arc's marker lists
its events. Downloads as GeoJSON and KML."""
from ui import frame

frame.begin("Map", charts="geo")  # first: the heading shows while the imports below load

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from core.corpus import geoexport
from core.query import geo, views
from ui import entity_review, layout, palette, plain, urlstate, widgets

MAIN_WIDTH_PX = 880  # the chart area's width at a 1400 px window: enough to judge which labels collide
HEIGHT_PX = 520
LABEL_FONT = 12
ARROW_AT = 0.8  # the arrowhead sits this far along its arc, clear of the destination's marker
ARCS_DRAWN = 100  # at most this many arcs drawn (three plotly traces each: more take seconds to draw)
GEOS = dict(showcountries=True, countrycolor="#8a96a3", showland=True, landcolor=palette.MAP_LAND, showocean=True,
            oceancolor="#e6eef5", showlakes=True, lakecolor="#e6eef5", resolution=110, showframe=True,
            framecolor="#b8c2cc")


def axes(frame: dict) -> dict:
    """A geo.fit_view frame as plotly geo axis ranges."""
    return {"lataxis": {"range": frame["lat_range"]}, "lonaxis": {"range": frame["lon_range"]}}


def label_widths(names: pd.Series) -> np.ndarray:
    """Estimated pixel width of each place name at LABEL_FONT (an average glyph is ~0.6 em)."""
    return names.astype(str).str.len().to_numpy(float) * LABEL_FONT * 0.6


def place_labels(places: pd.DataFrame, arcs: pd.DataFrame, frame: dict, width: float,
                 everything: bool) -> tuple[pd.Series, np.ndarray]:
    """(the label written next to each place, where it sits): the larger places whose labels
    fit around them without colliding with each other or the arcs' markers (most mentioned
    first), '' for the others (their names show on hover); a place inside another is never
    labelled."""
    heads = (places["parent"] == places["name"]).to_numpy()
    names = places["name"].astype(str)
    if everything:
        return names.where(heads, ""), np.full(len(places), "top center", dtype=object)
    x, y = geo.screen_xy(places["lat"], places["lon"], frame, width, HEIGHT_PX)
    priority = places["n_mentions"].astype(float).fillna(0).to_numpy() + np.where(heads, 0, -1e9)
    # The arcs' middle markers and arrowheads are obstacles a label must not cover.
    tip = [int(len(path) * ARROW_AT) for path in arcs.get("path_lat", [])]
    lat = [*arcs.get("mid_lat", []), *(path[t] for path, t in zip(arcs.get("path_lat", []), tip, strict=True))]
    lon = [*arcs.get("mid_lon", []), *(path[t] for path, t in zip(arcs.get("path_lon", []), tip, strict=True))]
    ox, oy = geo.screen_xy(lat, lon, frame, width, HEIGHT_PX)
    spots = geo.label_spots(x, y, priority, label_widths(names), height=LABEL_FONT + 2, gap=3,
                            obstacles=(ox, oy, np.full(len(ox), 16.0)))
    spots = np.where(heads, spots, "")
    return names.where(spots != "", ""), np.where(spots == "", "top center", spots)


def add_arcs(fig: go.Figure, arcs: pd.DataFrame, geo_id: str, *, legend: bool) -> None:
    """Each arc as a curved line (colour and dash by type), an arrowhead near its end pointing
    the way the events go, and per type one trace of clickable middle markers."""
    for arc in arcs.itertuples():
        colour, dash = palette.color_of(palette.TYPE_COLORS, arc.type), palette.TYPE_DASHES.get(arc.type, "solid")
        fig.add_trace(go.Scattergeo(lat=arc.path_lat, lon=arc.path_lon, mode="lines", geo=geo_id,
                                    line=dict(width=arc.width, color=colour, dash=dash), opacity=0.85,
                                    hoverinfo="skip", showlegend=False))
        tip = int(len(arc.path_lat) * ARROW_AT)
        fig.add_trace(go.Scattergeo(lat=arc.path_lat[tip - 1:tip + 1], lon=arc.path_lon[tip - 1:tip + 1],
                                    mode="markers", geo=geo_id, hoverinfo="skip", showlegend=False,
                                    marker=dict(symbol="arrow", angleref="previous", size=[0, 11 + arc.width * 1.5],
                                                color=colour, opacity=[0, 1], line=dict(width=0))))
    for type_, group in arcs.groupby("type", sort=True):
        fig.add_trace(go.Scattergeo(
            lat=group["mid_lat"], lon=group["mid_lon"], mode="markers", name=f"{type_} link", geo=geo_id,
            showlegend=legend, legendgroup=str(type_),
            marker=dict(size=13, symbol=palette.TYPE_SYMBOLS.get(type_, "circle"),
                        color=palette.color_of(palette.TYPE_COLORS, type_), line=dict(width=1.5, color="white")),
            customdata=widgets.plot_cells(group[["label", "n_events", "n_articles", "first_date", "last_date"]]),
            hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]} events in %{customdata[2]} articles"
                          "<br>%{customdata[3]} → %{customdata[4]}<br><i>click to list the events</i><extra></extra>",
        ))


def add_places(fig: go.Figure, places: pd.DataFrame, labelling: tuple[pd.Series, np.ndarray], geo_id: str,
               name: str) -> None:
    """Place markers sized by mentions, the most mentioned drawn last (on top); places inside
    another are drawn small and named on hover only."""
    order = places.assign(_n=places["n_mentions"].astype(float).fillna(0)).sort_values("_n").index
    labels, spots = labelling
    p, text = places.loc[order], labels.loc[order]
    spot = pd.Series(spots, index=places.index).loc[order]
    inside = p["parent"] != p["name"]
    size = np.where(inside, 6, 6 + 3 * np.sqrt(p["n_mentions"].astype(float).fillna(1).clip(upper=25)))
    where = np.where(inside, " in " + widgets.plot_text(p["parent"]), "")
    also = p["name"].map(places.groupby("parent")["name"].apply(
        lambda names: ", ".join(sorted(n for n in names if n not in places["parent"].values))).to_dict())
    fig.add_trace(go.Scattergeo(
        lat=p["lat"], lon=p["lon"], mode="markers+text", name=name, geo=geo_id, text=widgets.plot_text(text),
        textposition=spot.to_numpy(), textfont=dict(size=LABEL_FONT, color=palette.TEXT), showlegend=False,
        marker=dict(size=size, color="#34495e", opacity=0.9, line=dict(width=1, color="white")),
        customdata=np.c_[widgets.plot_cells(p[["name", "country", "n_mentions", "n_articles"]]), where,
                         widgets.plot_text(also.fillna("")).map(lambda s: f"<br>also here: {s}" if s else "")],
        hovertemplate="<b>%{customdata[0]}</b>%{customdata[4]} (%{customdata[1]})<br>"
                      "%{customdata[2]} mentions in %{customdata[3]} articles%{customdata[5]}<extra></extra>",
    ))


def map_figure(places: pd.DataFrame, arcs: pd.DataFrame, *, inset: bool, world: bool, everything: bool) -> go.Figure:
    """The map: the main frame fitted to the shown places and arc ends (or the world), and an
    optional Korea–Russian Far East inset on the right with the places and arcs inside it."""
    main_width = 0.7 if inset else 1.0
    lats = [*places["lat"], *(v for path in arcs.get("path_lat", []) for v in path)]
    lons = [*places["lon"], *(v for path in arcs.get("path_lon", []) for v in path)]
    frame = (geo.fit_view(lats, lons, aspect=MAIN_WIDTH_PX * main_width / (HEIGHT_PX - 90))  # less margins, legend
             or {"lat_range": [20.0, 72.0], "lon_range": [10.0, 150.0]})
    fig = go.Figure()
    add_arcs(fig, arcs, "geo", legend=True)
    add_places(fig, places, place_labels(places, arcs, frame, MAIN_WIDTH_PX * main_width, everything), "geo", "places")
    main = dict(GEOS, domain=dict(x=[0, main_width - 0.01], y=[0, 1]))
    if world:
        fig.update_layout(geo=dict(main, projection_type="natural earth", lataxis_range=[-60, 85],
                                   lonaxis_range=[-180, 180]))
    else:
        fig.update_layout(geo=dict(main, projection_type="mercator", **axes(frame)))
    if inset:
        box = geo.KOREA_FAR_EAST
        inside = places[geo.in_view(places["lat"], places["lon"], box)]
        both_in = (geo.in_view(arcs["origin_lat"], arcs["origin_lon"], box)
                   & geo.in_view(arcs["destination_lat"], arcs["destination_lon"], box)) if len(arcs) else []
        inset_arcs = arcs[both_in] if len(arcs) else arcs
        add_arcs(fig, inset_arcs, "geo2", legend=False)
        add_places(fig, inside, place_labels(inside, inset_arcs, box, MAIN_WIDTH_PX * 0.3, everything), "geo2",
                   "places (inset)")
        fig.update_layout(geo2=dict(GEOS, projection_type="mercator", domain=dict(x=[0.71, 1], y=[0, 0.93]),
                                    **axes(box)))
        fig.add_annotation(text="Korea – Russian Far East", x=0.855, y=0.95, xref="paper", yref="paper",
                           yanchor="bottom", showarrow=False, font=dict(size=13, color=palette.TEXT))
    fig.update_layout(height=HEIGHT_PX, legend=dict(orientation="h", y=-0.02, title_text="Links (click a marker):"),
                      clickmode="event+select", dragmode=False)
    return fig


view = layout.start("Map")
st.caption("Places the articles name, and arcs for the movements and strikes between them (width grows with the "
           "number of events; the arrowhead shows the direction; each type keeps its own lane). Click an arc's "
           "marker to list its events. Country outlines are served by this app: no network needed.")
places = views.map_places(view.shown["places"])
arcs = geo.arc_paths(views.link_arcs(view.shown["links"]))
if places.empty and arcs.empty:
    widgets.empty_notice("located places", view.filters)
    st.stop()
places = places.assign(parent=geo.containing_place(places))

c1, c2, c3 = st.columns(3)
inset = c1.toggle("Korea – Russian Far East inset", value=True, **urlstate.bound("map_inset"))
world = c2.toggle("Whole world", value=False, **urlstate.bound("map_world"))
everything = c3.toggle("Every place name", value=False, help="Off: only names that do not collide; the others on hover",
                       **urlstate.bound("map_labels"))
drawn = views.largest(arcs, ARCS_DRAWN, ["n_events"], [False])  # the table under the map lists every link
event = widgets.plot(map_figure(places, drawn, inset=inset, world=world, everything=everything), key="map_chart",
                     on_select="rerun")
widgets.capped_note(len(drawn), len(arcs), "links (by events)", "heaviest")
widgets.chart_data(places[["name", "parent", "country", "lat", "lon", "n_mentions", "n_articles"]]
                   .rename(columns={"parent": "shown under"}), key="map_places_data", label="The places as a table")

st.header("Links")
if arcs.empty:
    widgets.empty_notice("links between located places", view.filters)
else:
    table = arcs[["label", "n_events", "n_articles", "first_date", "last_date", "distance_km"]]
    st.dataframe(table, hide_index=True, width="stretch", column_config=widgets.column_config(table, "links"))
    # A click on an arc chooses it in the list below; the click is applied once, so choosing
    # another link in the list afterwards is not overridden by the chart's lasting selection.
    pick = widgets.picked(event, arcs["label"])
    if pick and st.session_state.get("map_last_pick") != pick:
        st.session_state["map_link"] = pick
    st.session_state["map_last_pick"] = pick
    choice = st.selectbox("Show the events of a link", arcs["label"], **urlstate.bound("map_link"))
    chosen = arcs[arcs["label"] == choice].iloc[0]
    st.markdown(f"**Events of {plain.md(choice)}**")
    widgets.evidence_table(view.query("events_with_ids", ids=chosen["event_ids"]), key="map_link_events",
                           filters=view.filters, table="events",
                           columns=["date", "type", "status", "actors", "origin", "destination", "sentence"])

st.header("Download the map's data")
d1, d2 = st.columns(2)
d1.download_button("Places and links as GeoJSON", data=geoexport.geojson_bytes(places, arcs),
                   mime="application/geo+json", file_name=widgets.export_name("map", view.filters, ext="geojson"),
                   key="map_geojson",
                   icon=":material/download:")
d2.download_button("Places and links as KML", data=geoexport.kml_bytes(places, arcs, "Russia–DPRK news: map"),
                   mime="application/vnd.google-earth.kml+xml",
                   file_name=widgets.export_name("map", view.filters, ext="kml"), key="map_kml",
                   icon=":material/download:")

entity_review.place_controls(view.tables, view.rows)
