import json

import pytest

from viewer import resources
from viewer.model.scenario import (
    STATUSES,
    ScenarioError,
    load_scenario,
    parse_scenario,
    parse_scenario_bytes,
    scenario_to_geojson,
)


@pytest.fixture(scope="module")
def builtin():
    return load_scenario(resources.default_scenario())


@pytest.fixture()
def doc():
    return json.loads(resources.default_scenario().read_text(encoding="utf-8"))


def test_builtin_scenario_has_the_articles_places(builtin):
    ids = {f.id for f in builtin.features}
    assert {"launch-point", "ring-380km", "flight-path", "impact-area", "friendship-bridge",
            "dandong-station", "sinuiju-station", "pyongyang", "seoul", "tokyo", "beijing"} <= ids
    launch = builtin.feature("launch-point")
    assert launch.role == "launch" and launch.properties["uncertainty_m"] > 0
    assert launch.latlon() == pytest.approx((39.2002, 125.6733))
    assert builtin.feature("ring-380km").properties["radius_m"] == 380_000
    assert builtin.feature("impact-area").role == "target_estimate"
    assert builtin.feature("impact-area").status == "estimated"


def test_every_fact_has_a_source_and_a_known_status(builtin):
    assert len(builtin.facts) >= 20
    for fact in builtin.facts:
        assert fact.source.strip(), fact.id
        assert fact.status in STATUSES
    groups = {f.group for f in builtin.facts}
    assert {"launch", "flight", "target", "reactions", "rail", "context"} <= groups
    sources = " ".join(builtin.sources())
    for who in ("JCS", "KCNA", "Japan Ministry of Defense", "US State Department", "China Ministry of Foreign Affairs",
                "Sejong Institute"):
        assert who in sources


def test_launch_time_is_shown_in_kst_and_utc(builtin):
    fact = next(f for f in builtin.facts if f.id == "launch-time")
    shown = builtin.fact_display_value(fact)
    assert shown == "08:50 and 08:54 KST, 17 Jan 2022 (23:50 and 23:54 UTC, 16 Jan 2022)"


def test_derived_distances_are_computed_not_stored(builtin):
    fact = next(f for f in builtin.facts if f.id == "dist-seoul")
    assert fact.value == "" and fact.status == "derived"
    assert builtin.fact_display_value(fact).startswith("215 km")
    rail = next(f for f in builtin.facts if f.id == "rail-length")
    km = float(builtin.fact_display_value(rail).split()[0])
    assert km == pytest.approx(2.3, abs=0.06)


def test_save_and_read_back_gives_the_same_scenario(builtin):
    again = parse_scenario(json.loads(json.dumps(scenario_to_geojson(builtin))), "again")
    assert again.features == builtin.features
    assert again.facts == builtin.facts
    assert again.title == builtin.title and again.view == builtin.view
    assert again.local_time == builtin.local_time and again.event_time_utc == builtin.event_time_utc


def test_the_file_is_plain_geojson_other_tools_can_read(doc):
    assert doc["type"] == "FeatureCollection"
    for f in doc["features"]:
        assert f["type"] == "Feature" and "id" in f
        assert f["geometry"]["type"] in ("Point", "LineString", "Polygon")
        assert f["properties"]["kind"] in ("place", "range_ring", "path", "area")


def _err(doc_or_text, where=None, what=None):
    raw = doc_or_text if isinstance(doc_or_text, bytes) else json.dumps(doc_or_text).encode()
    with pytest.raises(ScenarioError) as ei:
        parse_scenario_bytes(raw, "bad.geojson")
    msg = str(ei.value)
    assert msg.startswith("bad.geojson") and "\n" not in msg
    if where:
        assert where in ei.value.where
    if what:
        assert what in ei.value.what
    return ei.value


def test_malformed_json_names_the_line():
    e = _err(b'{"type": "FeatureCollection",\n "features": [,]}', what="not valid JSON")
    assert e.where.startswith("line 2")


def test_latitude_beyond_90_is_refused(doc):
    doc["features"][0]["geometry"]["coordinates"] = [125.0, 95.0]
    _err(doc, where="features[0]", what="latitude 95")


def test_nan_and_infinity_are_refused():
    _err(b'{"type":"FeatureCollection","features":[{"type":"Feature","id":"a","geometry":{"type":"Point","coordinates":[NaN,1]},"properties":{}}]}',
         what="NaN")
    _err(b'{"type":"FeatureCollection","features":[{"type":"Feature","id":"a","geometry":{"type":"Point","coordinates":[Infinity,1]},"properties":{}}]}',
         what="Infinity")


@pytest.mark.parametrize("radius", [0, -5, 25_000_000])
def test_impossible_ring_radius_is_refused(doc, radius):
    ring = next(f for f in doc["features"] if f["id"] == "ring-380km")
    ring["properties"]["radius_m"] = radius
    _err(doc, where="radius_m")


def test_unknown_status_and_missing_source_are_refused(doc):
    doc["facts"][0]["status"] = "rumoured"
    _err(doc, where="facts[0]", what="status")
    doc["facts"][0]["status"] = "reported"
    del doc["facts"][0]["source"]
    _err(doc, where="facts[0]", what="missing")


def test_fact_pointing_at_a_missing_feature_is_refused(doc):
    doc["facts"][0]["feature"] = "nowhere"
    _err(doc, what="no feature with id 'nowhere'")


def test_duplicate_ids_and_missing_ids_are_refused(doc):
    doc["features"][1]["id"] = doc["features"][0]["id"]
    _err(doc, what="duplicate id")
    del doc["features"][1]["id"]
    _err(doc, what="stable id")


def test_self_intersecting_polygon_is_refused(doc):
    doc["features"].append({"type": "Feature", "id": "bowtie", "properties": {"kind": "area"},
                            "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}})
    _err(doc, where="bowtie", what="invalid polygon")


def test_absurd_nesting_is_refused_without_recursion_error():
    _err(b"[" * 100_000 + b"]" * 100_000, what="nesting")


def test_wrong_types_are_named(doc):
    doc["sitmap"]["title"] = 5
    _err(doc, where="sitmap.title", what="must be text")


def test_kind_must_match_geometry(doc):
    ring = next(f for f in doc["features"] if f["id"] == "ring-380km")
    ring["geometry"] = {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}
    _err(doc, what="needs a Point geometry")


def test_not_utf8_and_not_a_collection_are_refused():
    _err(b"\xff\xfe\x00garbage", what="UTF-8")
    _err([1, 2, 3], what="JSON object")


def test_missing_file_gives_a_clean_error(tmp_path):
    with pytest.raises(ScenarioError, match="file not found"):
        load_scenario(tmp_path / "nope.geojson")


def test_hostile_text_is_kept_as_plain_text(doc):
    payload = '</script><img src=x onerror="window.__pwned=1">'
    doc["features"][0]["properties"]["name"] = payload
    s = parse_scenario(doc, "x")
    assert s.features[0].name == payload


def test_trajectory_facts_are_derived_from_the_reported_range_and_apogee(builtin):
    from viewer.model.scenario import derivation_formula

    me = next(f for f in builtin.facts if f.id == "min-energy")
    assert builtin.fact_display_value(me) == "About 94 km for 380 km range"
    tr = next(f for f in builtin.facts if f.id == "trajectory")
    assert builtin.fact_display_value(tr).startswith("Depressed: the reported 42 km apogee is 0.45")
    assert "sin" in derivation_formula(me.derive) and "depressed" in derivation_formula(tr.derive)


def test_derivation_pointing_nowhere_is_refused(doc):
    fact = next(f for f in doc["facts"] if f["id"] == "trajectory")
    fact["derive"]["path"] = "nope"
    _err(doc, what="no feature with id 'nope'")
    fact["derive"] = {"op": "astrology"}
    _err(doc, what="op must be one of")


def test_a_feature_read_from_a_file_is_the_feature_its_fields_make_and_stays_frozen():
    import dataclasses

    from viewer.model.scenario import Feature, parse_scenario

    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": "p-1", "geometry": {"type": "Point", "coordinates": [126.5, 39.25]},
         "properties": {"kind": "place", "name": "P1", "status": "estimated"}},
        {"type": "Feature", "id": "a-1", "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]},
         "properties": {"kind": "area", "name": "A"}}]}
    for f in parse_scenario(doc).features:
        made = Feature(f.id, f.kind, f.geometry, f.properties)
        assert f == made and repr(f) == repr(made) and type(f) is Feature and vars(f) == vars(made)
        with pytest.raises(dataclasses.FrozenInstanceError):
            f.kind = "path"


def test_a_timed_facts_own_words_are_shown_with_its_times():
    # (with a local time set, the value shown was made from the times alone: "(detected)" was hidden)
    from dataclasses import replace
    from datetime import timedelta

    from viewer import resources
    from viewer.model.scenario import LocalTime, load_scenario

    s = load_scenario(resources.default_scenario())
    timed = next(f for f in s.facts if f.time_utc and len(f.time_utc) == 2)
    utc = "(23:50 and 23:54 UTC, 16 Jan 2022)"
    assert s.fact_display_value(timed) == f"08:50 and 08:54 KST, 17 Jan 2022 {utc}"  # (its words are its times)
    said = replace(timed, value="08:50 and 08:54 KST, 17 Jan 2022 (detected)")
    assert s.fact_display_value(said) == f"08:50 and 08:54 KST, 17 Jan 2022 (detected) {utc}"
    other = replace(said, value="At dawn, by radar")
    assert s.fact_display_value(other) == "At dawn, by radar (08:50 and 08:54 KST, 17 Jan 2022; 23:50 and 23:54 UTC, 16 Jan 2022)"
    cet = replace(s, local_time=LocalTime(timedelta(hours=1), "CET"))
    assert cet.fact_display_value(said) == ("08:50 and 08:54 KST, 17 Jan 2022 (detected) (00:50 and 00:54 CET, "
                                            "17 Jan 2022; 23:50 and 23:54 UTC, 16 Jan 2022)")
    assert cet.fact_display_value(replace(timed, value="")) == "00:50 and 00:54 CET, 17 Jan 2022 " + utc
