"""The view a map opens on when it does not say one: everything it draws, markers, rings, lines and
areas (before: a map of rings, lines and areas only opened on the whole world, the features too
small to see; a map with markers opened on the markers alone, its rings and areas cut off), across
the antimeridian where that is narrower."""

import math

import pytest
from geographiclib.geodesic import Geodesic

from viewer.model.scenario import parse_scenario
from viewer.model.lon_span import narrowest_span
from viewer.render import layers


def _map(features):
    return parse_scenario({"type": "FeatureCollection", "sitmap": {"title": "t"}, "features": features}, "test")


def _views(s):
    return layers.view_of(s, layers.draw_scenario(s)), layers.scenario_view(s)


def _ring(fid, lon, lat, km):
    return {"type": "Feature", "id": fid, "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {"kind": "range_ring", "radius_m": km * 1000.0, "name": fid, "status": "reported",
                           "source": "test"}}


def _area(fid, ring):
    return {"type": "Feature", "id": fid, "geometry": {"type": "Polygon", "coordinates": [ring]},
            "properties": {"kind": "area", "name": fid, "status": "estimated", "source": "test"}}


def test_a_map_of_one_ring_opens_on_the_ring():
    drawn, early = _views(_map([_ring("r", 125.0, 39.0, 50)]))
    for view in (drawn, early):
        (s, w), (n, e) = view["bounds"]
        assert s < 39.0 < n and w < 125.0 < e and n - s < 3.5 and e - w < 4.5, view
    # the ring's edge is inside: north 50 km and east 50 km of the centre (plus the margin)
    g = Geodesic.WGS84
    north, east = g.Direct(39.0, 125.0, 0, 50_000), g.Direct(39.0, 125.0, 90, 50_000)
    (s, w), (n, e) = drawn["bounds"]
    assert n > north["lat2"] and e > east["lon2"]


def test_a_map_of_a_line_across_the_antimeridian_opens_on_the_line():
    line = {"type": "Feature", "id": "l", "geometry": {"type": "LineString", "coordinates": [[170.0, 10.0], [-170.0, 12.0]]},
            "properties": {"kind": "path", "name": "l", "status": "estimated", "source": "test"}}
    drawn, early = _views(_map([line]))
    for view in (drawn, early):
        (s, w), (n, e) = view["bounds"]
        assert w == pytest.approx(169.0) and e == pytest.approx(191.0) and s < 10 and n > 12, view


def test_areas_either_side_of_the_antimeridian_open_on_both_not_on_the_world():
    a = _area("a", [[176.0, -5.0], [179.0, -5.0], [179.0, 5.0], [176.0, 5.0], [176.0, -5.0]])
    b = _area("b", [[-179.0, -5.0], [-175.0, -5.0], [-175.0, 5.0], [-179.0, 5.0], [-179.0, -5.0]])
    for view in _views(_map([a, b])):
        (s, w), (n, e) = view["bounds"]
        assert w == pytest.approx(175.0) and e == pytest.approx(186.0), view


def test_a_ring_round_a_pole_opens_on_every_longitude():
    drawn, early = _views(_map([_ring("r", 0.0, 85.0, 1500)]))
    for view in (drawn, early):
        (s, w), (n, e) = view["bounds"]
        assert e - w >= 340 and n == 85 and s < 75, view  # (as near all of them as it is drawn)


def test_markers_decide_the_view_across_the_antimeridian_where_that_is_narrower():
    place = {"type": "Feature", "id": "p", "geometry": {"type": "Point", "coordinates": [179.0, 0.0]},
             "properties": {"kind": "place", "name": "p", "status": "reported", "source": "test"}}
    west = dict(place, id="q", geometry={"type": "Point", "coordinates": [-179.0, 0.0]})
    drawn, early = _views(_map([place, west]))
    # (before: the whole world, -180 to 180, the two places at its edges)
    # (the margin a sixth of their 2 degrees: layers.VIEW_PAD_MIN_DEG and a degree bound it)
    third = 2.0 / 6
    assert drawn == early == {"bounds": [[-third, 179.0 - third], [third, 181.0 + third]], "focus": 180.0}  # (focus: the markers' middle)
    far = dict(place, id="f", geometry={"type": "Point", "coordinates": [0.0, 0.0]})
    drawn, early = _views(_map([place, west, far]))
    assert drawn == early == {"bounds": [[-1.0, -1.0], [1.0, 182.0]], "focus": 90.5}


def test_a_map_of_markers_rings_and_areas_opens_on_all_of_them_not_the_markers_alone():
    place = {"type": "Feature", "id": "p", "geometry": {"type": "Point", "coordinates": [179.0, 0.0]},
             "properties": {"kind": "place", "name": "p", "status": "reported", "source": "test"}}
    area = _area("a", [[-170.0, 8.0], [-168.0, 8.0], [-168.0, 10.0], [-170.0, 10.0], [-170.0, 8.0]])
    g = Geodesic.WGS84
    north, east = g.Direct(0.0, 179.0, 0, 500_000), g.Direct(0.0, 179.0, 90, 500_000)
    south, west = g.Direct(0.0, 179.0, 180, 500_000), g.Direct(0.0, 179.0, 270, 500_000)
    for view in _views(_map([place, _ring("r", 179.0, 0.0, 500), area])):
        (s, w), (n, e) = view["bounds"]
        # the whole ring (500 km each way of the place), and the area across the antimeridian
        assert s < south["lat2"] and n > north["lat2"] and w < west["lon2"] and e > east["lon2"] % 360, view
        assert n > 10.0 and e > -168.0 + 360 and e - w < 30, view  # (across 180, not round the world)


def test_a_long_line_opens_with_its_whole_arc_in_view():
    """A line's geodesic from Tokyo to San Francisco bulges about 12 degrees north of its ends: the
    drawn line is in view, not only its ends."""
    ends = [[139.7, 35.7], [-122.4, 37.8]]
    line = {"type": "Feature", "id": "l", "geometry": {"type": "LineString", "coordinates": ends},
            "properties": {"kind": "path", "name": "l", "status": "estimated", "source": "test"}}
    places = [{"type": "Feature", "id": f"p{k}", "geometry": {"type": "Point", "coordinates": c},
               "properties": {"kind": "place", "name": f"p{k}", "status": "reported", "source": "test"}}
              for k, c in enumerate(ends)]
    s = _map([line, *places])
    top = max(lat for lat, _lon in layers.draw_scenario(s)[0].latlngs)
    assert top > 47.0
    (south, _w), (north, _e) = layers.view_of(s, layers.draw_scenario(s))["bounds"]
    assert north >= top and south < 35.7


def test_the_narrowest_span_of_longitudes():
    span = narrowest_span
    assert span([10.0, 20.0]) == (10.0, 20.0)
    assert span([179.0, -179.0]) == (179.0, 181.0)
    assert span([-170.0, 170.0, 0.0]) == (0.0, 190.0)
    assert span([-180.0, 180.0]) == (-180.0, -180.0)
    w, e = span([float(x) for x in range(-180, 180, 10)])
    assert e - w == 350
    assert math.isclose(span([175.0, 185.0])[1], 185.0)


def test_an_unnamed_feature_is_written_to_geojson_without_its_id_as_its_name():
    # (before: it reopened named after its id)
    place = {"type": "Feature", "id": "marker-9", "geometry": {"type": "Point", "coordinates": [125.0, 39.0]},
             "properties": {"kind": "place", "status": "reported", "source": "t"}}
    named = dict(place, id="b", properties=dict(place["properties"], name="Named"))
    s = _map([place, named])
    out = layers.drawn_to_geojson(s, layers.draw_scenario(s))
    assert [f["properties"].get("name") for f in out["features"]] == [None, "Named"]


def test_a_map_has_a_focus_the_middle_of_its_places_and_rings_centres():
    """Where a map of the whole world is centred across (resources/js/lon_span.js showOneWorld):
    the middle of its places' and rings' centres, the narrow way round; a map's own saved view
    keeps its bounds and gets the focus too."""
    place = {"type": "Feature", "id": "p", "geometry": {"type": "Point", "coordinates": [125.75, 39.0]},
             "properties": {"kind": "place", "name": "p", "status": "reported", "source": "test"}}
    far = dict(place, id="w", geometry={"type": "Point", "coordinates": [-77.0, 38.9]})
    ring = _ring("r", 125.75, 39.0, 13_000)
    s = _map([place, far, ring])
    drawn = layers.view_of(s, layers.draw_scenario(s))
    assert drawn["focus"] == pytest.approx((125.75 + 283.0) / 2)  # (across the Pacific, not Europe)
    own = parse_scenario({"type": "FeatureCollection", "sitmap": {"title": "t", "view": {"bounds": [[-80, -180], [80, 180]]}},
                          "features": [place, far, ring]}, "test")
    view = layers.view_of(own, layers.draw_scenario(own))
    assert view["bounds"] == [[-80, -180], [80, 180]] and view["focus"] == pytest.approx(drawn["focus"])
