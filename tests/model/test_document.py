"""The document: every change checked by the reader's rules, stored, announced; undo and redo;
whatever it holds, the saved file and the recovery file reopen equal to it."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from viewer import resources
from viewer.model import edits
from viewer.model.document import Document, History
from viewer.model.project import Recovery, project_bytes, save_project
from viewer.model.scenario import Fact, Feature, ScenarioError, load_scenario, parse_scenario_bytes


def builtin() -> Document:
    return Document(load_scenario(resources.default_scenario()))


def area(fid: str, corners) -> Feature:
    ring = [list(c) for c in corners] + [list(corners[0])]
    return Feature(fid, "area", {"type": "Polygon", "coordinates": [ring]}, {"name": fid, "annotation": True})


def test_a_bow_tie_area_is_refused_and_nothing_is_stored():
    doc = builtin()
    before = project_bytes(doc.scenario)
    events = []
    doc.events.connect(events.append)
    with pytest.raises(ScenarioError, match="invalid polygon"):
        doc.execute(edits.AddFeatures([area("bow", [[0, 0], [1, 1], [1, 0], [0, 1]])]))
    assert project_bytes(doc.scenario) == before and events == []


def test_a_change_is_stored_then_announced_and_undo_redo_restore_it():
    doc = builtin()
    h = History(doc)
    seen = []
    doc.events.connect(lambda c: seen.append((c.text, [f.id for f in c.added], c.removed, doc.feature("m1") is not None)))
    h.do(edits.AddFeatures([Feature("m1", "place", {"type": "Point", "coordinates": [127, 37.5]}, {"name": "M"})]))
    h.undo()
    h.redo()
    assert seen == [("Add M", ["m1"], [], True), ("Add M", [], ["m1"], False), ("Add M", ["m1"], [], True)]


def test_a_new_ring_gets_a_free_palette_colour_and_deleting_a_ring_recolours_nothing():
    doc = builtin()
    h = History(doc)
    first = doc.feature("ring-380km").properties["style"]["color"]
    for i, r in enumerate((100_000, 200_000, 300_000)):
        h.do(edits.AddFeatures([Feature(f"r{i}", "range_ring", {"type": "Point", "coordinates": [125.7, 39.2]},
                                        {"radius_m": float(r), "annotation": True})]))
    colours = {f.id: f.properties["style"]["color"] for f in doc.features if f.kind == "range_ring"}
    assert len(set(colours.values())) == 4 and colours["ring-380km"] == first
    h.do(edits.RemoveFeatures(["r0"]))
    after = {f.id: f.properties["style"]["color"] for f in doc.features if f.kind == "range_ring"}
    assert after == {k: v for k, v in colours.items() if k != "r0"}


def test_features_with_facts_about_them_cannot_be_removed():
    doc = builtin()
    with pytest.raises(ScenarioError, match="fact"):
        doc.execute(edits.RemoveFeatures(["launch-point"]))
    assert doc.feature("launch-point") is not None


@pytest.mark.parametrize("fact, message", [
    (Fact("f1", "context", "", "x", "JCS", "reported"), "label"),
    (Fact("f1", "context", "Range", "x", "JCS", "rumoured"), "status"),
    (Fact("f1", "context", "Range", "x", "JCS", "reported", feature="nowhere"), "no feature"),
    (Fact("f1", "context", "Range", "x", "JCS", "reported", time_utc=(datetime(9999, 12, 31, 23, tzinfo=timezone.utc),)), None),
    (Fact("bad id!", "context", "Range", "x", "JCS", "reported"), "id"),
    (Fact("f1", "context", "Range", "x\x00", "JCS", "reported"), "NUL"),
])
def test_fact_edits_are_checked_by_the_readers_rules(fact, message):
    doc = builtin()
    command = edits.SetFacts(list(doc.facts) + [fact])
    if message is None:
        doc.execute(command)
        assert doc.facts[-1] == fact
        return
    with pytest.raises(ScenarioError, match=message):
        doc.execute(command)


def test_metadata_and_layers_are_checked_and_undoable():
    doc = builtin()
    h = History(doc)
    h.do(edits.SetMeta(title="Next event", subtitle="draft"))
    assert doc.scenario.title == "Next event"
    h.undo()
    assert doc.scenario.title.startswith("North Korea")
    with pytest.raises(ScenarioError):
        doc.execute(edits.SetMeta(view={"zoom": 99}))
    with pytest.raises(ScenarioError):
        doc.execute(edits.set_layers([{"id": "rings", "label": "R", "visible": "yes", "locked": False}]))


def test_unstorable_values_are_refused():
    doc = builtin()
    for props in ({"name": "x", "weird": float("nan")}, {"name": "x", "obj": object()}, {"name": "\ud800"}):
        with pytest.raises(ScenarioError):
            doc.execute(edits.AddFeatures([Feature("p", "place", {"type": "Point", "coordinates": [1, 2]}, props)]))
    assert doc.feature("p") is None


# ----------------------------------------------------------------------------- random edit sequences

lon = st.floats(-180, 180, allow_nan=False, allow_infinity=False)
lat = st.floats(-89.5, 89.5, allow_nan=False, allow_infinity=False)
point = st.tuples(lon, lat)

step = st.one_of(
    st.tuples(st.just("ring"), point, st.floats(1, 19_000_000)),
    st.tuples(st.just("ring_pole"), st.sampled_from([89.9, -89.9, 90.0, -90.0]), st.floats(10_000, 5_000_000)),
    st.tuples(st.just("area"), st.lists(point, min_size=3, max_size=6)),
    st.tuples(st.just("area_antimeridian"), st.floats(170, 179.9), st.floats(-60, 60)),
    st.tuples(st.just("path"), st.lists(point, min_size=2, max_size=5)),
    st.tuples(st.just("drag"), st.integers(0, 50), st.integers(0, 6), point),
    st.tuples(st.just("delete"), st.integers(0, 50)),
    st.tuples(st.just("fact"), st.text(max_size=30), st.sampled_from(["reported", "claimed", "derived", "estimated", "bad"])),
    st.tuples(st.just("undo")),
    st.tuples(st.just("redo")),
)


def _attempt(h: History, doc: Document, s) -> None:
    from viewer.logic.vertices import moved

    kind = s[0]
    annotations = [f for f in doc.features if f.properties.get("annotation")]
    try:
        if kind == "ring":
            h.do(edits.AddFeatures([Feature(doc.new_id("ring"), "range_ring", {"type": "Point", "coordinates": list(s[1])},
                                            {"radius_m": s[2], "annotation": True})]))
        elif kind == "ring_pole":
            h.do(edits.AddFeatures([Feature(doc.new_id("ring"), "range_ring", {"type": "Point", "coordinates": [30.0, s[1]]},
                                            {"radius_m": s[2], "annotation": True})]))
        elif kind == "area":
            h.do(edits.AddFeatures([area(doc.new_id("area"), [list(p) for p in s[1]])]))
        elif kind == "area_antimeridian":
            a, b = s[1], s[2]
            h.do(edits.AddFeatures([area(doc.new_id("area"), [[a, b], [-a, b], [-a, b + 5], [a, b + 5]])]))
        elif kind == "path":
            h.do(edits.AddFeatures([Feature(doc.new_id("line"), "path", {"type": "LineString", "coordinates": [list(p) for p in s[1]]},
                                            {"annotation": True})]))
        elif kind == "drag" and annotations:
            f = annotations[s[1] % len(annotations)]
            after = moved(f, s[2] % max(1, len(f.geometry["coordinates"]) if f.geometry["type"] == "LineString" else 1)
                          if f.geometry["type"] != "Polygon" else s[2] % (len(f.geometry["coordinates"][0]) - 1),
                          s[3][1], s[3][0])
            if after is not None:
                h.do(edits.ReplaceFeatures([after]))
        elif kind == "delete" and annotations:
            h.do(edits.RemoveFeatures([annotations[s[1] % len(annotations)].id]))
        elif kind == "fact":
            fid = f"fact-x{len(doc.facts)}"
            h.do(edits.SetFacts(list(doc.facts) + [Fact(fid, "context", s[1], "v", "Analyst", s[2])]))
        elif kind == "undo":
            h.undo()
        elif kind == "redo":
            h.redo()
    except ScenarioError:
        pass  # refused: nothing stored (checked below by the round trip)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(step, min_size=1, max_size=12))
def test_after_every_random_edit_the_saved_and_recovery_files_reopen_equal(tmp_path_factory, steps):
    folder = tmp_path_factory.mktemp("doc")
    doc = builtin()
    h = History(doc)
    recovery = Recovery(folder / "recovery")
    for s in steps:
        _attempt(h, doc, s)
        save_project(doc.scenario, folder / "map.sitmap.geojson")
        reopened = load_scenario(folder / "map.sitmap.geojson")
        assert reopened == doc.scenario
        recovery.write(doc.scenario, None)
        again, _ = recovery.load()
        assert again == doc.scenario


def test_saved_rings_paths_and_areas_carry_their_drawn_shape_and_style_for_other_tools():
    doc = builtin()
    data = json.loads(project_bytes(doc.scenario))
    by_id = {f["id"]: f for f in data["features"]}
    ring = by_id["ring-380km"]
    assert ring["geometry"]["type"] == "Polygon" and len(ring["geometry"]["coordinates"][0]) > 60
    assert ring["properties"]["centre"] == [125.6733, 39.2002] and ring["properties"]["radius_m"] == 380000
    assert ring["properties"]["stroke"] == ring["properties"]["fill"] == ring["properties"]["style"]["color"]
    path = by_id["flight-path"]
    assert len(path["geometry"]["coordinates"]) > len(path["properties"]["vertices"])
    assert by_id["launch-point"]["properties"]["marker-color"] == "#D55E00"
    assert parse_scenario_bytes(project_bytes(doc.scenario), "x") == doc.scenario


def test_files_saved_before_the_drawn_geometry_format_still_open():
    old = json.loads(resources.default_scenario().read_text(encoding="utf-8"))
    assert old["sitmap"]["version"] == 1
    s = load_scenario(resources.default_scenario())
    assert s.feature("ring-380km").geometry == {"type": "Point", "coordinates": [125.6733, 39.2002]}


def test_rings_without_a_colour_get_the_palette_in_map_order_and_the_rest_are_kept():
    from viewer.model.style import RING_COLOURS, assign_colours

    def ring(fid, colour=None):
        props = {"radius_m": 1000.0, **({"style": {"color": colour, "dash": "dotted"}} if colour else {})}
        return Feature(fid, "range_ring", {"type": "Point", "coordinates": [125.7, 39.2]}, props)

    place = Feature("p", "place", {"type": "Point", "coordinates": [125.7, 39.2]}, {"name": "P"})
    rings = [ring(f"r{i}") for i in range(8)]
    features = [place, rings[0], ring("own", "#123456"), place, *rings[1:], place]
    out = assign_colours(features)
    assert out is not features and [f.id for f in out] == [f.id for f in features]
    coloured = {f.id: f.properties["style"]["color"] for f in out if f.kind == "range_ring"}
    # the palette by each ring's place among the rings (a ring with its own colour counts too)
    assert coloured == {"r0": RING_COLOURS[0], "own": "#123456",
                        **{f"r{i}": RING_COLOURS[(i + 1) % len(RING_COLOURS)] for i in range(1, 8)}}
    assert out[0] is place and out[2] is features[2]  # the rest unchanged, the same objects
    assert assign_colours(out) == out  # once: coloured rings keep their colours
    assert assign_colours([]) == [] and assign_colours([place]) == [place]


def test_a_feature_nested_past_the_limit_is_refused_so_whatever_is_stored_reopens():
    from viewer.model.json_read import MAX_NESTING
    from viewer.model.scenario import parse_scenario_bytes

    doc = builtin()
    deep = json.loads("[" * (MAX_NESTING + 2) + "]" * (MAX_NESTING + 2))
    odd = Feature("deep", "place", {"type": "Point", "coordinates": [125.0, 39.0]}, {"name": "D", "other": deep})
    with pytest.raises(ScenarioError, match="nesting deeper"):
        doc.execute(edits.AddFeatures([odd]))
    shallow = Feature("shallow", "place", {"type": "Point", "coordinates": [125.0, 39.0]},
                      {"name": "S", "other": json.loads("[" * 50 + "]" * 50)})
    doc.execute(edits.AddFeatures([shallow]))
    assert parse_scenario_bytes(project_bytes(doc.scenario), "x").feature("shallow") == doc.feature("shallow")


def test_many_features_are_checked_as_each_would_be_on_its_own():
    from viewer.model.document import IdsInUse, checked_features, validated_feature

    doc = builtin()
    many = []
    for i in range(1200):  # past the number from which lines and areas are drawn together
        many.append(Feature(f"l{i}", "path", {"type": "LineString", "coordinates": [[125.0 + i / 1000, 39.0], [126.0, 39.5]]},
                            {"name": f"L{i}", "status": "estimated"}))
        many.append(Feature(f"a{i}", "area", {"type": "Polygon", "coordinates": [[[125.0, 38.0], [125.5, 38.0],
                                                                                    [125.5, 38.5 + i / 1000], [125.0, 38.0]]]},
                            {"name": f"A{i}", "annotation": True}))
        many.append(Feature(f"p{i}", "place", {"type": "Point", "coordinates": [125, 39]},
                            {"name": f"P{i}", "role": "marker", "uncertainty_m": 500} if i % 7 == 0 else {"name": f"P{i}"}))
    together = checked_features(many, IdsInUse(doc._by_id))
    alone = [validated_feature(f, IdsInUse(doc._by_id)) for f in many]
    assert together == alone
    assert [json.dumps(f.properties) for f in together] == [json.dumps(f.properties) for f in alone]
    bad = many[:500] + [Feature("nan", "place", {"type": "Point", "coordinates": [125.0, 39.0]},
                                {"name": "N", "x": float("nan")})] + many[500:]
    with pytest.raises(ScenarioError, match="cannot be stored"):
        checked_features(bad, IdsInUse(doc._by_id))
    twice = many + [many[3]]
    with pytest.raises(ScenarioError, match="duplicate id"):
        checked_features(twice, IdsInUse(doc._by_id))


def test_a_map_put_in_a_document_keeps_every_field_it_has_and_saves_them_again(tmp_path):
    """Its sources list and banner too (a document once kept only the fields it knew of when it
    was written, so a saved map's sources and banner were gone once reopened and saved again)."""
    import dataclasses

    from viewer.model.scenario import Scenario

    s = load_scenario(resources.default_scenario())
    s = dataclasses.replace(s, sources_list=[{"id": "jcs", "name": "JCS", "url": "https://www.jcs.mil.kr/"}],
                            banner="UNCLASSIFIED", article="An article", extra={"own": [1, 2]})
    defaults = Scenario(title="", features=[], facts=[])
    for f in dataclasses.fields(Scenario):  # (a field added later is covered too: it must be set here)
        assert getattr(s, f.name) != getattr(defaults, f.name), f"set {f.name} in this test"
    doc = Document(s)
    # (its features as the document draws them: rings given the palette's colours)
    assert dataclasses.replace(doc.scenario, features=s.features) == s
    assert doc.scenario.sources_list is not s.sources_list
    path = tmp_path / "m.sitmap.geojson"
    save_project(doc.scenario, path)
    again = Document(load_scenario(path))
    assert again.scenario.sources_list == s.sources_list and again.scenario.banner == "UNCLASSIFIED"
    save_project(again.scenario, path)
    assert load_scenario(path) == again.scenario


def test_the_scripting_api_saves_and_reopens_a_maps_sources_and_banner(tmp_path):
    from viewer import api

    m = api.new_map("Sources")
    m.set_properties(sources_list=[{"id": "jcs", "name": "JCS"}], banner="UNCLASSIFIED")
    m.save(tmp_path / "s.sitmap.geojson")
    m2 = api.open_map(tmp_path / "s.sitmap.geojson")
    assert m2.scenario.sources_list == [{"id": "jcs", "name": "JCS"}] and m2.scenario.banner == "UNCLASSIFIED"


@pytest.mark.parametrize("radius", [1e-9, 1e-7, 0.0099])
def test_a_ring_or_uncertainty_smaller_than_a_centimetre_is_refused_at_once(radius):
    # (drawing a circle of 1e-9 m did not end: its tolerance was finer than its coordinates can say)
    import time

    from viewer import api

    m = api.new_map("Tiny")
    t = time.perf_counter()
    with pytest.raises(api.SitMapError, match="at least 0.01 m"):
        m.add_ring(10.0, 10.0, radius, "r")
    with pytest.raises(api.SitMapError, match="at least 0.01 m"):
        m.add_place(10.0, 10.0, "p", uncertainty_m=radius)
    assert time.perf_counter() - t < 5 and not m.scenario.features
    doc = ('{"type":"FeatureCollection","features":[{"type":"Feature","id":"r","geometry":{"type":"Point",'
           '"coordinates":[10,10]},"properties":{"kind":"range_ring","radius_m":%r}}]}' % radius).encode()
    with pytest.raises(ScenarioError, match="at least 0.01 m"):
        parse_scenario_bytes(doc, "tiny.geojson")
    m.add_ring(10.0, 10.0, 0.01, "smallest")
    m.add_place(10.0, 10.0, "exact", uncertainty_m=0)


def test_the_first_five_rings_are_never_in_the_estimated_impact_areas_colour():
    from viewer.model.style import IMPACT_COLOUR, RING_COLOURS

    assert IMPACT_COLOUR not in RING_COLOURS[:5] and len(set(RING_COLOURS)) == len(RING_COLOURS)


def test_the_features_by_id_are_made_when_first_asked_for_and_follow_every_change():
    """A map installed (a large map's start) does not index its features at once; the index, when
    asked for, is the map's as it is then, and follows every change after."""
    s = load_scenario(resources.default_scenario())
    doc = Document()
    doc.reset(s, None)
    assert doc._index is None  # (not made yet)
    first, *_ = doc.features
    doc.scenario.features.remove(first)  # (the map as it is when the index is made: this one gone)
    assert doc.feature(first.id) is None and all(doc.feature(f.id) is f for f in doc.features)
    doc.scenario.features.insert(0, first)
    doc._index = None
    h = History(doc)
    added = Feature("m1", "place", {"type": "Point", "coordinates": [127, 37.5]}, {"name": "M"})
    h.do(edits.AddFeatures([added]))
    assert doc.feature("m1") is not None and doc.feature("m1").properties["name"] == "M"
    h.undo()
    assert doc.feature("m1") is None
    h.redo()
    assert {f.id: f for f in doc.features} == {fid: doc.feature(fid) for fid in (f.id for f in doc.features)}
    doc.reset(s, None)  # another map: the index made again, when asked for
    assert doc._index is None and doc.feature("m1") is None and doc.feature(first.id) is not None
