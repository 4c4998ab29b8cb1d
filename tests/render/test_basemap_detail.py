"""Urban areas and river names of the offline basemap (Natural Earth 1:50m urban areas, 1:10m river
names), in the tile data and drawn by the real page (QtWebEngine) at the Dandong–Sinuiju crossing.

The drawn frames are kept in ``SITMAP_SHOTS`` (a folder) when that variable is set, to be looked at.
"""

from __future__ import annotations

import json
import math
import re

import pytest
import shapely

from viewer import resources
from tests.render.conftest import pixels_near
from viewer.render.basemap import Basemap

BRIDGE = (40.1164, 124.3906)  # places.md: Sino-Korean Friendship Bridge, over the Yalu
DANDONG = (40.12917, 124.39472)  # GeoNames city points (the basemap's own labels)
SINUIJU = (40.10056, 124.39806)
OPEN_SEA = (38.3, 123.6)  # the Yellow Sea, about 100 km from any coast
BUDGET_MB = 60.0


def world_px(lat: float, lon: float, z: int) -> tuple[float, float]:
    """Independent Web Mercator: world pixels at zoom z, y = 0 at the north."""
    n = 256 * 2**z
    s = math.sin(math.radians(lat))
    return (lon + 180.0) / 360.0 * n, (0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)) * n


def tile_of(lat: float, lon: float, z: int) -> tuple[int, int]:
    x, y = world_px(lat, lon, z)
    return int(x // 256), int(y // 256)


@pytest.fixture(scope="module")
def bm() -> Basemap:
    return Basemap.load()


def _polygons(tile: dict, layer: str) -> list:
    out = []
    for poly in tile[layer]:
        rings = [list(zip(r[0::2], r[1::2])) for r in poly]
        out.append(shapely.Polygon(rings[0], rings[1:]))
    return out


def _covered(tile: dict, layer: str, x: float, y: float) -> bool:
    """Whether (x, y) in tile px lies in the layer's fill (all its rings, even-odd, as the page fills)."""
    p = shapely.Point(x, y)
    rings = [r for poly in tile[layer] for r in poly]
    return sum(shapely.Polygon(list(zip(r[0::2], r[1::2]))).contains(p) for r in rings) % 2 == 1


def _style_colour(key: str) -> tuple[int, int, int]:
    js = resources.path("js", "basemap_paint.js").read_text(encoding="utf-8")
    m = re.search(r"\b%s: '#([0-9a-fA-F]{6})'" % key, js)
    assert m, key
    h = m.group(1)
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


# --------------------------------------------------------------------------- urban areas in the tiles


@pytest.mark.parametrize("z", [5, 6, 7, 8, 9, 10, 11, 12, 13, 14])
def test_dandong_and_sinuiju_are_urban(bm: Basemap, z: int) -> None:
    for lat, lon in (DANDONG, SINUIJU):
        x, y = tile_of(lat, lon, z)
        d = bm.tile_data(z, x, y)
        px, py = world_px(lat, lon, z)
        assert _covered(d, "urban", px - x * 256, py - y * 256), f"{lat},{lon} not in an urban area at z{z}"


def test_no_urban_areas_before_zoom_5(bm: Basemap) -> None:
    for z in (0, 2, 3, 4):
        x, y = tile_of(*DANDONG, z)
        assert bm.tile_data(z, x, y)["urban"] == []
    # ... and from zoom 5 Seoul and Pyongyang are tinted
    for lat, lon in ((37.5665, 126.978), (39.0194, 125.7381)):
        x, y = tile_of(lat, lon, 5)
        px, py = world_px(lat, lon, 5)
        assert _covered(bm.tile_data(5, x, y), "urban", px - x * 256, py - y * 256), (lat, lon)


@pytest.mark.parametrize("z", [8, 10, 12])
def test_no_urban_area_over_the_open_sea(bm: Basemap, z: int) -> None:
    x, y = tile_of(*OPEN_SEA, z)
    d = bm.tile_data(z, x, y)
    assert d["urban"] == [] and d["land"] == []


def test_urban_areas_stay_on_land(bm: Basemap) -> None:
    """Cut to each band's land: where the 1:50m outline runs past the coast no tint lies on the sea."""
    for z, (lat, lon) in ((8, (37.45, 126.6)), (10, (37.45, 126.6)), (12, DANDONG), (11, (35.1, 129.04))):
        x, y = tile_of(lat, lon, z)
        d = bm.tile_data(z, x, y)
        assert d["urban"], (z, lat, lon)
        land = shapely.union_all(_polygons(d, "land"))
        urban = shapely.union_all(_polygons(d, "urban"))
        outside = shapely.difference(urban, land.buffer(0.5))
        assert outside.area < 0.5, (z, lat, lon, outside.area)


# --------------------------------------------------------------------------- river names in the tiles


def _labels_around(bm: Basemap, z: int, lat: float, lon: float) -> list[dict]:
    """The labels of the 3x3 tiles around a point, one entry per label, in world px."""
    cx, cy = tile_of(lat, lon, z)
    seen = {}
    for tx in (cx - 1, cx, cx + 1):
        for ty in (cy - 1, cy, cy + 1):
            for lab in bm.tile_data(z, tx, ty)["labels"]:
                ox, oy = tx * 256, ty * 256
                b = lab["b"]
                seen[lab["p"]] = dict(lab, tx=lab["tx"] + ox, ty=lab["ty"] + oy,
                                      b=[b[0] + ox, b[1] + oy, b[2] + ox, b[3] + oy])
    return list(seen.values())


@pytest.mark.parametrize("z", [7, 8, 9, 10, 11, 12])
def test_yalu_named_at_the_bridge(bm: Basemap, z: int) -> None:
    labels = _labels_around(bm, z, *BRIDGE)
    yalu = [lab for lab in labels if lab["text"] == "Yalu"]
    assert yalu, f"no Yalu label around the bridge at z{z}"
    assert all(lab["kind"] == "river" for lab in yalu)
    bx, by = world_px(*BRIDGE, z)
    nearest = min(math.hypot(lab["tx"] - bx, lab["ty"] - by) for lab in yalu)
    assert nearest < 160, f"the Yalu is named {nearest:.0f} px from the bridge at z{z}"
    # no label box meets another
    boxes = [(lab["text"], lab["b"]) for lab in labels]
    for i, (ta, a) in enumerate(boxes):
        for tb, b in boxes[i + 1:]:
            assert not (a[0] < b[2] and a[2] > b[0] and a[1] < b[3] and a[3] > b[1]), (ta, tb, z)
    # cities come first: the river's name gives way, never Dandong (nor Sinuiju, shown from z9)
    prio = {lab["text"]: lab["p"] for lab in labels if lab["kind"] != "river"}
    towns = ["Dandong"] + (["Sinŭiju"] if z >= 9 else [])
    assert all(t in prio for t in towns), (z, sorted(prio))
    assert all(lab["p"] > prio[t] for lab in yalu for t in towns)


def test_river_label_box_is_the_turned_text(bm: Basemap) -> None:
    """A river name's box is the upright box around its turned text (so the placement's boxes are true)."""
    rivers = [lab for lab in _labels_around(bm, 10, *BRIDGE) if lab["kind"] == "river"]
    assert rivers
    turned = 0
    for lab in rivers:
        a = math.radians(lab["angle"])
        h = lab["size"] * 1.2
        hx = (lab["w"] * abs(math.cos(a)) + h * abs(math.sin(a))) / 2
        hy = (lab["w"] * abs(math.sin(a)) + h * abs(math.cos(a))) / 2
        b = lab["b"]
        assert abs((b[0] + b[2]) / 2 - lab["tx"]) < 0.2 and abs((b[1] + b[3]) / 2 - lab["ty"]) < 0.2
        assert abs((b[2] - b[0]) / 2 - hx) < 0.2 and abs((b[3] - b[1]) / 2 - hy) < 0.2
        assert -90 < lab["angle"] <= 90  # reads left to right
        turned += abs(lab["angle"]) > 5
    assert turned, "no river name follows its river"


def test_river_names_follow_the_zoom(bm: Basemap) -> None:
    """Few names at low zoom, the big rivers first; none below zoom 5."""
    for z in (2, 4):
        assert not any(lab["kind"] == "river" for lab in bm.tile_data(z, *tile_of(40.0, 120.0, z))["labels"])
    bm.prepare_labels([6, 10])

    def count(z: int) -> int:
        n = 0
        cx, cy = tile_of(40.0, 125.0, 6)
        k = 2 ** (z - 6)
        for tx in range(cx * k, (cx + 1) * k):
            for ty in range(cy * k, (cy + 1) * k):
                n += sum(lab["kind"] == "river" for lab in bm.tile_data(z, tx, ty)["labels"])
        return n

    assert count(6) < count(8) < count(10)


def test_basemap_size_budget() -> None:
    folder = resources.path("basemap")
    total = sum(p.stat().st_size for p in folder.iterdir() if p.is_file())
    assert total < BUDGET_MB * 1e6, f"resources/basemap is {total / 1e6:.1f} MB"
    meta = json.loads((folder / "basemap.json").read_text(encoding="utf-8"))
    assert (folder / meta["river_names"]["file"]).is_file()
    sources = (folder / "SOURCES.md").read_text(encoding="utf-8")
    for needle in ("ne_50m_urban_areas.json", "ne_10m_rivers_lake_centerlines.7z", "CC0", "public domain",
                   "natural-earth-geojson", "py7zr"):
        assert needle in sources, needle


# --------------------------------------------------------------------------- drawn by the page


SIZE = (800, 600)
READY_MS = 60_000


@pytest.fixture(scope="module")
def basemap_view(qapp):
    """A map view with only the basemap shown; ``show(lat, lon, z)`` draws that view and returns
    (image, pixels per CSS px, function from lat/lon to image px)."""
    from viewer.model.scenario import load_scenario
    from viewer.render.page import PageOptions
    from viewer.ui.capture import wait_for_frame
    from viewer.ui.map_view import MapView
    from tests.ui.conftest import js
    from viewer.ui.web import register_scheme

    register_scheme()
    view = MapView()
    view.setFixedSize(*SIZE)
    view.show()

    def show(qtbot, lat: float, lon: float, z: int):
        if not getattr(view, "_test_loaded", False):
            with qtbot.waitSignal(view.mapReady, timeout=READY_MS):
                view.show_scenario(load_scenario(resources.default_scenario()),
                                   opts=PageOptions(interactive=False, online_layers=False))
            js(qtbot, view, "Object.keys(SitMap.app.groups).forEach(function (g) { "
                             "SitMap.app.setGroupVisible(g, false); }); true")
            view._test_loaded = True
        before = wait_for_frame(view)  # (a frame on screen: one grabbed before the page's came could pass for the new view)
        js(qtbot, view, "window.__tilesIn = false; SitMap.app.basemap.once('load', function () { "
                         "window.__tilesIn = true; }); SitMap.app.map.setView(%s, %d, {animate: false}); true"
            % (json.dumps([lat, lon]), z))
        qtbot.waitUntil(lambda: js(qtbot, view, "window.__tilesIn && !SitMap.app.basemap.isLoading()") is True,
                        timeout=READY_MS)
        js(qtbot, view, "window.__shown = false; SitMap.app.whenShown(function () { window.__shown = true; }); true")
        qtbot.waitUntil(lambda: js(qtbot, view, "window.__shown") is True, timeout=READY_MS)
        centre = json.loads(js(qtbot, view, "JSON.stringify(SitMap.app.map.latLngToContainerPoint(%s))"
                                % json.dumps([lat, lon])))
        qtbot.waitUntil(lambda: view.grab().toImage() != before, timeout=READY_MS)
        image = wait_for_frame(view)
        ratio = image.width() / SIZE[0]
        ox, oy = world_px(lat, lon, z)

        def to_image(plat: float, plon: float) -> tuple[float, float]:
            wx, wy = world_px(plat, plon, z)
            return (centre["x"] + wx - ox) * ratio, (centre["y"] + wy - oy) * ratio

        return image, ratio, to_image

    yield show
    view.close()
    view.deleteLater()


@pytest.mark.parametrize("z", [8, 10, 12])
def test_drawn_urban_tint_at_the_crossing(qtbot, basemap_view, shots_dir, z: int) -> None:
    urban, sea = _style_colour("urban"), _style_colour("sea")
    image, ratio, to_image = basemap_view(qtbot, *BRIDGE, z)
    if shots_dir is not None:
        image.save(str(shots_dir / f"detail-crossing-z{z}.png"))
    for lat, lon in (DANDONG, SINUIJU):
        x, y = to_image(lat, lon)
        # the city's dot and name sit on the spot: the tint shows around them
        assert pixels_near(image, x, y, urban, 14 * ratio) >= 10, f"no urban tint at {lat},{lon} at z{z}"
    # and the open sea shows none
    image, ratio, to_image = basemap_view(qtbot, *OPEN_SEA, z)
    x, y = to_image(*OPEN_SEA)
    assert pixels_near(image, x, y, urban, 60 * ratio) == 0
    assert pixels_near(image, x, y, sea, 3 * ratio) > 0


@pytest.mark.parametrize("z", [8, 10])
def test_drawn_yalu_name(qtbot, bm: Basemap, basemap_view, shots_dir, z: int) -> None:
    """The Yalu's name is drawn in the river-name blue where the tiles put it, by the bridge."""
    text = _style_colour("riverText")
    yalu = [lab for lab in _labels_around(bm, z, *BRIDGE) if lab["text"] == "Yalu"]
    bx, by = world_px(*BRIDGE, z)
    lab = min(yalu, key=lambda lab: math.hypot(lab["tx"] - bx, lab["ty"] - by))
    image, ratio, to_image = basemap_view(qtbot, *BRIDGE, z)
    if shots_dir is not None:
        image.save(str(shots_dir / f"detail-yalu-z{z}.png"))
    cx, cy = to_image(*BRIDGE)
    x, y = cx + (lab["tx"] - bx) * ratio, cy + (lab["ty"] - by) * ratio
    drawn = pixels_near(image, x, y, text, lab["w"] / 2 * ratio, tol=40)
    assert drawn >= 8 * ratio * ratio, f"the Yalu's name is not drawn at z{z} ({drawn} px)"
