"""What only some maps need is loaded when one needs it: the online layers' tile fetcher (made
when a map first shows an online layer, not with every profile), the readers of other tools'
files (KML, GPX, CSV) and SQLite (MBTiles packages). An export of a SitMap map loads none of them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_profile_makes_its_online_tiles_on_first_use(qapp):
    from viewer.ui.web import make_profile

    profile, handler, guard = make_profile()
    assert handler._online is None
    online = handler.online
    assert online is not None and online.guard is guard and online.parent() is handler
    assert handler.online is online  # (made once)


LOADED_ON_DEMAND = ("viewer.ui.online_tiles", "viewer.model.io.kml", "viewer.model.io.gpx",
                    "viewer.model.io.csv_points", "sqlite3")


def test_an_export_of_a_sitmap_map_loads_nothing_it_does_not_need(tmp_path):
    out = tmp_path / "map.png"
    script = (
        "import sys; from pathlib import Path; from viewer import api, resources\n"
        "m = api.open_map(resources.default_scenario())\n"
        f"m.export(Path({str(out)!r}), size=(400, 300))\n"
        f"print(sorted(set({list(LOADED_ON_DEMAND)!r}) & set(sys.modules)))\n"
    )
    r = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert r.returncode == 0, r.stderr[-2000:]
    assert out.stat().st_size > 1000
    assert r.stdout.strip().splitlines()[-1] == "[]", r.stdout


def test_other_tools_files_still_open_through_their_readers(tmp_path):
    from viewer.model.io.open_any import open_map_file

    kml = tmp_path / "a.kml"
    kml.write_text('<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark>'
                   "<name>Dandong</name><Point><coordinates>124.39,40.13</coordinates></Point></Placemark>"
                   "</Document></kml>", encoding="utf-8")
    gpx = tmp_path / "b.gpx"
    gpx.write_text('<?xml version="1.0"?><gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1">'
                   '<wpt lat="39.03" lon="125.75"><name>Pyongyang</name></wpt></gpx>', encoding="utf-8")
    csv = tmp_path / "c.csv"
    csv.write_text("name,lat,lon\nSinuiju,40.10,124.40\n", encoding="utf-8")
    for path, name in ((kml, "Dandong"), (gpx, "Pyongyang"), (csv, "Sinuiju")):
        scenario, _report = open_map_file(path)
        assert [f.name for f in scenario.features] == [name], path


def test_online_layers_registered_before_the_fetcher_is_made_are_served_by_it(qapp):
    from viewer.render.tile_cache import source_key
    from viewer.ui.web import make_profile

    profile, handler, guard = make_profile()
    first, second = "https://a.example.org/{z}/{x}/{y}.png", "https://b.example.org/{z}/{x}/{y}.png"
    handler.register_online(first)
    assert handler._online is None
    online = handler.online
    handler.register_online(second)
    assert online.sources == {source_key(first): first, source_key(second): second}


def test_a_window_page_offering_online_layers_does_not_make_the_fetcher(window):
    assert window.map_view.online_specs  # (the page offers them, off)
    assert window.map_view.scheme_handler._online is None
