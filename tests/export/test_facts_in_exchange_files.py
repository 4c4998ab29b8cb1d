"""A map's facts (with their sources and statuses) and its own fields (event time, local time, fact
groups, sources list, banner, article) travel in every exchange file SitMap writes, GeoJSON,
GeoPackage, KML and KMZ, and come back when SitMap opens it; what another tool added or broke is
read leniently: a fact that cannot be kept is left out and said so, the rest opens."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace

import numpy as np
import pytest

from viewer import resources
from viewer.export.writers import writer_for
from viewer.model.io.carried import FACTS_LEFT_OUT
from viewer.model.io.open_any import open_map_bytes, open_map_file
from viewer.model.scenario import Fact, load_scenario

SUFFIXES = [".geojson", ".gpkg", ".kml", ".kmz"]


@pytest.fixture(scope="module")
def built():
    s = load_scenario(resources.default_scenario())
    # (a listed source and a banner too: the built-in map has neither)
    return replace(s, sources_list=[{"id": "jcs", "name": "South Korea Joint Chiefs of Staff (JCS)",
                                     "url": "https://www.jcs.mil.kr/", "date": "2022-01-17"}],
                   banner="UNCLASSIFIED // EXERCISE")


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_each_exchange_file_brings_the_facts_and_the_maps_fields_back(built, tmp_path, suffix):
    path = tmp_path / f"map{suffix}"
    writer_for(path).write(built, path)
    scenario, report = open_map_file(path)
    assert scenario.facts == built.facts  # (ids, groups, labels, values, sources, statuses, features, times, derivations)
    assert any(f.derive for f in scenario.facts) and any(f.time_utc for f in scenario.facts)
    for field in ("groups", "sources_list", "event_time_utc", "local_time", "subtitle", "banner", "article", "view"):
        assert getattr(scenario, field) == getattr(built, field), field
    assert FACTS_LEFT_OUT not in report.counts and not any("fields" in n for n in report.notes)
    # derived facts are worked out again from the features the file gave back
    assert [scenario.fact_display_value(f) for f in scenario.facts] == [built.fact_display_value(f) for f in built.facts]


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg", ".kml"])  # (a KMZ is the KML zipped)
def test_a_fact_whose_feature_the_file_did_not_give_back_is_left_out_and_said_so(built, tmp_path, suffix):
    path = tmp_path / f"map{suffix}"
    writer_for(path).write(built, path)
    raw = path.read_bytes()
    if suffix == ".gpkg":  # (a user deleted the ring's row in QGIS)
        db = sqlite3.connect(path)
        db.execute("DELETE FROM areas WHERE id = 'ring-380km'")
        db.commit()
        db.close()
        raw = path.read_bytes()
    elif suffix == ".geojson":
        doc = json.loads(raw)
        doc["features"] = [f for f in doc["features"] if f["id"] != "ring-380km"]
        raw = json.dumps(doc).encode()
    else:
        text = raw.decode()
        start = text.rindex("<Placemark", 0, text.index('<SimpleData name="sitmap_id">ring-380km</SimpleData>'))
        raw = (text[:start] + text[text.index("</Placemark>", start) + len("</Placemark>"):]).encode()
    scenario, report = open_map_bytes(raw, path.name)
    assert "ring-380km" not in {f.id for f in scenario.features}
    want = [f for f in built.facts if f.feature != "ring-380km"]
    assert scenario.facts == want and len(want) == len(built.facts) - 1
    assert report.counts[FACTS_LEFT_OUT] == 1
    assert "no feature with id 'ring-380km'" in "\n".join(report.lines())


def test_facts_a_gis_tool_wrote_are_read_rows_without_an_id_given_one(tmp_path):
    # A GeoPackage made with GDAL (as QGIS writes one): a points layer with an id column, and a facts
    # table without fact ids or groups, one row of an unknown status and one without a source.
    from pyogrio.raw import write

    pytest.importorskip("pyogrio")
    import shapely

    path = tmp_path / "from qgis.gpkg"
    pts = shapely.points([[126.9, 39.0], [129.8, 40.2]])
    write(path, shapely.to_wkb(pts), [np.array(["site-a", "site-b"], dtype=object),
                                      np.array(["Site A", "Site B"], dtype=object)],
          ["id", "name"], layer="sites", driver="GPKG", geometry_type="Point", crs="EPSG:4326")
    cols = ["label", "value", "source", "status", "feature"]
    rows = [("Launches", "Two", "JCS", "reported", "site-a"),
            ("Range", "380 km", "JCS", "reported", None),
            ("Yield", "large", "Blog", "rumoured", "site-b"),
            ("Apogee", "42 km", None, "reported", "site-b")]
    write(path, None, [np.array([r[i] for r in rows], dtype=object) for i in range(len(cols))], cols,
          layer="facts", driver="GPKG", append=True)
    scenario, report = open_map_file(path)
    assert [f.id for f in scenario.features] == ["site-a", "site-b"]
    assert [(f.id, f.group, f.label, f.value, f.source, f.status, f.feature) for f in scenario.facts] == [
        ("fact-row-1", "context", "Launches", "Two", "JCS", "reported", "site-a"),
        ("fact-row-2", "context", "Range", "380 km", "JCS", "reported", None)]
    said = "\n".join(report.lines())
    assert report.counts[FACTS_LEFT_OUT] == 2 and "'rumoured' must be one of" in said and "source" in said


def test_a_fact_added_to_sitmaps_own_geopackage_with_gdal_opens_with_the_rest(built, tmp_path):
    from pyogrio.raw import read, write

    path = tmp_path / "map.gpkg"
    writer_for(path).write(built, path)
    meta, _fids, _geoms, _fields = read(path, layer="facts")
    assert "time_utc" in meta["fields"] and "derive" in meta["fields"]
    cols = ["fact_group", "label", "value", "source", "status", "feature"]
    row = ["target", "Splashdown", "East Sea", "NHK", "reported", "impact-area"]
    write(path, None, [np.array([v], dtype=object) for v in row], cols, layer="facts", driver="GPKG", append=True)
    scenario, report = open_map_file(path)
    assert scenario.facts[:-1] == built.facts
    assert (scenario.facts[-1].label, scenario.facts[-1].feature, scenario.facts[-1].group) == \
        ("Splashdown", "impact-area", "target")
    assert scenario.facts[-1].id not in {f.id for f in built.facts}
    assert not report.counts


def test_what_another_tool_made_of_the_carried_members_never_stops_the_map_opening(built):
    from viewer.export.geojson import exchange_geojson

    doc = exchange_geojson(built)
    doc["facts"] = {"not": "a list"}
    doc["sitmap_map"] = {"event_time_utc": "yesterday", "groups": [{"id": "x", "label": "X"}], "banner": 7}
    scenario, report = open_map_bytes(json.dumps(doc).encode(), "edited.geojson")
    assert len(scenario.features) == len(built.features) and scenario.facts == []
    assert scenario.groups == [("x", "X")] and scenario.event_time_utc is None and scenario.banner == ""
    notes = " ".join(report.notes)
    assert "facts (facts) were not read: not a list" in notes
    assert "event_time_utc" in notes and "banner" in notes
    assert "facts" not in scenario.extra and "sitmap_map" not in scenario.extra  # (not kept as foreign members)


def test_a_kml_whose_carried_json_is_broken_opens_without_it_saying_so(built, tmp_path):
    path = tmp_path / "map.kml"
    writer_for(path).write(built, path)
    text = path.read_text(encoding="utf-8")
    start = text.index('<Data name="sitmap_facts">')
    value = text.index("<value>", start) + len("<value>")
    broken = text[:value] + "[{" + text[value:]
    scenario, report = open_map_bytes(broken.encode(), "edited.kml")
    assert scenario.facts == [] and scenario.groups == built.groups
    assert any("sitmap_facts was not read" in n for n in report.notes)


def test_a_map_without_facts_or_fields_writes_no_carried_members(tmp_path):
    from viewer.export.geojson import exchange_geojson
    from viewer.model.exchange import export_kml
    from viewer.model.scenario import Scenario

    bare = Scenario(title="Nothing else", features=[], facts=[])
    assert set(exchange_geojson(bare)) == {"type", "name", "features"}
    assert b"ExtendedData" not in export_kml(bare)
    path = tmp_path / "bare.gpkg"
    writer_for(path).write(bare, path)
    db = sqlite3.connect(path)
    assert {r[0] for r in db.execute("SELECT table_name FROM gpkg_contents")} == {"points", "sitmap_map"}
    assert json.loads(db.execute("SELECT fields FROM sitmap_map").fetchone()[0]) == {"title": "Nothing else"}
    db.close()


def test_importing_a_file_with_facts_into_a_map_says_they_were_not_imported(built, tmp_path):
    from viewer.model.io.annotations import import_leniently

    path = tmp_path / "other.gpkg"
    writer_for(path).write(built, path)
    features, report = import_leniently(path.read_bytes(), path.name)
    assert len(features) == len(built.features)
    assert any(f"{len(built.facts)} facts" in n and "File > Open" in n for n in report.notes)


def test_one_fact_of_many_is_kept_apart_from_a_duplicate_id(built):
    from viewer.export.geojson import exchange_geojson

    doc = exchange_geojson(built)
    doc["facts"] = doc["facts"] + [dict(doc["facts"][0], value="Three")]
    scenario, report = open_map_bytes(json.dumps(doc).encode(), "dup.geojson")
    assert scenario.facts == built.facts and report.counts[FACTS_LEFT_OUT] == 1
    assert "duplicate fact id" in "\n".join(report.lines())
    assert isinstance(scenario.facts[0], Fact)


def test_google_earth_shows_each_features_facts_with_their_sources_in_its_balloon(built):
    # (the description is the balloon; the facts listed there are not read back as notes)
    import html

    from viewer.model.exchange import export_kml
    from viewer.model.io.kml_write import fact_line

    raw = export_kml(built)
    text = raw.decode("utf-8")
    start = text.index("<name>Launch point")
    desc = text[text.index("<description>", start) + 13:text.index("</description>", start)]
    lines = html.unescape(html.unescape(desc)).split("<br>")
    about = [f for f in built.facts if f.feature == "launch-point"]
    at = lines.index("Facts:")
    assert lines[at + 1:at + 1 + len(about)] == [
        fact_line(f.label, built.fact_display_value(f), f.source, f.status) for f in about]
    assert "Missiles fired: Two \u2014 South Korea Joint Chiefs of Staff (JCS) [reported]" in lines
    scenario, _ = open_map_bytes(raw, "map.kml")
    assert {f.id: f.properties.get("notes") for f in scenario.features} == \
        {f.id: f.properties.get("notes") for f in built.features}


def test_a_balloon_list_google_earth_users_edited_stays_in_the_notes(built):
    from viewer.model.exchange import export_kml

    text = export_kml(built).decode("utf-8")
    edited = text.replace("Missiles fired: Two \u2014", "Missiles fired: Three \u2014", 1)
    edited = edited.replace("Facts:&lt;br&gt;Launch times", "Facts:&lt;br&gt;Seen from Dandong&lt;br&gt;Launch times", 1)
    scenario, _ = open_map_bytes(edited.encode(), "map.kml")
    notes = scenario.feature("launch-point").properties["notes"]
    assert "Seen from Dandong" in notes and "Missiles fired: Three" in notes  # (nothing the user typed is lost)
    assert scenario.facts == built.facts


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_hidden_and_locked_layers_come_back_hidden_and_locked_in_their_order(tmp_path, suffix):
    from viewer.model.scenario import parse_scenario

    pt = lambda lon, lat: {"type": "Point", "coordinates": [lon, lat]}  # noqa: E731
    s = parse_scenario({"type": "FeatureCollection", "sitmap": {"title": "Layers", "layers": [
        {"id": "seen", "label": "Sites seen", "visible": True, "locked": False},
        {"id": "hidden", "label": "Hidden sites", "visible": False, "locked": False},
        {"id": "locked", "label": "Locked sites", "visible": True, "locked": True}]},
        "features": [
            {"type": "Feature", "id": "a", "geometry": pt(125, 39), "properties": {"kind": "place", "name": "A", "layer": "locked"}},
            {"type": "Feature", "id": "b", "geometry": pt(126, 39), "properties": {"kind": "place", "name": "B", "layer": "hidden"}},
            {"type": "Feature", "id": "c", "geometry": pt(127, 39), "properties": {"kind": "place", "name": "C", "layer": "seen"}}]},
        "s")
    path = tmp_path / f"layers{suffix}"
    writer_for(path).write(s, path)
    again, _ = open_map_file(path)
    assert [(x["label"], x["visible"], x["locked"]) for x in again.layers] == [
        ("Sites seen", True, False), ("Hidden sites", False, False), ("Locked sites", True, True)]


def test_a_geopackage_fact_whose_time_another_tool_stored_as_binary_opens_without_it_and_says_so(built, tmp_path):
    from viewer.model.io.geopackage import FACT_BINARY

    path = tmp_path / "map.gpkg"
    writer_for(path).write(built, path)
    timed = next(f for f in built.facts if f.time_utc)
    db = sqlite3.connect(path)
    db.execute("UPDATE facts SET time_utc = ? WHERE fact_id = ?", (b"\x00\x01binary", timed.id))
    db.commit()
    db.close()
    scenario, report = open_map_file(path)
    got = next(f for f in scenario.facts if f.id == timed.id)
    assert not got.time_utc and (got.label, got.value, got.source) == (timed.label, timed.value, timed.source)
    assert len(scenario.facts) == len(built.facts)
    assert not report.counts and report.kept_in_part[FACT_BINARY][0] == 1
    said = " ".join(report.lines())
    assert timed.label in said and "its time_utc" in said and "binary data" in said


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg", ".kml"])
def test_a_map_without_an_opening_view_of_its_own_reopens_on_its_features_and_a_broken_one_is_said(built, tmp_path, suffix):
    from viewer.model.io.open_any import view_of_all

    path = tmp_path / f"map{suffix}"
    writer_for(path).write(replace(built, view={}), path)
    scenario, _report = open_map_file(path)
    assert scenario.view == view_of_all(scenario.features) and scenario.view != built.view
    if suffix == ".geojson":  # (another tool's edit broke it: the features' extent, and said so)
        writer_for(path).write(built, path)
        doc = json.loads(path.read_bytes())
        doc["sitmap_map"]["view"] = {"bounds": "everywhere"}
        scenario, report = open_map_bytes(json.dumps(doc).encode(), "edited.geojson")
        assert scenario.view == view_of_all(scenario.features)
        assert any("view" in n for n in report.notes)
