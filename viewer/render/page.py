"""Build the Leaflet page for a scenario with folium, from local assets only.

The page is plain HTML: Leaflet from the installed ``xstatic-leaflet`` package,
SitMap's own scripts from ``resources/js``, and the scenario as JSON data that
``SitMap.app.init`` draws. Nothing here needs Qt; the UI serves the page and its
assets through its own URL scheme, and the HTML export inlines them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from viewer.model.bulk import collector_paused
from viewer.model.scenario import Scenario
from viewer.render import layers as layer_mod
from viewer.render.page_assets import MAX_TILE_BATCH, PAGE_BUNDLE, PAGE_JS  # (SitMap's scripts, loaded as one)
from viewer.render.rounded import Flat, rounded
from viewer.render.safe_json import fast_safe_json, page_json, safe_json

APP_BASE = "sitmap://app/"
BASEMAP_MAX_ZOOM = 14

# Page assets relative to the asset base: Leaflet from the xstatic-leaflet package, the rest
# from resources/ (SitMap's scripts: page_assets.PAGE_JS).
LEAFLET_JS = "leaflet/leaflet.js"
LEAFLET_CSS = "leaflet/leaflet.css"
PAGE_CSS = ("css/sitmap.css", "css/history.css")
CHANNEL_JS = "qwebchannel.js"

ONLINE_LAYERS = (
    # (name shown, xyzservices provider path, the provider's terms of use)
    ("OpenStreetMap (online)", "OpenStreetMap.Mapnik", "https://operations.osmfoundation.org/policies/tiles/"),
    ("Esri World Imagery (online)", "Esri.WorldImagery",
     "https://www.esri.com/en-us/legal/terms/full-master-agreement"),
    ("OpenTopoMap (online)", "OpenTopoMap", "https://opentopomap.org/about#verwendung"),
)


# The families the basemap's place names are drawn in, first choice first (a sans like Helvetica
# or Arial: the label boxes are sized for one, viewer/render/basemap_labels.py), then the generic
# sans-serif. A page the app shows names only those of them the machine has (the PageOptions'
# label_fonts): the web engine looks up each family the list names until one is there, and each
# lookup of a missing family cost a few ms of the page's start. A page for other machines (the HTML
# export) names them all.
LABEL_FONTS = ("Helvetica Neue", "Helvetica", "Arial", "Liberation Sans", "DejaVu Sans")


def css_font_list(families) -> str:
    """A CSS font-family list of ``families`` (each quoted: a CSS string takes a quote and a backslash
    escaped as JSON escapes them), ending with sans-serif."""
    return ", ".join([json.dumps(f, ensure_ascii=False) for f in families] + ["sans-serif"])


APP_TILES = APP_BASE + "basemap/{z}/{x}/{y}.json"  # the built-in basemap's tiles, served by the app
APP_TILE_BATCH = APP_BASE + "basemap/{z}/batch.json?xy={xy}"  # several at once: xy "x.y,x.y,..."


@dataclass
class PageOptions:
    asset_base: str = APP_BASE
    basemap_url: str = APP_TILES
    basemap_attribution: str = ""
    with_channel: bool = True
    online_layers: bool = True
    online_specs: list[dict[str, Any]] | None = None  # default: ONLINE_LAYERS through xyzservices
    interactive: bool = True
    history: dict[str, Any] | None = None  # launch history layer drawn at start: {"data", "filter", "timed", "caption"}
    package: dict[str, Any] | None = None  # a tile package chosen as the basemap (TilePackage.page_spec)
    start_online: str = ""  # the online layer (by name, one of online_specs) the page starts with
    features_url: str | None = None  # the features come as one JSON batch from here, not inline
    view: dict[str, Any] | None = None  # the view the page fits first, when already worked out (layers.view_of)
    label_fonts: tuple[str, ...] | None = None  # of LABEL_FONTS, those to name (None: all of them)


ONLINE_SPECS = ("page", "online_layers.json")  # ONLINE_LAYERS as xyzservices gave them (tools/build_page_template.py)


def online_layer_specs() -> list[dict[str, Any]]:
    """The online layers the page offers (off until chosen): as shipped in resources/page, so a
    start needs no xyzservices import (0.2 s); from xyzservices if that file is missing or was
    made for other layers."""
    from viewer import resources

    try:
        shipped = json.loads(resources.read_text(*ONLINE_SPECS))
        if shipped.get("source") == [list(x) for x in ONLINE_LAYERS]:
            specs = shipped["layers"]
            if all(isinstance(x, dict) and isinstance(x.get("url"), str) for x in specs) and \
                    [x.get("name") for x in specs] == [x[0] for x in ONLINE_LAYERS]:
                return specs
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    return online_layer_specs_from_xyzservices()


def online_layer_specs_from_xyzservices() -> list[dict[str, Any]]:
    import xyzservices.providers as xyz

    specs = []
    for name, key, terms in ONLINE_LAYERS:
        provider = xyz
        for part in key.split("."):
            provider = provider[part]
        specs.append({"name": name, "url": provider.build_url(), "attribution": provider.get("attribution", ""),
                      "maxZoom": int(provider.get("max_zoom", 19)), "terms": terms})
    return specs


def page_payload(scenario: Scenario, drawn: list[layer_mod.DrawnFeature], opts: PageOptions,
                 legend: bool = True, legend_soon: bool = False) -> dict[str, Any]:
    """What the page draws. ``legend`` False: the legend comes later (``legendLater``: the page is
    not ready until it has it); counting it is the slow part of a large map's (see shell_page).
    ``legend_soon``: it comes right after this payload (counted while the page reads it), so a page
    that asks for both draws its features once it has the legend too (``legendSoon``)."""
    from viewer.render.drawn_set import legend_of

    present = layer_mod.present_groups(scenario, drawn)
    labels = layer_mod.group_labels(scenario, present)
    # With a batch, the page starts its map and basemap before the features come: the basemap
    # leaves out the names of the cities the map marks itself.
    features: dict[str, Any] = ({"featuresUrl": opts.features_url,
                                 "cityNames": [d.name for d in drawn if d.symbol == "city"]} if opts.features_url
                                else {"featuresBatch": batch_doc(drawn)} if len(drawn) >= INLINE_BATCH_FROM
                                else {"features": [d.to_page() for d in drawn]})
    return {
        "title": scenario.title,
        **features,
        "groups": [{"id": g, "label": labels.get(g, g)} for g in present],
        # the layers stacked as the window arranges them (a saved arrangement, else the usual
        # one), top first: the page need not stack them again once it is on screen
        "groupOrder": [x["id"] for x in layer_mod.arranged_layers(scenario, drawn)],
        **({"legend": legend_of(drawn)} if legend else
           {"legend": [], "legendLater": True, **({"legendSoon": True} if legend_soon else {})}),
        **map_payload(opts, opts.view if opts.view is not None else layer_mod.view_of(scenario, drawn)),
        **({"history": opts.history} if opts.history is not None else {}),
    }


def map_payload(opts: PageOptions, view: dict[str, Any]) -> dict[str, Any]:
    """What of :func:`page_payload` the page's map starts with before its features (sitmap.js
    startMap): its view, basemap and online layers."""
    return {
        "view": view,
        "basemap": ({"url": opts.basemap_url, "attribution": opts.basemap_attribution, "maxZoom": BASEMAP_MAX_ZOOM,
                     # (the app's own tiles: a view's asked for in one request, viewer.ui.web)
                     "batchUrl": APP_TILE_BATCH if opts.basemap_url == APP_TILES else None, "batchMax": MAX_TILE_BATCH}
                    if opts.basemap_url else None),
        "online": (opts.online_specs if opts.online_specs is not None else online_layer_specs())
                  if opts.online_layers else [],
        "interactive": opts.interactive,
        "labelFont": css_font_list(LABEL_FONTS if opts.label_fonts is None else opts.label_fonts),
        "package": opts.package,
        "startOnline": opts.start_online,
    }


def features_batch(drawn) -> bytes:
    """The features as the page draws them, as one JSON document (served beside a page built with
    ``features_url``). JSON, parsed by the page's JSON.parse: text in it is never script.

    ``{"shared": [...], "features": [...], "points": {...}}``: a marker without extras shares what
    it has in common with others of its kind, style and source in a shared entry. The plain ones
    (the analyst's markers: most features of a large map) come as columns, ``"points": {"id": [...],
    "name": [...], "lat": [...], "lng": [...], "$": [...], "label": {"<row>": label}}`` (``"$"``:
    the index of the shared entry; ``label``: only the labels that differ from the name), which the
    page (resources/js/points.js) draws as they are, building a marker's whole feature only when
    asked. Other markers, lines and areas without extras are a row of their own values (id, name,
    label where it is not the name, latlngs) and ``"$"`` among the features (the page's sitmap.js
    puts them back together); other features are whole. Such a line's or area's positions are not
    in its row: they follow those of the rows before it in ``"coords"`` (lat, lon, lat, lon, ...:
    one list, rounded at once), and its ``"n"`` says how many pairs it has (a list of such
    counts for each ring or part)."""
    return page_json(batch_doc(drawn))  # (the values the standard writer writes, compact UTF-8, several times as fast)


# Features from which a page that holds them (a briefing, an offline HTML file) holds them as the
# batch (:func:`batch_doc`): 100,000 features written whole were 40 MB its script took 5 s to read.
INLINE_BATCH_FROM = 1000


def batch_doc(drawn) -> dict[str, Any]:
    """The document :func:`features_batch` writes."""
    with collector_paused():  # 100,000 features: as many rows and lists
        return _batch_doc(drawn)


def _batch_doc(drawn) -> dict[str, Any]:
    shared: list[dict] = []
    index: dict[tuple, int] = {}
    rows = []
    ids: list[str] = []
    names: list[str] = []
    lats: list[float] = []
    lngs: list[float] = []
    which: list[int] = []
    labels: dict[str, str] = {}
    coords = Flat()  # the positions of the lines and areas that share, in their rows' order
    flattened: list[tuple[dict, Any]] = []  # those rows, with their positions as drawn
    put_id, put_name, put_lat, put_lng, put_which = ids.append, names.append, lats.append, lngs.append, which.append
    for d in drawn:
        # What a marker, line or area without extras shares with others (with extras: sent whole).
        # The style dict is keyed by identity: drawn features share one per style (an equal one
        # that is not shared only makes a second shared entry). (Inline: a million features.)
        if (d.label_at is not None or d.uncertainty is not None or d.label_min_zoom is not None
                or d.label_max_zoom is not None or d.outline is not None or d.centre is not None or d.population):
            rows.append(d.to_page())
            continue
        key = (d.shape, d.kind, d.group, d.status, d.source, d.notes, id(d.style), d.symbol, d.label_dir)
        i = index.get(key)
        if i is None:
            whole = d.to_page()
            i = index[key] = len(shared)
            shared.append({k: v for k, v in whole.items() if k not in _OWN_KEYS})
        if d.group != "annotations" or d.symbol != "marker":  # (else plain: points.js draws it on its layer)
            row = {"$": i, "id": d.id, "name": d.name}
            if d.shape == "marker":
                row["latlngs"] = [round(float(d.latlngs[0]), 6), round(float(d.latlngs[1]), 6)]
            else:
                layout = coords.put(d.latlngs, d.drawn_shape)
                if layout is None:
                    row["latlngs"] = layer_mod.round_latlngs(d.latlngs)
                else:
                    row["n"] = layout
                    flattened.append((row, d.latlngs))
            if d.label != d.name:
                row["label"] = d.label
            rows.append(row)
            continue
        name = d.name
        if d.label != name:
            labels[str(len(ids))] = d.label
        put_id(d.id)
        put_name(name)
        ll = d.latlngs
        put_lat(ll[0])  # (rounded below, all at once)
        put_lng(ll[1])
        put_which(i)
    lats, lngs = (rounded(v) or [round(float(x), 6) for x in v] for v in (lats, lngs))
    points = {"id": ids, "name": names, "lat": lats, "lng": lngs, "$": which, "label": labels}
    flat = coords.values()
    if flat is None:  # (not all floats: each row rounds its own)
        flat = []
        for row, latlngs in flattened:
            del row["n"]
            row["latlngs"] = layer_mod.round_latlngs(latlngs)
    return {"shared": shared, "features": rows, "points": points, "coords": flat}


_OWN_KEYS = ("id", "name", "label", "latlngs")  # what each plain marker keeps in its own columns


TOKEN = "__sitmap_payload_7f3c9a__"  # where the scenario's JSON goes; never passes through Jinja
TEMPLATES = ("page", "templates.json")  # built once per version by tools/build_page_template.py
_templates: dict[str, str] = {}


def template_key(opts: PageOptions) -> str:
    """What the page around the scenario depends on (nothing about the scenario itself)."""
    return "|".join([opts.asset_base, str(bool(opts.with_channel)), str(bool(opts.interactive)),
                     PAGE_BUNDLE + "=" + ",".join(PAGE_JS), ",".join(PAGE_CSS)])


def render_template(opts: PageOptions) -> str:
    """The page with folium, the scenario's JSON left as ``TOKEN``.

    The JSON never passes through Jinja: branca renders element output as a template a second
    time, so text like "{{ ... }}" in a name would be evaluated."""
    import folium
    from branca.element import MacroElement
    from jinja2 import Template

    class ScenarioOverlay(MacroElement):
        """Hands the computed scenario to the page's own code; logic stays in Python and JS files."""

        _template = Template(
            "{% macro script(this, kwargs) %}\n"
            "SitMap.app.init({{ this._parent.get_name() }}, " + TOKEN + ");\n"
            "{% endmacro %}"
        )

        def __init__(self):
            super().__init__()
            self._name = "SitMapScenario"

    m = folium.Map(location=[30.0, 125.0], zoom_start=5, tiles=None, control_scale=False,
                   min_zoom=2, max_zoom=BASEMAP_MAX_ZOOM, zoom_control=opts.interactive,
                   prefer_canvas=False, fade_animation=False)
    base = opts.asset_base
    js = [("leaflet", base + LEAFLET_JS)]
    if opts.with_channel:
        js.append(("qwebchannel", base + CHANNEL_JS))
    js.append(("sitmap_page", base + PAGE_BUNDLE))
    # Set per instance: folium's add_js_link would change the class-wide list.
    m.default_js = js
    m.default_css = [("leaflet_css", base + LEAFLET_CSS)] + [(name, base + name) for name in PAGE_CSS]
    ScenarioOverlay().add_to(m)
    html = m.get_root().render()
    if html.count(TOKEN) != 1:
        raise RuntimeError("page template did not place the scenario exactly once")
    return html.replace("<head>", "<head>\n    <title>SitMap</title>", 1)


def folium_version() -> str:
    """The installed folium's version, without importing folium or importlib.metadata (25 ms of
    every start) when folium says it in its ``_version.py``."""
    import importlib.util
    import re
    from pathlib import Path

    spec = importlib.util.find_spec("folium")
    if spec is None:
        return ""
    if spec.origin:
        try:
            said = re.search(r"""__version__\s*=\s*['"]([^'"]+)['"]""",
                             (Path(spec.origin).parent / "_version.py").read_text(encoding="utf-8"))
        except OSError:
            said = None
        if said:
            return said.group(1)
    from viewer.model.installed import installed_version

    return installed_version("folium")


def page_template(opts: PageOptions) -> str:
    """The page around the scenario: built by folium once per version (shipped in resources/page,
    so a start needs no folium import), else rendered now and kept for this process."""
    key = template_key(opts)
    hit = _templates.get(key)
    if hit is not None:
        return hit
    from viewer import resources

    try:
        shipped = json.loads(resources.path(*TEMPLATES).read_text(encoding="utf-8"))
        if shipped.get("folium") == folium_version() and shipped.get("token") == TOKEN:
            hit = shipped.get("templates", {}).get(key)
    except (OSError, ValueError, AttributeError):
        hit = None
    if not isinstance(hit, str) or hit.count(TOKEN) != 1:
        hit = render_template(opts)
    _templates[key] = hit
    return hit


def build_page(scenario: Scenario, drawn: list[layer_mod.DrawnFeature] | None = None,
               opts: PageOptions | None = None) -> str:
    """The whole HTML page for the scenario."""
    opts = opts or PageOptions()
    if drawn is None:
        drawn = layer_mod.draw_scenario(scenario)
    return page_html(opts, page_payload(scenario, drawn, opts))


BATCH_ELEMENT = "sitmap-features-batch"  # the id of a page's features batch held as JSON data


def page_html(opts: PageOptions, payload: dict[str, Any]) -> str:
    """The page :func:`page_with` gives, but a features batch inside the payload (a briefing's, an
    HTML file's) is held in a JSON data element of its own, which the page parses (JSON.parse:
    resources/js/sitmap.js featuresOf) and never runs: 100,000 lines and areas are 13 MB of it,
    written by orjson in a tenth of the standard writer's time, and parsed by the page as data,
    not as a script's object literal. The rest of the payload is written as page_with writes it."""
    batch = payload.get("featuresBatch")
    if batch is None:
        return page_with(opts, payload)[0]
    rest = {k: v for k, v in payload.items() if k != "featuresBatch"}
    rest["featuresBatchIn"] = BATCH_ELEMENT
    element = f'<script type="application/json" id="{BATCH_ELEMENT}">{fast_safe_json(batch)}</script>\n'
    return page_with(opts, rest)[0].replace("</head>", element + "</head>", 1)


def page_with(opts: PageOptions, payload: dict[str, Any]) -> tuple[str, str]:
    """The page for ``opts`` around :func:`page_payload`'s ``payload``, and that payload as the
    page is given it, JSON (what a :func:`shell_page` is served)."""
    text = safe_json(payload)
    return page_template(opts).replace(TOKEN, text, 1), text


def shell_page(opts: PageOptions, start_url: str, payload_url: str, legend_url: str) -> str:
    """A page built as :func:`build_page` builds it for ``opts`` whose payload comes later, from
    sitmap://: begun at start-up while Python reads a large map, so the page's scripts are loaded
    and run by the time the map is read. From ``start_url`` it gets :func:`map_payload` (its view
    and basemap, to show while the map is drawn), from ``payload_url`` the rest of the payload,
    and from ``legend_url`` the legend when the payload says it comes later."""
    return page_template(opts).replace(
        TOKEN, safe_json({"startUrl": start_url, "payloadUrl": payload_url, "legendUrl": legend_url}), 1)
