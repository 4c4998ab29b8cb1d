"""The page template is built once per version (tools/build_page_template.py) and shipped: it must
be what folium renders now, and a page built from it must be the page folium would build."""

from __future__ import annotations

import json
import re

from viewer import resources
from viewer.render import page
from viewer.render.page import APP_BASE, TOKEN, PageOptions, folium_version, render_template, template_key

_IDS = re.compile(r"\b(map|macro_element|html|div|element)_[0-9a-f]{32}\b")


def same(a: str, b: str) -> bool:
    """Equal but for the random element names folium gives each render."""
    return _IDS.sub("ID", a) == _IDS.sub("ID", b)


def test_the_shipped_templates_are_what_folium_renders_now():
    shipped = json.loads(resources.path(*page.TEMPLATES).read_text(encoding="utf-8"))
    assert shipped["folium"] == folium_version() and shipped["token"] == TOKEN, \
        "folium changed: run tools/build_page_template.py"
    assert len(shipped["templates"]) == 4
    for channel in (True, False):
        for interactive in (True, False):
            opts = PageOptions(asset_base=APP_BASE, with_channel=channel, interactive=interactive)
            assert same(shipped["templates"][template_key(opts)], render_template(opts)), \
                "the page code changed: run tools/build_page_template.py"


def test_a_page_from_the_shipped_template_needs_no_folium_and_places_the_scenario_once(monkeypatch):
    from viewer.model.scenario import load_scenario

    page._templates.clear()
    monkeypatch.setattr(page, "render_template", lambda opts: (_ for _ in ()).throw(AssertionError("folium used")))
    s = load_scenario(resources.default_scenario())
    html = page.build_page(s, opts=PageOptions(online_specs=[]))
    assert TOKEN not in html and html.count("SitMap.app.init(") == 1 and "ring-380km" in html
    page._templates.clear()


def test_an_asset_base_that_is_not_shipped_is_rendered_by_folium():
    page._templates.clear()
    opts = PageOptions(asset_base="assets/", online_specs=[])
    assert "assets/leaflet/leaflet.js" in page.page_template(opts)
    page._templates.clear()


def test_the_folium_version_read_without_importing_it_is_the_installed_one():
    from importlib.metadata import version

    assert folium_version() == version("folium")


def test_the_shipped_online_layers_are_what_xyzservices_gives_and_are_used(monkeypatch):
    shipped = json.loads(resources.read_text(*page.ONLINE_SPECS))
    assert shipped["source"] == [list(x) for x in page.ONLINE_LAYERS], "run tools/build_page_template.py"
    assert shipped["layers"] == page.online_layer_specs_from_xyzservices(), "run tools/build_page_template.py"

    def no_xyzservices():
        raise AssertionError("xyzservices imported at run time")

    monkeypatch.setattr(page, "online_layer_specs_from_xyzservices", no_xyzservices)
    assert page.online_layer_specs() == shipped["layers"]


def test_online_layers_come_from_xyzservices_when_the_shipped_list_is_for_other_layers(monkeypatch):
    monkeypatch.setattr(page, "ONLINE_LAYERS", page.ONLINE_LAYERS[:2])
    specs = page.online_layer_specs()
    assert [s["name"] for s in specs] == [x[0] for x in page.ONLINE_LAYERS]


def test_the_page_loads_sitmaps_scripts_as_one_made_of_each_in_order():
    """One request for SitMap's scripts (each was a round trip through the app before the
    page could start): the bundle is each script in turn, named, and the page names no other."""
    from viewer.render.page_assets import PAGE_BUNDLE, PAGE_JS, asset_text, page_bundle

    html = page.page_template(PageOptions(online_specs=[]))
    scripts = re.findall(r'<script src="([^"]+)"', html)
    assert scripts == [APP_BASE + page.LEAFLET_JS, APP_BASE + page.CHANNEL_JS, APP_BASE + PAGE_BUNDLE]
    bundle = page_bundle()
    assert asset_text(PAGE_BUNDLE) == bundle
    at = [bundle.index(resources.read_text(*name.split("/"))) for name in PAGE_JS]
    assert at == sorted(at) and all(f"// --- {name}\n" in bundle for name in PAGE_JS)
