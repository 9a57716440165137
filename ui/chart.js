// The dashboard's chart element (ui/chart.py): draws a plotly figure with a partial plotly.js
// bundle served from static/, and reports the selected points back to Python.
//
// data: {figure: plotly JSON, bundle: file under app/static/, config: plotly config,
//        selectable: whether selections are sent}, or {preload: bundle} to only load a bundle.

// Each bundle is loaded once per page, one at a time: every bundle sets window.Plotly, so the
// object is taken right after its own script ran and before the next one starts.
const bundles = {};
let queue = Promise.resolve();

function plotlyOf(src) {
  if (!bundles[src]) {
    bundles[src] = queue = queue.then(() => new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = src;
      script.onload = () => resolve(window.Plotly);
      script.onerror = () => reject(new Error(`could not load ${src}`));
      document.head.appendChild(script);
    }));
    queue = queue.catch(() => undefined);  // a bundle that failed does not stop the next one
  }
  return bundles[src];
}

// What Streamlit's own plotly element reports for a point (only JSON-safe fields).
function pointOf(p) {
  const point = {curve_number: p.curveNumber, point_number: p.pointNumber, point_index: p.pointIndex};
  for (const [name, value] of [["x", p.x], ["y", p.y], ["lat", p.lat], ["lon", p.lon], ["label", p.label],
                               ["customdata", p.customdata]]) {
    if (value !== undefined) point[name] = value;
  }
  return point;
}

function selectionOf(event) {
  const points = event && event.points ? event.points.map(pointOf) : [];
  return {points, point_indices: points.map((p) => p.point_index), box: [], lasso: []};
}

export default function (component) {
  const { parentElement, data, setStateValue } = component;
  if (data.preload) {
    plotlyOf(data.preload).catch(() => {});  // an error shows where a chart needs the bundle
    return;
  }
  const div = parentElement.querySelector(".newsdash-chart");
  div.__send = setStateValue;  // the latest, for handlers wired on the first draw
  const figure = JSON.parse(data.figure);
  const layout = figure.layout || {};
  // The page's own font, as Streamlit's plotly element draws it.
  layout.font = {family: getComputedStyle(document.body).fontFamily, ...(layout.font || {})};
  // A click selects its point (shift-click adds one), as in Streamlit's own element.
  if (data.selectable && !layout.clickmode) layout.clickmode = "event+select";
  plotlyOf(data.bundle).then((Plotly) => {
    const config = {...data.config, responsive: true};
    return Plotly.react(div, figure.data || [], layout, config).then(() => {
      if (div.__wired || !data.selectable) return;
      div.__wired = true;
      div.on("plotly_selected", (event) => div.__send("selection", selectionOf(event)));
      div.on("plotly_deselect", () => div.__send("selection", selectionOf(null)));
    });
  }).catch((error) => {
    div.textContent = `The chart could not be drawn: ${error.message}`;
  });
}
