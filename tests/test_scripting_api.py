"""The scripting API (viewer.api) refuses what it cannot store in one line (SitMapError), whatever
the wrong value is, and a refused call changes nothing."""

from datetime import datetime, timedelta, timezone

import pytest

from viewer import api


def _map():
    m = api.new_map("API")
    a = m.add_place(39.0, 125.0, "A", source="JCS")
    b = m.add_place(39.5, 125.5, "B", source="JCS")
    m.add_fact("About A", "x", source="JCS", status="reported", feature=a, id="fa")
    m.add_fact("About B", "y", source="JCS", status="reported", feature=b, id="fb")
    return m, a, b


@pytest.mark.parametrize("call", [
    lambda m: m.add_path(None),
    lambda m: m.add_path([(1, 2, 3), (2, 3, 4)]),
    lambda m: m.add_area([("a", "b")] * 3),
    lambda m: m.add_fact("T", source="S", status="reported", time_utc=["2022-01-16T23:50:00Z"]),
    lambda m: m.add_fact("T", source="S", status="reported", time_utc=[datetime(2022, 1, 16, 23, 50)]),
    lambda m: m.add_fact("T", source="S", status="reported", derive=[1]),
    lambda m: m.edit_fact("fa", colour="red"),
    lambda m: m.set_properties(colour="x"),
    lambda m: m.set_properties(event_time_utc="2022-01-16T23:50:00Z"),
    lambda m: m.set_properties(event_time_utc=datetime(2022, 1, 16, 23, 50)),  # (no zone: it would move)
    lambda m: m.set_properties(local_time={"utc_offset": 9}),
    lambda m: m.set_properties(view=[1]),
    lambda m: m.set_properties(sources_list="JCS"),
    lambda m: m.remove("fa", "no-such-feature"),
    lambda m: m.remove("fa", "marker-2"),  # (fact fb is still about it)
    lambda m: m.edit("marker-1", kind="area"),  # (a kind set as a property: the feature drawn as it was)
    lambda m: m.add_ring(39.0, 125.0, 1000, "R", style="0"),  # (a style that is no object: AttributeError)
    lambda m: m.add_ring(39.0, 125.0, 1000, "R", style=["dashed"]),
    # (a moment of year 0 or 10000 in UTC: OverflowError)
    lambda m: m.add_fact("T", source="S", status="reported",
                         time_utc=[datetime(1, 1, 1, 5, tzinfo=timezone(timedelta(hours=14)))]),
    lambda m: m.set_properties(event_time_utc=datetime(9999, 12, 31, 20, tzinfo=timezone(timedelta(hours=-12)))),
])
def test_a_wrong_value_is_one_line_and_the_map_is_unchanged(call):
    m, _, _ = _map()
    before = m.scenario
    facts, features = list(before.facts), list(before.features)
    with pytest.raises(api.SitMapError) as e:
        call(m)
    assert "\n" not in str(e.value)
    assert m.scenario.facts == facts and m.scenario.features == features
    assert m.scenario.event_time_utc == before.event_time_utc and m.scenario.view == before.view


def test_a_time_with_a_zone_is_stored_as_that_moment_whatever_the_computer_s_zone():
    m, _, _ = _map()
    seoul = timezone(timedelta(hours=9))
    m.set_properties(event_time_utc=datetime(2022, 1, 17, 8, 50, tzinfo=seoul))
    assert m.scenario.event_time_utc == datetime(2022, 1, 16, 23, 50, tzinfo=timezone.utc)


def test_removing_a_feature_with_the_facts_about_it_in_one_call_works():
    m, a, b = _map()
    m.remove("fb", b)
    assert [f.id for f in m.scenario.features] == [a] and [f.id for f in m.facts] == ["fa"]


def test_a_ring_restyled_without_a_colour_keeps_its_colour_through_save_and_reopen(tmp_path):
    # (it was stored without one, drawn in the default colour, and given another on reopening)
    from viewer.model.style import style_of

    m = api.new_map("Rings")
    m.add_ring(39.0, 125.7, 300_000, "A")
    m.add_ring(39.0, 125.7, 600_000, "B")
    c = m.add_ring(39.0, 125.7, 900_000, "C")
    colour = style_of(m.feature(c)).color
    m.edit(c, style={"dash": "dotted"})
    assert style_of(m.feature(c)).color == colour and m.feature(c).properties["style"]["dash"] == "dotted"
    m.save(tmp_path / "rings.sitmap.geojson")
    again = api.open_map(tmp_path / "rings.sitmap.geojson")
    assert again.scenario.features == m.scenario.features


@pytest.mark.parametrize("size", [(5, 5), (0, 0), (-5, 100), (20_000, 100), (640.5, 480), (True, 480), "640x480",
                                  (640,)])
def test_a_size_that_is_no_picture_is_refused_in_one_line(tmp_path, size):
    # (found in review: a math domain error, a division by zero or a TypeError came out instead)
    m = api.open_map()
    with pytest.raises(api.SitMapError, match="size"):
        m.export(tmp_path / "brief.html", size=size)
    assert list(tmp_path.iterdir()) == []


def test_a_map_is_not_saved_under_another_formats_name(tmp_path):
    """save("x.kml") wrote GeoJSON under a KML name, which nothing could open again: it is refused,
    and export() named for it; the file there is left alone."""
    m = api.open_map()
    kml = tmp_path / "x.kml"
    kml.write_text("<kml/>")
    with pytest.raises(api.SitMapError, match="export"):
        m.save(kml)
    assert kml.read_text() == "<kml/>"
    assert m.save(tmp_path / "x.sitmap.geojson").exists()


def test_removing_an_id_that_names_both_a_fact_and_a_feature_is_refused_and_changes_nothing():
    # (the fact was removed, where the caller may have meant the feature)
    m, a, _ = _map()
    m.add_fact("Same id", "z", source="S", status="reported", id=a)
    facts, features = list(m.scenario.facts), list(m.scenario.features)
    with pytest.raises(api.SitMapError, match="both a fact and a feature"):
        m.remove(a)
    assert m.scenario.facts == facts and m.scenario.features == features


def test_a_ring_restyled_with_a_style_that_is_no_object_is_refused_in_one_line():
    m, _, _ = _map()
    ring = m.add_ring(39.0, 125.0, 1000, "R", source="S")
    before = m.scenario.feature(ring)
    with pytest.raises(api.SitMapError, match="style"):
        m.edit(ring, style=["dashed"])
    assert m.scenario.feature(ring) == before


@pytest.mark.parametrize("corners", [
    [(80, 0), (80, 120), (80, -120)],  # round the north pole, a third of the way a side
    [(-70, 10), (-70, 100), (-70, -170), (-70, -80)],  # round the south pole
    [(60, 0), (70, 120), (65, -120)],  # (at other latitudes: it was kept, and drawn as a band south of them)
])
def test_an_area_round_a_pole_is_refused_saying_why_and_what_to_do(corners):
    m = api.new_map("Pole")
    with pytest.raises(api.SitMapError) as e:
        m.add_area(corners, "Round the pole")
    assert "goes round a pole" in str(e.value) and "range ring centred on the pole" in str(e.value)
    assert not m.features
    # the same corners less than half-way round are an area
    m.add_area(corners[:2] + [(85 if corners[0][0] > 0 else -85, corners[1][1])], "Part of it")
    assert len(m.features) == 1


def _hidden_layer_map():
    m = api.new_map("Hidden layer")
    m.set_properties(layers=[{"id": "working", "label": "Working notes", "visible": False, "locked": False}],
                     banner="SECRET//REL TO USA, KOR")
    m.add_place(39.0, 127.0, "Working note", annotation=True, layer="working", source="Analyst", status="reported")
    m.add_place(39.5, 127.5, "Shown note", annotation=True, source="Analyst", status="reported")
    return m


def test_a_briefing_takes_the_maps_own_banner_and_leaves_out_its_hidden_layers(tmp_path):
    """As the window's export dialog does: the banner set in the map's properties, and only the
    layers the map shows (a layer kept hidden was drawn, with its legend row)."""
    import re

    m = _hidden_layer_map()
    m.export(tmp_path / "b.html")
    page = (tmp_path / "b.html").read_text(encoding="utf-8")
    assert "SECRET//REL TO USA, KOR" in page
    assert re.findall(r'"hiddenGroups":\s*(\[[^\]]*\])', page) == ['["working"]']
    m.export(tmp_path / "none.html", banner="")  # (none asked for: none)
    assert "SECRET//REL" not in (tmp_path / "none.html").read_text(encoding="utf-8")
    m.export(tmp_path / "other.html", banner="UNCLASSIFIED")
    assert "UNCLASSIFIED" in (tmp_path / "other.html").read_text(encoding="utf-8")


def test_a_cap_that_runs_along_the_pole_itself_is_an_area_of_the_cap():
    from geographiclib.geodesic import Geodesic
    from shapely.geometry import shape

    m = api.new_map("Cap")
    fid = m.add_area([(90, -180), (80, -180), (80, -90), (80, 0), (80, 90), (80, 180), (90, 180)], "Cap")
    from viewer.model.geometry import shape_of

    drawn = shape(shape_of(m.feature(fid)).geojson)
    assert drawn.bounds[1] == pytest.approx(80, abs=0.01) and drawn.bounds[3] == pytest.approx(90)
    p = Geodesic.WGS84.Polygon()
    for lat, lon in [(80, -180), (80, -90), (80, 0), (80, 90)]:
        p.AddPoint(lat, lon)
    assert drawn.area > 0 and abs(p.Compute(False, True)[2]) > 2e12  # (the cap, 2.5 million km2, not a sliver)


def test_a_line_of_one_place_a_huge_number_and_a_distance_to_a_line_are_refused_in_one_line():
    m = api.new_map("Refused")
    place = m.add_place(41.0, 134.0, "Impact")
    path = m.add_path([(39.2, 125.67), (41.0, 134.0)], "Flight path")
    with pytest.raises(api.SitMapError, match="two different points"):
        m.add_path([(10, 10)] * 3, "Nowhere")
    for bad in ([(0, 0), (0, 10**400)], [(0, 0), (10**400, 0), (1, 1)]):  # (OverflowError, not a ValueError, before)
        with pytest.raises(api.SitMapError, match="pairs of numbers"):
            m.add_path(bad)
        with pytest.raises(api.SitMapError, match="pairs of numbers"):
            m.add_area(bad + [(2, 2)])
    with pytest.raises(api.SitMapError, match="is no point"):
        m.add_fact("Distance", source="SitMap", status="derived", derive={"op": "distance", "from": path, "to": place})
    fid = m.add_fact("Distance", source="SitMap", status="derived",
                     derive={"op": "distance", "from": place, "to": m.add_place(39.2, 125.67, "Launch")})
    assert m.scenario.fact_display_value(next(f for f in m.facts if f.id == fid)).endswith("\u00b0")
    assert [f.id for f in m.features][:2] == [place, path]
