"""The time window applies to the map's own exports: GeoJSON, KML (read back with fastkml and
with xml.etree), CSV, the briefing's facts box; through the API and the command line."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from fastkml import kml as fkml

from viewer import api
from viewer.export.briefing import BriefingOptions, ExportSize, compose
from viewer.model import history as h
from viewer.model.scenario import load_scenario
from viewer.model.time_window import in_window

KML = "{http://www.opengis.net/kml/2.2}"
JAN = "2022-01-01/2022-01-31"


def point(fid, lon, lat, name, time_utc=None):
    props = {"kind": "place", "name": name, "source": "test", "status": "reported"}
    if time_utc is not None:
        props["time_utc"] = time_utc
    return {"type": "Feature", "id": fid, "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": props}


@pytest.fixture()
def timed_map(tmp_path) -> Path:
    doc = {
        "type": "FeatureCollection",
        "sitmap": {"version": 1, "title": "Timed map"},
        "features": [
            point("early", 125.0, 39.0, "Early place", "2022-01-05T10:00:00Z"),
            point("late", 126.0, 39.5, "Late place", "2022-03-01T00:00:00Z"),
            point("twice", 127.0, 38.0, "Twice place", ["2021-12-01T00:00:00Z", "2022-01-15T06:30:00Z"]),
            point("fact-timed", 128.0, 37.5, "Place timed by its fact"),
            point("untimed", 124.0, 40.0, "Untimed place"),
        ],
        "facts": [
            {"id": "about-early", "group": "g", "label": "About early", "value": "E", "source": "test",
             "status": "reported", "feature": "early"},
            {"id": "about-late", "group": "g", "label": "About late", "value": "L", "source": "test",
             "status": "reported", "feature": "late"},
            {"id": "late-event", "group": "g", "label": "Late event", "value": "", "source": "test",
             "status": "reported", "feature": "fact-timed", "time_utc": ["2022-02-20T00:00:00Z"]},
            {"id": "jan-event", "group": "g", "label": "January event", "value": "", "source": "test",
             "status": "reported", "time_utc": ["2022-01-20T00:00:00Z"]},
            {"id": "dist-late", "group": "g", "label": "Untimed to late", "value": "", "source": "SitMap",
             "status": "derived", "derive": {"op": "distance", "from": "untimed", "to": "late"}},
            {"id": "plain", "group": "g", "label": "Plain fact", "value": "P", "source": "test", "status": "reported"},
        ],
    }
    p = tmp_path / "timed.sitmap.geojson"
    p.write_text(json.dumps(doc))
    return p


SHOWN = {"early", "twice", "untimed"}
LEFT_OUT = {"late", "fact-timed"}
NAMES = {"Early place", "Twice place", "Untimed place"}


def test_the_rule(timed_map):
    s = load_scenario(timed_map)
    w = in_window(s, h.parse_window(JAN))
    assert {f.id for f in w.scenario.features} == SHOWN
    assert set(w.hidden_features) == LEFT_OUT
    assert {f.id for f in w.scenario.facts} == {"about-early", "jan-event", "plain"}
    assert set(w.hidden_facts) == {"about-late", "late-event", "dist-late"}
    assert w.statement() == ("Time window shown: 2022-01-01 to 2022-01-31 UTC "
                             "(2 timed features and 3 facts outside it left out)")
    assert len(s.features) == 5 and len(s.facts) == 6  # the open map is untouched
    assert in_window(s, None).scenario is s


def test_geojson_kml_kmz_csv_through_the_api(timed_map, tmp_path):
    m = api.open_map(timed_map)
    for name in ("w.geojson", "w.kml", "w.kmz", "w.csv"):
        m.export(tmp_path / name, time_window=JAN)
    doc = json.loads((tmp_path / "w.geojson").read_text())
    assert {f["id"] for f in doc["features"]} == SHOWN
    assert doc["time_window"]["start_utc"] == "2022-01-01T00:00:00Z"
    assert doc["time_window"]["end_utc"] == "2022-01-31T23:59:59Z"
    assert set(doc["time_window"]["features_left_out"]) == LEFT_OUT
    # KML: read back by two independent parsers
    k = fkml.KML.parse(str(tmp_path / "w.kml"))
    document = k.features[0]
    names = {p.name for p in document.features}
    assert names == {"Early place", "Twice place", "Untimed place"}
    assert "Time window shown: 2022-01-01 to 2022-01-31 UTC" in document.description
    root = ET.parse(tmp_path / "w.kml").getroot()
    assert {p.find(f"{KML}name").text for p in root.iter(f"{KML}Placemark")} == NAMES
    import zipfile

    with zipfile.ZipFile(tmp_path / "w.kmz") as z:
        kmz_root = ET.fromstring(z.read("doc.kml"))
    assert {p.find(f"{KML}name").text for p in kmz_root.iter(f"{KML}Placemark")} == NAMES
    rows = list(csv.DictReader(io.StringIO((tmp_path / "w.csv").read_text(encoding="utf-8-sig"))))
    assert {r["id"] for r in rows} == SHOWN
    # without a window: everything
    m.export(tmp_path / "all.geojson")
    every = json.loads((tmp_path / "all.geojson").read_text())
    assert {f["id"] for f in every["features"]} == SHOWN | LEFT_OUT and "time_window" not in every
    # a window that is a later month: the other side
    m.export(tmp_path / "mar.csv", time_window="2022-03")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "mar.csv").read_text(encoding="utf-8-sig"))))
    assert {r["id"] for r in rows} == {"late", "untimed"}


def test_bad_window_is_a_one_line_error_and_writes_nothing(timed_map, tmp_path):
    m = api.open_map(timed_map)
    with pytest.raises(api.SitMapError) as e:
        m.export(tmp_path / "x.geojson", time_window="last week")
    assert "\n" not in str(e.value) and "time window" in str(e.value)
    assert not (tmp_path / "x.geojson").exists()


def test_briefing_facts_box_respects_the_window_and_states_it(timed_map):
    s = load_scenario(timed_map)
    opts = BriefingOptions(show_facts=True, time_window=h.parse_window(JAN))
    b = compose(s, ExportSize.pixels(1200, 800), opts, with_channel=False)
    labels = [f["label"] for f in b.config["facts"]]
    # facts about features shown and the map's own in the window; "About late" went with its place
    assert labels == ["About early", "January event", "Plain fact"]
    assert b.config["timeWindow"].startswith("Time window shown: 2022-01-01 to 2022-01-31 UTC")
    assert "Time window shown: 2022-01-01 to 2022-01-31 UTC" in b.config["sources"]
    assert '"late"' not in b.html.split("sitmap-briefing-config")[0] or "Late place" not in b.html
    plain = compose(s, ExportSize.pixels(1200, 800), BriefingOptions(show_facts=True), with_channel=False)
    assert {f["label"] for f in plain.config["facts"]} >= {"About early", "About late"}
    assert plain.config["timeWindow"] == ""


def test_html_briefing_through_the_api(timed_map, tmp_path):
    out = tmp_path / "b.html"
    api.open_map(timed_map).export(out, facts=True, time_window=JAN)
    html = out.read_text()
    assert "Time window shown: 2022-01-01 to 2022-01-31 UTC" in html
    assert "Late place" not in html and "Early place" in html


def test_command_line_time_window_without_history(timed_map, tmp_path):
    from tests.test_cli import run

    out = tmp_path / "cli.kml"
    r = run(str(timed_map), "--time-window", JAN, "--export", str(out))
    assert r.returncode == 0, r.stderr
    root = ET.parse(out).getroot()
    assert {p.find(f"{KML}name").text for p in root.iter(f"{KML}Placemark")} == NAMES
    r = run(str(timed_map), "--time-window", "2022-13", "--export", str(tmp_path / "bad.csv"))
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1
    assert re.search(r"time window|not a date", r.stderr)


def test_kml_carries_each_timed_features_time_for_google_earths_slider(timed_map, tmp_path):
    out = tmp_path / "all.kml"
    api.open_map(timed_map).export(out)
    data = out.read_bytes()
    root = ET.fromstring(data)
    when = {}
    for pm in root.iter(f"{KML}Placemark"):
        name = pm.findtext(f"{KML}name")
        stamp = pm.findtext(f"{KML}TimeStamp/{KML}when")
        span = (pm.findtext(f"{KML}TimeSpan/{KML}begin"), pm.findtext(f"{KML}TimeSpan/{KML}end"))
        when[name] = stamp or (span if span != (None, None) else None)
    assert when["Early place"] == "2022-01-05T10:00:00Z"
    assert when["Twice place"] == ("2021-12-01T00:00:00Z", "2022-01-15T06:30:00Z")
    assert when["Place timed by its fact"] == "2022-02-20T00:00:00Z"
    assert when["Untimed place"] is None
    # KML's element order: the time primitive after the description, before the style's URL
    pm = next(p for p in root.iter(f"{KML}Placemark") if p.findtext(f"{KML}name") == "Early place")
    tags = [c.tag.replace(KML, "") for c in pm]
    assert tags.index("description") < tags.index("TimeStamp") < tags.index("styleUrl") < tags.index("ExtendedData")
    k = fkml.KML.from_string(data)  # an independent reader sees the same times
    doc = next(iter(k.features))
    times = {p.name: p.times for p in doc.features}
    assert times["Early place"].timestamp.dt.isoformat() == "2022-01-05T10:00:00+00:00"
    assert times["Untimed place"] is None


def test_a_csv_keeps_a_points_times_so_a_time_window_still_sees_them(tmp_path):
    m = api.new_map("CSV times")
    m.add_place(40.0, 128.0, "Timed", source="JMOD", status="reported",
                time_utc=["2026-10-13T21:53:00Z", "2026-10-13T22:10:00Z"])
    m.add_place(41.0, 129.0, "Untimed", source="JMOD", status="reported")
    m.export(tmp_path / "t.csv")
    again = api.open_map(tmp_path / "t.csv")
    times = {f.properties["name"]: f.properties.get("time_utc") for f in again.features}
    assert times == {"Timed": ["2026-10-13T21:53:00Z", "2026-10-13T22:10:00Z"], "Untimed": None}
    for window, names in (("2026-09", {"Untimed"}), ("2026-10", {"Timed", "Untimed"})):
        again.export(tmp_path / f"{window}.geojson", time_window=window)
        doc = json.loads((tmp_path / f"{window}.geojson").read_text(encoding="utf-8"))
        assert {f["properties"]["name"] for f in doc["features"]} == names
