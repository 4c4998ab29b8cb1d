"""Build the map page's template once per version: what folium renders around the scenario, for
the variants the app uses (the window; briefings and exports, with and without the Qt channel),
into resources/page/templates.json. A start then needs no folium import; a variant not in the
file, or another folium version, is rendered by folium at run time as before.

It also writes resources/page/online_layers.json: the online layers the page offers (address,
attribution, zoom, terms) as xyzservices gives them (data from xyzservices and leaflet-providers,
BSD licences), so a start needs no xyzservices import either.

    .venv/bin/python tools/build_page_template.py

tests/render/test_page_template.py fails when either file no longer matches what it is made from.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

VARIANTS = ((True, True), (True, False), (False, True), (False, False))  # (with_channel, interactive)


def build() -> dict:
    from viewer.render.page import APP_BASE, TOKEN, PageOptions, folium_version, render_template, template_key

    templates = {}
    for channel, interactive in VARIANTS:
        opts = PageOptions(asset_base=APP_BASE, with_channel=channel, interactive=interactive)
        templates[template_key(opts)] = render_template(opts)
    return {"folium": folium_version(), "token": TOKEN, "templates": templates}


def online_layers() -> dict:
    from viewer.render.page import ONLINE_LAYERS, online_layer_specs_from_xyzservices

    return {"source": [list(x) for x in ONLINE_LAYERS], "layers": online_layer_specs_from_xyzservices()}


def main() -> int:
    from viewer import resources
    from viewer.render.page import ONLINE_SPECS, TEMPLATES

    for parts, doc in ((TEMPLATES, build()), (ONLINE_SPECS, online_layers())):
        out = resources.path(*parts)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"{out}: {out.stat().st_size / 1000:.0f} kB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
